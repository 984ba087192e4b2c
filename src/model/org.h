// The organisation that answers for public opinion (docs/organisation.md): the departments of
// each region with the domains they are in charge of, the general office and the propaganda
// department that coordinate, the governments and their leaders, vertically managed
// departments and their superiors, spokespersons and 24-hour duty contacts; and the table
// that turns an event's grade into the level that handles it (State Council Notice No. 61:
// 属地管理、分级负责、谁主管谁负责).
// Plain values; the org module loads, validates and routes with them.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"

namespace yuqing::model {

// GB/T 2260 levels with the nation as the root. Ordered from the top: a smaller value is a
// higher level.
enum class RegionLevel { kNational, kProvince, kPrefecture, kCounty };
inline constexpr std::string_view kRegionLevelNames[] = {"national", "province", "prefecture",
                                                         "county"};
inline constexpr std::string_view kRegionLevelNamesZh[] = {"国家", "省级", "市级", "县级"};
// "national", "province", "prefecture", "county"
inline std::string_view RegionLevelName(RegionLevel l) {
  return kRegionLevelNames[static_cast<int>(l)];
}
inline std::string_view RegionLevelNameZh(RegionLevel l) {
  return kRegionLevelNamesZh[static_cast<int>(l)];
}
inline std::optional<RegionLevel> ParseRegionLevel(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kRegionLevelNames[i] == name) return static_cast<RegionLevel>(i);
  }
  return std::nullopt;
}
// True when `a` is strictly above `b` (national above province …).
inline bool IsAbove(RegionLevel a, RegionLevel b) {
  return static_cast<int>(a) < static_cast<int>(b);
}

// What a department is for in routing.
enum class DepartmentKind {
  kGovernment,     // 人民政府 (国务院 at the national level): holds the leaders
  kGeneralOffice,  // 政府办公厅（室）: coordinates the response at its level
  kPropaganda,  // 党委宣传部（网信办）/ 国务院新闻办: coordinates with the general office
  kFunctional,  // a 职能部门 in charge of one or more domains (公安 is one, domain
                // public_security)
};
inline constexpr std::string_view kDepartmentKindNames[] = {"government", "general_office",
                                                            "propaganda", "functional"};
// "government", "general_office", "propaganda", "functional"
inline std::string_view DepartmentKindName(DepartmentKind k) {
  return kDepartmentKindNames[static_cast<int>(k)];
}
inline std::optional<DepartmentKind> ParseDepartmentKind(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kDepartmentKindNames[i] == name) return static_cast<DepartmentKind>(i);
  }
  return std::nullopt;
}

enum class LeaderRole {
  kPrincipal,  // 主要负责同志: first responsible for major public opinion
  kInCharge,   // 分管负责同志: directly responsible for the domains in charge
};
// "principal", "in_charge"
inline std::string_view LeaderRoleName(LeaderRole r) {
  return r == LeaderRole::kPrincipal ? "principal" : "in_charge";
}
inline std::optional<LeaderRole> ParseLeaderRole(std::string_view name) {
  if (name == "principal") return LeaderRole::kPrincipal;
  if (name == "in_charge") return LeaderRole::kInCharge;
  return std::nullopt;
}

struct Leader {
  LeaderRole role = LeaderRole::kInCharge;
  std::string name;   // as the organisation wants it shown; the example uses placeholders
  std::string title;  // 职务: 市长, 副区长 …
  std::string phone;
  std::vector<Domain> domains;  // in charge of (for kInCharge)
};

// A spokesperson (新闻发言人) or the 24-hour duty contact (24小时值班).
struct Contact {
  std::string name;
  std::string phone;
  bool empty() const { return name.empty() && phone.empty(); }
};

struct Department {
  std::string id;                            // stable, chosen by the organisation: "cz.env"
  std::string name;                          // official full name: "长治市生态环境局"
  std::vector<std::string> aliases;          // other names used in text: "长治市环保局"
  std::string region;                        // GB/T 2260 code; "000000" is the nation
  RegionLevel level = RegionLevel::kCounty;  // derived from the region when loaded
  DepartmentKind kind = DepartmentKind::kFunctional;
  std::vector<Domain> domains;  // in charge of (functional departments)
  std::string superior;         // id of the superior department; required when vertical
  bool vertical = false;        // 垂直管理: the superior department's office coordinates
  std::vector<Leader> leaders;  // governments: the principal leader and leaders in charge
  Contact spokesperson;
  Contact duty;
};

// How an event's grade (1 = I 特别重大 … 4 = IV 一般) sets the handling level.
struct GradeRule {
  RegionLevel level = RegionLevel::kCounty;
  bool inform_national = false;   // tell the State Council department in charge
  bool principal_leader = false;  // the principal leader at the handling level leads
  bool press_conference = false;  // a press conference within 24 hours, the government releases
  bool operator==(const GradeRule&) const = default;
};

struct RoutingConfig {
  // Index 0 is grade I. Defaults: I province (+ State Council informed, principal leader,
  // press conference), II province (+ press conference), III prefecture, IV county.
  std::array<GradeRule, 4> grades = {{
      {RegionLevel::kProvince, true, true, true},
      {RegionLevel::kProvince, false, false, true},
      {RegionLevel::kPrefecture, false, false, false},
      {RegionLevel::kCounty, false, false, false},
  }};
  bool operator==(const RoutingConfig&) const = default;
};

struct Organisation {
  std::string name;                     // what the organisation calls itself, shown in the UI
  std::vector<Department> departments;  // in the order written; order breaks ties in routing
  RoutingConfig routing;
};

}  // namespace yuqing::model
