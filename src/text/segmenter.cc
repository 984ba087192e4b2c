#include "text/segmenter.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <unordered_map>

#include "core/utf8.h"
#include "text/double_array.h"
#include "text/jieba_data.h"

namespace yuqing::text {

using internal::DoubleArray;

namespace {

// jieba finalseg: MIN_FLOAT for an unseen emission.
constexpr double kMinFloat = -3.14e100;
// HMM states in the order Python compares their names ('B' < 'E' < 'M' < 'S'), which decides
// ties in Viterbi's max over (probability, state) tuples.
enum State : int { kB = 0, kE = 1, kM = 2, kS = 3 };
constexpr std::array<std::array<int, 2>, 4> kPrevStates = {{
    {kE, kS},  // B
    {kB, kM},  // E
    {kM, kB},  // M
    {kS, kE},  // S
}};
constexpr char32_t kHanFirst = 0x4E00;
constexpr char32_t kHanLast = 0x9FD5;

bool IsHan(char32_t c) { return c >= kHanFirst && c <= kHanLast; }
using core::IsAsciiAlnum;
bool IsAsciiDigit(char32_t c) { return c >= '0' && c <= '9'; }
// jieba's re_han_default: [\u4E00-\u9FD5a-zA-Z0-9+#&\._%\-]
bool IsBlockChar(char32_t c) {
  return IsHan(c) || IsAsciiAlnum(c) || c == '+' || c == '#' || c == '&' || c == '.' || c == '_' ||
         c == '%' || c == '-';
}

// Decodes one code point, with a fast path for ASCII.
inline char32_t Decode(std::string_view s, size_t& pos) {
  auto b = static_cast<unsigned char>(s[pos]);
  if (b < 0x80) {
    ++pos;
    return b;
  }
  return core::DecodeUtf8(s, pos);
}

constexpr uint32_t kCacheMagic = 0x4a425159;  // "YQBJ"
constexpr uint32_t kCacheVersion = 1;

std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/yuqing";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.cache/yuqing";
  }
  return "";
}

}  // namespace

struct Segmenter::Model {
  DoubleArray trie;
  std::vector<int64_t> class_freq;  // frequency of each class; class 0 is frequency 0
  int64_t total = 0;
  std::array<double, 4> start{};
  std::array<std::array<double, 4>, 4> trans{};
  std::vector<std::array<double, 4>> emit;  // per code point kHanFirst..kHanLast
  // The trie node reached from the root by each code point c <= kHanLast (kNone if no word
  // starts with it): every DAG walk in CutBlock starts with one look-up instead of up to three
  // dependent trie steps, the ones that miss the cache most.
  std::vector<int32_t> first_node;
};

struct Segmenter::Overlay {
  struct Entry {
    int64_t freq = 0;
    bool is_word = false;
  };
  std::unordered_map<std::string, Entry> entries;  // user words and all their prefixes
  std::vector<bool> first_bmp = std::vector<bool>(0x10000, false);  // first code points (BMP)
  bool first_astral = false;
  int64_t added_total = 0;

  bool MayStartWith(char32_t c) const { return c < 0x10000 ? first_bmp[c] : first_astral; }
};

struct Segmenter::Scratch {
  std::vector<uint32_t> off;  // byte offset of each code point, plus the end
  std::vector<char32_t> cps;
  std::vector<double> route_val;
  std::vector<int32_t> route_end;
  std::vector<uint8_t> back;  // Viterbi back-pointers, 4 per character
};

namespace {

// ---- Loading -------------------------------------------------------------------------------

struct CacheKey {
  std::string source;
  uint64_t size = 0;
  int64_t mtime_ns = 0;
};

Result<CacheKey> KeyOf(const std::string& path) {
  std::error_code ec;
  auto abs = std::filesystem::absolute(path, ec);
  auto size = std::filesystem::file_size(path, ec);
  if (ec) return Status::NotFound("cannot stat " + path);
  auto mtime = std::filesystem::last_write_time(path, ec);
  if (ec) return Status::NotFound("cannot stat " + path);
  CacheKey key;
  key.source = abs.string();
  key.size = size;
  key.mtime_ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(mtime.time_since_epoch()).count();
  return key;
}

template <typename T>
void WritePod(std::ofstream& out, const T& v) {
  out.write(reinterpret_cast<const char*>(&v), sizeof(T));
}
template <typename T>
void WriteVec(std::ofstream& out, const std::vector<T>& v) {
  uint64_t n = v.size();
  WritePod(out, n);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(n * sizeof(T)));
}

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  template <typename T>
  bool Pod(T& v) {
    if (data_.size() - pos_ < sizeof(T)) return false;
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool Vec(std::vector<T>& v) {
    uint64_t n = 0;
    if (!Pod(n) || n > (data_.size() - pos_) / sizeof(T)) return false;
    v.resize(n);
    std::memcpy(v.data(), data_.data() + pos_, n * sizeof(T));
    pos_ += n * sizeof(T);
    return true;
  }
  bool AtEnd() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  size_t pos_ = 0;
};

