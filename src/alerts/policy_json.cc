#include "alerts/policy_json.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/time.h"

namespace yuqing::alerts {
namespace {

using nlohmann::json;

constexpr std::string_view kKnownFields[] = {
    "id",       "name",    "enabled",  "rule_ids",   "regions",    "domains",       "min_grade",
    "min_heat", "targets", "language", "created_at", "updated_at", "min_grade_name"};
constexpr std::string_view kTargetFields[] = {"kind", "address", "secret"};
constexpr size_t kMaxNameBytes = 200;
constexpr size_t kMaxTargets = 20;

Status FieldError(std::string_view field, std::string_view problem) {
  return Status::InvalidArgument(fmt::format("field \"{}\": {}", field, problem));
}

// The value shown in a message: strings quoted, long values cut.
std::string Shown(const json& v) {
  std::string s = v.dump(-1, ' ', false, json::error_handler_t::replace);
  if (s.size() > 80) s = s.substr(0, 77) + "...";
  return s;
}

std::string DomainList() {
  std::string out;
  for (int i = 0; i < model::kDomainCount; ++i) {
    if (i) out += ", ";
    out += model::kDomainNames[i];
  }
  return out;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Status ReadTarget(const json& t, size_t index, const model::AlertPolicy* old,
                  model::AlertTarget& out) {
  std::string where = fmt::format("targets[{}]", index);
  if (!t.is_object()) return FieldError(where, "expected an object with \"kind\" and \"address\"");
  for (const auto& [key, value] : t.items()) {
    if (std::find(std::begin(kTargetFields), std::end(kTargetFields), key) ==
        std::end(kTargetFields)) {
      return FieldError(fmt::format("{}.{}", where, key),
                        "is not known; a target has \"kind\", \"address\" and \"secret\"");
    }
  }
  if (!t.contains("kind") || !t["kind"].is_string()) {
    return FieldError(where + ".kind", "expected one of webhook, wecom, dingtalk, feishu, email");
  }
  auto kind = model::ParseTargetKind(t["kind"].get<std::string>());
  if (!kind) {
    return FieldError(where + ".kind", fmt::format("{} is not one of webhook, wecom, dingtalk, "
                                                   "feishu, email",
                                                   Shown(t["kind"])));
  }
  out.kind = *kind;
  if (!t.contains("address") || !t["address"].is_string()) {
    return FieldError(where + ".address", out.kind == model::TargetKind::kEmail
                                              ? "expected an email address"
                                              : "expected the robot's or receiver's URL");
  }
  out.address = t["address"].get<std::string>();
  if (out.kind == model::TargetKind::kEmail) {
    if (!IsEmailAddress(out.address)) {
      return FieldError(where + ".address",
                        fmt::format("{} is not an email address", Shown(t["address"])));
    }
  } else if (!IsHttpUrl(out.address)) {
    return FieldError(where + ".address",
                      fmt::format("{} is not an http(s) URL", Shown(t["address"])));
  }
  out.secret.clear();
  if (t.contains("secret") && !t["secret"].is_null()) {
    if (!t["secret"].is_string()) return FieldError(where + ".secret", "expected a string");
    std::string secret = t["secret"].get<std::string>();
    if (out.kind == model::TargetKind::kWeCom || out.kind == model::TargetKind::kEmail) {
      if (!secret.empty()) {
        return FieldError(where + ".secret",
                          fmt::format("{} targets are not signed; remove the secret",
                                      model::TargetKindName(out.kind)));
      }
    } else if (secret == "set") {
      // Keep the stored secret of the same target.
      bool found = false;
      if (old != nullptr) {
        for (const auto& o : old->targets) {
          if (o.kind == out.kind && o.address == out.address && !o.secret.empty()) {
            out.secret = o.secret;
            found = true;
            break;
          }
        }
      }
      if (!found) {
        return FieldError(where + ".secret",
                          "\"set\" keeps a stored secret, but this target has none; give the "
                          "secret itself");
      }
    } else if (HasControl(secret) || secret.size() > 512) {
      return FieldError(where + ".secret", "expected at most 512 printable characters");
    } else {
      out.secret = std::move(secret);
    }
  }
  return Status::Ok();
}

Status Apply(const json& body, model::AlertPolicy& p, const model::AlertPolicy* old) {
  if (!body.is_object()) return Status::InvalidArgument("a policy is a JSON object");
  for (const auto& [key, value] : body.items()) {
    if (std::find(std::begin(kKnownFields), std::end(kKnownFields), key) ==
        std::end(kKnownFields)) {
      return FieldError(key,
                        "is not known; a policy has name, enabled, rule_ids, regions, domains, "
                        "min_grade, min_heat, targets and language");
    }
  }
  if (body.contains("name")) {
    const json& v = body["name"];
    if (!v.is_string() || v.get<std::string>().empty()) {
      return FieldError("name", "expected a non-empty string");
    }
    std::string name = v.get<std::string>();
    if (name.size() > kMaxNameBytes || HasControl(name)) {
      return FieldError("name", fmt::format("expected at most {} bytes on one line, got {}",
                                            kMaxNameBytes, Shown(v)));
    }
    p.name = std::move(name);
  }
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) return FieldError("enabled", "expected true or false");
    p.enabled = body["enabled"].get<bool>();
  }
  if (body.contains("rule_ids")) {
    const json& v = body["rule_ids"];
    if (!v.is_array()) return FieldError("rule_ids", "expected an array of rule ids");
    p.rule_ids.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_number_integer() || v[i].get<int64_t>() <= 0) {
        return FieldError(fmt::format("rule_ids[{}]", i),
                          fmt::format("{} is not a rule id (a positive integer)", Shown(v[i])));
      }
      p.rule_ids.push_back(v[i].get<int64_t>());
    }
    std::sort(p.rule_ids.begin(), p.rule_ids.end());
    p.rule_ids.erase(std::unique(p.rule_ids.begin(), p.rule_ids.end()), p.rule_ids.end());
  }
  if (body.contains("regions")) {
    const json& v = body["regions"];
    if (!v.is_array()) return FieldError("regions", "expected an array of region codes");
    p.regions.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string() || !IsRegionCode(v[i].get<std::string>())) {
        return FieldError(fmt::format("regions[{}]", i),
                          fmt::format("{} is not a GB/T 2260 code (2, 4 or 6 digits, e.g. "
                                      "\"1404\" for 长治市)",
                                      Shown(v[i])));
      }
      p.regions.push_back(v[i].get<std::string>());
    }
  }
  if (body.contains("domains")) {
    const json& v = body["domains"];
    if (!v.is_array()) return FieldError("domains", "expected an array of domain names");
    p.domains.clear();
    for (size_t i = 0; i < v.size(); ++i) {
      std::optional<model::Domain> d;
      if (v[i].is_string()) d = model::ParseDomain(v[i].get<std::string>());
      if (!d) {
        return FieldError(fmt::format("domains[{}]", i),
                          fmt::format("{} is not one of {}", Shown(v[i]), DomainList()));
      }
      if (std::find(p.domains.begin(), p.domains.end(), *d) == p.domains.end()) {
        p.domains.push_back(*d);
      }
    }
  }
  if (body.contains("min_grade")) {
    auto g = ParseGrade(body["min_grade"]);
    if (!g) {
      return FieldError("min_grade", fmt::format("{} is not a risk grade: 1..4 or \"I\"..\"IV\"",
                                                 Shown(body["min_grade"])));
    }
    p.min_grade = *g;
  }
  if (body.contains("min_heat")) {
    const json& v = body["min_heat"];
    if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100) {
      return FieldError("min_heat", fmt::format("{} is not a heat from 0 to 100", Shown(v)));
    }
    p.min_heat = v.get<double>();
  }
  if (body.contains("language")) {
    const json& v = body["language"];
    if (!v.is_string() || (v.get<std::string>() != "zh" && v.get<std::string>() != "en")) {
      return FieldError("language", fmt::format("{} is not zh or en", Shown(v)));
    }
    p.language = v.get<std::string>();
  }
  if (body.contains("targets")) {
    const json& v = body["targets"];
    if (!v.is_array()) return FieldError("targets", "expected an array of targets");
    if (v.size() > kMaxTargets) {
      return FieldError("targets",
                        fmt::format("at most {} targets, got {}", kMaxTargets, v.size()));
    }
    std::vector<model::AlertTarget> targets(v.size());
    for (size_t i = 0; i < v.size(); ++i) {
      YQ_RETURN_IF_ERROR(ReadTarget(v[i], i, old, targets[i]));
    }
    p.targets = std::move(targets);
  }
  return Status::Ok();
}

}  // namespace

