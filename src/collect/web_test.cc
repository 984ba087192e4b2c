#include "collect/web.h"

#include <gtest/gtest.h>

#include "collect/encoding.h"
#include "testing/test_util.h"

namespace yuqing::collect {
namespace {

std::string Fixture(const std::string& name) {
  return testing::ReadFile((testing::SourceDir() / "src/collect/testdata" / name).string());
}

WebSelectors Portal() {
  WebSelectors s;
  s.links = "//ul[@class='list']/li/a";
  s.next = "//a[@class='next']";
  s.title = "//h1";
  s.body = "//div[@class='content']";
  s.time = "//span[@class='time']";
  s.author = "//span[@class='source']";
  return s;
}

TEST(WebTest, GbkListPageGivesAbsoluteLinksAndTheNextPage) {
  std::string bytes = Fixture("list_gbk.html");
  auto text = ToUtf8(bytes, ChooseCharset("text/html", bytes));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto list = ParseListPage(*text, "http://gov.example/tzgg/list.html", Portal());
  ASSERT_TRUE(list.ok()) << list.status().ToString();
  ASSERT_EQ(list->links.size(), 2u);
  EXPECT_EQ(list->links[0], "http://gov.example/tzgg/art/a5.html");
  EXPECT_EQ(list->next, "http://gov.example/tzgg/list2.html");
}

TEST(WebTest, ArticleFieldsWithBoilerplateStripped) {
  auto a =
      ParseArticlePage(Fixture("article.html"), "http://gov.example/tzgg/art/a4.html", Portal());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_EQ(a->title, "浊漳河潞城段水质监测结果公示");
  EXPECT_EQ(a->text,
            "11月15日，区生态环境分局对浊漳河潞城段3个断面开展监测。\n"
            "监测结果显示，各项指标均符合地表水Ⅲ类标准。");
  EXPECT_EQ(a->published, "发布时间：2026-11-15 16:30");
  EXPECT_EQ(a->author, "来源：区生态环境分局");
  EXPECT_TRUE(a->problems.empty());
}

TEST(WebTest, SelectorsThatMatchNothingAreReported) {
  WebSelectors s = Portal();
  s.links = "//div[@id='gone']//a";
  auto list = ParseListPage(Fixture("list2.html"), "http://gov.example/tzgg/list2.html", s);
  ASSERT_FALSE(list.ok());
  EXPECT_EQ(list.status().message(), "config.links \"//div[@id='gone']//a\" matches nothing");
  s.body = "//div[@id='article']";
  auto a = ParseArticlePage(Fixture("article.html"), "http://gov.example/a.html", s);
  ASSERT_TRUE(a.ok());
  ASSERT_EQ(a->problems.size(), 1u);
  EXPECT_EQ(a->problems[0],
            "config.body \"//div[@id='article']\" matches nothing on http://gov.example/a.html");
  // The page's own text stands in, without header, breadcrumb, share bar or footer.
  EXPECT_NE(a->text.find("各项指标均符合"), std::string::npos);
  EXPECT_EQ(a->text.find("版权所有"), std::string::npos);
  EXPECT_EQ(a->text.find("分享到"), std::string::npos);
  s.links = "//ul[";
  EXPECT_FALSE(ParseListPage(Fixture("list2.html"), "http://x/", s).ok());
}

}  // namespace
}  // namespace yuqing::collect
