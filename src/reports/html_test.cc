// The HTML renderer: templates, escaping, charts, and the golden files rendered from the
// scenario. To regenerate the golden files after an intended change:
//   YQ_UPDATE_GOLDEN=1 build/release/src/reports/reports_tests --gtest_filter='HtmlGolden*'
// then review the diff under src/reports/testdata/ before committing.
#include "reports/html.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>

#include "reports/assemble.h"
#include "reports/gather.h"
#include "reports/golden_test_util.h"
#include "reports/scenario_test_util.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::reports {
namespace {

TEST(TemplateTest, UnknownPlaceholderIsAnErrorNamingItAndItsLine) {
  auto t = Template::Parse("<h1>{{title}}</h1>\n<p>{{signer}}</p>", "office.html");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(t.status().message().find("template \"office.html\" line 2: unknown placeholder "
                                      "{{signer}}; known: office, title"),
            std::string::npos)
      << t.status().message();
}

TEST(TemplateTest, UnclosedPlaceholderIsAnError) {
  auto t = Template::Parse("<h1>{{title</h1>", "x.html");
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("line 1: \"{{\" is never closed"), std::string::npos);
}

TEST(TemplateTest, TheBuiltInDefaultIsTheDataFile) {
  auto file =
      Template::Load((::yuqing::testing::SourceDir() / "data/reports/default.html").string());
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  ASSERT_EQ(file->pieces().size(), Template::Default().pieces().size());
  for (size_t i = 0; i < file->pieces().size(); ++i) {
    EXPECT_EQ(file->pieces()[i].text, Template::Default().pieces()[i].text);
  }
}

TEST(TemplateTest, MissingTemplateFileIsNotFound) {
  auto t = Template::Load("/nonexistent/office.html");
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
}

Report SmallReport() {
  Report r;
  r.kind = Kind::kDaily;
  r.title = "舆情日报";
  r.period = "2026年12月2日";
  r.generated_at = testing::At("2026-12-03T09:00:00+08:00");
  r.summary = "<b>摘要</b>";
  Quote q;
  q.source = "weibo";
  q.external_id = "x\"1";
  q.author = "<i>作者</i>";
  q.text = "<script>alert('x')</script>";
  r.sections.push_back(
      {"一、测试", {Paragraph{{Text("a & b"), Figure("posts.total", "12")}}, Quotes{{q}}}});
  return r;
}

TEST(HtmlTest, UserTextIsEscaped) {
  auto out = RenderHtml(SmallReport(), Template::Default(), {});
  ASSERT_TRUE(out.ok());
  const std::string& h = out->html;
  EXPECT_EQ(h.find("<script>alert"), std::string::npos);
  EXPECT_NE(h.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(h.find("&lt;i&gt;作者&lt;/i&gt;"), std::string::npos);
  EXPECT_NE(h.find("&lt;b&gt;摘要&lt;/b&gt;"), std::string::npos);
  EXPECT_NE(h.find("a &amp; b"), std::string::npos);
  EXPECT_NE(h.find("data-post=\"weibo/x&quot;1\""), std::string::npos);
  EXPECT_NE(h.find("<b data-figure=\"posts.total\">12</b>"), std::string::npos);
}

TEST(HtmlTest, MastheadFieldsAndNumbering) {
  RenderOptions o;
  o.masthead.office = "长治市人民政府办公室";
  o.masthead.number = 12;
  o.masthead.issuer = "王某";
  o.masthead.reviewer = "李某";
  auto out = RenderHtml(SmallReport(), Template::Default(), o);
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->html.find("〔2026〕第12期"), std::string::npos);
  EXPECT_NE(out->html.find("长治市人民政府办公室"), std::string::npos);
  EXPECT_NE(out->html.find("签发：王某"), std::string::npos);
  EXPECT_NE(out->html.find("审核：李某"), std::string::npos);
  EXPECT_NE(out->html.find("内部资料"), std::string::npos);
  EXPECT_NE(out->html.find("@page"), std::string::npos);
}

