// How a post is matched (docs/rules.md):
//  1. Each text field is normalized and scanned once with one Hyperscan block-mode database
//     holding every distinct literal of every rule. A literal hit marks the terms of that
//     literal whose scope covers the field, and is kept (field, byte range) for NEAR and
//     highlighting. The region code is looked up by its 2/4/6/9/12-digit prefixes.
//  2. Each rule is indexed under its trigger terms: a set of terms at least one of which occurs
//     in every post the rule matches (PrepareRule refuses rules without one). Only rules
//     triggered by a marked term are evaluated, so a post with few hits costs few evaluations.
//  3. A triggered rule's flattened tree is evaluated from the marks; NEAR looks at positions.
// Per-post state lives in a thread_local scratch stamped with a generation number, so nothing
// is cleared or allocated per post in the steady state.
#include "rules/rule_set.h"

#include <fmt/format.h>
#include <hs/hs.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <climits>
#include <set>
#include <tuple>

#include "rules/rule_check.h"

namespace yuqing::rules {
namespace {

constexpr size_t kTextFields = 5;  // kTitle … kChannel, index scope - 1

struct Hit {
  uint32_t literal;
  uint32_t field;  // index 0..4
  uint32_t begin;  // normalized byte offsets
  uint32_t end;
};

std::atomic<uint64_t> g_next_serial{1};

}  // namespace

struct CompiledRuleSet::Impl {
  struct DbDeleter {
    void operator()(hs_database_t* db) const { hs_free_database(db); }
  };
  struct Node {
    RuleExpr::Kind kind;
    int distance;
    uint32_t first;  // kTerm: global term id; else first index into kids
    uint32_t count;
  };
  struct Term {
    Scope scope;
    uint32_t literal;  // index into literals_ (unused for kRegion)
  };
  struct LitTerm {
    Scope scope;
    uint32_t term;
  };

  std::unique_ptr<hs_database_t, DbDeleter> db;
  std::vector<uint32_t> literal_len;
  // Literal → the terms it marks (CSR).
  std::vector<uint32_t> lit_term_begin;
  std::vector<LitTerm> lit_terms;
  std::vector<Term> terms;
  std::unordered_map<std::string, std::vector<uint32_t>> region_terms;  // prefix → terms
  std::array<bool, kTextFields> scan_field{};
  // Term → rules it triggers (CSR).
  std::vector<uint32_t> trigger_begin;
  std::vector<uint32_t> trigger_rules;
  // Flattened rule trees.
  std::vector<Node> nodes;
  std::vector<uint32_t> kids;
  std::vector<uint32_t> rule_root;
  // Rule → (local term index, global term id) of its non-negated terms (CSR).
  std::vector<uint32_t> positive_begin;
  std::vector<std::pair<uint32_t, uint32_t>> positive;
};

namespace {

// Per-thread state of Match. Stamps equal to `gen` belong to the current post.
struct Scratch {
  hs_scratch_t* hs = nullptr;
  uint64_t hs_serial = 0;
  uint32_t gen = 0;
  std::vector<uint32_t> term_seen;
  std::vector<uint32_t> rule_seen;
  std::vector<uint32_t> marked;
  std::vector<uint32_t> candidates;
  std::vector<uint32_t> matched;
  std::vector<Hit> hits;         // in scan order
  std::vector<Hit> sorted_hits;  // by literal, field, begin; built on first use per post
  bool hits_sorted = false;
  std::array<std::string, kTextFields> norm;
  std::array<std::vector<uint32_t>, kTextFields> offsets;
  std::array<uint32_t, kTextFields> offsets_gen{};
  std::array<std::vector<uint32_t>, kTextFields> words;
  std::array<uint32_t, kTextFields> words_gen{};
  std::vector<std::array<int, 3>> occ;  // NEAR: start unit, end unit, child
  std::vector<int> best_end;
  std::string tmp;

  Scratch() = default;
  Scratch(const Scratch&) = delete;
  Scratch& operator=(const Scratch&) = delete;
  ~Scratch() {
    if (hs != nullptr) hs_free_scratch(hs);
  }

  // Starts a new post for a set with these table sizes.
  void Begin(size_t term_count, size_t rule_count) {
    if (term_seen.size() < term_count) term_seen.resize(term_count, 0);
    if (rule_seen.size() < rule_count) rule_seen.resize(rule_count, 0);
    if (++gen == 0) {  // wrapped: forget every stamp
      std::fill(term_seen.begin(), term_seen.end(), 0);
      std::fill(rule_seen.begin(), rule_seen.end(), 0);
      offsets_gen.fill(0);
      words_gen.fill(0);
      gen = 1;
    }
    marked.clear();
    candidates.clear();
    matched.clear();
    hits.clear();
    hits_sorted = false;
  }

