// Early warning (预警) as values: who is warned about which events (AlertPolicy), the warnings
// raised (Alert: one per event, policy and level), and their deliveries through the durable
// outbox (OutboxItem: one per alert and target). docs/alerts.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "model/analysis.h"

namespace yuqing::model {

// Where an alert goes. `address` is a URL for the webhook kinds, a mailbox for email.
enum class TargetKind {
  kWebhook,   // generic JSON POST
  kWeCom,     // 企业微信 group robot
  kDingTalk,  // 钉钉 group robot
  kFeishu,    // 飞书 group robot
  kEmail,     // SMTP
};
inline constexpr std::string_view kTargetKindNames[] = {"webhook", "wecom", "dingtalk", "feishu",
                                                        "email"};
inline std::string_view TargetKindName(TargetKind k) {
  return kTargetKindNames[static_cast<int>(k)];
}
inline std::optional<TargetKind> ParseTargetKind(std::string_view name) {
  for (int i = 0; i < 5; ++i) {
    if (kTargetKindNames[i] == name) return static_cast<TargetKind>(i);
  }
  return std::nullopt;
}

struct AlertTarget {
  TargetKind kind = TargetKind::kWebhook;
  std::string address;
  std::string secret;  // optional signing secret (DingTalk, Feishu robots); never shown back
  bool operator==(const AlertTarget&) const = default;
};

// Who is warned about which events. Every condition given must hold; an empty list means
// "any". The alert's level is the event's risk grade: an event is alerted once per level, and
// a more severe grade later raises a new alert (an escalation).
struct AlertPolicy {
  int64_t id = 0;  // assigned by the store
  std::string name;
  bool enabled = true;
  std::vector<int64_t> rule_ids;     // some post of the event matched one of these rules
  std::vector<std::string> regions;  // the event names a region under one of these code prefixes
  std::vector<Domain> domains;       // the event's main domain is one of these
  int min_grade = 4;                 // grade at least this severe (1 = I … 4 = IV)
  double min_heat = 0;               // heat at least this
  std::vector<AlertTarget> targets;  // may be empty: the alert is only listed and streamed (SSE)
  std::string language = "zh";       // of the messages: "zh" or "en"
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
};

// An alert as the event stage raises it; the store adds one outbox item per target.
struct NewAlert {
  int64_t event_id = 0;
  int64_t policy_id = 0;
  int level = 4;                 // the event's grade when raised
  int previous_level = 0;        // the level alerted before for this event and policy; 0: none
  core::TimePoint created_at{};  // event time
  std::string title;
  std::string payload_json;  // what was known: event summary, heat, grade and its reasons
  std::vector<AlertTarget> targets;
  std::string language = "zh";
  // A case notice (督办, 催办, 通报 proposal: docs/cases.md "Supervision"): the case it is
  // about, policy_id 0, and a key unique within the case that makes the sweep idempotent
  // ("overdue:respond"). 0 and "" for an event alert.
  int64_t case_id = 0;
  std::string dedup_key;
};

struct Alert {
  int64_t id = 0;
  int64_t event_id = 0;
  int64_t policy_id = 0;
  int level = 4;
  int previous_level = 0;  // > level: an escalation
  core::TimePoint created_at{};
  std::string title;
  std::string payload_json;
  std::string language = "zh";
  std::optional<core::TimePoint> acked_at;
  std::string acked_by;
  int64_t case_id = 0;    // a case notice: the case (policy_id is 0); 0 for an event alert
  std::string dedup_key;  // a case notice's key within its case
};

enum class OutboxState { kPending, kDelivered, kDead };
inline std::string_view OutboxStateName(OutboxState s) {
  return s == OutboxState::kPending     ? "pending"
         : s == OutboxState::kDelivered ? "delivered"
                                        : "dead";
}

// One delivery of one alert to one target. `idempotency_key` is stable across retries and
// restarts and is sent in every message, so a receiver can drop a repeat.
struct OutboxItem {
  int64_t id = 0;
  int64_t alert_id = 0;
  AlertTarget target;
  std::string idempotency_key;
  OutboxState state = OutboxState::kPending;
  int attempts = 0;
  core::TimePoint next_attempt_at{};
  std::string last_error;
  std::optional<core::TimePoint> delivered_at;
};

}  // namespace yuqing::model
