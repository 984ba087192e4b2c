// `yuqing policies …`, `yuqing alerts …` and `yuqing outbox …`: early warning from the command
// line (docs/alerts.md). Policies are read and shown as the same JSON the API takes; a running
// `yuqing serve` picks policy changes up by itself.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "alerts/deliverer.h"
#include "alerts/format.h"
#include "alerts/policy_json.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "core/time.h"
#include "pipeline/event_stage.h"
#include "reports/archive.h"
#include "store/sqlite/sqlite_store.h"

namespace yuqing::cli {
namespace {

struct AlertArgs {
  CommonOptions common;
  std::string file;  // policies add
  int64_t id = 0;
  bool unacked = false;
  bool dead = false;
  bool once = false;
  int limit = 50;
  std::string by;
};

Result<std::unique_ptr<store::Store>> OpenStore(const core::Config& config) {
  store::sqlite::SqliteOptions options;
  options.sync_full = config.sync == "full";
  return store::sqlite::OpenSqliteStore(config.db_path, options);
}

Result<model::AlertPolicy> FindPolicy(store::Store& store, int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto p, store.GetAlertPolicy(id));
  if (!p) return Status::NotFound(fmt::format("no alert policy with id {}", id));
  return *p;
}

std::string Dash(const std::string& s) { return s.empty() ? "-" : s; }

int RunPolicies(const std::string& action, const AlertArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto opened = OpenStore(*config);
  if (!opened.ok()) return Fail(*config, opened.status());
  store::Store& store = **opened;
  core::SystemClock clock;

  if (action == "add") {
    std::ifstream in(args.file);
    if (!in) {
      return Fail(*config, Status::NotFound(fmt::format("cannot read \"{}\"", args.file)));
    }
    std::stringstream text;
    text << in.rdbuf();
    nlohmann::json body = nlohmann::json::parse(text.str(), nullptr, false);
    if (body.is_discarded()) {
      return Fail(*config, Status::InvalidArgument(fmt::format("{}: not valid JSON", args.file)));
    }
    auto policy = alerts::PolicyFromJson(body);
    if (!policy.ok()) return Fail(*config, policy.status().WithContext(args.file));
    for (int64_t rule : policy->rule_ids) {
      auto r = store.GetRule(rule);
      if (!r.ok()) return Fail(*config, r.status());
      if (!*r) {
        return Fail(*config, Status::InvalidArgument(fmt::format(
                                 "{}: field \"rule_ids\": no rule with id {}", args.file, rule)));
      }
    }
    auto created = store.CreateAlertPolicy(*policy, clock.Now());
    if (!created.ok()) return Fail(*config, created.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kPolicyAdded)), created->id,
                             created->name, State(lang, created->enabled))
              << "\n";
    return 0;
  }

  if (action == "list") {
    auto all = store.ListAlertPolicies();
    if (!all.ok()) return Fail(*config, all.status());
    if (all->empty()) {
      std::cout << Text(lang, Msg::kNoPolicies) << "\n";
      return 0;
    }
    std::cout << Text(lang, Msg::kPolicyListHeader) << "\n";
    for (const auto& p : *all) {
      std::vector<std::string> domains, targets;
      for (auto d : p.domains) domains.emplace_back(model::DomainName(d));
      for (const auto& t : p.targets) targets.emplace_back(model::TargetKindName(t.kind));
      std::cout << fmt::format("{}\t{}\t{}\t{}+\t{}\t{}\t{}\t{}\n", p.id, p.name,
                               State(lang, p.enabled), alerts::GradeRoman(p.min_grade), p.min_heat,
                               Dash(fmt::format("{}", fmt::join(p.regions, ","))),
                               Dash(fmt::format("{}", fmt::join(domains, ","))),
                               Dash(fmt::format("{}", fmt::join(targets, ","))));
    }
    return 0;
  }

  auto policy = FindPolicy(store, args.id);
  if (!policy.ok()) return Fail(*config, policy.status());
  if (action == "show") {
    std::cout << alerts::PolicyToJson(*policy).dump(2) << "\n";
    return 0;
  }
  if (action == "enable" || action == "disable") {
    policy->enabled = action == "enable";
    auto updated = store.UpdateAlertPolicy(*policy, clock.Now());
    if (!updated.ok()) return Fail(*config, updated.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, policy->enabled ? Msg::kPolicyEnabled
                                                                     : Msg::kPolicyDisabled)),
                             policy->id, policy->name)
              << "\n";
    return 0;
  }
  Status s = store.DeleteAlertPolicy(policy->id);
  if (!s.ok()) return Fail(*config, s);
  std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kPolicyRemoved)), policy->id, policy->name)
            << "\n";
  return 0;
}

