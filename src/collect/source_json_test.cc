#include "collect/source_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace yuqing::collect {
namespace {

using nlohmann::json;

TEST(SourceJsonTest, ReadsAFeedWithEverySetting) {
  auto s = SourceFromJson(json::parse(R"({"name":"长治市政府","kind":"rss","interval_s":300,
      "channel":"gov_platform","region":"1404","tz":"+08:00",
      "config":{"url":"https://www.changzhi.example/rss.xml"}})"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->name, "长治市政府");
  EXPECT_EQ(s->kind, model::SourceKind::kRss);
  EXPECT_EQ(s->interval, std::chrono::seconds(300));
  EXPECT_EQ(s->channel, model::Channel::kGovPlatform);
  EXPECT_EQ(s->region, "140400");
  EXPECT_EQ(s->tz_offset_minutes, 480);
  json back = SourceToJson(*s);
  EXPECT_EQ(back["config"]["url"], "https://www.changzhi.example/rss.xml");
  EXPECT_EQ(back["health"]["state"], "unknown");
  EXPECT_EQ(back["tz"], "+08:00");
}

TEST(SourceJsonTest, MistakesNameTheField) {
  struct Case {
    const char* body;
    const char* error;
  };
  const Case cases[] = {
      {R"({"kind":"rss","config":{"url":"http://a"}})", "field \"name\": missing"},
      {R"({"name":"a","kind":"ftp"})",
       "field \"kind\": \"ftp\" is not rss, web, json_api, folder, push or replay"},
      {R"({"name":"a","kind":"rss"})",
       "field \"config.url\": missing (an rss source needs the feed's URL)"},
      {R"({"name":"a","kind":"rss","config":{"url":"ftp://x"}})",
       "field \"config.url\": \"ftp://x\" is not an http or https URL"},
      {R"({"name":"a","kind":"rss","interval_s":1,"config":{"url":"http://a"}})",
       "field \"interval_s\": expected whole seconds between 10 and 604800"},
      {R"({"name":"a","kind":"rss","region":"14x","config":{"url":"http://a"}})",
       "field \"region\": expected a GB/T 2260 code of 2, 4 or 6 digits"},
      {R"({"name":"a","kind":"json_api","config":{"url":"http://a","mapping":{"id":"/id"}}})",
       "field \"config.mapping.published_at\": missing"},
      {R"({"name":"a","kind":"json_api","config":{"url":"http://a","mapping":{"id":"id"}}})",
       "field \"config.mapping.id\": expected a JSON pointer starting with \"/\""},
      {R"({"name":"a","kind":"folder","config":{}})",
       "field \"config.path\": missing (a folder source needs the folder to watch)"},
      {R"({"name":"a","kind":"web","config":{"url":"http://a"}})",
       "field \"config.links\": missing (an XPath selecting the article links of the list, or a "
       "CSS selector in config.css.links)"},
      {R"({"name":"a","kind":"web","config":{"url":"http://a","css":{"links":"ul a:hover"}}})",
       "field \"config.css.links\": CSS selector \"ul a:hover\": column 5: the pseudo-class "
       "\":hover\" is not supported (:first-child, :last-child and :nth-child(N) are)"},
      {R"({"name":"a","kind":"web","config":{"url":"http://a","links":"//a","css":{"links":"a"}}})",
       "field \"config.css.links\": config.links is given too: one selector per field, XPath or "
       "CSS"},
      {R"({"name":"a","kind":"web","config":{"url":"http://a","css":{"links":"a","date":"p"}}})",
       "field \"config.css.date\": not a selector name (links, next, title, body, time, author)"},
      {R"({"name":"a","kind":"replay","config":{}})",
       "field \"config.file\": missing (a replay source needs the recorded stream's file)"},
      {R"({"name":"a","kind":"replay","config":{"file":"a.xml","format":"xml"}})",
       "field \"config.format\": unknown format \"xml\"; expected auto, json, ndjson or csv"},
      {R"({"name":"a","kind":"push","tz":"Mars"})",
       "field \"tz\": \"Mars\" is not a UTC offset like +08:00 (or Asia/Shanghai, Z)"},
  };
  for (const auto& c : cases) {
    auto s = SourceFromJson(json::parse(c.body));
    ASSERT_FALSE(s.ok()) << c.body;
    EXPECT_EQ(s.status().message(), c.error) << c.body;
  }
}

TEST(SourceJsonTest, AddressedNameMustAgreeWithTheBody) {
  auto s = SourceFromJson(json::parse(R"({"kind":"push"})"), "热线");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->name, "热线");
  EXPECT_FALSE(SourceFromJson(json::parse(R"({"name":"x","kind":"push"})"), "热线").ok());
}

}  // namespace
}  // namespace yuqing::collect
