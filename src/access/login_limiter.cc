#include "access/login_limiter.h"

#include <algorithm>

namespace yuqing::access {

LoginLimiter::Times* LoginLimiter::Live(Table& t, std::string_view key, core::TimePoint now) {
  auto it = t.keys.find(std::string(key));
  if (it == t.keys.end()) return nullptr;
  Times& times = it->second;
  while (!times.empty() && times.front() + limits_.window <= now) times.pop_front();
  if (times.empty()) {
    t.keys.erase(it);
    return nullptr;
  }
  return &times;
}

void LoginLimiter::Add(Table& t, std::string_view key, core::TimePoint now, int cap) {
  if (t.keys.size() >= limits_.max_keys && t.keys.find(std::string(key)) == t.keys.end()) {
    // Forget the key whose newest failure is oldest. Linear, but only when the table is full,
    // which takes a flood of distinct names or addresses.
    auto stalest = std::min_element(t.keys.begin(), t.keys.end(), [](const auto& a, const auto& b) {
      return a.second.back() < b.second.back();
    });
    t.keys.erase(stalest);
  }
  Times& times = t.keys[std::string(key)];
  times.push_back(now);
  // Only the newest `cap` failures decide anything.
  while (static_cast<int>(times.size()) > std::max(cap, 1)) times.pop_front();
}

std::optional<LoginLimiter::Refusal> LoginLimiter::Check(std::string_view user,
                                                         std::string_view address,
                                                         core::TimePoint now) {
  auto refuse = [&](Times* times, int cap, bool by_user) -> std::optional<Refusal> {
    if (times == nullptr || static_cast<int>(times->size()) < cap) return std::nullopt;
    Refusal r;
    r.by_user = by_user;
    r.failures = static_cast<int>(times->size());
    auto free_at = times->front() + limits_.window;
    auto wait = std::chrono::ceil<std::chrono::seconds>(free_at - now);
    r.retry_after = std::max(wait, std::chrono::seconds(1));
    return r;
  };
  if (auto r = refuse(Live(users_, user, now), limits_.failures_per_user, true)) return r;
  return refuse(Live(addresses_, address, now), limits_.failures_per_address, false);
}

void LoginLimiter::RecordFailure(std::string_view user, std::string_view address,
                                 core::TimePoint now) {
  Add(users_, user, now, limits_.failures_per_user);
  Add(addresses_, address, now, limits_.failures_per_address);
}

void LoginLimiter::RecordSuccess(std::string_view user) { users_.keys.erase(std::string(user)); }

}  // namespace yuqing::access
