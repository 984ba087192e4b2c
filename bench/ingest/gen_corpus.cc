// Writes a reproducible NDJSON corpus of realistic posts to stdout.
// Usage: gen_corpus [--posts N] [--seed S] [--data ../shared/data] > corpus.ndjson
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "corpus.h"

int main(int argc, char** argv) {
  long long posts = 1000000;
  unsigned long long seed = 42;
  std::string data = "../shared/data";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--posts")) posts = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--seed")) seed = std::strtoull(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--data")) data = argv[i + 1];
  }
  yuqing::bench::CorpusGenerator gen(data, seed);
  std::ios::sync_with_stdio(false);
  for (long long i = 0; i < posts; ++i) std::cout << gen.Next() << '\n';
  return 0;
}
