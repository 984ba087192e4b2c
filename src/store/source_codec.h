// The JSON document a backend keeps for a source's state (model::SourceState), written once
// for every backend so SQLite and PostgreSQL files read alike. Pure.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/source.h"

namespace yuqing::store {

std::string SourceStateToJson(const model::SourceState& state);
// InvalidArgument for a document that is not one (a damaged row); an empty text or "{}" is the
// empty state.
Result<model::SourceState> SourceStateFromJson(std::string_view text);

}  // namespace yuqing::store
