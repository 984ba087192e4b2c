// The assessment of departments (cases/assessment.h) over one year of 100,000 synthetic cases
// across 500 departments must take ≤ 2 s on a 2-core machine. The history is generated
// deterministically (SplitMix64, fixed seed; no std distributions, whose output differs
// between standard libraries), so every run and every machine assesses the same cases.
//
//   build/release/bench/cases/assessment_bench [--benchmark_filter=Assess]
//
// Prints the command, the generated history, the timings (Google Benchmark) and the figures
// of the assessment it timed.
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cases/assessment.h"
#include "core/time.h"

namespace {

using std::chrono::hours;
using std::chrono::minutes;
using yuqing::core::TimePoint;
namespace model = yuqing::model;
namespace cases = yuqing::cases;

constexpr int kCases = 100'000;
constexpr int kDepartments = 500;
constexpr uint64_t kSeed = 20260601;

// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): tiny, fast, and the same everywhere.
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
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  uint64_t s_;
};

const TimePoint kYearStart = *yuqing::core::ParseIso8601("2025-01-01T00:00:00+08:00");
const TimePoint kYearEnd = *yuqing::core::ParseIso8601("2026-01-01T00:00:00+08:00");
const TimePoint kNow = *yuqing::core::ParseIso8601("2026-01-15T00:00:00+08:00");

const char* const kTexts[] = {
    "我局高度重视，正在调查，将依法依规处理，感谢关注。",
    "相关部门已第一时间介入，密切关注事态发展，请以官方发布为准。",
    "经初步调查，事故造成3人受伤，已全部送医救治，涉事企业已停产整改。",
    "经核实，网传信息不实，本市供水水质符合国家标准，检测结果已在官网公布。",
    "已成立联合调查组，对涉事商户立案调查，12名消费者的预付款将于5个工作日内退还。",
    "截至目前，3名伤者病情稳定，周边12家企业已完成排查。",
};

std::string Dept(int64_t i) { return "dept-" + std::to_string(i); }

model::Case Generate(Rng& rng, int64_t id) {
  model::Case c;
  c.id = id;
  const auto span_min = (kYearEnd - kYearStart) / minutes(1);
  c.detected_at = kYearStart + minutes(rng.Below(span_min));
  c.created_at = c.detected_at;
  const int64_t g = rng.Below(100);
  c.grade = g < 5 ? 2 : g < 30 ? 3 : 4;
  const int64_t o = rng.Below(100);
  c.origin = o < 40   ? model::CaseOrigin::kHotline
             : o < 55 ? model::CaseOrigin::kMailbox
             : o < 95 ? model::CaseOrigin::kEvent
                      : model::CaseOrigin::kManual;
  c.rounds.push_back({1, c.detected_at, "op", "case opened"});
  c.event_heat = static_cast<double>(rng.Below(80));

  // Main assignments: most stay, some bounce once, a few twice.
  const int64_t b = rng.Below(100);
  const int bounces = b < 80 ? 0 : b < 95 ? 1 : 2;
  TimePoint t = c.detected_at + minutes(rng.Below(120));
  const char* const reasons[] = {"returned", "reassigned", "dispute"};
  for (int i = 0; i <= bounces; ++i) {
    model::Assignment a;
    a.department_id = Dept(rng.Below(kDepartments));
    a.assigned_at = t;
    if (i < bounces) {
      if (rng.Chance(50)) a.accepted_at = t + minutes(rng.Below(180));
      t += minutes(30 + rng.Below(300));
      a.ended_at = t;
      a.end_reason = reasons[rng.Below(3)];
    } else if (rng.Chance(95)) {
      a.accepted_at = t + minutes(rng.Below(240));
    }
    c.assignments.push_back(a);
    if (rng.Chance(20)) {
      model::Assignment assist;
      assist.department_id = Dept(rng.Below(kDepartments));
      assist.role = model::AssignmentRole::kAssist;
      assist.assigned_at = t;
      c.assignments.push_back(assist);
    }
  }
  const std::string& main = c.assignments.back().role == model::AssignmentRole::kMain
                                ? c.assignments.back().department_id
                                : c.assignments[c.assignments.size() - 2].department_id;

  // Responses: 0–3, published mostly within the 48 hours.
  const int64_t n_resp = rng.Chance(8) ? 0 : 1 + rng.Below(3);
  TimePoint rt = t;
  for (int64_t i = 0; i < n_resp; ++i) {
    model::Response r;
    r.id = static_cast<int>(i) + 1;
    r.department_id = main;
    r.channel = (c.grade <= 2 && i == 0) ? model::ResponseChannel::kBriefing
                                         : model::ResponseChannel::kWeibo;
    r.text = kTexts[rng.Below(std::size(kTexts))];
    rt += minutes(60 + rng.Below(i == 0 ? 3000 : 4000));
    r.drafted_at = rt - minutes(30);
    r.status = model::ResponseStatus::kPublished;
    r.published_at = rt;
    r.round = 1;
    c.responses.push_back(r);
  }
  if (model::HasPetitioner(c.origin)) {
    model::PetitionerContact p;
    p.record_id = "12345-" + std::to_string(id);
    if (rng.Chance(90)) p.replied_at = c.detected_at + minutes(rng.Below(int64_t{90} * 60));
    if (p.replied_at && rng.Chance(80)) {
      p.visited_at = *p.replied_at + hours(24);
      const int64_t s = rng.Below(100);
      p.satisfaction = s < 70 ? "satisfied" : s < 88 ? "basically" : "unsatisfied";
    }
    c.petitioner = p;
  }
  if (rng.Chance(30)) {
    model::Task task;
    task.id = 1;
    task.title = "现场核查";
    task.owner_department = main;
    task.created_at = rt + hours(2);
    c.tasks.push_back(task);
  }
  if (rng.Chance(10)) {
    c.extensions.push_back(c.detected_at + hours(24 * 10));
    c.extended_by = hours(24 * 5);
  }
  if (rng.Chance(25)) c.sweep_marks.push_back("remind:respond");
  if (rng.Chance(10)) {
    c.sweep_marks.push_back("overdue:respond");
    model::Supervision s;
    s.id = 1;
    s.obligation = "respond";
    s.department_id = main;
    s.opened_at = c.detected_at + hours(48);
    c.supervision.push_back(s);
  }
  if (rng.Chance(3)) {
    model::Notice n;
    n.id = 1;
    n.kind = static_cast<model::NoticeKind>(rng.Below(3));
    n.department_id = main;
    n.status = rng.Chance(70) ? "issued" : "proposed";
    c.notices.push_back(n);
  }
  if (c.detected_at < kNow - hours(24 * 20) || rng.Chance(50)) {
    if (rng.Chance(85)) {
      c.closed_at = rt + hours(24 + rng.Below(int64_t{24} * 14));
      c.resolved = rng.Chance(85);
      c.state = model::CaseState::kClosed;
      if (rng.Chance(5)) {  // reopened and still open
        c.reopened = 1;
        c.closed_at.reset();
        c.resolved = false;
        c.rounds.push_back({2, rt + hours(24 * 16), "op", "重办"});
        c.state = model::CaseState::kFollowingUp;
      }
    } else {
      c.state = model::CaseState::kFollowingUp;
    }
  } else {
    c.state = n_resp > 0 ? model::CaseState::kResponded : model::CaseState::kAccepted;
  }
  return c;
}

