#include "alerts/format.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"
#include "core/utf8.h"

namespace yuqing::alerts {
namespace {

using nlohmann::json;

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

// The payload the event stage writes (docs/alerts.md "Payload").
constexpr const char* kPayload = R"({
 "event":{"id":12,"title":"潞城区化工厂爆炸","grade":2,"grade_name":"II","grade_name_zh":"重大",
  "heat":71.3,"trend":"rising","domain":"emergency","domain_zh":"应急管理与安全生产",
  "regions":["140406"],"first_seen":"2026-11-21T08:00:00+08:00",
  "last_seen":"2026-11-21T09:10:00+08:00","posts":120,"authors":80,"negative_share":0.62},
 "level":2,"previous_level":3,"policy":{"id":1,"name":"长治应急"},
 "reasons":[{"factor":"deaths","aggravating":false,"detail":"报道死亡 12 人（≥10：重大）"}],
 "keywords":["化工厂","爆炸","潞城"],
 "posts":[{"id":"wb1","source":"weibo","title":"","text":"潞城一化工厂发生爆炸，现场浓烟滚滚",
   "url":"https://weibo.com/1/wb1","published_at":"2026-11-21T08:05:00+08:00"}]})";

model::Alert SampleAlert(std::string language = "zh") {
  model::Alert a;
  a.id = 5;
  a.event_id = 12;
  a.policy_id = 1;
  a.level = 2;
  a.previous_level = 3;
  a.created_at = T("2026-11-21T09:10:00+08:00");
  a.title = "潞城区化工厂爆炸";
  a.payload_json = kPayload;
  a.language = std::move(language);
  return a;
}

model::OutboxItem Item(model::TargetKind kind, std::string address, std::string secret = "") {
  model::OutboxItem o;
  o.id = 9;
  o.alert_id = 5;
  o.target = {kind, std::move(address), std::move(secret)};
  o.idempotency_key = "yq-5-0";
  return o;
}

std::string HeaderValue(const HttpMessage& m, std::string_view name) {
  for (const auto& [k, v] : m.headers) {
    if (k == name) return v;
  }
  return "";
}

const core::TimePoint kNow = T("2023-11-14T22:13:20Z");  // 1700000000 s

TEST(FormatTest, RegionNamesFromThePayloadReplaceTheCodes) {
  model::Alert a = SampleAlert();
  json p = json::parse(a.payload_json);
  p["event"]["region_names"] = {"山西省长治市潞州区"};
  a.payload_json = p.dump();
  auto m = FormatHttp(a, Item(model::TargetKind::kWeCom, "https://qyapi/x?key=k"), kNow);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  std::string content = json::parse(m->body)["markdown"]["content"];
  EXPECT_NE(content.find("**地区：**山西省长治市潞州区\n"), std::string::npos) << content;
  EXPECT_EQ(content.find("140406"), std::string::npos) << content;
}

TEST(FormatTest, WeComMarkdownForAnEscalation) {
  auto m =
      FormatHttp(SampleAlert(), Item(model::TargetKind::kWeCom, "https://qyapi/x?key=k"), kNow);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->url, "https://qyapi/x?key=k");
  EXPECT_EQ(HeaderValue(*m, "Idempotency-Key"), "yq-5-0");
  json want = {{"msgtype", "markdown"},
               {"markdown",
                {{"content",
                  "## 【预警升级】潞城区化工厂爆炸\n"
                  "**II级（重大）** · 热度 71.3 · 趋势上升\n"
                  "> 升级：由 III级（较大） 升为 II级（重大）\n"
                  "**地区：**140406\n"
                  "**领域：**应急管理与安全生产\n"
                  "**时间：**2026-11-21 08:00 至 2026-11-21 09:10\n"
                  "**规模：**120 条，80 个作者，负面 62%\n"
                  "**研判依据**\n"
                  "- 报道死亡 12 人（≥10：重大）\n"
                  "**关键词：**化工厂、爆炸、潞城\n"
                  "**代表性条目**\n"
                  "- ［weibo］ 潞城一化工厂发生爆炸，现场浓烟滚滚 [原文](https://weibo.com/1/wb1)\n"
                  "预警编号 5 · 策略“长治应急” · 幂等键 yq-5-0"}}}};
  EXPECT_EQ(json::parse(m->body), want);
}

