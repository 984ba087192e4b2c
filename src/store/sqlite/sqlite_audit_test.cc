// The SQLite audit functions (store/sqlite/sqlite_audit.h) against a real database file, and
// the attacks the docs describe: editing or removing rows with the file in hand.
#include "store/sqlite/sqlite_audit.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "audit/audit.h"
#include "store/sqlite/sqlite_db.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }
constexpr int64_t kBase = 1795219200000;  // 2026-11-21T00:00:00Z

model::AuditDraft Draft(int i) {
  model::AuditDraft d;
  d.at = T(kBase + int64_t{i} * 1000);
  d.actor_id = i % 2 == 0 ? 7 : 0;
  d.actor = i % 2 == 0 ? "admin" : "cli:root";
  d.action = i % 3 == 0 ? "org.replace" : "user.role";
  d.object_type = i % 3 == 0 ? "organisation" : "user";
  d.object_id = i % 3 == 0 ? "1" : std::to_string(i);
  d.from_json = R"({"role":"monitor"})";
  d.to_json = R"({"role":"analyst"})";
  d.reason = "季度调整";
  return d;
}

class AuditSqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.File("yuqing.db");
    auto db = Db::Open(path_, false);
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->Exec(kAuditSchema).ok());
  }

  void Append(int n) {
    ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
    AuditAppender appender(*db_);
    for (int i = 0; i < n; ++i) {
      auto e = appender.AppendLocked(Draft(++appended_));
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      ASSERT_EQ(e->seq, appended_);
    }
    ASSERT_TRUE(db_->Exec("COMMIT").ok());
  }

  // What `yuqing audit verify` does: stored checkpoints plus any kept elsewhere, read through
  // a fresh read-only connection as another process would.
  audit::VerifyReport Verify(const std::vector<model::AuditCheckpoint>& kept = {}) {
    auto reader = Db::Open(path_, true);
    EXPECT_TRUE(reader.ok());
    std::vector<audit::CheckpointSource> sources;
    auto stored = ListCheckpoints(**reader);
    EXPECT_TRUE(stored.ok());
    for (const auto& c : *stored) sources.push_back({c, "stored in the database"});
    for (const auto& c : kept) sources.push_back({c, "kept elsewhere"});
    auto report = audit::VerifyLog(
        [&](int64_t after, int limit) { return ScanAudit(**reader, after, limit); }, sources, {},
        /*batch=*/7);
    EXPECT_TRUE(report.ok()) << report.status().ToString();
    return *report;
  }

  model::AuditCheckpoint Checkpoint(const audit::SigningKey& key) {
    auto head = AuditHead(*db_);
    EXPECT_TRUE(head.ok() && head->has_value());
    auto cp = audit::SignCheckpoint(key, (*head)->seq, (*head)->hash, T(kBase + 1000000));
    EXPECT_TRUE(cp.ok());
    return *cp;
  }

  testing::TempDir dir_;
  std::string path_;
  std::unique_ptr<Db> db_;
  int appended_ = 0;
};

TEST_F(AuditSqliteTest, AppendedEntriesChainAndVerify) {
  Append(30);
  auto size = AuditSize(*db_);
  ASSERT_TRUE(size.ok());
  EXPECT_EQ(*size, 30);
  auto head = AuditHead(*db_);
  ASSERT_TRUE(head.ok() && head->has_value());
  EXPECT_EQ((*head)->seq, 30);
  EXPECT_EQ((*head)->hash, audit::EntryHash(**head));
  auto all = ScanAudit(*db_, 0, 100);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 30u);
  EXPECT_EQ(all->front().prev_hash, audit::kGenesisHash);
  EXPECT_EQ((*all)[1].prev_hash, all->front().hash);
  EXPECT_EQ(all->front().reason, "季度调整");
  EXPECT_EQ(all->front().at, T(kBase + 1000));
  auto report = Verify();
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.entries_verified, 30);
}

