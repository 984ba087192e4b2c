#include <fmt/format.h>
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

std::string Rec(const std::string& id, const std::string& text) {
  return json{{"source", "weibo"},
              {"id", id},
              {"text", text},
              {"published_at", "2026-11-21T08:30:00+08:00"}}
      .dump();
}

std::string Enc(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c)) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override { Start(core::Config{}); }

  void Start(core::Config config) {
    config.listen = "127.0.0.1:0";
    config.server_threads = 2;
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    server_ = std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    token_ = *NewApiToken();
    ASSERT_NE(AddUserToken(*store_, "admin", model::Role::kAdmin,
                           "test" + std::to_string(++starts_), token_, clock_.Now()),
              0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_bearer_token_auth(token_);
    ASSERT_TRUE(testing::PollUntil([&] { return client_->Get("/healthz") != nullptr; }));
  }

  void TearDown() override { Stop(); }

  void Stop() {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
  }

  json Post(const std::string& body, const std::string& type = "application/x-ndjson",
            int* status = nullptr) {
    auto res = client_->Post("/api/v1/posts", body, type);
    if (!res) return json{{"transport_error", httplib::to_string(res.error())}};
    if (status) *status = res->status;
    return json::parse(res->body);
  }

  json Get(const std::string& path, int* status = nullptr) {
    auto res = client_->Get(path);
    if (!res) return json{{"transport_error", httplib::to_string(res.error())}};
    if (status) *status = res->status;
    return json::parse(res->body);
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-21T01:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::string token_;
  int starts_ = 0;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ServerTest, HealthzAnswersWithoutAToken) {
  httplib::Client anon("127.0.0.1", server_->port());
  auto res = anon.Get("/healthz");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  EXPECT_EQ(json::parse(res->body)["status"], "ok");
}

TEST_F(ServerTest, HealthzShowsTheEventQueueAndOutboxBacklogs) {
  // No event stage runs in this test server: accepted posts wait in the queue.
  auto before = json::parse(client_->Get("/healthz")->body);
  EXPECT_EQ(before["events_queued"], 0);
  EXPECT_EQ(before["outbox"]["pending"], 0);
  auto res = client_->Post("/api/v1/posts", Rec("q1", "长治化工厂泄漏"), "application/json");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto after = json::parse(client_->Get("/healthz")->body);
  EXPECT_EQ(after["events_queued"], 1);
  EXPECT_EQ(after["outbox"]["dead"], 0);
}

TEST_F(ServerTest, ApiRequiresAValidUnrevokedToken) {
  httplib::Client anon("127.0.0.1", server_->port());
  auto res = anon.Post("/api/v1/posts", Rec("1", "x"), "application/json");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 401);
  EXPECT_EQ(json::parse(res->body)["error"]["code"], "unauthenticated");
  anon.set_bearer_token_auth("yq_wrong");
  EXPECT_EQ(anon.Get("/api/v1/search?q=x")->status, 401);
  ASSERT_TRUE(store_
                  ->RevokeApiToken("test1", clock_.Now(),
                                   Draft(CommandLinePrincipal(), clock_.Now(), "token.revoke",
                                         "token", "test1", "", ""))
                  .ok());
  EXPECT_EQ(client_->Get("/api/v1/search?q=x")->status, 401);
}

