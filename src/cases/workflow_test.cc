#include "cases/workflow.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "cases/deadlines.h"
#include "core/time.h"

namespace yuqing::cases {
namespace {

using model::CaseState;
using std::chrono::hours;
using std::chrono::minutes;
using json = nlohmann::json;

core::TimePoint T0() { return *core::ParseIso8601("2026-06-01T08:00:00+08:00"); }

access::Principal User(std::string name, model::Role role, std::string dept = "") {
  access::Principal p;
  p.user_id = static_cast<int64_t>(std::hash<std::string>{}(name) % 1000 + 1);
  p.name = std::move(name);
  p.role = role;
  p.department_id = std::move(dept);
  return p;
}

const access::Principal kCoord = User("coord", model::Role::kCoordinator);
const access::Principal kAnalyst = User("ana", model::Role::kAnalyst);
const access::Principal kRespA = User("resp_a", model::Role::kResponder, "a");
const access::Principal kRespB = User("resp_b", model::Role::kResponder, "b");
const access::Principal kLeader = User("leader", model::Role::kLeader);
const access::Principal kLeader2 = User("leader2", model::Role::kLeader);

class WorkflowTest : public ::testing::Test {
 protected:
  model::Case Opened() {
    OpenRequest r;
    r.title = "潞城区化工厂苯胺泄漏";
    r.origin = model::CaseOrigin::kEvent;
    r.event_id = 7;
    r.grade = 3;
    r.region = "140406";
    r.detected_at = T0();
    r.suggested_departments = {"a", "b"};
    auto d = Open(r, kAnalyst, T0() + minutes(5));
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    d->after.id = 1;
    d->after.version = 1;
    return d->after;
  }
  // Applies an action that must succeed.
  model::Case Do(const model::Case& c, const access::Principal& who, std::string action,
                 json args = json::object(), const DecideContext& ctx = {}) {
    now_ += minutes(10);
    auto d = Decide(c, who, {std::move(action), std::move(args)}, now_, ctx);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    if (!d.ok()) return c;
    EXPECT_EQ(d->after.version, c.version + 1);
    EXPECT_EQ(d->log.size(), 1u);
    return d->after;
  }
  Status Refused(const model::Case& c, const access::Principal& who, std::string action,
                 json args = json::object(), const DecideContext& ctx = {}) {
    auto d = Decide(c, who, {std::move(action), std::move(args)}, now_, ctx);
    EXPECT_FALSE(d.ok()) << "action was allowed";
    return d.ok() ? Status::Ok() : d.status();
  }
  // A case walked to `state` along the normal path.
  model::Case At(CaseState state) {
    model::Case c = Opened();
    if (state == CaseState::kNew) return c;
    c = Do(c, kAnalyst, "judge", {{"grade", "III"}, {"nature", "d"}});
    if (state == CaseState::kJudged) return c;
    c = Do(c, kCoord, "assign", {{"department", "a"}, {"assist", {"b"}}});
    if (state == CaseState::kAssigned) return c;
    c = Do(c, kRespA, "accept");
    if (state == CaseState::kAccepted) return c;
    c = Do(c, kRespA, "draft_response",
           {{"channel", "release"}, {"text", "已成立调查组，3人送医，已停产检测"}});
    if (state == CaseState::kResponding) return c;
    c = Do(c, kLeader, "approve_response", {{"response", 1}});
    if (state == CaseState::kResponded) return c;
    c = Do(c, kRespA, "follow_up", {{"note", "持续监测"}});
    if (state == CaseState::kFollowingUp) return c;
    c = Do(c, kAnalyst, "evaluate", {{"reflections", "首发及时"}});
    c = Do(c, kCoord, "close", {{"resolved", true}});
    if (state == CaseState::kClosed) return c;
    c = Do(c, kLeader, "finalise_evaluation");
    return c;
  }
  core::TimePoint now_ = T0() + hours(1);
};

TEST_F(WorkflowTest, TheNormalPathVisitsEveryStateInOrder) {
  std::vector<CaseState> seen;
  for (int s = 0; s < model::kCaseStateCount; ++s) {
    model::Case c = At(static_cast<CaseState>(s));
    EXPECT_EQ(c.state, static_cast<CaseState>(s)) << model::CaseStateName(c.state);
  }
}

// Every action from every state: allowed exactly where its spec says (the state machine as a
// table), and refused elsewhere with a message naming the state and the allowed moves.
TEST_F(WorkflowTest, EveryActionIsRefusedOutsideItsStates) {
  for (int s = 0; s < model::kCaseStateCount; ++s) {
    model::Case c = At(static_cast<CaseState>(s));
    std::set<std::string_view> allowed;
    for (auto a : AllowedActions(c)) allowed.insert(a);
    for (const ActionSpec& spec : Actions()) {
      if (spec.rule == ActorRule::kSystem) continue;
      bool in = std::find(spec.from.begin(), spec.from.end(), c.state) != spec.from.end();
      EXPECT_EQ(allowed.count(spec.name) == 1, in) << spec.name;
      if (in) continue;
      auto d = Decide(c, kCoord, {std::string(spec.name), json::object()}, now_, {});
      ASSERT_FALSE(d.ok()) << spec.name << " allowed in " << model::CaseStateName(c.state);
      EXPECT_EQ(d.status().code(), StatusCode::kFailedPrecondition) << d.status().ToString();
      EXPECT_NE(d.status().message().find(std::string(model::CaseStateName(c.state))),
                std::string::npos)
          << d.status().ToString();
      EXPECT_NE(d.status().message().find("Allowed now"), std::string::npos)
          << d.status().ToString();
    }
  }
}

TEST_F(WorkflowTest, ResponseToAClosedCaseIsRefusedAndSaysReopen) {
  model::Case c = At(CaseState::kClosed);
  Status s = Refused(c, kRespA, "draft_response", {{"channel", "weibo"}, {"text", "x"}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("reopen"), std::string::npos) << s.ToString();
  c = Do(c, kCoord, "reopen", {{"reason", "又有新的质疑"}});
  EXPECT_EQ(c.state, CaseState::kFollowingUp);
  EXPECT_EQ(c.reopened, 1);
  EXPECT_FALSE(c.closed_at);
  EXPECT_EQ(c.rounds.back().number, 2);
  c = Do(c, kRespA, "draft_response", {{"channel", "weibo"}, {"text", "第二轮通报"}});
  EXPECT_EQ(c.responses.size(), 2u);
}

TEST_F(WorkflowTest, ClosingNeedsTheEvaluation) {
  model::Case c = At(CaseState::kFollowingUp);
  Status s = Refused(c, kCoord, "close", {{"resolved", true}});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("evaluation"), std::string::npos) << s.ToString();
  EXPECT_EQ(Refused(c, kCoord, "evaluate", {{"reflections", "  "}}).code(),
            StatusCode::kInvalidArgument);
  c = Do(c, kAnalyst, "evaluate", {{"reflections", "发布会偏晚"}, {"facts", {{"x", 1}}}});
  c = Do(c, kCoord, "close", {{"resolved", false}});
  EXPECT_EQ(c.state, CaseState::kClosed);
  EXPECT_FALSE(c.resolved);
  EXPECT_EQ(c.evaluation->facts_json, R"({"x":1})");
}

TEST_F(WorkflowTest, ApprovalByTheResponseAuthorIsRefused) {
  model::Case c = At(CaseState::kAccepted);
  // A leader drafts (acting for the office) and must not approve their own text.
  c = Do(c, kLeader, "draft_response", {{"channel", "briefing"}, {"text", "通报"}});
  EXPECT_EQ(c.state, CaseState::kResponding);
  Status s = Refused(c, kLeader, "approve_response", {{"response", 1}});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("another leader"), std::string::npos) << s.ToString();
  // Not a leader at all: refused too.
  EXPECT_EQ(Refused(c, kCoord, "approve_response", {{"response", 1}}).code(),
            StatusCode::kPermissionDenied);
  c = Do(c, kLeader2, "approve_response", {{"response", 1}});
  EXPECT_EQ(c.state, CaseState::kResponded);
  EXPECT_EQ(c.responses[0].status, model::ResponseStatus::kPublished);
  EXPECT_EQ(c.responses[0].round, 1);
  EXPECT_EQ(c.responses[0].published_at, now_);
  // A published response is not reviewed twice.
  EXPECT_EQ(Refused(c, kLeader, "approve_response", {{"response", 1}}).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(WorkflowTest, RejectedDraftNeedsAReasonAndDoesNotCount) {
  model::Case c = At(CaseState::kResponding);
  EXPECT_EQ(Refused(c, kLeader, "reject_response", {{"response", 1}}).code(),
            StatusCode::kInvalidArgument);
  c = Do(c, kLeader, "reject_response", {{"response", 1}, {"note", "缺少具体措施"}});
  EXPECT_EQ(c.responses[0].status, model::ResponseStatus::kRejected);
  EXPECT_EQ(c.state, CaseState::kResponding);
  EXPECT_FALSE(FirstPublished(c));
}

TEST_F(WorkflowTest, ResponsesComeInRounds) {
  model::Case c = At(CaseState::kResponded);
  c = Do(c, kAnalyst, "new_round", {{"reason", "网民质疑首次通报数字"}});
  EXPECT_EQ(c.rounds.size(), 2u);
  c = Do(c, kRespA, "draft_response", {{"channel", "press_conference"}, {"text", "发布会"}});
  c = Do(c, kLeader, "approve_response", {{"response", 2}});
  EXPECT_EQ(c.responses[1].round, 2);
  EXPECT_EQ(c.state, CaseState::kResponded);
}

TEST_F(WorkflowTest, OnlyTheMainDepartmentAcceptsReturnsOrDisputes) {
  model::Case c = At(CaseState::kAssigned);
  access::Principal other = User("resp_x", model::Role::kResponder, "x");
  EXPECT_EQ(Refused(c, other, "accept").code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Refused(c, other, "return", {{"reason", "r"}}).code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(Refused(c, kRespB, "dispute", {{"reason", "r"}}).code(), StatusCode::kPermissionDenied);
  // The assisting department accepts its own part; the state follows the main department.
  model::Case b = Do(c, kRespB, "accept");
  EXPECT_EQ(b.state, CaseState::kAssigned);
  b = Do(b, kRespA, "accept");
  EXPECT_EQ(b.state, CaseState::kAccepted);
  EXPECT_EQ(Refused(b, kRespA, "accept").code(), StatusCode::kFailedPrecondition);
  // A responder of another department does not draft on this case.
  EXPECT_EQ(Refused(b, other, "draft_response", {{"channel", "weibo"}, {"text", "t"}}).code(),
            StatusCode::kPermissionDenied);
}

TEST_F(WorkflowTest, ReturnSendsTheCaseBackForReassignment) {
  model::Case c = At(CaseState::kAccepted);
  EXPECT_EQ(Refused(c, kRespA, "return").code(), StatusCode::kInvalidArgument);
  c = Do(c, kRespA, "return", {{"reason", "不属于我局职责"}});
  EXPECT_EQ(c.state, CaseState::kJudged);
  EXPECT_EQ(MainAssignment(c), nullptr);
  EXPECT_EQ(c.assignments[0].end_reason, "returned");
  c = Do(c, kCoord, "assign", {{"department", "b"}});
  EXPECT_EQ(MainAssignment(c)->department_id, "b");
}

TEST_F(WorkflowTest, DisputeIsDecidedByTheCoordinator) {
  model::Case c = At(CaseState::kAssigned);
  c = Do(c, kRespA, "dispute", {{"reason", "应由应急局主办"}, {"suggested_department", "b"}});
  EXPECT_EQ(c.state, CaseState::kAssigned);
  EXPECT_EQ(Refused(c, kRespA, "accept").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Refused(c, kRespA, "dispute", {{"reason", "again"}}).code(),
            StatusCode::kFailedPrecondition);
  model::Case kept = Do(c, kCoord, "decide_dispute", {{"upheld", false}, {"decision", "维持"}});
  EXPECT_EQ(MainAssignment(kept)->department_id, "a");
  model::Case moved = Do(c, kCoord, "decide_dispute", {{"upheld", true}, {"decision", "改由 b"}});
  EXPECT_EQ(MainAssignment(moved)->department_id, "b");
  EXPECT_EQ(moved.assignments[0].end_reason, "dispute");
  EXPECT_EQ(Refused(moved, kCoord, "decide_dispute", {{"upheld", false}, {"decision", "x"}}).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(WorkflowTest, AssignmentDownAndReportUpAreRecordedHandovers) {
  model::Organisation org;
  model::Department city;
  city.id = "cz.env";
  city.name = "长治市生态环境局";
  city.region = "140400";
  model::Department county;
  county.id = "lc.env";
  county.name = "潞城区生态环境局";
  county.region = "140406";
  org.departments = {city, county};
  DecideContext ctx;
  ctx.organisation = &org;
  model::Case c = At(CaseState::kJudged);
  c.handling_region = "140400";
  EXPECT_EQ(Refused(c, kCoord, "assign", {{"department", "nope"}}, ctx).code(),
            StatusCode::kNotFound);
  c = Do(c, kCoord, "assign", {{"department", "lc.env"}}, ctx);
  ASSERT_EQ(c.handovers.size(), 1u);
  EXPECT_EQ(c.handovers[0].direction, "down");
  EXPECT_EQ(c.handling_region, "140406");
  c = Do(c, kCoord, "hand_up", {{"reason", "超出区级处置能力"}}, ctx);
  EXPECT_EQ(c.handovers.back().direction, "up");
  EXPECT_EQ(c.handling_region, "140400");
  c = Do(c, kCoord, "hand_up", {{"reason", "重大"}}, ctx);
  EXPECT_EQ(c.handling_region, "140000");
  EXPECT_EQ(Refused(c, kCoord, "hand_up", {{"reason", "x"}, {"to_region", "140406"}}, ctx).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(WorkflowTest, RumourHandOverNeedsEvidenceAndTwoPeople) {
  model::Case c = At(CaseState::kAccepted);
  EXPECT_EQ(Refused(c, kAnalyst, "judge_rumour",
                    {{"claim", "自来水有毒"}, {"hand_to", "public_security"}, {"judgment", "j"}})
                .code(),
            StatusCode::kInvalidArgument);  // no evidence
  c = Do(c, kAnalyst, "judge_rumour",
         {{"claim", "自来水有毒"},
          {"evidence", {"weibo/123", "检测报告 2026-06-01"}},
          {"hand_to", "public_security"},
          {"judgment", "检测结果合格"}});
  EXPECT_EQ(c.rumours[0].status, "pending");
  Status s = Refused(c, kAnalyst, "approve_rumour", {{"rumour", 1}});
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(s.message().find("another person"), std::string::npos);
  c = Do(c, kLeader, "approve_rumour", {{"rumour", 1}});
  EXPECT_EQ(c.rumours[0].status, "handed_over");
  EXPECT_EQ(Refused(c, kCoord, "reverse_rumour", {{"rumour", 1}}).code(),
            StatusCode::kInvalidArgument);
  c = Do(c, kCoord, "reverse_rumour", {{"rumour", 1}, {"reason", "后续证实部分属实"}});
  EXPECT_EQ(c.rumours[0].status, "reversed");
  EXPECT_EQ(Refused(c, kCoord, "reverse_rumour", {{"rumour", 1}, {"reason", "x"}}).code(),
            StatusCode::kFailedPrecondition);
}

TEST_F(WorkflowTest, MergeMovesTheDuplicateIntoTheOtherCase) {
  model::Case dup = At(CaseState::kAssigned);
  model::Case main = At(CaseState::kAccepted);
  main.id = 2;
  EXPECT_EQ(Refused(dup, kCoord, "merge", {{"into", 2}}).code(), StatusCode::kNotFound);
  DecideContext ctx;
  ctx.other = &main;
  now_ += minutes(1);
  auto d = Decide(dup, kCoord, {"merge", {{"into", 2}, {"reason", "同一事件"}}}, now_, ctx);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->after.merged_into, 2);
  ASSERT_TRUE(d->other_after);
  EXPECT_EQ(d->other_after->merged_from, std::vector<int64_t>{1});
  EXPECT_EQ(d->other_after->version, main.version + 1);
  auto refused = Decide(d->after, kCoord, {"judge", json::object()}, now_, {});
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("merged into case 2"), std::string::npos);
  EXPECT_TRUE(AllowedActions(d->after).empty());
}

TEST_F(WorkflowTest, HotlineReplyAndFollowUpVisit) {
  OpenRequest r;
  r.title = "12345：小区停水三天";
  r.origin = model::CaseOrigin::kHotline;
  r.grade = 4;
  r.region = "140402";
  r.detected_at = T0();
  r.petitioner = model::PetitionerContact{};
  r.petitioner->name = "王某";
  r.petitioner->contact = "138****0000";
  r.petitioner->record_id = "12345-0601-001";
  auto opened = Open(r, kAnalyst, T0());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  model::Case c = opened->after;
  c.id = 5;
  c = Do(c, kAnalyst, "judge");
  c = Do(c, kCoord, "assign", {{"department", "a"}});
  c = Do(c, kRespA, "accept");
  EXPECT_EQ(Refused(c, kCoord, "record_visit", {{"satisfaction", "satisfied"}}).code(),
            StatusCode::kFailedPrecondition);
  c = Do(c, kRespA, "reply_petitioner", {{"reply", "已安排抢修，今晚恢复供水"}});
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kReply, now_)->state, ClockState::kMet);
  EXPECT_EQ(Refused(c, kCoord, "record_visit", {{"satisfaction", "ok"}}).code(),
            StatusCode::kInvalidArgument);
  c = Do(c, kCoord, "record_visit", {{"satisfaction", "basically"}});
  EXPECT_EQ(c.petitioner->satisfaction, "basically");
  // A petitioner on an event case is refused.
  r.origin = model::CaseOrigin::kEvent;
  r.event_id = 3;
  EXPECT_EQ(Open(r, kAnalyst, T0()).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(WorkflowTest, BadFieldsAreNamed) {
  model::Case c = At(CaseState::kNew);
  Status s = Refused(c, kAnalyst, "judge", {{"grade", "V"}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("\"grade\""), std::string::npos) << s.ToString();
  s = Refused(c, kAnalyst, "nonsense");
  EXPECT_NE(s.message().find("unknown case action"), std::string::npos) << s.ToString();
  model::Case j = At(CaseState::kJudged);
  s = Refused(j, kCoord, "set_policy",
              {{"policy", {{"respond_within_hours", "soon"}}}, {"reason", "r"}});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("respond_within_hours"), std::string::npos) << s.ToString();
  s = Refused(j, kCoord, "set_policy", {{"policy", {{"respond_in", 3}}}, {"reason", "r"}});
  EXPECT_NE(s.message().find("unknown key"), std::string::npos) << s.ToString();
  model::Case a = At(CaseState::kAccepted);
  s = Refused(a, kRespA, "draft_response", {{"channel", "fax"}, {"text", "t"}});
  EXPECT_NE(s.message().find("\"channel\""), std::string::npos) << s.ToString();
}

TEST_F(WorkflowTest, EventFollowerTakesOverEscalationAndMerges) {
  model::Case c = At(CaseState::kAccepted);
  access::Principal system;
  system.name = "system";
  EXPECT_EQ(Refused(c, kCoord, "follow_event", {{"event_id", 9}}).code(),
            StatusCode::kPermissionDenied);
  c = Do(c, system, "follow_event", {{"event_id", 9}, {"grade", 2}, {"heat", 77.5}});
  EXPECT_EQ(c.event_id, 9);
  EXPECT_EQ(c.grade, 2);
  EXPECT_DOUBLE_EQ(c.event_heat, 77.5);
  c = Do(c, system, "follow_event", {{"event_id", 9}, {"grade", 4}, {"heat", 10}});
  EXPECT_EQ(c.grade, 2) << "a calmer event does not lower the judged grade";
}

TEST_F(WorkflowTest, TasksAndSupervisionAndNotices) {
  model::Case c = At(CaseState::kAccepted);
  c = Do(c, kRespA, "add_task",
         {{"title", "入户检测水质"}, {"owner", "张三"}, {"due", "2026-06-02T18:00:00+08:00"}});
  EXPECT_EQ(c.tasks[0].owner_department, "a");
  c = Do(c, kRespA, "complete_task", {{"task", 1}, {"result", "水质合格"}});
  EXPECT_TRUE(c.tasks[0].done_at);
  EXPECT_EQ(Refused(c, kRespA, "complete_task", {{"task", 1}, {"result", "x"}}).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(Refused(c, kRespA, "complete_task", {{"task", 9}, {"result", "x"}}).code(),
            StatusCode::kNotFound);
  c = Do(c, kLeader, "open_supervision", {{"reason", "进展缓慢"}});
  EXPECT_EQ(c.supervision[0].department_id, "a");
  c = Do(c, kLeader, "close_supervision", {{"supervision", 1}, {"outcome", "已整改"}});
  c = Do(c, kCoord, "add_notice",
         {{"kind", "commendation"}, {"department", "b"}, {"text", "协办得力"}});
  EXPECT_EQ(c.notices[0].status, "issued");
  EXPECT_EQ(Refused(c, kCoord, "decide_notice", {{"notice", 1}, {"issue", true}}).code(),
            StatusCode::kFailedPrecondition);
  c = Do(c, kCoord, "extend", {{"days", 5}, {"reason", "需第三方检测"}});
  EXPECT_EQ(c.extended_by, hours(120));
}

}  // namespace
}  // namespace yuqing::cases
