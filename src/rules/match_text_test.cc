#include "rules/match_text.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "text/normalize.h"

namespace yuqing::rules {
namespace {

std::string Fold(const MatchNormalizer& n, std::string_view in) {
  std::string out;
  n.Normalize(in, out, nullptr);
  return out;
}

TEST(FoldNormalizerTest, FoldsWidthCaseAndWhiteSpace) {
  FoldNormalizer n;
  struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"ＣＯＶＩＤ－１９疫情", "covid-19疫情"},
      {"  长治市　化工厂 ", "长治市化工厂"},
      {"苯胺 泄漏", "苯胺泄漏"},
      {"PM2.5  超标\t严重", "pm2.5 超标严重"},
      {"Hello   World", "hello world"},
      {"", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(Fold(n, c.in), c.out) << c.in;
}

TEST(FoldNormalizerTest, CharacterMapMakesTraditionalAndSimplifiedAlike) {
  FoldNormalizer n({{U'長', U'长'}, {U'漏', U'漏'}, {U'區', U'区'}, {U'洩', U'泄'}});
  EXPECT_EQ(Fold(n, "長治市潞城區化工廠洩漏"), "长治市潞城区化工廠泄漏");
}

TEST(FoldNormalizerTest, OffsetsMapNormalizedBytesToTheOriginal) {
  FoldNormalizer n;
  std::string in = "ＡＢ 长治　泄漏";
  std::string out;
  std::vector<uint32_t> offsets;
  n.Normalize(in, out, &offsets);
  ASSERT_EQ(out, "ab 长治泄漏");
  ASSERT_EQ(offsets.size(), out.size() + 1);
  // "泄漏" in the normalized text comes from the last six bytes of the original.
  size_t at = out.find("泄漏");
  auto [begin, end] =
      OriginalRange(in, offsets, static_cast<uint32_t>(at), static_cast<uint32_t>(at + 6));
  EXPECT_EQ(in.substr(begin, end - begin), "泄漏");
  auto [b2, e2] = OriginalRange(in, offsets, 0, 2);
  EXPECT_EQ(in.substr(b2, e2 - b2), "ＡＢ");
}

TEST(FoldNormalizerTest, OffsetsDoNotChangeTheOutputEvenForIllFormedInput) {
  FoldNormalizer n(std::unordered_map<char32_t, char32_t>{{U'長', U'长'}});
  const std::vector<std::string> pieces = {"長治", "ＡＢ",         "Ab",       " ",
                                           "　",   "\xFF",         "\xE9\x95", "泄漏",
                                           "，",   "\xEF\xBF\xBD", "x",        "\t\n"};
  std::mt19937 rng(3);
  for (int i = 0; i < 2000; ++i) {
    std::string in;
    for (int k = 0; k < 8; ++k) in += pieces[rng() % pieces.size()];
    std::string plain, with;
    std::vector<uint32_t> offsets;
    n.Normalize(in, plain, nullptr);
    n.Normalize(in, with, &offsets);
    ASSERT_EQ(plain, with) << in;
    ASSERT_EQ(offsets.size(), with.size() + 1);
    ASSERT_TRUE(std::is_sorted(offsets.begin(), offsets.end())) << in;
    EXPECT_EQ(Fold(n, with), with) << "normalizing twice changes nothing: " << in;
  }
}

TEST(MatchNormalizerTest, WordsAreCjkCharactersAndLatinRuns) {
  FoldNormalizer n;
  std::string text = "长治covid-19，泄漏";
  std::vector<uint32_t> starts;
  n.WordStarts(text, starts);
  std::vector<std::string> words;
  for (uint32_t s : starts) words.push_back(text.substr(s, 3));
  // 长, 治, "cov"(id), "19，"…: starts at 长 治 c 1 泄 漏
  ASSERT_EQ(starts.size(), 6u);
  EXPECT_EQ(starts[0], 0u);
  EXPECT_EQ(starts[1], 3u);
  EXPECT_EQ(starts[2], 6u);
  EXPECT_EQ(starts[3], 12u);
  EXPECT_EQ(words[4], "泄");
  EXPECT_EQ(words[5], "漏");
}

}  // namespace
}  // namespace yuqing::rules

namespace yuqing::rules {
namespace {

TEST(T2sMatchNormalizerTest, TraditionalPostsMatchSimplifiedRulesWithExactOffsets) {
  auto text = text::Normalizer::Create();
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto norm = MakeT2sMatchNormalizer(**text);
  std::string out;
  std::vector<uint32_t> offsets;
  std::string post = "長治市潞城區化工廠洩漏";
  norm->Normalize(post, out, &offsets);
  EXPECT_EQ(out, "长治市潞城区化工厂泄漏");
  ASSERT_EQ(offsets.size(), out.size() + 1);  // one past the end, too
  // 区 (bytes 15..17 of the normalized text) came from 區 at the same place in the original.
  EXPECT_EQ(OriginalRange(post, offsets, 15, 18), (std::pair<uint32_t, uint32_t>{15, 18}));
  norm->Normalize("ＡＢＣ 長", out, nullptr);
  EXPECT_EQ(out, "abc 长");
}

}  // namespace
}  // namespace yuqing::rules
