#include "store/sqlite/fts_rank.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <queue>
#include <vector>

namespace yuqing::store::sqlite {
namespace {

constexpr double kK1 = 1.2;
constexpr double kB = 0.75;

// What one statement's ranking keeps from row to row (FTS5 auxiliary data lives as long as
// the statement's cursor).
struct RankState {
  std::vector<double> idf;  // per phrase
  double avgdl = 1.0;       // average row length in tokens, all columns
  // The k best exact scores so far, smallest on top.
  std::priority_queue<double, std::vector<double>, std::greater<double>> best;
  std::vector<double> freq;     // per phrase, the current row's weighted frequency
  std::vector<int> count;       // per phrase, the current row's instances
  std::vector<double> weights;  // per column, from the arguments of the first call
  int64_t last_rowid = std::numeric_limits<int64_t>::min();
  double last_result = 0.0;
  int64_t* rows = nullptr;  // the caller's count of ranked rows, or none
};

int CountRow(const Fts5ExtensionApi*, Fts5Context*, void* user) {
  ++*static_cast<int64_t*>(user);
  return SQLITE_OK;
}

int InitState(const Fts5ExtensionApi* api, Fts5Context* fts, RankState& st) {
  sqlite3_int64 rows = 0;
  sqlite3_int64 tokens = 0;
  int rc = api->xRowCount(fts, &rows);
  if (rc == SQLITE_OK) rc = api->xColumnTotalSize(fts, -1, &tokens);
  if (rc != SQLITE_OK) return rc;
  if (rows > 0) st.avgdl = static_cast<double>(tokens) / static_cast<double>(rows);
  int phrases = api->xPhraseCount(fts);
  st.idf.assign(phrases, 0.0);
  st.freq.assign(phrases, 0.0);
  st.count.assign(phrases, 0);
  // One phrase: its IDF multiplies every row's score alike, so the order does not depend on it,
  // and finding it would take a pass over every match of the phrase (xQueryPhrase) before the
  // ranking's own. The score is then BM25 without that constant factor (docs/api.md).
  if (phrases == 1) {
    st.idf[0] = 1.0;
    return SQLITE_OK;
  }
  for (int i = 0; i < phrases; ++i) {
    int64_t hits = 0;
    rc = api->xQueryPhrase(fts, i, &hits, CountRow);
    if (rc != SQLITE_OK) return rc;
    double idf = std::log((rows - hits + 0.5) / (hits + 0.5));
    st.idf[i] = idf <= 0.0 ? 1e-6 : idf;
  }
  return SQLITE_OK;
}

// BM25 of the current row's frequencies at row length `length`.
double Score(const RankState& st, double length) {
  double score = 0.0;
  for (size_t i = 0; i < st.idf.size(); ++i) {
    score += st.idf[i] *
             ((st.freq[i] * (kK1 + 1.0)) / (st.freq[i] + kK1 * (1 - kB + kB * length / st.avgdl)));
  }
  return score;
}

void Rank(const Fts5ExtensionApi* api, Fts5Context* fts, sqlite3_context* ctx, int n_args,
          sqlite3_value** args) {
  if (n_args < 2) {
    sqlite3_result_error(ctx, "yq_rank: expected yq_rank(table, k, rows, weights...)", -1);
    return;
  }
  auto* st = static_cast<RankState*>(api->xGetAuxdata(fts, 0));
  if (st == nullptr) {
    st = new RankState();
    st->rows = static_cast<int64_t*>(sqlite3_value_pointer(args[1], kRankRowsPointer));
    for (int i = 2; i < n_args; ++i) st->weights.push_back(sqlite3_value_double(args[i]));
    int rc = InitState(api, fts, *st);
    if (rc != SQLITE_OK) {
      delete st;
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    rc = api->xSetAuxdata(fts, st, [](void* p) { delete static_cast<RankState*>(p); });
    if (rc != SQLITE_OK) {  // FTS5 has already freed the state
      sqlite3_result_error_code(ctx, rc);
      return;
    }
  }
  // The same row twice (an expression evaluated twice): the same answer, counted once.
  int64_t rowid = api->xRowid(fts);
  if (rowid == st->last_rowid) {
    sqlite3_result_double(ctx, st->last_result);
    return;
  }
  if (st->rows != nullptr) ++*st->rows;
  int64_t k = sqlite3_value_int64(args[0]);
  std::fill(st->freq.begin(), st->freq.end(), 0.0);
  std::fill(st->count.begin(), st->count.end(), 0);
  int instances = 0;
  int rc = api->xInstCount(fts, &instances);
  for (int i = 0; rc == SQLITE_OK && i < instances; ++i) {
    int phrase = 0;
    int column = 0;
    int offset = 0;
    rc = api->xInst(fts, i, &phrase, &column, &offset);
    if (rc != SQLITE_OK) break;
    double w = column >= 0 && static_cast<size_t>(column) < st->weights.size()
                   ? st->weights[static_cast<size_t>(column)]
                   : 1.0;
    st->freq[phrase] += w;
    ++st->count[phrase];
  }
  if (rc != SQLITE_OK) {
    sqlite3_result_error_code(ctx, rc);
    return;
  }
  // Every instance of one phrase starts at its own token, so the row has at least as many
  // tokens as the most frequent phrase has instances.
  int shortest = 0;
  for (int c : st->count) shortest = std::max(shortest, c);
  double bound = Score(*st, shortest);
  double result = bound;
  bool full = static_cast<int64_t>(st->best.size()) >= k;
  if (k > 0 && (!full || bound >= st->best.top())) {
    int length = 0;
    rc = api->xColumnSize(fts, -1, &length);
    if (rc != SQLITE_OK) {
      sqlite3_result_error_code(ctx, rc);
      return;
    }
    result = Score(*st, length);
    if (!full) {
      st->best.push(result);
    } else if (result > st->best.top()) {
      st->best.pop();
      st->best.push(result);
    }
  }
  st->last_rowid = rowid;
  st->last_result = result;
  sqlite3_result_double(ctx, result);
}

}  // namespace

Status RegisterRankFunction(sqlite3* db) {
  fts5_api* api = nullptr;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &stmt, nullptr) != SQLITE_OK) {
    return Status::Internal(fmt::format("FTS5 is not available: {}", sqlite3_errmsg(db)));
  }
  sqlite3_bind_pointer(stmt, 1, static_cast<void*>(&api), "fts5_api_ptr", nullptr);
  sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  if (api == nullptr || api->iVersion < 2) {
    return Status::Internal("FTS5 is not available in this SQLite");
  }
  if (api->xCreateFunction(api, "yq_rank", nullptr, Rank, nullptr) != SQLITE_OK) {
    return Status::Internal(fmt::format("cannot register yq_rank: {}", sqlite3_errmsg(db)));
  }
  return Status::Ok();
}

}  // namespace yuqing::store::sqlite
