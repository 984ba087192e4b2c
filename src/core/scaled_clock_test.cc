#include "core/scaled_clock.h"

#include <gtest/gtest.h>

namespace yuqing::core {
namespace {

TimePoint SystemNow() {
  return std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

TEST(ScaledClockTest, UnsetItIsTheSystemClock) {
  ScaledClock clock;
  EXPECT_FALSE(clock.scaled());
  EXPECT_EQ(clock.speed(), 1.0);
  auto d = clock.Now() - SystemNow();
  EXPECT_LE(std::chrono::abs(d), std::chrono::seconds(1));
}

TEST(ScaledClockTest, RunsSpeedTimesAsFastFromItsAnchor) {
  ScaledClock clock;
  TimePoint anchor = TimePoint(std::chrono::milliseconds(1'763'251'200'000));  // 2025-11-16
  // Anchored 10 real seconds ago at 600×: 6,000 s of event time have passed since.
  clock.Set(SystemNow() - std::chrono::seconds(10), anchor, 600.0);
  EXPECT_TRUE(clock.scaled());
  EXPECT_EQ(clock.speed(), 600.0);
  auto passed = clock.Now() - anchor;
  EXPECT_GE(passed, std::chrono::seconds(6000));
  EXPECT_LE(passed, std::chrono::seconds(6000 + 600));  // less than a real second later
  // Slower than real time works too.
  clock.Set(SystemNow() - std::chrono::seconds(10), anchor, 0.5);
  passed = clock.Now() - anchor;
  EXPECT_GE(passed, std::chrono::seconds(5));
  EXPECT_LE(passed, std::chrono::seconds(6));
}

}  // namespace
}  // namespace yuqing::core
