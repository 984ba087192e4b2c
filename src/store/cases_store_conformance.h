// The CaseStore conformance tests, written once for every backend (CONVENTIONS.md §9): what
// cases_store.h promises, checked through the Store interface only (cases, their logs, the
// notices in the alert outbox, the audit entries, risk assessments). A backend's test file
// includes this header and instantiates the suite with a factory:
//
//   using conformance::CaseStoreConformance;
//   INSTANTIATE_TEST_SUITE_P(Sqlite, CaseStoreConformance,
//                            ::testing::Values(conformance::CaseStoreBackend{"sqlite", Open}),
//                            conformance::CaseStoreBackendName);
//
// The header defines the tests, so include it in one .cc per test binary (several backends
// in one binary go into one Values(...) list). Test-only code.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "core/time.h"
#include "model/case.h"
#include "store/case_codec.h"
#include "store/store.h"
#include "testing/test_util.h"

namespace yuqing::store::conformance {

// How a backend makes a fresh, empty store for one test. `dir` is an empty directory that
// outlives the store (the SQLite file goes there; a PostgreSQL backend may start its server
// there). Returns null after reporting a failure (ADD_FAILURE) when it cannot.
struct CaseStoreBackend {
  std::string name;  // the instantiation's name in test output: "sqlite"
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};

// What gtest prints for the parameter (it would dump the bytes otherwise).
inline void PrintTo(const CaseStoreBackend& backend, std::ostream* os) { *os << backend.name; }

inline std::string CaseStoreBackendName(const ::testing::TestParamInfo<CaseStoreBackend>& info) {
  return info.param.name;
}

inline core::TimePoint At(const char* iso) { return *core::ParseIso8601(iso); }

// A case with every field set to something other than its default and every list non-empty,
// so a field the codec forgets shows up as a difference.
inline model::Case FullCase() {
  model::Case c;
  c.title = "潞城区化工厂爆炸";
  c.description = "11月21日8时许，潞城区一化工厂发生爆炸，现场浓烟滚滚。\n网传\"死亡12人\"。";
  c.origin = model::CaseOrigin::kHotline;
  c.event_id = 12;
  c.state = model::CaseState::kFollowingUp;
  c.grade = 2;
  c.nature = "安全生产事故";
  c.region = "140406";
  c.handling_region = "140400";
  c.detected_at = At("2026-11-21T08:05:00.250+08:00");
  c.created_at = At("2026-11-21T08:30:00+08:00");
  c.updated_at = At("2026-11-22T10:00:00+08:00");
  c.created_by = "zhang";
  c.policy.name = "长治";
  c.policy.press_within = std::chrono::minutes(20 * 60);
  c.policy.respond_within = std::chrono::minutes(40 * 60);
  c.policy.first_release = true;
  c.policy.first_release_within = std::chrono::minutes(4 * 60);
  c.policy.reply_within = std::chrono::minutes(48 * 60);
  c.policy.resolve_within = std::chrono::minutes(10 * 24 * 60);
  c.policy.accept_within = std::chrono::minutes(90);
  c.policy.remind_at = 0.6;
  c.policy.criticise_after = std::chrono::minutes(12 * 60);
  c.policy.keep_releasing_every = std::chrono::minutes(6 * 60);
  c.policy.hot_heat = 35.5;
  c.policy.passive_after = std::chrono::minutes(30 * 60);
  c.policy.time_zone = "Asia/Urumqi";
  c.suggested_departments = {"cz-yjj", "cz-hbj"};
  c.routing_json = R"({"rule":"emergency","departments":["cz-yjj"]})";
  model::Assignment main;
  main.department_id = "cz-yjj";
  main.role = model::AssignmentRole::kMain;
  main.assigned_at = At("2026-11-21T08:40:00+08:00");
  main.assigned_by = "coordinator";
  main.accepted_at = At("2026-11-21T09:00:00+08:00");
  main.accepted_by = "wang";
  main.ended_at = At("2026-11-21T12:00:00+08:00");
  main.end_reason = "dispute";
  main.note = "按属地";
  model::Assignment assist;
  assist.department_id = "cz-hbj";
  assist.role = model::AssignmentRole::kAssist;
  assist.assigned_at = At("2026-11-21T08:41:00+08:00");
  assist.assigned_by = "coordinator";
  c.assignments = {main, assist};
  model::Dispute d;
  d.id = 1;
  d.department_id = "cz-yjj";
  d.raised_by = "wang";
  d.raised_at = At("2026-11-21T10:00:00+08:00");
  d.reason = "不属于本单位职责";
  d.suggested_department = "cz-gxj";
  d.decided_at = At("2026-11-21T12:00:00+08:00");
  d.decided_by = "coordinator";
  d.upheld = true;
  d.decision = "改派工信局";
  c.disputes = {d};
  model::Handover h;
  h.at = At("2026-11-21T13:00:00+08:00");
  h.by = "coordinator";
  h.direction = "down";
  h.from_region = "140000";
  h.to_region = "140400";
  h.department_id = "cz-gxj";
  h.reason = "属地处置";
  c.handovers = {h};
  model::Round r1;
  r1.number = 1;
  r1.opened_at = c.created_at;
  r1.opened_by = "zhang";
  r1.reason = "opened";
  model::Round r2 = r1;
  r2.number = 2;
  r2.reason = "网传伤亡数字不一";
  c.rounds = {r1, r2};
  model::Response resp;
  resp.id = 1;
  resp.department_id = "cz-gxj";
  resp.channel = model::ResponseChannel::kWeibo;
  resp.speaker = "新闻发言人";
  resp.text = "经核实，事故造成3人死亡、8人受伤，1人失联。";
  resp.attachments = {"https://example.org/notice.pdf", "长应急〔2026〕12号"};
  resp.author = "li";
  resp.drafted_at = At("2026-11-21T14:00:00+08:00");
  resp.status = model::ResponseStatus::kPublished;
  resp.reviewed_by = "leader";
  resp.reviewed_at = At("2026-11-21T14:30:00+08:00");
  resp.review_note = "同意发布";
  resp.published_at = At("2026-11-21T14:31:00+08:00");
  resp.round = 1;
  resp.figures.deaths = 3;
  resp.figures.injured = 8;
  resp.figures.missing = 1;
  resp.figures.loss_yuan = 1.25e7;
  c.responses = {resp};
  model::Task t;
  t.id = 1;
  t.title = "排查周边企业";
  t.owner_department = "cz-gxj";
  t.owner = "赵科长";
  t.due_at = At("2026-11-23T18:00:00+08:00");
  t.created_at = At("2026-11-21T15:00:00+08:00");
  t.created_by = "coordinator";
  t.done_at = At("2026-11-22T18:00:00+08:00");
  t.result = "已完成";
  c.tasks = {t};
  model::Supervision s;
  s.id = 1;
  s.obligation = "respond";
  s.department_id = "cz-gxj";
  s.owner = "督查室";
  s.opened_at = At("2026-11-21T16:00:00+08:00");
  s.opened_by = "system";
  s.due_at = At("2026-11-22T16:00:00+08:00");
  s.reason = "逾期未回应";
  s.closed_at = At("2026-11-22T09:00:00+08:00");
  s.closed_by = "coordinator";
  s.outcome = "已回应";
  c.supervision = {s};
  model::Notice n;
  n.id = 1;
  n.kind = model::NoticeKind::kInterview;
  n.department_id = "cz-gxj";
  n.text = "约谈";
  n.at = At("2026-11-22T09:30:00+08:00");
  n.by = "system";
  n.status = "proposed";
  n.decided_by = "leader";
  n.decided_at = At("2026-11-22T10:00:00+08:00");
  c.notices = {n};
  model::RumourDecision rd;
  rd.id = 1;
  rd.claim = "死亡12人";
  rd.evidence = {"weibo/wb1", "weibo/wb2"};
  rd.hand_to = "public_security";
  rd.judged_by = "li";
  rd.judged_at = At("2026-11-21T15:00:00+08:00");
  rd.judgment = "与通报不符";
  rd.status = "reversed";
  rd.approved_by = "leader";
  rd.approved_at = At("2026-11-21T15:30:00+08:00");
  rd.reversed_by = "leader2";
  rd.reversed_at = At("2026-11-21T16:30:00+08:00");
  rd.reverse_reason = "新证据";
  c.rumours = {rd};
  model::PetitionerContact p;
  p.name = "王女士";
  p.contact = "138****0000";
  p.record_id = "12345-2026-0001";
  p.replied_at = At("2026-11-22T11:00:00+08:00");
  p.replied_by = "wang";
  p.reply = "已答复";
  p.visited_at = At("2026-11-25T11:00:00+08:00");
  p.satisfaction = "basically";
  c.petitioner = p;
  c.extensions = {At("2026-11-30T00:00:00+08:00"), At("2026-12-05T00:00:00+08:00")};
  c.extended_by = std::chrono::minutes(10 * 24 * 60);
  model::Evaluation e;
  e.facts_json = R"({"timeline":[1,2,3]})";
  e.summary = "总结";
  e.reflections = "反思";
  e.suggestions = "建议";
  e.drafted_by = "li";
  e.drafted_at = At("2026-12-06T10:00:00+08:00");
  e.finalised_by = "leader";
  e.finalised_at = At("2026-12-07T10:00:00+08:00");
  c.evaluation = e;
  c.closed_at = At("2026-12-06T09:00:00+08:00");
  c.resolved = true;
  c.reopened = 2;
  c.merged_into = 0;  // a merged case drops out of default lists; merged_from is set instead
  c.merged_from = {41, 42};
  c.risk_assessment_id = 3;
  c.sweep_marks = {"remind:respond", "overdue:press", "keep:3"};
  c.event_heat = 71.3;
  c.event_grade = 2;
  return c;
}

// Compares every field of two cases (model::Case has no operator==), naming the one that
// differs.
inline void ExpectSameCase(const model::Case& a, const model::Case& b) {
#define YQ_SAME(field) EXPECT_EQ(a.field, b.field) << #field
  YQ_SAME(id);
  YQ_SAME(version);
  YQ_SAME(title);
  YQ_SAME(description);
  YQ_SAME(origin);
  YQ_SAME(event_id);
  YQ_SAME(state);
  YQ_SAME(grade);
  YQ_SAME(nature);
  YQ_SAME(region);
  YQ_SAME(handling_region);
  YQ_SAME(detected_at);
  YQ_SAME(created_at);
  YQ_SAME(updated_at);
  YQ_SAME(created_by);
  EXPECT_TRUE(a.policy == b.policy) << "policy";
  YQ_SAME(suggested_departments);
  YQ_SAME(routing_json);
  YQ_SAME(extensions);
  YQ_SAME(extended_by);
  YQ_SAME(closed_at);
  YQ_SAME(resolved);
  YQ_SAME(reopened);
  YQ_SAME(merged_into);
  YQ_SAME(merged_from);
  YQ_SAME(risk_assessment_id);
  YQ_SAME(sweep_marks);
  YQ_SAME(event_heat);
  YQ_SAME(event_grade);
  ASSERT_EQ(a.assignments.size(), b.assignments.size());
  for (size_t i = 0; i < a.assignments.size(); ++i) {
    YQ_SAME(assignments[i].department_id);
    YQ_SAME(assignments[i].role);
    YQ_SAME(assignments[i].assigned_at);
    YQ_SAME(assignments[i].assigned_by);
    YQ_SAME(assignments[i].accepted_at);
    YQ_SAME(assignments[i].accepted_by);
    YQ_SAME(assignments[i].ended_at);
    YQ_SAME(assignments[i].end_reason);
    YQ_SAME(assignments[i].note);
  }
  ASSERT_EQ(a.disputes.size(), b.disputes.size());
  for (size_t i = 0; i < a.disputes.size(); ++i) {
    YQ_SAME(disputes[i].id);
    YQ_SAME(disputes[i].department_id);
    YQ_SAME(disputes[i].raised_by);
    YQ_SAME(disputes[i].raised_at);
    YQ_SAME(disputes[i].reason);
    YQ_SAME(disputes[i].suggested_department);
    YQ_SAME(disputes[i].decided_at);
    YQ_SAME(disputes[i].decided_by);
    YQ_SAME(disputes[i].upheld);
    YQ_SAME(disputes[i].decision);
  }
  ASSERT_EQ(a.handovers.size(), b.handovers.size());
  for (size_t i = 0; i < a.handovers.size(); ++i) {
    YQ_SAME(handovers[i].at);
    YQ_SAME(handovers[i].by);
    YQ_SAME(handovers[i].direction);
    YQ_SAME(handovers[i].from_region);
    YQ_SAME(handovers[i].to_region);
    YQ_SAME(handovers[i].department_id);
    YQ_SAME(handovers[i].reason);
  }
  ASSERT_EQ(a.rounds.size(), b.rounds.size());
  for (size_t i = 0; i < a.rounds.size(); ++i) {
    YQ_SAME(rounds[i].number);
    YQ_SAME(rounds[i].opened_at);
    YQ_SAME(rounds[i].opened_by);
    YQ_SAME(rounds[i].reason);
  }
  ASSERT_EQ(a.responses.size(), b.responses.size());
  for (size_t i = 0; i < a.responses.size(); ++i) {
    YQ_SAME(responses[i].id);
    YQ_SAME(responses[i].department_id);
    YQ_SAME(responses[i].channel);
    YQ_SAME(responses[i].speaker);
    YQ_SAME(responses[i].text);
    YQ_SAME(responses[i].attachments);
    YQ_SAME(responses[i].author);
    YQ_SAME(responses[i].drafted_at);
    YQ_SAME(responses[i].status);
    YQ_SAME(responses[i].reviewed_by);
    YQ_SAME(responses[i].reviewed_at);
    YQ_SAME(responses[i].review_note);
    YQ_SAME(responses[i].published_at);
    YQ_SAME(responses[i].round);
    EXPECT_TRUE(a.responses[i].figures == b.responses[i].figures) << "responses[i].figures";
  }
  ASSERT_EQ(a.tasks.size(), b.tasks.size());
  for (size_t i = 0; i < a.tasks.size(); ++i) {
    YQ_SAME(tasks[i].id);
    YQ_SAME(tasks[i].title);
    YQ_SAME(tasks[i].owner_department);
    YQ_SAME(tasks[i].owner);
    YQ_SAME(tasks[i].due_at);
    YQ_SAME(tasks[i].created_at);
    YQ_SAME(tasks[i].created_by);
    YQ_SAME(tasks[i].done_at);
    YQ_SAME(tasks[i].result);
  }
  ASSERT_EQ(a.supervision.size(), b.supervision.size());
  for (size_t i = 0; i < a.supervision.size(); ++i) {
    YQ_SAME(supervision[i].id);
    YQ_SAME(supervision[i].obligation);
    YQ_SAME(supervision[i].department_id);
    YQ_SAME(supervision[i].owner);
    YQ_SAME(supervision[i].opened_at);
    YQ_SAME(supervision[i].opened_by);
    YQ_SAME(supervision[i].due_at);
    YQ_SAME(supervision[i].reason);
    YQ_SAME(supervision[i].closed_at);
    YQ_SAME(supervision[i].closed_by);
    YQ_SAME(supervision[i].outcome);
  }
  ASSERT_EQ(a.notices.size(), b.notices.size());
  for (size_t i = 0; i < a.notices.size(); ++i) {
    YQ_SAME(notices[i].id);
    YQ_SAME(notices[i].kind);
    YQ_SAME(notices[i].department_id);
    YQ_SAME(notices[i].text);
    YQ_SAME(notices[i].at);
    YQ_SAME(notices[i].by);
    YQ_SAME(notices[i].status);
    YQ_SAME(notices[i].decided_by);
    YQ_SAME(notices[i].decided_at);
  }
  ASSERT_EQ(a.rumours.size(), b.rumours.size());
  for (size_t i = 0; i < a.rumours.size(); ++i) {
    YQ_SAME(rumours[i].id);
    YQ_SAME(rumours[i].claim);
    YQ_SAME(rumours[i].evidence);
    YQ_SAME(rumours[i].hand_to);
    YQ_SAME(rumours[i].judged_by);
    YQ_SAME(rumours[i].judged_at);
    YQ_SAME(rumours[i].judgment);
    YQ_SAME(rumours[i].status);
    YQ_SAME(rumours[i].approved_by);
    YQ_SAME(rumours[i].approved_at);
    YQ_SAME(rumours[i].reversed_by);
    YQ_SAME(rumours[i].reversed_at);
    YQ_SAME(rumours[i].reverse_reason);
  }
  ASSERT_EQ(a.petitioner.has_value(), b.petitioner.has_value());
  if (a.petitioner) {
    YQ_SAME(petitioner->name);
    YQ_SAME(petitioner->contact);
    YQ_SAME(petitioner->record_id);
    YQ_SAME(petitioner->replied_at);
    YQ_SAME(petitioner->replied_by);
    YQ_SAME(petitioner->reply);
    YQ_SAME(petitioner->visited_at);
    YQ_SAME(petitioner->satisfaction);
  }
  ASSERT_EQ(a.evaluation.has_value(), b.evaluation.has_value());
  if (a.evaluation) {
    YQ_SAME(evaluation->facts_json);
    YQ_SAME(evaluation->summary);
    YQ_SAME(evaluation->reflections);
    YQ_SAME(evaluation->suggestions);
    YQ_SAME(evaluation->drafted_by);
    YQ_SAME(evaluation->drafted_at);
    YQ_SAME(evaluation->finalised_by);
    YQ_SAME(evaluation->finalised_at);
  }
#undef YQ_SAME
}

// A small case: `title`, opened by hand in `region`, created at `created`.
inline model::Case SmallCase(std::string title, std::string region, core::TimePoint created) {
  model::Case c;
  c.title = std::move(title);
  c.region = region;
  c.handling_region = std::move(region);
  c.detected_at = c.created_at = c.updated_at = created;
  c.created_by = "zhang";
  return c;
}

inline model::CaseLogEntry LogLine(std::string action, model::CaseState from, model::CaseState to,
                                   core::TimePoint at, std::string detail = "") {
  model::CaseLogEntry e;
  e.at = at;
  e.actor = "zhang";
  e.action = std::move(action);
  e.from_state = std::string(model::CaseStateName(from));
  e.to_state = std::string(model::CaseStateName(to));
  e.detail_json = std::move(detail);
  return e;
}

inline model::AuditDraft CaseDraft(std::string action, core::TimePoint at) {
  model::AuditDraft d;
  d.at = at;
  d.actor_id = 1;
  d.actor = "zhang";
  d.action = std::move(action);
  d.object_type = "case";
  d.to_json = "{}";
  d.reason = "test";
  return d;
}

// A supervision notice to one webhook, as the sweep would raise it.
inline model::NewAlert CaseNotice(std::string key, core::TimePoint at) {
  model::NewAlert n;
  n.level = 2;
  n.created_at = at;
  n.title = "【督办】潞城区化工厂爆炸";
  n.payload_json = R"({"kind":"case_notice","text":"逾期未回应","obligation":"respond"})";
  n.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/hook", "s3cret"}};
  n.dedup_key = std::move(key);
  return n;
}

class CaseStoreConformance : public ::testing::TestWithParam<CaseStoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path().string());
    ASSERT_NE(store_, nullptr);
  }

  // Creates `c` with an "open" log line and audit entry; fails the test if refused.
  model::Case Create(model::Case c, std::vector<model::NewAlert> notices = {}) {
    CaseChange ch;
    ch.after = std::move(c);
    ch.log = {LogLine("open", model::CaseState::kNew, ch.after.state, ch.after.created_at)};
    ch.notices = std::move(notices);
    ch.audit = CaseDraft("case.open", ch.after.created_at);
    auto r = store_->CreateCase(ch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : model::Case{};
  }

  // The change `edit` makes to the stored case `id`, based on version `base`.
  CaseChange Change(const model::Case& base, const std::function<void(model::Case&)>& edit) {
    CaseChange ch;
    ch.after = base;
    ch.after.version = base.version + 1;
    edit(ch.after);
    ch.log = {LogLine("edit", base.state, ch.after.state, At("2026-11-22T08:00:00+08:00"))};
    ch.audit = CaseDraft("case.edit", At("2026-11-22T08:00:00+08:00"));
    ch.audit.object_id = std::to_string(base.id);
    return ch;
  }

  Status Update(std::vector<CaseChange> changes) { return store_->UpdateCases(changes).status(); }

  std::vector<int64_t> Ids(const CaseFilter& f) {
    auto r = store_->ListCases(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    std::vector<int64_t> ids;
    if (r.ok()) {
      for (const auto& c : *r) ids.push_back(c.id);
    }
    return ids;
  }

  std::vector<model::Alert> Alerts(AlertQuery q = {}) {
    q.limit = 1000;
    auto r = store_->ListAlerts(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : std::vector<model::Alert>{};
  }

  size_t AuditSize() {
    auto r = store_->ScanAudit(0, 100000);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->size() : 0;
  }

  size_t LogSize(int64_t id) {
    auto r = store_->CaseLog(id);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->size() : 0;
  }

  model::Case Get(int64_t id) {
    auto r = store_->GetCase(id);
    EXPECT_TRUE(r.ok() && r->has_value()) << r.status().ToString();
    return r.ok() && r->has_value() ? **r : model::Case{};
  }

  ::yuqing::testing::TempDir dir_;  // declared first: outlives the store
  std::unique_ptr<Store> store_;
};

// NOLINTBEGIN(misc-definitions-in-headers): the tests are defined here once for every backend.

TEST_P(CaseStoreConformance, CreateAssignsIdAndVersionOneAndAuditsUnderTheNewId) {
  model::Case a = Create(SmallCase("化工厂爆炸", "140406", At("2026-11-21T08:30:00+08:00")));
  model::Case b = Create(SmallCase("河道污染", "140402", At("2026-11-21T09:30:00+08:00")));
  EXPECT_GT(a.id, 0);
  EXPECT_GT(b.id, a.id);
  EXPECT_EQ(a.version, 1);
  EXPECT_EQ(b.version, 1);
  ExpectSameCase(Get(a.id), a);
  auto missing = store_->GetCase(b.id + 100);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  auto audit = store_->ScanAudit(0, 100);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 2u);
  EXPECT_EQ((*audit)[0].action, "case.open");
  EXPECT_EQ((*audit)[0].object_type, "case");
  EXPECT_EQ((*audit)[0].object_id, std::to_string(a.id));
  EXPECT_EQ((*audit)[1].object_id, std::to_string(b.id));
  auto log = store_->CaseLog(b.id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 1u);
  EXPECT_EQ((*log)[0].case_id, b.id);
  EXPECT_EQ((*log)[0].action, "open");
  EXPECT_EQ((*log)[0].detail_json, "{}");  // "" is stored as the empty object
}

TEST_P(CaseStoreConformance, AFullyPopulatedCaseRoundTripsExactly) {
  model::Case full = FullCase();
  // Through the codec alone, as every backend stores it.
  full.id = 77;
  full.version = 9;
  auto decoded = DecodeCase(EncodeCase(full));
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ExpectSameCase(*decoded, full);
  // And through the store.
  full.id = 0;
  model::Case stored = Create(full);
  full.id = stored.id;
  full.version = 1;
  ExpectSameCase(stored, full);
  ExpectSameCase(Get(stored.id), full);
  CaseFilter all;
  all.limit = 10;
  auto listed = store_->ListCases(all);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  ExpectSameCase((*listed)[0], full);
}

TEST_P(CaseStoreConformance, AStaleVersionIsRefusedAndChangesNothing) {
  model::Case v1 = Create(SmallCase("化工厂爆炸", "140406", At("2026-11-21T08:30:00+08:00")));
  CaseChange judge = Change(v1, [](model::Case& c) {
    c.state = model::CaseState::kJudged;
    c.grade = 2;
  });
  judge.notices = {CaseNotice("judged", At("2026-11-22T08:00:00+08:00"))};
  auto v2 = store_->UpdateCases(std::vector<CaseChange>{judge});
  ASSERT_TRUE(v2.ok()) << v2.status().ToString();
  ASSERT_EQ(v2->size(), 1u);
  EXPECT_EQ((*v2)[0].version, 2);
  const size_t log = LogSize(v1.id), audit = AuditSize(), alerts = Alerts().size();
  ASSERT_EQ(alerts, 1u);

  // A second writer still holding version 1.
  CaseChange stale = Change(v1, [](model::Case& c) { c.title = "改了标题"; });
  stale.notices = {CaseNotice("stale", At("2026-11-22T08:00:00+08:00"))};
  Status s = Update({stale});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            fmt::format("case {} changed (version 2, expected 1): reload and try again", v1.id));
  ExpectSameCase(Get(v1.id), (*v2)[0]);
  EXPECT_EQ(LogSize(v1.id), log);
  EXPECT_EQ(AuditSize(), audit);
  EXPECT_EQ(Alerts().size(), alerts);
  // Skipping a version is refused the same way.
  CaseChange ahead = Change((*v2)[0], [](model::Case& c) { c.version += 1; });
  EXPECT_EQ(Update({ahead}).message(),
            fmt::format("case {} changed (version 2, expected 3): reload and try again", v1.id));

  CaseChange ghost = Change(v1, [](model::Case& c) { c.id = 999; });
  Status nf = Update({ghost});
  EXPECT_EQ(nf.code(), StatusCode::kNotFound);
  EXPECT_EQ(nf.message(), "no case with id 999");
  EXPECT_EQ(AuditSize(), audit);
}

