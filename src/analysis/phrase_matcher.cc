#include "analysis/phrase_matcher.h"

#include <algorithm>
#include <map>
#include <queue>

#include "core/utf8.h"

namespace yuqing::analysis {

namespace {
constexpr uint32_t kSingleBits = 1u << 16;
constexpr uint32_t kPairBits = 1u << 18;

void SetBit(std::vector<uint64_t>& bits, uint32_t i) { bits[i >> 6] |= uint64_t{1} << (i & 63); }
bool TestBit(const std::vector<uint64_t>& bits, uint32_t i) {
  return (bits[i >> 6] >> (i & 63)) & 1;
}
}  // namespace

uint32_t PhraseMatcher::PairBit(char32_t a, char32_t b) {
  uint32_t h = static_cast<uint32_t>(a) * 0x9E3779B1u ^ static_cast<uint32_t>(b) * 0x85EBCA77u;
  return (h ^ (h >> 15)) & (kPairBits - 1);
}

PhraseMatcher PhraseMatcher::Build(const std::vector<std::string>& patterns) {
  // Build a trie with std::map children, then flatten into sorted edge arrays.
  struct TrieNode {
    std::map<uint8_t, uint32_t> next;
    std::vector<uint32_t> out;
  };
  std::vector<TrieNode> trie(1);
  PhraseMatcher m;
  m.pattern_len_.resize(patterns.size());
  for (uint32_t id = 0; id < patterns.size(); ++id) {
    const std::string& p = patterns[id];
    m.pattern_len_[id] = static_cast<uint32_t>(p.size());
    if (p.empty()) continue;
    uint32_t s = 0;
    for (unsigned char c : p) {
      auto it = trie[s].next.find(c);
      if (it == trie[s].next.end()) {
        trie.push_back({});
        uint32_t n = static_cast<uint32_t>(trie.size() - 1);
        trie[s].next.emplace(c, n);
        s = n;
      } else {
        s = it->second;
      }
    }
    trie[s].out.push_back(id);
  }
  m.single_bits_.assign(kSingleBits / 64, 0);
  m.pair_bits_.assign(kPairBits / 64, 0);
  for (const std::string& p : patterns) {
    if (p.empty()) continue;
    size_t pos = 0;
    char32_t a = core::DecodeUtf8(p, pos);
    if (pos >= p.size()) {
      SetBit(m.single_bits_, static_cast<uint32_t>(a) & (kSingleBits - 1));
    } else {
      char32_t b = core::DecodeUtf8(p, pos);
      SetBit(m.pair_bits_, PairBit(a, b));
    }
  }
  m.nodes_.resize(trie.size());
  for (size_t s = 0; s < trie.size(); ++s) {
    m.nodes_[s].first_edge = static_cast<uint32_t>(m.edges_.size());
    m.nodes_[s].edge_count = static_cast<uint32_t>(trie[s].next.size());
    for (const auto& [b, to] : trie[s].next) m.edges_.push_back({b, to});
    if (!trie[s].out.empty()) {
      m.nodes_[s].out = static_cast<int32_t>(m.outputs_.size());
      for (uint32_t id : trie[s].out) m.outputs_.push_back(id);
      m.outputs_.push_back(UINT32_MAX);
    }
  }
  m.root_next_.assign(256, 0);
  for (const auto& [b, to] : trie[0].next) m.root_next_[b] = static_cast<int32_t>(to);
  // Breadth-first failure links (the classic construction, §3 of the paper).
  std::queue<uint32_t> q;
  for (const auto& [b, to] : trie[0].next) {
    m.nodes_[to].fail = 0;
    q.push(to);
  }
  while (!q.empty()) {
    uint32_t s = q.front();
    q.pop();
    for (const auto& [b, to] : trie[s].next) {
      int32_t f = m.nodes_[s].fail;
      m.nodes_[to].fail = m.Next(f, b);
      int32_t fs = m.nodes_[to].fail;
      m.nodes_[to].dict_link = m.nodes_[fs].out >= 0 ? fs : m.nodes_[fs].dict_link;
      q.push(to);
    }
  }
  return m;
}

int32_t PhraseMatcher::Next(int32_t state, uint8_t b) const {
  while (true) {
    if (state == 0) return root_next_[b];
    const Node& n = nodes_[state];
    const Edge* first = edges_.data() + n.first_edge;
    const Edge* last = first + n.edge_count;
    if (n.edge_count <= 8) {
      for (const Edge* e = first; e != last; ++e) {
        if (e->byte == b) return static_cast<int32_t>(e->to);
      }
    } else {
      const Edge* e =
          std::lower_bound(first, last, b, [](const Edge& x, uint8_t v) { return x.byte < v; });
      if (e != last && e->byte == b) return static_cast<int32_t>(e->to);
    }
    state = n.fail;
  }
}

void PhraseMatcher::Match(std::string_view text, std::vector<Hit>& hits) const {
  if (nodes_.size() <= 1) return;
  int32_t s = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    s = Next(s, static_cast<uint8_t>(text[i]));
    for (int32_t o = nodes_[s].out >= 0 ? s : nodes_[s].dict_link; o >= 0;
         o = nodes_[o].dict_link) {
      for (int32_t k = nodes_[o].out; outputs_[k] != UINT32_MAX; ++k) {
        uint32_t id = outputs_[k];
        uint32_t end = static_cast<uint32_t>(i + 1);
        hits.push_back({id, end - pattern_len_[id], end});
      }
    }
  }
}

void PhraseMatcher::MatchAt(std::string_view text, size_t begin, std::vector<Hit>& hits) const {
  if (nodes_.size() <= 1 || begin >= text.size()) return;
  size_t pos = begin;
  char32_t a = DecodeCodePoint(text, pos);
  if (!TestBit(single_bits_, static_cast<uint32_t>(a) & (kSingleBits - 1))) {
    if (pos >= text.size()) return;
    char32_t b = DecodeCodePoint(text, pos);
    if (!TestBit(pair_bits_, PairBit(a, b))) return;
  }
  int32_t s = root_next_[static_cast<uint8_t>(text[begin])];
  size_t i = begin;
  while (s != 0) {
    ++i;
    if (nodes_[s].out >= 0) {
      for (int32_t k = nodes_[s].out; outputs_[k] != UINT32_MAX; ++k) {
        hits.push_back({outputs_[k], static_cast<uint32_t>(begin), static_cast<uint32_t>(i)});
      }
    }
    if (i >= text.size()) break;
    const Node& n = nodes_[s];
    const Edge* first = edges_.data() + n.first_edge;
    const Edge* last = first + n.edge_count;
    uint8_t b = static_cast<uint8_t>(text[i]);
    const Edge* e =
        std::lower_bound(first, last, b, [](const Edge& x, uint8_t v) { return x.byte < v; });
    s = (e != last && e->byte == b) ? static_cast<int32_t>(e->to) : 0;
  }
}

}  // namespace yuqing::analysis
