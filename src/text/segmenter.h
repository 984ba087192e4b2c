// Chinese word segmentation: our own C++ implementation of the jieba method, reading the data
// files of Debian's python3-jieba (dictionary, HMM parameters) at run time. Output matches
// Python jieba 0.42 `jieba.lcut(text)` / `cut_for_search` on the same input. See docs/text.md.
//
// The method (Sun Junyi's jieba, as documented in its README):
//  1. Text is split into blocks: runs of [\u4E00-\u9FD5a-zA-Z0-9+#&._%-] are segmented; every
//     other character is its own token (whitespace too, "\r\n" kept together).
//  2. In a block, every dictionary word starting at each character forms a DAG; the route
//     maximising the sum of log(freq / total) is taken (a non-word character costs log(1/total)).
//  3. With HMM on, runs of single characters the dictionary does not know as a whole are
//     re-cut by a 4-state (B/M/E/S) hidden Markov model decoded with Viterbi; Latin letters and
//     digits in such runs stay together ("3.5%", "iPhone").
//  Search mode then also emits every dictionary 2- and 3-character word inside longer words.
//
// Words are returned as string_views into the caller's text: no allocation per word.
//
// Threads: a Segmenter is immutable after construction; share it as
// std::shared_ptr<const Segmenter> and call Cut() from any number of threads. Adding user
// words never changes an instance: WithUserWords() returns a new one that shares the loaded
// dictionary, so readers of the old instance are never disturbed (swap the pointer to publish).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::text {

// Where Debian's python3-jieba keeps its data files.
inline constexpr std::string_view kDefaultJiebaDir = "/usr/lib/python3/dist-packages/jieba";

struct SegmenterOptions {
  // Directory holding dict.txt and finalseg/prob_*.py. Empty: $YQ_JIEBA_DIR, else
  // kDefaultJiebaDir.
  std::string jieba_dir;
  // The main dictionary; empty means <jieba_dir>/dict.txt.
  std::string dict_path;
  // Where the compiled dictionary is cached. Empty: $XDG_CACHE_HOME/yuqing, else
  // $HOME/.cache/yuqing. The cache is keyed by the dictionary's path, size and mtime, so an
  // edited dictionary is recompiled; a cache that cannot be written is silently skipped.
  std::string cache_dir;
  bool use_cache = true;
};

// A word added at run time. Without a frequency, one is suggested as jieba's
// suggest_freq(word) does: just high enough that the word is cut as a whole.
struct UserWord {
  std::string word;
  std::optional<int64_t> freq;
};

struct CutOptions {
  bool hmm = true;      // recognise unknown words with the HMM
  bool search = false;  // also emit dictionary 2-/3-character words inside longer words
};

// Facts about how a segmenter was loaded, for logs and benchmarks.
struct SegmenterStats {
  double load_ms = 0;       // wall time of Load()
  bool from_cache = false;  // the compiled dictionary came from the cache
  size_t words = 0;         // entries of the dictionary (with prefixes: nodes of the trie)
  size_t memory_bytes = 0;  // dictionary trie + HMM tables
  std::string cache_file;   // the cache file used or written ("" if none)
};

class Segmenter {
 public:
  // Loads the dictionary and HMM model. Errors: NotFound when a data file is missing,
  // InvalidArgument (with file and line) when one cannot be parsed.
  static Result<std::shared_ptr<const Segmenter>> Load(const SegmenterOptions& options = {});

  // Appends the words of `text` (any bytes; an ill-formed UTF-8 byte is a word of its own) to
  // `words`. The views point into `text`. In default mode their concatenation is `text`.
  void Cut(std::string_view text, std::vector<std::string_view>& words,
           const CutOptions& options = {}) const;

  // Convenience for tests and tools: words copied into strings.
  std::vector<std::string> CutToStrings(std::string_view text,
                                        const CutOptions& options = {}) const;

  // A new segmenter that knows `words` too (later entries win). InvalidArgument for an empty
  // word or a negative frequency.
  Result<std::shared_ptr<const Segmenter>> WithUserWords(std::span<const UserWord> words) const;

  // Reads a user dictionary file in jieba's format, one "word [freq] [tag]" per line, and
  // returns WithUserWords() of it. NotFound / InvalidArgument (with the line number).
  Result<std::shared_ptr<const Segmenter>> WithUserDictFile(const std::string& path) const;

  // The dictionary frequency of `word` (user words included); 0 when not a word.
  int64_t Frequency(std::string_view word) const;
  // Sum of all frequencies (jieba's `total`).
  int64_t Total() const { return total_; }
  const SegmenterStats& stats() const { return *stats_; }

  struct Model;    // dictionary + HMM, shared between instances; defined in segmenter.cc
  struct Overlay;  // user words
  Segmenter(std::shared_ptr<const Model> model, std::shared_ptr<const Overlay> overlay,
            std::shared_ptr<const SegmenterStats> stats);
  ~Segmenter();

 private:
  struct Scratch;
  void CutBlock(std::string_view block, std::vector<std::string_view>& words, bool hmm,
                Scratch& scratch) const;
  void Finalseg(std::string_view block, const Scratch& scratch, size_t from, size_t to,
                std::vector<std::string_view>& words) const;
  void Viterbi(std::string_view block, const Scratch& scratch, size_t from, size_t to,
               std::vector<std::string_view>& words) const;
  // jieba's FREQ.get(word, fallback): the frequency if `word` is a word or a prefix of one
  // (prefixes have 0), else `fallback`.
  int64_t FreqGet(std::string_view word, int64_t fallback) const;
  int64_t SuggestFreq(std::string_view word) const;

  std::shared_ptr<const Model> model_;
  std::shared_ptr<const Overlay> overlay_;  // null when there are no user words
  std::shared_ptr<const SegmenterStats> stats_;
  int64_t total_ = 0;
  double log_total_ = 0;
  std::vector<double> class_log_prob_;  // log(freq of class) - log(total), per frequency class
};

}  // namespace yuqing::text
