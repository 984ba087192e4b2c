#include "alerts/decider.h"

#include <gtest/gtest.h>

namespace yuqing::alerts {
namespace {

model::AlertPolicy Policy(int64_t id) {
  model::AlertPolicy p;
  p.id = id;
  p.name = "p" + std::to_string(id);
  return p;
}

EventFacts Facts(int64_t event, int grade, double heat = 10) {
  EventFacts f;
  f.event_id = event;
  f.grade = grade;
  f.heat = heat;
  f.domain = model::Domain::kEmergency;
  f.regions = {"140404"};
  f.rule_ids = {3, 9};
  return f;
}

TEST(AlertDeciderTest, EachConditionMustHold) {
  model::AlertPolicy p = Policy(1);
  EXPECT_TRUE(Matches(p, Facts(1, 4)));
  p.min_grade = 3;
  EXPECT_FALSE(Matches(p, Facts(1, 4)));
  EXPECT_TRUE(Matches(p, Facts(1, 2)));
  p.min_heat = 50;
  EXPECT_FALSE(Matches(p, Facts(1, 2, 49.9)));
  EXPECT_TRUE(Matches(p, Facts(1, 2, 50)));
  p.regions = {"1404"};
  EXPECT_TRUE(Matches(p, Facts(1, 2, 50)));
  p.regions = {"1405", "37"};
  EXPECT_FALSE(Matches(p, Facts(1, 2, 50)));
  p.regions = {"14"};
  p.domains = {model::Domain::kHealth};
  EXPECT_FALSE(Matches(p, Facts(1, 2, 50)));
  p.domains = {model::Domain::kHealth, model::Domain::kEmergency};
  EXPECT_TRUE(Matches(p, Facts(1, 2, 50)));
  p.rule_ids = {4, 5};
  EXPECT_FALSE(Matches(p, Facts(1, 2, 50)));
  p.rule_ids = {5, 9};
  EXPECT_TRUE(Matches(p, Facts(1, 2, 50)));
}

TEST(AlertDeciderTest, OneAlertPerLevelAndEscalationOnAMoreSevereGrade) {
  AlertDecider d;
  model::AlertPolicy p = Policy(1);
  p.min_grade = 3;
  d.SetPolicies({p});
  EXPECT_TRUE(d.Decide(Facts(7, 4)).empty());  // IV does not reach the policy's III
  auto first = d.Decide(Facts(7, 3));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].level, 3);
  EXPECT_EQ(first[0].previous_level, 0);
  EXPECT_TRUE(d.Decide(Facts(7, 3)).empty());  // repeated match: nothing
  EXPECT_TRUE(d.Decide(Facts(7, 3, 90)).empty());
  auto up = d.Decide(Facts(7, 2));
  ASSERT_EQ(up.size(), 1u);
  EXPECT_EQ(up[0].level, 2);
  EXPECT_EQ(up[0].previous_level, 3);
  EXPECT_TRUE(d.Decide(Facts(7, 3)).empty());  // back down: no new alert
  EXPECT_TRUE(d.Decide(Facts(7, 2)).empty());  // and up again to a level already alerted
  EXPECT_EQ(d.Level(7, 1), 2);
  EXPECT_EQ(d.Decide(Facts(8, 3)).size(), 1u);  // another event is alerted on its own
}

TEST(AlertDeciderTest, RestoredLevelsAreNotAlertedAgainAndMergesKeepTheMostSevere) {
  AlertDecider d;
  d.SetPolicies({Policy(1), Policy(2)});
  d.Restore(5, 1, 3);
  auto out = d.Decide(Facts(5, 3));
  ASSERT_EQ(out.size(), 1u);  // only policy 2, which never alerted on event 5
  EXPECT_EQ(out[0].policy_id, 2);
  d.Restore(6, 1, 2);
  d.Merge(6, 5);
  EXPECT_EQ(d.Level(5, 1), 2);
  EXPECT_EQ(d.Level(6, 1), 0);
  EXPECT_TRUE(d.Decide(Facts(5, 2)).empty() == false);  // policy 2 escalates 3 → 2
  EXPECT_TRUE(d.Decide(Facts(5, 2)).empty());
}

TEST(AlertDeciderTest, AForgottenEventLosesItsLevelsAndOthersKeepTheirs) {
  AlertDecider d;
  d.SetPolicies({Policy(1), Policy(2)});
  d.Restore(5, 1, 3);
  d.Restore(5, 2, 2);
  d.Restore(6, 1, 2);
  d.Restore(4, 2, 1);
  d.Forget(5);
  EXPECT_EQ(d.Level(5, 1), 0);
  EXPECT_EQ(d.Level(5, 2), 0);
  EXPECT_EQ(d.Level(6, 1), 2);
  EXPECT_EQ(d.Level(4, 2), 1);
}

TEST(AlertDeciderTest, DisabledPoliciesNeverMatch) {
  AlertDecider d;
  model::AlertPolicy p = Policy(1);
  p.enabled = false;
  d.SetPolicies({p});
  EXPECT_TRUE(d.Decide(Facts(1, 1)).empty());
}

}  // namespace
}  // namespace yuqing::alerts
