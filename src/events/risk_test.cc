#include "events/risk.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yuqing::events {
namespace {

constexpr int64_t kT0 = 1'767'225'600;
constexpr int64_t kMinute = 60;

EventPost Post(int i) {
  EventPost p;
  p.id = std::to_string(i);
  p.time_s = kT0 + i * kMinute;
  p.author.id = "u" + std::to_string(i);
  p.channel = model::Channel::kWeibo;
  p.regions = {"140406"};
  return p;
}

RiskAssessment Assess(const EventSummary& s, bool bursting = false) {
  return AssessRisk(s, ComputeHeat(s, s.last_s()), bursting);
}

const RiskReason* Find(const RiskAssessment& a, std::string_view factor) {
  for (const RiskReason& r : a.reasons) {
    if (r.factor == factor) return &r;
  }
  return nullptr;
}

TEST(RiskGradeTest, DeathsIncludingMissingFollowTheNationalThresholds) {
  struct Case {
    int64_t deaths;
    int64_t missing;
    RiskGrade want;
  };
  const Case cases[] = {
      {0, 0, RiskGrade::kGeneral},
      {2, 0, RiskGrade::kGeneral},
      {3, 0, RiskGrade::kLarger},
      {9, 0, RiskGrade::kLarger},
      {8, 2, RiskGrade::kMajor},
      {29, 0, RiskGrade::kMajor},
      {30, 0, RiskGrade::kParticularlySerious},
      {25, 7, RiskGrade::kParticularlySerious},
  };
  for (const Case& c : cases) {
    EventSummary s;
    EventPost p = Post(0);
    p.casualties.deaths = c.deaths;
    if (c.missing > 0) p.casualties.missing = c.missing;
    p.casualties.evidence = {"事故已造成" + std::to_string(c.deaths) + "人死亡"};
    s.Add(p);
    const RiskAssessment a = Assess(s);
    EXPECT_EQ(a.grade, c.want) << c.deaths << " dead, " << c.missing << " missing";
    if (c.want != RiskGrade::kGeneral) {
      const RiskReason* r = Find(a, "deaths");
      ASSERT_NE(r, nullptr);
      EXPECT_EQ(r->supports, c.want);
      EXPECT_NE(r->detail.find("人死亡"), std::string::npos) << r->detail;
    }
  }
}

TEST(RiskGradeTest, InjuriesAndLossesSupportTheirGrades) {
  EventSummary s;
  EventPost p = Post(0);
  p.casualties.injured = 56;
  p.casualties.loss_yuan = 2.3e7;
  p.casualties.evidence = {"56人受伤", "直接经济损失2300万元"};
  s.Add(p);
  const RiskAssessment a = Assess(s);
  EXPECT_EQ(a.grade, RiskGrade::kMajor);
  ASSERT_GE(a.reasons.size(), 2u);
  EXPECT_EQ(a.reasons[0].factor, "injured");  // most severe first
  EXPECT_EQ(a.reasons[1].factor, "loss");
  EXPECT_EQ(a.reasons[1].supports, RiskGrade::kLarger);
}

TEST(RiskGradeTest, KeyResponseKindInEnoughPostsSupportsLarger) {
  EventSummary s;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i < 3) p.kinds = {model::ResponseKind::kPolicyMisreading};
    s.Add(p);
  }
  const RiskAssessment a = Assess(s);
  EXPECT_EQ(a.grade, RiskGrade::kLarger);
  ASSERT_NE(Find(a, "kind:policy_misreading"), nullptr);

  EventSummary one;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i == 0) p.kinds = {model::ResponseKind::kPolicyMisreading};
    one.Add(p);
  }
  EXPECT_EQ(Assess(one).grade, RiskGrade::kGeneral);  // one post of ten is not the event
}

TEST(RiskGradeTest, HeatAndVelocitySupportGrades) {
  HeatComponents hot;
  hot.heat = 82;
  hot.posts_last_hour = 250;
  EventSummary s;
  s.Add(Post(0));
  const RiskAssessment a = AssessRisk(s, hot, false);
  EXPECT_EQ(a.grade, RiskGrade::kMajor);
  EXPECT_EQ(Find(a, "heat")->supports, RiskGrade::kMajor);
  EXPECT_EQ(Find(a, "velocity")->supports, RiskGrade::kLarger);
}

