// The analysis of a post as JSON, the one shape used by `yuqing analyze`, the API (a post's
// analysis in event details) and the store (kept with each processed post so the event stage
// can rebuild its memory after a restart without analysing again). docs/analysis.md.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "core/status.h"
#include "model/analysis.h"

namespace yuqing::analysis {

nlohmann::json AnalysisToJson(const model::Analysis& a);

// AnalysisToJson(a).dump(), byte for byte, written without building the DOM: the event stage
// stores it for every post. Throws nlohmann::json::type_error on invalid UTF-8, as dump() does.
std::string AnalysisJsonString(const model::Analysis& a);
// Reads what AnalysisToJson wrote. Missing members keep their defaults; a member of the wrong
// type is InvalidArgument naming it.
Result<model::Analysis> AnalysisFromJson(const nlohmann::json& j);

}  // namespace yuqing::analysis