std::string OutboxLine(const model::OutboxItem& o) {
  bool scheduled = o.state == model::OutboxState::kPending && o.attempts > 0;
  return fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}", o.id, o.alert_id,
                     model::TargetKindName(o.target.kind), model::OutboxStateName(o.state),
                     o.attempts, scheduled ? Time(o.next_attempt_at) : "-", Dash(o.last_error));
}

int RunAlerts(const std::string& action, const AlertArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto opened = OpenStore(*config);
  if (!opened.ok()) return Fail(*config, opened.status());
  store::Store& store = **opened;
  core::SystemClock clock;

  if (action == "list") {
    store::AlertQuery q;
    q.unacknowledged_only = args.unacked;
    q.limit = args.limit;
    auto list = store.ListAlerts(q);
    if (!list.ok()) return Fail(*config, list.status());
    if (list->empty()) {
      std::cout << Text(lang, Msg::kNoAlerts) << "\n";
      return 0;
    }
    std::cout << Text(lang, Msg::kAlertListHeader) << "\n";
    for (const auto& a : *list) {
      std::string grade(alerts::GradeRoman(a.level));
      if (a.previous_level > a.level)
        grade += fmt::format(" (↑{})", alerts::GradeRoman(a.previous_level));
      std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", a.id, Time(a.created_at).substr(0, 16),
                               grade, a.event_id, a.title, a.acked_at ? a.acked_by : "-");
    }
    return 0;
  }
  if (action == "ack") {
    std::string by = args.by;
    if (by.empty()) {
      const char* user = std::getenv("USER");
      by = user != nullptr && *user != '\0' ? user : "cli";
    }
    auto acked = store.AcknowledgeAlert(args.id, by, clock.Now());
    if (!acked.ok()) return Fail(*config, acked.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kAlertAcked)), acked->id, acked->acked_by,
                             Time(*acked->acked_at))
              << "\n";
    return 0;
  }
  // show
  auto alert = store.GetAlert(args.id);
  if (!alert.ok()) return Fail(*config, alert.status());
  if (!*alert) return Fail(*config, Status::NotFound(fmt::format("no alert with id {}", args.id)));
  auto items = store.OutboxForAlert(args.id);
  if (!items.ok()) return Fail(*config, items.status());
  std::cout << alerts::AlertText(**alert, items->empty() ? "-" : (*items)[0].idempotency_key);
  std::cout << "\n"
            << ((*alert)->acked_at
                    ? fmt::format(fmt::runtime(Text(lang, Msg::kAlertAcked)), (*alert)->id,
                                  (*alert)->acked_by, Time(*(*alert)->acked_at))
                    : std::string(Text(lang, Msg::kAlertNotAcked)))
            << "\n";
  if (!items->empty()) {
    std::cout << Text(lang, Msg::kAlertDeliveries) << "\n"
              << Text(lang, Msg::kOutboxHeader) << "\n";
    for (const auto& o : *items) std::cout << OutboxLine(o) << "\n";
  }
  return 0;
}

// `outbox deliver`: the Deliverer in the foreground until SIGTERM or SIGINT (or one pass).
int Deliver(const core::Config& config, store::Store& store, bool once) {
  const std::string& lang = config.language;
  core::SystemClock clock;
  alerts::AlertNotifier notifier;
  alerts::DelivererOptions options = alerts::DelivererOptionsFromConfig(config);
  // Alerts are committed by another process here: nobody notifies, so look every second.
  options.idle_wait = std::chrono::seconds(1);
  options.attachments = [&store](const model::Alert& a) {
    return reports::EmailAttachments(store, a);
  };
  // One deliverer per database (a running `serve` has one).
  auto lock = pipeline::AcquireRoleLock(config.db_path, pipeline::WorkerRole::kOutbox);
  if (!lock.ok()) return Fail(config, lock.status());
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{*lock};
  alerts::Deliverer deliverer(store, clock, notifier, options);
  if (once) {
    auto stats = deliverer.RunOnce(clock.Now());
    if (!stats.ok()) return Fail(config, stats.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kDeliveryPass)), stats->delivered,
                             stats->retrying, stats->dead)
              << "\n";
    return 0;
  }
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kDelivering)), config.db_path) << std::endl;
  deliverer.Start();
  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << Text(lang, Msg::kStopping) << std::endl;
  deliverer.Stop();
  std::cerr << Text(lang, Msg::kStopped) << std::endl;
  return 0;
}

