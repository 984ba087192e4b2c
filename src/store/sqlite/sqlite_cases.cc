// Cases and pre-decision risk assessments of the SQLite store (store/cases_store.h,
// docs/cases.md).
//
// A case is one row of `cases`: the whole case as its codec document (store/case_codec.h) and,
// beside it, copies of the fields the list filters on, written from the same value by the same
// statement so they cannot disagree. A change is written whole in one transaction: the row, the
// departments ever assigned (case_departments, rewritten from the assignments, which are never
// deleted), the log lines (case_log, append-only), the notices (alerts with their outbox items,
// through InsertAlertsLocked as the event stage's alerts) and the audit entry. The version
// check reads the stored version inside that transaction, after BEGIN IMMEDIATE took the write
// lock, so two writers (even in two processes) cannot both pass it.
#include <fmt/format.h>

#include <variant>

#include "store/case_codec.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

constexpr std::string_view kLogColumns =
    "seq, case_id, at, actor, action, from_state, to_state, detail";

Status NoSuchCase(int64_t id) { return Status::NotFound(fmt::format("no case with id {}", id)); }
Status NoSuchAssessment(int64_t id) {
  return Status::NotFound(fmt::format("no risk assessment with id {}", id));
}

// Parameters of a statement built from a filter, numbered in the order they are added.
class Params {
 public:
  std::string Add(int64_t v) {
    values_.emplace_back(v);
    return fmt::format("?{}", values_.size());
  }
  std::string Add(std::string v) {
    values_.emplace_back(std::move(v));
    return fmt::format("?{}", values_.size());
  }
  void BindAll(Stmt& s) const {
    for (size_t i = 0; i < values_.size(); ++i) {
      int n = static_cast<int>(i + 1);
      if (const auto* v = std::get_if<int64_t>(&values_[i])) {
        s.Bind(n, *v);
      } else {
        s.Bind(n, std::get<std::string>(values_[i]));
      }
    }
  }

 private:
  std::vector<std::variant<int64_t, std::string>> values_;
};

// The smallest string above every string that starts with `prefix`, so `column >= prefix AND
// column < end` is a prefix match an index can serve (LIKE would need case_sensitive_like and
// treats % and _ as wildcards). "" when there is none (prefix empty or all 0xFF bytes).
std::string PrefixEnd(std::string prefix) {
  while (!prefix.empty()) {
    auto last = static_cast<unsigned char>(prefix.back());
    if (last < 0xFF) {
      prefix.back() = static_cast<char>(last + 1);
      return prefix;
    }
    prefix.pop_back();
  }
  return prefix;
}

// "column lies under prefix" for one or two columns; "" for an empty prefix (everything does).
std::string PrefixClause(const std::vector<std::string_view>& columns, const std::string& prefix,
                         Params& p) {
  if (prefix.empty()) return "";
  std::string lo = p.Add(prefix);
  std::string end = PrefixEnd(prefix);
  std::string hi = end.empty() ? "" : p.Add(end);
  std::string out;
  for (std::string_view c : columns) {
    if (!out.empty()) out += " OR ";
    out += hi.empty() ? fmt::format("{} >= {}", c, lo)
                      : fmt::format("({} >= {} AND {} < {})", c, lo, c, hi);
  }
  return "(" + out + ")";
}

// The WHERE clause of every CaseFilter condition but after_id and limit.
std::string CaseWhere(const CaseFilter& f, Params& p) {
  std::string w = "1";
  if (!f.states.empty()) {
    w += " AND state IN (";
    for (size_t i = 0; i < f.states.size(); ++i) {
      w += (i ? ", " : "") + p.Add(std::string(model::CaseStateName(f.states[i])));
    }
    w += ")";
  }
  if (f.open_only) {
    w += fmt::format(" AND state NOT IN ({}, {})",
                     p.Add(std::string(model::CaseStateName(model::CaseState::kClosed))),
                     p.Add(std::string(model::CaseStateName(model::CaseState::kEvaluated))));
  }
  if (f.open_only || !f.include_merged) w += " AND merged_into = 0";
  if (!f.department_id.empty()) {
    w += fmt::format(" AND id IN (SELECT case_id FROM case_departments WHERE department_id = {})",
                     p.Add(f.department_id));
  }
  if (f.region_prefix) {
    std::string c = PrefixClause({"region", "handling_region"}, *f.region_prefix, p);
    if (!c.empty()) w += " AND " + c;
  }
  if (f.event_id != 0) w += " AND event_id = " + p.Add(f.event_id);
  if (f.origin) w += " AND origin = " + p.Add(std::string(model::CaseOriginName(*f.origin)));
  if (f.created_from) w += " AND created_at >= " + p.Add(Ms(*f.created_from));
  if (f.created_to) w += " AND created_at < " + p.Add(Ms(*f.created_to));
  // instr() is a literal, case-sensitive substring test: no wildcards to escape.
  if (!f.text.empty()) w += " AND instr(title, " + p.Add(f.text) + ") > 0";
  if (f.sweep_due) w += " AND sweep_at IS NOT NULL AND sweep_at <= " + p.Add(Ms(*f.sweep_due));
  return w;
}

