// Cases as the API and the command line show them (docs/api.md "Cases"): the whole case with
// its clocks in the office's time zone and the actions allowed now, a list entry, a log line.
// Pure: values in, JSON out.
#pragma once

#include <nlohmann/json.hpp>

#include "core/clock.h"
#include "model/case.h"

namespace yuqing::cases {

// Everything about the case at `now`. The petitioner's contact is left out unless
// `with_contact` (only those handling the case see it).
nlohmann::json CaseJson(const model::Case& c, core::TimePoint now, bool with_contact);
// The list entry: id, title, state, grade, origin, main department, region, the most urgent
// running or overdue clock.
nlohmann::json CaseListJson(const model::Case& c, core::TimePoint now);
// The clocks of a case (cases::Deadlines) with times in the policy's zone.
nlohmann::json DeadlinesJson(const model::Case& c, core::TimePoint now);
nlohmann::json LogEntryJson(const model::CaseLogEntry& e, std::string_view zone);

}  // namespace yuqing::cases
