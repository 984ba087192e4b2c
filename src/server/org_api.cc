// The organisation and responsibility routing over HTTP (docs/api.md, "Organisation and
// routing"). The organisation is kept as one validated JSON document; every change is checked
// against the region tree, stored with its audit entry, and seen by the next request.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "org/organisation.h"
#include "server/accounts.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

// What the audit log keeps of a whole organisation: enough to tell versions apart and to
// check a copy, without a copy of the document in every entry.
std::string OrgSummary(int64_t version, const std::string& doc, size_t departments) {
  if (doc.empty()) return "";
  return json{{"version", version}, {"departments", departments}, {"sha256", Sha256Hex(doc)}}
      .dump();
}

// The optional expected version of a change: the If-Match header ("7" or "\"7\"").
Result<std::optional<int64_t>> IfMatch(const httplib::Request& req) {
  std::string v = req.get_header_value("If-Match");
  if (v.empty()) return std::optional<int64_t>();
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size() || x < 0) {
    return Status::InvalidArgument(
        fmt::format("header If-Match: \"{}\" is not an organisation version", v));
  }
  return std::optional<int64_t>(x);
}

json WarningsJson(const std::vector<std::string>& warnings) {
  json out = json::array();
  for (const auto& w : warnings) out.push_back(w);
  return out;
}

}  // namespace

Result<std::shared_ptr<const org::Router>> HttpServer::Router() {
  YQ_ASSIGN_OR_RETURN(auto stored, store_.GetOrganisation());
  if (!stored) {
    return Status::NotFound(
        "no organisation is stored yet (yuqing org import FILE, or PUT "
        "/api/v1/org)");
  }
  std::lock_guard<std::mutex> lock(org_mu_);
  if (router_cache_ && org_version_ == stored->version) return router_cache_;
  if (!regions_) return Status::FailedPrecondition("the region gazetteer is not loaded");
  YQ_ASSIGN_OR_RETURN(org::LoadedOrganisation loaded,
                      org::OrganisationFromJson(stored->json, *regions_));
  YQ_ASSIGN_OR_RETURN(org::Router router,
                      org::Router::Create(std::move(loaded.organisation), regions_));
  router_cache_ = std::make_shared<const org::Router>(std::move(router));
  org_version_ = stored->version;
  return router_cache_;
}

Result<std::shared_ptr<const model::Organisation>> HttpServer::Organisation() {
  YQ_ASSIGN_OR_RETURN(std::shared_ptr<const org::Router> router, Router());
  // Shares the router's ownership: the organisation lives as long as the router.
  return std::shared_ptr<const model::Organisation>(router, &router->organisation());
}