void WriteCache(const std::string& file, const CacheKey& key, const Segmenter::Model& m) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(file).parent_path(), ec);
  std::string tmp = file + ".tmp" + std::to_string(std::rand());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    WritePod(out, kCacheMagic);
    WritePod(out, kCacheVersion);
    WritePod(out, key.size);
    WritePod(out, key.mtime_ns);
    std::vector<char> source(key.source.begin(), key.source.end());
    WriteVec(out, source);
    WritePod(out, m.total);
    WriteVec(out, m.class_freq);
    WriteVec(out, m.trie.units());
    WriteVec(out, m.trie.values());
    if (!out) {
      std::filesystem::remove(tmp, ec);
      return;
    }
  }
  std::filesystem::rename(tmp, file, ec);  // atomic: readers see the old file or the new one
  if (ec) std::filesystem::remove(tmp, ec);
}

// Fills trie, class_freq and total from a valid cache file; false if absent, stale or corrupt.
bool ReadCache(const std::string& file, const CacheKey& key, Segmenter::Model& m) {
  auto data = internal::ReadWholeFile(file);
  if (!data.ok()) return false;
  Reader r(*data);
  uint32_t magic = 0, version = 0;
  uint64_t size = 0;
  int64_t mtime = 0;
  std::vector<char> source;
  std::vector<DoubleArray::Unit> units;
  std::vector<uint32_t> values;
  if (!r.Pod(magic) || magic != kCacheMagic || !r.Pod(version) || version != kCacheVersion ||
      !r.Pod(size) || size != key.size || !r.Pod(mtime) || mtime != key.mtime_ns ||
      !r.Vec(source) || std::string(source.begin(), source.end()) != key.source ||
      !r.Pod(m.total) || !r.Vec(m.class_freq) || !r.Vec(units) || !r.Vec(values) || !r.AtEnd()) {
    return false;
  }
  if (m.class_freq.empty() || m.class_freq[0] != 0 || m.total <= 0) return false;
  for (uint32_t v : values) {
    if (v >= m.class_freq.size()) return false;
  }
  auto trie = DoubleArray::FromArrays(std::move(units), std::move(values));
  if (!trie.ok()) return false;
  m.trie = std::move(trie).value();
  return true;
}

Status BuildDictionary(const std::string& path, Segmenter::Model& m) {
  YQ_ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  std::unordered_map<std::string, int64_t> freq;
  freq.reserve(600000);
  int64_t total = 0;
  YQ_RETURN_IF_ERROR(internal::ForEachDictLine(text, path, [&](std::string_view w, int64_t f) {
    freq[std::string(w)] = f;  // later lines win, as in jieba
    total += f;
  }));
  if (total <= 0) return Status::InvalidArgument(path + ": dictionary has no frequencies");
  std::unordered_map<int64_t, uint32_t> class_of;
  m.class_freq.assign(1, 0);
  class_of[0] = 0;
  std::vector<std::pair<std::string, uint32_t>> keys;
  keys.reserve(freq.size());
  for (auto& [word, f] : freq) {
    auto [it, inserted] = class_of.try_emplace(f, static_cast<uint32_t>(m.class_freq.size()));
    if (inserted) m.class_freq.push_back(f);
    keys.emplace_back(word, it->second);
  }
  std::sort(keys.begin(), keys.end());
  m.trie = DoubleArray::Build(keys);
  m.total = total;
  return Status::Ok();
}

