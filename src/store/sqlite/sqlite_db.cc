#include "store/sqlite/sqlite_db.h"

#include <fmt/format.h>

#include <mutex>

#include "store/sqlite/fts_rank.h"

namespace yuqing::store::sqlite {
namespace {

Status FromCode(int rc, std::string_view what, const char* msg) {
  std::string m = fmt::format("{}: {}", what, msg != nullptr ? msg : sqlite3_errstr(rc));
  switch (rc & 0xFF) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::Unavailable("database busy: " + m);
    case SQLITE_FULL:
      return Status::ResourceExhausted("disk full: " + m);
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
      return Status::FailedPrecondition(m);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::FailedPrecondition("database file damaged: " + m);
    case SQLITE_CONSTRAINT:
      return Status::AlreadyExists(m);
    case SQLITE_ERROR:
      return Status::InvalidArgument(m);
    default:
      return Status::Internal(m);
  }
}

}  // namespace

Stmt& Stmt::operator=(Stmt&& o) noexcept {
  if (this != &o) {
    if (s_ != nullptr) sqlite3_finalize(s_);
    db_ = o.db_;
    s_ = o.s_;
    o.s_ = nullptr;
  }
  return *this;
}

Stmt::~Stmt() {
  if (s_ != nullptr) sqlite3_finalize(s_);
}

Result<bool> Stmt::Step() {
  int rc = sqlite3_step(s_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return FromCode(rc, "sqlite step", sqlite3_errmsg(db_));
}

Status Stmt::Run() {
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, Step());
    if (!row) return Status::Ok();
  }
}

Result<std::unique_ptr<Db>> Db::Open(const std::string& path, bool read_only) {
  // Memory statistics take a global mutex on every allocation; yuqing does not read them.
  // Must be set before SQLite initialises, hence once per process.
  static std::once_flag configure;
  std::call_once(configure, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_NOMUTEX |
              (read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status s = FromCode(rc, fmt::format("cannot open database \"{}\"", path),
                        db != nullptr ? sqlite3_errmsg(db) : nullptr);
    sqlite3_close(db);
    return s;
  }
  sqlite3_extended_result_codes(db, 1);
  std::unique_ptr<Db> out(new Db(db));
  YQ_RETURN_IF_ERROR(RegisterRankFunction(db));
  return out;
}

Db::~Db() { sqlite3_close_v2(db_); }

Status Db::InTransaction(const std::function<Status()>& write) {
  YQ_RETURN_IF_ERROR(Exec("BEGIN IMMEDIATE"));
  Status st = write();
  if (st.ok()) st = Exec("COMMIT");
  if (!st.ok()) (void)Exec("ROLLBACK");
  return st;
}

Status Db::Exec(std::string_view sql) {
  char* err = nullptr;
  std::string s(sql);
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    Status st = FromCode(rc, "sqlite exec", err);
    sqlite3_free(err);
    return st;
  }
  return Status::Ok();
}

Result<Stmt> Db::Prepare(std::string_view sql) {
  sqlite3_stmt* s = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &s, nullptr);
  if (rc != SQLITE_OK) return FromCode(rc, "sqlite prepare", sqlite3_errmsg(db_));
  return Stmt(db_, s);
}

Status Db::Error(std::string_view what) const {
  return FromCode(sqlite3_errcode(db_), what, sqlite3_errmsg(db_));
}

}  // namespace yuqing::store::sqlite
