// The report endpoint (docs/api.md "Reports", docs/reports.md): GET /api/v1/reports/{kind}
// with the period (date, from, to), the event or case, region, masthead fields and
// format=html|pdf|docx. A leader or coordinator reports within its region: the period kinds
// are narrowed like the statistics, an event or case outside the region is answered as
// unknown. The assessment notice also needs read_assessment.
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>

#include "core/time.h"
#include "reports/convert.h"
#include "reports/gather.h"
#include "reports/request.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

Result<int64_t> IdParam(const httplib::Request& req, const char* name) {
  if (!req.has_param(name)) return int64_t{0};
  std::string v = req.get_param_value(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n <= 0) {
    return Status::InvalidArgument(fmt::format("parameter \"{}\": \"{}\" is not an id", name, v));
  }
  return n;
}

}  // namespace

void HttpServer::ReportRoutes() {
  Route(
      "GET", R"(/api/v1/reports/(daily|weekly|monthly|flash|event|evaluation|assessment))",
      access::Permission::kReadReports,
      [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
        auto kind = reports::ParseKind(std::string(req.matches[1]));
        if (!kind) return SendError(res, 404, "not_found", "unknown report kind");
        if (*kind == reports::Kind::kAssessment &&
            !access::Allowed(who, access::Permission::kReadAssessment)) {
          return SendError(res, Status::PermissionDenied(
                                    "the assessment notice needs the permission read_assessment"));
        }
        std::string fmt_name = req.has_param("format") ? req.get_param_value("format") : "html";
        auto format = reports::ParseFormat(fmt_name);
        if (!format) {
          return SendError(
              res, 400, "invalid_argument",
              fmt::format("parameter \"format\": \"{}\" is not html, pdf or docx", fmt_name));
        }
        reports::ReportRequest r;
        r.kind = *kind;
        r.date = req.get_param_value("date");
        r.from = req.get_param_value("from");
        r.to = req.get_param_value("to");
        r.time_zone = req.has_param("tz") ? req.get_param_value("tz") : config_.reports_time_zone;
        r.now = clock_.Now();
        r.date_name = "parameter \"date\"";
        r.from_name = "parameter \"from\"";
        r.to_name = "parameter \"to\"";
        r.event_name = "parameter \"event\"";
        r.case_name = "parameter \"case\"";
        auto event_id = IdParam(req, "event");
        if (!event_id.ok())
          return SendError(res, 400, "invalid_argument", event_id.status().message());
        auto case_id = IdParam(req, "case");
        if (!case_id.ok())
          return SendError(res, 400, "invalid_argument", case_id.status().message());
        r.event_id = *event_id;
        r.case_id = *case_id;
        // Scope: events and cases must be visible to the asker; periods are narrowed.
        if (r.event_id != 0 && (*kind == reports::Kind::kFlash || *kind == reports::Kind::kEvent)) {
          auto e = EventInScope(store_, who, r.event_id);
          if (!e.ok()) return SendError(res, e.status());
        }
        if (*kind == reports::Kind::kEvaluation && r.case_id != 0) {
          auto c = CaseInScope(who, r.case_id);
          if (!c.ok()) return SendError(res, c.status());
        }
        std::string region = req.get_param_value("region");
        if (region.size() > 6 || region.find_first_not_of("0123456789") != std::string::npos) {
          return SendError(res, 400, "invalid_argument",
                           fmt::format("parameter \"region\": \"{}\" is not a GB/T 2260 code "
                                       "prefix (up to 6 digits)",
                                       region));
        }
        auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
        if (!narrowed) {
          return SendError(res,
                           Status::PermissionDenied("the region asked for is outside your region"));
        }
        r.region = *narrowed;
        reports::StoreRefs refs{store_, store_, store_, store_, regions_.get()};
        auto report = reports::MakeReport(refs, r);
        if (!report.ok()) {
          const Status& s = report.status();
          if (s.code() == StatusCode::kInvalidArgument) {
            return SendError(res, 400, "invalid_argument", s.message());
          }
          return SendError(res, s);
        }
        reports::Template tmpl = reports::Template::Default();
        if (!config_.reports_template.empty()) {
          auto loaded = reports::Template::Load(config_.reports_template);
          if (!loaded.ok()) return SendError(res, 500, "template", loaded.status().message());
          tmpl = std::move(*loaded);
        }
        reports::RenderOptions o;
        o.masthead.office = config_.reports_office;
        o.masthead.mark = config_.reports_mark;
        o.masthead.issuer = req.get_param_value("issuer");
        o.masthead.reviewer = req.get_param_value("reviewer");
        if (req.has_param("number")) {
          auto n = IdParam(req, "number");
          if (!n.ok()) return SendError(res, 400, "invalid_argument", n.status().message());
          o.masthead.number = static_cast<int>(std::min<int64_t>(*n, 1000000));
        }
        auto checkpoint = reports::CheckpointLine(store_, r.now);
        if (checkpoint.ok()) o.masthead.checkpoint = *checkpoint;
        reports::ConvertOptions convert;
        convert.reference_docx = config_.reports_reference_docx;
        auto bytes = reports::RenderReport(*report, tmpl, o, *format, convert);
        if (!bytes.ok()) {
          const Status& s = bytes.status();
          if (s.code() == StatusCode::kFailedPrecondition) {
            return SendError(res, 503, "renderer_unavailable", s.message());
          }
          return SendError(res, s);
        }
        std::string name =
            fmt::format("{}-{}.{}", reports::KindName(*kind),
                        core::FormatIso8601(report->from, report->tz_minutes).substr(0, 10),
                        reports::FormatName(*format));
        res.status = 200;
        if (*format != reports::Format::kHtml) {
          res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
        }
        res.set_content(*bytes, std::string(reports::FormatMimeType(*format)));
      });
}

}  // namespace yuqing::server
