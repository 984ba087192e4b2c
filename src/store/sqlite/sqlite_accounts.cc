// Users, API tokens, the organisation document and the audit log of the SQLite store
// (docs/accounts.md, docs/organisation.md, docs/audit.md). Every change of an account, a token
// or the organisation appends its audit entry in the same transaction, so the log and the data
// never disagree; the entry is chained inside that transaction (sqlite_audit.cc), so the chain
// order is the commit order even with several processes writing.
#include <fmt/format.h>

#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

constexpr std::string_view kUserColumns =
    "id, name, display_name, role, department_id, region_code, disabled, password_hash, "
    "created_at, updated_at";
// A token with its grant (none for tokens made before accounts: ingest only).
constexpr std::string_view kTokenSelect =
    "SELECT t.id, t.name, coalesce(g.user_id, 0), coalesce(g.scope, 'ingest'), t.created_at, "
    "t.revoked_at, g.expires_at FROM api_tokens t LEFT JOIN token_grants g ON g.token_id = t.id";

model::User ReadUser(const Stmt& s) {
  model::User u;
  u.id = s.Int(0);
  u.name = s.Text(1);
  u.display_name = s.Text(2);
  u.role = model::ParseRole(s.Text(3)).value_or(model::Role::kMonitor);
  u.department_id = s.Text(4);
  u.region_code = s.Text(5);
  u.disabled = s.Int(6) != 0;
  u.password_hash = s.Text(7);
  u.created_at = FromMs(s.Int(8));
  u.updated_at = FromMs(s.Int(9));
  return u;
}

ApiToken ReadToken(const Stmt& s) {
  ApiToken t;
  t.id = s.Int(0);
  t.name = s.Text(1);
  t.user_id = s.Int(2);
  std::string scope = s.Text(3);
  t.scope = scope == "user"      ? model::TokenScope::kUser
            : scope == "session" ? model::TokenScope::kSession
                                 : model::TokenScope::kIngest;
  t.created_at = FromMs(s.Int(4));
  if (!s.IsNull(5)) t.revoked_at = FromMs(s.Int(5));
  if (!s.IsNull(6)) t.expires_at = FromMs(s.Int(6));
  return t;
}

Status CheckUserFields(const model::User& u) {
  if (u.name.empty()) return Status::InvalidArgument("a user needs a name");
  if (u.password_hash.empty()) {
    return Status::InvalidArgument(fmt::format("user \"{}\" has no password hash", u.name));
  }
  return Status::Ok();
}

}  // namespace

Status SqliteStore::AuditedTransaction(const model::AuditDraft& audit,
                                       const std::function<Status()>& change) {
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  Status s = change();
  if (s.ok()) s = AppendAuditLocked(*writer_, audit).status();
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) (void)writer_->Exec("ROLLBACK");
  return s;
}

Result<model::User> SqliteStore::CreateUser(const model::User& user,
                                            const model::AuditDraft& audit) {
  YQ_RETURN_IF_ERROR(CheckUserFields(user));
  std::lock_guard<std::mutex> lock(write_mu_);
  model::User out = user;
  out.created_at = out.updated_at = audit.at;
  YQ_RETURN_IF_ERROR(AuditedTransaction(audit, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(
        Stmt s, writer_->Prepare("INSERT INTO users(name, display_name, role, department_id, "
                                 "region_code, disabled, password_hash, created_at, updated_at) "
                                 "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)"));
    s.Bind(1, out.name);
    s.Bind(2, out.display_name);
    s.Bind(3, model::RoleName(out.role));
    s.Bind(4, out.department_id);
    s.Bind(5, out.region_code);
    s.Bind(6, out.disabled ? 1 : 0);
    s.Bind(7, out.password_hash);
    s.Bind(8, Ms(out.created_at));
    Status st = s.Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists(fmt::format("a user named \"{}\" already exists", out.name));
    }
    YQ_RETURN_IF_ERROR(st);
    out.id = writer_->LastInsertRowid();
    return Status::Ok();
  }));
  return out;
}

