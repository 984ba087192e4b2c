// The supervision ladder (docs/cases.md "Supervision"): what the periodic sweep does for one
// case at `now`, decided from the case alone. For each clock the case carries:
//   1. a reminder (催办) once `policy.remind_at` of the window has passed;
//   2. on overdue, a supervision item (督办) opens and the coordinator and the leader in charge
//      are warned through the alert outbox;
//   3. still overdue `policy.criticise_after` after that, a notice of criticism (通报) is
//      proposed to the coordinator (status "proposed"; a person issues or dismisses it);
//   4. an automatic supervision item closes itself when its obligation is met.
// And while the event stays hot after a published response (event heat ≥ policy.hot_heat),
// a "keep releasing authoritative information" reminder every policy.keep_releasing_every.
// Each step leaves a mark in Case::sweep_marks, so running the sweep again never repeats it;
// notices carry the mark as their dedup key. Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cases/workflow.h"
#include "model/alert.h"

namespace yuqing::cases {

struct SweepOptions {
  std::vector<model::AlertTarget> targets;  // who is warned: the coordinator's and leader's
  std::string language = "zh";              // of the notices
};

// nullopt when the ladder has nothing to do for the case at `now` (the common answer: the
// sweep over 100,000 open cases allocates nothing for them).
std::optional<Decision> Sweep(const model::Case& c, core::TimePoint now,
                              const SweepOptions& options);

// The earliest time at or after `now` when Sweep() may have something to do for the case, from
// the same ladder (a reminder, an overdue clock, a criticism, an automatic item to close, a
// keep-releasing period); nullopt when nothing is ahead (a closed or merged case). Sweep()
// returns nullopt for every time before it, so a sweep that reads only the due cases misses
// nothing. Set on every write of a case (Case::sweep_at).
std::optional<core::TimePoint> NextSweepAt(const model::Case& c, core::TimePoint now);

}  // namespace yuqing::cases
