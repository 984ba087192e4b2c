// store owns persistence behind interfaces: the Store that keeps posts, the full-text index
// and API tokens. Backends: store/sqlite/ (embedded default), store/postgres/ (later). Callers
// never see SQL or a backend type; only server/ and cli/ name a concrete backend.
//
// Thread safety: a Store is shared by all threads of a process; every method may be called
// concurrently. Writes are serialised inside the backend; reads run in parallel.
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
#include "model/event.h"
#include "model/post.h"
#include "model/query.h"
#include "model/rule.h"

namespace yuqing::store {

// A post ready to be written: the record and its index terms (from text::Tokenizer).
struct PostRecord {
  model::Post post;
  std::vector<std::string> title_terms;
  std::vector<std::string> text_terms;
  std::vector<std::string> author_terms;
  // Terms inside longer words of title and text (text::Tokenizer::SubTerms), no positions.
  std::vector<std::string> sub_terms;
  // The monitoring rules the post matched (pipeline); written with the post, only if the post
  // is accepted (a duplicate keeps the hits recorded when it was first stored).
  std::vector<model::RuleHit> rule_hits;
};

struct InsertResult {
  model::IngestOutcome outcome = model::IngestOutcome::kAccepted;  // accepted or duplicate
  int64_t key = 0;  // the stored post's key (the existing one for a duplicate)
};

struct StoredPost {
  int64_t key = 0;
  model::Post post;
  core::TimePoint ingested_at{};
  double score = 0;  // relevance (higher is better) when sorted by relevance
};

enum class SortOrder { kNewest, kRelevance };

struct SearchRequest {
  // Parsed query with tokens filled for term and phrase nodes; nullopt lists by filters only.
  std::optional<model::QueryNode> query;
  std::optional<core::TimePoint> from;   // inclusive
  std::optional<core::TimePoint> to;     // exclusive
  std::vector<model::Channel> channels;  // any of
  std::vector<std::string> sources;      // any of
  std::string region;                    // GB/T 2260 code prefix: "14" Shanxi, "1404" Changzhi
  SortOrder sort = SortOrder::kNewest;
  int limit = 20;
  int offset = 0;
};

struct SearchPage {
  std::vector<StoredPost> hits;
  int64_t total = 0;          // matches, counted up to total_cap
  bool total_capped = false;  // true when there are more than `total` matches
};

struct ApiToken {
  int64_t id = 0;
  std::string name;
  core::TimePoint created_at{};
  std::optional<core::TimePoint> revoked_at;
};

// A rule hit of a stored post, with the rule's name.
struct StoredRuleHit {
  int64_t post_key = 0;
  std::string rule_name;
  model::RuleHit hit;
};

// Which posts to read for a dry run of a rule: published in [from, to), keys after `after_key`,
// ascending key (= publication time) order.
struct ScanRequest {
  std::optional<core::TimePoint> from;  // inclusive
  std::optional<core::TimePoint> to;    // exclusive
  int64_t after_key = 0;                // 0: from the start; else the last key of the previous page
  int limit = 1000;                     // 1..10000
};

// --- Events (docs/events.md "Storage").

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

// One commit of the event stage: all of it is written in one transaction or none of it.
struct EventBatch {
  int64_t queue_through = 0;  // queue entries with seq ≤ this are done and removed
  std::vector<PostEvent> posts;
  std::vector<model::EventRecord> events;  // inserted or replaced whole
  // Applied after `posts`: the posts of `from` move to `into`; `from` gets merged_into.
  std::vector<EventMerge> merges;
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

struct EventPage {
  std::vector<model::EventRecord> events;
  int64_t total = 0;
};

// --- Alerts (docs/alerts.md).

struct AlertQuery {
  std::optional<int64_t> event_id;
  std::optional<int64_t> policy_id;
  bool unacknowledged_only = false;
  int64_t after_id = 0;    // ids greater than this (live streams resume from the last id seen)
  bool ascending = false;  // default newest first
  int limit = 50;          // 0..1000
};

struct OutboxCounts {
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t dead = 0;
};

struct StoreStats {
  int64_t posts = 0;
  int schema_version = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Writes the batch in one transaction, durable before returning OK. A post whose
  // (source, id) is already stored (or earlier in the batch) is a duplicate: not written again.
  // On error nothing of the batch is written.
  virtual Result<std::vector<InsertResult>> InsertPosts(std::span<const PostRecord> batch,
                                                        core::TimePoint ingested_at) = 0;

