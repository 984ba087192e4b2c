// The event and case lists the web workbench pages through, at 100,000 rows each (target: each
// answer ≤ 100 ms), and the monitoring screen's statistics over a day of processed posts
// (default 1,000,000, one event holding a tenth of them), over real HTTP on loopback from
// `HttpServer` on a real SQLite file. Prints the median and 95th percentile of each kind of
// request, and the command that produced them.
//
//   build/release/bench/web/lists_bench [--events 100000] [--cases 100000] [--posts 1000000]
//                                       [--requests 100] [--dir /tmp/x] [--keep]
#include <fmt/format.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cases/sweep.h"
#include "core/clock.h"
#include "core/time.h"
#include "pipeline/ingest.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/test_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "text/tokenizer.h"

namespace {

using namespace yuqing;  // NOLINT(google-build-using-namespace): a benchmark program
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

const char* kRegions[] = {"140406", "140402", "140403", "140404", "140100",
                          "110105", "310115", "440305", "510107", "420106"};
const char* kTrends[] = {"rising", "peaking", "declining", "dormant"};

model::EventRecord MakeEvent(std::mt19937_64& rng, core::TimePoint now, int i) {
  model::EventRecord e;
  e.id = i + 1;
  e.title = fmt::format("合成事件 {}：某地{}问题引发关注", i, i % 7 == 0 ? "供暖" : "道路积水");
  e.first_seen = now - std::chrono::minutes(rng() % (90 * 24 * 60));
  e.last_seen = e.first_seen + std::chrono::minutes(rng() % (3 * 24 * 60));
  e.updated_at = e.last_seen;
  e.posts = 2 + static_cast<int64_t>(rng() % 500);
  e.authors = 1 + e.posts / 2;
  e.heat = static_cast<double>(rng() % 10000) / 100.0;
  int r = static_cast<int>(rng() % 1000);
  e.grade = r < 2 ? 1 : r < 10 ? 2 : r < 60 ? 3 : 4;
  e.trend = kTrends[rng() % 4];
  e.domain = static_cast<model::Domain>(rng() % 8);
  e.negative_share = static_cast<double>(rng() % 100) / 100.0;
  e.regions = {kRegions[rng() % 10]};
  e.detail_json = R"({"summary":"合成","keywords":["供暖","积水"]})";
  return e;
}

model::Case MakeCase(std::mt19937_64& rng, core::TimePoint now, int i) {
  model::Case c;
  c.title = fmt::format("合成工单 {}", i);
  c.origin = i % 5 == 0 ? model::CaseOrigin::kHotline : model::CaseOrigin::kEvent;
  c.event_id = c.origin == model::CaseOrigin::kEvent ? 1 + i : 0;
  int r = static_cast<int>(rng() % 100);
  c.grade = r < 2 ? 1 : r < 8 ? 2 : r < 30 ? 3 : 4;
  c.region = kRegions[rng() % 10];
  c.handling_region = c.region;
  c.detected_at = now - std::chrono::minutes(rng() % (365 * 24 * 60));
  c.created_at = c.detected_at + std::chrono::minutes(10);
  c.updated_at = c.created_at;
  c.created_by = "bench";
  c.state = static_cast<model::CaseState>(rng() % 9);
  if (c.origin == model::CaseOrigin::kHotline) c.petitioner = model::PetitionerContact{};
  model::Assignment a;
  a.department_id = fmt::format("dept{:03}", rng() % 500);
  a.assigned_at = c.created_at;
  c.assignments.push_back(a);
  c.rounds.push_back({1, c.created_at, "bench", "case opened"});
  return c;
}

struct Figures {
  double median = 0, p95 = 0;
  int status = 0;
  size_t bytes = 0;
};

Figures Time(httplib::Client& client, const std::string& path, int n) {
  std::vector<double> ms;
  Figures f;
  for (int i = 0; i < n; ++i) {
    auto t0 = Clock::now();
    auto res = client.Get(path);
    ms.push_back(Ms(Clock::now() - t0));
    f.status = res ? res->status : 0;
    f.bytes = res ? res->body.size() : 0;
  }
  std::sort(ms.begin(), ms.end());
  f.median = ms[ms.size() / 2];
  f.p95 = ms[std::min(ms.size() - 1, static_cast<size_t>(ms.size() * 0.95))];
  return f;
}

}  // namespace

