// The report archive in SQLite (schema 11) on a real file: a report is written whole with its
// files, deliveries and audit entry or not at all; binary files round-trip; numbering and the
// schedule's dedup keys; submissions queue an outbox delivery and are received once.
#include <gtest/gtest.h>

#include "audit/audit.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

class SqliteReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.path().string() + "/reports.db");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }
  model::ArchivedReport Daily(std::string day, int number) {
    model::ArchivedReport r;
    r.kind = "daily";
    r.title = "舆情日报 " + day;
    r.summary = "监测信息63条";
    r.period_from = *core::ParseIso8601(day + "T00:00:00+08:00");
    r.period_to = r.period_from + std::chrono::hours(24);
    r.year = 2026;
    r.number = number;
    r.trigger = "schedule";
    r.dedup_key = "daily:" + day + ":";
    r.created_at = t_;
    r.created_by = "system";
    return r;
  }
  model::AuditDraft Audit(std::string action) {
    model::AuditDraft d;
    d.at = t_;
    d.actor = "system";
    d.action = std::move(action);
    d.object_type = "report";
    return d;
  }
  model::NewAlert Delivery() {
    model::NewAlert a;
    a.title = "舆情日报";
    a.payload_json = R"({"kind":"report"})";
    a.dedup_key = "report:deliver:";
    a.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/hook", ""}};
    return a;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  core::TimePoint t_ = *core::ParseIso8601("2026-11-18T08:00:00+08:00");
};

TEST_F(SqliteReportsTest, StoresAReportWholeWithBinaryFilesDeliveriesAndAudit) {
  EXPECT_GE(CurrentSchemaVersion(), 11);  // the archive came with schema 11
  ASSERT_EQ(*store_->NextReportNumber("daily", 2026), 1);
  std::string pdf("%PDF-1.7\0\x01\xff binary", 18);
  auto put = store_->PutReport(Daily("2026-11-17", 1), {{"html", "<h1>日报</h1>"}, {"pdf", pdf}},
                               {Delivery()}, Audit("report.generate"));
  ASSERT_TRUE(put.ok()) << put.status().ToString();
  EXPECT_GT(put->id, 0);
  ASSERT_EQ(put->files.size(), 2u);
  EXPECT_EQ(put->files[1].size, 18);
  EXPECT_EQ(put->files[1].sha256, audit::Sha256Hex(pdf));

  auto file = store_->GetReportFile(put->id, "pdf");
  ASSERT_TRUE(file.ok() && *file);
  EXPECT_EQ((*file)->bytes, pdf);
  EXPECT_FALSE(*store_->GetReportFile(put->id, "docx"));
  EXPECT_EQ(*store_->NextReportNumber("daily", 2026), 2);
  EXPECT_EQ(*store_->NextReportNumber("weekly", 2026), 1);
  EXPECT_TRUE(*store_->HasReport("daily:2026-11-17:"));

  // The delivery is an alert with its outbox item; its key names the report.
  auto outbox = store_->ListOutbox(std::nullopt, 10);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 1u);
  auto alert = store_->GetAlert((*outbox)[0].alert_id);
  ASSERT_TRUE(alert.ok() && *alert);
  EXPECT_EQ((*alert)->dedup_key, "report:deliver:" + std::to_string(put->id));
  auto head = store_->AuditHead();
  ASSERT_TRUE(head.ok() && *head);
  EXPECT_EQ((*head)->action, "report.generate");
  EXPECT_EQ((*head)->object_id, std::to_string(put->id));
}

