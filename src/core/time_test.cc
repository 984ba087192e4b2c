#include "core/time.h"

#include <gtest/gtest.h>

namespace yuqing::core {
namespace {

TEST(TimeTest, ParsesOffsetsToTheSameInstant) {
  auto a = ParseIso8601("2026-11-21T08:30:00+08:00");
  auto b = ParseIso8601("2026-11-21T00:30:00Z");
  auto c = ParseIso8601("2026-11-21 08:30:00+0800");
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  ASSERT_TRUE(b.ok());
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(*a, *c);
  EXPECT_EQ(FormatIso8601(*a), "2026-11-21T00:30:00Z");
  EXPECT_EQ(FormatIso8601(*a, 480), "2026-11-21T08:30:00+08:00");
}

TEST(TimeTest, KeepsMilliseconds) {
  auto a = ParseIso8601("2026-01-02T03:04:05.25-05:30");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(FormatIso8601(*a), "2026-01-02T08:34:05.250Z");
}

TEST(TimeTest, RejectsWithReason) {
  struct Case {
    const char* in;
    const char* why;
  } cases[] = {
      {"2026-13-01T00:00:00Z", "no such calendar date"},
      {"2026-02-30T00:00:00Z", "no such calendar date"},
      {"2026-11-21T08:30:00", "missing UTC offset"},
      {"2026-11-21", "expected 'T' and a time"},
      {"yesterday", "expected YYYY-MM-DD"},
      {"2026-11-21T25:00:00Z", "time of day out of range"},
      {"2026-11-21T08:30:00+08:00junk", "unexpected characters"},
  };
  for (const auto& c : cases) {
    auto r = ParseIso8601(c.in);
    ASSERT_FALSE(r.ok()) << c.in;
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.status().message().find(c.why), std::string::npos)
        << c.in << " -> " << r.status().message();
  }
}

}  // namespace
}  // namespace yuqing::core