TEST_P(CaseStoreConformance, SeveralChangesAreAllOrNothing) {
  model::Case a = Create(SmallCase("主案", "140406", At("2026-11-21T08:30:00+08:00")));
  model::Case b = Create(SmallCase("重复案", "140406", At("2026-11-21T08:40:00+08:00")));
  const size_t audit = AuditSize();
  // A merge changes two cases; the second was changed meanwhile.
  CaseChange into = Change(a, [&](model::Case& c) { c.merged_from = {b.id}; });
  into.notices = {CaseNotice("merge", At("2026-11-22T08:00:00+08:00"))};
  model::Case b_seen = b;
  b_seen.version = 0;  // stale: based on a version before the stored one
  CaseChange away = Change(b_seen, [&](model::Case& c) { c.merged_into = a.id; });
  Status s = Update({into, away});
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << s.ToString();
  ExpectSameCase(Get(a.id), a);
  ExpectSameCase(Get(b.id), b);
  EXPECT_EQ(LogSize(a.id), 1u);
  EXPECT_EQ(AuditSize(), audit);
  EXPECT_TRUE(Alerts().empty());

  // Both current: both written, each with its own audit entry, in order.
  away = Change(b, [&](model::Case& c) { c.merged_into = a.id; });
  auto done = store_->UpdateCases(std::vector<CaseChange>{into, away});
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  ASSERT_EQ(done->size(), 2u);
  EXPECT_EQ(Get(a.id).merged_from, std::vector<int64_t>{b.id});
  EXPECT_EQ(Get(b.id).merged_into, a.id);
  auto entries = store_->ScanAudit(0, 100);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), audit + 2);
  EXPECT_EQ((*entries)[audit].object_id, std::to_string(a.id));
  EXPECT_EQ((*entries)[audit + 1].object_id, std::to_string(b.id));
  EXPECT_EQ(Alerts().size(), 1u);
  // An empty batch writes nothing and is not an error.
  auto none = store_->UpdateCases({});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_P(CaseStoreConformance, TheLogKeepsItsOrderAndIncreasingSeq) {
  model::Case a = Create(SmallCase("甲", "140406", At("2026-11-21T08:30:00+08:00")));
  model::Case b = Create(SmallCase("乙", "140406", At("2026-11-21T08:31:00+08:00")));
  CaseChange ch = Change(a, [](model::Case& c) { c.state = model::CaseState::kJudged; });
  ch.log = {LogLine("judge", model::CaseState::kNew, model::CaseState::kJudged,
                    At("2026-11-21T09:00:00+08:00"), R"({"grade":2})"),
            LogLine("note", model::CaseState::kJudged, model::CaseState::kJudged,
                    At("2026-11-21T08:59:00+08:00"), R"({"text":"先记后到"})")};
  ASSERT_TRUE(Update({ch}).ok());
  CaseChange other = Change(b, [](model::Case& c) { c.title = "乙2"; });
  ASSERT_TRUE(Update({other}).ok());
  auto log = store_->CaseLog(a.id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 3u);
  EXPECT_EQ((*log)[0].action, "open");
  EXPECT_EQ((*log)[1].action, "judge");
  EXPECT_EQ((*log)[1].from_state, "new");
  EXPECT_EQ((*log)[1].to_state, "judged");
  EXPECT_EQ((*log)[1].detail_json, R"({"grade":2})");
  EXPECT_EQ((*log)[1].actor, "zhang");
  EXPECT_EQ((*log)[1].at, At("2026-11-21T09:00:00+08:00"));
  // Order is the order written, not the time given.
  EXPECT_EQ((*log)[2].action, "note");
  for (const auto& e : *log) EXPECT_EQ(e.case_id, a.id);
  EXPECT_LT((*log)[0].seq, (*log)[1].seq);
  EXPECT_LT((*log)[1].seq, (*log)[2].seq);
  // seq increases across the store: b's open lies between, b's edit after.
  auto blog = store_->CaseLog(b.id);
  ASSERT_TRUE(blog.ok());
  ASSERT_EQ(blog->size(), 2u);
  EXPECT_GT((*blog)[0].seq, (*log)[0].seq);
  EXPECT_LT((*blog)[0].seq, (*log)[1].seq);
  EXPECT_GT((*blog)[1].seq, (*log)[2].seq);
  EXPECT_TRUE(store_->CaseLog(999)->empty());
}

