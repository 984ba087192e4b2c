#include "pipeline/ingest.h"

#include <fmt/format.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/rules.h"

namespace yuqing::pipeline {

store::PostRecord PrepareRecord(model::Post post, const text::Tokenizer& tokenizer,
                                const rules::CompiledRuleSet* rules) {
  store::PostRecord r;
  if (rules != nullptr) r.rule_hits = MatchRules(*rules, post);
  tokenizer.DocumentAndSubTerms(post.title, r.title_terms, r.sub_terms);
  tokenizer.DocumentAndSubTerms(post.text, r.text_terms, r.sub_terms);
  tokenizer.DocumentTerms(post.author.name, r.author_terms);
  r.post = std::move(post);
  return r;
}

Status CheckIndexTokenizer(store::PostStore& store, const text::Tokenizer& tokenizer) {
  YQ_ASSIGN_OR_RETURN(std::string current, store.GetMeta("index.tokenizer"));
  if (current.empty()) return store.SetMeta("index.tokenizer", std::string(tokenizer.Name()));
  if (current != tokenizer.Name()) {
    return Status::FailedPrecondition(
        fmt::format("the search index was built with tokenizer \"{}\" but this build uses \"{}\"; "
                    "run `yuqing reindex` once",
                    current, tokenizer.Name()));
  }
  return Status::Ok();
}

Status Reindex(store::PostStore& store, const text::Tokenizer& tokenizer,
               const std::function<void(int64_t)>& progress) {
  return store.RebuildIndex(
      [&](store::PostRecord& r) {
        tokenizer.DocumentAndSubTerms(r.post.title, r.title_terms, r.sub_terms);
        tokenizer.DocumentAndSubTerms(r.post.text, r.text_terms, r.sub_terms);
        tokenizer.DocumentTerms(r.post.author.name, r.author_terms);
      },
      std::string(tokenizer.Name()), progress);
}

Result<std::vector<store::InsertResult>> Ingestor::Write(std::vector<model::Post> posts) const {
  std::vector<store::PostRecord> records;
  records.reserve(posts.size());
  // One rule set for the whole batch, however the rules change meanwhile.
  std::shared_ptr<const rules::CompiledRuleSet> set;
  if (rules_ != nullptr) set = rules_->Snapshot();
  for (auto& p : posts) records.push_back(PrepareRecord(std::move(p), *tokenizer_, set.get()));
  return store_.InsertPosts(records, clock_.Now());
}

namespace {

// A single-slot hand-over between the preparing thread and the writing thread: at most one
// batch waits while another is written, which bounds memory (back-pressure).
class BatchWriter {
 public:
  BatchWriter(store::PostStore& store, const core::Clock& clock, ImportCounts& counts)
      : store_(store), clock_(clock), counts_(counts) {
    thread_ = std::thread([this] { Loop(); });
  }

  ~BatchWriter() { (void)Finish(); }

  // Blocks while the slot is full. Returns the writer's error, if it failed.
  Status Submit(std::vector<store::PostRecord> batch) {
    std::unique_lock<std::mutex> lock(mu_);
    auto t0 = std::chrono::steady_clock::now();
    cv_.wait(lock, [&] { return !slot_ || !error_.ok(); });
    counts_.wait_seconds +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!error_.ok()) return error_;
    slot_ = std::move(batch);
    cv_.notify_all();
    return Status::Ok();
  }

  // Accepted and duplicate counts of the batches committed so far.
  ImportCounts Written() {
    std::lock_guard<std::mutex> lock(mu_);
    return counts_;
  }

  Status Finish() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      cv_.notify_all();
    }
    if (thread_.joinable()) thread_.join();
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }

 private:
  void Loop() {
    while (true) {
      std::vector<store::PostRecord> batch;
      {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return slot_.has_value() || done_; });
        if (!slot_) return;
        batch = std::move(*slot_);
        slot_.reset();
        cv_.notify_all();
      }
      auto t0 = std::chrono::steady_clock::now();
      auto result = store_.InsertPosts(batch, clock_.Now());
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::lock_guard<std::mutex> lock(mu_);
      counts_.write_seconds += secs;
      if (!result.ok()) {
        error_ = result.status();
        cv_.notify_all();
        return;
      }
      for (const auto& r : *result) {
        if (r.outcome == model::IngestOutcome::kAccepted) {
          ++counts_.accepted;
        } else {
          ++counts_.duplicate;
        }
      }
    }
  }

  store::PostStore& store_;
  const core::Clock& clock_;
  ImportCounts& counts_;  // accepted, duplicate and the timings, written under mu_
  std::mutex mu_;
  std::condition_variable cv_;
  std::optional<std::vector<store::PostRecord>> slot_;  // guarded by mu_
  bool done_ = false;                                   // guarded by mu_
  Status error_;                                        // guarded by mu_
  std::thread thread_;
};

}  // namespace

Result<ImportCounts> ImportRecords(collect::RecordReader& reader, const Ingestor& ingestor,
                                   const ImportOptions& options) {
  ImportCounts counts;
  // The writer updates accepted/duplicate; this thread owns records/rejected/bytes and reads
  // the others only after Finish().
  ImportCounts written;
  if (options.defer_sync) YQ_RETURN_IF_ERROR(ingestor.store().SetDeferredSync(true));
  BatchWriter writer(ingestor.store(), ingestor.clock(), written);
  std::vector<store::PostRecord> batch;
  batch.reserve(options.batch_size);
  collect::RawRecord rec;
  Status status;
  std::shared_ptr<const rules::CompiledRuleSet> set;
  if (ingestor.rules() != nullptr) set = ingestor.rules()->Snapshot();
  while (true) {
    auto more = reader.Next(rec);
    if (!more.ok()) {
      status = more.status();
      break;
    }
    if (!*more) break;
    ++counts.records;
    if (!rec.post.ok()) {
      ++counts.rejected;
      if (options.on_reject) options.on_reject(rec);
      continue;
    }
    batch.push_back(PrepareRecord(std::move(rec.post).value(), ingestor.tokenizer(), set.get()));
    if (batch.size() >= options.batch_size) {
      status = writer.Submit(std::move(batch));
      batch = {};
      batch.reserve(options.batch_size);
      if (ingestor.rules() != nullptr) set = ingestor.rules()->Snapshot();
      if (!status.ok()) break;
      if (options.on_progress) {
        ImportCounts now = writer.Written();
        now.records = counts.records;
        now.rejected = counts.rejected;
        now.bytes = reader.BytesRead();
        options.on_progress(now);
      }
    }
  }
  if (status.ok() && !batch.empty()) status = writer.Submit(std::move(batch));
  Status finish = writer.Finish();
  if (status.ok()) status = finish;
  // Whatever was committed is forced to disk before anything is reported as accepted, also
  // after an error (the committed batches stay).
  if (options.defer_sync) {
    Status synced = ingestor.store().SetDeferredSync(false);
    if (status.ok()) status = synced;
  }
  counts.accepted = written.accepted;
  counts.duplicate = written.duplicate;
  counts.write_seconds = written.write_seconds;
  counts.wait_seconds = written.wait_seconds;
  counts.bytes = reader.BytesRead();
  if (!status.ok()) return status;
  return counts;
}

}  // namespace yuqing::pipeline
