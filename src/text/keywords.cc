#include "text/keywords.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <unordered_map>

#include "core/utf8.h"
#include "text/jieba_data.h"

namespace yuqing::text {
namespace {

size_t HashWord(std::string_view w) {
  uint64_t h = internal::Fnv1a64(w);
  h ^= h >> 33;  // FNV's low bits are weak for short keys: mix (murmur3 finalizer)
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  return static_cast<size_t>(h);
}

std::string Lower(std::string_view w) {
  std::string s(w);
  for (char& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

Status ParseStopWords(std::string_view text, std::vector<std::string>& out) {
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) out.push_back(Lower(line));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const KeywordExtractor>> KeywordExtractor::Load(
    std::shared_ptr<const Segmenter> segmenter, const KeywordOptions& options) {
  auto k = std::make_shared<KeywordExtractor>();
  k->seg_ = std::move(segmenter);
  std::string idf_path = options.idf_path;
  if (idf_path.empty()) {
    const char* env = std::getenv("YQ_JIEBA_DIR");
    idf_path = (env != nullptr && *env != '\0' ? std::string(env) : std::string(kDefaultJiebaDir)) +
               "/analyse/idf.txt";
  }
  YQ_ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(idf_path));
  // Lines "word idf". Entries go to an arena and an open-addressing table (load ≤ 0.5).
  std::vector<Slot> entries;
  entries.reserve(300000);
  k->arena_.reserve(text.size());
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string_view line(text.data() + pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
    if (line.empty()) continue;
    size_t sp = line.rfind(' ');
    double idf = 0;
    if (sp == std::string_view::npos || sp == 0) {
      return Status::InvalidArgument(idf_path + ": line " + std::to_string(line_no) +
                                     ": expected \"word idf\"");
    }
    std::string num(line.substr(sp + 1));
    char* end = nullptr;
    idf = std::strtod(num.c_str(), &end);
    if (end != num.c_str() + num.size() || !std::isfinite(idf)) {
      return Status::InvalidArgument(idf_path + ": line " + std::to_string(line_no) +
                                     ": bad idf \"" + num + "\"");
    }
    Slot s;
    s.offset = static_cast<uint32_t>(k->arena_.size());
    s.size = static_cast<uint32_t>(sp);
    s.idf = idf;
    k->arena_.append(line.substr(0, sp));
    entries.push_back(s);
  }
  if (entries.empty()) return Status::InvalidArgument(idf_path + ": no entries");
  size_t cap = 1;
  while (cap < entries.size() * 2) cap <<= 1;
  k->slots_.assign(cap, Slot{});
  for (const Slot& e : entries) {
    std::string_view w(k->arena_.data() + e.offset, e.size);
    size_t i = HashWord(w) & (cap - 1);
    while (k->slots_[i].size != 0 &&
           std::string_view(k->arena_.data() + k->slots_[i].offset, k->slots_[i].size) != w) {
      i = (i + 1) & (cap - 1);
    }
    k->slots_[i] = e;  // a repeated word: the later line wins, as in jieba's dict
  }
  // jieba: median = sorted(values)[len // 2], over distinct words.
  std::vector<double> values;
  values.reserve(entries.size());
  for (const Slot& s : k->slots_) {
    if (s.size != 0) values.push_back(s.idf);
  }
  std::nth_element(values.begin(), values.begin() + static_cast<long>(values.size() / 2),
                   values.end());
  k->median_idf_ = values[values.size() / 2];

  if (options.stopwords_path.empty()) {
    YQ_RETURN_IF_ERROR(ParseStopWords(DefaultStopWords(), k->stop_sorted_));
  } else {
    YQ_ASSIGN_OR_RETURN(std::string stop, internal::ReadWholeFile(options.stopwords_path));
    YQ_RETURN_IF_ERROR(ParseStopWords(stop, k->stop_sorted_));
  }
  return std::shared_ptr<const KeywordExtractor>(std::move(k));
}

const KeywordExtractor::Slot* KeywordExtractor::Find(std::string_view word) const {
  if (word.empty()) return nullptr;
  size_t mask = slots_.size() - 1;
  size_t i = HashWord(word) & mask;
  while (slots_[i].size != 0) {
    if (std::string_view(arena_.data() + slots_[i].offset, slots_[i].size) == word) {
      return &slots_[i];
    }
    i = (i + 1) & mask;
  }
  return nullptr;
}

double KeywordExtractor::Idf(std::string_view word) const {
  const Slot* s = Find(word);
  return s != nullptr ? s->idf : median_idf_;
}

bool KeywordExtractor::IsStopWord(std::string_view word) const {
  // Most words (all Chinese ones) have no ASCII capital: no lower-cased copy for them.
  const bool upper =
      std::any_of(word.begin(), word.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
  if (upper) return std::binary_search(stop_sorted_.begin(), stop_sorted_.end(), Lower(word));
  return std::binary_search(stop_sorted_.begin(), stop_sorted_.end(), word,
                            [](std::string_view a, std::string_view b) { return a < b; });
}

std::vector<std::string_view> KeywordExtractor::CountedWords(std::string_view text) const {
  std::vector<std::string_view> words;
  seg_->Cut(text, words);
  std::vector<std::string_view> out;
  out.reserve(words.size());
  for (std::string_view w : words) {
    // jieba: len(w.strip()) < 2 or w.lower() in stop_words -> skipped.
    std::string_view s = w;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    if (core::CountCodePoints(s) < 2 || IsStopWord(w)) continue;
    out.push_back(w);
  }
  return out;
}

std::vector<Keyword> KeywordExtractor::WeightedWords(std::string_view text) const {
  std::vector<std::string_view> words = CountedWords(text);
  std::unordered_map<std::string_view, size_t> index;
  std::vector<Keyword> out;
  std::vector<double> counts;
  for (std::string_view w : words) {
    auto [it, inserted] = index.try_emplace(w, out.size());
    if (inserted) {
      out.push_back(Keyword{std::string(w), 0});
      counts.push_back(0);
    }
    counts[it->second] += 1;
  }
  double total = static_cast<double>(words.size());
  for (size_t i = 0; i < out.size(); ++i) {
    // Same order of operations as jieba: count * (idf / total).
    out[i].weight = counts[i] * (Idf(out[i].word) / total);
  }
  return out;
}

std::vector<Keyword> KeywordExtractor::TfIdf(std::string_view text, size_t top_k) const {
  std::vector<Keyword> out = WeightedWords(text);
  std::stable_sort(out.begin(), out.end(),
                   [](const Keyword& a, const Keyword& b) { return a.weight > b.weight; });
  if (out.size() > top_k) out.resize(top_k);
  return out;
}

// TextRank (Mihalcea & Tarau, EMNLP 2004, §3): an undirected co-occurrence graph over the
// counted words, edge weight = number of co-occurrences within the window, then
// WS(v) = (1 - d) + d * Σ_u w(u,v) / Σ_k w(u,k) * WS(u), d = 0.85.
std::vector<Keyword> KeywordExtractor::TextRank(std::string_view text, size_t top_k,
                                                size_t window) const {
  std::vector<std::string_view> words = CountedWords(text);
  std::unordered_map<std::string_view, size_t> id;
  std::vector<std::string_view> names;
  std::vector<size_t> seq;
  for (std::string_view w : words) {
    auto [it, inserted] = id.try_emplace(w, names.size());
    if (inserted) names.push_back(w);
    seq.push_back(it->second);
  }
  size_t n = names.size();
  std::vector<std::unordered_map<size_t, double>> adj(n);
  for (size_t i = 0; i < seq.size(); ++i) {
    for (size_t j = i + 1; j < seq.size() && j < i + window; ++j) {
      if (seq[i] == seq[j]) continue;
      adj[seq[i]][seq[j]] += 1;
      adj[seq[j]][seq[i]] += 1;
    }
  }
  std::vector<double> out_sum(n, 0);
  for (size_t u = 0; u < n; ++u) {
    for (const auto& [v, w] : adj[u]) out_sum[u] += w;
  }
  std::vector<double> ws(n, 1.0), next(n);
  constexpr double kD = 0.85;
  for (int iter = 0; iter < 10; ++iter) {
    for (size_t v = 0; v < n; ++v) {
      double s = 0;
      for (const auto& [u, w] : adj[v]) s += w / out_sum[u] * ws[u];
      next[v] = (1 - kD) + kD * s;
    }
    ws.swap(next);
  }
  std::vector<Keyword> out;
  double top = 0;
  for (size_t i = 0; i < n; ++i) top = std::max(top, ws[i]);
  for (size_t i = 0; i < n; ++i) {
    out.push_back(Keyword{std::string(names[i]), top > 0 ? ws[i] / top : 0});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Keyword& a, const Keyword& b) { return a.weight > b.weight; });
  if (out.size() > top_k) out.resize(top_k);
  return out;
}

}  // namespace yuqing::text
