#include "cases/assessment.h"

#include <gtest/gtest.h>

#include <vector>

#include "core/time.h"

namespace yuqing::cases {
namespace {

using model::AssignmentRole;
using model::Obligation;
using std::chrono::hours;
using std::chrono::minutes;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }
constexpr auto kDays = hours(24);

const core::TimePoint kFrom = T("2026-01-01T00:00:00+08:00");
const core::TimePoint kTo = T("2026-02-01T00:00:00+08:00");
const core::TimePoint kNow = T("2026-03-01T00:00:00+08:00");

constexpr std::string_view kFactual = "事故造成3人受伤，已全部送医救治，涉事企业已停产整改。";
constexpr std::string_view kEmpty = "我局高度重视，正在调查，将依法依规处理，感谢关注。";

model::Case NewCase(int64_t id, int grade, model::CaseOrigin origin, core::TimePoint detected) {
  model::Case c;
  c.id = id;
  c.grade = grade;
  c.origin = origin;
  c.detected_at = detected;
  c.created_at = detected;
  c.state = model::CaseState::kAssigned;
  c.rounds.push_back({1, detected, "op", "case opened"});
  return c;
}

model::Assignment& Assign(model::Case& c, std::string dept, core::TimePoint at) {
  model::Assignment a;
  a.department_id = std::move(dept);
  a.role = AssignmentRole::kMain;
  a.assigned_at = at;
  c.assignments.push_back(a);
  return c.assignments.back();
}

void End(model::Assignment& a, std::string reason, core::TimePoint at) {
  a.ended_at = at;
  a.end_reason = std::move(reason);
}

void Publish(model::Case& c, std::string dept, core::TimePoint at, std::string_view text,
             model::ResponseChannel ch = model::ResponseChannel::kRelease) {
  model::Response r;
  r.id = static_cast<int>(c.responses.size()) + 1;
  r.department_id = std::move(dept);
  r.channel = ch;
  r.text = std::string(text);
  r.status = model::ResponseStatus::kPublished;
  r.published_at = at;
  c.responses.push_back(r);
}

void Close(model::Case& c, core::TimePoint at, bool resolved) {
  c.closed_at = at;
  c.resolved = resolved;
  c.state = model::CaseState::kClosed;
}

// The constructed history (period January 2026, judged on 1 March):
//   1  A leads, accepts in 1 h, answers at 10 h and 30 h, closed solved on day 5.
//   2  hotline; A returns it within the hour; B accepts 3 h after assignment (late), answers at
//      20 h with stock phrases only, replies to the caller at 80 h (late), one extension,
//      closed unsolved on day 10; caller "basically" satisfied; a supervision item and an
//      issued criticism for B (and a proposed commendation that does not count).
//   3  grade II; B disputes (upheld), A accepts in 30 min then returns it, C never accepts;
//      A posts on Weibo at 5 h (no press conference: press overdue), still open and hot.
//   4  detected in December: outside the period.
//   5  led by a department nobody asked about.
//   6  mailbox; A accepts in 30 min, answers at 5 h, replies at 24 h; the writer is
//      unsatisfied; closed and reopened, still open.
std::vector<model::Case> History() {
  std::vector<model::Case> cases;
  {
    const auto d = T("2026-01-05T08:00:00+08:00");
    auto c = NewCase(1, 4, model::CaseOrigin::kEvent, d);
    Assign(c, "d-a", d + hours(1)).accepted_at = d + hours(2);
    Publish(c, "d-a", d + hours(10), kFactual);
    Publish(c, "d-a", d + hours(30), "截至目前，3名伤者病情稳定，周边12家企业已完成排查。");
    Close(c, d + 5 * kDays, true);
    cases.push_back(c);
  }
  {
    const auto d = T("2026-01-10T09:00:00+08:00");
    auto c = NewCase(2, 4, model::CaseOrigin::kHotline, d);
    End(Assign(c, "d-a", d), "returned", d + hours(1));
    Assign(c, "d-b", d + hours(1)).accepted_at = d + hours(4);
    Publish(c, "d-b", d + hours(20), kEmpty);
    c.petitioner = model::PetitionerContact{};
    c.petitioner->replied_at = d + hours(80);
    c.petitioner->visited_at = d + 9 * kDays;
    c.petitioner->satisfaction = "basically";
    c.extensions.push_back(d + 9 * kDays);
    c.extended_by = 2 * kDays;
    c.sweep_marks = {"remind:reply", "overdue:reply"};
    model::Supervision s;
    s.id = 1;
    s.obligation = "reply";
    s.department_id = "d-b";
    s.opened_at = d + hours(73);
    c.supervision.push_back(s);
    model::Notice criticism;
    criticism.id = 1;
    criticism.kind = model::NoticeKind::kCriticism;
    criticism.department_id = "d-b";
    criticism.status = "issued";
    c.notices.push_back(criticism);
    model::Notice praise;
    praise.id = 2;
    praise.kind = model::NoticeKind::kCommendation;
    praise.department_id = "d-b";
    praise.status = "proposed";
    c.notices.push_back(praise);
    Close(c, d + 10 * kDays, false);
    cases.push_back(c);
  }
  {
    const auto d = T("2026-01-20T10:00:00+08:00");
    auto c = NewCase(3, 2, model::CaseOrigin::kEvent, d);
    End(Assign(c, "d-b", d + minutes(30)), "dispute", d + hours(1));
    auto& a = Assign(c, "d-a", d + hours(1));
    a.accepted_at = d + minutes(90);
    End(a, "returned", d + hours(3));
    Assign(c, "d-c", d + hours(3));
    Publish(c, "d-a", d + hours(5), "已组织3支队伍开展搜救。", model::ResponseChannel::kWeibo);
    c.event_heat = 55;
    c.sweep_marks = {"remind:press", "overdue:press", "remind:resolve", "criticise:press"};
    model::Supervision press;
    press.id = 1;
    press.obligation = "press";
    press.department_id = "d-c";
    c.supervision.push_back(press);
    model::Supervision resolve = press;
    resolve.id = 2;
    resolve.obligation = "resolve";
    c.supervision.push_back(resolve);
    model::Notice interview;
    interview.id = 1;
    interview.kind = model::NoticeKind::kInterview;
    interview.department_id = "d-a";
    interview.status = "issued";
    c.notices.push_back(interview);
    cases.push_back(c);
  }
  {
    const auto d = T("2025-12-31T23:00:00+08:00");
    auto c = NewCase(4, 4, model::CaseOrigin::kEvent, d);
    Assign(c, "d-a", d + hours(1));
    cases.push_back(c);
  }
  {
    const auto d = T("2026-01-15T10:00:00+08:00");
    auto c = NewCase(5, 4, model::CaseOrigin::kEvent, d);
    Assign(c, "d-x", d + hours(1));
    cases.push_back(c);
  }
  {
    const auto d = T("2026-01-25T12:00:00+08:00");
    auto c = NewCase(6, 4, model::CaseOrigin::kMailbox, d);
    Assign(c, "d-a", d).accepted_at = d + minutes(30);
    Publish(c, "d-a", d + hours(5), kFactual);
    c.petitioner = model::PetitionerContact{};
    c.petitioner->replied_at = d + hours(24);
    c.petitioner->visited_at = d + 3 * kDays;
    c.petitioner->satisfaction = "unsatisfied";
    c.reopened = 1;  // closed on day 3, reopened: closed_at cleared, a second round
    c.rounds.push_back({2, d + 4 * kDays, "op", "来信人不满意"});
    c.state = model::CaseState::kFollowingUp;
    cases.push_back(c);
  }
  return cases;
}

AssessmentRequest Request() {
  AssessmentRequest r;
  r.from = kFrom;
  r.to = kTo;
  r.now = kNow;
  r.departments = {
      {"d-a", "应急管理局"}, {"d-b", "生态环境局"}, {"d-c", "住建局"}, {"d-d", "档案局"}};
  return r;
}

Fraction F(int64_t num, int64_t den) { return {num, den}; }

TEST(AssessmentTest, EveryFigureOfTheLeadDepartment) {
  const auto cases = History();
  auto a = Assess(cases, Request());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->cases_in_period, 5);
  ASSERT_EQ(a->departments.size(), 4u);
  const DepartmentAssessment& d = a->departments[0];
  EXPECT_EQ(d.id, "d-a");
  EXPECT_EQ(d.name, "应急管理局");
  EXPECT_EQ(d.cases, 4);  // 1, 2, 3, 6
  EXPECT_EQ(d.assignments_received, 4);
  EXPECT_EQ(d.accepted_on_time, F(3, 3)) << "case 2 returned before acceptance was due";
  EXPECT_EQ(d.response, F(3, 4)) << "no response of its own in case 2";
  EXPECT_EQ(d.on_time[0], F(0, 1)) << "press: case 3";
  EXPECT_EQ(d.on_time[1], F(3, 3)) << "respond: cases 1, 2, 6";
  EXPECT_EQ(d.on_time[2], F(0, 0)) << "first release not required";
  EXPECT_EQ(d.on_time[3], F(1, 2)) << "reply: case 2 late, case 6 on time";
  EXPECT_EQ(d.on_time[4], F(2, 4)) << "resolve: 1 and 2 met, 3 and 6 overdue";
  EXPECT_EQ(d.on_time_all, F(6, 10));
  ASSERT_TRUE(d.median_first_response_minutes);
  EXPECT_DOUBLE_EQ(*d.median_first_response_minutes, 300) << "of 600, 300, 300";
  EXPECT_EQ(d.resolution, F(1, 2)) << "case 6 was reopened: not closed";
  EXPECT_EQ(d.satisfaction, F(1, 2)) << "basically counts as satisfied; unsatisfied does not";
  EXPECT_EQ(d.reassignment, F(2, 4));
  EXPECT_EQ(d.repeat, F(1, 4));
  EXPECT_EQ(d.extensions, 1);
  EXPECT_EQ(d.reminders, 3);
  EXPECT_EQ(d.supervision_items, 0) << "the supervision items named B and C";
  EXPECT_EQ(d.notices, (std::array<int64_t, 3>{0, 1, 0}));
  EXPECT_EQ(d.patterns, (PatternCounts{4, 2, 2, 1, 1, 2}));
  ASSERT_TRUE(d.score);
  EXPECT_NEAR(*d.score, 100.0 * (0.75 + 0.5 + 0.5) / 3, 1e-9);
  EXPECT_TRUE(d.skipped.empty());
  EXPECT_EQ(d.rank, 1);
}

