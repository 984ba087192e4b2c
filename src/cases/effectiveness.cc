#include "cases/effectiveness.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/time.h"

namespace yuqing::cases {
namespace {

// Why these thresholds (set by judgment, not fitted: there is no labelled corpus of response
// outcomes, and they must mean the same thing for every event):
//   0.8 / 1.25   a symmetric band on a ratio scale (0.8 = 1 / 1.25): inside it, the volume
//                after the response is within a quarter of what the event was doing anyway,
//                which is ordinary hour-to-hour wobble of a public-opinion curve;
//   5 / 10 pts   the negative share is a proportion of a few hundred posts per window, whose
//                sampling error is a few points; a rise of 5 points spoils "effective", a rise
//                of 10 is beyond noise and means the response itself drew criticism;
//   2 sigmas     volume verdicts also need |after − expected| ≥ 2·sqrt(max(expected, 1)), the
//                Poisson standard deviation of a count (the floor the burst detector uses,
//                docs/events.md): 2 posts against 1 expected is not a backfire.
constexpr double kShareEpsilon = 1e-9;  // so that 0.30 − 0.20 counts as 10 points
// The thresholds as the explanations quote them.
constexpr double kBelowPct = kEffectiveAtMost * 100;
constexpr double kAbovePct = kBackfiredAtLeast * 100;
constexpr double kToleratedPts = kNegativeRiseTolerated * 100;
constexpr double kBackfiredPts = kNegativeRiseBackfired * 100;

struct Window {
  int64_t posts = 0;
  int64_t negative = 0;
  double engagement = 0;
  std::optional<double> share() const {
    if (posts <= 0) return std::nullopt;
    return static_cast<double>(negative) / static_cast<double>(posts);
  }
};

std::string Pct(std::optional<double> share) {
  return share ? fmt::format("{:.1f}%", *share * 100) : std::string("-");
}

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kEffective:
      return "effective";
    case Verdict::kNoEffect:
      return "no_effect";
    case Verdict::kBackfired:
      return "backfired";
    case Verdict::kTooEarly:
      return "too_early";
    case Verdict::kNoData:
      return "no_data";
  }
  return "no_data";
}

std::string_view VerdictNameZh(Verdict v) {
  switch (v) {
    case Verdict::kEffective:
      return "有效";
    case Verdict::kNoEffect:
      return "无明显效果";
    case Verdict::kBackfired:
      return "适得其反";
    case Verdict::kTooEarly:
      return "为时尚早";
    case Verdict::kNoData:
      return "无数据";
  }
  return "无数据";
}

