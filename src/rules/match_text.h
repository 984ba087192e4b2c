// The text conventions of rule matching: how rule literals and post fields are normalized so
// that matching is width-, case- and script-insensitive, and what a "word" is for NEAR/n.
// The same normalizer must be applied to the rules and to the posts they are matched against;
// CompiledRuleSet keeps the one its rules were prepared with. See docs/rules.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace yuqing::text {
class Normalizer;
}  // namespace yuqing::text

namespace yuqing::rules {

// Normalizes text for matching. Implementations are immutable after construction and safe to
// share between threads.
class MatchNormalizer {
 public:
  virtual ~MatchNormalizer() = default;

  // Replaces `out` with the normalized form of `in`. If `offsets` is not null it receives, for
  // each byte of `out`, the byte offset in `in` of the code point that produced it, followed by
  // one final entry `in.size()`. Must be deterministic: the same input gives the same output.
  virtual void Normalize(std::string_view in, std::string& out,
                         std::vector<uint32_t>* offsets) const = 0;

  // Replaces `out` with the normalized form of a rule literal. The default is Normalize; a
  // normalizer for posts that arrive already normalized by the text module also applies that
  // normalization here, so literals and posts end up alike.
  virtual void NormalizeLiteral(std::string_view in, std::string& out) const {
    Normalize(in, out, nullptr);
  }

  // Replaces `starts` with the byte offsets in `normalized` where a word starts, ascending.
  // NEAR/n counts the words strictly between two terms. The default: every CJK ideograph,
  // kana or hangul syllable is one word; a run of letters and digits of a script written with
  // spaces (Latin, Greek, Cyrillic) is one word; anything else (spaces, punctuation, symbols,
  // emoji) is not a word. A segmenter-backed normalizer may override this with real words.
  virtual void WordStarts(std::string_view normalized, std::vector<uint32_t>& starts) const;
};

// The built-in normalizer, until the text module's normalizer (text/normalize.h) takes over:
//  - full-width ASCII (U+FF01–U+FF5E) to ASCII, ideographic space to space;
//  - ASCII upper case to lower case;
//  - an optional character map, used for traditional → simplified (長→长);
//  - white space: a run becomes one space; dropped at both ends and between two CJK
//    characters (so the phrase "苯胺 泄漏" matches "苯胺泄漏").
// Maps code point to code point, so offsets are exact.
class FoldNormalizer final : public MatchNormalizer {
 public:
  FoldNormalizer() = default;
  // `char_map` maps single code points (e.g. traditional to simplified), applied after folding.
  explicit FoldNormalizer(const std::unordered_map<char32_t, char32_t>& char_map);

  void Normalize(std::string_view in, std::string& out,
                 std::vector<uint32_t>* offsets) const override;

 private:
  char32_t Map(char32_t c) const;

  // Dense table over [map_base_, map_base_ + map_.size()); 0 means unmapped.
  char32_t map_base_ = 0;
  std::vector<char32_t> map_;
};

// For posts whose fields were normalized by the text module (text::Normalizer: OpenCC t2s,
// width, HTML, white space), as the analysis pipeline has them: post fields only get the
// FoldNormalizer pass (case, the CJK white-space rule), so byte offsets refer to the
// text-normalized fields; rule literals get text::Normalizer first, then the fold.
class PreNormalizedTextNormalizer final : public MatchNormalizer {
 public:
  explicit PreNormalizedTextNormalizer(std::shared_ptr<const text::Normalizer> text);

  void Normalize(std::string_view in, std::string& out,
                 std::vector<uint32_t>* offsets) const override;
  void NormalizeLiteral(std::string_view in, std::string& out) const override;

 private:
  std::shared_ptr<const text::Normalizer> text_;
  FoldNormalizer fold_;
};

// A FoldNormalizer whose character map is OpenCC's traditional → simplified conversion of
// every single CJK ideograph (U+3400–U+9FFF, U+F900–U+FAFF) that converts to one other code
// point, taken from `text` once. Matching then sees 長治 and 长治 alike while offsets into the
// stored text stay exact. Phrase-level conversions (multi-character) are not applied.
std::shared_ptr<const MatchNormalizer> MakeT2sMatchNormalizer(const text::Normalizer& text);

// The process-wide default: a FoldNormalizer without a character map. Never null.
std::shared_ptr<const MatchNormalizer> DefaultMatchNormalizer();

// Whether an occurrence [begin, end) of a literal in normalized `text` stands at word edges for
// the Latin letters and digits it begins and ends with: a literal that begins with an ASCII
// letter must not follow one, one that begins with a digit must not follow a digit, and the
// same at its end. So `ai` does not match "said", `px` not "spx", `5g` not "15g", while `covid`
// matches "covid19", `px` "px项目" and `苯胺` anywhere. Literals are matched this way everywhere
// (rule_set.h and reference_eval.h alike).
bool AtLatinEdges(std::string_view text, size_t begin, size_t end);

// Maps a normalized byte range [begin, end) back to the range of the original text it came
// from, using the offsets Normalize produced for `original`. Requires begin < end.
std::pair<uint32_t, uint32_t> OriginalRange(std::string_view original,
                                            const std::vector<uint32_t>& offsets, uint32_t begin,
                                            uint32_t end);

}  // namespace yuqing::rules
