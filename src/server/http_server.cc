#include "server/http_server.h"

#include <fmt/format.h>
#include <httplib.h>
#include <sodium.h>

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "collect/post_json.h"
#include "collect/record_reader.h"
#include "core/log.h"
#include "core/time.h"
#include "rules/query_parser.h"
#include "rules/query_terms.h"
#include "server/auth.h"
#include "server/case_support.h"
#include "server/errors.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

Result<int> IntParam(const httplib::Request& req, const char* name, int fallback) {
  if (!req.has_param(name)) return fallback;
  std::string v = req.get_param_value(name);
  int x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Status::InvalidArgument(
        fmt::format("parameter \"{}\": \"{}\" is not an integer", name, v));
  }
  return x;
}

std::vector<std::string> SplitList(const std::string& v) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= v.size()) {
    size_t comma = v.find(',', start);
    if (comma == std::string::npos) comma = v.size();
    if (comma > start) out.push_back(v.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

HttpServer::HttpServer(core::Config config, store::Store& store, const pipeline::Ingestor& ingestor,
                       const core::Clock& clock, pipeline::RuleSync* rules,
                       alerts::AlertNotifier* alerts)
    : config_(std::move(config)),
      store_(store),
      ingestor_(ingestor),
      clock_(clock),
      rules_(rules),
      alerts_(alerts),
      http_(std::make_unique<httplib::Server>()),
      logins_([&] {
        access::LoginLimits l;
        l.failures_per_user = static_cast<int>(config_.login_failures_per_user);
        l.failures_per_address = static_cast<int>(config_.login_failures_per_address);
        l.window = std::chrono::minutes(config_.login_window_minutes);
        return l;
      }()) {
  auto options = CaseOptionsFromConfig(config_);
  if (!options.ok()) {
    // `yuqing serve` checks the configuration before it gets here; a server built with a bad
    // one keeps working with the default policy and says why.
    YQ_LOG_ERROR("{}; cases use the default deadline policy", options.status().ToString());
  }
  cases_ = std::make_unique<cases::CaseService>(store_, &store_, clock_,
                                                options.ok() ? *options : cases::ServiceOptions{});
  auto archive = reports::ArchiveOptionsFromConfig(config_);
  if (archive.ok()) {
    archiver_ = std::make_unique<reports::Archiver>(store_, regions_, std::move(archive).value());
  } else {
    YQ_LOG_ERROR("{}; the report archive is off", archive.status().ToString());
  }
  Routes();
}

HttpServer::~HttpServer() = default;

Status HttpServer::Bind() {
  const std::string& listen = config_.listen;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("server.listen \"{}\": expected host:port, e.g. 127.0.0.1:8080", listen));
  }
  host_ = listen.substr(0, colon);
  if (host_.size() >= 2 && host_.front() == '[' && host_.back() == ']') {
    host_ = host_.substr(1, host_.size() - 2);
  }
  int port = 0;
  std::string_view ps(listen);
  ps.remove_prefix(colon + 1);
  auto [p, ec] = std::from_chars(ps.data(), ps.data() + ps.size(), port);
  if (ec != std::errc() || p != ps.data() + ps.size() || port < 0 || port > 65535) {
    return Status::InvalidArgument(fmt::format("server.listen \"{}\": bad port", listen));
  }
  if (port == 0) {
    port_ = http_->bind_to_any_port(host_);
    if (port_ <= 0) return Status::Unavailable(fmt::format("cannot listen on {}", listen));
  } else {
    if (!http_->bind_to_port(host_, port)) {
      return Status::Unavailable(
          fmt::format("cannot listen on {} (address in use or not available)", listen));
    }
    port_ = port;
  }
  return Status::Ok();
}

