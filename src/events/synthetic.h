// A synthetic post-time stream with injected bursts, for testing and evaluating burst detection
// (eval/events_burst_eval.cc, docs/events.md "Trend and burst"). Deterministic for a seed on
// every platform: its own uniform draws from std::mt19937_64 (whose output the standard fixes)
// rather than std:: distributions (whose algorithms it does not).
//
// The quiet stream is a non-homogeneous Poisson process with a daily cycle,
//   λ(t) = base · (1 + diurnal · sin(2π (t − start) / 1 day)),
// drawn by thinning (Lewis & Shedler, Naval Research Logistics Quarterly 1979). A burst adds an
// independent homogeneous Poisson process of rate multiplier · base over [start, start + length).
#pragma once

#include <cstdint>
#include <vector>

namespace yuqing::events {

struct SyntheticOptions {
  uint64_t seed = 20261122;
  int64_t start_s = 1'767'225'600;  // 2026-01-01T00:00:00Z
  int64_t length_s = int64_t{14} * 86400;
  double base_per_10min = 5;    // mean quiet rate, posts per 10 minutes
  double diurnal = 0.5;         // relative amplitude of the daily cycle, in [0, 1)
  int bursts = 20;              // injected bursts, spread evenly with random jitter
  double burst_multiplier = 5;  // extra rate during a burst, in multiples of base
  int64_t burst_length_s = 3600;
  int64_t warmup_s = int64_t{12} * 3600;  // no burst in the first hours (the baseline must form)
};

struct InjectedBurst {
  int64_t start_s = 0;
  int64_t end_s = 0;
};

struct SyntheticStream {
  std::vector<int64_t> times;  // post times, sorted
  std::vector<InjectedBurst> bursts;
};

SyntheticStream GenerateStream(const SyntheticOptions& o);

// Scores a detector's burst start times against the injected bursts.
struct BurstScore {
  int bursts = 0;
  int detected = 0;               // a signal in [start, end)
  int within_10min = 0;           // … at most 600 s after start
  std::vector<int64_t> delays_s;  // per detected burst
  int false_alarms = 0;           // signals in quiet stretches
  double quiet_hours = 0;         // length of the quiet stretches
};
// Quiet stretches: after warmup, outside [start, end + recovery) of every burst.
BurstScore ScoreBursts(const SyntheticStream& s, const std::vector<int64_t>& signals,
                       const SyntheticOptions& o, int64_t recovery_s = int64_t{2} * 3600);

}  // namespace yuqing::events