// An event about officials in a sensitive domain, negative, across provinces, picked up by
// media: every aggravating factor with real sentences behind the government mentions.
EventSummary Aggravated(int64_t deaths) {
  const char* texts[] = {
      "某县教育局局长被曝收受家长红包，县纪委已介入调查。",
      "网友称该局长还在学校食堂问题上包庇供应商，县政府至今没有回应。",
      "家长们在教育局门口聚集，要求公开调查结果。",
  };
  EventSummary s;
  for (int i = 0; i < 12; ++i) {
    EventPost p = Post(i);
    p.gov_mentions = FindGovernmentMentions(texts[i % 3]);
    p.sentiment = model::SentimentLabel::kNegative;
    p.domain = model::Domain::kEducation;
    if (i == 1) p.regions = {"110105"};
    if (i == 2) p.regions = {"440106"};
    if (i < 3) p.author.kind = model::AuthorKind::kMedia;
    if (i == 0) {
      p.casualties.deaths = deaths;
      p.casualties.evidence = {"食物中毒致" + std::to_string(deaths) + "名学生死亡"};
    }
    s.Add(p);
  }
  return s;
}

TEST(RiskGradeTest, AggravatingFactorsRaiseOneLevelWithTheirReasons) {
  const RiskAssessment a = Assess(Aggravated(0));
  EXPECT_EQ(a.base, RiskGrade::kGeneral);
  EXPECT_EQ(a.grade, RiskGrade::kLarger);
  EXPECT_TRUE(a.escalated);
  EXPECT_EQ(a.aggravators, 5u);
  for (const char* f : {"negative_share", "sensitive_domain", "gov_involved", "regional_spread",
                        "mainstream_media"}) {
    const RiskReason* r = Find(a, f);
    ASSERT_NE(r, nullptr) << f;
    EXPECT_TRUE(r->aggravating);
  }
  EXPECT_NE(Find(a, "gov_involved")->detail.find("局长"), std::string::npos);
  EXPECT_NE(Find(a, "gov_involved")->detail.find("纪委"), std::string::npos);
  EXPECT_EQ(Find(a, "rumour"), nullptr);
}

TEST(RiskGradeTest, EscalationAloneNeverReachesParticularlySerious) {
  EXPECT_EQ(Assess(Aggravated(5)).grade, RiskGrade::kMajor);  // III by deaths, +1
  const RiskAssessment a = Assess(Aggravated(12));            // II by deaths, capped
  EXPECT_EQ(a.grade, RiskGrade::kMajor);
  EXPECT_FALSE(a.escalated);
  EXPECT_EQ(Assess(Aggravated(31)).grade, RiskGrade::kParticularlySerious);
}

TEST(RiskGradeTest, RumourSignalsAndBurstsAreAggravating) {
  EventSummary s;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i < 4) p.rumour_score = 0.8;
    s.Add(p);
  }
  const RiskAssessment a = Assess(s, /*bursting=*/true);
  EXPECT_NE(Find(a, "rumour"), nullptr);
  EXPECT_NE(Find(a, "burst"), nullptr);
  EXPECT_EQ(a.aggravators, 2u);
  EXPECT_EQ(a.grade, RiskGrade::kGeneral);  // two are not enough to escalate
}

TEST(RiskGradeTest, ThresholdsAreConfiguration) {
  RiskOptions strict;
  strict.deaths = {10, 3, 1};
  EventSummary s;
  EventPost p = Post(0);
  p.casualties.deaths = 1;
  s.Add(p);
  EXPECT_EQ(AssessRisk(s, ComputeHeat(s, kT0), false, strict).grade, RiskGrade::kLarger);
  EXPECT_EQ(AssessRisk(s, ComputeHeat(s, kT0), false).grade, RiskGrade::kGeneral);
}

TEST(GradeTrackerTest, ReportsEachChangeOnce) {
  GradeTracker g;
  RiskAssessment a;
  EXPECT_FALSE(g.Update(a, kT0).has_value());  // IV at first: nothing to report
  a.grade = RiskGrade::kLarger;
  auto up = g.Update(a, kT0 + 1);
  ASSERT_TRUE(up.has_value());
  EXPECT_EQ(up->from, RiskGrade::kGeneral);
  EXPECT_EQ(up->to, RiskGrade::kLarger);
  EXPECT_TRUE(up->escalation);
  EXPECT_FALSE(g.Update(a, kT0 + 2).has_value());
  EXPECT_FALSE(g.Update(a, kT0 + 3).has_value());
  a.grade = RiskGrade::kGeneral;
  auto down = g.Update(a, kT0 + 4);
  ASSERT_TRUE(down.has_value());
  EXPECT_FALSE(down->escalation);
  EXPECT_EQ(RiskGradeName(up->to), "III");
  EXPECT_EQ(RiskGradeNameZh(RiskGrade::kParticularlySerious), "特别重大");
}

}  // namespace
}  // namespace yuqing::events
