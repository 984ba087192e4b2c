#include "access/access.h"

#include <gtest/gtest.h>

#include <vector>

namespace yuqing::access {
namespace {

using model::Role;

Principal As(Role role, std::string region = "", std::string department = "") {
  model::User u;
  u.id = 7;
  u.name = "u";
  u.role = role;
  u.region_code = std::move(region);
  u.department_id = std::move(department);
  return Principal::ForUser(u);
}

TEST(AccessTest, IngestTokenMayOnlyIngest) {
  Principal token = Principal::IngestToken("collector");
  EXPECT_TRUE(token.ingest_only());
  for (int i = 0; i < kPermissionCount; ++i) {
    auto p = static_cast<Permission>(i);
    EXPECT_EQ(Allowed(token, p), p == Permission::kIngestPosts) << PermissionName(p);
  }
}

TEST(AccessTest, OnlyAdminsManageUsersOrganisationAndOtherTokens) {
  for (Role r : model::kAllRoles) {
    bool admin = r == Role::kAdmin;
    EXPECT_EQ(Allowed(As(r), Permission::kManageUsers), admin) << model::RoleName(r);
    EXPECT_EQ(Allowed(As(r), Permission::kManageOrg), admin) << model::RoleName(r);
    EXPECT_EQ(Allowed(As(r), Permission::kManageTokens), admin) << model::RoleName(r);
    EXPECT_TRUE(Allowed(As(r), Permission::kSelf)) << model::RoleName(r);
    EXPECT_TRUE(Allowed(As(r), Permission::kReadOrg)) << model::RoleName(r);
  }
}

TEST(AccessTest, MonitorsAndAnalystsManageRulesResponderSeesNoMonitoring) {
  EXPECT_TRUE(Allowed(As(Role::kMonitor), Permission::kManageRules));
  EXPECT_TRUE(Allowed(As(Role::kAnalyst), Permission::kManageRules));
  EXPECT_FALSE(Allowed(As(Role::kLeader), Permission::kManageRules));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kReadPosts));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kReadEvents));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kReadAlerts));
}

// The administrator holds every permission except the second person of the two-person rules:
// reviewing a response and approving a rumour hand-over are a leader's (and a coordinator's).
TEST(AccessTest, EveryPermissionHasANameAndAnAdminExceptTheTwoPersonActs) {
  for (int i = 0; i < kPermissionCount; ++i) {
    auto p = static_cast<Permission>(i);
    EXPECT_FALSE(PermissionName(p).empty());
    auto roles = RolesWith(p);
    ASSERT_FALSE(roles.empty());
    bool two_person = p == Permission::kApproveResponses || p == Permission::kApproveRumours;
    EXPECT_EQ(roles.front() == Role::kAdmin, !two_person) << PermissionName(p);
  }
  EXPECT_EQ(RolesWith(Permission::kApproveResponses), std::vector<Role>{Role::kLeader});
  EXPECT_EQ(RolesWith(Permission::kApproveRumours),
            (std::vector<Role>{Role::kLeader, Role::kCoordinator}));
}

TEST(AccessTest, ReportsAreForMonitorsAnalystsLeadersAndCoordinatorsNotResponders) {
  EXPECT_EQ(RolesWith(Permission::kReadReports),
            (std::vector<Role>{Role::kAdmin, Role::kMonitor, Role::kAnalyst, Role::kLeader,
                               Role::kCoordinator}));
  EXPECT_EQ(PermissionName(Permission::kReadReports), "read_reports");
}

TEST(AccessTest, ResponderWorksItsCasesButNeitherOpensNorAssignsThem) {
  EXPECT_TRUE(Allowed(As(Role::kResponder), Permission::kReadCases));
  EXPECT_TRUE(Allowed(As(Role::kResponder), Permission::kHandleCases));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kOpenCases));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kAssignCases));
  EXPECT_FALSE(Allowed(As(Role::kResponder), Permission::kApproveResponses));
  EXPECT_FALSE(Allowed(As(Role::kMonitor), Permission::kHandleCases));
  EXPECT_TRUE(Allowed(As(Role::kCoordinator), Permission::kAssignCases));
}

TEST(AccessTest, RegionPrefixCoversTheRegionAndBelow) {
  EXPECT_EQ(RegionPrefix("140000"), "14");
  EXPECT_EQ(RegionPrefix("140400"), "1404");
  EXPECT_EQ(RegionPrefix("140403"), "140403");
  EXPECT_EQ(RegionPrefix(""), "");
  EXPECT_EQ(RegionPrefix("000000"), "");
  EXPECT_EQ(RegionPrefix("1404"), "1404");
}

TEST(AccessTest, LeaderSeesItsRegionAndBelowOnly) {
  auto scope = RegionScope(As(Role::kLeader, "140400"));
  ASSERT_TRUE(scope.has_value());
  std::vector<std::string> changzhi_county = {"140403"};
  std::vector<std::string> taiyuan = {"140100"};
  std::vector<std::string> both = {"140100", "140406"};
  std::vector<std::string> province = {"140000"};
  std::vector<std::string> none;
  EXPECT_TRUE(InRegionScope(scope, changzhi_county));
  EXPECT_FALSE(InRegionScope(scope, taiyuan));
  EXPECT_TRUE(InRegionScope(scope, both));
  EXPECT_FALSE(InRegionScope(scope, province));  // the province is above, not below
  EXPECT_FALSE(InRegionScope(scope, none));
  // Unbound roles see everything; a national leader too.
  EXPECT_FALSE(RegionScope(As(Role::kAnalyst)).has_value());
  EXPECT_TRUE(InRegionScope(RegionScope(As(Role::kLeader, "")), taiyuan));
}

TEST(AccessTest, NarrowRegionKeepsRequestsInsideTheScope) {
  std::optional<std::string> scope = "1404";
  EXPECT_EQ(NarrowRegion(scope, "140403"), "140403");
  EXPECT_EQ(NarrowRegion(scope, ""), "1404");
  EXPECT_EQ(NarrowRegion(scope, "14"), "1404");
  EXPECT_EQ(NarrowRegion(scope, "1401"), std::nullopt);
  EXPECT_EQ(NarrowRegion(std::nullopt, "1401"), "1401");
}

}  // namespace
}  // namespace yuqing::access
