// `yuqing cases` (docs/cases.md): list, show, log, open, act, sweep and assess cases on the
// database directly. The command line acts as "cli:<login>" with the administrator's role, or
// with --as as a stored user (its role and department, and the permission the action's HTTP
// route needs), so a two-person rule — a leader other than the author approves a response — is
// kept here too.
#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cases/case_json.h"
#include "cases/deadlines.h"
#include "cases/policy.h"
#include "cases/service.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "org/org.h"
#include "server/accounts.h"
#include "server/case_support.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct CaseArgs {
  CommonOptions common;
  int64_t id = 0;
  std::string action;
  std::vector<std::string> fields;  // key=value (a value that parses as JSON is taken as JSON)
  std::string args_json;
  std::string as_user;
  // list
  std::string state;
  std::string department;
  bool open_only = false;
  int limit = 50;
  // open
  int64_t event_id = 0;
  std::string origin = "manual";
  std::string title;
  std::string region;
  std::string grade;
  std::string received_at;
  std::string petitioner;
  std::string contact;
  std::string record_id;
  // assess
  std::string from;
  std::string to;
  std::string weights;
  bool csv = false;
  bool json = false;
};

Result<access::Principal> Actor(Runtime& rt, const std::string& as_user) {
  if (as_user.empty()) return server::CommandLinePrincipal();
  YQ_ASSIGN_OR_RETURN(std::optional<model::User> u, rt.store->GetUserByName(as_user));
  if (!u) return Status::NotFound(fmt::format("no user named \"{}\"", as_user));
  if (u->disabled)
    return Status::FailedPrecondition(fmt::format("user \"{}\" is disabled", as_user));
  return access::Principal::ForUser(*u);
}

Result<std::shared_ptr<const org::Router>> StoredRouter(Runtime& rt) {
  YQ_ASSIGN_OR_RETURN(auto stored, rt.store->GetOrganisation());
  if (!stored || !rt.region_tree) return std::shared_ptr<const org::Router>();
  YQ_ASSIGN_OR_RETURN(org::LoadedOrganisation o,
                      org::OrganisationFromJson(stored->json, *rt.region_tree));
  YQ_ASSIGN_OR_RETURN(org::Router r,
                      org::Router::Create(std::move(o.organisation), rt.region_tree));
  return std::make_shared<const org::Router>(std::move(r));
}

void PrintCase(const json& c, const std::string& lang) {
  std::cout << fmt::format("#{} {} [{} {}] {} {}\n", c["id"].get<int64_t>(),
                           c["title"].get<std::string>(), c["state"].get<std::string>(),
                           c["state_zh"].get<std::string>(), Pick(lang, "等级", "grade"),
                           c["grade"].get<std::string>());
  if (!c["main_department"].get<std::string>().empty()) {
    std::cout << "  " << Pick(lang, "主办单位：", "main department: ")
              << c["main_department"].get<std::string>() << "\n";
  }
  if (c.contains("deadlines")) {
    for (const auto& d : c["deadlines"]) {
      std::cout << fmt::format(
          "  {} {} → {} ({})\n", Pick(lang, "时限", "deadline"),
          lang == "en" ? d["obligation"].get<std::string>() : d["obligation_zh"].get<std::string>(),
          d["due"].get<std::string>(), d["state"].get<std::string>());
    }
  } else if (!c["next_deadline"].is_null()) {
    const json& d = c["next_deadline"];
    std::cout << fmt::format(
        "  {} {} → {} ({})\n", Pick(lang, "最近时限", "next deadline"),
        lang == "en" ? d["obligation"].get<std::string>() : d["obligation_zh"].get<std::string>(),
        d["due"].get<std::string>(), d["state"].get<std::string>());
  }
  if (c.contains("allowed_actions")) {
    std::string allowed;
    for (const auto& a : c["allowed_actions"]) {
      if (!allowed.empty()) allowed += ", ";
      allowed += a.get<std::string>();
    }
    std::cout << "  " << Pick(lang, "可执行：", "allowed: ") << allowed << "\n";
  }
}

