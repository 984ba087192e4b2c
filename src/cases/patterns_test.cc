#include "cases/patterns.h"

#include <gtest/gtest.h>

#include <string>

#include "core/time.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }

const core::TimePoint kDetected = T("2026-06-01T08:00:00+08:00");
constexpr std::string_view kFactual = "事故造成3人受伤，已全部送医救治，涉事企业已停产整改。";
constexpr std::string_view kEmpty = "我局高度重视，正在调查，将依法依规处理，感谢关注。";

model::Case NewCase(int grade = 4) {
  model::Case c;
  c.id = 7;
  c.grade = grade;
  c.detected_at = kDetected;
  c.created_at = kDetected;
  c.state = model::CaseState::kAccepted;
  model::Assignment a;
  a.department_id = "dept-a";
  a.assigned_at = kDetected + hours(1);
  a.accepted_at = kDetected + hours(2);
  c.assignments.push_back(a);
  c.rounds.push_back({1, kDetected, "op", "case opened"});
  return c;
}

void Publish(model::Case& c, core::TimePoint at, std::string_view text,
             model::ResponseChannel ch = model::ResponseChannel::kRelease) {
  model::Response r;
  r.id = static_cast<int>(c.responses.size()) + 1;
  r.department_id = "dept-a";
  r.channel = ch;
  r.text = std::string(text);
  r.status = model::ResponseStatus::kPublished;
  r.published_at = at;
  r.round = 1;
  c.responses.push_back(r);
  c.state = model::CaseState::kResponded;
}

void Close(model::Case& c, core::TimePoint at) {
  c.closed_at = at;
  c.resolved = true;
  c.state = model::CaseState::kClosed;
}

CasePatterns Detect(const model::Case& c, core::TimePoint now, const PatternInputs& in = {}) {
  return DetectPatterns(c, Deadlines(c, now), now, in);
}

// ---- LacksSubstance -------------------------------------------------------------------------

struct SubstanceCase {
  std::string_view text;
  bool lacks;
  std::string_view why;
};

TEST(LacksSubstanceTest, StockStatementsLackSubstanceAndConcreteOnesDoNot) {
  const SubstanceCase table[] = {
      {kEmpty, true, "stock phrases only"},
      {"相关部门已第一时间介入，密切关注事态发展，请以官方发布为准。", true,
       "已 before a stock phrase is no measure"},
      {"对此万分痛心，高度重视，密切关注，依法依规处理。", true, "万分 is no figure"},
      {"高度重视，正在调查。", true, "调查 inside 正在调查 is stock"},
      {"", true, "nothing said"},
      {"   ", true, "nothing said"},
      {"经初步调查，事故造成3人死亡，12人受伤。", false, "digits"},
      {"事故造成１２人受伤，我局高度重视，密切关注，依法依规处理。", false, "full-width digits"},
      {"事故造成三人受伤，我局高度重视，密切关注，依法依规处理。", false, "三人 is a figure"},
      {"事故造成十余名群众受伤，我局高度重视，密切关注。", false, "十余名 is a figure"},
      {"我局高度重视，已成立联合调查组，密切关注，依法依规处理。", false, "成立 is a measure"},
      {"我局高度重视，涉事企业已停产，密切关注，依法依规处理。", false, "已停产 is a measure"},
      {"经核实，网传信息不实，本市供水水质符合国家标准。", false, "factual, not stock"},
  };
  for (const auto& row : table) {
    EXPECT_EQ(LacksSubstance(row.text), row.lacks) << row.text << " — " << row.why;
  }
}

TEST(LacksSubstanceTest, LongStatementsAreNotJudgedEmpty) {
  std::string text;
  while (text.size() < 3 * (kShortResponseCodePoints + 10)) text += "高度重视，";
  EXPECT_FALSE(LacksSubstance(text));
}

// ---- ignoring -------------------------------------------------------------------------------

