// Logging in and out, one's own account, users and API tokens (docs/api.md, "Accounts").
// Every change of a user or a token is audited in the transaction that makes it.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "access/password.h"
#include "core/time.h"
#include "server/accounts.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

// A string field of a JSON body: absent → fallback; present but not a string → error.
Result<std::string> StringField(const json& body, const char* name, std::string fallback = "") {
  if (!body.contains(name) || body[name].is_null()) return fallback;
  if (!body[name].is_string()) {
    return Status::InvalidArgument(fmt::format("field \"{}\": expected a string", name));
  }
  return body[name].get<std::string>();
}

// The user as the audit log keeps it: no password hash.
std::string AuditUser(const model::User& u) {
  json j = UserJson(u);
  j.erase("created_at");
  j.erase("updated_at");
  return j.dump();
}

// Whether a request is authenticated by the session cookie (no bearer token sent).
bool ByBrowserSession(const httplib::Request& req) {
  return !req.get_header_value("Authorization").starts_with("Bearer ");
}

void ClearSessionCookie(httplib::Response& res) {
  res.set_header("Set-Cookie",
                 fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict", kSessionCookie));
}

}  // namespace

void HttpServer::AccountRoutes() {
  // Login: user name and password → a session token (Authorization: Bearer …) that expires
  // after server.session_hours. Wrong name and wrong password get the same answer.
  http_->Post("/api/v1/login", [this](const httplib::Request& req, httplib::Response& res) {
    auto body = JsonObjectBody(req);
    if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
    auto name = StringField(*body, "name");
    auto password = StringField(*body, "password");
    if (!name.ok() || !password.ok()) {
      return SendError(res, 400, "invalid_body",
                       (!name.ok() ? name.status() : password.status()).message());
    }
    if (name->empty() || password->empty()) {
      return SendError(res, 400, "invalid_body", "fields \"name\" and \"password\" are required");
    }
    bool cookie = false;
    if (body->contains("cookie")) {
      if (!(*body)["cookie"].is_boolean()) {
        return SendError(res, 400, "invalid_body", "field \"cookie\" must be true or false");
      }
      cookie = (*body)["cookie"].get<bool>();
    }
    const std::string address = ClientAddress(req);
    {
      std::lock_guard<std::mutex> lock(login_mu_);
      if (auto refused = logins_.Check(*name, address, clock_.Now())) {
        int64_t wait = refused->retry_after.count();
        res.set_header("Retry-After", std::to_string(wait));
        return SendError(
            res, 429, "too_many_logins",
            fmt::format("{} failed logins {} within {} minutes; try again in {} minute{}",
                        refused->failures,
                        refused->by_user ? fmt::format("for user \"{}\"", *name)
                                         : fmt::format("from address {}", address),
                        logins_.limits().window.count() / 60, (wait + 59) / 60,
                        (wait + 59) / 60 == 1 ? "" : "s"),
            {{"retry_after_s", wait}});
      }
    }
    auto user = store_.GetUserByName(*name);
    if (!user.ok()) return SendError(res, user.status());
    // A missing user still costs one hash check, so timing does not tell names apart.
    static const std::string kDummy = [] {
      auto h = access::HashPassword("yuqing-no-such-user");
      return h.ok() ? *h : std::string();
    }();
    bool ok = access::VerifyPassword(*user ? (*user)->password_hash : kDummy, *password);
    if (!*user || !ok) {
      std::lock_guard<std::mutex> lock(login_mu_);
      logins_.RecordFailure(*name, address, clock_.Now());
      return SendError(res, 401, "login_failed", "wrong user name or password");
    }
    {
      std::lock_guard<std::mutex> lock(login_mu_);
      logins_.RecordSuccess(*name);
    }
    if ((*user)->disabled) {
      return SendError(res, 403, "user_disabled",
                       fmt::format("user \"{}\" is disabled; ask an administrator", *name));
    }
    auto secret = NewApiToken();
    if (!secret.ok()) return SendError(res, secret.status());
    model::ApiToken session;
    session.user_id = (*user)->id;
    session.created_at = clock_.Now();
    session.expires_at = session.created_at + std::chrono::hours(config_.session_hours);
    session.name = fmt::format("session:{}:{}", (*user)->name, secret->substr(3, 8));
    auto made = store_.CreateSession(session, HashApiToken(*secret));
    if (!made.ok()) return SendError(res, made.status());
    json answer = {{"expires_at", core::FormatIso8601(*session.expires_at)},
                   {"user", UserJson(**user)}};
    if (cookie) {
      // A browser session: the secret goes only into an HttpOnly cookie (scripts on the page
      // cannot read it); the page keeps the CSRF token for its state-changing requests.
      bool secure =
          config_.cookie_secure == "always" ||
          (config_.cookie_secure == "auto" && req.get_header_value("X-Forwarded-Proto") == "https");
      res.set_header(
          "Set-Cookie",
          fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", kSessionCookie,
                      *secret, config_.session_hours * 3600, secure ? "; Secure" : ""));
      res.set_header("Cache-Control", "no-store");
      answer["csrf_token"] = CsrfToken(*secret);
    } else {
      answer["token"] = *secret;
    }
    SendJson(res, 200, answer);
  });

  Route("POST", "/api/v1/logout", access::Permission::kSelf,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          Status s = store_.RevokeSession(HashApiToken(PresentedToken(req)), clock_.Now());
          if (ByBrowserSession(req)) {
            ClearSessionCookie(res);
          }
          if (s.code() == StatusCode::kNotFound) {
            return SendError(res, 400, "not_a_session",
                             "this token is not a login session; revoke it with DELETE "
                             "/api/v1/tokens/NAME");
          }
          if (!s.ok()) return SendError(res, s);
          SendJson(res, 200, {{"logged_out", 1}});
        });

  Route("POST", "/api/v1/logout/all", access::Permission::kSelf,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto n = store_.RevokeSessions(who.user_id, clock_.Now());
          if (!n.ok()) return SendError(res, n.status());
          if (ByBrowserSession(req)) {
            ClearSessionCookie(res);
          }
          SendJson(res, 200, {{"logged_out", *n}});
        });

  Route("GET", "/api/v1/me", access::Permission::kSelf,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto user = store_.GetUser(who.user_id);
          if (!user.ok()) return SendError(res, user.status());
          if (!*user) return SendError(res, Status::NotFound("the user no longer exists"));
          json perms = json::array();
          for (int i = 0; i < access::kPermissionCount; ++i) {
            auto p = static_cast<access::Permission>(i);
            if (access::Allowed(who, p)) perms.push_back(access::PermissionName(p));
          }
          json j = UserJson(**user);
          j["permissions"] = std::move(perms);
          auto scope = access::RegionScope(who);
          j["region_scope"] = scope ? json(*scope) : json();
          if (ByBrowserSession(req)) {
            j["csrf_token"] = CsrfToken(PresentedToken(req));  // a browser session
            res.set_header("Cache-Control", "no-store");
          }
          SendJson(res, 200, j);
        });

  Route("PUT", "/api/v1/me/password", access::Permission::kSelf,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto current = StringField(*body, "current");
          auto next = StringField(*body, "new");
          if (!current.ok() || !next.ok()) {
            return SendError(res, 400, "invalid_body",
                             (!current.ok() ? current.status() : next.status()).message());
          }
          auto user = store_.GetUser(who.user_id);
          if (!user.ok()) return SendError(res, user.status());
          if (!*user) return SendError(res, Status::NotFound("the user no longer exists"));
          if (!access::VerifyPassword((*user)->password_hash, *current)) {
            return SendError(res, 403, "wrong_password", "field \"current\": wrong password");
          }
          if (Status p = access::CheckPasswordPolicy(*next, who.name); !p.ok()) {
            return SendError(res, 400, "weak_password", "field \"new\": " + p.message());
          }
          auto hash = access::HashPassword(*next);
          if (!hash.ok()) return SendError(res, hash.status());
          model::User u = **user;
          u.password_hash = *hash;
          auto saved =
              store_.UpdateUser(u, Draft(who, clock_.Now(), "user.password", "user",
                                         std::to_string(u.id), "", "", "changed by the user"));
          if (!saved.ok()) return SendError(res, saved.status());
          SendJson(res, 200, {{"changed", true}});
        });

  // The route table: what every endpoint needs and which roles hold it (for the workbench,
  // which hides what a role cannot do; the server checks anyway).
  Route("GET", "/api/v1/permissions", access::Permission::kSelf,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          json out = json::array();
          for (const auto& e : endpoints_) {
            json roles = json::array();
            for (model::Role r : access::RolesWith(e.permission))
              roles.push_back(model::RoleName(r));
            out.push_back({{"method", e.method},
                           {"path", e.pattern},
                           {"permission", access::PermissionName(e.permission)},
                           {"roles", std::move(roles)}});
          }
          SendJson(res, 200, {{"endpoints", std::move(out)}});
        });

  // --- Users (administrators).

  Route("GET", "/api/v1/users", access::Permission::kManageUsers,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          auto users = store_.ListUsers();
          if (!users.ok()) return SendError(res, users.status());
          json out = json::array();
          for (const auto& u : *users) out.push_back(UserJson(u));
          SendJson(res, 200, {{"users", std::move(out)}});
        });

  Route("GET", R"(/api/v1/users/(\d{1,18}))", access::Permission::kManageUsers,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          auto user = store_.GetUser(PathId(req));
          if (!user.ok()) return SendError(res, user.status());
          if (!*user) {
            return SendError(res, Status::NotFound(fmt::format("no user with id {}", PathId(req))));
          }
          SendJson(res, 200, UserJson(**user));
        });

  // Body: {"name", "role", "display_name"?, "department"?, "region"?, "password"?}. Without a
  // password one is generated and returned once in "password".
  Route(
      "POST", "/api/v1/users", access::Permission::kManageUsers,
      [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
        auto body = JsonObjectBody(req);
        if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
        model::User u;
        std::string role, password;
        for (auto [field, out] :
             {std::pair{"name", &u.name}, std::pair{"role", &role},
              std::pair{"display_name", &u.display_name}, std::pair{"department", &u.department_id},
              std::pair{"region", &u.region_code}, std::pair{"password", &password}}) {
          auto v = StringField(*body, field);
          if (!v.ok()) return SendError(res, 400, "invalid_body", v.status().message());
          *out = *v;
        }
        if (Status s = CheckUserName(u.name); !s.ok()) {
          return SendError(res, 400, "invalid_body", "field \"name\": " + s.message());
        }
        auto parsed = model::ParseRole(role);
        if (!parsed) {
          return SendError(res, 400, "invalid_body",
                           fmt::format("field \"role\": \"{}\" is not admin, monitor, analyst, "
                                       "responder, leader or coordinator",
                                       role));
        }
        u.role = *parsed;
        auto org = Organisation();
        if (Status s = CheckUserBinding(u, regions_.get(), org.ok() ? org->get() : nullptr);
            !s.ok()) {
          return SendError(res, s);
        }
        bool generated = password.empty();
        if (generated) password = access::GeneratePassword();
        Status p = generated ? Status::Ok() : access::CheckPasswordPolicy(password, u.name);
        if (!p.ok()) {
          return SendError(res, 400, "weak_password", "field \"password\": " + p.message());
        }
        auto hash = access::HashPassword(password);
        if (!hash.ok()) return SendError(res, hash.status());
        u.password_hash = *hash;
        auto made = store_.CreateUser(
            u, Draft(who, clock_.Now(), "user.create", "user", u.name, "", AuditUser(u)));
        if (!made.ok()) return SendError(res, made.status());
        json j = UserJson(*made);
        if (generated) j["password"] = password;
        SendJson(res, 201, j);
      });

  // Body: any of {"display_name", "role", "department", "region", "disabled", "reason"}.
  // Disabling a user also ends its sessions.
  Route("PUT", R"(/api/v1/users/(\d{1,18}))", access::Permission::kManageUsers,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto user = store_.GetUser(PathId(req));
          if (!user.ok()) return SendError(res, user.status());
          if (!*user) {
            return SendError(res, Status::NotFound(fmt::format("no user with id {}", PathId(req))));
          }
          model::User u = **user;
          const model::User before = u;
          auto display = StringField(*body, "display_name", u.display_name);
          auto role = StringField(*body, "role", std::string(model::RoleName(u.role)));
          auto dept = StringField(*body, "department", u.department_id);
          auto region = StringField(*body, "region", u.region_code);
          auto reason = StringField(*body, "reason");
          for (const auto* r : {&display, &role, &dept, &region, &reason}) {
            if (!r->ok()) return SendError(res, 400, "invalid_body", r->status().message());
          }
          auto parsed = model::ParseRole(*role);
          if (!parsed) {
            return SendError(res, 400, "invalid_body",
                             fmt::format("field \"role\": \"{}\" is not a role", *role));
          }
          if (body->contains("disabled")) {
            if (!(*body)["disabled"].is_boolean()) {
              return SendError(res, 400, "invalid_body",
                               "field \"disabled\": expected true or false");
            }
            u.disabled = (*body)["disabled"].get<bool>();
          }
          if (u.id == who.user_id && (u.disabled || *parsed != model::Role::kAdmin)) {
            return SendError(res, 409, "failed_precondition",
                             "an administrator cannot disable or demote their own account; ask "
                             "another administrator");
          }
          u.display_name = *display;
          u.role = *parsed;
          u.department_id = *dept;
          u.region_code = *region;
          auto org = Organisation();
          if (Status s = CheckUserBinding(u, regions_.get(), org.ok() ? org->get() : nullptr);
              !s.ok()) {
            return SendError(res, s);
          }
          std::string action = u.disabled != before.disabled
                                   ? (u.disabled ? "user.disable" : "user.enable")
                                   : (u.role != before.role ? "user.role" : "user.update");
          auto saved = store_.UpdateUser(u, Draft(who, clock_.Now(), action, "user", u.name,
                                                  AuditUser(before), AuditUser(u), *reason));
          if (!saved.ok()) return SendError(res, saved.status());
          if (u.disabled) (void)store_.RevokeSessions(u.id, clock_.Now());
          SendJson(res, 200, UserJson(*saved));
        });

  // An administrator sets a new password: {"password"?} (generated and returned once if
  // absent). The user's sessions end.
  Route("POST", R"(/api/v1/users/(\d{1,18})/password)", access::Permission::kManageUsers,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          json body = json::object();
          if (!req.body.empty()) {
            auto b = JsonObjectBody(req);
            if (!b.ok()) return SendError(res, 400, "invalid_body", b.status().message());
            body = *b;
          }
          auto password = StringField(body, "password");
          if (!password.ok())
            return SendError(res, 400, "invalid_body", password.status().message());
          auto user = store_.GetUser(PathId(req));
          if (!user.ok()) return SendError(res, user.status());
          if (!*user) {
            return SendError(res, Status::NotFound(fmt::format("no user with id {}", PathId(req))));
          }
          bool generated = password->empty();
          std::string pw = generated ? access::GeneratePassword() : *password;
          Status p = generated ? Status::Ok() : access::CheckPasswordPolicy(pw, (*user)->name);
          if (!p.ok()) {
            return SendError(res, 400, "weak_password", "field \"password\": " + p.message());
          }
          auto hash = access::HashPassword(pw);
          if (!hash.ok()) return SendError(res, hash.status());
          model::User u = **user;
          u.password_hash = *hash;
          auto saved = store_.UpdateUser(u, Draft(who, clock_.Now(), "user.password", "user",
                                                  u.name, "", "", "reset by an administrator"));
          if (!saved.ok()) return SendError(res, saved.status());
          (void)store_.RevokeSessions(u.id, clock_.Now());
          json j = {{"id", u.id}, {"changed", true}};
          if (generated) j["password"] = pw;
          SendJson(res, 200, j);
        });

  // --- API tokens. Everyone manages their own; administrators also other users' tokens and
  // ingest-only tokens.

  Route("GET", "/api/v1/tokens", access::Permission::kOwnTokens,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          bool all = access::Allowed(who, access::Permission::kManageTokens) &&
                     req.get_param_value("all") == "true";
          auto list = store_.ListApiTokens(all ? 0 : who.user_id);
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& t : *list) out.push_back(TokenJson(t));
          SendJson(res, 200, {{"tokens", std::move(out)}});
        });

  // Body: {"name", "scope": "user" (default) | "ingest", "user"?: user name}. The secret is
  // returned once, in "token".
  Route("POST", "/api/v1/tokens", access::Permission::kOwnTokens,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto name = StringField(*body, "name");
          auto scope = StringField(*body, "scope", "user");
          auto for_user = StringField(*body, "user");
          for (const auto* r : {&name, &scope, &for_user}) {
            if (!r->ok()) return SendError(res, 400, "invalid_body", r->status().message());
          }
          if (name->empty() || name->size() > 100) {
            return SendError(res, 400, "invalid_body", "field \"name\": 1 to 100 bytes");
          }
          if (name->starts_with("session:")) {
            return SendError(res, 400, "invalid_body",
                             "field \"name\": names starting with \"session:\" are for logins");
          }
          model::ApiToken t;
          t.name = *name;
          if (*scope == "ingest") {
            t.scope = model::TokenScope::kIngest;
          } else if (*scope != "user") {
            return SendError(res, 400, "invalid_body",
                             fmt::format("field \"scope\": \"{}\" is not user or ingest", *scope));
          }
          t.user_id = who.user_id;
          if (!for_user->empty() && *for_user != who.name) {
            auto u = store_.GetUserByName(*for_user);
            if (!u.ok()) return SendError(res, u.status());
            if (!*u) {
              return SendError(res,
                               Status::NotFound(fmt::format("no user named \"{}\"", *for_user)));
            }
            t.user_id = (*u)->id;
          }
          bool own = t.scope == model::TokenScope::kUser && t.user_id == who.user_id;
          if (!own && !access::Allowed(who, access::Permission::kManageTokens)) {
            return SendError(res, 403, "permission_denied",
                             "only administrators make ingest tokens or tokens of other users "
                             "(permission \"manage_tokens\")",
                             {{"permission", "manage_tokens"}});
          }
          auto secret = NewApiToken();
          if (!secret.ok()) return SendError(res, secret.status());
          json audit = {{"name", t.name},
                        {"scope", model::TokenScopeName(t.scope)},
                        {"user_id", t.scope == model::TokenScope::kIngest ? 0 : t.user_id}};
          auto made = store_.CreateApiToken(
              t, HashApiToken(*secret),
              Draft(who, clock_.Now(), "token.create", "token", t.name, "", audit.dump()));
          if (!made.ok()) return SendError(res, made.status());
          json j = TokenJson(*made);
          j["token"] = *secret;
          SendJson(res, 201, j);
        });

  Route("DELETE", "/api/v1/tokens/([^/]+)", access::Permission::kOwnTokens,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1].str();
          auto t = store_.GetApiTokenByName(name);
          if (!t.ok()) return SendError(res, t.status());
          bool own =
              *t && (*t)->user_id == who.user_id && (*t)->scope != model::TokenScope::kIngest;
          if (!*t || (!own && !access::Allowed(who, access::Permission::kManageTokens))) {
            // Someone else's token is answered as unknown: its existence is not shown either.
            return SendError(
                res, Status::NotFound(fmt::format("no active API token named \"{}\"", name)));
          }
          Status s = store_.RevokeApiToken(
              name, clock_.Now(),
              Draft(who, clock_.Now(), "token.revoke", "token", name, TokenJson(**t).dump(), ""));
          if (!s.ok()) return SendError(res, s);
          SendJson(res, 200, {{"name", name}, {"revoked", true}});
        });
}

}  // namespace yuqing::server
