#include "text/simhash.h"

#include <algorithm>

#include "text/jieba_data.h"

namespace yuqing::text {

uint64_t WordHash(std::string_view word) {
  // FNV-1a, then the splitmix64 finalizer (Steele et al., OOPSLA 2014) so that every output
  // bit depends on every input byte; SimHash needs unbiased, independent bits.
  uint64_t z = internal::Fnv1a64(word) + 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

uint64_t SimHash(std::span<const Keyword> words) {
  std::vector<HashedWord> hashed;
  hashed.reserve(words.size());
  for (const Keyword& w : words) hashed.push_back({WordHash(w.word), w.weight});
  return SimHash(hashed);
}

uint64_t SimHash(std::span<const HashedWord> words) {
  std::array<double, 64> v{};
  for (const HashedWord& w : words) {
    const uint64_t h = w.hash;
    for (int i = 0; i < 64; ++i) v[i] += ((h >> i) & 1) != 0 ? w.weight : -w.weight;
  }
  uint64_t fp = 0;
  for (int i = 0; i < 64; ++i) {
    if (v[i] > 0) fp |= uint64_t{1} << i;
  }
  return fp;
}

uint64_t SimHashOf(const KeywordExtractor& keywords, std::string_view text) {
  std::vector<Keyword> words = keywords.WeightedWords(text);
  if (words.empty()) {
    // Short texts ("好！") have no word of two characters: use every word but spaces.
    std::vector<std::string_view> all;
    keywords.segmenter().Cut(text, all);
    for (std::string_view w : all) {
      if (w != " " && w != "\n" && w != "\t" && w != "\r\n")
        words.push_back(Keyword{std::string(w), 1.0});
    }
  }
  return SimHash(words);
}

SimHashIndex::SimHashIndex() {
  for (auto& t : tables_) t.resize(1 << 16);
}

void SimHashIndex::Insert(uint64_t fingerprint, uint64_t id) {
  for (int t = 0; t < kTables; ++t) {
    tables_[static_cast<size_t>(t)][Block(fingerprint, t)].push_back(Entry{fingerprint, id});
  }
  ++size_;
}

bool SimHashIndex::Remove(uint64_t fingerprint, uint64_t id) {
  bool found = false;
  for (int t = 0; t < kTables; ++t) {
    auto& bucket = tables_[static_cast<size_t>(t)][Block(fingerprint, t)];
    auto it = std::find_if(bucket.begin(), bucket.end(), [&](const Entry& e) {
      return e.fingerprint == fingerprint && e.id == id;
    });
    if (it == bucket.end()) return false;  // inserted into all tables or none
    *it = bucket.back();
    bucket.pop_back();
    found = true;
  }
  if (found) --size_;
  return found;
}

void SimHashIndex::Find(uint64_t fingerprint, std::vector<Match>& out, int max_distance) const {
  max_distance = std::clamp(max_distance, 0, kMaxDistance);
  for (int t = 0; t < kTables; ++t) {
    uint32_t block = Block(fingerprint, t);
    for (const Entry& e : tables_[static_cast<size_t>(t)][block]) {
      int d = HammingDistance(e.fingerprint, fingerprint);
      if (d > max_distance) continue;
      // Report from the first table whose block matches, so each entry appears once.
      bool earlier = false;
      for (int s = 0; s < t && !earlier; ++s)
        earlier = Block(e.fingerprint, s) == Block(fingerprint, s);
      if (!earlier) out.push_back(Match{e.id, e.fingerprint, d});
    }
  }
}

size_t SimHashIndex::MemoryBytes() const {
  size_t bytes = 0;
  for (const auto& t : tables_) {
    bytes += t.capacity() * sizeof(std::vector<Entry>);
    for (const auto& b : t) bytes += b.capacity() * sizeof(Entry);
  }
  return bytes;
}

}  // namespace yuqing::text
