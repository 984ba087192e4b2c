// Reports over many posts (docs/benchmarks.md, "Reports"): a day of --posts synthetic posts
// spread over 12 channels, 40 regions and --events events, one of which holds --event-posts
// of them; then the daily report (gather, assemble, render HTML) and the special report on the
// large event are timed. The targets: a daily report over 1,000,000 posts of that day
// in ≤ 5 s, a special report on an event of 100,000 posts in ≤ 3 s (HTML).
//
//   build/release/bench/reports/report_bench [--posts 1000000] [--event-posts 100000]
//       [--events 200] [--db /tmp/yuqing-report-bench.db] [--pdf]
//
// The posts are generated deterministically (SplitMix64, fixed seed) and written straight to
// the store with their event assignment, as the event stage would, so the timing covers only
// the report.
#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "core/time.h"
#include "reports/assemble.h"
#include "reports/convert.h"
#include "reports/gather.h"
#include "reports/html.h"
#include "store/sqlite/sqlite_store.h"

namespace {

namespace reports = yuqing::reports;
namespace store = yuqing::store;
namespace model = yuqing::model;
using yuqing::core::TimePoint;

// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014).
class Rng {
 public:
  explicit Rng(uint64_t seed) : s_(seed) {}
  uint64_t Next() {
    uint64_t z = (s_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int64_t Below(int64_t n) { return static_cast<int64_t>(Next() % static_cast<uint64_t>(n)); }

 private:
  uint64_t s_;
};

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

int Fail(const yuqing::Status& s) {
  std::fprintf(stderr, "error: %s\n", s.message().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  int64_t posts = 1'000'000, event_posts = 100'000, events = 200;
  std::string db = "/tmp/yuqing-report-bench.db";
  bool pdf = false;
  for (int i = 1; i < argc; ++i) {
    auto next = [&] { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    if (!std::strcmp(argv[i], "--posts"))
      posts = std::stoll(next());
    else if (!std::strcmp(argv[i], "--event-posts"))
      event_posts = std::stoll(next());
    else if (!std::strcmp(argv[i], "--events"))
      events = std::stoll(next());
    else if (!std::strcmp(argv[i], "--db"))
      db = next();
    else if (!std::strcmp(argv[i], "--pdf"))
      pdf = true;
  }
  std::printf("report_bench --posts %lld --event-posts %lld --events %lld --db %s%s\n",
              static_cast<long long>(posts), static_cast<long long>(event_posts),
              static_cast<long long>(events), db.c_str(), pdf ? " --pdf" : "");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  auto opened = store::sqlite::OpenSqliteStore(db);
  if (!opened.ok()) return Fail(opened.status());
  store::Store& st = **opened;

  const TimePoint day = *yuqing::core::ParseIso8601("2026-12-02T00:00:00+08:00");
  const TimePoint now = day + std::chrono::hours(33);
  Rng rng(20261202);
  auto fill_start = std::chrono::steady_clock::now();
  constexpr int64_t kBatch = 20'000;
  for (int64_t done = 0; done < posts; done += kBatch) {
    std::vector<store::PostRecord> batch;
    std::vector<int64_t> event_of;
    std::vector<int> sentiment_of;
    for (int64_t i = done; i < std::min(posts, done + kBatch); ++i) {
      store::PostRecord r;
      r.post.source = "bench";
      r.post.external_id = std::to_string(i);
      r.post.text = fmt::format("第{}条帖子：某地某事引发关注", i);
      r.post.published_at = day + std::chrono::milliseconds(rng.Below(86'400'000));
      r.post.channel = static_cast<model::Channel>(rng.Below(12));
      r.post.region = fmt::format("14{:02}{:02}", 1 + rng.Below(11), 1 + rng.Below(4));
      r.post.metrics.reposts = rng.Below(100);
      r.post.author.id = fmt::format("u{}", rng.Below(100'000));
      batch.push_back(std::move(r));
      event_of.push_back(i < event_posts ? 1 : 2 + rng.Below(events - 1));
      sentiment_of.push_back(static_cast<int>(rng.Below(3)) - 1);
    }
    auto ins = st.InsertPosts(batch, now);
    if (!ins.ok()) return Fail(ins.status());
    auto queued = st.NextQueuedPosts(0, 10'000);
    store::EventBatch eb;
    size_t k = 0;
    while (queued.ok() && !queued->empty()) {
      for (const auto& q : *queued) {
        int64_t n = std::stoll(q.post.post.external_id) - done;
        store::PostEvent pe;
        pe.post_key = q.post.key;
        pe.event_id = event_of[static_cast<size_t>(n)];
        pe.reason = "new";
        pe.analysis_json = "{}";
        pe.sentiment = sentiment_of[static_cast<size_t>(n)];
        eb.posts.push_back(pe);
        eb.queue_through = q.seq;
        ++k;
      }
      queued = st.NextQueuedPosts(eb.queue_through, 10'000);
    }
    if (done == 0) {
      for (int64_t e = 1; e <= events; ++e) {
        model::EventRecord r;
        r.id = e;
        r.title = fmt::format("事件{}", e);
        r.first_seen = day;
        r.last_seen = day + std::chrono::hours(24) - std::chrono::milliseconds(1);
        r.updated_at = r.last_seen;
        r.grade = e == 1 ? 2 : 4;
        r.heat = e == 1 ? 80 : 10 + static_cast<double>(e % 50);
        r.regions = {"140100"};
        r.detail_json = "{}";
        eb.events.push_back(r);
      }
    }
    auto c = st.CommitEvents(eb);
    if (!c.ok()) return Fail(c.status());
  }
  std::printf("filled %lld posts in %.1f s\n", static_cast<long long>(posts), Seconds(fill_start));

  reports::StoreRefs refs{st, st, st, st, nullptr};
  reports::Scope scope;
  scope.from = day;
  scope.to = day + std::chrono::hours(24);
  scope.now = now;
  auto t0 = std::chrono::steady_clock::now();
  auto facts = reports::GatherPeriod(refs, scope, {});
  if (!facts.ok()) return Fail(facts.status());
  double gather = Seconds(t0);
  auto t1 = std::chrono::steady_clock::now();
  reports::Report daily = reports::AssembleDaily(*facts);
  auto html = reports::RenderHtml(daily, reports::Template::Default(), {});
  if (!html.ok()) return Fail(html.status());
  double render = Seconds(t1);
  std::printf(
      "daily report: %lld posts counted, gather %.2f s, assemble + HTML %.3f s, total "
      "%.2f s (target <= 5 s), %zu bytes\n",
      static_cast<long long>(facts->posts.total), gather, render, Seconds(t0), html->html.size());

  auto t2 = std::chrono::steady_clock::now();
  auto ef = reports::GatherEvent(refs, 1, scope);
  if (!ef.ok()) return Fail(ef.status());
  reports::Report special = reports::AssembleEvent(*ef);
  auto shtml = reports::RenderHtml(special, reports::Template::Default(), {});
  if (!shtml.ok()) return Fail(shtml.status());
  std::printf("special report: event of %lld posts, %.2f s (target <= 3 s), %zu bytes\n",
              static_cast<long long>(ef->posts.total), Seconds(t2), shtml->html.size());
  if (pdf) {
    auto t3 = std::chrono::steady_clock::now();
    auto bytes =
        reports::RenderReport(special, reports::Template::Default(), {}, reports::Format::kPdf);
    if (!bytes.ok()) return Fail(bytes.status());
    std::printf("special report PDF: %.2f s more (target <= 5 s), %zu bytes\n", Seconds(t3),
                bytes->size());
  }
  return 0;
}
