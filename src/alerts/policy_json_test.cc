#include "alerts/policy_json.h"

#include <gtest/gtest.h>

namespace yuqing::alerts {
namespace {

using nlohmann::json;

std::string ErrorOf(const json& body) {
  auto p = PolicyFromJson(body);
  return p.ok() ? "ok" : p.status().message();
}

TEST(PolicyJsonTest, ReadsAFullPolicy) {
  auto p = PolicyFromJson(json::parse(R"({
    "name": "长治应急", "enabled": false, "rule_ids": [7, 3, 7], "regions": ["1404", "140406"],
    "domains": ["emergency", "environment"], "min_grade": "III", "min_heat": 30.5,
    "language": "en",
    "targets": [{"kind": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
                {"kind": "dingtalk", "address": "https://oapi.dingtalk.com/robot/send?access_token=t",
                 "secret": "SECabc"},
                {"kind": "email", "address": "duty@changzhi.gov.cn"}]})"));
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->name, "长治应急");
  EXPECT_FALSE(p->enabled);
  EXPECT_EQ(p->rule_ids, (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(p->regions, (std::vector<std::string>{"1404", "140406"}));
  EXPECT_EQ(p->domains,
            (std::vector<model::Domain>{model::Domain::kEmergency, model::Domain::kEnvironment}));
  EXPECT_EQ(p->min_grade, 3);
  EXPECT_DOUBLE_EQ(p->min_heat, 30.5);
  EXPECT_EQ(p->language, "en");
  ASSERT_EQ(p->targets.size(), 3u);
  EXPECT_EQ(p->targets[1].kind, model::TargetKind::kDingTalk);
  EXPECT_EQ(p->targets[1].secret, "SECabc");
  EXPECT_EQ(p->targets[2].address, "duty@changzhi.gov.cn");
}

TEST(PolicyJsonTest, DefaultsWhenOnlyTheNameIsGiven) {
  auto p = PolicyFromJson(json{{"name", "全部"}});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->enabled);
  EXPECT_EQ(p->min_grade, 4);
  EXPECT_EQ(p->language, "zh");
  EXPECT_TRUE(p->targets.empty());
}

TEST(PolicyJsonTest, GradeAcceptsNumbersAndRomanNumerals) {
  for (auto [given, want] : {std::pair{json(1), 1}, std::pair{json("II"), 2}, std::pair{json(4), 4},
                             std::pair{json("IV"), 4}}) {
    EXPECT_EQ(ParseGrade(given), want) << given.dump();
  }
  for (const json& bad : {json(0), json(5), json("V"), json("2"), json(2.5), json(nullptr)}) {
    EXPECT_EQ(ParseGrade(bad), std::nullopt) << bad.dump();
  }
}

TEST(PolicyJsonTest, ErrorsNameTheFieldAndTheValue) {
  const std::string url = "https://example.org/hook";
  struct Case {
    json body;
    std::string message;
  } cases[] = {
      {json{{"min_grade", 2}}, "field \"name\": is required"},
      {json{{"name", ""}}, "field \"name\": expected a non-empty string"},
      {json{{"name", "x"},
            {"targets", json::array({{{"kind", "webhook"}, {"address", url}},
                                     {{"kind", "webhook"}, {"address", "ftp://x"}}})}},
       "field \"targets[1].address\": \"ftp://x\" is not an http(s) URL"},
      {json{{"name", "x"}, {"targets", json::array({{{"kind", "sms"}, {"address", url}}})}},
       "field \"targets[0].kind\": \"sms\" is not one of webhook, wecom, dingtalk, feishu, email"},
      {json{{"name", "x"}, {"targets", json::array({{{"kind", "email"}, {"address", "duty"}}})}},
       "field \"targets[0].address\": \"duty\" is not an email address"},
      {json{{"name", "x"},
            {"targets", json::array({{{"kind", "wecom"}, {"address", url}, {"secret", "s"}}})}},
       "field \"targets[0].secret\": wecom targets are not signed; remove the secret"},
      {json{{"name", "x"}, {"targets", json::array({{{"kind", "webhook"}, {"adress", url}}})}},
       "field \"targets[0].adress\": is not known; a target has \"kind\", \"address\" and "
       "\"secret\""},
      {json{{"name", "x"}, {"regions", json::array({"1404", "长治"})}},
       "field \"regions[1]\": \"长治\" is not a GB/T 2260 code (2, 4 or 6 digits, e.g. \"1404\" "
       "for 长治市)"},
      {json{{"name", "x"}, {"regions", json::array({"14041"})}},
       "field \"regions[0]\": \"14041\" is not a GB/T 2260 code (2, 4 or 6 digits, e.g. \"1404\" "
       "for 长治市)"},
      {json{{"name", "x"}, {"min_grade", "V"}},
       "field \"min_grade\": \"V\" is not a risk grade: 1..4 or \"I\"..\"IV\""},
      {json{{"name", "x"}, {"min_heat", 120}},
       "field \"min_heat\": 120 is not a heat from 0 to 100"},
      {json{{"name", "x"}, {"language", "fr"}}, "field \"language\": \"fr\" is not zh or en"},
      {json{{"name", "x"}, {"rule_ids", json::array({3, -1})}},
       "field \"rule_ids[1]\": -1 is not a rule id (a positive integer)"},
      {json{{"name", "x"}, {"min_grde", 2}},
       "field \"min_grde\": is not known; a policy has name, enabled, rule_ids, regions, domains, "
       "min_grade, min_heat, targets and language"},
  };
  for (const auto& c : cases) EXPECT_EQ(ErrorOf(c.body), c.message) << c.body.dump();
  std::string domains = ErrorOf(json{{"name", "x"}, {"domains", json::array({"fire"})}});
  EXPECT_TRUE(domains.starts_with("field \"domains[0]\": \"fire\" is not one of education, "))
      << domains;
}

TEST(PolicyJsonTest, SecretsAreNeverWrittenOutAndSetKeepsTheStoredOne) {
  model::AlertPolicy p;
  p.id = 5;
  p.name = "钉钉";
  p.targets = {{model::TargetKind::kDingTalk, "https://oapi.dingtalk.com/robot/send?a=1", "SECx"},
               {model::TargetKind::kWebhook, "https://example.org/hook", ""}};
  json out = PolicyToJson(p);
  EXPECT_EQ(out["targets"][0]["secret"], "set");
  EXPECT_FALSE(out["targets"][1].contains("secret"));
  EXPECT_EQ(out.dump().find("SECx"), std::string::npos);
  EXPECT_EQ(out["min_grade_name"], "IV");

  // The answer sent back unchanged keeps the secret.
  ASSERT_TRUE(ApplyPolicyJson(out, p).ok());
  EXPECT_EQ(p.targets[0].secret, "SECx");
  // A new secret replaces it; "set" for a target that had none is an error.
  json change = {{"targets", json::array({{{"kind", "dingtalk"},
                                           {"address", "https://oapi.dingtalk.com/robot/send?a=1"},
                                           {"secret", "SECy"}}})}};
  ASSERT_TRUE(ApplyPolicyJson(change, p).ok());
  EXPECT_EQ(p.targets[0].secret, "SECy");
  EXPECT_EQ(p.targets.size(), 1u);
  json bad = {{"targets", json::array({{{"kind", "feishu"},
                                        {"address", "https://open.feishu.cn/x"},
                                        {"secret", "set"}}})}};
  Status s = ApplyPolicyJson(bad, p);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(s.message().starts_with("field \"targets[0].secret\": \"set\" keeps")) << s.message();
}

TEST(PolicyJsonTest, UpdateChangesOnlyTheFieldsGiven) {
  auto p = PolicyFromJson(json{{"name", "a"}, {"min_grade", 2}, {"regions", {"14"}}});
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(ApplyPolicyJson(json{{"enabled", false}}, *p).ok());
  EXPECT_FALSE(p->enabled);
  EXPECT_EQ(p->min_grade, 2);
  EXPECT_EQ(p->regions, (std::vector<std::string>{"14"}));
}

TEST(PolicyJsonTest, AddressChecks) {
  EXPECT_TRUE(IsHttpUrl("http://127.0.0.1:8080/hook"));
  EXPECT_TRUE(IsHttpUrl("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1"));
  EXPECT_FALSE(IsHttpUrl("https://"));
  EXPECT_FALSE(IsHttpUrl("https://a b"));
  EXPECT_FALSE(IsHttpUrl("javascript:alert(1)"));
  EXPECT_TRUE(IsEmailAddress("duty@changzhi.gov.cn"));
  EXPECT_FALSE(IsEmailAddress("duty@@x"));
  EXPECT_FALSE(IsEmailAddress("a@b\r\nRCPT TO:<c@d>"));
  EXPECT_FALSE(IsEmailAddress("@x.cn"));
}

}  // namespace
}  // namespace yuqing::alerts