Result<model::User> SqliteStore::UpdateUser(const model::User& user,
                                            const model::AuditDraft& audit) {
  YQ_RETURN_IF_ERROR(CheckUserFields(user));
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_RETURN_IF_ERROR(AuditedTransaction(audit, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s,
                        writer_->Prepare("UPDATE users SET display_name = ?2, role = ?3, "
                                         "department_id = ?4, region_code = ?5, disabled = ?6, "
                                         "password_hash = ?7, updated_at = ?8 WHERE id = ?1"));
    s.Bind(1, user.id);
    s.Bind(2, user.display_name);
    s.Bind(3, model::RoleName(user.role));
    s.Bind(4, user.department_id);
    s.Bind(5, user.region_code);
    s.Bind(6, user.disabled ? 1 : 0);
    s.Bind(7, user.password_hash);
    s.Bind(8, Ms(audit.at));
    YQ_RETURN_IF_ERROR(s.Run());
    if (writer_->Changes() == 0) {
      return Status::NotFound(fmt::format("no user with id {}", user.id));
    }
    return Status::Ok();
  }));
  YQ_ASSIGN_OR_RETURN(
      Stmt s, writer_->Prepare(fmt::format("SELECT {} FROM users WHERE id = ?1", kUserColumns)));
  s.Bind(1, user.id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return Status::NotFound(fmt::format("no user with id {}", user.id));
  return ReadUser(s);
}

Result<std::optional<model::User>> SqliteStore::GetUser(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM users WHERE id = ?1", kUserColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::User>();
  return std::optional<model::User>(ReadUser(s));
}

Result<std::optional<model::User>> SqliteStore::GetUserByName(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM users WHERE name = ?1", kUserColumns)));
  s.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::User>();
  return std::optional<model::User>(ReadUser(s));
}

Result<std::vector<model::User>> SqliteStore::ListUsers() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM users ORDER BY id", kUserColumns)));
  return ReadAll(s, ReadUser);
}

Result<int64_t> SqliteStore::CountUsers() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT COUNT(*) FROM users"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<ApiToken> SqliteStore::CreateApiToken(const ApiToken& token, const std::string& secret_hash,
                                             const model::AuditDraft& audit) {
  if (token.name.empty()) return Status::InvalidArgument("a token needs a name");
  if (token.scope == model::TokenScope::kSession) {
    return Status::InvalidArgument("sessions are made by logging in");
  }
  if (token.scope == model::TokenScope::kUser && token.user_id <= 0) {
    return Status::InvalidArgument(
        fmt::format("token \"{}\" acts as a user but names none", token.name));
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  ApiToken out = token;
  if (out.scope == model::TokenScope::kIngest) out.user_id = 0;
  out.created_at = audit.at;
  out.revoked_at.reset();
  YQ_RETURN_IF_ERROR(AuditedTransaction(audit, [&]() -> Status {
    if (out.user_id != 0) {
      YQ_ASSIGN_OR_RETURN(Stmt u, writer_->Prepare("SELECT 1 FROM users WHERE id = ?1"));
      u.Bind(1, out.user_id);
      YQ_ASSIGN_OR_RETURN(bool row, u.Step());
      if (!row) return Status::NotFound(fmt::format("no user with id {}", out.user_id));
    }
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO api_tokens(name, secret_hash, "
                                                 "created_at) VALUES(?1, ?2, ?3)"));
    s.Bind(1, out.name);
    s.Bind(2, secret_hash);
    s.Bind(3, Ms(out.created_at));
    Status st = s.Run();
    if (st.code() == StatusCode::kAlreadyExists) {
      return Status::AlreadyExists(
          fmt::format("an API token named \"{}\" already exists", out.name));
    }
    YQ_RETURN_IF_ERROR(st);
    out.id = writer_->LastInsertRowid();
    return InsertGrantLocked(out);
  }));
  return out;
}

