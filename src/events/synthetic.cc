#include "events/synthetic.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace yuqing::events {
namespace {

// A uniform double in [0, 1) from the top 53 bits of one mt19937_64 draw.
double Uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

// An exponential gap of the given rate (inverse CDF); 1 − u is in (0, 1].
double Exponential(std::mt19937_64& rng, double rate) { return -std::log(1 - Uniform(rng)) / rate; }

}  // namespace

SyntheticStream GenerateStream(const SyntheticOptions& o) {
  std::mt19937_64 rng(o.seed);
  SyntheticStream s;
  const double base = o.base_per_10min / 600.0;  // per second
  const double max_rate = base * (1 + o.diurnal);
  const double end = static_cast<double>(o.start_s + o.length_s);

  // Quiet stream by thinning: candidates at max_rate, each kept with probability λ(t)/max_rate.
  for (double t = static_cast<double>(o.start_s) + Exponential(rng, max_rate); t < end;
       t += Exponential(rng, max_rate)) {
    const double phase = 2 * std::numbers::pi * (t - static_cast<double>(o.start_s)) / 86400.0;
    const double rate = base * (1 + o.diurnal * std::sin(phase));
    if (Uniform(rng) * max_rate < rate) s.times.push_back(static_cast<int64_t>(t));
  }

  // Bursts: one per slot after the warm-up, at a random offset in the slot's first half.
  if (o.bursts > 0) {
    const int64_t usable = o.length_s - o.warmup_s;
    const int64_t slot = usable / o.bursts;
    for (int i = 0; i < o.bursts; ++i) {
      const int64_t slot_start = o.start_s + o.warmup_s + i * slot;
      const int64_t room = std::max<int64_t>(1, slot / 2);
      const int64_t start =
          slot_start + static_cast<int64_t>(Uniform(rng) * static_cast<double>(room));
      const int64_t stop = std::min(start + o.burst_length_s, o.start_s + o.length_s);
      s.bursts.push_back({start, stop});
      const double rate = o.burst_multiplier * base;
      for (double t = static_cast<double>(start) + Exponential(rng, rate);
           t < static_cast<double>(stop); t += Exponential(rng, rate)) {
        s.times.push_back(static_cast<int64_t>(t));
      }
    }
  }
  std::sort(s.times.begin(), s.times.end());
  return s;
}

BurstScore ScoreBursts(const SyntheticStream& s, const std::vector<int64_t>& signals,
                       const SyntheticOptions& o, int64_t recovery_s) {
  BurstScore score;
  score.bursts = static_cast<int>(s.bursts.size());
  for (const InjectedBurst& b : s.bursts) {
    auto it = std::lower_bound(signals.begin(), signals.end(), b.start_s);
    if (it != signals.end() && *it < b.end_s) {
      ++score.detected;
      score.delays_s.push_back(*it - b.start_s);
      if (*it - b.start_s <= 600) ++score.within_10min;
    }
  }
  const int64_t quiet_from = o.start_s + o.warmup_s;
  const int64_t stop = o.start_s + o.length_s;
  auto in_burst_zone = [&](int64_t t) {
    for (const InjectedBurst& b : s.bursts) {
      if (t >= b.start_s && t < b.end_s + recovery_s) return true;
    }
    return false;
  };
  for (int64_t t : signals) {
    if (t >= quiet_from && t < stop && !in_burst_zone(t)) ++score.false_alarms;
  }
  int64_t excluded = 0;
  for (const InjectedBurst& b : s.bursts) {
    excluded += std::min(stop, b.end_s + recovery_s) - b.start_s;
  }
  score.quiet_hours = static_cast<double>(stop - quiet_from - excluded) / 3600.0;
  return score;
}

}  // namespace yuqing::events
