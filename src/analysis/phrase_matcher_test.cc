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

}  // namespace
}  // namespace yuqing::analysis
