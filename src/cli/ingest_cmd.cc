#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "collect/record_reader.h"
#include "pipeline/event_stage.h"
#include "pipeline/rules.h"

namespace yuqing::cli {
namespace {

struct IngestArgs {
  CommonOptions common;
  std::vector<std::string> files;
  std::string format = "auto";
  std::string rejects_file;
  bool quiet = false;
  bool no_events = false;
};

constexpr int kShownRejections = 50;

int RunIngest(const IngestArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto format = collect::ParseFormat(args.format);
  if (!format.ok()) return Fail(*config, format.status());
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  // Imported posts record the monitoring rules they match, like posts sent to the server.
  pipeline::RuleSync rule_sync(*(*rt)->store, (*rt)->match_normalizer, (*rt)->regions);
  if (auto loaded = rule_sync.Reload(); !loaded.ok()) return Fail(*config, loaded.status());
  (*rt)->ingestor->SetRules(&rule_sync.engine());

  std::ofstream rejects;
  if (!args.rejects_file.empty()) {
    rejects.open(args.rejects_file);
    if (!rejects) {
      return Fail(*config,
                  Status::InvalidArgument(fmt::format("cannot write \"{}\"", args.rejects_file)));
    }
  }
  bool tty = isatty(STDERR_FILENO) != 0 && !args.quiet;
  auto start = std::chrono::steady_clock::now();
  pipeline::ImportCounts total;
  int64_t shown = 0;
  collect::RecordLimits limits;
  limits.max_text_bytes = static_cast<size_t>(config->max_text_bytes);

  for (const auto& file : args.files) {
    std::ifstream in_file;
    std::istream* in = &std::cin;
    if (file != "-") {
      in_file.open(file, std::ios::binary);
      if (!in_file) {
        return Fail(*config, Status::NotFound(fmt::format("cannot open \"{}\"", file)));
      }
      in = &in_file;
    }
    auto reader = collect::RecordReader::Open(*in, *format, limits, file);
    if (!reader.ok()) return Fail(*config, reader.status().WithContext(file));
    pipeline::ImportOptions options;
    options.batch_size = static_cast<size_t>(config->batch_size);
    options.on_reject = [&](const collect::RawRecord& r) {
      if (rejects.is_open()) {
        rejects << nlohmann::json{{"file", file},
                                  {"record", r.number},
                                  {"line", r.line},
                                  {"message", r.post.status().message()}}
                       .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                << "\n";
      }
      if (!args.quiet && shown++ < kShownRejections) {
        if (tty) std::cerr << "\r\033[K";
        std::cerr << fmt::format("{}:{}: {}\n", file, r.Where(), r.post.status().message());
      }
    };
    options.on_progress = [&](const pipeline::ImportCounts& c) {
      if (!tty) return;
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      int64_t records = total.records + c.records;
      std::cerr << "\r\033[K"
                << fmt::format(fmt::runtime(Text(lang, Msg::kProgress)), records,
                               secs > 0 ? records / secs : 0.0, (total.bytes + c.bytes) / 1e6,
                               total.accepted + c.accepted, total.duplicate + c.duplicate,
                               total.rejected + c.rejected)
                << std::flush;
    };
    auto counts = pipeline::ImportRecords(**reader, *(*rt)->ingestor, options);
    if (!counts.ok()) {
      if (tty) std::cerr << "\n";
      return Fail(*config, counts.status().WithContext(file));
    }
    total.records += counts->records;
    total.accepted += counts->accepted;
    total.duplicate += counts->duplicate;
    total.rejected += counts->rejected;
    total.bytes += counts->bytes;
  }
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (tty) std::cerr << "\r\033[K";
  if (!args.quiet && shown > kShownRejections) {
    std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kMoreRejections)),
                             shown - kShownRejections)
              << "\n";
  }
  if (!args.quiet) {
    std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kImportDone)), total.records, secs,
                             secs > 0 ? total.records / secs : 0.0, total.accepted, total.duplicate,
                             total.rejected)
              << "\n";
  }
  // The accepted posts are queued for the event stage. Process them now unless a running
  // server (which holds the stage lock) will.
  if (!args.no_events) {
    auto lock = pipeline::AcquireStageLock(config->db_path);
    if (!lock.ok()) {
      if (!args.quiet) {
        std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsElsewhere)),
                                 lock.status().message())
                  << "\n";
      }
    } else {
      auto events_start = std::chrono::steady_clock::now();
      auto stage = OpenEventStage(**rt, nullptr);
      Status drained = stage.ok() ? Status::Ok() : stage.status();
      int64_t processed = 0;
      if (drained.ok()) {
        drained = (*stage)->Drain([&](int64_t done, int64_t left) {
          processed = done;
          if (!tty || args.quiet) return;
          std::cerr << "\r\033[K"
                    << fmt::format(fmt::runtime(Text(lang, Msg::kEventsProgress)), done, left)
                    << std::flush;
        });
      }
      ::close(*lock);
      if (tty) std::cerr << "\r\033[K";
      if (!drained.ok()) {
        return Fail(*config, drained.WithContext(
                                 "the posts are stored and stay queued for event processing"));
      }
      if (!args.quiet && processed > 0) {
        double esecs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - events_start).count();
        std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsDone)), processed, esecs)
                  << "\n";
      }
    }
  }
  return total.rejected > 0 ? kExitRejected : 0;
}

}  // namespace

void AddIngestCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "ingest", "import posts from JSON, NDJSON or CSV files, or - for stdin (导入舆情条目)");
  auto args = std::make_shared<IngestArgs>();
  AddCommonOptions(*cmd, args->common);
  cmd->add_option("files", args->files, "files to import; - reads standard input")->required();
  cmd->add_option("--format", args->format, "auto (by extension or content), json, ndjson, csv");
  cmd->add_option("--rejects", args->rejects_file,
                  "write every rejected record's reason to FILE (NDJSON)");
  cmd->add_flag("-q,--quiet", args->quiet, "no progress and no summary");
  cmd->add_flag("--no-events", args->no_events,
                "only store the posts; analysis and event clustering run later (in `serve`, or "
                "the next `ingest`)");
  cmd->final_callback([args] { ExitCode() = RunIngest(*args); });
}

}  // namespace yuqing::cli