Status HttpServer::Run() {
  std::thread sweeper;
  if (config_.cases_sweep_every_s > 0) sweeper = std::thread([this] { SweepLoop(); });
  std::thread reporter;
  if (config_.reports_sweep_every_s > 0 && archiver_) {
    reporter = std::thread([this] { ReportLoop(); });
  }
  bool ok = http_->listen_after_bind();
  {
    std::lock_guard<std::mutex> lock(sweep_mu_);
    stopping_ = true;
  }
  sweep_cv_.notify_all();
  if (sweeper.joinable()) sweeper.join();
  if (reporter.joinable()) reporter.join();
  if (!ok) {
    return Status::Unavailable(fmt::format("server on {}:{} stopped with an error", host_, port_));
  }
  return Status::Ok();
}

void HttpServer::Stop() {
  {
    std::lock_guard<std::mutex> lock(sweep_mu_);
    stopping_ = true;
  }
  sweep_cv_.notify_all();
  http_->stop();
}

void HttpServer::SweepLoop() {
  const auto every = std::chrono::seconds(config_.cases_sweep_every_s);
  if (sweep_after_alert_ < 0) {
    // Alerts raised before this server started were there for people to see; only new ones
    // open cases automatically.
    store::AlertQuery q;
    q.limit = 1;
    auto newest = store_.ListAlerts(q);
    sweep_after_alert_ = newest.ok() && !newest->empty() ? newest->front().id : 0;
  }
  while (true) {
    {
      std::unique_lock<std::mutex> lock(sweep_mu_);
      if (sweep_cv_.wait_for(lock, every, [this] { return stopping_.load(); })) return;
    }
    auto router = Router();
    int opened = 0;
    auto last = OpenCasesFromAlerts(store_, *cases_, router.ok() ? router->get() : nullptr, config_,
                                    sweep_after_alert_, &opened);
    if (last.ok()) {
      sweep_after_alert_ = *last;
    } else {
      YQ_LOG_WARN("cases: {}", last.status().ToString());
    }
    auto r = cases_->Sweep();
    if (r.ok() && r->notices > 0 && alerts_ != nullptr) alerts_->Notify(0);
    if (!r.ok()) {
      YQ_LOG_WARN("cases sweep: {}", r.status().ToString());
    } else if (r->changed > 0 || !r->errors.empty()) {
      YQ_LOG_INFO("cases sweep: {} due cases, {} changed, {} notices, {} errors", r->cases,
                  r->changed, r->notices, r->errors.size());
    }
  }
}