  // The hits of one literal, by field and position. Sorting once keeps NEAR and explanations
  // linear in their own hits even for a long post full of hits.
  std::pair<const Hit*, const Hit*> HitsOf(uint32_t literal) {
    if (!hits_sorted) {
      sorted_hits = hits;
      std::sort(sorted_hits.begin(), sorted_hits.end(), [](const Hit& a, const Hit& b) {
        return std::tie(a.literal, a.field, a.begin) < std::tie(b.literal, b.field, b.begin);
      });
      hits_sorted = true;
    }
    auto lo = std::lower_bound(sorted_hits.begin(), sorted_hits.end(), literal,
                               [](const Hit& h, uint32_t l) { return h.literal < l; });
    auto hi = std::upper_bound(lo, sorted_hits.end(), literal,
                               [](uint32_t l, const Hit& h) { return l < h.literal; });
    return {sorted_hits.data() + (lo - sorted_hits.begin()),
            sorted_hits.data() + (hi - sorted_hits.begin())};
  }

  void Mark(uint32_t term) {
    if (term_seen[term] != gen) {
      term_seen[term] = gen;
      marked.push_back(term);
    }
  }
};

thread_local Scratch t_scratch;

struct ScanContext {
  const CompiledRuleSet::Impl* impl;
  Scratch* s;
  uint32_t field;
  std::string_view text;  // the normalized field being scanned
};

int OnMatch(unsigned int id, unsigned long long /*from*/, unsigned long long to,
            unsigned int /*flags*/, void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  const auto& impl = *c->impl;
  auto end = static_cast<uint32_t>(to);
  const uint32_t begin = end - impl.literal_len[id];
  if (!AtLatinEdges(c->text, begin, end)) return 0;  // "ai" inside "said"
  c->s->hits.push_back({id, c->field, begin, end});
  Scope field = FieldScope(c->field);
  for (uint32_t i = impl.lit_term_begin[id]; i < impl.lit_term_begin[id + 1]; ++i) {
    if (ScopeCovers(impl.lit_terms[i].scope, field)) c->s->Mark(impl.lit_terms[i].term);
  }
  return 0;
}

// Trigger terms (local indices) of `e`, for an `e` that does not match the empty post:
// every post `e` matches contains one of them.
void PositiveTerms(const RuleExpr& e, bool positive, std::set<uint32_t>& out) {
  if (e.kind == RuleExpr::Kind::kTerm) {
    if (positive) out.insert(e.term);
    return;
  }
  for (const RuleExpr& c : e.children) {
    PositiveTerms(c, e.kind == RuleExpr::Kind::kNot ? !positive : positive, out);
  }
}

std::set<uint32_t> Triggers(const RuleExpr& e, const PreparedRule& rule) {
  switch (e.kind) {
    case RuleExpr::Kind::kTerm:
      return {e.term};
    case RuleExpr::Kind::kNear: {
      // Every child must occur: the longest literal is likely the rarest.
      const RuleExpr* best = &e.children[0];
      for (const RuleExpr& c : e.children) {
        if (rule.terms[c.term].literal.size() > rule.terms[best->term].literal.size()) best = &c;
      }
      return {best->term};
    }
    case RuleExpr::Kind::kOr: {
      std::set<uint32_t> out;
      for (const RuleExpr& c : e.children) {
        std::set<uint32_t> t = Triggers(c, rule);
        out.insert(t.begin(), t.end());
      }
      return out;
    }
    case RuleExpr::Kind::kAnd: {
      // Any required child will do: take the one with the fewest trigger terms.
      std::set<uint32_t> best;
      bool found = false;
      for (const RuleExpr& c : e.children) {
        if (MatchesEmptyPost(c)) continue;
        std::set<uint32_t> t = Triggers(c, rule);
        if (!found || t.size() < best.size()) best = std::move(t);
        found = true;
      }
      return best;
    }
    case RuleExpr::Kind::kNot: {
      // NOT x that needs a term: x must lose, which only a term under an even number of
      // further NOTs can bring about (the expression is monotone in each polarity).
      std::set<uint32_t> out;
      PositiveTerms(e, true, out);
      return out;
    }
  }
  return {};
}

}  // namespace

CompiledRuleSet::~CompiledRuleSet() = default;

Result<std::shared_ptr<const CompiledRuleSet>> CompiledRuleSet::Compile(
    std::vector<PreparedRule> rules, std::shared_ptr<const MatchNormalizer> normalizer) {
  YQ_CHECK(normalizer != nullptr);
  std::sort(rules.begin(), rules.end(),
            [](const PreparedRule& a, const PreparedRule& b) { return a.id < b.id; });
  for (size_t i = 1; i < rules.size(); ++i) {
    if (rules[i].id == rules[i - 1].id) {
      return Status::InvalidArgument(fmt::format("rule {} appears twice", rules[i].id));
    }
  }
  std::shared_ptr<CompiledRuleSet> set(new CompiledRuleSet());
  set->serial_ = g_next_serial.fetch_add(1);
  set->normalizer_ = std::move(normalizer);
  set->impl_ = std::make_unique<Impl>();
  Impl& impl = *set->impl_;

  std::unordered_map<std::string, uint32_t> literal_ids;
  std::map<std::pair<Scope, std::string>, uint32_t> term_ids;
  std::vector<std::vector<Impl::LitTerm>> lit_terms;
  std::vector<std::vector<uint32_t>> triggers;  // per global term

  impl.positive_begin.push_back(0);
  for (uint32_t r = 0; r < rules.size(); ++r) {
    const PreparedRule& rule = rules[r];
    YQ_CHECK(!MatchesEmptyPost(rule.root));
    // Global ids of the rule's terms.
    std::vector<uint32_t> global(rule.terms.size());
    for (size_t t = 0; t < rule.terms.size(); ++t) {
      const RuleTerm& term = rule.terms[t];
      auto [it, inserted] = term_ids.emplace(std::make_pair(term.scope, term.literal),
                                             static_cast<uint32_t>(impl.terms.size()));
      global[t] = it->second;
      if (!inserted) continue;
      triggers.emplace_back();
      if (term.scope == Scope::kRegion) {
        impl.terms.push_back({term.scope, 0});
        impl.region_terms[term.literal].push_back(it->second);
        continue;
      }
      auto [lit, new_lit] =
          literal_ids.emplace(term.literal, static_cast<uint32_t>(set->literals_.size()));
      if (new_lit) {
        set->literals_.push_back(term.literal);
        lit_terms.emplace_back();
      }
      impl.terms.push_back({term.scope, lit->second});
      lit_terms[lit->second].push_back({term.scope, it->second});
      for (size_t f = 0; f < kTextFields; ++f) {
        if (ScopeCovers(term.scope, FieldScope(f))) impl.scan_field[f] = true;
      }
    }
    for (uint32_t t : Triggers(rule.root, rule)) triggers[global[t]].push_back(r);
    std::set<uint32_t> positive;
    PositiveTerms(rule.root, true, positive);
    for (uint32_t t : positive) impl.positive.emplace_back(t, global[t]);
    impl.positive_begin.push_back(static_cast<uint32_t>(impl.positive.size()));

    // Flatten the tree: children of a node are contiguous in `kids`.
    auto flatten = [&](auto&& self, const RuleExpr& e) -> uint32_t {
      auto index = static_cast<uint32_t>(impl.nodes.size());
      impl.nodes.push_back({e.kind, e.distance, 0, 0});
      if (e.kind == RuleExpr::Kind::kTerm) {
        impl.nodes[index].first = global[e.term];
        return index;
      }
      std::vector<uint32_t> children;
      for (const RuleExpr& c : e.children) children.push_back(self(self, c));
      impl.nodes[index].first = static_cast<uint32_t>(impl.kids.size());
      impl.nodes[index].count = static_cast<uint32_t>(children.size());
      impl.kids.insert(impl.kids.end(), children.begin(), children.end());
      return index;
    };
    impl.rule_root.push_back(flatten(flatten, rule.root));
  }

  impl.lit_term_begin.push_back(0);
  for (auto& lt : lit_terms) {
    impl.lit_terms.insert(impl.lit_terms.end(), lt.begin(), lt.end());
    impl.lit_term_begin.push_back(static_cast<uint32_t>(impl.lit_terms.size()));
  }
  impl.trigger_begin.push_back(0);
  for (auto& tr : triggers) {
    impl.trigger_rules.insert(impl.trigger_rules.end(), tr.begin(), tr.end());
    impl.trigger_begin.push_back(static_cast<uint32_t>(impl.trigger_rules.size()));
  }

  if (!set->literals_.empty()) {
    std::vector<const char*> exprs;
    std::vector<size_t> lens;
    std::vector<unsigned> flags(set->literals_.size(), 0);
    std::vector<unsigned> ids;
    for (size_t i = 0; i < set->literals_.size(); ++i) {
      exprs.push_back(set->literals_[i].data());
      lens.push_back(set->literals_[i].size());
      ids.push_back(static_cast<unsigned>(i));
      impl.literal_len.push_back(static_cast<uint32_t>(set->literals_[i].size()));
    }
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    hs_error_t rc = hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                                         static_cast<unsigned>(exprs.size()), HS_MODE_BLOCK,
                                         nullptr, &db, &err);
    if (rc != HS_SUCCESS) {
      std::string message = err != nullptr ? err->message : "unknown error";
      int expression = err != nullptr ? err->expression : -1;
      hs_free_compile_error(err);
      return Status::Internal(
          fmt::format("Hyperscan could not compile {} literals: {} (literal {})", exprs.size(),
                      message, expression));
    }
    impl.db.reset(db);
  }
  set->rules_ = std::move(rules);
  return std::shared_ptr<const CompiledRuleSet>(std::move(set));
}

