// What the case endpoints and the case commands share (docs/cases.md): the service options
// from the configuration, opening a case from an event (detection time, routing), who may see
// a case, and the automatic opening of cases from alerts. Internal to server/ and cli/.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "access/access.h"
#include "cases/service.h"
#include "core/config.h"
#include "org/routing.h"
#include "store/store.h"

namespace yuqing::server {

// cases.policy, cases.notify and ui.language as service options. InvalidArgument names the
// key and what is wrong.
Result<cases::ServiceOptions> CaseOptionsFromConfig(const core::Config& config);

// The request to open a case from `event`: its title and grade, the region its posts name,
// detection at the event's first alert (the case's creation when it has none), and the
// routing of responsibility when an organisation is stored (`router` may be null: no
// suggestion). `body` may override title, description, grade and policy.
Result<cases::OpenRequest> EventOpenRequest(store::Store& store, const org::Router* router,
                                            const model::EventRecord& event,
                                            const cases::ServiceOptions& options,
                                            const nlohmann::json& body, core::TimePoint now);

// The routing input an event suggests (routing_api.cc).
nlohmann::json SuggestedRoutingInput(const model::EventRecord& event);

// The actions behind one permission: one route /api/v1/cases/{id}/(a|b|c) per group.
struct ActionGroup {
  access::Permission permission;
  std::vector<std::string_view> actions;
};
const std::vector<ActionGroup>& ActionGroups();
// The permission an action needs; nullopt for an unknown or system-only action.
std::optional<access::Permission> ActionPermission(std::string_view action);

// An open case of the event (not merged away), if any.
Result<std::optional<model::Case>> OpenCaseOfEvent(store::CaseStore& cases, int64_t event_id);

// Whether `who` may see the case: a responder the cases its department was ever assigned, a
// leader or coordinator those in its region (by the case's region or handling region).
bool CaseVisible(const access::Principal& who, const model::Case& c);
// Whether `who` sees the petitioner's name and contact: those handling the case.
bool SeesContact(const access::Principal& who, const model::Case& c);

// Adds to a case's JSON what is derived from it and its event (case_analysis.cc): whether each
// published response worked ("effects"), the failure patterns ("patterns") and contradicting
// figures ("contradictions").
void AddCaseAnalysis(store::Store& store, const model::Case& c, core::TimePoint now,
                     nlohmann::json& out);
// The facts a post-event evaluation starts from: the timeline, the clocks against their
// deadlines, the verdicts on the responses, the heat curve.
Result<nlohmann::json> EvaluationFacts(store::Store& store, const model::Case& c,
                                       core::TimePoint now);
// The casualty and loss figures a response text states (analysis::ExtractCasualties), as the
// "figures" field of draft_response.
nlohmann::json ExtractFigures(const std::string& text);

// The assessment of departments (cases/assessment.h) for params {"from", "to" (ISO-8601),
// "weights" (JSON object text), "region" (prefix, optional)}: the report as JSON, or with
// `csv` the CSV text (as a JSON string) in `lang`. InvalidArgument for bad params.
Result<nlohmann::json> AssessmentReport(store::Store& store, const nlohmann::json& params,
                                        core::TimePoint now, std::string_view lang, bool csv);

// The assessment by period for params {"from", "to", "period" (week, month or quarter; default
// month), "tz" (default +08:00), "weights", "region"}: per period its cases and the department
// figures pooled over departments (a case two departments handled counts for each). Periods
// begin at the zone's Monday / first of the month / quarter; the first and last may be partial.
Result<nlohmann::json> AssessmentSeries(store::Store& store, const nlohmann::json& params,
                                        core::TimePoint now);

// Opens a case for every alert of the policies in cases.open_from_policies raised after
// alert id `after_alert` whose event has no open case; returns the last alert id looked at.
// Errors of single alerts are logged and skipped.
Result<int64_t> OpenCasesFromAlerts(store::Store& store, cases::CaseService& service,
                                    const org::Router* router, const core::Config& config,
                                    int64_t after_alert, int* opened);

}  // namespace yuqing::server