void HttpServer::Routes() {
  int threads = config_.server_threads;
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  // Bodies a little over the limit are read and refused with 413 (see the error handler).
  http_->set_payload_max_length(static_cast<size_t>(config_.max_request_bytes));
  http_->set_read_timeout(60, 0);

  http_->set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 413) {
      SendError(res, 413, "payload_too_large",
                fmt::format("the request body is larger than {} bytes (ingest.max_request_bytes); "
                            "send smaller batches",
                            config_.max_request_bytes));
    } else if (res.status == 404) {
      SendError(res, 404, "no_such_endpoint",
                fmt::format("no endpoint {} {}", req.method, req.path));
    } else {
      SendError(res, res.status, "http_error", fmt::format("HTTP {}", res.status));
    }
  });
  http_->set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        YQ_LOG_ERROR("request failed: {}", what);
        SendError(res, 500, "internal", "internal error: " + what);
      });

  // Requests to /api/ without any credentials are refused before routing (401 also for paths
  // that do not exist, so the API's shape is not shown to strangers); the route wrapper
  // checks the credentials themselves and the permission.
  http_->set_pre_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!req.path.starts_with("/api/") || req.path == "/api/v1/login") {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    if (!req.get_header_value("Authorization").starts_with("Bearer ") &&
        CookieValue(req, kSessionCookie).empty()) {
      SendError(res, 401, "unauthenticated",
                "missing \"Authorization: Bearer <token>\" (or a session cookie); log in (POST "
                "/api/v1/login) or create a token with `yuqing tokens create NAME --user USER`");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  });

  http_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    auto stats = store_.Stats();
    if (!stats.ok()) {
      SendError(res, stats.status());
      return;
    }
    json body = {
        {"status", "ok"}, {"posts", stats->posts}, {"schema_version", stats->schema_version}};
    // Backlogs an operator watches: posts not yet analysed and placed in events (the event
    // stage is behind or not running), alerts not yet delivered, and dead letters.
    auto queued = store_.QueueLength();
    auto outbox = store_.CountOutbox();
    if (!queued.ok() || !outbox.ok()) {
      SendError(res, queued.ok() ? outbox.status() : queued.status());
      return;
    }
    body["events_queued"] = *queued;
    body["outbox"] = {{"pending", outbox->pending}, {"dead", outbox->dead}};
    if (rules_ != nullptr) {
      body["rules"] = {{"active", rules_->loaded_rules()}, {"version", rules_->loaded_version()}};
    }
    // Sources that are failing or silent (docs/collect.md, "Health"): a coverage gap is a
    // health problem of the system even when every request here succeeds.
    auto sources = store_.ListConfiguredSources();
    if (!sources.ok()) {
      SendError(res, sources.status());
      return;
    }
    json unhealthy = json::array();
    for (const auto& src : *sources) {
      if (src.paused || (src.state.health != model::SourceHealth::kFailing &&
                         src.state.health != model::SourceHealth::kSilent)) {
        continue;
      }
      unhealthy.push_back({{"name", src.name},
                           {"health", model::SourceHealthName(src.state.health)},
                           {"reason", src.state.health_reason},
                           {"last_error_url", src.state.last_error_url}});
    }
    body["sources"] = {{"configured", sources->size()}, {"unhealthy", unhealthy}};
    if (!unhealthy.empty()) body["status"] = "degraded";
    SendJson(res, 200, body);
  });

  Route("POST", "/api/v1/posts", access::Permission::kIngestPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string type = req.get_header_value("Content-Type");
          collect::Format format = collect::Format::kAuto;
          if (type.starts_with("application/x-ndjson") || type.starts_with("application/jsonl")) {
            format = collect::Format::kNdjson;
          } else if (type.starts_with("text/csv")) {
            format = collect::Format::kCsv;
          }
          std::istringstream in(req.body);
          collect::RecordLimits limits;
          limits.max_text_bytes = static_cast<size_t>(config_.max_text_bytes);
          auto reader = collect::RecordReader::Open(in, format, limits);
          if (!reader.ok()) {
            SendError(res, 400, "invalid_body", reader.status().message());
            return;
          }
          std::vector<collect::RawRecord> records;
          std::vector<model::Post> valid;
          std::vector<size_t> valid_index;
          while (true) {
            collect::RawRecord rec;
            auto more = (*reader)->Next(rec);
            if (!more.ok()) {
              SendError(res, 400, "invalid_body", more.status().message());
              return;
            }
            if (!*more) break;
            if (static_cast<int64_t>(records.size()) >= config_.max_batch_records) {
              SendError(
                  res, 413, "too_many_records",
                  fmt::format("more than {} records in one request (ingest.max_batch_records); "
                              "nothing was written; send smaller batches",
                              config_.max_batch_records));
              return;
            }
            if (rec.post.ok()) {
              valid_index.push_back(records.size());
              valid.push_back(rec.post.value());
            }
            records.push_back(std::move(rec));
          }
          std::vector<store::InsertResult> written;
          if (!valid.empty()) {
            auto w = ingestor_.Write(std::move(valid));
            if (!w.ok()) {
              SendError(res, w.status(), {{"written", 0}});
              return;
            }
            written = std::move(w).value();
          }
          json results = json::array();
          int64_t accepted = 0, duplicate = 0, rejected = 0;
          size_t w = 0;
          for (size_t i = 0; i < records.size(); ++i) {
            const auto& rec = records[i];
            json r = {{"index", rec.number}};
            if (rec.line > 0) r["line"] = rec.line;
            if (rec.post.ok()) {
              const auto& out = written[w++];
              r["source"] = rec.post->source;
              r["id"] = rec.post->external_id;
              r["status"] = model::IngestOutcomeName(out.outcome);
              if (out.outcome == model::IngestOutcome::kAccepted) {
                ++accepted;
              } else {
                ++duplicate;
              }
            } else {
              ++rejected;
              r["status"] = "rejected";
              r["error"] = {{"code", "invalid_record"}, {"message", rec.post.status().message()}};
            }
            results.push_back(std::move(r));
          }
          if (Status s = CountPushed(records, written); !s.ok()) {
            YQ_LOG_WARN("push source counts: {}", s.message());  // the posts are stored
          }
          SendJson(res, 200,
                   {{"accepted", accepted},
                    {"duplicate", duplicate},
                    {"rejected", rejected},
                    {"results", std::move(results)}});
        });

  Route("GET", "/api/v1/search", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          store::SearchRequest sr;
          std::optional<pipeline::QueryHighlighter> highlighter;
          std::string q = req.get_param_value("q");
          if (q.find_first_not_of(" \t") != std::string::npos) {
            auto parsed = rules::ParseQuery(q);
            if (!parsed.ok()) {
              SendError(res, 400, "invalid_query", parsed.status().message(),
                        {{"column", ColumnOf(parsed.status().message())}});
              return;
            }
            if (rules_ != nullptr) {
              Status names = rules::ResolveRegionNames(*parsed, rules_->regions());
              if (!names.ok()) {
                SendError(res, 400, "invalid_query", names.message(),
                          {{"column", ColumnOf(names.message())}});
                return;
              }
            }
            rules::FillQueryTerms(*parsed, ingestor_.tokenizer());
            sr.query = std::move(parsed).value();
            // Where the query's words are in each hit: the query matched like a rule. A query
            // that cannot be a rule (a one-character word) is still searched, without them.
            auto h = pipeline::QueryHighlighter::Compile(
                q, rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_));
            if (h.ok()) highlighter = std::move(*h);
          }
          for (const char* name : {"from", "to"}) {
            if (!req.has_param(name)) continue;
            auto t = core::ParseIso8601(req.get_param_value(name));
            if (!t.ok()) {
              SendError(res, 400, "invalid_argument",
                        fmt::format("parameter \"{}\": {}", name, t.status().message()));
              return;
            }
            (std::string_view(name) == "from" ? sr.from : sr.to) = *t;
          }
          for (const auto& c : SplitList(req.get_param_value("channel"))) {
            auto ch = model::ParseChannel(c);
            if (!ch) {
              SendError(res, 400, "invalid_argument",
                        fmt::format("parameter \"channel\": \"{}\" is not one of {}", c,
                                    model::ChannelNamesList()));
              return;
            }
            sr.channels.push_back(*ch);
          }
          sr.sources = SplitList(req.get_param_value("source"));
          // ?rule=7,9: posts with a recorded hit of one of these rules (docs/rules.md).
          for (const auto& r : SplitList(req.get_param_value("rule"))) {
            int64_t id = 0;
            auto [end, ec] = std::from_chars(r.data(), r.data() + r.size(), id);
            if (ec != std::errc() || end != r.data() + r.size() || id <= 0) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("parameter \"rule\": \"{}\" is not a rule id", r));
            }
            auto rule = store_.GetRule(id);
            if (!rule.ok()) return SendError(res, rule.status());
            if (!*rule) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("parameter \"rule\": no rule with id {}", id));
            }
            sr.rule_ids.push_back(id);
          }
          auto region =
              access::NarrowRegion(access::RegionScope(who), req.get_param_value("region"));
          if (!region) {
            return SendJson(res, 200,
                            {{"total", 0},
                             {"total_capped", false},
                             {"limit", 0},
                             {"offset", 0},
                             {"hits", json::array()}});
          }
          sr.region = *region;
          std::string sort = req.has_param("sort") ? req.get_param_value("sort") : "newest";
          if (sort == "relevance") {
            sr.sort = store::SortOrder::kRelevance;
          } else if (sort != "newest") {
            SendError(res, 400, "invalid_argument",
                      fmt::format("parameter \"sort\": \"{}\" is not newest or relevance", sort));
            return;
          }
          auto limit = IntParam(req, "limit", 20);
          auto offset = IntParam(req, "offset", 0);
          if (!limit.ok() || !offset.ok()) {
            SendError(res, !limit.ok() ? limit.status() : offset.status());
            return;
          }
          sr.limit = *limit;
          sr.offset = *offset;
          auto page = store_.Search(sr);
          if (!page.ok()) {
            const std::string& m = page.status().message();
            bool query_error =
                page.status().code() == StatusCode::kInvalidArgument && ColumnOf(m) > 0;
            SendError(res, page.status(),
                      query_error ? json{{"column", ColumnOf(m)}} : json(nullptr));
            return;
          }
          std::vector<int64_t> keys;
          for (const auto& h : page->hits) keys.push_back(h.key);
          auto rule_hits = store_.RuleHitsForPosts(keys);
          if (!rule_hits.ok()) {
            SendError(res, rule_hits.status());
            return;
          }
          json hits = json::array();
          for (const auto& h : page->hits) {
            json j = collect::PostToJson(h.post);
            j["key"] = h.key;
            if (sr.sort == store::SortOrder::kRelevance) j["score"] = h.score;
            json matched = json::array();
            for (const auto& rh : *rule_hits) {
              if (rh.post_key == h.key) matched.push_back(RuleHitJson(rh.hit, rh.rule_name));
            }
            j["rules"] = std::move(matched);
            json highlights = json::array();
            if (highlighter) {
              for (const model::TermHit& t : highlighter->Terms(h.post)) {
                highlights.push_back(
                    {{"field", t.field}, {"begin", t.begin}, {"end", t.end}, {"term", t.term}});
              }
            }
            j["highlights"] = std::move(highlights);
            hits.push_back(std::move(j));
          }
          SendJson(res, 200,
                   {{"total", page->total},
                    {"total_capped", page->total_capped},
                    {"limit", sr.limit},
                    {"offset", sr.offset},
                    {"hits", std::move(hits)}});
        });

  RuleRoutes();
  EventRoutes();
  StatsRoutes();
  AlertRoutes();
  AccountRoutes();
  OrgRoutes();
  AuditRoutes();
  CaseRoutes();
  AssessmentRoutes();
  ReportRoutes();
  ArchiveRoutes();
  WebRoutes();
}

