// The early-warning endpoints (docs/api.md, "Alerts"): alert policies, the alerts raised with
// their deliveries, acknowledgement, an operator's retry of a delivery, and the live stream of
// new alerts for the dashboard (server-sent events).
//
// The stream (GET /api/v1/alerts/stream) holds one server thread per client: each pass sends
// the alerts newer than the last one sent, then waits for the AlertNotifier (or half a second)
// and sends a keep-alive comment every 15 s so proxies keep the connection. It ends when the
// client goes away or the server stops. At most half the server threads serve streams, so
// requests are still answered when many dashboards are open.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <thread>

#include "alerts/policy_json.h"
#include "core/log.h"
#include "core/time.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr auto kKeepAlive = std::chrono::seconds(15);
constexpr auto kStreamSlice = std::chrono::milliseconds(500);

// Optional integer parameter; InvalidArgument names it.
Result<std::optional<int64_t>> Int64Param(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return std::optional<int64_t>();
  std::string v = req.get_param_value(name);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < 0) {
    return Status::InvalidArgument(
        fmt::format("parameter \"{}\": \"{}\" is not a non-negative integer", name, v));
  }
  return std::optional<int64_t>(x);
}

json AlertJson(const model::Alert& a) {
  json payload = json::parse(a.payload_json, nullptr, /*allow_exceptions=*/false);
  if (payload.is_discarded()) payload = nullptr;
  json j = {{"id", a.id},
            {"event_id", a.event_id},
            {"policy_id", a.policy_id},
            {"level", a.level},
            {"level_name", alerts::GradeRoman(a.level)},
            {"previous_level", a.previous_level},
            {"escalation", a.previous_level > a.level},
            {"title", a.title},
            {"language", a.language},
            {"created_at", core::FormatIso8601(a.created_at)},
            {"acked_at", a.acked_at ? json(core::FormatIso8601(*a.acked_at)) : json(nullptr)},
            {"acked_by", a.acked_at ? json(a.acked_by) : json(nullptr)},
            {"payload", std::move(payload)}};
  return j;
}

// A target's address without its query (robots carry their access token there).
std::string ShownAddress(const model::AlertTarget& t) {
  if (t.kind == model::TargetKind::kEmail) return t.address;
  size_t q = t.address.find('?');
  return q == std::string::npos ? t.address : t.address.substr(0, q) + "?…";
}

json OutboxJson(const model::OutboxItem& o) {
  bool scheduled = o.state == model::OutboxState::kPending && o.attempts > 0;
  return {
      {"id", o.id},
      {"alert_id", o.alert_id},
      {"kind", model::TargetKindName(o.target.kind)},
      {"address", ShownAddress(o.target)},
      {"idempotency_key", o.idempotency_key},
      {"state", model::OutboxStateName(o.state)},
      {"attempts", o.attempts},
      {"next_attempt_at", scheduled ? json(core::FormatIso8601(o.next_attempt_at)) : json(nullptr)},
      {"last_error", o.last_error},
      {"delivered_at",
       o.delivered_at ? json(core::FormatIso8601(*o.delivered_at)) : json(nullptr)}};
}

void SendInvalidPolicy(httplib::Response& res, const Status& s) {
  SendError(res, 400, "invalid_body", s.message());
}

// NotFound-free check that every rule a policy names exists (a typo would never match).
// Whether a leader or coordinator may see the alert: its event names a region within their
// scope. True for everyone else, and for a missing alert (the caller answers not found).
Result<bool> AlertInScope(store::EventStore& events, const access::Principal& who,
                          const std::optional<model::Alert>& alert) {
  auto scope = access::RegionScope(who);
  if (!scope || scope->empty() || !alert) return true;
  YQ_ASSIGN_OR_RETURN(auto event, events.GetEvent(alert->event_id));
  return event.has_value() && access::InRegionScope(scope, event->regions);
}

Status CheckRuleIds(store::RuleStore& store, const model::AlertPolicy& p) {
  for (size_t i = 0; i < p.rule_ids.size(); ++i) {
    YQ_ASSIGN_OR_RETURN(auto rule, store.GetRule(p.rule_ids[i]));
    if (!rule) {
      return Status::InvalidArgument(
          fmt::format("field \"rule_ids\": no rule with id {}", p.rule_ids[i]));
    }
  }
  return Status::Ok();
}

