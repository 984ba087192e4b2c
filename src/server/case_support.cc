#include "server/case_support.h"

#include <fmt/format.h>

#include <charconv>

#include "cases/policy.h"
#include "core/log.h"
#include "core/time.h"

namespace yuqing::server {

using nlohmann::json;

const std::vector<ActionGroup>& ActionGroups() {
  using P = access::Permission;
  static const std::vector<ActionGroup> kGroups = {
      {P::kJudgeCases, {"judge", "regrade", "set_policy", "new_round", "evaluate"}},
      {P::kAssignCases,
       {"assign", "reassign", "decide_dispute", "add_assist", "merge", "extend", "close", "reopen",
        "finalise_evaluation"}},
      {P::kHandleCases,
       {"accept", "return", "dispute", "hand_up", "draft_response", "follow_up", "add_task",
        "complete_task", "reply_petitioner"}},
      {P::kApproveResponses, {"approve_response", "reject_response"}},
      {P::kSupervise,
       {"open_supervision", "close_supervision", "add_notice", "decide_notice", "record_visit"}},
      {P::kJudgeRumours, {"judge_rumour"}},
      {P::kApproveRumours, {"approve_rumour", "reverse_rumour"}},
  };
  return kGroups;
}

std::optional<access::Permission> ActionPermission(std::string_view action) {
  for (const ActionGroup& g : ActionGroups()) {
    for (auto a : g.actions) {
      if (a == action) return g.permission;
    }
  }
  return std::nullopt;
}

Result<cases::ServiceOptions> CaseOptionsFromConfig(const core::Config& config) {
  cases::ServiceOptions o;
  o.language = config.language;
  if (!config.cases_policy.empty()) {
    auto p = cases::ParsePolicyText(config.cases_policy, o.policy);
    if (!p.ok()) return p.status().WithContext("cases.policy");
    o.policy = *p;
  }
  if (!config.cases_notify.empty()) {
    json list = json::parse(config.cases_notify, nullptr, false);
    if (list.is_discarded() || !list.is_array()) {
      return Status::InvalidArgument(
          "cases.notify: expected a JSON list of {\"kind\", \"address\", \"secret\", \"region\"}");
    }
    for (size_t i = 0; i < list.size(); ++i) {
      const json& t = list[i];
      auto kind = t.is_object() && t.contains("kind") && t["kind"].is_string()
                      ? model::ParseTargetKind(t["kind"].get<std::string>())
                      : std::nullopt;
      if (!kind) {
        return Status::InvalidArgument(fmt::format(
            "cases.notify[{}]: \"kind\" must be webhook, wecom, dingtalk, feishu or email", i));
      }
      if (!t.contains("address") || !t["address"].is_string() ||
          t["address"].get<std::string>().empty()) {
        return Status::InvalidArgument(fmt::format("cases.notify[{}]: \"address\" is required", i));
      }
      cases::NotifyTarget n;
      n.target.kind = *kind;
      n.target.address = t["address"].get<std::string>();
      if (t.contains("secret") && t["secret"].is_string()) n.target.secret = t["secret"];
      if (t.contains("region") && t["region"].is_string()) n.region_prefix = t["region"];
      o.notify.push_back(std::move(n));
    }
  }
  return o;
}

Result<std::optional<model::Case>> OpenCaseOfEvent(store::CaseStore& cases, int64_t event_id) {
  store::CaseFilter f;
  f.event_id = event_id;
  f.open_only = true;
  f.limit = 1;
  YQ_ASSIGN_OR_RETURN(std::vector<model::Case> found, cases.ListCases(f));
  if (found.empty()) return std::optional<model::Case>();
  return std::optional<model::Case>(found.front());
}

Result<cases::OpenRequest> EventOpenRequest(store::Store& store, const org::Router* router,
                                            const model::EventRecord& event,
                                            const cases::ServiceOptions& options, const json& body,
                                            core::TimePoint now) {
  cases::OpenRequest r;
  r.origin = model::CaseOrigin::kEvent;
  r.event_id = event.id;
  r.title = event.title;
  r.grade = event.grade;
  r.region = event.regions.empty() ? "" : event.regions.front();
  r.policy = options.policy;
  // Detection is the event's first alert: the moment the office was told. Without an alert the
  // clock starts now, when a person opens the case.
  store::AlertQuery q;
  q.event_id = event.id;
  q.ascending = true;
  q.limit = 1;
  YQ_ASSIGN_OR_RETURN(std::vector<model::Alert> first, store.ListAlerts(q));
  r.detected_at = first.empty() ? now : std::min(first.front().created_at, now);
  if (router != nullptr) {
    json suggested = SuggestedRoutingInput(event);
    auto input = org::RoutingInputFromJson(suggested);
    if (input.ok()) {
      auto routing = router->Route(*input);
      if (routing.ok()) {
        auto add = [&](const std::string& id) {
          if (id.empty()) return;
          if (std::find(r.suggested_departments.begin(), r.suggested_departments.end(), id) ==
              r.suggested_departments.end()) {
            r.suggested_departments.push_back(id);
          }
        };
        if (routing->lead) add(routing->lead->id);
        for (const auto& p : routing->first_responsible) add(p.id);
        for (const auto& p : routing->co_responding) add(p.id);
        r.handling_region = routing->handling_region;
        if (!input->regions.empty()) r.region = input->regions.front();
        r.routing_json = org::RoutingToJson(*routing).dump();
      }
    }
  }
  if (body.is_object()) {
    if (body.contains("title") && body["title"].is_string()) r.title = body["title"];
    if (body.contains("description") && body["description"].is_string()) {
      r.description = body["description"];
    }
    if (body.contains("grade")) {
      std::optional<int> g;
      if (body["grade"].is_number_integer()) g = body["grade"].get<int>();
      if (body["grade"].is_string()) g = model::ParseGrade(body["grade"].get<std::string>());
      if (!g || *g < 1 || *g > 4) {
        return Status::InvalidArgument("open: field \"grade\" must be I, II, III, IV or 1–4");
      }
      r.grade = *g;
    }
    if (body.contains("policy")) {
      YQ_ASSIGN_OR_RETURN(r.policy, cases::ParsePolicy(body["policy"], r.policy));
    }
  }
  return r;
}

bool CaseVisible(const access::Principal& who, const model::Case& c) {
  if (who.ingest_only()) return false;
  if (*who.role == model::Role::kResponder) {
    for (const auto& a : c.assignments) {
      if (a.department_id == who.department_id) return true;
    }
    return false;
  }
  auto scope = access::RegionScope(who);
  if (!scope) return true;
  std::vector<std::string> regions = {c.region, c.handling_region};
  return access::InRegionScope(scope, regions);
}

bool SeesContact(const access::Principal& who, const model::Case& c) {
  if (who.ingest_only()) return false;
  switch (*who.role) {
    case model::Role::kAdmin:
    case model::Role::kCoordinator:
      return true;
    case model::Role::kResponder:
      for (const auto& a : c.assignments) {
        if (a.active() && a.department_id == who.department_id) return true;
      }
      return false;
    default:
      return false;
  }
}

Result<int64_t> OpenCasesFromAlerts(store::Store& store, cases::CaseService& service,
                                    const org::Router* router, const core::Config& config,
                                    int64_t after_alert, int* opened) {
  std::vector<int64_t> policies;
  std::string_view s = config.cases_open_from_policies;
  while (!s.empty()) {
    size_t comma = s.find(',');
    std::string_view part = s.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    int64_t id = 0;
    auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), id);
    if (ec != std::errc() || p != part.data() + part.size() || id <= 0) {
      return Status::InvalidArgument(fmt::format(
          "cases.open_from_policies: \"{}\" is not an alert policy id", std::string(part)));
    }
    policies.push_back(id);
    if (comma == std::string_view::npos) break;
    s.remove_prefix(comma + 1);
  }
  if (policies.empty()) return after_alert;
  store::AlertQuery q;
  q.after_id = after_alert;
  q.ascending = true;
  q.limit = 500;
  YQ_ASSIGN_OR_RETURN(std::vector<model::Alert> alerts, store.ListAlerts(q));
  int64_t last = after_alert;
  access::Principal system;
  system.name = "system";
  for (const auto& a : alerts) {
    last = std::max(last, a.id);
    if (a.case_id != 0 ||
        std::find(policies.begin(), policies.end(), a.policy_id) == policies.end()) {
      continue;
    }
    auto existing = OpenCaseOfEvent(store, a.event_id);
    if (!existing.ok() || *existing) continue;
    auto event = store.GetEvent(a.event_id);
    if (!event.ok() || !*event) continue;
    auto req =
        EventOpenRequest(store, router, **event, service.options(), json::object(), service.Now());
    if (!req.ok()) {
      YQ_LOG_WARN("cases: alert {} did not open a case: {}", a.id, req.status().ToString());
      continue;
    }
    auto c = service.Open(*req, system);
    if (!c.ok()) {
      YQ_LOG_WARN("cases: alert {} did not open a case: {}", a.id, c.status().ToString());
      continue;
    }
    if (opened) ++*opened;
    YQ_LOG_INFO("cases: alert {} (policy {}) opened case {} for event {}", a.id, a.policy_id, c->id,
                a.event_id);
  }
  return last;
}

}  // namespace yuqing::server
