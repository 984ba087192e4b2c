#include "access/access.h"

#include <array>

namespace yuqing::access {
namespace {

using model::Role;

struct Row {
  Permission permission;
  std::string_view name;
  bool ingest_token;  // an ingest-only token has it
  // admin, monitor, analyst, responder, leader, coordinator
  std::array<bool, model::kRoleCount> roles;
};

// The one permission table (docs/accounts.md, "Who may do what"). Leaders and coordinators
// read within their region (RegionScope); responders see the cases of their department
// (server/cases_api.cc) and nothing of monitoring. Reviewing a response and approving a rumour
// hand-over are a leader's (and for rumours a coordinator's) acts, never an administrator's:
// the second person of a two-person rule must be someone the office named for it.
constexpr bool A = true, _ = false;
constexpr Row kTable[kPermissionCount] = {
    //                                              ingest adm mon ana res lea coo
    {Permission::kIngestPosts, "ingest_posts", A, {A, A, _, _, _, _}},
    {Permission::kReadPosts, "read_posts", _, {A, A, A, _, A, A}},
    {Permission::kReadEvents, "read_events", _, {A, A, A, _, A, A}},
    {Permission::kReadRules, "read_rules", _, {A, A, A, _, _, _}},
    {Permission::kManageRules, "manage_rules", _, {A, A, A, _, _, _}},
    {Permission::kReadAlerts, "read_alerts", _, {A, A, A, _, A, A}},
    {Permission::kAckAlerts, "ack_alerts", _, {A, A, A, _, _, A}},
    {Permission::kReadPolicies, "read_policies", _, {A, A, A, _, _, A}},
    {Permission::kManagePolicies, "manage_policies", _, {A, A, A, _, _, _}},
    {Permission::kReadOutbox, "read_outbox", _, {A, A, _, _, _, _}},
    {Permission::kRetryOutbox, "retry_outbox", _, {A, A, _, _, _, _}},
    {Permission::kReadOrg, "read_org", _, {A, A, A, A, A, A}},
    {Permission::kManageOrg, "manage_org", _, {A, _, _, _, _, _}},
    {Permission::kRoute, "route", _, {A, A, A, _, A, A}},
    {Permission::kDecideRouting, "decide_routing", _, {A, _, A, _, _, A}},
    {Permission::kReadAudit, "read_audit", _, {A, _, _, _, A, A}},
    {Permission::kManageAudit, "manage_audit", _, {A, _, _, _, _, _}},
    {Permission::kManageUsers, "manage_users", _, {A, _, _, _, _, _}},
    {Permission::kManageTokens, "manage_tokens", _, {A, _, _, _, _, _}},
    {Permission::kOwnTokens, "own_tokens", _, {A, A, A, A, A, A}},
    {Permission::kSelf, "self", _, {A, A, A, A, A, A}},
    {Permission::kReadCases, "read_cases", _, {A, A, A, A, A, A}},
    {Permission::kOpenCases, "open_cases", _, {A, A, A, _, _, A}},
    {Permission::kJudgeCases, "judge_cases", _, {A, _, A, _, _, A}},
    {Permission::kAssignCases, "assign_cases", _, {A, _, _, _, _, A}},
    {Permission::kHandleCases, "handle_cases", _, {A, _, _, A, _, A}},
    {Permission::kApproveResponses, "approve_responses", _, {_, _, _, _, A, _}},
    {Permission::kSupervise, "supervise", _, {A, _, _, _, A, A}},
    {Permission::kJudgeRumours, "judge_rumours", _, {A, _, A, _, _, A}},
    {Permission::kApproveRumours, "approve_rumours", _, {_, _, _, _, A, A}},
    {Permission::kReadAssessment, "read_assessment", _, {A, _, A, _, A, A}},
    {Permission::kManageRiskAssessments, "manage_risk_assessments", _, {A, _, A, _, A, A}},
    {Permission::kSweepCases, "sweep_cases", _, {A, _, _, _, _, A}},
    // Monitors compile the daily report upward (seeds 002, 004); analysts write special
    // reports; leaders and coordinators receive and forward them. Responders see their
    // department's cases only, not the region's picture.
    {Permission::kReadReports, "read_reports", _, {A, A, A, _, A, A}},
    {Permission::kManageSources, "manage_sources", _, {A, _, _, _, _, _}},
    // Those who compile reports archive and submit them; leaders and coordinators record a
    // receipt the superior office confirmed another way (by telephone, on paper).
    {Permission::kSubmitReports, "submit_reports", _, {A, A, A, _, _, A}},
    {Permission::kReceiveReports, "receive_reports", _, {A, _, _, _, A, A}},
    // Who judges events (analysts) and who runs the response (coordinators) say which events
    // are one incident; the clusterer cannot always see it (docs/events.md "Merging by hand").
    {Permission::kMergeEvents, "merge_events", _, {A, _, A, _, _, A}},
};

const Row& RowOf(Permission p) { return kTable[static_cast<int>(p)]; }

}  // namespace

Principal Principal::ForUser(const model::User& user) {
  Principal p;
  p.user_id = user.id;
  p.name = user.name;
  p.role = user.role;
  p.department_id = user.department_id;
  p.region_code = user.region_code;
  return p;
}

Principal Principal::IngestToken(std::string token_name) {
  Principal p;
  p.name = std::move(token_name);
  return p;
}

std::string_view PermissionName(Permission p) { return RowOf(p).name; }

bool Allowed(const Principal& who, Permission p) {
  const Row& row = RowOf(p);
  if (!who.role) return row.ingest_token;
  return row.roles[static_cast<int>(*who.role)];
}

std::vector<model::Role> RolesWith(Permission p) {
  std::vector<model::Role> out;
  for (Role r : model::kAllRoles) {
    if (RowOf(p).roles[static_cast<int>(r)]) out.push_back(r);
  }
  return out;
}

std::string RegionPrefix(std::string_view code) {
  std::string c(code);
  if (c.empty() || c == "000000") return "";
  // GB/T 2260: two digits each for province, prefecture and county; zeros mean "the whole".
  while (c.size() > 2 && c.ends_with("00")) c.resize(c.size() - 2);
  return c;
}

std::optional<std::string> RegionScope(const Principal& who) {
  if (who.role == Role::kLeader || who.role == Role::kCoordinator) {
    return RegionPrefix(who.region_code);
  }
  return std::nullopt;
}

bool InRegionScope(const std::optional<std::string>& scope, std::span<const std::string> regions) {
  if (!scope || scope->empty()) return true;
  for (const auto& r : regions) {
    if (r.starts_with(*scope)) return true;
  }
  return false;
}

std::optional<std::string> NarrowRegion(const std::optional<std::string>& scope,
                                        std::string_view requested) {
  std::string want = RegionPrefix(requested);
  if (!scope) return want;
  if (want.starts_with(*scope)) return want;    // within the scope (or equal)
  if (scope->starts_with(want)) return *scope;  // broader than the scope
  return std::nullopt;
}

}  // namespace yuqing::access