TEST_P(CaseStoreConformance, EveryFilterSelects) {
  const core::TimePoint t0 = At("2026-11-01T00:00:00+08:00");
  auto day = [&](int d) { return t0 + std::chrono::hours(24 * d); };
  // 1: open, event 12, Changzhi Lucheng, main department yjj, reassigned to gxj.
  model::Case c1 = SmallCase("潞城化工厂爆炸", "140406", day(0));
  c1.origin = model::CaseOrigin::kEvent;
  c1.event_id = 12;
  c1.state = model::CaseState::kAssigned;
  model::Assignment yjj;
  yjj.department_id = "cz-yjj";
  yjj.assigned_at = day(0);
  yjj.ended_at = day(1);
  model::Assignment gxj;
  gxj.department_id = "cz-gxj";
  gxj.assigned_at = day(1);
  c1.assignments = {yjj, gxj};
  c1 = Create(c1);
  // 2: hotline, Taiyuan, handled up in the province; assisted by hbj.
  model::Case c2 = SmallCase("太原供暖投诉", "140105", day(1));
  c2.origin = model::CaseOrigin::kHotline;
  c2.handling_region = "140000";
  c2.state = model::CaseState::kResponding;
  model::Assignment hbj;
  hbj.department_id = "cz-hbj";
  hbj.role = model::AssignmentRole::kAssist;
  hbj.assigned_at = day(1);
  c2.assignments = {hbj};
  c2 = Create(c2);
  // 3: closed, Changzhi Luzhou, opened by hand.
  model::Case c3 = SmallCase("长治河道污染", "140402", day(2));
  c3.state = model::CaseState::kClosed;
  c3 = Create(c3);
  // 4: evaluated, event 12 too.
  model::Case c4 = SmallCase("潞城化工厂爆炸（续）", "140406", day(3));
  c4.state = model::CaseState::kEvaluated;
  c4.origin = model::CaseOrigin::kEvent;
  c4.event_id = 12;
  c4 = Create(c4);
  // 5: a duplicate merged into 1 (open state, but merged away).
  model::Case c5 = SmallCase("化工厂爆炸重复", "140406", day(4));
  c5.state = model::CaseState::kAssigned;
  c5 = Create(c5);
  ASSERT_TRUE(Update({Change(c5, [&](model::Case& c) { c.merged_into = c1.id; })}).ok());

  CaseFilter all;
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{c4.id, c3.id, c2.id, c1.id}));  // newest first
  all.include_merged = true;
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{c5.id, c4.id, c3.id, c2.id, c1.id}));
  EXPECT_EQ(*store_->CountCases(all), 5);
  all.descending = false;
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{c1.id, c2.id, c3.id, c4.id, c5.id}));
  all.after_id = c2.id;
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{c3.id, c4.id, c5.id}));
  all.limit = 2;
  EXPECT_EQ(Ids(all), (std::vector<int64_t>{c3.id, c4.id}));
  EXPECT_EQ(*store_->CountCases(all), 5);  // limit and after_id do not count

  CaseFilter f;
  f.states = {model::CaseState::kAssigned, model::CaseState::kClosed};
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c3.id, c1.id}));
  f.include_merged = true;
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c5.id, c3.id, c1.id}));

  f = {};
  f.open_only = true;
  f.include_merged = true;  // open_only leaves merged cases out all the same
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c2.id, c1.id}));
  EXPECT_EQ(*store_->CountCases(f), 2);

  f = {};
  f.department_id = "cz-yjj";  // the ended assignment counts: "ever assigned"
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c1.id}));
  f.department_id = "cz-hbj";  // assisting counts
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c2.id}));
  f.department_id = "nobody";
  EXPECT_TRUE(Ids(f).empty());

  f = {};
  f.region_prefix = "1404";  // Changzhi: by region
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c4.id, c3.id, c1.id}));
  f.region_prefix = "1401";  // Taiyuan: c2's region
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c2.id}));
  f.region_prefix = "140000";  // the province handles c2 now
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c2.id}));
  f.region_prefix = "14";
  EXPECT_EQ(*store_->CountCases(f), 4);
  f.region_prefix = "";  // the whole country
  EXPECT_EQ(*store_->CountCases(f), 4);
  f.region_prefix = "15";
  EXPECT_EQ(*store_->CountCases(f), 0);

  f = {};
  f.event_id = 12;
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c4.id, c1.id}));
  f = {};
  f.origin = model::CaseOrigin::kHotline;
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c2.id}));
  f.origin = model::CaseOrigin::kManual;
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c3.id}));

  f = {};
  f.created_from = day(1);  // inclusive
  f.created_to = day(3);    // exclusive
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c3.id, c2.id}));

  f = {};
  f.text = "化工厂";
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c4.id, c1.id}));
  f.text = "%";  // literal, not a wildcard
  EXPECT_TRUE(Ids(f).empty());

  // Conditions combine.
  f = {};
  f.event_id = 12;
  f.open_only = true;
  f.region_prefix = "140406";
  f.text = "潞城";
  EXPECT_EQ(Ids(f), (std::vector<int64_t>{c1.id}));

  f = {};
  f.limit = 0;
  EXPECT_EQ(store_->ListCases(f).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->ListCases(f).status().message(), "limit 0 is outside 1..100000");
  f.limit = 100001;
  EXPECT_EQ(store_->ListCases(f).status().message(), "limit 100001 is outside 1..100000");
  f.limit = 100000;
  EXPECT_TRUE(store_->ListCases(f).ok());
}

