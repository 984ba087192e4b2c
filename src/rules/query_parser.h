// rules owns the query language shared by search and monitoring rules: parsing with errors
// that give the column, what was found and what was expected (docs/query-language.md).
#pragma once

#include <string_view>

#include "core/status.h"
#include "model/query.h"

namespace yuqing::rules {

struct ParseLimits {
  size_t max_code_points = 4096;
  int max_depth = 32;
  int max_terms = 1000;
};

// Parses e.g. `(长治 OR 潞城) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习`.
// Juxtaposition means AND; operators AND, OR, NOT are upper case; `-word` is NOT word;
// full-width parentheses, quotes and colons are accepted. InvalidArgument messages start with
// "column N: ".
Result<model::QueryNode> ParseQuery(std::string_view query, const ParseLimits& limits = {});

// Renders a tree back in canonical syntax (fully parenthesised), for messages and tests.
std::string ToString(const model::QueryNode& node);

}  // namespace yuqing::rules
