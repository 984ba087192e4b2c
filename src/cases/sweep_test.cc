#include "cases/sweep.h"

#include <gtest/gtest.h>

#include "cases/deadlines.h"
#include "core/time.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }

model::Case Assigned(int grade) {
  model::Case c;
  c.id = 3;
  c.version = 4;
  c.title = "苯胺泄漏";
  c.grade = grade;
  c.event_id = 11;
  c.state = model::CaseState::kAccepted;
  c.detected_at = T("2026-06-01T08:00:00Z");
  model::Assignment a;
  a.department_id = "lc.env";
  a.assigned_at = c.detected_at + hours(1);
  a.accepted_at = c.detected_at + hours(2);
  c.assignments.push_back(a);
  return c;
}

SweepOptions Opts() {
  SweepOptions o;
  model::AlertTarget t;
  t.address = "http://127.0.0.1:9/hook";
  o.targets = {t};
  return o;
}

TEST(SweepTest, NothingToDoEarlyInTheWindow) {
  auto c = Assigned(4);
  EXPECT_FALSE(Sweep(c, T("2026-06-02T08:00:00Z"), Opts()));  // 24 h of 48
}

TEST(SweepTest, ReminderThenSupervisionThenProposedCriticismEachOnce) {
  auto c = Assigned(4);
  // 36 h = 75% of 48 h: the reminder.
  auto r = Sweep(c, T("2026-06-02T20:00:00Z"), Opts());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->notices.size(), 1u);
  EXPECT_EQ(r->notices[0].dedup_key, "remind:respond");
  EXPECT_EQ(r->notices[0].targets.size(), 1u);
  EXPECT_NE(r->notices[0].title.find("催办"), std::string::npos);
  EXPECT_EQ(r->after.version, 5);
  EXPECT_EQ(r->log[0].action, "remind");
  c = r->after;
  EXPECT_FALSE(Sweep(c, T("2026-06-02T21:00:00Z"), Opts())) << "the reminder is not repeated";
  // Overdue at 48 h: a supervision item opens and warns.
  r = Sweep(c, T("2026-06-03T08:00:01Z"), Opts());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->after.supervision.size(), 1u);
  EXPECT_EQ(r->after.supervision[0].obligation, "respond");
  EXPECT_EQ(r->after.supervision[0].department_id, "lc.env");
  EXPECT_EQ(r->after.supervision[0].opened_by, "system");
  EXPECT_EQ(r->notices[0].dedup_key, "overdue:respond");
  EXPECT_NE(r->notices[0].title.find("督办"), std::string::npos);
  c = r->after;
  EXPECT_FALSE(Sweep(c, T("2026-06-03T20:00:00Z"), Opts()));
  // Still overdue 24 h after the supervision item: a criticism is proposed, not issued.
  r = Sweep(c, T("2026-06-04T08:00:02Z"), Opts());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->after.notices.size(), 1u);
  EXPECT_EQ(r->after.notices[0].status, "proposed");
  EXPECT_EQ(r->after.notices[0].kind, model::NoticeKind::kCriticism);
  EXPECT_EQ(r->after.notices[0].department_id, "lc.env");
  c = r->after;
  EXPECT_FALSE(Sweep(c, T("2026-06-05T08:00:00Z"), Opts()));
  // The response arrives late: the automatic supervision item closes itself.
  model::Response resp;
  resp.id = 1;
  resp.status = model::ResponseStatus::kPublished;
  resp.published_at = T("2026-06-05T09:00:00Z");
  c.responses.push_back(resp);
  c.state = model::CaseState::kResponded;
  r = Sweep(c, T("2026-06-05T09:10:00Z"), Opts());
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->after.supervision[0].closed_at);
  EXPECT_NE(r->after.supervision[0].outcome.find("met late"), std::string::npos);
}

TEST(SweepTest, ReassignmentDoesNotDelayEscalation) {
  auto c = Assigned(2);  // press conference due 24 h after detection
  c.assignments[0].ended_at = c.detected_at + hours(20);
  c.assignments[0].end_reason = "reassigned";
  model::Assignment b;
  b.department_id = "cz.env";
  b.assigned_at = c.detected_at + hours(20);
  c.assignments.push_back(b);
  auto r = Sweep(c, T("2026-06-02T08:30:00Z"), Opts());
  ASSERT_TRUE(r);
  bool press_overdue = false;
  for (const auto& n : r->notices) press_overdue |= n.dedup_key == "overdue:press";
  EXPECT_TRUE(press_overdue);
  // The new department's acceptance (2 h from its assignment) is overdue too, and supervised.
  bool accept_overdue = false;
  for (const auto& n : r->notices) accept_overdue |= n.dedup_key == "overdue:accept";
  EXPECT_TRUE(accept_overdue);
}

