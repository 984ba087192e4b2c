// `yuqing clock`: the database's own clock (a demo database runs in accelerated event time);
// `yuqing replay`: a recorded stream of posts fed into the database as that clock reaches each
// post's publication time (docs/ingest.md, "Replaying a recorded stream").
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "collect/record_reader.h"
#include "collect/replay.h"
#include "core/time.h"
#include "pipeline/event_stage.h"
#include "pipeline/rules.h"

namespace yuqing::cli {
namespace {

using namespace std::chrono_literals;

// A time as the command line shows it: China's time, to the second.
std::string Shown(core::TimePoint t) {
  return core::FormatIso8601(std::chrono::floor<std::chrono::seconds>(t), 8 * 60);
}

struct ClockArgs {
  CommonOptions common;
  std::string start = "now";
  double speed = 1.0;
};

int RunClockSet(const ClockArgs& args) {
  int code = 0;
  auto rt = OpenForAdministration(args.common, code);
  if (!rt) return code;
  const std::string& lang = rt->config.language;
  if (!(args.speed > 0.0 && args.speed <= 100000.0)) {
    return Fail(rt->config, Status::InvalidArgument(fmt::format(
                                "--speed {} is outside (0, 100000]: how many seconds of event "
                                "time pass in one real second",
                                args.speed)));
  }
  core::TimePoint real = core::SystemClock().Now();
  core::TimePoint start = real;
  if (args.start != "now") {
    auto parsed = core::ParseIso8601(args.start);
    if (!parsed.ok()) {
      return Fail(rt->config, parsed.status().WithContext(
                                  fmt::format("--start \"{}\" (ISO 8601 or now)", args.start)));
    }
    start = *parsed;
  }
  ClockSetting setting{real, start, args.speed};
  if (Status s = SaveClockSetting(*rt->store, setting); !s.ok()) return Fail(rt->config, s);
  std::cout << fmt::format(
                   fmt::runtime(Pick(
                       lang,
                       "数据库时钟：现在为 {}，每真实 1 秒走 {} 秒（已运行的服务需重启后生效）",
                       "database clock: it is now {}, running {} s per real second (restart a "
                       "running server to use it)")),
                   Shown(start), args.speed)
            << "\n";
  return 0;
}

int RunClockShow(const ClockArgs& args) {
  int code = 0;
  auto rt = OpenForAdministration(args.common, code);
  if (!rt) return code;
  const std::string& lang = rt->config.language;
  if (!rt->clock.scaled()) {
    std::cout << Pick(lang, "数据库时钟：系统时钟", "database clock: the system clock") << " "
              << Shown(rt->clock.Now()) << "\n";
    return 0;
  }
  std::cout << fmt::format(fmt::runtime(Pick(lang, "数据库时钟：{}，每真实 1 秒走 {} 秒",
                                             "database clock: {}, running {} s per real second")),
                           Shown(rt->clock.Now()), rt->clock.speed())
            << "\n";
  return 0;
}

int RunClockReset(const ClockArgs& args) {
  int code = 0;
  auto rt = OpenForAdministration(args.common, code);
  if (!rt) return code;
  if (Status s = rt->store->SetMeta(std::string(kClockMetaKey), ""); !s.ok()) {
    return Fail(rt->config, s);
  }
  std::cout << Pick(rt->config.language, "数据库时钟：恢复为系统时钟",
                    "database clock: back to the system clock")
            << "\n";
  return 0;
}

struct ReplayArgs {
  CommonOptions common;
  std::vector<std::string> files;
  std::string format = "auto";
  bool quiet = false;
  size_t batch = 200;
};

int RunReplay(const ReplayArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto format = collect::ParseFormat(args.format);
  if (!format.ok()) return Fail(*config, format.status());
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  Runtime& r = **rt;
  pipeline::RuleSync rule_sync(*r.store, r.match_normalizer, r.regions);
  if (auto loaded = rule_sync.Reload(); !loaded.ok()) return Fail(*config, loaded.status());
  r.ingestor->SetRules(&rule_sync.engine());

  // The whole recording first: it is replayed in publication order, whatever its file order.
  collect::Recording recording;
  collect::RecordLimits limits;
  limits.max_text_bytes = static_cast<size_t>(config->max_text_bytes);
  for (const auto& file : args.files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return Fail(*config, Status::NotFound(fmt::format("cannot open \"{}\"", file)));
    if (Status s = collect::ReadRecording(in, *format, limits, file, recording); !s.ok()) {
      return Fail(*config, s);
    }
  }
  for (const auto& r : recording.rejected) std::cerr << r << "\n";
  const int64_t rejected = static_cast<int64_t>(recording.rejected.size());
  std::vector<model::Post>& posts = recording.posts;
  collect::SortForReplay(posts);

  // Events: a running server (which holds the stage lock) places the posts; otherwise this
  // command does, after every batch, so the events grow as the posts arrive.
  std::unique_ptr<pipeline::EventStage> stage;
  std::optional<int> lock;
  if (auto l = pipeline::AcquireStageLock(config->db_path); l.ok()) {
    lock = *l;
    auto opened = OpenEventStage(r, nullptr);
    if (!opened.ok()) {
      ::close(*lock);
      return Fail(*config, opened.status());
    }
    stage = std::move(opened).value();
  }
  if (!args.quiet) {
    std::cerr << fmt::format(
                     fmt::runtime(Pick(lang,
                                       "回放 {} 条（{} 至 {}），时钟 {}，每真实 1 秒走 {} 秒；{}",
                                       "replaying {} posts ({} to {}), clock at {}, {} s per real "
                                       "second; {}")),
                     posts.size(), posts.empty() ? "-" : Shown(posts.front().published_at),
                     posts.empty() ? "-" : Shown(posts.back().published_at), Shown(r.clock.Now()),
                     r.clock.speed(),
                     stage ? Pick(lang, "事件由本命令处理", "events placed by this command")
                           : Pick(lang, "事件由运行中的服务处理", "events placed by the server"))
              << "\n";
  }
  size_t next = 0;
  int64_t accepted = 0;
  int64_t duplicate = 0;
  bool tty = isatty(STDERR_FILENO) != 0 && !args.quiet;
  auto last_line = std::chrono::steady_clock::now() - 1h;
  while (next < posts.size()) {
    core::TimePoint now = r.clock.Now();
    size_t end = collect::DueEnd(posts, next, now, args.batch);
    std::vector<model::Post> due(posts.begin() + static_cast<std::ptrdiff_t>(next),
                                 posts.begin() + static_cast<std::ptrdiff_t>(end));
    next = end;
    if (!due.empty()) {
      auto written = r.ingestor->Write(std::move(due));
      if (!written.ok()) {
        if (lock) ::close(*lock);
        return Fail(*config, written.status().WithContext(fmt::format(
                                 "{} posts replayed before this batch", accepted + duplicate)));
      }
      for (const auto& w : *written) {
        (w.outcome == model::IngestOutcome::kAccepted ? accepted : duplicate)++;
      }
      if (stage) {
        if (Status s = stage->Drain(); !s.ok()) {
          ::close(*lock);
          return Fail(*config, s.WithContext("the posts are stored and stay queued"));
        }
      }
      if (!args.quiet) {
        std::string line = fmt::format(fmt::runtime(Pick(lang, "回放：{}/{} 条，事件时间 {}",
                                                         "replay: {}/{} posts, event time {}")),
                                       next, posts.size(), Shown(now));
        auto real = std::chrono::steady_clock::now();
        if (tty) {
          std::cerr << "\r\033[K" << line << std::flush;
        } else if (real - last_line >= 10s || next == posts.size()) {  // a log, not a screen
          std::cerr << line << "\n";
          last_line = real;
        }
      }
      continue;
    }
    // Sleep until the next post is due, at most half a second (progress stays live).
    auto wait_event = posts[next].published_at - now;
    auto wait_real = std::chrono::milliseconds(
        static_cast<int64_t>(static_cast<double>(wait_event.count()) / r.clock.speed()));
    std::this_thread::sleep_for(std::clamp<std::chrono::milliseconds>(wait_real, 1ms, 500ms));
  }
  if (lock) ::close(*lock);
  if (tty) std::cerr << "\n";
  if (!args.quiet) {
    std::cerr << fmt::format(fmt::runtime(Pick(lang, "回放完成：接受 {}，重复 {}，拒绝 {}",
                                               "replay done: accepted {}, duplicate {}, "
                                               "rejected {}")),
                             accepted, duplicate, rejected)
              << "\n";
  }
  return rejected > 0 ? kExitRejected : 0;
}

}  // namespace

void AddClockCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "clock", "the database's clock: set it to run faster for a demo or a replay (数据库时钟)");
  cmd->require_subcommand(1);
  auto args = std::make_shared<ClockArgs>();
  auto* set = cmd->add_subcommand("set", "start the database's clock at a time and speed");
  AddCommonOptions(*set, args->common);
  set->add_option("--start", args->start, "the event time it reads now (ISO 8601, or now)");
  set->add_option("--speed", args->speed, "seconds of event time per real second (default 1)");
  set->final_callback([args] { ExitCode() = RunClockSet(*args); });
  auto* show = cmd->add_subcommand("show", "what the database's clock reads");
  AddCommonOptions(*show, args->common);
  show->final_callback([args] { ExitCode() = RunClockShow(*args); });
  auto* reset = cmd->add_subcommand("reset", "back to the system clock");
  AddCommonOptions(*reset, args->common);
  reset->final_callback([args] { ExitCode() = RunClockReset(*args); });
}

void AddReplayCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "replay",
      "feed recorded posts into the database as its clock reaches their publication times "
      "(按事件时间回放)");
  auto args = std::make_shared<ReplayArgs>();
  AddCommonOptions(*cmd, args->common);
  cmd->add_option("files", args->files, "JSON, NDJSON or CSV files of posts")->required();
  cmd->add_option("--format", args->format, "auto (by extension or content), json, ndjson, csv");
  cmd->add_option("--batch", args->batch, "at most this many posts per write (default 200)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress and no summary");
  cmd->final_callback([args] { ExitCode() = RunReplay(*args); });
}

}  // namespace yuqing::cli
