#include "org/region_tree.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace yuqing::org {
namespace {

constexpr std::string_view kSmall =
    "# a comment\n"
    "code\tlevel\tname\tparent\taliases\tflags\n"
    "140000\tprovince\t山西省\t\t山西\t\n"
    "140400\tprefecture\t长治市\t140000\t长治\t\n"
    "140406\tcounty\t潞城区\t140400\t潞城\t\n"
    "140423\tcounty\t襄垣县\t140400\t襄垣\t\n"
    "130000\tprovince\t河北省\t\t河北\t\n";

TEST(RegionTreeTest, TheNationIsTheRootAboveEveryProvince) {
  auto tree = RegionTree::FromGazetteerTsv(kSmall);
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  EXPECT_EQ(tree->size(), 6u);
  EXPECT_EQ(tree->national().code, "000000");
  EXPECT_EQ(tree->national().level, model::RegionLevel::kNational);
  const auto* shanxi = tree->Find("140000");
  ASSERT_NE(shanxi, nullptr);
  EXPECT_EQ(shanxi->parent, 0);
  const auto* lucheng = tree->Find("140406");
  ASSERT_NE(lucheng, nullptr);
  EXPECT_EQ(lucheng->name, "潞城区");
  EXPECT_EQ(lucheng->short_name, "潞城");
  EXPECT_EQ(lucheng->level, model::RegionLevel::kCounty);
  EXPECT_EQ(tree->Find("149999"), nullptr);
}

TEST(RegionTreeTest, CommonAncestorSpansAllRegions) {
  auto tree = RegionTree::FromGazetteerTsv(kSmall);
  ASSERT_TRUE(tree.ok());
  int lucheng = tree->IndexOf("140406"), xiangyuan = tree->IndexOf("140423");
  int hebei = tree->IndexOf("130000");
  EXPECT_EQ(tree->at(tree->CommonAncestor({lucheng, xiangyuan})).code, "140400");
  EXPECT_EQ(tree->at(tree->CommonAncestor({lucheng})).code, "140406");
  EXPECT_EQ(tree->at(tree->CommonAncestor({lucheng, hebei})).code, "000000");
  EXPECT_EQ(tree->at(tree->AncestorAt(lucheng, model::RegionLevel::kProvince)).code, "140000");
  EXPECT_EQ(tree->AncestorAt(tree->IndexOf("140400"), model::RegionLevel::kCounty), -1);
  EXPECT_TRUE(tree->Contains(0, lucheng));
  EXPECT_FALSE(tree->Contains(lucheng, xiangyuan));
}

TEST(RegionTreeTest, BadRowsAreRefusedWithTheirLine) {
  struct Case {
    std::string text;
    std::string message;
  } cases[] = {
      {"code\tlevel\tname\tparent\n140000\ttown\t山西省\t\n",
       "line 2: level \"town\" is not province, prefecture or county"},
      {"code\tlevel\tname\tparent\n140400\tprefecture\t长治市\t149900\n",
       "line 2: region 140400 names the unknown parent \"149900\""},
      {"code\tlevel\tname\tparent\n14000\tprovince\t山西省\t\n", "line 2: code \"14000\""},
      {"code\tlevel\tname\tparent\n140000\tprovince\t山西省\t\n140000\tprovince\t山西\t\n",
       "line 3: region 140000 is listed twice"},
      {"140000\tprovince\t山西省\t\n", "line 1: expected a header"},
      {"code\tlevel\tname\tparent\n140000\tprovince\t山西省\t\n140400\tprovince\t长治市\t140000\n",
       "which is not above it"},
  };
  for (const auto& c : cases) {
    auto tree = RegionTree::FromGazetteerTsv(c.text);
    ASSERT_FALSE(tree.ok()) << c.text;
    EXPECT_NE(tree.status().message().find(c.message), std::string::npos)
        << tree.status().message();
  }
}

TEST(RegionTreeTest, TheShippedGazetteerHoldsChangzhiWithTwelveCounties) {
  auto tree = RegionTree::LoadGazetteerFile(
      (yuqing::testing::SourceDir() / "data/gazetteer/places.tsv").string());
  ASSERT_TRUE(tree.ok()) << tree.status().ToString();
  int changzhi = tree->IndexOf("140400");
  ASSERT_GE(changzhi, 0);
  int children = 0;
  for (size_t i = 0; i < tree->size(); ++i) {
    if (tree->at(static_cast<int>(i)).parent == changzhi) ++children;
  }
  EXPECT_EQ(children, 12);
  EXPECT_EQ(tree->at(tree->at(changzhi).parent).name, "山西省");
}

TEST(RegionTreeTest, AMissingFileIsNotFound) {
  auto tree = RegionTree::LoadGazetteerFile("/nonexistent/places.tsv");
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace yuqing::org
