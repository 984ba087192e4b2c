// The configured-source endpoints and /healthz's unhealthy sources, against a real server on a
// loopback port and a real SQLite file (docs/api.md "Posts", docs/collect.md).
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/test_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"
#include "text/tokenizer.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

class SourcesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Config config;
    config.listen = "127.0.0.1:0";
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    server_ = std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_, nullptr, nullptr);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    token_ = *NewApiToken();
    ASSERT_NE(AddUserToken(*store_, "管理员", model::Role::kAdmin, "管理员", token_, clock_.Now()),
              0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_bearer_token_auth(token_);
    ASSERT_TRUE(testing::PollUntil([&] { return client_->Get("/healthz") != nullptr; }));
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }
  json Body(const httplib::Result& r, int* status) {
    if (!r) return json{{"transport_error", httplib::to_string(r.error())}};
    *status = r->status;
    return r->body.empty() ? json() : json::parse(r->body);
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-16T06:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(SourcesApiTest, AddListChangePauseAndRemove) {
  int status = 0;
  json made = Body(client_->Post("/api/v1/sources", R"({"name":"长治市政府","kind":"rss",
      "interval_s":300,"channel":"gov_platform","region":"1404",
      "config":{"url":"https://www.changzhi.example/rss.xml"}})",
                                 "application/json"),
                   &status);
  ASSERT_EQ(status, 201) << made.dump();
  EXPECT_EQ(made["region"], "140400");
  EXPECT_EQ(made["health"]["state"], "unknown");

  json bad =
      Body(client_->Post("/api/v1/sources", R"({"name":"x","kind":"rss"})", "application/json"),
           &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["message"],
            "field \"config.url\": missing (an rss source needs the feed's URL)");
  Body(client_->Post("/api/v1/sources", made.dump(), "application/json"), &status);
  EXPECT_EQ(status, 409);

  // A stored post of a push-only source shows up beside the configured one.
  model::Post p;
  p.source = "weibo";
  p.external_id = "1";
  p.text = "潞城区停水";
  p.published_at = clock_.Now();
  ASSERT_TRUE(ingestor_->Write({p}).ok());
  json list = Body(client_->Get("/api/v1/sources"), &status);
  ASSERT_EQ(status, 200);
  ASSERT_EQ(list["sources"].size(), 2u) << list.dump();
  EXPECT_EQ(list["sources"][0]["name"], "weibo");
  EXPECT_EQ(list["sources"][0]["configured"], false);
  EXPECT_EQ(list["sources"][0]["posts"], 1);
  EXPECT_EQ(list["sources"][1]["name"], "长治市政府");
  EXPECT_EQ(list["sources"][1]["configured"], true);
  EXPECT_EQ(list["sources"][1]["posts"], 0);

  json changed = Body(client_->Put("/api/v1/sources/%E9%95%BF%E6%B2%BB%E5%B8%82%E6%94%BF%E5%BA%9C",
                                   R"({"paused":true,"interval_s":60})", "application/json"),
                      &status);
  ASSERT_EQ(status, 200) << changed.dump();
  EXPECT_EQ(changed["paused"], true);
  EXPECT_EQ(changed["interval_s"], 60);
  EXPECT_EQ(changed["config"]["url"], "https://www.changzhi.example/rss.xml");
  auto stored = store_->GetSource("长治市政府");
  ASSERT_TRUE(stored.ok() && *stored);
  EXPECT_TRUE((*stored)->paused);

  Body(client_->Delete("/api/v1/sources/%E9%95%BF%E6%B2%BB%E5%B8%82%E6%94%BF%E5%BA%9C"), &status);
  EXPECT_EQ(status, 204);
  Body(client_->Get("/api/v1/sources/%E9%95%BF%E6%B2%BB%E5%B8%82%E6%94%BF%E5%BA%9C"), &status);
  EXPECT_EQ(status, 404);
}

TEST_F(SourcesApiTest, PostsPushedUnderAPushSourceCountAsItsVolume) {
  model::Source s;
  s.name = "12345热线";
  s.kind = model::SourceKind::kPush;
  ASSERT_TRUE(store_->CreateSource(s, clock_.Now()).ok());
  std::string batch =
      R"({"source":"12345热线","id":"1","text":"停水","published_at":"2026-11-16T08:00:00+08:00"}
{"source":"12345热线","id":"2","text":"停电","published_at":"2026-11-16T08:01:00+08:00"}
{"source":"weibo","id":"9","text":"别的","published_at":"2026-11-16T08:01:00+08:00"}
{"source":"12345热线","id":"1","text":"停水","published_at":"2026-11-16T08:00:00+08:00"})";
  int status = 0;
  json r = Body(client_->Post("/api/v1/posts", batch, "application/x-ndjson"), &status);
  ASSERT_EQ(status, 200) << r.dump();
  auto got = store_->GetSource("12345热线");
  ASSERT_TRUE(got.ok() && *got);
  const model::SourceState& st = (*got)->state;
  EXPECT_EQ(st.accepted, 2);
  EXPECT_EQ(st.duplicate, 1);
  EXPECT_EQ(st.runs, 1);
  EXPECT_EQ(st.last_post_at, clock_.Now());
  EXPECT_EQ(st.last_success_at, clock_.Now());
  int64_t hours = std::chrono::floor<std::chrono::hours>(clock_.Now()).time_since_epoch().count();
  EXPECT_EQ(st.volume.counts[static_cast<size_t>(hours % model::SourceVolume::kHours)], 2);
  EXPECT_FALSE(store_->GetSource("weibo")->has_value());  // not configured: nothing counted
}

TEST_F(SourcesApiTest, HealthzListsFailingSources) {
  model::Source s;
  s.name = "坏源";
  s.config_json = R"({"url":"http://127.0.0.1:1/feed.xml"})";
  ASSERT_TRUE(store_->CreateSource(s, clock_.Now()).ok());
  int status = 0;
  json h = Body(client_->Get("/healthz"), &status);
  EXPECT_EQ(h["status"], "ok");
  EXPECT_EQ(h["sources"]["configured"], 1);
  model::SourceState st;
  st.health = model::SourceHealth::kFailing;
  st.health_reason = "连续 3 次采集失败：HTTP 500";
  st.last_error_url = "http://127.0.0.1:1/feed.xml";
  ASSERT_TRUE(store_->PutSourceState("坏源", st, {}).ok());
  h = Body(client_->Get("/healthz"), &status);
  EXPECT_EQ(h["status"], "degraded");
  ASSERT_EQ(h["sources"]["unhealthy"].size(), 1u);
  EXPECT_EQ(h["sources"]["unhealthy"][0]["name"], "坏源");
  EXPECT_EQ(h["sources"]["unhealthy"][0]["health"], "failing");
  EXPECT_EQ(h["sources"]["unhealthy"][0]["last_error_url"], "http://127.0.0.1:1/feed.xml");
}

}  // namespace
}  // namespace yuqing::server
