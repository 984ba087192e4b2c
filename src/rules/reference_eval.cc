#include "rules/reference_eval.h"

#include <algorithm>
#include <climits>

namespace yuqing::rules {
namespace {

// Every start offset of `needle` in `hay` at Latin word edges (AtLatinEdges), overlapping
// occurrences included.
std::vector<size_t> FindAll(std::string_view hay, std::string_view needle) {
  std::vector<size_t> out;
  for (size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) {
    if (AtLatinEdges(hay, at, at + needle.size())) out.push_back(at);
  }
  return out;
}

bool TermOccurs(const RuleTerm& term, const NormalizedPost& post) {
  if (term.scope == Scope::kRegion) return post.region_code.starts_with(term.literal);
  for (size_t f = 0; f < post.fields.size(); ++f) {
    if (ScopeCovers(term.scope, FieldScope(f)) && !FindAll(post.fields[f], term.literal).empty()) {
      return true;
    }
  }
  return false;
}

struct Span {
  int start;  // index of the word holding the first byte
  int end;    // one past the index of the word holding the last byte
};

// Tries every combination of one occurrence per child.
bool AnyCombination(const std::vector<std::vector<Span>>& occ, size_t child, int max_start,
                    int min_end, int distance) {
  if (child == occ.size()) return max_start - min_end <= distance;
  for (const Span& s : occ[child]) {
    if (AnyCombination(occ, child + 1, std::max(max_start, s.start), std::min(min_end, s.end),
                       distance)) {
      return true;
    }
  }
  return false;
}

bool NearIn(const RuleExpr& e, const PreparedRule& rule, const std::string& text,
            const MatchNormalizer& normalizer) {
  std::vector<uint32_t> words;
  normalizer.WordStarts(text, words);
  // Word index of every byte: the last word starting at or before it (-1 before the first).
  auto word_at = [&](size_t byte) {
    int w = -1;
    for (size_t i = 0; i < words.size() && words[i] <= byte; ++i) w = static_cast<int>(i);
    return w;
  };
  std::vector<std::vector<Span>> occ;
  for (const RuleExpr& c : e.children) {
    const std::string& lit = rule.terms[c.term].literal;
    std::vector<Span> spans;
    for (size_t at : FindAll(text, lit)) {
      // The end is one past the word of the last byte, or the count of words starting
      // before the end when the last byte is in no word.
      int end = 0;
      for (uint32_t w : words) {
        if (w < at + lit.size()) ++end;
      }
      spans.push_back({word_at(at), end});
    }
    if (spans.empty()) return false;
    occ.push_back(std::move(spans));
  }
  return AnyCombination(occ, 0, INT_MIN, INT_MAX, e.distance);
}

bool Eval(const RuleExpr& e, const PreparedRule& rule, const NormalizedPost& post) {
  switch (e.kind) {
    case RuleExpr::Kind::kTerm:
      return TermOccurs(rule.terms[e.term], post);
    case RuleExpr::Kind::kAnd:
      return std::all_of(e.children.begin(), e.children.end(),
                         [&](const RuleExpr& c) { return Eval(c, rule, post); });
    case RuleExpr::Kind::kOr:
      return std::any_of(e.children.begin(), e.children.end(),
                         [&](const RuleExpr& c) { return Eval(c, rule, post); });
    case RuleExpr::Kind::kNot:
      return !Eval(e.children[0], rule, post);
    case RuleExpr::Kind::kNear: {
      Scope scope = rule.terms[e.children[0].term].scope;
      for (size_t f = 0; f < post.fields.size(); ++f) {
        if (ScopeCovers(scope, FieldScope(f)) &&
            NearIn(e, rule, post.fields[f], *post.normalizer)) {
          return true;
        }
      }
      return false;
    }
  }
  return false;
}

}  // namespace

NormalizedPost NormalizePost(const PostView& post, const MatchNormalizer& normalizer) {
  NormalizedPost out;
  for (size_t f = 0; f < out.fields.size(); ++f) {
    normalizer.Normalize(post.TextField(f), out.fields[f], nullptr);
  }
  out.region_code = std::string(post.region_code);
  out.normalizer = &normalizer;
  return out;
}

bool ReferenceMatches(const PreparedRule& rule, const NormalizedPost& post) {
  return Eval(rule.root, rule, post);
}

}  // namespace yuqing::rules
