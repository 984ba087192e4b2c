// Responsibility routing over HTTP (docs/api.md, "Organisation and routing"): routing an input
// as given, and routing a stored event — suggested from what the event's posts say, decided
// (and audited) by an analyst or coordinator, with the decisions read back.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "server/accounts.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

// Keys of a {"name": count} object whose count is at least `share` of the largest and at
// least `min_count`, most frequent first.
std::vector<std::string> Frequent(const json& counts, double share, int64_t min_count) {
  std::vector<std::pair<std::string, int64_t>> all;
  if (!counts.is_object()) return {};
  for (auto it = counts.begin(); it != counts.end(); ++it) {
    if (it.value().is_number_integer()) all.emplace_back(it.key(), it.value().get<int64_t>());
  }
  std::stable_sort(all.begin(), all.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::vector<std::string> out;
  for (const auto& [k, n] : all) {
    if (n >= min_count && n >= share * static_cast<double>(all.front().second)) out.push_back(k);
  }
  return out;
}

}  // namespace

// The routing input an event suggests (pure: the stored record in, JSON out), in the shape of
// org::RoutingInputFromJson: the regions most of its posts name (a region whose own county or
// district is also named gives way to it), its main domains, its grade, the key-response kinds
// its posts show, and the government bodies they name.
json SuggestedRoutingInput(const model::EventRecord& event) {
  json detail = json::parse(event.detail_json, nullptr, false);
  if (detail.is_discarded()) detail = json::object();
  std::vector<std::string> regions = Frequent(detail.value("regions", json::object()), 0.3, 1);
  if (regions.empty()) regions = event.regions;
  if (regions.size() > 5) regions.resize(5);
  // 长治市 and 潞城区 named together: the event is in 潞城区.
  std::vector<std::string> specific;
  for (const auto& r : regions) {
    std::string prefix = r;
    while (prefix.size() > 2 && prefix.ends_with("00")) prefix.resize(prefix.size() - 2);
    bool has_child = std::any_of(regions.begin(), regions.end(), [&](const std::string& o) {
      return o != r && o.starts_with(prefix);
    });
    if (!has_child) specific.push_back(r);
  }
  std::vector<std::string> domains = {std::string(model::DomainName(event.domain))};
  for (const auto& d : Frequent(detail.value("domains", json::object()), 0.5, 2)) {
    if (d != domains.front() && d != "other") domains.push_back(d);
  }
  if (domains.size() > 1 && domains.front() == "other") domains.erase(domains.begin());
  json j = {{"regions", specific},
            {"domains", domains},
            {"grade", event.grade},
            {"kinds", Frequent(detail.value("kinds", json::object()), 0.2, 2)},
            {"bodies", Frequent(detail.value("gov_mentions", json::object()), 0.2, 2)}};
  return j;
}

void HttpServer::RoutingRoutes() {
  // Routes the input as given; nothing is stored.
  Route("POST", "/api/v1/routing", access::Permission::kRoute,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto input = org::RoutingInputFromJson(*body);
          if (!input.ok())
            return SendError(res, 400, "invalid_routing_input", input.status().message());
          auto router = Router();
          if (!router.ok()) return SendError(res, router.status());
          auto routing = (*router)->Route(*input);
          if (!routing.ok())
            return SendError(res, 400, "invalid_routing_input", routing.status().message());
          SendJson(res, 200,
                   {{"input", org::RoutingInputToJson(*input)},
                    {"routing", org::RoutingToJson(*routing)}});
        });

  // The event's routing decisions (newest first) and what routing suggests now.
  Route("GET", R"(/api/v1/events/(\d{1,18})/routing)", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          store::AuditFilter f;
          f.object_type = "event";
          f.object_id = std::to_string(id);
          f.action_prefix = "routing.";
          f.limit = 100;
          auto decided = store_.ListAudit(f);
          if (!decided.ok()) return SendError(res, decided.status());
          json decisions = json::array();
          for (const auto& d : *decided) {
            json to = json::parse(d.to_json, nullptr, false);
            decisions.push_back({{"audit_seq", d.seq},
                                 {"at", core::FormatIso8601(d.at)},
                                 {"by", d.actor},
                                 {"reason", d.reason},
                                 {"decision", to.is_discarded() ? json(d.to_json) : to}});
          }
          json out = {{"event", id}, {"decisions", std::move(decisions)}};
          json suggested = SuggestedRoutingInput(*e);
          auto input = org::RoutingInputFromJson(suggested);
          auto router = Router();
          if (input.ok() && router.ok()) {
            auto routing = (*router)->Route(*input);
            if (routing.ok()) {
              out["suggestion"] = {{"input", org::RoutingInputToJson(*input)},
                                   {"routing", org::RoutingToJson(*routing)}};
            } else {
              out["suggestion_error"] = routing.status().message();
            }
          } else {
            out["suggestion_error"] = (input.ok() ? router.status() : input.status()).message();
          }
          SendJson(res, 200, out);
        });

  // Decides who must answer for the event: the suggested input with the body's fields
  // replacing it ("regions", "domains", "grade", "kinds", "national_policy", "bodies",
  // "requested_by"), plus "reason". The decision is written to the audit log.
  Route("POST", R"(/api/v1/events/(\d{1,18})/routing)", access::Permission::kDecideRouting,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          json body = json::object();
          if (!req.body.empty()) {
            auto b = JsonObjectBody(req);
            if (!b.ok()) return SendError(res, 400, "invalid_body", b.status().message());
            body = *b;
          }
          std::string reason;
          if (body.contains("reason")) {
            if (!body["reason"].is_string()) {
              return SendError(res, 400, "invalid_body", "field \"reason\": expected a string");
            }
            reason = body["reason"].get<std::string>();
            body.erase("reason");
          }
          int64_t id = PathId(req);
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          json merged = SuggestedRoutingInput(*e);
          for (auto it = body.begin(); it != body.end(); ++it) merged[it.key()] = it.value();
          auto input = org::RoutingInputFromJson(merged);
          if (!input.ok())
            return SendError(res, 400, "invalid_routing_input", input.status().message());
          auto router = Router();
          if (!router.ok()) return SendError(res, router.status());
          auto routing = (*router)->Route(*input);
          if (!routing.ok())
            return SendError(res, 400, "invalid_routing_input", routing.status().message());
          auto stored = store_.GetOrganisation();
          if (!stored.ok()) return SendError(res, stored.status());
          json decision = {{"input", org::RoutingInputToJson(*input)},
                           {"routing", org::RoutingToJson(*routing)},
                           {"organisation_version", *stored ? (*stored)->version : 0}};
          // The decision it replaces, so the log shows from → to.
          store::AuditFilter previous;
          previous.object_type = "event";
          previous.object_id = std::to_string(id);
          previous.action_prefix = "routing.";
          previous.limit = 1;
          auto before = store_.ListAudit(previous);
          if (!before.ok()) return SendError(res, before.status());
          auto entry = store_.AppendAudit(
              Draft(who, clock_.Now(), "routing.decide", "event", std::to_string(id),
                    before->empty() ? "" : before->front().to_json, decision.dump(), reason));
          if (!entry.ok()) return SendError(res, entry.status());
          decision["audit_seq"] = entry->seq;
          SendJson(res, 200, decision);
        });
}

}  // namespace yuqing::server
