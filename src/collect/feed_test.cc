#include "collect/feed.h"

#include <gtest/gtest.h>

#include "collect/encoding.h"
#include "testing/test_util.h"

namespace yuqing::collect {
namespace {

std::string Fixture(const std::string& name) {
  return testing::ReadFile((testing::SourceDir() / "src/collect/testdata" / name).string());
}

TEST(FeedTest, Rss2WithCdataEntitiesRelativeLinksAndBoilerplate) {
  auto feed = ParseFeed(Fixture("feed_utf8.xml"), "http://gov.example/xxgk/rss.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, "rss");
  EXPECT_EQ(feed->title, "潞城区人民政府 — 通知公告");
  ASSERT_EQ(feed->items.size(), 3u);
  const FeedItem& a = feed->items[0];
  EXPECT_EQ(a.id, "lc-tzgg-001");
  EXPECT_EQ(a.title, "关于浊漳河潞城段水质监测情况的通报");
  EXPECT_EQ(a.link, "http://gov.example/xxgk/tzgg/202611/t20261116_001.html");
  EXPECT_EQ(a.published, "Mon, 16 Nov 2026 09:12:00 +0800");
  EXPECT_EQ(a.author, "区生态环境分局");
  // content:encoded wins over description; the share bar is dropped, &nbsp; is a space.
  EXPECT_EQ(a.text,
            "11月16日，区生态环境分局对浊漳河潞城段开展水质监测，各项指标 正常。\n"
            "请市民不信谣、不传谣。");
  const FeedItem& b = feed->items[1];
  EXPECT_EQ(b.title, "潞城区2026年冬季供暖工作安排 & 热线");
  EXPECT_EQ(b.link, "http://gov.example/xxgk/tzgg/202611/t20261115_002.html");
  EXPECT_EQ(b.text, "供暖热线 12345 全天受理 报修。");
  EXPECT_EQ(b.id, "");
  EXPECT_EQ(feed->items[2].published, "发布时间：2026-11-14");
}

TEST(FeedTest, GbkFeedConvertsAndParses) {
  std::string bytes = Fixture("feed_gbk.xml");
  auto text = ToUtf8(bytes, ChooseCharset("application/xml", bytes));
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  auto feed = ParseFeed(*text, "http://yjj.example/rss.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[1].title, "苯胺类化学品储运安全专项检查情况");
  EXPECT_EQ(feed->items[1].published, "昨天 16:20");
}

TEST(FeedTest, AtomWithXmlBaseAndHtmlContent) {
  auto feed = ParseFeed(Fixture("atom.xml"), "http://news.example/atom.xml");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, "atom");
  ASSERT_EQ(feed->items.size(), 2u);
  EXPECT_EQ(feed->items[0].title, "城区道路改造进展");
  EXPECT_EQ(feed->items[0].link, "http://news.example/county/2026/11/road.html");
  EXPECT_EQ(feed->items[0].author, "融媒体记者");
  EXPECT_EQ(feed->items[0].id, "urn:example:county-news:road");
  EXPECT_EQ(feed->items[1].link, "http://news.example/county/2026/11/recruit.html");
  EXPECT_EQ(feed->items[1].published, "2026-11-15T02:00:00+00:00");
  EXPECT_EQ(feed->items[1].text, "针对网民关心的事业单位招聘问题，县人社局作出说明。");
}

TEST(FeedTest, RdfItemsAreSiblingsOfTheChannel) {
  auto feed = ParseFeed(Fixture("rdf.xml"), "http://forum.example/rss");
  ASSERT_TRUE(feed.ok()) << feed.status().ToString();
  EXPECT_EQ(feed->kind, "rdf");
  ASSERT_EQ(feed->items.size(), 1u);
  EXPECT_EQ(feed->items[0].id, "http://forum.example/t/77");
  EXPECT_EQ(feed->items[0].published, "2026-11-16T07:45:00+08:00");
}

TEST(FeedTest, MalformedXmlAndNonFeedsAreErrorsWithALine) {
  auto bad = ParseFeed(Fixture("malformed.xml"), "http://bad.example/rss");
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().message().starts_with("malformed XML at line "))
      << bad.status().message();
  auto html = ParseFeed("<html><body>hi</body></html>", "http://x.example/");
  ASSERT_FALSE(html.ok());
  EXPECT_EQ(html.status().message(), "the root element is <html>, not rss, RDF or feed");
}

TEST(FeedTest, ExternalEntitiesAreNotLoaded) {
  auto feed = ParseFeed(
      "<?xml version=\"1.0\"?><!DOCTYPE rss [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
      "<rss><channel><item><title>&x;</title></item></channel></rss>",
      "http://x.example/");
  if (feed.ok()) {
    ASSERT_EQ(feed->items.size(), 1u);
    EXPECT_EQ(feed->items[0].title.find("root:"), std::string::npos);
  }
}

TEST(HtmlToTextTest, DropsNavigationFootersAndScripts) {
  EXPECT_EQ(
      HtmlToText("<nav>首页 | 新闻</nav><h1>标题</h1><script>var a=1;</script>"
                 "<p>正文第一段。</p><p>第二段&amp;结尾</p><div id=\"footer\">主办单位</div>"),
      "标题\n正文第一段。\n第二段&结尾");
}

}  // namespace
}  // namespace yuqing::collect
