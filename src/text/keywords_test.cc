#include "text/keywords.h"

#include <gtest/gtest.h>

#include <cmath>

#include "testing/test_util.h"

namespace yuqing::text {
namespace {

std::shared_ptr<const Segmenter> Seg() {
  static auto seg = *Segmenter::Load();
  return seg;
}

std::string Words(const std::vector<Keyword>& ks) {
  std::string out;
  for (const auto& k : ks) out += (out.empty() ? "" : "/") + k.word;
  return out;
}

TEST(KeywordsTest, MatchesJiebaExtractTagsWithJiebasStopWords) {
  // jieba.analyse.extract_tags(text, topK=5, withWeight=True), with jieba's default stop words.
  testing::TempDir dir;
  testing::WriteFile(dir.File("stop.txt"),
                     "the\nof\nis\nand\nto\nin\nthat\nwe\nfor\nan\nare\nby\nbe\nas\non\nwith\ncan\n"
                     "if\nfrom\nwhich\nyou\nit\nthis\nthen\nat\nhave\nall\nnot\none\nhas\nor\n");
  KeywordOptions options;
  options.stopwords_path = dir.File("stop.txt");
  auto k = KeywordExtractor::Load(Seg(), options);
  ASSERT_TRUE(k.ok()) << k.status().ToString();
  EXPECT_DOUBLE_EQ((*k)->median_idf(), 11.9547675029);
  auto tags = (*k)->TfIdf(
      "某市化工厂昨夜发生爆炸，化工厂周边居民紧急疏散，环保部门正在监测空气质量，化工厂负责人已被控"
      "制。",
      5);
  EXPECT_EQ(Words(tags), "化工厂/某市/空气质量/发生爆炸/环保部门");
  ASSERT_EQ(tags.size(), 5u);
  EXPECT_NEAR(tags[0].weight, 1.762662746559375, 1e-12);
  EXPECT_NEAR(tags[4].weight, 0.60789314888, 1e-12);
  tags = (*k)->TfIdf("这家酒店的服务态度真差，前台服务员爱理不理，房间隔音也差，再也不来了！", 5);
  // 服务态度 and 爱理不理 tie: first occurrence first, as Python's stable sort.
  EXPECT_EQ(Words(tags), "真差/服务态度/爱理不理/隔音/前台");
  EXPECT_NEAR(tags[0].weight, 1.2636979683636365, 1e-12);
}

TEST(KeywordsTest, BuiltInStopWordsDropFunctionWords) {
  auto k = KeywordExtractor::Load(Seg());
  ASSERT_TRUE(k.ok());
  EXPECT_TRUE((*k)->IsStopWord("我们"));
  EXPECT_TRUE((*k)->IsStopWord("The"));
  EXPECT_FALSE((*k)->IsStopWord("化工厂"));
  auto tags = (*k)->TfIdf("我们觉得这个化工厂的问题非常严重，我们要求政府公开调查结果", 3);
  for (const auto& t : tags) EXPECT_FALSE((*k)->IsStopWord(t.word)) << t.word;
  EXPECT_EQ(tags.front().word, "化工厂");
  EXPECT_TRUE((*k)->TfIdf("").empty());
  EXPECT_TRUE((*k)->TfIdf("，。！😂").empty());
}

TEST(KeywordsTest, TextRankRanksCentralWordsFirst) {
  auto k = KeywordExtractor::Load(Seg());
  ASSERT_TRUE(k.ok());
  auto tags = (*k)->TextRank(
      "化工厂爆炸后，化工厂周边居民疏散，环保部门监测化工厂周边空气，居民担心化工厂污染", 3);
  ASSERT_FALSE(tags.empty());
  EXPECT_EQ(tags[0].word, "化工厂");
  EXPECT_DOUBLE_EQ(tags[0].weight, 1.0);
}

TEST(KeywordsTest, MissingIdfFileIsNotFound) {
  KeywordOptions options;
  options.idf_path = "/nonexistent/idf.txt";
  EXPECT_EQ(KeywordExtractor::Load(Seg(), options).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace yuqing::text
