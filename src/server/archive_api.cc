// The report archive (docs/api.md "Report archive", docs/reports.md "Archive and submission"):
// archived reports listed and downloaded, a report archived now, submitted upward, its
// receipt recorded; and the receipt link of a submission message (/receipts/{token}), which
// needs no account — the token in the message is the proof. A leader or coordinator sees the
// reports of its region only.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>

#include "audit/audit.h"
#include "core/log.h"
#include "core/time.h"
#include "reports/archive.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using json = nlohmann::json;

json SubmissionJson(const model::ReportSubmission& s, const std::vector<model::OutboxItem>& items) {
  json j = {{"id", s.id},
            {"report_id", s.report_id},
            {"to", s.to},
            {"to_name", s.to_name},
            {"state", reports::SubmissionState(s, items)},
            {"queued_at", core::FormatIso8601(s.queued_at)},
            {"sent_at", nullptr},
            {"received_at", s.received_at ? json(core::FormatIso8601(*s.received_at)) : json()},
            {"received_by", s.received_by},
            {"note", s.received_note},
            {"error", ""}};
  for (const auto& i : items) {
    if (i.delivered_at && j["sent_at"].is_null())
      j["sent_at"] = core::FormatIso8601(*i.delivered_at);
    if (!i.last_error.empty() && i.state != model::OutboxState::kDelivered)
      j["error"] = i.last_error;
  }
  return j;
}

bool InScope(const std::optional<std::string>& scope, const model::ArchivedReport& r) {
  return !scope || r.region.starts_with(*scope);
}

Result<int64_t> BodyId(const json& body, const char* key) {
  if (!body.contains(key) || body[key].is_null()) return int64_t{0};
  if (!body[key].is_number_integer() || body[key].get<int64_t>() <= 0) {
    return Status::InvalidArgument(fmt::format("field \"{}\": expected an id", key));
  }
  return body[key].get<int64_t>();
}

std::string BodyString(const json& body, const char* key) {
  return body.contains(key) && body[key].is_string() ? body[key].get<std::string>() : "";
}

constexpr std::string_view kReceiptPage = R"(<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font-family:"Noto Sans CJK SC",sans-serif;max-width:36em;margin:3em auto;padding:0 1em}}
button{{font-size:1.1em;padding:.4em 1.4em}}</style></head>
<body><h1>{heading}</h1><p>{report}</p><p>{state}</p>{form}</body></html>
)";

std::string Escape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

json HttpServer::ArchivedReportJson(const model::ArchivedReport& r) {
  json formats = json::array(), sizes = json::object(), errors = json::object();
  for (const auto& f : r.files) {
    formats.push_back(f.format);
    sizes[f.format] = f.size;
  }
  for (const auto& [format, why] : r.errors) errors[format] = why;
  json subs = json::array();
  auto list = store_.ListSubmissions(r.id);
  if (list.ok()) {
    for (const auto& s : *list) {
      auto items = s.alert_id > 0
                       ? store_.OutboxForAlert(s.alert_id)
                       : Result<std::vector<model::OutboxItem>>(std::vector<model::OutboxItem>{});
      subs.push_back(SubmissionJson(s, items.ok() ? *items : std::vector<model::OutboxItem>{}));
    }
  }
  return {{"id", r.id},
          {"kind", r.kind},
          {"title", r.title},
          {"summary", r.summary},
          {"period_from", core::FormatIso8601(r.period_from)},
          {"period_to", core::FormatIso8601(r.period_to)},
          {"event_id", r.event_id},
          {"case_id", r.case_id},
          {"region", r.region},
          {"year", r.year},
          {"number", r.number},
          {"trigger", r.trigger},
          {"created_at", core::FormatIso8601(r.created_at)},
          {"created_by", r.created_by},
          {"formats", formats},
          {"sizes", sizes},
          {"errors", errors},
          {"submissions", subs}};
}

