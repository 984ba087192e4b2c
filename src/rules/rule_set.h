// A compiled set of monitoring rules: the literal terms of all rules in one Hyperscan
// database, scanned once per post field, and each rule's boolean structure evaluated from the
// terms found (docs/rules.md, "How matching works").
//
// A CompiledRuleSet is immutable once built and safe to use from any number of threads at
// once: each thread keeps its own Hyperscan scratch space (thread_local), grown for the sets it
// has used. Hold it by std::shared_ptr<const CompiledRuleSet>; RuleEngine (rule_engine.h)
// swaps whole sets while matching goes on.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "rules/match_text.h"
#include "rules/rule_check.h"

namespace yuqing::rules {

// The fields of a post that rules look at. Borrowed: the views must outlive the Match call.
struct PostView {
  std::string_view title;
  std::string_view text;
  std::string_view author;
  std::string_view source;       // site or account the post came from
  std::string_view channel;      // weibo, news, forum…
  std::string_view region_code;  // GB/T 2260 code of the post's region, e.g. "140402"; may be empty

  // The i-th text field in scope order: 0 title, 1 text, 2 author, 3 source, 4 channel.
  std::string_view TextField(size_t i) const {
    switch (i) {
      case 0:
        return title;
      case 1:
        return text;
      case 2:
        return author;
      case 3:
        return source;
      default:
        return channel;
    }
  }
};

// One occurrence of a term that made a rule match.
struct TermMatch {
  Scope field = Scope::kText;  // the post field: kTitle … kRegion, never kTitleOrText
  // Byte range in that field of the post as given (not normalized); for kRegion the whole code.
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string term;  // the term as the rule wrote it
  bool operator==(const TermMatch&) const = default;
};

struct RuleMatch {
  int64_t rule_id = 0;
  // The occurrences of the rule's non-negated terms, by term then position; at most
  // kMaxOccurrencesPerTerm per term and field.
  std::vector<TermMatch> terms;
};

struct MatchResult {
  std::vector<RuleMatch> rules;  // ascending rule id
};

class CompiledRuleSet {
 public:
  static constexpr size_t kMaxOccurrencesPerTerm = 16;

  // Compiles prepared rules (PrepareRule / CheckRule with the same `normalizer`). Rule ids
  // must be distinct: InvalidArgument "rule 7 appears twice". Internal if Hyperscan refuses.
  static Result<std::shared_ptr<const CompiledRuleSet>> Compile(
      std::vector<PreparedRule> rules,
      std::shared_ptr<const MatchNormalizer> normalizer = DefaultMatchNormalizer());

  ~CompiledRuleSet();
  CompiledRuleSet(const CompiledRuleSet&) = delete;
  CompiledRuleSet& operator=(const CompiledRuleSet&) = delete;

  // Replaces `out` with the rules that match `post` and the terms that made them match.
  void Match(const PostView& post, MatchResult& out) const;
  // Replaces `ids` with the ids of the matching rules, ascending; cheaper than Match.
  void MatchIds(const PostView& post, std::vector<int64_t>& ids) const;

  size_t rule_count() const { return rules_.size(); }
  // Distinct literals in the Hyperscan database.
  size_t pattern_count() const { return literals_.size(); }
  // The rules, ascending id.
  const std::vector<PreparedRule>& rules() const { return rules_; }
  // The rule with this id, or null. Valid as long as the set.
  const PreparedRule* Find(int64_t id) const;
  const std::shared_ptr<const MatchNormalizer>& normalizer() const { return normalizer_; }

  struct Impl;  // compiled tables, defined in rule_set.cc

 private:
  CompiledRuleSet() = default;
  void Run(const PostView& post, MatchResult* out, std::vector<int64_t>* ids) const;

  uint64_t serial_ = 0;  // distinguishes sets for the per-thread scratch space
  std::shared_ptr<const MatchNormalizer> normalizer_;
  std::vector<PreparedRule> rules_;
  std::vector<std::string> literals_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace yuqing::rules