  virtual Result<std::optional<StoredPost>> GetPost(const std::string& source,
                                                    const std::string& external_id) = 0;

  // InvalidArgument for a query the index cannot answer, with the column of the culprit.
  virtual Result<SearchPage> Search(const SearchRequest& request) = 0;

  virtual Result<StoreStats> Stats() = 0;

  // Bulk imports: while deferred, committed batches are written but not forced to disk (they
  // survive a crash of the process, not of the machine). Ending the deferral forces everything
  // committed so far to disk before it returns, so an import acknowledges its posts only then.
  // A no-op for a store opened without per-commit sync.
  virtual Status SetDeferredSync(bool deferred) = 0;

  // Rebuilds the full-text index of every stored post with new terms: `terms_of` fills the
  // title, text and author terms of a record whose post is set. One transaction: searches see
  // the old index until it commits, and a failure leaves the old index. On success the meta
  // key "index.tokenizer" is set to `tokenizer_name`. `progress` (may be empty) receives the
  // number of posts done every 10,000 posts.
  virtual Status RebuildIndex(const std::function<void(PostRecord&)>& terms_of,
                              const std::string& tokenizer_name,
                              const std::function<void(int64_t)>& progress) = 0;

  // Small named settings kept with the data, e.g. "index.tokenizer" (the tokenizer whose
  // terms the full-text index holds). GetMeta returns "" for an unset key.
  virtual Result<std::string> GetMeta(const std::string& key) = 0;
  virtual Status SetMeta(const std::string& key, const std::string& value) = 0;

  // API tokens are kept as a hash of the secret; the secret itself is never stored.
  virtual Status CreateApiToken(const std::string& name, const std::string& secret_hash,
                                core::TimePoint now) = 0;
  virtual Result<std::optional<ApiToken>> FindApiToken(const std::string& secret_hash) = 0;
  virtual Result<std::vector<ApiToken>> ListApiTokens() = 0;
  virtual Status RevokeApiToken(const std::string& name, core::TimePoint now) = 0;

  // Reads stored posts in key order, one page at a time (docs/rules.md, "rules test").
  virtual Result<std::vector<StoredPost>> ScanPosts(const ScanRequest& request) = 0;

  // The rule hits recorded for these posts, by post key then rule id.
  virtual Result<std::vector<StoredRuleHit>> RuleHitsForPosts(std::span<const int64_t> keys) = 0;

  // --- Monitoring rules and keyword lists (docs/rules.md, "Management").
  // Every change below increments RulesVersion() in the same transaction, so a process that
  // compiled the rules can tell cheaply whether another process changed them.

  // Stores a new rule and returns it with its id and times (`rule.id` is ignored).
  // AlreadyExists `a rule named "x" already exists`. The query is stored as given: check it
  // (rules::CheckRule) before.
  virtual Result<model::Rule> CreateRule(const model::Rule& rule, core::TimePoint now) = 0;
  // Replaces name, query, owner, tags and enabled of rule `rule.id`. NotFound
  // `no rule with id 7`; AlreadyExists if the new name belongs to another rule.
  virtual Result<model::Rule> UpdateRule(const model::Rule& rule, core::TimePoint now) = 0;
  virtual Result<std::optional<model::Rule>> GetRule(int64_t id) = 0;
  virtual Result<std::optional<model::Rule>> GetRuleByName(const std::string& name) = 0;
  // All rules, ascending id.
  virtual Result<std::vector<model::Rule>> ListRules() = 0;
  // NotFound `no rule with id 7`.
  virtual Status SetRuleEnabled(int64_t id, bool enabled, core::TimePoint now) = 0;
  // Deletes the rule and the hits recorded for it. NotFound `no rule with id 7`.
  virtual Status DeleteRule(int64_t id) = 0;