Status LoadHmm(const std::string& dir, Segmenter::Model& m) {
  auto state_of = [](const std::string& s) -> int {
    if (s == "B") return kB;
    if (s == "E") return kE;
    if (s == "M") return kM;
    if (s == "S") return kS;
    return -1;
  };
  std::string bad;
  YQ_ASSIGN_OR_RETURN(std::string start, internal::ReadWholeFile(dir + "/prob_start.py"));
  m.start.fill(kMinFloat);
  YQ_RETURN_IF_ERROR(internal::ParsePyDictLiteral(
      start, "prob_start.py", [&](const std::vector<std::string>& path, double v) {
        int s = path.size() == 1 ? state_of(path[0]) : -1;
        if (s < 0) {
          bad = "prob_start.py: unexpected key";
          return;
        }
        m.start[static_cast<size_t>(s)] = v;
      }));
  YQ_ASSIGN_OR_RETURN(std::string trans, internal::ReadWholeFile(dir + "/prob_trans.py"));
  for (auto& row : m.trans) row.fill(-HUGE_VAL);  // jieba's MIN_INF for a missing transition
  YQ_RETURN_IF_ERROR(internal::ParsePyDictLiteral(
      trans, "prob_trans.py", [&](const std::vector<std::string>& path, double v) {
        int a = path.size() == 2 ? state_of(path[0]) : -1;
        int b = path.size() == 2 ? state_of(path[1]) : -1;
        if (a < 0 || b < 0) {
          bad = "prob_trans.py: unexpected key";
          return;
        }
        m.trans[static_cast<size_t>(a)][static_cast<size_t>(b)] = v;
      }));
  YQ_ASSIGN_OR_RETURN(std::string emit, internal::ReadWholeFile(dir + "/prob_emit.py"));
  m.emit.assign(kHanLast - kHanFirst + 1, {kMinFloat, kMinFloat, kMinFloat, kMinFloat});
  YQ_RETURN_IF_ERROR(internal::ParsePyDictLiteral(
      emit, "prob_emit.py", [&](const std::vector<std::string>& path, double v) {
        int s = path.size() == 2 ? state_of(path[0]) : -1;
        if (s < 0) {
          bad = "prob_emit.py: unexpected key";
          return;
        }
        size_t pos = 0;
        char32_t c = path[1].empty() ? 0 : core::DecodeUtf8(path[1], pos);
        // The HMM only ever sees characters in [\u4E00-\u9FD5]; others cannot be queried.
        if (IsHan(c) && pos == path[1].size()) m.emit[c - kHanFirst][static_cast<size_t>(s)] = v;
      }));
  if (!bad.empty()) return Status::InvalidArgument(bad);
  return Status::Ok();
}

}  // namespace

Result<std::shared_ptr<const Segmenter>> Segmenter::Load(const SegmenterOptions& options) {
  auto t0 = std::chrono::steady_clock::now();
  std::string dir = options.jieba_dir;
  if (dir.empty()) {
    const char* env = std::getenv("YQ_JIEBA_DIR");
    dir = env != nullptr && *env != '\0' ? std::string(env) : std::string(kDefaultJiebaDir);
  }
  std::string dict = options.dict_path.empty() ? dir + "/dict.txt" : options.dict_path;
  auto model = std::make_shared<Model>();
  auto stats = std::make_shared<SegmenterStats>();
  YQ_ASSIGN_OR_RETURN(CacheKey key, KeyOf(dict));
  std::string cache_dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  std::string cache_file;
  if (options.use_cache && !cache_dir.empty()) {
    char name[64];
    std::snprintf(name, sizeof(name), "/jieba-dict-%016llx.bin",
                  static_cast<unsigned long long>(internal::Fnv1a64(key.source)));
    cache_file = cache_dir + name;
    stats->from_cache = ReadCache(cache_file, key, *model);
  }
  if (!stats->from_cache) {
    YQ_RETURN_IF_ERROR(BuildDictionary(dict, *model));
    if (!cache_file.empty()) WriteCache(cache_file, key, *model);
  }
  YQ_RETURN_IF_ERROR(LoadHmm(dir + "/finalseg", *model));
  model->first_node.resize(kHanLast + 1);
  std::string utf8;
  for (char32_t c = 0; c <= kHanLast; ++c) {
    utf8.clear();
    core::AppendUtf8(c, utf8);
    model->first_node[c] = model->trie.Walk(DoubleArray::kRoot, utf8);
  }
  stats->cache_file = cache_file;
  size_t words = 0;
  for (auto v : model->trie.values()) words += v != 0 ? 1 : 0;
  stats->words = words;
  stats->memory_bytes = model->trie.MemoryBytes() + model->emit.size() * sizeof(model->emit[0]) +
                        model->class_freq.size() * sizeof(int64_t) +
                        model->first_node.size() * sizeof(int32_t);
  stats->load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return std::shared_ptr<const Segmenter>(
      std::make_shared<Segmenter>(std::move(model), nullptr, std::move(stats)));
}

