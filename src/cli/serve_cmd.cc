#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <thread>

#include "alerts/deliverer.h"
#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "collect/scheduler.h"
#include "core/log.h"
#include "pipeline/event_stage.h"
#include "pipeline/rules.h"
#include "reports/archive.h"
#include "server/audit_log.h"
#include "server/http_server.h"

namespace yuqing::cli {
namespace {

// How often the server checks the store's rules version for changes made by other processes:
// one small read, so a rule added with the CLI is live within a second.
constexpr std::chrono::milliseconds kRulesCheckInterval{1000};
// How often a server without the event or outbox role checks whether it can take it over.
constexpr std::chrono::seconds kRoleRetryInterval{2};

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
  // The first start of a new database creates the administrator; its password is shown here
  // once and never stored in clear.
  auto first = EnsureFirstAdmin(**rt);
  if (!first.ok()) return Fail(*config, first.status());
  if (*first) {
    std::cerr << (lang == "en"
                      ? fmt::format("created the administrator \"admin\" with password {}  "
                                    "(shown only now: log in and change it)",
                                    **first)
                      : fmt::format("已创建管理员 admin，初始密码 {}（只显示这一次，请登录后修改）",
                                    **first))
              << std::endl;
  }
  auto audit_key = OpenAuditKey(*config);
  if (!audit_key.ok()) return Fail(*config, audit_key.status());
  // Checkpoints at start, every audit.checkpoint_every entries, and at stop (docs/audit.md).
  auto checkpoint = [&, key = *audit_key](bool force) {
    auto head = (*rt)->store->AuditHead();
    auto kept = (*rt)->store->ListAuditCheckpoints();
    if (!head.ok() || !kept.ok() || !*head) return;
    int64_t last = kept->empty() ? 0 : kept->back().size;
    if (!force && (config->audit_checkpoint_every == 0 ||
                   (*head)->seq - last < config->audit_checkpoint_every)) {
      return;
    }
    if (auto c = server::CheckpointHead(*(*rt)->store, *key, (*rt)->clock.Now()); !c.ok()) {
      YQ_LOG_WARN("audit checkpoint: {}", c.status().message());
    }
  };
  if (config->audit_checkpoint_every > 0) checkpoint(true);
  // Posts are matched against the enabled monitoring rules; changes through the API go live
  // at once, changes by another process (`yuqing rules add`) within kRulesCheckInterval.
  pipeline::RuleSync rule_sync(*(*rt)->store, (*rt)->match_normalizer, (*rt)->regions);
  if (auto loaded = rule_sync.Reload(); !loaded.ok()) return Fail(*config, loaded.status());
  (*rt)->ingestor->SetRules(&rule_sync.engine());
  rule_sync.Start(kRulesCheckInterval);
  // The two one-per-database roles — the event stage (analysis, events, alerts) and the outbox
  // deliverer (webhooks, robots, email) — run here unless another process holds them (a long
  // `yuqing ingest` draining its queue, a `yuqing outbox deliver`); a role held elsewhere is
  // taken over as soon as that process lets go of it.
  alerts::AlertNotifier notifier;
  struct Roles {
    std::mutex mu;
    int events_fd = -1;
    int outbox_fd = -1;
    std::unique_ptr<pipeline::EventStage> stage;
    std::unique_ptr<alerts::Deliverer> deliverer;
  } roles;
  auto take_roles = [&](bool announce) -> Status {
    std::lock_guard<std::mutex> lock(roles.mu);
    if (!roles.stage) {
      auto fd = pipeline::AcquireRoleLock(config->db_path, pipeline::WorkerRole::kEvents);
      if (fd.ok()) {
        auto opened = OpenEventStage(**rt, &notifier);
        if (!opened.ok()) {
          ::close(*fd);
          return opened.status();
        }
        roles.events_fd = *fd;
        roles.stage = std::move(opened).value();
        auto st = roles.stage->stats();
        std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsRestored)), st.restored,
                                 st.events)
                  << std::endl;
        roles.stage->Start();
      } else if (announce) {
        std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kEventsElsewhere)),
                                 fd.status().message())
                  << std::endl;
      }
    }
    if (!roles.deliverer) {
      auto fd = pipeline::AcquireRoleLock(config->db_path, pipeline::WorkerRole::kOutbox);
      if (fd.ok()) {
        roles.outbox_fd = *fd;
        auto options = alerts::DelivererOptionsFromConfig(*config);
        store::Store* db = (*rt)->store.get();
        options.attachments = [db](const model::Alert& a) {
          return reports::EmailAttachments(*db, a);
        };
        roles.deliverer =
            std::make_unique<alerts::Deliverer>(*(*rt)->store, (*rt)->clock, notifier, options);
        roles.deliverer->Start();
      } else if (announce) {
        std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kOutboxElsewhere)),
                                 fd.status().message())
                  << std::endl;
      }
    }
    return Status::Ok();
  };
  if (Status s = take_roles(true); !s.ok()) return Fail(*config, s);
  bool stopping = false;
  std::mutex stop_mu;
  std::condition_variable stop_cv;
  std::thread keeper([&] {
    while (true) {
      {
        std::unique_lock<std::mutex> lock(stop_mu);
        if (stop_cv.wait_for(lock, kRoleRetryInterval, [&] { return stopping; })) return;
      }
      checkpoint(false);
      {
        std::lock_guard<std::mutex> lock(roles.mu);
        if (roles.stage && roles.deliverer) continue;
      }
      if (Status s = take_roles(false); !s.ok()) YQ_LOG_ERROR("taking over: {}", s.ToString());
    }
  });
  auto stop_roles = [&] {
    {
      std::lock_guard<std::mutex> lock(stop_mu);
      stopping = true;
    }
    stop_cv.notify_all();
    keeper.join();
    if (roles.stage) roles.stage->Stop();
    if (roles.deliverer) roles.deliverer->Stop();  // waits for a send (≤ alerts.http_timeout_s)
    notifier.Stop();
    if (roles.events_fd >= 0) ::close(roles.events_fd);
    if (roles.outbox_fd >= 0) ::close(roles.outbox_fd);
  };
  if (config->reports_reference_docx.empty()) {
    config->reports_reference_docx = (*rt)->data_dir + "/reports/reference.docx";
  }
  server::HttpServer server(*config, *(*rt)->store, *(*rt)->ingestor, (*rt)->clock, &rule_sync,
                            &notifier);
  server.SetAuditKey(*audit_key);
  server.SetRegions((*rt)->region_tree);
  if (Status s = server.Bind(); !s.ok()) {
    stop_roles();
    return Fail(*config, s);
  }
  // The configured sources' collectors (docs/collect.md), in one process per database.
  collect::HttpFetcher fetcher(FetchOptionsFrom(*config));
  pipeline::IngestSink sink(*(*rt)->ingestor);
  collect::CollectOptions collect_options;
  collect_options.limits.max_text_bytes = static_cast<size_t>(config->max_text_bytes);
  collect::Collector collector(*(*rt)->store, *(*rt)->store, fetcher, sink, (*rt)->clock,
                               collect_options);
  collect::Scheduler scheduler(*(*rt)->store, collector, static_cast<int>(config->collect_threads));
  int collect_fd = -1;
  if (config->collect_threads > 0) {
    auto fd = pipeline::AcquireRoleLock(config->db_path, pipeline::WorkerRole::kCollect);
    if (fd.ok()) {
      collect_fd = *fd;
      scheduler.Start();
    } else {
      std::cerr << Pick(lang, "采集：", "collectors: ") << fd.status().message() << std::endl;
    }
  }
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
  scheduler.Stop();  // waits for runs in flight (each ends within collect.timeout_ms)
  if (collect_fd >= 0) ::close(collect_fd);
  rule_sync.Stop();
  stop_roles();
  if (config->audit_checkpoint_every > 0) checkpoint(true);
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
