// Routing one event with the shipped 长治 organisation (278 departments) must take well under
// 1 ms; loading the gazetteer and the organisation is measured beside it. Data from the
// source tree (YQ_SOURCE_DIR, or the tree the program was built from).
//
//   build/release/bench/org/route_bench [--benchmark_filter=Route]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "org/org.h"

namespace {

using yuqing::org::LoadedOrganisation;
using yuqing::org::RegionTree;
using yuqing::org::Router;
using yuqing::org::RoutingInput;

std::string SourceDir() {
  const char* env = std::getenv("YQ_SOURCE_DIR");
  return env != nullptr ? env : YQ_DEFAULT_SOURCE_DIR;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const std::string& GazetteerText() {
  static const std::string text = Read(SourceDir() + "/data/gazetteer/places.tsv");
  return text;
}
const std::string& OrgText() {
  static const std::string text = Read(SourceDir() + "/data/org/changzhi.toml");
  return text;
}
std::shared_ptr<const RegionTree> Regions() {
  static const auto tree =
      std::make_shared<const RegionTree>(RegionTree::FromGazetteerTsv(GazetteerText()).value());
  return tree;
}
const Router& TheRouter() {
  static const Router router =
      Router::Create(yuqing::org::OrganisationFromToml(OrgText(), *Regions())->organisation,
                     Regions())
          .value();
  return router;
}

RoutingInput Input(const char* json) {
  auto in = yuqing::org::RoutingInputFromJson(std::string_view(json));
  if (!in.ok()) std::abort();
  return *in;
}

void BM_LoadGazetteer(benchmark::State& state) {
  for (auto _ : state) {
    auto tree = RegionTree::FromGazetteerTsv(GazetteerText());
    benchmark::DoNotOptimize(tree);
  }
}
BENCHMARK(BM_LoadGazetteer)->Unit(benchmark::kMillisecond);

void BM_LoadOrganisationToml(benchmark::State& state) {
  for (auto _ : state) {
    auto org = yuqing::org::OrganisationFromToml(OrgText(), *Regions());
    benchmark::DoNotOptimize(org);
  }
}
BENCHMARK(BM_LoadOrganisationToml)->Unit(benchmark::kMillisecond);

void BM_LoadOrganisationJson(benchmark::State& state) {
  std::string json = yuqing::org::OrganisationToJson(TheRouter().organisation());
  for (auto _ : state) {
    auto org = yuqing::org::OrganisationFromJson(json, *Regions());
    benchmark::DoNotOptimize(org);
  }
}
BENCHMARK(BM_LoadOrganisationJson)->Unit(benchmark::kMillisecond);

void BM_BuildRouter(benchmark::State& state) {
  const auto& org = TheRouter().organisation();
  for (auto _ : state) {
    auto router = Router::Create(org, Regions());
    benchmark::DoNotOptimize(router);
  }
}
BENCHMARK(BM_BuildRouter)->Unit(benchmark::kMillisecond);

// A county matter, the grade II aniline leak with a named body, two localities, a tax
// complaint found by name only, and the JSON in and out a CLI call pays.
void BM_Route(benchmark::State& state, const char* json) {
  RoutingInput in = Input(json);
  const Router& router = TheRouter();
  for (auto _ : state) {
    auto r = router.Route(in);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK_CAPTURE(BM_Route, county,
                  R"({"regions": ["140423"], "domains": ["education"], "grade": 4})")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Route, aniline_leak_grade_II,
                  R"({"regions": ["140406"], "domains": ["environment", "emergency"],
                      "grade": 2, "kinds": ["emergency"], "bodies": ["长治市生态环境局潞城分局"]})")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Route, two_districts,
                  R"({"regions": ["140403", "140404"], "domains": ["housing"], "grade": 4,
                      "bodies": ["潞州区住房和城乡建设局", "上党区住房和城乡建设局"]})")
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Route, tax_by_name,
                  R"({"regions": ["140403"], "grade": 4, "bodies": ["网传潞州区税务局某窗口"]})")
    ->Unit(benchmark::kMicrosecond);

void BM_RouteWithJson(benchmark::State& state) {
  const char* text = R"({"regions": ["140406"], "domains": ["environment", "emergency"],
                         "grade": 2, "bodies": ["长治市生态环境局潞城分局"]})";
  const Router& router = TheRouter();
  for (auto _ : state) {
    auto in = yuqing::org::RoutingInputFromJson(std::string_view(text));
    auto r = router.Route(*in);
    std::string out = yuqing::org::RoutingToJson(*r).dump();
    benchmark::DoNotOptimize(out);
  }
}
BENCHMARK(BM_RouteWithJson)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  std::printf("command:");
  for (int i = 0; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\norganisation: %zu departments, gazetteer: %zu regions\n",
              TheRouter().organisation().departments.size(), Regions()->size());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