TEST_P(CaseStoreConformance, DepartmentsFollowTheAssignmentsOnEveryWrite) {
  model::Case c = Create(SmallCase("甲", "140406", At("2026-11-21T08:30:00+08:00")));
  CaseFilter f;
  f.department_id = "cz-yjj";
  EXPECT_TRUE(Ids(f).empty());
  ASSERT_TRUE(Update({Change(c, [](model::Case& x) {
                model::Assignment a;
                a.department_id = "cz-yjj";
                x.assignments.push_back(a);
              })}).ok());
  EXPECT_EQ(Ids(f), std::vector<int64_t>{c.id});
}

TEST_P(CaseStoreConformance, NoticesGoToTheOutboxOncePerKey) {
  const core::TimePoint at = At("2026-11-22T08:00:00+08:00");
  model::Case c = Create(SmallCase("化工厂爆炸", "140406", At("2026-11-21T08:30:00+08:00")),
                         {CaseNotice("overdue:respond", at)});
  auto alerts = Alerts();
  ASSERT_EQ(alerts.size(), 1u);
  const model::Alert& a = alerts[0];
  EXPECT_EQ(a.case_id, c.id);
  EXPECT_EQ(a.dedup_key, "overdue:respond");
  EXPECT_EQ(a.policy_id, 0);
  EXPECT_EQ(a.title, "【督办】潞城区化工厂爆炸");
  EXPECT_EQ(a.level, 2);
  EXPECT_EQ(a.created_at, at);
  auto box = store_->OutboxForAlert(a.id);
  ASSERT_TRUE(box.ok());
  ASSERT_EQ(box->size(), 1u);
  EXPECT_TRUE((*box)[0].target == (model::AlertTarget{model::TargetKind::kWebhook,
                                                      "http://127.0.0.1:9/hook", "s3cret"}));
  EXPECT_EQ((*box)[0].state, model::OutboxState::kPending);

  // The sweep offers the same notice again, and a new one.
  CaseChange again = Change(c, [](model::Case& x) { x.sweep_marks = {"overdue:respond"}; });
  again.notices = {CaseNotice("overdue:respond", at), CaseNotice("criticise:respond", at)};
  ASSERT_TRUE(Update({again}).ok());
  alerts = Alerts();
  ASSERT_EQ(alerts.size(), 2u);
  EXPECT_EQ(alerts[0].dedup_key, "criticise:respond");  // newest first
  auto counts = store_->CountOutbox();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 2);
  // Case notices are not event alerts: no event deduplication level comes from them.
  auto levels = store_->AlertLevels();
  ASSERT_TRUE(levels.ok());
  EXPECT_TRUE(levels->empty());
  // The same key in another case is another notice.
  model::Case other = Create(SmallCase("另一案", "140105", At("2026-11-21T09:30:00+08:00")),
                             {CaseNotice("overdue:respond", at)});
  EXPECT_EQ(Alerts().size(), 3u);
  // A region-filtered list shows a case's notices where the case is.
  AlertQuery q;
  q.region = "1404";
  alerts = Alerts(q);
  ASSERT_EQ(alerts.size(), 2u);
  for (const auto& n : alerts) EXPECT_EQ(n.case_id, c.id);
  q.region = "1401";
  alerts = Alerts(q);
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].case_id, other.id);

  // A notice without a key is refused, with the whole change.
  const size_t audit = AuditSize();
  CaseChange keyless = Change(Get(c.id), [](model::Case& x) { x.title = "x"; });
  keyless.notices = {CaseNotice("", at)};
  Status s = Update({keyless});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Get(c.id).title, "化工厂爆炸");
  EXPECT_EQ(AuditSize(), audit);
}

