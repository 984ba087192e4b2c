// server owns the HTTP API (docs/api.md): authentication, ingest, search, monitoring rules,
// health, and the error-to-HTTP table. It borrows the store, ingestor, clock and rule sync,
// which must outlive it. Run() serves on a thread pool until Stop(); Stop() is safe from any thread
// and lets in-flight requests finish (a batch being written is committed or rolled back whole).
#pragma once

#include <atomic>
#include <memory>
#include <string>

#include "alerts/notifier.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "pipeline/ingest.h"
#include "pipeline/rules.h"
#include "store/store.h"

namespace httplib {
class Server;
}

namespace yuqing::server {

class HttpServer {
 public:
  // `rules` (borrowed, may be null) is reloaded after every rule or list change made through
  // the API, so the change is live when the answer is sent; without it the rules endpoints
  // still store and check rules, and a RuleSync elsewhere picks them up.
  //
  // `alerts` (borrowed, may be null) wakes the live alert streams (GET /api/v1/alerts/stream)
  // when the event stage commits alerts; without it a stream looks for new alerts every
  // second.
  HttpServer(core::Config config, store::Store& store, const pipeline::Ingestor& ingestor,
             const core::Clock& clock, pipeline::RuleSync* rules = nullptr,
             alerts::AlertNotifier* alerts = nullptr);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds config.listen ("host:port"; port 0 picks a free one). InvalidArgument for a bad
  // address, Unavailable if it is taken.
  Status Bind();
  int port() const { return port_; }

  // Serves until Stop(). Returns after in-flight requests are done.
  Status Run();
  void Stop();

 private:
  void Routes();
  void RuleRoutes();   // rules_api.cc
  void EventRoutes();  // events_api.cc
  void AlertRoutes();  // alerts_api.cc
  // Makes a change of rules or lists live (rules_ may be null). Logged, not returned: the
  // change is stored, and the periodic check retries.
  void ReloadRules();

  core::Config config_;
  store::Store& store_;
  const pipeline::Ingestor& ingestor_;
  const core::Clock& clock_;
  pipeline::RuleSync* rules_;
  alerts::AlertNotifier* alerts_;
  std::atomic<bool> stopping_{false};  // set by Stop(): live streams end
  std::atomic<int> streams_{0};        // live alert streams open now
  std::unique_ptr<httplib::Server> http_;
  std::string host_;
  int port_ = 0;
};

}  // namespace yuqing::server