// A stored document that does not decode is our damage, not the caller's mistake: Internal,
// with the row it came from.
Result<model::Case> ReadCaseRow(const Stmt& s) {
  int64_t id = s.Int(0);
  auto decoded = DecodeCase(s.Text(2));
  if (!decoded.ok()) {
    return Status::Internal(fmt::format("case {}: stored {}", id, decoded.status().message()));
  }
  model::Case c = std::move(decoded).value();
  c.id = id;
  c.version = s.Int(1);
  return c;
}

Result<model::RiskAssessment> ReadAssessmentRow(const Stmt& s) {
  int64_t id = s.Int(0);
  auto decoded = DecodeRiskAssessment(s.Text(1));
  if (!decoded.ok()) {
    return Status::Internal(
        fmt::format("risk assessment {}: stored {}", id, decoded.status().message()));
  }
  model::RiskAssessment a = std::move(decoded).value();
  a.id = id;
  return a;
}

model::CaseLogEntry ReadLog(const Stmt& s) {
  model::CaseLogEntry e;
  e.seq = s.Int(0);
  e.case_id = s.Int(1);
  e.at = FromMs(s.Int(2));
  e.actor = s.Text(3);
  e.action = s.Text(4);
  e.from_state = s.Text(5);
  e.to_state = s.Text(6);
  e.detail_json = s.Text(7);
  return e;
}

// A notice's key is what keeps the sweep from warning twice; one without a key would be sent
// once and then dropped forever, so it is refused.
Status CheckNotices(const CaseChange& change) {
  for (size_t i = 0; i < change.notices.size(); ++i) {
    if (change.notices[i].dedup_key.empty()) {
      return Status::InvalidArgument(fmt::format("notice {} (\"{}\") of case {} has no dedup_key",
                                                 i + 1, change.notices[i].title, change.after.id));
    }
  }
  return Status::Ok();
}

// The audit draft of a change with what only the store knows filled in.
model::AuditDraft CaseAudit(const model::AuditDraft& draft, int64_t id, bool create) {
  model::AuditDraft d = draft;
  if (d.object_type.empty()) d.object_type = "case";
  if (create || d.object_id.empty()) d.object_id = std::to_string(id);
  return d;
}

// Steps a one-value statement and returns its integer (0 for NULL).
Result<int64_t> ScalarInt(Stmt& s) {
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  int64_t v = row && !s.IsNull(0) ? s.Int(0) : 0;
  s.Reset();  // an unreset statement keeps its read snapshot open
  return v;
}

}  // namespace