Segmenter::Segmenter(std::shared_ptr<const Model> model, std::shared_ptr<const Overlay> overlay,
                     std::shared_ptr<const SegmenterStats> stats)
    : model_(std::move(model)), overlay_(std::move(overlay)), stats_(std::move(stats)) {
  total_ = model_->total + (overlay_ ? overlay_->added_total : 0);
  log_total_ = std::log(static_cast<double>(total_));
  class_log_prob_.resize(model_->class_freq.size());
  for (size_t i = 0; i < class_log_prob_.size(); ++i) {
    // Same operations as jieba: log(freq) - logtotal (class 0 is never used as an edge).
    class_log_prob_[i] =
        std::log(static_cast<double>(std::max<int64_t>(model_->class_freq[i], 1))) - log_total_;
  }
}

Segmenter::~Segmenter() = default;

// ---- Dictionary lookups ----------------------------------------------------------------------

int64_t Segmenter::FreqGet(std::string_view word, int64_t fallback) const {
  if (overlay_) {
    auto it = overlay_->entries.find(std::string(word));
    if (it != overlay_->entries.end() && it->second.is_word) return it->second.freq;
    if (it != overlay_->entries.end()) fallback = 0;  // a user prefix is in FREQ with 0
  }
  int32_t node = model_->trie.Walk(DoubleArray::kRoot, word);
  if (node == DoubleArray::kNone || word.empty()) return fallback;
  return model_->class_freq[model_->trie.Value(node)];
}

int64_t Segmenter::Frequency(std::string_view word) const { return FreqGet(word, 0); }

// jieba's suggest_freq(word, tune=False): the product of the probabilities of the pieces the
// word is cut into without HMM, scaled back to a frequency, plus one; never below its own.
int64_t Segmenter::SuggestFreq(std::string_view word) const {
  double ftotal = static_cast<double>(total_);
  double freq = 1;
  std::vector<std::string_view> pieces;
  Cut(word, pieces, CutOptions{.hmm = false});
  for (auto piece : pieces) freq *= static_cast<double>(FreqGet(piece, 1)) / ftotal;
  return std::max(static_cast<int64_t>(freq * static_cast<double>(total_)) + 1, FreqGet(word, 1));
}

Result<std::shared_ptr<const Segmenter>> Segmenter::WithUserWords(
    std::span<const UserWord> words) const {
  auto overlay = overlay_ ? std::make_shared<Overlay>(*overlay_) : std::make_shared<Overlay>();
  // Suggested frequencies depend on the words added before, as with jieba's add_word in a loop,
  // so each is computed by a temporary segmenter over the overlay built so far.
  for (const UserWord& w : words) {
    if (w.word.empty()) return Status::InvalidArgument("user word is empty");
    if (!core::IsValidUtf8(w.word)) {
      return Status::InvalidArgument("user word \"" + w.word + "\" is not valid UTF-8");
    }
    if (w.freq && *w.freq < 0) {
      return Status::InvalidArgument("user word \"" + w.word + "\" has a negative frequency");
    }
    int64_t freq = 0;
    if (w.freq) {
      freq = *w.freq;
    } else {
      freq = Segmenter(model_, overlay, stats_).SuggestFreq(w.word);
    }
    overlay->entries[w.word] = Overlay::Entry{freq, true};
    overlay->added_total += freq;
    size_t pos = 0;
    char32_t first = core::DecodeUtf8(w.word, pos);
    if (first < 0x10000) {
      overlay->first_bmp[first] = true;
    } else {
      overlay->first_astral = true;
    }
    while (pos < w.word.size()) {
      overlay->entries.try_emplace(w.word.substr(0, pos), Overlay::Entry{});
      core::DecodeUtf8(w.word, pos);
    }
  }
  return std::shared_ptr<const Segmenter>(std::make_shared<Segmenter>(model_, overlay, stats_));
}

