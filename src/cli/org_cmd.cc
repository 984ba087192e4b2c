// `yuqing org` (the organisation: check, import, show, departments), `yuqing cases route`
// (responsibility routing, JSON in and out) and `yuqing audit` (verify, checkpoint, log)
// (docs/organisation.md, docs/audit.md).
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "audit/key_file.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "org/org.h"
#include "server/accounts.h"
#include "server/audit_log.h"
#include "server/auth.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct OrgArgs {
  CommonOptions common;
  std::string file;
  std::string region;
  std::string org_file;  // cases route: an organisation file instead of the stored one
  std::vector<std::string> checkpoints;  // audit verify: kept checkpoint files
  std::string reason;
  int limit = 20;
  bool json = false;
};

Result<std::shared_ptr<const org::RegionTree>> Regions(const Runtime& rt) {
  if (!rt.region_tree) {
    return Status::FailedPrecondition(
        fmt::format("the region gazetteer {}/gazetteer/places.tsv is missing", rt.data_dir));
  }
  return rt.region_tree;
}

int RunOrg(const std::string& action, OrgArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config* config = &rt.config;
  const std::string& lang = config->language;
  auto regions = Regions(rt);
  if (!regions.ok()) return Fail(*config, regions.status());

  if (action == "check" || action == "import") {
    auto loaded = org::LoadOrganisationFile(args.file, **regions);
    if (!loaded.ok()) return Fail(*config, loaded.status());
    for (const auto& w : loaded->warnings) {
      std::cerr << Pick(lang, "提醒：", "warning: ") << w << "\n";
    }
    const auto& o = loaded->organisation;
    if (action == "check") {
      std::cout << fmt::format(fmt::runtime(Pick(lang, "{}：组织机构有效，{} 个部门",
                                                 "{}: the organisation is valid, {} departments")),
                               args.file, o.departments.size())
                << "\n";
      return 0;
    }
    auto users = rt.store->ListUsers();
    if (!users.ok()) return Fail(*config, users.status());
    if (Status s = server::CheckBoundUsers(*users, o); !s.ok()) return Fail(*config, s);
    std::string doc = org::OrganisationToJson(o);
    auto before = rt.store->GetOrganisation();
    if (!before.ok()) return Fail(*config, before.status());
    std::string from;
    if (*before) {
      from = json{{"version", (*before)->version}, {"sha256", server::Sha256Hex((*before)->json)}}
                 .dump();
    }
    int64_t next = *before ? (*before)->version + 1 : 1;
    std::string to = json{{"version", next},
                          {"departments", o.departments.size()},
                          {"sha256", server::Sha256Hex(doc)}}
                         .dump();
    auto version = rt.store->PutOrganisation(
        doc, *before ? std::optional<int64_t>((*before)->version) : std::optional<int64_t>(0),
        server::Draft(server::CommandLinePrincipal(), rt.clock.Now(), "org.replace", "organisation",
                      "organisation", from, to,
                      args.reason.empty() ? "imported from " + args.file : args.reason));
    if (!version.ok()) return Fail(*config, version.status());
    std::cout << fmt::format(
                     fmt::runtime(Pick(lang, "已导入组织机构：{} 个部门（版本 {}）",
                                       "organisation imported: {} departments (version {})")),
                     o.departments.size(), *version)
              << "\n";
    return 0;
  }

  auto stored = rt.store->GetOrganisation();
  if (!stored.ok()) return Fail(*config, stored.status());
  if (!*stored) {
    return Fail(*config,
                Status::NotFound("no organisation is stored yet (yuqing org import FILE)"));
  }
  auto loaded = org::OrganisationFromJson((*stored)->json, **regions);
  if (!loaded.ok()) return Fail(*config, loaded.status());
  const auto& o = loaded->organisation;
  if (action == "show") {
    if (args.json) {
      std::cout << json{{"version", (*stored)->version},
                        {"updated_at", core::FormatIso8601((*stored)->updated_at)},
                        {"organisation", org::OrganisationToJsonValue(o)}}
                       .dump(2)
                << "\n";
      return 0;
    }
    std::cout << fmt::format(fmt::runtime(Pick(lang, "{}（版本 {}，{} 个部门，更新于 {}）",
                                               "{} (version {}, {} departments, updated {})")),
                             o.name, (*stored)->version, o.departments.size(),
                             core::FormatIso8601((*stored)->updated_at, 480))
              << "\n";
    return 0;
  }
  // departments
  json out = json::array();
  for (const auto& d : o.departments) {
    if (!args.region.empty() && d.region != args.region) continue;
    if (args.json) {
      out.push_back(org::DepartmentToJson(d));
    } else {
      std::string domains;
      for (auto dom : d.domains) {
        if (!domains.empty()) domains += ",";
        domains += model::DomainName(dom);
      }
      std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\n", d.id, d.name, d.region,
                               model::DepartmentKindName(d.kind), domains.empty() ? "-" : domains);
    }
  }
  if (args.json) std::cout << json{{"departments", out}}.dump(2) << "\n";
  return 0;
}

