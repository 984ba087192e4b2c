// The report archive of the SQLite store (store/reports_store.h, docs/reports.md "Archive and
// submission"): `reports` rows, their files as blobs in `report_files`, submissions in
// `report_submissions`. PutReport and AddSubmission write the report or submission, the
// deliveries (through InsertAlertsLocked, like every alert) and the audit entry in one
// transaction.
#include <fmt/format.h>

#include <functional>

#include "audit/audit.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

constexpr std::string_view kReportColumns =
    "id, kind, title, summary, period_from, period_to, event_id, case_id, region, year, number, "
    "trigger, dedup_key, created_at, created_by, errors";
constexpr std::string_view kSubmissionColumns =
    "id, report_id, to_department, to_name, queued_at, alert_id, token_sha256, received_at, "
    "received_by, received_note";

// errors: "format\tmessage" lines (messages have no line breaks: they are flattened).
std::string EncodeErrors(const std::vector<std::pair<std::string, std::string>>& errors) {
  std::string out;
  for (const auto& [format, message] : errors) {
    std::string flat = message;
    for (char& c : flat) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    if (!out.empty()) out += '\n';
    out += format + '\t' + flat;
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> DecodeErrors(std::string_view text) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& line : SplitLines(text)) {
    size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.emplace_back(line.substr(0, tab), line.substr(tab + 1));
  }
  return out;
}

model::ArchivedReport ReadReport(const Stmt& s) {
  model::ArchivedReport r;
  r.id = s.Int(0);
  r.kind = s.Text(1);
  r.title = s.Text(2);
  r.summary = s.Text(3);
  r.period_from = FromMs(s.Int(4));
  r.period_to = FromMs(s.Int(5));
  r.event_id = s.Int(6);
  r.case_id = s.Int(7);
  r.region = s.Text(8);
  r.year = static_cast<int>(s.Int(9));
  r.number = static_cast<int>(s.Int(10));
  r.trigger = s.Text(11);
  r.dedup_key = s.Text(12);
  r.created_at = FromMs(s.Int(13));
  r.created_by = s.Text(14);
  r.errors = DecodeErrors(s.Text(15));
  return r;
}

model::ReportSubmission ReadSubmission(const Stmt& s) {
  model::ReportSubmission m;
  m.id = s.Int(0);
  m.report_id = s.Int(1);
  m.to = s.Text(2);
  m.to_name = s.Text(3);
  m.queued_at = FromMs(s.Int(4));
  m.alert_id = s.Int(5);
  m.token_sha256 = s.Text(6);
  if (!s.IsNull(7)) m.received_at = FromMs(s.Int(7));
  m.received_by = s.Text(8);
  m.received_note = s.Text(9);
  return m;
}

// The files' formats, sizes and hashes (not the bytes), in the order written.
template <typename Conn>
Status ReadFileInfos(Conn& db, model::ArchivedReport& r) {
  YQ_ASSIGN_OR_RETURN(Stmt s, db.Prepare("SELECT format, size, sha256 FROM report_files WHERE "
                                         "report_id = ?1 ORDER BY rowid"));
  s.Bind(1, r.id);
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    r.files.push_back({s.Text(0), s.Int(1), s.Text(2)});
  }
  return Status::Ok();
}

}  // namespace

Result<int> SqliteStore::NextReportNumber(const std::string& kind, int year) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare("SELECT coalesce(max(number), 0) FROM reports WHERE kind = ?1 AND "
                                 "year = ?2"));
  s.Bind(1, kind);
  s.Bind(2, int64_t{year});
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? static_cast<int>(s.Int(0)) + 1 : 1;
}

Result<bool> SqliteStore::HasReport(const std::string& dedup_key) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT 1 FROM reports WHERE dedup_key = ?1"));
  s.Bind(1, dedup_key);
  return s.Step();
}

