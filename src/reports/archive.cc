#include "reports/archive.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "audit/audit.h"
#include "cases/deadlines.h"
#include "core/time.h"
#include "reports/gather.h"

namespace yuqing::reports {
namespace {

using json = nlohmann::json;

Result<model::AlertTarget> ParseTarget(const json& t, const std::string& where) {
  if (!t.is_object() || !t.contains("kind") || !t["kind"].is_string() || !t.contains("address") ||
      !t["address"].is_string()) {
    return Status::InvalidArgument(
        fmt::format("{}: expected {{\"kind\", \"address\"}} (kind webhook, wecom, dingtalk, "
                    "feishu or email)",
                    where));
  }
  auto kind = model::ParseTargetKind(t["kind"].get<std::string>());
  if (!kind) {
    return Status::InvalidArgument(
        fmt::format("{}: kind \"{}\" is not webhook, wecom, dingtalk, feishu or email", where,
                    t["kind"].get<std::string>()));
  }
  model::AlertTarget out{*kind, t["address"].get<std::string>(), ""};
  if (out.address.empty()) return Status::InvalidArgument(where + ": the address is empty");
  if (t.contains("secret") && t["secret"].is_string()) out.secret = t["secret"].get<std::string>();
  return out;
}

Result<std::vector<Kind>> ParseKinds(const json& j, const std::string& where) {
  std::vector<Kind> out;
  if (j.is_null()) return out;
  if (!j.is_array()) return Status::InvalidArgument(where + ": expected a list of report kinds");
  for (const json& k : j) {
    auto kind = k.is_string() ? ParseKind(k.get<std::string>()) : std::nullopt;
    if (!kind) {
      return Status::InvalidArgument(
          fmt::format("{}: {} is not a report kind (daily, weekly, monthly, flash, event, "
                      "evaluation, assessment)",
                      where, k.dump()));
    }
    out.push_back(*kind);
  }
  return out;
}

bool Covers(const std::vector<Kind>& kinds, Kind k) {
  return kinds.empty() || std::find(kinds.begin(), kinds.end(), k) != kinds.end();
}

int YearIn(core::TimePoint t, int tz) { return std::stoi(core::FormatIso8601(t, tz).substr(0, 4)); }

}  // namespace

Result<ArchiveOptions> ArchiveOptionsFromConfig(const core::Config& config) {
  ArchiveOptions o;
  o.language = config.language;
  o.time_zone = config.reports_time_zone;
  o.masthead.office = config.reports_office;
  o.masthead.mark = config.reports_mark;
  o.convert.reference_docx = config.reports_reference_docx;
  if (!config.reports_template.empty()) {
    YQ_ASSIGN_OR_RETURN(o.tmpl, Template::Load(config.reports_template));
  }
  o.formats.clear();
  std::string_view list = config.reports_formats;
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    auto f = ParseFormat(name);
    if (!f) {
      return Status::InvalidArgument(
          fmt::format("reports.formats: \"{}\" is not html, pdf or docx", name));
    }
    if (std::find(o.formats.begin(), o.formats.end(), *f) == o.formats.end())
      o.formats.push_back(*f);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  // HTML is always kept: it is what the workbench shows and what links point to.
  if (std::find(o.formats.begin(), o.formats.end(), Format::kHtml) == o.formats.end()) {
    o.formats.insert(o.formats.begin(), Format::kHtml);
  }
  YQ_ASSIGN_OR_RETURN(int tz, cases::ZoneOffsetMinutes(config.reports_time_zone));
  YQ_ASSIGN_OR_RETURN(
      o.schedule, ParseSchedule(config.reports_daily, config.reports_weekly, config.reports_monthly,
                                config.reports_flash != 0, tz));
  o.base_url =
      config.reports_base_url.empty() ? "http://" + config.listen : config.reports_base_url;
  while (!o.base_url.empty() && o.base_url.back() == '/') o.base_url.pop_back();
  if (!config.reports_deliver.empty()) {
    json list_json = json::parse(config.reports_deliver, nullptr, false);
    if (list_json.is_discarded() || !list_json.is_array()) {
      return Status::InvalidArgument(
          "reports.deliver: expected a JSON list of {\"kind\", \"address\", \"secret\", "
          "\"kinds\"}");
    }
    for (size_t i = 0; i < list_json.size(); ++i) {
      std::string where = fmt::format("reports.deliver[{}]", i);
      YQ_ASSIGN_OR_RETURN(model::AlertTarget t, ParseTarget(list_json[i], where));
      YQ_ASSIGN_OR_RETURN(auto kinds, ParseKinds(list_json[i].value("kinds", json()), where));
      o.deliver.push_back({std::move(t), std::move(kinds)});
    }
  }
  if (!config.reports_superior.empty()) {
    json s = json::parse(config.reports_superior, nullptr, false);
    if (s.is_discarded() || !s.is_object() || !s.contains("name") || !s["name"].is_string() ||
        s["name"].get<std::string>().empty()) {
      return Status::InvalidArgument(
          "reports.superior: expected a JSON object {\"name\", \"department\", \"targets\", "
          "\"automatic\"} with a name");
    }
    Superior sup;
    sup.name = s["name"].get<std::string>();
    if (s.contains("department") && s["department"].is_string()) {
      sup.department = s["department"].get<std::string>();
    }
    const json& targets = s.value("targets", json::array());
    if (!targets.is_array() || targets.empty()) {
      return Status::InvalidArgument(
          "reports.superior: \"targets\" must list where "
          "submissions go");
    }
    for (size_t i = 0; i < targets.size(); ++i) {
      YQ_ASSIGN_OR_RETURN(model::AlertTarget t,
                          ParseTarget(targets[i], fmt::format("reports.superior.targets[{}]", i)));
      sup.targets.push_back(std::move(t));
    }
    YQ_ASSIGN_OR_RETURN(sup.automatic, ParseKinds(s.value("automatic", json::array()),
                                                  "reports.superior.automatic"));
    o.superior = std::move(sup);
  }
  return o;
}

std::string SubmissionState(const model::ReportSubmission& s,
                            const std::vector<model::OutboxItem>& items) {
  if (s.received_at) return "received";
  bool any_delivered = false, all_dead = !items.empty();
  for (const auto& i : items) {
    any_delivered |= i.state == model::OutboxState::kDelivered;
    all_dead &= i.state == model::OutboxState::kDead;
  }
  if (any_delivered) return "sent";
  if (all_dead) return "failed";
  return "queued";
}

Result<std::vector<alerts::Attachment>> EmailAttachments(store::ReportStore& store,
                                                         const model::Alert& alert) {
  std::vector<alerts::Attachment> out;
  int64_t id = alerts::ReportIdOf(alert);
  if (id == 0) return out;
  YQ_ASSIGN_OR_RETURN(auto report, store.GetReport(id));
  if (!report) return out;  // nothing to attach; the message still links to the archive
  for (const std::string& format : alerts::ReportAttachments(alert)) {
    auto f = ParseFormat(format);
    if (!f) continue;
    YQ_ASSIGN_OR_RETURN(auto file, store.GetReportFile(id, format));
    if (!file) continue;
    out.push_back(
        {fmt::format("{}-{}年第{}期.{}", report->title, report->year, report->number, format),
         std::string(FormatMimeType(*f)), std::move(file->bytes)});
  }
  return out;
}

Archiver::Archiver(store::Store& store, std::shared_ptr<const org::RegionTree> regions,
                   ArchiveOptions options)
    : store_(store), regions_(std::move(regions)), options_(std::move(options)) {}

Result<model::ArchivedReport> Archiver::Generate(const ReportRequest& request,
                                                 const std::string& trigger,
                                                 const std::string& dedup_key, const Actor& actor) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!dedup_key.empty()) {
    YQ_ASSIGN_OR_RETURN(bool exists, store_.HasReport(dedup_key));
    if (exists) {
      return Status::AlreadyExists(fmt::format("the report \"{}\" is archived already", dedup_key));
    }
  }
  StoreRefs refs{store_, store_, store_, store_, regions_.get()};
  YQ_ASSIGN_OR_RETURN(Report report, MakeReport(refs, request));
  const std::string kind(KindName(report.kind));
  int year = YearIn(request.now, report.tz_minutes);
  YQ_ASSIGN_OR_RETURN(int number, store_.NextReportNumber(kind, year));

  RenderOptions ro;
  ro.masthead = options_.masthead;
  ro.masthead.year = year;
  ro.masthead.number = number;
  ro.base_url = options_.base_url;
  auto checkpoint = CheckpointLine(store_, request.now);
  if (checkpoint.ok()) ro.masthead.checkpoint = *checkpoint;

  model::ArchivedReport meta;
  meta.kind = kind;
  meta.title = report.title + " " + report.period;
  meta.summary = report.summary;
  meta.period_from = report.from;
  meta.period_to = report.to;
  meta.event_id = request.event_id;
  meta.case_id = request.case_id;
  meta.region = request.region;
  meta.year = year;
  meta.number = number;
  meta.trigger = trigger;
  meta.dedup_key = dedup_key;
  meta.created_at = request.now;
  meta.created_by = actor.name;
  std::vector<model::ReportFile> files;
  for (Format f : options_.formats) {
    auto bytes = RenderReport(report, options_.tmpl, ro, f, options_.convert);
    if (!bytes.ok()) {
      // HTML is the report itself; without it there is nothing to keep.
      if (f == Format::kHtml) return bytes.status();
      meta.errors.emplace_back(std::string(FormatName(f)), bytes.status().message());
      continue;
    }
    files.push_back({std::string(FormatName(f)), std::move(bytes).value()});
  }

  // Deliveries: one alert per report, with the targets that take its kind.
  std::vector<model::NewAlert> deliveries;
  std::vector<model::AlertTarget> targets;
  for (const DeliveryTarget& t : options_.deliver) {
    if (Covers(t.kinds, report.kind)) targets.push_back(t.target);
  }
  if (!targets.empty()) {
    model::NewAlert a;
    a.event_id = 0;
    a.policy_id = 0;
    a.level = 4;
    a.created_at = request.now;
    a.title = meta.title;
    a.language = options_.language;
    a.targets = targets;
    a.dedup_key = "report:deliver:";
    json attach = json::array();
    for (const auto& f : files) {
      if (f.format != "html") attach.push_back(f.format);
    }
    a.payload_json = json{
        {"kind", "report"},
        {"report_kind", kind},
        {"report_title", std::string(KindTitleZh(report.kind))},
        {"title", meta.title},
        {"summary", meta.summary},
        {"number", fmt::format("〔{}〕第{}期", year, number)},
        {"link_base", options_.base_url},
        {"attach",
         attach}}.dump();
    deliveries.push_back(std::move(a));
  }

  model::AuditDraft audit;
  audit.at = request.now;
  audit.actor_id = actor.id;
  audit.actor = actor.name;
  audit.action = "report.generate";
  audit.object_type = "report";
  json files_json = json::object();
  for (const auto& f : files) files_json[f.format] = audit::Sha256Hex(f.bytes);
  audit.to_json = json{{"kind", kind}, {"title", meta.title}, {"number", number},
                       {"year", year}, {"trigger", trigger},  {"sha256", files_json}}
                      .dump();
  YQ_ASSIGN_OR_RETURN(model::ArchivedReport stored,
                      store_.PutReport(meta, files, deliveries, audit));
  if (trigger != "manual" && options_.superior &&
      std::find(options_.superior->automatic.begin(), options_.superior->automatic.end(),
                report.kind) != options_.superior->automatic.end()) {
    auto sub = SubmitLocked(stored, actor, request.now);
    if (!sub.ok()) return sub.status().WithContext(fmt::format("report {} archived", stored.id));
  }
  return stored;
}

