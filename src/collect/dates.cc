// The date reader tries the strict forms first (RFC 822, ISO 8601 with an offset), then reads
// numbers out of the text: a label such as 发布时间： before the date is skipped, 年 月 日 时 分
// 秒 and - / . : separate fields, so one scanner covers the Chinese and the numeric forms.
#include "collect/dates.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "core/time.h"

namespace yuqing::collect {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

Status Unreadable(std::string_view text) {
  return Status::InvalidArgument(fmt::format("\"{}\" is not a date this reader knows", text));
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::string_view Trim(std::string_view s) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && space(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  // A full-width space (U+3000) around the date.
  while (s.starts_with("\u3000")) s.remove_prefix(3);
  while (s.ends_with("\u3000")) s.remove_suffix(3);
  return s;
}

// A civil date and time in a zone → the instant.
core::TimePoint FromCivil(int y, unsigned mo, unsigned d, int h, int mi, int s, int offset_min) {
  auto day =
      std::chrono::sys_days(std::chrono::year(y) / std::chrono::month(mo) / std::chrono::day(d));
  auto t = std::chrono::time_point_cast<std::chrono::milliseconds>(day) + hours(h) + minutes(mi) +
           seconds(s) - minutes(offset_min);
  return t;
}

bool ValidCivil(int y, int mo, int d, int h, int mi, int s) {
  if (y < 1970 || y > 2200 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 ||
      s < 0 || s > 60) {
    return false;
  }
  auto ymd = std::chrono::year(y) / std::chrono::month(static_cast<unsigned>(mo)) /
             std::chrono::day(static_cast<unsigned>(d));
  return ymd.ok();
}

// The civil date (in the zone) of an instant.
std::chrono::year_month_day CivilDay(core::TimePoint t, int offset_min) {
  return std::chrono::year_month_day(std::chrono::floor<days>(t + minutes(offset_min)));
}

// RFC 822 / 1123: "Mon, 16 Nov 2026 09:12:00 +0800", "16 Nov 2026 09:12 GMT".
std::optional<core::TimePoint> ParseRfc822(std::string_view s, int tz) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  std::vector<std::string> parts;
  std::string cur;
  for (char c : s) {
    if (c == ' ' || c == ',') {
      if (!cur.empty()) parts.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (!cur.empty()) parts.push_back(cur);
  size_t i = 0;
  if (i < parts.size() && !parts[i].empty() && !IsDigit(parts[i][0])) ++i;  // weekday
  if (parts.size() < i + 4) return std::nullopt;
  int day = std::atoi(parts[i].c_str());
  std::string mon = parts[i + 1].substr(0, 3);
  for (char& c : mon) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  int month = 0;
  for (size_t m = 0; m < kMonths.size(); ++m) {
    if (kMonths[m] == mon) month = static_cast<int>(m) + 1;
  }
  if (month == 0) return std::nullopt;
  int year = std::atoi(parts[i + 2].c_str());
  if (year < 100) year += year < 70 ? 2000 : 1900;
  int h = 0, mi = 0, sec = 0;
  if (std::sscanf(parts[i + 3].c_str(), "%d:%d:%d", &h, &mi, &sec) < 2) return std::nullopt;
  int offset = tz;
  if (parts.size() > i + 4) {
    std::string z = parts[i + 4];
    if ((z[0] == '+' || z[0] == '-') && z.size() == 5) {
      int v = std::atoi(z.c_str() + 1);
      offset = (v / 100 * 60 + v % 100) * (z[0] == '-' ? -1 : 1);
    } else if (z == "GMT" || z == "UT" || z == "UTC" || z == "Z") {
      offset = 0;
    } else if (z == "CST" || z == "CCT") {
      offset = 480;  // China Standard Time, as Chinese feeds mean it
    } else if (z == "EST") {
      offset = -300;
    } else if (z == "EDT") {
      offset = -240;
    } else if (z == "PST") {
      offset = -480;
    } else if (z == "PDT") {
      offset = -420;
    } else {
      return std::nullopt;
    }
  }
  if (!ValidCivil(year, month, day, h, mi, sec)) return std::nullopt;
  return FromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day), h, mi, sec,
                   offset);
}

// Relative forms: 刚刚, N秒前, N分钟前, N小时前, N天前, 今天/昨天/前天 HH:MM.
std::optional<core::TimePoint> ParseRelative(std::string_view s, core::TimePoint now, int tz) {
  if (s == "刚刚" || s == "just now") return now;
  size_t i = 0;
  int n = 0;
  while (i < s.size() && IsDigit(s[i])) n = n * 10 + (s[i++] - '0');
  if (i > 0) {
    std::string_view unit = Trim(s.substr(i));
    if (unit == "秒前") return now - seconds(n);
    if (unit == "分钟前" || unit == "分前") return now - minutes(n);
    if (unit == "小时前") return now - hours(n);
    if (unit == "天前") return now - days(n);
    if (unit == "周前") return now - days(7 * n);
    return std::nullopt;
  }
  int back = -1;
  std::string_view rest;
  for (auto [word, d] : {std::pair<std::string_view, int>{"今天", 0}, {"昨天", 1}, {"前天", 2}}) {
    if (s.starts_with(word)) {
      back = d;
      rest = Trim(s.substr(word.size()));
    }
  }
  if (back < 0) return std::nullopt;
  int h = 0, mi = 0;
  if (!rest.empty() && std::sscanf(std::string(rest).c_str(), "%d:%d", &h, &mi) != 2) {
    return std::nullopt;
  }
  if (h > 23 || mi > 59 || h < 0 || mi < 0) return std::nullopt;
  auto today = CivilDay(now, tz);
  auto day = std::chrono::year_month_day(std::chrono::sys_days(today) - days(back));
  return FromCivil(static_cast<int>(day.year()), static_cast<unsigned>(day.month()),
                   static_cast<unsigned>(day.day()), h, mi, 0, tz);
}

// Numbers of a date: 2026年11月16日 09:12, 2026-11-16 09:12:30, 2026/11/16, 11-16 09:12.
std::optional<core::TimePoint> ParseNumeric(std::string_view s, core::TimePoint now, int tz) {
  std::vector<int> nums;
  std::vector<size_t> widths;
  bool has_offset = false;
  int offset = tz;
  size_t i = 0;
  bool time_started = false;
  while (i < s.size()) {
    if (IsDigit(s[i])) {
      int v = 0;
      size_t start = i;
      while (i < s.size() && IsDigit(s[i])) v = v * 10 + (s[i++] - '0');
      nums.push_back(v);
      widths.push_back(i - start);
      continue;
    }
    // An offset after the time: +08:00, +0800, Z.
    if (time_started && (s[i] == '+' || (s[i] == '-' && nums.size() >= 4))) {
      int sign = s[i] == '-' ? -1 : 1;
      std::string z(s.substr(i + 1));
      int hh = 0, mm = 0;
      if (z.size() >= 5 && z[2] == ':') {
        hh = std::atoi(z.substr(0, 2).c_str());
        mm = std::atoi(z.substr(3, 2).c_str());
      } else if (z.size() >= 4) {
        hh = std::atoi(z.substr(0, 2).c_str());
        mm = std::atoi(z.substr(2, 2).c_str());
      } else {
        return std::nullopt;
      }
      offset = sign * (hh * 60 + mm);
      has_offset = true;
      break;
    }
    if (s[i] == 'Z' && time_started) {
      offset = 0;
      has_offset = true;
      break;
    }
    if (s[i] == ':' || s[i] == 'T' || s.substr(i).starts_with("时")) time_started = true;
    ++i;
  }
  (void)has_offset;
  if (nums.size() < 2) return std::nullopt;
  int y = 0, mo = 0, d = 0;
  size_t next = 0;
  if (widths[0] == 4) {
    if (nums.size() < 3) return std::nullopt;
    y = nums[0];
    mo = nums[1];
    d = nums[2];
    next = 3;
  } else if (widths[0] == 8 && nums.size() >= 1) {  // 20261116
    y = nums[0] / 10000;
    mo = nums[0] / 100 % 100;
    d = nums[0] % 100;
    next = 1;
  } else {
    // Month and day without a year: the year that puts the date at or before now.
    mo = nums[0];
    d = nums[1];
    next = 2;
    y = static_cast<int>(CivilDay(now, tz).year());
  }
  int h = next < nums.size() ? nums[next] : 0;
  int mi = next + 1 < nums.size() ? nums[next + 1] : 0;
  int sec = next + 2 < nums.size() ? nums[next + 2] : 0;
  if (!ValidCivil(y, mo, d, h, mi, sec)) return std::nullopt;
  auto t = FromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, sec, offset);
  if (widths[0] != 4 && widths[0] != 8 && t > now + days(1) &&
      ValidCivil(y - 1, mo, d, h, mi, sec)) {
    t = FromCivil(y - 1, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi, sec, offset);
  }
  return t;
}

}  // namespace

Result<core::TimePoint> ParseLooseDate(std::string_view text, core::TimePoint now,
                                       int tz_offset_minutes) {
  std::string_view s = Trim(text);
  if (s.empty()) return Status::InvalidArgument("the date is empty");
  if (auto iso = core::ParseIso8601(s); iso.ok()) return *iso;
  if (auto r = ParseRfc822(s, tz_offset_minutes)) return *r;
  // A label before the date (发布时间：, 日期: , 时间 ), up to the first digit or relative word.
  std::string_view body = s;
  for (std::string_view label : {"：", ":"}) {
    size_t at = body.find(label);
    if (at != std::string_view::npos && at > 0 && !IsDigit(body[0]) && !body.starts_with("今天") &&
        !body.starts_with("昨天") && !body.starts_with("前天")) {
      body = Trim(body.substr(at + label.size()));
      break;
    }
  }
  if (auto r = ParseRelative(body, now, tz_offset_minutes)) return *r;
  if (!body.empty() && IsDigit(body[0])) {
    if (auto r = ParseNumeric(body, now, tz_offset_minutes)) return *r;
  }
  return Unreadable(text);
}

}  // namespace yuqing::collect
