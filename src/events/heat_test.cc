#include "events/heat.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <string>

namespace yuqing::events {
namespace {

constexpr int64_t kT0 = 1'767'225'600;
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

EventPost Post(int i, int64_t t) {
  EventPost p;
  p.id = std::to_string(i);
  p.time_s = t;
  p.source = "weibo";
  p.channel = model::Channel::kWeibo;
  p.author.id = "u" + std::to_string(i);
  p.regions = {"320115"};
  return p;
}

// n posts spread evenly over `span` seconds ending at kT0 + span, each changed by `edit`.
EventSummary Make(int n, int64_t span, const std::function<void(int, EventPost&)>& edit = {}) {
  EventSummary s;
  for (int i = 0; i < n; ++i) {
    EventPost p = Post(i, kT0 + (n > 1 ? span * i / (n - 1) : 0));
    if (edit) edit(i, p);
    s.Add(p);
  }
  return s;
}

// L(x, 10 000) of docs/events.md.
double LogScaleForTest(double x) { return std::log10(1 + x) / std::log10(1 + 10000.0); }

double PointsSum(const HeatComponents& c) {
  return c.points.volume + c.points.velocity + c.points.engagement + c.points.authority +
         c.points.breadth + c.points.negative;
}

TEST(HeatTest, EmptyEventHasNoHeat) { EXPECT_EQ(ComputeHeat(EventSummary{}, kT0).heat, 0); }

TEST(HeatTest, MorePostsRaiseVolume) {
  auto few = ComputeHeat(Make(10, kHour), kT0 + kHour);
  auto many = ComputeHeat(Make(200, kHour), kT0 + kHour);
  EXPECT_GT(many.volume, few.volume);
  EXPECT_GT(many.heat, few.heat);
}

TEST(HeatTest, TheSamePostsInOneHourAreFasterThanOverADay) {
  auto fast = ComputeHeat(Make(100, kHour - kMinute), kT0 + kHour - kMinute);
  auto slow = ComputeHeat(Make(100, 24 * kHour), kT0 + 24 * kHour);
  EXPECT_DOUBLE_EQ(fast.volume, slow.volume);
  EXPECT_EQ(fast.posts_last_hour, 100);
  EXPECT_LT(slow.posts_last_hour, 10);
  EXPECT_GT(fast.velocity, slow.velocity);
  EXPECT_GT(fast.heat, slow.heat);
}

// Heat is how much is said now: the same 300 posts said over five days weigh as the last day's
// share of them, and posts older than a day stop counting towards volume.
TEST(HeatTest, VolumeCountsTheLastDay) {
  auto day = ComputeHeat(Make(300, 24 * kHour), kT0 + 24 * kHour);
  auto week = ComputeHeat(Make(300, 5 * 24 * kHour), kT0 + 5 * 24 * kHour);
  EXPECT_LT(week.volume, day.volume);
  EXPECT_NEAR(week.volume, LogScaleForTest(60), 0.02);  // about a fifth in the last day
  EXPECT_LT(week.heat, day.heat);
  HeatOptions whole;
  whole.volume_window_s = 0;
  EXPECT_DOUBLE_EQ(ComputeHeat(Make(300, 5 * 24 * kHour), kT0 + 5 * 24 * kHour, whole).volume,
                   day.volume);
}

TEST(HeatTest, EngagementIsLogScaled) {
  auto with = [](int64_t reposts) {
    return ComputeHeat(Make(10, kHour, [&](int, EventPost& p) { p.metrics.reposts = reposts; }),
                       kT0 + kHour);
  };
  const double e10 = with(10).engagement, e100 = with(100).engagement,
               e1000 = with(1000).engagement;
  EXPECT_GT(e100, e10);
  EXPECT_GT(e1000, e100);
  // Each tenfold step adds about the same amount (log scale), not ten times as much.
  EXPECT_NEAR(e1000 - e100, e100 - e10, 0.01);
  EXPECT_LE(with(1'000'000'000).engagement, 1.0);
}

TEST(HeatTest, MediaAndGovernmentPostsRaiseAuthority) {
  auto plain = ComputeHeat(Make(10, kHour), kT0 + kHour);
  auto media = ComputeHeat(Make(10, kHour,
                                [](int i, EventPost& p) {
                                  if (i < 2) p.author.kind = model::AuthorKind::kMedia;
                                  if (i == 2) p.channel = model::Channel::kGovPlatform;
                                }),
                           kT0 + kHour);
  EXPECT_EQ(plain.authority, 0);
  EXPECT_NEAR(media.authority, 1 - std::exp(-1.0), 1e-9);  // 3 points / scale 3
  EXPECT_GT(media.heat, plain.heat);
}

TEST(HeatTest, MoreChannelsAndRegionsRaiseBreadth) {
  auto narrow = ComputeHeat(Make(10, kHour), kT0 + kHour);
  auto wide = ComputeHeat(Make(10, kHour,
                               [](int i, EventPost& p) {
                                 const model::Channel ch[] = {model::Channel::kNews,
                                                              model::Channel::kHotline,
                                                              model::Channel::kForum};
                                 if (i < 3) p.channel = ch[i];
                                 if (i == 4) p.regions = {"110105"};
                                 if (i == 5) p.regions = {"440106"};
                               }),
                          kT0 + kHour);
  EXPECT_EQ(narrow.breadth, 0);
  EXPECT_GT(wide.breadth, 0.5);
  EXPECT_GT(wide.heat, narrow.heat);
}

TEST(HeatTest, NegativeShareAddsHeat) {
  auto calm = ComputeHeat(Make(10, kHour), kT0 + kHour);
  auto angry = ComputeHeat(Make(10, kHour,
                                [](int i, EventPost& p) {
                                  if (i < 8) p.sentiment = model::SentimentLabel::kNegative;
                                }),
                           kT0 + kHour);
  EXPECT_DOUBLE_EQ(angry.negative, 0.8);
  EXPECT_NEAR(angry.heat - calm.heat, 100 * 0.10 * 0.8, 1e-9);
}

TEST(HeatTest, PointsAddUpToHeatAndHeatHalvesPerIdleDay) {
  auto s = Make(300, kHour, [](int i, EventPost& p) {
    p.metrics.reposts = i;
    if (i % 3 == 0) p.sentiment = model::SentimentLabel::kNegative;
  });
  auto now = ComputeHeat(s, kT0 + kHour);
  EXPECT_NEAR(PointsSum(now), now.heat, 1e-9);
  EXPECT_GT(now.heat, 0);
  EXPECT_LE(now.heat, 100);
  auto later = ComputeHeat(s, kT0 + kHour + 24 * kHour);
  EXPECT_NEAR(later.recency, 0.5, 1e-9);
  EXPECT_EQ(later.velocity, 0);  // nothing in the last hour any more
  EXPECT_LT(later.heat, now.heat / 2);
}

}  // namespace
}  // namespace yuqing::events
