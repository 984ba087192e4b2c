#include "store/sqlite/fts_query.h"

#include <gtest/gtest.h>

#include "rules/query_parser.h"
#include "rules/query_terms.h"
#include "text/tokenizer.h"

namespace yuqing::store::sqlite {
namespace {

std::string Match(std::string_view q) {
  SearchRequest req;
  auto parsed = rules::ParseQuery(q);
  if (!parsed.ok()) return "PARSE " + parsed.status().message();
  rules::FillQueryTerms(*parsed, *text::MakeBigramTokenizer());
  req.query = *parsed;
  auto m = BuildFtsMatch(req);
  return m.ok() ? *m : "ERROR " + m.status().message();
}

TEST(FtsQueryTest, TranslatesOperatorsToFts5) {
  EXPECT_EQ(Match("化工厂"), "({title body} : \"化工 工厂\")");
  // One-term words also look in `sub` (pieces of longer words); phrases of several terms do not.
  EXPECT_EQ(Match("长治 OR 潞城"),
            "(({title body sub} : \"长治\" OR {title body sub} : \"潞城\"))");
  EXPECT_EQ(Match("泄漏 -演习 NOT 假"),
            "((({title body sub} : \"泄漏\") NOT ({title body sub} : \"演习\" OR {title body sub} "
            ": \"假\")))");
  EXPECT_EQ(Match("title:通报"), "(title : \"通报\")");
  EXPECT_EQ(Match("channel:weibo"), "(channel : \"c776569626f\")");
  EXPECT_EQ(Match("NEAR/3(长治, 泄漏)"), "({title body} : NEAR(\"长治\" \"泄漏\" , 3))");
}

TEST(FtsQueryTest, RefusesWhatTheIndexCannotAnswer) {
  EXPECT_EQ(Match("NOT 演习"),
            "ERROR column 1: a query of only NOT matches almost everything; add a word that must "
            "appear");
  EXPECT_EQ(Match("a OR -b"),
            "ERROR column 6: NOT inside OR would match almost everything; move it outside the OR");
  EXPECT_EQ(Match("！！"), "ERROR column 1: \"！！\" contains nothing searchable");
  EXPECT_EQ(Match("channel:twitter"),
            "ERROR column 9: unknown channel \"twitter\"; expected one of news, weibo, wechat, "
            "forum, video, qa, hotline, mailbox, gov_platform, print, tv, other");
  EXPECT_EQ(Match("region:shanxi"),
            "ERROR column 8: region \"shanxi\" is not a GB/T 2260 code (2, 4 or 6 digits)");
  EXPECT_EQ(Match("@places"), "ERROR column 1: keyword list \"@places\" is not defined");
}

TEST(FtsQueryTest, RegionCodesIncludeTheirAncestors) {
  EXPECT_EQ(RegionPrefix("140000"), "14");
  EXPECT_EQ(RegionPrefix("140400"), "1404");
  EXPECT_EQ(RegionPrefix("140406"), "140406");
  EXPECT_EQ(RegionPrefix("14x"), "");
  EXPECT_EQ(RegionTerms("140406"), "r14 r1404 r140406");
  EXPECT_EQ(RegionTerms(""), "");
}

}  // namespace
}  // namespace yuqing::store::sqlite