const PreparedRule* CompiledRuleSet::Find(int64_t id) const {
  auto it = std::lower_bound(rules_.begin(), rules_.end(), id,
                             [](const PreparedRule& r, int64_t v) { return r.id < v; });
  return it != rules_.end() && it->id == id ? &*it : nullptr;
}

void CompiledRuleSet::Match(const PostView& post, MatchResult& out) const {
  Run(post, &out, nullptr);
}

void CompiledRuleSet::MatchIds(const PostView& post, std::vector<int64_t>& ids) const {
  Run(post, nullptr, &ids);
}

namespace {

class Evaluator {
 public:
  Evaluator(const CompiledRuleSet::Impl& impl, Scratch& s, const MatchNormalizer& normalizer)
      : impl_(impl), s_(s), normalizer_(normalizer) {}

  bool Eval(uint32_t index) {
    const auto& n = impl_.nodes[index];
    switch (n.kind) {
      case RuleExpr::Kind::kTerm:
        return s_.term_seen[n.first] == s_.gen;
      case RuleExpr::Kind::kAnd:
        for (uint32_t i = 0; i < n.count; ++i) {
          if (!Eval(impl_.kids[n.first + i])) return false;
        }
        return true;
      case RuleExpr::Kind::kOr:
        for (uint32_t i = 0; i < n.count; ++i) {
          if (Eval(impl_.kids[n.first + i])) return true;
        }
        return false;
      case RuleExpr::Kind::kNot:
        return !Eval(impl_.kids[n.first]);
      case RuleExpr::Kind::kNear:
        return Near(n);
    }
    return false;
  }