Status SqliteStore::WriteCaseLocked(const CaseChange& change, const model::Case& c, bool create) {
  {
    YQ_ASSIGN_OR_RETURN(
        Stmt s,
        writer_->Prepare(create ? "INSERT INTO cases(id, version, state, origin, event_id, grade, "
                                  "region, handling_region, title, created_at, updated_at, "
                                  "detected_at, merged_into, doc, sweep_at) VALUES(?1, ?2, ?3, ?4, "
                                  "?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)"
                                : "UPDATE cases SET version = ?2, state = ?3, origin = ?4, "
                                  "event_id = ?5, grade = ?6, region = ?7, handling_region = ?8, "
                                  "title = ?9, created_at = ?10, updated_at = ?11, "
                                  "detected_at = ?12, merged_into = ?13, doc = ?14, sweep_at = ?15 "
                                  "WHERE id = ?1"));
    s.Bind(1, c.id);
    s.Bind(2, c.version);
    s.Bind(3, model::CaseStateName(c.state));
    s.Bind(4, model::CaseOriginName(c.origin));
    s.Bind(5, c.event_id);
    s.Bind(6, int64_t{c.grade});
    s.Bind(7, c.region);
    s.Bind(8, c.handling_region);
    s.Bind(9, c.title);
    s.Bind(10, Ms(c.created_at));
    s.Bind(11, Ms(c.updated_at));
    s.Bind(12, Ms(c.detected_at));
    s.Bind(13, c.merged_into);
    s.Bind(14, EncodeCase(c));
    if (c.sweep_at) {
      s.Bind(15, Ms(*c.sweep_at));
    } else {
      s.BindNull(15);
    }
    YQ_RETURN_IF_ERROR(s.Run());
    if (writer_->Changes() == 0) return NoSuchCase(c.id);
  }
  {
    YQ_ASSIGN_OR_RETURN(Stmt del,
                        writer_->Prepare("DELETE FROM case_departments WHERE case_id = ?1"));
    del.Bind(1, c.id);
    YQ_RETURN_IF_ERROR(del.Run());
    YQ_ASSIGN_OR_RETURN(Stmt ins, writer_->Prepare("INSERT OR IGNORE INTO case_departments("
                                                   "department_id, case_id) VALUES(?1, ?2)"));
    for (const model::Assignment& a : c.assignments) {
      if (a.department_id.empty()) continue;
      ins.Reset();
      ins.Bind(1, a.department_id);
      ins.Bind(2, c.id);
      YQ_RETURN_IF_ERROR(ins.Run());
    }
  }
  if (!change.log.empty()) {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO case_log(case_id, at, actor, action, "
                                                 "from_state, to_state, detail) "
                                                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)"));
    for (const model::CaseLogEntry& e : change.log) {
      s.Reset();
      s.Bind(1, c.id);
      s.Bind(2, Ms(e.at));
      s.Bind(3, e.actor);
      s.Bind(4, e.action);
      s.Bind(5, e.from_state);
      s.Bind(6, e.to_state);
      s.Bind(7, e.detail_json.empty() ? std::string_view("{}") : std::string_view(e.detail_json));
      YQ_RETURN_IF_ERROR(s.Run());
    }
  }
  if (!change.notices.empty()) {
    std::vector<model::NewAlert> notices = change.notices;
    for (model::NewAlert& n : notices) n.case_id = c.id;
    std::vector<int64_t> ids;
    YQ_RETURN_IF_ERROR(InsertAlertsLocked(notices, ids));
  }
  return Status::Ok();
}

Result<model::Case> SqliteStore::CreateCase(const CaseChange& change) {
  YQ_RETURN_IF_ERROR(CheckNotices(change));
  std::lock_guard<std::mutex> lock(write_mu_);
  model::Case out = change.after;
  out.version = 1;
  // AuditedTransaction appends `audit` after the change ran, so the id chosen inside the
  // transaction is in it.
  model::AuditDraft audit = change.audit;
  Status s = AuditedTransaction(audit, [&]() -> Status {
    // The next rowid, as SQLite would choose it; chosen here because the document holds it.
    YQ_ASSIGN_OR_RETURN(Stmt next, writer_->Prepare("SELECT coalesce(max(id), 0) + 1 FROM cases"));
    YQ_ASSIGN_OR_RETURN(out.id, ScalarInt(next));
    audit = CaseAudit(change.audit, out.id, /*create=*/true);
    return WriteCaseLocked(change, out, /*create=*/true);
  });
  if (!s.ok()) return s.WithContext("case not created");
  return out;
}

Result<std::vector<model::Case>> SqliteStore::UpdateCases(std::span<const CaseChange> changes) {
  for (const CaseChange& c : changes) YQ_RETURN_IF_ERROR(CheckNotices(c));
  std::vector<model::Case> out;
  if (changes.empty()) return out;
  out.reserve(changes.size());
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  Status s = [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt version, writer_->Prepare("SELECT version FROM cases WHERE id = ?1"));
    for (const CaseChange& change : changes) {
      const model::Case& after = change.after;
      version.Reset();
      version.Bind(1, after.id);
      YQ_ASSIGN_OR_RETURN(bool row, version.Step());
      if (!row) return NoSuchCase(after.id);
      int64_t stored = version.Int(0);
      version.Reset();
      if (after.version != stored + 1) {
        return Status::FailedPrecondition(
            fmt::format("case {} changed (version {}, expected {}): reload and try again", after.id,
                        stored, after.version - 1));
      }
      YQ_RETURN_IF_ERROR(WriteCaseLocked(change, after, /*create=*/false));
      YQ_RETURN_IF_ERROR(
          AppendAuditLocked(*writer_, CaseAudit(change.audit, after.id, /*create=*/false))
              .status());
      out.push_back(after);
    }
    return Status::Ok();
  }();
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return s;
  }
  return out;
}

