// The stored form of a case and of a risk assessment: one JSON object holding every field of
// the value, shared by the backends (SQLite keeps it in a TEXT column, PostgreSQL in JSONB), so
// both read and write the same documents and a case moves between them unchanged.
//
// Layout: keys are the struct fields' names; enums are their names (model::CaseStateName …);
// times are integer milliseconds since the epoch (UTC); durations are integer minutes under a
// key ending in "_minutes" (policy.respond_within_minutes, extended_by_minutes); optional
// values and empty lists are left out; nested JSON kept as text (routing_json, facts_json,
// …) stays a string, so it comes back byte for byte. Every scalar is always written, the whole
// policy too: a document never depends on today's defaults.
//
// Decoding is lenient about what is missing (a missing key or null keeps the field's default,
// so documents written before a field existed still read) and strict about what is there: a
// value of the wrong type or an unknown enum name is InvalidArgument naming the field, e.g.
// `field "assignments[1].accepted_at": expected an integer (ms since the epoch), got string`.
// Unknown keys are ignored. Nothing here throws. Pure functions, safe from any thread.
//
// Text that is not valid UTF-8 is written with U+FFFD in place of the bad bytes (JSON holds
// only Unicode), so such a field does not round-trip exactly; everything else does.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/case.h"

namespace yuqing::store {

std::string EncodeCase(const model::Case& c);
Result<model::Case> DecodeCase(std::string_view json);

std::string EncodeRiskAssessment(const model::RiskAssessment& a);
Result<model::RiskAssessment> DecodeRiskAssessment(std::string_view json);

}  // namespace yuqing::store
