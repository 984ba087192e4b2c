// The embedded store: one SQLite file in WAL mode with an FTS5 full-text index
// (docs/store.md). One writer connection behind a mutex, a small pool of read connections,
// so searches run while a batch is being written. Safe to share between threads.
#pragma once

#include <memory>
#include <string>

#include "store/store.h"

namespace yuqing::store::sqlite {

struct SqliteOptions {
  // true: fsync on every commit (synchronous=FULL); false: synchronous=NORMAL, which in WAL
  // mode survives a process crash but may lose the last commits on power loss.
  bool sync_full = true;
  int read_connections = 4;
  // Cap on the match count reported with a search page.
  int64_t total_cap = 10000;
  // Relevance order by FTS5's own bm25(), scoring every match, instead of yq_rank(), which
  // skips rows that cannot reach the page (fts_rank.h). The same rows either way; for
  // benchmarks that compare the two.
  bool builtin_bm25 = false;
};

// Opens or creates the database at `path` and brings its schema to the current version.
// FailedPrecondition if the file is not a database or was written by a newer yuqing.
Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, SqliteOptions options = {});

// The schema version this build writes.
int CurrentSchemaVersion();

}  // namespace yuqing::store::sqlite
