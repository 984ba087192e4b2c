// access owns who may do what: the permission table every endpoint and command is checked
// against, the scope of a bound role (a leader's region, a responder's department), and the
// principal a request acts as (docs/accounts.md). Pure: values in, decisions out; safe to share.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "model/account.h"

namespace yuqing::access {

// Who a request acts as: a user with its role (through a user token or a session), or an
// ingest-only token (no role).
struct Principal {
  int64_t user_id = 0;  // 0 for an ingest-only token
  std::string name;     // user name; the token's name for an ingest token
  std::optional<model::Role> role;
  std::string department_id;  // responders
  std::string region_code;    // leaders and coordinators: their region ("" = national)

  static Principal ForUser(const model::User& user);
  static Principal IngestToken(std::string token_name);
  bool ingest_only() const { return !role.has_value(); }
};

// One thing a request may do. Every endpoint names exactly one (server/, the route table).
enum class Permission {
  kIngestPosts,       // POST posts
  kReadPosts,         // search, an event's posts (scoped for leaders and coordinators)
  kReadEvents,        // the event list and details (scoped)
  kReadRules,         // rules and keyword lists
  kManageRules,       // create, change, dry-run and delete rules and lists
  kReadAlerts,        // alerts and their live stream (scoped)
  kAckAlerts,         // acknowledge an alert
  kReadPolicies,      // alert policies
  kManagePolicies,    // create, change, delete alert policies
  kReadOutbox,        // delivery state of alerts
  kRetryOutbox,       // put a dead letter back
  kReadOrg,           // the organisation directory
  kManageOrg,         // replace or edit the organisation
  kRoute,             // compute a responsibility routing (nothing is stored)
  kDecideRouting,     // record a routing decision for an event (audited)
  kReadAudit,         // read the audit log and checkpoints
  kManageAudit,       // verify the whole log, sign a checkpoint
  kManageUsers,       // create, change, disable users; reset passwords
  kManageTokens,      // tokens of any user, ingest tokens
  kOwnTokens,         // one's own tokens
  kSelf,              // one's own account: who am I, change own password, log out
  kReadCases,         // cases, their logs, deadlines, risk assessments (scoped: a responder sees
                      // its department's cases, leaders and coordinators their region's)
  kOpenCases,         // open a case from an event, a hotline or mailbox record, or by hand
  kJudgeCases,        // judge, regrade, change the deadline policy, open a round, evaluate
  kAssignCases,       // assign, reassign, decide disputes, merge, extend, close, reopen
  kHandleCases,       // accept, return, dispute, report up, draft responses, tasks, replies
  kApproveResponses,  // review a response before release (审核): never the author's own
  kSupervise,         // supervision items, notices of criticism, interviews, commendations
  kJudgeRumours,      // mark a claim as a rumour with evidence (one person)
  kApproveRumours,    // approve or reverse a rumour hand-over (another person)
  kReadAssessment,    // the assessment of departments and its CSV
  kManageRiskAssessments,  // record pre-decision risk assessments
  kSweepCases,             // run the deadline and supervision sweep by hand
  kReadReports,     // reports upward (daily … special, evaluation), scoped like the reads they
                    // sum up; the assessment notice also needs kReadAssessment
  kManageSources,   // add, change, pause and remove configured sources (docs/collect.md)
  kSubmitReports,   // archive a report now and submit archived reports upward (报送)
  kReceiveReports,  // record that a submission was received (签收) by the superior office
  kMergeEvents,     // merge an event into another by hand (合并事件, audited)
};
inline constexpr int kPermissionCount = 38;

// "ingest_posts", "read_posts", …
std::string_view PermissionName(Permission p);

// Whether the principal's role (or an ingest token) has the permission. Scope is separate:
// a leader may read events, but only those of its region (InRegionScope).
bool Allowed(const Principal& who, Permission p);

// The roles that have a permission, in kAllRoles order (docs/accounts.md prints this table).
std::vector<model::Role> RolesWith(Permission p);

// The GB/T 2260 code prefix that covers a region and everything below it: "14" for 140000
// (a province), "1404" for 140400 (a prefecture), "140403" for a county, "" for the nation
// ("" or "000000").
std::string RegionPrefix(std::string_view code);

// The region prefix a principal's reads are limited to: the bound region for leaders and
// coordinators; nullopt (everything) for the other roles.
std::optional<std::string> RegionScope(const Principal& who);

// Whether something located in `regions` (GB/T codes) is visible under `scope`: every thing is
// visible without a scope; with one, at least one region must lie within it.
bool InRegionScope(const std::optional<std::string>& scope, std::span<const std::string> regions);

// Narrows a requested region filter (a code prefix, "" = any) to a scope: the request when it
// lies within the scope, the scope when the request is broader, nullopt when they do not meet
// (the answer is empty).
std::optional<std::string> NarrowRegion(const std::optional<std::string>& scope,
                                        std::string_view requested);

}  // namespace yuqing::access
