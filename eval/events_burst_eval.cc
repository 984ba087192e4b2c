// Burst-detection delay and false-alarm rate on synthetic streams with injected bursts
// (events/synthetic.h): a grid of quiet rates and burst sizes, several seeds each, one
// BurstDetector per stream with the default options. Prints the table in docs/events.md.
//
//   build/ev2/src/events/events_burst_eval            # ~1 s
//   build/ev2/src/events/events_burst_eval --seeds 10
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "events/synthetic.h"
#include "events/trend.h"

namespace {

using yuqing::events::BurstDetector;
using yuqing::events::BurstScore;
using yuqing::events::GenerateStream;
using yuqing::events::ScoreBursts;
using yuqing::events::SyntheticOptions;

double Percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return static_cast<double>(v[i]);
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 5;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0) seeds = std::atoi(argv[i + 1]);
  }
  std::printf(
      "| quiet posts/10 min | burst extra rate | bursts | detected | within 10 min | "
      "median delay | p90 delay | false alarms | quiet hours | false alarms / quiet day |\n");
  std::printf("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (double base : {1.0, 2.0, 5.0, 20.0, 100.0}) {
    for (double mult : {3.0, 5.0, 10.0}) {
      BurstScore total;
      for (int seed = 0; seed < seeds; ++seed) {
        SyntheticOptions o;
        o.seed = 1000 + static_cast<uint64_t>(seed);
        o.base_per_10min = base;
        o.burst_multiplier = mult;
        auto stream = GenerateStream(o);
        BurstDetector d;
        std::vector<int64_t> signals;
        for (int64_t t : stream.times) {
          if (auto b = d.Add(t)) signals.push_back(b->at_s);
        }
        BurstScore s = ScoreBursts(stream, signals, o);
        total.bursts += s.bursts;
        total.detected += s.detected;
        total.within_10min += s.within_10min;
        total.delays_s.insert(total.delays_s.end(), s.delays_s.begin(), s.delays_s.end());
        total.false_alarms += s.false_alarms;
        total.quiet_hours += s.quiet_hours;
      }
      std::printf(
          "| %g | ×%g | %d | %d (%.0f%%) | %d (%.0f%%) | %.0f s | %.0f s | %d | %.0f | %.3f |\n",
          base, mult, total.bursts, total.detected,
          100.0 * total.detected / std::max(1, total.bursts), total.within_10min,
          100.0 * total.within_10min / std::max(1, total.bursts), Percentile(total.delays_s, 0.5),
          Percentile(total.delays_s, 0.9), total.false_alarms, total.quiet_hours,
          24.0 * total.false_alarms / std::max(1.0, total.quiet_hours));
    }
  }
  return 0;
}
