#include "server/accounts.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>

#include "core/time.h"
#include "core/utf8.h"

namespace yuqing::server {

using nlohmann::json;

Status CheckUserName(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("a user needs a name");
  if (!core::IsValidUtf8(name)) {
    return Status::InvalidArgument("user name: not valid UTF-8");
  }
  size_t chars = core::CountCodePoints(name);
  if (chars > 64) {
    return Status::InvalidArgument(
        fmt::format("user name \"{}\": {} characters, at most 64", name, chars));
  }
  for (size_t pos = 0; pos < name.size();) {
    char32_t c = core::DecodeUtf8(name, pos);
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-' || core::IsCjk(c);
    if (!ok) {
      std::string ch;
      core::AppendUtf8(c, ch);
      return Status::InvalidArgument(
          fmt::format("user name \"{}\": \"{}\" is not allowed (letters, digits, . _ - and Chinese "
                      "characters are)",
                      name, ch));
    }
  }
  return Status::Ok();
}

Status CheckUserBinding(const model::User& user, const org::RegionTree* regions,
                        const model::Organisation* org) {
  using model::Role;
  auto need_department = [&](bool required) -> Status {
    if (user.department_id.empty()) {
      if (!required) return Status::Ok();
      return Status::InvalidArgument(
          fmt::format("user \"{}\": a {} is bound to a department (--department ID)", user.name,
                      model::RoleName(user.role)));
    }
    if (org == nullptr) {
      return Status::FailedPrecondition(fmt::format(
          "user \"{}\": department \"{}\" cannot be checked: no organisation is stored yet "
          "(yuqing org import FILE)",
          user.name, user.department_id));
    }
    const model::Department* d = nullptr;
    for (const auto& dep : org->departments) {
      if (dep.id == user.department_id) d = &dep;
    }
    if (d == nullptr) {
      return Status::NotFound(fmt::format("user \"{}\": no department \"{}\" in the organisation",
                                          user.name, user.department_id));
    }
    if (user.role == Role::kCoordinator && d->kind != model::DepartmentKind::kGeneralOffice &&
        d->kind != model::DepartmentKind::kPropaganda) {
      return Status::InvalidArgument(fmt::format(
          "user \"{}\": a coordinator works in a general office or a propaganda department; "
          "\"{}\" is neither",
          user.name, user.department_id));
    }
    return Status::Ok();
  };
  auto need_region = [&]() -> Status {
    if (user.region_code.empty()) {
      return Status::InvalidArgument(fmt::format(
          "user \"{}\": a {} is bound to a region (--region CODE, e.g. 140400; 000000 for the "
          "nation)",
          user.name, model::RoleName(user.role)));
    }
    if (regions == nullptr) {
      return Status::FailedPrecondition(
          fmt::format("user \"{}\": region \"{}\" cannot be checked: the gazetteer is missing",
                      user.name, user.region_code));
    }
    if (regions->Find(user.region_code) == nullptr) {
      return Status::NotFound(fmt::format("user \"{}\": \"{}\" is not a GB/T 2260 region code",
                                          user.name, user.region_code));
    }
    return Status::Ok();
  };
  switch (user.role) {
    case Role::kResponder:
      if (!user.region_code.empty()) {
        return Status::InvalidArgument(fmt::format(
            "user \"{}\": a responder is bound to a department, not a region", user.name));
      }
      return need_department(true);
    case Role::kLeader:
      if (!user.department_id.empty()) {
        return Status::InvalidArgument(
            fmt::format("user \"{}\": a leader is bound to a region, not a department", user.name));
      }
      return need_region();
    case Role::kCoordinator:
      YQ_RETURN_IF_ERROR(need_region());
      return need_department(false);
    default:
      if (!user.department_id.empty() || !user.region_code.empty()) {
        return Status::InvalidArgument(
            fmt::format("user \"{}\": a {} is bound to no department or region", user.name,
                        model::RoleName(user.role)));
      }
      return Status::Ok();
  }
}

Status CheckBoundUsers(const std::vector<model::User>& users, const model::Organisation& org) {
  std::string missing;
  int n = 0;
  for (const auto& u : users) {
    if (u.department_id.empty()) continue;
    bool found = false;
    for (const auto& d : org.departments) found = found || d.id == u.department_id;
    if (found) continue;
    if (++n <= 10) missing += fmt::format("{}{} ({})", n > 1 ? ", " : "", u.name, u.department_id);
  }
  if (n == 0) return Status::Ok();
  return Status::FailedPrecondition(fmt::format(
      "{} user(s) are bound to departments the new organisation does not have: {}{}; bind them to "
      "another department (yuqing users set NAME --department ID) or disable them first",
      n, missing, n > 10 ? ", …" : ""));
}

json UserJson(const model::User& u) {
  return {{"id", u.id},
          {"name", u.name},
          {"display_name", u.display_name},
          {"role", model::RoleName(u.role)},
          {"role_zh", model::RoleNameZh(u.role)},
          {"department", u.department_id},
          {"region", u.region_code},
          {"disabled", u.disabled},
          {"created_at", core::FormatIso8601(u.created_at)},
          {"updated_at", core::FormatIso8601(u.updated_at)}};
}

json TokenJson(const model::ApiToken& t) {
  json j = {{"id", t.id},
            {"name", t.name},
            {"scope", model::TokenScopeName(t.scope)},
            {"user_id", t.user_id},
            {"created_at", core::FormatIso8601(t.created_at)},
            {"revoked_at", t.revoked_at ? json(core::FormatIso8601(*t.revoked_at)) : json()}};
  if (t.expires_at) j["expires_at"] = core::FormatIso8601(*t.expires_at);
  return j;
}

model::AuditDraft Draft(const access::Principal& who, core::TimePoint at, std::string action,
                        std::string object_type, std::string object_id, std::string from_json,
                        std::string to_json, std::string reason) {
  model::AuditDraft d;
  d.at = at;
  d.actor_id = who.user_id;
  d.actor = who.name;
  d.action = std::move(action);
  d.object_type = std::move(object_type);
  d.object_id = std::move(object_id);
  d.from_json = std::move(from_json);
  d.to_json = std::move(to_json);
  d.reason = std::move(reason);
  return d;
}

access::Principal CommandLinePrincipal() {
  std::string user;
  if (const char* u = std::getenv("USER"); u != nullptr && *u != '\0') {
    user = u;
  } else if (const char* l = getlogin(); l != nullptr) {
    user = l;
  } else {
    user = std::to_string(getuid());
  }
  model::User u;
  u.name = "cli:" + user;
  u.role = model::Role::kAdmin;
  return access::Principal::ForUser(u);
}

}  // namespace yuqing::server
