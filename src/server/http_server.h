// server owns the HTTP API (docs/api.md): authentication and the permission check of every
// endpoint (access::Permission, one per route), ingest, search, monitoring rules, events,
// alerts, accounts, the organisation and routing, the audit log, health, and the
// error-to-HTTP table. It borrows the store, ingestor, clock and rule sync,
// which must outlive it. Run() serves on a thread pool until Stop(); Stop() is safe from any thread
// and lets in-flight requests finish (a batch being written is committed or rolled back whole).
#pragma once

#include <atomic>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "access/access.h"
#include "access/login_limiter.h"
#include "alerts/notifier.h"
#include "audit/audit.h"
#include "cases/service.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "model/org.h"
#include "org/region_tree.h"
#include "org/routing.h"
#include "pipeline/ingest.h"
#include "pipeline/rules.h"
#include "reports/archive.h"
#include "store/store.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

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

  // The key that signs audit checkpoints (POST /api/v1/audit/checkpoints); without one that
  // endpoint answers 503. The region tree (GB/T 2260) checks users' regions and the
  // organisation; without it both are refused. Call before Run().
  void SetAuditKey(std::shared_ptr<const audit::SigningKey> key) { audit_key_ = std::move(key); }
  void SetRegions(std::shared_ptr<const org::RegionTree> regions) {
    regions_ = std::move(regions);
    if (archiver_) archiver_->SetRegions(regions_);
  }

  // One API endpoint and the permission it needs: the route table, in registration order.
  struct Endpoint {
    std::string method;   // "GET", "POST", "PUT", "DELETE"
    std::string pattern;  // the path pattern as registered
    access::Permission permission;
  };
  const std::vector<Endpoint>& endpoints() const { return endpoints_; }
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
  using Handler =
      std::function<void(const httplib::Request&, httplib::Response&, const access::Principal&)>;
  // Registers an endpoint: the request is authenticated, then checked against `permission`
  // (401 / 403 with the reason) before `handler` runs with the principal.
  void Route(const char* method, const std::string& pattern, access::Permission permission,
             Handler handler);
  // The principal of a request's bearer token, or the error to answer with.
  struct AuthResult {
    std::optional<access::Principal> principal;
    int http_status = 401;
    std::string code;
    std::string message;
    std::string secret_hash;  // of the presented token
    std::string secret;       // the presented token itself
    bool by_cookie = false;   // a browser session (the yq_session cookie)
  };
  AuthResult Authenticate(const httplib::Request& req) const;

  void Routes();
  void RuleRoutes();        // rules_api.cc
  void EventRoutes();       // events_api.cc
  void StatsRoutes();       // stats_api.cc: statistics, sources, one post, the post stream
  void AlertRoutes();       // alerts_api.cc
  void AccountRoutes();     // accounts_api.cc
  void OrgRoutes();         // org_api.cc
  void RoutingRoutes();     // routing_api.cc
  void AuditRoutes();       // audit_api.cc
  void CaseRoutes();        // cases_api.cc
  void AssessmentRoutes();  // assessment_api.cc
  void ReportRoutes();      // reports_api.cc
  void ArchiveRoutes();     // archive_api.cc: the report archive, submissions, receipt links
  nlohmann::json ArchivedReportJson(const model::ArchivedReport& report);
  // The report schedule (reports.sweep_every_s): scheduled and flash reports, beside Run().
  void ReportLoop();
  void WebRoutes();  // web.cc: the built workbench at /, registered last
  // The case if `who` may see it (NotFound otherwise, as for a missing case).
  Result<model::Case> CaseInScope(const access::Principal& who, int64_t id);
  // The periodic sweep of cases (cases.sweep_every_s): cases opened from alerts, then the
  // deadline and supervision ladder. Runs beside Run() until Stop().
  void SweepLoop();
  // The stored organisation and its router (built once per version); NotFound before one is
  // stored.
  Result<std::shared_ptr<const org::Router>> Router();
  Result<std::shared_ptr<const model::Organisation>> Organisation();
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
  std::vector<Endpoint> endpoints_;
  std::shared_ptr<const audit::SigningKey> audit_key_;
  std::shared_ptr<const org::RegionTree> regions_;
  std::unique_ptr<cases::CaseService> cases_;
  std::unique_ptr<reports::Archiver> archiver_;  // null when reports.* is wrong (logged)
  // POST /api/v1/posts: the pushed posts' counts on their push sources (http_server.cc).
  Status CountPushed(const std::vector<collect::RawRecord>& records,
                     const std::vector<store::InsertResult>& written);
  std::mutex sweep_mu_;
  std::condition_variable sweep_cv_;
  int64_t sweep_after_alert_ = -1;  // alerts up to this id were looked at for opening cases
  std::mutex org_mu_;
  int64_t org_version_ = -1;  // of org_cache_
  std::shared_ptr<const org::Router> router_cache_;
  std::mutex login_mu_;
  access::LoginLimiter logins_;  // failed logins per user and address (login_mu_)
  std::string host_;
  int port_ = 0;
};

}  // namespace yuqing::server