// Reads a routing input as JSON on stdin and prints the routing as JSON on stdout.
int RunRoute(OrgArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  std::string input_text((std::istreambuf_iterator<char>(std::cin)),
                         std::istreambuf_iterator<char>());
  auto input = org::RoutingInputFromJson(std::string_view(input_text));
  if (!input.ok()) return Fail(*config, input.status().WithContext("standard input"));
  auto opened = OpenRuntime(*config, /*check_index=*/false);
  if (!opened.ok()) return Fail(*config, opened.status());
  Runtime& rt = **opened;
  auto regions = Regions(rt);
  if (!regions.ok()) return Fail(*config, regions.status());
  Result<org::LoadedOrganisation> loaded = Status::NotFound("");
  if (!args.org_file.empty()) {
    loaded = org::LoadOrganisationFile(args.org_file, **regions);
  } else {
    auto stored = rt.store->GetOrganisation();
    if (!stored.ok()) return Fail(*config, stored.status());
    if (!*stored) {
      return Fail(*config, Status::NotFound("no organisation is stored yet: yuqing org import "
                                            "FILE, or pass --org FILE"));
    }
    loaded = org::OrganisationFromJson((*stored)->json, **regions);
  }
  if (!loaded.ok()) return Fail(*config, loaded.status());
  auto router = org::Router::Create(std::move(loaded->organisation), *regions);
  if (!router.ok()) return Fail(*config, router.status());
  auto routing = router->Route(*input);
  if (!routing.ok()) return Fail(*config, routing.status());
  std::cout << org::RoutingToJson(*routing).dump(2) << "\n";
  return 0;
}

int RunAudit(const std::string& action, OrgArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config* config = &rt.config;
  const std::string& lang = config->language;
  if (action == "log") {
    store::AuditFilter f;
    f.limit = args.limit;
    auto list = rt.store->ListAudit(f);
    if (!list.ok()) return Fail(*config, list.status());
    json out = json::array();
    for (const auto& e : *list) {
      if (args.json) {
        out.push_back({{"seq", e.seq},
                       {"at", core::FormatIso8601(e.at)},
                       {"actor", e.actor},
                       {"action", e.action},
                       {"object_type", e.object_type},
                       {"object_id", e.object_id},
                       {"from", e.from_json},
                       {"to", e.to_json},
                       {"reason", e.reason},
                       {"hash", e.hash}});
      } else {
        std::cout << fmt::format("{}\t{}\t{}\t{}\t{}:{}\t{}\n", e.seq,
                                 core::FormatIso8601(e.at, 480), e.actor, e.action, e.object_type,
                                 e.object_id, e.reason);
      }
    }
    if (args.json) std::cout << json{{"entries", out}}.dump(2) << "\n";
    return 0;
  }
  auto key = OpenAuditKey(*config);
  if (!key.ok()) return Fail(*config, key.status());
  if (action == "checkpoint") {
    auto c = server::CheckpointHead(*rt.store, **key, rt.clock.Now());
    if (!c.ok()) return Fail(*config, c.status());
    if (!*c) return Fail(*config, Status::FailedPrecondition("the audit log is empty"));
    if (args.json) {
      std::cout << audit::CheckpointToJson(**c) << "\n";
    } else {
      std::cerr << fmt::format(
                       fmt::runtime(Pick(lang,
                                         "审计日志检查点：{} 条，末条哈希 {}，签名公钥 {}。"
                                         "请将下面一行交上级保存，核验时用 --checkpoint 文件：",
                                         "audit checkpoint: {} entries, head hash {}, public key "
                                         "{}. Keep the line below elsewhere; verify with "
                                         "--checkpoint FILE:")),
                       (*c)->size, (*c)->head_hash, (*c)->public_key)
                << "\n";
      std::cout << audit::CheckpointToJson(**c) << "\n";
    }
    return 0;
  }
  // verify
  std::vector<model::AuditCheckpoint> kept;
  for (const auto& path : args.checkpoints) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(*config, Status::NotFound(fmt::format("cannot read \"{}\"", path)));
    std::stringstream ss;
    ss << in.rdbuf();
    auto parsed = audit::ParseCheckpointFile(ss.str());
    if (!parsed.ok()) return Fail(*config, parsed.status().WithContext(path));
    kept.insert(kept.end(), parsed->begin(), parsed->end());
  }
  audit::VerifyOptions options;
  options.trusted_public_keys.push_back((*key)->PublicKeyText());
  auto report = server::VerifyStoredAudit(*rt.store, kept, options, [&](int64_t n) {
    std::cerr << fmt::format(fmt::runtime(Pick(lang, "已核验 {} 条…", "{} entries checked…")), n)
              << "\r" << std::flush;
  });
  if (!report.ok()) return Fail(*config, report.status());
  if (args.json) {
    std::cout << server::AuditReportJson(*report).dump(2) << "\n";
  } else {
    std::cout << report->Summary() << "\n";
  }
  return report->ok() ? 0 : kExitFailure;
}

}  // namespace