TEST(FormatTest, EnglishSaysGradeAndEscalated) {
  std::string text = AlertText(SampleAlert("en"), "yq-5-0");
  EXPECT_NE(text.find("[Alert escalated] 潞城区化工厂爆炸"), std::string::npos) << text;
  EXPECT_NE(text.find("Grade II (major) · heat 71.3 · trend rising"), std::string::npos) << text;
  EXPECT_NE(text.find("Escalated from Grade III (relatively major) to Grade II (major)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("Alert 5 · policy \"长治应急\" · key yq-5-0"), std::string::npos) << text;
}

TEST(FormatTest, FirstAlertIsNotAnEscalation) {
  model::Alert a = SampleAlert();
  a.previous_level = 0;
  std::string text = AlertText(a, "k");
  EXPECT_TRUE(text.starts_with("【舆情预警】潞城区化工厂爆炸\n")) << text;
  EXPECT_EQ(text.find("升级"), std::string::npos) << text;
}

TEST(FormatTest, GenericWebhookCarriesKeyAlertAndEvent) {
  auto m = FormatHttp(SampleAlert(), Item(model::TargetKind::kWebhook, "http://127.0.0.1/h"), kNow);
  ASSERT_TRUE(m.ok());
  json body = json::parse(m->body);
  EXPECT_EQ(body["type"], "yuqing.alert");
  EXPECT_EQ(body["idempotency_key"], "yq-5-0");
  EXPECT_EQ(body["alert"],
            json::parse(R"({"id":5,"event_id":12,"policy_id":1,"level":2,"level_name":"II",
              "previous_level":3,"escalation":true,"title":"潞城区化工厂爆炸","language":"zh",
              "created_at":"2026-11-21T01:10:00Z"})"));
  EXPECT_EQ(body["event"]["heat"], 71.3);
  EXPECT_EQ(body["policy"]["name"], "长治应急");
  EXPECT_EQ(body["keywords"], json::parse(R"(["化工厂","爆炸","潞城"])"));
  EXPECT_EQ(body["text"], AlertText(SampleAlert(), "yq-5-0"));
  EXPECT_EQ(HeaderValue(*m, "X-Yuqing-Signature"), "");  // no secret, no signature
}

TEST(FormatTest, GenericWebhookSignatureIsHmacOfTimestampAndBody) {
  auto m = FormatHttp(SampleAlert(),
                      Item(model::TargetKind::kWebhook, "http://127.0.0.1/h", "s3cret"), kNow);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(HeaderValue(*m, "X-Yuqing-Timestamp"), "1700000000");
  std::string mac = HmacSha256("s3cret", "1700000000." + m->body);
  std::string hex;
  for (unsigned char c : mac) hex += fmt::format("{:02x}", c);
  EXPECT_EQ(HeaderValue(*m, "X-Yuqing-Signature"), "sha256=" + hex);
}

TEST(FormatTest, DingTalkMarkdownAndSignatureAsDocumented) {
  auto m =
      FormatHttp(SampleAlert(),
                 Item(model::TargetKind::kDingTalk,
                      "https://oapi.dingtalk.com/robot/send?access_token=T", "SEC0123456789abcdef"),
                 T("2023-11-14T22:13:20Z"));
  ASSERT_TRUE(m.ok());
  // Expected value computed independently with Python's hmac/base64/quote_plus, as in
  // DingTalk's own example.
  EXPECT_EQ(m->url,
            "https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000"
            "&sign=TSZbRFUuvaSQaRKUpF970OPCb2%2FLcQAP3wOvwZIzBZk%3D");
  json body = json::parse(m->body);
  EXPECT_EQ(body["msgtype"], "markdown");
  EXPECT_EQ(body["markdown"]["title"], "【预警升级】潞城区化工厂爆炸");
  std::string text = body["markdown"]["text"];
  EXPECT_TRUE(text.starts_with("## 【预警升级】潞城区化工厂爆炸\n\n**II级（重大）**")) << text;
  EXPECT_TRUE(text.ends_with("\n\n预警编号 5 · 策略“长治应急” · 幂等键 yq-5-0")) << text;
}