void HttpServer::OrgRoutes() {
  Route("GET", "/api/v1/org", access::Permission::kReadOrg,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          auto stored = store_.GetOrganisation();
          if (!stored.ok()) return SendError(res, stored.status());
          if (!*stored) {
            return SendError(res, Status::NotFound("no organisation is stored yet (yuqing org "
                                                   "import FILE, or PUT /api/v1/org)"));
          }
          res.set_header("ETag", fmt::format("\"{}\"", (*stored)->version));
          SendJson(res, 200,
                   {{"version", (*stored)->version},
                    {"updated_at", core::FormatIso8601((*stored)->updated_at)},
                    {"organisation", json::parse((*stored)->json, nullptr, false)}});
        });

  // Replaces the whole organisation: a JSON document (the shape GET returns under
  // "organisation") or, with Content-Type application/toml, the TOML file an office writes.
  // If-Match: VERSION refuses the change when someone else changed it first.
  Route("PUT", "/api/v1/org", access::Permission::kManageOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          if (!regions_) {
            return SendError(res, Status::FailedPrecondition("the region gazetteer is not loaded"));
          }
          auto expected = IfMatch(req);
          if (!expected.ok())
            return SendError(res, 400, "invalid_argument", expected.status().message());
          bool toml = req.get_header_value("Content-Type").starts_with("application/toml");
          auto loaded = toml ? org::OrganisationFromToml(req.body, *regions_)
                             : org::OrganisationFromJson(req.body, *regions_);
          if (!loaded.ok())
            return SendError(res, 400, "invalid_organisation", loaded.status().message());
          auto users = store_.ListUsers();
          if (!users.ok()) return SendError(res, users.status());
          if (Status s = CheckBoundUsers(*users, loaded->organisation); !s.ok()) {
            return SendError(res, s);
          }
          auto before = store_.GetOrganisation();
          if (!before.ok()) return SendError(res, before.status());
          std::string doc = org::OrganisationToJson(loaded->organisation);
          std::string from;
          if (*before) {
            auto old = org::OrganisationFromJson((*before)->json, *regions_);
            from = OrgSummary((*before)->version, (*before)->json,
                              old.ok() ? old->organisation.departments.size() : 0);
          }
          int64_t next = *before ? (*before)->version + 1 : 1;
          std::string reason = req.get_param_value("reason");
          auto version = store_.PutOrganisation(
              doc, *expected,
              Draft(who, clock_.Now(), "org.replace", "organisation", "organisation", from,
                    OrgSummary(next, doc, loaded->organisation.departments.size()), reason));
          if (!version.ok()) return SendError(res, version.status());
          res.set_header("ETag", fmt::format("\"{}\"", *version));
          SendJson(res, 200,
                   {{"version", *version},
                    {"departments", loaded->organisation.departments.size()},
                    {"warnings", WarningsJson(loaded->warnings)}});
        });

  Route("GET", "/api/v1/org/departments", access::Permission::kReadOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          auto o = Organisation();
          if (!o.ok()) return SendError(res, o.status());
          std::string region = req.get_param_value("region");
          std::string kind = req.get_param_value("kind");
          std::string domain = req.get_param_value("domain");
          if (!kind.empty() && !model::ParseDepartmentKind(kind)) {
            return SendError(res, 400, "invalid_argument",
                             fmt::format("parameter \"kind\": \"{}\" is not government, "
                                         "general_office, propaganda or functional",
                                         kind));
          }
          auto d = domain.empty() ? std::nullopt : model::ParseDomain(domain);
          if (!domain.empty() && !d) {
            return SendError(res, 400, "invalid_argument",
                             fmt::format("parameter \"domain\": \"{}\" is not a domain", domain));
          }
          json out = json::array();
          for (const auto& dep : (*o)->departments) {
            if (!region.empty() && dep.region != region) continue;
            if (!kind.empty() && model::DepartmentKindName(dep.kind) != kind) continue;
            if (d && std::find(dep.domains.begin(), dep.domains.end(), *d) == dep.domains.end()) {
              continue;
            }
            out.push_back(org::DepartmentToJson(dep));
          }
          SendJson(res, 200, {{"departments", std::move(out)}});
        });

  Route("GET", "/api/v1/org/departments/([^/]+)", access::Permission::kReadOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          auto o = Organisation();
          if (!o.ok()) return SendError(res, o.status());
          std::string id = req.matches[1].str();
          for (const auto& dep : (*o)->departments) {
            if (dep.id == id) return SendJson(res, 200, org::DepartmentToJson(dep));
          }
          SendError(res, Status::NotFound(fmt::format("no department \"{}\"", id)));
        });

  // Creates or replaces one department (the body is one element of "departments"; its "id"
  // must match the path). If-Match as for PUT /api/v1/org.
  Route("PUT", "/api/v1/org/departments/([^/]+)", access::Permission::kManageOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto expected = IfMatch(req);
          if (!expected.ok())
            return SendError(res, 400, "invalid_argument", expected.status().message());
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          std::string id = req.matches[1].str();
          if (!body->contains("id")) (*body)["id"] = id;
          auto dep = org::DepartmentFromJson(*body);
          if (!dep.ok()) return SendError(res, 400, "invalid_department", dep.status().message());
          if (dep->id != id) {
            return SendError(
                res, 400, "invalid_department",
                fmt::format("field \"id\": \"{}\" differs from the path's \"{}\"", dep->id, id));
          }
          auto stored = store_.GetOrganisation();
          if (!stored.ok()) return SendError(res, stored.status());
          auto o = Organisation();
          if (!o.ok()) return SendError(res, o.status());
          std::string from;
          for (const auto& d : (*o)->departments) {
            if (d.id == id) from = org::DepartmentToJson(d).dump();
          }
          auto next = org::UpsertDepartment(**o, *dep, *regions_);
          if (!next.ok()) return SendError(res, 400, "invalid_department", next.status().message());
          std::string to;
          for (const auto& d : next->organisation.departments) {
            if (d.id == id) to = org::DepartmentToJson(d).dump();
          }
          auto version = store_.PutOrganisation(
              org::OrganisationToJson(next->organisation), expected->value_or((*stored)->version),
              Draft(who, clock_.Now(),
                    from.empty() ? "org.department.create" : "org.department.update", "department",
                    id, from, to, req.get_param_value("reason")));
          if (!version.ok()) return SendError(res, version.status());
          res.set_header("ETag", fmt::format("\"{}\"", *version));
          SendJson(res, 200,
                   {{"version", *version},
                    {"department", json::parse(to)},
                    {"warnings", WarningsJson(next->warnings)}});
        });

  Route("DELETE", "/api/v1/org/departments/([^/]+)", access::Permission::kManageOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto expected = IfMatch(req);
          if (!expected.ok())
            return SendError(res, 400, "invalid_argument", expected.status().message());
          std::string id = req.matches[1].str();
          auto stored = store_.GetOrganisation();
          if (!stored.ok()) return SendError(res, stored.status());
          auto o = Organisation();
          if (!o.ok()) return SendError(res, o.status());
          std::string from;
          for (const auto& d : (*o)->departments) {
            if (d.id == id) from = org::DepartmentToJson(d).dump();
          }
          auto next = org::RemoveDepartment(**o, id, *regions_);
          if (!next.ok()) return SendError(res, next.status());
          auto users = store_.ListUsers();
          if (!users.ok()) return SendError(res, users.status());
          if (Status s = CheckBoundUsers(*users, next->organisation); !s.ok()) {
            return SendError(res, s);
          }
          auto version = store_.PutOrganisation(
              org::OrganisationToJson(next->organisation), expected->value_or((*stored)->version),
              Draft(who, clock_.Now(), "org.department.remove", "department", id, from, "",
                    req.get_param_value("reason")));
          if (!version.ok()) return SendError(res, version.status());
          SendJson(res, 200, {{"version", *version}, {"removed", id}});
        });

  // The region tree: a region and its children (GET /api/v1/regions/000000 for the provinces).
  Route("GET", R"(/api/v1/regions/(\d{6}))", access::Permission::kReadOrg,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal&) {
          if (!regions_) {
            return SendError(res, Status::FailedPrecondition("the region gazetteer is not loaded"));
          }
          std::string code = req.matches[1].str();
          int index = regions_->IndexOf(code);
          if (index < 0) {
            return SendError(
                res, Status::NotFound(fmt::format("\"{}\" is not a GB/T 2260 region code", code)));
          }
          auto region_json = [](const org::RegionTree::Region& r) {
            return json{
                {"code", r.code}, {"name", r.name}, {"level", model::RegionLevelName(r.level)}};
          };
          json children = json::array();
          for (size_t i = 0; i < regions_->size(); ++i) {
            if (regions_->at(static_cast<int>(i)).parent == index) {
              children.push_back(region_json(regions_->at(static_cast<int>(i))));
            }
          }
          json j = region_json(regions_->at(index));
          const auto& r = regions_->at(index);
          j["parent"] = r.parent >= 0 ? json(regions_->at(r.parent).code) : json();
          j["children"] = std::move(children);
          SendJson(res, 200, j);
        });

  RoutingRoutes();
}

}  // namespace yuqing::server
