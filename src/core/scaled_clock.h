// core::ScaledClock: the system clock, or one running faster (or slower) from an anchor.
#pragma once

#include "core/clock.h"

namespace yuqing::core {

// A clock that runs `speed` times as fast as the system clock from an anchor: at system time
// `real_anchor` it reads `anchor`. Unset (the default) it is the system clock. A demo database
// keeps one (`yuqing clock`), so that a recorded stream replays in hours of event time per
// minute and its deadlines run out while one watches; every process on that database reads
// the same time. Set it before the threads that read it start.
class ScaledClock final : public Clock {
 public:
  TimePoint Now() const override {
    TimePoint real = SystemClock().Now();
    if (!scaled_) return real;
    auto elapsed = static_cast<double>((real - real_anchor_).count());
    return anchor_ + std::chrono::milliseconds(static_cast<int64_t>(elapsed * speed_));
  }
  void Set(TimePoint real_anchor, TimePoint anchor, double speed) {
    real_anchor_ = real_anchor;
    anchor_ = anchor;
    speed_ = speed;
    scaled_ = true;
  }
  bool scaled() const { return scaled_; }
  double speed() const { return scaled_ ? speed_ : 1.0; }

 private:
  bool scaled_ = false;
  TimePoint real_anchor_{};
  TimePoint anchor_{};
  double speed_ = 1.0;
};

}  // namespace yuqing::core