TEST_F(AuditSqliteTest, EmptyLog) {
  EXPECT_EQ(*AuditSize(*db_), 0);
  EXPECT_FALSE(AuditHead(*db_)->has_value());
  EXPECT_FALSE(LatestCheckpoint(*db_)->has_value());
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditSqliteTest, AppendOutsideATransactionIsRefused) {
  auto e = AppendAuditLocked(*db_, Draft(1));
  EXPECT_EQ(e.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(*AuditSize(*db_), 0);
}

TEST_F(AuditSqliteTest, DraftWithoutActorOrActionIsRefused) {
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  auto d = Draft(1);
  d.actor.clear();
  EXPECT_EQ(AppendAuditLocked(*db_, d).status().code(), StatusCode::kInvalidArgument);
  d = Draft(1);
  d.action.clear();
  EXPECT_EQ(AppendAuditLocked(*db_, d).status().code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(db_->Exec("ROLLBACK").ok());
}

// The entry belongs to the change's transaction: rolled back together, and the next entry
// takes the same seq, so the chain has no hole.
TEST_F(AuditSqliteTest, RolledBackEntryLeavesNoTrace) {
  Append(3);
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  auto e = AppendAuditLocked(*db_, Draft(99));
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->seq, 4);
  ASSERT_TRUE(db_->Exec("ROLLBACK").ok());
  Append(1);
  auto head = AuditHead(*db_);
  EXPECT_EQ((*head)->seq, 4);
  EXPECT_EQ((*head)->object_id, "4");
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditSqliteTest, TriggersRefuseUpdateAndDelete) {
  Append(5);
  Status up = db_->Exec("UPDATE audit_log SET reason = 'x' WHERE seq = 2");
  EXPECT_FALSE(up.ok());
  EXPECT_NE(up.message().find("append-only"), std::string::npos) << up.message();
  Status del = db_->Exec("DELETE FROM audit_log WHERE seq = 2");
  EXPECT_FALSE(del.ok());
  EXPECT_NE(del.message().find("append-only"), std::string::npos);
  EXPECT_TRUE(Verify().ok());
}

TEST_F(AuditSqliteTest, RowEditedInTheFileIsNamed) {
  Append(40);
  db_.reset();
  {
    // The attacker: another connection to the file, trigger dropped, one row changed.
    auto raw = Db::Open(path_, false);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Exec("DROP TRIGGER audit_log_no_update").ok());
    ASSERT_TRUE(
        (*raw)->Exec("UPDATE audit_log SET to_json = '{\"role\":\"admin\"}' WHERE seq = 17").ok());
  }
  auto report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problem_count, 1) << report.Summary();
  EXPECT_EQ(report.problems.front().seq, 17);
  EXPECT_EQ(report.problems.front().message,
            "entry 17 (user.role by cli:root at 2026-11-21T00:00:17Z) does not match its hash: "
            "it was changed after it was written");
  EXPECT_EQ(report.entries_verified, 39);
}

TEST_F(AuditSqliteTest, RowDeletedFromTheFileIsNamed) {
  Append(40);
  db_.reset();
  {
    auto raw = Db::Open(path_, false);
    ASSERT_TRUE(raw.ok());
    ASSERT_TRUE((*raw)->Exec("DROP TRIGGER audit_log_no_delete").ok());
    ASSERT_TRUE((*raw)->Exec("DELETE FROM audit_log WHERE seq = 30").ok());
  }
  auto report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problem_count, 1) << report.Summary();
  EXPECT_EQ(report.problems.front().seq, 30);
  EXPECT_EQ(report.problems.front().message, "entry 30 is missing: the log jumps from 29 to 31");
}

// Removing the newest rows leaves a consistent chain; the stored checkpoint (unless also
// removed) and a kept copy show it.
TEST_F(AuditSqliteTest, TruncationIsShownByACheckpoint) {
  auto key = audit::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Append(20);
  model::AuditCheckpoint cp = Checkpoint(*key);
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(PutCheckpointLocked(*db_, cp).ok());
  ASSERT_TRUE(db_->Exec("COMMIT").ok());
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_log WHERE seq > 18").ok());

  auto report = Verify();
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, audit::VerifyProblem::Kind::kTruncated);
  EXPECT_EQ(report.problems.front().seq, 19);

  // The thorough attacker also removes the stored checkpoint; the kept copy still tells.
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_checkpoints_no_delete").ok());
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_checkpoints").ok());
  EXPECT_TRUE(Verify().ok());
  report = Verify({cp});
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().message.find("entries 19–20 were removed from the end"),
            std::string::npos)
      << report.problems.front().message;
}