Result<model::ReportSubmission> Archiver::Submit(int64_t report_id, const Actor& actor,
                                                 core::TimePoint now) {
  std::lock_guard<std::mutex> lock(mu_);
  if (!options_.superior) {
    return Status::FailedPrecondition(
        "no superior office is configured: set reports.superior (docs/reports.md)");
  }
  YQ_ASSIGN_OR_RETURN(auto report, store_.GetReport(report_id));
  if (!report) return Status::NotFound(fmt::format("no report with id {}", report_id));
  return SubmitLocked(*report, actor, now);
}

Result<model::ReportSubmission> Archiver::SubmitLocked(const model::ArchivedReport& report,
                                                       const Actor& actor, core::TimePoint now) {
  const Superior& sup = *options_.superior;
  std::string token = audit::RandomHex(16);
  model::ReportSubmission s;
  s.report_id = report.id;
  s.to = sup.department;
  s.to_name = sup.name;
  s.queued_at = now;
  s.token_sha256 = audit::Sha256Hex(token);
  json attach = json::array();
  for (const auto& f : report.files) {
    if (f.format != "html") attach.push_back(f.format);
  }
  auto kind = ParseKind(report.kind);
  model::NewAlert a;
  a.created_at = now;
  a.title = report.title;
  a.language = options_.language;
  a.targets = sup.targets;
  a.dedup_key = fmt::format("report:{}:submit:", report.id);
  a.payload_json = json{
      {"kind", "report"},
      {"report_id", report.id},
      {"report_kind", report.kind},
      {"report_title", kind ? std::string(KindTitleZh(*kind)) : report.kind},
      {"title", report.title},
      {"summary", report.summary},
      {"number", fmt::format("〔{}〕第{}期", report.year, report.number)},
      {"office", options_.masthead.office},
      {"to_name", sup.name},
      {"link_base", options_.base_url},
      {"receipt", fmt::format("{}/api/v1/receipts/{}", options_.base_url, token)},
      {"attach",
       attach}}.dump();
  model::AuditDraft audit;
  audit.at = now;
  audit.actor_id = actor.id;
  audit.actor = actor.name;
  audit.action = "report.submit";
  audit.object_type = "report";
  audit.to_json = json{{"to", sup.department}, {"to_name", sup.name}}.dump();
  return store_.AddSubmission(s, a, audit);
}

