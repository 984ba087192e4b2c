// UTF-8 helpers: validation with the offset of the first bad byte, repair with U+FFFD,
// code point decoding and encoding. Pure functions, safe from any thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace yuqing::core {

inline constexpr char32_t kReplacementChar = 0xFFFD;

// Byte offset of the first byte that does not start a well-formed UTF-8 sequence
// (overlongs, surrogates and code points above U+10FFFF are ill-formed), or npos if valid.
size_t FindInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }

// Copy of `s` with every ill-formed sequence replaced by U+FFFD; `*replaced` (if given)
// receives the number of replacements.
std::string SanitizeUtf8(std::string_view s, size_t* replaced = nullptr);

// Decodes the code point at s[pos] and advances pos. Ill-formed input yields U+FFFD and
// advances by one byte, so a loop over arbitrary bytes always terminates.
char32_t DecodeUtf8(std::string_view s, size_t& pos);

// Appends the UTF-8 encoding of `cp` to `out`.
void AppendUtf8(char32_t cp, std::string& out);

// Number of code points (ill-formed bytes count one each).
size_t CountCodePoints(std::string_view s);

// True for CJK unified ideographs (including extension A and compatibility ideographs).
// 0-9, a-z, A-Z.
inline bool IsAsciiAlnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

inline bool IsCjk(char32_t c) {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FA1F);
}

}  // namespace yuqing::core
