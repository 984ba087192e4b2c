#include "core/utf8.h"

#include <gtest/gtest.h>

#include <random>

namespace yuqing::core {
namespace {

TEST(Utf8Test, FindsFirstInvalidByte) {
  EXPECT_TRUE(IsValidUtf8("长治市苯胺泄漏 abc"));
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("\xE4\xB8"), 0u);          // truncated 中
  EXPECT_EQ(FindInvalidUtf8("a\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("x\xED\xA0\x80"), 1u);     // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
}

TEST(Utf8Test, SanitizeReplacesAndCounts) {
  size_t n = 0;
  std::string s = SanitizeUtf8("好\xFF\xFE坏", &n);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(s, "好\uFFFD\uFFFD坏");
  EXPECT_TRUE(IsValidUtf8(s));
}

TEST(Utf8Test, RandomBytesAlwaysSanitizeToValid) {
  std::mt19937 rng(7);
  for (int i = 0; i < 2000; ++i) {
    std::string s(rng() % 64, '\0');
    for (auto& c : s) c = static_cast<char>(rng());
    std::string clean = SanitizeUtf8(s);
    EXPECT_TRUE(IsValidUtf8(clean));
    size_t pos = 0, count = 0;
    while (pos < s.size()) {
      DecodeUtf8(s, pos);
      ++count;
    }
    EXPECT_EQ(count, CountCodePoints(s));
  }
}

TEST(Utf8Test, DecodeEncodeRoundTrip) {
  std::string text = "舆情 A😀";
  std::string out;
  for (size_t i = 0; i < text.size();) AppendUtf8(DecodeUtf8(text, i), out);
  EXPECT_EQ(out, text);
  EXPECT_EQ(CountCodePoints(text), 5u);  // 舆 情 space A 😀
}

}  // namespace
}  // namespace yuqing::core
