#include "events/risk.h"

#include <gtest/gtest.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "events/event_json.h"

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

// A figure grades the event it is about: one report among everyday talk clustered together
// (an old disaster's toll quoted in one post of forty) does not.
TEST(RiskGradeTest, FiguresGradeOnlyWhenTheEventIsAboutThem) {
  auto event = [](int figure_posts, int posts) {
    EventSummary s;
    for (int i = 0; i < posts; ++i) {
      EventPost p = Post(i);
      if (i < figure_posts) {
        p.casualties.deaths = 133;
        p.casualties.evidence = {"133死"};
      }
      s.Add(p);
    }
    return s;
  };
  const RiskAssessment quoted = Assess(event(1, 40));
  EXPECT_EQ(quoted.grade, RiskGrade::kGeneral);
  EXPECT_EQ(Find(quoted, "deaths"), nullptr);
  ASSERT_FALSE(quoted.reasons.empty());
  EXPECT_NE(quoted.reasons[0].detail.find("1 of 40 posts"), std::string::npos)
      << quoted.reasons[0].detail;
  EXPECT_EQ(Assess(event(2, 40)).grade, RiskGrade::kParticularlySerious);  // 5 %
  EXPECT_EQ(Assess(event(1, 1)).grade, RiskGrade::kParticularlySerious);   // a single report
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

void SetKind(EventPost& p, model::ResponseKind k, std::vector<std::string> cues) {
  p.kinds = {k};
  for (std::string& c : cues) p.kind_cues.emplace_back(k, std::move(c));
}

TEST(RiskGradeTest, KeyResponseKindInEnoughPostsSupportsLarger) {
  EventSummary s;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i < 3) SetKind(p, model::ResponseKind::kPolicyMisreading, {"延迟退休", "误读"});
    s.Add(p);
  }
  const RiskAssessment a = Assess(s);
  EXPECT_EQ(a.grade, RiskGrade::kLarger);
  const RiskReason* r = Find(a, "kind:policy_misreading");
  ASSERT_NE(r, nullptr);
  EXPECT_NE(r->detail.find("延迟退休"), std::string::npos) << r->detail;  // the recurring cue

  EventSummary one;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i == 0) SetKind(p, model::ResponseKind::kPolicyMisreading, {"延迟退休", "误读"});
    one.Add(p);
  }
  EXPECT_EQ(Assess(one).grade, RiskGrade::kGeneral);  // one post of ten is not the event
}

// Unrelated posts thrown into one event set a kind each by a different cue: no cue recurs, so
// the kind is not corroborated and supports nothing; two posts that say the same thing do.
TEST(RiskGradeTest, KeyResponseKindNeedsACueTwoPostsShare) {
  EventSummary mixed;
  const char* cues[] = {"地震", "坍塌", "爆炸", "泄漏"};
  for (int i = 0; i < 8; ++i) {
    EventPost p = Post(i);
    if (i < 4) SetKind(p, model::ResponseKind::kEmergency, {cues[i]});
    mixed.Add(p);
  }
  const RiskAssessment a = Assess(mixed);
  EXPECT_EQ(a.grade, RiskGrade::kGeneral);
  EXPECT_EQ(Find(a, "kind:emergency"), nullptr);
  EXPECT_EQ(mixed.kinds()[static_cast<int>(model::ResponseKind::kEmergency)], 4u);
  EXPECT_EQ(mixed.kind_cue(static_cast<int>(model::ResponseKind::kEmergency)).posts, 1u);

  EventSummary same;
  for (int i = 0; i < 8; ++i) {
    EventPost p = Post(i);
    if (i < 3) SetKind(p, model::ResponseKind::kEmergency, {"泄漏"});
    if (i == 3) SetKind(p, model::ResponseKind::kEmergency, {"地震"});
    same.Add(p);
  }
  EXPECT_EQ(Assess(same).grade, RiskGrade::kLarger);
  EXPECT_EQ(same.kind_cue(static_cast<int>(model::ResponseKind::kEmergency)),
            (EventSummary::KindCue{"泄漏", 3, 3}));

  // Two posts that both say 地震 are a mention, not an incident.
  EventSummary pair;
  for (int i = 0; i < 2; ++i) {
    EventPost p = Post(i);
    SetKind(p, model::ResponseKind::kEmergency, {"地震"});
    pair.Add(p);
  }
  EXPECT_EQ(Assess(pair).grade, RiskGrade::kGeneral);
  EXPECT_EQ(Find(Assess(pair), "kind:emergency"), nullptr);

  // Merging two events adds their cue counts.
  EventSummary a1, a2;
  EventPost p1 = Post(0), p2 = Post(1);
  SetKind(p1, model::ResponseKind::kEmergency, {"泄漏"});
  SetKind(p2, model::ResponseKind::kEmergency, {"泄漏"});
  a1.Add(p1);
  a2.Add(p2);
  a1.Absorb(a2);
  EXPECT_EQ(a1.kind_cue(static_cast<int>(model::ResponseKind::kEmergency)).posts, 2u);
}

