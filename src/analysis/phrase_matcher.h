// A multi-pattern substring matcher over UTF-8 bytes (Aho & Corasick, CACM 18(6), 1975) for the
// cue lexicons and the place gazetteer of the analysis module.
//
// Threads: immutable after Build(); Match() may be called from any number of threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/utf8.h"

namespace yuqing::analysis {

// core::DecodeUtf8 with the two common cases inline (ASCII, and three-byte sequences with lead
// E1–EC, which hold every common Chinese character and need no range check beyond the
// continuation bytes); everything else goes to core::DecodeUtf8, so results are identical.
inline char32_t DecodeCodePoint(std::string_view s, size_t& pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + pos;
  if (p[0] < 0x80) {
    ++pos;
    return p[0];
  }
  if (p[0] >= 0xE1 && p[0] <= 0xEC && pos + 3 <= s.size() && (p[1] & 0xC0) == 0x80 &&
      (p[2] & 0xC0) == 0x80) {
    pos += 3;
    return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  }
  return core::DecodeUtf8(s, pos);
}

class PhraseMatcher {
 public:
  // Pattern i gets id i. Empty patterns are ignored; duplicates each report their own id.
  static PhraseMatcher Build(const std::vector<std::string>& patterns);

  struct Hit {
    uint32_t pattern;
    uint32_t begin;  // byte offsets in the text
    uint32_t end;
  };
  // Appends every occurrence of every pattern (overlapping ones too), ordered by end offset.
  void Match(std::string_view text, std::vector<Hit>& hits) const;

  // Appends the patterns that start exactly at text[begin] (a plain trie walk, no failure
  // links): what callers that only accept word-initial matches need, and much cheaper.
  void MatchAt(std::string_view text, size_t begin, std::vector<Hit>& hits) const;

  size_t pattern_count() const { return pattern_len_.size(); }
  size_t state_count() const { return nodes_.size(); }

 private:
  struct Node {
    uint32_t first_edge = 0;  // edges_[first_edge, first_edge + edge_count) sorted by byte
    uint32_t edge_count = 0;
    int32_t fail = 0;
    int32_t out = -1;        // first entry in outputs_ of this state's own patterns, or -1
    int32_t dict_link = -1;  // nearest state on the fail chain with output, or -1
  };
  struct Edge {
    uint8_t byte;
    uint32_t to;
  };
  int32_t Next(int32_t state, uint8_t b) const;
  // Prefix filter for MatchAt: most word starts begin no pattern, and two bit tests are cheaper
  // than a trie walk. Bits of first code points (patterns of one code point) and of hashed pairs
  // of the first two code points; false positives only cost the walk.
  static uint32_t PairBit(char32_t a, char32_t b);
  std::vector<uint64_t> single_bits_;  // kSingleBits bits
  std::vector<uint64_t> pair_bits_;    // kPairBits bits

  std::vector<Node> nodes_;
  std::vector<Edge> edges_;
  std::vector<int32_t> root_next_;  // 256 entries: goto of the root (0 = root)
  std::vector<uint32_t> outputs_;   // pattern ids, grouped per state, -1 separated
  std::vector<uint32_t> pattern_len_;
};

}  // namespace yuqing::analysis
