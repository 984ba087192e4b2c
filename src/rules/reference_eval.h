// The straightforward evaluator of a prepared rule: substring search over the normalized
// fields, directly on the tree. It defines what the compiled matcher (rule_set.h) must compute
// and is the naive baseline of bench/rules. Slow by design; pure functions, thread-safe.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "rules/match_text.h"
#include "rules/rule_check.h"
#include "rules/rule_set.h"

namespace yuqing::rules {

// A post with its text fields normalized once, for evaluating many rules.
struct NormalizedPost {
  std::array<std::string, 5> fields;  // title, text, author, source, channel
  std::string region_code;
  const MatchNormalizer* normalizer = nullptr;  // for word starts; borrowed
};

NormalizedPost NormalizePost(const PostView& post, const MatchNormalizer& normalizer);

// True if `rule` matches the post. A term occurs if its literal is a substring of a field its
// scope covers; a region term if the post's code starts with the term's prefix; NEAR/n if in
// one field every child occurs with at most n words between the earliest end and the latest
// start (all combinations are tried).
bool ReferenceMatches(const PreparedRule& rule, const NormalizedPost& post);

}  // namespace yuqing::rules
