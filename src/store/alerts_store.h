// AlertStore: alert policies, alerts and the delivery outbox (docs/alerts.md). Implemented by
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
#include "model/alert.h"

namespace yuqing::store {

struct AlertQuery {
  std::optional<int64_t> event_id;
  std::optional<int64_t> policy_id;
  bool unacknowledged_only = false;
  // Only alerts of events naming a region under this GB/T 2260 code prefix ("1404" Changzhi);
  // nullopt for any. An empty prefix matches every event that names some region.
  std::optional<std::string> region;
  int64_t after_id = 0;    // ids greater than this (live streams resume from the last id seen)
  int64_t before_id = 0;   // > 0: ids less than this (paging back through older alerts)
  bool ascending = false;  // default newest first
  int limit = 50;          // 0..1000
};

struct OutboxCounts {
  int64_t pending = 0;
  int64_t delivered = 0;
  int64_t dead = 0;
};

class AlertStore {
 public:
  virtual ~AlertStore() = default;

  // --- Alert policies, alerts and the outbox (docs/alerts.md). Policy changes increment the
  // meta counter "alerts.version" in the same transaction.

  // AlreadyExists for a taken name. The policy is stored as given: check it before.
  virtual Result<model::AlertPolicy> CreateAlertPolicy(const model::AlertPolicy& policy,
                                                       core::TimePoint now) = 0;
  // NotFound `no alert policy with id 7`.
  virtual Result<model::AlertPolicy> UpdateAlertPolicy(const model::AlertPolicy& policy,
                                                       core::TimePoint now) = 0;
  virtual Result<std::optional<model::AlertPolicy>> GetAlertPolicy(int64_t id) = 0;
  virtual Result<std::vector<model::AlertPolicy>> ListAlertPolicies() = 0;  // ascending id
  virtual Status DeleteAlertPolicy(int64_t id) = 0;  // alerts already raised are kept
  virtual Result<int64_t> AlertPoliciesVersion() = 0;

  virtual Result<std::vector<model::Alert>> ListAlerts(const AlertQuery& query) = 0;
  virtual Result<std::optional<model::Alert>> GetAlert(int64_t id) = 0;
  // Every (event, policy) with the most severe level alerted, for restoring deduplication.
  struct AlertLevel {
    int64_t event_id = 0;
    int64_t policy_id = 0;
    int level = 4;
  };
  virtual Result<std::vector<AlertLevel>> AlertLevels() = 0;
  // NotFound for an unknown id; acknowledging twice keeps the first acknowledgement.
  virtual Result<model::Alert> AcknowledgeAlert(int64_t id, const std::string& by,
                                                core::TimePoint now) = 0;

  // Pending outbox items due at `now` (next_attempt_at ≤ now), oldest first.
  virtual Result<std::vector<model::OutboxItem>> DueOutbox(core::TimePoint now, int limit) = 0;
  // The earliest next_attempt_at of a pending item; nullopt when none is pending.
  virtual Result<std::optional<core::TimePoint>> NextOutboxAttempt() = 0;
  virtual Result<std::vector<model::OutboxItem>> OutboxForAlert(int64_t alert_id) = 0;
  // Outbox items of any alert, newest first, only those in `state` if given. InvalidArgument
  // for a limit outside 1..1000.
  virtual Result<std::vector<model::OutboxItem>> ListOutbox(std::optional<model::OutboxState> state,
                                                            int limit) = 0;
  virtual Status MarkOutboxDelivered(int64_t id, core::TimePoint now) = 0;
  // Records a failed attempt: retry at `retry_at`, or the dead-letter state when nullopt.
  virtual Status MarkOutboxFailed(int64_t id, const std::string& error,
                                  std::optional<core::TimePoint> retry_at) = 0;
  // Puts a dead item back to pending, due at `now` (an operator's retry).
  virtual Status RetryOutbox(int64_t id, core::TimePoint now) = 0;
  virtual Result<OutboxCounts> CountOutbox() = 0;
};

}  // namespace yuqing::store