TEST(AssessmentTest, EveryFigureOfTheDepartmentsItWasBouncedBetween) {
  const auto cases = History();
  auto a = Assess(cases, Request());
  ASSERT_TRUE(a.ok());
  const DepartmentAssessment& b = a->departments[1];
  EXPECT_EQ(b.cases, 2);  // 2, 3
  EXPECT_EQ(b.assignments_received, 2);
  EXPECT_EQ(b.accepted_on_time, F(0, 1)) << "late in case 2; case 3 disputed in time";
  EXPECT_EQ(b.response, F(1, 2));
  EXPECT_EQ(b.on_time[0], F(0, 1));
  EXPECT_EQ(b.on_time[1], F(1, 1));
  EXPECT_EQ(b.on_time[2], F(0, 0));
  EXPECT_EQ(b.on_time[3], F(0, 1));
  EXPECT_EQ(b.on_time[4], F(1, 2));
  EXPECT_EQ(b.on_time_all, F(2, 5));
  EXPECT_DOUBLE_EQ(*b.median_first_response_minutes, 1200);
  EXPECT_EQ(b.resolution, F(0, 1));
  EXPECT_EQ(b.satisfaction, F(1, 1));
  EXPECT_EQ(b.reassignment, F(1, 2));
  EXPECT_EQ(b.repeat, F(0, 2));
  EXPECT_EQ(b.extensions, 1);
  EXPECT_EQ(b.reminders, 3);
  EXPECT_EQ(b.supervision_items, 1);
  EXPECT_EQ(b.notices, (std::array<int64_t, 3>{1, 0, 0})) << "the proposed commendation waits";
  EXPECT_EQ(b.patterns, (PatternCounts{2, 2, 2, 1, 1, 2}));
  EXPECT_NEAR(*b.score, 100.0 * (0.5 + 0 + 1) / 3, 1e-9);
  EXPECT_EQ(b.rank, 2);

  const DepartmentAssessment& c = a->departments[2];
  EXPECT_EQ(c.cases, 1);
  EXPECT_EQ(c.assignments_received, 1);
  EXPECT_EQ(c.accepted_on_time, F(0, 1)) << "never accepted, long past due";
  EXPECT_EQ(c.response, F(0, 1));
  EXPECT_EQ(c.on_time_all, F(0, 2));
  EXPECT_FALSE(c.median_first_response_minutes);
  EXPECT_EQ(c.resolution, F(0, 0));
  EXPECT_EQ(c.satisfaction, F(0, 0));
  EXPECT_EQ(c.reassignment, F(0, 1));
  EXPECT_EQ(c.reminders, 2);
  EXPECT_EQ(c.supervision_items, 2);
  EXPECT_EQ(c.patterns, (PatternCounts{1, 1, 1, 1, 0, 1}));
  ASSERT_TRUE(c.score);
  EXPECT_DOUBLE_EQ(*c.score, 0) << "scored on the response rate alone";
  EXPECT_EQ(c.skipped, (std::vector<Rate>{Rate::kResolution, Rate::kSatisfaction}));
  EXPECT_NE(c.score_note_en.find("resolution_rate, satisfaction_rate skipped (no cases)"),
            std::string::npos)
      << c.score_note_en;
  EXPECT_NE(c.score_note_en.find("renormalised"), std::string::npos);
  EXPECT_NE(c.score_note_zh.find("解决率、满意率无适用工单未计入"), std::string::npos)
      << c.score_note_zh;
  EXPECT_EQ(c.rank, 3);

  const DepartmentAssessment& none = a->departments[3];
  EXPECT_EQ(none.cases, 0);
  EXPECT_FALSE(none.score);
  EXPECT_EQ(none.rank, 4) << "unscored departments come last";
  EXPECT_EQ(a->ranking, (std::vector<size_t>{0, 1, 2, 3}));
}

