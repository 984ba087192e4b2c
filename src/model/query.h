// The parsed form of the query language shared by search and monitoring rules
// (docs/query-language.md). Produced by rules::ParseQuery; consumed by the store (search)
// and the rule matcher. A plain value tree.
#pragma once

#include <string>
#include <vector>

namespace yuqing::model {

struct QueryNode {
  enum class Kind {
    kTerm,    // a word: 化工
    kPhrase,  // "an exact phrase"
    kAnd,
    kOr,
    kNot,   // one child
    kNear,  // NEAR/n(a, b): two or more term/phrase children within `distance` words
    kList,  // @name: a named keyword list, expanded before evaluation
  };
  Kind kind = Kind::kTerm;
  // Scope of a term, phrase, near or list: "" (title and text), "title", "text", "author",
  // "source", "channel", "region".
  std::string field;
  std::string text;  // the word, the phrase or the list name
  int distance = 0;  // kNear
  int column = 0;    // 1-based code point column in the query, for messages
  std::vector<QueryNode> children;
  // Index terms of a term or phrase, filled by the caller's tokenizer before search.
  std::vector<std::string> tokens;
};

}  // namespace yuqing::model
