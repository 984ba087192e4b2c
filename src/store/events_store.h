// EventStore: the event queue, the event stage's commits and reading events back (docs/events.md,
// "Storage"). Implemented by every backend; see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/audit.h"
#include "model/event.h"
#include "store/posts_store.h"

namespace yuqing::store {

// A post waiting for the event stage. InsertPosts queues every accepted post in the same
// transaction, so a post acknowledged to its sender is never missed by event processing.
struct QueuedPost {
  int64_t seq = 0;  // queue order (insertion order), increasing
  StoredPost post;
  std::vector<int64_t> rule_ids;  // the rules it matched, ascending
};

// What the event stage decided for one post.
struct PostEvent {
  int64_t post_key = 0;
  int64_t event_id = 0;
  std::string reason;         // events::JoinReasonName
  double score = 0;           // the clusterer's winning score
  std::string analysis_json;  // the post's analysis (analysis::ToJson), kept for restore and API
  int sentiment = 0;          // the analysis's label: -1 negative, 0 neutral, 1 positive
};

// Something that happened to an event: "new", "merge", "woke", "grade", "trend", "burst".
struct EventLogEntry {
  int64_t event_id = 0;
  core::TimePoint at{};  // event time
  std::string kind;
  std::string detail_json;
};

struct EventMerge {
  int64_t from = 0;
  int64_t into = 0;
  core::TimePoint at{};
  double score = 0;
};

// A person's request that event `from` be merged into event `into` (docs/events.md "Merging by
// hand"): written by the server or the CLI, applied by the event stage (the only writer of
// events), which records the outcome in the same commit as the merge.
struct EventMergeRequest {
  int64_t id = 0;
  int64_t from = 0;
  int64_t into = 0;
  std::string requested_by;  // the account's name
  std::string reason;
  core::TimePoint requested_at{};  // wall clock
  std::string state = "pending";   // "pending", "done", "rejected"
  std::string error;               // why it was rejected
  core::TimePoint done_at{};       // when the stage decided (wall clock)
  int64_t audit_seq = 0;           // the audit entry of the request (event.merge)
};

struct EventMergeOutcome {
  int64_t request_id = 0;
  bool done = false;  // false: rejected with `error`
  std::string error;
  core::TimePoint at{};
};

// One commit of the event stage: all of it is written in one transaction or none of it.
struct EventBatch {
  int64_t queue_through = 0;  // queue entries with seq ≤ this are done and removed
  std::vector<PostEvent> posts;
  std::vector<model::EventRecord> events;  // inserted or replaced whole
  // Applied after `posts`: the posts of `from` move to `into`; `from` gets merged_into.
  std::vector<EventMerge> merges;
  // Merge requests decided in this batch (their merges, if done, are in `merges`); a request
  // no longer pending is left as it is.
  std::vector<EventMergeOutcome> merge_outcomes;
  std::vector<EventLogEntry> log;
  // Inserted with one outbox item per target; an alert whose (event, policy, level) exists
  // already is skipped (and so are its outbox items).
  std::vector<model::NewAlert> alerts;
};

struct EventBatchResult {
  std::vector<int64_t> alert_ids;  // the alerts inserted, in batch order
};

// A processed post for rebuilding the event stage's memory after a restart.
struct ProcessedPost {
  int64_t seq = 0;  // processing order
  int64_t event_id = 0;
  StoredPost post;
  std::string analysis_json;
  std::vector<int64_t> rule_ids;
};

enum class EventSort { kHeat, kLastSeen, kFirstSeen, kPosts, kGrade };
// "heat", "last_seen", "first_seen", "posts", "grade"; nullopt for anything else.
inline std::optional<EventSort> ParseEventSort(std::string_view s) {
  if (s == "heat") return EventSort::kHeat;
  if (s == "last_seen") return EventSort::kLastSeen;
  if (s == "first_seen") return EventSort::kFirstSeen;
  if (s == "posts") return EventSort::kPosts;
  if (s == "grade") return EventSort::kGrade;
  return std::nullopt;
}

struct EventQuery {
  std::optional<core::TimePoint> from;  // last seen at or after
  std::optional<core::TimePoint> to;    // first seen before
  std::optional<int> max_grade;         // grade at least this severe (1 … 4)
  std::optional<model::Domain> domain;
  std::string region;  // GB/T 2260 code prefix
  std::string trend;   // "" any
  double min_heat = 0;
  std::string text;  // substring of the title
  bool include_merged = false;
  EventSort sort = EventSort::kHeat;
  int limit = 20;  // 0..1000
  int offset = 0;  // 0..100000
};

// Counting processed posts by publication time, channel, sentiment and region: the monitoring
// statistics and an event's series (docs/api.md, "Statistics"). Counts cover the posts the
// event stage has processed (a few seconds behind ingest).
struct PostCountQuery {
  std::optional<core::TimePoint> from;  // published at or after
  std::optional<core::TimePoint> to;    // published before
  std::string region;                   // GB/T 2260 code prefix (digits); "" any
  int64_t event_id = 0;                 // 0: every post; else the event's (merged ones included)
  // Rows per bucket of this many seconds (1 … 31,536,000); 0: one bucket over the whole range.
  // Buckets start at multiples of bucket_seconds after the epoch shifted by
  // bucket_offset_seconds, e.g. +28,800 for days that begin at midnight in China (UTC+8).
  int64_t bucket_seconds = 0;
  int64_t bucket_offset_seconds = 0;
  // > 0: rows per region code cut to this many leading digits (2 province, 4 prefecture,
  // 6 county); posts without a region are left out then.
  int region_digits = 0;
};

struct PostCountRow {
  core::TimePoint start{};  // the bucket's start (the epoch when bucket_seconds is 0)
  model::Channel channel = model::Channel::kOther;
  int sentiment = 0;   // -1 negative, 0 neutral, 1 positive
  std::string region;  // the cut region code when region_digits > 0, else ""
  int64_t posts = 0;
  int64_t engagement = 0;  // reposts + comments + likes
};

// Events by region for the map: events not merged away that were active in [from, to) and name
// a region under the prefix, counted per region code cut to `digits` (2, 4 or 6).
struct RegionEventCount {
  std::string code;
  int64_t events = 0;
  double max_heat = 0;
  int top_grade = 4;  // the most severe grade among them (1 … 4)
};

struct EventPage {
  std::vector<model::EventRecord> events;
  int64_t total = 0;
};

class EventStore {
 public:
  virtual ~EventStore() = default;

