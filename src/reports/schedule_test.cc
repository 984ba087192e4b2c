// When reports are due: daily, weekly and monthly instants in the office's zone, a clock that
// jumps far ahead, restarts (the same window twice), flash reports per grade, bad settings.
#include "reports/schedule.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace yuqing::reports {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

Schedule Default() { return *ParseSchedule("08:00", "mon 08:30", "1 09:00", true, 480); }

TEST(ScheduleTest, DailyAtEightLocalReportsTheDayBefore) {
  auto due =
      DuePeriodReports(Default(), T("2026-11-17T07:00:00+08:00"), T("2026-11-17T08:00:00+08:00"));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].kind, Kind::kDaily);
  EXPECT_EQ(due[0].date, "2026-11-16");
  EXPECT_EQ(due[0].dedup_key, "daily:2026-11-16:");
  EXPECT_EQ(due[0].scheduled_at, T("2026-11-17T00:00:00Z"));
  // Just before the instant nothing is due; the next window after it finds nothing again.
  EXPECT_TRUE(
      DuePeriodReports(Default(), T("2026-11-17T07:00:00+08:00"), T("2026-11-17T07:59:59+08:00"))
          .empty());
  EXPECT_TRUE(
      DuePeriodReports(Default(), T("2026-11-17T08:00:00+08:00"), T("2026-11-17T20:00:00+08:00"))
          .empty());
}

TEST(ScheduleTest, TheZoneDecidesTheDay) {
  // 08:00 in UTC+8 is 00:00 UTC; with a UTC office the report comes eight hours later.
  auto utc = *ParseSchedule("08:00", "", "", false, 0);
  EXPECT_TRUE(DuePeriodReports(utc, T("2026-11-16T23:00:00Z"), T("2026-11-17T07:59:00Z")).empty());
  auto due = DuePeriodReports(utc, T("2026-11-16T23:00:00Z"), T("2026-11-17T08:00:00Z"));
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].date, "2026-11-16");
}

TEST(ScheduleTest, WeeklyOnMondayAndMonthlyOnTheFirst) {
  // 2026-11-30 is a Monday; 2026-12-01 the first of the month.
  auto due =
      DuePeriodReports(Default(), T("2026-11-29T12:00:00+08:00"), T("2026-12-01T12:00:00+08:00"));
  ASSERT_EQ(due.size(), 4u);
  EXPECT_EQ(due[0].dedup_key, "daily:2026-11-29:");
  EXPECT_EQ(due[1].kind, Kind::kWeekly);
  EXPECT_EQ(due[1].date, "2026-11-23");  // the week of Monday 23 to Sunday 29 November
  EXPECT_EQ(due[2].dedup_key, "daily:2026-11-30:");
  EXPECT_EQ(due[3].kind, Kind::kMonthly);
  EXPECT_EQ(due[3].date, "2026-11-01");
  EXPECT_EQ(due[3].dedup_key, "monthly:2026-11:");
  // January's monthly report is December's of the year before.
  auto jan =
      DuePeriodReports(Default(), T("2027-01-01T08:59:00+08:00"), T("2027-01-01T09:00:00+08:00"));
  ASSERT_EQ(jan.size(), 1u);
  EXPECT_EQ(jan[0].date, "2026-12-01");
}

TEST(ScheduleTest, AClockFarAheadKeepsOnlyTheNewest) {
  auto due = DuePeriodReports(Default(), T("2026-01-01T00:00:00+08:00"),
                              T("2026-12-02T10:00:00+08:00"), 3);
  int daily = 0, monthly = 0;
  for (const auto& d : due) {
    daily += d.kind == Kind::kDaily;
    monthly += d.kind == Kind::kMonthly;
  }
  EXPECT_EQ(daily, 3);
  EXPECT_EQ(monthly, 3);
  EXPECT_EQ(due.back().dedup_key, "daily:2026-12-01:");
  for (size_t i = 1; i < due.size(); ++i) EXPECT_LE(due[i - 1].scheduled_at, due[i].scheduled_at);
}

TEST(ScheduleTest, FlashForGradesOneAndTwoOncePerGrade) {
  auto now = T("2026-11-17T08:00:00+08:00");
  auto due = DueFlashReports(Default(), {{7, 3}, {8, 2}, {9, 1}, {10, 4}}, now);
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].dedup_key, "flash:8:2");
  EXPECT_EQ(due[1].dedup_key, "flash:9:1");
  EXPECT_EQ(due[1].kind, Kind::kFlash);
  auto off = *ParseSchedule("08:00", "", "", false, 480);
  EXPECT_TRUE(DueFlashReports(off, {{8, 2}}, now).empty());
}

TEST(ScheduleTest, BadSettingsNameTheKey) {
  auto a = ParseSchedule("8h", "", "", true, 480);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("reports.daily"), std::string::npos);
  auto b = ParseSchedule("", "monday 08:30", "", true, 480);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("reports.weekly"), std::string::npos);
  auto c = ParseSchedule("", "", "31 09:00", true, 480);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find("reports.monthly"), std::string::npos);
  EXPECT_FALSE(ParseSchedule("24:00", "", "", true, 480).ok());
  auto none = *ParseSchedule("", "", "", true, 480);
  EXPECT_TRUE(DuePeriodReports(none, T("2026-01-01T00:00:00Z"), T("2026-03-01T00:00:00Z")).empty());
}

}  // namespace
}  // namespace yuqing::reports
