// Monitoring rules as operators manage them (name, owner, tags, enabled), the named keyword
// lists rules reuse (@name), and the record of which rules matched a post and on which terms.
// Plain values; the rules module checks and compiles the query text (docs/rules.md).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.h"

namespace yuqing::model {

// A monitoring rule (监测规则). `query` is in the query language (docs/query-language.md).
struct Rule {
  int64_t id = 0;     // assigned by the store, never reused
  std::string name;   // unique, chosen by the operator
  std::string query;  // as written
  std::string owner;  // responsible department (责任单位); may be empty
  std::vector<std::string> tags;
  bool enabled = true;  // disabled rules are kept but not matched
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// A named keyword list, used in rules as @name: one place to maintain e.g. the place names
// of a prefecture.
struct KeywordList {
  std::string name;  // without '@'
  std::vector<std::string> words;
  core::TimePoint updated_at{};
};

// One occurrence of a term that made a rule match a post.
struct TermHit {
  std::string field;  // "title", "text", "author", "source", "channel" or "region"
  // Byte range in that field of the post as stored (UTF-8); for "region" the whole code.
  uint32_t begin = 0;
  uint32_t end = 0;
  std::string term;  // the term as the rule wrote it
  bool operator==(const TermHit&) const = default;
};

// A rule that matched a post, with the occurrences of its (non-negated) terms.
struct RuleHit {
  int64_t rule_id = 0;
  std::vector<TermHit> terms;
  bool operator==(const RuleHit&) const = default;
};

}  // namespace yuqing::model
