// Event-layer benchmarks (issue 6, Speed). Prints its figures and the command that produced them.
//
// Part "core": clustering + summary/heat/trend/grade + alert-policy evaluation per post, single
// thread, after seeding `--events` active events (the per-post work of the event stage without
// analysis and storage). Also resident memory per active event.
//
//   build/release/bench/events/events_stage_bench core [--events 100000] [--posts 200000]
//
// Part "pipeline": the whole pipeline in one process with a real SQLite file — a producer
// writes posts through the Ingestor at `--rate` posts/s (acknowledged when durable), the event
// stage thread analyses, clusters, grades and raises alerts (a policy alerts on every new
// event), the Deliverer posts each alert to a webhook receiver on 127.0.0.1, and the latency
// from a post's acknowledgement to the receiver getting its alert is measured (percentiles
// over all alerts), with the time to the alert's commit to the outbox beside it.
//
//   build/release/bench/events/events_stage_bench pipeline [--rate 5000] [--seconds 20]
//       [--shared-data ../shared/data]
//
// Part "drain": the event stage alone — `--posts` generated posts are ingested into a real
// SQLite file first (queued, nothing else running), then the stage drains the queue; prints
// posts/s (wall clock, all threads), CPU time per post and the wall time per phase.
//
//   build/release/bench/events/events_stage_bench drain [--posts 50000] [--min-grade 3]
//       [--shared-data ../shared/data]
#include <fmt/format.h>
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "alerts/decider.h"
#include "alerts/deliverer.h"
#include "alerts/notifier.h"
#include "analysis/analyzer.h"
#include "collect/post_json.h"
#include "corpus.h"
#include "events/monitor.h"
#include "pipeline/event_stage.h"
#include "pipeline/ingest.h"
#include "store/sqlite/sqlite_store.h"
#include "synthetic_posts.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

using namespace std::chrono;
using namespace yuqing;

namespace {

// CPU seconds of the calling thread: figures that hold on a machine shared with other work.
double ThreadCpu() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double RssMb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096.0 / 1e6;
}

