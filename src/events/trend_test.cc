#include "events/trend.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "events/synthetic.h"

namespace yuqing::events {
namespace {

constexpr int64_t kT0 = 1'767'225'600;
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

TEST(BaselineTest, ConstantCountsGiveThatMeanAndNoVariance) {
  Baseline b;
  for (int i = 0; i < 300; ++i) b.Update(7, 0.1);
  EXPECT_NEAR(b.mean, 7, 1e-9);
  EXPECT_NEAR(b.variance, 0, 1e-9);
  b.UpdateZeros(1000, 0.1);
  EXPECT_NEAR(b.mean, 0, 1e-6);
  EXPECT_EQ(b.buckets, 1300u);
}

TEST(BaselineTest, AlternatingCountsGiveTheirVariance) {
  Baseline b;
  for (int i = 0; i < 2000; ++i) b.Update(i % 2 == 0 ? 2 : 6, 0.01);
  EXPECT_NEAR(b.mean, 4, 0.1);
  EXPECT_NEAR(b.variance, 4, 0.2);  // the population variance of {2, 6}
}

// Feeds `per_10min` evenly spaced posts per 10 minutes over [from, to) and returns the bursts.
std::vector<Burst> Feed(BurstDetector& d, int64_t from, int64_t to, int per_10min,
                        const Baseline* topic = nullptr) {
  std::vector<Burst> out;
  const int64_t gap = 600 / per_10min;
  for (int64_t t = from; t < to; t += gap) {
    if (auto b = d.Add(t, 1, topic)) out.push_back(*b);
  }
  return out;
}

TEST(BurstDetectorTest, SteadyStreamNeverBursts) {
  BurstDetector d;
  EXPECT_TRUE(Feed(d, kT0, kT0 + 24 * kHour, 5).empty());
  EXPECT_NEAR(d.baseline().mean, 5, 0.5);
}

TEST(BurstDetectorTest, FiresWithinMinutesOfAStepAndOncePerEpisode) {
  BurstDetector d;
  ASSERT_TRUE(Feed(d, kT0, kT0 + 6 * kHour, 3).empty());
  const int64_t start = kT0 + 6 * kHour + 4 * kMinute;  // mid-bucket
  auto bursts = Feed(d, start, start + kHour, 30);
  ASSERT_EQ(bursts.size(), 1u);  // one signal for the whole hour of bursting
  EXPECT_LE(bursts[0].at_s - start, 10 * kMinute);
  EXPECT_LE(bursts[0].at_s - start, 3 * kMinute);  // 30/10 min against a baseline of 3
  EXPECT_GE(bursts[0].z, 4);
  // The burst drains; a second one after the episode ended is a new signal.
  EXPECT_TRUE(Feed(d, start + kHour, start + 9 * kHour, 3).empty());
  EXPECT_FALSE(d.in_burst());
  EXPECT_EQ(Feed(d, start + 9 * kHour, start + 10 * kHour, 60).size(), 1u);
}

TEST(BurstDetectorTest, NewEventIsComparedWithItsTopicBaseline) {
  Baseline busy_topic;
  for (int i = 0; i < 100; ++i) busy_topic.Update(i % 2 == 0 ? 20 : 40, 0.05);
  Baseline quiet_topic;
  for (int i = 0; i < 100; ++i) quiet_topic.Update(i % 2 == 0 ? 0 : 2, 0.05);

  // Twelve posts in the first ten minutes: a burst for a topic whose events get one post per
  // ten minutes, business as usual where events typically get thirty.
  BurstDetector in_quiet(BurstOptions{}, quiet_topic);
  BurstDetector in_busy(BurstOptions{}, busy_topic);
  EXPECT_EQ(Feed(in_quiet, kT0, kT0 + 10 * kMinute, 12, &quiet_topic).size(), 1u);
  EXPECT_TRUE(Feed(in_busy, kT0, kT0 + 10 * kMinute, 12, &busy_topic).empty());
}

SyntheticOptions Synthetic(double base, double mult) {
  SyntheticOptions o;
  o.seed = 7;
  o.base_per_10min = base;
  o.burst_multiplier = mult;
  return o;
}

BurstScore Detect(const SyntheticOptions& o) {
  const SyntheticStream s = GenerateStream(o);
  BurstDetector d;
  std::vector<int64_t> signals;
  for (int64_t t : s.times) {
    if (auto b = d.Add(t)) signals.push_back(b->at_s);
  }
  return ScoreBursts(s, signals, o);
}

TEST(SyntheticStreamTest, SameSeedSameStreamAndTheRateIsRight) {
  const SyntheticOptions o = Synthetic(5, 5);
  const SyntheticStream a = GenerateStream(o), b = GenerateStream(o);
  EXPECT_EQ(a.times, b.times);
  ASSERT_EQ(a.bursts.size(), 20u);
  // 14 days · 144 buckets · 5 posts + 20 bursts · 6 buckets · 25 posts ≈ 13,080.
  EXPECT_NEAR(static_cast<double>(a.times.size()), 13080, 400);
}

TEST(BurstDetectorTest, InjectedBurstsAreFoundWithinTenMinutesOfEventTime) {
  const BurstScore s = Detect(Synthetic(5, 5));
  EXPECT_EQ(s.detected, s.bursts);
  EXPECT_GE(s.within_10min, s.bursts * 9 / 10);
  for (int64_t d : s.delays_s) EXPECT_LE(d, 30 * kMinute);
}

TEST(BurstDetectorTest, QuietStretchesRaiseFewFalseAlarms) {
  SyntheticOptions o = Synthetic(5, 5);
  o.bursts = 0;
  const BurstScore s = Detect(o);
  EXPECT_GT(s.quiet_hours, 300);
  // At most one false alarm per quiet day (0.1 % of the 144 ten-minute buckets a day).
  EXPECT_LE(s.false_alarms, s.quiet_hours / 24);
}

EventPost At(int64_t t) {
  EventPost p;
  p.id = std::to_string(t);
  p.time_s = t;
  return p;
}

TEST(TrendTrackerTest, GoesRisingPeakingDecliningDormantReportingEachMoveOnce) {
  EventSummary s;
  TrendTracker tr;
  std::vector<TrendChange> changes;
  int64_t t = kT0;
  auto post = [&](int per_10min, int64_t hours) {
    const int64_t end = t + hours * kHour;
    for (; t < end; t += 600 / per_10min) {
      s.Add(At(t));
      if (auto c = tr.Update(s, t)) changes.push_back(*c);
    }
  };
  post(1, 1);  // born: rising
  post(4, 1);  // 4× the hour before: still rising
  post(4, 2);  // flat at the top: peaking
  post(1, 1);  // a quarter: declining
  for (int64_t idle = t; idle <= t + 8 * kHour; idle += 10 * kMinute) {
    if (auto c = tr.Update(s, idle)) changes.push_back(*c);
  }
  ASSERT_EQ(changes.size(), 3u);
  EXPECT_EQ(changes[0].from, TrendState::kRising);
  EXPECT_EQ(changes[0].to, TrendState::kPeaking);
  EXPECT_EQ(changes[1].to, TrendState::kDeclining);
  EXPECT_EQ(changes[2].to, TrendState::kDormant);
  EXPECT_EQ(changes[2].at_s - s.last_s(), 6 * kHour);
  EXPECT_EQ(tr.peak(), 24);
  // A new post wakes it: rising again, reported once.
  s.Add(At(t + 9 * kHour));
  auto woke = tr.Update(s, t + 9 * kHour);
  ASSERT_TRUE(woke.has_value());
  EXPECT_EQ(woke->to, TrendState::kRising);
  EXPECT_FALSE(tr.Update(s, t + 9 * kHour + 1).has_value());
}

TEST(TrendTrackerTest, ATrickleIsDecliningAndDoesNotFlap) {
  EventSummary s;
  TrendTracker tr;
  int moves = 0;
  for (int64_t t = kT0; t < kT0 + 10 * kHour; t += 50 * kMinute) {
    s.Add(At(t));
    for (int64_t u = t; u < t + 50 * kMinute; u += 10 * kMinute) moves += tr.Update(s, u) ? 1 : 0;
  }
  EXPECT_EQ(tr.state(), TrendState::kDeclining);
  EXPECT_EQ(moves, 1);  // rising while young, then declining for good
}

}  // namespace
}  // namespace yuqing::events