std::string SseEvent(const model::Alert& a) {
  return fmt::format("id: {}\nevent: alert\ndata: {}\n\n", a.id,
                     AlertJson(a).dump(-1, ' ', false, json::error_handler_t::replace));
}

}  // namespace

void HttpServer::AlertRoutes() {
  Route("GET", "/api/v1/alert-policies", access::Permission::kReadPolicies,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto all = store_.ListAlertPolicies();
          if (!all.ok()) return SendError(res, all.status());
          json out = json::array();
          for (const auto& p : *all) out.push_back(alerts::PolicyToJson(p));
          SendJson(res, 200, {{"policies", std::move(out)}});
        });

  Route("POST", "/api/v1/alert-policies", access::Permission::kManagePolicies,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto policy = alerts::PolicyFromJson(*body);
          if (!policy.ok()) return SendInvalidPolicy(res, policy.status());
          if (Status s = CheckRuleIds(store_, *policy); !s.ok()) {
            return s.code() == StatusCode::kInvalidArgument ? SendInvalidPolicy(res, s)
                                                            : SendError(res, s);
          }
          auto created = store_.CreateAlertPolicy(*policy, clock_.Now());
          if (!created.ok()) return SendError(res, created.status());
          SendJson(res, 201, alerts::PolicyToJson(*created));
        });

  Route("GET", R"(/api/v1/alert-policies/(\d{1,18}))", access::Permission::kReadPolicies,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto p = store_.GetAlertPolicy(PathId(req));
          if (!p.ok()) return SendError(res, p.status());
          if (!*p) {
            return SendError(
                res, Status::NotFound(fmt::format("no alert policy with id {}", PathId(req))));
          }
          SendJson(res, 200, alerts::PolicyToJson(**p));
        });

  Route("PUT", R"(/api/v1/alert-policies/(\d{1,18}))", access::Permission::kManagePolicies,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto current = store_.GetAlertPolicy(PathId(req));
          if (!current.ok()) return SendError(res, current.status());
          if (!*current) {
            return SendError(
                res, Status::NotFound(fmt::format("no alert policy with id {}", PathId(req))));
          }
          model::AlertPolicy policy = **current;
          if (Status s = alerts::ApplyPolicyJson(*body, policy); !s.ok()) {
            return SendInvalidPolicy(res, s);
          }
          if (Status s = CheckRuleIds(store_, policy); !s.ok()) {
            return s.code() == StatusCode::kInvalidArgument ? SendInvalidPolicy(res, s)
                                                            : SendError(res, s);
          }
          auto updated = store_.UpdateAlertPolicy(policy, clock_.Now());
          if (!updated.ok()) return SendError(res, updated.status());
          SendJson(res, 200, alerts::PolicyToJson(*updated));
        });

  Route("DELETE", R"(/api/v1/alert-policies/(\d{1,18}))", access::Permission::kManagePolicies,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          if (Status s = store_.DeleteAlertPolicy(PathId(req)); !s.ok()) {
            return SendError(res, s);
          }
          SendJson(res, 200, {{"id", PathId(req)}, {"deleted", true}});
        });

  Route("GET", "/api/v1/alerts", access::Permission::kReadAlerts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          store::AlertQuery q;
          auto event = Int64Param(req, "event");
          auto policy = Int64Param(req, "policy");
          auto after = Int64Param(req, "after_id");
          auto before = Int64Param(req, "before_id");
          auto limit = Int64Param(req, "limit");
          for (const auto* r : {&event, &policy, &after, &before, &limit}) {
            if (!r->ok()) return SendError(res, r->status());
          }
          q.event_id = *event;
          q.policy_id = *policy;
          q.after_id = after->value_or(0);
          q.before_id = before->value_or(0);
          if (q.after_id > 0 && q.before_id > 0) {
            return SendError(res, Status::InvalidArgument(
                                      "give \"after_id\" (catching up) or \"before_id\" (paging "
                                      "back), not both"));
          }
          if (*limit) {
            if (**limit > 1000) {
              return SendError(res, Status::InvalidArgument(fmt::format(
                                        "parameter \"limit\": {} is over 1000", **limit)));
            }
            q.limit = static_cast<int>(**limit);
          }
          std::string unacked = req.get_param_value("unacked");
          if (unacked == "true" || unacked == "1") {
            q.unacknowledged_only = true;
          } else if (!unacked.empty() && unacked != "false" && unacked != "0") {
            return SendError(res,
                             Status::InvalidArgument(fmt::format(
                                 "parameter \"unacked\": \"{}\" is not true or false", unacked)));
          }
          // After an id the natural order is ascending (catching up); otherwise newest first.
          q.ascending = q.after_id > 0;
          if (auto scope = access::RegionScope(who); scope && !scope->empty()) q.region = *scope;
          auto list = store_.ListAlerts(q);
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& a : *list) out.push_back(AlertJson(a));
          SendJson(res, 200, {{"alerts", std::move(out)}});
        });

  Route("GET", R"(/api/v1/alerts/(\d{1,18}))", access::Permission::kReadAlerts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto a = store_.GetAlert(PathId(req));
          if (!a.ok()) return SendError(res, a.status());
          auto visible = AlertInScope(store_, who, *a);
          if (!visible.ok()) return SendError(res, visible.status());
          if (!*a || !*visible) {
            return SendError(res,
                             Status::NotFound(fmt::format("no alert with id {}", PathId(req))));
          }
          auto items = store_.OutboxForAlert(PathId(req));
          if (!items.ok()) return SendError(res, items.status());
          json j = AlertJson(**a);
          json deliveries = json::array();
          for (const auto& o : *items) deliveries.push_back(OutboxJson(o));
          j["deliveries"] = std::move(deliveries);
          SendJson(res, 200, j);
        });

  Route("POST", R"(/api/v1/alerts/(\d{1,18})/ack)", access::Permission::kAckAlerts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string by;
          if (!req.body.empty()) {
            auto body = JsonObjectBody(req);
            if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
            if (body->contains("by")) {
              const json& v = (*body)["by"];
              if (!v.is_string() || v.get<std::string>().empty() ||
                  v.get<std::string>().size() > 200) {
                return SendError(res, 400, "invalid_body",
                                 "field \"by\": expected the name of who takes the alert over");
              }
              by = v.get<std::string>();
            }
          }
          if (by.empty()) by = who.name;
          {
            auto a = store_.GetAlert(PathId(req));
            if (!a.ok()) return SendError(res, a.status());
            auto visible = AlertInScope(store_, who, *a);
            if (!visible.ok()) return SendError(res, visible.status());
            if (!*a || !*visible) {
              return SendError(res,
                               Status::NotFound(fmt::format("no alert with id {}", PathId(req))));
            }
          }
          auto acked = store_.AcknowledgeAlert(PathId(req), by, clock_.Now());
          if (!acked.ok()) return SendError(res, acked.status());
          SendJson(res, 200, AlertJson(*acked));
        });

  Route("GET", "/api/v1/outbox", access::Permission::kReadOutbox,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::optional<model::OutboxState> state;
          std::string s = req.get_param_value("state");
          for (auto st : {model::OutboxState::kPending, model::OutboxState::kDelivered,
                          model::OutboxState::kDead}) {
            if (s == model::OutboxStateName(st)) state = st;
          }
          if (!s.empty() && !state) {
            return SendError(
                res, Status::InvalidArgument(fmt::format(
                         "parameter \"state\": \"{}\" is not pending, delivered or dead", s)));
          }
          auto limit = Int64Param(req, "limit");
          if (!limit.ok()) return SendError(res, limit.status());
          auto items = store_.ListOutbox(state, static_cast<int>(limit->value_or(50)));
          if (!items.ok()) return SendError(res, items.status());
          auto counts = store_.CountOutbox();
          if (!counts.ok()) return SendError(res, counts.status());
          json out = json::array();
          for (const auto& o : *items) out.push_back(OutboxJson(o));
          SendJson(res, 200,
                   {{"counts",
                     {{"pending", counts->pending},
                      {"delivered", counts->delivered},
                      {"dead", counts->dead}}},
                    {"items", std::move(out)}});
        });

  Route("POST", R"(/api/v1/outbox/(\d{1,18})/retry)", access::Permission::kRetryOutbox,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          if (Status s = store_.RetryOutbox(PathId(req), clock_.Now()); !s.ok()) {
            return SendError(res, s);
          }
          if (alerts_ != nullptr) alerts_->Notify(0);  // wake the deliverer
          SendJson(res, 200, {{"id", PathId(req)}, {"state", "pending"}});
        });

  Route("GET", "/api/v1/alerts/stream", access::Permission::kReadAlerts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::optional<int64_t> after;
          std::string last = req.get_header_value("Last-Event-ID");
          if (!last.empty()) {
            int64_t x = 0;
            auto [p, ec] = std::from_chars(last.data(), last.data() + last.size(), x);
            if (ec != std::errc() || p != last.data() + last.size() || x < 0) {
              return SendError(res, Status::InvalidArgument(fmt::format(
                                        "header Last-Event-ID: \"{}\" is not an alert id", last)));
            }
            after = x;
          } else {
            auto a = Int64Param(req, "after");
            if (!a.ok()) return SendError(res, a.status());
            after = *a;
          }
          if (!after) {
            // Without a position the stream starts with the alerts raised from now on.
            store::AlertQuery newest;
            newest.limit = 1;
            auto top = store_.ListAlerts(newest);
            if (!top.ok()) return SendError(res, top.status());
            after = top->empty() ? 0 : top->front().id;
          }
          int max_streams = std::max(1, config_.server_threads / 2);
          if (streams_.fetch_add(1) >= max_streams) {
            --streams_;
            return SendError(
                res, 503, "too_many_streams",
                fmt::format("{} live alert streams are open, the most this server keeps "
                            "(half of server.threads); try again later",
                            max_streams));
          }
          struct State {
            int64_t after = 0;
            std::optional<std::string> region;  // a leader's or coordinator's scope
            bool started = false;
            std::chrono::steady_clock::time_point last_write;
          };
          auto state = std::make_shared<State>();
          state->after = *after;
          if (auto scope = access::RegionScope(who); scope && !scope->empty())
            state->region = *scope;
          res.set_header("Cache-Control", "no-cache");
          res.set_header("X-Accel-Buffering", "no");  // nginx: do not buffer the stream
          res.set_chunked_content_provider(
              "text/event-stream",
              [this, state](size_t, httplib::DataSink& sink) {
                auto write = [&](const std::string& s) {
                  state->last_write = std::chrono::steady_clock::now();
                  return sink.write(s.data(), s.size());
                };
                if (stopping_) {
                  sink.done();
                  return true;
                }
                if (!state->started) {
                  state->started = true;
                  // "retry": how long a browser's EventSource waits before it reconnects.
                  if (!write(": yuqing alert stream\nretry: 3000\n\n")) return false;
                }
                uint64_t generation = alerts_ != nullptr ? alerts_->generation() : 0;
                store::AlertQuery q;
                q.region = state->region;
                q.after_id = state->after;
                q.ascending = true;
                q.limit = 100;
                auto list = store_.ListAlerts(q);
                if (!list.ok()) {
                  YQ_LOG_WARN("alert stream: {}", list.status().message());
                  sink.done();  // the client reconnects with Last-Event-ID
                  return true;
                }
                for (const auto& a : *list) {
                  if (!write(SseEvent(a))) return false;
                  state->after = a.id;
                }
                if (!list->empty()) return true;
                if (std::chrono::steady_clock::now() - state->last_write >= kKeepAlive) {
                  return write(": keep-alive\n\n");
                }
                if (alerts_ != nullptr) {
                  alerts_->WaitGeneration(generation, kStreamSlice);
                } else {
                  std::this_thread::sleep_for(kStreamSlice);
                }
                return true;
              },
              [this](bool) { --streams_; });
        });
}

}  // namespace yuqing::server
