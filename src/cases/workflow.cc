#include "cases/workflow.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "cases/deadlines.h"
#include "cases/policy.h"
#include "core/time.h"
#include "model/event.h"

namespace yuqing::cases {
namespace {

using model::CaseState;
using json = nlohmann::json;
using S = CaseState;

constexpr size_t kMaxText = 64 * 1024;  // one response, reflection or reason
constexpr size_t kMaxList = 200;        // attachments, evidence, assisting departments

const std::vector<S> kOpenStates = {S::kNew,        S::kJudged,    S::kAssigned,   S::kAccepted,
                                    S::kResponding, S::kResponded, S::kFollowingUp};
const std::vector<S> kWorking = {S::kAccepted, S::kResponding, S::kResponded, S::kFollowingUp};
const std::vector<S> kAfterAssign = {S::kAssigned, S::kAccepted, S::kResponding, S::kResponded,
                                     S::kFollowingUp};
const std::vector<S> kAll = {S::kNew,         S::kJudged,     S::kAssigned,
                             S::kAccepted,    S::kResponding, S::kResponded,
                             S::kFollowingUp, S::kClosed,     S::kEvaluated};

std::vector<ActionSpec> MakeActions() {
  using R = ActorRule;
  return {
      {"judge", "研判", {S::kNew}, S::kJudged, R::kAny},
      {"regrade", "调整等级", kOpenStates, std::nullopt, R::kAny},
      {"set_policy", "调整时限规则", kOpenStates, std::nullopt, R::kAny},
      {"assign", "交办", {S::kJudged}, S::kAssigned, R::kAny},
      {"reassign", "改派", kAfterAssign, S::kAssigned, R::kAny},
      {"return", "退回", {S::kAssigned, S::kAccepted}, S::kJudged, R::kMainDept},
      {"dispute", "派单异议", {S::kAssigned}, std::nullopt, R::kMainDept},
      {"decide_dispute", "裁定异议", {S::kAssigned}, std::nullopt, R::kAny},
      {"accept", "签收", kAfterAssign, std::nullopt, R::kCaseDept},
      {"add_assist", "增加协办", kAfterAssign, std::nullopt, R::kAny},
      {"hand_up", "上报", kOpenStates, std::nullopt, R::kAny},
      {"draft_response", "起草回应", kWorking, std::nullopt, R::kCaseDept},
      {"approve_response", "审核通过", kWorking, std::nullopt, R::kNotAuthor},
      {"reject_response", "审核退回", kWorking, std::nullopt, R::kNotAuthor},
      {"new_round", "开启新一轮回应", {S::kResponded, S::kFollowingUp}, std::nullopt, R::kAny},
      {"follow_up", "转入跟进", {S::kResponded}, S::kFollowingUp, R::kCaseDept},
      {"add_task", "线下处置任务", kWorking, std::nullopt, R::kCaseDept},
      {"complete_task", "完成任务", kWorking, std::nullopt, R::kCaseDept},
      {"open_supervision", "督办", kOpenStates, std::nullopt, R::kAny},
      {"close_supervision", "督办办结", kAll, std::nullopt, R::kAny},
      {"add_notice", "通报 / 约谈 / 表扬", kAll, std::nullopt, R::kAny},
      {"decide_notice", "确认或撤销通报", kAll, std::nullopt, R::kAny},
      {"judge_rumour", "认定谣言", kOpenStates, std::nullopt, R::kAny},
      {"approve_rumour", "批准移交线索", kOpenStates, std::nullopt, R::kNotJudge},
      {"reverse_rumour", "撤销谣言认定", kAll, std::nullopt, R::kAny},
      {"reply_petitioner", "答复来信来电人", kWorking, std::nullopt, R::kCaseDept},
      {"record_visit", "回访", kAll, std::nullopt, R::kAny},
      {"extend", "延期", kOpenStates, std::nullopt, R::kAny},
      {"evaluate", "总结评估", {S::kResponded, S::kFollowingUp, S::kClosed}, std::nullopt, R::kAny},
      {"close", "办结", {S::kResponded, S::kFollowingUp}, S::kClosed, R::kAny},
      {"finalise_evaluation", "评估定稿", {S::kClosed}, S::kEvaluated, R::kAny},
      {"reopen", "重办", {S::kClosed, S::kEvaluated}, S::kFollowingUp, R::kAny},
      {"merge", "并单", kOpenStates, std::nullopt, R::kAny},
      {"follow_event", "跟随事件", kAll, std::nullopt, R::kSystem},
  };
}

bool In(const std::vector<S>& states, S s) {
  return std::find(states.begin(), states.end(), s) != states.end();
}

std::string StateList(const std::vector<S>& states) {
  std::string out;
  for (S s : states) {
    if (!out.empty()) out += ", ";
    out += model::CaseStateName(s);
  }
  return out;
}

// --- Reading the fields of a command.

Status Bad(std::string_view action, std::string_view field, std::string_view what) {
  return Status::InvalidArgument(fmt::format("{}: field \"{}\" {}", action, field, what));
}

Result<std::string> Text(const json& args, std::string_view action, const char* field,
                         bool required, size_t max = kMaxText) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) {
    if (required) return Bad(action, field, "is required");
    return std::string();
  }
  if (!it->is_string()) return Bad(action, field, "must be a text");
  std::string s = it->get<std::string>();
  if (required && s.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Bad(action, field, "must not be empty");
  }
  if (s.size() > max) {
    return Bad(action, field, fmt::format("is {} bytes; at most {} are kept", s.size(), max));
  }
  return s;
}

Result<std::vector<std::string>> TextList(const json& args, std::string_view action,
                                          const char* field, bool required) {
  std::vector<std::string> out;
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) {
    if (required) return Bad(action, field, "is required (a list of texts)");
    return out;
  }
  if (!it->is_array()) return Bad(action, field, "must be a list of texts");
  if (it->size() > kMaxList) return Bad(action, field, fmt::format("has more than {}", kMaxList));
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 2048) {
      return Bad(action, field, "must hold non-empty texts of at most 2048 bytes");
    }
    out.push_back(v.get<std::string>());
  }
  if (required && out.empty()) return Bad(action, field, "must not be empty");
  return out;
}