 private:
  bool Near(const CompiledRuleSet::Impl::Node& n) {
    for (uint32_t i = 0; i < n.count; ++i) {
      if (s_.term_seen[impl_.nodes[impl_.kids[n.first + i]].first] != s_.gen) return false;
    }
    Scope scope = impl_.terms[impl_.nodes[impl_.kids[n.first]].first].scope;
    for (size_t f = 0; f < kTextFields; ++f) {
      if (ScopeCovers(scope, FieldScope(f)) && NearIn(n, f)) return true;
    }
    return false;
  }

  // Is there one occurrence of each child in field f with at most n.distance words between
  // the earliest end and the latest start? Sweep the occurrences by start; for each child keep
  // the latest end among those started so far (see docs/rules.md, "NEAR").
  bool NearIn(const CompiledRuleSet::Impl::Node& n, size_t f) {
    const std::vector<uint32_t>& words = Words(f);
    auto start_unit = [&](uint32_t b) {
      return static_cast<int>(std::upper_bound(words.begin(), words.end(), b) - words.begin()) - 1;
    };
    auto end_unit = [&](uint32_t e) {
      return static_cast<int>(std::lower_bound(words.begin(), words.end(), e) - words.begin());
    };
    s_.occ.clear();
    for (uint32_t i = 0; i < n.count; ++i) {
      uint32_t lit = impl_.terms[impl_.nodes[impl_.kids[n.first + i]].first].literal;
      bool any = false;
      auto [first, last] = s_.HitsOf(lit);
      for (const Hit* h = first; h != last; ++h) {
        if (h->field == f) {
          s_.occ.push_back({start_unit(h->begin), end_unit(h->end), static_cast<int>(i)});
          any = true;
        }
      }
      if (!any) return false;
    }
    std::sort(s_.occ.begin(), s_.occ.end());
    s_.best_end.assign(n.count, INT_MIN);
    uint32_t seen = 0;
    for (const auto& [start, end, child] : s_.occ) {
      if (s_.best_end[child] == INT_MIN) ++seen;
      s_.best_end[child] = std::max(s_.best_end[child], end);
      if (seen == n.count &&
          start - *std::min_element(s_.best_end.begin(), s_.best_end.end()) <= n.distance) {
        return true;
      }
    }
    return false;
  }