Result<Effect> JudgeEffect(std::span<const SeriesPoint> series, core::TimePoint published_at,
                           core::TimePoint now, const EffectOptions& options) {
  using std::chrono::hours;
  const std::chrono::minutes w = options.window;
  if (w <= std::chrono::minutes(0) || w % hours(1) != std::chrono::minutes(0)) {
    return Status::InvalidArgument(fmt::format(
        "effect window of {} minutes: expected a positive whole number of hours", w.count()));
  }
  const int64_t window_hours = w / hours(1);
  const int64_t trend_hours = 2 * window_hours;
  const core::TimePoint trend_start = published_at - 2 * w;
  const core::TimePoint before_start = published_at - w;
  const core::TimePoint after_end = published_at + w;

  std::vector<double> hourly(static_cast<size_t>(trend_hours), 0.0);
  Window before, after;
  for (const SeriesPoint& p : series) {
    if (p.start >= trend_start && p.start < published_at) {
      hourly[static_cast<size_t>((p.start - trend_start) / hours(1))] +=
          static_cast<double>(p.posts);
      if (p.start >= before_start) {
        before.posts += p.posts;
        before.negative += p.negative_posts;
        before.engagement += p.engagement;
      }
    } else if (p.start >= published_at && p.start < after_end) {
      after.posts += p.posts;
      after.negative += p.negative_posts;
      after.engagement += p.engagement;
    }
  }

  // Ordinary least squares of hourly volume on the hour index (Montgomery, Peck & Vining,
  // "Introduction to Linear Regression Analysis", 5th ed., §2.2): the event's own course
  // before the response, which the response is measured against. Hours are x = 0 … n−1;
  // the after-window is x = n … n + window_hours − 1, each hour floored at 0 posts.
  const double n = static_cast<double>(trend_hours);
  const double x_mean = (n - 1) / 2;
  double y_mean = 0;
  for (double y : hourly) y_mean += y;
  const double baseline_posts = y_mean;
  y_mean /= n;
  double sxy = 0, sxx = 0;
  for (int64_t i = 0; i < trend_hours; ++i) {
    const double dx = static_cast<double>(i) - x_mean;
    sxy += dx * (hourly[static_cast<size_t>(i)] - y_mean);
    sxx += dx * dx;
  }
  const double slope = sxx > 0 ? sxy / sxx : 0;
  const double intercept = y_mean - slope * x_mean;
  double expected = 0;
  for (int64_t k = trend_hours; k < trend_hours + window_hours; ++k) {
    expected += std::max(0.0, intercept + slope * static_cast<double>(k));
  }

  Effect e;
  e.posts_before = before.posts;
  e.posts_after = after.posts;
  e.expected_after = expected;
  e.engagement_before = before.engagement;
  e.engagement_after = after.engagement;
  if (before.posts > 0) {
    e.volume_ratio = static_cast<double>(after.posts) / static_cast<double>(before.posts);
  }
  if (expected > 0) e.vs_expected = static_cast<double>(after.posts) / expected;
  e.negative_share_before = before.share();
  e.negative_share_after = after.share();
  e.trend_slope_per_hour = slope;

  const std::string ratio_en =
      e.volume_ratio ? fmt::format("{:.2f}", *e.volume_ratio) : std::string("-");
  const std::string vs_en =
      e.vs_expected ? fmt::format("{:.0f}%", *e.vs_expected * 100) : std::string("-");
  const double share_rise = (e.negative_share_before && e.negative_share_after)
                                ? *e.negative_share_after - *e.negative_share_before
                                : 0.0;
  const std::string share_en =
      (e.negative_share_before && e.negative_share_after)
          ? fmt::format("{} → {} ({:+.1f} points)", Pct(e.negative_share_before),
                        Pct(e.negative_share_after), share_rise * 100)
          : fmt::format("{} → {} (not compared: a window without posts)",
                        Pct(e.negative_share_before), Pct(e.negative_share_after));
  const std::string share_zh =
      (e.negative_share_before && e.negative_share_after)
          ? fmt::format("{}→{}（{:+.1f}个百分点）", Pct(e.negative_share_before),
                        Pct(e.negative_share_after), share_rise * 100)
          : fmt::format("{}→{}（有窗口无帖文，不作比较）", Pct(e.negative_share_before),
                        Pct(e.negative_share_after));
  const std::string numbers_en = fmt::format(
      "{} h after the response: {} posts against {:.1f} expected from the trend before it ({}); "
      "{} h before: {} posts (after/before {}); negative share {}",
      window_hours, after.posts, expected, vs_en, window_hours, before.posts, ratio_en, share_en);
  const std::string numbers_zh = fmt::format(
      "回应后{}小时：{}条，按回应前趋势预计{:.1f}条（为预计的{}）；回应前{}小时：{}条（后/前 {}）；"
      "负面占比{}",
      window_hours, after.posts, expected, vs_en, window_hours, before.posts, ratio_en, share_zh);

  if (now < after_end) {
    e.verdict = Verdict::kTooEarly;
    e.explanation_en = fmt::format(
        "Too early: the {} h after the response end at {}; so far {} posts ({:.1f} expected over "
        "the whole window).",
        window_hours, core::FormatIso8601(after_end), after.posts, expected);
    e.explanation_zh =
        fmt::format("为时尚早：回应后{}小时的观察窗口至{}结束；目前{}条（整个窗口预计{:.1f}条）。",
                    window_hours, core::FormatIso8601(after_end), after.posts, expected);
    return e;
  }
  if (baseline_posts <= 0) {
    e.verdict = Verdict::kNoData;
    e.explanation_en = fmt::format(
        "No data: no posts in the {} h before the response, so there is no trend to judge it "
        "against ({} posts after it).",
        trend_hours, after.posts);
    e.explanation_zh = fmt::format("无数据：回应前{}小时内没有帖文，无趋势可供比较（回应后{}条）。",
                                   trend_hours, after.posts);
    return e;
  }

  const double a = static_cast<double>(after.posts);
  const double noise = kNoiseSigmas * std::sqrt(std::max(expected, 1.0));
  const bool clearly_above = a >= kBackfiredAtLeast * expected && a - expected >= noise;
  const bool clearly_below = a <= kEffectiveAtMost * expected && expected - a >= noise;
  const bool share_backfired = share_rise >= kNegativeRiseBackfired - kShareEpsilon;
  const bool share_tolerated = share_rise <= kNegativeRiseTolerated + kShareEpsilon;

  std::string why_en, why_zh;
  if (clearly_above || share_backfired) {
    e.verdict = Verdict::kBackfired;
    if (clearly_above && share_backfired) {
      why_en = fmt::format(
          "volume at least {:.0f}% of the trend and the negative share up by {:.0f} "
          "points or more",
          kAbovePct, kBackfiredPts);
      why_zh = fmt::format("声量达到趋势预计的{:.0f}%以上，且负面占比上升{:.0f}个百分点以上",
                           kAbovePct, kBackfiredPts);
    } else if (clearly_above) {
      why_en = fmt::format("volume at least {:.0f}% of the trend", kAbovePct);
      why_zh = fmt::format("声量达到趋势预计的{:.0f}%以上", kAbovePct);
    } else {
      why_en = fmt::format("the negative share rose by {:.0f} points or more", kBackfiredPts);
      why_zh = fmt::format("负面占比上升{:.0f}个百分点以上", kBackfiredPts);
    }
  } else if (clearly_below && share_tolerated) {
    e.verdict = Verdict::kEffective;
    why_en = fmt::format(
        "volume at most {:.0f}% of the trend and the negative share up by no more than {:.0f} "
        "points",
        kBelowPct, kToleratedPts);
    why_zh = fmt::format("声量不高于趋势预计的{:.0f}%，且负面占比上升不超过{:.0f}个百分点",
                         kBelowPct, kToleratedPts);
  } else {
    e.verdict = Verdict::kNoEffect;
    if (clearly_below) {
      why_en = fmt::format(
          "volume fell below the trend, but the negative share rose by more than {:.0f} points",
          kToleratedPts);
      why_zh = fmt::format("声量低于趋势预计，但负面占比上升超过{:.0f}个百分点", kToleratedPts);
    } else {
      why_en = fmt::format(
          "volume within the range of the event's own trend ({:.0f}%–{:.0f}% of it, or too few "
          "posts to "
          "tell)",
          kBelowPct, kAbovePct);
      why_zh = fmt::format(
          "声量处于事件自身趋势的正常范围内（预计的{:.0f}%至{:.0f}%之间，或帖文太少无法判断）",
          kBelowPct, kAbovePct);
    }
  }
  const std::string_view label_en = e.verdict == Verdict::kBackfired   ? "Backfired"
                                    : e.verdict == Verdict::kEffective ? "Effective"
                                                                       : "No effect";
  e.explanation_en = fmt::format("{}: {}. {}.", label_en, why_en, numbers_en);
  e.explanation_zh = fmt::format("{}：{}。{}。", VerdictNameZh(e.verdict), why_zh, numbers_zh);
  return e;
}

}  // namespace yuqing::cases