Result<std::shared_ptr<const Segmenter>> Segmenter::WithUserDictFile(
    const std::string& path) const {
  YQ_ASSIGN_OR_RETURN(std::string text, internal::ReadWholeFile(path));
  std::vector<UserWord> words;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line_no == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // BOM
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.pop_back();
    size_t lead = 0;
    while (lead < line.size() && std::isspace(static_cast<unsigned char>(line[lead]))) ++lead;
    line.erase(0, lead);
    if (line.empty()) continue;
    if (!core::IsValidUtf8(line)) {
      return Status::InvalidArgument(path + ": line " + std::to_string(line_no) +
                                     ": not valid UTF-8");
    }
    // jieba's user dictionary line: ^(.+?)( [0-9]+)?( [a-z]+)?$
    UserWord w;
    size_t sp = line.rfind(' ');
    if (sp != std::string::npos && sp + 1 < line.size() &&
        std::all_of(line.begin() + static_cast<long>(sp) + 1, line.end(),
                    [](char c) { return c >= 'a' && c <= 'z'; })) {
      line.erase(sp);  // a part-of-speech tag: not used
      sp = line.rfind(' ');
    }
    if (sp != std::string::npos && sp + 1 < line.size() &&
        std::all_of(line.begin() + static_cast<long>(sp) + 1, line.end(),
                    [](char c) { return c >= '0' && c <= '9'; })) {
      if (line.size() - sp - 1 > 15) {
        return Status::InvalidArgument(path + ": line " + std::to_string(line_no) +
                                       ": frequency too large");
      }
      w.freq = std::stoll(line.substr(sp + 1));
      line.erase(sp);
    }
    w.word = line;
    words.push_back(std::move(w));
  }
  auto result = WithUserWords(words);
  if (!result.ok()) return result.status().WithContext(path);
  return result;
}

// ---- Cutting ---------------------------------------------------------------------------------

void Segmenter::Cut(std::string_view text, std::vector<std::string_view>& words,
                    const CutOptions& options) const {
  thread_local Scratch scratch;
  size_t first_word = words.size();
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    char32_t c = Decode(text, pos);
    if (IsBlockChar(c)) {
      size_t end = pos;
      while (end < text.size()) {
        size_t next = end;
        if (!IsBlockChar(Decode(text, next))) break;
        end = next;
      }
      CutBlock(text.substr(start, end - start), words, options.hmm, scratch);
      pos = end;
    } else {
      // Outside blocks every character is a word; "\r\n" stays together (jieba's re_skip).
      if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
      words.push_back(text.substr(start, pos - start));
    }
  }
  if (!options.search) return;
  // cut_for_search: before each word longer than two characters, its dictionary 2-grams, then
  // (longer than three) its 3-grams.
  std::vector<std::string_view> coarse(words.begin() + static_cast<long>(first_word), words.end());
  words.resize(first_word);
  std::vector<uint32_t> off;
  for (std::string_view w : coarse) {
    if (w.size() > 2) {
      off.clear();
      size_t p = 0;
      while (p < w.size()) {
        off.push_back(static_cast<uint32_t>(p));
        Decode(w, p);
      }
      off.push_back(static_cast<uint32_t>(w.size()));
      size_t n = off.size() - 1;
      if (n > 2) {
        for (size_t i = 0; i + 1 < n; ++i) {
          std::string_view g = w.substr(off[i], off[i + 2] - off[i]);
          if (FreqGet(g, 0) > 0) words.push_back(g);
        }
      }
      if (n > 3) {
        for (size_t i = 0; i + 2 < n; ++i) {
          std::string_view g = w.substr(off[i], off[i + 3] - off[i]);
          if (FreqGet(g, 0) > 0) words.push_back(g);
        }
      }
    }
    words.push_back(w);
  }
}

std::vector<std::string> Segmenter::CutToStrings(std::string_view text,
                                                 const CutOptions& options) const {
  std::vector<std::string_view> views;
  Cut(text, views, options);
  return {views.begin(), views.end()};
}

