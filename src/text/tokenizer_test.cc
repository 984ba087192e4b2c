#include "text/tokenizer.h"

#include <gtest/gtest.h>

namespace yuqing::text {
namespace {

std::string Joined(std::string_view s) {
  std::vector<std::string> t;
  MakeBigramTokenizer()->DocumentTerms(s, t);
  std::string out;
  for (const auto& x : t) out += (out.empty() ? "" : "/") + x;
  return out;
}

TEST(BigramTokenizerTest, SplitsCjkIntoOverlappingBigrams) {
  EXPECT_EQ(Joined("化工厂泄漏"), "化工/工厂/厂泄/泄漏");
  EXPECT_EQ(Joined("水，电"), "水/电");
  EXPECT_EQ(Joined("长治PX项目"), "长治/px/项目");
  EXPECT_EQ(Joined("ＰＭ２.５超标"), "pm2/5/超标");
  EXPECT_EQ(Joined(""), "");
}

}  // namespace
}  // namespace yuqing::text