TEST(AssessmentTest, ConfiguredWeightsChangeTheScore) {
  auto weights =
      ParseWeightsText(R"({"response_rate":0.3,"resolution_rate":0.3,"satisfaction_rate":0.4})");
  ASSERT_TRUE(weights.ok()) << weights.status().ToString();
  auto req = Request();
  req.weights = *weights;
  const auto cases = History();
  auto a = Assess(cases, req);
  ASSERT_TRUE(a.ok());
  EXPECT_NEAR(*a->departments[0].score, 100 * (0.3 * 0.75 + 0.3 * 0.5 + 0.4 * 0.5), 1e-9);
  EXPECT_NEAR(*a->departments[1].score, 100 * (0.3 * 0.5 + 0.3 * 0 + 0.4 * 1), 1e-9);
  // Reassignment and repeat rates are scored as 1 − rate.
  auto bounce = ParseWeightsText(R"({"reassignment_rate":1,"repeat_rate":1})");
  ASSERT_TRUE(bounce.ok());
  req.weights = *bounce;
  a = Assess(cases, req);
  ASSERT_TRUE(a.ok());
  EXPECT_NEAR(*a->departments[0].score, 100 * ((1 - 0.5) + (1 - 0.25)) / 2, 1e-9);
  EXPECT_NEAR(*a->departments[2].score, 100, 1e-9);
  EXPECT_EQ(a->ranking[0], 2u) << "C was never bounced or reopened";
}

