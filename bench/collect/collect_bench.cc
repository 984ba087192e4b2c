// Collection benchmark (issue 16): one process runs the real collector scheduler over `--sources`
// configured sources — half RSS feeds, half JSON APIs with a cursor — served by a fixture HTTP
// server on 127.0.0.1 in the same process, and stores what they bring into a real SQLite file
// through the Ingestor while the event stage (analysis, events, alerts) runs. Each source
// publishes `--per-source` articles per second of its own (a feed shows its newest 40 items, an
// API pages by cursor), every source is polled every `--interval` seconds, so the offered rate
// is sources × per-source articles/s. Prints articles/s stored, polls/s, HTTP requests/s, the
// time until every source had been polled once, and how far the event stage lags.
//
//   build/release/bench/collect/collect_bench [--sources 1000] [--per-source 1.2]
//       [--interval 10] [--seconds 60] [--threads 4] [--per-host-ms 0] [--dir /tmp]
//
// The per-host rate limit (collect.per_host_interval_ms, 1000 ms by default) would hold all
// 1,000 sources of the one loopback host to one request a second; the bench sets it with
// --per-host-ms (0: none), as a deployment may for its own fixtures or intranet hosts.
#include <fmt/format.h>
#include <httplib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "analysis/analyzer.h"
#include "collect/collector.h"
#include "collect/scheduler.h"
#include "core/log.h"
#include "core/time.h"
#include "pipeline/event_stage.h"
#include "pipeline/ingest.h"
#include "store/sqlite/sqlite_store.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

using namespace std::chrono;
using namespace yuqing;

namespace {

std::string Arg(int argc, char** argv, const char* name, const std::string& fallback) {
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], name) == 0) return argv[i + 1];
  }
  return fallback;
}

double ProcessCpu() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e-6;
}

// The fixture web: source i's item k is published at start + (k - kWindow) / per_source
// seconds, so the first poll finds a full window and then about interval × per_source new
// items each time. Texts are made of topic words (about 400 topics), so events form.
constexpr int64_t kWindow = 40;

