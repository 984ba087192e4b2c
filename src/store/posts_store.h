// PostStore: stored posts, the full-text index over them, the rule hits recorded with them and
// a few named settings (docs/store.md). Implemented by every backend (store/sqlite/, later
// store/postgres/); see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
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
  // Posts with a recorded hit of any of these rules (at ingest or by a backfill); empty: any post.
  std::vector<int64_t> rule_ids;
  SortOrder sort = SortOrder::kNewest;
  int limit = 20;
  int offset = 0;
};

struct SearchPage {
  std::vector<StoredPost> hits;
  int64_t total = 0;          // matches, counted up to total_cap
  bool total_capped = false;  // true when there are more than `total` matches
};

// A rule hit of a stored post, with the rule's name.
struct StoredRuleHit {
  int64_t post_key = 0;
  std::string rule_name;
  model::RuleHit hit;
};

// A rule hit to record for a post already stored (PostStore::AddRuleHits).
struct PostRuleHit {
  int64_t post_key = 0;
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

// One source's stored posts (GET /api/v1/sources).
struct SourceSummary {
  std::string name;
  int64_t posts = 0;
  core::TimePoint first_post_at{};  // earliest publication time
  core::TimePoint last_post_at{};   // latest publication time
};

struct StoreStats {
  int64_t posts = 0;
  int schema_version = 0;
};

class PostStore {
 public:
  virtual ~PostStore() = default;

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

  // Reads stored posts in key order, one page at a time (docs/rules.md, "rules test").
  virtual Result<std::vector<StoredPost>> ScanPosts(const ScanRequest& request) = 0;

  // Every source with stored posts, by name.
  virtual Result<std::vector<SourceSummary>> ListSources() = 0;

  // The rule hits recorded for these posts, by post key then rule id.
  virtual Result<std::vector<StoredRuleHit>> RuleHitsForPosts(std::span<const int64_t> keys) = 0;

  // How many posts published in [from, to) have a recorded hit of each rule, as (rule id,
  // posts) by rule id; rules without such a post are left out.
  virtual Result<std::vector<std::pair<int64_t, int64_t>>> CountRuleHits(
      std::optional<core::TimePoint> from, std::optional<core::TimePoint> to) = 0;

  // Records hits for posts already stored (a rule's backfill, docs/rules.md) in one
  // transaction, durable before it returns. A (post, rule) pair already recorded keeps what it
  // has and is not counted. A hit whose post or rule is not stored refuses the whole call
  // (NotFound naming it) and nothing is written. Returns the number of hits written.
  virtual Result<int64_t> AddRuleHits(std::span<const PostRuleHit> hits) = 0;
};

}  // namespace yuqing::store
