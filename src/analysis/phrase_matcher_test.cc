#include "analysis/phrase_matcher.h"

#include <gtest/gtest.h>

namespace yuqing::analysis {
namespace {

TEST(PhraseMatcherTest, FindsOverlappingPatternsInChinese) {
  PhraseMatcher m = PhraseMatcher::Build({"长治", "长治市", "治市", "潞城区", "紧急扩散"});
  std::vector<PhraseMatcher::Hit> hits;
  std::string text = "网传长治市潞城区发生泄漏，紧急扩散！";
  m.Match(text, hits);
  std::vector<std::string> found;
  for (const auto& h : hits) found.push_back(text.substr(h.begin, h.end - h.begin));
  EXPECT_EQ(found, (std::vector<std::string>{"长治", "长治市", "治市", "潞城区", "紧急扩散"}));
}

TEST(PhraseMatcherTest, EmptyMatcherAndEmptyText) {
  PhraseMatcher m = PhraseMatcher::Build({});
  std::vector<PhraseMatcher::Hit> hits;
  m.Match("任何文本", hits);
  EXPECT_TRUE(hits.empty());
  PhraseMatcher m2 = PhraseMatcher::Build({"a"});
  m2.Match("", hits);
  EXPECT_TRUE(hits.empty());
}

// MatchAt tests a prefix filter (first code point, or first two) before walking the trie: one-
// character patterns, ASCII, a pattern at the very end and starts that begin no pattern.
TEST(PhraseMatcherTest, MatchAtFindsWordInitialPatternsOnly) {
  PhraseMatcher m = PhraseMatcher::Build({"死", "网传", "网传消息", "CCTV", "泄漏"});
  auto at = [&](const std::string& text, size_t begin) {
    std::vector<PhraseMatcher::Hit> hits;
    m.MatchAt(text, begin, hits);
    std::vector<std::string> found;
    for (const auto& h : hits) found.push_back(text.substr(h.begin, h.end - h.begin));
    return found;
  };
  std::string text = "网传消息：CCTV说死了人，发生泄漏";
  EXPECT_EQ(at(text, 0), (std::vector<std::string>{"网传", "网传消息"}));
  EXPECT_EQ(at(text, text.find("CCTV")), (std::vector<std::string>{"CCTV"}));
  EXPECT_EQ(at(text, text.find("死")), (std::vector<std::string>{"死"}));
  EXPECT_EQ(at(text, text.find("泄漏")), (std::vector<std::string>{"泄漏"}));
  EXPECT_TRUE(at(text, text.find("传")).empty());  // not a word start of any pattern
  EXPECT_TRUE(at(text, text.find("发生")).empty());
  EXPECT_TRUE(at("泄", 0).empty());  // text ends inside the first character pair
}

}  // namespace
}  // namespace yuqing::analysis