uint64_t Mix(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

class Fixture {
 public:
  Fixture(int sources, double per_source, system_clock::time_point start)
      : per_source_(per_source), start_(start), first_hit_(static_cast<size_t>(sources)) {
    static constexpr std::string_view kChars =
        "市区县镇村路街桥河湖山城港站场馆院校医店厂楼房车船水电气油煤粮菜肉药茶价工农商学警"
        "民家事案灾病雨雪风洪旱救援调查处罚投诉举报维权拆迁补偿噪音污染停水停电欠薪物业";
    std::vector<std::string> chars;
    for (size_t i = 0; i + 3 <= kChars.size(); i += 3) chars.emplace_back(kChars.substr(i, 3));
    for (size_t i = 0; i < chars.size(); ++i) {
      for (size_t j = 0; j < chars.size(); j += 7)
        words_.push_back(chars[i] + chars[(i + j + 1) % chars.size()]);
    }
    for (auto& f : first_hit_) f.store(0);
    server_.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nDisallow: /private/\n", "text/plain");
    });
    server_.Get(R"(/rss/(\d+)\.xml)", [this](const httplib::Request& req, httplib::Response& res) {
      int i = std::stoi(req.matches[1]);
      Hit(i);
      res.set_content(Rss(i), "application/rss+xml; charset=utf-8");
    });
    server_.Get(R"(/api/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
      int i = std::stoi(req.matches[1]);
      Hit(i);
      std::string since = req.get_param_value("since");
      // With a charset the type is not one cpp-httplib compresses: brotli in the fixture
      // would cost more CPU than the collectors (a real API compresses on its own machine).
      res.set_content(Api(i, since.empty() ? -1 : std::stoll(since)),
                      "application/json; charset=utf-8");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(milliseconds(5));
  }
  ~Fixture() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  int64_t requests() const { return requests_.load(); }
  int64_t sources_hit() const { return sources_hit_.load(); }
  // Steady-clock ns of the moment the last source was first requested; 0 before.
  int64_t all_hit_ns() const { return all_hit_ns_.load(); }

 private:
  void Hit(int i) {
    ++requests_;
    int64_t zero = 0;
    if (first_hit_[static_cast<size_t>(i)].compare_exchange_strong(zero, 1)) {
      if (++sources_hit_ == static_cast<int64_t>(first_hit_.size())) {
        all_hit_ns_ = duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
      }
    }
  }
  // The newest item published by now.
  int64_t Newest() const {
    double s = duration<double>(system_clock::now() - start_).count();
    return static_cast<int64_t>(s * per_source_) + kWindow;
  }
  system_clock::time_point Published(int64_t k) const {
    return start_ + duration_cast<system_clock::duration>(
                        duration<double>(static_cast<double>(k - kWindow) / per_source_));
  }
  struct Item {
    std::string id, title, text, when;
    int64_t when_ms;
  };
  Item Make(int i, int64_t k) const {
    uint64_t h = Mix(static_cast<uint64_t>(i) * 1000003u + static_cast<uint64_t>(k));
    uint64_t topic = Mix(static_cast<uint64_t>(i) * 31 + static_cast<uint64_t>(k / 25)) % 400;
    auto word = [&](uint64_t n) { return words_[Mix(topic * 17 + n) % words_.size()]; };
    Item it;
    it.id = fmt::format("s{}-{}", i, k);
    it.title = word(0) + word(1) + "情况通报";
    for (int w = 0; w < 6; ++w) it.text += word(static_cast<uint64_t>((k + w) % 8)) + "，";
    for (int w = 0; w < 4; ++w)
      it.text += words_[Mix(h + static_cast<uint64_t>(w)) % words_.size()] + "。";
    it.text += "群众反映的问题已转交有关部门核实处理，后续进展将及时公布。";
    auto t = time_point_cast<milliseconds>(Published(k));
    it.when_ms = t.time_since_epoch().count();
    it.when = core::FormatIso8601(core::TimePoint(t.time_since_epoch()), 480);
    return it;
  }
  std::string Rss(int i) const {
    std::string out =
        "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>"
        "政务公开</title><link>http://127.0.0.1/</link>";
    int64_t newest = Newest();
    for (int64_t k = newest; k > newest - kWindow && k >= 0; --k) {
      Item it = Make(i, k);
      out += fmt::format(
          "<item><title>{}</title><link>http://127.0.0.1/rss/{}/{}.html</link><guid>{}</guid>"
          "<pubDate>{}</pubDate><description>{}</description></item>",
          it.title, i, k, it.id, it.when, it.text);
    }
    return out + "</channel></rss>";
  }
  std::string Api(int i, int64_t since) const {
    int64_t newest = Newest();
    int64_t from = since < 0 ? std::max<int64_t>(0, newest - kWindow + 1) : since + 1;
    int64_t to = std::min(newest, from + 99);
    nlohmann::json list = nlohmann::json::array();
    for (int64_t k = from; k <= to; ++k) {
      Item it = Make(i, k);
      list.push_back({{"order_no", it.id},
                      {"subject", it.title},
                      {"content", it.text},
                      {"created", it.when_ms},
                      {"area", "140406"}});
    }
    int64_t next = to >= from ? to : since;
    return nlohmann::json{
        {"data", {{"list", list}, {"next", next < 0 ? "" : std::to_string(next)}}}}
        .dump();
  }

  double per_source_;
  system_clock::time_point start_;
  std::vector<std::string> words_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<int64_t> requests_{0};
  std::vector<std::atomic<int64_t>> first_hit_;
  std::atomic<int64_t> sources_hit_{0};
  std::atomic<int64_t> all_hit_ns_{0};
};

// Counts what the collectors store, around the pipeline's IngestSink.
class CountingSink final : public collect::PostSink {
 public:
  explicit CountingSink(collect::PostSink& inner) : inner_(inner) {}
  Result<std::vector<model::IngestOutcome>> Write(std::vector<model::Post> posts) override {
    auto r = inner_.Write(std::move(posts));
    if (r.ok()) {
      for (auto o : *r) (o == model::IngestOutcome::kAccepted ? accepted_ : duplicate_)++;
    }
    return r;
  }
  int64_t accepted() const { return accepted_.load(); }
  int64_t duplicate() const { return duplicate_.load(); }