HttpServer::AuthResult HttpServer::Authenticate(const httplib::Request& req) const {
  AuthResult out;
  out.code = "unauthenticated";
  std::string auth = req.get_header_value("Authorization");
  constexpr std::string_view kBearer = "Bearer ";
  if (auth.starts_with(kBearer)) {
    out.secret = auth.substr(kBearer.size());
  } else {
    // A browser session: the cookie is sent by the browser with every request to this site,
    // so a state-changing request must also carry the CSRF token the page was given, which
    // another site cannot read (a GET changes nothing and the stream is read-only).
    out.secret = CookieValue(req, kSessionCookie);
    out.by_cookie = !out.secret.empty();
    if (!out.by_cookie) {
      out.message = "missing \"Authorization: Bearer <token>\" (or a session cookie)";
      return out;
    }
    if (req.method != "GET" && req.method != "HEAD") {
      std::string csrf = req.get_header_value("X-CSRF-Token");
      if (csrf.size() != 32 || sodium_memcmp(csrf.data(), CsrfToken(out.secret).data(), 32) != 0) {
        out.http_status = 403;
        out.code = "csrf_failed";
        out.message =
            "a request with the session cookie must carry the header X-CSRF-Token given at "
            "login (or by GET /api/v1/me); reload the page";
        return out;
      }
    }
  }
  out.secret_hash = HashApiToken(out.secret);
  auto token = store_.FindApiToken(out.secret_hash);
  if (!token.ok()) {
    HttpError e = ToHttpError(token.status().code());
    out.http_status = e.http_status;
    out.code = std::string(e.code);
    out.message = token.status().message();
    return out;
  }
  if (!token->has_value() || (*token)->revoked_at.has_value()) {
    out.message = "the API token is unknown or revoked";
    return out;
  }
  const model::ApiToken& t = **token;
  if (out.by_cookie && !t.expires_at) {
    out.message = "the session cookie does not hold a login session; log in again";
    return out;
  }
  if (t.expires_at && *t.expires_at <= clock_.Now()) {
    out.message = "the session has expired; log in again";
    return out;
  }
  if (t.scope == model::TokenScope::kIngest) {
    out.principal = access::Principal::IngestToken(t.name);
    return out;
  }
  auto user = store_.GetUser(t.user_id);
  if (!user.ok()) {
    HttpError e = ToHttpError(user.status().code());
    out.http_status = e.http_status;
    out.code = std::string(e.code);
    out.message = user.status().message();
    return out;
  }
  if (!user->has_value()) {
    out.message = fmt::format("the user of token \"{}\" no longer exists", t.name);
    return out;
  }
  if ((*user)->disabled) {
    out.message = fmt::format("user \"{}\" is disabled", (*user)->name);
    return out;
  }
  out.principal = access::Principal::ForUser(**user);
  return out;
}