struct History {
  std::vector<model::Case> cases;
  cases::AssessmentRequest request;
};

const History& TheHistory() {
  static const History h = [] {
    History out;
    Rng rng(kSeed);
    out.cases.reserve(kCases);
    for (int64_t i = 1; i <= kCases; ++i) out.cases.push_back(Generate(rng, i));
    out.request.from = kYearStart;
    out.request.to = kYearEnd;
    out.request.now = kNow;
    for (int64_t i = 0; i < kDepartments; ++i) {
      out.request.departments.push_back({Dept(i), "单位" + std::to_string(i)});
    }
    return out;
  }();
  return h;
}

void BM_Assess100kCases500Departments(benchmark::State& state) {
  const History& h = TheHistory();
  for (auto _ : state) {
    auto a = cases::Assess(h.cases, h.request);
    if (!a.ok()) state.SkipWithError(a.status().ToString().c_str());
    benchmark::DoNotOptimize(a);
  }
  state.counters["cases"] = static_cast<double>(h.cases.size());
  state.counters["cases/s"] = benchmark::Counter(static_cast<double>(h.cases.size()),
                                                 benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Assess100kCases500Departments)->Unit(benchmark::kMillisecond)->MinTime(3.0);

void BM_AssessmentCsv500Departments(benchmark::State& state) {
  const History& h = TheHistory();
  const auto a = cases::Assess(h.cases, h.request);
  for (auto _ : state) {
    std::string csv = cases::AssessmentCsv(*a, "zh");
    benchmark::DoNotOptimize(csv);
  }
}
BENCHMARK(BM_AssessmentCsv500Departments)->Unit(benchmark::kMillisecond);

void PrintFigures() {
  const History& h = TheHistory();
  const auto start = std::chrono::steady_clock::now();
  const auto a = cases::Assess(h.cases, h.request);
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!a.ok()) {
    std::fprintf(stderr, "%s\n", a.status().ToString().c_str());
    return;
  }
  cases::PatternCounts total;
  int64_t responses = 0;
  for (const auto& c : h.cases) responses += static_cast<int64_t>(c.responses.size());
  for (const auto& d : a->departments) total += d.patterns;
  std::printf("history: %zu cases (%lld responses) over 2025 across %d departments, seed %llu\n",
              h.cases.size(), static_cast<long long>(responses), kDepartments,
              static_cast<unsigned long long>(kSeed));
  std::printf("one assessment (outside the benchmark loop): %.3f s; cases in period %lld\n", s,
              static_cast<long long>(a->cases_in_period));
  std::printf(
      "patterns summed over departments: ignoring %lld, passive %lld, shirking %lld, "
      "anticlimax %lld (of %lld department-cases)\n",
      static_cast<long long>(total.ignoring), static_cast<long long>(total.passive),
      static_cast<long long>(total.shirking), static_cast<long long>(total.anticlimax),
      static_cast<long long>(total.cases));
  for (size_t r = 0; r < 3 && r < a->ranking.size(); ++r) {
    const auto& d = a->departments[a->ranking[r]];
    std::printf(
        "rank %zu: %s score %.2f over %lld cases (response %.3f, resolution %.3f, "
        "satisfaction %.3f)\n",
        r + 1, d.id.c_str(), d.score.value_or(0), static_cast<long long>(d.cases),
        d.response.rate().value_or(0), d.resolution.rate().value_or(0),
        d.satisfaction.rate().value_or(0));
  }
}

}  // namespace

int main(int argc, char** argv) try {
  std::string command;
  for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);
  std::printf("command: %s\n", command.c_str());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  PrintFigures();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "assessment_bench: %s\n", e.what());
  return 2;
}