Status SqliteStore::InsertGrantLocked(const ApiToken& token) {
  YQ_ASSIGN_OR_RETURN(Stmt g, writer_->Prepare("INSERT INTO token_grants(token_id, user_id, scope, "
                                               "expires_at) VALUES(?1, ?2, ?3, ?4)"));
  g.Bind(1, token.id);
  g.Bind(2, token.user_id);
  g.Bind(3, model::TokenScopeName(token.scope));
  if (token.expires_at) {
    g.Bind(4, Ms(*token.expires_at));
  } else {
    g.BindNull(4);
  }
  return g.Run();
}

Result<ApiToken> SqliteStore::CreateSession(const ApiToken& token, const std::string& secret_hash) {
  std::lock_guard<std::mutex> lock(write_mu_);
  ApiToken out = token;
  out.scope = model::TokenScope::kSession;
  YQ_ASSIGN_OR_RETURN(Stmt u, writer_->Prepare("SELECT 1 FROM users WHERE id = ?1"));
  u.Bind(1, out.user_id);
  YQ_ASSIGN_OR_RETURN(bool row, u.Step());
  if (!row) return Status::NotFound(fmt::format("no user with id {}", out.user_id));
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  Status st = [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO api_tokens(name, secret_hash, "
                                                 "created_at) VALUES(?1, ?2, ?3)"));
    s.Bind(1, out.name);
    s.Bind(2, secret_hash);
    s.Bind(3, Ms(out.created_at));
    YQ_RETURN_IF_ERROR(s.Run());
    out.id = writer_->LastInsertRowid();
    return InsertGrantLocked(out);
  }();
  if (st.ok()) st = writer_->Exec("COMMIT");
  if (!st.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return st;
  }
  return out;
}

Result<int64_t> SqliteStore::RevokeSessions(int64_t user_id, core::TimePoint now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE "
                                               "revoked_at IS NULL AND id IN (SELECT token_id "
                                               "FROM token_grants WHERE user_id = ?1 AND "
                                               "scope = 'session')"));
  s.Bind(1, user_id);
  s.Bind(2, Ms(now));
  YQ_RETURN_IF_ERROR(s.Run());
  return writer_->Changes();
}

Status SqliteStore::RevokeSession(const std::string& secret_hash, core::TimePoint now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE "
                                               "secret_hash = ?1 AND revoked_at IS NULL AND id "
                                               "IN (SELECT token_id FROM token_grants WHERE "
                                               "scope = 'session')"));
  s.Bind(1, secret_hash);
  s.Bind(2, Ms(now));
  YQ_RETURN_IF_ERROR(s.Run());
  if (writer_->Changes() == 0) return Status::NotFound("not an open session");
  return Status::Ok();
}

Result<std::optional<ApiToken>> SqliteStore::FindApiToken(const std::string& secret_hash) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("{} WHERE t.secret_hash = ?1", kTokenSelect)));
  s.Bind(1, secret_hash);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(ReadToken(s));
}

Result<std::optional<ApiToken>> SqliteStore::GetApiTokenByName(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("{} WHERE t.name = ?1", kTokenSelect)));
  s.Bind(1, name);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<ApiToken>();
  return std::optional<ApiToken>(ReadToken(s));
}

Result<std::vector<ApiToken>> SqliteStore::ListApiTokens(int64_t user_id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("{} WHERE (?1 = 0 OR g.user_id = ?1) AND "
                                     "coalesce(g.scope, 'ingest') != 'session' ORDER BY t.id",
                                     kTokenSelect)));
  s.Bind(1, user_id);
  return ReadAll(s, ReadToken);
}