Result<int64_t> Int(const json& args, std::string_view action, const char* field, bool required,
                    int64_t lo, int64_t hi, int64_t dflt = 0) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) {
    if (required) return Bad(action, field, "is required");
    return dflt;
  }
  if (!it->is_number_integer()) return Bad(action, field, "must be a whole number");
  int64_t v = it->get<int64_t>();
  if (v < lo || v > hi) return Bad(action, field, fmt::format("is {}, expected {}..{}", v, lo, hi));
  return v;
}

Result<bool> Bool(const json& args, std::string_view action, const char* field, bool required,
                  bool dflt = false) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) {
    if (required) return Bad(action, field, "is required (true or false)");
    return dflt;
  }
  if (!it->is_boolean()) return Bad(action, field, "must be true or false");
  return it->get<bool>();
}

Result<int> Grade(const json& args, std::string_view action, bool required, int dflt) {
  auto it = args.find("grade");
  if (it == args.end() || it->is_null()) {
    if (required) return Bad(action, "grade", "is required (I, II, III, IV or 1–4)");
    return dflt;
  }
  if (it->is_number_integer()) {
    int64_t g = it->get<int64_t>();
    if (g >= 1 && g <= 4) return static_cast<int>(g);
  } else if (it->is_string()) {
    if (auto g = model::ParseGrade(it->get<std::string>())) return *g;
  }
  return Bad(action, "grade", fmt::format("is {}, expected I, II, III, IV or 1–4", it->dump()));
}

Result<std::optional<core::TimePoint>> Time(const json& args, std::string_view action,
                                            const char* field) {
  auto it = args.find(field);
  if (it == args.end() || it->is_null()) return std::optional<core::TimePoint>();
  if (!it->is_string()) return Bad(action, field, "must be an ISO-8601 time with an offset");
  auto t = core::ParseIso8601(it->get<std::string>());
  if (!t.ok()) return Bad(action, field, t.status().message());
  return std::optional<core::TimePoint>(*t);
}

// --- Departments.

const model::Department* FindDept(const DecideContext& ctx, std::string_view id) {
  if (ctx.organisation == nullptr) return nullptr;
  for (const auto& d : ctx.organisation->departments) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

Status CheckDept(const DecideContext& ctx, std::string_view action, std::string_view field,
                 std::string_view id) {
  if (id.empty()) return Bad(action, field, "is required (a department id)");
  if (ctx.organisation != nullptr && FindDept(ctx, id) == nullptr) {
    return Status::NotFound(
        fmt::format("{}: no department with id \"{}\" in the organisation", action, id));
  }
  return Status::Ok();
}

bool RegionUnder(std::string_view region, std::string_view prefix_of) {
  std::string p = access::RegionPrefix(prefix_of);
  return region.substr(0, p.size()) == p;
}

}  // namespace

const std::vector<ActionSpec>& Actions() {
  static const std::vector<ActionSpec> kActions = MakeActions();
  return kActions;
}

