// store owns persistence behind interfaces: the Store that keeps posts, the full-text index
// and API tokens. Backends: store/sqlite/ (embedded default), store/postgres/ (later). Callers
// never see SQL or a backend type; only server/ and cli/ name a concrete backend.
//
// Thread safety: a Store is shared by all threads of a process; every method may be called
// concurrently. Writes are serialised inside the backend; reads run in parallel.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/post.h"
#include "model/query.h"

namespace yuqing::store {

// A post ready to be written: the record and its index terms (from text::Tokenizer).
struct PostRecord {
  model::Post post;
  std::vector<std::string> title_terms;
  std::vector<std::string> text_terms;
  std::vector<std::string> author_terms;
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
};

}  // namespace yuqing::store
