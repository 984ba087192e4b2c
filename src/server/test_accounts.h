// For the server's tests: users and tokens made directly in the store (no login, so the
// password hash is a placeholder that matches no password).
#pragma once

#include <string>

#include "model/account.h"
#include "server/accounts.h"
#include "server/auth.h"
#include "store/accounts_store.h"

namespace yuqing::server {

// Creates user `user` with `role` (and binding) unless it exists, and a user token named
// `token_name` with secret `secret` acting as it. Returns the user's id, or 0 on failure.
inline int64_t AddUserToken(store::AccountStore& store, const std::string& user, model::Role role,
                            const std::string& token_name, const std::string& secret,
                            core::TimePoint now, const std::string& department = "",
                            const std::string& region = "") {
  access::Principal setup = CommandLinePrincipal();
  auto existing = store.GetUserByName(user);
  if (!existing.ok()) return 0;
  int64_t id = 0;
  if (*existing) {
    id = (*existing)->id;
  } else {
    model::User u;
    u.name = user;
    u.role = role;
    u.department_id = department;
    u.region_code = region;
    u.password_hash = "test-placeholder";
    auto made = store.CreateUser(u, Draft(setup, now, "user.create", "user", user, "", ""));
    if (!made.ok()) return 0;
    id = made->id;
  }
  model::ApiToken t;
  t.name = token_name;
  t.user_id = id;
  auto tok = store.CreateApiToken(t, HashApiToken(secret),
                                  Draft(setup, now, "token.create", "token", token_name, "", ""));
  return tok.ok() ? id : 0;
}

}  // namespace yuqing::server