const ActionSpec* FindAction(std::string_view name) {
  for (const auto& a : Actions()) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

const model::Assignment* MainAssignment(const model::Case& c) {
  const model::Assignment* main = nullptr;
  for (const auto& a : c.assignments) {
    if (a.role == model::AssignmentRole::kMain && a.active()) main = &a;
  }
  return main;
}

std::vector<std::string_view> AllowedActions(const model::Case& c) {
  std::vector<std::string_view> out;
  if (c.merged_into != 0) return out;
  for (const auto& a : Actions()) {
    if (a.rule == ActorRule::kSystem) continue;
    if (In(a.from, c.state)) out.push_back(a.name);
  }
  return out;
}

json CaseBrief(const model::Case& c) {
  const model::Assignment* main = MainAssignment(c);
  return {{"id", c.id},
          {"version", c.version},
          {"state", model::CaseStateName(c.state)},
          {"grade", model::GradeName(c.grade)},
          {"main_department", main ? main->department_id : ""},
          {"handling_region", c.handling_region}};
}

Result<Decision> Open(const OpenRequest& req, const access::Principal& actor, core::TimePoint now) {
  if (req.title.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Status::InvalidArgument("open: field \"title\" is required");
  }
  if (req.title.size() > 1024) return Status::InvalidArgument("open: \"title\" exceeds 1024 bytes");
  if (req.description.size() > kMaxText) {
    return Status::InvalidArgument("open: \"description\" exceeds 64 KiB");
  }
  if (req.grade < 1 || req.grade > 4) {
    return Status::InvalidArgument(
        fmt::format("open: grade {} is outside 1..4 (I 特别重大 … IV 一般)", req.grade));
  }
  if (req.detected_at > now) {
    return Status::InvalidArgument(fmt::format("open: detection {} is after now ({})",
                                               core::FormatIso8601(req.detected_at),
                                               core::FormatIso8601(now)));
  }
  if (req.petitioner && !model::HasPetitioner(req.origin)) {
    return Status::InvalidArgument(
        fmt::format("open: a petitioner belongs to a hotline or mailbox case, not to one from {}",
                    model::CaseOriginName(req.origin)));
  }
  if (req.origin == model::CaseOrigin::kEvent && req.event_id <= 0) {
    return Status::InvalidArgument("open: a case from an event needs \"event_id\"");
  }
  Decision d;
  model::Case& c = d.after;
  c.title = req.title;
  c.description = req.description;
  c.origin = req.origin;
  c.event_id = req.event_id;
  c.state = S::kNew;
  c.grade = req.grade;
  c.region = req.region;
  c.handling_region = req.handling_region.empty() ? req.region : req.handling_region;
  c.detected_at = req.detected_at;
  c.created_at = now;
  c.updated_at = now;
  c.created_by = actor.name;
  c.policy = req.policy;
  c.suggested_departments = req.suggested_departments;
  c.routing_json = req.routing_json;
  c.petitioner = req.petitioner;
  if (model::HasPetitioner(c.origin) && !c.petitioner) c.petitioner = model::PetitionerContact{};
  c.risk_assessment_id = req.risk_assessment_id;
  c.rounds.push_back({1, now, actor.name, "case opened"});
  c.event_grade = req.grade;
  model::CaseLogEntry e;
  e.at = now;
  e.actor = actor.name;
  e.action = "open";
  e.from_state = "";
  e.to_state = std::string(model::CaseStateName(S::kNew));
  e.detail_json = json{{"origin", model::CaseOriginName(c.origin)},
                       {"event_id", c.event_id},
                       {"grade", model::GradeName(c.grade)},
                       {"detected_at", core::FormatIso8601(c.detected_at)},
                       {"suggested_departments", c.suggested_departments}}
                      .dump();
  d.log.push_back(std::move(e));
  d.audit_action = "case.open";
  return d;
}

namespace {

// The state of one Decide call: the case being changed and what is recorded about it.
struct Work {
  const model::Case& before;
  model::Case c;
  const access::Principal& actor;
  const ActionSpec& spec;
  const json& args;
  core::TimePoint now;
  const DecideContext& ctx;
  json detail = json::object();
  std::string reason;
  std::optional<model::Case> other_after;
};

bool IsResponder(const access::Principal& a) {
  return a.role && *a.role == model::Role::kResponder;
}

bool HasActiveAssignment(const model::Case& c, std::string_view dept) {
  for (const auto& a : c.assignments) {
    if (a.active() && a.department_id == dept) return true;
  }
  return false;
}

Status CheckActor(const Work& w) {
  const std::string_view action = w.spec.name;
  switch (w.spec.rule) {
    case ActorRule::kAny:
    case ActorRule::kNotAuthor:  // checked against the response
    case ActorRule::kNotJudge:   // checked against the rumour decision
      return Status::Ok();
    case ActorRule::kSystem:
      if (w.actor.user_id != 0 || w.actor.name != "system") {
        return Status::PermissionDenied(
            fmt::format("{} is done by the system (the sweep and the event follower)", action));
      }
      return Status::Ok();
    case ActorRule::kMainDept: {
      if (!IsResponder(w.actor)) return Status::Ok();
      const model::Assignment* main = MainAssignment(w.c);
      if (main == nullptr || main->department_id != w.actor.department_id) {
        return Status::PermissionDenied(
            fmt::format("{}: only the main department ({}) may do this; you answer for \"{}\"",
                        action, main ? main->department_id : "none yet", w.actor.department_id));
      }
      return Status::Ok();
    }
    case ActorRule::kCaseDept:
      if (!IsResponder(w.actor)) return Status::Ok();
      if (!HasActiveAssignment(w.c, w.actor.department_id)) {
        return Status::PermissionDenied(
            fmt::format("{}: case {} is not assigned to your department \"{}\"", action, w.c.id,
                        w.actor.department_id));
      }
      return Status::Ok();
  }
  return Status::Ok();
}

void EndMain(model::Case& c, core::TimePoint now, std::string_view why, std::string_view note) {
  for (auto& a : c.assignments) {
    if (a.role == model::AssignmentRole::kMain && a.active()) {
      a.ended_at = now;
      a.end_reason = std::string(why);
      a.note = std::string(note);
    }
  }
}

// Places a new main department; a department in another region is a hand-over between
// levels (下发 down to a lower level, 上报 up when above).
Status AddAssignment(Work& w, const std::string& dept, model::AssignmentRole role,
                     const std::string& note) {
  for (const auto& a : w.c.assignments) {
    if (a.active() && a.department_id == dept) {
      if (role == model::AssignmentRole::kAssist || a.role == model::AssignmentRole::kMain) {
        return Status::FailedPrecondition(
            fmt::format("{}: department \"{}\" already holds case {}", w.spec.name, dept, w.c.id));
      }
    }
  }
  if (role == model::AssignmentRole::kMain) {
    // A department that assisted and now leads: its assisting assignment ends.
    for (auto& a : w.c.assignments) {
      if (a.active() && a.department_id == dept) {
        a.ended_at = w.now;
        a.end_reason = "became_main";
      }
    }
  }
  model::Assignment a;
  a.department_id = dept;
  a.role = role;
  a.assigned_at = w.now;
  a.assigned_by = w.actor.name;
  a.note = note;
  w.c.assignments.push_back(a);
  if (role == model::AssignmentRole::kMain) {
    if (const model::Department* d = FindDept(w.ctx, dept)) {
      if (!d->region.empty() && d->region != w.c.handling_region) {
        model::Handover h;
        h.at = w.now;
        h.by = w.actor.name;
        h.direction = RegionUnder(d->region, w.c.handling_region) ? "down" : "up";
        h.from_region = w.c.handling_region;
        h.to_region = d->region;
        h.department_id = dept;
        h.reason = note;
        w.c.handovers.push_back(h);
        w.c.handling_region = d->region;
        w.detail["handover"] = {
            {"direction", h.direction}, {"from_region", h.from_region}, {"to_region", h.to_region}};
      }
    }
  }
  return Status::Ok();
}

Result<model::Response*> FindResponse(Work& w) {
  YQ_ASSIGN_OR_RETURN(int64_t id, Int(w.args, w.spec.name, "response", true, 1, 1 << 20));
  for (auto& r : w.c.responses) {
    if (r.id == id) return &r;
  }
  return Status::NotFound(fmt::format("{}: case {} has no response {}", w.spec.name, w.c.id, id));
}

template <typename T>
Result<T*> FindById(std::vector<T>& items, Work& w, const char* field, std::string_view what) {
  YQ_ASSIGN_OR_RETURN(int64_t id, Int(w.args, w.spec.name, field, true, 1, 1 << 20));
  for (auto& it : items) {
    if (it.id == id) return &it;
  }
  return Status::NotFound(fmt::format("{}: case {} has no {} {}", w.spec.name, w.c.id, what, id));
}

template <typename T>
int NextId(const std::vector<T>& items) {
  int id = 0;
  for (const auto& it : items) id = std::max(id, it.id);
  return id + 1;
}

std::string Iso(core::TimePoint t) { return core::FormatIso8601(t); }

// "response → evolution → new response" (001 §8): a new round, for the reason given.
void OpenRound(Work& w) {
  model::Round r;
  r.number = w.c.rounds.empty() ? 1 : w.c.rounds.back().number + 1;
  r.opened_at = w.now;
  r.opened_by = w.actor.name;
  r.reason = w.reason;
  w.c.rounds.push_back(r);
  w.detail["round"] = r.number;
}

Status Apply(Work& w) {
  const std::string_view action = w.spec.name;
  model::Case& c = w.c;
  const json& args = w.args;
  if (action == "judge" || action == "regrade") {
    YQ_ASSIGN_OR_RETURN(int grade, Grade(args, action, action == "regrade", c.grade));
    YQ_ASSIGN_OR_RETURN(std::string nature, Text(args, action, "nature", false, 1024));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", action == "regrade"));
    w.detail["grade_before"] = model::GradeName(c.grade);
    c.grade = grade;
    if (!nature.empty()) c.nature = nature;
    w.detail["grade"] = model::GradeName(grade);
    if (!nature.empty()) w.detail["nature"] = nature;
    return Status::Ok();
  }
  if (action == "set_policy") {
    auto it = args.find("policy");
    if (it == args.end()) return Bad(action, "policy", "is required (a JSON object)");
    YQ_ASSIGN_OR_RETURN(c.policy, ParsePolicy(*it, c.policy));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    w.detail["policy"] = PolicyToJson(c.policy);
    return Status::Ok();
  }
  if (action == "assign" || action == "reassign") {
    std::string dept;
    if (args.contains("department")) {
      YQ_ASSIGN_OR_RETURN(dept, Text(args, action, "department", true, 128));
    } else if (action == "assign" && !c.suggested_departments.empty()) {
      dept = c.suggested_departments.front();  // the routing's lead or first responsible
    } else {
      return Bad(action, "department", "is required (a department id)");
    }
    YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "department", dept));
    YQ_ASSIGN_OR_RETURN(std::vector<std::string> assist, TextList(args, action, "assist", false));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", action == "reassign"));
    const model::Assignment* main = MainAssignment(c);
    if (action == "reassign") {
      if (main != nullptr && main->department_id == dept) {
        return Status::FailedPrecondition(fmt::format(
            "reassign: case {} is already with \"{}\"; name another department", c.id, dept));
      }
      w.detail["from_department"] = main ? main->department_id : "";
      EndMain(c, w.now, "reassigned", w.reason);
    }
    YQ_RETURN_IF_ERROR(AddAssignment(w, dept, model::AssignmentRole::kMain, w.reason));
    for (const auto& a : assist) {
      if (a == dept) continue;
      YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "assist", a));
      if (HasActiveAssignment(c, a)) continue;
      YQ_RETURN_IF_ERROR(AddAssignment(w, a, model::AssignmentRole::kAssist, ""));
    }
    w.detail["department"] = dept;
    w.detail["assist"] = assist;
    return Status::Ok();
  }
  if (action == "return") {
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    const model::Assignment* main = MainAssignment(c);
    w.detail["department"] = main ? main->department_id : "";
    EndMain(c, w.now, "returned", w.reason);
    return Status::Ok();
  }
  if (action == "dispute") {
    for (const auto& d : c.disputes) {
      if (!d.decided_at) {
        return Status::FailedPrecondition(fmt::format(
            "dispute: case {} has an undecided dispute ({}); the coordinator decides it first",
            c.id, d.id));
      }
    }
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    YQ_ASSIGN_OR_RETURN(std::string suggested,
                        Text(args, action, "suggested_department", false, 128));
    if (!suggested.empty())
      YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "suggested_department", suggested));
    const model::Assignment* main = MainAssignment(c);
    model::Dispute d;
    d.id = NextId(c.disputes);
    d.department_id = main ? main->department_id : "";
    d.raised_by = w.actor.name;
    d.raised_at = w.now;
    d.reason = w.reason;
    d.suggested_department = suggested;
    c.disputes.push_back(d);
    w.detail["dispute"] = d.id;
    w.detail["suggested_department"] = suggested;
    return Status::Ok();
  }
  if (action == "decide_dispute") {
    model::Dispute* open = nullptr;
    for (auto& d : c.disputes) {
      if (!d.decided_at) open = &d;
    }
    if (open == nullptr) {
      return Status::FailedPrecondition(
          fmt::format("decide_dispute: case {} has no undecided dispute", c.id));
    }
    YQ_ASSIGN_OR_RETURN(bool upheld, Bool(args, action, "upheld", true));
    YQ_ASSIGN_OR_RETURN(std::string decision, Text(args, action, "decision", true));
    w.reason = decision;
    std::string dept;
    if (upheld) {
      if (args.contains("department")) {
        YQ_ASSIGN_OR_RETURN(dept, Text(args, action, "department", true, 128));
      } else {
        dept = open->suggested_department;
      }
      if (dept.empty()) {
        return Bad(action, "department",
                   "is required when the dispute is upheld (who takes the case instead)");
      }
      YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "department", dept));
      if (dept == open->department_id) {
        return Bad(action, "department", "must differ from the disputing department");
      }
    }
    open->decided_at = w.now;
    open->decided_by = w.actor.name;
    open->upheld = upheld;
    open->decision = decision;
    w.detail["dispute"] = open->id;
    w.detail["upheld"] = upheld;
    if (upheld) {
      EndMain(c, w.now, "dispute", decision);
      YQ_RETURN_IF_ERROR(AddAssignment(w, dept, model::AssignmentRole::kMain, decision));
      w.detail["department"] = dept;
    }
    return Status::Ok();
  }
  if (action == "accept") {
    for (const auto& d : c.disputes) {
      if (!d.decided_at) {
        return Status::FailedPrecondition(fmt::format(
            "accept: case {} has an undecided dispute ({}); accept after the coordinator decides",
            c.id, d.id));
      }
    }
    // Whose assignment: a responder accepts its own department's; the office may name one.
    std::string dept = w.actor.department_id;
    if (!IsResponder(w.actor)) {
      const model::Assignment* main = MainAssignment(c);
      YQ_ASSIGN_OR_RETURN(dept, Text(args, action, "department", false, 128));
      if (dept.empty() && main) dept = main->department_id;
    }
    model::Assignment* target = nullptr;
    for (auto& a : c.assignments) {
      if (a.active() && a.department_id == dept) target = &a;
    }
    if (target == nullptr) {
      return Status::FailedPrecondition(
          fmt::format("accept: case {} has no active assignment for \"{}\"", c.id, dept));
    }
    if (target->accepted_at) {
      return Status::FailedPrecondition(fmt::format("accept: \"{}\" accepted case {} already at {}",
                                                    dept, c.id, Iso(*target->accepted_at)));
    }
    target->accepted_at = w.now;
    target->accepted_by = w.actor.name;
    w.detail["department"] = dept;
    w.detail["role"] = target->role == model::AssignmentRole::kMain ? "main" : "assist";
    if (target->role == model::AssignmentRole::kMain) {
      if (c.state != S::kAssigned) {
        return Status::FailedPrecondition(
            fmt::format("accept: case {} is {}; the main department accepts an assigned case", c.id,
                        model::CaseStateName(c.state)));
      }
      c.state = S::kAccepted;
    }
    return Status::Ok();
  }
  if (action == "add_assist") {
    YQ_ASSIGN_OR_RETURN(std::string dept, Text(args, action, "department", true, 128));
    YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "department", dept));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", false));
    YQ_RETURN_IF_ERROR(AddAssignment(w, dept, model::AssignmentRole::kAssist, w.reason));
    w.detail["department"] = dept;
    return Status::Ok();
  }
  if (action == "hand_up") {
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    YQ_ASSIGN_OR_RETURN(std::string to, Text(args, action, "to_region", false, 16));
    std::string from = c.handling_region;
    if (to.empty()) {
      // One level up: county 140403 → prefecture 140400 → province 140000 → nation.
      if (from.size() == 6 && from.substr(4) != "00") {
        to = from.substr(0, 4) + "00";
      } else if (from.size() == 6 && from.substr(2, 2) != "00") {
        to = from.substr(0, 2) + "0000";
      } else {
        to = "000000";
      }
    }
    std::string pt = access::RegionPrefix(to), pf = access::RegionPrefix(from);
    bool code = to.size() == 6 && to.find_first_not_of("0123456789") == std::string::npos;
    if (!code || pt.size() >= pf.size() || pf.compare(0, pt.size(), pt) != 0) {
      return Bad(action, "to_region",
                 fmt::format("is \"{}\"; a case is reported up to a region above {}", to, from));
    }
    model::Handover h;
    h.at = w.now;
    h.by = w.actor.name;
    h.direction = "up";
    h.from_region = from;
    h.to_region = to;
    h.reason = w.reason;
    c.handovers.push_back(h);
    c.handling_region = to;
    w.detail["from_region"] = from;
    w.detail["to_region"] = to;
    return Status::Ok();
  }
  if (action == "draft_response") {
    model::Response r;
    r.id = NextId(c.responses);
    YQ_ASSIGN_OR_RETURN(std::string channel, Text(args, action, "channel", true, 64));
    auto ch = model::ParseResponseChannel(channel);
    if (!ch) {
      return Bad(action, "channel",
                 fmt::format("is \"{}\", expected press_conference, briefing, release, weibo, "
                             "wechat, website, interview or expert",
                             channel));
    }
    r.channel = *ch;
    YQ_ASSIGN_OR_RETURN(r.speaker, Text(args, action, "speaker", false, 256));
    YQ_ASSIGN_OR_RETURN(r.text, Text(args, action, "text", true));
    YQ_ASSIGN_OR_RETURN(r.attachments, TextList(args, action, "attachments", false));
    if (IsResponder(w.actor)) {
      r.department_id = w.actor.department_id;
    } else {
      YQ_ASSIGN_OR_RETURN(r.department_id, Text(args, action, "department", false, 128));
      if (r.department_id.empty()) {
        const model::Assignment* main = MainAssignment(c);
        if (main) r.department_id = main->department_id;
      }
    }
    r.author = w.actor.name;
    r.drafted_at = w.now;
    if (auto f = args.find("figures"); f != args.end() && f->is_object()) {
      auto num = [&](const char* k) -> std::optional<int64_t> {
        auto it = f->find(k);
        if (it != f->end() && it->is_number_integer()) return it->get<int64_t>();
        return std::nullopt;
      };
      r.figures.deaths = num("deaths");
      r.figures.injured = num("injured");
      r.figures.missing = num("missing");
      if (auto it = f->find("loss_yuan"); it != f->end() && it->is_number()) {
        r.figures.loss_yuan = it->get<double>();
      }
    }
    c.responses.push_back(r);
    if (c.state == S::kAccepted) c.state = S::kResponding;
    w.detail["response"] = r.id;
    w.detail["channel"] = channel;
    w.detail["department"] = r.department_id;
    return Status::Ok();
  }
  if (action == "approve_response" || action == "reject_response") {
    YQ_ASSIGN_OR_RETURN(model::Response * r, FindResponse(w));
    if (r->status != model::ResponseStatus::kDraft) {
      return Status::FailedPrecondition(
          fmt::format("{}: response {} is {}, not a draft waiting for review", action, r->id,
                      model::ResponseStatusName(r->status)));
    }
    if (!w.actor.role || *w.actor.role != model::Role::kLeader) {
      return Status::PermissionDenied(
          fmt::format("{}: a response is reviewed by a leader (审核)", action));
    }
    if (r->author == w.actor.name) {
      return Status::PermissionDenied(fmt::format(
          "{}: response {} was drafted by {}; another leader must review it (审核 is never a "
          "one-person act)",
          action, r->id, r->author));
    }
    YQ_ASSIGN_OR_RETURN(std::string note, Text(args, action, "note", action == "reject_response"));
    r->reviewed_by = w.actor.name;
    r->reviewed_at = w.now;
    r->review_note = note;
    w.reason = note;
    w.detail["response"] = r->id;
    if (action == "reject_response") {
      r->status = model::ResponseStatus::kRejected;
      return Status::Ok();
    }
    int current = c.rounds.empty() ? 1 : c.rounds.back().number;
    YQ_ASSIGN_OR_RETURN(int64_t round, Int(args, action, "round", false, 1, current, current));
    r->status = model::ResponseStatus::kPublished;
    r->published_at = w.now;
    r->round = static_cast<int>(round);
    w.detail["round"] = round;
    w.detail["channel"] = model::ResponseChannelName(r->channel);
    if (c.state == S::kResponding || c.state == S::kAccepted) c.state = S::kResponded;
    return Status::Ok();
  }
  if (action == "new_round") {
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    OpenRound(w);
    return Status::Ok();
  }
  if (action == "follow_up") {
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "note", false));
    return Status::Ok();
  }
  if (action == "add_task") {
    model::Task t;
    t.id = NextId(c.tasks);
    YQ_ASSIGN_OR_RETURN(t.title, Text(args, action, "title", true, 1024));
    YQ_ASSIGN_OR_RETURN(t.owner_department, Text(args, action, "owner_department", false, 128));
    if (t.owner_department.empty()) {
      if (IsResponder(w.actor)) {
        t.owner_department = w.actor.department_id;
      } else if (const model::Assignment* main = MainAssignment(c)) {
        t.owner_department = main->department_id;
      }
    } else {
      YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "owner_department", t.owner_department));
    }
    YQ_ASSIGN_OR_RETURN(t.owner, Text(args, action, "owner", true, 256));
    YQ_ASSIGN_OR_RETURN(t.due_at, Time(args, action, "due"));
    t.created_at = w.now;
    t.created_by = w.actor.name;
    c.tasks.push_back(t);
    w.detail["task"] = t.id;
    w.detail["title"] = t.title;
    return Status::Ok();
  }
  if (action == "complete_task") {
    YQ_ASSIGN_OR_RETURN(model::Task * t, FindById(c.tasks, w, "task", "task"));
    if (t->done_at) {
      return Status::FailedPrecondition(
          fmt::format("complete_task: task {} was completed at {}", t->id, Iso(*t->done_at)));
    }
    YQ_ASSIGN_OR_RETURN(t->result, Text(args, action, "result", true));
    t->done_at = w.now;
    w.detail["task"] = t->id;
    return Status::Ok();
  }
  if (action == "open_supervision") {
    model::Supervision s;
    s.id = NextId(c.supervision);
    YQ_ASSIGN_OR_RETURN(s.obligation, Text(args, action, "obligation", false, 32));
    if (!s.obligation.empty() && !model::ParseObligation(s.obligation)) {
      return Bad(action, "obligation",
                 "must be press, respond, first_release, reply, resolve or accept");
    }
    YQ_ASSIGN_OR_RETURN(s.department_id, Text(args, action, "department", false, 128));
    if (s.department_id.empty()) {
      if (const model::Assignment* main = MainAssignment(c)) s.department_id = main->department_id;
    } else {
      YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "department", s.department_id));
    }
    YQ_ASSIGN_OR_RETURN(s.owner, Text(args, action, "owner", false, 256));
    if (s.owner.empty()) s.owner = w.actor.name;
    YQ_ASSIGN_OR_RETURN(s.due_at, Time(args, action, "due"));
    YQ_ASSIGN_OR_RETURN(s.reason, Text(args, action, "reason", true));
    w.reason = s.reason;
    s.opened_at = w.now;
    s.opened_by = w.actor.name;
    c.supervision.push_back(s);
    w.detail["supervision"] = s.id;
    w.detail["department"] = s.department_id;
    return Status::Ok();
  }
  if (action == "close_supervision") {
    YQ_ASSIGN_OR_RETURN(model::Supervision * s,
                        FindById(c.supervision, w, "supervision", "supervision item"));
    if (s->closed_at) {
      return Status::FailedPrecondition(
          fmt::format("close_supervision: item {} was closed at {}", s->id, Iso(*s->closed_at)));
    }
    YQ_ASSIGN_OR_RETURN(s->outcome, Text(args, action, "outcome", true));
    s->closed_at = w.now;
    s->closed_by = w.actor.name;
    w.detail["supervision"] = s->id;
    return Status::Ok();
  }
  if (action == "add_notice") {
    model::Notice n;
    n.id = NextId(c.notices);
    YQ_ASSIGN_OR_RETURN(std::string kind, Text(args, action, "kind", true, 32));
    auto k = model::ParseNoticeKind(kind);
    if (!k) return Bad(action, "kind", "must be criticism, interview or commendation");
    n.kind = *k;
    YQ_ASSIGN_OR_RETURN(n.department_id, Text(args, action, "department", true, 128));
    YQ_RETURN_IF_ERROR(CheckDept(w.ctx, action, "department", n.department_id));
    YQ_ASSIGN_OR_RETURN(n.text, Text(args, action, "text", true));
    n.at = w.now;
    n.by = w.actor.name;
    n.status = "issued";
    c.notices.push_back(n);
    w.reason = n.text;
    w.detail["notice"] = n.id;
    w.detail["kind"] = kind;
    w.detail["department"] = n.department_id;
    return Status::Ok();
  }
  if (action == "decide_notice") {
    YQ_ASSIGN_OR_RETURN(model::Notice * n, FindById(c.notices, w, "notice", "notice"));
    if (n->status != "proposed") {
      return Status::FailedPrecondition(fmt::format(
          "decide_notice: notice {} is {}, only a proposed notice is decided", n->id, n->status));
    }
    YQ_ASSIGN_OR_RETURN(bool issue, Bool(args, action, "issue", true));
    YQ_ASSIGN_OR_RETURN(std::string text, Text(args, action, "text", false));
    if (!text.empty()) n->text = text;
    n->status = issue ? "issued" : "dismissed";
    n->decided_by = w.actor.name;
    n->decided_at = w.now;
    w.detail["notice"] = n->id;
    w.detail["status"] = n->status;
    return Status::Ok();
  }
  if (action == "judge_rumour") {
    model::RumourDecision r;
    r.id = NextId(c.rumours);
    YQ_ASSIGN_OR_RETURN(r.claim, Text(args, action, "claim", true, 4096));
    YQ_ASSIGN_OR_RETURN(r.evidence, TextList(args, action, "evidence", true));
    YQ_ASSIGN_OR_RETURN(r.hand_to, Text(args, action, "hand_to", true, 32));
    if (r.hand_to != "public_security" && r.hand_to != "cyberspace") {
      return Bad(action, "hand_to", "must be public_security (公安) or cyberspace (网信)");
    }
    YQ_ASSIGN_OR_RETURN(r.judgment, Text(args, action, "judgment", true));
    r.judged_by = w.actor.name;
    r.judged_at = w.now;
    c.rumours.push_back(r);
    w.reason = r.judgment;
    w.detail["rumour"] = r.id;
    w.detail["hand_to"] = r.hand_to;
    w.detail["evidence"] = r.evidence;
    return Status::Ok();
  }
  if (action == "approve_rumour") {
    YQ_ASSIGN_OR_RETURN(model::RumourDecision * r,
                        FindById(c.rumours, w, "rumour", "rumour decision"));
    if (r->status != "pending") {
      return Status::FailedPrecondition(
          fmt::format("approve_rumour: rumour decision {} is {}, only a pending one is approved",
                      r->id, r->status));
    }
    if (r->judged_by == w.actor.name) {
      return Status::PermissionDenied(fmt::format(
          "approve_rumour: {} judged rumour decision {}; another person must approve the "
          "hand-over (never a one-person act)",
          r->judged_by, r->id));
    }
    YQ_ASSIGN_OR_RETURN(bool approve, Bool(args, action, "approve", false, true));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "note", !approve));
    r->status = approve ? "handed_over" : "refused";
    r->approved_by = w.actor.name;
    r->approved_at = w.now;
    w.detail["rumour"] = r->id;
    w.detail["status"] = r->status;
    return Status::Ok();
  }
  if (action == "reverse_rumour") {
    YQ_ASSIGN_OR_RETURN(model::RumourDecision * r,
                        FindById(c.rumours, w, "rumour", "rumour decision"));
    if (r->status != "pending" && r->status != "handed_over") {
      return Status::FailedPrecondition(fmt::format(
          "reverse_rumour: rumour decision {} is {}; only a pending or handed-over one is reversed",
          r->id, r->status));
    }
    YQ_ASSIGN_OR_RETURN(r->reverse_reason, Text(args, action, "reason", true));
    w.reason = r->reverse_reason;
    r->status = "reversed";
    r->reversed_by = w.actor.name;
    r->reversed_at = w.now;
    w.detail["rumour"] = r->id;
    return Status::Ok();
  }
  if (action == "reply_petitioner" || action == "record_visit") {
    if (!model::HasPetitioner(c.origin) || !c.petitioner) {
      return Status::FailedPrecondition(
          fmt::format("{}: case {} came from {}, not from the hotline or a mailbox", action, c.id,
                      model::CaseOriginName(c.origin)));
    }
    model::PetitionerContact& p = *c.petitioner;
    if (action == "reply_petitioner") {
      YQ_ASSIGN_OR_RETURN(p.reply, Text(args, action, "reply", true));
      p.replied_at = w.now;
      p.replied_by = w.actor.name;
      return Status::Ok();
    }
    if (!p.replied_at) {
      return Status::FailedPrecondition(fmt::format(
          "record_visit: the person was not replied to yet; the follow-up call comes after the "
          "reply"));
    }
    YQ_ASSIGN_OR_RETURN(p.satisfaction, Text(args, action, "satisfaction", true, 32));
    if (p.satisfaction != "satisfied" && p.satisfaction != "basically" &&
        p.satisfaction != "unsatisfied") {
      return Bad(action, "satisfaction", "must be satisfied, basically or unsatisfied");
    }
    p.visited_at = w.now;
    w.detail["satisfaction"] = p.satisfaction;
    return Status::Ok();
  }
  if (action == "extend") {
    YQ_ASSIGN_OR_RETURN(int64_t days, Int(args, action, "days", true, 1, 90));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    c.extensions.push_back(w.now);
    c.extended_by += std::chrono::minutes(days * 24 * 60);
    w.detail["days"] = days;
    w.detail["obligation"] = "resolve";
    return Status::Ok();
  }
  if (action == "evaluate") {
    model::Evaluation e = c.evaluation.value_or(model::Evaluation{});
    if (e.finalised_at) {
      return Status::FailedPrecondition("evaluate: the evaluation is final; reopen to change it");
    }
    YQ_ASSIGN_OR_RETURN(e.summary, Text(args, action, "summary", false));
    YQ_ASSIGN_OR_RETURN(e.reflections, Text(args, action, "reflections", true));
    YQ_ASSIGN_OR_RETURN(e.suggestions, Text(args, action, "suggestions", false));
    if (auto f = args.find("facts"); f != args.end()) e.facts_json = f->dump();
    e.drafted_by = w.actor.name;
    e.drafted_at = w.now;
    c.evaluation = e;
    return Status::Ok();
  }
  if (action == "close") {
    if (!c.evaluation || c.evaluation->reflections.empty()) {
      return Status::FailedPrecondition(fmt::format(
          "close: case {} has no post-event evaluation; draft it first (action evaluate: the "
          "facts are pre-filled, people add the reflections)",
          c.id));
    }
    for (const auto& r : c.responses) {
      if (r.status == model::ResponseStatus::kDraft) {
        return Status::FailedPrecondition(fmt::format(
            "close: response {} is still waiting for review; approve or reject it first", r.id));
      }
    }
    YQ_ASSIGN_OR_RETURN(c.resolved, Bool(args, action, "resolved", true));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "note", false));
    c.closed_at = w.now;
    w.detail["resolved"] = c.resolved;
    return Status::Ok();
  }
  if (action == "finalise_evaluation") {
    if (!c.evaluation) {
      return Status::FailedPrecondition("finalise_evaluation: there is no evaluation");
    }
    c.evaluation->finalised_by = w.actor.name;
    c.evaluation->finalised_at = w.now;
    return Status::Ok();
  }
  if (action == "reopen") {
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", true));
    c.reopened += 1;
    c.closed_at.reset();
    c.resolved = false;
    if (c.evaluation) c.evaluation->finalised_at.reset();
    OpenRound(w);
    return Status::Ok();
  }
  if (action == "merge") {
    YQ_ASSIGN_OR_RETURN(int64_t into, Int(args, action, "into", true, 1, INT64_MAX));
    YQ_ASSIGN_OR_RETURN(w.reason, Text(args, action, "reason", false));
    if (into == c.id) return Bad(action, "into", "names this case itself");
    if (w.ctx.other == nullptr || w.ctx.other->id != into) {
      return Status::NotFound(fmt::format("merge: no case with id {}", into));
    }
    const model::Case& other = *w.ctx.other;
    if (other.merged_into != 0 || !model::CaseIsOpen(other.state)) {
      return Status::FailedPrecondition(fmt::format(
          "merge: case {} is {}{}; a duplicate is merged into an open case", into,
          model::CaseStateName(other.state), other.merged_into ? " and merged away" : ""));
    }
    c.merged_into = into;
    for (auto& a : c.assignments) {
      if (a.active()) {
        a.ended_at = w.now;
        a.end_reason = "merged";
      }
    }
    model::Case o = other;
    o.merged_from.push_back(c.id);
    o.version = other.version + 1;
    o.updated_at = w.now;
    w.other_after = std::move(o);
    w.detail["into"] = into;
    return Status::Ok();
  }
  if (action == "follow_event") {
    YQ_ASSIGN_OR_RETURN(int64_t event_id, Int(args, action, "event_id", true, 1, INT64_MAX));
    YQ_ASSIGN_OR_RETURN(int grade, Grade(args, action, false, c.event_grade));
    double heat = c.event_heat;
    if (auto it = args.find("heat"); it != args.end() && it->is_number()) heat = it->get<double>();
    if (event_id != c.event_id) {
      w.detail["event_from"] = c.event_id;
      w.detail["event_to"] = event_id;
      c.event_id = event_id;
    }
    c.event_heat = heat;
    if (grade != c.event_grade) {
      w.detail["event_grade"] = model::GradeName(grade);
      c.event_grade = grade;
    }
    // The case follows an escalating event; a calmer event never lowers what people judged.
    if (grade < c.grade) {
      w.detail["grade_before"] = model::GradeName(c.grade);
      w.detail["grade"] = model::GradeName(grade);
      c.grade = grade;
    }
    return Status::Ok();
  }
  return Status::Internal(fmt::format("action {} has no implementation", action));
}

}  // namespace

