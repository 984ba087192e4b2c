#include "model/post.h"

#include <gtest/gtest.h>

namespace yuqing::model {
namespace {

TEST(PostTest, ChannelNamesRoundTrip) {
  for (auto c : {Channel::kNews, Channel::kWeibo, Channel::kGovPlatform, Channel::kOther}) {
    EXPECT_EQ(ParseChannel(ChannelName(c)), c);
  }
  EXPECT_EQ(ParseChannel("twitter"), std::nullopt);
  EXPECT_EQ(ParseAuthorKind("kol"), AuthorKind::kKol);
  EXPECT_EQ(ParseAuthorKind("robot"), std::nullopt);
}

}  // namespace
}  // namespace yuqing::model
