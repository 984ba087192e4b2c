// Prepares a parsed query for the full-text index: fills the index terms of every term and
// phrase node with the same tokenizer that indexed the posts.
#pragma once

#include "model/query.h"
#include "text/tokenizer.h"

namespace yuqing::rules {

void FillQueryTerms(model::QueryNode& node, const text::Tokenizer& tokenizer);

}  // namespace yuqing::rules