// Copies of one text are one report: three posts that say 爆炸 corroborate an emergency only
// when they are three different texts, not one post pasted three times or a post and its copy.
TEST(RiskGradeTest, CopiesOfOneTextCorroborateAsOneReport) {
  const auto emergency = static_cast<int>(model::ResponseKind::kEmergency);
  auto event = [&](std::vector<uint64_t> hashes) {
    EventSummary s;
    for (size_t i = 0; i < hashes.size(); ++i) {
      EventPost p = Post(static_cast<int>(i));
      SetKind(p, model::ResponseKind::kEmergency, {"爆炸"});
      p.text_hash = hashes[i];
      s.Add(p);
    }
    return s;
  };
  const EventSummary copies = event({7, 7, 9, 9});
  EXPECT_EQ(copies.kind_cue(emergency), (EventSummary::KindCue{"爆炸", 4, 2}));
  EXPECT_EQ(Assess(copies).grade, RiskGrade::kGeneral);
  EXPECT_EQ(Find(Assess(copies), "kind:emergency"), nullptr);

  const EventSummary three = event({7, 7, 9, 11});
  EXPECT_EQ(three.kind_cue(emergency).texts, 3u);
  EXPECT_EQ(Assess(three).grade, RiskGrade::kLarger);

  // Merged events: a text both hold counts once, a text only one holds counts.
  EventSummary a = event({7, 9}), b = event({9, 9});
  a.Absorb(b);
  EXPECT_EQ(a.kind_cue(emergency), (EventSummary::KindCue{"爆炸", 4, 2}));
  EventSummary c = event({11});
  a.Absorb(c);
  EXPECT_EQ(a.kind_cue(emergency).texts, 3u);
  EXPECT_EQ(Assess(a).grade, RiskGrade::kLarger);

  // From posts: white space and a trailing zero-width space do not make another text.
  model::Post post;
  post.text = "化工厂爆炸，浓烟很大";
  model::Analysis analysis;
  const uint64_t h = MakeEventPost(post, analysis).text_hash;
  post.text = " 化工厂爆炸，浓烟很大 \u200b";
  EXPECT_EQ(MakeEventPost(post, analysis).text_hash, h);
  post.text = "化工厂爆炸，浓烟很大！";
  EXPECT_NE(MakeEventPost(post, analysis).text_hash, h);
}

