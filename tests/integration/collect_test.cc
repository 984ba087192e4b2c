// The collectors end to end: `yuqing sources add` and `yuqing collect --once` on the command
// line, and `yuqing serve` fetching a source on its schedule from a feed server on loopback,
// its posts searchable and its health and last error shown by the API.
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

class CollectTest : public ::testing::Test {
 protected:
  void SetUp() override {
    web_.Get("/feed.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(ReadFile((SourceDir() / "src/collect/testdata/feed_utf8.xml").string()),
                      "application/rss+xml; charset=utf-8");
    });
    web_.Get("/broken.xml",
             [](const httplib::Request&, httplib::Response& res) { res.status = 503; });
    web_port_ = web_.bind_to_any_port("127.0.0.1");
    web_thread_ = std::thread([this] { web_.listen_after_bind(); });
    ASSERT_TRUE(PollUntil([this] { return web_.is_running(); }));
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "it");
    ASSERT_FALSE(token_.empty());
  }
  void TearDown() override {
    web_.stop();
    web_thread_.join();
  }
  std::string Url(const std::string& path) {
    return "http://127.0.0.1:" + std::to_string(web_port_) + path;
  }
  RunResult Yq(std::vector<std::string> args) {
    std::vector<std::string> argv = {YuqingBinary()};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), {"--db", db_, "--lang", "en", "--set", "collect.retries=0"});
    return RunCommand(argv);
  }

  TempDir dir_;
  httplib::Server web_;
  int web_port_ = 0;
  std::thread web_thread_;
  std::string db_;
  std::string token_;
};

TEST_F(CollectTest, CommandLineAddsCollectsAndShowsTheLastError) {
  auto add = Yq({"sources", "add", "潞城区政府", "--kind", "rss", "--url", Url("/feed.xml"),
                 "--channel", "gov_platform", "--region", "140406"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_NE(add.out.find("source #1 \"潞城区政府\" added"), std::string::npos) << add.out;
  auto once = Yq({"collect", "潞城区政府", "--once"});
  ASSERT_EQ(once.code, 0) << once.err << once.out;
  EXPECT_NE(once.out.find("3 items read: accepted 3"), std::string::npos) << once.out;
  auto again = Yq({"collect", "潞城区政府", "--once"});
  EXPECT_NE(again.out.find("accepted 0, duplicate 3"), std::string::npos) << again.out;

  ASSERT_EQ(Yq({"sources", "add", "坏源", "--kind", "rss", "--url", Url("/broken.xml")}).code, 0);
  auto bad = Yq({"collect", "坏源", "--once"});
  EXPECT_EQ(bad.code, 1);
  auto show = Yq({"sources", "show", "坏源", "--json"});
  ASSERT_EQ(show.code, 0) << show.err;
  json s = json::parse(show.out);
  EXPECT_EQ(s["state"]["last_error"]["url"], Url("/broken.xml"));
  EXPECT_EQ(s["state"]["last_error"]["message"], "unavailable: HTTP 503");
  auto bad_add = Yq({"sources", "add", "x", "--kind", "rss"});
  EXPECT_EQ(bad_add.code, 1);
  EXPECT_NE(bad_add.err.find("config.url"), std::string::npos) << bad_add.err;
}

TEST_F(CollectTest, ServeCollectsConfiguredSourcesOnTheirSchedule) {
  ASSERT_EQ(Yq({"sources", "add", "潞城区政府", "--kind", "rss", "--url", Url("/feed.xml"),
                "--interval", "10"})
                .code,
            0);
  int port = 0;
  auto server = StartServer(db_, &port);
  ASSERT_NE(port, 0) << server->Stderr();
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token_);
  json source;
  ASSERT_TRUE(PollUntil([&] {
    auto r = c.Get("/api/v1/sources");
    if (!r || r->status != 200) return false;
    json list = json::parse(r->body)["sources"];
    for (const auto& s : list) {
      if (s["name"] == "潞城区政府") source = s;
    }
    // The run's posts are stored before its state (counts, health) is written.
    return source.is_object() && source["posts"] == 3 && source["health"]["state"] != "unknown";
  })) << source.dump();
  EXPECT_EQ(source["configured"], true);
  EXPECT_EQ(source["health"]["state"], "ok");
  auto post = c.Get("/api/v1/posts/%E6%BD%9E%E5%9F%8E%E5%8C%BA%E6%94%BF%E5%BA%9C/lc-tzgg-001");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 200) << post->body;
  auto health = c.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(json::parse(health->body)["sources"]["configured"], 1);
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->Stderr();
}

}  // namespace
}  // namespace yuqing::testing
