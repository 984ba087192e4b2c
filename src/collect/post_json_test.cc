#include "collect/post_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing::collect {
namespace {

using nlohmann::json;

std::string Error(const std::string& text) {
  auto p = PostFromJson(json::parse(text), RecordLimits{});
  return p.ok() ? "OK" : p.status().message();
}

constexpr const char* kGood =
    R"({"source":"weibo","id":"48","text":"长治苯胺泄漏","published_at":"2026-11-21T08:30:00+08:00"})";

TEST(PostJsonTest, ReadsEveryField) {
  auto p = PostFromJson(json::parse(R"({
    "source":"weibo","id":4812,"title":"通报","text":"长治市潞城区化工厂泄漏",
    "published_at":"2026-11-21T08:30:00+08:00","url":"https://weibo.com/1/2","channel":"weibo",
    "author":{"id":"u1","name":"长治发布","followers":120000,"verified":true,"kind":"gov"},
    "metrics":{"reposts":5,"comments":6,"likes":7,"views":8},"region":"1404",
    "parent":{"id":"4811"},"lang":"zh","extra":"ignored"})"),
                        RecordLimits{});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->external_id, "4812");
  EXPECT_EQ(p->author.kind, model::AuthorKind::kGov);
  EXPECT_TRUE(p->author.verified);
  EXPECT_EQ(p->metrics.views, 8);
  EXPECT_EQ(p->region, "140400");
  ASSERT_TRUE(p->parent.has_value());
  EXPECT_EQ(p->parent->source, "weibo");  // defaults to the post's own source
  EXPECT_EQ(p->published_at, *core::ParseIso8601("2026-11-21T00:30:00Z"));
  auto back = PostFromJson(PostToJson(*p), RecordLimits{});
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->text, p->text);
  EXPECT_EQ(back->published_at, p->published_at);
  EXPECT_EQ(back->author.followers, 120000);
}

TEST(PostJsonTest, RejectionsNameTheFieldAndTheProblem) {
  EXPECT_EQ(Error(kGood), "OK");
  EXPECT_EQ(Error(R"({"id":"1","text":"x","published_at":"2026-11-21T08:30:00Z"})"),
            "field \"source\": is required (the collector or platform)");
  EXPECT_EQ(Error(R"({"source":"a","text":"x","published_at":"2026-11-21T08:30:00Z"})"),
            "field \"id\": is required (unique within its source)");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","published_at":"2026-11-21T08:30:00Z"})"),
            "fields \"text\" and \"title\": at least one is required");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x"})"),
            "field \"published_at\": is required (ISO-8601 with offset, e.g. "
            "2026-11-21T08:30:00+08:00)");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":"2026-13-01T00:00:00Z"})"),
            "field \"published_at\": \"2026-13-01T00:00:00Z\" is not an ISO-8601 date-time with "
            "offset (no such calendar date)");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":1700000000})"),
            "field \"published_at\": expected an ISO-8601 string, found number 1700000000");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":5,"published_at":"2026-11-21T08:30:00Z"})"),
            "field \"text\": expected a string, found number 5");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":"2026-11-21T08:30:00Z",
                      "channel":"twitter"})"),
            "field \"channel\": \"twitter\" is not one of news, weibo, wechat, forum, video, qa, "
            "hotline, mailbox, gov_platform, print, tv, other");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":"2026-11-21T08:30:00Z",
                      "metrics":{"likes":-3}})"),
            "field \"metrics.likes\": expected a non-negative integer, found number -3");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":"2026-11-21T08:30:00Z",
                      "author":{"verified":"yes"}})"),
            "field \"author.verified\": expected true or false, found string \"yes\"");
  EXPECT_EQ(Error(R"({"source":"a","id":"1","text":"x","published_at":"2026-11-21T08:30:00Z",
                      "region":"Shanxi"})"),
            "field \"region\": \"Shanxi\" is not a GB/T 2260 code (2, 4 or 6 digits)");
  EXPECT_EQ(Error(R"([1,2])"), "expected a JSON object, found an array");
}

TEST(PostJsonTest, RejectsOversizedText) {
  RecordLimits limits;
  limits.max_text_bytes = 10;
  json j = json::parse(kGood);
  j["text"] = std::string(11, 'x');
  EXPECT_EQ(PostFromJson(j, limits).status().message(),
            "field \"text\": is 11 bytes; the limit is 10");
}

}  // namespace
}  // namespace yuqing::collect
