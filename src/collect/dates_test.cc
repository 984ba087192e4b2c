#include "collect/dates.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace yuqing::collect {
namespace {

// The reader's clock: Monday 2026-11-16 14:30 in Beijing.
const core::TimePoint kNow = *core::ParseIso8601("2026-11-16T14:30:00+08:00");

std::string Read(std::string_view text, int tz = 480) {
  auto t = ParseLooseDate(text, kNow, tz);
  if (!t.ok()) return "error: " + t.status().message();
  return core::FormatIso8601(*t, 480);
}

TEST(LooseDateTest, ReadsTheFormsFeedsAndPortalsWrite) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"Mon, 16 Nov 2026 09:12:00 +0800", "2026-11-16T09:12:00+08:00"},
      {"Mon, 16 Nov 2026 01:12:00 GMT", "2026-11-16T09:12:00+08:00"},
      {"16 Nov 2026 09:12 CST", "2026-11-16T09:12:00+08:00"},
      {"2026-11-16T01:12:00Z", "2026-11-16T09:12:00+08:00"},
      {"2026-11-16T09:12:00+08:00", "2026-11-16T09:12:00+08:00"},
      {"2026-11-16 09:12", "2026-11-16T09:12:00+08:00"},
      {"2026-11-16 09:12:30", "2026-11-16T09:12:30+08:00"},
      {"2026/11/16 09:12", "2026-11-16T09:12:00+08:00"},
      {"2026年11月16日 09:12", "2026-11-16T09:12:00+08:00"},
      {"2026年11月16日09时12分", "2026-11-16T09:12:00+08:00"},
      {"发布时间：2026-11-16", "2026-11-16T00:00:00+08:00"},
      {"发布日期: 2026年11月16日", "2026-11-16T00:00:00+08:00"},
      {"  2026-11-16\u3000", "2026-11-16T00:00:00+08:00"},
      {"3小时前", "2026-11-16T11:30:00+08:00"},
      {"25分钟前", "2026-11-16T14:05:00+08:00"},
      {"2天前", "2026-11-14T14:30:00+08:00"},
      {"刚刚", "2026-11-16T14:30:00+08:00"},
      {"昨天 10:40", "2026-11-15T10:40:00+08:00"},
      {"前天 08:05", "2026-11-14T08:05:00+08:00"},
      {"今天 09:00", "2026-11-16T09:00:00+08:00"},
      {"11-16 09:12", "2026-11-16T09:12:00+08:00"},
      // A year-less date after today is last year's.
      {"12-30 09:12", "2025-12-30T09:12:00+08:00"},
  };
  for (const auto& c : cases) EXPECT_EQ(Read(c.text), c.want) << c.text;
}

TEST(LooseDateTest, DatesWithoutAnOffsetAreReadInTheSourcesZone) {
  EXPECT_EQ(Read("2026-11-16 09:12", 0), "2026-11-16T17:12:00+08:00");
  EXPECT_EQ(Read("2026年11月16日 09:12", -300), "2026-11-16T22:12:00+08:00");
  // "Yesterday" is the source's yesterday: at 14:30 in Beijing it is still the 16th in UTC.
  EXPECT_EQ(Read("昨天 10:40", 0), "2026-11-15T18:40:00+08:00");
}

TEST(LooseDateTest, NonsenseIsAnErrorThatQuotesTheText) {
  EXPECT_EQ(Read("下周某天"), "error: \"下周某天\" is not a date this reader knows");
  EXPECT_EQ(Read("2026-13-45"), "error: \"2026-13-45\" is not a date this reader knows");
  EXPECT_EQ(Read(""), "error: the date is empty");
  EXPECT_TRUE(Read("昨天 25:99").starts_with("error:"));
}

}  // namespace
}  // namespace yuqing::collect