TEST(FormatTest, FeishuPostAndSignatureAsDocumented) {
  auto m = FormatHttp(SampleAlert(),
                      Item(model::TargetKind::kFeishu,
                           "https://open.feishu.cn/open-apis/bot/v2/hook/x", "SEC0123456789abcdef"),
                      kNow);
  ASSERT_TRUE(m.ok());
  json body = json::parse(m->body);
  EXPECT_EQ(body["timestamp"], "1700000000");
  EXPECT_EQ(body["sign"], "PiO7POLlSx/DM2qf8Dy/XCWeJK3exVnevp5G99LEN2M=");  // Python, as above
  EXPECT_EQ(body["msg_type"], "post");
  const json& post = body["content"]["post"]["zh_cn"];
  EXPECT_EQ(post["title"], "【预警升级】潞城区化工厂爆炸");
  EXPECT_EQ(post["content"][0], json::parse(R"([{"tag":"text","text":"II级（重大）"},
      {"tag":"text","text":" · 热度 71.3"},{"tag":"text","text":" · 趋势上升"}])"));
  // The link of the post is an "a" element; the footer is last.
  std::string dumped = post["content"].dump();
  EXPECT_NE(dumped.find(R"({"href":"https://weibo.com/1/wb1","tag":"a","text":"原文"})"),
            std::string::npos)
      << dumped;
  EXPECT_EQ(post["content"].back()[0]["text"], "预警编号 5 · 策略“长治应急” · 幂等键 yq-5-0");
}

TEST(FormatTest, UntrustedTextCannotInjectMarkdownOrMentions) {
  model::Alert a = SampleAlert();
  a.title = "**假** [点我](javascript:x) <@all> <font color=\"warning\">红</font>\n## 标题";
  json p = json::parse(kPayload);
  p["posts"][0]["url"] = "javascript:alert(1)";
  p["posts"][0]["text"] = "正文)](https://evil.example)";
  a.payload_json = p.dump();
  auto m = FormatHttp(a, Item(model::TargetKind::kWeCom, "https://q/x"), kNow);
  ASSERT_TRUE(m.ok());
  std::string content = json::parse(m->body)["markdown"]["content"];
  std::string first_line = content.substr(0, content.find('\n'));
  EXPECT_EQ(first_line,
            "## 【预警升级】＊＊假＊＊ ［点我］(javascript:x) ＜@all＞ ＜font "
            "color=\"warning\"＞红＜/font＞ "
            "＃＃ 标题");
  EXPECT_EQ(content.find("javascript:alert"), std::string::npos) << content;  // link dropped
  EXPECT_NE(content.find("正文)］(https://evil.example)"), std::string::npos) << content;
}

TEST(FormatTest, WeComMessageStaysWithin4096BytesOnACharacterBoundary) {
  json p = json::parse(kPayload);
  p["posts"] = json::array();
  for (int i = 0; i < 3; ++i) {
    p["posts"].push_back({{"source", "weibo"},
                          {"title", std::string(60 * 3, 'x')},
                          {"text",
                           [] {
                             std::string s;
                             for (int k = 0; k < 400; ++k) s += "爆";
                             return s;
                           }()},
                          {"url", "https://example.org/" + std::string(900, 'a')}});
  }
  model::Alert a = SampleAlert();
  a.payload_json = p.dump();
  auto m = FormatHttp(a, Item(model::TargetKind::kWeCom, "https://q/x"), kNow);
  ASSERT_TRUE(m.ok());
  std::string content = json::parse(m->body)["markdown"]["content"];
  EXPECT_LE(content.size(), kWeComMarkdownLimit);
  EXPECT_GT(content.size(), 2000u);
  EXPECT_TRUE(core::IsValidUtf8(content));
  EXPECT_TRUE(content.ends_with("\n…\n预警编号 5 · 策略“长治应急” · 幂等键 yq-5-0")) << content;
}

TEST(FormatTest, PayloadThatIsNotJsonStillGivesAMessage) {
  model::Alert a = SampleAlert();
  a.payload_json = "not json";
  auto m = FormatHttp(a, Item(model::TargetKind::kWeCom, "https://q/x"), kNow);
  ASSERT_TRUE(m.ok());
  std::string content = json::parse(m->body)["markdown"]["content"];
  EXPECT_TRUE(content.starts_with("## 【预警升级】潞城区化工厂爆炸\n**II级（重大）**\n"))
      << content;
}

TEST(FormatTest, EmailHasEncodedSubjectStableMessageIdAndBase64Body) {
  auto m = FormatEmail(SampleAlert(), Item(model::TargetKind::kEmail, "duty@changzhi.gov.cn"),
                       "yuqing@wxb.changzhi.gov.cn", kNow);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->from, "yuqing@wxb.changzhi.gov.cn");
  EXPECT_EQ(m->to, std::vector<std::string>{"duty@changzhi.gov.cn"});
  EXPECT_EQ(m->subject, "【预警升级】潞城区化工厂爆炸");
  const std::string& d = m->data;
  EXPECT_NE(d.find("\r\nSubject: =?UTF-8?B?" + Base64("【预警升级】潞城区化工厂爆炸") + "?=\r\n"),
            std::string::npos)
      << d;
  EXPECT_NE(d.find("\r\nMessage-ID: <yq-5-0@wxb.changzhi.gov.cn>\r\n"), std::string::npos);
  EXPECT_NE(d.find("\r\nX-Yuqing-Idempotency-Key: yq-5-0\r\n"), std::string::npos);
  EXPECT_NE(d.find("\r\nDate: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos);
  EXPECT_NE(d.find("\r\nContent-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  size_t body = d.find("\r\n\r\n");
  ASSERT_NE(body, std::string::npos);
  // No header line longer than 78 characters, no raw 8-bit byte anywhere.
  size_t start = 0;
  while (start < d.size()) {
    size_t end = d.find("\r\n", start);
    EXPECT_LE(end - start, 78u) << d.substr(start, end - start);
    start = end + 2;
  }
  for (unsigned char c : d) ASSERT_LT(c, 0x80);

  auto bad =
      FormatEmail(SampleAlert(), Item(model::TargetKind::kEmail, "duty@x.cn"), "nobody", kNow);
  EXPECT_EQ(bad.status().message(), "alerts.smtp_from \"nobody\" is not an email address");
}

// A case notice as the cases module raises it (docs/cases.md "Supervision").
model::Alert CaseNoticeAlert(std::string language = "zh") {
  model::Alert a;
  a.id = 8;
  a.event_id = 12;
  a.level = 2;
  a.created_at = T("2026-11-22T08:00:00+08:00");
  a.title = "潞城区化工厂爆炸：回应已逾期";
  a.payload_json =
      R"({"kind":"case_notice","case_id":7,"text":"应急局未在 48 小时内回应，已开启督办。",
    "obligation":"respond","due":"2026-11-23T08:30:00+08:00","dedup_key":"overdue:respond"})";
  a.language = std::move(language);
  a.case_id = 7;
  a.dedup_key = "overdue:respond";
  return a;
}

TEST(FormatTest, ACaseNoticeShowsTheCaseAndItsTextInsteadOfAnEventSummary) {
  auto m = FormatHttp(CaseNoticeAlert(), Item(model::TargetKind::kWeCom, "https://q/x"), kNow);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(json::parse(m->body)["markdown"]["content"],
            "## 【工单提醒】潞城区化工厂爆炸：回应已逾期\n"
            "**工单 7** · II级（重大）\n"
            "**事项：**回应\n"
            "**期限：**2026-11-23 08:30\n"
            "> 应急局未在 48 小时内回应，已开启督办。\n"
            "工单 7 · 预警编号 8 · 幂等键 yq-5-0");
  std::string text = AlertText(CaseNoticeAlert("en"), "yq-8-0");
  EXPECT_TRUE(text.starts_with("[Case notice] 潞城区化工厂爆炸：回应已逾期\n")) << text;
  EXPECT_NE(text.find("Obligation: respond\nDue: 2026-11-23 08:30\n"), std::string::npos) << text;
  EXPECT_NE(text.find("应急局未在 48 小时内回应，已开启督办。"), std::string::npos) << text;
  EXPECT_NE(text.find("Case 7 · alert 8 · key yq-8-0"), std::string::npos) << text;
  EXPECT_EQ(text.find("Grade II (major) · heat"), std::string::npos) << text;

  auto hook = FormatHttp(CaseNoticeAlert(), Item(model::TargetKind::kWebhook, "http://h/"), kNow);
  ASSERT_TRUE(hook.ok());
  json body = json::parse(hook->body);
  EXPECT_EQ(body["alert"]["case_id"], 7);
  EXPECT_EQ(body["alert"]["dedup_key"], "overdue:respond");
  EXPECT_EQ(body["notice"]["obligation"], "respond");
  EXPECT_TRUE(body["event"].is_null());

  auto mail = FormatEmail(CaseNoticeAlert(), Item(model::TargetKind::kEmail, "duty@x.cn"),
                          "yuqing@x.cn", kNow);
  ASSERT_TRUE(mail.ok()) << mail.status().ToString();
  EXPECT_EQ(mail->subject, "【工单提醒】潞城区化工厂爆炸：回应已逾期");
}

model::Alert ReportSubmissionAlert() {
  model::Alert a;
  a.id = 9;
  a.created_at = T("2026-11-22T08:00:00+08:00");
  a.title = "舆情日报 2026年11月21日";
  a.payload_json = R"({"kind":"report","report_id":31,"report_title":"舆情日报",
    "title":"舆情日报 2026年11月21日","summary":"监测信息63条，舆情事件4个",
    "number":"〔2026〕第5期","office":"长治市委网信办","to_name":"山西省委网信办",
    "link_base":"http://yq.example","receipt":"http://yq.example/receipts/abc",
    "attach":["pdf","docx"]})";
  a.dedup_key = "report:31:submit:4";
  return a;
}

