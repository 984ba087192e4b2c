// `yuqing sources add|list|show|pause|resume|remove|test` (configured sources) and
// `yuqing collect SOURCE [--once]` (run one source now, or on its schedule until Ctrl+C).
// docs/collect.md.
#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "collect/collector.h"
#include "collect/source_json.h"
#include "core/time.h"

namespace yuqing::cli {
namespace {

using nlohmann::json;

struct SourcesArgs {
  CommonOptions common;
  std::string name;
  std::string kind = "rss";
  std::string url;
  int64_t interval_s = 600;
  std::string channel = "news";
  std::string region;
  std::string tz = "+08:00";
  std::string config;       // JSON object
  std::string config_file;  // a file holding the whole source as JSON
  bool json = false;
  bool once = false;
};

std::string When(const std::optional<core::TimePoint>& t) {
  return t ? core::FormatIso8601(*t, 480) : "-";
}

std::string_view HealthZh(model::SourceHealth h, const std::string& lang) {
  if (lang == "en") return model::SourceHealthName(h);
  switch (h) {
    case model::SourceHealth::kOk:
      return "正常";
    case model::SourceHealth::kFailing:
      return "采集失败";
    case model::SourceHealth::kSilent:
      return "沉默";
    case model::SourceHealth::kUnknown:
      break;
  }
  return "未知";
}

void PrintReport(const collect::RunReport& r, const std::string& lang) {
  if (r.not_modified) {
    std::cout << Pick(lang, "未变化（304），无新条目", "not modified (304): nothing new") << "\n";
  } else {
    std::cout << fmt::format(fmt::runtime(Pick(lang, "读取 {} 条：接受 {}，重复 {}，拒绝 {}",
                                               "{} items read: accepted {}, duplicate {}, "
                                               "rejected {}")),
                             r.fetched, r.accepted, r.duplicate, r.rejected)
              << "\n";
  }
  for (const auto& p : r.problems)
    std::cout << "  " << Pick(lang, "问题：", "problem: ") << p << "\n";
  if (!r.error.ok()) {
    std::cout << fmt::format(fmt::runtime(Pick(lang, "失败：{}（{}）", "failed: {} ({})")),
                             r.error.ToString(), r.error_url)
              << "\n";
  }
}

Result<model::Source> SourceFromArgs(const SourcesArgs& a) {
  json body;
  if (!a.config_file.empty()) {
    std::ifstream in(a.config_file, std::ios::binary);
    if (!in) return Status::NotFound(fmt::format("cannot read \"{}\"", a.config_file));
    std::stringstream ss;
    ss << in.rdbuf();
    body = json::parse(ss.str(), nullptr, false);
    if (body.is_discarded()) {
      return Status::InvalidArgument(fmt::format("\"{}\" is not JSON", a.config_file));
    }
    if (!a.name.empty() && !body.contains("name")) body["name"] = a.name;
  } else {
    json config = json::object();
    if (!a.config.empty()) {
      config = json::parse(a.config, nullptr, false);
      if (config.is_discarded()) return Status::InvalidArgument("--settings is not a JSON object");
    }
    if (!a.url.empty()) config["url"] = a.url;
    body = {{"name", a.name},       {"kind", a.kind},     {"interval_s", a.interval_s},
            {"channel", a.channel}, {"region", a.region}, {"tz", a.tz},
            {"config", config}};
  }
  return collect::SourceFromJson(body);
}

volatile sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int RunSources(const std::string& action, SourcesArgs& args) {
  int failed = 0;
  std::unique_ptr<Runtime> opened = OpenForAdministration(args.common, failed);
  if (!opened) return failed;
  Runtime& rt = *opened;
  const core::Config& config = rt.config;
  const std::string& lang = config.language;
  store::Store& st = *rt.store;

  if (action == "add") {
    auto source = SourceFromArgs(args);
    if (!source.ok()) return Fail(config, source.status());
    auto made = st.CreateSource(*source, rt.clock.Now());
    if (!made.ok()) return Fail(config, made.status());
    std::cout << fmt::format(fmt::runtime(Pick(lang, "已添加采集源 #{}“{}”（{}，每 {} 秒）",
                                               "source #{} \"{}\" added ({}, every {} s)")),
                             made->id, made->name, model::SourceKindName(made->kind),
                             made->interval.count())
              << "\n";
    return 0;
  }
  if (action == "list") {
    auto list = st.ListConfiguredSources();
    if (!list.ok()) return Fail(config, list.status());
    if (args.json) {
      json out = json::array();
      for (const auto& s : *list) out.push_back(collect::SourceToJson(s));
      std::cout << json{{"sources", out}}.dump(2) << "\n";
      return 0;
    }
    if (list->empty()) {
      std::cout << Pick(lang, "还没有采集源；添加：yuqing sources add 名称 --kind rss --url 地址",
                        "no sources yet; add one with: yuqing sources add NAME --kind rss --url "
                        "URL")
                << "\n";
      return 0;
    }
    std::cout << Pick(lang, "名称\t类型\t间隔(秒)\t状态\t健康\t最近成功\t接受\t最近错误",
                      "name\tkind\tinterval s\tstate\thealth\tlast success\taccepted\tlast error")
              << "\n";
    for (const auto& s : *list) {
      std::cout << fmt::format(
          "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", s.name, model::SourceKindName(s.kind),
          s.interval.count(),
          s.paused ? Pick(lang, "已暂停", "paused") : Pick(lang, "运行", "active"),
          HealthZh(s.state.health, lang), When(s.state.last_success_at), s.state.accepted,
          s.state.last_error.empty() ? "-" : s.state.last_error);
    }
    return 0;
  }
  auto source = st.GetSource(args.name);
  if (!source.ok()) return Fail(config, source.status());
  if (!*source) {
    return Fail(config, Status::NotFound(fmt::format("no source named \"{}\"", args.name)));
  }
  if (action == "show") {
    if (args.json) {
      std::cout << collect::SourceToJson(**source).dump(2) << "\n";
      return 0;
    }
    const model::Source& s = **source;
    const model::SourceState& x = s.state;
    std::cout << fmt::format(
        fmt::runtime(Pick(lang,
                          "采集源 #{0}“{1}”（{2}）\n  配置：{3}\n  间隔：{4} 秒  渠道：{5}  "
                          "地区：{6}  时区：{7}  {8}\n  健康：{9} {10}\n  最近运行：{11}  "
                          "最近成功：{12}  最近新条目：{13}\n  累计：运行 {14}，失败 {15}，读取 "
                          "{16}，接受 {17}，重复 {18}，拒绝 {19}\n  游标：{20}  ETag：{21}\n  "
                          "最近错误：{22} {23} {24}",
                          "source #{0} \"{1}\" ({2})\n  config: {3}\n  every {4} s  channel: {5}  "
                          "region: {6}  zone: {7}  {8}\n  health: {9} {10}\n  last run: {11}  "
                          "last success: {12}  last new post: {13}\n  runs {14}, failures {15}, "
                          "read {16}, accepted {17}, duplicate {18}, rejected {19}\n  cursor: "
                          "{20}  ETag: {21}\n  last error: {22} {23} {24}")),
        s.id, s.name, model::SourceKindName(s.kind), s.config_json, s.interval.count(),
        model::ChannelName(s.channel), s.region.empty() ? "-" : s.region,
        collect::FormatZoneOffset(s.tz_offset_minutes),
        s.paused ? Pick(lang, "已暂停", "paused") : Pick(lang, "运行中", "active"),
        HealthZh(x.health, lang), x.health_reason, When(x.last_run_at), When(x.last_success_at),
        When(x.last_post_at), x.runs, x.failures, x.fetched, x.accepted, x.duplicate, x.rejected,
        x.cursor.empty() ? "-" : x.cursor, x.etag.empty() ? "-" : x.etag, When(x.last_error_at),
        x.last_error_url, x.last_error);
    std::cout << "\n";
    return 0;
  }
  if (action == "pause" || action == "resume") {
    bool pause = action == "pause";
    if (Status s = st.SetSourcePaused(args.name, pause, rt.clock.Now()); !s.ok()) {
      return Fail(config, s);
    }
    std::cout << fmt::format(
                     fmt::runtime(pause ? Pick(lang, "已暂停采集源“{}”", "source \"{}\" paused")
                                        : Pick(lang, "已恢复采集源“{}”", "source \"{}\" resumed")),
                     args.name)
              << "\n";
    return 0;
  }
  if (action == "remove") {
    if (Status s = st.DeleteSource(args.name); !s.ok()) return Fail(config, s);
    std::cout << fmt::format(fmt::runtime(Pick(lang, "已删除采集源“{}”（已采集的条目保留）",
                                               "source \"{}\" removed (collected posts stay)")),
                             args.name)
              << "\n";
    return 0;
  }
  // test and collect need the fetcher; collect also the ingest path.
  if (Status s = LoadText(rt); !s.ok()) return Fail(config, s);
  collect::HttpFetcher fetcher(FetchOptionsFrom(config));
  pipeline::IngestSink sink(*rt.ingestor);
  collect::CollectOptions options;
  options.limits.max_text_bytes = static_cast<size_t>(config.max_text_bytes);
  collect::Collector collector(st, st, fetcher, sink, rt.clock, options);
  if (action == "test") {
    auto r = collector.Test(args.name);
    if (!r.ok()) return Fail(config, r.status());
    for (const auto& p : r->preview) {
      std::cout << fmt::format("{}\t{}\t{}\t{}\n", core::FormatIso8601(p.published_at, 480),
                               p.external_id, p.title.empty() ? p.text.substr(0, 60) : p.title,
                               p.url);
    }
    PrintReport(*r, lang);
    return r->error.ok() ? 0 : kExitFailure;
  }
  // collect
  signal(SIGINT, OnSignal);
  signal(SIGTERM, OnSignal);
  while (true) {
    auto r = collector.RunOnce(args.name);
    if (!r.ok()) return Fail(config, r.status());
    std::cout << core::FormatIso8601(rt.clock.Now(), 480) << "  ";
    PrintReport(*r, lang);
    std::cout << std::flush;
    if (args.once) return r->error.ok() ? 0 : kExitFailure;
    auto again = rt.clock.Now() + (*source)->interval;
    while (g_stop == 0 && rt.clock.Now() < again) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (g_stop != 0) return 0;
    auto fresh = st.GetSource(args.name);
    if (fresh.ok() && *fresh) source = std::move(fresh);
  }
}

}  // namespace

collect::FetchOptions FetchOptionsFrom(const core::Config& c) {
  collect::FetchOptions o;
  o.timeout = std::chrono::milliseconds(c.collect_timeout_ms);
  o.max_bytes = c.collect_max_bytes;
  o.retries = static_cast<int>(c.collect_retries);
  o.per_host_interval = std::chrono::milliseconds(c.collect_per_host_interval_ms);
  o.honour_robots = c.collect_robots == "on";
  o.user_agent = c.collect_user_agent;
  return o;
}

void AddSourcesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("sources", "configured sources the collectors fetch (采集源)");
  cmd->require_subcommand(1);
  for (const char* action : {"add", "list", "show", "pause", "resume", "remove", "test"}) {
    auto args = std::make_shared<SourcesArgs>();
    std::string a = action;
    std::string help = a == "add"      ? "add a source (RSS feed, JSON API, drop folder, push …)"
                       : a == "list"   ? "list sources with their health"
                       : a == "show"   ? "a source's settings, state and last error"
                       : a == "pause"  ? "stop collecting a source"
                       : a == "resume" ? "collect a paused source again"
                       : a == "remove" ? "remove a source (its posts stay)"
                                       : "fetch and parse once without storing anything";
    auto* sub = cmd->add_subcommand(action, help);
    AddCommonOptions(*sub, args->common);
    if (a != "list") {
      auto* name = sub->add_option("name", args->name, "source name (the posts' source)");
      if (a != "add") name->required();
    }
    if (a == "add") {
      sub->add_option("--kind", args->kind, "rss, json_api, folder, push, web or replay");
      sub->add_option("--url", args->url, "the feed's or API's URL (config.url)");
      sub->add_option("--interval", args->interval_s, "seconds between runs (default 600)");
      sub->add_option("--channel", args->channel, "channel of its posts (default news)");
      sub->add_option("--region", args->region, "GB/T 2260 code given to posts without one");
      sub->add_option("--tz", args->tz, "zone of dates without an offset (default +08:00)");
      sub->add_option("--settings", args->config,
                      "kind-specific settings (config) as a JSON object");
      sub->add_option("--file", args->config_file, "the whole source as a JSON file");
    }
    if (a == "list" || a == "show") sub->add_flag("--json", args->json, "print JSON");
    sub->final_callback([a, args] { ExitCode() = RunSources(a, *args); });
  }
}

void AddCollectCommand(CLI::App& app) {
  auto args = std::make_shared<SourcesArgs>();
  auto* cmd = app.add_subcommand("collect",
                                 "run one source now and then on its schedule until Ctrl+C (采集)");
  AddCommonOptions(*cmd, args->common);
  cmd->add_option("name", args->name, "source name")->required();
  cmd->add_flag("--once", args->once, "run once and exit (status 1 if the run failed)");
  cmd->final_callback([args] { ExitCode() = RunSources("collect", *args); });
}

}  // namespace yuqing::cli
