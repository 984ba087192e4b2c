// When a failed delivery is tried again (docs/alerts.md "Retries"): exponential backoff,
//   delay(n) = min(max, base · 2^(n-1)) minus a jitter of up to a fifth of it,
// after the n-th failed attempt, and the dead-letter state once `max_attempts` attempts have
// failed. The jitter spreads the retries of many items that failed together (a receiver that
// was down) without making the schedule random: it is derived from the idempotency key and
// the attempt number, so a test or an operator can compute every retry time. Pure.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/clock.h"

namespace yuqing::alerts {

struct BackoffPolicy {
  std::chrono::milliseconds base{std::chrono::seconds(5)};
  std::chrono::milliseconds max{std::chrono::seconds(600)};
  int max_attempts = 8;  // attempts in all, the first one included
};

// The delay after `failed_attempts` (≥ 1) failed attempts of the item with `key`.
inline std::chrono::milliseconds RetryDelay(const BackoffPolicy& p, int failed_attempts,
                                            std::string_view key) {
  int64_t delay = p.base.count();
  for (int i = 1; i < failed_attempts && delay < p.max.count(); ++i) delay *= 2;
  delay = std::min(delay, static_cast<int64_t>(p.max.count()));
  // FNV-1a over the key and the attempt number: a fixed fraction in [0, 1).
  uint64_t h = 14695981039346656037ull;
  auto mix = [&h](unsigned char c) {
    h ^= c;
    h *= 1099511628211ull;
  };
  for (char c : key) mix(static_cast<unsigned char>(c));
  for (int i = 0; i < 4; ++i) mix(static_cast<unsigned char>(failed_attempts >> (8 * i)));
  double fraction = static_cast<double>(h >> 11) / static_cast<double>(uint64_t{1} << 53);
  return std::chrono::milliseconds(delay - static_cast<int64_t>(fraction * 0.2 * delay));
}

// When to try again after `failed_attempts` failures at `now`; nullopt: give up (dead letter).
inline std::optional<core::TimePoint> NextAttempt(const BackoffPolicy& p, int failed_attempts,
                                                  std::string_view key, core::TimePoint now) {
  if (failed_attempts >= p.max_attempts) return std::nullopt;
  return now + RetryDelay(p, failed_attempts, key);
}

}  // namespace yuqing::alerts
