// When reports are due (docs/reports.md "Schedule"): the daily report at a time of the next
// day, the weekly on a weekday of the next week, the monthly on a day of the next month — all
// in the office's zone — and a flash report as soon as an event is graded I or II (again when
// it is graded more severe). Pure: the caller gives the clock's times and what is archived;
// the dedup keys make a second look at the same instant, or a restart, find nothing new.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "reports/document.h"

namespace yuqing::reports {

struct Schedule {
  int tz_minutes = 480;
  int daily_at = 8 * 60;        // minutes after local midnight; -1: no daily report
  int weekly_day = 1;           // ISO weekday, 1 = Monday
  int weekly_at = 8 * 60 + 30;  // -1: none
  int monthly_day = 1;          // 1..28
  int monthly_at = 9 * 60;      // -1: none
  bool flash = true;
};

// Reads the reports.daily ("08:00", "" for none), reports.weekly ("mon 08:30") and
// reports.monthly ("1 09:00") settings. InvalidArgument names the key and what was expected.
Result<Schedule> ParseSchedule(std::string_view daily, std::string_view weekly,
                               std::string_view monthly, bool flash, int tz_minutes);

struct DueReport {
  Kind kind = Kind::kDaily;
  std::string date;  // a day of the period reported on, YYYY-MM-DD in the zone
  int64_t event_id = 0;
  int grade = 0;                   // flash: the grade it is about
  std::string dedup_key;           // "daily:2026-11-17:", "weekly:2026-11-16:", "monthly:2026-11:",
                                   // "flash:42:1"
  core::TimePoint scheduled_at{};  // the instant it became due
};

// The period reports whose instants fall in (after, now], oldest first; at most `max_per_kind`
// of each kind (the newest), so a clock far ahead of the last look does not flood the archive.
std::vector<DueReport> DuePeriodReports(const Schedule& schedule, core::TimePoint after,
                                        core::TimePoint now, int max_per_kind = 7);

struct GradedEvent {
  int64_t id = 0;
  int grade = 4;
};

// Flash reports owed for these events: one per event graded I or II at its grade. The caller
// drops those whose key is archived.
std::vector<DueReport> DueFlashReports(const Schedule& schedule,
                                       const std::vector<GradedEvent>& events, core::TimePoint now);

}  // namespace yuqing::reports
