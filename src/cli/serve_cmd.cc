#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <thread>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/log.h"
#include "pipeline/event_stage.h"
#include "pipeline/rules.h"
#include "server/http_server.h"

namespace yuqing::cli {
namespace {

// How often the server checks the store's rules version for changes made by other processes:
// one small read, so a rule added with the CLI is live within a second.
constexpr std::chrono::milliseconds kRulesCheckInterval{1000};

int RunServe(const CommonOptions& common, const std::string& listen) {
  auto config = ResolveConfig(common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  if (!listen.empty()) config->listen = listen;
  const std::string& lang = config->language;

  // SIGTERM and SIGINT are taken by a dedicated thread (sigwait), so no handler runs in
  // signal context; block them before any other thread starts so all threads inherit it.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  // Posts are matched against the enabled monitoring rules; changes through the API go live
  // at once, changes by another process (`yuqing rules add`) within kRulesCheckInterval.
  pipeline::RuleSync rule_sync(*(*rt)->store, (*rt)->match_normalizer, (*rt)->regions);
  if (auto loaded = rule_sync.Reload(); !loaded.ok()) return Fail(*config, loaded.status());
  (*rt)->ingestor->SetRules(&rule_sync.engine());
  rule_sync.Start(kRulesCheckInterval);
  // The event stage (analysis, events, alerts) runs in this process unless another one holds
  // the database's stage lock (e.g. a long `yuqing ingest` still draining its queue).
  alerts::AlertNotifier notifier;
  std::unique_ptr<pipeline::EventStage> stage;
  int stage_lock = -1;
  if (auto lock = pipeline::AcquireStageLock(config->db_path); lock.ok()) {
    stage_lock = *lock;
    auto opened = OpenEventStage(**rt, &notifier);
    if (!opened.ok()) return Fail(*config, opened.status());
    stage = std::move(opened).value();
    auto st = stage->stats();
    std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsRestored)), st.restored, st.events)
              << std::endl;
    stage->Start();
  } else {
    std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsElsewhere)),
                             lock.status().message())
              << std::endl;
  }
  server::HttpServer server(*config, *(*rt)->store, *(*rt)->ingestor, (*rt)->clock, &rule_sync);
  if (Status s = server.Bind(); !s.ok()) return Fail(*config, s);
  std::string host = config->listen.substr(0, config->listen.rfind(':'));
  std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kListening)), host, server.port(),
                           config->db_path)
            << std::endl;

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    std::cerr << Text(lang, Msg::kStopping) << std::endl;
    server.Stop();
  });
  Status run = server.Run();
  // If Run ended on its own, wake the waiter so it can be joined.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  rule_sync.Stop();
  notifier.Stop();
  if (stage) stage->Stop();
  if (stage_lock >= 0) ::close(stage_lock);
  if (!run.ok()) return Fail(*config, run);
  std::cerr << Text(lang, Msg::kStopped) << std::endl;
  return 0;
}

}  // namespace

void AddServeCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("serve", "run the HTTP API server (运行 HTTP 服务)");
  auto common = std::make_shared<CommonOptions>();
  auto listen = std::make_shared<std::string>();
  AddCommonOptions(*cmd, *common);
  cmd->add_option("--listen", *listen, "address:port to listen on (server.listen)");
  cmd->final_callback([common, listen] { ExitCode() = RunServe(*common, *listen); });
}

}  // namespace yuqing::cli
