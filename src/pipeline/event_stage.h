// The ordered event stage (DESIGN.md "Pipeline"): reads accepted posts from the store's event
// queue in batches, analyses each (sentiment, domain, kinds, places, rumour), assigns it to an
// event (events::Clusterer), updates the event's summary, heat, trend and risk grade
// (events::EventMonitor), decides alerts (alerts::AlertDecider), and writes all of it — post
// analyses and assignments, events, merges, the event log, alerts and their outbox items — in
// one store transaction that also removes the batch from the queue. A crash at any point
// leaves the batch queued; it is processed again after the restart and nothing is lost or
// alerted twice (alerts are unique per event, policy and level in the store as well).
//
// Memory (centroids, summaries, detectors, the levels already alerted) is rebuilt after a
// restart by Restore(): the posts processed in the last `restore_window` are replayed into
// their stored events in processing order, without scoring.
//
// Event time: the stage's "now" is the latest publication time it has seen (posts dated in the
// future beyond `future_tolerance` of the clock are clamped to it), so a replay of last week
// behaves as it did live. When the queue is empty, events are moved on to the clock's time
// every `advance_every_s` (heat decays, trends decline, events go dormant without new posts).
// docs/events.md "Pipeline".
//
// Threads: one EventStage per database; RunOnce()/Drain() from one thread, or Start() a
// background thread. Stats are safe to read from any thread. Only one process may run the
// stage on a database: AcquireStageLock().
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>

#include "alerts/decider.h"
#include "alerts/notifier.h"
#include "analysis/analyzer.h"
#include "core/clock.h"
#include "core/status.h"
#include "events/clusterer.h"
#include "events/monitor.h"
#include "store/alerts_store.h"
#include "store/events_store.h"
#include "store/posts_store.h"
#include "text/keywords.h"

namespace yuqing::pipeline {

struct EventStageOptions {
  // Posts per commit at most. With three batches in flight a post waits for about three batch
  // periods: 500 posts / 100 ms keeps p99 alert latency a third lower than 1,000 / 200 ms at
  // 5,000 posts/s, for ~8 % less drain throughput (docs/benchmarks.md, session 4).
  int batch_posts = 500;
  // Threads analysing a batch's posts (the rest of the stage is one ordered thread).
  size_t analysis_threads = std::max(1u, std::thread::hardware_concurrency());
  std::chrono::milliseconds idle_wait{100};  // queue poll when idle
  // The background loop and Drain() read and analyse the next batch while placing this one.
  // Off: one after the other (for comparison in the bench).
  bool read_ahead = true;
  // Reading ahead waits until this long after the previous batch was read (unless a whole
  // batch is already queued): under a heavy stream batches stay large, so the stage commits a
  // few times a second instead of taking the write lock from ingest for every few posts.
  std::chrono::milliseconds batch_every{100};
  int64_t restore_window_s = 30 * 86400;       // replayed after a restart
  int64_t advance_every_s = 300;               // event time between sweeps
  std::chrono::seconds future_tolerance{300};  // clock skew allowed in posts
  events::ClusterOptions cluster;
  events::MonitorOptions monitor;
};

struct EventStageStats {
  int64_t posts = 0;     // processed since start (restore not counted)
  int64_t restored = 0;  // posts replayed by Restore()
  int64_t events = 0;    // live events in memory
  int64_t alerts = 0;    // alerts raised since start
  int64_t commits = 0;
  int64_t queue_seq = 0;         // last queue entry processed
  double slowest_batch_ms = 0;   // longest RunOnce with posts (read, process, commit)
  double slowest_commit_ms = 0;  // longest CommitEvents
  int64_t largest_batch = 0;
  // Wall time spent in each phase of the batches so far, in ms: reading the queue, analysis
  // (all threads), the ordered part (clustering, grading, alert decisions), the event records
  // (all threads) and the commit. Where a slow stage spends its time.
  double read_ms = 0;
  double analyse_ms = 0;
  double ordered_ms = 0;
  double records_ms = 0;
  double commit_ms = 0;
};

// The stores the stage uses: the queue and events; alert policies and the levels already
// alerted; posts (the text of representative posts). One backend usually provides all three.
struct EventStageStores {
  store::EventStore& events;
  store::AlertStore& alerts;
  store::PostStore& posts;
};

class EventStage {
 public:
  EventStage(EventStageStores stores, std::shared_ptr<const analysis::Analyzer> analyzer,
             std::shared_ptr<const text::KeywordExtractor> keywords, const core::Clock& clock,
             alerts::AlertNotifier* notifier = nullptr, EventStageOptions options = {});
  ~EventStage();
  EventStage(const EventStage&) = delete;
  EventStage& operator=(const EventStage&) = delete;

