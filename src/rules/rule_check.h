// Checking a monitoring rule before it is compiled: keyword lists are expanded, literals
// normalized, region codes resolved, and rules that cannot be evaluated cheaply or would match
// almost everything are refused with an explanation (docs/rules.md, "Refusals").
//
// The result, PreparedRule, is the rule in the form the compiled matcher (rule_set.h) and the
// reference evaluator (reference_eval.h) both consume. Everything here is a pure function of
// its inputs; PrepareOptions may be shared between threads if its callbacks may.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "model/query.h"
#include "rules/match_text.h"

namespace yuqing::rules {

// Where a term must occur. kTitleOrText is the default scope of a term without a field.
enum class Scope : uint8_t { kTitleOrText, kTitle, kText, kAuthor, kSource, kChannel, kRegion };

// "" for kTitleOrText, else the field name used in the query language ("title", "region"…).
std::string_view ScopeName(Scope scope);

// One distinct term of a rule.
struct RuleTerm {
  Scope scope = Scope::kTitleOrText;
  // The normalized literal; for kRegion the significant prefix of a GB/T 2260 code
  // ("14" for 140000 Shanxi, "1404" for 140400 Changzhi).
  std::string literal;
  std::string written;  // as the rule (or its keyword list) wrote it, for explanations
  int column = 0;       // column of the term, or of the @list it came from
};

// The boolean structure of a prepared rule. Leaves are kTerm (an index into
// PreparedRule::terms); kNear has only kTerm children, all in the NEAR's scope.
struct RuleExpr {
  enum class Kind : uint8_t { kTerm, kAnd, kOr, kNot, kNear };
  Kind kind = Kind::kTerm;
  uint32_t term = 0;  // kTerm
  int distance = 0;   // kNear: at most this many words between the terms
  int column = 0;
  std::vector<RuleExpr> children;
};

struct PreparedRule {
  int64_t id = 0;
  RuleExpr root;
  std::vector<RuleTerm> terms;  // distinct by (scope, literal), in order of first use
  // Names of the keyword lists the rule uses (without '@'), sorted: re-check these rules when a
  // list changes.
  std::vector<std::string> lists;
};

struct RuleLimits {
  size_t max_terms = 2000;    // after expanding keyword lists
  size_t min_term_chars = 2;  // code points of a normalized term (region codes excepted)
};

// Returns the words of keyword list `name` (without '@'). A NotFound or other error is
// reported as a refusal of the rule, with the column of the @list prefixed.
using ListResolver = std::function<Result<std::vector<std::string>>(std::string_view name)>;
// Returns the GB/T 2260 code of a region name ("长治市" → "140400"). Errors as for lists.
using RegionResolver = std::function<Result<std::string>(std::string_view name)>;

struct PrepareOptions {
  std::shared_ptr<const MatchNormalizer> normalizer = DefaultMatchNormalizer();
  ListResolver lists;      // unset: any @list is refused
  RegionResolver regions;  // unset: region names are refused, codes work
  RuleLimits limits;
};

// A ListResolver over a fixed map. Unknown names give NotFound
// `unknown keyword list "@name"`.
ListResolver MapListResolver(std::map<std::string, std::vector<std::string>, std::less<>> lists);

// Expands, normalizes and checks a parsed rule. InvalidArgument messages start with
// "column N: " like the parser's, e.g.
//   column 1: NOT here is not combined with a required term, so the rule would match almost
//   every post; write e.g. "化工 AND NOT 演习"
Result<PreparedRule> PrepareRule(int64_t id, const model::QueryNode& query,
                                 const PrepareOptions& options);

// ParseQuery, then PrepareRule: the full check behind `yuqing rules add` and `rules test`.
Result<PreparedRule> CheckRule(int64_t id, std::string_view query, const PrepareOptions& options);

// The significant prefix of a GB/T 2260 code: trailing "00" pairs of a 6-digit code and
// trailing "000" groups of 9- and 12-digit codes are dropped (140000 → 14, 140400 → 1404,
// 140402 → 140402). InvalidArgument unless the code is 2, 4, 6, 9 or 12 digits.
Result<std::string> RegionPrefix(std::string_view code);

// True if `e` matches a post in which none of its terms occurs (the pure-negation test).
bool MatchesEmptyPost(const RuleExpr& e);

// The scope of the text field with index `i` (kTitle … kChannel).
inline Scope FieldScope(size_t i) { return static_cast<Scope>(i + 1); }

// True if the words of a post in this scope are searched in `field` of the post.
inline bool ScopeCovers(Scope scope, Scope field) {
  return scope == field ||
         (scope == Scope::kTitleOrText && (field == Scope::kTitle || field == Scope::kText));
}

}  // namespace yuqing::rules