  // --- Events: the queue, the event stage's commits, and reading events back.

  // Queued posts with seq > after_seq, ascending, at most `limit` (1..10000).
  virtual Result<std::vector<QueuedPost>> NextQueuedPosts(int64_t after_seq, int limit) = 0;
  virtual Result<int64_t> QueueLength() = 0;
  // Queued posts after queue entry `seq` (those not yet read by a stage that read up to it).
  virtual Result<int64_t> QueuedAfter(int64_t seq) = 0;
  virtual Result<EventBatchResult> CommitEvents(const EventBatch& batch) = 0;
  // Processed posts published at or after `since`, with seq > after_seq, in processing order.
  virtual Result<std::vector<ProcessedPost>> ScanProcessedPosts(core::TimePoint since,
                                                                int64_t after_seq, int limit) = 0;
  virtual Result<int64_t> MaxEventId() = 0;
  // The seq of the last processed post (ProcessedPost::seq); 0 when none. The live post stream
  // starts after it.
  virtual Result<int64_t> LastProcessedSeq() = 0;
  // InvalidArgument for limits out of range.
  virtual Result<EventPage> ListEvents(const EventQuery& query) = 0;
  virtual Result<std::optional<model::EventRecord>> GetEvent(int64_t id) = 0;
  // The event's posts (including those of events merged into it), newest first.
  virtual Result<std::vector<StoredPost>> EventPosts(int64_t event_id, int limit, int offset) = 0;
  // The analysis kept for a post (PostEvent::analysis_json); "" if not processed yet.
  virtual Result<std::string> PostAnalysis(int64_t post_key) = 0;
  // The event's log, oldest first (including the log of events merged into it).
  virtual Result<std::vector<EventLogEntry>> EventLog(int64_t event_id) = 0;
  // Processed posts counted by (bucket, channel, sentiment[, region]), ascending by bucket
  // start, then channel, sentiment and region; groups without posts are left out.
  // InvalidArgument for a bucket or region_digits out of range.
  virtual Result<std::vector<PostCountRow>> CountPosts(const PostCountQuery& query) = 0;
  // Uses query.from, to and region (the other fields are ignored), by code ascending.
  virtual Result<std::vector<RegionEventCount>> CountEventsByRegion(const EventQuery& query,
                                                                    int digits) = 0;

  // --- Merging by hand. The request is kept with its id and state "pending", in one
  // transaction with its audit entry: `audit` as given, its to_json replaced by {"from",
  // "into", "request"} (the request's id). InvalidArgument for ids ≤ 0, from == into, or a
  // reason over 1,000 bytes.
  virtual Result<EventMergeRequest> RequestEventMerge(const EventMergeRequest& request,
                                                      const model::AuditDraft& audit) = 0;
  // Pending requests with id > after_id, ascending, at most `limit` (1..1000).
  virtual Result<std::vector<EventMergeRequest>> PendingEventMerges(int64_t after_id,
                                                                    int limit) = 0;
  virtual Result<std::optional<EventMergeRequest>> GetEventMergeRequest(int64_t id) = 0;
};

}  // namespace yuqing::store
