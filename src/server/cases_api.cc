// The case endpoints (docs/api.md "Cases"): listing and opening cases, one case with its
// clocks and allowed actions, its log, the actions of the workflow (one route per permission:
// the office's, the responder's, the leader's …), the sweep, and pre-decision risk
// assessments. Decisions are made by the cases module; here a request is read, the case's
// visibility checked, and the answer written.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include "cases/case_json.h"
#include "cases/policy.h"
#include "cases/workflow.h"
#include "core/time.h"
#include "server/accounts.h"
#include "server/case_support.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

Status Int64Param(const httplib::Request& req, const char* name, int64_t lo, int64_t hi,
                  int64_t& out) {
  if (!req.has_param(name)) return Status::Ok();
  std::string v = req.get_param_value(name);
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) {
    return Status::InvalidArgument(
        fmt::format("parameter \"{}\": \"{}\" is not an integer from {} to {}", name, v, lo, hi));
  }
  out = n;
  return Status::Ok();
}

Result<store::CaseFilter> ReadCaseFilter(const httplib::Request& req,
                                         const access::Principal& who) {
  store::CaseFilter f;
  if (req.has_param("state")) {
    std::string all = req.get_param_value("state");
    size_t start = 0;
    while (start <= all.size()) {
      size_t comma = all.find(',', start);
      std::string one =
          all.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      auto s = model::ParseCaseState(one);
      if (!s) {
        return Status::InvalidArgument(fmt::format(
            "parameter \"state\": \"{}\" is not a case state (new, judged, assigned, accepted, "
            "responding, responded, following_up, closed, evaluated)",
            one));
      }
      f.states.push_back(*s);
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  if (req.has_param("open")) f.open_only = req.get_param_value("open") == "true";
  if (req.has_param("include_merged")) {
    f.include_merged = req.get_param_value("include_merged") == "true";
  }
  if (req.has_param("department")) f.department_id = req.get_param_value("department");
  if (req.has_param("origin")) {
    auto o = model::ParseCaseOrigin(req.get_param_value("origin"));
    if (!o) {
      return Status::InvalidArgument(
          "parameter \"origin\": expected event, hotline, mailbox or manual");
    }
    f.origin = o;
  }
  if (req.has_param("q")) f.text = req.get_param_value("q");
  YQ_RETURN_IF_ERROR(Int64Param(req, "event", 1, INT64_MAX, f.event_id));
  YQ_RETURN_IF_ERROR(Int64Param(req, "after", 0, INT64_MAX, f.after_id));
  YQ_RETURN_IF_ERROR(Int64Param(req, "before", 0, INT64_MAX, f.before_id));
  int64_t limit = 50;
  YQ_RETURN_IF_ERROR(Int64Param(req, "limit", 1, 1000, limit));
  f.limit = static_cast<int>(limit);
  for (auto [name, field] : {std::pair{"from", &f.created_from}, std::pair{"to", &f.created_to}}) {
    if (!req.has_param(name)) continue;
    auto t = core::ParseIso8601(req.get_param_value(name));
    if (!t.ok()) {
      return Status::InvalidArgument(
          fmt::format("parameter \"{}\": {}", name, t.status().message()));
    }
    *field = *t;
  }
  if (req.has_param("order")) f.descending = req.get_param_value("order") != "oldest";
  std::string region = req.has_param("region") ? req.get_param_value("region") : "";
  // The scope of the asker narrows what is listed: a responder lists its department's cases
  // only, a leader or coordinator those of its region.
  if (who.role && *who.role == model::Role::kResponder) {
    f.department_id = who.department_id;
  }
  auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
  if (!narrowed) {
    f.limit = 0;  // the request lies outside the scope: nothing to list
  } else if (!narrowed->empty()) {
    f.region_prefix = *narrowed;
  }
  return f;
}

json RiskJson(const model::RiskAssessment& r) {
  return {{"id", r.id},
          {"title", r.title},
          {"region", r.region},
          {"department", r.department_id},
          {"decision", r.decision},
          {"risk_level", r.risk_level},
          {"risks", r.risks},
          {"plan", r.plan},
          {"keywords", r.keywords},
          {"event_ids", r.event_ids},
          {"created_by", r.created_by},
          {"created_at", core::FormatIso8601(r.created_at)},
          {"updated_at", core::FormatIso8601(r.updated_at)}};
}

Status ReadRisk(const json& body, model::RiskAssessment& r) {
  auto text = [&](const char* k, std::string& out, bool required, size_t max) -> Status {
    if (!body.contains(k)) {
      return required ? Status::InvalidArgument(fmt::format("field \"{}\" is required", k))
                      : Status::Ok();
    }
    if (!body[k].is_string() || body[k].get<std::string>().size() > max) {
      return Status::InvalidArgument(
          fmt::format("field \"{}\" must be a text of at most {} bytes", k, max));
    }
    out = body[k].get<std::string>();
    if (required && out.empty()) {
      return Status::InvalidArgument(fmt::format("field \"{}\" must not be empty", k));
    }
    return Status::Ok();
  };
  YQ_RETURN_IF_ERROR(text("title", r.title, r.id == 0, 1024));
  YQ_RETURN_IF_ERROR(text("region", r.region, false, 16));
  YQ_RETURN_IF_ERROR(text("department", r.department_id, false, 128));
  YQ_RETURN_IF_ERROR(text("decision", r.decision, r.id == 0, 65536));
  YQ_RETURN_IF_ERROR(text("risks", r.risks, false, 65536));
  YQ_RETURN_IF_ERROR(text("plan", r.plan, r.id == 0, 65536));
  if (body.contains("risk_level")) {
    if (!body["risk_level"].is_number_integer() || body["risk_level"].get<int>() < 1 ||
        body["risk_level"].get<int>() > 3) {
      return Status::InvalidArgument(
          "field \"risk_level\" must be 1 (high), 2 (medium) or 3 (low)");
    }
    r.risk_level = body["risk_level"].get<int>();
  }
  if (body.contains("keywords")) {
    if (!body["keywords"].is_array()) {
      return Status::InvalidArgument("field \"keywords\" must be a list of texts");
    }
    r.keywords.clear();
    for (const auto& k : body["keywords"]) {
      if (!k.is_string() || k.get<std::string>().empty()) {
        return Status::InvalidArgument("field \"keywords\" must hold non-empty texts");
      }
      r.keywords.push_back(k.get<std::string>());
    }
  }
  if (body.contains("event_ids")) {
    if (!body["event_ids"].is_array()) {
      return Status::InvalidArgument("field \"event_ids\" must be a list of event ids");
    }
    r.event_ids.clear();
    for (const auto& k : body["event_ids"]) {
      if (!k.is_number_integer() || k.get<int64_t>() <= 0) {
        return Status::InvalidArgument("field \"event_ids\" must hold event ids");
      }
      r.event_ids.push_back(k.get<int64_t>());
    }
  }
  return Status::Ok();
}

}  // namespace

// The case `id` if `who` may see it; NotFound alike for a missing case and one outside the
// asker's scope, so its existence is not shown either.
Result<model::Case> HttpServer::CaseInScope(const access::Principal& who, int64_t id) {
  YQ_ASSIGN_OR_RETURN(std::optional<model::Case> c, store_.GetCase(id));
  if (!c || !CaseVisible(who, *c)) return Status::NotFound(fmt::format("no case with id {}", id));
  return *c;
}

void HttpServer::CaseRoutes() {
  Route("GET", "/api/v1/cases", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto f = ReadCaseFilter(req, who);
          if (!f.ok()) return SendError(res, 400, "invalid_query", f.status().message());
          json out = {{"cases", json::array()}, {"total", 0}};
          if (f->limit == 0) return SendJson(res, 200, out);
          auto list = store_.ListCases(*f);
          if (!list.ok()) return SendError(res, list.status());
          auto total = store_.CountCases(*f);
          if (!total.ok()) return SendError(res, total.status());
          core::TimePoint now = clock_.Now();
          for (const auto& c : *list) out["cases"].push_back(cases::CaseListJson(c, now));
          out["total"] = *total;
          SendJson(res, 200, out);
        });

  // The board's counts: cases per state under the same filters and scope as the list (the
  // board of 100,000 cases shows its totals without reading them).
  Route("GET", "/api/v1/cases/counts", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto f = ReadCaseFilter(req, who);
          if (!f.ok()) return SendError(res, 400, "invalid_query", f.status().message());
          json by_state = json::object();
          int64_t total = 0;
          const std::vector<model::CaseState> asked = f->states;
          for (int i = 0; i < model::kCaseStateCount; ++i) {
            auto state = static_cast<model::CaseState>(i);
            int64_t n = 0;
            bool wanted =
                asked.empty() || std::find(asked.begin(), asked.end(), state) != asked.end();
            if (f->open_only &&
                (state == model::CaseState::kClosed || state == model::CaseState::kEvaluated)) {
              wanted = false;
            }
            if (wanted && f->limit != 0) {
              store::CaseFilter one = *f;
              one.states = {state};
              auto c = store_.CountCases(one);
              if (!c.ok()) return SendError(res, c.status());
              n = *c;
            }
            by_state[std::string(model::CaseStateName(state))] = n;
            total += n;
          }
          SendJson(res, 200, {{"by_state", std::move(by_state)}, {"total", total}});
        });

  // Opens a case: {"event_id": 7} from an event (routed when an organisation is stored), or
  // {"origin": "hotline"|"mailbox"|"manual", "title", "description", "grade", "region",
  //  "received_at", "petitioner": {"name", "contact", "record_id"}, "policy"}.
  Route("POST", "/api/v1/cases", access::Permission::kOpenCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          core::TimePoint now = clock_.Now();
          cases::OpenRequest open;
          if (body->contains("event_id")) {
            if (!(*body)["event_id"].is_number_integer()) {
              return SendError(res, 400, "invalid_body", "field \"event_id\" must be an event id");
            }
            int64_t event_id = (*body)["event_id"].get<int64_t>();
            auto e = EventInScope(store_, who, event_id);
            if (!e.ok()) return SendError(res, e.status());
            if (!body->value("allow_duplicate", false)) {
              auto existing = OpenCaseOfEvent(store_, event_id);
              if (!existing.ok()) return SendError(res, existing.status());
              if (*existing) {
                return SendError(res, 409, "case_exists",
                                 fmt::format("event {} already has open case {}; work on it, or "
                                             "send \"allow_duplicate\": true",
                                             event_id, (*existing)->id),
                                 {{"case_id", (*existing)->id}});
              }
            }
            auto router = Router();
            auto r = EventOpenRequest(store_, router.ok() ? router->get() : nullptr, *e,
                                      cases_->options(), *body, now);
            if (!r.ok()) return SendError(res, 400, "invalid_case", r.status().message());
            open = std::move(*r);
          } else {
            std::string origin = body->value("origin", "manual");
            auto o = model::ParseCaseOrigin(origin);
            if (!o || *o == model::CaseOrigin::kEvent) {
              return SendError(res, 400, "invalid_case",
                               "field \"origin\" must be hotline, mailbox or manual (a case from "
                               "an event is opened with \"event_id\")");
            }
            open.origin = *o;
            json fields = *body;
            auto str = [&](const char* k) {
              return fields.contains(k) && fields[k].is_string() ? fields[k].get<std::string>()
                                                                 : std::string();
            };
            open.title = str("title");
            open.description = str("description");
            open.region = str("region");
            open.policy = cases_->options().policy;
            if (fields.contains("policy")) {
              auto p = cases::ParsePolicy(fields["policy"], open.policy);
              if (!p.ok()) return SendError(res, 400, "invalid_policy", p.status().message());
              open.policy = *p;
            }
            open.grade = 4;
            if (fields.contains("grade")) {
              std::optional<int> g;
              if (fields["grade"].is_number_integer()) g = fields["grade"].get<int>();
              if (fields["grade"].is_string()) g = model::ParseGrade(str("grade"));
              if (!g) {
                return SendError(res, 400, "invalid_case",
                                 "field \"grade\" must be I, II, III, IV or 1–4");
              }
              open.grade = *g;
            }
            open.detected_at = now;
            if (fields.contains("received_at")) {
              auto t = core::ParseIso8601(str("received_at"));
              if (!t.ok()) {
                return SendError(res, 400, "invalid_case",
                                 fmt::format("field \"received_at\": {}", t.status().message()));
              }
              open.detected_at = *t;
            }
            if (fields.contains("petitioner")) {
              const json& p = fields["petitioner"];
              if (!p.is_object()) {
                return SendError(res, 400, "invalid_case",
                                 "field \"petitioner\" must be an object");
              }
              model::PetitionerContact pc;
              pc.name = p.value("name", "");
              pc.contact = p.value("contact", "");
              pc.record_id = p.value("record_id", "");
              open.petitioner = pc;
            }
            if (!open.region.empty() && regions_ && !regions_->Find(open.region)) {
              return SendError(
                  res, 400, "invalid_case",
                  fmt::format("field \"region\": \"{}\" is not a GB/T 2260 region", open.region));
            }
            // A leader or coordinator opens cases within its region.
            auto scope = access::RegionScope(who);
            std::vector<std::string> regions = {open.region};
            if (scope && !access::InRegionScope(scope, regions)) {
              return SendError(res, Status::PermissionDenied(
                                        fmt::format("region \"{}\" is outside your region \"{}\"",
                                                    open.region, who.region_code)));
            }
          }
          if (body->contains("risk_assessment_id") &&
              (*body)["risk_assessment_id"].is_number_integer()) {
            open.risk_assessment_id = (*body)["risk_assessment_id"].get<int64_t>();
          }
          auto c = cases_->Open(open, who);
          if (!c.ok()) return SendError(res, c.status());
          SendJson(res, 201, cases::CaseJson(*c, clock_.Now(), SeesContact(who, *c)));
        });

  // Runs the deadline and supervision sweep now (the server also runs it every
  // cases.sweep_every_s).
  Route("POST", "/api/v1/cases/sweep", access::Permission::kSweepCases,
        [this](const httplib::Request&, httplib::Response& res, const access::Principal&) {
          auto r = cases_->Sweep();
          if (!r.ok()) return SendError(res, r.status());
          // Wake the deliverer: the notices are in the outbox now, not in 30 s.
          if (r->notices > 0 && alerts_ != nullptr) alerts_->Notify(0);
          SendJson(res, 200,
                   {{"cases", r->cases},
                    {"changed", r->changed},
                    {"notices", r->notices},
                    {"conflicts", r->conflicts},
                    {"errors", r->errors}});
        });

  Route("GET", R"(/api/v1/cases/(\d{1,18}))", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto c = CaseInScope(who, PathId(req));
          if (!c.ok()) return SendError(res, c.status());
          core::TimePoint now = clock_.Now();
          json out = cases::CaseJson(*c, now, SeesContact(who, *c));
          AddCaseAnalysis(store_, *c, now, out);
          res.set_header("ETag", fmt::format("\"{}\"", c->version));
          SendJson(res, 200, out);
        });

  Route("GET", R"(/api/v1/cases/(\d{1,18})/log)", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto c = CaseInScope(who, PathId(req));
          if (!c.ok()) return SendError(res, c.status());
          auto log = store_.CaseLog(c->id);
          if (!log.ok()) return SendError(res, log.status());
          json out = json::array();
          for (const auto& e : *log) out.push_back(cases::LogEntryJson(e, c->policy.time_zone));
          SendJson(res, 200, {{"case", c->id}, {"log", out}});
        });

  // The facts an evaluation starts from (timeline, clocks, verdicts, heat curve), to pre-fill
  // the form; people add the reflections and send them with action "evaluate".
  Route("GET", R"(/api/v1/cases/(\d{1,18})/evaluation/draft)", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto c = CaseInScope(who, PathId(req));
          if (!c.ok()) return SendError(res, c.status());
          auto facts = EvaluationFacts(store_, *c, clock_.Now());
          if (!facts.ok()) return SendError(res, facts.status());
          SendJson(res, 200, {{"case", c->id}, {"facts", *facts}});
        });

  for (const ActionGroup& group : ActionGroups()) {
    std::string alternatives;
    for (auto a : group.actions) {
      if (!alternatives.empty()) alternatives += "|";
      alternatives += a;
    }
    Route(
        "POST", fmt::format(R"(/api/v1/cases/(\d{{1,18}})/({}))", alternatives), group.permission,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          json args = json::object();
          if (!req.body.empty()) {
            auto b = JsonObjectBody(req);
            if (!b.ok()) return SendError(res, 400, "invalid_body", b.status().message());
            args = *b;
          }
          std::string action = req.matches[2];
          auto c = CaseInScope(who, PathId(req));
          if (!c.ok()) return SendError(res, c.status());
          // If-Match: the version the person saw; a change since is refused, not overwritten.
          if (req.has_header("If-Match")) {
            std::string want = fmt::format("\"{}\"", c->version);
            if (req.get_header_value("If-Match") != want) {
              return SendError(
                  res, 412, "case_changed",
                  fmt::format("case {} changed (now version {}): reload it", c->id, c->version));
            }
          }
          if (action == "merge" && args.contains("into") && args["into"].is_number_integer()) {
            auto other = CaseInScope(who, args["into"].get<int64_t>());
            if (!other.ok()) return SendError(res, other.status());
          }
          if (action == "draft_response" && args.contains("text") && args["text"].is_string()) {
            args["figures"] = ExtractFigures(args["text"].get<std::string>());
          }
          if (action == "evaluate" && !args.contains("facts")) {
            auto facts = EvaluationFacts(store_, *c, clock_.Now());
            if (facts.ok()) args["facts"] = *facts;
          }
          auto org = Organisation();
          auto after = cases_->Act(c->id, who, {action, args}, org.ok() ? org->get() : nullptr);
          if (!after.ok()) return SendError(res, after.status());
          core::TimePoint now = clock_.Now();
          json out = cases::CaseJson(*after, now, SeesContact(who, *after));
          res.set_header("ETag", fmt::format("\"{}\"", after->version));
          SendJson(res, 200, out);
        });
  }

  Route("GET", "/api/v1/risk-assessments", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t limit = 50;
          Status s = Int64Param(req, "limit", 1, 1000, limit);
          if (!s.ok()) return SendError(res, 400, "invalid_query", s.message());
          auto list = store_.ListRiskAssessments(access::RegionScope(who), static_cast<int>(limit));
          if (!list.ok()) return SendError(res, list.status());
          json out = json::array();
          for (const auto& r : *list) out.push_back(RiskJson(r));
          SendJson(res, 200, {{"risk_assessments", out}});
        });

  Route("GET", R"(/api/v1/risk-assessments/(\d{1,18}))", access::Permission::kReadCases,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto r = store_.GetRiskAssessment(PathId(req));
          if (!r.ok()) return SendError(res, r.status());
          std::vector<std::string> regions = {*r ? (*r)->region : ""};
          if (!*r || !access::InRegionScope(access::RegionScope(who), regions)) {
            return SendError(
                res, Status::NotFound(fmt::format("no risk assessment with id {}", PathId(req))));
          }
          store::CaseFilter f;
          f.limit = 100;
          json related = json::array();
          for (int64_t e : (*r)->event_ids) {
            f.event_id = e;
            auto cs = store_.ListCases(f);
            if (!cs.ok()) continue;
            for (const auto& c : *cs) {
              if (CaseVisible(who, c)) related.push_back(cases::CaseListJson(c, clock_.Now()));
            }
          }
          json out = RiskJson(**r);
          out["cases"] = std::move(related);
          SendJson(res, 200, out);
        });

  auto put_risk = [this](const httplib::Request& req, httplib::Response& res,
                         const access::Principal& who, int64_t id) {
    auto body = JsonObjectBody(req);
    if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
    model::RiskAssessment r;
    std::string before;
    if (id != 0) {
      auto existing = store_.GetRiskAssessment(id);
      if (!existing.ok()) return SendError(res, existing.status());
      if (!*existing) {
        return SendError(res, Status::NotFound(fmt::format("no risk assessment with id {}", id)));
      }
      r = **existing;
      before = RiskJson(r).dump();
    }
    Status s = ReadRisk(*body, r);
    if (!s.ok()) return SendError(res, 400, "invalid_risk_assessment", s.message());
    std::vector<std::string> regions = {r.region};
    if (!access::InRegionScope(access::RegionScope(who), regions)) {
      return SendError(
          res, Status::PermissionDenied(fmt::format("region \"{}\" is outside your region \"{}\"",
                                                    r.region, who.region_code)));
    }
    core::TimePoint now = clock_.Now();
    if (id == 0) {
      r.created_by = who.name;
      r.created_at = now;
    }
    r.updated_at = now;
    auto stored =
        store_.PutRiskAssessment(r, Draft(who, now, id == 0 ? "risk.create" : "risk.update",
                                          "risk_assessment", id == 0 ? "" : std::to_string(id),
                                          before, RiskJson(r).dump(), body->value("reason", "")));
    if (!stored.ok()) return SendError(res, stored.status());
    SendJson(res, id == 0 ? 201 : 200, RiskJson(*stored));
  };
  Route("POST", "/api/v1/risk-assessments", access::Permission::kManageRiskAssessments,
        [put_risk](const httplib::Request& req, httplib::Response& res,
                   const access::Principal& who) { put_risk(req, res, who, 0); });
  Route("PUT", R"(/api/v1/risk-assessments/(\d{1,18}))", access::Permission::kManageRiskAssessments,
        [put_risk](const httplib::Request& req, httplib::Response& res,
                   const access::Principal& who) { put_risk(req, res, who, PathId(req)); });
}

}  // namespace yuqing::server
