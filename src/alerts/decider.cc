#include "alerts/decider.h"

#include <algorithm>

namespace yuqing::alerts {

bool Matches(const model::AlertPolicy& p, const EventFacts& f) {
  if (f.grade > p.min_grade) return false;
  if (f.heat < p.min_heat) return false;
  if (!p.domains.empty() &&
      std::find(p.domains.begin(), p.domains.end(), f.domain) == p.domains.end()) {
    return false;
  }
  if (!p.regions.empty()) {
    bool any = std::any_of(p.regions.begin(), p.regions.end(), [&](const std::string& prefix) {
      return std::any_of(f.regions.begin(), f.regions.end(),
                         [&](const std::string& code) { return code.starts_with(prefix); });
    });
    if (!any) return false;
  }
  if (!p.rule_ids.empty()) {
    bool any = std::any_of(p.rule_ids.begin(), p.rule_ids.end(), [&](int64_t id) {
      return std::binary_search(f.rule_ids.begin(), f.rule_ids.end(), id);
    });
    if (!any) return false;
  }
  return true;
}

void AlertDecider::SetPolicies(std::vector<model::AlertPolicy> policies) {
  policies_ = std::move(policies);
}

const model::AlertPolicy* AlertDecider::FindPolicy(int64_t id) const {
  for (const auto& p : policies_) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

void AlertDecider::Restore(int64_t event_id, int64_t policy_id, int level) {
  auto [it, inserted] = sent_.emplace(std::pair{event_id, policy_id}, level);
  if (!inserted) it->second = std::min(it->second, level);
}

std::vector<Decision> AlertDecider::Decide(const EventFacts& facts) {
  std::vector<Decision> out;
  for (const auto& p : policies_) {
    if (!p.enabled || !Matches(p, facts)) continue;
    auto key = std::pair{facts.event_id, p.id};
    auto it = sent_.find(key);
    int previous = it == sent_.end() ? 0 : it->second;
    if (previous != 0 && previous <= facts.grade) continue;  // alerted at this level or worse
    out.push_back({p.id, facts.grade, previous});
    sent_[key] = facts.grade;
  }
  return out;
}

void AlertDecider::Merge(int64_t from, int64_t into) {
  auto lo = sent_.lower_bound({from, INT64_MIN});
  std::vector<std::pair<int64_t, int>> moved;
  while (lo != sent_.end() && lo->first.first == from) {
    moved.emplace_back(lo->first.second, lo->second);
    lo = sent_.erase(lo);
  }
  for (auto [policy, level] : moved) Restore(into, policy, level);
}

void AlertDecider::Forget(int64_t event) {
  sent_.erase(sent_.lower_bound({event, INT64_MIN}), sent_.lower_bound({event + 1, INT64_MIN}));
}

int AlertDecider::Level(int64_t event_id, int64_t policy_id) const {
  auto it = sent_.find({event_id, policy_id});
  return it == sent_.end() ? 0 : it->second;
}

}  // namespace yuqing::alerts
