// analysis_bench: full judgment analysis (normalize, segment, sentiment, domain, kinds,
// casualties, places, rumour) of ~150-character posts on one core; model load time; memory.
//
//   build/an/bench/analysis/analysis_bench [posts.txt] [--seconds 5]
// posts.txt: one post per line. Default: the source posts of ../shared/data/weibo_rumor_ced and
// weibo21_fake_news (test), joined and cut to 150 characters (bench only; the product never reads
// them).
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "core/utf8.h"

namespace {

// CPU time of this thread: unlike wall time, not inflated when other processes share the core
// (the 2-core development machines are shared).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

long RssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  }
  return 0;
}

std::string Cut(const std::string& s, size_t chars) {
  size_t pos = 0, n = 0;
  while (pos < s.size() && n < chars) {
    yuqing::core::DecodeUtf8(s, pos);
    ++n;
  }
  return s.substr(0, pos);
}

// Consecutive source posts are joined until a post reaches 150 characters, then cut there.
void ReadTsv(const std::string& path, std::vector<std::string>& out) {
  std::ifstream in(path);
  std::string line, acc;
  while (std::getline(in, line)) {
    size_t tab = line.rfind('\t');
    if (tab == std::string::npos) continue;
    if (!acc.empty()) acc += "。";
    acc += line.substr(tab + 1);
    if (yuqing::core::CountCodePoints(acc) >= 150) {
      out.push_back(Cut(acc, 150));
      acc.clear();
    }
  }
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 5;
  std::string file;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else {
      file = a;
    }
  }
  std::vector<std::string> posts;
  if (!file.empty()) {
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) posts.push_back(line);
  } else {
    const char* env = std::getenv("YQ_SHARED_DATA");
    std::string shared = env ? env : std::string(YQ_SOURCE_DIR) + "/../shared/data";
    ReadTsv(shared + "/weibo_rumor_ced/data.tsv", posts);
    ReadTsv(shared + "/weibo21_fake_news/test.tsv", posts);
  }
  if (posts.empty()) {
    std::fprintf(stderr, "no posts\n");
    return 1;
  }
  size_t bytes = 0, chars = 0;
  for (const auto& p : posts) {
    bytes += p.size();
    chars += yuqing::core::CountCodePoints(p);
  }
  long rss0 = RssKb();
  auto t0 = std::chrono::steady_clock::now();
  auto loaded = yuqing::analysis::Analyzer::Load();
  double load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  if (!loaded.ok()) {
    std::fprintf(stderr, "%s\n", loaded.status().ToString().c_str());
    return 1;
  }
  const auto& a = **loaded;
  long rss1 = RssKb();
  // Warm-up pass, then timed passes until `seconds` have passed.
  size_t sink = 0;
  for (const auto& p : posts) sink += a.AnalyzeText(p).places.size();
  size_t done = 0;
  auto start = std::chrono::steady_clock::now();
  const double cpu0 = ThreadCpuSeconds();
  double elapsed = 0;
  while (elapsed < seconds) {
    for (const auto& p : posts) sink += a.AnalyzeText(p).kinds.size();
    done += posts.size();
    elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  const double cpu = ThreadCpuSeconds() - cpu0;
  std::printf("posts: %zu, average %.1f characters (%.0f bytes)\n", posts.size(),
              static_cast<double>(chars) / posts.size(), static_cast<double>(bytes) / posts.size());
  std::printf("load (normalizer + segmenter + models + gazetteer): %.1f ms\n", load_ms);
  std::printf("resident memory of the loaded analyzer: %.1f MB (linear models %.1f MB)\n",
              (rss1 - rss0) / 1024.0, a.stats().model_bytes / 1048576.0);
  std::printf("full analysis, one thread: %.0f posts/s (%.2f MB/s), %.1f us/post\n", done / elapsed,
              done * (static_cast<double>(bytes) / posts.size()) / elapsed / 1e6,
              elapsed / done * 1e6);
  std::printf("full analysis, thread CPU time: %.0f posts/s, %.1f us/post (wall/CPU %.2f)\n",
              done / cpu, cpu / done * 1e6, elapsed / cpu);
  return sink == 42 ? 1 : 0;
}