TEST(AssessmentTest, EqualScoresAreRankedByName) {
  const auto d = T("2026-01-05T08:00:00+08:00");
  std::vector<model::Case> cases;
  for (std::string dept : {"d-1", "d-2"}) {
    auto c = NewCase(static_cast<int64_t>(cases.size()) + 1, 4, model::CaseOrigin::kEvent, d);
    Assign(c, dept, d).accepted_at = d + hours(1);
    Publish(c, dept, d + hours(2), kFactual);
    cases.push_back(c);
  }
  AssessmentRequest r = Request();
  r.departments = {{"d-1", "Bureau B"}, {"d-2", "Bureau A"}};
  auto a = Assess(cases, r);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*a->departments[0].score, *a->departments[1].score);
  EXPECT_EQ(a->ranking, (std::vector<size_t>{1, 0}));
  EXPECT_EQ(a->departments[1].rank, 1);
}

TEST(AssessmentTest, BadRequestsAreInvalidArguments) {
  const auto cases = History();
  auto r = Request();
  r.to = r.from;
  EXPECT_EQ(Assess(cases, r).status().code(), StatusCode::kInvalidArgument);
  r = Request();
  r.departments.push_back({"d-a", "重复"});
  auto dup = Assess(cases, r);
  EXPECT_EQ(dup.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(dup.status().message().find("\"d-a\" is listed twice"), std::string::npos);
  r = Request();
  r.departments.push_back({"", "无编码"});
  EXPECT_EQ(Assess(cases, r).status().code(), StatusCode::kInvalidArgument);
}

TEST(WeightsTest, DefaultsWeighBeijingsThreeRatesEqually) {
  Weights w;
  EXPECT_DOUBLE_EQ(w[Rate::kResponse], 1.0 / 3);
  EXPECT_DOUBLE_EQ(w[Rate::kResolution], 1.0 / 3);
  EXPECT_DOUBLE_EQ(w[Rate::kSatisfaction], 1.0 / 3);
  EXPECT_DOUBLE_EQ(w[Rate::kAcceptance], 0);
  auto round_trip = ParseWeights(WeightsToJson(w));
  ASSERT_TRUE(round_trip.ok());
  EXPECT_EQ(*round_trip, w);
}

TEST(WeightsTest, UnknownKeysNegativeOrMissingWeightsAreRejected) {
  auto unknown = ParseWeightsText(R"({"response_rate":0.5,"speed":0.5})");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.status().message().find("unknown key \"speed\""), std::string::npos);
  auto negative = ParseWeightsText(R"({"response_rate":-0.1})");
  ASSERT_FALSE(negative.ok());
  EXPECT_NE(negative.status().message().find("\"response_rate\""), std::string::npos);
  EXPECT_FALSE(ParseWeightsText(R"({"response_rate":"high"})").ok());
  EXPECT_FALSE(ParseWeightsText(R"({"response_rate":0})").ok()) << "all zero";
  EXPECT_FALSE(ParseWeightsText(R"([0.3, 0.3])").ok());
  EXPECT_FALSE(ParseWeightsText("{response_rate:").ok());
  auto one = ParseWeightsText(R"({"on_time_rate":2})");
  ASSERT_TRUE(one.ok());
  EXPECT_DOUBLE_EQ((*one)[Rate::kOnTime], 2);
  EXPECT_DOUBLE_EQ((*one)[Rate::kResponse], 0) << "the object is the whole weighting";
}

