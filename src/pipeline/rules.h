// The monitoring rules in the pipeline (docs/rules.md, "Management" and "Live reload"):
// RuleSync keeps a RuleEngine equal to the enabled rules in the store, TryRule dry-runs a rule
// over stored posts, and the helpers turn a rules::MatchResult into the hits stored with a post.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/post.h"
#include "model/rule.h"
#include "rules/rule_engine.h"
#include "store/posts_store.h"
#include "store/rules_store.h"

namespace yuqing::pipeline {

// The fields of `post` as the rule matcher sees them. Borrows from `post`.
rules::PostView RuleViewOf(const model::Post& post);

// The rules of `set` that match `post`, as stored with the post.
std::vector<model::RuleHit> MatchRules(const rules::CompiledRuleSet& set, const model::Post& post);

// Resolves @lists from the store's keyword lists: NotFound `unknown keyword list "@x"`.
rules::ListResolver StoreListResolver(store::RuleStore& store);

// Options to check a rule before it is stored: the store's keyword lists, the given normalizer.
rules::PrepareOptions CheckOptions(
    store::RuleStore& store,
    std::shared_ptr<const rules::MatchNormalizer> normalizer = rules::DefaultMatchNormalizer(),
    rules::RegionResolver regions = {});

// Keeps a RuleEngine in step with the enabled rules and the keyword lists in the store.
// Reload() reads them all and swaps the compiled set (matching never waits); ReloadIfChanged()
// first compares the store's RulesVersion with the one loaded, one small read, so it may be
// called often; Start() calls it periodically on a thread of its own, which is how a change made
// by another process (the CLI next to `yuqing serve`) goes live without a restart.
//
// Thread safety: all methods may be called from any thread; reloads are serialised. The store
// is borrowed and must outlive the RuleSync.
class RuleSync {
 public:
  explicit RuleSync(
      store::RuleStore& store,
      std::shared_ptr<const rules::MatchNormalizer> normalizer = rules::DefaultMatchNormalizer(),
      rules::RegionResolver regions = {});

  // Region names (region:长治) resolved as the live rules resolve them; may be unset.
  const rules::RegionResolver& regions() const { return regions_; }
  // Options to check a rule exactly as the live rules are checked (normalizer, regions, the
  // store's keyword lists).
  rules::PrepareOptions CheckOptions() const;
  ~RuleSync();
  RuleSync(const RuleSync&) = delete;
  RuleSync& operator=(const RuleSync&) = delete;

  // The live rules; valid as long as the RuleSync.
  const rules::RuleEngine& engine() const { return engine_; }

  // Loads the enabled rules. Rules the engine refuses now (e.g. a keyword list they use was
  // emptied) are left out, logged and returned; the others go live. Errors: the store's.
  Result<std::vector<rules::RuleRefusal>> Reload();
  // Reload() if the store's rules version differs from the loaded one; true if it reloaded.
  Result<bool> ReloadIfChanged();

  // The store's rules version the live set was loaded from; -1 before the first load.
  int64_t loaded_version() const { return loaded_version_.load(); }
  // Rules in the live set.
  size_t loaded_rules() const { return engine_.Snapshot()->rule_count(); }
  // The refusals of the last reload.
  std::vector<rules::RuleRefusal> refusals() const;

  // Checks for changes every `interval` on a background thread until Stop(). Errors are
  // logged and retried at the next check.
  void Start(std::chrono::milliseconds interval);
  // Stops and joins the background thread; safe to call twice.
  void Stop();

 private:
  store::RuleStore& store_;
  std::shared_ptr<const rules::MatchNormalizer> normalizer_;
  rules::RegionResolver regions_;
  mutable std::mutex lists_mu_;
  std::map<std::string, std::vector<std::string>, std::less<>> lists_;  // guarded by lists_mu_
  rules::RuleEngine engine_;                  // resolves @lists from lists_
  std::mutex reload_mu_;                      // serialises reloads
  std::vector<rules::RuleRefusal> refusals_;  // guarded by lists_mu_
  std::atomic<int64_t> loaded_version_{-1};

  std::mutex thread_mu_;
  std::condition_variable thread_cv_;
  bool stopping_ = false;  // guarded by thread_mu_
  std::thread thread_;
};

// A dry run of a rule over stored posts (`yuqing rules test`, POST /api/v1/rules/test).
struct TrialOptions {
  std::optional<core::TimePoint> from;  // inclusive
  std::optional<core::TimePoint> to;    // exclusive
  int samples = 5;                      // the newest matching posts to return
};

struct TrialSample {
  store::StoredPost post;
  std::vector<model::TermHit> terms;
};

struct TrialResult {
  int64_t scanned = 0;               // posts in the range
  int64_t matched = 0;               // posts the rule matches
  std::vector<TrialSample> samples;  // newest first
};

// Checks `query` with `options` (InvalidArgument "column N: …" if it does not parse or is
// refused) and matches it against every stored post in the range, a page at a time.
Result<TrialResult> TryRule(store::PostStore& store, std::string_view query,
                            const rules::PrepareOptions& options, const TrialOptions& trial);

struct BackfillResult {
  int64_t scanned = 0;   // posts in the range
  int64_t matched = 0;   // posts the rule matches
  int64_t recorded = 0;  // hits written now (the rest were recorded already)
};

// How far back a backfill looks when no start is given (`yuqing rules backfill`,
// POST /api/v1/rules/{id}/backfill).
inline constexpr std::chrono::hours kBackfillDefaultRange{24 * 7};

struct BackfillOptions {
  std::optional<core::TimePoint> from;  // inclusive
  std::optional<core::TimePoint> to;    // exclusive
  // Called after each page of 1,000 posts with the result so far (may be empty).
  std::function<void(const BackfillResult&)> progress;
};

// Records the hits of the stored rule `rule` for the posts already stored in the range, as
// ingest would have recorded them had the rule been live (docs/rules.md, "Backfill"): checked
// with `options` (InvalidArgument "column N: …" if it no longer checks), matched a page at a
// time, each page's hits written in one durable transaction (PostStore::AddRuleHits), so an
// interrupted backfill keeps what it wrote and running it again only adds the rest. Posts
// already placed in events are not placed again: the events and alerts are left as they are.
Result<BackfillResult> BackfillRule(store::PostStore& store, const model::Rule& rule,
                                    const rules::PrepareOptions& options,
                                    const BackfillOptions& backfill);

// Where a search query's words occur in posts (the highlights of search hits): the query is
// compiled like a rule with `options`, and each post matched against it. InvalidArgument
// "column N: …" if the query cannot be a rule (e.g. it has no word to look for).
class QueryHighlighter {
 public:
  static Result<QueryHighlighter> Compile(std::string_view query,
                                          const rules::PrepareOptions& options);
  // The query's term occurrences in `post` (title, text, author …), in the matcher's order;
  // empty when the post does not match the query as a rule does (e.g. a word found only as a
  // part of a longer word by the index).
  std::vector<model::TermHit> Terms(const model::Post& post) const;

 private:
  std::shared_ptr<const rules::CompiledRuleSet> set_;
};

// `text` with every hit of `field` wrapped in 【】, cut to about `max_chars` code points around
// the first hit ("…" marks a cut). Overlapping hits are merged, adjacent ones not.
std::string Highlight(std::string_view text, std::string_view field,
                      const std::vector<model::TermHit>& terms, size_t max_chars = 120);

}  // namespace yuqing::pipeline
