#include "text/segmenter_tokenizer.h"

#include "core/utf8.h"

namespace yuqing::text {
namespace {

// Letters and digits of any script we index: ASCII, Latin-1 and extended Latin, Greek,
// Cyrillic, kana, Hangul and CJK ideographs.
bool IsTermChar(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return core::IsCjk(c) || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
         (c >= 0x370 && c <= 0x52F) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
}

bool HasTermChar(std::string_view w) {
  size_t pos = 0;
  while (pos < w.size()) {
    if (IsTermChar(core::DecodeUtf8(w, pos))) return true;
  }
  return false;
}

void AddTerm(std::string_view w, std::vector<std::string>& terms) {
  if (!HasTermChar(w)) return;
  std::string t(w);
  for (char& c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  terms.push_back(std::move(t));
}

class SegmenterTokenizer final : public Tokenizer {
 public:
  SegmenterTokenizer(std::shared_ptr<const Segmenter> segmenter,
                     std::shared_ptr<const Normalizer> normalizer)
      : seg_(std::move(segmenter)), norm_(std::move(normalizer)) {}

  // v2: SubTerms (search-mode pieces of longer words) are indexed too.
  std::string_view Name() const override { return "jieba-v2"; }

  void DocumentTerms(std::string_view text, std::vector<std::string>& terms) const override {
    Terms(text, &terms, nullptr);
  }

  // For each word of the document: the words search mode finds inside it (jieba's
  // cut_for_search: dictionary 2- and 3-grams of longer words) that the dictionary cut of the
  // word does not already give.
  void SubTerms(std::string_view text, std::vector<std::string>& terms) const override {
    Terms(text, nullptr, &terms);
  }

  // Both from one normalization and one cut of the text.
  void DocumentAndSubTerms(std::string_view text, std::vector<std::string>& terms,
                           std::vector<std::string>& sub) const override {
    Terms(text, &terms, &sub);
  }

  void QueryTerms(std::string_view word, std::vector<std::string>& terms) const override {
    std::string normalized;
    if (norm_) {
      normalized = norm_->NormalizeText(word);
      word = normalized;
    }
    std::vector<std::string_view> pieces;
    seg_->Cut(word, pieces, kNoHmm);
    for (std::string_view p : pieces) AddTerm(p, terms);
  }

 private:
  void Terms(std::string_view text, std::vector<std::string>* terms,
             std::vector<std::string>* sub) const {
    std::string normalized;
    if (norm_) {
      normalized = norm_->NormalizeText(text);
      text = normalized;
    }
    std::vector<std::string_view> words, pieces, inner;
    seg_->Cut(text, words);
    for (std::string_view w : words) {
      if (!HasTermChar(w)) continue;
      pieces.clear();
      seg_->Cut(w, pieces, kNoHmm);
      if (terms != nullptr) {
        for (std::string_view p : pieces) AddTerm(p, *terms);
      }
      if (sub == nullptr || w.size() <= 6) continue;  // two CJK characters or fewer
      inner.clear();
      seg_->Cut(w, inner, kSearch);
      for (std::string_view p : inner) {
        bool whole = false;
        for (std::string_view q : pieces) whole = whole || p == q;
        if (!whole) AddTerm(p, *sub);
      }
    }
  }

  static constexpr CutOptions kNoHmm{.hmm = false, .search = false};
  static constexpr CutOptions kSearch{.hmm = false, .search = true};
  std::shared_ptr<const Segmenter> seg_;
  std::shared_ptr<const Normalizer> norm_;
};

}  // namespace

std::shared_ptr<const Tokenizer> MakeSegmenterTokenizer(
    std::shared_ptr<const Segmenter> segmenter, std::shared_ptr<const Normalizer> normalizer) {
  return std::make_shared<const SegmenterTokenizer>(std::move(segmenter), std::move(normalizer));
}

}  // namespace yuqing::text
