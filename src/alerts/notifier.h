// AlertNotifier: the wake-up line between the event stage, which commits new alerts, and
// the things that send them on — the outbox deliverer and the live (SSE) streams. Carries
// only "the newest alert id is now N"; the alerts themselves are read from the store, so a
// wake-up that is missed costs at most one wait timeout, never an alert.
// Thread-safe; shared by reference.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace yuqing::alerts {

class AlertNotifier {
 public:
  // Called after a commit that inserted alerts (ids up to `newest_id`) or outbox items.
  void Notify(int64_t newest_id) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (newest_id > newest_) newest_ = newest_id;
      ++generation_;
    }
    cv_.notify_all();
  }
  // Waits until an alert newer than `seen` is announced or `timeout` passes; returns the
  // newest announced id (which may still be ≤ seen after a timeout).
  int64_t WaitNewer(int64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return newest_ > seen || stopped_; });
    return newest_;
  }
  // Waits for any Notify() after `generation` (see generation()) or the timeout.
  uint64_t WaitGeneration(uint64_t generation, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return generation_ != generation || stopped_; });
    return generation_;
  }
  uint64_t generation() const {
    std::lock_guard<std::mutex> lock(mu_);
    return generation_;
  }
  // Wakes every waiter for good (shutdown).
  void Stop() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stopped_ = true;
    }
    cv_.notify_all();
  }
  bool stopped() const {
    std::lock_guard<std::mutex> lock(mu_);
    return stopped_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  int64_t newest_ = 0;
  uint64_t generation_ = 0;
  bool stopped_ = false;
};

}  // namespace yuqing::alerts
