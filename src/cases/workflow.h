// cases owns the response half of yuqing: a case's lifecycle (this file), its clocks
// (deadlines.h), the supervision ladder (sweep.h), whether responses worked (effectiveness.h),
// failure patterns (patterns.h), contradicting figures (figures.h), the assessment of
// departments (assessment.h) and the post-event evaluation (evaluation.h). Every decision is a
// pure function on values; service.h applies them through the case store, one transaction per
// change with its audit entry. The state machine is described in docs/cases.md "States".
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/case.h"
#include "model/org.h"

namespace yuqing::cases {

// Who may take an action, checked on top of the endpoint's permission (which the server
// checks from the access table): e.g. only a responder of the case's main department accepts.
enum class ActorRule {
  kAny,        // whoever holds the endpoint's permission
  kMainDept,   // a responder of the active main department (others holding the permission:
               // coordinators and administrators act for the office)
  kCaseDept,   // a responder of the main or an assisting department (or the office)
  kNotAuthor,  // a leader who did not draft the response
  kNotJudge,   // someone other than the one who judged the rumour
  kSystem,     // the sweep and the event follower only
};

struct ActionSpec {
  std::string_view name;               // "accept"
  std::string_view zh;                 // "签收"
  std::vector<model::CaseState> from;  // states it is allowed in
  std::optional<model::CaseState> to;  // nullopt: the state does not change
  ActorRule rule = ActorRule::kAny;
};

// Every action, in the order docs/cases.md lists them.
const std::vector<ActionSpec>& Actions();
const ActionSpec* FindAction(std::string_view name);

// The actions allowed for a case in its current state (a merged case allows none).
std::vector<std::string_view> AllowedActions(const model::Case& c);

struct Command {
  std::string action;
  nlohmann::json args = nlohmann::json::object();  // the action's fields (docs/cases.md)
};

// What a decision may need beyond the case itself.
struct DecideContext {
  // The organisation, to check department ids and to place hand-overs between levels; when
  // null, department ids are taken as given.
  const model::Organisation* organisation = nullptr;
  // merge: the case this one is merged into (its id is args.into).
  const model::Case* other = nullptr;
};

// One decided change: the whole case after it, its log line(s), notices for the outbox, and
// the audit action. `other_after` is the second case a merge changes.
struct Decision {
  model::Case after;
  std::vector<model::CaseLogEntry> log;
  std::vector<model::NewAlert> notices;
  std::string audit_action;  // "case.accept"
  std::string reason;        // the reason given, for the audit entry
  std::optional<model::Case> other_after;
};

// Opening a case. `detected_at` is the event's first alert (or now when opened by hand).
struct OpenRequest {
  std::string title;
  std::string description;
  model::CaseOrigin origin = model::CaseOrigin::kManual;
  int64_t event_id = 0;
  int grade = 4;
  std::string region;
  core::TimePoint detected_at{};
  model::CasePolicy policy;
  std::vector<std::string> suggested_departments;  // from the routing
  std::string routing_json;
  std::string handling_region;  // from the routing; "" = the case's region
  std::optional<model::PetitionerContact> petitioner;
  int64_t risk_assessment_id = 0;
};

// InvalidArgument for a missing title, a grade outside 1..4, a detection after `now`, a
// petitioner on a case that is not from the hotline or a mailbox.
Result<Decision> Open(const OpenRequest& request, const access::Principal& actor,
                      core::TimePoint now);

// Decides one action. Errors, and nothing changes:
//   InvalidArgument     an unknown action or a field that is missing or wrong (names it);
//   FailedPrecondition  the case is in the wrong state (names the state, the states the
//                       action needs and the actions allowed now), a response to a closed
//                       case, closing without an evaluation, a merged case;
//   PermissionDenied    the actor is not the one the action needs (a responder of another
//                       department, the response's own author approving it, the judge of a
//                       rumour approving it).
Result<Decision> Decide(const model::Case& before, const access::Principal& actor,
                        const Command& command, core::TimePoint now, const DecideContext& ctx);

// Brief JSON of a case's workflow position, for audit entries: id, version, state, grade,
// main department.
nlohmann::json CaseBrief(const model::Case& c);
// The active main assignment, or nullptr.
const model::Assignment* MainAssignment(const model::Case& c);

}  // namespace yuqing::cases
