#include "text/tokenizer.h"

#include "core/utf8.h"

namespace yuqing::text {
namespace {

// Letters and digits of scripts written with spaces (Latin, Greek, Cyrillic…): kept as words.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (core::IsCjk(c)) return false;
  return (c >= 0xC0 && c <= 0x24F) || (c >= 0x370 && c <= 0x52F);
}

char32_t Fold(char32_t c) {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c == 0x3000) c = ' ';
  if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
  return c;
}

class BigramTokenizer final : public Tokenizer {
 public:
  std::string_view Name() const override { return "bigram-v1"; }

  void DocumentTerms(std::string_view text, std::vector<std::string>& terms) const override {
    Split(text, terms);
  }

  void QueryTerms(std::string_view word, std::vector<std::string>& terms) const override {
    Split(word, terms);
  }

 private:
  static void Split(std::string_view text, std::vector<std::string>& terms) {
    std::string word;
    std::string prev_cjk;  // UTF-8 of the previous CJK character in the current run
    bool run_emitted = false;
    auto flush_word = [&] {
      if (!word.empty()) {
        terms.push_back(std::move(word));
        word.clear();
      }
    };
    auto end_cjk_run = [&] {
      if (!prev_cjk.empty() && !run_emitted) terms.push_back(prev_cjk);
      prev_cjk.clear();
      run_emitted = false;
    };
    size_t pos = 0;
    while (pos < text.size()) {
      char32_t c = Fold(core::DecodeUtf8(text, pos));
      if (core::IsCjk(c)) {
        flush_word();
        std::string cur;
        core::AppendUtf8(c, cur);
        if (!prev_cjk.empty()) {
          terms.push_back(prev_cjk + cur);
          run_emitted = true;
        }
        prev_cjk = std::move(cur);
      } else if (IsWordChar(c)) {
        end_cjk_run();
        core::AppendUtf8(c, word);
      } else {
        end_cjk_run();
        flush_word();
      }
    }
    end_cjk_run();
    flush_word();
  }
};

}  // namespace

std::shared_ptr<const Tokenizer> MakeBigramTokenizer() {
  return std::make_shared<const BigramTokenizer>();
}

}  // namespace yuqing::text
