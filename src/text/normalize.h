// Text normalization, the first step of every post's analysis: ill-formed UTF-8 repaired,
// HTML tags stripped and entities decoded, full-width ASCII folded to half-width, whitespace
// collapsed, traditional Chinese converted to simplified (OpenCC t2s), and the tokens that carry
// meaning on Chinese social media found: URLs, @mentions, #topics# and [emoticons].
//
// Threads: a Normalizer is immutable after Create(); share it as
// std::shared_ptr<const Normalizer> and call Normalize() from any thread (OpenCC's converter
// is only read).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace opencc {
class SimpleConverter;
}  // namespace opencc

namespace yuqing::text {

enum class EntityKind {
  kUrl,       // http(s)://… or www.…
  kMention,   // @name
  kTopic,     // #topic# (Weibo), delimiters included
  kEmoticon,  // [泪], [doge] (Weibo emoticon codes), brackets included
};
std::string_view EntityKindName(EntityKind kind);  // "url", "mention", "topic", "emoticon"

// A byte span of NormalizedText::text.
struct Entity {
  EntityKind kind;
  size_t offset = 0;
  size_t size = 0;
};

struct NormalizedText {
  std::string original;          // the input as given (possibly ill-formed)
  std::string text;              // normalized, valid UTF-8
  std::vector<Entity> entities;  // in text order, non-overlapping
  size_t invalid_utf8 = 0;       // ill-formed sequences replaced by U+FFFD
  bool converted = false;        // OpenCC changed something
  std::string_view EntityText(const Entity& e) const {
    return std::string_view(text).substr(e.offset, e.size);
  }
};

struct NormalizerOptions {
  // OpenCC configuration; empty: $YQ_OPENCC_T2S, else /usr/share/opencc/t2s.json.
  std::string opencc_config;
  bool t2s = true;
  bool strip_html = true;
  bool fold_width = true;           // U+FF01..U+FF5E to ASCII, U+3000 to a space
  bool collapse_whitespace = true;  // runs to one space (one '\n' if the run had a line break),
                                    // trimmed at both ends; control and zero-width characters
                                    // removed
  bool extract_entities = true;
  // Call OpenCC only for texts containing a character some t2s dictionary entry changes (the
  // "trigger" set derived from OpenCC's own dictionaries at Create()); the output is the same,
  // and most mainland posts skip OpenCC entirely.
  bool t2s_fast_path = true;
};

class Normalizer {
 public:
  // Loads OpenCC. NotFound / Unavailable when its configuration or dictionaries cannot be read.
  static Result<std::shared_ptr<const Normalizer>> Create(const NormalizerOptions& options = {});
  ~Normalizer();

  // Never fails: any bytes in, valid UTF-8 out.
  NormalizedText Normalize(std::string_view input) const;
  // Only the normalized text (no copy of the original, no entities): for queries and terms.
  std::string NormalizeText(std::string_view input, size_t* invalid_utf8 = nullptr,
                            bool* converted = nullptr) const;
  // True if `text` (valid UTF-8) holds a character that t2s may change.
  bool MayConvert(std::string_view text) const;
  // Number of code points in the trigger set (for docs and tests).
  size_t TriggerCount() const { return trigger_count_; }

  Normalizer(const NormalizerOptions& options, std::unique_ptr<opencc::SimpleConverter> converter);
  Normalizer(const Normalizer&) = delete;
  Normalizer& operator=(const Normalizer&) = delete;

 private:
  NormalizerOptions options_;
  std::unique_ptr<opencc::SimpleConverter> converter_;
  std::vector<uint64_t> trigger_;  // bitmap over all code points (136 KiB)
  size_t trigger_count_ = 0;
  bool use_trigger_ = false;  // false: every text with a non-ASCII character goes to OpenCC
};

// Finds URLs, @mentions, #topics# and [emoticons] in normalized text, in order.
std::vector<Entity> FindEntities(std::string_view text);

}  // namespace yuqing::text
