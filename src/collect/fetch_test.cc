#include "collect/fetch.h"

#include <gtest/gtest.h>

namespace yuqing::collect {
namespace {

TEST(RobotsTest, TheAgentsGroupOrElseTheStarGroupDecides) {
  const char* robots =
      "# comment\n"
      "User-agent: *\n"
      "Disallow: /private/\n"
      "Allow: /private/open/\n"
      "\n"
      "User-agent: badbot\n"
      "Disallow: /\n";
  EXPECT_TRUE(RobotsAllow(robots, "yuqing", "/news/1.html"));
  EXPECT_FALSE(RobotsAllow(robots, "yuqing", "/private/a.html"));
  EXPECT_TRUE(RobotsAllow(robots, "yuqing", "/private/open/a.html"));
  EXPECT_FALSE(RobotsAllow(robots, "BadBot/2.0", "/news/1.html"));
}

TEST(RobotsTest, WildcardsEmptyDisallowAndOurOwnGroup) {
  EXPECT_FALSE(RobotsAllow("User-agent: *\nDisallow: /*.pdf$\n", "yuqing", "/a/b.pdf"));
  EXPECT_TRUE(RobotsAllow("User-agent: *\nDisallow: /*.pdf$\n", "yuqing", "/a/b.pdf?x=1"));
  EXPECT_TRUE(RobotsAllow("User-agent: *\nDisallow:\n", "yuqing", "/anything"));
  EXPECT_TRUE(RobotsAllow("User-agent: *\nDisallow: /\n\nUser-agent: yuqing\nAllow: /\n", "yuqing",
                          "/feed.xml"));
  EXPECT_TRUE(RobotsAllow("", "yuqing", "/"));
}

TEST(OriginTest, SchemeHostAndPort) {
  EXPECT_EQ(Origin("http://Gov.Example:8080/a/b?c"), "http://gov.example:8080");
  EXPECT_EQ(Origin("https://x.example"), "https://x.example");
  EXPECT_EQ(Origin("not a url"), "");
}

TEST(FetchTest, OnlyHttpAndHttpsAreFetched) {
  HttpFetcher f(FetchOptions{});
  auto r = f.Fetch({"file:///etc/passwd", "", ""});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace yuqing::collect
