#include "rules/match_text.h"

#include <algorithm>

#include "core/utf8.h"
#include "text/normalize.h"

namespace yuqing::rules {
namespace {

bool IsSpace(char32_t c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == 0xA0 ||
         c == 0x3000;
}

// Ideographs, kana and hangul syllables: one word per character.
bool IsCharWord(char32_t c) {
  return core::IsCjk(c) || (c >= 0x3040 && c <= 0x30FF) || (c >= 0xAC00 && c <= 0xD7AF);
}

// Letters and digits of scripts written with spaces: a run is one word.
bool IsRunWordChar(char32_t c) {
  if (c < 0x80) return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x52F);
}

}  // namespace

void MatchNormalizer::WordStarts(std::string_view normalized, std::vector<uint32_t>& starts) const {
  starts.clear();
  bool in_run = false;
  size_t pos = 0;
  while (pos < normalized.size()) {
    size_t at = pos;
    char32_t c = core::DecodeUtf8(normalized, pos);
    if (IsCharWord(c)) {
      starts.push_back(static_cast<uint32_t>(at));
      in_run = false;
    } else if (IsRunWordChar(c)) {
      if (!in_run) starts.push_back(static_cast<uint32_t>(at));
      in_run = true;
    } else {
      in_run = false;
    }
  }
}

FoldNormalizer::FoldNormalizer(const std::unordered_map<char32_t, char32_t>& char_map) {
  if (char_map.empty()) return;
  char32_t lo = char_map.begin()->first;
  char32_t hi = lo;
  for (const auto& [from, to] : char_map) {
    lo = std::min(lo, from);
    hi = std::max(hi, from);
  }
  map_base_ = lo;
  map_.assign(hi - lo + 1, 0);
  for (const auto& [from, to] : char_map) map_[from - lo] = to;
}

char32_t FoldNormalizer::Map(char32_t c) const {
  if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;  // full-width ASCII
  if (c >= 'A' && c <= 'Z') return c + ('a' - 'A');
  if (c >= map_base_ && c - map_base_ < map_.size()) {
    char32_t m = map_[c - map_base_];
    if (m != 0) return m;
  }
  return c;
}

void FoldNormalizer::Normalize(std::string_view in, std::string& out,
                               std::vector<uint32_t>* offsets) const {
  out.clear();
  if (offsets != nullptr) offsets->clear();
  out.reserve(in.size());
  const auto* bytes = reinterpret_cast<const unsigned char*>(in.data());
  // Characters that normalize to themselves are not copied one by one: [run, at) is a pending
  // run of them, appended in one go when a changed character, white space or the end comes.
  size_t run = 0;
  auto flush = [&](size_t to) {
    if (offsets != nullptr) {
      uint32_t start = 0;
      for (size_t i = run; i < to; ++i) {
        if ((bytes[i] & 0xC0) != 0x80) start = static_cast<uint32_t>(i);
        offsets->push_back(start);
      }
    }
    out.append(in.data() + run, to - run);
  };
  bool pending_space = false;  // a run of white space waits for the next character
  uint32_t space_at = 0;
  bool prev_cjk = false;
  size_t pos = 0;
  while (pos < in.size()) {
    const size_t at = pos;
    unsigned char b = bytes[pos];
    char32_t c;
    // Fast paths for ASCII and the common well-formed 3-byte sequences (all of CJK).
    if (b < 0x80) {
      ++pos;
      c = b;
    } else if (b >= 0xE1 && b <= 0xEC && pos + 2 < in.size() && (bytes[pos + 1] & 0xC0) == 0x80 &&
               (bytes[pos + 2] & 0xC0) == 0x80) {
      c = ((b & 0x0F) << 12) | ((bytes[pos + 1] & 0x3F) << 6) | (bytes[pos + 2] & 0x3F);
      pos += 3;
    } else {
      c = core::DecodeUtf8(in, pos);
    }
    if (IsSpace(c)) {
      flush(at);
      run = pos;
      if (!pending_space) space_at = static_cast<uint32_t>(at);
      pending_space = true;
      continue;
    }
    char32_t m = Map(c);
    bool cjk = core::IsCjk(m);
    if (pending_space) {
      pending_space = false;
      if (!out.empty() && !(prev_cjk && cjk)) {
        out.push_back(' ');
        if (offsets != nullptr) offsets->push_back(space_at);
      }
    }
    prev_cjk = cjk;
    // Ill-formed bytes decode to U+FFFD one byte at a time; they are replaced, not copied.
    bool same = m == c && !(c == core::kReplacementChar && pos - at != 3);
    if (same) continue;
    flush(at);
    run = pos;
    size_t before = out.size();
    core::AppendUtf8(m, out);
    if (offsets != nullptr) offsets->insert(offsets->end(), out.size() - before, at);
  }
  if (!pending_space) flush(in.size());
  if (offsets != nullptr) offsets->push_back(static_cast<uint32_t>(in.size()));
}

