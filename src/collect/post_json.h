// collect owns how posts enter yuqing: the canonical ingest record (docs/ingest.md) in JSON,
// NDJSON and CSV, validated field by field, and later the collectors (RSS, web, polling).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>

#include "core/status.h"
#include "model/post.h"

namespace yuqing::collect {

struct RecordLimits {
  size_t max_text_bytes = 1 << 20;  // text and title each
  size_t max_field_bytes = 4096;    // url, names, ids
};

// Validates one JSON object as an ingest record. InvalidArgument names the field, what was
// found and what was expected, e.g.
//   field "published_at": "2026-13-01" is not an ISO-8601 date-time with offset (…)
Result<model::Post> PostFromJson(const nlohmann::json& record, const RecordLimits& limits);

// The canonical JSON of a post (the same shape ingest accepts), for API and CLI output.
nlohmann::json PostToJson(const model::Post& post);

}  // namespace yuqing::collect
