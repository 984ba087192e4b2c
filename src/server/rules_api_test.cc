// The monitoring-rule endpoints against a real server on a loopback port and a real SQLite file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "pipeline/rules.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/test_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"
#include "text/tokenizer.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

std::string Record(const std::string& id, const std::string& text, int minute = 30) {
  return json{{"source", "weibo"},
              {"id", id},
              {"text", text},
              {"published_at", fmt::format("2026-11-21T08:{:02}:00+08:00", minute)}}
      .dump();
}

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    out += std::isalnum(c) ? std::string(1, static_cast<char>(c)) : fmt::format("%{:02X}", c);
  }
  return out;
}

class RulesApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Config config;
    config.listen = "127.0.0.1:0";
    config.server_threads = 2;
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    sync_ = std::make_unique<pipeline::RuleSync>(*store_);
    ASSERT_TRUE(sync_->Reload().ok());
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    ingestor_->SetRules(&sync_->engine());
    server_ = std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_, sync_.get());
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    std::string token = *NewApiToken();
    ASSERT_NE(AddUserToken(*store_, "admin", model::Role::kAdmin, "test", token, clock_.Now()), 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_bearer_token_auth(token);
    ASSERT_TRUE(testing::PollUntil([&] { return client_->Get("/healthz") != nullptr; }));
  }

  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  json Answer(const httplib::Result& res, int* status) {
    if (!res) return json{{"transport_error", httplib::to_string(res.error())}};
    if (status) *status = res->status;
    return json::parse(res->body);
  }
  json Get(const std::string& path, int* status = nullptr) {
    return Answer(client_->Get(path), status);
  }
  json Send(const std::string& method, const std::string& path, const json& body,
            int* status = nullptr) {
    std::string b = body.dump();
    if (method == "POST") return Answer(client_->Post(path, b, "application/json"), status);
    if (method == "PUT") return Answer(client_->Put(path, b, "application/json"), status);
    return Answer(client_->Delete(path), status);
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-21T01:00:00Z")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::RuleSync> sync_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(RulesApiTest, RulesAreCreatedReadChangedAndDeleted) {
  int status = 0;
  json created = Send("POST", "/api/v1/rules",
                      {{"name", "长治化工"},
                       {"query", "(长治 OR 潞城) AND (苯胺 OR 泄漏) AND NOT 演习"},
                       {"owner", "长治市委网信办"},
                       {"tags", {"化工", "安全生产"}}},
                      &status);
  EXPECT_EQ(status, 201);
  EXPECT_EQ(created["name"], "长治化工");
  EXPECT_EQ(created["owner"], "长治市委网信办");
  EXPECT_EQ(created["tags"], json({"化工", "安全生产"}));
  EXPECT_EQ(created["enabled"], true);
  EXPECT_EQ(created["active"], true);
  EXPECT_EQ(created["created_at"], "2026-11-21T01:00:00Z");
  int64_t id = created["id"];
  std::string path = fmt::format("/api/v1/rules/{}", id);

  json list = Get("/api/v1/rules", &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(list["rules"].size(), 1u);
  EXPECT_EQ(list["rules"][0]["id"], id);
  EXPECT_EQ(Get(path)["query"], "(长治 OR 潞城) AND (苯胺 OR 泄漏) AND NOT 演习");

  json changed = Send("PUT", path, {{"enabled", false}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(changed["enabled"], false);
  EXPECT_EQ(changed["active"], false);
  EXPECT_EQ(changed["owner"], "长治市委网信办");  // fields not given stay as they were
  EXPECT_EQ(sync_->loaded_rules(), 0u);

  Send("DELETE", path, json(nullptr), &status);
  EXPECT_EQ(status, 200);
  json gone = Get(path, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(gone["error"]["code"], "not_found");
  EXPECT_EQ(gone["error"]["message"], fmt::format("no rule with id {}", id));
  Send("DELETE", path, json(nullptr), &status);
  EXPECT_EQ(status, 404);
}

TEST_F(RulesApiTest, RefusedRulesAre400InvalidRuleWithTheColumn) {
  int status = 0;
  json r = Send("POST", "/api/v1/rules", {{"name", "x"}, {"query", "长治 AND 水"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(
      r,
      json::parse(
          R"({"error": {"code": "invalid_rule", "message": "column 8: the term \"水\" is too short (1 character; at least 2): it would match almost every post", "details": {"column": 8}}})"));
  r = Send("POST", "/api/v1/rules", {{"name", "x"}, {"query", "(长治 OR"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["code"], "invalid_rule");
  EXPECT_EQ(r["error"]["details"]["column"], 7);
  r = Send("POST", "/api/v1/rules", {{"name", "x"}, {"query", "长治 @nosuch"}}, &status);
  EXPECT_EQ(r["error"]["message"], "column 4: unknown keyword list \"@nosuch\"");
  r = Send("POST", "/api/v1/rules", {{"name", "x"}, {"tags", "化工"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["code"], "invalid_body");
  EXPECT_EQ(r["error"]["message"], "field \"tags\": expected an array of strings");

  Send("POST", "/api/v1/rules", {{"name", "x"}, {"query", "长治 泄漏"}}, &status);
  EXPECT_EQ(status, 201);
  r = Send("POST", "/api/v1/rules", {{"name", "x"}, {"query", "邯郸 停水"}}, &status);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(r["error"]["message"], "a rule named \"x\" already exists");
  EXPECT_EQ(sync_->loaded_rules(), 1u);
}

TEST_F(RulesApiTest, SearchResultsCarryTheRulesEachPostMatched) {
  ASSERT_EQ(Answer(client_->Post("/api/v1/posts", Record("0", "长治苯胺泄漏"), "application/json"),
                   nullptr)["accepted"],
            1);
  json rule = Send("POST", "/api/v1/rules", {{"name", "长治化工"}, {"query", "长治 AND 苯胺"}});
  // The rule is live when its answer arrives: the next post records the hit.
  ASSERT_EQ(
      Answer(client_->Post("/api/v1/posts", Record("1", "长治市苯胺泄漏", 31), "application/json"),
             nullptr)["accepted"],
      1);
  json r = Get("/api/v1/search?q=" + UrlEncode("苯胺"));
  ASSERT_EQ(r["hits"].size(), 2u);
  EXPECT_EQ(r["hits"][0]["id"], "1");
  EXPECT_EQ(r["hits"][0]["rules"],
            json::parse(fmt::format(
                R"([{{"id": {}, "name": "长治化工", "terms": ["长治", "苯胺"],
                                        "matches": [{{"field": "text", "begin": 0, "end": 6, "term": "长治"}},
                                                    {{"field": "text", "begin": 9, "end": 15, "term": "苯胺"}}]}}])",
                rule["id"].get<int64_t>())));
  EXPECT_EQ(r["hits"][1]["id"], "0");  // stored before the rule existed
  EXPECT_EQ(r["hits"][1]["rules"], json::array());
  EXPECT_EQ(Get("/healthz")["rules"], json::parse(R"({"active": 1, "version": 1})"));
}

TEST_F(RulesApiTest, DryRunCountsMatchesAndHighlightsTerms) {
  std::string body;
  for (int i = 0; i < 6; ++i) {
    body += Record(std::to_string(i), i % 2 ? "长治化工厂泄漏" : "邯郸停水", i) + "\n";
  }
  ASSERT_EQ(
      Answer(client_->Post("/api/v1/posts", body, "application/x-ndjson"), nullptr)["accepted"], 6);
  int status = 0;
  json r = Send("POST", "/api/v1/rules/test",
                {{"query", "长治 泄漏"}, {"samples", 1}, {"from", "2026-11-21T08:02:00+08:00"}},
                &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["scanned"], 4);
  EXPECT_EQ(r["matched"], 2);
  ASSERT_EQ(r["samples"].size(), 1u);
  EXPECT_EQ(r["samples"][0]["id"], "5");
  EXPECT_EQ(r["samples"][0]["terms"], json({"长治", "泄漏"}));
  EXPECT_EQ(r["samples"][0]["highlight"]["text"], "【长治】化工厂【泄漏】");

  Send("POST", "/api/v1/rules", {{"name", "停水"}, {"query", "停水"}, {"enabled", false}});
  r = Send("POST", "/api/v1/rules/test", {{"rule", "停水"}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["query"], "停水");
  EXPECT_EQ(r["matched"], 3);
  r = Send("POST", "/api/v1/rules/test", {{"query", "NOT 演习"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["code"], "invalid_rule");
  EXPECT_EQ(r["error"]["details"]["column"], 1);
  r = Send("POST", "/api/v1/rules/test", {{"rule", 999}}, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(r["error"]["message"], "no rule 999");
}

TEST_F(RulesApiTest, BackfillRecordsARulesHitsForPostsStoredBeforeIt) {
  std::string body;
  for (int i = 0; i < 6; ++i) {
    body += Record(std::to_string(i), i % 2 ? "长治化工厂泄漏" : "邯郸停水", i) + "\n";
  }
  // Eleven days before the clock: outside the default range of 7 days.
  body += json{{"source", "weibo"},
               {"id", "old"},
               {"text", "长治去年的泄漏"},
               {"published_at", "2026-11-10T08:00:00+08:00"}}
              .dump() +
          "\n";
  ASSERT_EQ(
      Answer(client_->Post("/api/v1/posts", body, "application/x-ndjson"), nullptr)["accepted"], 7);
  json rule = Send("POST", "/api/v1/rules", {{"name", "长治泄漏"}, {"query", "长治 泄漏"}});
  const int64_t id = rule["id"].get<int64_t>();
  // Live from now on: this post records its hit when it is accepted.
  ASSERT_EQ(
      Answer(client_->Post("/api/v1/posts", Record("live", "长治又泄漏", 40), "application/json"),
             nullptr)["accepted"],
      1);
  const std::string path = fmt::format("/api/v1/rules/{}/backfill", id);

  int status = 0;
  json r = Send("POST", path, json::object(), &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(r["rule"], id);
  EXPECT_EQ(r["from"], "2026-11-14T01:00:00Z");
  EXPECT_EQ(r["scanned"], 7);   // the six and the live one
  EXPECT_EQ(r["matched"], 4);   // 1, 3, 5 and the live one
  EXPECT_EQ(r["recorded"], 3);  // the live one had its hit already

  // Search results carry the hits (newest first): the old post has none yet.
  json found = Get("/api/v1/search?q=" + UrlEncode("泄漏"));
  ASSERT_EQ(found["hits"].size(), 5u);
  for (const auto& h : found["hits"]) {
    if (h["id"] == "old") {
      EXPECT_EQ(h["rules"], json::array());
      continue;
    }
    ASSERT_EQ(h["rules"].size(), 1u) << h["id"];
    EXPECT_EQ(h["rules"][0]["id"], id);
    EXPECT_EQ(h["rules"][0]["terms"], json({"长治", "泄漏"}));
    EXPECT_EQ(h["rules"][0]["matches"][0],
              json::parse(R"({"field": "text", "begin": 0, "end": 6, "term": "长治"})"));
  }

  // The rule's posts: a search by the rule, without words.
  json of_rule = Get(fmt::format("/api/v1/search?rule={}", id));
  EXPECT_EQ(of_rule["total"], 4);
  ASSERT_EQ(of_rule["hits"].size(), 4u);
  EXPECT_EQ(of_rule["hits"][0]["id"], "live");

  // Again: nothing new. From further back: the old post too.
  EXPECT_EQ(Send("POST", path, json::object())["recorded"], 0);
  r = Send("POST", path, {{"from", "2026-11-01T00:00:00+08:00"}});
  EXPECT_EQ(r["scanned"], 8);
  EXPECT_EQ(r["recorded"], 1);
  found = Get("/api/v1/search?q=" + UrlEncode("泄漏"));
  ASSERT_EQ(found["hits"].size(), 5u);
  EXPECT_EQ(found["hits"][4]["id"], "old");
  EXPECT_EQ(found["hits"][4]["rules"].size(), 1u);

  EXPECT_EQ(Get(fmt::format("/api/v1/search?rule={}&q={}", id, UrlEncode("去年")))["total"], 1);
  // The rules list says what each rule caught lately (the clock: 21 Nov 09:00 +08:00).
  json listed = Get("/api/v1/rules");
  ASSERT_EQ(listed["rules"].size(), 1u);
  EXPECT_EQ(listed["rules"][0]["hits_24h"], 4);
  EXPECT_EQ(listed["rules"][0]["hits_7d"], 4);  // the old post is 11 days old
  r = Get("/api/v1/search?rule=x7", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["message"], "parameter \"rule\": \"x7\" is not a rule id");
  r = Get("/api/v1/search?rule=999", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["message"], "parameter \"rule\": no rule with id 999");

  r = Send("POST", path, {{"from", "last week"}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_NE(r["error"]["message"].get<std::string>().find("field \"from\""), std::string::npos);
  r = Send("POST", path, {{"to", 5}}, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(r["error"]["message"], "field \"to\": expected a string");
  r = Send("POST", "/api/v1/rules/999/backfill", json::object(), &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(r["error"]["message"], "no rule with id 999");
}

TEST_F(RulesApiTest, KeywordListChangesReachTheLiveRules) {
  int status = 0;
  json list = Send("PUT", "/api/v1/lists/places", {{"words", {"长治", "潞城", "长治"}}}, &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(list["words"], json({"长治", "潞城"}));
  EXPECT_EQ(list["refused_rules"], json::array());
  json rule = Send("POST", "/api/v1/rules", {{"name", "p"}, {"query", "@places AND 泄漏"}});
  EXPECT_EQ(rule["active"], true);

  list = Send("PUT", "/api/v1/lists/places", {{"words", {"水"}}}, &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(list["refused_rules"].size(), 1u);
  EXPECT_EQ(list["refused_rules"][0]["message"],
            "column 1: keyword list \"@places\": the term \"水\" is too short (1 character; at "
            "least 2): it would match almost every post");
  EXPECT_EQ(Get("/api/v1/rules")["rules"][0]["active"], false);
  EXPECT_EQ(Get("/api/v1/lists/places")["words"], json({"水"}));
  EXPECT_EQ(Get("/api/v1/lists")["lists"].size(), 1u);
  json missing = Get("/api/v1/lists/nosuch", &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(missing["error"]["message"], "no keyword list \"@nosuch\"");
  Send("PUT", "/api/v1/lists/places", {{"word", {"长治"}}}, &status);
  EXPECT_EQ(status, 400);
}

}  // namespace
}  // namespace yuqing::server
