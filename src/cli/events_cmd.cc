// `yuqing events list|show|merge`: the events of a database for the terminal
// (docs/events.md). The event stage writes events (`yuqing serve`, or `yuqing ingest`); `merge`
// records a person's request that two events are one, which the stage applies (here at once
// when no server runs the stage, docs/events.md "Merging by hand").
#include <fmt/format.h>
#include <unistd.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "pipeline/event_stage.h"
#include "server/accounts.h"

namespace yuqing::cli {
namespace {

struct EventsArgs {
  CommonOptions common;
  std::string grade;
  std::string domain;
  std::string region;
  std::string sort = "heat";
  std::string text;
  int limit = 20;
  bool json = false;
  int64_t id = 0;
  int posts = 5;
  int64_t into = 0;
  std::string reason;
};

int RunList(const EventsArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  auto rt = OpenRuntime(*config, /*check_index=*/false);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::EventQuery q;
  q.limit = args.limit;
  q.text = args.text;
  q.region = args.region;
  if (!args.grade.empty()) {
    q.max_grade = model::ParseGrade(args.grade);
    if (!q.max_grade) {
      return Fail(*config, Status::InvalidArgument(fmt::format(
                               "--grade \"{}\" is not I, II, III, IV or 1–4", args.grade)));
    }
  }
  if (!args.domain.empty()) {
    q.domain = model::ParseDomain(args.domain);
    if (!q.domain) {
      return Fail(*config, Status::InvalidArgument(
                               fmt::format("--domain: unknown domain \"{}\"", args.domain)));
    }
  }
  auto sort = store::ParseEventSort(args.sort);
  if (!sort) {
    return Fail(*config, Status::InvalidArgument(fmt::format(
                             "--sort \"{}\" is not heat, last_seen, first_seen, posts or grade",
                             args.sort)));
  }
  q.sort = *sort;
  auto page = (*rt)->store->ListEvents(q);
  if (!page.ok()) return Fail(*config, page.status());
  const std::string& lang = config->language;
  if (args.json) {
    for (const auto& e : page->events) {
      std::cout << nlohmann::json{{"id", e.id},
                                  {"title", e.title},
                                  {"grade", e.grade},
                                  {"heat", e.heat},
                                  {"trend", e.trend},
                                  {"posts", e.posts},
                                  {"domain", model::DomainName(e.domain)},
                                  {"regions", e.regions},
                                  {"first_seen", core::FormatIso8601(e.first_seen)},
                                  {"last_seen", core::FormatIso8601(e.last_seen)}}
                       .dump()
                << "\n";
    }
    return 0;
  }
  if (page->events.empty()) {
    std::cout << Text(lang, Msg::kNoEvents) << "\n";
    return 0;
  }
  std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kEventListHeader)), page->total,
                           page->events.size())
            << "\n";
  for (const auto& e : page->events) {
    std::cout << fmt::format("#{:<6} {:>4}  {:5.1f}  {} {:>6}  {}  {}\n", e.id,
                             model::GradeName(e.grade), e.heat, TrendText(lang, e.trend, 9),
                             e.posts, core::FormatIso8601(e.last_seen), e.title);
  }
  return 0;
}

int RunShow(const EventsArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  auto rt = OpenRuntime(*config, /*check_index=*/false);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;
  auto e = store.GetEvent(args.id);
  if (!e.ok()) return Fail(*config, e.status());
  if (!*e) return Fail(*config, Status::NotFound(fmt::format("no event with id {}", args.id)));
  nlohmann::json detail = nlohmann::json::parse((*e)->detail_json, nullptr, false);
  auto posts = store.EventPosts(args.id, args.posts, 0);
  if (!posts.ok()) return Fail(*config, posts.status());
  auto log = store.EventLog(args.id);
  if (!log.ok()) return Fail(*config, log.status());
  nlohmann::json out = {{"id", (*e)->id},
                        {"title", (*e)->title},
                        {"grade", (*e)->grade},
                        {"grade_name", model::GradeName((*e)->grade)},
                        {"heat", (*e)->heat},
                        {"trend", (*e)->trend},
                        {"posts", (*e)->posts},
                        {"authors", (*e)->authors},
                        {"domain", model::DomainName((*e)->domain)},
                        {"regions", (*e)->regions},
                        {"first_seen", core::FormatIso8601((*e)->first_seen)},
                        {"last_seen", core::FormatIso8601((*e)->last_seen)},
                        {"detail", detail}};
  if ((*e)->merged_into != 0) out["merged_into"] = (*e)->merged_into;
  nlohmann::json recent = nlohmann::json::array();
  for (const auto& p : *posts) {
    recent.push_back({{"source", p.post.source},
                      {"id", p.post.external_id},
                      {"published_at", core::FormatIso8601(p.post.published_at)},
                      {"title", p.post.title},
                      {"text", p.post.text}});
  }
  out["recent_posts"] = std::move(recent);
  nlohmann::json entries = nlohmann::json::array();
  for (const auto& l : *log) {
    entries.push_back({{"at", core::FormatIso8601(l.at)},
                       {"kind", l.kind},
                       {"detail", nlohmann::json::parse(l.detail_json, nullptr, false)}});
  }
  out["log"] = std::move(entries);
  std::cout << out.dump(args.json ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace)
            << "\n";
  return 0;
}

