#include "events/related.h"

#include <gtest/gtest.h>

namespace yuqing::events {
namespace {

constexpr int64_t kDay = 86400;

RelatedInput E(int64_t id, std::vector<std::pair<std::string, double>> kw,
               std::vector<std::string> regions, int64_t first_s, int64_t last_s) {
  return {id, std::move(kw), std::move(regions), first_s, last_s};
}

TEST(RelatedTest, TheDownstreamWaterCutRanksAboveUnrelatedEventsAndSaysWhy) {
  const RelatedInput leak =
      E(1, {{"苯胺", 0.5}, {"泄漏", 0.4}, {"浊漳河", 0.4}, {"化工厂", 0.3}}, {"140406"}, 0, kDay);
  const std::vector<RelatedInput> others = {
      E(2, {{"停水", 0.6}, {"邯郸", 0.5}, {"上游", 0.3}, {"化工厂", 0.3}, {"泄漏", 0.2}},
        {"130400"}, kDay / 2, 2 * kDay),
      E(3, {{"招聘", 0.6}, {"事业单位", 0.5}, {"内定", 0.4}}, {"140406"}, 0, kDay),
      E(4, {{"化工厂", 0.2}, {"招商", 0.6}, {"园区", 0.5}}, {"140400"}, 20 * kDay, 21 * kDay),
      E(1, {{"苯胺", 0.5}}, {"140406"}, 0, kDay),  // itself
  };
  auto r = RankRelated(leak, others);
  ASSERT_EQ(r.size(), 2u) << "no shared keyword: not suggested; itself: never";
  EXPECT_EQ(r[0].id, 2);
  EXPECT_EQ(r[0].shared, (std::vector<std::string>{"泄漏", "化工厂"}));
  EXPECT_FALSE(r[0].same_prefecture);
  EXPECT_TRUE(r[0].overlaps);
  EXPECT_GT(r[0].keyword_cosine, 0.2);
  EXPECT_LE(r[0].keyword_cosine, 1.0);
  EXPECT_EQ(r[1].id, 4);
  EXPECT_TRUE(r[1].same_prefecture);
  EXPECT_FALSE(r[1].overlaps);
  EXPECT_LT(r[1].score, r[0].score);
}

TEST(RelatedTest, EmptyKeywordsAndLimitsAreHandled) {
  EXPECT_TRUE(RankRelated(E(1, {}, {}, 0, 0), {E(2, {{"a", 1}}, {}, 0, 0)}).empty());
  EXPECT_TRUE(RankRelated(E(1, {{"a", 1}}, {}, 0, 0), {E(2, {}, {}, 0, 0)}).empty());
  std::vector<RelatedInput> many;
  for (int i = 2; i < 30; ++i) many.push_back(E(i, {{"a", 1}}, {}, 0, 0));
  RelatedOptions o;
  o.limit = 5;
  auto r = RankRelated(E(1, {{"a", 1}}, {}, 0, 0), many, o);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0].id, 2) << "ties go to the lower id";
  EXPECT_DOUBLE_EQ(r[0].keyword_cosine, 1.0);
}

TEST(RelatedTest, AStoredRecordGivesItsTermsOrElseItsKeywords) {
  model::EventRecord e;
  e.id = 7;
  e.regions = {"140406"};
  e.detail_json =
      R"({"keywords":[{"term":"苯胺","weight":0.5}],"terms":[["苯胺",0.5],["浊漳河",0.4]]})";
  RelatedInput in = RelatedInputOf(e);
  EXPECT_EQ(in.id, 7);
  ASSERT_EQ(in.keywords.size(), 2u);
  EXPECT_EQ(in.keywords[1].first, "浊漳河");
  e.detail_json = R"({"keywords":[{"term":"苯胺","weight":0.5},{"term":3,"weight":"x"}]})";
  in = RelatedInputOf(e);
  ASSERT_EQ(in.keywords.size(), 1u) << "a malformed keyword is skipped";
  e.detail_json = "not json";
  EXPECT_TRUE(RelatedInputOf(e).keywords.empty());
}

}  // namespace
}  // namespace yuqing::events