void Segmenter::CutBlock(std::string_view block, std::vector<std::string_view>& words, bool hmm,
                         Scratch& s) const {
  // Blocks hold only BMP characters from re_han_default, so every one is well-formed.
  s.off.clear();
  s.cps.clear();
  size_t pos = 0;
  while (pos < block.size()) {
    s.off.push_back(static_cast<uint32_t>(pos));
    s.cps.push_back(Decode(block, pos));
  }
  s.off.push_back(static_cast<uint32_t>(block.size()));
  const size_t n = s.cps.size();
  s.route_val.resize(n + 1);
  s.route_end.resize(n + 1);
  s.route_val[n] = 0;
  const DoubleArray& trie = model_->trie;
  const std::vector<int32_t>& first_node = model_->first_node;
  const auto* bytes = reinterpret_cast<const uint8_t*>(block.data());
  const Overlay* overlay = overlay_.get();

  // calc(): route[idx] = max over words idx..x of (log P(word) + route[x+1], x); the DAG is
  // walked on the fly from each position, right to left. Ties go to the larger x, as Python's
  // max over tuples does.
  for (size_t idx = n; idx-- > 0;) {
    double best = 0;
    int32_t best_end = -1;
    // Block characters are all <= kHanLast: the first step is a table look-up.
    int32_t node =
        s.cps[idx] <= kHanLast
            ? first_node[s.cps[idx]]
            : trie.Walk(DoubleArray::kRoot, block.substr(s.off[idx], s.off[idx + 1] - s.off[idx]));
    bool user = overlay != nullptr && overlay->MayStartWith(s.cps[idx]);
    for (size_t i = idx; i < n; ++i) {
      if (i > idx && node != DoubleArray::kNone) {
        for (uint32_t b = s.off[i]; b < s.off[i + 1]; ++b) {
          node = trie.Next(node, bytes[b]);
          if (node == DoubleArray::kNone) break;
        }
      }
      const Overlay::Entry* user_entry = nullptr;
      if (user) {
        auto it =
            overlay->entries.find(std::string(block.substr(s.off[idx], s.off[i + 1] - s.off[idx])));
        if (it == overlay->entries.end()) {
          user = false;
        } else {
          user_entry = &it->second;
        }
      }
      if (node == DoubleArray::kNone && user_entry == nullptr) break;  // not in FREQ: stop
      double lp = 0;
      bool is_edge = false;
      if (user_entry != nullptr && user_entry->is_word) {
        is_edge = user_entry->freq > 0;
        if (is_edge) lp = std::log(static_cast<double>(user_entry->freq)) - log_total_;
      } else if (node != DoubleArray::kNone) {
        uint32_t cls = trie.Value(node);
        is_edge = cls != 0;
        lp = class_log_prob_[cls];
      }
      if (is_edge) {
        double cand = lp + s.route_val[i + 1];
        if (best_end < 0 || cand >= best) {
          best = cand;
          best_end = static_cast<int32_t>(i);
        }
      }
    }
    if (best_end < 0) {
      // Not a word: log(1) - logtotal.
      best = (0.0 - log_total_) + s.route_val[idx + 1];
      best_end = static_cast<int32_t>(idx);
    }
    s.route_val[idx] = best;
    s.route_end[idx] = best_end;
  }

  auto emit = [&](size_t a, size_t b) {
    words.push_back(block.substr(s.off[a], s.off[b] - s.off[a]));
  };
  if (!hmm) {
    // __cut_DAG_NO_HMM: single ASCII letters/digits of the route are joined.
    size_t x = 0;
    size_t buf_start = 0;
    bool buf = false;
    while (x < n) {
      size_t y = static_cast<size_t>(s.route_end[x]) + 1;
      if (y - x == 1 && IsAsciiAlnum(s.cps[x])) {
        if (!buf) buf_start = x;
        buf = true;
      } else {
        if (buf) emit(buf_start, x);
        buf = false;
        emit(x, y);
      }
      x = y;
    }
    if (buf) emit(buf_start, n);
    return;
  }
  // __cut_DAG: runs of single characters are re-cut by the HMM unless the run is a word.
  size_t x = 0;
  size_t buf_start = 0;
  size_t buf_end = 0;
  auto flush = [&] {
    if (buf_end == buf_start) return;
    if (buf_end - buf_start == 1) {
      emit(buf_start, buf_end);
    } else if (FreqGet(block.substr(s.off[buf_start], s.off[buf_end] - s.off[buf_start]), 0) == 0) {
      Finalseg(block, s, buf_start, buf_end, words);
    } else {
      for (size_t k = buf_start; k < buf_end; ++k) emit(k, k + 1);
    }
    buf_start = buf_end;
  };
  while (x < n) {
    size_t y = static_cast<size_t>(s.route_end[x]) + 1;
    if (y - x == 1) {
      if (buf_end == buf_start) buf_start = buf_end = x;
      buf_end = y;
    } else {
      flush();
      buf_start = buf_end = y;
      emit(x, y);
    }
    x = y;
  }
  flush();
}

