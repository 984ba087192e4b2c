#include "rules/query_parser.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

namespace yuqing::rules {
namespace {

std::string Parsed(std::string_view q) {
  auto r = ParseQuery(q);
  return r.ok() ? ToString(*r) : "ERROR " + r.status().message();
}

TEST(QueryParserTest, ParsesOperatorsAndPrecedence) {
  struct {
    const char* in;
    const char* out;
  } cases[] = {
      {"化工", "化工"},
      {"长治 化工", "(长治 AND 化工)"},
      {"(长治 OR 潞城) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习",
       "((长治 OR 潞城) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习)"},
      {"a OR b c", "(a OR (b AND c))"},
      {"泄漏 -演习", "(泄漏 AND NOT 演习)"},
      {"\"苯胺 泄漏\" title:通报", "(\"苯胺 泄漏\" AND title:通报)"},
      {"author:(人民日报 OR 新华社)", "(author:人民日报 OR author:新华社)"},
      {"NEAR/5(长治, 泄漏)", "NEAR/5(长治, 泄漏)"},
      {"text:NEAR(\"水 污染\", 邯郸)", "text:NEAR/10(\"水 污染\", 邯郸)"},
      {"@places_changzhi AND 化工", "(@places_changzhi AND 化工)"},
      {"（长治 OR 潞城）“化工厂”", "((长治 OR 潞城) AND \"化工厂\")"},
      {"title：爆炸", "title:爆炸"},
      {"COVID-19 http://x.cn/a", "(COVID-19 AND http://x.cn/a)"},
      {"a or b", "(a AND or AND b)"},
      {"化工 -\"消防 演练\" -(演习 OR 演示)",
       "(化工 AND NOT \"消防 演练\" AND NOT (演习 OR 演示))"},
  };
  for (const auto& c : cases) EXPECT_EQ(Parsed(c.in), c.out) << c.in;
}

TEST(QueryParserTest, ErrorsGiveColumnFoundAndExpected) {
  struct {
    const char* in;
    const char* err;
  } cases[] = {
      {"", "ERROR column 1: the query is empty"},
      {"(长治 OR 潞城",
       "ERROR column 10: expected ')' to close the '(' at column 1, found end of query"},
      {"长治 OR", "ERROR column 6: expected a word, phrase or '(' after OR, found end of query"},
      {"长治 )", "ERROR column 4: found ')' with no matching '('"},
      {"AND 化工", "ERROR column 1: expected a word, phrase or '(', found AND"},
      {"化工 AND OR 泄漏", "ERROR column 8: expected a word, phrase or '(' after AND, found OR"},
      {"\"苯胺 泄漏", "ERROR column 1: unterminated phrase: the '\"' here has no closing '\"'"},
      {"()", "ERROR column 1: empty group '()'"},
      {"NOT", "ERROR column 4: expected a word, phrase or '(' after NOT, found end of query"},
      {"NEAR/0(a, b)", "ERROR column 1: expected NEAR/n with n from 1 to 100, found \"NEAR/0\""},
      {"NEAR/3(a)", "ERROR column 1: NEAR needs at least two words: NEAR/5(a, b)"},
      {"NEAR/3(a b)", "ERROR column 10: expected ',' or ')' in NEAR(…), found word \"b\""},
      {"title: 化工", "ERROR column 1: expected a word, phrase or '(' right after \"title:\""},
      {"title:(author:x)", "ERROR column 15: field \"author:\" inside field \"title:\" (column 1)"},
      {"a \"\"", "ERROR column 3: the phrase is empty"},
      {"@", "ERROR column 1: expected a list name after '@'"},
  };
  for (const auto& c : cases) EXPECT_EQ(Parsed(c.in), c.err) << c.in;
}

TEST(QueryParserTest, EnforcesLimits) {
  std::string deep(40, '(');
  deep += "x" + std::string(40, ')');
  EXPECT_EQ(Parsed(deep), "ERROR column 34: nesting deeper than 32 levels");
  std::string many;
  for (int i = 0; i < 1001; ++i) many += "w ";
  EXPECT_EQ(Parsed(many), "ERROR column 2001: more than 1000 terms");
  EXPECT_EQ(Parsed(std::string(5000, 'x')),
            "ERROR the query is 5000 characters long; the limit is 4096");
  EXPECT_EQ(Parsed("ab\xFF"), "ERROR column 1: the query is not valid UTF-8 (byte 2)");
}

}  // namespace
}  // namespace yuqing::rules

#include "rules/query_terms.h"

namespace yuqing::rules {
namespace {

TEST(ResolveRegionNamesTest, NamesBecomeCodesAndErrorsKeepTheColumn) {
  RegionResolver regions = [](std::string_view name) -> Result<std::string> {
    if (name == "长治") return std::string("140400");
    return Status::InvalidArgument(fmt::format("region \"{}\" is ambiguous", name));
  };
  auto q = ParseQuery("region:长治 泄漏 region:1404");
  ASSERT_TRUE(q.ok());
  ASSERT_TRUE(ResolveRegionNames(*q, regions).ok());
  EXPECT_EQ(ToString(*q), "(region:140400 AND 泄漏 AND region:1404)");
  auto bad = ParseQuery("泄漏 region:朝阳");
  EXPECT_EQ(ResolveRegionNames(*bad, regions).message(), "column 11: region \"朝阳\" is ambiguous");
  EXPECT_TRUE(ResolveRegionNames(*bad, RegionResolver()).ok());  // no resolver: left alone
}

}  // namespace
}  // namespace yuqing::rules
