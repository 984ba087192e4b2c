// Did a published response work? (DOMAIN.md §8 "measure whether each response worked", §12.)
// The event's 10-minute series is cut into a window before the response and one after it; the
// volume after is held against what the event's own trend before the response predicted, and
// the negative share after against the one before. A verdict with the numbers that made it.
//
// Pure function of values and an injected `now`; the returned Effect is a value the caller
// owns. Safe to call from any thread.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace yuqing::cases {

// One 10-minute bucket of the event's series (events::EventSummary::series plus the
// negative count). A bucket belongs to the window its `start` falls in.
struct SeriesPoint {
  core::TimePoint start{};
  int64_t posts = 0;
  double engagement = 0;  // reposts + comments + likes of the bucket's posts
  int64_t negative_posts = 0;
};

enum class Verdict {
  kEffective,  // volume fell clearly below the trend and negativity did not grow
  kNoEffect,   // neither clearly better nor clearly worse than the trend
  kBackfired,  // volume clearly above the trend, or negativity grew sharply
  kTooEarly,   // the after-window is not complete at `now`
  kNoData,     // no posts in the two windows before the response: no baseline to judge by
};
// "effective", "no_effect", "backfired", "too_early", "no_data".
std::string_view VerdictName(Verdict v);
// "有效", "无明显效果", "适得其反", "为时尚早", "无数据".
std::string_view VerdictNameZh(Verdict v);

struct EffectOptions {
  // Length of the before- and after-windows. A positive whole number of hours (the trend is
  // fitted to hourly volumes); anything else is InvalidArgument.
  std::chrono::minutes window{6 * 60};
};

struct Effect {
  Verdict verdict = Verdict::kNoData;
  int64_t posts_before = 0;   // posts in [published − window, published)
  int64_t posts_after = 0;    // posts in [published, published + window) (so far, if early)
  double expected_after = 0;  // the pre-response trend extrapolated over the after-window
  double engagement_before = 0;
  double engagement_after = 0;
  // The heat-like volume change: posts_after / posts_before (1 = unchanged); nullopt when
  // nothing was posted in the window before.
  std::optional<double> volume_ratio;
  // posts_after / expected_after; nullopt when the trend expects nothing.
  std::optional<double> vs_expected;
  // Negative posts / posts in each window, 0..1; nullopt for a window without posts.
  std::optional<double> negative_share_before;
  std::optional<double> negative_share_after;
  // The least-squares trend of hourly volume over the two windows before the response.
  double trend_slope_per_hour = 0;  // posts per hour, per hour
  std::string explanation_zh;
  std::string explanation_en;
};

// Judges one published response from the event's series (any order; buckets with equal
// `start` add up). The trend is a least-squares line through the hourly post volumes of the
// two windows before the response, extrapolated over the after-window and floored at 0 per
// hour. InvalidArgument only for bad options.
Result<Effect> JudgeEffect(std::span<const SeriesPoint> series, core::TimePoint published_at,
                           core::TimePoint now, const EffectOptions& options = {});

// The thresholds, exposed for tests and the docs (see effectiveness.cc for why each).
inline constexpr double kEffectiveAtMost = 0.8;         // after ≤ 0.8 × expected
inline constexpr double kBackfiredAtLeast = 1.25;       // after ≥ 1.25 × expected
inline constexpr double kNegativeRiseTolerated = 0.05;  // effective: share rose ≤ 5 points
inline constexpr double kNegativeRiseBackfired = 0.10;  // backfired: share rose ≥ 10 points
inline constexpr double kNoiseSigmas = 2.0;  // volume verdicts need a Poisson-significant gap

}  // namespace yuqing::cases