// finalseg.cut on characters [from, to) of a block: Han runs go to Viterbi; elsewhere runs of
// [a-zA-Z0-9]+(\.\d+)?%? are words and the characters between them are one word.
void Segmenter::Finalseg(std::string_view block, const Scratch& s, size_t from, size_t to,
                         std::vector<std::string_view>& words) const {
  auto emit = [&](size_t a, size_t b) {
    words.push_back(block.substr(s.off[a], s.off[b] - s.off[a]));
  };
  size_t i = from;
  while (i < to) {
    size_t j = i;
    if (IsHan(s.cps[i])) {
      while (j < to && IsHan(s.cps[j])) ++j;
      Viterbi(block, s, i, j, words);
      i = j;
      continue;
    }
    while (j < to && !IsHan(s.cps[j])) ++j;
    size_t p = i;
    while (p < j) {
      size_t q = p;
      if (IsAsciiAlnum(s.cps[p])) {
        while (q < j && IsAsciiAlnum(s.cps[q])) ++q;
        if (q + 1 < j && s.cps[q] == '.' && IsAsciiDigit(s.cps[q + 1])) {
          q += 2;
          while (q < j && IsAsciiDigit(s.cps[q])) ++q;
        }
        if (q < j && s.cps[q] == '%') ++q;
      } else {
        while (q < j && !IsAsciiAlnum(s.cps[q])) ++q;
      }
      emit(p, q);
      p = q;
    }
    i = j;
  }
}

// jieba finalseg viterbi(): the most probable B/M/E/S sequence ending in E or S, with Python's
// tie-breaking (larger state name wins) and the same order of floating-point additions.
void Segmenter::Viterbi(std::string_view block, const Scratch& s, size_t from, size_t to,
                        std::vector<std::string_view>& words) const {
  const Model& m = *model_;
  const size_t len = to - from;
  auto& back = const_cast<Scratch&>(s).back;
  back.resize(len * 4);
  std::array<double, 4> v{};
  const auto& e0 = m.emit[s.cps[from] - kHanFirst];
  for (int y = 0; y < 4; ++y) v[y] = m.start[y] + e0[y];
  for (size_t t = 1; t < len; ++t) {
    const auto& em = m.emit[s.cps[from + t] - kHanFirst];
    std::array<double, 4> nv{};
    for (int y = 0; y < 4; ++y) {
      int y0 = kPrevStates[y][0];
      int y1 = kPrevStates[y][1];
      double p0 = v[y0] + m.trans[y0][y] + em[y];
      double p1 = v[y1] + m.trans[y1][y] + em[y];
      bool take1 = p1 > p0 || (p1 == p0 && y1 > y0);
      nv[y] = take1 ? p1 : p0;
      back[t * 4 + y] = static_cast<uint8_t>(take1 ? y1 : y0);
    }
    v = nv;
  }
  int state = v[kS] >= v[kE] ? kS : kE;
  // Backtrack into back[t*4] slot 0.. reuse: store the path in a small local vector.
  thread_local std::vector<uint8_t> path;
  path.resize(len);
  for (size_t t = len; t-- > 0;) {
    path[t] = static_cast<uint8_t>(state);
    if (t > 0) state = back[t * 4 + state];
  }
  auto emit = [&](size_t a, size_t b) {
    words.push_back(block.substr(s.off[from + a], s.off[from + b] - s.off[from + a]));
  };
  size_t begin = 0;
  size_t next = 0;
  for (size_t i = 0; i < len; ++i) {
    if (path[i] == kB) {
      begin = i;
    } else if (path[i] == kE) {
      emit(begin, i + 1);
      next = i + 1;
    } else if (path[i] == kS) {
      emit(i, i + 1);
      next = i + 1;
    }
  }
  if (next < len) emit(next, len);
}

}  // namespace yuqing::text