int RunMerge(const EventsArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  auto rt = OpenRuntime(*config, /*check_index=*/false);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;
  if (args.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Fail(*config, Status::InvalidArgument(
                             "--reason: say why the two are one event (请说明合并理由)"));
  }
  for (int64_t id : {args.id, args.into}) {
    auto e = store.GetEvent(id);
    if (!e.ok()) return Fail(*config, e.status());
    if (!*e) return Fail(*config, Status::NotFound(fmt::format("no event with id {}", id)));
    if ((*e)->merged_into != 0) {
      return Fail(*config, Status::FailedPrecondition(fmt::format(
                               "event {} was merged into event {} already: name that one", id,
                               (*e)->merged_into)));
    }
  }
  access::Principal cli = server::CommandLinePrincipal();
  const core::TimePoint now = (*rt)->clock.Now();
  store::EventMergeRequest r;
  r.from = args.id;
  r.into = args.into;
  r.requested_by = cli.name;
  r.reason = args.reason;
  r.requested_at = now;
  auto made =
      store.RequestEventMerge(r, server::Draft(cli, now, "event.merge", "event",
                                               std::to_string(args.id), "", "", args.reason));
  if (!made.ok()) return Fail(*config, made.status());
  // Applied now unless a running server (which holds the stage lock) will.
  auto lock = pipeline::AcquireStageLock(config->db_path);
  if (!lock.ok()) {
    std::cout << fmt::format(
        "merge request {} recorded; the running server's event stage applies it "
        "(合并申请已记录，由运行中的服务处理): {}\n",
        made->id, lock.status().message());
    return 0;
  }
  auto stage = OpenEventStage(**rt, nullptr);
  Status applied = stage.ok() ? Status::Ok() : stage.status();
  if (applied.ok()) applied = (*stage)->Drain();
  ::close(*lock);
  if (!applied.ok()) return Fail(*config, applied.WithContext("the request stays pending"));
  auto got = store.GetEventMergeRequest(made->id);
  if (!got.ok()) return Fail(*config, got.status());
  if (!*got || (*got)->state == "pending") {
    return Fail(*config, Status::Internal("the event stage left the request pending"));
  }
  if ((*got)->state == "rejected") {
    return Fail(*config,
                Status::FailedPrecondition(fmt::format("not merged (未合并): {}", (*got)->error)));
  }
  auto e = store.GetEvent(args.into);
  if (!e.ok() || !*e)
    return Fail(*config, e.ok() ? Status::Internal("event vanished") : e.status());
  std::cout << fmt::format("merged event {} into event {} (已合并): {} posts, grade {}, {}\n",
                           args.id, args.into, (*e)->posts, model::GradeName((*e)->grade),
                           (*e)->title);
  return 0;
}

}  // namespace

void AddEventsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("events", "list and show events (事件列表与详情)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<EventsArgs>();

  auto* list = cmd->add_subcommand("list", "events, hottest first (按热度列出事件)");
  AddCommonOptions(*list, args->common);
  list->add_option("--grade", args->grade, "at least this severe: I, II, III, IV");
  list->add_option("--domain", args->domain, "main domain, e.g. emergency, education");
  list->add_option("--region", args->region, "GB/T 2260 code prefix, e.g. 1404");
  list->add_option("--sort", args->sort, "heat (default), last_seen, first_seen, posts, grade");
  list->add_option("--text", args->text, "title contains");
  list->add_option("--limit", args->limit, "at most this many (default 20)")
      ->check(CLI::Range(1, 1000));
  list->add_flag("--json", args->json, "one JSON object per line");
  list->final_callback([args] { ExitCode() = RunList(*args); });

  auto* show = cmd->add_subcommand("show", "one event in full, as JSON (事件详情)");
  AddCommonOptions(*show, args->common);
  show->add_option("id", args->id, "event id")->required();
  show->add_option("--posts", args->posts, "recent posts to include (default 5)")
      ->check(CLI::Range(0, 1000));
  show->add_flag("--json", args->json, "compact, one line");
  show->final_callback([args] { ExitCode() = RunShow(*args); });

  auto* merge = cmd->add_subcommand(
      "merge", "merge an event into another: they are one incident (合并事件, audited)");
  AddCommonOptions(*merge, args->common);
  merge->add_option("id", args->id, "the event to merge away")->required();
  merge->add_option("--into", args->into, "the event that takes its posts")->required();
  merge->add_option("--reason", args->reason, "why they are one event (合并理由)")->required();
  merge->final_callback([args] { ExitCode() = RunMerge(*args); });
}

}  // namespace yuqing::cli
