// Relevance ranking for posts_fts that skips the work BM25 needs only for rows that cannot
// reach the requested page.
//
// FTS5's built-in bm25() scores every match: for each row it reads the row's token count
// from the %_docsize table (one B-tree lookup per match), so a common word with 10,000
// matches costs 10,000 lookups before the best 20 are known. yq_rank() computes the same
// score (the formula of FTS5's bm25(): k1 = 1.2, b = 0.75, idf = ln((N − n + 0.5)/(n + 0.5))
// floored at 1e-6, the weighted phrase frequency, the row's length over all columns against
// the table's average; Robertson & Zaragoza, "The Probabilistic Relevance Framework: BM25
// and Beyond", 2009) but first bounds it from the row's phrase instances alone, which FTS5 has
// already decoded: the length of a row is at least the number of instances of any one phrase
// in it, and BM25 falls as the length grows. While the `k` best exact scores seen so far are
// kept, a row whose bound is below the k-th of them cannot be among the k best and gets its
// bound instead of its score, without the lookup. Rows that can still make the page get the
// exact score, so `ORDER BY yq_rank(...) DESC LIMIT k` returns the same rows, in the same
// order, with the same scores as ordering by bm25() (up to rows whose scores tie exactly).
// A query of one phrase (a one-word search) skips the IDF: it scales every score alike, and
// finding it is a pass over every match before the ranking's own; its scores are then bm25()'s
// divided by that IDF, in the same order.
//
// SQL: yq_rank(posts_fts, k, rows, w0, w1, …) — k the number of rows the query returns (limit
// + offset); `rows` NULL or an int64_t bound with sqlite3_bind_pointer under kRankRowsPointer,
// to which the function adds one per row it ranks (every match, since ordering by the result
// evaluates it for each: the count of matches without a second pass over them); then one
// weight per column as for bm25() (missing weights are 1.0). The result is the BM25 score
// itself (bm25() returns its negation). Call it once per row: the statement should order by the
// result column's alias.
#pragma once

#include <sqlite3.h>

#include "core/status.h"

namespace yuqing::store::sqlite {

inline constexpr const char* kRankRowsPointer = "yq_rank_rows";

// Registers yq_rank with the FTS5 module of `db`.
Status RegisterRankFunction(sqlite3* db);

}  // namespace yuqing::store::sqlite
