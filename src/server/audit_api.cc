// The audit log over HTTP (docs/api.md, "Audit"): reading entries and checkpoints, signing a
// checkpoint, verifying the chain.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "server/audit_log.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

// A stored JSON snapshot as JSON when it parses, else as the string it is.
json Snapshot(const std::string& s) {
  if (s.empty()) return nullptr;
  json j = json::parse(s, nullptr, false);
  return j.is_discarded() ? json(s) : j;
}

json EntryJson(const model::AuditEntry& e) {
  return {{"seq", e.seq},
          {"at", core::FormatIso8601(e.at)},
          {"actor_id", e.actor_id},
          {"actor", e.actor},
          {"action", e.action},
          {"object_type", e.object_type},
          {"object_id", e.object_id},
          {"from", Snapshot(e.from_json)},
          {"to", Snapshot(e.to_json)},
          {"reason", e.reason},
          {"prev_hash", e.prev_hash},
          {"hash", e.hash}};
}

json CheckpointJson(const model::AuditCheckpoint& c) {
  return json::parse(audit::CheckpointToJson(c));
}

Status ParseInt64(const httplib::Request& req, const char* name, int64_t lo, int64_t hi,
                  int64_t& out) {
  if (!req.has_param(name)) return Status::Ok();
  std::string v = req.get_param_value(name);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < lo || x > hi) {
    return Status::InvalidArgument(
        fmt::format("parameter \"{}\": \"{}\" is not an integer in {}..{}", name, v, lo, hi));
  }
  out = x;
  return Status::Ok();
}

}  // namespace

void HttpServer::AuditRoutes() {
  Route("GET", "/api/v1/audit", access::Permission::kReadAudit,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          store::AuditFilter f;
          f.object_type = req.get_param_value("object_type");
          f.object_id = req.get_param_value("object_id");
          f.actor = req.get_param_value("actor");
          f.action_prefix = req.get_param_value("action");
          int64_t limit = 50;
          Status s = ParseInt64(req, "limit", 1, 1000, limit);
          if (s.ok()) s = ParseInt64(req, "before", 0, INT64_MAX, f.before_seq);
          if (!s.ok()) return SendError(res, 400, "invalid_argument", s.message());
          f.limit = static_cast<int>(limit);
          for (const char* name : {"from", "to"}) {
            if (!req.has_param(name)) continue;
            auto t = core::ParseIso8601(req.get_param_value(name));
            if (!t.ok()) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("parameter \"{}\": {}", name, t.status().message()));
            }
            (std::string_view(name) == "from" ? f.from : f.to) = *t;
          }
          auto list = store_.ListAudit(f);
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& e : *list) out.push_back(EntryJson(e));
          SendJson(res, 200, {{"entries", std::move(out)}});
        });

  Route("GET", "/api/v1/audit/checkpoints", access::Permission::kReadAudit,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          auto list = store_.ListAuditCheckpoints();
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& c : *list) out.push_back(CheckpointJson(c));
          SendJson(res, 200,
                   {{"public_key", audit_key_ ? json(audit_key_->PublicKeyText()) : json()},
                    {"checkpoints", std::move(out)}});
        });

  Route("POST", "/api/v1/audit/checkpoints", access::Permission::kManageAudit,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          if (!audit_key_) {
            return SendError(res, 503, "unavailable",
                             "this server has no audit signing key (audit.key_file)");
          }
          auto c = CheckpointHead(store_, *audit_key_, clock_.Now());
          if (!c.ok()) return SendError(res, c.status());
          if (!*c) return SendError(res, 409, "failed_precondition", "the audit log is empty");
          SendJson(res, 200, CheckpointJson(**c));
        });

  Route("GET", "/api/v1/audit/verify", access::Permission::kManageAudit,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          audit::VerifyOptions options;
          if (audit_key_) options.trusted_public_keys.push_back(audit_key_->PublicKeyText());
          auto report = VerifyStoredAudit(store_, {}, options);
          if (!report.ok()) return SendError(res, report.status());
          SendJson(res, 200, AuditReportJson(*report));
        });
}

}  // namespace yuqing::server
