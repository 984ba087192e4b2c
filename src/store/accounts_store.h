// AccountStore: users and their API tokens (docs/accounts.md). Every change is written together
// with its audit entry, in one transaction (docs/audit.md). Implemented by every backend; see
// store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/account.h"
#include "model/audit.h"

namespace yuqing::store {

using model::ApiToken;

class AccountStore {
 public:
  virtual ~AccountStore() = default;

  // Stores a new user (`user.id` is ignored) and its audit entry. AlreadyExists
  // `a user named "x" already exists`.
  virtual Result<model::User> CreateUser(const model::User& user,
                                         const model::AuditDraft& audit) = 0;
  // Replaces every field of user `user.id` but the name and created_at. NotFound
  // `no user with id 7`.
  virtual Result<model::User> UpdateUser(const model::User& user,
                                         const model::AuditDraft& audit) = 0;
  virtual Result<std::optional<model::User>> GetUser(int64_t id) = 0;
  virtual Result<std::optional<model::User>> GetUserByName(const std::string& name) = 0;
  virtual Result<std::vector<model::User>> ListUsers() = 0;  // ascending id
  virtual Result<int64_t> CountUsers() = 0;

  // API tokens are kept as a hash of the secret; the secret itself is never stored. A token
  // with scope kUser names an existing user (NotFound otherwise); an ingest token has user 0.
  // AlreadyExists `a token named "x" already exists`.
  virtual Result<ApiToken> CreateApiToken(const ApiToken& token, const std::string& secret_hash,
                                          const model::AuditDraft& audit) = 0;
  // A login's session token (scope kSession, with expires_at): not audited, as logins change
  // no account. NotFound for an unknown user.
  virtual Result<ApiToken> CreateSession(const ApiToken& token, const std::string& secret_hash) = 0;
  // Ends every open session of the user ("log out everywhere"); returns how many.
  virtual Result<int64_t> RevokeSessions(int64_t user_id, core::TimePoint now) = 0;
  // Ends one session by its secret's hash (log out); NotFound if it is not an open session.
  virtual Status RevokeSession(const std::string& secret_hash, core::TimePoint now) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(const std::string& secret_hash) = 0;
  virtual Result<std::optional<ApiToken>> GetApiTokenByName(const std::string& name) = 0;
  // All tokens but sessions (user_id 0), or those of one user; ascending id.
  virtual Result<std::vector<ApiToken>> ListApiTokens(int64_t user_id = 0) = 0;
  // NotFound `no active token named "x"`.
  virtual Status RevokeApiToken(const std::string& name, core::TimePoint now,
                                const model::AuditDraft& audit) = 0;
};

}  // namespace yuqing::store
