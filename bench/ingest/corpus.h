// A reproducible corpus of realistic Chinese posts for benchmarks: sentences taken from the
// public corpora under ../shared/data (Weibo posts, news titles, reviews), assembled into posts
// of about 150 characters with channels, authors, regions, metrics and increasing times.
// The same seed gives the same corpus on the same data.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

namespace yuqing::bench {

class CorpusGenerator {
 public:
  // Loads the material from `shared_data` (the ../shared/data folder). Exits with a message
  // if the folder is missing.
  CorpusGenerator(const std::string& shared_data, uint64_t seed);

  // The n-th post as one NDJSON line (without the newline). Call with n = 0, 1, 2, … in order.
  std::string Next();

  size_t material_sentences() const { return sentences_.size(); }

 private:
  uint64_t Uniform(uint64_t n) { return rng_() % n; }

  std::mt19937_64 rng_;
  std::vector<std::string> sentences_;
  std::vector<std::string> titles_;
  std::vector<std::string> regions_;
  int64_t n_ = 0;
  int64_t time_ms_;
};

}  // namespace yuqing::bench
