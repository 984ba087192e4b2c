// Burst-detection delay and false-alarm rate on synthetic streams with injected bursts
// (events/synthetic.h): a grid of quiet rates and burst sizes, several seeds each, one
// BurstDetector per stream with the default options. Prints the table in docs/events.md.
//
//   build/ev2/src/events/events_burst_eval            # ~1 s
//   build/ev2/src/events/events_burst_eval --seeds 10
//   build/ev2/src/events/events_burst_eval --speed     # EventMonitor::Observe posts/s
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "events/monitor.h"
#include "events/synthetic.h"
#include "events/trend.h"

namespace {

using yuqing::events::BurstDetector;
using yuqing::events::BurstScore;
using yuqing::events::GenerateStream;
using yuqing::events::ScoreBursts;
using yuqing::events::SyntheticOptions;

// Posts per second through EventMonitor::Observe (summary + burst + heat + trend + grade) for
// `posts` posts spread over `events` events, one minute of event time per 100 posts.
void MonitorThroughput(int events, int posts) {
  using yuqing::events::EventMonitor;
  using yuqing::events::EventPost;
  std::vector<EventPost> input(static_cast<size_t>(posts));
  uint64_t x = 88172645463325252ULL;  // xorshift64 (Marsaglia 2003): fixed, cheap
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  const char* regions[] = {"320115", "110105", "440106", "140406", "510104"};
  for (int i = 0; i < posts; ++i) {
    EventPost& p = input[static_cast<size_t>(i)];
    p.id = std::to_string(i);
    p.time_s = 1'767'225'600 + i * 60 / 100;
    p.author.id = "u" + std::to_string(next() % 50'000);
    p.author.followers = static_cast<int64_t>(next() % 100'000);
    p.metrics.reposts = static_cast<int64_t>(next() % 50);
    p.regions = {regions[next() % 5]};
    p.sentiment = static_cast<yuqing::model::SentimentLabel>(next() % 3);
    p.domain = static_cast<yuqing::model::Domain>(next() % yuqing::model::kDomainCount);
  }
  std::vector<uint64_t> event_of(input.size());
  for (auto& e : event_of) e = 1 + next() % static_cast<uint64_t>(events);
  EventMonitor m;
  const auto t0 = std::chrono::steady_clock::now();
  size_t bursts = 0, trends = 0, grades = 0;
  for (size_t i = 0; i < input.size(); ++i) {
    const auto sig = m.Observe(event_of[i], input[i]);
    bursts += sig.burst.has_value();
    trends += sig.trend_change.has_value();
    grades += sig.grade_change.has_value();
  }
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf(
      "EventMonitor::Observe: %d posts over %d events: %.0f posts/s (%.2f us/post), "
      "signals: %zu bursts, %zu trend moves, %zu grade changes\n",
      posts, events, posts / s, 1e6 * s / posts, bursts, trends, grades);
}

double Percentile(std::vector<int64_t> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const size_t i = std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())));
  return static_cast<double>(v[i]);
}

}  // namespace

int main(int argc, char** argv) {
  int seeds = 5;
  bool speed = false;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--seeds") == 0 && i + 1 < argc) seeds = std::atoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--speed") == 0) speed = true;
  }
  if (speed) {
    MonitorThroughput(10'000, 200'000);
    MonitorThroughput(100'000, 200'000);
    return 0;
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
