// The case store in SQLite: the conformance suite on a real file in a temp dir, plus what only
// this backend has (schema 7's migration of the alerts table, re-running migrations, the cost
// of listing many cases).
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <ctime>

#include "store/cases_store_conformance.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace yuqing::store::sqlite {
namespace {

using conformance::At;
using conformance::CaseDraft;
using conformance::CaseNotice;
using conformance::CaseStoreBackend;
using conformance::CaseStoreConformance;
using conformance::LogLine;
using conformance::SmallCase;

std::unique_ptr<Store> OpenInDir(const std::string& dir) {
  auto s = OpenSqliteStore(dir + "/cases.db");
  if (!s.ok()) {
    ADD_FAILURE() << s.status().ToString();
    return nullptr;
  }
  return std::move(s).value();
}

INSTANTIATE_TEST_SUITE_P(Sqlite, CaseStoreConformance,
                         ::testing::Values(CaseStoreBackend{"sqlite", OpenInDir}),
                         conformance::CaseStoreBackendName);

class SqliteCasesTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }
  void Reopen() {
    store_.reset();
    auto s = OpenSqliteStore(Path());
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  std::string Path() const { return dir_.File("y.db"); }
  // Runs `sql` on the file with the store closed.
  Status Exec(const std::string& sql) {
    store_.reset();
    auto db = Db::Open(Path(), /*read_only=*/false);
    if (!db.ok()) return db.status();
    return (*db)->Exec(sql);
  }
  int64_t QueryInt(const std::string& sql) {
    auto db = Db::Open(Path(), /*read_only=*/true);
    EXPECT_TRUE(db.ok());
    auto s = (*db)->Prepare(sql);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    auto row = s->Step();
    return row.ok() && *row ? s->Int(0) : -1;
  }

  // An event alert committed the way the event stage does, with one webhook delivery.
  int64_t EventAlert(int64_t event, int level) {
    model::NewAlert a;
    a.event_id = event;
    a.policy_id = 1;
    a.level = level;
    a.created_at = At("2026-11-21T09:10:00+08:00");
    a.title = "潞城区化工厂爆炸";
    a.payload_json = R"({"event":{"id":12}})";
    a.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/event", ""}};
    EventBatch batch;
    batch.alerts = {a};
    auto r = store_->CommitEvents(batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && !r->alert_ids.empty() ? r->alert_ids[0] : 0;
  }

  model::Case CreateWithNotice(std::string key) {
    CaseChange ch;
    ch.after = SmallCase("化工厂爆炸", "140406", At("2026-11-21T08:30:00+08:00"));
    ch.log = {LogLine("open", model::CaseState::kNew, model::CaseState::kNew, ch.after.created_at)};
    ch.notices = {CaseNotice(std::move(key), At("2026-11-22T08:00:00+08:00"))};
    ch.audit = CaseDraft("case.open", ch.after.created_at);
    auto r = store_->CreateCase(ch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : model::Case{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteCasesTest, RerunningMigrationsKeepsCasesNoticesAndTheOutbox) {
  int64_t event_alert = EventAlert(12, 3);
  model::Case c = CreateWithNotice("overdue:respond");
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 2u);
  const int64_t notice = (*alerts)[0].id;
  auto box = store_->OutboxForAlert(event_alert);
  ASSERT_TRUE(box.ok() && box->size() == 1u);
  ASSERT_TRUE(store_->MarkOutboxDelivered((*box)[0].id, At("2026-11-21T09:11:00+08:00")).ok());
  const int64_t event_item = (*box)[0].id;
  auto nbox = store_->OutboxForAlert(notice);
  ASSERT_TRUE(nbox.ok() && nbox->size() == 1u);
  const int64_t notice_item = (*nbox)[0].id;

  ASSERT_TRUE(Exec("PRAGMA user_version = 2").ok());
  Reopen();
  EXPECT_EQ(store_->Stats()->schema_version, CurrentSchemaVersion());
  auto got = store_->GetCase(c.id);
  ASSERT_TRUE(got.ok() && got->has_value());
  conformance::ExpectSameCase(**got, c);
  EXPECT_EQ(store_->CaseLog(c.id)->size(), 1u);
  auto n = store_->GetAlert(notice);
  ASSERT_TRUE(n.ok() && n->has_value());
  EXPECT_EQ((*n)->case_id, c.id);
  EXPECT_EQ((*n)->dedup_key, "overdue:respond");
  box = store_->OutboxForAlert(event_alert);
  ASSERT_TRUE(box.ok() && box->size() == 1u);
  EXPECT_EQ((*box)[0].id, event_item);
  EXPECT_EQ((*box)[0].state, model::OutboxState::kDelivered);
  nbox = store_->OutboxForAlert(notice);
  ASSERT_TRUE(nbox.ok() && nbox->size() == 1u);
  EXPECT_EQ((*nbox)[0].id, notice_item);
  // Deduplication survived: the same notice and the same event alert are skipped.
  CaseChange again;
  again.after = **got;
  again.after.version = 2;
  again.notices = {CaseNotice("overdue:respond", At("2026-11-22T08:00:00+08:00"))};
  again.audit = CaseDraft("case.sweep", At("2026-11-22T08:00:00+08:00"));
  ASSERT_TRUE(store_->UpdateCases(std::vector<CaseChange>{again}).ok());
  EXPECT_EQ(EventAlert(12, 3), 0);
  EXPECT_EQ(store_->ListAlerts({})->size(), 2u);
  // The log stays append-only after the re-run.
  Status del = Exec("DELETE FROM case_log");
  EXPECT_NE(del.message().find("case_log is append-only"), std::string::npos) << del.ToString();
  Reopen();
  EXPECT_EQ(store_->CaseLog(c.id)->size(), 1u);
}

TEST(SqliteCasesLogTest, TheLogRefusesChangesThroughSql) {
  testing::TempDir dir;
  {
    auto s = OpenSqliteStore(dir.File("y.db"));
    ASSERT_TRUE(s.ok());
    CaseChange ch;
    ch.after = SmallCase("甲", "140406", At("2026-11-21T08:30:00+08:00"));
    ch.log = {LogLine("open", model::CaseState::kNew, model::CaseState::kNew, ch.after.created_at)};
    ch.audit = CaseDraft("case.open", ch.after.created_at);
    ASSERT_TRUE((*s)->CreateCase(ch).ok());
  }
  auto db = Db::Open(dir.File("y.db"), false);
  ASSERT_TRUE(db.ok());
  Status upd = (*db)->Exec("UPDATE case_log SET actor = 'x'");
  EXPECT_FALSE(upd.ok());
  EXPECT_NE(upd.message().find("case_log is append-only"), std::string::npos) << upd.ToString();
  EXPECT_FALSE((*db)->Exec("DELETE FROM case_log").ok());
}

// A file written by schema 6: alerts unique per (event, policy, level), no case columns, no
// case tables, an AUTOINCREMENT counter above the highest id (alerts were removed by hand).
TEST_F(SqliteCasesTest, ASchemaSixFileGainsCaseNoticesAndKeepsItsAlerts) {
  Status old = Exec(R"sql(
DROP TABLE cases; DROP TABLE case_departments; DROP TABLE case_log; DROP TABLE risk_assessments;
DROP TABLE alerts;
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  policy_id INTEGER NOT NULL,
  level INTEGER NOT NULL,
  previous_level INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  payload TEXT NOT NULL,
  language TEXT NOT NULL,
  acked_at INTEGER,
  acked_by TEXT,
  UNIQUE (event_id, policy_id, level)
);
INSERT INTO alerts(id, event_id, policy_id, level, previous_level, created_at, title, payload,
                   language, acked_at, acked_by)
  VALUES (5, 12, 1, 3, 0, 1000, 'a', '{}', 'zh', 2000, 'wang'),
         (9, 12, 1, 2, 3, 3000, 'b', '{}', 'en', NULL, NULL);
UPDATE sqlite_sequence SET seq = 20 WHERE name = 'alerts';
INSERT INTO outbox(alert_id, kind, address, secret, idempotency_key, state, next_attempt_at)
  VALUES (9, 'webhook', 'http://127.0.0.1:9/x', '', 'yq-9-0', 'pending', 0);
PRAGMA user_version = 6;
)sql");
  ASSERT_TRUE(old.ok()) << old.ToString();
  EXPECT_EQ(QueryInt("SELECT count(*) FROM pragma_table_info('alerts') WHERE name = 'case_id'"), 0);
  Reopen();
  EXPECT_EQ(store_->Stats()->schema_version, CurrentSchemaVersion());
  EXPECT_EQ(QueryInt("SELECT count(*) FROM pragma_table_info('alerts') WHERE name = 'case_id'"), 1);
  EXPECT_EQ(QueryInt("SELECT seq FROM sqlite_sequence WHERE name = 'alerts'"), 20);
  EXPECT_EQ(QueryInt("SELECT count(*) FROM sqlite_master WHERE name = 'alerts_v7'"), 0);
  auto a = store_->GetAlert(5);
  ASSERT_TRUE(a.ok() && a->has_value());
  EXPECT_EQ((*a)->acked_by, "wang");
  EXPECT_EQ((*a)->case_id, 0);
  EXPECT_EQ((*a)->dedup_key, "");
  auto box = store_->OutboxForAlert(9);
  ASSERT_TRUE(box.ok());
  ASSERT_EQ(box->size(), 1u);
  EXPECT_EQ((*box)[0].idempotency_key, "yq-9-0");
  auto levels = store_->AlertLevels();
  ASSERT_TRUE(levels.ok());
  ASSERT_EQ(levels->size(), 1u);
  EXPECT_EQ((*levels)[0].level, 2);
  // Old uniqueness holds for event alerts; new ids continue after the counter.
  EXPECT_EQ(EventAlert(12, 1), 21);
  EXPECT_EQ(EventAlert(12, 2), 0);
  model::Case c = CreateWithNotice("overdue:press");
  EXPECT_EQ(c.id, 1);
  EXPECT_EQ(store_->ListAlerts({})->size(), 4u);
}

// A case as it typically is mid-way: assigned twice, one round, one published response, one
// supervision item, a few sweep marks (about 2 KB as a document).
model::Case TypicalCase() {
  model::Case c = conformance::FullCase();
  c.disputes.clear();
  c.handovers.clear();
  c.rounds.resize(1);
  c.tasks.clear();
  c.notices.clear();
  c.rumours.clear();
  c.petitioner.reset();
  c.extensions.clear();
  c.evaluation.reset();
  c.closed_at.reset();
  c.merged_from.clear();
  return c;
}

// Not a benchmark, a guard: listing every case of a big office must stay interactive. Prints
// the time; asserts nothing about it (machines differ). Rows are written directly, with one
// document for all, so the setup stays cheap.
TEST_F(SqliteCasesTest, ListsOneHundredThousandCases) {
#if defined(__SANITIZE_ADDRESS__)
  constexpr int kCases = 10000;  // sanitizers make every allocation several times dearer
#else
  constexpr int kCases = 100000;
#endif
  const std::string doc = EncodeCase(TypicalCase());
  store_.reset();
  {
    auto db = Db::Open(Path(), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)->Exec("BEGIN").ok());
    auto ins = (*db)->Prepare(
        "INSERT INTO cases(id, version, state, origin, event_id, grade, region, handling_region, "
        "title, created_at, updated_at, detected_at, merged_into, doc) "
        "VALUES(?1, 1, 'following_up', 'hotline', 12, 2, '140406', '140400', 't', 0, 0, 0, 0, "
        "?2)");
    ASSERT_TRUE(ins.ok()) << ins.status().ToString();
    for (int i = 1; i <= kCases; ++i) {
      ins->Reset();
      ins->Bind(1, int64_t{i});
      ins->Bind(2, doc);
      ASSERT_TRUE(ins->Run().ok());
    }
    ASSERT_TRUE((*db)->Exec("COMMIT").ok());
  }
  Reopen();
  CaseFilter all;
  all.limit = kCases;
  // CPU time as well as wall time: on a loaded machine the wall time says little.
  auto start = std::chrono::steady_clock::now();
  std::clock_t cpu_start = std::clock();
  auto list = store_->ListCases(all);
  double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->size(), static_cast<size_t>(kCases));
  EXPECT_EQ(list->front().id, kCases);
  EXPECT_EQ(list->back().id, 1);
  EXPECT_EQ(list->back().responses.size(), 1u);
  std::printf(
      "ListCases: %d cases (%zu-byte documents) in %lld ms (%.0f ms CPU)\n", kCases, doc.size(),
      static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(took).count()),
      cpu_ms);
}

}  // namespace
}  // namespace yuqing::store::sqlite
