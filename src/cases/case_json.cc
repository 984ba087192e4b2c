#include "cases/case_json.h"

#include "cases/deadlines.h"
#include "cases/policy.h"
#include "cases/workflow.h"
#include "model/event.h"

namespace yuqing::cases {
namespace {

using json = nlohmann::json;

json Opt(const std::optional<core::TimePoint>& t, std::string_view zone) {
  return t ? json(FormatInZone(*t, zone)) : json(nullptr);
}

json DeadlineJson(const Deadline& d, std::string_view zone) {
  return {
      {"obligation", model::ObligationName(d.obligation)},
      {"obligation_zh", model::ObligationNameZh(d.obligation)},
      {"start", FormatInZone(d.start, zone)},
      {"due", FormatInZone(d.due, zone)},
      {"remind_at", FormatInZone(d.remind_at, zone)},
      {"met_at", Opt(d.met_at, zone)},
      {"state", ClockStateName(d.state)},
      {"remaining_minutes", std::chrono::duration_cast<std::chrono::minutes>(d.remaining).count()}};
}

}  // namespace

json DeadlinesJson(const model::Case& c, core::TimePoint now) {
  json out = json::array();
  for (const auto& d : Deadlines(c, now)) out.push_back(DeadlineJson(d, c.policy.time_zone));
  return out;
}

json LogEntryJson(const model::CaseLogEntry& e, std::string_view zone) {
  json detail = json::parse(e.detail_json, nullptr, false);
  return {{"seq", e.seq},
          {"at", FormatInZone(e.at, zone)},
          {"actor", e.actor},
          {"action", e.action},
          {"from_state", e.from_state},
          {"to_state", e.to_state},
          {"detail", detail.is_discarded() ? json(e.detail_json) : detail}};
}

json CaseListJson(const model::Case& c, core::TimePoint now) {
  const std::string& zone = c.policy.time_zone;
  const model::Assignment* main = MainAssignment(c);
  json j = {{"id", c.id},
            {"title", c.title},
            {"state", model::CaseStateName(c.state)},
            {"state_zh", model::CaseStateNameZh(c.state)},
            {"grade", model::GradeName(c.grade)},
            {"origin", model::CaseOriginName(c.origin)},
            {"event_id", c.event_id},
            {"region", c.region},
            {"handling_region", c.handling_region},
            {"main_department", main ? main->department_id : ""},
            {"detected_at", FormatInZone(c.detected_at, zone)},
            {"updated_at", FormatInZone(c.updated_at, zone)},
            {"version", c.version}};
  if (c.merged_into) j["merged_into"] = c.merged_into;
  // The clock that needs attention first: an overdue one, else the running one due soonest.
  std::optional<Deadline> urgent;
  for (const auto& d : Deadlines(c, now)) {
    if (d.state != ClockState::kOverdue && d.state != ClockState::kRunning) continue;
    if (!urgent || d.remaining < urgent->remaining) urgent = d;
  }
  j["next_deadline"] = urgent ? DeadlineJson(*urgent, zone) : json(nullptr);
  return j;
}

json CaseJson(const model::Case& c, core::TimePoint now, bool with_contact) {
  const std::string& zone = c.policy.time_zone;
  json j = CaseListJson(c, now);
  j["description"] = c.description;
  j["nature"] = c.nature;
  j["created_at"] = FormatInZone(c.created_at, zone);
  j["created_by"] = c.created_by;
  j["policy"] = PolicyToJson(c.policy);
  j["deadlines"] = DeadlinesJson(c, now);
  json allowed = json::array();
  for (auto a : AllowedActions(c)) allowed.push_back(a);
  j["allowed_actions"] = std::move(allowed);
  j["suggested_departments"] = c.suggested_departments;
  json routing = json::parse(c.routing_json.empty() ? "null" : c.routing_json, nullptr, false);
  j["routing"] = routing.is_discarded() ? json(nullptr) : routing;
  json as = json::array();
  for (const auto& a : c.assignments) {
    as.push_back({{"department", a.department_id},
                  {"role", a.role == model::AssignmentRole::kMain ? "main" : "assist"},
                  {"assigned_at", FormatInZone(a.assigned_at, zone)},
                  {"assigned_by", a.assigned_by},
                  {"accepted_at", Opt(a.accepted_at, zone)},
                  {"accepted_by", a.accepted_by},
                  {"ended_at", Opt(a.ended_at, zone)},
                  {"end_reason", a.end_reason},
                  {"note", a.note},
                  {"active", a.active()}});
  }
  j["assignments"] = std::move(as);
  json ds = json::array();
  for (const auto& d : c.disputes) {
    ds.push_back({{"id", d.id},
                  {"department", d.department_id},
                  {"raised_by", d.raised_by},
                  {"raised_at", FormatInZone(d.raised_at, zone)},
                  {"reason", d.reason},
                  {"suggested_department", d.suggested_department},
                  {"decided_at", Opt(d.decided_at, zone)},
                  {"decided_by", d.decided_by},
                  {"upheld", d.upheld},
                  {"decision", d.decision}});
  }
  j["disputes"] = std::move(ds);
  json hs = json::array();
  for (const auto& h : c.handovers) {
    hs.push_back({{"at", FormatInZone(h.at, zone)},
                  {"by", h.by},
                  {"direction", h.direction},
                  {"from_region", h.from_region},
                  {"to_region", h.to_region},
                  {"department", h.department_id},
                  {"reason", h.reason}});
  }
  j["handovers"] = std::move(hs);
  json rounds = json::array();
  for (const auto& r : c.rounds) {
    rounds.push_back({{"number", r.number},
                      {"opened_at", FormatInZone(r.opened_at, zone)},
                      {"opened_by", r.opened_by},
                      {"reason", r.reason}});
  }
  j["rounds"] = std::move(rounds);
  json rs = json::array();
  for (const auto& r : c.responses) {
    json figures = json::object();
    if (r.figures.deaths) figures["deaths"] = *r.figures.deaths;
    if (r.figures.injured) figures["injured"] = *r.figures.injured;
    if (r.figures.missing) figures["missing"] = *r.figures.missing;
    if (r.figures.loss_yuan) figures["loss_yuan"] = *r.figures.loss_yuan;
    rs.push_back({{"id", r.id},
                  {"department", r.department_id},
                  {"channel", model::ResponseChannelName(r.channel)},
                  {"channel_zh", model::kResponseChannelNamesZh[static_cast<int>(r.channel)]},
                  {"speaker", r.speaker},
                  {"text", r.text},
                  {"attachments", r.attachments},
                  {"author", r.author},
                  {"drafted_at", FormatInZone(r.drafted_at, zone)},
                  {"status", model::ResponseStatusName(r.status)},
                  {"reviewed_by", r.reviewed_by},
                  {"reviewed_at", Opt(r.reviewed_at, zone)},
                  {"review_note", r.review_note},
                  {"published_at", Opt(r.published_at, zone)},
                  {"round", r.round},
                  {"figures", figures}});
  }
  j["responses"] = std::move(rs);
  json ts = json::array();
  for (const auto& t : c.tasks) {
    ts.push_back({{"id", t.id},
                  {"title", t.title},
                  {"owner_department", t.owner_department},
                  {"owner", t.owner},
                  {"due", Opt(t.due_at, zone)},
                  {"created_at", FormatInZone(t.created_at, zone)},
                  {"created_by", t.created_by},
                  {"done_at", Opt(t.done_at, zone)},
                  {"result", t.result}});
  }
  j["tasks"] = std::move(ts);
  json ss = json::array();
  for (const auto& s : c.supervision) {
    ss.push_back({{"id", s.id},
                  {"obligation", s.obligation},
                  {"department", s.department_id},
                  {"owner", s.owner},
                  {"opened_at", FormatInZone(s.opened_at, zone)},
                  {"opened_by", s.opened_by},
                  {"due", Opt(s.due_at, zone)},
                  {"reason", s.reason},
                  {"closed_at", Opt(s.closed_at, zone)},
                  {"closed_by", s.closed_by},
                  {"outcome", s.outcome}});
  }
  j["supervision"] = std::move(ss);
  json ns = json::array();
  for (const auto& n : c.notices) {
    ns.push_back({{"id", n.id},
                  {"kind", model::NoticeKindName(n.kind)},
                  {"department", n.department_id},
                  {"text", n.text},
                  {"at", FormatInZone(n.at, zone)},
                  {"by", n.by},
                  {"status", n.status},
                  {"decided_by", n.decided_by},
                  {"decided_at", Opt(n.decided_at, zone)}});
  }
  j["notices"] = std::move(ns);
  json rumours = json::array();
  for (const auto& r : c.rumours) {
    rumours.push_back({{"id", r.id},
                       {"claim", r.claim},
                       {"evidence", r.evidence},
                       {"hand_to", r.hand_to},
                       {"judged_by", r.judged_by},
                       {"judged_at", FormatInZone(r.judged_at, zone)},
                       {"judgment", r.judgment},
                       {"status", r.status},
                       {"approved_by", r.approved_by},
                       {"approved_at", Opt(r.approved_at, zone)},
                       {"reversed_by", r.reversed_by},
                       {"reversed_at", Opt(r.reversed_at, zone)},
                       {"reverse_reason", r.reverse_reason}});
  }
  j["rumours"] = std::move(rumours);
  if (c.petitioner) {
    const auto& p = *c.petitioner;
    json pj = {{"record_id", p.record_id},
               {"replied_at", Opt(p.replied_at, zone)},
               {"replied_by", p.replied_by},
               {"reply", p.reply},
               {"visited_at", Opt(p.visited_at, zone)},
               {"satisfaction", p.satisfaction}};
    if (with_contact) {
      pj["name"] = p.name;
      pj["contact"] = p.contact;
    }
    j["petitioner"] = std::move(pj);
  } else {
    j["petitioner"] = nullptr;
  }
  json ext = json::array();
  for (auto t : c.extensions) ext.push_back(FormatInZone(t, zone));
  j["extensions"] = std::move(ext);
  j["extended_days"] = c.extended_by.count() / (24 * 60);
  if (c.evaluation) {
    const auto& e = *c.evaluation;
    json facts = json::parse(e.facts_json.empty() ? "null" : e.facts_json, nullptr, false);
    j["evaluation"] = {{"facts", facts.is_discarded() ? json(nullptr) : facts},
                       {"summary", e.summary},
                       {"reflections", e.reflections},
                       {"suggestions", e.suggestions},
                       {"drafted_by", e.drafted_by},
                       {"drafted_at", FormatInZone(e.drafted_at, zone)},
                       {"finalised_by", e.finalised_by},
                       {"finalised_at", Opt(e.finalised_at, zone)}};
  } else {
    j["evaluation"] = nullptr;
  }
  j["closed_at"] = Opt(c.closed_at, zone);
  j["resolved"] = c.resolved;
  j["reopened"] = c.reopened;
  j["merged_from"] = c.merged_from;
  j["risk_assessment_id"] = c.risk_assessment_id;
  j["event_heat"] = c.event_heat;
  j["sweep_marks"] = c.sweep_marks;
  return j;
}

}  // namespace yuqing::cases