Result<model::ArchivedReport> SqliteStore::PutReport(const model::ArchivedReport& report,
                                                     const std::vector<model::ReportFile>& files,
                                                     const std::vector<model::NewAlert>& deliveries,
                                                     const model::AuditDraft& audit) {
  if (report.kind.empty()) return Status::InvalidArgument("a report needs a kind");
  model::ArchivedReport out = report;
  out.files.clear();
  std::lock_guard<std::mutex> lock(write_mu_);
  auto write = [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(
        Stmt s, writer_->Prepare("INSERT INTO reports(kind, title, summary, period_from, "
                                 "period_to, event_id, case_id, region, year, number, trigger, "
                                 "dedup_key, created_at, created_by, errors) VALUES(?1, ?2, ?3, "
                                 "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"));
    s.Bind(1, out.kind);
    s.Bind(2, out.title);
    s.Bind(3, out.summary);
    s.Bind(4, Ms(out.period_from));
    s.Bind(5, Ms(out.period_to));
    s.Bind(6, out.event_id);
    s.Bind(7, out.case_id);
    s.Bind(8, out.region);
    s.Bind(9, int64_t{out.year});
    s.Bind(10, int64_t{out.number});
    s.Bind(11, out.trigger);
    s.BindOptional(12, out.dedup_key);
    s.Bind(13, Ms(out.created_at));
    s.Bind(14, out.created_by);
    s.Bind(15, EncodeErrors(out.errors));
    Status st = s.Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists(
          out.dedup_key.empty()
              ? fmt::format("report {} No. {} of {} is archived already", out.kind, out.number,
                            out.year)
              : fmt::format("the report \"{}\" is archived already", out.dedup_key));
    }
    YQ_RETURN_IF_ERROR(st);
    out.id = writer_->LastInsertRowid();
    YQ_ASSIGN_OR_RETURN(Stmt f, writer_->Prepare("INSERT INTO report_files(report_id, format, "
                                                 "size, sha256, bytes) VALUES(?1, ?2, ?3, ?4, "
                                                 "?5)"));
    for (const model::ReportFile& file : files) {
      f.Reset();
      model::ReportFileInfo info{file.format, static_cast<int64_t>(file.bytes.size()),
                                 audit::Sha256Hex(file.bytes)};
      f.Bind(1, out.id);
      f.Bind(2, info.format);
      f.Bind(3, info.size);
      f.Bind(4, info.sha256);
      f.BindBlob(5, file.bytes);
      Status fs = f.Run();
      if (fs.code() == StatusCode::kAlreadyExists) {
        return Status::InvalidArgument(fmt::format("the format {} is given twice", info.format));
      }
      YQ_RETURN_IF_ERROR(fs);
      out.files.push_back(std::move(info));
    }
    std::vector<model::NewAlert> alerts = deliveries;
    for (model::NewAlert& a : alerts) a.dedup_key += std::to_string(out.id);
    std::vector<int64_t> ids;
    YQ_RETURN_IF_ERROR(InsertAlertsLocked(alerts, ids));
    model::AuditDraft d = audit;
    d.object_id = std::to_string(out.id);
    return AppendAuditLocked(*writer_, d).status();
  };
  YQ_RETURN_IF_ERROR(writer_->InTransaction(write));
  return out;
}

Result<std::optional<model::ArchivedReport>> SqliteStore::GetReport(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM reports WHERE id = ?1", kReportColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::ArchivedReport>();
  model::ArchivedReport out = ReadReport(s);
  YQ_RETURN_IF_ERROR(ReadFileInfos(*r, out));
  return std::optional<model::ArchivedReport>(std::move(out));
}

Result<std::vector<model::ArchivedReport>> SqliteStore::ListReports(const ReportFilter& filter) {
  if (filter.limit < 1 || filter.limit > 500) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..500", filter.limit));
  }
  std::string sql = fmt::format("SELECT {} FROM reports WHERE 1", kReportColumns);
  if (!filter.kind.empty()) sql += " AND kind = ?1";
  // A report covers its region prefix: one asking for "1404" sees reports of "1404…" only
  // (a report of the whole province holds more than that region may read).
  if (filter.region) sql += " AND substr(region, 1, length(?2)) = ?2";
  if (filter.before_id > 0) sql += " AND id < ?3";
  sql += " ORDER BY id DESC LIMIT ?4";
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(sql));
  if (!filter.kind.empty()) s.Bind(1, filter.kind);
  if (filter.region) s.Bind(2, *filter.region);
  if (filter.before_id > 0) s.Bind(3, filter.before_id);
  s.Bind(4, int64_t{filter.limit});
  YQ_ASSIGN_OR_RETURN(auto out, ReadAll(s, ReadReport));
  for (auto& report : out) YQ_RETURN_IF_ERROR(ReadFileInfos(*r, report));
  return out;
}

Result<std::optional<model::ReportFile>> SqliteStore::GetReportFile(int64_t report_id,
                                                                    const std::string& format) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare("SELECT bytes FROM report_files WHERE report_id = ?1 AND format = ?2"));
  s.Bind(1, report_id);
  s.Bind(2, format);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::ReportFile>();
  return std::optional<model::ReportFile>(model::ReportFile{format, s.Blob(0)});
}