TEST(AssessmentCsvTest, EnglishHeaderAndRowsInRankingOrder) {
  const auto cases = History();
  auto a = Assess(cases, Request());
  ASSERT_TRUE(a.ok());
  const std::string csv = AssessmentCsv(*a, "en");
  const std::string header =
      "rank,department_id,department,score,cases,assignments_received,accepted_on_time_rate,"
      "response_rate,on_time_rate,on_time_press,on_time_respond,on_time_first_release,"
      "on_time_reply,on_time_resolve,median_first_response_minutes,resolution_rate,"
      "satisfaction_rate,reassignment_rate,repeat_rate,extensions,reminders,supervision_items,"
      "criticisms,interviews,commendations,ignoring,passive,shirking,anticlimax,score_note\r\n";
  ASSERT_EQ(csv.substr(0, header.size()), header);
  const std::string row_a =
      "1,d-a,应急管理局,58.33,4,4,1.0000,0.7500,0.6000,0.0000,1.0000,,0.5000,0.5000,300.0,"
      "0.5000,0.5000,0.5000,0.2500,1,3,0,0,1,0,2,2,1,1,\"weighted mean of response_rate × "
      "0.333, resolution_rate × 0.333, satisfaction_rate × 0.333\"\r\n";
  EXPECT_EQ(csv.substr(header.size(), row_a.size()), row_a);
  // Four rows after the header, the unscored department last with an empty score.
  size_t lines = 0;
  for (size_t p = 0; (p = csv.find("\r\n", p)) != std::string::npos; p += 2) ++lines;
  EXPECT_EQ(lines, 5u);
  EXPECT_NE(csv.find("\r\n4,d-d,档案局,,0,0,"), std::string::npos);
}

TEST(AssessmentCsvTest, ChineseHeaderAndQuotedFields) {
  const auto cases = History();
  auto r = Request();
  r.departments[0].name = "应急管理局,\"一办\"";
  auto a = Assess(cases, r);
  ASSERT_TRUE(a.ok());
  const std::string csv = AssessmentCsv(*a, "zh-CN");
  EXPECT_EQ(csv.substr(0, csv.find(',', csv.find(',') + 1)), "排名,单位编码");
  EXPECT_NE(csv.find("签收及时率,响应率,按时率"), std::string::npos);
  EXPECT_NE(csv.find("\r\n1,d-a,\"应急管理局,\"\"一办\"\"\",58.33,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("加权平均"), std::string::npos);
}

}  // namespace
}  // namespace yuqing::cases