void HttpServer::ArchiveRoutes() {
  using access::Permission;
  Route("GET", "/api/v1/archive", Permission::kReadReports,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          store::ReportFilter f;
          f.kind = req.get_param_value("kind");
          if (!f.kind.empty() && !reports::ParseKind(f.kind)) {
            return SendError(
                res, 400, "invalid_argument",
                fmt::format("parameter \"kind\": \"{}\" is not a report kind", f.kind));
          }
          for (const char* name : {"limit", "before_id"}) {
            if (!req.has_param(name)) continue;
            std::string v = req.get_param_value(name);
            int64_t n = 0;
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
            if (ec != std::errc() || p != v.data() + v.size() || n < 0 ||
                (std::string_view(name) == "limit" && (n < 1 || n > 500))) {
              return SendError(
                  res, 400, "invalid_argument",
                  fmt::format(
                      "parameter \"{}\": \"{}\" is not {}", name, v,
                      std::string_view(name) == "limit" ? "a number from 1 to 500" : "an id"));
            }
            if (std::string_view(name) == "limit") {
              f.limit = static_cast<int>(n);
            } else {
              f.before_id = n;
            }
          }
          f.region = access::RegionScope(who);
          auto list = store_.ListReports(f);
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& r : *list) out.push_back(ArchivedReportJson(r));
          json next = list->size() == static_cast<size_t>(f.limit) && !list->empty()
                          ? json(list->back().id)
                          : json();
          SendJson(res, 200, {{"reports", out}, {"next_before_id", next}});
        });

  Route("GET", R"(/api/v1/archive/(\d{1,18}))", Permission::kReadReports,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          auto r = store_.GetReport(id);
          if (!r.ok()) return SendError(res, r.status());
          if (!*r || !InScope(access::RegionScope(who), **r)) {
            return SendError(res, Status::NotFound(fmt::format("no report with id {}", id)));
          }
          SendJson(res, 200, ArchivedReportJson(**r));
        });

  Route("GET", R"(/api/v1/archive/(\d{1,18})/file/(html|pdf|docx))", Permission::kReadReports,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          std::string format(req.matches[2]);
          auto r = store_.GetReport(id);
          if (!r.ok()) return SendError(res, r.status());
          if (!*r || !InScope(access::RegionScope(who), **r)) {
            return SendError(res, Status::NotFound(fmt::format("no report with id {}", id)));
          }
          auto file = store_.GetReportFile(id, format);
          if (!file.ok()) return SendError(res, file.status());
          if (!*file) {
            std::string why;
            for (const auto& [f, message] : (*r)->errors) {
              if (f == format) why = ": " + message;
            }
            return SendError(
                res, Status::NotFound(fmt::format("report {} has no {} file{}", id, format, why)));
          }
          auto f = reports::ParseFormat(format);
          std::string name =
              fmt::format("{}-{}-{}.{}", (*r)->kind, (*r)->year, (*r)->number, format);
          if (format == "html") {
            // Shown in the workbench's sandboxed frame: nothing in it may run or load from
            // elsewhere (its charts are inline SVG, its styles inline).
            res.set_header("Content-Security-Policy",
                           "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                           "frame-ancestors 'self'; sandbox");
          } else {
            res.set_header("Content-Disposition", fmt::format("attachment; filename=\"{}\"", name));
          }
          res.status = 200;
          res.set_content((*file)->bytes, std::string(reports::FormatMimeType(*f)));
        });

  Route(
      "POST", "/api/v1/archive", Permission::kSubmitReports,
      [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
        auto body = JsonObjectBody(req);
        if (!body.ok()) return SendError(res, 400, "invalid_argument", body.status().message());
        auto kind = reports::ParseKind(BodyString(*body, "kind"));
        if (!kind) {
          return SendError(res, 400, "invalid_argument",
                           fmt::format("field \"kind\": \"{}\" is not daily, weekly, monthly, "
                                       "flash, event, evaluation or assessment",
                                       BodyString(*body, "kind")));
        }
        if (*kind == reports::Kind::kAssessment &&
            !access::Allowed(who, Permission::kReadAssessment)) {
          return SendError(res, Status::PermissionDenied(
                                    "the assessment notice needs the permission read_assessment"));
        }
        reports::ReportRequest r;
        r.kind = *kind;
        r.date = BodyString(*body, "date");
        r.from = BodyString(*body, "from");
        r.to = BodyString(*body, "to");
        r.time_zone = config_.reports_time_zone;
        r.now = clock_.Now();
        r.date_name = "field \"date\"";
        r.from_name = "field \"from\"";
        r.to_name = "field \"to\"";
        r.event_name = "field \"event\"";
        r.case_name = "field \"case\"";
        auto event_id = BodyId(*body, "event");
        if (!event_id.ok())
          return SendError(res, 400, "invalid_argument", event_id.status().message());
        auto case_id = BodyId(*body, "case");
        if (!case_id.ok())
          return SendError(res, 400, "invalid_argument", case_id.status().message());
        r.event_id = *event_id;
        r.case_id = *case_id;
        if (r.event_id != 0 && (*kind == reports::Kind::kFlash || *kind == reports::Kind::kEvent)) {
          auto e = EventInScope(store_, who, r.event_id);
          if (!e.ok()) return SendError(res, e.status());
        }
        if (*kind == reports::Kind::kEvaluation && r.case_id != 0) {
          auto c = CaseInScope(who, r.case_id);
          if (!c.ok()) return SendError(res, c.status());
        }
        std::string region = BodyString(*body, "region");
        if (region.size() > 6 || region.find_first_not_of("0123456789") != std::string::npos) {
          return SendError(res, 400, "invalid_argument",
                           fmt::format("field \"region\": \"{}\" is not a GB/T 2260 code prefix "
                                       "(up to 6 digits)",
                                       region));
        }
        auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
        if (!narrowed) {
          return SendError(res,
                           Status::PermissionDenied("the region asked for is outside your region"));
        }
        r.region = *narrowed;
        if (!archiver_)
          return SendError(res, 503, "unavailable", "the report archive is not configured");
        auto made = archiver_->Generate(r, "manual", "", {who.name, who.user_id});
        if (!made.ok()) {
          const Status& s = made.status();
          if (s.code() == StatusCode::kInvalidArgument) {
            return SendError(res, 400, "invalid_argument", s.message());
          }
          return SendError(res, s);
        }
        if (alerts_ != nullptr) alerts_->Notify(0);
        SendJson(res, 201, ArchivedReportJson(*made));
      });

  Route("POST", R"(/api/v1/archive/(\d{1,18})/submit)", Permission::kSubmitReports,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          auto r = store_.GetReport(id);
          if (!r.ok()) return SendError(res, r.status());
          if (!*r || !InScope(access::RegionScope(who), **r)) {
            return SendError(res, Status::NotFound(fmt::format("no report with id {}", id)));
          }
          if (!archiver_)
            return SendError(res, 503, "unavailable", "the report archive is not configured");
          auto sub = archiver_->Submit(id, {who.name, who.user_id}, clock_.Now());
          if (!sub.ok()) return SendError(res, sub.status());
          if (alerts_ != nullptr) alerts_->Notify(0);
          auto items = store_.OutboxForAlert(sub->alert_id);
          SendJson(res, 201,
                   SubmissionJson(*sub, items.ok() ? *items : std::vector<model::OutboxItem>{}));
        });

  Route("POST", R"(/api/v1/archive/(\d{1,18})/submissions/(\d{1,18})/receive)",
        Permission::kReceiveReports,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          int64_t sid = PathId(req, 2);
          auto body = req.body.empty() ? Result<json>(json::object()) : JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_argument", body.status().message());
          auto r = store_.GetReport(id);
          if (!r.ok()) return SendError(res, r.status());
          if (!*r || !InScope(access::RegionScope(who), **r)) {
            return SendError(res, Status::NotFound(fmt::format("no report with id {}", id)));
          }
          auto sub = store_.GetSubmission(sid);
          if (!sub.ok()) return SendError(res, sub.status());
          if (!*sub || (*sub)->report_id != id) {
            return SendError(
                res, Status::NotFound(fmt::format("report {} has no submission {}", id, sid)));
          }
          std::string note = BodyString(*body, "note");
          if (note.size() > 2000) {
            return SendError(res, 400, "invalid_argument",
                             "field \"note\": longer than 2000 bytes");
          }
          model::AuditDraft audit;
          audit.at = clock_.Now();
          audit.actor_id = who.user_id;
          audit.actor = who.name;
          audit.action = "report.receive";
          audit.object_type = "report";
          audit.object_id = std::to_string(id);
          audit.to_json = json{{"submission", sid}, {"note", note}}.dump();
          auto marked = store_.MarkSubmissionReceived(sid, who.name, note, audit);
          if (!marked.ok()) return SendError(res, marked.status());
          auto items = store_.OutboxForAlert(marked->alert_id);
          SendJson(res, 200,
                   SubmissionJson(*marked, items.ok() ? *items : std::vector<model::OutboxItem>{}));
        });

  // The receipt link (no account: the token is the proof). GET shows what is confirmed and a
  // button; POST confirms. Both answer a page a person reads.
  auto receipt = [this](const httplib::Request& req, httplib::Response& res, bool confirm) {
    std::string token(req.matches[1]);
    const bool en = req.get_param_value("lang") == "en";
    auto page = [&](int status, std::string_view heading, std::string_view report,
                    std::string_view state, bool form) {
      res.status = status;
      res.set_header("Content-Security-Policy",
                     "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'");
      std::string form_html =
          form ? fmt::format(R"(<form method="post"><button type="submit">{}</button></form>)",
                             en ? "Confirm receipt" : "确认签收")
               : "";
      res.set_content(
          fmt::format(fmt::runtime(kReceiptPage), fmt::arg("title", Escape(heading)),
                      fmt::arg("heading", Escape(heading)), fmt::arg("report", Escape(report)),
                      fmt::arg("state", Escape(state)), fmt::arg("form", form_html)),
          "text/html; charset=utf-8");
    };
    if (!archiver_) return page(503, en ? "Unavailable" : "暂不可用", "", "", false);
    auto sub = token.size() == 32 ? store_.SubmissionByToken(audit::Sha256Hex(token))
                                  : Result<std::optional<model::ReportSubmission>>(std::nullopt);
    if (!sub.ok() || !*sub) {
      return page(404, en ? "Receipt link not valid" : "签收链接无效",
                  en ? "This link names no submission." : "此链接不对应任何报送。", "", false);
    }
    auto report = store_.GetReport((*sub)->report_id);
    std::string title = report.ok() && *report ? (*report)->title : "";
    if (confirm) {
      auto marked = archiver_->ReceiveByToken(token, "", clock_.Now());
      if (!marked.ok())
        return page(500, en ? "Not recorded" : "未能记录", title, marked.status().message(), false);
      sub = Result<std::optional<model::ReportSubmission>>(*marked);
    }
    if ((*sub)->received_at) {
      return page(200, en ? "Received" : "已签收", title,
                  fmt::format("{} {}", en ? "Receipt recorded at" : "签收时间：",
                              core::FormatIso8601(*(*sub)->received_at, 480)),
                  false);
    }
    page(200, en ? "Confirm receipt" : "确认签收", title,
         en ? fmt::format("Submitted to {}.", (*sub)->to_name)
            : fmt::format("报送单位：{}", (*sub)->to_name),
         true);
  };
  http_->Get(
      R"(/receipts/([0-9a-f]{1,64}))",
      [receipt](const httplib::Request& req, httplib::Response& res) { receipt(req, res, false); });
  http_->Post(
      R"(/receipts/([0-9a-f]{1,64}))",
      [receipt](const httplib::Request& req, httplib::Response& res) { receipt(req, res, true); });
}

void HttpServer::ReportLoop() {
  const auto every = std::chrono::seconds(config_.reports_sweep_every_s);
  // The schedule looks at (last look, now]: the last look is kept in the store, so instants
  // passed while the server was down are made up after a restart (the newest few per kind).
  auto last_text = store_.GetMeta("reports.schedule.last");
  core::TimePoint after = clock_.Now();
  if (last_text.ok() && !last_text->empty()) {
    auto t = core::ParseIso8601(*last_text);
    if (t.ok() && *t < after) after = *t;
  }
  while (true) {
    core::TimePoint now = clock_.Now();
    auto swept = archiver_->Sweep(after, now);
    for (const auto& e : swept.errors) YQ_LOG_WARN("reports: {}", e);
    if (swept.generated > 0) {
      YQ_LOG_INFO("reports: {} generated", swept.generated);
      if (alerts_ != nullptr) alerts_->Notify(0);
    }
    if (now > after) {
      after = now;
      (void)store_.SetMeta("reports.schedule.last", core::FormatIso8601(now));
    }
    std::unique_lock<std::mutex> lock(sweep_mu_);
    if (sweep_cv_.wait_for(lock, every, [this] { return stopping_.load(); })) return;
  }
}

}  // namespace yuqing::server
