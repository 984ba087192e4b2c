// Segmentation, normalization and index-term throughput of the text engine, single thread.
// Usage: text_segment_bench CORPUS [REPEATS]   (CORPUS: one text per line, e.g. from
// bench/segment_corpus.py). Prints load times, dictionary memory and MB/s per mode.
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "text/keywords.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"
#include "text/simhash.h"

using namespace yuqing::text;  // NOLINT(google-build-using-namespace): a benchmark program
using Clock = std::chrono::steady_clock;

namespace {

double Seconds(Clock::time_point a) {
  return std::chrono::duration<double>(Clock::now() - a).count();
}

template <typename F>
double BestSeconds(int repeats, F&& f) {
  double best = 1e100;
  for (int r = 0; r < repeats; ++r) {
    auto t = Clock::now();
    f();
    best = std::min(best, Seconds(t));
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s CORPUS [REPEATS]\n", argv[0]);
    return 2;
  }
  int repeats = argc > 2 ? std::atoi(argv[2]) : 3;
  std::printf("command: %s %s %d\n", argv[0], argv[1], repeats);
  std::vector<std::string> lines;
  size_t bytes = 0;
  {
    std::ifstream in(argv[1]);
    std::string line;
    while (std::getline(in, line)) {
      bytes += line.size() + 1;
      lines.push_back(std::move(line));
    }
  }
  double mb = static_cast<double>(bytes) / 1e6;
  std::printf("corpus: %zu lines, %.1f MB\n\n", lines.size(), mb);

  // Load: without cache (parse dict.txt and build the trie), then from a fresh cache.
  auto cache = std::filesystem::temp_directory_path() / "yq-segment-bench-cache";
  std::filesystem::remove_all(cache);
  SegmenterOptions cold;
  cold.use_cache = false;
  auto seg_cold = Segmenter::Load(cold);
  if (!seg_cold.ok()) {
    std::fprintf(stderr, "%s\n", seg_cold.status().ToString().c_str());
    return 1;
  }
  SegmenterOptions warm;
  warm.cache_dir = cache.string();
  (void)Segmenter::Load(warm);  // writes the cache
  std::shared_ptr<const Segmenter> seg = *Segmenter::Load(warm);
  std::printf("load, no cache (parse dict.txt, build trie, HMM): %.1f ms\n",
              (*seg_cold)->stats().load_ms);
  std::printf("load, from cache:                                 %.1f ms (from_cache=%d)\n",
              seg->stats().load_ms, seg->stats().from_cache);
  std::printf("dictionary memory (trie + HMM tables): %.1f MB, %zu words\n\n",
              static_cast<double>(seg->stats().memory_bytes) / 1e6, seg->stats().words);
  std::filesystem::remove_all(cache);

  std::vector<std::string_view> words;
  words.reserve(4096);
  struct Mode {
    const char* name;
    CutOptions options;
  };
  CutOptions no_hmm;
  no_hmm.hmm = false;
  CutOptions search;
  search.search = true;
  for (const Mode& m : {Mode{"default (HMM)", CutOptions{}}, Mode{"no HMM", no_hmm},
                        Mode{"search (HMM)", search}}) {
    size_t count = 0;
    double s = BestSeconds(repeats, [&] {
      count = 0;
      for (const auto& l : lines) {
        words.clear();
        seg->Cut(l, words, m.options);
        count += words.size();
      }
    });
    std::printf("segment %-14s %8.2f MB/s  (%.2f s, %zu words)\n", m.name, mb / s, s, count);
  }
  {
    // As a binding must: every word copied out into its own string.
    std::vector<std::string> copies;
    double s = BestSeconds(repeats, [&] {
      for (const auto& l : lines) {
        words.clear();
        seg->Cut(l, words);
        copies.assign(words.begin(), words.end());
      }
    });
    std::printf("segment %-14s %8.2f MB/s  (%.2f s, words copied to std::string)\n", "default+copy",
                mb / s, s);
  }

  auto norm = Normalizer::Create();
  NormalizerOptions full_opts;
  full_opts.t2s_fast_path = false;
  auto norm_full = Normalizer::Create(full_opts);
  if (!norm.ok() || !norm_full.ok()) return 1;
  size_t need = 0;
  for (const auto& l : lines) need += (*norm)->MayConvert(l) ? 1 : 0;
  double s = BestSeconds(repeats, [&] {
    for (const auto& l : lines) (void)(*norm)->Normalize(l);
  });
  std::printf(
      "\nnormalize, OpenCC only when needed %8.2f MB/s  (%.2f s; %zu of %zu lines (%.2f%%) "
      "go to OpenCC; %zu trigger characters)\n",
      mb / s, s, need, lines.size(), 100.0 * static_cast<double>(need) / lines.size(),
      (*norm)->TriggerCount());
  s = BestSeconds(1, [&] {
    for (const auto& l : lines) (void)(*norm_full)->Normalize(l);
  });
  std::printf("normalize, OpenCC on every text    %8.2f MB/s  (%.2f s)\n", mb / s, s);
  size_t differ = 0;
  for (const auto& l : lines) differ += (*norm)->NormalizeText(l) != (*norm_full)->NormalizeText(l);
  std::printf("texts whose output differs between the two: %zu\n", differ);

  auto tok = MakeSegmenterTokenizer(seg, nullptr);
  std::vector<std::string> terms;
  s = BestSeconds(repeats, [&] {
    for (const auto& l : lines) {
      terms.clear();
      tok->DocumentTerms(l, terms);
    }
  });
  std::printf("index terms (jieba-v1 DocumentTerms) %8.2f MB/s  (%.2f s)\n", mb / s, s);

  auto kw = KeywordExtractor::Load(seg);
  if (!kw.ok()) return 1;
  s = BestSeconds(1, [&] {
    for (const auto& l : lines) (void)(*kw)->TfIdf(l, 10);
  });
  std::printf("TF-IDF top 10                       %8.2f MB/s  (%.2f s)\n", mb / s, s);
  s = BestSeconds(1, [&] {
    uint64_t x = 0;
    for (const auto& l : lines) x ^= SimHashOf(**kw, l);
    if (x == 42) std::printf("\n");
  });
  std::printf("SimHash fingerprints                %8.2f MB/s  (%.2f s, %.0f texts/s)\n", mb / s, s,
              static_cast<double>(lines.size()) / s);
  return 0;
}
