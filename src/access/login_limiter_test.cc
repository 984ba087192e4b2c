#include "access/login_limiter.h"

#include <gtest/gtest.h>

namespace yuqing::access {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

core::TimePoint T0() { return core::TimePoint(std::chrono::milliseconds(1'800'000'000'000)); }

LoginLimits Small() {
  LoginLimits l;
  l.failures_per_user = 3;
  l.failures_per_address = 5;
  l.window = minutes(15);
  return l;
}

TEST(LoginLimiterTest, RefusesAUserAfterTheLimitUntilTheOldestFailureLeavesTheWindow) {
  LoginLimiter lim(Small());
  auto t = T0();
  for (int i = 0; i < 3; ++i) {
    EXPECT_FALSE(lim.Check("wang", "10.0.0.1", t));
    lim.RecordFailure("wang", "10.0.0.1", t);
    t += minutes(1);
  }
  auto r = lim.Check("wang", "10.0.0.9", t);  // another address: the user's limit still holds
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->by_user);
  EXPECT_EQ(r->failures, 3);
  // The first failure was at T0; it leaves the window at T0+15 min, 12 minutes from now.
  EXPECT_EQ(r->retry_after, minutes(12));
  EXPECT_FALSE(lim.Check("li", "10.0.0.9", t)) << "other users are not affected";
  EXPECT_FALSE(lim.Check("wang", "10.0.0.1", T0() + minutes(15)));
}

TEST(LoginLimiterTest, RefusesAnAddressTryingManyNames) {
  LoginLimiter lim(Small());
  auto t = T0();
  for (int i = 0; i < 5; ++i) lim.RecordFailure("user" + std::to_string(i), "10.0.0.1", t);
  auto r = lim.Check("someone-new", "10.0.0.1", t + seconds(30));
  ASSERT_TRUE(r);
  EXPECT_FALSE(r->by_user);
  EXPECT_EQ(r->retry_after, seconds(15 * 60 - 30));
  EXPECT_FALSE(lim.Check("someone-new", "10.0.0.2", t + seconds(30)));
}

TEST(LoginLimiterTest, SuccessClearsTheUserButNotTheAddress) {
  LoginLimiter lim(Small());
  auto t = T0();
  for (int i = 0; i < 2; ++i) lim.RecordFailure("wang", "10.0.0.1", t);
  lim.RecordSuccess("wang");
  lim.RecordFailure("wang", "10.0.0.1", t);
  lim.RecordFailure("wang", "10.0.0.1", t);
  EXPECT_FALSE(lim.Check("wang", "10.0.0.1", t)) << "two failures since the success, limit 3";
  lim.RecordFailure("x", "10.0.0.1", t);
  EXPECT_TRUE(lim.Check("y", "10.0.0.1", t)) << "the address counted all five failures";
}

TEST(LoginLimiterTest, RetryAfterIsAtLeastOneSecond) {
  LoginLimiter lim(Small());
  for (int i = 0; i < 3; ++i) lim.RecordFailure("wang", "a", T0());
  auto r = lim.Check("wang", "a", T0() + minutes(15) - std::chrono::milliseconds(1));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->retry_after, seconds(1));
}

TEST(LoginLimiterTest, KeepsAtMostMaxKeysForgettingTheStalest) {
  LoginLimits l = Small();
  l.max_keys = 4;
  LoginLimiter lim(l);
  for (int k = 0; k < 3; ++k) lim.RecordFailure("old", "a" + std::to_string(k), T0());
  for (int i = 0; i < 10; ++i) {
    lim.RecordFailure("n" + std::to_string(i), "b", T0() + minutes(1) + seconds(i));
  }
  // "old" was the stalest user key and has been forgotten.
  EXPECT_FALSE(lim.Check("old", "z", T0() + minutes(2)));
  lim.RecordFailure("n9", "b", T0() + minutes(2));
  lim.RecordFailure("n9", "b", T0() + minutes(2));
  EXPECT_TRUE(lim.Check("n9", "z", T0() + minutes(2)));
}

}  // namespace
}  // namespace yuqing::access
