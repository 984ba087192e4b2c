// People who use yuqing and what they may act as: users with one role each, bound to a
// department (responders) or a region (leaders, coordinators), and API tokens that act as a
// user or only ingest (docs/accounts.md). Plain values; the access module decides what a
// role may do, the store keeps them.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace yuqing::model {

enum class Role {
  kAdmin,        // 系统管理员: users, the organisation, tokens; everything else too
  kMonitor,      // 监测员: watches posts, events and alerts; manages rules and policies
  kAnalyst,      // 研判员: judges events; manages rules and policies; routes responsibility
  kResponder,    // 责任单位经办人: answers for one department
  kLeader,       // 领导: sees its region and below
  kCoordinator,  // 政府办公厅 / 宣传部门: coordinates the response of one region
};
inline constexpr int kRoleCount = 6;
inline constexpr std::array<Role, kRoleCount> kAllRoles = {Role::kAdmin,   Role::kMonitor,
                                                           Role::kAnalyst, Role::kResponder,
                                                           Role::kLeader,  Role::kCoordinator};

// "admin", "monitor", "analyst", "responder", "leader", "coordinator"
inline std::string_view RoleName(Role r) {
  static constexpr std::string_view kNames[] = {"admin",     "monitor", "analyst",
                                                "responder", "leader",  "coordinator"};
  return kNames[static_cast<int>(r)];
}
inline std::string_view RoleNameZh(Role r) {
  static constexpr std::string_view kNames[] = {"系统管理员",     "监测员", "研判员",
                                                "责任单位经办人", "领导",   "协调部门"};
  return kNames[static_cast<int>(r)];
}
inline std::optional<Role> ParseRole(std::string_view s) {
  for (Role r : kAllRoles) {
    if (RoleName(r) == s) return r;
  }
  return std::nullopt;
}

struct User {
  int64_t id = 0;
  std::string name;          // login name: 1–64 of [A-Za-z0-9._-] or CJK; unique
  std::string display_name;  // shown in the interface, e.g. 张三（示例）
  Role role = Role::kMonitor;
  std::string department_id;  // responder (required), coordinator (its office, optional)
  std::string region_code;    // leader and coordinator (required): GB/T 2260, "" = national
  bool disabled = false;
  std::string password_hash;  // Argon2id in libsodium's encoded form; never shown
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// What a token may do: act as its user with the user's role (kUser, made by a person for a
// script; kSession, made by a login and expiring), or only ingest posts.
enum class TokenScope { kUser, kSession, kIngest };
inline std::string_view TokenScopeName(TokenScope s) {
  return s == TokenScope::kIngest ? "ingest" : s == TokenScope::kSession ? "session" : "user";
}

struct ApiToken {
  int64_t id = 0;
  std::string name;     // unique
  int64_t user_id = 0;  // 0 for an ingest-only token
  TokenScope scope = TokenScope::kUser;
  core::TimePoint created_at{};
  std::optional<core::TimePoint> revoked_at;
  std::optional<core::TimePoint> expires_at;  // sessions
};

}  // namespace yuqing::model
