#include "cases/effectiveness.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/time.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }

const core::TimePoint kPublished = T("2026-06-01T12:00:00+08:00");

// A 10-minute series from hourly volumes, the first hour starting 12 h before the response:
// hours [0, 12) are before it, [12, 18) after. Each hour's posts and negative posts are spread
// over its six buckets; `negative_before` / `negative_after` are the negative share of each
// hour before / after the response (hour volumes are chosen so the shares are whole posts).
std::vector<SeriesPoint> Series(const std::vector<int64_t>& hourly, double negative_before,
                                double negative_after) {
  std::vector<SeriesPoint> out;
  for (size_t h = 0; h < hourly.size(); ++h) {
    const double share = h < 12 ? negative_before : negative_after;
    const int64_t posts = hourly[h];
    const auto negative = static_cast<int64_t>(static_cast<double>(posts) * share + 0.5);
    for (int64_t b = 0; b < 6; ++b) {
      SeriesPoint p;
      p.start = kPublished - hours(12) + hours(h) + minutes(10 * b);
      p.posts = posts / 6 + (b < posts % 6 ? 1 : 0);
      p.negative_posts = negative / 6 + (b < negative % 6 ? 1 : 0);
      p.engagement = static_cast<double>(p.posts) * 3;
      out.push_back(p);
    }
  }
  return out;
}

const core::TimePoint kLater = kPublished + hours(7);  // the after-window is complete

TEST(EffectivenessTest, FallingCurveAfterTheResponseIsEffective) {
  // Rising 10, 20, … 120 posts an hour before the response: the trend expects 130 … 180 in the
  // six hours after (930); the curve falls to 170 instead, and negativity drops from 30% to 20%.
  auto series = Series({10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,  //
                        60, 40, 30, 20, 10, 10},
                       0.3, 0.2);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->verdict, Verdict::kEffective);
  EXPECT_EQ(VerdictName(e->verdict), "effective");
  EXPECT_EQ(e->posts_before, 570);
  EXPECT_EQ(e->posts_after, 170);
  EXPECT_NEAR(e->expected_after, 930, 1e-9);
  EXPECT_NEAR(e->trend_slope_per_hour, 10, 1e-9);
  EXPECT_NEAR(*e->volume_ratio, 170.0 / 570, 1e-12);
  EXPECT_NEAR(*e->vs_expected, 170.0 / 930, 1e-12);
  EXPECT_NEAR(*e->negative_share_before, 171.0 / 570, 1e-12);  // 7+6+… rounded per hour
  EXPECT_NEAR(*e->negative_share_after, 34.0 / 170, 1e-12);
  EXPECT_DOUBLE_EQ(e->engagement_after, 510);
  EXPECT_NE(e->explanation_en.find("Effective"), std::string::npos) << e->explanation_en;
  EXPECT_NE(e->explanation_en.find("170 posts against 930.0 expected"), std::string::npos)
      << e->explanation_en;
  EXPECT_NE(e->explanation_zh.find("有效"), std::string::npos) << e->explanation_zh;
  EXPECT_NE(e->explanation_zh.find("回应后6小时：170条，按回应前趋势预计930.0条"),
            std::string::npos)
      << e->explanation_zh;
}

TEST(EffectivenessTest, CurveThatContinuesItsOwnRisingTrendIsNoEffect) {
  // After the response the event keeps climbing exactly as before: more posts than in the
  // window before (930 against 570), but no more than its own trend predicted.
  auto series = Series({10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,  //
                        130, 140, 150, 160, 170, 180},
                       0.2, 0.2);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->verdict, Verdict::kNoEffect);
  EXPECT_EQ(e->posts_after, 930);
  EXPECT_GT(*e->volume_ratio, 1.6) << "more than before, yet not a backfire: the trend rose";
  EXPECT_NEAR(*e->vs_expected, 1.0, 1e-9);
  EXPECT_NE(e->explanation_en.find("No effect"), std::string::npos) << e->explanation_en;
}

