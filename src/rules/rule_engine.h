// The live set of monitoring rules: rules are added, changed and removed while posts are being
// matched. Every change compiles a new CompiledRuleSet beside the current one and swaps it in
// atomically; matching never waits for a compile and a post is matched against exactly one set
// (docs/rules.md, "Hot swap").
//
// Thread safety: Match and Snapshot may be called from any number of threads at once, also
// while Put / Remove / Replace run; the changing calls are serialised among themselves.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "rules/rule_check.h"
#include "rules/rule_set.h"

namespace yuqing::rules {

// A rule as the store keeps it: its id and query text.
struct RuleSource {
  int64_t id = 0;
  std::string query;
};

// A rule refused while loading, with the reason ("column 5: …").
struct RuleRefusal {
  int64_t id = 0;
  Status status;
};

class RuleEngine {
 public:
  // The options (normalizer, keyword lists, region names) are used for every rule; the
  // resolvers are called only from Put and Replace.
  explicit RuleEngine(PrepareOptions options = {});
  RuleEngine(const RuleEngine&) = delete;
  RuleEngine& operator=(const RuleEngine&) = delete;

  // Checks the rule, then adds it or replaces the rule with that id. When this returns OK the
  // new set is live. On error nothing changes; InvalidArgument messages read
  // "rule 7: column 5: …".
  Status Put(const RuleSource& rule);
  // Removes a rule; NotFound "rule 7 is not loaded".
  Status Remove(int64_t id);
  // Replaces all rules, e.g. at start-up or after a keyword list changed. Rules that are
  // refused are left out and returned; the others go live. Error only if compiling fails.
  Result<std::vector<RuleRefusal>> Replace(const std::vector<RuleSource>& rules);

  // The current set; stays valid (and unchanged) as long as the caller holds it. Take one per
  // batch of posts to match a whole batch against the same rules.
  std::shared_ptr<const CompiledRuleSet> Snapshot() const { return current_.load(); }

  // Snapshot()->Match(post, out).
  void Match(const PostView& post, MatchResult& out) const;

  const PrepareOptions& options() const { return options_; }

 private:
  // Compiles `rules` and makes them current. Requires mu_.
  Status Install(std::map<int64_t, std::pair<std::string, PreparedRule>> rules);

  const PrepareOptions options_;
  std::mutex mu_;                                                  // serialises changes
  std::map<int64_t, std::pair<std::string, PreparedRule>> rules_;  // guarded by mu_
  std::atomic<std::shared_ptr<const CompiledRuleSet>> current_;
};

}  // namespace yuqing::rules
