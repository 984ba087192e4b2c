// The clocks of a case (docs/cases.md "Deadlines"): one per obligation, computed from the case
// itself whenever it is read, so a changed grade or policy recomputes them. Every clock runs
// from detection (the event's first alert, or the case's creation when opened by hand), never
// from acceptance: a reassignment or a dispute does not reset or pause it. Pure functions.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/case.h"

namespace yuqing::cases {

enum class ClockState {
  kRunning,  // not met, not yet due
  kMet,      // met on time
  kLate,     // met after the deadline
  kOverdue,  // not met and past due
};
std::string_view ClockStateName(ClockState s);  // "running", "met", "late", "overdue"

struct Deadline {
  model::Obligation obligation = model::Obligation::kRespond;
  core::TimePoint start{};  // detection (kAccept: the current main assignment)
  core::TimePoint due{};
  std::optional<core::TimePoint> met_at;  // when the obligation was met
  ClockState state = ClockState::kRunning;
  core::TimePoint remind_at{};  // when a reminder (催办) is due
  // Signed: positive while time is left, negative when overdue (kRunning, kOverdue); the
  // margin it was met by (kMet, kLate).
  std::chrono::milliseconds remaining{0};
};

// The clocks the case carries at `now`, in obligation order:
//   press          grade I/II: a published press conference or briefing;
//   respond        grade III/IV: any published response;
//   first_release  when the policy asks for it: any published response;
//   reply          hotline and mailbox cases: the reply to the person;
//   resolve        the case closed (办结), extended by granted extensions;
//   accept         while a main assignment is active: its acceptance (签收), from the
//                  assignment (a new assignment starts a new acceptance clock).
std::vector<Deadline> Deadlines(const model::Case& c, core::TimePoint now);

// The clock for one obligation, or nullopt when the case does not carry it.
std::optional<Deadline> DeadlineFor(const model::Case& c, model::Obligation o, core::TimePoint now);

// The first published response (any channel), and the first published press conference or
// briefing; nullopt when there is none.
std::optional<core::TimePoint> FirstPublished(const model::Case& c);
std::optional<core::TimePoint> FirstPressPublished(const model::Case& c);

// Time zones deadlines are shown in: the fixed-offset zones of China and its neighbours by
// IANA name ("Asia/Shanghai" +08:00, "Asia/Urumqi" +06:00, "Asia/Hong_Kong", "Asia/Taipei",
// "Asia/Tokyo", "Asia/Seoul", "Asia/Singapore", "UTC") or an explicit offset "+08:00".
// InvalidArgument names the zone and what is accepted (zones with daylight saving are not).
Result<int> ZoneOffsetMinutes(std::string_view zone);
// "2026-12-02T17:30:00+08:00" in the zone (UTC when the zone is unknown).
std::string FormatInZone(core::TimePoint t, std::string_view zone);

}  // namespace yuqing::cases
