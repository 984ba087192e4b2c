#include "collect/css_select.h"

#include <gtest/gtest.h>

#include "collect/web.h"

namespace yuqing::collect {
namespace {

TEST(CssSelectTest, TranslatesTheSubsetToXPath) {
  struct Case {
    const char* css;
    const char* xpath;
  };
  const Case cases[] = {
      {"h1", "//h1"},
      {"*", "//*"},
      {"DIV", "//div"},
      {"#main", "//*[@id='main']"},
      {"div.content", "//div[contains(concat(' ',normalize-space(@class),' '),' content ')]"},
      {"ul.list > li > a", "//ul[contains(concat(' ',normalize-space(@class),' '),' list ')]/li/a"},
      {"div  span", "//div//span"},
      {"a[href]", "//a[@href]"},
      {"a[href='/x.html']", "//a[@href='/x.html']"},
      {"a[title=\"it's\"]", "//a[@title=\"it's\"]"},
      {"a[href^=http]", "//a[starts-with(@href,'http')]"},
      {"a[href*=\"tzgg\"]", "//a[contains(@href,'tzgg')]"},
      {"a[href$='.html']",
       "//a[substring(@href,string-length(@href)-string-length('.html')+1)='.html']"},
      {"p[class~=lead]", "//p[contains(concat(' ',normalize-space(@class),' '),' lead ')]"},
      {"h1, .title", "//h1 | //*[contains(concat(' ',normalize-space(@class),' '),' title ')]"},
      {"li:first-child > a", "//li[not(preceding-sibling::*)]/a"},
      {"li:last-child", "//li[not(following-sibling::*)]"},
      {"tr:nth-child(3) td", "//tr[count(preceding-sibling::*)=2]//td"},
      {"span.发布时间", "//span[contains(concat(' ',normalize-space(@class),' '),' 发布时间 ')]"},
  };
  for (const auto& c : cases) {
    auto x = CssToXPath(c.css);
    ASSERT_TRUE(x.ok()) << c.css << ": " << x.status().ToString();
    EXPECT_EQ(*x, c.xpath) << c.css;
  }
}

TEST(CssSelectTest, UnsupportedSelectorsNameTheSelectorAndColumn) {
  struct Case {
    const char* css;
    const char* error;
  };
  const Case cases[] = {
      {"li + a",
       "CSS selector \"li + a\": column 4: the next-sibling combinator \"+\" is not "
       "supported"},
      {"a:hover",
       "CSS selector \"a:hover\": column 2: the pseudo-class \":hover\" is not supported "
       "(:first-child, :last-child and :nth-child(N) are)"},
      {"li:nth-child(2n+1)",
       "CSS selector \"li:nth-child(2n+1)\": column 14: \":nth-child\" takes a whole number "
       "from 1 (an+b, odd and even are not supported)"},
      {"p::before",
       "CSS selector \"p::before\": column 2: pseudo-elements (\"::before\") are "
       "not supported"},
      {"a[href|=en]",
       "CSS selector \"a[href|=en]\": column 7: the attribute operator \"|=\" is not supported"},
      {"a[href", "CSS selector \"a[href\": column 2: \"[\" is not closed"},
      {"通知 ~ a",
       "CSS selector \"通知 ~ a\": column 4: the subsequent-sibling combinator \"~\" "
       "is not supported"},
      {"", "CSS selector \"\": column 1: the selector is empty"},
      {"h1,", "CSS selector \"h1,\": column 4: a selector is missing after \",\""},
      {"div >", "CSS selector \"div >\": column 6: a selector is missing after the combinator"},
  };
  for (const auto& c : cases) {
    auto x = CssToXPath(c.css);
    ASSERT_FALSE(x.ok()) << c.css << " gave " << *x;
    EXPECT_EQ(x.status().message(), c.error) << c.css;
  }
}

TEST(CssSelectTest, TranslatedSelectorsSelectWhatCssMeans) {
  const char* page =
      "<html><body><ul class=\"nav list\"><li><a href=\"/nav.html\">首页</a></li></ul>"
      "<ul class=\"list news\"><li><a href=\"/a1.html\">一</a></li>"
      "<li><a href=\"/a2.html\" title=\"it's\">二</a></li>"
      "<li><span><a href=\"/a3.html\">三</a></span></li></ul>"
      "<div id=\"pager\"><a class=\"next\" href=\"/list2.html\">下一页</a></div></body></html>";
  auto links = [&](const char* css) {
    auto x = CssToXPath(css);
    EXPECT_TRUE(x.ok()) << x.status().ToString();
    auto list = ParseListPage(page, "http://p.example/list.html", {*x, "", "", "", "", ""});
    std::string out;
    if (!list.ok()) return list.status().message();
    for (const auto& l : list->links) out += l.substr(l.rfind('/') + 1) + " ";
    return out;
  };
  EXPECT_EQ(links("ul.news > li > a"), "a1.html a2.html ");
  EXPECT_EQ(links("ul.news a"), "a1.html a2.html a3.html ");
  EXPECT_EQ(links("ul.list li:first-child > a"), "nav.html a1.html ");
  EXPECT_EQ(links("ul.news li:nth-child(2) a, #pager a.next"), "a2.html list2.html ");
  EXPECT_EQ(links("a[title=\"it's\"]"), "a2.html ");
  EXPECT_EQ(links("a[href$='3.html']"), "a3.html ");
}

}  // namespace
}  // namespace yuqing::collect