TEST(PatternsTest, NoResponseByTheDeadlineIsIgnoring) {
  auto c = NewCase();
  auto p = Detect(c, kDetected + hours(50));
  EXPECT_TRUE(p.ignoring);
  EXPECT_NE(p.ignoring_reason.en.find("respond overdue by 2.0 h"), std::string::npos)
      << p.ignoring_reason.en;
  EXPECT_NE(p.ignoring_reason.zh.find("回应已超时2.0小时"), std::string::npos)
      << p.ignoring_reason.zh;
}

TEST(PatternsTest, AResponseAfterTheDeadlineIsStillIgnoring) {
  auto c = NewCase();
  Publish(c, kDetected + hours(51), kFactual);
  auto p = Detect(c, kDetected + hours(60));
  EXPECT_TRUE(p.ignoring);
  EXPECT_NE(p.ignoring_reason.en.find("respond met 3.0 h late"), std::string::npos)
      << p.ignoring_reason.en;
}

TEST(PatternsTest, ResponseInTimeIsNotIgnoringEvenWhenResolutionIsOverdue) {
  auto c = NewCase();
  Publish(c, kDetected + hours(10), kFactual);
  auto p = Detect(c, kDetected + hours(24 * 20));
  EXPECT_FALSE(p.ignoring) << p.ignoring_reason.en;
  EXPECT_TRUE(p.ignoring_reason.en.empty());
}

TEST(PatternsTest, LateReplyToTheCallerIsIgnoring) {
  auto c = NewCase();
  c.origin = model::CaseOrigin::kHotline;
  c.petitioner = model::PetitionerContact{};
  c.petitioner->replied_at = kDetected + hours(80);
  Publish(c, kDetected + hours(10), kFactual);
  auto p = Detect(c, kDetected + hours(90));
  EXPECT_TRUE(p.ignoring);
  EXPECT_NE(p.ignoring_reason.en.find("reply met 8.0 h late"), std::string::npos);
}

// ---- passive --------------------------------------------------------------------------------

TEST(PatternsTest, SilenceAfterTheFirstBriefingWhileHotIsPassive) {
  auto c = NewCase();
  Publish(c, kDetected + hours(10), kFactual);
  c.event_heat = 62;
  auto p = Detect(c, kDetected + hours(70));
  EXPECT_TRUE(p.passive);
  EXPECT_NE(p.passive_reason.en.find("no published response for 60.0 h after response #1"),
            std::string::npos)
      << p.passive_reason.en;
  EXPECT_NE(p.passive_reason.zh.find("第1号回应"), std::string::npos);
}

TEST(PatternsTest, SilenceWhileTheEventIsCoolIsNotPassive) {
  auto c = NewCase();
  Publish(c, kDetected + hours(10), kFactual);
  c.event_heat = 20;
  EXPECT_FALSE(Detect(c, kDetected + hours(70)).passive);
  c.event_heat = 62;
  EXPECT_FALSE(Detect(c, kDetected + hours(50)).passive) << "40 h of silence: within 48 h";
}

TEST(PatternsTest, SilenceBetweenResponsesIsJudgedFromTheHeatSeries) {
  auto c = NewCase();
  Publish(c, kDetected + hours(10), kFactual);
  Publish(c, kDetected + hours(80), kFactual);
  c.event_heat = 10;  // cool now: the current heat says nothing about the gap
  const HeatSample hot[] = {{kDetected, 30}, {kDetected + hours(55), 70}};
  PatternInputs in;
  in.heat = hot;
  auto p = Detect(c, kDetected + hours(90), in);
  EXPECT_TRUE(p.passive) << "hot at 58 h, 48 h into the 70 h gap";
  EXPECT_NE(p.passive_reason.en.find("heat was 70.0"), std::string::npos) << p.passive_reason.en;
  // Hot only after the silence had lasted 48 h (the sample at 50 h says 20).
  const HeatSample cool[] = {
      {kDetected, 30}, {kDetected + hours(50), 20}, {kDetected + hours(70), 70}};
  in.heat = cool;
  EXPECT_FALSE(Detect(c, kDetected + hours(90), in).passive);
  // Without the series the gap between responses cannot be judged.
  EXPECT_FALSE(Detect(c, kDetected + hours(90)).passive);
}