Result<model::ReportSubmission> Archiver::ReceiveByToken(const std::string& token,
                                                         const std::string& note,
                                                         core::TimePoint now) {
  if (token.size() != 32 || token.find_first_not_of("0123456789abcdef") != std::string::npos) {
    return Status::NotFound("this receipt link is not valid");
  }
  YQ_ASSIGN_OR_RETURN(auto sub, store_.SubmissionByToken(audit::Sha256Hex(token)));
  if (!sub) return Status::NotFound("this receipt link is not valid");
  model::AuditDraft audit;
  audit.at = now;
  audit.actor = "receipt link";
  audit.action = "report.receive";
  audit.object_type = "report";
  audit.object_id = std::to_string(sub->report_id);
  audit.to_json = json{{"submission", sub->id}, {"by", sub->to_name}, {"note", note}}.dump();
  return store_.MarkSubmissionReceived(sub->id, "receipt link", note, audit);
}

Archiver::SweepResult Archiver::Sweep(core::TimePoint after, core::TimePoint now) {
  SweepResult out;
  std::vector<DueReport> due = DuePeriodReports(options_.schedule, after, now);
  if (options_.schedule.flash) {
    store::EventQuery q;
    q.max_grade = 2;
    q.from = after - std::chrono::hours(24);
    q.limit = 200;
    auto page = store_.ListEvents(q);
    if (!page.ok()) {
      out.errors.push_back("flash: " + page.status().message());
    } else {
      std::vector<GradedEvent> events;
      for (const auto& e : page->events) events.push_back({e.id, e.grade});
      auto flash = DueFlashReports(options_.schedule, events, now);
      due.insert(due.end(), flash.begin(), flash.end());
    }
  }
  for (const DueReport& d : due) {
    auto exists = store_.HasReport(d.dedup_key);
    if (!exists.ok() || *exists) continue;
    ReportRequest r;
    r.kind = d.kind;
    r.date = d.date;
    r.event_id = d.event_id;
    r.time_zone = options_.time_zone;
    r.now = now;
    auto made = Generate(r, d.kind == Kind::kFlash ? "grade" : "schedule", d.dedup_key, Actor{});
    if (made.ok()) {
      ++out.generated;
    } else if (made.status().code() != StatusCode::kAlreadyExists) {
      out.errors.push_back(d.dedup_key + ": " + made.status().message());
    }
  }
  return out;
}

}  // namespace yuqing::reports