std::optional<int> ParseGrade(const json& v) {
  if (v.is_number_integer()) {
    int64_t g = v.get<int64_t>();
    if (g >= 1 && g <= 4) return static_cast<int>(g);
    return std::nullopt;
  }
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    for (int g = 1; g <= 4; ++g) {
      if (s == GradeRoman(g)) return g;
    }
  }
  return std::nullopt;
}

std::string_view GradeRoman(int grade) {
  static constexpr std::string_view kNames[] = {"I", "II", "III", "IV"};
  return grade >= 1 && grade <= 4 ? kNames[grade - 1] : "?";
}

bool IsHttpUrl(std::string_view url) {
  std::string_view rest;
  if (url.starts_with("http://")) {
    rest = url.substr(7);
  } else if (url.starts_with("https://")) {
    rest = url.substr(8);
  } else {
    return false;
  }
  if (rest.empty() || rest.front() == '/' || rest.front() == ':' || rest.front() == '?') {
    return false;
  }
  return std::none_of(url.begin(), url.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f || c == '"' || c == '<' || c == '>' || c == '\\';
  });
}

bool IsEmailAddress(std::string_view a) {
  auto at = a.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= a.size()) return false;
  if (a.find('@', at + 1) != std::string_view::npos || a.size() > 254) return false;
  std::string_view domain = a.substr(at + 1);
  if (domain.front() == '.' || domain.back() == '.' || domain.find("..") != domain.npos) {
    return false;
  }
  return std::none_of(a.begin(), a.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u <= 0x20 || u == 0x7f ||
           std::string_view("<>()[]\\,;:\"").find(c) != std::string_view::npos;
  });
}

