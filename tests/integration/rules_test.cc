// End-to-end: monitoring rules managed with the real `yuqing rules` / `yuqing lists` commands
// while `yuqing serve` runs on the same SQLite file, and the CLI's own output.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Yuqing() { return YuqingBinary(); }

std::string Record(int n, const std::string& text) {
  return json{{"source", "it"},
              {"id", std::to_string(n)},
              {"text", text},
              {"published_at", fmt::format("2026-11-21T08:{:02}:00+08:00", n % 60)}}
      .dump();
}

class RulesCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "it");
    ASSERT_FALSE(token_.empty());
  }

  RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), Yuqing());
    args.insert(args.end(), {"--db", db_, "--lang", "en"});
    return RunCommand(args);
  }

  std::unique_ptr<Subprocess> Serve() {
    int port = 0;
    auto p = StartServer(db_, &port);
    EXPECT_NE(port, 0) << p->Stderr();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port);
    client_->set_bearer_token_auth(token_);
    return p;
  }

  json Get(const std::string& path) {
    auto res = client_->Get(path);
    return res ? json::parse(res->body) : json{{"transport_error", true}};
  }

  int Accepted(int n, const std::string& text) {
    auto res = client_->Post("/api/v1/posts", Record(n, text), "application/json");
    return res && res->status == 200 ? json::parse(res->body)["accepted"].get<int>() : -1;
  }

  // The rules recorded for post `n`, from a search for its text.
  json RulesOf(int n) {
    json r = Get("/api/v1/search?source=it&limit=100");
    for (const auto& h : r["hits"]) {
      if (h["id"] == std::to_string(n)) return h["rules"];
    }
    return json{{"missing", n}};
  }

  TempDir dir_;
  std::string db_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(RulesCliTest, RuleAddedWithTheCliWhileServingAppliesToLaterPostsWithoutRestart) {
  auto server = Serve();
  ASSERT_EQ(Accepted(1, "长治市化工厂苯胺泄漏"), 1);
  EXPECT_EQ(RulesOf(1), json::array());

  RunResult add = Cli({"rules", "add", "长治化工", "长治 AND 苯胺", "--owner", "网信办"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(add.out, "rule #1 \"长治化工\" added (enabled)\n");
  // The server notices the new rules version by itself; wait until it has loaded it.
  ASSERT_TRUE(PollUntil([&] { return Get("/healthz")["rules"]["version"] == 1; }))
      << Get("/healthz").dump();
  EXPECT_EQ(Get("/healthz")["rules"]["active"], 1);

  ASSERT_EQ(Accepted(2, "网传长治苯胺泄漏"), 1);
  EXPECT_EQ(RulesOf(2), json::parse(R"([{"id": 1, "name": "长治化工", "terms": ["长治", "苯胺"],
      "matches": [{"field": "text", "begin": 6, "end": 12, "term": "长治"},
                  {"field": "text", "begin": 12, "end": 18, "term": "苯胺"}]}])"));
  EXPECT_EQ(RulesOf(1), json::array());  // stored before the rule: not re-matched

  RunResult off = Cli({"rules", "disable", "长治化工"});
  ASSERT_EQ(off.code, 0) << off.err;
  EXPECT_EQ(off.out, "rule #1 \"长治化工\" disabled\n");
  ASSERT_TRUE(PollUntil([&] { return Get("/healthz")["rules"]["active"] == 0; }));
  ASSERT_EQ(Accepted(3, "长治苯胺"), 1);
  EXPECT_EQ(RulesOf(3), json::array());

  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->Stderr();
}

TEST_F(RulesCliTest, CliManagesRulesAndListsAndPointsAtTheFaultyColumn) {
  std::string file = dir_.File("posts.ndjson");
  WriteFile(file, Record(1, "长治市潞城区化工厂苯胺泄漏") + "\n" + Record(2, "邯郸停水") + "\n" +
                      Record(3, "潞城苯胺") + "\n");
  ASSERT_EQ(Cli({"ingest", file, "--quiet"}).code, 0);

  RunResult bad = Cli({"rules", "add", "x", "长治 AND 水"});
  EXPECT_EQ(bad.code, 1);
  EXPECT_EQ(bad.err,
            "  长治 AND 水\n"
            "           ^\n"
            "error: column 8: the term \"水\" is too short (1 character; at least 2): it would "
            "match almost every post\n");

  RunResult set = Cli({"lists", "set", "places", "长治", "潞城"});
  EXPECT_EQ(set.out, "keyword list @places saved (2 words)\n");
  RunResult add = Cli({"rules", "add", "化工", "@places AND 苯胺", "--tag", "化工", "--disabled"});
  ASSERT_EQ(add.code, 0) << add.err;
  EXPECT_EQ(add.out, "rule #1 \"化工\" added (disabled)\n");

  RunResult test = Cli({"rules", "test", "化工", "--samples", "1"});
  ASSERT_EQ(test.code, 0) << test.err;
  EXPECT_EQ(test.out,
            "3 posts scanned, 2 match\n"
            "newest 1:\n"
            "2026-11-21T08:03  it/3\n"
            "  【潞城】【苯胺】\n");

  RunResult list = Cli({"rules", "list"});
  EXPECT_EQ(list.out,
            "id\tname\tstate\towner\ttags\tquery\n"
            "1\t化工\tdisabled\t-\t化工\t@places AND 苯胺\n");
  EXPECT_EQ(Cli({"rules", "enable", "1"}).out, "rule #1 \"化工\" enabled\n");

  RunResult broke = Cli({"lists", "set", "places", "水"});
  EXPECT_EQ(broke.out,
            "keyword list @places saved (1 words)\n"
            "note: rule #1 \"化工\" cannot be loaded now: column 1: keyword list \"@places\": the "
            "term \"水\" is too short (1 character; at least 2): it would match almost every "
            "post\n");
  RunResult parse = Cli({"rules", "test", "(苯胺 OR"});
  EXPECT_EQ(parse.code, 1);
  EXPECT_EQ(parse.err,
            "  (苯胺 OR\n"
            "          ^\n"
            "error: column 7: expected a word, phrase or '(' after OR, found end of query\n");
  EXPECT_EQ(Cli({"rules", "remove", "化工"}).out, "rule #1 \"化工\" removed\n");
  RunResult gone = Cli({"rules", "show", "化工"});
  EXPECT_EQ(gone.code, 1);
  EXPECT_EQ(gone.err, "error: no rule with id or name \"化工\"\n");
}

}  // namespace
}  // namespace yuqing::testing
