// Account rules shared by the HTTP API and the command line: which names are valid, how a role
// is bound (a responder to a department of the organisation, a leader or coordinator to a
// region), the JSON of a user, and the audit draft of a change. Internal to server/ and cli/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "access/access.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/account.h"
#include "model/audit.h"
#include "model/org.h"
#include "org/region_tree.h"

namespace yuqing::server {

// 1–64 characters: letters, digits, '.', '_', '-' or CJK characters. InvalidArgument says why.
Status CheckUserName(std::string_view name);

// A role's binding: responders name a department of `org`; leaders and coordinators a region
// of `regions` (coordinators may also name their office: a general office or propaganda
// department); the other roles are bound to nothing. `org` and `regions` may be null when
// none is loaded: a binding that needs one is then refused, saying what to load.
Status CheckUserBinding(const model::User& user, const org::RegionTree* regions,
                        const model::Organisation* org);

// Refuses a new organisation that lacks a department some user is bound to (a responder, or a
// coordinator's office): FailedPrecondition naming up to ten of them, so nobody is left bound
// to nothing. Rebind or disable those users first.
Status CheckBoundUsers(const std::vector<model::User>& users, const model::Organisation& org);

// {"id","name","display_name","role","role_zh","department","region","disabled",
//  "created_at","updated_at"}: never the password hash.
nlohmann::json UserJson(const model::User& user);
nlohmann::json TokenJson(const model::ApiToken& token);

// An audit draft for a change made by `who` (user id and name) at `at`.
model::AuditDraft Draft(const access::Principal& who, core::TimePoint at, std::string action,
                        std::string object_type, std::string object_id, std::string from_json,
                        std::string to_json, std::string reason = "");

// The principal the command line acts as: "cli:<login name>" (the OS user), no user id, the
// administrator's role (whoever can open the database file can change it anyway).
access::Principal CommandLinePrincipal();

}  // namespace yuqing::server
