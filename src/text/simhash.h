// Near-duplicate detection: 64-bit SimHash fingerprints (Charikar, STOC 2002) over words
// weighted by TF-IDF, and an index that finds every stored fingerprint within Hamming distance 3
// of a query without scanning (Manku, Jain, Das Sarma, "Detecting Near-Duplicates for Web
// Crawling", WWW 2007, §3: permuted tables).
//
// Threads: Fingerprint functions are pure. SimHashIndex is a plain value: not synchronised;
// one writer at a time (the event stage owns it), or guard it with a lock.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "text/keywords.h"

namespace yuqing::text {

// A 64-bit hash of a word, well mixed in every bit.
uint64_t WordHash(std::string_view word);

// SimHash of weighted words: bit i is set when the weights of words whose hash has bit i set
// outweigh those whose hash has it clear. Empty input gives 0.
uint64_t SimHash(std::span<const Keyword> words);

// The same from words already hashed with WordHash(): for callers that keep the hashes.
struct HashedWord {
  uint64_t hash = 0;
  double weight = 0;
};
uint64_t SimHash(std::span<const HashedWord> words);

// SimHash of a text: its words weighted by TF-IDF (KeywordExtractor::WeightedWords); a text
// with no counted word falls back to all its non-space words with weight 1.
uint64_t SimHashOf(const KeywordExtractor& keywords, std::string_view text);

inline int HammingDistance(uint64_t a, uint64_t b) { return __builtin_popcountll(a ^ b); }

// Stores (fingerprint, id) pairs and finds those within distance ≤ 3 of a query.
//
// The 64 bits are split into 4 blocks of 16. Two fingerprints within distance 3 differ in at
// most 3 blocks, so they agree on at least one block (pigeonhole, Manku et al. §3.1). Table t
// buckets every fingerprint by block t (65,536 buckets), so a query looks at 4 buckets: about
// 4 × n / 65,536 candidates (60 at 1M), each checked with one popcount. A candidate is reported
// only from the first table whose block it shares with the query, so never twice.
// Memory: 4 × 16 bytes per entry plus 4 × 65,536 bucket headers.
class SimHashIndex {
 public:
  static constexpr int kMaxDistance = 3;

  SimHashIndex();

  void Insert(uint64_t fingerprint, uint64_t id);
  // Removes one (fingerprint, id) pair; false if absent.
  bool Remove(uint64_t fingerprint, uint64_t id);
  // Removes every pair whose id satisfies `drop(id)`; one pass over the index. Returns how many.
  template <typename Drop>
  size_t RemoveIf(Drop drop) {
    size_t removed = 0;
    for (size_t t = 0; t < tables_.size(); ++t) {
      for (auto& bucket : tables_[t]) {
        const size_t n = std::erase_if(bucket, [&](const Entry& e) { return drop(e.id); });
        if (t == 0) removed += n;  // every pair is in every table
      }
    }
    size_ -= removed;
    return removed;
  }

  struct Match {
    uint64_t id;
    uint64_t fingerprint;
    int distance;
  };
  // Appends every stored pair within `max_distance` (0..3; larger values are clamped to 3).
  void Find(uint64_t fingerprint, std::vector<Match>& out, int max_distance = kMaxDistance) const;

  size_t size() const { return size_; }
  size_t MemoryBytes() const;

 private:
  struct Entry {
    uint64_t fingerprint;
    uint64_t id;
  };
  static constexpr int kTables = 4;
  static uint32_t Block(uint64_t fp, int t) {
    return static_cast<uint32_t>(fp >> (16 * t)) & 0xFFFF;
  }

  std::array<std::vector<std::vector<Entry>>, kTables> tables_;
  size_t size_ = 0;
};

}  // namespace yuqing::text
