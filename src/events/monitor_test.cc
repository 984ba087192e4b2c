#include "events/monitor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yuqing::events {
namespace {

constexpr int64_t kT0 = 1'767'225'600;
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

EventPost Report(int i, int64_t t, std::optional<int64_t> deaths = std::nullopt) {
  EventPost p;
  p.id = std::to_string(i);
  p.time_s = t;
  p.author.id = "u" + std::to_string(i);
  p.channel = model::Channel::kWeibo;
  p.domain = model::Domain::kEmergency;
  p.regions = {"320115"};
  p.casualties.deaths = deaths;
  if (deaths) p.casualties.evidence = {"爆炸已造成" + std::to_string(*deaths) + "人死亡"};
  return p;
}

TEST(EventMonitorTest, AGradeChangeIsReportedOnceWhilePostsKeepComing) {
  EventMonitor m;
  std::vector<GradeChange> changes;
  int i = 0;
  auto add = [&](int64_t t, std::optional<int64_t> deaths) {
    EventSignals s = m.Observe(1, Report(i++, t, deaths));
    if (s.grade_change) changes.push_back(*s.grade_change);
    return s;
  };
  add(kT0, std::nullopt);
  add(kT0 + kMinute, 4);  // 江宁化工厂爆炸已造成4人死亡
  for (int k = 0; k < 20; ++k)
    add(kT0 + (2 + k) * kMinute, k % 2 == 0 ? std::optional<int64_t>(4) : std::nullopt);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].to, RiskGrade::kLarger);
  EXPECT_EQ(changes[0].at_s, kT0 + kMinute);
  add(kT0 + 30 * kMinute, 11);  // the toll rises past ten
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].from, RiskGrade::kLarger);
  EXPECT_EQ(changes[1].to, RiskGrade::kMajor);
  EXPECT_TRUE(changes[1].escalation);
  EXPECT_EQ(changes[1].reasons[0].factor, "deaths");
}

TEST(EventMonitorTest, ABurstIsSignalledAndTheTrendDecaysToDormantOnAdvance) {
  EventMonitor m;
  int i = 0;
  std::vector<Burst> bursts;
  for (int64_t t = kT0; t < kT0 + 3 * kHour; t += 5 * kMinute) {
    if (auto b = m.Observe(7, Report(i++, t)).burst) bursts.push_back(*b);
  }
  EXPECT_TRUE(bursts.empty());
  const int64_t start = kT0 + 3 * kHour;
  for (int64_t t = start; t < start + 20 * kMinute; t += 20) {
    if (auto b = m.Observe(7, Report(i++, t)).burst) bursts.push_back(*b);
  }
  ASSERT_EQ(bursts.size(), 1u);
  EXPECT_LE(bursts[0].at_s - start, 10 * kMinute);

  std::vector<TrendState> moves;
  for (int64_t t = start + 30 * kMinute; t < start + 12 * kHour; t += 10 * kMinute) {
    for (const EventSignals& s : m.Advance(t)) {
      if (s.trend_change) moves.push_back(s.trend_change->to);
    }
  }
  ASSERT_FALSE(moves.empty());
  EXPECT_EQ(moves.back(), TrendState::kDormant);
  EXPECT_TRUE(m.Advance(start + 13 * kHour).empty());  // dormant events are skipped
}

TEST(EventMonitorTest, MergeCombinesSummariesAndKeepsTheReportedGrade) {
  EventMonitor m;
  auto a = m.Observe(1, Report(1, kT0, 12));
  ASSERT_TRUE(a.grade_change.has_value());
  EXPECT_EQ(a.grade_change->to, RiskGrade::kMajor);
  m.Observe(2, Report(2, kT0 + kMinute));
  m.Observe(2, Report(3, kT0 + 2 * kMinute));
  EventSignals merged = m.Merge(1, 2);
  EXPECT_EQ(merged.event, 2u);
  EXPECT_EQ(merged.risk.grade, RiskGrade::kMajor);
  EXPECT_FALSE(merged.grade_change.has_value());  // II was already reported for event 1
  ASSERT_NE(m.summary(2), nullptr);
  EXPECT_EQ(m.summary(2)->posts(), 3u);
  EXPECT_EQ(m.summary(1), nullptr);
  EXPECT_EQ(m.size(), 1u);
}

TEST(EventMonitorTest, AForgottenEventIsNoLongerTrackedOrAdvanced) {
  EventMonitor m;
  m.Observe(1, Report(1, kT0));
  m.Observe(2, Report(2, kT0 + kMinute));
  m.Forget(1);
  m.Forget(7);  // unknown: nothing happens
  EXPECT_EQ(m.summary(1), nullptr);
  ASSERT_NE(m.summary(2), nullptr);
  EXPECT_EQ(m.size(), 1u);
  for (const EventSignals& s : m.Advance(kT0 + 2 * 3600)) EXPECT_NE(s.event, 1u);
}

}  // namespace
}  // namespace yuqing::events
