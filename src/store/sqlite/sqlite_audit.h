// The audit log's SQL for the SQLite backend: its schema (one migration) and free functions
// over a connection that SqliteStore calls (docs/audit.md). Entries are chained with
// audit::ChainNext inside the caller's write transaction, so the chain order is the commit
// order. Like Db, nothing here is thread-safe: one connection, one thread at a time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/audit.h"
#include "store/sqlite/sqlite_db.h"

namespace yuqing::store::sqlite {

// The audit tables, for the migration list (one entry; executed whole by Db::Exec).
// The triggers refuse UPDATE and DELETE through SQL, so no code path or hand-typed statement
// changes the log by accident. They are no defence against someone with the file, who can
// drop them: the hash chain and the checkpoints are what show such a change.
inline constexpr std::string_view kAuditSchema = R"sql(
CREATE TABLE IF NOT EXISTS audit_log (
  seq INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  actor_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object_type TEXT NOT NULL,
  object_id TEXT NOT NULL,
  from_json TEXT NOT NULL,
  to_json TEXT NOT NULL,
  reason TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_log_by_object ON audit_log(object_type, object_id);
CREATE INDEX IF NOT EXISTS audit_log_by_actor ON audit_log(actor);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: entries cannot be removed');
END;
CREATE TABLE IF NOT EXISTS audit_checkpoints (
  size INTEGER PRIMARY KEY,
  head_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  public_key TEXT NOT NULL,
  signature TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_update BEFORE UPDATE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only: checkpoints cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_checkpoints_no_delete BEFORE DELETE ON audit_checkpoints
BEGIN
  SELECT RAISE(ABORT, 'audit_checkpoints is append-only: checkpoints cannot be removed');
END;
)sql";

// Filters for listing entries to people (the API, the web screen). Newest first.
struct AuditQuery {
  std::string object_type;              // "" any
  std::string object_id;                // "" any (used with object_type)
  std::string actor;                    // "" any
  std::string action_prefix;            // "user." …; "" any
  std::optional<core::TimePoint> from;  // inclusive
  std::optional<core::TimePoint> to;    // exclusive
  int64_t after_seq = 0;                // only entries with seq > this
  int64_t before_seq = 0;               // 0: from the newest; else only seq < this (paging back)
  int limit = 50;                       // 1..1000
};

// Appends one entry after the current head and returns it chained. The caller holds an open
// write transaction (BEGIN IMMEDIATE) on `writer` and commits or rolls back with its change;
// FailedPrecondition when no transaction is open. InvalidArgument for a draft without actor
// or action.
Result<model::AuditEntry> AppendAuditLocked(Db& writer, const model::AuditDraft& draft);

// The same with its statements prepared once, for a caller that appends many entries on one
// connection (the store's writer, the benchmark). Borrows `writer`, which must outlive it.
class AuditAppender {
 public:
  explicit AuditAppender(Db& writer) : db_(writer) {}
  Result<model::AuditEntry> AppendLocked(const model::AuditDraft& draft);

 private:
  Db& db_;
  bool prepared_ = false;
  Stmt head_;
  Stmt insert_;
};

// Entries with seq > after_seq in seq order, at most `limit` (1..100000): for verification.
Result<std::vector<model::AuditEntry>> ScanAudit(Db& reader, int64_t after_seq, int limit);
// The newest entry, if any.
Result<std::optional<model::AuditEntry>> AuditHead(Db& reader);
// The seq of the newest entry (0 for an empty log): the size a checkpoint states. In an intact
// log it is also the number of entries.
Result<int64_t> AuditSize(Db& reader);
// Entries matching `query`, newest first. InvalidArgument for a limit outside 1..1000.
Result<std::vector<model::AuditEntry>> ListAudit(Db& reader, const AuditQuery& query);

// Keeps a signed checkpoint. The caller holds an open write transaction (FailedPrecondition
// otherwise). InvalidArgument when entry `size` does not exist or its hash is not
// `head_hash` (a checkpoint must describe this log); AlreadyExists when a checkpoint of that
// size is kept already (the first one stands). The signature is the caller's to check
// (audit::VerifyCheckpoint): the store does not know the key.
Status PutCheckpointLocked(Db& writer, const model::AuditCheckpoint& checkpoint);
// All kept checkpoints, by size.
Result<std::vector<model::AuditCheckpoint>> ListCheckpoints(Db& reader);
// The kept checkpoint of the largest size, if any.
Result<std::optional<model::AuditCheckpoint>> LatestCheckpoint(Db& reader);

}  // namespace yuqing::store::sqlite
