#include "analysis/analysis_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "analysis/analyzer.h"
#include "analysis/analyzer_for_tests.h"
#include "testing/test_util.h"

namespace yuqing::analysis {
namespace {

const Analyzer& A() { return AnalyzerForTests(); }

// The writer must give the bytes the DOM gives (stored analyses are compared and served).
void ExpectSameAsDom(const model::Analysis& a, const std::string& what) {
  EXPECT_EQ(AnalysisJsonString(a), AnalysisToJson(a).dump()) << what;
}

TEST(AnalysisJsonStringTest, SameBytesAsTheDomOnRealSentences) {
  const std::vector<std::string> texts = {
      "",
      "山西省长治市潞城区发生煤矿透水事故，造成3人死亡、5人受伤，2人失联，12人被困，"
      "直接经济损失1200万元",
      "网传某小区物业殴打业主，警方通报：系谣言，不实信息请勿转发",
      "服务态度很差，再也不会来了！呵呵，好棒棒",
      "房间干净，服务热情，下次还来",
      "北京市朝阳区 学校食堂 食品安全 问题，家长质疑：孩子吃了拉肚子",
      "广州 暴雨 地铁停运 #暴雨# @广州地铁 \"紧急通知\" \\ 反斜杠\t制表符\n换行",
      "政策解读：个人所得税新规并非所有人都要补税，误读了",
  };
  for (const std::string& t : texts) ExpectSameAsDom(A().AnalyzeText(t), t);
  ExpectSameAsDom(A().AnalyzeText("长治 事故", "1404"), "with region");
}

TEST(AnalysisJsonStringTest, SameBytesAsTheDomOnTheFixtureTexts) {
  // News, posts and reviews written for the tests (src/analysis/testdata/README.md), with
  // casualties, places, rumours and denials: every field shape the analyzer produces.
  std::ifstream in(testing::SourceDir() / "src/analysis/testdata/texts.txt");
  ASSERT_TRUE(in) << "missing src/analysis/testdata/texts.txt under " << testing::SourceDir();
  int compared = 0;
  std::string line;
  while (std::getline(in, line)) {
    ExpectSameAsDom(A().AnalyzeText(line), line);
    ++compared;
  }
  EXPECT_GE(compared, 50);
}

TEST(AnalysisJsonStringTest, EveryFieldAndHostileStrings) {
  model::Analysis a;
  const std::string hostile = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f</script> 😀 \xE2\x80\xA8 中文";
  a.sentiment.label = model::SentimentLabel::kNegative;
  a.sentiment.score = -0.8125;
  a.sentiment.neutral_prob = 1.0 / 3;
  a.sentiment.sarcasm = true;
  a.sentiment.expressive = true;
  a.sentiment.evidence = {{hostile, 0.5}, {"差", -1e-7}};
  a.domain.label = model::Domain::kMarketSupervision;
  a.domain.confidence = std::numeric_limits<double>::quiet_NaN();
  a.domain.evidence = {{"食品", std::numeric_limits<double>::infinity()}};
  a.kinds = {{model::ResponseKind::kVitalInterests, 0.7, {hostile, ""}},
             {model::ResponseKind::kEmergency, 1, {}}};
  a.casualties.deaths = 3;
  a.casualties.injured = 0;
  a.casualties.missing = -1;
  a.casualties.trapped = std::numeric_limits<int64_t>::max();
  a.casualties.loss_yuan = 1.2e7;
  a.casualties.evidence = {"3人死亡", hostile};
  a.places = {{"140406", "潞城区", model::PlaceLevel::kCounty, 0.9, {{0, 9}, {30, 6}}, {"潞城"}},
              {hostile, hostile, model::PlaceLevel::kProvince, 0, {}, {}}};
  a.rumour.score = 0.55;
  a.rumour.denial = true;
  a.rumour.evidence = {{"网传", 0.25}};
  ExpectSameAsDom(a, "every field");

  // Each optional casualty alone (members present or absent keep the DOM's order).
  for (int k = 0; k < 6; ++k) {
    model::Analysis c;
    if (k == 0) c.casualties.deaths = 1;
    if (k == 1) c.casualties.injured = 2;
    if (k == 2) c.casualties.missing = 3;
    if (k == 3) c.casualties.trapped = 4;
    if (k == 4) c.casualties.loss_yuan = 5.5;
    if (k == 5) c.casualties.evidence = {"x"};
    ExpectSameAsDom(c, "casualty " + std::to_string(k));
  }
  ExpectSameAsDom(model::Analysis{}, "empty");
  model::Analysis formal;
  formal.sentiment.formal = true;
  ExpectSameAsDom(formal, "formal register");
}

TEST(AnalysisJsonStringTest, InvalidUtf8ThrowsAsDumpDoes) {
  model::Analysis a;
  a.sentiment.evidence = {{"bad \xFF", 1}};
  EXPECT_THROW((void)AnalysisToJson(a).dump(), nlohmann::json::type_error);
  EXPECT_THROW((void)AnalysisJsonString(a), nlohmann::json::type_error);
}

TEST(AnalysisJsonStringTest, ReadsBackThroughAnalysisFromJson) {
  model::Analysis a = A().AnalyzeText("山西省长治市发生事故，造成3人死亡");
  auto back = AnalysisFromJson(nlohmann::json::parse(AnalysisJsonString(a)));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(AnalysisJsonString(*back), AnalysisJsonString(a));
}

}  // namespace
}  // namespace yuqing::analysis
