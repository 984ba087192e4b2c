// The assessment endpoint (docs/api.md "Cases"): GET /api/v1/assessment?from=&to=&weights=
// &region=&format=csv — the figures departments are assessed by for a period, their weighted
// score and ranking, as JSON or CSV. A leader or coordinator is assessed within its region.
#include <httplib.h>

#include <nlohmann/json.hpp>

#include "server/case_support.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {

void HttpServer::AssessmentRoutes() {
  Route("GET", "/api/v1/assessment", access::Permission::kReadAssessment,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          nlohmann::json params = nlohmann::json::object();
          for (const char* k : {"from", "to", "weights"}) {
            if (req.has_param(k)) params[k] = req.get_param_value(k);
          }
          std::string region = req.has_param("region") ? req.get_param_value("region") : "";
          auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
          if (!narrowed) {
            return SendError(
                res, Status::PermissionDenied("the region asked for is outside your region"));
          }
          params["region"] = *narrowed;
          bool csv = req.has_param("format") && req.get_param_value("format") == "csv";
          std::string lang = req.has_param("lang") ? req.get_param_value("lang") : config_.language;
          auto out = AssessmentReport(store_, params, clock_.Now(), lang, csv);
          if (!out.ok()) return SendError(res, 400, "invalid_query", out.status().message());
          if (csv) {
            res.status = 200;
            res.set_header("Content-Disposition", "attachment; filename=\"assessment.csv\"");
            res.set_content(out->get<std::string>(), "text/csv; charset=utf-8");
            return;
          }
          SendJson(res, 200, *out);
        });

  Route("GET", "/api/v1/assessment/series", access::Permission::kReadAssessment,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          nlohmann::json params = nlohmann::json::object();
          for (const char* k : {"from", "to", "weights", "period", "tz"}) {
            if (req.has_param(k)) params[k] = req.get_param_value(k);
          }
          std::string region = req.has_param("region") ? req.get_param_value("region") : "";
          auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
          if (!narrowed) {
            return SendError(
                res, Status::PermissionDenied("the region asked for is outside your region"));
          }
          params["region"] = *narrowed;
          auto out = AssessmentSeries(store_, params, clock_.Now());
          if (!out.ok()) return SendError(res, 400, "invalid_query", out.status().message());
          SendJson(res, 200, *out);
        });
}

}  // namespace yuqing::server
