// Keyword extraction by TF-IDF (as jieba.analyse.extract_tags does), with jieba's IDF table
// (analyse/idf.txt of Debian's python3-jieba) and a stop-word list, and optional TextRank
// (Mihalcea & Tarau 2004) over a co-occurrence window.
//
// Threads: a KeywordExtractor is immutable after Load(); share it as
// std::shared_ptr<const KeywordExtractor> and call it from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "text/segmenter.h"

namespace yuqing::text {

struct Keyword {
  std::string word;
  double weight = 0;
};

struct KeywordOptions {
  std::string idf_path;  // empty: <jieba dir>/analyse/idf.txt ($YQ_JIEBA_DIR or the Debian path)
  // A stop-word file, one word per line. Empty: the built-in list (DefaultStopWords()).
  std::string stopwords_path;
};

class KeywordExtractor {
 public:
  // NotFound / InvalidArgument (with file and line) for unreadable data files.
  static Result<std::shared_ptr<const KeywordExtractor>> Load(
      std::shared_ptr<const Segmenter> segmenter, const KeywordOptions& options = {});

  // The `top_k` words of highest tf × idf, as jieba.analyse.extract_tags(text, topK): words of
  // fewer than two characters and stop words are skipped; unknown words get the median IDF;
  // weight = count × idf / (number of counted words). Ties keep first-occurrence order.
  std::vector<Keyword> TfIdf(std::string_view text, size_t top_k = 20) const;

  // Every counted word with its TF-IDF weight, in first-occurrence order (for SimHash).
  std::vector<Keyword> WeightedWords(std::string_view text) const;

  // TextRank over words of two or more characters that are not stop words, edges between words
  // within `window` positions, damping 0.85, 10 iterations; weights scaled so the top is 1.
  std::vector<Keyword> TextRank(std::string_view text, size_t top_k = 20, size_t window = 5) const;

  // The IDF of `word`, or the median for unknown words.
  double Idf(std::string_view word) const;
  bool IsStopWord(std::string_view word) const;
  double median_idf() const { return median_idf_; }
  const Segmenter& segmenter() const { return *seg_; }

  KeywordExtractor() = default;

 private:
  struct Slot {
    uint32_t offset = 0;
    uint32_t size = 0;
    double idf = 0;
  };
  const Slot* Find(std::string_view word) const;
  std::vector<std::string_view> CountedWords(std::string_view text) const;

  std::shared_ptr<const Segmenter> seg_;
  std::string arena_;        // the words of idf.txt, back to back
  std::vector<Slot> slots_;  // open addressing, size a power of two; size 0 = empty slot
  double median_idf_ = 0;
  std::vector<std::string> stop_sorted_;  // sorted for binary search
};

// Our built-in stop-word list (function words, pronouns, particles, common ASCII words),
// written for yuqing; one word per line.
std::string_view DefaultStopWords();

}  // namespace yuqing::text
