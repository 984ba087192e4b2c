// SimHashIndex insert and query rates. Usage: text_simhash_bench [N] (default 1,000,000).
// Queries: half are stored fingerprints with 0-3 random bits flipped (hits), half random.
#include <chrono>
#include <cstdio>
#include <random>
#include <vector>

#include "text/simhash.h"

using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
  size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 1000000;
  std::printf("command: %s %zu\n", argv[0], n);
  std::mt19937_64 rng(2007);
  std::vector<uint64_t> fps(n);
  for (auto& f : fps) f = rng();
  yuqing::text::SimHashIndex index;
  auto t = Clock::now();
  for (size_t i = 0; i < n; ++i) index.Insert(fps[i], i);
  double s = std::chrono::duration<double>(Clock::now() - t).count();
  std::printf("insert: %zu fingerprints in %.3f s = %.2f M/s; index memory %.1f MB\n", n, s,
              static_cast<double>(n) / s / 1e6, static_cast<double>(index.MemoryBytes()) / 1e6);
  const size_t q = 1000000;
  std::vector<uint64_t> queries(q);
  for (size_t i = 0; i < q; ++i) {
    if (i % 2 == 0) {
      uint64_t f = fps[rng() % n];
      for (int k = static_cast<int>(rng() % 4); k > 0; --k) f ^= uint64_t{1} << (rng() % 64);
      queries[i] = f;
    } else {
      queries[i] = rng();
    }
  }
  std::vector<yuqing::text::SimHashIndex::Match> found;
  size_t hits = 0;
  t = Clock::now();
  for (uint64_t f : queries) {
    found.clear();
    index.Find(f, found);
    hits += found.empty() ? 0 : 1;
  }
  s = std::chrono::duration<double>(Clock::now() - t).count();
  std::printf("query (distance <= 3): %zu queries in %.3f s = %.2f us/query (%.2f M/s); %zu hit\n",
              q, s, s / static_cast<double>(q) * 1e6, static_cast<double>(q) / s / 1e6, hits);
  return 0;
}