TEST_P(CaseStoreConformance, RiskAssessmentsAreCreatedReplacedAndListed) {
  model::RiskAssessment a;
  a.title = "城区供水价格调整";
  a.region = "140402";
  a.department_id = "cz-fgw";
  a.decision = "居民用水阶梯价格上调";
  a.risk_level = 1;
  a.risks = "涉及民生，易引发集中投诉";
  a.plan = "听证会、分阶段实施";
  a.keywords = {"水价", "调价"};
  a.event_ids = {12, 14};
  a.created_by = "li";
  a.created_at = a.updated_at = At("2026-11-01T09:00:00+08:00");
  model::AuditDraft draft = CaseDraft("risk.create", a.created_at);
  draft.object_type = "risk_assessment";
  auto created = store_->PutRiskAssessment(a, draft);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  auto got = store_->GetRiskAssessment(created->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->title, a.title);
  EXPECT_EQ((*got)->keywords, a.keywords);
  EXPECT_EQ((*got)->event_ids, a.event_ids);
  EXPECT_EQ((*got)->risk_level, 1);
  EXPECT_EQ((*got)->created_at, a.created_at);
  EXPECT_EQ((*got)->plan, a.plan);

  model::RiskAssessment b = a;
  b.title = "太原公交线路调整";
  b.region = "140105";
  b.created_at = b.updated_at = At("2026-11-02T09:00:00+08:00");
  auto second = store_->PutRiskAssessment(b, draft);
  ASSERT_TRUE(second.ok());
  EXPECT_GT(second->id, created->id);

  model::RiskAssessment changed = *created;
  changed.risk_level = 2;
  changed.event_ids.push_back(20);
  changed.updated_at = At("2026-11-05T09:00:00+08:00");
  auto replaced = store_->PutRiskAssessment(changed, CaseDraft("risk.update", changed.updated_at));
  ASSERT_TRUE(replaced.ok()) << replaced.status().ToString();
  EXPECT_EQ(replaced->id, created->id);
  got = store_->GetRiskAssessment(created->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->risk_level, 2);
  EXPECT_EQ((*got)->event_ids, (std::vector<int64_t>{12, 14, 20}));
  EXPECT_EQ((*got)->updated_at, changed.updated_at);

  model::RiskAssessment ghost = changed;
  ghost.id = 99;
  const size_t audit = AuditSize();
  auto nf = store_->PutRiskAssessment(ghost, draft);
  EXPECT_EQ(nf.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(nf.status().message(), "no risk assessment with id 99");
  EXPECT_EQ(AuditSize(), audit);
  EXPECT_FALSE(store_->GetRiskAssessment(99)->has_value());

  auto entries = store_->ScanAudit(0, 100);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 3u);
  EXPECT_EQ((*entries)[0].object_id, std::to_string(created->id));
  EXPECT_EQ((*entries)[1].object_id, std::to_string(second->id));

  auto list = store_->ListRiskAssessments(std::nullopt, 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].id, second->id);  // newest first
  EXPECT_EQ((*list)[1].id, created->id);
  list = store_->ListRiskAssessments(std::string("1404"), 10);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].id, created->id);
  list = store_->ListRiskAssessments(std::string("14"), 1);
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  EXPECT_EQ(store_->ListRiskAssessments(std::nullopt, 0).status().message(),
            "limit 0 is outside 1..1000");
  EXPECT_EQ(store_->ListRiskAssessments(std::nullopt, 1001).status().code(),
            StatusCode::kInvalidArgument);
}

// NOLINTEND(misc-definitions-in-headers)

}  // namespace yuqing::store::conformance