TEST(HtmlTest, ChartsAreInlineSvgOrImagesWithTheSameSvg) {
  Report r = SmallReport();
  Chart c;
  c.kind = ChartKind::kBar;
  c.id = "channels";
  c.title = "各渠道信息量";
  c.labels = {"微博", "新闻网站"};
  c.series = {{"信息量", {6, 2}}};
  r.sections[0].blocks.push_back(c);
  auto inline_svg = RenderHtml(r, Template::Default(), {});
  ASSERT_TRUE(inline_svg.ok());
  EXPECT_NE(inline_svg->html.find("<svg xmlns"), std::string::npos);
  EXPECT_EQ(inline_svg->html.find("<?xml"), std::string::npos);
  RenderOptions o;
  o.charts = ChartMode::kImages;
  auto images = RenderHtml(r, Template::Default(), o);
  ASSERT_TRUE(images.ok());
  EXPECT_NE(images->html.find("<img src=\"chart-channels.png\""), std::string::npos);
  ASSERT_EQ(images->charts.size(), 1u);
  EXPECT_EQ(images->charts[0].second, ChartSvg(c));
  // Both bars, with their values written on top.
  EXPECT_NE(ChartSvg(c).find(">6</text>"), std::string::npos);
  EXPECT_NE(ChartSvg(c).find(">2</text>"), std::string::npos);
}

class HtmlGoldenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::sqlite::OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(testing::FillScenario(*store_));
  }

  StoreRefs Refs() { return StoreRefs{*store_, *store_, *store_, *store_, nullptr}; }
  Scope Day() {
    Scope s;
    s.from = *ParseLocalDate(testing::kDay, 480, "--date");
    s.to = s.from + std::chrono::hours(24);
    s.now = testing::Now();
    return s;
  }
  static RenderOptions Options() { return testing::GoldenOptions(12); }

  static void Golden(const std::string& name, const std::string& html) {
    testing::ExpectGolden(name, html);
  }

  ::yuqing::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(HtmlGoldenTest, DailyReportIsByteIdentical) {
  auto f = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto a = RenderHtml(AssembleDaily(*f), Template::Default(), Options());
  ASSERT_TRUE(a.ok());
  auto f2 = GatherPeriod(Refs(), Day(), {});
  auto b = RenderHtml(AssembleDaily(*f2), Template::Default(), Options());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->html, b->html);
  EXPECT_NE(a->html.find("<h1>舆情日报</h1>"), std::string::npos);
  EXPECT_NE(a->html.find("href=\"/events/1\""), std::string::npos);
  EXPECT_NE(a->html.find("附录：数据来源"), std::string::npos);
  EXPECT_EQ(a->html.find("<script>"), std::string::npos);
  Golden("daily.html", a->html);
}

TEST_F(HtmlGoldenTest, SpecialReportIsByteIdentical) {
  auto f = GatherEvent(Refs(), 1, Day());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto a = RenderHtml(AssembleEvent(*f), Template::Default(), Options());
  ASSERT_TRUE(a.ok());
  EXPECT_NE(a->html.find("data-chart=\"volume\""), std::string::npos);
  EXPECT_NE(a->html.find("data-chart=\"channels\""), std::string::npos);
  EXPECT_NE(a->html.find("data-chart=\"sentiment\""), std::string::npos);
  Golden("event.html", a->html);
}

TEST_F(HtmlGoldenTest, EmptyDaySaysNoDataInTheDocument) {
  Scope s = Day();
  s.from = *ParseLocalDate("2026-06-01", 480, "--date");
  s.to = s.from + std::chrono::hours(24);
  auto f = GatherPeriod(Refs(), s, {});
  ASSERT_TRUE(f.ok());
  auto out = RenderHtml(AssembleDaily(*f), Template::Default(), Options());
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->html.find("本期无数据"), std::string::npos);
  EXPECT_NE(out->html.find("无数据"), std::string::npos);
}

}  // namespace
}  // namespace yuqing::reports
