// Translation of a parsed query (model::QueryNode with tokens filled) and search filters into
// an SQLite FTS5 MATCH expression over the posts_fts columns, and the encodings of identifier
// columns (source, channel, region) as single index terms. Pure functions.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"
#include "model/query.h"
#include "store/store.h"

namespace yuqing::store::sqlite {

// "s" + hex of the bytes: one alphanumeric term whatever the source name contains.
std::string SourceTerm(std::string_view source);
std::string ChannelTerm(std::string_view channel);
// The significant prefix of a GB/T 2260 code: "140000" → "14", "140400" → "1404",
// "140406" → "140406"; 2- and 4-digit codes are kept. Empty if not 2, 4 or 6 digits.
std::string RegionPrefix(std::string_view code);
// "r14 r1404 r140406" for "140406": the code and its ancestors, so a filter on a province
// finds posts of its counties.
std::string RegionTerms(std::string_view code);

// The FTS5 expression for the request's query and filters, or "" when the request has no
// query (the caller then lists by filters with plain SQL).
Result<std::string> BuildFtsMatch(const SearchRequest& request);

}  // namespace yuqing::store::sqlite
