// `yuqing users` and `yuqing tokens` (docs/accounts.md): the command line acts as
// "cli:<OS user>" with the administrator's role, since whoever can open the database file can
// change it anyway; every change is audited under that name.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "access/password.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "org/organisation.h"
#include "server/accounts.h"
#include "server/auth.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct UserArgs {
  CommonOptions common;
  std::string name;
  std::string role;
  std::string display_name;
  std::string department;
  std::string region;
  std::string reason;
  bool password_stdin = false;
  bool json = false;
  bool ingest = false;
  std::string user;  // tokens: the user the token acts as
};

// The stored organisation, for checking departments; null when none is stored.
Result<std::optional<model::Organisation>> StoredOrganisation(Runtime& rt) {
  YQ_ASSIGN_OR_RETURN(auto stored, rt.store->GetOrganisation());
  if (!stored || !rt.region_tree) return std::optional<model::Organisation>();
  YQ_ASSIGN_OR_RETURN(auto loaded, org::OrganisationFromJson(stored->json, *rt.region_tree));
  return std::optional<model::Organisation>(std::move(loaded.organisation));
}

Result<model::User> FindUser(Runtime& rt, const std::string& name) {
  YQ_ASSIGN_OR_RETURN(auto u, rt.store->GetUserByName(name));
  if (!u) return Status::NotFound(fmt::format("no user named \"{}\"", name));
  return *u;
}

Result<std::string> ReadPasswordLine() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    return Status::InvalidArgument("--password-stdin: no password on standard input");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// Sets the user's password hash: from standard input with --password-stdin, else generated.
// Returns the generated password (to be shown once), or "" for one read from stdin.
Result<std::string> SetPassword(const UserArgs& args, model::User& u) {
  std::string password;
  if (args.password_stdin) {
    YQ_ASSIGN_OR_RETURN(password, ReadPasswordLine());
  } else {
    password = access::GeneratePassword();
  }
  // A generated password is random: the policy is for passwords people choose (a generated
  // one could otherwise contain a one-letter user name by chance).
  if (args.password_stdin) YQ_RETURN_IF_ERROR(access::CheckPasswordPolicy(password, u.name));
  YQ_ASSIGN_OR_RETURN(u.password_hash, access::HashPassword(password));
  return args.password_stdin ? std::string() : password;
}

std::string AuditUser(const model::User& u) {
  json j = server::UserJson(u);
  j.erase("created_at");
  j.erase("updated_at");
  return j.dump();
}

void PrintUser(const model::User& u) {
  std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", u.id, u.name, model::RoleName(u.role),
                           u.department_id.empty() ? "-" : u.department_id,
                           u.region_code.empty() ? "-" : u.region_code,
                           u.disabled ? "disabled" : "active");
}

