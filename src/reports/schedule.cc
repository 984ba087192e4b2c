#include "reports/schedule.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

namespace yuqing::reports {
namespace {

constexpr int64_t kDayMs = 86'400'000;

Result<int> ParseClockTime(std::string_view text, std::string_view key) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("{}: \"{}\" is not a time of day (HH:MM, 00:00 to 23:59)", key, text));
  };
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || text.size() - colon != 3) return bad();
  int h = 0, m = 0;
  auto [p1, e1] = std::from_chars(text.data(), text.data() + colon, h);
  auto [p2, e2] = std::from_chars(text.data() + colon + 1, text.data() + text.size(), m);
  if (e1 != std::errc() || e2 != std::errc() || p1 != text.data() + colon ||
      p2 != text.data() + text.size() || h < 0 || h > 23 || m < 0 || m > 59) {
    return bad();
  }
  return h * 60 + m;
}

// Days since 1970-01-01 to the civil date and back (H. Hinnant, "chrono-Compatible Low-Level
// Date Algorithms", days_from_civil / civil_from_days).
struct Ymd {
  int y, m, d;
};
Ymd CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

std::string DateText(Ymd v) { return fmt::format("{:04}-{:02}-{:02}", v.y, v.m, v.d); }

int64_t LocalDay(core::TimePoint t, int tz) {
  int64_t ms = t.time_since_epoch().count() + int64_t{tz} * 60'000;
  return ms >= 0 ? ms / kDayMs : (ms - kDayMs + 1) / kDayMs;
}

core::TimePoint InstantOf(int64_t day, int minutes, int tz) {
  return core::TimePoint(
      std::chrono::milliseconds(day * kDayMs + int64_t{minutes} * 60'000 - int64_t{tz} * 60'000));
}

}  // namespace

Result<Schedule> ParseSchedule(std::string_view daily, std::string_view weekly,
                               std::string_view monthly, bool flash, int tz_minutes) {
  Schedule s;
  s.tz_minutes = tz_minutes;
  s.flash = flash;
  if (daily.empty()) {
    s.daily_at = -1;
  } else {
    YQ_ASSIGN_OR_RETURN(s.daily_at, ParseClockTime(daily, "reports.daily"));
  }
  if (weekly.empty()) {
    s.weekly_at = -1;
  } else {
    static constexpr std::string_view kDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
    size_t sp = weekly.find(' ');
    std::string_view day = weekly.substr(0, sp);
    auto it = std::find(std::begin(kDays), std::end(kDays), day);
    if (sp == std::string_view::npos || it == std::end(kDays)) {
      return Status::InvalidArgument(fmt::format(
          "reports.weekly: \"{}\" is not a weekday and a time (\"mon 08:30\": mon … sun)", weekly));
    }
    s.weekly_day = static_cast<int>(it - std::begin(kDays)) + 1;
    YQ_ASSIGN_OR_RETURN(s.weekly_at, ParseClockTime(weekly.substr(sp + 1), "reports.weekly"));
  }
  if (monthly.empty()) {
    s.monthly_at = -1;
  } else {
    size_t sp = monthly.find(' ');
    int d = 0;
    auto [p, ec] =
        std::from_chars(monthly.data(), monthly.data() + std::min(sp, monthly.size()), d);
    if (sp == std::string_view::npos || ec != std::errc() || p != monthly.data() + sp || d < 1 ||
        d > 28) {
      return Status::InvalidArgument(fmt::format(
          "reports.monthly: \"{}\" is not a day of the month (1 to 28) and a time (\"1 09:00\")",
          monthly));
    }
    s.monthly_day = d;
    YQ_ASSIGN_OR_RETURN(s.monthly_at, ParseClockTime(monthly.substr(sp + 1), "reports.monthly"));
  }
  return s;
}

std::vector<DueReport> DuePeriodReports(const Schedule& s, core::TimePoint after,
                                        core::TimePoint now, int max_per_kind) {
  std::vector<DueReport> daily, weekly, monthly;
  if (now <= after) return {};
  const int tz = s.tz_minutes;
  int64_t last = LocalDay(now, tz);
  // Looking further back than the kept instants would need is wasted work: a monthly report
  // needs at most max_per_kind months.
  int64_t first = std::max(LocalDay(after, tz), last - int64_t{31} * (max_per_kind + 1));
  for (int64_t day = first; day <= last; ++day) {
    auto in_window = [&](int minutes, core::TimePoint* at) {
      if (minutes < 0) return false;
      *at = InstantOf(day, minutes, tz);
      return *at > after && *at <= now;
    };
    core::TimePoint at;
    if (in_window(s.daily_at, &at)) {
      std::string date = DateText(CivilFromDays(day - 1));
      daily.push_back({Kind::kDaily, date, 0, 0, "daily:" + date + ":", at});
    }
    // 1970-01-01 was a Thursday (ISO weekday 4).
    int weekday = static_cast<int>(((day % 7) + 7 + 3) % 7) + 1;
    if (weekday == s.weekly_day && in_window(s.weekly_at, &at)) {
      // The week before the one this day is in: its Monday names it.
      int64_t this_monday = day - (weekday - 1);
      std::string date = DateText(CivilFromDays(this_monday - 7));
      weekly.push_back({Kind::kWeekly, date, 0, 0, "weekly:" + date + ":", at});
    }
    Ymd ymd = CivilFromDays(day);
    if (ymd.d == s.monthly_day && in_window(s.monthly_at, &at)) {
      int y = ymd.m == 1 ? ymd.y - 1 : ymd.y;
      int m = ymd.m == 1 ? 12 : ymd.m - 1;
      std::string date = DateText({y, m, 1});
      monthly.push_back({Kind::kMonthly, date, 0, 0, "monthly:" + date.substr(0, 7) + ":", at});
    }
  }
  std::vector<DueReport> out;
  for (auto* list : {&daily, &weekly, &monthly}) {
    size_t skip = list->size() > static_cast<size_t>(max_per_kind)
                      ? list->size() - static_cast<size_t>(max_per_kind)
                      : 0;
    out.insert(out.end(), list->begin() + static_cast<std::ptrdiff_t>(skip), list->end());
  }
  std::stable_sort(out.begin(), out.end(), [](const DueReport& a, const DueReport& b) {
    return a.scheduled_at < b.scheduled_at;
  });
  return out;
}

std::vector<DueReport> DueFlashReports(const Schedule& s, const std::vector<GradedEvent>& events,
                                       core::TimePoint now) {
  std::vector<DueReport> out;
  if (!s.flash) return out;
  for (const GradedEvent& e : events) {
    if (e.grade < 1 || e.grade > 2) continue;
    out.push_back(
        {Kind::kFlash, "", e.id, e.grade, fmt::format("flash:{}:{}", e.id, e.grade), now});
  }
  return out;
}

}  // namespace yuqing::reports
