// ReportStore: the report archive and its submissions upward (docs/reports.md "Archive and
// submission"). A report is written whole — its metadata, every rendered file, the deliveries
// it queues in the alert outbox and its audit entry — in one transaction, so a failed render
// never leaves a half-written report. Implemented by every backend; see store/store.h for
// thread safety.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/audit.h"
#include "model/report.h"

namespace yuqing::store {

struct ReportFilter {
  std::string kind;                   // "" any
  std::optional<std::string> region;  // reports covering this prefix or a narrower one
  int64_t before_id = 0;              // > 0: ids less than this (paging back)
  int limit = 50;                     // 1..500
};

class ReportStore {
 public:
  virtual ~ReportStore() = default;

  // The next free number of `kind` in `year` (1 for the first).
  virtual Result<int> NextReportNumber(const std::string& kind, int year) = 0;
  // Whether a report with this dedup key is archived.
  virtual Result<bool> HasReport(const std::string& dedup_key) = 0;
  // Stores the report (id assigned; files' sizes and hashes computed from their bytes), its
  // files, the `deliveries` (alerts with outbox items; their dedup_key gets the report id
  // appended) and the audit entry (object_id set). AlreadyExists when the dedup key or the
  // (kind, year, number) is taken: nothing is written.
  virtual Result<model::ArchivedReport> PutReport(const model::ArchivedReport& report,
                                                  const std::vector<model::ReportFile>& files,
                                                  const std::vector<model::NewAlert>& deliveries,
                                                  const model::AuditDraft& audit) = 0;
  virtual Result<std::optional<model::ArchivedReport>> GetReport(int64_t id) = 0;
  // Newest first. InvalidArgument for a limit out of range.
  virtual Result<std::vector<model::ArchivedReport>> ListReports(const ReportFilter& filter) = 0;
  // The file's bytes; nullopt when the report has no such format.
  virtual Result<std::optional<model::ReportFile>> GetReportFile(int64_t report_id,
                                                                 const std::string& format) = 0;

  // Records a submission and queues its delivery (one alert with its outbox items) with the
  // audit entry, in one transaction. NotFound for an unknown report.
  virtual Result<model::ReportSubmission> AddSubmission(const model::ReportSubmission& submission,
                                                        const model::NewAlert& delivery,
                                                        const model::AuditDraft& audit) = 0;
  // A report's submissions, oldest first.
  virtual Result<std::vector<model::ReportSubmission>> ListSubmissions(int64_t report_id) = 0;
  virtual Result<std::optional<model::ReportSubmission>> GetSubmission(int64_t id) = 0;
  virtual Result<std::optional<model::ReportSubmission>> SubmissionByToken(
      const std::string& token_sha256) = 0;
  // Marks it received (with the audit entry); a second confirmation keeps the first and
  // returns it unchanged, writing nothing. NotFound for an unknown id.
  virtual Result<model::ReportSubmission> MarkSubmissionReceived(
      int64_t id, const std::string& by, const std::string& note,
      const model::AuditDraft& audit) = 0;
};

}  // namespace yuqing::store