TEST(FormatTest, AReportSubmissionLinksTheArchiveAndTheReceipt) {
  EXPECT_EQ(ReportIdOf(ReportSubmissionAlert()), 31);
  model::Alert delivery = ReportSubmissionAlert();
  delivery.dedup_key = "report:deliver:77";
  EXPECT_EQ(ReportIdOf(delivery), 77);
  EXPECT_EQ(ReportIdOf(CaseNoticeAlert()), 0);
  EXPECT_EQ(ReportAttachments(ReportSubmissionAlert()), (std::vector<std::string>{"pdf", "docx"}));

  std::string text = AlertText(ReportSubmissionAlert(), "yq-9-0");
  EXPECT_TRUE(text.starts_with("【舆情报送】舆情日报 2026年11月21日\n")) << text;
  EXPECT_NE(text.find("长治市委网信办 报 山西省委网信办"), std::string::npos) << text;
  EXPECT_NE(text.find("http://yq.example/api/v1/archive/31/file/pdf"), std::string::npos) << text;
  EXPECT_NE(text.find("http://yq.example/receipts/abc"), std::string::npos) << text;

  auto hook =
      FormatHttp(ReportSubmissionAlert(), Item(model::TargetKind::kWebhook, "http://h/"), kNow);
  ASSERT_TRUE(hook.ok());
  json body = json::parse(hook->body);
  EXPECT_EQ(body["type"], "yuqing.report");
  EXPECT_EQ(body["report"]["id"], 31);
  EXPECT_EQ(body["report"]["url"], "http://yq.example/api/v1/archive/31/file/html");
  EXPECT_EQ(body["report"]["receipt"], "http://yq.example/receipts/abc");
}