  const std::vector<uint32_t>& Words(size_t f) {
    if (s_.words_gen[f] != s_.gen) {
      normalizer_.WordStarts(s_.norm[f], s_.words[f]);
      s_.words_gen[f] = s_.gen;
    }
    return s_.words[f];
  }

  const CompiledRuleSet::Impl& impl_;
  Scratch& s_;
  const MatchNormalizer& normalizer_;
};

}  // namespace

void CompiledRuleSet::Run(const PostView& post, MatchResult* out, std::vector<int64_t>* ids) const {
  if (out != nullptr) out->rules.clear();
  if (ids != nullptr) ids->clear();
  Scratch& s = t_scratch;
  const Impl& impl = *impl_;
  s.Begin(impl.terms.size(), rules_.size());

  if (impl.db != nullptr) {
    if (s.hs_serial != serial_) {
      hs_error_t rc = hs_alloc_scratch(impl.db.get(), &s.hs);
      YQ_CHECK(rc == HS_SUCCESS);  // fails only when out of memory
      s.hs_serial = serial_;
    }
    for (size_t f = 0; f < kTextFields; ++f) {
      std::string_view field = post.TextField(f);
      s.norm[f].clear();
      if (!impl.scan_field[f] || field.empty()) continue;
      normalizer_->Normalize(field, s.norm[f], nullptr);
      ScanContext ctx{&impl, &s, static_cast<uint32_t>(f), s.norm[f]};
      hs_error_t rc = hs_scan(impl.db.get(), s.norm[f].data(),
                              static_cast<unsigned>(s.norm[f].size()), 0, s.hs, OnMatch, &ctx);
      YQ_CHECK(rc == HS_SUCCESS);
    }
  }
  if (!impl.region_terms.empty() && !post.region_code.empty()) {
    for (size_t len : {2, 4, 6, 9, 12}) {
      if (len > post.region_code.size()) break;
      auto it = impl.region_terms.find(std::string(post.region_code.substr(0, len)));
      if (it == impl.region_terms.end()) continue;
      for (uint32_t t : it->second) s.Mark(t);
    }
  }

  for (uint32_t t : s.marked) {
    for (uint32_t i = impl.trigger_begin[t]; i < impl.trigger_begin[t + 1]; ++i) {
      uint32_t r = impl.trigger_rules[i];
      if (s.rule_seen[r] != s.gen) {
        s.rule_seen[r] = s.gen;
        s.candidates.push_back(r);
      }
    }
  }
  Evaluator eval(impl, s, *normalizer_);
  for (uint32_t r : s.candidates) {
    if (eval.Eval(impl.rule_root[r])) s.matched.push_back(r);
  }
  std::sort(s.matched.begin(), s.matched.end());
  if (ids != nullptr) {
    for (uint32_t r : s.matched) ids->push_back(rules_[r].id);
  }
  if (out == nullptr) return;

  for (uint32_t r : s.matched) {
    RuleMatch& m = out->rules.emplace_back();
    m.rule_id = rules_[r].id;
    for (uint32_t i = impl.positive_begin[r]; i < impl.positive_begin[r + 1]; ++i) {
      auto [local, global] = impl.positive[i];
      if (s.term_seen[global] != s.gen) continue;
      const std::string& written = rules_[r].terms[local].written;
      const Impl::Term& term = impl.terms[global];
      if (term.scope == Scope::kRegion) {
        m.terms.push_back(
            {Scope::kRegion, 0, static_cast<uint32_t>(post.region_code.size()), written});
        continue;
      }
      std::array<size_t, kTextFields> count{};
      auto [first, last] = s.HitsOf(term.literal);
      for (const Hit* hit = first; hit != last; ++hit) {
        const Hit& h = *hit;
        if (!ScopeCovers(term.scope, FieldScope(h.field)) ||
            count[h.field] >= kMaxOccurrencesPerTerm) {
          continue;
        }
        ++count[h.field];
        std::string_view original = post.TextField(h.field);
        if (s.offsets_gen[h.field] != s.gen) {
          normalizer_->Normalize(original, s.tmp, &s.offsets[h.field]);
          s.offsets_gen[h.field] = s.gen;
        }
        auto [begin, end] = OriginalRange(original, s.offsets[h.field], h.begin, h.end);
        m.terms.push_back({FieldScope(h.field), begin, end, written});
      }
    }
  }
}

}  // namespace yuqing::rules