 private:
  collect::PostSink& inner_;
  std::atomic<int64_t> accepted_{0};
  std::atomic<int64_t> duplicate_{0};
};

void RemoveDb(const std::string& db) {
  for (const char* ext : {"", "-wal", "-shm"}) std::remove((db + ext).c_str());
}

}  // namespace

int main(int argc, char** argv) {
  const int n_sources = std::stoi(Arg(argc, argv, "--sources", "1000"));
  const double per_source = std::stod(Arg(argc, argv, "--per-source", "1.2"));
  const int interval_s = std::stoi(Arg(argc, argv, "--interval", "10"));
  const int seconds = std::stoi(Arg(argc, argv, "--seconds", "60"));
  const int threads = std::stoi(Arg(argc, argv, "--threads", "4"));
  const int per_host_ms = std::stoi(Arg(argc, argv, "--per-host-ms", "0"));
  const std::string dir = Arg(argc, argv, "--dir", "/tmp");
  const std::string db = fmt::format("{}/yq-collect-bench-{}.db", dir, ::getpid());
  core::SetLogLevel("warn");
  core::SystemClock clock;

  RemoveDb(db);
  auto opened = store::sqlite::OpenSqliteStore(db);
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().ToString().c_str()), 1;
  store::Store& store = **opened;
  auto normalizer = text::Normalizer::Create();
  auto seg = text::Segmenter::Load();
  if (!normalizer.ok() || !seg.ok()) return std::fprintf(stderr, "cannot load text data\n"), 1;
  auto tokenizer = text::MakeSegmenterTokenizer(*seg, *normalizer);
  auto keywords = text::KeywordExtractor::Load(*seg);
  auto analyzer = analysis::Analyzer::Load({}, *normalizer, *seg);
  if (!keywords.ok() || !analyzer.ok()) return std::fprintf(stderr, "cannot load models\n"), 1;

  Fixture web(n_sources, per_source, system_clock::now());
  for (int i = 0; i < n_sources; ++i) {
    model::Source s;
    s.interval = std::chrono::seconds(interval_s);
    s.channel = model::Channel::kGovPlatform;
    s.region = "140406";
    if (i % 2 == 0) {
      s.name = fmt::format("rss-{}", i);
      s.kind = model::SourceKind::kRss;
      s.config_json =
          nlohmann::json{{"url", fmt::format("http://127.0.0.1:{}/rss/{}.xml", web.port(), i)}}
              .dump();
    } else {
      s.name = fmt::format("api-{}", i);
      s.kind = model::SourceKind::kJsonApi;
      s.config_json = nlohmann::json{
          {"url", fmt::format("http://127.0.0.1:{}/api/{}", web.port(), i)},
          {"items", "/data/list"},
          {"cursor_param", "since"},
          {"next_cursor", "/data/next"},
          {"mapping",
           {{"id", "/order_no"},
            {"title", "/subject"},
            {"text", "/content"},
            {"published_at", "/created"},
            {"region",
             "/area"}}}}.dump();
    }
    if (auto made = store.CreateSource(s, clock.Now()); !made.ok()) {
      return std::fprintf(stderr, "%s\n", made.status().ToString().c_str()), 1;
    }
  }

  pipeline::Ingestor ingestor(store, tokenizer, clock);
  pipeline::IngestSink ingest_sink(ingestor);
  CountingSink sink(ingest_sink);
  pipeline::EventStage stage({store, store, store}, *analyzer, *keywords, clock, nullptr, {});
  if (Status s = stage.Restore(); !s.ok())
    return std::fprintf(stderr, "%s\n", s.ToString().c_str()), 1;
  collect::FetchOptions fetch_options;
  fetch_options.per_host_interval = milliseconds(per_host_ms);
  collect::HttpFetcher fetcher(fetch_options);
  collect::Collector collector(store, store, fetcher, sink, clock);
  collect::Scheduler scheduler(store, collector, threads);

  const double cpu0 = ProcessCpu();
  const auto t0 = steady_clock::now();
  stage.Start();
  scheduler.Start();
  // Figures once a second; the steady rate is taken after every source was polled once and
  // one more interval passed (the first polls bring each source's whole window).
  int64_t steady_from_accepted = -1, steady_from_runs = 0, steady_from_requests = 0;
  steady_clock::time_point steady_from;
  for (int s = 1; s <= seconds; ++s) {
    std::this_thread::sleep_until(t0 + std::chrono::seconds(s));
    int64_t all = web.all_hit_ns();
    if (steady_from_accepted < 0 && all != 0 &&
        steady_clock::now() >=
            steady_clock::time_point(nanoseconds(all)) + std::chrono::seconds(interval_s)) {
      steady_from = steady_clock::now();
      steady_from_accepted = sink.accepted();
      steady_from_runs = scheduler.runs_started();
      steady_from_requests = web.requests();
    }
    if (s % 10 == 0) {
      auto q = store.QueueLength();
      std::fprintf(
          stderr, "%3d s: %lld stored, %lld runs, %lld of %d sources polled, stage queue %lld\n", s,
          static_cast<long long>(sink.accepted()), static_cast<long long>(scheduler.runs_started()),
          static_cast<long long>(web.sources_hit()), n_sources,
          static_cast<long long>(q.ok() ? *q : -1));
    }
  }
  const auto t_end = steady_clock::now();
  const int64_t accepted = sink.accepted();
  const int64_t runs = scheduler.runs_started();
  const int64_t requests = web.requests();
  auto queue = store.QueueLength();
  const auto stage_posts = stage.stats().posts;
  scheduler.Stop();
  stage.Stop();
  const double cpu = ProcessCpu() - cpu0;
  const double wall = duration<double>(t_end - t0).count();

  std::printf(
      "command: %s --sources %d --per-source %.2f --interval %d --seconds %d --threads %d "
      "--per-host-ms %d --dir %s\n",
      argv[0], n_sources, per_source, interval_s, seconds, threads, per_host_ms, dir.c_str());
  std::printf(
      "offered: %d sources (%d rss, %d json_api) x %.2f articles/s = %.0f articles/s, "
      "each polled every %d s\n",
      n_sources, (n_sources + 1) / 2, n_sources / 2, per_source, n_sources * per_source,
      interval_s);
  int64_t all = web.all_hit_ns();
  if (all != 0) {
    std::printf("first poll of all %d sources: %.2f s after start\n", n_sources,
                duration<double>(steady_clock::time_point(nanoseconds(all)) - t0).count());
  } else {
    std::printf("first poll of all sources: not reached (%lld polled)\n",
                static_cast<long long>(web.sources_hit()));
  }
  std::printf(
      "whole run %.1f s: %lld articles stored (%.0f/s), %lld duplicates, %lld polls "
      "(%.1f/s), %lld HTTP requests (%.1f/s)\n",
      wall, static_cast<long long>(accepted), accepted / wall,
      static_cast<long long>(sink.duplicate()), static_cast<long long>(runs), runs / wall,
      static_cast<long long>(requests), requests / wall);
  if (steady_from_accepted >= 0) {
    double sw = duration<double>(t_end - steady_from).count();
    std::printf(
        "steady state (last %.1f s): %.0f articles stored/s, %.1f polls/s, %.1f HTTP "
        "requests/s\n",
        sw, (accepted - steady_from_accepted) / sw, (runs - steady_from_runs) / sw,
        (requests - steady_from_requests) / sw);
  }
  std::printf(
      "event stage: %lld posts analysed and placed, %lld still queued at the end; "
      "process CPU %.1f s (%.2f cores), %.0f us CPU per stored article\n",
      static_cast<long long>(stage_posts), static_cast<long long>(queue.ok() ? *queue : -1), cpu,
      cpu / wall, accepted > 0 ? cpu * 1e6 / static_cast<double>(accepted) : 0.0);
  RemoveDb(db);
  return 0;
}