void AddOrgCommand(CLI::App& app) {
  auto* cmd =
      app.add_subcommand("org", "the organisation: departments, leaders, contacts (组织机构)");
  cmd->require_subcommand(1);
  for (const char* action : {"check", "import", "show", "departments"}) {
    auto args = std::make_shared<OrgArgs>();
    std::string a = action;
    std::string help = a == "check"    ? "validate an organisation file (TOML or JSON)"
                       : a == "import" ? "validate and store an organisation file"
                       : a == "show"   ? "show the stored organisation"
                                       : "list departments";
    auto* sub = cmd->add_subcommand(action, help);
    AddCommonOptions(*sub, args->common);
    if (a == "check" || a == "import") sub->add_option("file", args->file, "file")->required();
    if (a == "import") sub->add_option("--reason", args->reason, "why (kept in the audit log)");
    if (a == "departments") sub->add_option("--region", args->region, "only this region code");
    if (a == "show" || a == "departments") sub->add_flag("--json", args->json, "print JSON");
    sub->final_callback([a, args] { ExitCode() = RunOrg(a, *args); });
  }
}

void AddCasesRouteCommand(CLI::App* cmd) {
  auto args = std::make_shared<OrgArgs>();
  auto* route = cmd->add_subcommand(
      "route", "who must answer: a routing input as JSON on stdin, the routing as JSON on stdout");
  AddCommonOptions(*route, args->common);
  route->add_option("--org", args->org_file,
                    "organisation file to route with instead of the stored organisation");
  route->final_callback([args] { ExitCode() = RunRoute(*args); });
}

void AddAuditCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("audit", "the tamper-evident audit log (审计日志)");
  cmd->require_subcommand(1);
  for (const char* action : {"verify", "checkpoint", "log"}) {
    auto args = std::make_shared<OrgArgs>();
    std::string a = action;
    std::string help = a == "verify" ? "check the hash chain and the signed checkpoints"
                       : a == "checkpoint"
                           ? "sign a checkpoint of the log's head (if new) and print it"
                           : "the newest entries";
    auto* sub = cmd->add_subcommand(action, help);
    AddCommonOptions(*sub, args->common);
    sub->add_flag("--json", args->json, "print JSON");
    if (a == "verify") {
      sub->add_option("--checkpoint", args->checkpoints,
                      "a checkpoint kept outside the database (repeatable)");
    }
    if (a == "log") sub->add_option("--limit", args->limit, "entries (1-1000)");
    sub->final_callback([a, args] { ExitCode() = RunAudit(a, *args); });
  }
}

}  // namespace yuqing::cli
