#include "rules/query_terms.h"

#include <fmt/format.h>

namespace yuqing::rules {

void FillQueryTerms(model::QueryNode& node, const text::Tokenizer& tokenizer) {
  if (node.kind == model::QueryNode::Kind::kTerm || node.kind == model::QueryNode::Kind::kPhrase) {
    node.tokens.clear();
    tokenizer.QueryTerms(node.text, node.tokens);
  }
  for (auto& c : node.children) FillQueryTerms(c, tokenizer);
}

Status ResolveRegionNames(model::QueryNode& node, const RegionResolver& regions) {
  if (!regions) return Status::Ok();
  bool leaf =
      node.kind == model::QueryNode::Kind::kTerm || node.kind == model::QueryNode::Kind::kPhrase;
  if (leaf && node.field == "region" &&
      node.text.find_first_not_of("0123456789") != std::string::npos) {
    auto code = regions(node.text);
    if (!code.ok()) {
      return Status::InvalidArgument(
          fmt::format("column {}: {}", node.column, code.status().message()));
    }
    node.text = *code;
  }
  for (auto& c : node.children) YQ_RETURN_IF_ERROR(ResolveRegionNames(c, regions));
  return Status::Ok();
}

}  // namespace yuqing::rules