Status SqliteStore::RevokeApiToken(const std::string& name, core::TimePoint now,
                                   const model::AuditDraft& audit) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return AuditedTransaction(audit, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE api_tokens SET revoked_at = ?2 WHERE "
                                                 "name = ?1 AND revoked_at IS NULL"));
    s.Bind(1, name);
    s.Bind(2, Ms(now));
    YQ_RETURN_IF_ERROR(s.Run());
    if (writer_->Changes() == 0) {
      return Status::NotFound(fmt::format("no active API token named \"{}\"", name));
    }
    return Status::Ok();
  });
}

Result<std::optional<StoredOrganisation>> SqliteStore::GetOrganisation() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare("SELECT version, doc, updated_at FROM organisation WHERE id = 1"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<StoredOrganisation>();
  StoredOrganisation o;
  o.version = s.Int(0);
  o.json = s.Text(1);
  o.updated_at = FromMs(s.Int(2));
  return std::optional<StoredOrganisation>(std::move(o));
}

Result<int64_t> SqliteStore::PutOrganisation(const std::string& json,
                                             std::optional<int64_t> expected_version,
                                             const model::AuditDraft& audit) {
  std::lock_guard<std::mutex> lock(write_mu_);
  int64_t version = 0;
  YQ_RETURN_IF_ERROR(AuditedTransaction(audit, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt cur,
                        writer_->Prepare("SELECT version FROM organisation WHERE id = 1"));
    YQ_ASSIGN_OR_RETURN(bool row, cur.Step());
    int64_t current = row ? cur.Int(0) : 0;
    if (expected_version && *expected_version != current) {
      return Status::FailedPrecondition(fmt::format(
          "the organisation changed (version {}, expected {}); read it again and repeat the "
          "change",
          current, *expected_version));
    }
    version = current + 1;
    YQ_ASSIGN_OR_RETURN(Stmt s,
                        writer_->Prepare("INSERT INTO organisation(id, version, doc, updated_at) "
                                         "VALUES(1, ?1, ?2, ?3) ON CONFLICT(id) DO UPDATE SET "
                                         "version = excluded.version, doc = excluded.doc, "
                                         "updated_at = excluded.updated_at"));
    s.Bind(1, version);
    s.Bind(2, json);
    s.Bind(3, Ms(audit.at));
    return s.Run();
  }));
  return version;
}

Result<model::AuditEntry> SqliteStore::AppendAudit(const model::AuditDraft& draft) {
  std::lock_guard<std::mutex> lock(write_mu_);
  model::AuditEntry out;
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  auto appended = AppendAuditLocked(*writer_, draft);
  Status s = appended.status();
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return s;
  }
  return std::move(appended).value();
}

Result<std::vector<model::AuditEntry>> SqliteStore::ScanAudit(int64_t after_seq, int limit) {
  if (limit < 1 || limit > 100000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..100000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  return sqlite::ScanAudit(*r, after_seq, limit);
}

Result<std::vector<model::AuditEntry>> SqliteStore::ListAudit(const AuditFilter& filter) {
  if (filter.limit < 1 || filter.limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..1000", filter.limit));
  }
  AuditQuery q;
  q.object_type = filter.object_type;
  q.object_id = filter.object_id;
  q.actor = filter.actor;
  q.action_prefix = filter.action_prefix;
  q.from = filter.from;
  q.to = filter.to;
  q.before_seq = filter.before_seq;
  q.limit = filter.limit;
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  return sqlite::ListAudit(*r, q);
}

Result<std::optional<model::AuditEntry>> SqliteStore::AuditHead() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  return sqlite::AuditHead(*r);
}

Status SqliteStore::PutAuditCheckpoint(const model::AuditCheckpoint& checkpoint) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  Status s = PutCheckpointLocked(*writer_, checkpoint);
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) (void)writer_->Exec("ROLLBACK");
  return s;
}

Result<std::vector<model::AuditCheckpoint>> SqliteStore::ListAuditCheckpoints() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  return sqlite::ListCheckpoints(*r);
}

}  // namespace yuqing::store::sqlite::internal