TEST(FormatTest, AnEmailWithAttachmentsIsMultipartWithEachFileInBase64) {
  std::string pdf("%PDF-1.7\0\xff\x01", 11);
  auto mail = FormatEmail(ReportSubmissionAlert(), Item(model::TargetKind::kEmail, "wxb@x.cn"),
                          "yuqing@x.cn", kNow, {{"舆情日报 第5期.pdf", "application/pdf", pdf}});
  ASSERT_TRUE(mail.ok()) << mail.status().ToString();
  const std::string& d = mail->data;
  size_t type = d.find("Content-Type: multipart/mixed; boundary=\"");
  ASSERT_NE(type, std::string::npos) << d;
  size_t b0 = type + std::string("Content-Type: multipart/mixed; boundary=\"").size();
  std::string boundary = d.substr(b0, d.find('"', b0) - b0);
  // Text part, one file part, the closing delimiter.
  size_t parts = 0;
  for (size_t at = d.find("\r\n--" + boundary + "\r\n"); at != std::string::npos;
       at = d.find("\r\n--" + boundary + "\r\n", at + 1)) {
    ++parts;
  }
  EXPECT_EQ(parts, 2u) << d;
  EXPECT_NE(d.find("\r\n--" + boundary + "--\r\n"), std::string::npos);
  EXPECT_NE(d.find("Content-Disposition: attachment; filename*=UTF-8''"), std::string::npos);
  EXPECT_NE(d.find("Content-Type: application/pdf; name=\"=?UTF-8?B?"), std::string::npos) << d;
  EXPECT_NE(d.find(Base64(pdf)), std::string::npos);
}