Result<model::ReportSubmission> SqliteStore::AddSubmission(
    const model::ReportSubmission& submission, const model::NewAlert& delivery,
    const model::AuditDraft& audit) {
  model::ReportSubmission out = submission;
  std::lock_guard<std::mutex> lock(write_mu_);
  auto write = [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt q, writer_->Prepare("SELECT 1 FROM reports WHERE id = ?1"));
    q.Bind(1, out.report_id);
    YQ_ASSIGN_OR_RETURN(bool exists, q.Step());
    if (!exists) return Status::NotFound(fmt::format("no report with id {}", out.report_id));
    YQ_ASSIGN_OR_RETURN(
        Stmt s, writer_->Prepare("INSERT INTO report_submissions(report_id, to_department, "
                                 "to_name, queued_at, token_sha256) VALUES(?1, ?2, ?3, ?4, ?5)"));
    s.Bind(1, out.report_id);
    s.Bind(2, out.to);
    s.Bind(3, out.to_name);
    s.Bind(4, Ms(out.queued_at));
    s.Bind(5, out.token_sha256);
    YQ_RETURN_IF_ERROR(s.Run());
    out.id = writer_->LastInsertRowid();
    model::NewAlert a = delivery;
    a.dedup_key += std::to_string(out.id);
    std::vector<int64_t> ids;
    YQ_RETURN_IF_ERROR(InsertAlertsLocked({a}, ids));
    if (!ids.empty()) {
      out.alert_id = ids.front();
      YQ_ASSIGN_OR_RETURN(
          Stmt u, writer_->Prepare("UPDATE report_submissions SET alert_id = ?2 WHERE id = ?1"));
      u.Bind(1, out.id);
      u.Bind(2, out.alert_id);
      YQ_RETURN_IF_ERROR(u.Run());
    }
    model::AuditDraft d = audit;
    d.object_id = std::to_string(out.report_id);
    return AppendAuditLocked(*writer_, d).status();
  };
  YQ_RETURN_IF_ERROR(writer_->InTransaction(write));
  return out;
}

Result<std::vector<model::ReportSubmission>> SqliteStore::ListSubmissions(int64_t report_id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM report_submissions WHERE report_id "
                                             "= ?1 ORDER BY id",
                                             kSubmissionColumns)));
  s.Bind(1, report_id);
  return ReadAll(s, ReadSubmission);
}

Result<std::optional<model::ReportSubmission>> SqliteStore::GetSubmission(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT {} FROM report_submissions WHERE "
                                                     "id = ?1",
                                                     kSubmissionColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::ReportSubmission>();
  return std::optional<model::ReportSubmission>(ReadSubmission(s));
}

Result<std::optional<model::ReportSubmission>> SqliteStore::SubmissionByToken(
    const std::string& token_sha256) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT {} FROM report_submissions WHERE "
                                                     "token_sha256 = ?1",
                                                     kSubmissionColumns)));
  s.Bind(1, token_sha256);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::ReportSubmission>();
  return std::optional<model::ReportSubmission>(ReadSubmission(s));
}

Result<model::ReportSubmission> SqliteStore::MarkSubmissionReceived(
    int64_t id, const std::string& by, const std::string& note, const model::AuditDraft& audit) {
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    auto write = [&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE report_submissions SET received_at = "
                                                   "?2, received_by = ?3, received_note = ?4 "
                                                   "WHERE id = ?1 AND received_at IS NULL"));
      s.Bind(1, id);
      s.Bind(2, Ms(audit.at));
      s.Bind(3, by);
      s.Bind(4, note);
      YQ_RETURN_IF_ERROR(s.Run());
      if (writer_->Changes() == 0) {
        YQ_ASSIGN_OR_RETURN(Stmt q, writer_->Prepare("SELECT 1 FROM report_submissions WHERE "
                                                     "id = ?1"));
        q.Bind(1, id);
        YQ_ASSIGN_OR_RETURN(bool exists, q.Step());
        if (!exists) return Status::NotFound(fmt::format("no submission with id {}", id));
        return Status::Ok();  // received before: keep the first confirmation
      }
      return AppendAuditLocked(*writer_, audit).status();
    };
    YQ_RETURN_IF_ERROR(writer_->InTransaction(write));
  }
  YQ_ASSIGN_OR_RETURN(auto stored, GetSubmission(id));
  if (!stored) return Status::NotFound(fmt::format("no submission with id {}", id));
  return *stored;
}

}  // namespace yuqing::store::sqlite::internal