// Posts that all say 死亡 or 失联 say somebody came to harm, not what happened (a dolphin on a
// beach, a safety tip for children): an emergency needs a cue that names the incident, or a
// figure.
TEST(RiskGradeTest, AnEmergencyIsCorroboratedByWhatHappenedNotByHarmAlone) {
  const auto emergency = static_cast<int>(model::ResponseKind::kEmergency);
  for (const char* outcome : {"死亡", "失联", "受伤", "突发"}) {
    EventSummary s;
    for (int i = 0; i < 4; ++i) {
      EventPost p = Post(i);
      SetKind(p, model::ResponseKind::kEmergency, {outcome});
      s.Add(p);
    }
    const RiskAssessment a = Assess(s);
    EXPECT_EQ(a.grade, RiskGrade::kGeneral) << outcome;
    EXPECT_EQ(Find(a, "kind:emergency"), nullptr) << outcome;
    EXPECT_EQ(s.kind_cue(emergency).posts, 4u);  // still counted, only not corroborating
  }
  // With the hazard named in three posts, the outcome words beside it do not matter.
  EventSummary named;
  for (int i = 0; i < 4; ++i) {
    EventPost p = Post(i);
    if (i < 3) {
      SetKind(p, model::ResponseKind::kEmergency, {"死亡", "坍塌"});
    } else {
      SetKind(p, model::ResponseKind::kEmergency, {"死亡"});
    }
    named.Add(p);
  }
  const RiskAssessment a = Assess(named);
  EXPECT_EQ(a.grade, RiskGrade::kLarger);
  ASSERT_NE(Find(a, "kind:emergency"), nullptr);
  EXPECT_NE(Find(a, "kind:emergency")->detail.find("「坍塌」 in 3"), std::string::npos)
      << Find(a, "kind:emergency")->detail;
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

// Until issue item 2 ("a grade says how dangerous, not how busy") five aggravators lifted this
// event from IV to III with nothing substantive behind it; now they are reasons, not a grade.
TEST(RiskGradeTest, AggravatingFactorsAloneKeepIVWithTheirReasons) {
  const RiskAssessment a = Assess(Aggravated(0));
  EXPECT_EQ(a.base, RiskGrade::kGeneral);
  EXPECT_EQ(a.grade, RiskGrade::kGeneral);
  EXPECT_FALSE(a.escalated);
  EXPECT_EQ(a.aggravators, 5u);
  ASSERT_FALSE(a.reasons.empty());
  EXPECT_EQ(a.reasons[0].factor, "no_substantive_factor");
  EXPECT_EQ(a.reasons[0].kind(), "substantive");
  EXPECT_EQ(a.reasons[0].supports, RiskGrade::kGeneral);
  EXPECT_NE(a.reasons[0].detail.find("5 aggravating factors cannot raise it alone"),
            std::string::npos)
      << a.reasons[0].detail;
  for (const char* f : {"negative_share", "sensitive_domain", "gov_involved", "regional_spread",
                        "mainstream_media"}) {
    const RiskReason* r = Find(a, f);
    ASSERT_NE(r, nullptr) << f;
    EXPECT_TRUE(r->aggravating);
    EXPECT_EQ(r->kind(), "aggravating");
  }
  EXPECT_NE(Find(a, "gov_involved")->detail.find("局长"), std::string::npos);
  EXPECT_NE(Find(a, "gov_involved")->detail.find("纪委"), std::string::npos);
  EXPECT_EQ(Find(a, "rumour"), nullptr);
}

TEST(RiskGradeTest, AggravatingFactorsRaiseASubstantiveBaseOneLevel) {
  const RiskAssessment a = Assess(Aggravated(5));  // III by deaths, +1
  EXPECT_EQ(a.base, RiskGrade::kLarger);
  EXPECT_EQ(a.grade, RiskGrade::kMajor);
  EXPECT_TRUE(a.escalated);
  ASSERT_FALSE(a.reasons.empty());
  EXPECT_EQ(a.reasons[0].factor, "deaths");  // substantive first
  EXPECT_EQ(a.reasons[0].kind(), "substantive");
  EXPECT_EQ(Find(a, "no_substantive_factor"), nullptr);
}

TEST(RiskGradeTest, EscalationAloneNeverReachesParticularlySerious) {
  EXPECT_EQ(Assess(Aggravated(5)).grade, RiskGrade::kMajor);  // III by deaths, +1
  const RiskAssessment a = Assess(Aggravated(12));            // II by deaths, capped
  EXPECT_EQ(a.grade, RiskGrade::kMajor);
  EXPECT_FALSE(a.escalated);
  EXPECT_EQ(Assess(Aggravated(31)).grade, RiskGrade::kParticularlySerious);
}

// 《生产安全事故报告和调查处理条例》(国务院令第493号) 第三条, just below and at each threshold:
// 特别重大 ≥ 30 deaths or ≥ 100 seriously injured or ≥ 1亿元; 重大 10–29, 50–99, 5000万–1亿;
// 较大 3–9, 10–49, 1000万–5000万; 一般 below. One post, no aggravator: the regulation's grade.
// With every aggravator of Aggravated(): one level up at most, never above II by escalation,
// and nothing below a threshold moves.
struct Incident {
  const char* what;
  int64_t deaths = 0;
  int64_t injured = 0;
  double loss_yuan = 0;
  RiskGrade regulation;
  RiskGrade aggravated;
};
constexpr RiskGrade kI = RiskGrade::kParticularlySerious, kII = RiskGrade::kMajor,
                    kIII = RiskGrade::kLarger, kIV = RiskGrade::kGeneral;
const Incident kIncidents[] = {
    {"2 dead", 2, 0, 0, kIV, kIV},
    {"3 dead", 3, 0, 0, kIII, kII},
    {"9 dead", 9, 0, 0, kIII, kII},
    {"10 dead", 10, 0, 0, kII, kII},
    {"29 dead", 29, 0, 0, kII, kII},
    {"30 dead", 30, 0, 0, kI, kI},
    {"9 injured", 0, 9, 0, kIV, kIV},
    {"10 injured", 0, 10, 0, kIII, kII},
    {"49 injured", 0, 49, 0, kIII, kII},
    {"50 injured", 0, 50, 0, kII, kII},
    {"99 injured", 0, 99, 0, kII, kII},
    {"100 injured", 0, 100, 0, kI, kI},
    {"loss 9 999 999", 0, 0, 9'999'999, kIV, kIV},
    {"loss 1000万", 0, 0, 1e7, kIII, kII},
    {"loss 49 999 999", 0, 0, 49'999'999, kIII, kII},
    {"loss 5000万", 0, 0, 5e7, kII, kII},
    {"loss 99 999 999", 0, 0, 99'999'999, kII, kII},
    {"loss 1亿", 0, 0, 1e8, kI, kI},
};

void Report(EventPost& p, const Incident& c) {
  if (c.deaths > 0) p.casualties.deaths = c.deaths;
  if (c.injured > 0) p.casualties.injured = c.injured;
  if (c.loss_yuan > 0) p.casualties.loss_yuan = c.loss_yuan;
  p.casualties.evidence = {c.what};
}

TEST(RiskGradeTest, ConstructedIncidentsAtEachThresholdOfDecree493) {
  for (const Incident& c : kIncidents) {
    EventSummary s;
    EventPost p = Post(0);
    Report(p, c);
    s.Add(p);
    const RiskAssessment a = Assess(s);
    EXPECT_EQ(a.grade, c.regulation) << c.what;
    EXPECT_EQ(a.aggravators, 0u) << c.what;
    ASSERT_FALSE(a.reasons.empty()) << c.what;
    EXPECT_EQ(a.reasons[0].kind(), "substantive") << c.what;
    EXPECT_EQ(a.reasons[0].supports, c.regulation) << c.what;
    if (c.regulation == kIV) {
      EXPECT_EQ(a.reasons[0].factor, "no_substantive_factor") << c.what;
    }

    EventSummary agg = Aggravated(0);
    EventPost q = Post(12);
    Report(q, c);
    agg.Add(q);
    const RiskAssessment b = Assess(agg);
    EXPECT_GE(b.aggravators, 3u) << c.what;
    EXPECT_EQ(b.base, c.regulation) << c.what;
    EXPECT_EQ(b.grade, c.aggravated) << c.what;
  }
}

TEST(RiskGradeTest, AggravatorsLiftAtMostOneGrade) {
  RiskOptions uncapped;
  uncapped.escalation_cap = RiskGrade::kParticularlySerious;
  uncapped.aggravators_to_escalate = 1;
  struct Case {
    int64_t deaths;
    RiskGrade want;
  };
  for (const Case& c : {Case{0, kIV}, Case{3, kII}, Case{10, kI}, Case{30, kI}}) {
    const EventSummary s = Aggravated(c.deaths);
    const RiskAssessment a = AssessRisk(s, ComputeHeat(s, s.last_s()), /*bursting=*/true, uncapped);
    EXPECT_EQ(a.grade, c.want) << c.deaths << " dead";
    EXPECT_LE(static_cast<int>(a.base) - static_cast<int>(a.grade), 1) << c.deaths << " dead";
  }
}

// Issue item 2: nine posts, no casualties, no losses, little heat; spread over several
// provinces, two media posts and three unverified-claim signals. Before, III (较大).
TEST(RiskGradeTest, BusyButHarmlessNinePostEventStaysIV) {
  EventSummary s;
  const char* regions[] = {"110105", "440106", "510104"};
  for (int i = 0; i < 9; ++i) {
    EventPost p = Post(i);
    p.regions = {regions[i % 3]};
    if (i < 2) p.author.kind = model::AuthorKind::kMedia;
    if (i >= 6) p.rumour_score = 0.7;
    s.Add(p);
  }
  const RiskAssessment a = Assess(s);
  EXPECT_EQ(a.aggravators, 3u);
  for (const char* f : {"regional_spread", "mainstream_media", "rumour"}) {
    ASSERT_NE(Find(a, f), nullptr) << f;
    EXPECT_EQ(Find(a, f)->kind(), "aggravating") << f;
  }
  EXPECT_EQ(a.base, kIV);
  EXPECT_EQ(a.grade, kIV);
  EXPECT_FALSE(a.escalated);
  EXPECT_EQ(a.reasons[0].factor, "no_substantive_factor");

  // Heat at III's threshold is substantive: then the same three aggravators lift it to II.
  HeatComponents hot = ComputeHeat(s, s.last_s());
  hot.heat = 60;
  const RiskAssessment b = AssessRisk(s, hot, false);
  EXPECT_EQ(b.base, kIII);
  EXPECT_EQ(b.grade, kII);
  EXPECT_TRUE(b.escalated);
}

// Checks every number in the JSON is a number (no NaN written as null, no infinity).
void ExpectFiniteNumbers(const nlohmann::json& j, const std::string& where) {
  if (j.is_null()) ADD_FAILURE() << where << " is null";
  if (j.is_number_float()) {
    EXPECT_TRUE(std::isfinite(j.get<double>())) << where;
  }
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) ExpectFiniteNumbers(v, where + "." + k);
  }
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i)
      ExpectFiniteNumbers(j[i], where + "[" + std::to_string(i) + "]");
  }
}