Result<std::optional<model::Case>> SqliteStore::GetCase(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT id, version, doc FROM cases WHERE id = ?1"));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::Case>();
  YQ_ASSIGN_OR_RETURN(model::Case c, ReadCaseRow(s));
  return std::optional<model::Case>(std::move(c));
}

Result<std::vector<model::Case>> SqliteStore::ListCases(const CaseFilter& filter) {
  if (filter.limit < 1 || filter.limit > 100000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..100000", filter.limit));
  }
  Params p;
  std::string where = CaseWhere(filter, p);
  if (filter.after_id > 0) where += " AND id > " + p.Add(filter.after_id);
  if (filter.before_id > 0) where += " AND id < " + p.Add(filter.before_id);
  std::string limit = p.Add(int64_t{filter.limit});
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT id, version, doc FROM cases WHERE {} ORDER BY id {} "
                                     "LIMIT {}",
                                     where, filter.descending ? "DESC" : "ASC", limit)));
  p.BindAll(s);
  std::vector<model::Case> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    YQ_ASSIGN_OR_RETURN(model::Case c, ReadCaseRow(s));
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SqliteStore::CountCases(const CaseFilter& filter) {
  Params p;
  std::string where = CaseWhere(filter, p);
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT count(*) FROM cases WHERE " + where));
  p.BindAll(s);
  return ScalarInt(s);
}

Result<std::vector<model::CaseLogEntry>> SqliteStore::CaseLog(int64_t case_id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM case_log WHERE case_id = ?1 ORDER BY seq",
                                     kLogColumns)));
  s.Bind(1, case_id);
  return ReadAll(s, ReadLog);
}

Result<model::RiskAssessment> SqliteStore::PutRiskAssessment(
    const model::RiskAssessment& assessment, const model::AuditDraft& audit) {
  std::lock_guard<std::mutex> lock(write_mu_);
  model::RiskAssessment out = assessment;
  model::AuditDraft draft = audit;
  if (draft.object_type.empty()) draft.object_type = "risk_assessment";
  Status s = AuditedTransaction(draft, [&]() -> Status {
    const bool create = out.id == 0;
    if (create) {
      YQ_ASSIGN_OR_RETURN(
          Stmt next, writer_->Prepare("SELECT coalesce(max(id), 0) + 1 FROM risk_assessments"));
      YQ_ASSIGN_OR_RETURN(out.id, ScalarInt(next));
    }
    if (create || draft.object_id.empty()) draft.object_id = std::to_string(out.id);
    YQ_ASSIGN_OR_RETURN(
        Stmt s, writer_->Prepare(create ? "INSERT INTO risk_assessments(id, region, created_at, "
                                          "updated_at, doc) VALUES(?1, ?2, ?3, ?4, ?5)"
                                        : "UPDATE risk_assessments SET region = ?2, "
                                          "created_at = ?3, updated_at = ?4, doc = ?5 "
                                          "WHERE id = ?1"));
    s.Bind(1, out.id);
    s.Bind(2, out.region);
    s.Bind(3, Ms(out.created_at));
    s.Bind(4, Ms(out.updated_at));
    s.Bind(5, EncodeRiskAssessment(out));
    YQ_RETURN_IF_ERROR(s.Run());
    return writer_->Changes() == 0 ? NoSuchAssessment(out.id) : Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<model::RiskAssessment>> SqliteStore::GetRiskAssessment(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT id, doc FROM risk_assessments WHERE id = ?1"));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::RiskAssessment>();
  YQ_ASSIGN_OR_RETURN(model::RiskAssessment a, ReadAssessmentRow(s));
  return std::optional<model::RiskAssessment>(std::move(a));
}

Result<std::vector<model::RiskAssessment>> SqliteStore::ListRiskAssessments(
    const std::optional<std::string>& region_prefix, int limit) {
  if (limit < 1 || limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..1000", limit));
  }
  Params p;
  std::string where = "1";
  if (region_prefix) {
    std::string c = PrefixClause({"region"}, *region_prefix, p);
    if (!c.empty()) where += " AND " + c;
  }
  std::string lim = p.Add(int64_t{limit});
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT id, doc FROM risk_assessments "
                                                     "WHERE {} ORDER BY created_at DESC, id DESC "
                                                     "LIMIT {}",
                                                     where, lim)));
  p.BindAll(s);
  std::vector<model::RiskAssessment> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    YQ_ASSIGN_OR_RETURN(model::RiskAssessment a, ReadAssessmentRow(s));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace yuqing::store::sqlite::internal