void HttpServer::Route(const char* method, const std::string& pattern,
                       access::Permission permission, Handler handler) {
  endpoints_.push_back({method, pattern, permission});
  auto wrapped = [this, permission, handler = std::move(handler)](const httplib::Request& req,
                                                                  httplib::Response& res) {
    AuthResult auth = Authenticate(req);
    if (!auth.principal) return SendError(res, auth.http_status, auth.code, auth.message);
    const access::Principal& who = *auth.principal;
    if (!access::Allowed(who, permission)) {
      std::string roles;
      for (model::Role r : access::RolesWith(permission)) {
        if (!roles.empty()) roles += ", ";
        roles += model::RoleName(r);
      }
      std::string as = who.role ? fmt::format("role \"{}\"", model::RoleName(*who.role))
                                : std::string("an ingest-only token");
      return SendError(
          res, 403, "permission_denied",
          fmt::format("{} ({}) may not {} {}: it needs permission \"{}\", held by {}", who.name, as,
                      req.method, req.path, access::PermissionName(permission), roles),
          {{"permission", access::PermissionName(permission)}});
    }
    handler(req, res, who);
  };
  std::string m = method;
  if (m == "GET") {
    http_->Get(pattern, wrapped);
  } else if (m == "POST") {
    http_->Post(pattern, wrapped);
  } else if (m == "PUT") {
    http_->Put(pattern, wrapped);
  } else {
    http_->Delete(pattern, wrapped);
  }
}

