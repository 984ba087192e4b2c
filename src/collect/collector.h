// The collectors (docs/collect.md): one run of one configured source — fetch, decode, parse,
// map to ingest records, validate them with PostFromJson, hand them to a PostSink (the
// pipeline's Ingestor in yuqing) and only then move the source's cursor, so a crash between
// the two re-reads items that ingest then drops as duplicates (idempotent on source + id):
// neither a duplicate nor a gap. The run's outcome and health go into the source's state.
//
// Kinds run today: rss (RSS 2.0 / RDF / Atom), json_api (field mapping + cursor), folder
// (CSV / NDJSON / JSON files moved to done/ or failed/ with a report) and web (list pages and
// article pages with XPath or CSS selectors) and replay (a recorded stream played as the clock
// reaches each post's time); push sources are not fetched, only judged.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "collect/fetch.h"
#include "collect/health.h"
#include "collect/post_json.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/post.h"
#include "model/source.h"
#include "store/alerts_store.h"
#include "store/sources_store.h"

namespace yuqing::collect {

// Where collected posts go. Write returns after the posts are durable, one outcome per post
// (accepted or duplicate) in order; on error nothing of the batch is written.
class PostSink {
 public:
  virtual ~PostSink() = default;
  virtual Result<std::vector<model::IngestOutcome>> Write(std::vector<model::Post> posts) = 0;
};

struct CollectOptions {
  RecordLimits limits;
  HealthPolicy health;
  int max_pages = 10;                         // json_api pages per run
  std::chrono::minutes future_tolerance{10};  // a later date is read as the fetch time
  size_t max_problems = 50;                   // item problems kept in a report
};

struct RunReport {
  std::string source;
  core::TimePoint at{};
  bool not_modified = false;  // 304
  int64_t fetched = 0;        // items read
  int64_t accepted = 0;
  int64_t duplicate = 0;
  int64_t rejected = 0;
  std::vector<std::string> problems;  // per item or document: where and what was wrong
  Status error;                       // the run failed (nothing after the failure written)
  std::string error_url;              // the URL or file that failed
  std::vector<model::Post> preview;   // dry runs: the posts a run would write
};

// Runs `source` once at `now`, updating `state` (counts, cursor, validators, volume, last
// error). `sink` null: a dry run (`yuqing sources test`) — nothing is written, the posts are
// in the report's preview and the state is left as it was.
RunReport RunSource(const model::Source& source, model::SourceState& state, HttpFetcher& fetcher,
                    PostSink* sink, core::TimePoint now, const CollectOptions& options);

// What a batch pushed through POST /api/v1/posts under a push source's name does to its state:
// counts, the hourly volume, the last success and new post, as a run would. Pure.
void RecordPush(model::SourceState& state, core::TimePoint now, int64_t accepted,
                int64_t duplicate);

// Runs sources by name against the stores and saves what happened. Borrowed references must
// outlive it. RunOnce may be called from several threads for different sources.
class Collector {
 public:
  Collector(store::SourceStore& sources, store::AlertStore& alerts, HttpFetcher& fetcher,
            PostSink& sink, const core::Clock& clock, CollectOptions options = {})
      : sources_(sources),
        alerts_(alerts),
        fetcher_(fetcher),
        sink_(sink),
        clock_(clock),
        options_(std::move(options)) {}

  // Runs the named source (paused or not) and writes its state, health and health alerts.
  // NotFound for an unknown name; the report's error says why a run failed.
  Result<RunReport> RunOnce(const std::string& name);

  // Judges the source's health without running it (the scheduler does this for every source
  // each minute, so a source that stopped being run still turns silent) and saves a change.
  Status CheckHealth(const std::string& name);

  // The report of a dry run: fetch and parse, nothing written.
  Result<RunReport> Test(const std::string& name);

  const core::Clock& clock() const { return clock_; }

 private:
  Status SaveWithHealth(const model::Source& source, model::SourceState state);

  store::SourceStore& sources_;
  store::AlertStore& alerts_;
  HttpFetcher& fetcher_;
  PostSink& sink_;
  const core::Clock& clock_;
  CollectOptions options_;
};

}  // namespace yuqing::collect
