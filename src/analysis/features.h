// The shared front end of every judgment signal: a post's text is normalized (text::Normalizer),
// segmented (text::Segmenter), marked for negation scope and degree words, matched against the
// cue lexicons (lexicon.h), and turned into hashed features for the linear models. The trainer
// (train_tool.cc) calls exactly these functions, so features are identical at train and run time.
//
// Threads: a TextPipeline is immutable after Create(); Prepare() from any thread.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/lexicon.h"
#include "analysis/phrase_matcher.h"
#include "core/status.h"
#include "text/normalize.h"
#include "text/segmenter.h"

namespace yuqing::analysis {

enum TokenFlag : uint8_t {
  kTokNegated = 1,    // inside the scope of an odd number of negators (不是不好: 好 is not)
  kTokNegator = 2,    // 不, 没有, 并非 …
  kTokDegree = 4,     // follows a degree adverb (很, 非常, 太 …)
  kTokBoundary = 8,   // clause punctuation: ends a negation scope
  kTokSkip = 16,      // whitespace, or a mention (the name is noise)
  kTokEmoticon = 32,  // [哈哈]
  kTokUrl = 64,
};

struct Token {
  uint32_t begin = 0;  // byte span in Prepared::norm.text
  uint32_t end = 0;
  uint32_t scope_begin = 0;  // for a negated token: where its negator starts
  uint8_t flags = 0;
  uint64_t hash = 0;  // of the (ASCII-lower-cased) word; "<url>" for URLs
};

struct CueHit {
  uint32_t entry;  // index into Lexicon()
  uint32_t begin;
  uint32_t end;
};

struct Prepared {
  text::NormalizedText norm;
  std::vector<Token> tokens;
  std::vector<CueHit> cues;  // whole-word hits only (both ends on token boundaries)
  std::string_view Span(uint32_t b, uint32_t e) const {
    return std::string_view(norm.text).substr(b, e - b);
  }
};

struct Feature {
  uint64_t hash = 0;
  uint32_t begin = 0;  // evidence span in the normalized text
  uint32_t end = 0;
  // Features are scaled 1/sqrt(n) within their group (LinearModel): group 1 holds emoticons, so
  // a long post's words do not drown its emoticons, nor do emoticons dilute its words.
  uint8_t group = 0;
};

enum class FeatureSet { kSentiment, kDomain, kRumour };

struct PrepareOptions {
  // Training only: drop each [emoticon] with this probability (decided by a hash of the text and
  // position, so a run is reproducible), so models cannot lean on emoticons alone.
  double emoticon_drop = 0;
  bool drop_all_emoticons = false;  // evaluation: the "emoticons stripped" variant
};

class TextPipeline {
 public:
  static Result<std::shared_ptr<const TextPipeline>> Create(
      std::shared_ptr<const text::Normalizer> normalizer,
      std::shared_ptr<const text::Segmenter> segmenter);

  void Prepare(std::string_view raw, Prepared& out, const PrepareOptions& options = {}) const;
  // Appends the features of `set` for a prepared text.
  // Features(kRumour) is exactly Features(kDomain) followed by RumourExtras(), so one word pass
  // serves both models (Analyzer).
  void Features(const Prepared& p, FeatureSet set, std::vector<Feature>& out) const;
  void RumourExtras(const Prepared& p, std::vector<Feature>& out) const;

  const text::Normalizer& normalizer() const { return *norm_; }
  const text::Segmenter& segmenter() const { return *seg_; }

  TextPipeline(std::shared_ptr<const text::Normalizer> n, std::shared_ptr<const text::Segmenter> s);

 private:
  std::shared_ptr<const text::Normalizer> norm_;
  std::shared_ptr<const text::Segmenter> seg_;
  PhraseMatcher cue_matcher_;
  std::vector<uint64_t> negators_;  // sorted word hashes
  std::vector<uint64_t> degrees_;
};

// FNV-1a 64 with ASCII lower-casing, then the splitmix64 finalizer.
uint64_t HashWord(std::string_view w);
uint64_t HashMix(uint64_t a, uint64_t b);

}  // namespace yuqing::analysis
