// Failed-login limits: per user name and per client address, in a sliding window. A pure value
// with the time passed in (no clock, no I/O); the server keeps one behind a mutex.
//
// A login is refused before its password is checked while either key has `max_failures`
// failures within `window`; the answer says when it may be tried again (the moment the
// oldest failure in the window leaves it). A successful login clears the user's failures,
// not the address's (one person succeeding says nothing about what else that address tried).
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/clock.h"

namespace yuqing::access {

struct LoginLimits {
  int failures_per_user = 10;
  int failures_per_address = 30;
  std::chrono::seconds window{15 * 60};
  // Keys tracked at most (each kind); the stalest are forgotten beyond it, so a flood of
  // made-up names cannot grow memory without bound.
  size_t max_keys = 100000;
};

class LoginLimiter {
 public:
  explicit LoginLimiter(LoginLimits limits) : limits_(limits) {}

  struct Refusal {
    bool by_user = false;  // else by address
    int failures = 0;
    std::chrono::seconds retry_after{0};  // at least 1 s
  };
  // Whether a login of `user` from `address` at `now` is refused, and why.
  std::optional<Refusal> Check(std::string_view user, std::string_view address,
                               core::TimePoint now);
  void RecordFailure(std::string_view user, std::string_view address, core::TimePoint now);
  void RecordSuccess(std::string_view user);

  const LoginLimits& limits() const { return limits_; }

 private:
  using Times = std::deque<core::TimePoint>;
  struct Table {
    std::unordered_map<std::string, Times> keys;
  };
  // Drops failures older than the window; returns the failures left.
  Times* Live(Table& t, std::string_view key, core::TimePoint now);
  void Add(Table& t, std::string_view key, core::TimePoint now, int cap);

  LoginLimits limits_;
  Table users_;
  Table addresses_;
};

}  // namespace yuqing::access
