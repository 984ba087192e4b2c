// The deadline policy of a case as people write it (docs/cases.md "Deadline policy"): a JSON
// object of hours and switches, checked whole. Pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "model/case.h"

namespace yuqing::cases {

// Applies the keys of `json` over `base`: name, press_within_hours, respond_within_hours,
// first_release (bool), first_release_within_hours, reply_within_hours, resolve_within_days,
// accept_within_hours, remind_at (0 < x < 1), criticise_after_hours,
// keep_releasing_every_hours, hot_heat (0..100), passive_after_hours, time_zone. Hours may be
// fractional (0.5 = 30 minutes). InvalidArgument names the key and what was expected, for an
// unknown key, a wrong type or a value out of range; nothing of `base` is changed then.
Result<model::CasePolicy> ParsePolicy(const nlohmann::json& json, const model::CasePolicy& base);
// Parses text (a JSON object) the same way; InvalidArgument for text that is not JSON.
Result<model::CasePolicy> ParsePolicyText(std::string_view text, const model::CasePolicy& base);
// Every key, in the units ParsePolicy reads.
nlohmann::json PolicyToJson(const model::CasePolicy& policy);

}  // namespace yuqing::cases