int RunCases(const std::string& what, CaseArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config& config = rt.config;
  const std::string& lang = config.language;
  auto options = server::CaseOptionsFromConfig(config);
  if (!options.ok()) return Fail(config, options.status());
  cases::CaseService service(*rt.store, rt.store.get(), rt.clock, *options);
  core::TimePoint now = rt.clock.Now();

  if (what == "list") {
    store::CaseFilter f;
    f.open_only = args.open_only;
    f.department_id = args.department;
    f.limit = args.limit;
    if (!args.state.empty()) {
      auto s = model::ParseCaseState(args.state);
      if (!s)
        return Fail(config, Status::InvalidArgument(
                                fmt::format("--state: \"{}\" is not a case state", args.state)));
      f.states.push_back(*s);
    }
    auto list = rt.store->ListCases(f);
    if (!list.ok()) return Fail(config, list.status());
    json out = json::array();
    for (const auto& c : *list) out.push_back(cases::CaseListJson(c, now));
    if (args.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      if (out.empty()) std::cout << Pick(lang, "没有工单\n", "no cases\n");
      for (const auto& c : out) PrintCase(c, lang);
    }
    return 0;
  }
  if (what == "show" || what == "log") {
    auto c = rt.store->GetCase(args.id);
    if (!c.ok()) return Fail(config, c.status());
    if (!*c) return Fail(config, Status::NotFound(fmt::format("no case with id {}", args.id)));
    if (what == "log") {
      auto log = rt.store->CaseLog(args.id);
      if (!log.ok()) return Fail(config, log.status());
      json out = json::array();
      for (const auto& e : *log) out.push_back(cases::LogEntryJson(e, (*c)->policy.time_zone));
      if (args.json) {
        std::cout << out.dump(2) << "\n";
      } else {
        for (const auto& e : out) {
          std::cout << fmt::format("{} {} {} {}→{} {}\n", e["at"].get<std::string>(),
                                   e["actor"].get<std::string>(), e["action"].get<std::string>(),
                                   e["from_state"].get<std::string>(),
                                   e["to_state"].get<std::string>(), e["detail"].dump());
        }
      }
      return 0;
    }
    json out = cases::CaseJson(**c, now, true);
    server::AddCaseAnalysis(*rt.store, **c, now, out);
    if (args.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      PrintCase(out, lang);
    }
    return 0;
  }
  auto actor = Actor(rt, args.as_user);
  if (!actor.ok()) return Fail(config, actor.status());
  if (what == "open") {
    cases::OpenRequest req;
    if (args.event_id != 0) {
      auto e = rt.store->GetEvent(args.event_id);
      if (!e.ok()) return Fail(config, e.status());
      if (!*e)
        return Fail(config, Status::NotFound(fmt::format("no event with id {}", args.event_id)));
      auto router = StoredRouter(rt);
      if (!router.ok()) return Fail(config, router.status());
      json body = json::object();
      if (!args.title.empty()) body["title"] = args.title;
      if (!args.grade.empty()) body["grade"] = args.grade;
      auto r = server::EventOpenRequest(*rt.store, router->get(), **e, *options, body, now);
      if (!r.ok()) return Fail(config, r.status());
      req = std::move(*r);
    } else {
      auto o = model::ParseCaseOrigin(args.origin);
      if (!o || *o == model::CaseOrigin::kEvent) {
        return Fail(config, Status::InvalidArgument(
                                "--origin must be hotline, mailbox or manual (or give --event)"));
      }
      req.origin = *o;
      req.title = args.title;
      req.region = args.region;
      req.policy = options->policy;
      req.detected_at = now;
      if (!args.received_at.empty()) {
        auto t = core::ParseIso8601(args.received_at);
        if (!t.ok()) return Fail(config, t.status().WithContext("--received-at"));
        req.detected_at = *t;
      }
      if (!args.grade.empty()) {
        auto g = model::ParseGrade(args.grade);
        if (!g)
          return Fail(config, Status::InvalidArgument("--grade must be I, II, III, IV or 1–4"));
        req.grade = *g;
      }
      if (model::HasPetitioner(req.origin)) {
        model::PetitionerContact p;
        p.name = args.petitioner;
        p.contact = args.contact;
        p.record_id = args.record_id;
        req.petitioner = p;
      }
    }
    auto c = service.Open(req, *actor);
    if (!c.ok()) return Fail(config, c.status());
    json out = cases::CaseJson(*c, now, true);
    if (args.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      PrintCase(out, lang);
    }
    return 0;
  }
  if (what == "act") {
    json fields = json::object();
    if (!args.args_json.empty()) {
      fields = json::parse(args.args_json, nullptr, false);
      if (fields.is_discarded() || !fields.is_object()) {
        return Fail(config, Status::InvalidArgument("--args must be a JSON object"));
      }
    }
    for (const auto& kv : args.fields) {
      auto eq = kv.find('=');
      if (eq == std::string::npos) {
        return Fail(config,
                    Status::InvalidArgument(fmt::format("--field \"{}\": expected key=value", kv)));
      }
      std::string v = kv.substr(eq + 1);
      json parsed = json::parse(v, nullptr, false);
      fields[kv.substr(0, eq)] = parsed.is_discarded() || parsed.is_string() ? json(v) : parsed;
    }
    // The same permission the HTTP route of the action needs (a user acting with --as is
    // held to its role, as over the API).
    auto permission = server::ActionPermission(args.action);
    if (permission && !access::Allowed(*actor, *permission)) {
      return Fail(config, Status::PermissionDenied(fmt::format(
                              "{} (role \"{}\") may not {}: it needs permission \"{}\"",
                              actor->name, actor->role ? model::RoleName(*actor->role) : "none",
                              args.action, access::PermissionName(*permission))));
    }
    auto before = rt.store->GetCase(args.id);
    if (!before.ok()) return Fail(config, before.status());
    if (!*before) return Fail(config, Status::NotFound(fmt::format("no case with id {}", args.id)));
    if (args.action == "draft_response" && fields.contains("text") && fields["text"].is_string()) {
      fields["figures"] = server::ExtractFigures(fields["text"].get<std::string>());
    }
    if (args.action == "evaluate" && !fields.contains("facts")) {
      auto facts = server::EvaluationFacts(*rt.store, **before, now);
      if (facts.ok()) fields["facts"] = *facts;
    }
    std::optional<model::Organisation> org;
    if (auto stored = rt.store->GetOrganisation(); stored.ok() && *stored && rt.region_tree) {
      auto o = org::OrganisationFromJson((*stored)->json, *rt.region_tree);
      if (o.ok()) org = std::move(o->organisation);
    }
    auto c = service.Act(args.id, *actor, {args.action, fields}, org ? &*org : nullptr);
    if (!c.ok()) return Fail(config, c.status());
    json out = cases::CaseJson(*c, rt.clock.Now(), true);
    if (args.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      PrintCase(out, lang);
    }
    return 0;
  }
  if (what == "sweep") {
    auto r = service.Sweep([&](int64_t n) {
      if (!args.json) std::cerr << "\r" << Pick(lang, "已检查 ", "checked ") << n << std::flush;
    });
    if (!args.json) std::cerr << "\n";
    if (!r.ok()) return Fail(config, r.status());
    store::CaseFilter open;
    open.open_only = true;
    auto open_cases = rt.store->CountCases(open);
    if (!open_cases.ok()) return Fail(config, open_cases.status());
    json out = {{"open_cases", *open_cases}, {"cases", r->cases},         {"changed", r->changed},
                {"notices", r->notices},     {"conflicts", r->conflicts}, {"errors", r->errors}};
    if (args.json) {
      std::cout << out.dump(2) << "\n";
    } else {
      std::cout << fmt::format(
          fmt::runtime(Pick(lang, "在办工单 {} 件，到期检查 {} 件，{} 件有变化，发出 {} 条提醒\n",
                            "{} open cases, {} due and checked, {} changed, {} notices\n")),
          *open_cases, r->cases, r->changed, r->notices);
      for (const auto& e : r->errors) std::cout << "  " << e << "\n";
    }
    return r->errors.empty() ? 0 : kExitFailure;
  }
  if (what == "assess") {
    json params = {{"from", args.from}, {"to", args.to}};
    if (!args.weights.empty()) params["weights"] = args.weights;
    auto out = server::AssessmentReport(*rt.store, params, now, lang, args.csv);
    if (!out.ok()) return Fail(config, out.status());
    if (args.csv) {
      std::cout << out->get<std::string>();
    } else if (args.json) {
      std::cout << out->dump(2) << "\n";
    } else {
      for (const auto& row : (*out)["ranking"]) {
        std::cout << fmt::format("{:>3}. {} {:.1f}\n", row.value("rank", 0),
                                 row.value("name", std::string()), row.value("score", 0.0));
      }
    }
    return 0;
  }
  return Fail(config, Status::Internal("unknown cases command " + what));
}

}  // namespace

void AddCasesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("cases", "cases: deadlines, responses, supervision (工单)");
  cmd->require_subcommand(1);
  AddCasesRouteCommand(cmd);
  struct Sub {
    const char* name;
    const char* help;
  };
  for (Sub s :
       {Sub{"list", "cases, newest first (工单列表)"},
        Sub{"show", "one case with its clocks and allowed actions (工单详情)"},
        Sub{"log", "what happened to a case (工单日志)"},
        Sub{"open", "open a case from an event, a hotline or mailbox record, or by hand"},
        Sub{"act", "take an action: judge, assign, accept, draft_response, … (docs/cases.md)"},
        Sub{"sweep", "reminders, supervision and notices for every open case (督办巡检)"},
        Sub{"assess", "the assessment of departments for a period (考核)"}}) {
    auto args = std::make_shared<CaseArgs>();
    std::string what = s.name;
    auto* sub = cmd->add_subcommand(s.name, s.help);
    AddCommonOptions(*sub, args->common);
    sub->add_flag("--json", args->json, "print JSON");
    if (what == "show" || what == "log" || what == "act") {
      sub->add_option("id", args->id, "case id")->required();
    }
    if (what == "act") {
      sub->add_option("action", args->action, "the action (docs/cases.md)")->required();
      sub->add_option("--field,-f", args->fields,
                      "a field of the action as key=value (repeatable)");
      sub->add_option("--args", args->args_json, "the action's fields as a JSON object");
    }
    if (what == "open" || what == "act") {
      sub->add_option("--as", args->as_user, "act as this user (its role and department)");
    }
    if (what == "list") {
      sub->add_option("--state", args->state, "only cases in this state");
      sub->add_option("--department", args->department, "only cases this department had");
      sub->add_flag("--open", args->open_only, "only open cases");
      sub->add_option("--limit", args->limit, "at most this many (1-100000)");
    }
    if (what == "open") {
      sub->add_option("--event", args->event_id, "open from this event (routed)");
      sub->add_option("--origin", args->origin, "hotline, mailbox or manual");
      sub->add_option("--title", args->title, "title");
      sub->add_option("--region", args->region, "GB/T 2260 region code");
      sub->add_option("--grade", args->grade, "I, II, III or IV");
      sub->add_option("--received-at", args->received_at,
                      "when the call or letter came (ISO-8601)");
      sub->add_option("--petitioner", args->petitioner, "the caller's or writer's name");
      sub->add_option("--contact", args->contact, "their phone or address");
      sub->add_option("--record-id", args->record_id, "the hotline's or mailbox's record id");
    }
    if (what == "assess") {
      sub->add_option("--from", args->from, "period start (ISO-8601)")->required();
      sub->add_option("--to", args->to, "period end, exclusive (ISO-8601)")->required();
      sub->add_option("--weights", args->weights, "score weights as a JSON object");
      sub->add_flag("--csv", args->csv, "print CSV");
    }
    sub->final_callback([what, args] { ExitCode() = RunCases(what, *args); });
  }
}

}  // namespace yuqing::cli