  // Creates or replaces a keyword list (words kept in the given order, duplicates dropped).
  virtual Status PutKeywordList(const model::KeywordList& list, core::TimePoint now) = 0;
  virtual Result<std::optional<model::KeywordList>> GetKeywordList(const std::string& name) = 0;
  // All lists, by name.
  virtual Result<std::vector<model::KeywordList>> ListKeywordLists() = 0;
  // NotFound `no keyword list "@x"`.
  virtual Status DeleteKeywordList(const std::string& name) = 0;

  // A counter that grows with every change of rules or keyword lists; 0 for a new store.
  virtual Result<int64_t> RulesVersion() = 0;
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
  // InvalidArgument for limits out of range.
  virtual Result<EventPage> ListEvents(const EventQuery& query) = 0;
  virtual Result<std::optional<model::EventRecord>> GetEvent(int64_t id) = 0;
  // The event's posts (including those of events merged into it), newest first.
  virtual Result<std::vector<StoredPost>> EventPosts(int64_t event_id, int limit, int offset) = 0;
  // The analysis kept for a post (PostEvent::analysis_json); "" if not processed yet.
  virtual Result<std::string> PostAnalysis(int64_t post_key) = 0;
  // The event's log, oldest first (including the log of events merged into it).
  virtual Result<std::vector<EventLogEntry>> EventLog(int64_t event_id) = 0;

  // --- Alert policies, alerts and the outbox (docs/alerts.md). Policy changes increment the
  // meta counter "alerts.version" in the same transaction.

  // AlreadyExists for a taken name. The policy is stored as given: check it before.
  virtual Result<model::AlertPolicy> CreateAlertPolicy(const model::AlertPolicy& policy,
                                                       core::TimePoint now) = 0;
  // NotFound `no alert policy with id 7`.
  virtual Result<model::AlertPolicy> UpdateAlertPolicy(const model::AlertPolicy& policy,
                                                       core::TimePoint now) = 0;
  virtual Result<std::optional<model::AlertPolicy>> GetAlertPolicy(int64_t id) = 0;
  virtual Result<std::vector<model::AlertPolicy>> ListAlertPolicies() = 0;  // ascending id
  virtual Status DeleteAlertPolicy(int64_t id) = 0;  // alerts already raised are kept
  virtual Result<int64_t> AlertPoliciesVersion() = 0;

  virtual Result<std::vector<model::Alert>> ListAlerts(const AlertQuery& query) = 0;
  virtual Result<std::optional<model::Alert>> GetAlert(int64_t id) = 0;
  // Every (event, policy) with the most severe level alerted, for restoring deduplication.
  struct AlertLevel {
    int64_t event_id = 0;
    int64_t policy_id = 0;
    int level = 4;
  };
  virtual Result<std::vector<AlertLevel>> AlertLevels() = 0;
  // NotFound for an unknown id; acknowledging twice keeps the first acknowledgement.
  virtual Result<model::Alert> AcknowledgeAlert(int64_t id, const std::string& by,
                                                core::TimePoint now) = 0;

  // Pending outbox items due at `now` (next_attempt_at ≤ now), oldest first.
  virtual Result<std::vector<model::OutboxItem>> DueOutbox(core::TimePoint now, int limit) = 0;
  // The earliest next_attempt_at of a pending item; nullopt when none is pending.
  virtual Result<std::optional<core::TimePoint>> NextOutboxAttempt() = 0;
  virtual Result<std::vector<model::OutboxItem>> OutboxForAlert(int64_t alert_id) = 0;
  // Outbox items of any alert, newest first, only those in `state` if given. InvalidArgument
  // for a limit outside 1..1000.
  virtual Result<std::vector<model::OutboxItem>> ListOutbox(std::optional<model::OutboxState> state,
                                                            int limit) = 0;
  virtual Status MarkOutboxDelivered(int64_t id, core::TimePoint now) = 0;
  // Records a failed attempt: retry at `retry_at`, or the dead-letter state when nullopt.
  virtual Status MarkOutboxFailed(int64_t id, const std::string& error,
                                  std::optional<core::TimePoint> retry_at) = 0;
  // Puts a dead item back to pending, due at `now` (an operator's retry).
  virtual Status RetryOutbox(int64_t id, core::TimePoint now) = 0;
  virtual Result<OutboxCounts> CountOutbox() = 0;
};

}  // namespace yuqing::store
