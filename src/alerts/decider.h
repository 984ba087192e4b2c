// AlertDecider: which alert policies an event now triggers, once per event, policy and level.
// docs/alerts.md "When an alert is raised".
//
// A policy matches an event when every condition it sets holds (rules, regions, domains,
// minimum grade, minimum heat). An alert's level is the event's risk grade at that moment:
// the first match raises an alert at that level; later matches at the same or a milder grade
// raise nothing; a more severe grade raises a new alert (an escalation, previous_level set).
// Merged events keep the most severe level either of them was alerted at.
//
// Pure and single-writer (the ordered event stage); the levels already alerted are restored
// from the store after a restart (Restore), so a restart never repeats an alert.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/alert.h"

namespace yuqing::alerts {

// What policies look at.
struct EventFacts {
  int64_t event_id = 0;
  int grade = 4;  // 1 (I) … 4 (IV)
  double heat = 0;
  model::Domain domain = model::Domain::kOther;
  std::vector<std::string> regions;  // GB/T 2260 codes the event names
  std::vector<int64_t> rule_ids;     // rules some post of the event matched, ascending
};

struct Decision {
  int64_t policy_id = 0;
  int level = 4;
  int previous_level = 0;  // 0: the first alert of this event for this policy
};

// Whether every condition of `policy` holds for the event (ignores `enabled`).
bool Matches(const model::AlertPolicy& policy, const EventFacts& facts);

class AlertDecider {
 public:
  // Replaces the policies; disabled ones are kept but never match. Levels already alerted
  // are kept (a policy edited in place does not alert again for the same level).
  void SetPolicies(std::vector<model::AlertPolicy> policies);
  const std::vector<model::AlertPolicy>& policies() const { return policies_; }
  const model::AlertPolicy* FindPolicy(int64_t id) const;

  // Records a level already alerted (from the store).
  void Restore(int64_t event_id, int64_t policy_id, int level);
  // The alerts `facts` calls for now; they are recorded as alerted.
  std::vector<Decision> Decide(const EventFacts& facts);
  // Event `from` was absorbed by `into`.
  void Merge(int64_t from, int64_t into);
  // Event `event` will never change again (forgotten by the event stage): drops its levels.
  void Forget(int64_t event);
  // The most severe level alerted for (event, policy); 0 if none.
  int Level(int64_t event_id, int64_t policy_id) const;

 private:
  std::vector<model::AlertPolicy> policies_;
  std::map<std::pair<int64_t, int64_t>, int> sent_;  // (event, policy) → level
};

}  // namespace yuqing::alerts