TEST(PatternsTest, OnlyResponsesWithoutSubstanceIsPassive) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kEmpty);
  Publish(c, kDetected + hours(20), "相关部门已第一时间介入，密切关注事态发展，请以官方发布为准。");
  auto p = Detect(c, kDetected + hours(24));
  EXPECT_TRUE(p.passive);
  EXPECT_NE(p.passive_reason.en.find("all 2 published responses (#1, #2) lack substance"),
            std::string::npos)
      << p.passive_reason.en;
  EXPECT_NE(p.passive_reason.zh.find("均空泛表态"), std::string::npos);
  // One response with substance is enough.
  Publish(c, kDetected + hours(22), kFactual);
  EXPECT_FALSE(Detect(c, kDetected + hours(24)).passive);
}

TEST(PatternsTest, DraftsWithoutSubstanceAreNotCounted) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kFactual);
  model::Response draft;
  draft.id = 2;
  draft.text = std::string(kEmpty);
  c.responses.push_back(draft);
  EXPECT_FALSE(Detect(c, kDetected + hours(24)).passive);
}

// ---- shirking -------------------------------------------------------------------------------

void Bounce(model::Case& c, std::string_view reason, std::string next, core::TimePoint at) {
  for (auto& a : c.assignments) {
    if (a.role == model::AssignmentRole::kMain && a.active()) {
      a.ended_at = at;
      a.end_reason = std::string(reason);
    }
  }
  model::Assignment a;
  a.department_id = std::move(next);
  a.assigned_at = at;
  c.assignments.push_back(a);
}

TEST(PatternsTest, MainDepartmentChangedTwiceIsShirking) {
  auto c = NewCase();
  Bounce(c, "returned", "dept-b", kDetected + hours(3));
  EXPECT_FALSE(Detect(c, kDetected + hours(4)).shirking) << "one change";
  Bounce(c, "dispute", "dept-c", kDetected + hours(5));
  auto p = Detect(c, kDetected + hours(6));
  EXPECT_TRUE(p.shirking);
  EXPECT_EQ(CountMainChanges(c), 2);
  EXPECT_EQ(CountMainChangesOf(c, "dept-a"), 1);
  EXPECT_EQ(CountMainChangesOf(c, "dept-c"), 0);
  EXPECT_NE(p.shirking_reason.en.find("changed 2 times: dept-a returned"), std::string::npos)
      << p.shirking_reason.en;
  EXPECT_NE(p.shirking_reason.en.find("dept-b dispute"), std::string::npos);
  EXPECT_NE(p.shirking_reason.zh.find("主办单位变更2次"), std::string::npos);
}

TEST(PatternsTest, MergesAndAssistingChangesAreNotShirking) {
  auto c = NewCase();
  Bounce(c, "reassigned", "dept-b", kDetected + hours(3));
  Bounce(c, "merged", "dept-c", kDetected + hours(4));
  model::Assignment assist;
  assist.department_id = "dept-d";
  assist.role = model::AssignmentRole::kAssist;
  assist.ended_at = kDetected + hours(5);
  assist.end_reason = "returned";
  c.assignments.push_back(assist);
  EXPECT_EQ(CountMainChanges(c), 1);
  EXPECT_FALSE(Detect(c, kDetected + hours(6)).shirking);
}

// ---- anticlimax -----------------------------------------------------------------------------

TEST(PatternsTest, ClosedAfterASingleResponseIsAnticlimax) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kFactual);
  Close(c, kDetected + hours(30));
  auto p = Detect(c, kDetected + hours(40));
  EXPECT_TRUE(p.anticlimax);
  EXPECT_NE(p.anticlimax_reason.en.find("after a single response"), std::string::npos)
      << p.anticlimax_reason.en;
  EXPECT_NE(p.anticlimax_reason.zh.find("仅有一次回应"), std::string::npos);
}

