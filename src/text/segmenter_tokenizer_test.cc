#include "text/segmenter_tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "testing/test_util.h"

namespace yuqing::text {
namespace {

struct Fixture {
  std::shared_ptr<const Segmenter> seg;
  std::shared_ptr<const Normalizer> norm;
  std::shared_ptr<const Tokenizer> tok;
};

const Fixture& F() {
  static Fixture f = [] {
    Fixture x;
    auto seg = Segmenter::Load();
    auto norm = Normalizer::Create();
    EXPECT_TRUE(seg.ok() && norm.ok());
    if (seg.ok() && norm.ok()) {
      x.seg = *seg;
      x.norm = *norm;
      x.tok = MakeSegmenterTokenizer(x.seg, x.norm);
    }
    return x;
  }();
  return f;
}

std::string Join(const std::vector<std::string>& terms) {
  std::string out;
  for (const auto& t : terms) out += (out.empty() ? "" : "/") + t;
  return out;
}
std::string Doc(std::string_view s) {
  std::vector<std::string> t;
  F().tok->DocumentTerms(s, t);
  return Join(t);
}
std::string Query(std::string_view s) {
  std::vector<std::string> t;
  F().tok->QueryTerms(s, t);
  return Join(t);
}

bool ContainsPhrase(const std::vector<std::string>& doc, const std::vector<std::string>& q) {
  if (q.empty()) return false;
  return std::search(doc.begin(), doc.end(), q.begin(), q.end()) != doc.end();
}

TEST(SegmenterTokenizerTest, SubTermsAreTheWordsInsideLongerWords) {
  ASSERT_NE(F().tok, nullptr);
  std::vector<std::string> sub;
  F().tok->SubTerms("長治市潞城區化工廠發生泄漏", sub);
  std::string joined = Join(sub);
  // 长治 inside 长治市, 化工 and 工厂 inside 化工厂 (after traditional → simplified);
  // two-character words contribute nothing, and whole document words are not repeated.
  EXPECT_NE(joined.find("长治"), std::string::npos) << joined;
  EXPECT_NE(joined.find("工厂"), std::string::npos) << joined;
  EXPECT_EQ(std::count(sub.begin(), sub.end(), "泄漏"), 0) << joined;
  EXPECT_EQ(std::count(sub.begin(), sub.end(), "化工厂"), 0) << joined;
  // Every sub-term is what a one-term query of it looks for.
  for (const auto& t : sub) EXPECT_EQ(Query(t), t);
  // The combined call gives exactly what the two separate ones give.
  std::vector<std::string> terms, terms2, sub2;
  F().tok->DocumentTerms("長治市潞城區化工廠發生泄漏", terms);
  F().tok->DocumentAndSubTerms("長治市潞城區化工廠發生泄漏", terms2, sub2);
  EXPECT_EQ(terms2, terms);
  EXPECT_EQ(sub2, sub);
}

TEST(SegmenterTokenizerTest, IndexesWordsWithoutPunctuation) {
  ASSERT_NE(F().tok, nullptr);
  EXPECT_EQ(F().tok->Name(), "jieba-v2");
  EXPECT_EQ(Doc("某市化工厂发生泄漏，PM2.5浓度超标！[泪]"),
            "某市/化工厂/发生/泄漏/pm2/5/浓度/超标/泪");
  EXPECT_EQ(Doc("這個化工廠發生洩漏😂"), "这个/化工厂/发生/泄漏");
  EXPECT_EQ(Query("化工廠"), "化工厂");
  EXPECT_EQ(Query("ＰＭ２．５"), "pm2/5");
  EXPECT_EQ(Query("化工厂泄漏"), "化工厂/泄漏");
  EXPECT_EQ(Query("，。！"), "");
  EXPECT_EQ(Doc(""), "");
}

TEST(SegmenterTokenizerTest, HmmWordsMatchWhenQueriedAlone) {
  // 杭研 is found by the HMM in context; alone, the dictionary cuts it into characters.
  std::vector<std::string> doc, q;
  F().tok->DocumentTerms("他来到了网易杭研大厦", doc);
  F().tok->QueryTerms("杭研", q);
  EXPECT_EQ(Join(q), "杭/研");
  EXPECT_TRUE(ContainsPhrase(doc, q)) << Join(doc);
}

std::vector<std::string> Sentences(size_t per_file) {
  std::vector<std::string> out = {
      "他来到了网易杭研大厦", "李小福是创新办主任也是云计算方面的专家",
      "工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作"};
  // Sentences written for the tests in the style of Weibo posts, news titles and reviews
  // (src/text/testdata/README.md).
  for (const char* file : {"weibo_posts.txt", "news_titles.txt", "reviews.txt"}) {
    std::ifstream in(testing::SourceDir() / "src/text/testdata" / file);
    EXPECT_TRUE(in) << "missing fixture " << file;
    std::string line;
    for (size_t n = 0; n < per_file && std::getline(in, line);) {
      if (line.empty()) continue;
      out.push_back(line);
      ++n;
    }
  }
  return out;
}

// The property the index relies on: every word of a document, cut in its context, found by a
// query for that word as a phrase.
TEST(SegmenterTokenizerTest, EveryWordOfADocumentMatchesAsAQuery) {
  size_t words = 0, pairs = 0, pairs_matched = 0;
  for (const auto& raw : Sentences(150)) {
    std::string text = F().norm->NormalizeText(raw);
    std::vector<std::string> doc;
    F().tok->DocumentTerms(text, doc);
    std::vector<std::string_view> cut;
    F().seg->Cut(text, cut);
    for (size_t i = 0; i < cut.size(); ++i) {
      std::vector<std::string> q;
      F().tok->QueryTerms(cut[i], q);
      if (q.empty()) continue;
      ++words;
      ASSERT_TRUE(ContainsPhrase(doc, q)) << "word \"" << cut[i] << "\" in \"" << text << "\"";
      // Two adjacent words as one query: not guaranteed, measured.
      if (i + 1 < cut.size()) {
        std::string two = std::string(cut[i]) + std::string(cut[i + 1]);
        std::vector<std::string> q2;
        F().tok->QueryTerms(two, q2);
        if (q2.size() < 2) continue;
        ++pairs;
        pairs_matched += ContainsPhrase(doc, q2) ? 1 : 0;
      }
    }
  }
  // About 250 sentences from the fixtures.
  EXPECT_GT(words, 500u);
  std::printf("words matched: %zu/%zu; two-word queries matched: %zu/%zu\n", words, words,
              pairs_matched, pairs);
  EXPECT_GE(static_cast<double>(pairs_matched), 0.9 * static_cast<double>(pairs));
}

}  // namespace
}  // namespace yuqing::text
