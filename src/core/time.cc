#include "core/time.h"

#include <fmt/format.h>

#include <cctype>

namespace yuqing::core {
namespace {

bool ReadDigits(std::string_view s, size_t& pos, int n, int& out) {
  if (pos + n > s.size()) return false;
  int v = 0;
  for (int i = 0; i < n; ++i) {
    char c = s[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  out = v;
  pos += n;
  return true;
}

bool Expect(std::string_view s, size_t& pos, char c) {
  if (pos < s.size() && s[pos] == c) {
    ++pos;
    return true;
  }
  return false;
}

Status Bad(std::string_view text, std::string_view why) {
  return Status::InvalidArgument(
      fmt::format("\"{}\" is not an ISO-8601 date-time with offset ({})", text, why));
}

}  // namespace

Result<TimePoint> ParseIso8601(std::string_view text) {
  if (text.size() > 64) return Bad(text.substr(0, 64), "too long");
  size_t p = 0;
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  if (!ReadDigits(text, p, 4, y) || !Expect(text, p, '-') || !ReadDigits(text, p, 2, mo) ||
      !Expect(text, p, '-') || !ReadDigits(text, p, 2, d)) {
    return Bad(text, "expected YYYY-MM-DD");
  }
  if (p >= text.size() || (text[p] != 'T' && text[p] != 't' && text[p] != ' ')) {
    return Bad(text, "expected 'T' and a time after the date");
  }
  ++p;
  if (!ReadDigits(text, p, 2, h) || !Expect(text, p, ':') || !ReadDigits(text, p, 2, mi)) {
    return Bad(text, "expected hh:mm");
  }
  if (Expect(text, p, ':')) {
    if (!ReadDigits(text, p, 2, sec)) return Bad(text, "expected seconds after ':'");
    if (Expect(text, p, '.') || Expect(text, p, ',')) {
      int digits = 0;
      int frac = 0;
      while (p < text.size() && std::isdigit(static_cast<unsigned char>(text[p]))) {
        if (digits < 3) frac = frac * 10 + (text[p] - '0');
        ++digits;
        ++p;
      }
      if (digits == 0) return Bad(text, "expected digits after the decimal point");
      for (int i = digits; i < 3; ++i) frac *= 10;
      ms = frac;
    }
  }
  int offset_min = 0;
  if (p >= text.size()) return Bad(text, "missing UTC offset such as +08:00 or Z");
  if (text[p] == 'Z' || text[p] == 'z') {
    ++p;
  } else if (text[p] == '+' || text[p] == '-') {
    int sign = text[p] == '-' ? -1 : 1;
    ++p;
    int oh = 0, om = 0;
    if (!ReadDigits(text, p, 2, oh)) return Bad(text, "expected offset hours");
    Expect(text, p, ':');
    if (p < text.size() && !ReadDigits(text, p, 2, om)) return Bad(text, "expected offset minutes");
    if (oh > 14 || om > 59) return Bad(text, "offset out of range");
    offset_min = sign * (oh * 60 + om);
  } else {
    return Bad(text, "missing UTC offset such as +08:00 or Z");
  }
  if (p != text.size()) return Bad(text, "unexpected characters after the offset");

  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  if (y < 1970 || y > 2200) return Bad(text, "year out of range 1970-2200");
  year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return Bad(text, "no such calendar date");
  if (h > 23 || mi > 59 || sec > 60) return Bad(text, "time of day out of range");
  if (sec == 60) sec = 59;  // leap second: clamp.
  sys_days days{ymd};
  TimePoint t = time_point_cast<milliseconds>(days) + hours(h) + minutes(mi) + seconds(sec) +
                milliseconds(ms) - minutes(offset_min);
  return t;
}

std::string FormatIso8601(TimePoint t) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  hh_mm_ss<milliseconds> tod{t - days};
  std::string s = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", static_cast<int>(ymd.year()),
                              static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                              tod.hours().count(), tod.minutes().count(), tod.seconds().count());
  if (tod.subseconds().count() != 0) s += fmt::format(".{:03}", tod.subseconds().count());
  s += 'Z';
  return s;
}

std::string FormatIso8601(TimePoint t, int offset_minutes) {
  using namespace std::chrono;  // NOLINT(google-build-using-namespace)
  TimePoint local = t + minutes(offset_minutes);
  std::string s = FormatIso8601(local);
  s.pop_back();  // 'Z'
  int a = offset_minutes < 0 ? -offset_minutes : offset_minutes;
  s += fmt::format("{}{:02}:{:02}", offset_minutes < 0 ? '-' : '+', a / 60, a % 60);
  return s;
}

}  // namespace yuqing::core
