#include "rules/rule_engine.h"

#include <fmt/format.h>

namespace yuqing::rules {

RuleEngine::RuleEngine(PrepareOptions options) : options_(std::move(options)) {
  YQ_CHECK(options_.normalizer != nullptr);
  Result<std::shared_ptr<const CompiledRuleSet>> empty =
      CompiledRuleSet::Compile({}, options_.normalizer);
  YQ_CHECK(empty.ok());
  current_.store(std::move(*empty));
}

Status RuleEngine::Install(std::map<int64_t, std::pair<std::string, PreparedRule>> rules) {
  std::vector<PreparedRule> prepared;
  prepared.reserve(rules.size());
  for (const auto& [id, entry] : rules) prepared.push_back(entry.second);
  YQ_ASSIGN_OR_RETURN(std::shared_ptr<const CompiledRuleSet> set,
                      CompiledRuleSet::Compile(std::move(prepared), options_.normalizer));
  rules_ = std::move(rules);
  current_.store(std::move(set));
  return Status::Ok();
}

Status RuleEngine::Put(const RuleSource& rule) {
  Result<PreparedRule> prepared = CheckRule(rule.id, rule.query, options_);
  if (!prepared.ok()) return prepared.status().WithContext(fmt::format("rule {}", rule.id));
  std::lock_guard lock(mu_);
  auto next = rules_;
  next.insert_or_assign(rule.id, std::make_pair(rule.query, std::move(*prepared)));
  return Install(std::move(next));
}

Status RuleEngine::Remove(int64_t id) {
  std::lock_guard lock(mu_);
  if (!rules_.contains(id)) return Status::NotFound(fmt::format("rule {} is not loaded", id));
  auto next = rules_;
  next.erase(id);
  return Install(std::move(next));
}

Result<std::vector<RuleRefusal>> RuleEngine::Replace(const std::vector<RuleSource>& rules) {
  std::vector<RuleRefusal> refused;
  std::map<int64_t, std::pair<std::string, PreparedRule>> next;
  for (const RuleSource& rule : rules) {
    if (next.contains(rule.id)) {
      refused.push_back(
          {rule.id, Status::InvalidArgument(fmt::format("rule {} appears twice", rule.id))});
      continue;
    }
    Result<PreparedRule> prepared = CheckRule(rule.id, rule.query, options_);
    if (!prepared.ok()) {
      refused.push_back({rule.id, prepared.status().WithContext(fmt::format("rule {}", rule.id))});
      continue;
    }
    next.emplace(rule.id, std::make_pair(rule.query, std::move(*prepared)));
  }
  std::lock_guard lock(mu_);
  YQ_RETURN_IF_ERROR(Install(std::move(next)));
  return refused;
}

void RuleEngine::Match(const PostView& post, MatchResult& out) const {
  Snapshot()->Match(post, out);
}

}  // namespace yuqing::rules