TEST(FormatTest, ACaseNoticesTextIsEscapedLikeOtherInternetText) {
  model::Alert a = CaseNoticeAlert();
  json p = json::parse(a.payload_json);
  p["text"] = "网传[点我](https://evil.example) <@all>\n## 标题";
  a.payload_json = p.dump();
  auto m = FormatHttp(a, Item(model::TargetKind::kDingTalk, "https://oapi/x"), kNow);
  ASSERT_TRUE(m.ok());
  std::string content = json::parse(m->body)["markdown"]["text"];
  EXPECT_NE(content.find("> 网传［点我］(https://evil.example) ＜@all＞ ＃＃ 标题"),
            std::string::npos)
      << content;
  // A notice whose payload is not JSON still names its case.
  a.payload_json = "not json";
  std::string text = AlertText(a, "k");
  EXPECT_TRUE(text.starts_with("【工单提醒】潞城区化工厂爆炸：回应已逾期\n")) << text;
  EXPECT_NE(text.find("工单 7 · 预警编号 8 · 幂等键 k"), std::string::npos) << text;
}

TEST(FormatTest, HeaderWordsSplitOnCharacterBoundaries) {
  std::string long_subject;
  for (int i = 0; i < 40; ++i) long_subject += "预警";
  std::string encoded = EncodeHeaderWord(long_subject);
  std::string decoded;
  size_t pos = 0;
  int words = 0;
  while ((pos = encoded.find("=?UTF-8?B?", pos)) != std::string::npos) {
    size_t end = encoded.find("?=", pos + 10);
    ASSERT_NE(end, std::string::npos);
    EXPECT_LE(end + 2 - pos, 75u);
    std::string b64 = encoded.substr(pos + 10, end - pos - 10);
    // Each word holds whole characters: 45 bytes = 15 CJK characters.
    EXPECT_TRUE(b64.size() <= 60);
    ++words;
    pos = end + 2;
  }
  EXPECT_EQ(words, 6);  // 240 bytes in 45-byte words
  EXPECT_EQ(EncodeHeaderWord("plain ascii"), "plain ascii");
}

TEST(FormatTest, TruncateUtf8NeverSplitsACharacter) {
  std::string s = "a预警b";  // 1 + 3 + 3 + 1 bytes
  EXPECT_EQ(TruncateUtf8(s, 8), s);
  EXPECT_EQ(TruncateUtf8(s, 7), "a预警");
  EXPECT_EQ(TruncateUtf8(s, 6), "a预");
  EXPECT_EQ(TruncateUtf8(s, 4), "a预");
  EXPECT_EQ(TruncateUtf8(s, 3), "a");
  EXPECT_EQ(TruncateUtf8(s, 0), "");
}

TEST(FormatTest, Encoders) {
  EXPECT_EQ(Base64(""), "");
  EXPECT_EQ(Base64("f"), "Zg==");
  EXPECT_EQ(Base64("foobar"), "Zm9vYmFy");  // RFC 4648 §10
  EXPECT_EQ(UrlEncode("a+b/c=d e~"), "a%2Bb%2Fc%3Dd%20e~");
  EXPECT_EQ(Rfc5322Date(T("2026-11-21T09:10:05+08:00")), "Sat, 21 Nov 2026 01:10:05 +0000");
}

}  // namespace
}  // namespace yuqing::alerts