int RunUsers(const std::string& action, UserArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config* config = &rt.config;
  const std::string& lang = config->language;
  access::Principal cli = server::CommandLinePrincipal();
  auto now = rt.clock.Now();

  if (action == "list") {
    auto users = rt.store->ListUsers();
    if (!users.ok()) return Fail(*config, users.status());
    if (args.json) {
      json out = json::array();
      for (const auto& u : *users) out.push_back(server::UserJson(u));
      std::cout << json{{"users", out}}.dump(2) << "\n";
      return 0;
    }
    std::cout << Pick(lang, "编号\t用户名\t角色\t部门\t地区\t状态\n",
                      "id\tname\trole\tdepartment\tregion\tstate\n");
    for (const auto& u : *users) PrintUser(u);
    return 0;
  }
  if (action == "show") {
    auto u = FindUser(rt, args.name);
    if (!u.ok()) return Fail(*config, u.status());
    if (args.json) {
      std::cout << server::UserJson(*u).dump(2) << "\n";
    } else {
      PrintUser(*u);
    }
    return 0;
  }

  auto org = StoredOrganisation(rt);
  if (!org.ok()) return Fail(*config, org.status());
  const model::Organisation* org_ptr = *org ? &**org : nullptr;

  if (action == "add") {
    model::User u;
    u.name = args.name;
    u.display_name = args.display_name;
    u.department_id = args.department;
    u.region_code = args.region;
    if (Status s = server::CheckUserName(u.name); !s.ok()) return Fail(*config, s);
    auto role = model::ParseRole(args.role);
    if (!role) {
      return Fail(*config, Status::InvalidArgument(fmt::format(
                               "--role \"{}\": expected admin, monitor, analyst, responder, "
                               "leader or coordinator",
                               args.role)));
    }
    u.role = *role;
    if (Status s = server::CheckUserBinding(u, rt.region_tree.get(), org_ptr); !s.ok()) {
      return Fail(*config, s);
    }
    auto generated = SetPassword(args, u);
    if (!generated.ok()) return Fail(*config, generated.status());
    auto made = rt.store->CreateUser(
        u, server::Draft(cli, now, "user.create", "user", u.name, "", AuditUser(u), args.reason));
    if (!made.ok()) return Fail(*config, made.status());
    std::cerr << fmt::format(
                     fmt::runtime(Pick(lang, "已创建用户 {}（{}）", "created user {} ({})")),
                     made->name, model::RoleName(made->role))
              << "\n";
    if (!generated->empty()) {
      std::cerr << Pick(lang, "初始密码只显示这一次：", "the password, shown only now:") << "\n";
      std::cout << *generated << std::endl;
    }
    return 0;
  }

  auto found = FindUser(rt, args.name);
  if (!found.ok()) return Fail(*config, found.status());
  model::User u = *found;
  const model::User before = u;
  std::string audit_action;
  std::string generated_password;
  if (action == "set") {
    if (!args.role.empty()) {
      auto role = model::ParseRole(args.role);
      if (!role) {
        return Fail(*config,
                    Status::InvalidArgument(fmt::format("--role \"{}\" is not a role", args.role)));
      }
      u.role = *role;
    }
    if (!args.display_name.empty()) u.display_name = args.display_name;
    if (!args.department.empty()) u.department_id = args.department == "-" ? "" : args.department;
    if (!args.region.empty()) u.region_code = args.region == "-" ? "" : args.region;
    if (Status s = server::CheckUserBinding(u, rt.region_tree.get(), org_ptr); !s.ok()) {
      return Fail(*config, s);
    }
    audit_action = u.role != before.role ? "user.role" : "user.update";
  } else if (action == "disable" || action == "enable") {
    u.disabled = action == "disable";
    audit_action = "user." + action;
  } else {  // passwd
    auto generated = SetPassword(args, u);
    if (!generated.ok()) return Fail(*config, generated.status());
    generated_password = *generated;
    audit_action = "user.password";
  }
  bool password_change = audit_action == "user.password";
  auto saved =
      rt.store->UpdateUser(u, server::Draft(cli, now, audit_action, "user", u.name,
                                            password_change ? "" : AuditUser(before),
                                            password_change ? "" : AuditUser(u), args.reason));
  if (!saved.ok()) return Fail(*config, saved.status());
  if (u.disabled || password_change) (void)rt.store->RevokeSessions(u.id, now);
  std::cerr << fmt::format(fmt::runtime(Pick(lang, "已更新用户 {}", "updated user {}")), u.name)
            << "\n";
  if (!generated_password.empty()) {
    std::cerr << Pick(lang, "新密码只显示这一次：", "the new password, shown only now:") << "\n";
    std::cout << generated_password << std::endl;
  }
  return 0;
}

int RunTokens(const std::string& action, UserArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config* config = &rt.config;
  const std::string& lang = config->language;
  access::Principal cli = server::CommandLinePrincipal();
  auto now = rt.clock.Now();
  if (action == "create") {
    model::ApiToken t;
    t.name = args.name;
    if (args.ingest == !args.user.empty()) {
      return Fail(*config, Status::InvalidArgument(
                               "say whom the token acts for: --user USER (with that user's role) "
                               "or --ingest (may only send posts)"));
    }
    if (args.ingest) {
      t.scope = model::TokenScope::kIngest;
    } else {
      auto u = FindUser(rt, args.user);
      if (!u.ok()) return Fail(*config, u.status());
      t.user_id = u->id;
    }
    auto secret = server::NewApiToken();
    if (!secret.ok()) return Fail(*config, secret.status());
    json audit = {
        {"name", t.name}, {"scope", model::TokenScopeName(t.scope)}, {"user_id", t.user_id}};
    auto made = rt.store->CreateApiToken(
        t, server::HashApiToken(*secret),
        server::Draft(cli, now, "token.create", "token", t.name, "", audit.dump(), args.reason));
    if (!made.ok()) return Fail(*config, made.status());
    std::cerr << fmt::format(fmt::runtime(Pick(
                                 lang, "已创建 API 令牌“{}”。令牌只显示这一次，请妥善保存：",
                                 "API token \"{}\" created. It is shown only now; keep it safe:")),
                             t.name)
              << "\n";
    std::cout << *secret << std::endl;
    return 0;
  }
  if (action == "revoke") {
    auto t = rt.store->GetApiTokenByName(args.name);
    if (!t.ok()) return Fail(*config, t.status());
    Status s = rt.store->RevokeApiToken(
        args.name, now,
        server::Draft(cli, now, "token.revoke", "token", args.name,
                      *t ? server::TokenJson(**t).dump() : "", "", args.reason));
    if (!s.ok()) return Fail(*config, s);
    std::cout << fmt::format(
                     fmt::runtime(Pick(lang, "已吊销 API 令牌“{}”", "API token \"{}\" revoked")),
                     args.name)
              << "\n";
    return 0;
  }
  int64_t user_id = 0;
  if (!args.user.empty()) {
    auto u = FindUser(rt, args.user);
    if (!u.ok()) return Fail(*config, u.status());
    user_id = u->id;
  }
  auto list = rt.store->ListApiTokens(user_id);
  if (!list.ok()) return Fail(*config, list.status());
  auto users = rt.store->ListUsers();
  if (!users.ok()) return Fail(*config, users.status());
  auto user_name = [&](int64_t id) -> std::string {
    for (const auto& u : *users) {
      if (u.id == id) return u.name;
    }
    return "-";
  };
  if (args.json) {
    json out = json::array();
    for (const auto& t : *list) {
      json j = server::TokenJson(t);
      j["user"] = t.user_id ? json(user_name(t.user_id)) : json();
      out.push_back(j);
    }
    std::cout << json{{"tokens", out}}.dump(2) << "\n";
    return 0;
  }
  std::cout << Pick(lang, "名称\t用途\t用户\t创建时间\t吊销时间\n",
                    "name\tscope\tuser\tcreated\trevoked\n");
  for (const auto& t : *list) {
    std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\n", t.name, model::TokenScopeName(t.scope),
                             t.user_id ? user_name(t.user_id) : "-",
                             core::FormatIso8601(t.created_at, 480),
                             t.revoked_at ? core::FormatIso8601(*t.revoked_at, 480) : "-");
  }
  return 0;
}

}  // namespace

void AddUsersCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("users", "user accounts and roles (用户与角色)");
  cmd->require_subcommand(1);
  struct Sub {
    const char* name;
    const char* help;
  };
  for (Sub sub :
       {Sub{"add", "create a user; prints a generated password once"}, Sub{"list", "list users"},
        Sub{"show", "show one user"}, Sub{"set", "change a user's role, binding or display name"},
        Sub{"disable", "disable a user (its sessions end)"},
        Sub{"enable", "enable a disabled user"},
        Sub{"passwd",
            "set a new password (generated and printed once unless "
            "--password-stdin)"}}) {
    auto args = std::make_shared<UserArgs>();
    auto* c = cmd->add_subcommand(sub.name, sub.help);
    AddCommonOptions(*c, args->common);
    std::string action = sub.name;
    if (action != "list") c->add_option("name", args->name, "user name")->required();
    if (action == "add" || action == "set") {
      auto* role = c->add_option("--role", args->role,
                                 "admin, monitor, analyst, responder, leader or coordinator");
      if (action == "add") role->required();
      c->add_option("--display-name", args->display_name, "name shown in the interface");
      c->add_option("--department", args->department,
                    "department id (responders; coordinators' office); - to clear");
      c->add_option(
          "--region", args->region,
          "GB/T 2260 region code (leaders, coordinators); 000000 = the nation; - to clear");
    }
    if (action == "add" || action == "passwd") {
      c->add_flag("--password-stdin", args->password_stdin,
                  "read the password from the first line of standard input");
    }
    if (action == "list" || action == "show") c->add_flag("--json", args->json, "print JSON");
    if (action != "list" && action != "show") {
      c->add_option("--reason", args->reason, "why (kept in the audit log)");
    }
    c->final_callback([action, args] { ExitCode() = RunUsers(action, *args); });
  }
}

void AddTokensCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("tokens", "API tokens for scripts and collectors (API 令牌)");
  cmd->require_subcommand(1);
  for (const char* action : {"create", "revoke", "list"}) {
    auto args = std::make_shared<UserArgs>();
    std::string a = action;
    std::string help = a == "create"   ? "create a token acting as a user, or an ingest-only "
                                         "token; prints it once"
                       : a == "revoke" ? "revoke a token by name"
                                       : "list tokens";
    auto* sub = cmd->add_subcommand(action, help);
    AddCommonOptions(*sub, args->common);
    if (a != "list") sub->add_option("name", args->name, "token name")->required();
    if (a == "create") {
      sub->add_option("--user", args->user, "the user the token acts as (with its role)");
      sub->add_flag("--ingest", args->ingest, "an ingest-only token (may only send posts)");
    }
    if (a == "list") {
      sub->add_option("--user", args->user, "only this user's tokens");
      sub->add_flag("--json", args->json, "print JSON");
    }
    if (a != "list") sub->add_option("--reason", args->reason, "why (kept in the audit log)");
    sub->final_callback([a, args] { ExitCode() = RunTokens(a, *args); });
  }
}

}  // namespace yuqing::cli
