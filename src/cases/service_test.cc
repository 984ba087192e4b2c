// The service on a real SQLite file: a decision and its log, notices and audit entry are
// written together; a refused action changes nothing; the sweep reads only due cases, warns
// through the outbox once, and follows nothing it should not.
#include "cases/service.h"

#include <gtest/gtest.h>

#include "cases/deadlines.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using json = nlohmann::json;

access::Principal User(std::string name, model::Role role, std::string dept = "") {
  access::Principal p;
  p.user_id = 7;
  p.name = std::move(name);
  p.role = role;
  p.department_id = std::move(dept);
  return p;
}

class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ServiceOptions o;
    model::AlertTarget t;
    t.address = "http://127.0.0.1:9/hook";
    o.notify = {{t, "1404"}};
    service_ = std::make_unique<CaseService>(*store_, store_.get(), clock_, o);
  }
  model::Case OpenHotline(core::TimePoint received) {
    OpenRequest r;
    r.title = "12345：店上镇河道刺鼻气味";
    r.origin = model::CaseOrigin::kHotline;
    r.region = "140406";
    r.detected_at = received;
    r.petitioner = model::PetitionerContact{};
    auto c = service_->Open(r, coord_);
    EXPECT_TRUE(c.ok()) << c.status().ToString();
    return *c;
  }
  int64_t OutboxSize() {
    auto items = store_->ListOutbox(std::nullopt, 1000);
    return items.ok() ? static_cast<int64_t>(items->size()) : -1;
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-06-01T08:00:00+08:00")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<CaseService> service_;
  access::Principal coord_ = User("coord", model::Role::kCoordinator);
  access::Principal resp_ = User("resp", model::Role::kResponder, "lucheng.env");
};

TEST_F(ServiceTest, EveryChangeIsLoggedAndAudited) {
  model::Case c = OpenHotline(clock_.Now());
  ASSERT_EQ(c.version, 1);
  ASSERT_TRUE(service_->Act(c.id, coord_, {"judge", json::object()}, nullptr).ok());
  ASSERT_TRUE(
      service_->Act(c.id, coord_, {"assign", {{"department", "lucheng.env"}}}, nullptr).ok());
  auto accepted = service_->Act(c.id, resp_, {"accept", json::object()}, nullptr);
  ASSERT_TRUE(accepted.ok()) << accepted.status().ToString();
  EXPECT_EQ(accepted->state, model::CaseState::kAccepted);
  EXPECT_EQ(accepted->version, 4);
  auto log = store_->CaseLog(c.id);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 4u);
  EXPECT_EQ((*log)[3].action, "accept");
  EXPECT_EQ((*log)[3].actor, "resp");
  store::AuditFilter f;
  f.object_type = "case";
  f.object_id = std::to_string(c.id);
  auto audit = store_->ListAudit(f);
  ASSERT_TRUE(audit.ok());
  ASSERT_EQ(audit->size(), 4u);
  EXPECT_EQ(audit->front().action, "case.accept");  // newest first
  EXPECT_EQ(audit->back().action, "case.open");
}

TEST_F(ServiceTest, ARefusedActionChangesNothing) {
  model::Case c = OpenHotline(clock_.Now());
  auto before_log = store_->CaseLog(c.id)->size();
  auto head = store_->AuditHead();
  auto r = service_->Act(c.id, resp_, {"close", {{"resolved", true}}}, nullptr);
  EXPECT_EQ(r.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(r.status().message().find("is new"), std::string::npos) << r.status().ToString();
  auto after = store_->GetCase(c.id);
  EXPECT_EQ((*after)->version, 1);
  EXPECT_EQ(store_->CaseLog(c.id)->size(), before_log);
  EXPECT_EQ((*store_->AuditHead())->seq, (*head)->seq);
  EXPECT_EQ(service_->Act(999, coord_, {"judge", json::object()}, nullptr).status().code(),
            StatusCode::kNotFound);
}

TEST_F(ServiceTest, SweepWarnsThroughTheOutboxOnceAndReadsOnlyDueCases) {
  model::Case c = OpenHotline(clock_.Now());
  // Early: nothing due, nothing read.
  clock_.Advance(hours(1));
  auto r = service_->Sweep();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->cases, 0);
  EXPECT_EQ(OutboxSize(), 0);
  // 36 h: the 48-hour response clock and the 72-hour reply clock are not overdue; the
  // response reminder (75% of 48 h) is due.
  clock_.Set(c.detected_at + hours(36) + minutes(1));
  r = service_->Sweep();
  EXPECT_EQ(r->cases, 1);
  EXPECT_EQ(r->notices, 1);
  EXPECT_EQ(OutboxSize(), 1);
  // 49 h: overdue → a supervision item and a warning; again at once → nothing new.
  clock_.Set(c.detected_at + hours(49));
  r = service_->Sweep();
  EXPECT_GE(r->notices, 1);
  int64_t after_overdue = OutboxSize();
  auto stored = store_->GetCase(c.id);
  ASSERT_EQ((*stored)->supervision.size(), 1u);
  EXPECT_EQ((*stored)->supervision[0].obligation, "respond");
  r = service_->Sweep();
  EXPECT_EQ(r->notices, 0);
  EXPECT_EQ(OutboxSize(), after_overdue);
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  ASSERT_FALSE(alerts->empty());
  EXPECT_EQ(alerts->front().case_id, c.id);
}

TEST_F(ServiceTest, ReassignmentDoesNotMoveTheDeadlineInTheStore) {
  model::Case c = OpenHotline(clock_.Now());
  ASSERT_TRUE(service_->Act(c.id, coord_, {"judge", json::object()}, nullptr).ok());
  ASSERT_TRUE(
      service_->Act(c.id, coord_, {"assign", {{"department", "lucheng.env"}}}, nullptr).ok());
  clock_.Advance(hours(30));
  auto moved = service_->Act(c.id, coord_,
                             {"reassign", {{"department", "cz.env"}, {"reason", "市级"}}}, nullptr);
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  auto d = DeadlineFor(*moved, model::Obligation::kRespond, clock_.Now());
  EXPECT_EQ(d->due, c.detected_at + hours(48));
}

}  // namespace
}  // namespace yuqing::cases
