#include "text/simhash.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace yuqing::text {
namespace {

const KeywordExtractor& K() {
  static auto k = [] {
    auto seg = Segmenter::Load();
    auto kw = KeywordExtractor::Load(*seg);
    return *kw;
  }();
  return *k;
}

TEST(SimHashTest, PunctuationOnlyEditsAreNearDuplicates) {
  const std::string a = "某市化工厂昨夜发生爆炸，周边居民紧急疏散，环保部门正在监测空气质量。";
  const std::string b = "某市化工厂昨夜发生爆炸!!周边居民紧急疏散……环保部门正在监测空气质量";
  EXPECT_EQ(SimHashOf(K(), a), SimHashOf(K(), b));
}

TEST(SimHashTest, SmallEditsAreCloseAndOtherTextsAreFar) {
  const std::string a =
      "3月15日晚，某市经济开发区一家化工厂发生爆炸，现场浓烟滚滚，周边三个小区的居民被紧急疏散。"
      "市应急管理局通报，事故造成两人受伤，已送医救治，暂无生命危险。环保部门在厂区周边布设监测点，"
      "目前空气质量各项指标正常，河道水质正在检测。涉事企业负责人已被警方控制，事故原因正在调查中"
      "。";
  // The same report reposted with a prefix and one changed figure.
  const std::string b =
      "【突发】3月15日晚，某市经济开发区一家化工厂发生爆炸，现场浓烟滚滚，周边三个小区的居民被紧急"
      "疏散。"
      "市应急管理局通报，事故造成3人受伤，已送医救治，暂无生命危险。环保部门在厂区周边布设监测点，"
      "目前空气质量各项指标正常，河道水质正在检测。涉事企业负责人已被警方控制，事故原因正在调查中"
      "。";
  const std::string c = "这家外卖送得太慢了，饭都凉了，商家态度也不好，差评！";
  EXPECT_LE(HammingDistance(SimHashOf(K(), a), SimHashOf(K(), b)), 3);
  EXPECT_GT(HammingDistance(SimHashOf(K(), a), SimHashOf(K(), c)), 10);
  EXPECT_NE(SimHashOf(K(), "好！"), 0u);  // no two-character word: falls back to all words
  EXPECT_EQ(SimHashOf(K(), ""), 0u);
}

TEST(SimHashIndexTest, FindsExactlyTheFingerprintsWithinDistanceThree) {
  std::mt19937_64 rng(1);
  SimHashIndex index;
  std::vector<uint64_t> stored;
  for (uint64_t id = 0; id < 20000; ++id) {
    uint64_t fp = rng();
    // Plant near neighbours of earlier fingerprints at distances 0..5.
    if (id % 4 == 0 && !stored.empty()) {
      fp = stored[rng() % stored.size()];
      int flips = static_cast<int>(rng() % 6);
      for (int f = 0; f < flips; ++f) fp ^= uint64_t{1} << (rng() % 64);
    }
    stored.push_back(fp);
    index.Insert(fp, id);
  }
  EXPECT_EQ(index.size(), stored.size());
  for (int q = 0; q < 300; ++q) {
    uint64_t query = stored[rng() % stored.size()];
    for (int f = static_cast<int>(rng() % 4); f > 0; --f) query ^= uint64_t{1} << (rng() % 64);
    std::vector<SimHashIndex::Match> found;
    index.Find(query, found);
    std::set<uint64_t> got, want;
    for (const auto& m : found) {
      EXPECT_TRUE(got.insert(m.id).second) << "reported twice";
      EXPECT_EQ(m.distance, HammingDistance(m.fingerprint, query));
    }
    for (uint64_t id = 0; id < stored.size(); ++id) {
      if (HammingDistance(stored[id], query) <= 3) want.insert(id);
    }
    ASSERT_EQ(got, want);
    ASSERT_FALSE(want.empty());
  }
}

TEST(SimHashIndexTest, RemoveForgetsOnePair) {
  SimHashIndex index;
  index.Insert(0xABCDEF, 1);
  index.Insert(0xABCDEF, 2);
  EXPECT_TRUE(index.Remove(0xABCDEF, 1));
  EXPECT_FALSE(index.Remove(0xABCDEF, 1));
  std::vector<SimHashIndex::Match> found;
  index.Find(0xABCDEE, found);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].id, 2u);
  EXPECT_EQ(found[0].distance, 1);
  EXPECT_EQ(index.size(), 1u);
}

TEST(SimHashIndexTest, RemoveIfDropsEveryPairOfTheGivenIds) {
  SimHashIndex index;
  index.Insert(0x1111222233334444ULL, 1);
  index.Insert(0x5555666677778888ULL, 2);
  index.Insert(0x9999aaaabbbbccccULL, 1);
  EXPECT_EQ(index.RemoveIf([](uint64_t id) { return id == 1; }), 2u);
  EXPECT_EQ(index.size(), 1u);
  std::vector<SimHashIndex::Match> out;
  index.Find(0x1111222233334444ULL, out);
  index.Find(0x9999aaaabbbbccccULL, out);
  EXPECT_TRUE(out.empty());
  index.Find(0x5555666677778888ULL, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].id, 2u);
  EXPECT_EQ(index.RemoveIf([](uint64_t) { return false; }), 0u);
}

}  // namespace
}  // namespace yuqing::text
