#include "rules/rule_set.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "text/normalize.h"

namespace yuqing::rules {
namespace {

std::shared_ptr<const CompiledRuleSet> Compile(
    const std::vector<std::pair<int64_t, std::string>>& rules,
    const PrepareOptions& options = PrepareOptions()) {
  std::vector<PreparedRule> prepared;
  for (const auto& [id, q] : rules) {
    auto r = CheckRule(id, q, options);
    EXPECT_TRUE(r.ok()) << q << ": " << r.status().message();
    if (r.ok()) prepared.push_back(std::move(*r));
  }
  auto set = CompiledRuleSet::Compile(std::move(prepared), options.normalizer);
  EXPECT_TRUE(set.ok()) << set.status().message();
  return *set;
}

std::vector<int64_t> Ids(const CompiledRuleSet& set, const PostView& post) {
  std::vector<int64_t> ids;
  set.MatchIds(post, ids);
  return ids;
}

// The matched terms of one rule as "field:text@begin" strings, cut from the post.
std::string Explain(const RuleMatch& m, const PostView& post) {
  std::string out;
  for (const TermMatch& t : m.terms) {
    std::string_view field = t.field == Scope::kTitle    ? post.title
                             : t.field == Scope::kText   ? post.text
                             : t.field == Scope::kAuthor ? post.author
                             : t.field == Scope::kRegion ? post.region_code
                                                         : post.source;
    if (!out.empty()) out += " ";
    out += std::string(ScopeName(t.field)) + ":" +
           std::string(field.substr(t.begin, t.end - t.begin)) + "@" + std::to_string(t.begin);
  }
  return out;
}

TEST(CompiledRuleSetTest, MatchesTheIssueExampleAndExplainsWhy) {
  auto set = Compile(
      {{1, "(长治 OR 潞城) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习"}, {2, "太原 AND 泄漏"}});
  PostView post;
  post.title = "长治市一化工厂发生苯胺泄漏";
  post.text = "12月31日，潞城市境内一化工企业发生苯胺泄漏事故，部分泄漏物流入浊漳河。";
  MatchResult result;
  set->Match(post, result);
  ASSERT_EQ(result.rules.size(), 1u);
  EXPECT_EQ(result.rules[0].rule_id, 1);
  EXPECT_EQ(Explain(result.rules[0], post),
            "title:长治@0 text:潞城@13 title:苯胺@27 text:苯胺@49 title:化工@12 text:化工@31 "
            "title:泄漏@33 text:泄漏@55 text:泄漏@76");

  post.text = "长治市举行化工泄漏应急演习。";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
}

TEST(CompiledRuleSetTest, MatchingIsWidthCaseAndSpaceInsensitive) {
  auto set = Compile({{5, "COVID-19 AND 疫苗"}, {6, "\"苯胺 泄漏\""}});
  PostView post;
  post.text = "ｃｏｖｉｄ－１９ 疫苗接种进展";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{5});
  post.text = "发生苯胺 泄漏";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{6});
  post.text = "发生苯胺，泄漏";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
}

TEST(CompiledRuleSetTest, TraditionalAndSimplifiedMatchAlikeWithACharacterMap) {
  PrepareOptions o;
  o.normalizer = std::make_shared<FoldNormalizer>(
      std::unordered_map<char32_t, char32_t>{{U'長', U'长'}, {U'洩', U'泄'}, {U'廠', U'厂'}});
  auto set = Compile({{1, "长治 AND 泄漏"}, {2, "化工廠"}}, o);
  PostView post;
  post.text = "長治一化工厂發生洩漏";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2}));
  MatchResult result;
  set->Match(post, result);
  EXPECT_EQ(Explain(result.rules[0], post), "text:長治@0 text:洩漏@24");
}

TEST(CompiledRuleSetTest, PostsNormalizedByTheTextModuleMatchRulesInEitherScript) {
  auto text = text::Normalizer::Create();
  if (!text.ok()) GTEST_SKIP() << "OpenCC unavailable: " << text.status().message();
  PrepareOptions o;
  o.normalizer = std::make_shared<PreNormalizedTextNormalizer>(*text);
  auto set = Compile({{1, "長治 AND 泄漏"}, {2, "化工厂 AND COVID"}, {3, "\"發生 洩漏\""}}, o);
  // The pipeline matches the text the text module produced.
  std::string title = (*text)->NormalizeText("長治一化工廠發生洩漏");
  std::string body = (*text)->NormalizeText("ＣＯＶＩＤ 期间停产");
  PostView post;
  post.title = title;
  post.text = body;
  EXPECT_EQ(title, "长治一化工厂发生泄漏");
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2, 3}));
  MatchResult result;
  set->Match(post, result);
  EXPECT_EQ(Explain(result.rules[0], post), "title:长治@0 title:泄漏@24");
}