  // Rebuilds memory from the store (call once before processing). `progress` (may be empty)
  // gets the number of posts replayed every 10,000.
  Status Restore(const std::function<void(int64_t)>& progress = {});
  // Processes at most one batch from the queue and commits it; returns the number of posts
  // processed.
  Result<int> RunOnce();
  // Processes until the queue is empty. `progress` gets (done, still queued) after each batch.
  // Batches are committed on a second thread while the next one is built (see Committer).
  Status Drain(const std::function<void(int64_t, int64_t)>& progress = {});

  // Background processing: Restore() must have succeeded. A failed batch is logged and retried
  // after rebuilding memory from the store. Commits overlap the next batch as in Drain().
  void Start();
  void Stop();  // finishes the batch in progress

  EventStageStats stats() const;

 private:
  struct Live {  // per event, beside the monitor's summary
    std::string title;
    double title_score = -1;
    std::set<int64_t> rule_ids;
  };
  struct Pending;   // one batch being built (event_stage.cc)
  struct Prepared;  // one post made ready on the analysis threads (event_stage.cc)
  struct Built;     // one batch processed in memory, waiting for its commit (event_stage.cc)
  class Committer;  // commits built batches on its own thread (event_stage.cc)

  void ResetMemory();
  Status ReloadPolicies();
  void Process(const store::QueuedPost& q, Prepared& prepared, Pending& batch);
  // Records the merges the clusterer made since the last call (`request`: the person's request
  // behind a merge by hand, for the event log).
  void TakeMerges(Pending& batch, const store::EventMergeRequest* request = nullptr);
  // Applies the merge requests made since the last read (docs/events.md "Merging by hand").
  Status ApplyMergeRequests(Pending& batch);
  void Sweep(int64_t now_s, Pending& batch);
  // Drops what the stage keeps for the events the clusterer has forgotten (and, given a batch,
  // their pending records: nothing about them changes any more).
  void DropForgotten(Pending* batch);
  void Touch(uint64_t event, const events::EventSignals& s, Pending& batch);
  void Finish(Pending& batch);
  // Reads and processes the next batch (or an idle sweep) in memory; null when there is nothing
  // to commit. Memory then runs ahead of the store until CommitBuilt(); a failed commit must be
  // followed by Restore().
  // prefetch: start reading and analysing the next batch on another thread (DropPrefetch()
  // waits for it and forgets it).
  Result<std::unique_ptr<Built>> Build(bool prefetch);
  struct Batch {                            // read from the queue and prepared, not yet placed
    std::vector<store::QueuedPost> queued;  // in event-time order
    std::vector<Prepared> prepared;
    int64_t through = 0;  // highest queue seq read
    std::chrono::steady_clock::time_point started;
    double read_ms = 0, analyse_ms = 0;
  };
  Result<Batch> ReadAndPrepare(int64_t after_seq, size_t threads) const;
  void DropPrefetch();
  Status CommitBuilt(Built& built);
  void Loop();

  EventStageStores store_;
  std::shared_ptr<const analysis::Analyzer> analyzer_;
  std::shared_ptr<const text::KeywordExtractor> keywords_;
  const core::Clock& clock_;
  alerts::AlertNotifier* notifier_;
  EventStageOptions options_;

  std::unique_ptr<events::Clusterer> clusterer_;
  std::unique_ptr<events::EventMonitor> monitor_;
  alerts::AlertDecider decider_;
  int64_t policies_version_ = -1;
  std::map<uint64_t, Live> live_;
  size_t merges_seen_ = 0;
  int64_t merge_requests_seen_ = 0;       // highest merge request id read
  int64_t now_s_ = 0;                     // event time
  int64_t last_sweep_s_ = 0;              // event time of the last Advance sweep
  int64_t last_idle_sweep_s_ = 0;         // clock time of the last sweep made while idle
  int64_t stamp_s_ = 0;                   // time stamped on changes during an idle sweep
  int64_t last_seq_ = 0;                  // last queue entry processed
  const model::Post* trigger_ = nullptr;  // the post being placed, while Touch() runs for it

  mutable std::mutex stats_mu_;
  EventStageStats stats_;
  std::future<Result<Batch>> prefetch_;  // the next batch, read ahead by Build(true)
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The one-process-per-database roles: running the event stage, and delivering the outbox.
enum class WorkerRole { kEvents, kOutbox, kCollect };

// An exclusive lock (flock) on `<database path>.events.lock`, `.outbox.lock` or
// `.collect.lock` (the configured sources' collectors, docs/collect.md): the process
// holding it plays that role. Returns the file descriptor to keep (closed to release), or
// FailedPrecondition when another process holds it.
Result<int> AcquireRoleLock(const std::string& database_path, WorkerRole role);
inline Result<int> AcquireStageLock(const std::string& database_path) {
  return AcquireRoleLock(database_path, WorkerRole::kEvents);
}

}  // namespace yuqing::pipeline