bool IsRegionCode(std::string_view code) {
  return (code.size() == 2 || code.size() == 4 || code.size() == 6) &&
         std::all_of(code.begin(), code.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<model::AlertPolicy> PolicyFromJson(const json& body) {
  model::AlertPolicy p;
  YQ_RETURN_IF_ERROR(Apply(body, p, nullptr));
  if (p.name.empty()) return FieldError("name", "is required");
  return p;
}

Status ApplyPolicyJson(const json& body, model::AlertPolicy& policy) {
  model::AlertPolicy old = policy;
  return Apply(body, policy, &old);
}

json PolicyToJson(const model::AlertPolicy& p) {
  json domains = json::array();
  for (auto d : p.domains) domains.push_back(model::DomainName(d));
  json targets = json::array();
  for (const auto& t : p.targets) {
    json j = {{"kind", model::TargetKindName(t.kind)}, {"address", t.address}};
    if (!t.secret.empty()) j["secret"] = "set";
    targets.push_back(std::move(j));
  }
  json j = {{"name", p.name},
            {"enabled", p.enabled},
            {"rule_ids", p.rule_ids},
            {"regions", p.regions},
            {"domains", std::move(domains)},
            {"min_grade", p.min_grade},
            {"min_grade_name", GradeRoman(p.min_grade)},
            {"min_heat", p.min_heat},
            {"targets", std::move(targets)},
            {"language", p.language}};
  if (p.id != 0) {
    j["id"] = p.id;
    j["created_at"] = core::FormatIso8601(p.created_at);
    j["updated_at"] = core::FormatIso8601(p.updated_at);
  }
  return j;
}

}  // namespace yuqing::alerts