TEST(CompiledRuleSetTest, LatinTermsMatchAtWordEdgesChineseTermsAnywhere) {
  auto set =
      Compile({{1, "AI AND 换脸"}, {2, "PX"}, {3, "5G"}, {4, "COVID"}, {5, "NEAR/2(5G, 基站)"}});
  PostView post;
  post.text = "他said这次换脸";  // "ai" inside a word of Latin letters
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
  post.text = "用AI换脸诈骗";  // CJK on both sides is an edge
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{1});
  post.text = "ｓａｉｄ ai 换脸";  // full-width folds first; the second "ai" stands alone
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{1});
  post.text = "SPX指数 和 PXE";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
  post.text = "反对PX项目";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{2});
  post.text = "每月15G流量";  // a digit before the digit 5
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
  post.text = "新建5G基站";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{3, 5}));
  post.text = "COVID19 与 covid-19";  // a digit after a letter is an edge
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{4});
  post.text = "COVIDs";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});

  MatchResult result;
  post.text = "said: AI换脸";
  set->Match(post, result);
  ASSERT_EQ(result.rules.size(), 1u);
  EXPECT_EQ(Explain(result.rules[0], post), "text:AI@6 text:换脸@8");  // not the "ai" of "said"
}

TEST(CompiledRuleSetTest, FieldScopesLookOnlyAtTheirField) {
  auto set = Compile({{1, "title:爆炸"},
                      {2, "text:爆炸"},
                      {3, "爆炸 AND author:人民日报"},
                      {4, "source:新华网 AND 地震"},
                      {5, "channel:weibo AND 地震"}});
  PostView post;
  post.title = "化工厂爆炸";
  post.text = "暂无伤亡报告";
  post.author = "人民日报评论";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 3}));
  post.title = "突发";
  post.text = "化工厂爆炸，四川发生地震";
  post.source = "新华网";
  post.channel = "Weibo";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{2, 3, 4, 5}));
}

TEST(CompiledRuleSetTest, RegionCodesIncludeSubRegions) {
  auto set = Compile({{1, "region:14 AND 泄漏"},
                      {2, "region:1404 AND 泄漏"},
                      {3, "region:140402 AND 泄漏"},
                      {4, "泄漏 NOT region:1404"}});
  PostView post;
  post.text = "化工厂发生泄漏";
  post.region_code = "140402";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2, 3}));
  post.region_code = "140100";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 4}));
  post.region_code = "";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{4}));
  post.region_code = "140402";
  MatchResult result;
  set->Match(post, result);
  EXPECT_EQ(Explain(result.rules[1], post), "region:140402@0 text:泄漏@15");
}

TEST(CompiledRuleSetTest, NearCountsChineseCharactersAsWords) {
  auto set = Compile({{1, "NEAR/6(长治, 泄漏)"},
                      {2, "NEAR/5(长治, 泄漏)"},
                      {3, "NEAR/2(苯胺, 泄漏, 化工)"},
                      {4, "title:NEAR/1(长治, 泄漏)"}});
  PostView post;
  post.text = "长治市化工厂发生泄漏，苯胺流入河道";  // 6 characters between 长治 and 泄漏
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{1});
  post.text = "苯胺泄漏：长治市化工厂";  // 化工 is 3 words after 泄漏 ends; 长治 right after
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2}));
  post.text = "化工苯胺泄漏";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{3});
  post.text = "";
  post.title = "长治：泄漏";  // punctuation is not a word
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2, 4}));
}

TEST(CompiledRuleSetTest, NearDoesNotSpanTitleAndText) {
  auto set = Compile({{1, "NEAR/3(长治, 泄漏)"}});
  PostView post;
  post.title = "长治";
  post.text = "泄漏";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
}

TEST(CompiledRuleSetTest, ALongPostFullOfHitsCapsExplanationsPerTerm) {
  std::vector<std::pair<int64_t, std::string>> rules;
  for (int i = 0; i < 200; ++i) {
    rules.push_back({i, "NEAR/" + std::to_string(2 + i % 3) + "(长治, 泄漏, 化工)"});
  }
  auto set = Compile(rules);
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "长治泄漏，";
  PostView post;
  post.text = text;
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
  post.title = "化工长治泄漏";
  MatchResult result;
  set->Match(post, result);
  ASSERT_EQ(result.rules.size(), 200u);
  // 长治 and 泄漏: 1 in the title + 16 in the text each; 化工: 1.
  EXPECT_EQ(result.rules[0].terms.size(), 2 * (1 + CompiledRuleSet::kMaxOccurrencesPerTerm) + 1);
}

TEST(CompiledRuleSetTest, RejectsDuplicateIds) {
  auto a = CheckRule(7, "长治 化工", {});
  auto b = CheckRule(7, "潞城 化工", {});
  ASSERT_TRUE(a.ok() && b.ok());
  auto set = CompiledRuleSet::Compile({*a, *b});
  ASSERT_FALSE(set.ok());
  EXPECT_EQ(set.status().message(), "rule 7 appears twice");
}

TEST(CompiledRuleSetTest, AnEmptySetMatchesNothing) {
  auto set = CompiledRuleSet::Compile({});
  ASSERT_TRUE(set.ok());
  PostView post;
  post.text = "长治市化工厂发生泄漏";
  EXPECT_EQ(Ids(**set, post), std::vector<int64_t>{});
}

TEST(CompiledRuleSetTest, OnlyRulesTriggeredByAFoundTermAreCandidates) {
  // A rule whose trigger is under NOT NOT still matches: the trigger analysis keeps it.
  auto set = Compile({{1, "NOT (NOT 化工 OR 演习)"}, {2, "(长治 OR NOT 演习) AND 泄漏"}});
  PostView post;
  post.text = "化工厂泄漏";
  EXPECT_EQ(Ids(*set, post), (std::vector<int64_t>{1, 2}));
  post.text = "化工厂演习泄漏";
  EXPECT_EQ(Ids(*set, post), std::vector<int64_t>{});
}

}  // namespace
}  // namespace yuqing::rules
