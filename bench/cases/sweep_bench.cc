// The deadline and supervision sweep over 100,000 open cases (target ≤ 1 s) and opening a case
// from an event with its routing (target ≤ 10 ms), on a real SQLite file in a temp directory
// with the shipped 长治 organisation. Prints its figures and the command that produced them.
//
//   build/release/bench/cases/sweep_bench [--cases 100000] [--opens 1000] [--dir /tmp/x]
//
// Phases: the pure ladder (cases::Sweep) over the cases in memory; reading them from the store
// (ListCases, pages of 1,000); the service's sweep on the store (reading, deciding, writing the
// changes with their notices and audit entries) the first time — when every due reminder and
// supervision item is written — and again at once, when nothing is due (the steady state).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "cases/service.h"
#include "cases/sweep.h"
#include "core/clock.h"
#include "core/time.h"
#include "org/org.h"
#include "server/case_support.h"
#include "store/sqlite/sqlite_store.h"

namespace {

using namespace yuqing;  // NOLINT(google-build-using-namespace): a benchmark program
using Clock = std::chrono::steady_clock;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

std::string SourceDir() {
  const char* env = std::getenv("YQ_SOURCE_DIR");
  return env != nullptr ? env : YQ_DEFAULT_SOURCE_DIR;
}

// A plausible spread of open cases: detected over the five days before `now`, grades mostly
// IV, assigned to one of 500 departments, a third with a published response.
model::Case MakeCase(std::mt19937_64& rng, core::TimePoint now, int i) {
  model::Case c;
  c.title = fmt::format("合成工单 {}", i);
  c.origin = i % 5 == 0 ? model::CaseOrigin::kHotline : model::CaseOrigin::kEvent;
  c.event_id = c.origin == model::CaseOrigin::kEvent ? 1 + i : 0;
  int r = static_cast<int>(rng() % 100);
  c.grade = r < 2 ? 1 : r < 8 ? 2 : r < 30 ? 3 : 4;
  c.region = "140406";
  c.handling_region = "140400";
  c.detected_at = now - std::chrono::minutes(rng() % (5 * 24 * 60));
  c.created_at = c.detected_at + std::chrono::minutes(10);
  c.updated_at = c.created_at;
  c.created_by = "bench";
  c.state = model::CaseState::kAccepted;
  if (c.origin == model::CaseOrigin::kHotline) c.petitioner = model::PetitionerContact{};
  model::Assignment a;
  a.department_id = fmt::format("dept{:03}", rng() % 500);
  a.assigned_at = c.created_at;
  a.accepted_at = c.created_at + std::chrono::minutes(30);
  c.assignments.push_back(a);
  c.rounds.push_back({1, c.created_at, "bench", "case opened"});
  if (rng() % 3 == 0) {
    model::Response resp;
    resp.id = 1;
    resp.department_id = a.department_id;
    resp.text = "已成立调查组，3人送医";
    resp.status = model::ResponseStatus::kPublished;
    resp.published_at = c.created_at + std::chrono::hours(rng() % 30);
    c.responses.push_back(resp);
    c.state = model::CaseState::kResponded;
  }
  c.event_heat = static_cast<double>(rng() % 80);
  return c;
}

}  // namespace