int main(int argc, char** argv) {
  int n_events = 100000, n_cases = 100000, n_posts = 1000000, requests = 100;
  std::string dir;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (std::string(argv[i]) == "--keep") keep = true;  // leave the database for inspection
  }
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--events") n_events = std::atoi(argv[i + 1]);
    if (a == "--cases") n_cases = std::atoi(argv[i + 1]);
    if (a == "--posts") n_posts = std::atoi(argv[i + 1]);
    if (a == "--requests") requests = std::max(1, std::atoi(argv[i + 1]));
    if (a == "--dir") dir = argv[i + 1];
  }
  if (dir.empty()) {
    dir = (std::filesystem::temp_directory_path() / fmt::format("yq-lists-bench-{}", ::getpid()))
              .string();
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("command: lists_bench --events %d --cases %d --posts %d --requests %d --dir %s\n",
              n_events, n_cases, n_posts, requests, dir.c_str());
  const core::TimePoint now = *core::ParseIso8601("2026-12-02T12:00:00+08:00");
  std::mt19937_64 rng(20261202);

  store::sqlite::SqliteOptions so;
  so.sync_full = false;
  auto opened = store::sqlite::OpenSqliteStore(dir + "/bench.db", so);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  store::Store& st = **opened;
  auto t0 = Clock::now();
  for (int i = 0; i < n_events;) {
    store::EventBatch batch;
    for (int k = 0; k < 5000 && i < n_events; ++k, ++i)
      batch.events.push_back(MakeEvent(rng, now, i));
    auto done = st.CommitEvents(batch);
    if (!done.ok()) {
      std::fprintf(stderr, "%s\n", done.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("setup: %d events in %.1f s\n", n_events, Ms(Clock::now() - t0) / 1000.0);
  t0 = Clock::now();
  for (int i = 0; i < n_cases; ++i) {
    store::CaseChange change;
    change.after = MakeCase(rng, now, i);
    change.after.sweep_at = cases::NextSweepAt(change.after, change.after.created_at);
    change.audit.at = change.after.created_at;
    change.audit.actor = "bench";
    change.audit.action = "case.open";
    change.audit.object_type = "case";
    auto created = st.CreateCase(change);
    if (!created.ok()) {
      std::fprintf(stderr, "%s\n", created.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("setup: %d cases in %.1f s\n", n_cases, Ms(Clock::now() - t0) / 1000.0);
  // A day of posts, processed: stored, then placed in events with a sentiment label (one event
  // of every ten posts is event 1, the others spread over the events above).
  t0 = Clock::now();
  const model::Channel kChannels[] = {model::Channel::kWeibo, model::Channel::kWechat,
                                      model::Channel::kNews, model::Channel::kForum,
                                      model::Channel::kVideo};
  int64_t queued_after = 0;
  for (int i = 0; i < n_posts;) {
    std::vector<store::PostRecord> batch;
    for (int k = 0; k < 20000 && i < n_posts; ++k, ++i) {
      store::PostRecord r;
      r.post.source = fmt::format("source{}", i % 40);
      r.post.external_id = std::to_string(i);
      r.post.text = "合成信息";
      r.post.published_at = now - std::chrono::milliseconds(rng() % (86400LL * 1000));
      r.post.channel = kChannels[rng() % 5];
      r.post.region = kRegions[rng() % 10];
      r.post.metrics.reposts = static_cast<int64_t>(rng() % 20);
      batch.push_back(std::move(r));
    }
    if (auto w = st.InsertPosts(batch, now); !w.ok()) {
      std::fprintf(stderr, "%s\n", w.status().ToString().c_str());
      return 1;
    }
    auto queued = st.NextQueuedPosts(queued_after, 10000);
    while (queued.ok() && !queued->empty()) {
      store::EventBatch eb;
      for (const auto& q : *queued) {
        eb.queue_through = std::max(eb.queue_through, q.seq);
        int64_t event =
            rng() % 10 == 0 ? 1 : 2 + static_cast<int64_t>(rng() % std::max(1, n_events - 1));
        eb.posts.push_back({q.post.key, event, "bench", 0, "{}", static_cast<int>(rng() % 3) - 1});
      }
      queued_after = eb.queue_through;
      if (auto c = st.CommitEvents(eb); !c.ok()) {
        std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
        return 1;
      }
      queued = st.NextQueuedPosts(queued_after, 10000);
    }
  }
  std::printf("setup: %d processed posts in %.1f s\n", n_posts, Ms(Clock::now() - t0) / 1000.0);

  core::FakeClock clock(now);
  pipeline::Ingestor ingestor(st, text::MakeBigramTokenizer(), clock);
  core::Config config;
  config.listen = "127.0.0.1:0";
  config.server_threads = 4;
  config.cases_sweep_every_s = 0;
  server::HttpServer http(config, st, ingestor, clock);
  if (!http.Bind().ok()) return 1;
  std::thread serving([&] { (void)http.Run(); });
  std::string token = *server::NewApiToken();
  if (server::AddUserToken(st, "bench-admin", model::Role::kAdmin, "bench", token, now) == 0) {
    return 1;
  }
  httplib::Client client("127.0.0.1", http.port());
  client.set_bearer_token_auth(token);
  client.set_read_timeout(30, 0);

  const std::string day_ago =
      httplib::detail::encode_query_param(core::FormatIso8601(now - std::chrono::hours(24)));
  const std::string now_param = httplib::detail::encode_query_param(core::FormatIso8601(now));
  const std::vector<std::pair<const char*, std::string>> kinds = {
      {"events, hottest first (first page)", "/api/v1/events?sort=heat&limit=50"},
      {"events, newest first", "/api/v1/events?sort=last_seen&limit=50"},
      {"events, grade III+ in 1404", "/api/v1/events?sort=heat&limit=50&grade=III&region=1404"},
      {"events, rising, page 100", "/api/v1/events?sort=heat&limit=50&trend=rising&offset=5000"},
      {"events, title contains 供暖", "/api/v1/events?sort=heat&limit=50&q=%E4%BE%9B%E6%9A%96"},
      {"cases, newest first (first page)", "/api/v1/cases?limit=50"},
      {"cases, open, by state", "/api/v1/cases?limit=50&state=assigned,accepted,responding"},
      {"cases, one department's queue", "/api/v1/cases?limit=50&department=dept123&open=true"},
      {"cases, page 200", "/api/v1/cases?limit=50&offset=10000"},
      {"cases, paging back (before=50000)", "/api/v1/cases?limit=50&before=50000"},
      {"stats: sentiment by hour, 24 h", "/api/v1/stats/sentiment?bucket=hour&from=" + day_ago},
      {"stats: sentiment by hour, 24 h, 1404",
       "/api/v1/stats/sentiment?bucket=hour&region=1404&from=" + day_ago},
      {"stats: channel mix, 24 h", "/api/v1/stats/channels?from=" + day_ago},
      {"stats: map, provinces, 7 days", "/api/v1/stats/regions?level=province"},
      {"stats: map, prefectures of 14", "/api/v1/stats/regions?level=prefecture&region=14"},
      {"event series (a tenth of the posts)",
       "/api/v1/events/1/series?bucket=hour&from=" + day_ago + "&to=" + now_param},
  };
  for (const auto& [what, path] : kinds) Time(client, path, 3);  // warm the page cache
  std::printf("%-40s %8s %8s %6s %9s\n", "request (50 rows a page)", "median", "p95", "HTTP",
              "bytes");
  for (const auto& [what, path] : kinds) {
    Figures f = Time(client, path, requests);
    std::printf("%-40s %6.1f ms %6.1f ms %6d %9zu\n", what, f.median, f.p95, f.status, f.bytes);
  }
  http.Stop();
  serving.join();
  if (!keep) std::filesystem::remove_all(dir);
  return 0;
}