// Texts with nothing to analyse (empty, only emoticons, only URLs, only numbers, very long):
// an analysis that finds nothing grades IV with a reason, and the risk JSON has no NaN.
TEST(RiskGradeTest, TextsWithNothingInThemGradeIVWithAReason) {
  const std::string texts[] = {"", "[哈哈][泪][抓狂]😀😂👍",
                               "http://t.cn/zWrXcG3 https://example.cn/a?b=1",
                               "123 4567 89.0 1e308 -0 NaN", std::string(200'000, 'x') + "死亡"};
  for (const std::string& text : texts) {
    model::Post post;
    post.source = "weibo";
    post.external_id = "1";
    post.text = text;
    post.published_at = core::TimePoint(std::chrono::seconds(kT0));
    EventSummary s;
    for (int i = 0; i < 12; ++i) s.Add(MakeEventPost(post, model::Analysis{}));
    const RiskAssessment a = Assess(s);
    const std::string what = text.substr(0, 40);
    EXPECT_EQ(a.grade, kIV) << what;
    ASSERT_FALSE(a.reasons.empty()) << what;
    EXPECT_EQ(a.reasons[0].factor, "no_substantive_factor") << what;
    ExpectFiniteNumbers(RiskJson(a), "risk");
  }
  // A heat that is not a number supports nothing and reaches no reason.
  HeatComponents broken;
  broken.heat = std::numeric_limits<double>::quiet_NaN();
  broken.posts_last_hour = std::numeric_limits<double>::infinity();
  EventSummary s;
  s.Add(Post(0));
  const RiskAssessment a = AssessRisk(s, broken, true);
  EXPECT_EQ(a.grade, kIV);
  ExpectFiniteNumbers(RiskJson(a), "risk");
  EXPECT_NE(RiskJson(a).dump().find(R"("kind":"substantive")"), std::string::npos);
  EXPECT_NE(RiskJson(a).dump().find(R"("kind":"aggravating")"), std::string::npos);
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

// Every reason carries its line in Chinese for the reports and the Chinese workbench: the same
// figures, the grade as 国务院令第493号 names it, no English words.
TEST(RiskGradeTest, EveryReasonHasItsLineInChinese) {
  auto english = [](const std::string& s) {  // two lower-case letters (the grades are III, IV)
    for (size_t i = 0; i + 1 < s.size(); ++i) {
      if (std::islower(static_cast<unsigned char>(s[i])) &&
          std::islower(static_cast<unsigned char>(s[i + 1]))) {
        return true;
      }
    }
    return false;
  };
  std::vector<RiskAssessment> all = {Assess(Aggravated(0)), Assess(Aggravated(5))};
  EventSummary rumours;
  for (int i = 0; i < 10; ++i) {
    EventPost p = Post(i);
    if (i < 4) p.rumour_score = 0.8;
    if (i < 3) SetKind(p, model::ResponseKind::kEmergency, {"泄漏"});
    if (i == 9) p.casualties.injured = 120, p.casualties.evidence = {"120人受伤"};
    rumours.Add(p);
  }
  all.push_back(Assess(rumours, /*bursting=*/true));
  std::set<std::string> factors;
  for (const RiskAssessment& a : all) {
    for (const RiskReason& r : a.reasons) {
      factors.insert(r.factor);
      EXPECT_FALSE(r.detail_zh.empty()) << r.factor;
      EXPECT_FALSE(english(r.detail_zh)) << r.factor << ": " << r.detail_zh;
    }
  }
  for (const char* f : {"no_substantive_factor", "deaths", "injured", "kind:emergency",
                        "negative_share", "sensitive_domain", "gov_involved", "regional_spread",
                        "mainstream_media", "rumour", "burst"}) {
    EXPECT_TRUE(factors.count(f)) << f;
  }
  const RiskAssessment iv = Assess(Aggravated(0));
  EXPECT_NE(iv.reasons[0].detail_zh.find("IV级（一般）"), std::string::npos)
      << iv.reasons[0].detail_zh;
  EXPECT_NE(iv.reasons[0].detail_zh.find("5个加重因素不能单独提高等级"), std::string::npos);
  const RiskReason* kind = Find(all.back(), "kind:emergency");
  ASSERT_NE(kind, nullptr);
  EXPECT_EQ(kind->detail_zh,
            "重点回应类型“突发事件和自然灾害”：10条信息中3条，「泄漏」见于3条 → III级（较大）");
  const RiskReason* injured = Find(all.back(), "injured");
  ASSERT_NE(injured, nullptr);
  EXPECT_EQ(injured->detail_zh, "受伤人数120，达到100 → I级（特别重大）（「120人受伤」）");
  EXPECT_NE(RiskJson(all.back()).dump().find("\"detail_zh\":\"受伤人数120"), std::string::npos);
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