int main(int argc, char** argv) {
  int n = 100000;
  int opens = 1000;
  std::string dir;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--cases") n = std::atoi(argv[i + 1]);
    if (a == "--opens") opens = std::atoi(argv[i + 1]);
    if (a == "--dir") dir = argv[i + 1];
  }
  if (dir.empty()) {
    dir = (std::filesystem::temp_directory_path() / fmt::format("yq-sweep-bench-{}", ::getpid()))
              .string();
  }
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::printf("command: sweep_bench --cases %d --opens %d --dir %s\n", n, opens, dir.c_str());
  const core::TimePoint now = *core::ParseIso8601("2026-12-02T12:00:00+08:00");
  std::mt19937_64 rng(20261202);
  std::vector<model::Case> all;
  all.reserve(n);
  for (int i = 0; i < n; ++i) all.push_back(MakeCase(rng, now, i));

  // 1. The pure ladder over the cases in memory.
  cases::SweepOptions opts;
  opts.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/hook", ""}};
  auto t0 = Clock::now();
  int64_t due = 0, notices = 0;
  for (const auto& c : all) {
    if (auto d = cases::Sweep(c, now, opts)) {
      ++due;
      notices += static_cast<int64_t>(d->notices.size());
    }
  }
  double pure_ms = Ms(Clock::now() - t0);
  std::printf("pure sweep:      %d open cases in %.0f ms (%lld with something due, %lld notices)\n",
              n, pure_ms, static_cast<long long>(due), static_cast<long long>(notices));

  // 2. The cases in a real SQLite file.
  store::sqlite::SqliteOptions so;
  so.sync_full = false;
  auto opened = store::sqlite::OpenSqliteStore(dir + "/bench.db", so);
  if (!opened.ok()) {
    std::fprintf(stderr, "%s\n", opened.status().ToString().c_str());
    return 1;
  }
  store::Store& st = **opened;
  t0 = Clock::now();
  for (const auto& c : all) {
    store::CaseChange change;
    change.after = c;
    change.after.sweep_at = cases::NextSweepAt(c, c.created_at);  // as the service writes it
    change.audit.at = c.created_at;
    change.audit.actor = "bench";
    change.audit.action = "case.open";
    change.audit.object_type = "case";
    auto created = st.CreateCase(change);
    if (!created.ok()) {
      std::fprintf(stderr, "%s\n", created.status().ToString().c_str());
      return 1;
    }
  }
  std::printf("store:           %d cases created in %.1f s (one transaction each, audited)\n", n,
              Ms(Clock::now() - t0) / 1000.0);
  t0 = Clock::now();
  store::CaseFilter f;
  f.open_only = true;
  f.descending = false;
  f.limit = 1000;
  int64_t read = 0;
  while (true) {
    auto page = st.ListCases(f);
    if (!page.ok() || page->empty()) break;
    read += static_cast<int64_t>(page->size());
    f.after_id = page->back().id;
  }
  double read_ms = Ms(Clock::now() - t0);
  std::printf("read:            %lld open cases read in %.0f ms (all of them, for comparison)\n",
              static_cast<long long>(read), read_ms);

  // 3. The service's sweep on the store: first (writes every due step), then steady state.
  core::FakeClock clock(now);
  cases::ServiceOptions so2;
  so2.notify = {{opts.targets[0], ""}};
  cases::CaseService service(st, nullptr, clock, so2);
  t0 = Clock::now();
  auto first = service.Sweep();
  double first_ms = Ms(Clock::now() - t0);
  t0 = Clock::now();
  auto again = service.Sweep();
  double again_ms = Ms(Clock::now() - t0);
  if (!first.ok() || !again.ok()) {
    std::fprintf(stderr, "sweep failed\n");
    return 1;
  }
  std::printf(
      "service sweep:   first %.0f ms (%lld changed, %lld notices written); steady state "
      "%.0f ms (%lld changed)\n",
      first_ms, static_cast<long long>(first->changed), static_cast<long long>(first->notices),
      again_ms, static_cast<long long>(again->changed));

  // 4. Opening a case from an event with its routing.
  auto loaded = org::RegionTree::LoadGazetteerFile(SourceDir() + "/data/gazetteer/places.tsv");
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  auto tree = std::make_shared<const org::RegionTree>(std::move(*loaded));
  auto org_file = org::LoadOrganisationFile(SourceDir() + "/data/org/changzhi.toml", *tree);
  if (!org_file.ok()) {
    std::fprintf(stderr, "%s\n", org_file.status().ToString().c_str());
    return 1;
  }
  auto router = org::Router::Create(org_file->organisation, tree);
  if (!router.ok()) return 1;
  model::EventRecord event;
  event.id = 424242;
  event.title = "潞城区化工企业苯胺泄漏流入浊漳河";
  event.grade = 2;
  event.domain = model::Domain::kEnvironment;
  event.regions = {"140406", "140400"};
  event.detail_json =
      R"({"regions":{"140406":40,"140400":12},"domains":{"environment":40,"emergency":9},)"
      R"("kinds":{"emergency":30},"gov_mentions":{"长治市生态环境局":5,"潞城区政府":4}})";
  std::vector<double> lat;
  lat.reserve(opens);
  access::Principal who;
  who.name = "bench";
  who.role = model::Role::kAnalyst;
  for (int i = 0; i < opens; ++i) {
    auto s = Clock::now();
    auto req = server::EventOpenRequest(st, &*router, event, service.options(),
                                        nlohmann::json::object(), now);
    if (!req.ok()) {
      std::fprintf(stderr, "%s\n", req.status().ToString().c_str());
      return 1;
    }
    auto c = service.Open(*req, who);
    if (!c.ok()) {
      std::fprintf(stderr, "%s\n", c.status().ToString().c_str());
      return 1;
    }
    lat.push_back(Ms(Clock::now() - s));
    if (i == 0) {
      std::printf("open + route:    first case routed to %s (handling region %s)\n",
                  c->suggested_departments.empty() ? "-" : c->suggested_departments[0].c_str(),
                  c->handling_region.c_str());
    }
  }
  std::sort(lat.begin(), lat.end());
  std::printf("open + route:    %d cases, median %.2f ms, p95 %.2f ms, max %.2f ms\n", opens,
              lat[lat.size() / 2], lat[lat.size() * 95 / 100], lat.back());
  std::filesystem::remove_all(dir);
  return 0;
}