TEST_F(SqliteReportsTest, ATakenKeyOrNumberWritesNothing) {
  ASSERT_TRUE(store_->PutReport(Daily("2026-11-17", 1), {{"html", "a"}}, {}, Audit("g")).ok());
  auto head_before = *store_->AuditHead();
  auto again = store_->PutReport(Daily("2026-11-17", 2), {{"html", "b"}}, {Delivery()}, Audit("g"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(again.status().message().find("daily:2026-11-17:"), std::string::npos);
  auto same_number = Daily("2026-11-18", 1);
  EXPECT_EQ(store_->PutReport(same_number, {{"html", "c"}}, {}, Audit("g")).status().code(),
            StatusCode::kAlreadyExists);
  // A format twice fails the whole report.
  EXPECT_EQ(
      store_->PutReport(Daily("2026-11-19", 3), {{"html", "x"}, {"html", "y"}}, {}, Audit("g"))
          .status()
          .code(),
      StatusCode::kInvalidArgument);
  auto list = store_->ListReports({});
  ASSERT_TRUE(list.ok());
  EXPECT_EQ(list->size(), 1u);
  EXPECT_TRUE(store_->ListOutbox(std::nullopt, 10)->empty());
  EXPECT_EQ((*store_->AuditHead())->seq, head_before->seq);
}

TEST_F(SqliteReportsTest, ListsNewestFirstByKindRegionAndPage) {
  for (int i = 0; i < 3; ++i) {
    auto r = Daily(fmt::format("2026-11-1{}", i + 1), i + 1);
    r.region = i == 2 ? "1404" : "";
    ASSERT_TRUE(store_->PutReport(r, {{"html", "x"}}, {}, Audit("g")).ok());
  }
  auto w = Daily("2026-11-16", 1);
  w.kind = "weekly";
  w.dedup_key = "weekly:2026-11-16:";
  ASSERT_TRUE(store_->PutReport(w, {{"html", "x"}}, {}, Audit("g")).ok());
  auto all = *store_->ListReports({});
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].kind, "weekly");
  ReportFilter daily;
  daily.kind = "daily";
  daily.limit = 2;
  auto page = *store_->ListReports(daily);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].number, 3);
  daily.before_id = page[1].id;
  auto rest = *store_->ListReports(daily);
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].number, 1);
  ReportFilter region;
  region.region = "1404";
  auto scoped = *store_->ListReports(region);
  ASSERT_EQ(scoped.size(), 1u);
  EXPECT_EQ(scoped[0].region, "1404");
  region.limit = 0;
  EXPECT_EQ(store_->ListReports(region).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteReportsTest, SubmissionsQueueADeliveryAndAreReceivedOnce) {
  auto r = Daily("2026-11-17", 1);
  r.errors = {{"pdf", "chromium is missing:\ninstall it"}};
  auto put = *store_->PutReport(r, {{"html", "x"}}, {}, Audit("g"));
  auto got = *store_->GetReport(put.id);
  ASSERT_TRUE(got);
  ASSERT_EQ(got->errors.size(), 1u);
  EXPECT_EQ(got->errors[0].second, "chromium is missing: install it");

  model::ReportSubmission s;
  s.report_id = put.id;
  s.to = "sx.office";
  s.to_name = "山西省人民政府办公厅";
  s.queued_at = t_;
  s.token_sha256 = audit::Sha256Hex("token");
  model::NewAlert d = Delivery();
  d.dedup_key = "report:submit:";
  auto sub = store_->AddSubmission(s, d, Audit("report.submit"));
  ASSERT_TRUE(sub.ok()) << sub.status().ToString();
  EXPECT_GT(sub->alert_id, 0);
  EXPECT_EQ(store_->OutboxForAlert(sub->alert_id)->size(), 1u);
  auto by_token = *store_->SubmissionByToken(audit::Sha256Hex("token"));
  ASSERT_TRUE(by_token);
  EXPECT_EQ(by_token->id, sub->id);
  EXPECT_FALSE(*store_->SubmissionByToken(audit::Sha256Hex("other")));

  auto first = store_->MarkSubmissionReceived(sub->id, "receipt link", "收到", Audit("r"));
  ASSERT_TRUE(first.ok());
  ASSERT_TRUE(first->received_at);
  int64_t seq = (*store_->AuditHead())->seq;
  auto second = store_->MarkSubmissionReceived(sub->id, "wang", "again", Audit("r"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->received_by, "receipt link");
  EXPECT_EQ(second->received_note, "收到");
  EXPECT_EQ((*store_->AuditHead())->seq, seq);
  EXPECT_EQ(store_->MarkSubmissionReceived(999, "x", "", Audit("r")).status().code(),
            StatusCode::kNotFound);
  s.report_id = 999;
  EXPECT_EQ(store_->AddSubmission(s, d, Audit("s")).status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->ListSubmissions(put.id)->size(), 1u);
}

TEST_F(SqliteReportsTest, TheArchiveSurvivesReopening) {
  auto put = *store_->PutReport(Daily("2026-11-17", 1), {{"docx", std::string(100000, 'z')}}, {},
                                Audit("g"));
  store_.reset();
  auto s = OpenSqliteStore(dir_.path().string() + "/reports.db");
  ASSERT_TRUE(s.ok());
  auto file = (*s)->GetReportFile(put.id, "docx");
  ASSERT_TRUE(file.ok() && *file);
  EXPECT_EQ((*file)->bytes.size(), 100000u);
}

}  // namespace
}  // namespace yuqing::store::sqlite