Result<Decision> Decide(const model::Case& before, const access::Principal& actor,
                        const Command& command, core::TimePoint now, const DecideContext& ctx) {
  const ActionSpec* spec = FindAction(command.action);
  if (spec == nullptr) {
    std::string names;
    for (const auto& a : Actions()) {
      if (a.rule == ActorRule::kSystem) continue;
      if (!names.empty()) names += ", ";
      names += a.name;
    }
    return Status::InvalidArgument(
        fmt::format("unknown case action \"{}\"; the actions are {}", command.action, names));
  }
  if (!command.args.is_object()) {
    return Status::InvalidArgument(
        fmt::format("{}: the fields must be a JSON object", command.action));
  }
  if (before.merged_into != 0) {
    return Status::FailedPrecondition(
        fmt::format("case {} was merged into case {}; work on case {}", before.id,
                    before.merged_into, before.merged_into));
  }
  if (!In(spec->from, before.state)) {
    std::string allowed;
    for (auto a : AllowedActions(before)) {
      if (!allowed.empty()) allowed += ", ";
      allowed += a;
    }
    std::string extra;
    if (spec->name == "draft_response" && !model::CaseIsOpen(before.state)) {
      extra = " (a closed case takes no response; reopen it first)";
    }
    return Status::FailedPrecondition(
        fmt::format("case {} is {} ({}); {} needs {}{}. Allowed now: {}", before.id,
                    model::CaseStateName(before.state), model::CaseStateNameZh(before.state),
                    spec->name, StateList(spec->from), extra, allowed.empty() ? "none" : allowed));
  }
  Work w{before, before, actor, *spec, command.args, now, ctx, json::object(), "", std::nullopt};
  YQ_RETURN_IF_ERROR(CheckActor(w));
  YQ_RETURN_IF_ERROR(Apply(w));
  if (spec->to) w.c.state = *spec->to;
  w.c.version = before.version + 1;
  w.c.updated_at = now;

  Decision d;
  model::CaseLogEntry e;
  e.case_id = before.id;
  e.at = now;
  e.actor = actor.name;
  e.action = std::string(spec->name);
  e.from_state = std::string(model::CaseStateName(before.state));
  e.to_state = std::string(model::CaseStateName(w.c.state));
  if (!w.reason.empty()) w.detail["reason"] = w.reason;
  e.detail_json = w.detail.dump(-1, ' ', false, json::error_handler_t::replace);
  d.log.push_back(std::move(e));
  d.after = std::move(w.c);
  d.other_after = std::move(w.other_after);
  d.audit_action = fmt::format("case.{}", spec->name);
  d.reason = w.reason;
  return d;
}

}  // namespace yuqing::cases