// Posts pushed under the name of a configured push source count as that source's volume, so
// its health is judged like a fetched source's (docs/collect.md, "push"). Each source's counts
// change in one store transaction (ChangeSourceState), so neither another push nor the
// scheduler's health check loses them.
Status HttpServer::CountPushed(const std::vector<collect::RawRecord>& records,
                               const std::vector<store::InsertResult>& written) {
  std::map<std::string, std::pair<int64_t, int64_t>> by_source;  // accepted, duplicate
  size_t w = 0;
  for (const auto& rec : records) {
    if (!rec.post.ok() || w >= written.size()) continue;
    auto& n = by_source[rec.post->source];
    (written[w++].outcome == model::IngestOutcome::kAccepted ? n.first : n.second) += 1;
  }
  for (const auto& [name, n] : by_source) {
    YQ_ASSIGN_OR_RETURN(auto source, store_.GetSource(name));
    if (!source || source->kind != model::SourceKind::kPush) continue;
    const core::TimePoint now = clock_.Now();
    Status s = store_.ChangeSourceState(
        name, [&, counts = n](const model::Source&, model::SourceState& state) {
          collect::RecordPush(state, now, counts.first, counts.second);
          return std::vector<model::NewAlert>();
        });
    if (s.code() == StatusCode::kNotFound) continue;  // removed since
    YQ_RETURN_IF_ERROR(s);
  }
  return Status::Ok();
}

}  // namespace yuqing::server
