#include "rules/query_terms.h"

namespace yuqing::rules {

void FillQueryTerms(model::QueryNode& node, const text::Tokenizer& tokenizer) {
  if (node.kind == model::QueryNode::Kind::kTerm || node.kind == model::QueryNode::Kind::kPhrase) {
    node.tokens.clear();
    tokenizer.QueryTerms(node.text, node.tokens);
  }
  for (auto& c : node.children) FillQueryTerms(c, tokenizer);
}

}  // namespace yuqing::rules