PreNormalizedTextNormalizer::PreNormalizedTextNormalizer(
    std::shared_ptr<const text::Normalizer> text)
    : text_(std::move(text)) {}

void PreNormalizedTextNormalizer::Normalize(std::string_view in, std::string& out,
                                            std::vector<uint32_t>* offsets) const {
  fold_.Normalize(in, out, offsets);
}

void PreNormalizedTextNormalizer::NormalizeLiteral(std::string_view in, std::string& out) const {
  fold_.Normalize(text_->NormalizeText(in), out, nullptr);
}

std::shared_ptr<const MatchNormalizer> DefaultMatchNormalizer() {
  static const auto* const kDefault =
      new std::shared_ptr<const MatchNormalizer>(std::make_shared<FoldNormalizer>());
  return *kDefault;
}

namespace {
enum class EdgeClass { kOther, kLetter, kDigit };
EdgeClass ClassOf(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return EdgeClass::kLetter;
  if (c >= '0' && c <= '9') return EdgeClass::kDigit;
  return EdgeClass::kOther;
}
}  // namespace

bool AtLatinEdges(std::string_view text, size_t begin, size_t end) {
  if (begin >= end || end > text.size()) return false;
  const EdgeClass first = ClassOf(text[begin]);
  if (first != EdgeClass::kOther && begin > 0 && ClassOf(text[begin - 1]) == first) return false;
  const EdgeClass last = ClassOf(text[end - 1]);
  if (last != EdgeClass::kOther && end < text.size() && ClassOf(text[end]) == last) return false;
  return true;
}

std::pair<uint32_t, uint32_t> OriginalRange(std::string_view original,
                                            const std::vector<uint32_t>& offsets, uint32_t begin,
                                            uint32_t end) {
  uint32_t from = offsets[begin];
  uint32_t last = offsets[end - 1];
  size_t to = last;
  if (to < original.size()) core::DecodeUtf8(original, to);  // end of that code point
  return {from, static_cast<uint32_t>(to)};
}

std::shared_ptr<const MatchNormalizer> MakeT2sMatchNormalizer(const text::Normalizer& text) {
  std::unordered_map<char32_t, char32_t> map;
  std::string in;
  auto add_range = [&](char32_t lo, char32_t hi) {
    for (char32_t c = lo; c <= hi; ++c) {
      in.clear();
      core::AppendUtf8(c, in);
      std::string out = text.NormalizeText(in);
      size_t pos = 0;
      if (out.empty()) continue;
      char32_t d = core::DecodeUtf8(out, pos);
      if (pos == out.size() && d != c) map.emplace(c, d);
    }
  };
  add_range(0x3400, 0x9FFF);
  add_range(0xF900, 0xFAFF);
  return std::make_shared<const FoldNormalizer>(map);
}

}  // namespace yuqing::rules
