// A login verifies one Argon2id hash (libsodium's interactive limits: 2 passes over 64 MiB) and
// must stay under 0.5 s; setting or changing a password hashes once, at the same cost. A login
// for an unknown user verifies a dummy hash, so it costs the same (server/accounts_api.cc).
//
//   build/release/bench/access/login_bench [--benchmark_filter=Verify]
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "access/password.h"

namespace {

constexpr const char* kPassword = "长治-舆情-correct-horse-42";

const std::string& StoredHash() {
  static const std::string hash = [] {
    auto h = yuqing::access::HashPassword(kPassword);
    if (!h.ok()) {
      std::fprintf(stderr, "HashPassword failed\n");
      std::exit(2);
    }
    return *h;
  }();
  return hash;
}

void BM_HashPassword(benchmark::State& state) {
  for (auto _ : state) {
    auto h = yuqing::access::HashPassword(kPassword);
    benchmark::DoNotOptimize(h);
  }
}
BENCHMARK(BM_HashPassword)->Unit(benchmark::kMillisecond)->UseRealTime();

// A login with the right password and one with a wrong password: both run the whole hash.
void BM_VerifyPassword(benchmark::State& state, const char* password) {
  const std::string& hash = StoredHash();
  for (auto _ : state) {
    bool ok = yuqing::access::VerifyPassword(hash, password);
    benchmark::DoNotOptimize(ok);
  }
}
BENCHMARK_CAPTURE(BM_VerifyPassword, right, kPassword)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK_CAPTURE(BM_VerifyPassword, wrong, "长治-舆情-wrong-horse-42")
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_CheckPasswordPolicy(benchmark::State& state) {
  for (auto _ : state) {
    auto s = yuqing::access::CheckPasswordPolicy(kPassword, "zhang.wei");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_CheckPasswordPolicy)->Unit(benchmark::kMicrosecond);

}  // namespace

int main(int argc, char** argv) {
  std::printf("command:");
  for (int i = 0; i < argc; ++i) std::printf(" %s", argv[i]);
  std::printf("\nhash: %.30s…\n", StoredHash().c_str());
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
