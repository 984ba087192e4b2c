#include "corpus.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/utf8.h"

namespace yuqing::bench {
namespace {

// Reads column `col` (0-based) of a TSV file.
std::vector<std::string> Column(const std::string& path, size_t col, size_t limit = SIZE_MAX) {
  std::ifstream in(path);
  if (!in) {
    std::cerr << "corpus: cannot read " << path << " (is ../shared/data present?)\n";
    std::exit(2);
  }
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line) && out.size() < limit) {
    size_t start = 0;
    for (size_t i = 0; i < col && start != std::string::npos; ++i) {
      start = line.find('\t', start);
      if (start != std::string::npos) ++start;
    }
    if (start == std::string::npos) continue;
    size_t end = line.find('\t', start);
    std::string cell =
        line.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!cell.empty() && core::IsValidUtf8(cell)) out.push_back(std::move(cell));
  }
  return out;
}

constexpr const char* kChannels[] = {"weibo", "weibo", "weibo",   "weibo",
                                     "news",  "news",  "wechat",  "forum",
                                     "video", "qa",    "hotline", "gov_platform"};
constexpr const char* kKinds[] = {"individual", "individual", "individual", "kol", "media", "gov"};

}  // namespace

CorpusGenerator::CorpusGenerator(const std::string& d, uint64_t seed) : rng_(seed) {
  for (auto* v : {&sentences_}) {
    for (auto& s : Column(d + "/weibo_senti_100k/data.tsv", 1)) v->push_back(std::move(s));
    for (auto& s : Column(d + "/waimai_10k/data.tsv", 1)) v->push_back(std::move(s));
    for (auto& s : Column(d + "/ChnSentiCorp_htl_all/data.tsv", 1)) v->push_back(std::move(s));
    for (auto& s : Column(d + "/weibo21_fake_news/train.tsv", 1)) v->push_back(std::move(s));
  }
  titles_ = Column(d + "/toutiao_news_titles/data.tsv", 1);
  for (auto& s : Column(d + "/china_admin_divisions/divisions_pca.tsv", 0)) {
    if (s != "code6") regions_.push_back(std::move(s));
  }
  time_ms_ = core::ParseIso8601("2026-10-01T00:00:00+08:00")->time_since_epoch().count();
}

std::string CorpusGenerator::Next() {
  int64_t n = n_++;
  // Target length: log-normal around 150 characters, clamped to 20..600.
  double u1 = (Uniform(1000000) + 1) / 1000001.0, u2 = (Uniform(1000000) + 1) / 1000001.0;
  double z = std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  size_t target = static_cast<size_t>(std::clamp(150.0 * std::exp(0.5 * z - 0.125), 20.0, 600.0));
  std::string text;
  size_t chars = 0;
  while (chars < target) {
    const std::string& s = sentences_[Uniform(sentences_.size())];
    if (!text.empty()) {
      text += Uniform(3) == 0 ? " " : "，";
      ++chars;
    }
    // Cut the last sentence at the target length (on a code point boundary).
    size_t pos = 0;
    while (pos < s.size() && chars < target) {
      size_t start = pos;
      core::DecodeUtf8(s, pos);
      text.append(s, start, pos - start);
      ++chars;
    }
  }
  // Times advance by ~2.6 s on average (1M posts ≈ 30 days), sometimes out of order.
  time_ms_ += static_cast<int64_t>(Uniform(5200));
  int64_t published = time_ms_ - (Uniform(20) == 0 ? static_cast<int64_t>(Uniform(3600000)) : 0);
  const char* channel = kChannels[Uniform(std::size(kChannels))];
  uint64_t author = Uniform(50000);
  // Followers: Zipf-like, a few large accounts.
  int64_t followers = static_cast<int64_t>(1e7 / std::pow(static_cast<double>(author + 1), 1.1));
  nlohmann::json j = {
      {"source", channel == std::string("news") ? "news_portal" : channel},
      {"id", fmt::format("p{}", n)},
      {"text", text},
      {"published_at",
       core::FormatIso8601(core::TimePoint(std::chrono::milliseconds(published)), 480)},
      {"channel", channel},
      {"url", fmt::format("https://example.cn/{}/{}", channel, n)},
      {"author",
       {{"id", fmt::format("u{}", author)},
        {"name", fmt::format("用户{}", author)},
        {"followers", followers},
        {"verified", author < 500},
        {"kind", kKinds[author % std::size(kKinds)]}}},
      {"metrics",
       {{"reposts", Uniform(100)},
        {"comments", Uniform(200)},
        {"likes", Uniform(1000)},
        {"views", Uniform(100000)}}},
      {"region", regions_[Uniform(regions_.size())]},
  };
  if (std::string(channel) == "news" || Uniform(10) == 0)
    j["title"] = titles_[Uniform(titles_.size())];
  if (n > 100 && Uniform(8) == 0) {
    j["parent"] = {{"source", j["source"]}, {"id", fmt::format("p{}", n - 1 - Uniform(100))}};
  }
  return j.dump();
}

}  // namespace yuqing::bench