std::string Arg(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 2; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

std::vector<model::AlertPolicy> Policies() {
  // 20 policies of the kinds an office sets up: by region, by domain, by grade and heat.
  std::vector<model::AlertPolicy> out;
  const char* regions[] = {"14", "1404", "11", "44", "4401", "31", "32", "33", "37", "51"};
  for (int i = 0; i < 10; ++i) {
    model::AlertPolicy p;
    p.id = i + 1;
    p.name = fmt::format("region-{}", regions[i]);
    p.regions = {regions[i]};
    p.min_grade = 3;
    out.push_back(p);
  }
  for (int i = 0; i < 10; ++i) {
    model::AlertPolicy p;
    p.id = i + 11;
    p.name = fmt::format("domain-{}", i);
    p.domains = {static_cast<model::Domain>(i)};
    p.min_heat = 40;
    out.push_back(p);
  }
  return out;
}

int RunCore(int argc, char** argv) {
  size_t n_events = std::stoul(Arg(argc, argv, "--events", "100000"));
  size_t n_posts = std::stoul(Arg(argc, argv, "--posts", "200000"));
  auto seg = text::Segmenter::Load();
  if (!seg.ok()) return std::fprintf(stderr, "%s\n", seg.status().ToString().c_str()), 1;
  auto kw = text::KeywordExtractor::Load(*seg);
  if (!kw.ok()) return std::fprintf(stderr, "%s\n", kw.status().ToString().c_str()), 1;

  bench::SyntheticPosts synth(n_events, 42);
  std::mt19937_64 rng(7);
  const char* codes[] = {"140406", "140402", "110105", "440106", "310115",
                         "320102", "330106", "370102", "510104", "140100"};
  auto event_post = [&](const events::ClusterPost& cp) {
    events::EventPost p;
    p.id = cp.id;
    p.time_s = cp.time_s;
    p.channel = model::Channel::kWeibo;
    p.source = "weibo";
    p.author.id = std::to_string(rng() % 1000000);
    p.author.followers = static_cast<int64_t>(rng() % 100000);
    p.metrics.reposts = static_cast<int64_t>(rng() % 50);
    p.metrics.likes = static_cast<int64_t>(rng() % 200);
    p.regions = {codes[rng() % 10]};
    p.sentiment = static_cast<model::SentimentLabel>(rng() % 3);
    p.domain = static_cast<model::Domain>(rng() % model::kDomainCount);
    return p;
  };

  events::ClusterOptions options;
  options.dormant_after_s = 7 * 86400;  // keep every seeded event active
  options.time_weight = 0;              // dense stream: text decides (see cluster_bench.cc)
  events::Clusterer clusterer(*kw, options);
  events::EventMonitor monitor;
  alerts::AlertDecider decider;
  decider.SetPolicies(Policies());
  size_t merges_seen = 0;
  int64_t last_sweep = 0;
  uint64_t alerts = 0;
  uint64_t sweeps = 0;
  const bool sweep = Arg(argc, argv, "--sweep", "yes") == "yes";
  auto step = [&](const events::ClusterPost& cp) {
    events::Assignment a = clusterer.Add(cp);
    for (; merges_seen < clusterer.merges().size(); ++merges_seen) {
      const auto& m = clusterer.merges()[merges_seen];
      monitor.Merge(m.from, m.into);
      decider.Merge(static_cast<int64_t>(m.from), static_cast<int64_t>(m.into));
    }
    uint64_t ev = clusterer.Resolve(a.event);
    events::EventSignals s = monitor.Observe(ev, event_post(cp));
    const events::EventSummary* sum = monitor.summary(ev);
    alerts::EventFacts f;
    f.event_id = static_cast<int64_t>(ev);
    f.grade = static_cast<int>(s.risk.grade);
    f.heat = s.heat.heat;
    f.domain = sum->top_domain();
    for (const auto& [code, n] : sum->regions()) f.regions.push_back(code);
    alerts += decider.Decide(f).size();
    if (sweep && cp.time_s - last_sweep >= 300) {
      monitor.Advance(cp.time_s);
      ++sweeps;
      last_sweep = cp.time_s;
    }
  };

  double rss0 = RssMb();
  int64_t t = 1'700'000'000;
  size_t serial = 0;
  auto start = steady_clock::now();
  for (size_t e = 0; e < n_events; ++e) step(synth.Make(e, t + e / 4, serial++));
  double seed_s = duration<double>(steady_clock::now() - start).count();
  double rss1 = RssMb();
  t += static_cast<int64_t>(n_events / 4);
  std::uniform_int_distribution<size_t> any_event(0, n_events - 1);
  std::vector<events::ClusterPost> posts;
  posts.reserve(n_posts);
  for (size_t i = 0; i < n_posts; ++i) {
    posts.push_back(synth.Make(any_event(synth.rng()), t + static_cast<int64_t>(i / 10), serial++));
  }
  start = steady_clock::now();
  double cpu0 = ThreadCpu();
  for (const auto& p : posts) step(p);
  double run_cpu = ThreadCpu() - cpu0;
  double run_s = duration<double>(steady_clock::now() - start).count();

  std::printf("command: %s core --events %zu --posts %zu\n", argv[0], n_events, n_posts);
  std::printf("seeding %zu events: %.0f posts/s\n", n_events, n_events / seed_s);
  std::printf(
      "clustering + summary/heat/trend/grade + 20 alert policies, %zu posts, %llu active "
      "events: %.0f posts/s per CPU second (%.2f us/post; %.0f posts/s by the wall clock), %llu "
      "alerts decided, %llu sweeps\n",
      n_posts, static_cast<unsigned long long>(clusterer.stats().active_events), n_posts / run_cpu,
      run_cpu * 1e6 / n_posts, n_posts / run_s, static_cast<unsigned long long>(alerts),
      static_cast<unsigned long long>(sweeps));
  std::printf(
      "memory: resident +%.1f MB for %zu seeded events = %.0f bytes per active event "
      "(clusterer's own estimate %.0f bytes/event)\n",
      rss1 - rss0, n_events, (rss1 - rss0) * 1e6 / static_cast<double>(n_events),
      static_cast<double>(clusterer.MemoryBytes()) / static_cast<double>(clusterer.stats().events));
  return 0;
}

// A fresh database file for one run and the text models both store-backed parts load.
struct World {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const text::Tokenizer> tokenizer;
  std::shared_ptr<const text::KeywordExtractor> keywords;
  std::shared_ptr<const analysis::Analyzer> analyzer;
};

void RemoveDb(const std::string& db) {
  for (const char* ext : {"", "-wal", "-shm", ".events.lock", ".outbox.lock"})
    std::remove((db + ext).c_str());
}

// Null (with the reason on stderr) when the database or the models cannot be opened.
std::unique_ptr<World> OpenWorld(const std::string& db) {
  RemoveDb(db);
  auto w = std::make_unique<World>();
  auto store = store::sqlite::OpenSqliteStore(db);
  if (!store.ok()) return std::fprintf(stderr, "%s\n", store.status().ToString().c_str()), nullptr;
  w->store = std::move(*store);
  auto normalizer = text::Normalizer::Create();
  auto seg = text::Segmenter::Load();
  if (!normalizer.ok() || !seg.ok())
    return std::fprintf(stderr, "cannot load text data\n"), nullptr;
  w->tokenizer = text::MakeSegmenterTokenizer(*seg, *normalizer);
  auto kw = text::KeywordExtractor::Load(*seg);
  auto analyzer = analysis::Analyzer::Load({}, *normalizer, *seg);
  if (!kw.ok() || !analyzer.ok()) return std::fprintf(stderr, "cannot load models\n"), nullptr;
  w->keywords = *kw;
  w->analyzer = *analyzer;
  return w;
}

int RunPipeline(int argc, char** argv) {
  int rate = std::stoi(Arg(argc, argv, "--rate", "5000"));
  int seconds = std::stoi(Arg(argc, argv, "--seconds", "20"));
  std::string shared = Arg(argc, argv, "--shared-data", "../shared/data");
  std::string dir = Arg(argc, argv, "--dir", "/tmp");
  std::string db = fmt::format("{}/yq-stage-bench-{}.db", dir, ::getpid());
  core::SystemClock clock;
  auto world = OpenWorld(db);
  if (world == nullptr) return 1;
  store::Store& store = *world->store;
  // The webhook receiver: arrival time per idempotency key (yq-<alert id>-0).
  std::mutex mu;
  std::map<int64_t, steady_clock::time_point> received;
  httplib::Server receiver;
  receiver.Post("/hook", [&](const httplib::Request& req, httplib::Response& res) {
    auto now = steady_clock::now();
    std::string key = req.get_header_value("Idempotency-Key");
    int64_t id = std::atoll(key.c_str() + std::min<size_t>(3, key.size()));
    {
      std::lock_guard<std::mutex> lock(mu);
      received.emplace(id, now);
    }
    res.set_content("{}", "application/json");
  });
  int receiver_port = receiver.bind_to_any_port("127.0.0.1");
  std::thread receiver_thread([&] { receiver.listen_after_bind(); });

  model::AlertPolicy every;
  every.name = "every event";
  // --min-grade 3: only events graded III or worse alert (a realistic office policy); the
  // default 4 alerts on every new event (a stress test of alerting).
  every.min_grade = std::stoi(Arg(argc, argv, "--min-grade", "4"));
  every.targets = {
      {model::TargetKind::kWebhook, fmt::format("http://127.0.0.1:{}/hook", receiver_port), ""}};
  if (auto p = store.CreateAlertPolicy(every, clock.Now()); !p.ok()) {
    return std::fprintf(stderr, "%s\n", p.status().ToString().c_str()), 1;
  }

  pipeline::Ingestor ingestor(store, world->tokenizer, clock);
  alerts::AlertNotifier notifier;
  pipeline::EventStageOptions stage_options;
  stage_options.batch_posts =
      std::stoi(Arg(argc, argv, "--stage-batch", std::to_string(stage_options.batch_posts)));
  stage_options.read_ahead = Arg(argc, argv, "--read-ahead", "yes") == "yes";
  stage_options.batch_every = std::chrono::milliseconds(std::stoi(
      Arg(argc, argv, "--batch-every-ms", std::to_string(stage_options.batch_every.count()))));
  pipeline::EventStage stage({store, store, store}, world->analyzer, world->keywords, clock,
                             &notifier, stage_options);
  alerts::Deliverer deliverer(store, clock, notifier, alerts::DelivererOptions{});
  if (Status s = stage.Restore(); !s.ok())
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;

  // Posts are prepared before the clock starts.
  bench::CorpusGenerator gen(shared, 11);
  const int batch = std::max(1, rate / 100);  // one batch every 10 ms
  const int batches = rate * seconds / batch;
  std::vector<std::vector<model::Post>> work(batches);
  for (auto& b : work) {
    for (int i = 0; i < batch; ++i) {
      auto post = collect::PostFromJson(nlohmann::json::parse(gen.Next()), {});
      if (post.ok()) b.push_back(*std::move(post));
    }
  }

  // Acknowledgement time per stored key, and commit time per alert id.
  std::map<int64_t, steady_clock::time_point> acked;
  std::map<int64_t, steady_clock::time_point> alerted;
  std::atomic<bool> done{false};
  std::thread watcher([&] {
    int64_t seen = 0;
    while (!done) {
      int64_t newest = notifier.WaitNewer(seen, milliseconds(100));
      auto now = steady_clock::now();
      std::lock_guard<std::mutex> lock(mu);
      for (int64_t id = seen + 1; id <= newest; ++id) alerted.emplace(id, now);
      seen = std::max(seen, newest);
    }
  });
  stage.Start();
  deliverer.Start();
  auto start = steady_clock::now();
  int64_t written = 0;
  double lag_max = 0;
  for (int i = 0; i < batches; ++i) {
    auto due = start + microseconds(static_cast<int64_t>(i) * 1'000'000 * batch / rate);
    std::this_thread::sleep_until(due);
    auto r = ingestor.Write(work[i]);
    if (!r.ok()) return std::fprintf(stderr, "%s\n", r.status().ToString().c_str()), 1;
    auto now = steady_clock::now();
    lag_max = std::max(lag_max, duration<double>(now - due).count());
    std::lock_guard<std::mutex> lock(mu);
    for (const auto& x : *r) {
      if (x.outcome == model::IngestOutcome::kAccepted) acked.emplace(x.key, now);
    }
    written += static_cast<int64_t>(work[i].size());
  }
  double write_s = duration<double>(steady_clock::now() - start).count();
  // Let the stage catch up.
  while (true) {
    auto left = store.QueueLength();
    if (!left.ok() || *left == 0) break;
    std::this_thread::sleep_for(milliseconds(50));
  }
  double total_s = duration<double>(steady_clock::now() - start).count();
  std::this_thread::sleep_for(milliseconds(1000));
  stage.Stop();
  deliverer.Stop();
  done = true;
  notifier.Stop();
  watcher.join();
  receiver.stop();
  receiver_thread.join();

  // An alert's latency runs from the acknowledgement of the post that raised it.
  std::vector<double> lat;
  std::vector<double> commit_lat;
  store::AlertQuery q;
  q.ascending = true;
  q.limit = 1000;
  int64_t after = 0;
  int undelivered = 0;
  while (true) {
    q.after_id = after;
    auto page = store.ListAlerts(q);
    if (!page.ok() || page->empty()) break;
    for (const auto& a : *page) {
      after = a.id;
      // The post that raised the alert (named in its payload).
      auto payload = nlohmann::json::parse(a.payload_json, nullptr, false);
      if (!payload.is_object() || !payload["trigger"].is_object()) continue;
      auto trig = store.GetPost(payload["trigger"]["source"], payload["trigger"]["id"]);
      if (!trig.ok() || !trig->has_value()) continue;
      int64_t first = (**trig).key;
      std::lock_guard<std::mutex> lock(mu);
      auto ack = acked.find(first);
      auto al = alerted.find(a.id);
      auto got = received.find(a.id);
      if (ack == acked.end()) continue;
      if (al != alerted.end()) {
        commit_lat.push_back(duration<double>(al->second - ack->second).count() * 1000);
      }
      if (got != received.end()) {
        lat.push_back(duration<double>(got->second - ack->second).count() * 1000);
      } else {
        ++undelivered;
      }
    }
  }
  std::sort(lat.begin(), lat.end());
  std::sort(commit_lat.begin(), commit_lat.end());
  auto pct = [](const std::vector<double>& v, double p) {
    return v.empty() ? 0.0 : v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
  };
  auto st = stage.stats();
  std::printf(
      "command: %s pipeline --rate %d --seconds %d --min-grade %d --stage-batch %d "
      "--read-ahead %s --batch-every-ms %lld --shared-data %s\n",
      argv[0], rate, seconds, every.min_grade, stage_options.batch_posts,
      stage_options.read_ahead ? "yes" : "no",
      static_cast<long long>(stage_options.batch_every.count()), shared.c_str());
  std::printf(
      "wrote %lld posts in %.1f s (%.0f posts/s offered; writer lag max %.0f ms); "
      "stage done after %.1f s: %lld posts, %lld events, %lld alerts, %lld commits\n",
      static_cast<long long>(written), write_s, written / write_s, lag_max * 1000, total_s,
      static_cast<long long>(st.posts), static_cast<long long>(st.events),
      static_cast<long long>(st.alerts), static_cast<long long>(st.commits));
  std::printf("stage: slowest batch %.0f ms (largest %lld posts), slowest commit %.0f ms\n",
              st.slowest_batch_ms, static_cast<long long>(st.largest_batch), st.slowest_commit_ms);
  auto per = [&](double ms) {
    return ms * 1000 / static_cast<double>(std::max<int64_t>(1, st.posts));
  };
  std::printf(
      "stage wall us per post: read %.1f, analysis %.1f, ordered %.1f, records %.1f, commit %.1f\n",
      per(st.read_ms), per(st.analyse_ms), per(st.ordered_ms), per(st.records_ms),
      per(st.commit_ms));
  std::printf(
      "alert latency, post acknowledged -> webhook received (left the outbox), %zu "
      "alerts (%d not delivered): p50 %.0f ms, p95 %.0f ms, p99 %.0f ms, max %.0f ms\n",
      lat.size(), undelivered, pct(lat, 0.5), pct(lat, 0.95), pct(lat, 0.99),
      lat.empty() ? 0.0 : lat.back());
  std::printf(
      "  of which to the commit of the alert with its outbox item: p50 %.0f ms, p99 %.0f "
      "ms\n",
      pct(commit_lat, 0.5), pct(commit_lat, 0.99));
  RemoveDb(db);
  return 0;
}

double ProcessCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

int RunDrain(int argc, char** argv) {
  const int n_posts = std::stoi(Arg(argc, argv, "--posts", "50000"));
  std::string shared = Arg(argc, argv, "--shared-data", "../shared/data");
  std::string dir = Arg(argc, argv, "--dir", "/tmp");
  std::string db = fmt::format("{}/yq-drain-bench-{}.db", dir, ::getpid());
  core::SystemClock clock;
  auto world = OpenWorld(db);
  if (world == nullptr) return 1;
  store::Store& store = *world->store;
  model::AlertPolicy policy;
  policy.name = "grade";
  policy.min_grade = std::stoi(Arg(argc, argv, "--min-grade", "3"));
  policy.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/hook", ""}};
  if (auto p = store.CreateAlertPolicy(policy, clock.Now()); !p.ok()) {
    return std::fprintf(stderr, "%s\n", p.status().ToString().c_str()), 1;
  }
  pipeline::Ingestor ingestor(store, world->tokenizer, clock);
  bench::CorpusGenerator gen(shared, 11);
  std::vector<model::Post> batch;
  for (int i = 0; i < n_posts; ++i) {
    auto post = collect::PostFromJson(nlohmann::json::parse(gen.Next()), {});
    if (post.ok()) batch.push_back(*std::move(post));
    if (batch.size() == 1000 || i + 1 == n_posts) {
      if (auto r = ingestor.Write(batch); !r.ok()) {
        return std::fprintf(stderr, "%s\n", r.status().ToString().c_str()), 1;
      }
      batch.clear();
    }
  }
  pipeline::EventStageOptions options;
  options.batch_posts =
      std::stoi(Arg(argc, argv, "--stage-batch", std::to_string(options.batch_posts)));
  options.read_ahead = Arg(argc, argv, "--read-ahead", "yes") == "yes";
  pipeline::EventStage stage({store, store, store}, world->analyzer, world->keywords, clock,
                             nullptr, options);
  if (Status s = stage.Restore(); !s.ok())
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  const double cpu0 = ProcessCpu();
  const auto t0 = steady_clock::now();
  if (Status s = stage.Drain(); !s.ok())
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  const double wall = duration<double>(steady_clock::now() - t0).count();
  const double cpu = ProcessCpu() - cpu0;
  auto st = stage.stats();
  std::printf(
      "command: %s drain --posts %d --min-grade %d --stage-batch %d --read-ahead %s "
      "--shared-data %s\n",
      argv[0], n_posts, policy.min_grade, options.batch_posts, options.read_ahead ? "yes" : "no",
      shared.c_str());
  std::printf(
      "drained %lld posts in %.2f s: %.0f posts/s wall (analysis on %zu threads), CPU %.1f us "
      "per post; %lld events, %lld alerts\n",
      static_cast<long long>(st.posts), wall, static_cast<double>(st.posts) / wall,
      options.analysis_threads, cpu * 1e6 / static_cast<double>(st.posts),
      static_cast<long long>(st.events), static_cast<long long>(st.alerts));
  auto per = [&](double ms) { return ms * 1000 / static_cast<double>(st.posts); };
  std::printf(
      "wall us per post: read %.1f, analysis %.1f, ordered %.1f, records %.1f, commit %.1f\n",
      per(st.read_ms), per(st.analyse_ms), per(st.ordered_ms), per(st.records_ms),
      per(st.commit_ms));
  if (Arg(argc, argv, "--keep-db", "no") == "yes") {
    std::printf("database kept: %s\n", db.c_str());
  } else {
    RemoveDb(db);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string part = argc > 1 ? argv[1] : "";
  if (part == "core") return RunCore(argc, argv);
  if (part == "pipeline") return RunPipeline(argc, argv);
  if (part == "drain") return RunDrain(argc, argv);
  std::fprintf(stderr, "usage: %s core|pipeline|drain [options] (see the top of stage_bench.cc)\n",
               argv[0]);
  return 2;
}
