// Alert policies as JSON, the one shape the API and the CLI read and write (docs/alerts.md
// "Policies"). Reading checks every field and names the culprit precisely:
//   field "targets[1].address": "ftp://x" is not an http(s) URL
// Writing never shows a target's signing secret: a set secret is written as "secret": "set",
// and reading "set" back keeps the secret already stored for that target (same kind and
// address), so a policy can be fetched, edited and sent back without knowing its secrets.
// Pure functions.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/alert.h"

namespace yuqing::alerts {

// Reads a new policy; "name" is required, every other field has the AlertPolicy default.
// Unknown fields are refused (a misspelt condition would otherwise widen the policy).
Result<model::AlertPolicy> PolicyFromJson(const nlohmann::json& body);

// Applies the fields present in `body` to `policy` (an update). "secret": "set" keeps the
// secret `policy` holds for the same kind and address. On error `policy` may be half-changed.
Status ApplyPolicyJson(const nlohmann::json& body, model::AlertPolicy& policy);

// The policy as the API shows it (id, times as ISO-8601, min_grade as 1..4 plus its name,
// secrets as "set").
nlohmann::json PolicyToJson(const model::AlertPolicy& policy);

// Grade 1..4 from 1..4 or "I".."IV"; nullopt otherwise.
std::optional<int> ParseGrade(const nlohmann::json& value);
// "I", "II", "III", "IV" ("?" outside 1..4).
std::string_view GradeRoman(int grade);

// Checks for the individual values (used by the reader; exposed for the CLI and tests).
bool IsHttpUrl(std::string_view url);
bool IsEmailAddress(std::string_view address);
bool IsRegionCode(std::string_view code);  // GB/T 2260 prefix: 2, 4 or 6 digits

}  // namespace yuqing::alerts
