// RuleStore: monitoring rules and keyword lists (docs/rules.md, "Management"). Implemented by
// every backend; see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/rule.h"

namespace yuqing::store {

class RuleStore {
 public:
  virtual ~RuleStore() = default;

  // --- Monitoring rules and keyword lists (docs/rules.md, "Management").
  // Every change below increments RulesVersion() in the same transaction, so a process that
  // compiled the rules can tell cheaply whether another process changed them.

  // Stores a new rule and returns it with its id and times (`rule.id` is ignored).
  // AlreadyExists `a rule named "x" already exists`. The query is stored as given: check it
  // (rules::CheckRule) before.
  virtual Result<model::Rule> CreateRule(const model::Rule& rule, core::TimePoint now) = 0;
  // Replaces name, query, owner, tags and enabled of rule `rule.id`. NotFound
  // `no rule with id 7`; AlreadyExists if the new name belongs to another rule.
  virtual Result<model::Rule> UpdateRule(const model::Rule& rule, core::TimePoint now) = 0;
  virtual Result<std::optional<model::Rule>> GetRule(int64_t id) = 0;
  virtual Result<std::optional<model::Rule>> GetRuleByName(const std::string& name) = 0;
  // All rules, ascending id.
  virtual Result<std::vector<model::Rule>> ListRules() = 0;
  // NotFound `no rule with id 7`.
  virtual Status SetRuleEnabled(int64_t id, bool enabled, core::TimePoint now) = 0;
  // Deletes the rule and the hits recorded for it. NotFound `no rule with id 7`.
  virtual Status DeleteRule(int64_t id) = 0;

  // Creates or replaces a keyword list (words kept in the given order, duplicates dropped).
  virtual Status PutKeywordList(const model::KeywordList& list, core::TimePoint now) = 0;
  virtual Result<std::optional<model::KeywordList>> GetKeywordList(const std::string& name) = 0;
  // All lists, by name.
  virtual Result<std::vector<model::KeywordList>> ListKeywordLists() = 0;
  // NotFound `no keyword list "@x"`.
  virtual Status DeleteKeywordList(const std::string& name) = 0;

  // A counter that grows with every change of rules or keyword lists; 0 for a new store.
  virtual Result<int64_t> RulesVersion() = 0;
};

}  // namespace yuqing::store
