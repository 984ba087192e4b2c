// pipeline owns the order of stages a post goes through. Today: ingest — validated posts are
// prepared for the index (tokenized) and written to the store in batches, durable before the
// caller is told they were accepted. Later stages (analysis, events, alerts) hook in here.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "collect/collector.h"
#include "collect/record_reader.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/post.h"
#include "rules/rule_engine.h"
#include "store/posts_store.h"
#include "text/tokenizer.h"

namespace yuqing::pipeline {

// Turns a post into a store record: the index terms of its title, text and author name, and
// the monitoring rules of `rules` it matches (none if `rules` is null).
store::PostRecord PrepareRecord(model::Post post, const text::Tokenizer& tokenizer,
                                const rules::CompiledRuleSet* rules = nullptr);

// Checks that the store's full-text index was built with `tokenizer` (recording it on first
// use). FailedPrecondition tells the operator to re-index when they differ.
Status CheckIndexTokenizer(store::PostStore& store, const text::Tokenizer& tokenizer);

// Rebuilds the store's full-text index with `tokenizer` (after store.index_tokenizer changed).
Status Reindex(store::PostStore& store, const text::Tokenizer& tokenizer,
               const std::function<void(int64_t)>& progress);

// Writes posts synchronously: one transaction for the whole span, with the rule hits of the
// accepted posts. Thread-safe (the store serialises writers). Borrowed references must outlive
// the Ingestor.
class Ingestor {
 public:
  Ingestor(store::PostStore& store, std::shared_ptr<const text::Tokenizer> tokenizer,
           const core::Clock& clock)
      : store_(store), tokenizer_(std::move(tokenizer)), clock_(clock) {}

  Result<std::vector<store::InsertResult>> Write(std::vector<model::Post> posts) const;

  // Matches every post against the live rules of `engine` (borrowed; null: no rule matching).
  // Call before the Ingestor is shared between threads.
  void SetRules(const rules::RuleEngine* engine) { rules_ = engine; }
  const rules::RuleEngine* rules() const { return rules_; }

  const text::Tokenizer& tokenizer() const { return *tokenizer_; }
  store::PostStore& store() const { return store_; }
  const core::Clock& clock() const { return clock_; }

 private:
  store::PostStore& store_;
  std::shared_ptr<const text::Tokenizer> tokenizer_;
  const core::Clock& clock_;
  const rules::RuleEngine* rules_ = nullptr;
};

// The collectors' way into the pipeline: posts they fetched are written through `ingestor`
// (borrowed; must outlive the sink), tokenized and matched like any other ingest, durable
// before Write returns. Thread-safe like the Ingestor.
class IngestSink final : public collect::PostSink {
 public:
  explicit IngestSink(const Ingestor& ingestor) : ingestor_(ingestor) {}
  Result<std::vector<model::IngestOutcome>> Write(std::vector<model::Post> posts) override {
    YQ_ASSIGN_OR_RETURN(auto results, ingestor_.Write(std::move(posts)));
    std::vector<model::IngestOutcome> out;
    out.reserve(results.size());
    for (const auto& r : results) out.push_back(r.outcome);
    return out;
  }

 private:
  const Ingestor& ingestor_;
};

struct ImportCounts {
  int64_t records = 0;
  int64_t accepted = 0;
  int64_t duplicate = 0;
  int64_t rejected = 0;
  int64_t bytes = 0;
  // Where the time went: the writer inside the store, the reader waiting for the writer.
  double write_seconds = 0;
  double wait_seconds = 0;
};

struct ImportOptions {
  size_t batch_size = 2000;
  // Write batches without forcing each to disk, and force all of them at the end, before
  // ImportRecords returns (Store::SetDeferredSync). Everything returned as accepted is durable.
  bool defer_sync = true;
  // Called for every rejected record with where it was and why.
  std::function<void(const collect::RawRecord&)> on_reject;
  // Called after every committed batch with the running counts.
  std::function<void(const ImportCounts&)> on_progress;
};

// Imports every record of `reader`: parsing and tokenizing on the calling thread while the
// previous batch is being written on a second thread. A store error stops the import and is
// returned; everything committed before it stays committed (and counted).
Result<ImportCounts> ImportRecords(collect::RecordReader& reader, const Ingestor& ingestor,
                                   const ImportOptions& options);

}  // namespace yuqing::pipeline
