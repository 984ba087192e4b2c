#include "store/sqlite/sqlite_audit.h"

#include <fmt/format.h>

#include <string>

#include "audit/audit.h"

namespace yuqing::store::sqlite {
namespace {

constexpr std::string_view kEntryColumns =
    "seq, at, actor_id, actor, action, object_type, object_id, from_json, to_json, reason, "
    "prev_hash, hash";
constexpr std::string_view kCheckpointColumns = "size, head_hash, at, public_key, signature";

int64_t Ms(core::TimePoint t) { return t.time_since_epoch().count(); }
core::TimePoint FromMs(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

model::AuditEntry ReadEntry(const Stmt& s) {
  model::AuditEntry e;
  e.seq = s.Int(0);
  e.at = FromMs(s.Int(1));
  e.actor_id = s.Int(2);
  e.actor = s.Text(3);
  e.action = s.Text(4);
  e.object_type = s.Text(5);
  e.object_id = s.Text(6);
  e.from_json = s.Text(7);
  e.to_json = s.Text(8);
  e.reason = s.Text(9);
  e.prev_hash = s.Text(10);
  e.hash = s.Text(11);
  return e;
}

model::AuditCheckpoint ReadCheckpoint(const Stmt& s) {
  model::AuditCheckpoint c;
  c.size = s.Int(0);
  c.head_hash = s.Text(1);
  c.at = FromMs(s.Int(2));
  c.public_key = s.Text(3);
  c.signature = s.Text(4);
  return c;
}

// The *Locked functions read the head and then write: outside a transaction another writer
// could append between the two and the chain would fork.
Status RequireTransaction(Db& db, std::string_view what) {
  if (sqlite3_get_autocommit(db.raw()) != 0) {
    return Status::FailedPrecondition(
        fmt::format("{} needs an open write transaction on the connection", what));
  }
  return Status::Ok();
}

template <typename Read>
auto ReadRows(Stmt& s, Read read) -> Result<std::vector<decltype(read(s))>> {
  std::vector<decltype(read(s))> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}

}  // namespace

Result<model::AuditEntry> AuditAppender::AppendLocked(const model::AuditDraft& draft) {
  YQ_RETURN_IF_ERROR(RequireTransaction(db_, "appending to the audit log"));
  if (draft.actor.empty()) {
    return Status::InvalidArgument(
        fmt::format("audit entry \"{}\" has no actor: say who made the change", draft.action));
  }
  if (draft.action.empty()) {
    return Status::InvalidArgument(
        fmt::format("audit entry by \"{}\" has no action: say what changed", draft.actor));
  }
  if (!prepared_) {
    YQ_ASSIGN_OR_RETURN(head_,
                        db_.Prepare("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1"));
    YQ_ASSIGN_OR_RETURN(
        insert_, db_.Prepare(fmt::format("INSERT INTO audit_log({}) VALUES(?1, ?2, ?3, ?4, ?5, "
                                         "?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                                         kEntryColumns)));
    prepared_ = true;
  }
  int64_t seq = 1;
  std::string prev(audit::kGenesisHash);
  {
    head_.Reset();
    auto row = head_.Step();
    if (!row.ok()) {
      head_.Reset();
      return row.status().WithContext("reading the audit log's head");
    }
    if (*row) {
      seq = head_.Int(0) + 1;
      prev = head_.Text(1);
    }
    head_.Reset();  // an unreset statement would hold its read snapshot open
  }
  model::AuditEntry e = audit::ChainNext(draft, seq, prev);
  insert_.Reset();
  insert_.Bind(1, e.seq);
  insert_.Bind(2, Ms(e.at));
  insert_.Bind(3, e.actor_id);
  insert_.Bind(4, e.actor);
  insert_.Bind(5, e.action);
  insert_.Bind(6, e.object_type);
  insert_.Bind(7, e.object_id);
  insert_.Bind(8, e.from_json);
  insert_.Bind(9, e.to_json);
  insert_.Bind(10, e.reason);
  insert_.Bind(11, e.prev_hash);
  insert_.Bind(12, e.hash);
  Status st = insert_.Run();
  insert_.Reset();
  if (!st.ok()) return st.WithContext(fmt::format("audit entry {} not written", e.seq));
  return e;
}

Result<model::AuditEntry> AppendAuditLocked(Db& writer, const model::AuditDraft& draft) {
  AuditAppender appender(writer);
  return appender.AppendLocked(draft);
}

Result<std::vector<model::AuditEntry>> ScanAudit(Db& reader, int64_t after_seq, int limit) {
  if (limit < 1 || limit > 100000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..100000", limit));
  }
  YQ_ASSIGN_OR_RETURN(
      Stmt s, reader.Prepare(fmt::format(
                  "SELECT {} FROM audit_log WHERE seq > ?1 ORDER BY seq LIMIT ?2", kEntryColumns)));
  s.Bind(1, after_seq);
  s.Bind(2, static_cast<int64_t>(limit));
  return ReadRows(s, ReadEntry);
}

Result<std::optional<model::AuditEntry>> AuditHead(Db& reader) {
  YQ_ASSIGN_OR_RETURN(
      Stmt s, reader.Prepare(fmt::format("SELECT {} FROM audit_log ORDER BY seq DESC LIMIT 1",
                                         kEntryColumns)));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::AuditEntry>();
  return std::optional<model::AuditEntry>(ReadEntry(s));
}

Result<int64_t> AuditSize(Db& reader) {
  YQ_ASSIGN_OR_RETURN(Stmt s, reader.Prepare("SELECT max(seq) FROM audit_log"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row && !s.IsNull(0) ? s.Int(0) : int64_t{0};
}

Result<std::vector<model::AuditEntry>> ListAudit(Db& reader, const AuditQuery& q) {
  if (q.limit < 1 || q.limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..1000", q.limit));
  }
  std::string where = "1";
  std::vector<std::string> texts;
  std::vector<int64_t> ints;
  // Parameters are numbered in the order they are added: ?1.. for texts, then ints.
  auto text = [&](std::string_view clause, const std::string& v) {
    texts.push_back(v);
    where += fmt::format(" AND {}?{}", clause, texts.size());
  };
  if (!q.object_type.empty()) text("object_type = ", q.object_type);
  if (!q.object_id.empty()) text("object_id = ", q.object_id);
  if (!q.actor.empty()) text("actor = ", q.actor);
  if (!q.action_prefix.empty()) {
    // substr compares bytes, so prefixes are literal (no LIKE wildcards or case folding).
    texts.push_back(q.action_prefix);
    where += fmt::format(" AND substr(action, 1, {}) = ?{}", q.action_prefix.size(), texts.size());
  }
  auto number = [&](std::string_view clause, int64_t v) {
    ints.push_back(v);
    where += fmt::format(" AND {}?{}", clause, texts.size() + ints.size());
  };
  if (q.from) number("at >= ", Ms(*q.from));
  if (q.to) number("at < ", Ms(*q.to));
  if (q.after_seq > 0) number("seq > ", q.after_seq);
  if (q.before_seq > 0) number("seq < ", q.before_seq);
  YQ_ASSIGN_OR_RETURN(Stmt s, reader.Prepare(fmt::format(
                                  "SELECT {} FROM audit_log WHERE {} ORDER BY seq DESC LIMIT {}",
                                  kEntryColumns, where, q.limit)));
  int i = 1;
  for (const auto& t : texts) s.Bind(i++, t);
  for (int64_t v : ints) s.Bind(i++, v);
  return ReadRows(s, ReadEntry);
}

Status PutCheckpointLocked(Db& writer, const model::AuditCheckpoint& cp) {
  YQ_RETURN_IF_ERROR(RequireTransaction(writer, "keeping an audit checkpoint"));
  if (cp.size < 1) {
    return Status::InvalidArgument(fmt::format("checkpoint size {} is below 1", cp.size));
  }
  {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer.Prepare("SELECT hash FROM audit_log WHERE seq = ?1"));
    s.Bind(1, cp.size);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) {
      return Status::InvalidArgument(
          fmt::format("checkpoint of size {}: the audit log has no entry {}", cp.size, cp.size));
    }
    if (s.Text(0) != cp.head_hash) {
      return Status::InvalidArgument(
          fmt::format("checkpoint of size {}: its head hash is not the hash of entry {} of this "
                      "log",
                      cp.size, cp.size));
    }
  }
  {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer.Prepare("SELECT 1 FROM audit_checkpoints WHERE size = ?1"));
    s.Bind(1, cp.size);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (row) {
      return Status::AlreadyExists(fmt::format("a checkpoint of size {} is kept already", cp.size));
    }
  }
  YQ_ASSIGN_OR_RETURN(Stmt ins, writer.Prepare(fmt::format(
                                    "INSERT INTO audit_checkpoints({}) VALUES(?1, ?2, ?3, ?4, ?5)",
                                    kCheckpointColumns)));
  ins.Bind(1, cp.size);
  ins.Bind(2, cp.head_hash);
  ins.Bind(3, Ms(cp.at));
  ins.Bind(4, cp.public_key);
  ins.Bind(5, cp.signature);
  return ins.Run();
}

Result<std::vector<model::AuditCheckpoint>> ListCheckpoints(Db& reader) {
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      reader.Prepare(fmt::format("SELECT {} FROM audit_checkpoints ORDER BY size",
                                                 kCheckpointColumns)));
  return ReadRows(s, ReadCheckpoint);
}

Result<std::optional<model::AuditCheckpoint>> LatestCheckpoint(Db& reader) {
  YQ_ASSIGN_OR_RETURN(Stmt s, reader.Prepare(fmt::format(
                                  "SELECT {} FROM audit_checkpoints ORDER BY size DESC LIMIT 1",
                                  kCheckpointColumns)));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::AuditCheckpoint>();
  return std::optional<model::AuditCheckpoint>(ReadCheckpoint(s));
}

}  // namespace yuqing::store::sqlite