TEST(EffectivenessTest, SpikeWithMoreNegativePostsBackfired) {
  // Flat at 60 an hour (the trend expects 360), then a spike of 780 with negativity from 10%
  // to 40%.
  auto series = Series({60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,  //
                        60, 180, 240, 150, 90, 60},
                       0.1, 0.4);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->verdict, Verdict::kBackfired);
  EXPECT_EQ(VerdictName(e->verdict), "backfired");
  EXPECT_NEAR(e->expected_after, 360, 1e-9);
  EXPECT_EQ(e->posts_after, 780);
  EXPECT_NEAR(*e->negative_share_before, 0.1, 1e-12);
  EXPECT_NEAR(*e->negative_share_after, 0.4, 1e-12);
  EXPECT_NE(e->explanation_en.find("125%"), std::string::npos);
  EXPECT_NE(e->explanation_en.find("10 points"), std::string::npos);
  EXPECT_NE(e->explanation_zh.find("适得其反"), std::string::npos);
}

TEST(EffectivenessTest, NegativeShareRisingTenPointsBackfiresEvenWithoutMoreVolume) {
  auto series = Series({60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,  //
                        60, 60, 60, 60, 60, 60},
                       0.2, 0.3);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->verdict, Verdict::kBackfired);
  EXPECT_NE(e->explanation_en.find("negative share rose by 10 points"), std::string::npos)
      << e->explanation_en;
}

TEST(EffectivenessTest, FallingVolumeWithNegativityUpSixPointsIsNotEffective) {
  auto series = Series({100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 100,  //
                        50, 50, 50, 50, 50, 50},
                       0.20, 0.26);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->verdict, Verdict::kNoEffect);
  EXPECT_NE(e->explanation_en.find("more than 5 points"), std::string::npos);
}

TEST(EffectivenessTest, ADyingCurveIsNotCreditedToTheResponse) {
  // Falling 120 … 10 before: the trend reaches 0 at the response and is floored there, so a
  // silent after-window is what was expected anyway.
  auto series = Series({120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10,  //
                        0, 0, 0, 0, 0, 0},
                       0.2, 0.2);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_DOUBLE_EQ(e->expected_after, 0);
  EXPECT_EQ(e->verdict, Verdict::kNoEffect);
  EXPECT_FALSE(e->vs_expected.has_value());
  EXPECT_FALSE(e->negative_share_after.has_value());
}

TEST(EffectivenessTest, AfterWindowNotCompleteIsTooEarly) {
  auto series = Series({10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120,  //
                        60, 40, 30},
                       0.3, 0.2);
  auto e = JudgeEffect(series, kPublished, kPublished + hours(3));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->verdict, Verdict::kTooEarly);
  EXPECT_EQ(VerdictName(e->verdict), "too_early");
  EXPECT_EQ(e->posts_after, 130) << "the posts so far are still reported";
  EXPECT_NE(e->explanation_en.find("2026-06-01T10:00:00Z"), std::string::npos)
      << "names when the window ends: " << e->explanation_en;
}

TEST(EffectivenessTest, NoPostsBeforeTheResponseIsNoData) {
  auto empty = JudgeEffect({}, kPublished, kLater);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->verdict, Verdict::kNoData);
  EXPECT_EQ(VerdictName(empty->verdict), "no_data");
  // Posts only after the response (a proactive release): still no baseline to judge by.
  auto after_only =
      JudgeEffect(Series({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 30, 30}, 0, 0), kPublished, kLater);
  ASSERT_TRUE(after_only.ok());
  EXPECT_EQ(after_only->verdict, Verdict::kNoData);
  EXPECT_EQ(after_only->posts_after, 60);
  EXPECT_NE(after_only->explanation_zh.find("无数据"), std::string::npos);
}

TEST(EffectivenessTest, PostsOutsideTheWindowsAreIgnored) {
  auto series = Series({60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60, 60,  //
                        60, 60, 60, 60, 60, 60},
                       0.2, 0.2);
  SeriesPoint early{kPublished - hours(13), 10000, 0, 10000};
  SeriesPoint late{kPublished + hours(6), 10000, 0, 10000};
  series.push_back(early);
  series.push_back(late);
  auto e = JudgeEffect(series, kPublished, kLater);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->posts_before, 360);
  EXPECT_EQ(e->posts_after, 360);
  EXPECT_EQ(e->verdict, Verdict::kNoEffect);
}

TEST(EffectivenessTest, WindowMustBeWholeHours) {
  EffectOptions o;
  o.window = minutes(90);
  auto e = JudgeEffect({}, kPublished, kLater, o);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
  o.window = minutes(0);
  EXPECT_FALSE(JudgeEffect({}, kPublished, kLater, o).ok());
  o.window = hours(2);
  EXPECT_TRUE(JudgeEffect({}, kPublished, kLater, o).ok());
}

}  // namespace
}  // namespace yuqing::cases
