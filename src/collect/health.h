// Source health (docs/collect.md, "Health"): the hourly volume each source brings, its
// baseline by hour of day, and the decision whether a source is failing, silent or well, with
// the alerts a change raises. Silent coverage gaps are what monitoring offices fear most: a
// portal that changed its layout keeps "succeeding" while bringing nothing. Pure functions of
// the source's state and an injected time.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "core/clock.h"
#include "model/alert.h"
#include "model/source.h"

namespace yuqing::collect {

struct HealthPolicy {
  int failing_after = 3;               // consecutive failed runs
  std::chrono::hours min_history{48};  // volume history needed before "silent" is judged
  std::chrono::hours min_quiet{2};     // hours without a new post before "silent" is judged
  double min_expected = 5;             // posts the baseline must expect in the quiet hours
  // A collapse: over the last 24 whole hours fewer than `collapse_ratio` of the posts the
  // baseline (of the days before) expects, when it expects at least `collapse_min_expected`.
  // Judged silent too.
  double collapse_ratio = 0.2;
  double collapse_min_expected = 20;
};

// Adds `accepted` posts to the hour of `now` in the ring, clearing the hours skipped since the
// newest one written.
void AddVolume(model::SourceVolume& volume, core::TimePoint now, int64_t accepted);

// The mean posts per hour for each hour of day (0..23, in UTC hours since the epoch modulo 24
// shifted by `tz_offset_minutes`), over the full days the ring holds before `before_hour`.
std::vector<double> HourlyBaseline(const model::SourceVolume& volume, int64_t before_hour,
                                   int tz_offset_minutes);

struct HealthDecision {
  model::SourceHealth health = model::SourceHealth::kUnknown;
  std::string reason;  // Chinese, for people: 连续 3 次采集失败：HTTP 500（http://…）
  bool changed = false;
};

// Judges the source at `now` from its state (after the run's counts and volume were updated).
HealthDecision JudgeHealth(const model::Source& source, core::TimePoint now,
                           const HealthPolicy& policy);

// Applies a decision to the state (health, since, reason) and returns the alerts it raises:
// one per matching policy when the source turns failing or silent, and a recovery notice when
// it turns well again after one. A policy matches when it is enabled, has no rule or domain
// condition (those are about events) and its regions (if any) include the source's region.
// Each alert's dedup_key names the source, the state and the time it began, so an episode is
// alerted once however often it is judged.
std::vector<model::NewAlert> ApplyHealth(const model::Source& source, model::SourceState& state,
                                         const HealthDecision& decision, core::TimePoint now,
                                         const std::vector<model::AlertPolicy>& policies);

}  // namespace yuqing::collect
