// Source health with an injected time: volume accounting, the hour-of-day baseline, and the
// decisions failing / silent / ok with the alerts they raise once per episode.
#include "collect/health.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace yuqing::collect {
namespace {

using std::chrono::hours;

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

// A portal that publishes 3 posts an hour from 08:00 to 18:00 Beijing time, and nothing at
// night, collected hourly for `days` days up to `end`.
model::Source Portal(core::TimePoint end, int days) {
  model::Source s;
  s.name = "市政府网站";
  s.region = "140400";
  s.tz_offset_minutes = 480;
  core::TimePoint t = end - hours(24 * days);
  for (; t < end; t += hours(1)) {
    int local =
        static_cast<int>((std::chrono::floor<hours>(t).time_since_epoch().count() + 8) % 24);
    int64_t n = local >= 8 && local < 18 ? 3 : 0;
    AddVolume(s.state.volume, t, n);
    if (n > 0) s.state.last_post_at = t;
    s.state.runs++;
    s.state.last_success_at = t;
  }
  s.state.health = model::SourceHealth::kOk;
  return s;
}

std::vector<model::AlertPolicy> Policies() {
  model::AlertPolicy duty;
  duty.id = 1;
  duty.name = "值班";
  duty.targets.push_back({model::TargetKind::kEmail, "duty@example.org", ""});
  model::AlertPolicy other_region = duty;
  other_region.id = 2;
  other_region.regions = {"32"};
  model::AlertPolicy rules = duty;
  rules.id = 3;
  rules.rule_ids = {7};
  return {duty, other_region, rules};
}

TEST(HealthTest, BaselineIsTheMeanPerHourOfDay) {
  model::Source s = Portal(T("2026-11-16T00:00:00+08:00"), 3);
  std::vector<double> base =
      HourlyBaseline(s.state.volume, s.state.volume.newest_hour + 1, s.tz_offset_minutes);
  EXPECT_DOUBLE_EQ(base[9], 3);
  EXPECT_DOUBLE_EQ(base[2], 0);
  EXPECT_DOUBLE_EQ(base[17], 3);
  EXPECT_DOUBLE_EQ(base[18], 0);
}

TEST(HealthTest, QuietNightsAreNotSilenceButAQuietWorkingMorningIs) {
  HealthPolicy policy;
  // Night: the last post came at 17:00; at 03:00 nothing was expected since.
  model::Source night = Portal(T("2026-11-16T03:00:00+08:00"), 4);
  EXPECT_EQ(JudgeHealth(night, T("2026-11-16T03:00:00+08:00"), policy).health,
            model::SourceHealth::kOk);
  // Working morning: runs go on at 08:00-11:00 but bring nothing.
  model::Source morning = Portal(T("2026-11-16T08:00:00+08:00"), 4);
  for (auto t = T("2026-11-16T08:00:00+08:00"); t < T("2026-11-16T11:30:00+08:00"); t += hours(1)) {
    AddVolume(morning.state.volume, t, 0);
  }
  HealthDecision d = JudgeHealth(morning, T("2026-11-16T11:30:00+08:00"), policy);
  EXPECT_EQ(d.health, model::SourceHealth::kSilent);
  EXPECT_TRUE(d.changed);
  EXPECT_NE(d.reason.find("小时没有新条目"), std::string::npos) << d.reason;
  EXPECT_NE(d.reason.find("约 9 条"), std::string::npos) << d.reason;
}

TEST(HealthTest, AVolumeCollapseIsJudgedSilentThoughPostsStillArrive) {
  HealthPolicy policy;
  // Five ordinary days, then a day with a post at 09:00 and one at 16:00 only.
  model::Source s = Portal(T("2026-11-15T00:00:00+08:00"), 5);
  for (auto t = T("2026-11-15T00:00:00+08:00"); t < T("2026-11-15T18:00:00+08:00"); t += hours(1)) {
    bool post = t == T("2026-11-15T09:00:00+08:00") || t == T("2026-11-15T16:00:00+08:00");
    AddVolume(s.state.volume, t, post ? 1 : 0);
    if (post) s.state.last_post_at = t;
  }
  HealthDecision d = JudgeHealth(s, T("2026-11-15T18:30:00+08:00"), policy);
  EXPECT_EQ(d.health, model::SourceHealth::kSilent);
  EXPECT_NE(d.reason.find("近 24 小时只有 2 条新条目（往日同时段约 30 条）"), std::string::npos)
      << d.reason;
  // An ordinary day is not a collapse.
  model::Source ordinary = Portal(T("2026-11-15T18:00:00+08:00"), 6);
  EXPECT_EQ(JudgeHealth(ordinary, T("2026-11-15T18:30:00+08:00"), policy).health,
            model::SourceHealth::kOk);
}

TEST(HealthTest, TooLittleHistoryIsNotJudgedSilent) {
  model::Source young = Portal(T("2026-11-16T08:00:00+08:00"), 1);
  EXPECT_EQ(JudgeHealth(young, T("2026-11-16T12:30:00+08:00"), HealthPolicy{}).health,
            model::SourceHealth::kOk);
}

TEST(HealthTest, FailingAlertsOncePerEpisodeToSourcePoliciesAndRecovers) {
  model::Source s = Portal(T("2026-11-16T08:00:00+08:00"), 3);
  s.state.consecutive_failures = 3;
  s.state.last_error = "unavailable: HTTP 500";
  s.state.last_error_url = "http://gov.example/rss.xml";
  auto now = T("2026-11-16T08:10:00+08:00");
  HealthDecision d = JudgeHealth(s, now, HealthPolicy{});
  ASSERT_EQ(d.health, model::SourceHealth::kFailing);
  EXPECT_EQ(d.reason, "连续 3 次采集失败：unavailable: HTTP 500（http://gov.example/rss.xml）");
  auto alerts = ApplyHealth(s, s.state, d, now, Policies());
  // Only the policy without rule conditions and with a matching region is told.
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].policy_id, 1);
  EXPECT_EQ(alerts[0].event_id, 0);
  EXPECT_EQ(alerts[0].dedup_key,
            "source:市政府网站:failing:" + std::to_string(now.time_since_epoch().count()));
  EXPECT_EQ(s.state.health, model::SourceHealth::kFailing);
  EXPECT_EQ(s.state.health_since, now);
  // Judged again a minute later: same episode, nothing new.
  d = JudgeHealth(s, now + std::chrono::minutes(1), HealthPolicy{});
  EXPECT_FALSE(d.changed);
  EXPECT_TRUE(ApplyHealth(s, s.state, d, now + std::chrono::minutes(1), Policies()).empty());
  // A successful run: recovered, one notice.
  s.state.consecutive_failures = 0;
  s.state.last_post_at = now + std::chrono::minutes(20);
  d = JudgeHealth(s, now + std::chrono::minutes(20), HealthPolicy{});
  EXPECT_EQ(d.health, model::SourceHealth::kOk);
  alerts = ApplyHealth(s, s.state, d, now + std::chrono::minutes(20), Policies());
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].title, "采集源“市政府网站”已恢复");
}

}  // namespace
}  // namespace yuqing::collect