TEST_F(AuditSqliteTest, CheckpointsAreKeptOncePerSizeAndMustMatchTheLog) {
  auto key = audit::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Append(5);
  model::AuditCheckpoint cp = Checkpoint(*key);
  EXPECT_EQ(PutCheckpointLocked(*db_, cp).code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  auto wrong = cp;
  wrong.head_hash = std::string(64, 'a');
  EXPECT_EQ(PutCheckpointLocked(*db_, wrong).code(), StatusCode::kInvalidArgument);
  auto beyond = cp;
  beyond.size = 6;
  EXPECT_EQ(PutCheckpointLocked(*db_, beyond).code(), StatusCode::kInvalidArgument);
  ASSERT_TRUE(PutCheckpointLocked(*db_, cp).ok());
  EXPECT_EQ(PutCheckpointLocked(*db_, cp).code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(db_->Exec("COMMIT").ok());

  Append(5);
  model::AuditCheckpoint cp10 = Checkpoint(*key);
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  ASSERT_TRUE(PutCheckpointLocked(*db_, cp10).ok());
  ASSERT_TRUE(db_->Exec("COMMIT").ok());

  auto list = ListCheckpoints(*db_);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].size, 5);
  EXPECT_EQ((*list)[1].size, 10);
  EXPECT_EQ((*list)[1].signature, cp10.signature);
  EXPECT_EQ((*list)[1].at, cp10.at);
  auto latest = LatestCheckpoint(*db_);
  ASSERT_TRUE(latest.ok() && latest->has_value());
  EXPECT_EQ((*latest)->size, 10);
  EXPECT_TRUE(audit::VerifyCheckpoint(**latest, key->PublicKeyText()).ok());
  auto report = Verify();
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.checkpoints_matched, 2);
}

// The attacker with the file and without the kept checkpoint's cooperation: rewrites entry 3,
// recomputes every later hash and replaces the stored checkpoints with new ones.
TEST_F(AuditSqliteTest, RechainedFileIsShownOnlyByAKeptCheckpoint) {
  auto key = audit::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  Append(10);
  model::AuditCheckpoint kept = Checkpoint(*key);
  auto entries = ScanAudit(*db_, 0, 100);
  ASSERT_TRUE(entries.ok());
  ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_delete").ok());
  ASSERT_TRUE(db_->Exec("DELETE FROM audit_log").ok());
  (*entries)[2].reason = "从未发生";
  ASSERT_TRUE(db_->Exec("BEGIN IMMEDIATE").ok());
  for (const auto& e : *entries) {
    model::AuditDraft d{e.at,        e.actor_id,  e.actor,   e.action, e.object_type,
                        e.object_id, e.from_json, e.to_json, e.reason};
    ASSERT_TRUE(AppendAuditLocked(*db_, d).ok());
  }
  ASSERT_TRUE(db_->Exec("COMMIT").ok());
  EXPECT_TRUE(Verify().ok());
  auto report = Verify({kept});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, audit::VerifyProblem::Kind::kCheckpointMismatch);
  EXPECT_EQ(report.problems.front().seq, 10);
}

TEST_F(AuditSqliteTest, ListFiltersNewestFirst) {
  Append(30);
  AuditQuery q;
  q.limit = 5;
  auto page = ListAudit(*db_, q);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->size(), 5u);
  EXPECT_EQ(page->front().seq, 30);
  EXPECT_EQ(page->back().seq, 26);

  q.before_seq = 26;
  page = ListAudit(*db_, q);
  EXPECT_EQ(page->front().seq, 25);

  AuditQuery by_object;
  by_object.object_type = "organisation";
  by_object.object_id = "1";
  by_object.limit = 100;
  page = ListAudit(*db_, by_object);
  ASSERT_EQ(page->size(), 10u);
  for (const auto& e : *page) EXPECT_EQ(e.action, "org.replace");

  AuditQuery by_actor;
  by_actor.actor = "admin";
  by_actor.action_prefix = "user.";
  by_actor.from = T(kBase + 10000);
  by_actor.to = T(kBase + 20000);
  by_actor.after_seq = 11;
  page = ListAudit(*db_, by_actor);
  ASSERT_TRUE(page.ok());
  // seq 12..19 that are even (admin) and not multiples of 3 (user.role): 16 and 14.
  ASSERT_EQ(page->size(), 2u);
  EXPECT_EQ((*page)[0].seq, 16);
  EXPECT_EQ((*page)[1].seq, 14);

  AuditQuery literal;
  literal.action_prefix = "user%";
  EXPECT_TRUE(ListAudit(*db_, literal)->empty());

  AuditQuery bad;
  bad.limit = 0;
  EXPECT_EQ(ListAudit(*db_, bad).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ScanAudit(*db_, 0, 100001).status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace yuqing::store::sqlite
