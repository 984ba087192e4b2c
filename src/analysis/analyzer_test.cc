#include "analysis/analyzer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "analysis/analyzer_for_tests.h"
#include "analysis/casualties.h"

namespace yuqing::analysis {
namespace {

const Analyzer& A() { return AnalyzerForTests(); }

bool HasKind(const model::Analysis& a, model::ResponseKind k) {
  return std::any_of(a.kinds.begin(), a.kinds.end(), [&](const auto& x) { return x.kind == k; });
}

TEST(RegionNameTest, FullNamesWithParentsForCodesOfEveryLength) {
  EXPECT_EQ(A().RegionName("140403"), "山西省长治市潞州区");
  EXPECT_EQ(A().RegionName("140400"), "山西省长治市");
  EXPECT_EQ(A().RegionName("1404"), "山西省长治市");
  EXPECT_EQ(A().RegionName("14"), "山西省");
  EXPECT_EQ(A().RegionName("110105"), "北京市朝阳区");
  EXPECT_EQ(A().RegionName("999999"), "");
  EXPECT_EQ(A().RegionName(""), "");
  EXPECT_EQ(A().RegionName("1404001"), "");
}

TEST(SentimentTest, ClearReviewsAndPosts) {
  EXPECT_EQ(A().AnalyzeText("服务态度很差，再也不会来了").sentiment.label,
            model::SentimentLabel::kNegative);
  EXPECT_EQ(A().AnalyzeText("房间干净，服务热情，下次还来").sentiment.label,
            model::SentimentLabel::kPositive);
  EXPECT_EQ(A().AnalyzeText("送餐太慢了，等了两个小时，菜都凉了").sentiment.label,
            model::SentimentLabel::kNegative);
}

TEST(SentimentTest, NegationFlipsAndDoubleNegationDoesNot) {
  double good = A().AnalyzeText("这家酒店好").sentiment.score;
  double not_good = A().AnalyzeText("这家酒店不好").sentiment.score;
  double not_not_good = A().AnalyzeText("这家酒店不是不好").sentiment.score;
  EXPECT_GT(good, 0);
  EXPECT_LT(not_good, 0);
  EXPECT_GT(not_not_good, not_good);
}

TEST(SentimentTest, TraditionalScriptReadsLikeSimplified) {
  auto s = A().AnalyzeText("服務態度很差，再也不會來了").sentiment;
  auto t = A().AnalyzeText("服务态度很差，再也不会来了").sentiment;
  EXPECT_EQ(s.label, t.label);
  EXPECT_DOUBLE_EQ(s.score, t.score);
}

TEST(SentimentTest, MixedLanguageAndEvidence) {
  auto s = A().AnalyzeText("这个iPhone质量太差了，really disappointed").sentiment;
  EXPECT_EQ(s.label, model::SentimentLabel::kNegative);
  ASSERT_FALSE(s.evidence.empty());
  EXPECT_GT(s.evidence[0].weight, 0);
}

TEST(SentimentTest, NewsIsNeutral) {
  EXPECT_EQ(A().AnalyzeText("国务院常务会议部署推进城市更新工作").sentiment.label,
            model::SentimentLabel::kNeutral);
}

// The three-way decision (docs/analysis.md, "Neutral"): posts with a clear emotion keep their
// pole although the model is unsure of it; notices, reports and practical questions stay
// neutral.
TEST(SentimentTest, EmotionalPostsAreNotNeutral) {
  using L = model::SentimentLabel;
  EXPECT_EQ(A().AnalyzeText("地震的时候真的好害怕，整栋楼都在晃").sentiment.label, L::kNegative);
  EXPECT_EQ(A().AnalyzeText("孩子走了三天了还没找到，心都碎了").sentiment.label, L::kNegative);
  EXPECT_EQ(A().AnalyzeText("又停水了，这个月第三次，到底有没有人管").sentiment.label,
            L::kNegative);
  EXPECT_EQ(A().AnalyzeText("今天终于拿到录取通知书了").sentiment.label, L::kPositive);
}

TEST(SentimentTest, NoticesReportsAndQuestionsAreNeutral) {
  for (const char* text : {
           "关于2027年春节放假安排的通知",
           "市交通运输局：10月8日起12路公交线路调整，途经人民路站点暂停停靠。",
           "长治市生态环境局发布浊漳河水质监测数据",
           "请问明天去市民中心办社保卡需要带户口本吗",
       }) {
    EXPECT_EQ(A().AnalyzeText(text).sentiment.label, model::SentimentLabel::kNeutral) << text;
  }
}

TEST(SentimentTest, RegisterMarkers) {
  auto reg = [](const char* text) {
    auto s = A().AnalyzeText(text).sentiment;
    return std::string(s.expressive ? "expressive" : s.formal ? "formal" : "plain");
  };
  EXPECT_EQ(reg("排队两个小时[怒]"), "expressive");
  EXPECT_EQ(reg("排队两个小时！"), "expressive");  // full-width, folded by normalization
  EXPECT_EQ(reg("又下雨了，出不了门"), "expressive");
  EXPECT_EQ(reg("排队的人不少呢"), "expressive");
  EXPECT_EQ(reg("2026年第三季度工作会议"), "formal");
  EXPECT_EQ(reg("咨询电话0355-2023456"), "formal");
  EXPECT_EQ(reg("城镇调查失业率为5.1%"), "formal");
  EXPECT_EQ(reg("营业时间为9:30至17:00"), "formal");
  EXPECT_EQ(reg("关于调整公交线路的通知"), "formal");
  EXPECT_EQ(reg("收到录取通知书"), "plain");  // 通知 only as a whole word
  EXPECT_EQ(reg("排队的人不少"), "plain");
  // An expressive marker wins over a formal one: the post speaks, whatever it quotes.
  EXPECT_EQ(reg("2026年最后一天了，加油！"), "expressive");
}

TEST(SentimentTest, DecisionFollowsTheRegisterThresholds) {
  AnalyzerOptions never;
  never.neutral_prob = never.neutral_prob_expressive = never.neutral_prob_formal = 2;
  AnalyzerOptions always;
  always.neutral_prob = always.neutral_prob_expressive = always.neutral_prob_formal = 0;
  auto strict = Analyzer::Load(never);
  auto lax = Analyzer::Load(always);
  ASSERT_TRUE(strict.ok() && lax.ok());
  for (const char* text : {"国务院常务会议部署推进城市更新工作", "关于2027年春节放假安排的通知",
                           "又停水了，这个月第三次"}) {
    EXPECT_NE((*strict)->AnalyzeText(text).sentiment.label, model::SentimentLabel::kNeutral)
        << text;
    EXPECT_EQ((*lax)->AnalyzeText(text).sentiment.label, model::SentimentLabel::kNeutral) << text;
  }
}

TEST(SentimentTest, DegenerateTextsGetADefinedLabel) {
  for (const std::string& text :
       {std::string("[哈哈][哈哈][哈哈]"), std::string("http://t.cn/A6abcdE"),
        std::string("1234567890"), std::string(""), std::string("！！！"), std::string(" \t\n"),
        std::string(200000, 'x')}) {
    auto s = A().AnalyzeText(text).sentiment;
    EXPECT_TRUE(std::isfinite(s.score) && s.score >= -1 && s.score <= 1) << text.size();
    EXPECT_TRUE(std::isfinite(s.neutral_prob) && s.neutral_prob >= 0 && s.neutral_prob <= 1);
    EXPECT_TRUE(s.label == model::SentimentLabel::kNeutral ||
                s.label == model::SentimentLabel::kNegative ||
                s.label == model::SentimentLabel::kPositive);
  }
}

TEST(SentimentTest, SarcasmMarkerIsReported) {
  EXPECT_TRUE(A().AnalyzeText("又涨价了，真是谢谢你们呵呵").sentiment.sarcasm);
}

TEST(DomainTest, TrainedAndKeywordDomains) {
  EXPECT_EQ(A().AnalyzeText("高考志愿填报指南：这些大学专业最热门").domain.label,
            model::Domain::kEducation);
  EXPECT_EQ(A().AnalyzeText("某医院多名患者术后感染，卫健委介入调查").domain.label,
            model::Domain::kHealth);
  EXPECT_EQ(A().AnalyzeText("派出所民警抓获两名盗窃电动车的犯罪嫌疑人").domain.label,
            model::Domain::kPublicSecurity);
}

TEST(KindTest, EmergencyWithCasualties) {
  auto a = A().AnalyzeText("长治市潞城区一化工厂发生爆炸，造成3人死亡、12人受伤");
  EXPECT_TRUE(HasKind(a, model::ResponseKind::kEmergency));
  EXPECT_EQ(a.casualties.deaths, 3);
  EXPECT_EQ(a.casualties.injured, 12);
}

TEST(KindTest, VitalInterestsMoralAndPolicy) {
  EXPECT_TRUE(HasKind(A().AnalyzeText("上百名农民工聚集讨薪，工资拖欠半年未发"),
                      model::ResponseKind::kVitalInterests));
  EXPECT_TRUE(HasKind(A().AnalyzeText("幼儿园老师虐童视频曝光，家长愤怒"),
                      model::ResponseKind::kMoralBottomLine));
  EXPECT_TRUE(HasKind(A().AnalyzeText("延迟退休新规被误读？人社部权威解读来了"),
                      model::ResponseKind::kPolicyMisreading));
  EXPECT_TRUE(A().AnalyzeText("今天天气不错，去公园散步").kinds.empty());
}

TEST(CasualtyTest, Figures) {
  auto c = ExtractCasualties("事故已造成三人遇难，两人失踪，经济损失约500万元");
  EXPECT_EQ(c.deaths, 3);
  EXPECT_EQ(c.missing, 2);
  ASSERT_TRUE(c.loss_yuan.has_value());
  EXPECT_DOUBLE_EQ(*c.loss_yuan, 5e6);
  c = ExtractCasualties("车祸致2死5伤，直接经济损失1.2亿元");
  EXPECT_EQ(c.deaths, 2);
  EXPECT_EQ(c.injured, 5);
  EXPECT_DOUBLE_EQ(*c.loss_yuan, 1.2e8);
  c = ExtractCasualties("死亡人数升至十二人，另有5人被困");
  EXPECT_EQ(c.deaths, 12);
  EXPECT_EQ(c.trapped, 5);
  EXPECT_TRUE(ExtractCasualties("一起去看电影，伤心死了").empty());
}

TEST(CasualtyTest, IdiomsAndUserNamesAreNoFigures) {
  // Idioms with a numeral before 死 or 伤.
  for (const char* s :
       {"创业就是九死一生", "老夫最近忙得七死八活", "决非一死了之", "他凭才能逃过一死"}) {
    EXPECT_FALSE(ExtractCasualties(s).deaths.has_value()) << s;
  }
  // A number in a user name.
  EXPECT_TRUE(ExtractCasualties("//@219159伤不起: 说得对").empty());
  EXPECT_FALSE(ExtractCasualties("回复@小王3死忠粉:哈哈").deaths.has_value());
  // The compact form still counts: Arabic digits alone, Chinese numerals as a pair.
  auto c = ExtractCasualties("持刀伤人已致6死");
  EXPECT_EQ(c.deaths, 6);
  c = ExtractCasualties("车祸造成一死两伤");
  EXPECT_EQ(c.deaths, 1);
  EXPECT_EQ(c.injured, 2);
  c = ExtractCasualties("围殴致1死4重伤 @本地新闻");
  EXPECT_EQ(c.deaths, 1);
}

// Figures that do not grade an incident here: light injuries (the thresholds of 国务院令第493号
// count serious ones), an incident abroad, a count over years or per year.
TEST(CasualtyTest, LightInjuriesAbroadAndPeriodsAreNotGraded) {
  auto c = ExtractCasualties("仓库起火，造成3人重伤、15人轻伤");
  EXPECT_EQ(c.injured, 3);
  c = ExtractCasualties("两车相撞致12人轻伤");
  EXPECT_FALSE(c.injured.has_value());
  EXPECT_TRUE(c.evidence.empty());

  EXPECT_TRUE(ExtractCasualties("日本北海道发生强烈地震，已致9人遇难。").empty());
  EXPECT_TRUE(ExtractCasualties("据外媒报道，美国得州一所小学发生枪击，21人死亡").empty());
  // Chinese citizens among the victims abroad: still a figure.
  EXPECT_EQ(ExtractCasualties("泰国普吉岛游船倾覆，37名中国游客遇难").deaths, 37);
  EXPECT_EQ(ExtractCasualties("矿井透水，5名矿工被困").trapped, 5);  // a noun between
  // The country in another sentence does not move the figure abroad.
  EXPECT_EQ(ExtractCasualties("刚从日本回来。今天小区着火，2人死亡").deaths, 2);

  EXPECT_TRUE(ExtractCasualties("近十年来，全省因溺水死亡的学生超过300人").empty());
  EXPECT_TRUE(ExtractCasualties("志愿者5年找回40名失踪老人").empty());
  EXPECT_TRUE(ExtractCasualties("全国每年因交通事故死亡约6万人").empty());
  // Not a period: a date, a school year, the age of a building, an incident's running count.
  EXPECT_EQ(ExtractCasualties("2019年3月21日化工厂爆炸，78人死亡").deaths, 78);
  EXPECT_EQ(ExtractCasualties("三年级学生食物中毒，12人受伤").injured, 12);
  EXPECT_EQ(ExtractCasualties("一栋30年的老楼倒塌，4人死亡").deaths, 4);
  EXPECT_EQ(ExtractCasualties("地震发生以来，已有120人遇难").deaths, 120);
  EXPECT_EQ(ExtractCasualties("暴雨累计造成12人死亡").deaths, 12);
}

TEST(CasualtyTest, ChineseNumerals) {
  EXPECT_EQ(ParseChineseNumber("三百零五"), 305);
  EXPECT_EQ(ParseChineseNumber("十二"), 12);
  EXPECT_EQ(ParseChineseNumber("两千"), 2000);
  EXPECT_EQ(ParseChineseNumber("1.5万"), 15000);
  EXPECT_EQ(ParseChineseNumber("1,200"), 1200);
  EXPECT_FALSE(ParseChineseNumber("三人").has_value());
}

TEST(PlaceTest, FullNamesShortFormsAndCodes) {
  auto a = A().AnalyzeText("山西长治市潞城区发生一起事故，长治警方已介入");
  std::vector<std::string> codes;
  for (const auto& p : a.places) codes.push_back(p.code);
  EXPECT_EQ(codes, (std::vector<std::string>{"140000", "140400", "140406"}));
  EXPECT_EQ(a.places[1].mentions.size(), 2u);  // 长治市 and 长治
}

TEST(PlaceTest, AmbiguousNameResolvedByContextAndRegion) {
  // 朝阳区: Beijing (110105) and Changchun (220104).
  auto bj = A().AnalyzeText("北京朝阳区一小区停水");
  auto cc = A().AnalyzeText("长春市朝阳区一小区停水");
  auto by_region = A().AnalyzeText("朝阳区一小区停水", "2201");
  auto code = [](const model::Analysis& a, const std::string& name) {
    for (const auto& p : a.places) {
      if (p.name == name) return p.code;
    }
    return std::string();
  };
  EXPECT_EQ(code(bj, "朝阳区"), "110105");
  EXPECT_EQ(code(cc, "朝阳区"), "220104");
  EXPECT_EQ(code(by_region, "朝阳区"), "220104");
  EXPECT_LT(A().AnalyzeText("朝阳区一小区停水").places[0].confidence, 0.6);
}

TEST(PlaceTest, CommonWordsAreNotPlaces) {
  EXPECT_TRUE(A().AnalyzeText("世界和平，人民幸福").places.empty());
  EXPECT_TRUE(A().AnalyzeText("这本书不实用").places.empty());
}

TEST(RumourTest, HedgesRaiseDenialsAreFlagged) {
  auto hedged = A().AnalyzeText("网传某地发生地震，紧急扩散！转发周知！");
  auto official = A().AnalyzeText("据新华社报道，国家统计局今天发布上月经济数据");
  EXPECT_GT(hedged.rumour.score, official.rumour.score);
  EXPECT_FALSE(hedged.rumour.evidence.empty());
  auto denial = A().AnalyzeText("警方辟谣：网传某地发生地震系谣言，造谣者已被行政拘留");
  EXPECT_TRUE(denial.rumour.denial);
}

TEST(AnalyzerTest, PostTitleAndTextTogether) {
  model::Post post;
  post.title = "潞城区化工厂爆炸";
  post.text = "造成3人死亡";
  post.region = "140406";
  auto a = A().Analyze(post);
  EXPECT_EQ(a.casualties.deaths, 3);
  ASSERT_FALSE(a.places.empty());
  EXPECT_EQ(a.places[0].code, "140406");
}

TEST(AnalyzerTest, AnyBytesIn) {
  std::string junk = "\xff\xfe 测试 \x80";
  auto a = A().AnalyzeText(junk);
  EXPECT_GE(a.sentiment.score, -1);
  EXPECT_LE(a.sentiment.score, 1);
  EXPECT_TRUE(A().AnalyzeText("").places.empty());
}

}  // namespace
}  // namespace yuqing::analysis