TEST(SweepTest, KeepReleasingWhileTheEventStaysHot) {
  auto c = Assigned(4);
  model::Response resp;
  resp.id = 1;
  resp.status = model::ResponseStatus::kPublished;
  resp.published_at = T("2026-06-01T12:00:00Z");
  c.responses.push_back(resp);
  c.state = model::CaseState::kResponded;
  c.event_heat = 20;
  EXPECT_FALSE(Sweep(c, T("2026-06-02T13:00:00Z"), Opts())) << "not hot";
  c.event_heat = 65;
  auto r = Sweep(c, T("2026-06-02T13:00:00Z"), Opts());
  ASSERT_TRUE(r);
  ASSERT_EQ(r->notices.size(), 1u);
  EXPECT_EQ(r->notices[0].dedup_key, "keep:1:1");
  c = r->after;
  EXPECT_FALSE(Sweep(c, T("2026-06-02T20:00:00Z"), Opts()));
  r = Sweep(c, T("2026-06-03T12:30:00Z"), Opts());
  ASSERT_TRUE(r);
  EXPECT_EQ(r->notices[0].dedup_key, "keep:1:2");
}

TEST(SweepTest, ClosedAndMergedCasesAreLeftAlone) {
  auto c = Assigned(4);
  c.state = model::CaseState::kClosed;
  c.closed_at = T("2026-06-01T10:00:00Z");
  EXPECT_FALSE(Sweep(c, T("2026-06-09T00:00:00Z"), Opts()));
  c.state = model::CaseState::kAccepted;
  c.closed_at.reset();
  c.merged_into = 9;
  EXPECT_FALSE(Sweep(c, T("2026-06-09T00:00:00Z"), Opts()));
}

}  // namespace
}  // namespace yuqing::cases

namespace yuqing::cases {
namespace {

// NextSweepAt is the sweep's work list: before it the ladder has nothing to do, at it the
// ladder acts — checked over a walk through a case's life, step by step.
TEST(NextSweepAtTest, NothingIsDueBeforeItAndSomethingIsDueAtIt) {
  for (int grade : {2, 4}) {
    auto c = Assigned(grade);
    c.origin = model::CaseOrigin::kHotline;
    c.petitioner = model::PetitionerContact{};
    c.event_heat = 70;
    core::TimePoint now = c.detected_at;
    int steps = 0;
    for (; steps < 40; ++steps) {
      auto next = NextSweepAt(c, now);
      if (!next) break;
      ASSERT_GE(*next, now);
      // Nothing at any time strictly between now and next.
      for (auto probe : {now, now + (*next - now) / 2, *next - std::chrono::milliseconds(1)}) {
        if (probe < now || probe >= *next) continue;
        EXPECT_FALSE(Sweep(c, probe, Opts())) << "grade " << grade << " step " << steps;
      }
      auto d = Sweep(c, *next, Opts());
      ASSERT_TRUE(d) << "grade " << grade << " step " << steps << " at "
                     << core::FormatIso8601(*next);
      c = d->after;
      now = *next;
      if (steps == 3) {  // a response is published on the way: keep-releasing takes over
        model::Response r;
        r.id = 1;
        r.status = model::ResponseStatus::kPublished;
        r.published_at = now;
        c.responses.push_back(r);
        c.state = model::CaseState::kResponded;
      }
    }
    EXPECT_GE(steps, 5) << "the ladder has several steps";
  }
}

TEST(NextSweepAtTest, ClosedOrMergedCasesAreNeverDue) {
  auto c = Assigned(4);
  c.merged_into = 2;
  EXPECT_FALSE(NextSweepAt(c, c.detected_at));
  c.merged_into = 0;
  c.state = model::CaseState::kClosed;
  c.closed_at = c.detected_at;
  EXPECT_FALSE(NextSweepAt(c, c.detected_at));
}

}  // namespace
}  // namespace yuqing::cases
