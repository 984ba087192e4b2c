// Prepares a parsed query for the full-text index: fills the index terms of every term and
// phrase node with the same tokenizer that indexed the posts.
#pragma once

#include "core/status.h"
#include "model/query.h"
#include "rules/rule_check.h"
#include "text/tokenizer.h"

namespace yuqing::rules {

void FillQueryTerms(model::QueryNode& node, const text::Tokenizer& tokenizer);

// Replaces region names in `region:` terms by their GB/T 2260 codes (region:长治 → 140400).
// Codes are left alone; without a resolver names are left for the index to refuse. Errors
// start with the term's column: "column 8: region \"朝阳\" is ambiguous (…)".
Status ResolveRegionNames(model::QueryNode& node, const RegionResolver& regions);

}  // namespace yuqing::rules