int RunOutbox(const std::string& action, const AlertArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto opened = OpenStore(*config);
  if (!opened.ok()) return Fail(*config, opened.status());
  store::Store& store = **opened;

  if (action == "retry") {
    Status s = store.RetryOutbox(args.id, core::SystemClock().Now());
    if (!s.ok()) return Fail(*config, s);
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kOutboxRetried)), args.id) << "\n";
    return 0;
  }
  if (action == "deliver") return Deliver(*config, store, args.once);
  auto counts = store.CountOutbox();
  if (!counts.ok()) return Fail(*config, counts.status());
  std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kOutboxCounts)), counts->pending,
                           counts->delivered, counts->dead)
            << "\n";
  auto items = store.ListOutbox(args.dead ? std::optional(model::OutboxState::kDead) : std::nullopt,
                                args.limit);
  if (!items.ok()) return Fail(*config, items.status());
  if (items->empty()) {
    std::cout << Text(lang, Msg::kOutboxEmpty) << "\n";
    return 0;
  }
  std::cout << Text(lang, Msg::kOutboxHeader) << "\n";
  for (const auto& o : *items) std::cout << OutboxLine(o) << "\n";
  return 0;
}

}  // namespace

void AddPoliciesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("policies", "alert policies: who is warned about what (预警策略)");
  cmd->require_subcommand(1);
  for (const char* name : {"add", "list", "show", "enable", "disable", "remove"}) {
    auto args = std::make_shared<AlertArgs>();
    std::string action = name;
    std::string help = action == "add"      ? "add a policy from a JSON file (docs/alerts.md)"
                       : action == "list"   ? "list policies"
                       : action == "show"   ? "print a policy as JSON (secrets shown as \"set\")"
                       : action == "remove" ? "delete a policy (its alerts are kept)"
                                            : action + " a policy";
    auto* sub = cmd->add_subcommand(name, help);
    AddCommonOptions(*sub, args->common);
    if (action == "add") {
      sub->add_option("--file", args->file, "the policy as JSON")->required();
    } else if (action != "list") {
      sub->add_option("id", args->id, "policy id")->required();
    }
    sub->final_callback([action, args] { ExitCode() = RunPolicies(action, *args); });
  }
}

void AddAlertsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("alerts", "alerts raised (预警) and their acknowledgement");
  cmd->require_subcommand(1);
  for (const char* name : {"list", "show", "ack"}) {
    auto args = std::make_shared<AlertArgs>();
    std::string action = name;
    std::string help = action == "list"   ? "list alerts, newest first"
                       : action == "show" ? "show one alert with its deliveries"
                                          : "acknowledge an alert (签收): someone takes it over";
    auto* sub = cmd->add_subcommand(name, help);
    AddCommonOptions(*sub, args->common);
    if (action == "list") {
      sub->add_flag("--unacked", args->unacked, "only alerts nobody acknowledged yet");
      sub->add_option("--limit", args->limit, "alerts to show (default 50, at most 1000)");
    } else {
      sub->add_option("id", args->id, "alert id")->required();
    }
    if (action == "ack") sub->add_option("--by", args->by, "who acknowledges (default: $USER)");
    sub->final_callback([action, args] { ExitCode() = RunAlerts(action, *args); });
  }
}

void AddOutboxCommand(CLI::App& app) {
  auto args = std::make_shared<AlertArgs>();
  auto* cmd = app.add_subcommand("outbox", "deliveries of alerts: list, retry, deliver (投递)");
  AddCommonOptions(*cmd, args->common);
  cmd->add_flag("--dead", args->dead, "only deliveries that failed for good");
  cmd->add_option("--limit", args->limit, "deliveries to show (default 50, at most 1000)");
  cmd->require_subcommand(0, 1);
  auto retry_args = std::make_shared<AlertArgs>();
  auto* retry = cmd->add_subcommand("retry", "send a failed delivery again");
  AddCommonOptions(*retry, retry_args->common);
  retry->add_option("id", retry_args->id, "delivery (outbox item) id")->required();
  retry->final_callback([retry_args] { ExitCode() = RunOutbox("retry", *retry_args); });
  auto deliver_args = std::make_shared<AlertArgs>();
  auto* deliver = cmd->add_subcommand(
      "deliver", "send due deliveries until stopped (for a database no `yuqing serve` delivers)");
  AddCommonOptions(*deliver, deliver_args->common);
  deliver->add_flag("--once", deliver_args->once, "one pass over what is due, then exit");
  deliver->final_callback([deliver_args] { ExitCode() = RunOutbox("deliver", *deliver_args); });
  cmd->final_callback([cmd, args] {
    if (cmd->get_subcommands().empty()) ExitCode() = RunOutbox("list", *args);
  });
}

}  // namespace yuqing::cli
