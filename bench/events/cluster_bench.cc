// Online clustering throughput with many active events (issue 6, Speed): single-threaded
// posts/s of events::Clusterer::Add after seeding `--events` active events, and memory per event
// (time_weight 0: see below).
//
//   build/ev/bench/events/events_cluster_bench [--events 100000] [--posts 200000]
//
// Long run (memory over months of event time, forgetting on or off):
//
//   events_cluster_bench longrun [--days 90] [--posts-per-day 10000] [--events-per-day 1000]
//                                [--forget-days 30]   (0: never forget)
//
// Each day `--events-per-day` new stories start; a post picks a story born in the last three
// days. Prints the clusterer's memory every 15 days.
//
// Synthetic Chinese posts: synthetic_posts.h.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "events/clusterer.h"
#include "synthetic_posts.h"

using namespace std::chrono;

namespace {

// The segmenter and keyword extractor from the repository's data; null (reported) on failure.
std::shared_ptr<const yuqing::text::KeywordExtractor> LoadKeywords() {
  auto seg = yuqing::text::Segmenter::Load();
  if (!seg.ok()) return std::fprintf(stderr, "%s\n", seg.status().ToString().c_str()), nullptr;
  auto kw = yuqing::text::KeywordExtractor::Load(*seg);
  if (!kw.ok()) return std::fprintf(stderr, "%s\n", kw.status().ToString().c_str()), nullptr;
  return *kw;
}

int LongRun(int argc, char** argv) {
  size_t days = 90, per_day = 10000, events_per_day = 1000, forget_days = 30;
  for (int i = 2; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--days") == 0) days = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--posts-per-day") == 0) per_day = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--events-per-day") == 0) events_per_day = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--forget-days") == 0) forget_days = std::stoul(argv[i + 1]);
  }
  auto kw = LoadKeywords();
  if (kw == nullptr) return 1;
  std::printf(
      "command: %s longrun --days %zu --posts-per-day %zu --events-per-day %zu "
      "--forget-days %zu\n",
      argv[0], days, per_day, events_per_day, forget_days);

  yuqing::bench::SyntheticPosts synth(days * events_per_day, 42);
  yuqing::events::ClusterOptions options;
  options.forget_after_s = static_cast<int64_t>(forget_days) * 86400;
  options.time_weight = 0;  // as below: a dense synthetic stream, text decides
  yuqing::events::Clusterer clusterer(kw, options);
  std::uniform_int_distribution<size_t> pick(0, 3 * events_per_day - 1);
  const int64_t t0 = 1'700'000'000;
  size_t serial = 0;
  const auto start = steady_clock::now();
  for (size_t d = 0; d < days; ++d) {
    const size_t born = (d + 1) * events_per_day;  // stories started up to today
    for (size_t i = 0; i < per_day; ++i) {
      size_t back = pick(synth.rng());
      size_t story = back < born ? born - 1 - back : 0;
      int64_t t = t0 + static_cast<int64_t>(d * 86400 + i * 86400 / per_day);
      clusterer.Add(synth.Make(story, t, serial++));
    }
    if ((d + 1) % 15 == 0) {
      const auto& s = clusterer.stats();
      std::printf("day %3zu: %llu events, %llu active, %llu forgotten, memory %.1f MB\n", d + 1,
                  static_cast<unsigned long long>(s.events),
                  static_cast<unsigned long long>(s.active_events),
                  static_cast<unsigned long long>(s.forgotten), clusterer.MemoryBytes() / 1e6);
    }
  }
  const double run_s = duration<double>(steady_clock::now() - start).count();
  std::printf("%zu posts: %.0f posts/s\n", serial, static_cast<double>(serial) / run_s);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "longrun") == 0) return LongRun(argc, argv);
  size_t n_events = 100000;
  size_t n_posts = 200000;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (std::strcmp(argv[i], "--events") == 0) n_events = std::stoul(argv[i + 1]);
    if (std::strcmp(argv[i], "--posts") == 0) n_posts = std::stoul(argv[i + 1]);
  }
  auto kw = LoadKeywords();
  if (kw == nullptr) return 1;

  yuqing::bench::SyntheticPosts synth(n_events, 42);
  auto make_post = [&](size_t event, int64_t time_s, size_t serial) {
    return synth.Make(event, time_s, serial);
  };
  auto& rng = synth.rng();

  yuqing::events::ClusterOptions options;
  options.dormant_after_s = 7 * 86400;  // keep every seeded event active
  // The evaluated defaults let recency carry posts across a sparse stream; at 100k active events
  // the stream is dense and recency means nothing, so text alone decides here.
  options.time_weight = 0;
  yuqing::events::Clusterer clusterer(kw, options);
  int64_t t = 1'700'000'000;
  size_t serial = 0;
  auto start = steady_clock::now();
  for (size_t e = 0; e < n_events; ++e) clusterer.Add(make_post(e, t + e / 4, serial++));
  double seed_s = duration<double>(steady_clock::now() - start).count();
  t += static_cast<int64_t>(n_events / 4);

  std::uniform_int_distribution<size_t> any_event(0, n_events - 1);
  std::vector<yuqing::events::ClusterPost> posts;
  posts.reserve(n_posts);
  for (size_t i = 0; i < n_posts; ++i)
    posts.push_back(make_post(any_event(rng), t + i / 10, serial++));
  start = steady_clock::now();
  for (const auto& p : posts) clusterer.Add(p);
  double run_s = duration<double>(steady_clock::now() - start).count();

  const auto& s = clusterer.stats();
  std::printf("command: %s --events %zu --posts %zu\n", argv[0], n_events, n_posts);
  std::printf("seeding %zu posts: %.0f posts/s\n", n_events, n_events / seed_s);
  std::printf("clustering %zu posts with %llu active events: %.0f posts/s (%.2f us/post)\n",
              n_posts, static_cast<unsigned long long>(s.active_events), n_posts / run_s,
              run_s * 1e6 / n_posts);
  std::printf("events %llu, candidates scored per post %.1f, memory %.1f MB (%.0f bytes/event)\n",
              static_cast<unsigned long long>(s.events),
              static_cast<double>(s.candidates_scored) / static_cast<double>(s.posts),
              clusterer.MemoryBytes() / 1e6,
              static_cast<double>(clusterer.MemoryBytes()) / static_cast<double>(s.events));
  return 0;
}
