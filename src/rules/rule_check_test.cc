#include "rules/rule_check.h"

#include <gtest/gtest.h>

#include <string>

namespace yuqing::rules {
namespace {

PrepareOptions Options() {
  PrepareOptions o;
  o.lists = MapListResolver({
      {"places_changzhi", {"长治", "潞城", " 屯留 "}},
      {"chemicals", {"苯胺", "化工"}},
      {"empty", {}},
      {"blank", {"  ", ""}},
      {"bad", {"长治", "水"}},
      {"shanxi_codes", {"1404", "140500"}},
  });
  o.regions = [](std::string_view name) -> Result<std::string> {
    if (name == "长治市") return std::string("140400");
    return Status::NotFound("unknown region name \"" + std::string(name) + "\"");
  };
  return o;
}

std::string Check(std::string_view query, const PrepareOptions& o = Options()) {
  auto r = CheckRule(1, query, o);
  if (!r.ok()) return "ERROR " + r.status().message();
  std::string out;
  for (const RuleTerm& t : r->terms) {
    if (!out.empty()) out += " ";
    if (t.scope != Scope::kTitleOrText) out += std::string(ScopeName(t.scope)) + ":";
    out += t.literal;
  }
  return out;
}

TEST(RuleCheckTest, ExpandsListsAndNormalizesTerms) {
  EXPECT_EQ(Check("(@places_changzhi) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习"),
            "长治 潞城 屯留 苯胺 化工 泄漏 演习");
  EXPECT_EQ(Check("title:@chemicals ＣＯＶＩＤ"), "title:苯胺 title:化工 covid");
  EXPECT_EQ(Check("\"苯胺 泄漏\" OR 苯胺泄漏"), "苯胺泄漏");
  EXPECT_EQ(Check("author:人民日报 source:新华网 channel:weibo 长治"),
            "author:人民日报 source:新华网 channel:weibo 长治");
}

TEST(RuleCheckTest, RecordsTheKeywordListsARuleUses) {
  auto r =
      CheckRule(1, "@places_changzhi AND (@chemicals OR title:@chemicals) AND 泄漏", Options());
  ASSERT_TRUE(r.ok()) << r.status().message();
  EXPECT_EQ(r->lists, (std::vector<std::string>{"chemicals", "places_changzhi"}));
}

TEST(RuleCheckTest, ResolvesRegionCodesAndNames) {
  EXPECT_EQ(Check("region:14 化工"), "region:14 化工");
  EXPECT_EQ(Check("region:140400 化工"), "region:1404 化工");
  EXPECT_EQ(Check("region:140402 化工"), "region:140402 化工");
  EXPECT_EQ(Check("region:长治市 化工"), "region:1404 化工");
  EXPECT_EQ(Check("region:@shanxi_codes 化工"), "region:1404 region:1405 化工");
  EXPECT_EQ(Check("region:(14 OR 13) NOT region:1404 化工"),
            "region:14 region:13 region:1404 化工");
}

TEST(RuleCheckTest, RefusesRulesThatWouldMatchAlmostEverything) {
  struct {
    const char* in;
    const char* err;
  } cases[] = {
      {"NOT 演习",
       "ERROR column 1: NOT here is not combined with a required term, so the rule would match "
       "almost every post; write e.g. \"化工 AND NOT 演习\""},
      {"化工 OR -演习",
       "ERROR column 7: NOT here is not combined with a required term, so the rule would match "
       "almost every post; write e.g. \"化工 AND NOT 演习\""},
      {"NOT (化工 AND 泄漏) AND NOT 演习",
       "ERROR column 1: NOT here is not combined with a required term, so the rule would match "
       "almost every post; write e.g. \"化工 AND NOT 演习\""},
      {"长治 AND 水",
       "ERROR column 8: the term \"水\" is too short (1 character; at least 2): it would match "
       "almost every post"},
      {"长治 AND \"a\"",
       "ERROR column 8: the term \"a\" is too short (1 character; at least 2): it would match "
       "almost every post"},
      {"NEAR/3(长治, 我们)",
       "ERROR column 12: the term \"我们\" is one of the most common words: it would match almost "
       "every post"},
      {"长治 @bad",
       "ERROR column 4: keyword list \"@bad\": the term \"水\" is too short (1 character; at "
       "least 2): it would match almost every post"},
      {"长治 @empty",
       "ERROR column 4: keyword list \"@empty\" is empty; a rule cannot use an empty list"},
      {"长治 @blank",
       "ERROR column 4: keyword list \"@blank\" is empty; a rule cannot use an empty list"},
      {"长治 @nosuch", "ERROR column 4: unknown keyword list \"@nosuch\""},
      {"region:1 化工",
       "ERROR column 8: region \"1\" is not a GB/T 2260 code (2, 4, 6, 9 or 12 digits)"},
      {"region:000000 化工", "ERROR column 8: region \"000000\" is not a GB/T 2260 code"},
      {"region:太原市 化工", "ERROR column 8: unknown region name \"太原市\""},
      {"region:NEAR/3(14, 15)", "ERROR column 8: NEAR cannot be used with region:"},
      {"长治 OR", "ERROR column 6: expected a word, phrase or '(' after OR, found end of query"},
  };
  for (const auto& c : cases) EXPECT_EQ(Check(c.in), c.err) << c.in;
}

TEST(RuleCheckTest, WithoutResolversListsAndRegionNamesAreExplained) {
  PrepareOptions bare;
  EXPECT_EQ(Check("长治 @places", bare),
            "ERROR column 4: keyword lists are not available here (\"@places\")");
  EXPECT_EQ(Check("region:长治 化工", bare),
            "ERROR column 8: region \"长治\" is not a GB/T 2260 code and region names are not "
            "available; write the code, e.g. region:1404");
}

TEST(RuleCheckTest, LimitsTermsAfterListExpansion) {
  PrepareOptions o = Options();
  o.limits.max_terms = 3;
  EXPECT_EQ(Check("@places_changzhi AND @chemicals", o),
            "ERROR the rule has 5 terms after expanding keyword lists; the limit is 3");
}

TEST(RuleCheckTest, RegionPrefixDropsTrailingZeroGroups) {
  EXPECT_EQ(*RegionPrefix("140000"), "14");
  EXPECT_EQ(*RegionPrefix("140400"), "1404");
  EXPECT_EQ(*RegionPrefix("1404"), "1404");
  EXPECT_EQ(*RegionPrefix("140402"), "140402");
  EXPECT_EQ(*RegionPrefix("140402001000"), "140402001");
  EXPECT_EQ(*RegionPrefix("140402000000"), "140402");
  EXPECT_FALSE(RegionPrefix("14040").ok());
}

TEST(RuleCheckTest, AcceptsNegationBesideARequiredTerm) {
  EXPECT_EQ(Check("化工 -演习 NOT \"消防 演练\""), "化工 演习 消防演练");
  EXPECT_EQ(Check("NOT (NOT 化工)"), "化工");
  EXPECT_EQ(Check("(长治 OR 潞城) AND NOT (演习 OR 演练)"), "长治 潞城 演习 演练");
}

}  // namespace
}  // namespace yuqing::rules