TEST(PatternsTest, FollowUpWorkPreventsAnticlimax) {
  auto base = NewCase();
  Publish(base, kDetected + hours(3), kFactual);
  Close(base, kDetected + hours(30));
  auto with_task = base;
  model::Task t;
  t.id = 1;
  t.title = "排查周边企业";
  t.created_at = kDetected + hours(5);
  with_task.tasks.push_back(t);
  EXPECT_FALSE(Detect(with_task, kDetected + hours(40)).anticlimax);
  auto with_round = base;
  with_round.rounds.push_back({2, kDetected + hours(10), "op", "新的质疑"});
  EXPECT_FALSE(Detect(with_round, kDetected + hours(40)).anticlimax);
  auto with_second = base;
  Publish(with_second, kDetected + hours(20), kFactual);
  EXPECT_FALSE(Detect(with_second, kDetected + hours(40)).anticlimax);
  // A task set before the first response is not follow-up to it.
  auto early_task = base;
  t.created_at = kDetected + hours(2);
  early_task.tasks.push_back(t);
  EXPECT_TRUE(Detect(early_task, kDetected + hours(40)).anticlimax);
}

TEST(PatternsTest, OpenCaseIsNotAnticlimax) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kFactual);
  EXPECT_FALSE(Detect(c, kDetected + hours(40)).anticlimax);
}

TEST(PatternsTest, EventHeatingUpAgainAfterClosingIsAnticlimax) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kFactual);
  Publish(c, kDetected + hours(20), kFactual);  // followed up: only the heat can flag it
  Close(c, kDetected + hours(30));
  const HeatSample again[] = {{kDetected + hours(25), 30}, {kDetected + hours(40), 55}};
  PatternInputs in;
  in.heat = again;
  auto p = Detect(c, kDetected + hours(48), in);
  EXPECT_TRUE(p.anticlimax);
  EXPECT_NE(p.anticlimax_reason.en.find("heat 55.0"), std::string::npos) << p.anticlimax_reason.en;
  EXPECT_NE(p.anticlimax_reason.en.find("30.0 at closing"), std::string::npos);
  // Warmer but not hot.
  const HeatSample warm[] = {{kDetected + hours(25), 30}, {kDetected + hours(40), 38}};
  in.heat = warm;
  EXPECT_FALSE(Detect(c, kDetected + hours(48), in).anticlimax);
  // Hot at closing and cooling since: not "again".
  const HeatSample cooling[] = {{kDetected + hours(25), 70}, {kDetected + hours(40), 50}};
  in.heat = cooling;
  EXPECT_FALSE(Detect(c, kDetected + hours(48), in).anticlimax);
  // Without a series: the current heat against a known heat at closing.
  PatternInputs known;
  known.heat_at_close = 20;
  c.event_heat = 45;
  EXPECT_TRUE(Detect(c, kDetected + hours(48), known).anticlimax);
  EXPECT_FALSE(Detect(c, kDetected + hours(48)).anticlimax) << "heat at closing unknown";
}

TEST(PatternsTest, CleanCaseShowsNoPattern) {
  auto c = NewCase();
  Publish(c, kDetected + hours(3), kFactual);
  Publish(c, kDetected + hours(30), kFactual);
  Close(c, kDetected + hours(40));
  c.event_heat = 80;
  auto p = Detect(c, kDetected + hours(24 * 30));
  EXPECT_FALSE(p.any());
  EXPECT_TRUE(p.passive_reason.en.empty());
}

TEST(PatternsTest, ExplainFalseKeepsTheFlagsAndDropsTheReasons) {
  auto c = NewCase();
  PatternInputs in;
  in.explain = false;
  auto p = Detect(c, kDetected + hours(50), in);
  EXPECT_TRUE(p.ignoring);
  EXPECT_TRUE(p.ignoring_reason.en.empty());
}

TEST(PatternCountsTest, CountsEachPatternAndCasesWithAny) {
  PatternCounts counts;
  CasePatterns a;
  a.ignoring = true;
  a.passive = true;
  CasePatterns b;
  b.shirking = true;
  CasePatterns none;
  counts.Add(a);
  counts.Add(b);
  counts.Add(none);
  EXPECT_EQ(counts, (PatternCounts{3, 1, 1, 1, 0, 2}));
  PatternCounts more;
  more.Add(a);
  counts += more;
  EXPECT_EQ(counts, (PatternCounts{4, 2, 2, 1, 0, 3}));
}

}  // namespace
}  // namespace yuqing::cases
