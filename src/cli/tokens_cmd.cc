#include <fmt/format.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "server/auth.h"

namespace yuqing::cli {
namespace {

struct TokenArgs {
  CommonOptions common;
  std::string name;
};

int RunTokens(const std::string& action, const TokenArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;
  auto now = (*rt)->clock.Now();
  if (action == "create") {
    auto token = server::NewApiToken();
    if (!token.ok()) return Fail(*config, token.status());
    Status s = store.CreateApiToken(args.name, server::HashApiToken(*token), now);
    if (!s.ok()) return Fail(*config, s);
    std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kTokenCreated)), args.name, "");
    std::cout << *token << std::endl;
    return 0;
  }
  if (action == "revoke") {
    Status s = store.RevokeApiToken(args.name, now);
    if (!s.ok()) return Fail(*config, s);
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kTokenRevoked)), args.name) << "\n";
    return 0;
  }
  auto list = store.ListApiTokens();
  if (!list.ok()) return Fail(*config, list.status());
  std::cout << Text(lang, Msg::kTokenListHeader) << "\n";
  for (const auto& t : *list) {
    std::cout << fmt::format("{}\t{}\t{}\n", t.name, core::FormatIso8601(t.created_at, 480),
                             t.revoked_at ? core::FormatIso8601(*t.revoked_at, 480) : "-");
  }
  return 0;
}

}  // namespace

void AddTokensCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("tokens", "API tokens for collectors and integrations (API 令牌)");
  cmd->require_subcommand(1);
  for (const char* action : {"create", "revoke", "list"}) {
    auto args = std::make_shared<TokenArgs>();
    std::string help = std::string(action) == "create"   ? "create a token; prints it once"
                       : std::string(action) == "revoke" ? "revoke a token by name"
                                                         : "list tokens";
    auto* sub = cmd->add_subcommand(action, help);
    AddCommonOptions(*sub, args->common);
    if (std::string(action) != "list")
      sub->add_option("name", args->name, "token name")->required();
    std::string a = action;
    sub->final_callback([a, args] { ExitCode() = RunTokens(a, *args); });
  }
}

}  // namespace yuqing::cli
