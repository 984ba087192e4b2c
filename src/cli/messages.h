// User-facing CLI text in Chinese (default) and English. Detailed validation messages stay in
// English (they quote field names); the words around them follow the chosen language.
#pragma once

#include <string>
#include <string_view>

namespace yuqing::cli {

enum class Msg {
  kError,
  kListening,
  kStopping,
  kStopped,
  kProgress,
  kImportDone,
  kMoreRejections,
  kNoResults,
  kResultsHeader,
  kTokenCreated,
  kTokenRevoked,
  kTokenListHeader,
  kReindexProgress,
  kReindexDone,
  kRuleEnabledState,
  kRuleDisabledState,
  kRuleAdded,
  kRuleEnabled,
  kRuleDisabled,
  kRuleRemoved,
  kRuleListHeader,
  kNoRules,
  kRuleShow,
  kRuleCannotLoad,
  kTrialSummary,
  kBackfillProgress,
  kBackfillSummary,
  kTrialSamples,
  kListSaved,
  kListRemoved,
  kListHeader,
  kNoLists,
  kListBreaksRule,
  kEventsRestored,
  kEventsProgress,
  kEventsDone,
  kEventsElsewhere,
  kEventListHeader,
  kNoEvents,
  kReportWritten,
  kOutboxElsewhere,
  // alert policies, alerts, outbox (alerts_cmd.cc)
  kPolicyAdded,
  kPolicyEnabled,
  kPolicyDisabled,
  kPolicyRemoved,
  kPolicyListHeader,
  kNoPolicies,
  kAlertListHeader,
  kNoAlerts,
  kAlertAcked,
  kAlertNotAcked,
  kAlertDeliveries,
  kOutboxHeader,
  kOutboxCounts,
  kOutboxEmpty,
  kOutboxRetried,
  kDelivering,
  kDeliveryPass,
};

// Format string (fmt syntax) for `msg` in `lang` ("zh" or "en").
std::string_view Text(std::string_view lang, Msg msg);

// An event's trend ("rising", "peaking", "declining", "dormant") as the workbench names it in
// Chinese (上升, 高位, 回落, 沉寂), or as it is in English; padded with spaces to `width`
// terminal columns (a Chinese character takes two).
std::string TrendText(std::string_view lang, std::string_view trend, size_t width = 0);

// `zh` or `en` by the interface language: for one-off sentences of the newer commands.
inline std::string_view Pick(std::string_view lang, std::string_view zh, std::string_view en) {
  return lang == "en" ? en : zh;
}

}  // namespace yuqing::cli