TEST_F(ServerTest, BatchReportsEachRecordAndKeepsTheGoodOnes) {
  std::string body =
      Rec("1", "长治苯胺泄漏") + "\n" +
      R"({"source":"weibo","id":"2","text":"x","published_at":"2026-02-30T00:00:00Z"})" +
      "\n{broken\n" + Rec("3", "邯郸停水") + "\n" +
      "{\"source\":\"weibo\",\"id\":\"4\",\"text\":\"\xC3\x28\",\"published_at\":\"2026-11-21T08:"
      "30:00Z\"}\n" +
      Rec("1", "重复");
  int status = 0;
  json r = Post(body, "application/x-ndjson", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["accepted"], 2);
  EXPECT_EQ(r["duplicate"], 1);
  EXPECT_EQ(r["rejected"], 3);
  ASSERT_EQ(r["results"].size(), 6u);
  EXPECT_EQ(r["results"][0]["status"], "accepted");
  EXPECT_EQ(r["results"][1]["line"], 2);
  EXPECT_EQ(r["results"][1]["error"]["message"],
            "field \"published_at\": \"2026-02-30T00:00:00Z\" is not an ISO-8601 date-time with "
            "offset (no such calendar date)");
  EXPECT_EQ(r["results"][2]["status"], "rejected");
  EXPECT_EQ(r["results"][4]["error"]["message"], "invalid UTF-8 at byte 36");
  EXPECT_EQ(r["results"][5]["status"], "duplicate");
  EXPECT_EQ(store_->Stats()->posts, 2);
  // Sending the same batch again writes nothing new.
  r = Post(body);
  EXPECT_EQ(r["accepted"], 0);
  EXPECT_EQ(r["duplicate"], 3);
  EXPECT_EQ(store_->Stats()->posts, 2);
}

TEST_F(ServerTest, JsonArrayAndCsvBodies) {
  json arr = json::array({json::parse(Rec("a", "一")), json::parse(Rec("b", "二"))});
  EXPECT_EQ(Post(arr.dump(), "application/json")["accepted"], 2);
  std::string csv = "source,id,text,published_at\nweibo,c,三,2026-11-21T08:30:00+08:00\n";
  EXPECT_EQ(Post(csv, "text/csv")["accepted"], 1);
  int status = 0;
  json bad = Post("[{\"source\":", "application/json", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["code"], "invalid_body");
}

TEST_F(ServerTest, OversizedTextIsRejectedAndOversizedBatchesAre413) {
  std::string huge(1024 * 1024 + 1, 'x');
  json r = Post(Rec("big", huge) + "\n" + Rec("ok", "小"));
  EXPECT_EQ(r["accepted"], 1);
  EXPECT_EQ(r["results"][0]["error"]["message"],
            "field \"text\": is 1048577 bytes; the limit is 1048576");

  Stop();
  core::Config small;
  small.max_batch_records = 3;
  small.max_request_bytes = 4096;
  Start(small);
  std::string four;
  for (int i = 0; i < 4; ++i) four += Rec("n" + std::to_string(i), "字") + "\n";
  int status = 0;
  r = Post(four, "application/x-ndjson", &status);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(r["error"]["code"], "too_many_records");
  EXPECT_FALSE(store_->GetPost("weibo", "n0")->has_value());
  r = Post(std::string(8192, ' '), "application/x-ndjson", &status);
  EXPECT_EQ(status, 413);
  EXPECT_EQ(r["error"]["code"], "payload_too_large");
}

TEST_F(ServerTest, SearchFindsPostsAndExplainsBadQueries) {
  Post(Rec("1", "长治市潞城区化工厂苯胺泄漏") + "\n" + Rec("2", "潞城区应急演习"));
  int status = 0;
  json r = Get("/api/v1/search?q=" + Enc("潞城 -演习"), &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["total"], 1);
  ASSERT_EQ(r["hits"].size(), 1u);
  EXPECT_EQ(r["hits"][0]["id"], "1");
  EXPECT_EQ(r["hits"][0]["published_at"], "2026-11-21T08:30:00+08:00");
  r = Get("/api/v1/search?q=" + Enc("(长治 OR"), &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["code"], "invalid_query");
  EXPECT_EQ(r["error"]["details"]["column"], 7);
  r = Get("/api/v1/search?q=x&from=yesterday", &status);
  EXPECT_EQ(status, 400);
  r = Get("/api/v1/search?q=x&channel=twitter", &status);
  EXPECT_EQ(status, 400);
  r = Get("/api/v1/nothing", &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(r["error"]["code"], "no_such_endpoint");
}

}  // namespace
}  // namespace yuqing::server
