// The event stage in the real server: posts accepted over HTTP become events readable through
// the events API, and posts acknowledged just before a kill -9 are still analysed and placed
// in events after the restart (they wait in the store's queue).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Post(const std::string& id, const std::string& when, const std::string& text) {
  return json{{"source", "weibo"}, {"id", id}, {"published_at", when}, {"text", text}}.dump() +
         "\n";
}

// Two reports of one incident in 长治市潞城区: 3, then 5 dead (grade III).
std::string TwoBlastReports() {
  return Post("1", "2026-11-21T08:00:00+08:00",
              "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，消防正在救援，已造成3人死亡。") +
         Post("2", "2026-11-21T08:05:00+08:00",
              "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤送医。");
}

// Polls GET `path` until `ok(body)` or 20 s; returns the last body.
json PollJson(httplib::Client& c, const std::string& path,
              const std::function<bool(const json&)>& ok) {
  json body;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < deadline) {
    auto res = c.Get(path);
    if (res && res->status == 200) {
      body = json::parse(res->body, nullptr, false);
      if (ok(body)) return body;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return body;
}

TEST(EventsTest, PostsBecomeEventsAndSurviveAKillBeforeTheyAreProcessed) {
  TempDir dir;
  std::string db = dir.File("y.db");
  std::string token = CreateApiToken(db, "collector");
  ASSERT_FALSE(token.empty());
  int port = 0;
  auto server = StartServer(db, &port);
  ASSERT_NE(port, 0);
  {
    httplib::Client c("127.0.0.1", port);
    c.set_bearer_token_auth(token);
    auto res = c.Post("/api/v1/posts", TwoBlastReports(), "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    json list = PollJson(c, "/api/v1/events?sort=heat", [](const json& j) {
      return j.contains("events") && !j["events"].empty() && j["events"][0]["posts"] == 2;
    });
    ASSERT_EQ(list["total"], 1) << list.dump();
    const json& e = list["events"][0];
    EXPECT_LE(e["grade"].get<int>(), 3);
    EXPECT_EQ(e["regions"][0].get<std::string>().substr(0, 4), "1404");
    auto detail = c.Get("/api/v1/events/" + std::to_string(e["id"].get<int64_t>()));
    ASSERT_TRUE(detail);
    json d = json::parse(detail->body);
    EXPECT_EQ(d["posts"], 2) << "the count, as in the list";
    EXPECT_EQ(d["newest_posts"].size(), 2u);
    EXPECT_EQ(d["newest_posts"][0]["analysis"]["casualties"]["deaths"], 5);
    EXPECT_EQ(d["detail"]["casualties"]["deaths"], 5);
    EXPECT_FALSE(d["log"].empty());

    // The list's sparkline: posts per hour up to the event's last post, from its series.
    auto spark = c.Get("/api/v1/events?sort=heat&sparkline=24");
    ASSERT_TRUE(spark);
    json sj = json::parse(spark->body);
    ASSERT_EQ(sj["events"][0]["sparkline"].size(), 24u) << spark->body;
    EXPECT_EQ(sj["events"][0]["sparkline"][23], 2) << "both reports came within the last hour";
    EXPECT_EQ(sj["events"][0]["sparkline"][0], 0);
    EXPECT_FALSE(list["events"][0].contains("sparkline")) << "only when asked for";
    EXPECT_EQ(c.Get("/api/v1/events?sparkline=0")->status, 400);
    EXPECT_EQ(c.Get("/api/v1/events?sparkline=169")->status, 400);

    // Wrong queries get a clear error.
    auto bad = c.Get("/api/v1/events?grade=V");
    ASSERT_TRUE(bad);
    EXPECT_EQ(bad->status, 400);
    EXPECT_NE(bad->body.find("parameter \\\"grade\\\""), std::string::npos) << bad->body;
    auto missing = c.Get("/api/v1/events/999");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->status, 404);

    // Acknowledged, then the server dies at once: the post may not have been processed yet.
    res = c.Post("/api/v1/posts",
                 Post("3", "2026-11-21T08:09:00+08:00",
                      "潞城化工厂爆炸，附近居民称听到巨响，窗户玻璃被震碎，化工厂周边道路已封闭。"),
                 "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200);
  }
  server->Signal(SIGKILL);
  server->Wait();

  auto again = StartServer(db, &port);
  ASSERT_NE(port, 0) << again->Stderr();
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  json list = PollJson(c, "/api/v1/events", [](const json& j) {
    return j.contains("events") && !j["events"].empty() && j["events"][0]["posts"] == 3;
  });
  ASSERT_EQ(list["total"], 1) << list.dump();
  EXPECT_EQ(list["events"][0]["posts"], 3);
  auto posts =
      c.Get("/api/v1/events/" + std::to_string(list["events"][0]["id"].get<int64_t>()) + "/posts");
  ASSERT_TRUE(posts);
  EXPECT_EQ(json::parse(posts->body)["posts"].size(), 3u);
  again->Signal(SIGTERM);
  EXPECT_EQ(again->Wait(), 0) << again->Stderr();
}

TEST(EventsTest, IngestLeavesTheQueueToARunningServerAndProcessesItOtherwise) {
  TempDir dir;
  std::string y = (BinaryDir() / "yuqing").string();
  std::string db = dir.File("y.db");
  WriteFile(dir.File("p.ndjson"), Post("1", "2026-11-21T08:00:00+08:00",
                                       "长治市潞城区一化工厂发生爆炸，已造成3人死亡。"));
  RunResult r = RunCommand({y, "ingest", dir.File("p.ndjson"), "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("events: 1 posts analysed and assigned to events"), std::string::npos)
      << r.err;
  r = RunCommand({y, "events", "list", "--db", db, "--json"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"posts\":1"), std::string::npos) << r.out;
  // The table names the trend in the language of the command line: Chinese by default.
  const std::string trend = json::parse(r.out.substr(0, r.out.find('\n')))["trend"];
  const std::map<std::string, std::string> zh = {
      {"rising", "上升"}, {"peaking", "高位"}, {"declining", "回落"}, {"dormant", "沉寂"}};
  ASSERT_TRUE(zh.count(trend)) << r.out;
  r = RunCommand({y, "events", "list", "--db", db});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  " + zh.at(trend) + "     "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find(trend), std::string::npos) << r.out;
  r = RunCommand({y, "events", "list", "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("  " + trend + std::string(9 - trend.size(), ' ')), std::string::npos)
      << r.out;

  std::string token = CreateApiToken(db, "reader");
  int port = 0;
  auto server = StartServer(db, &port);
  ASSERT_NE(port, 0);
  WriteFile(dir.File("q.ndjson"),
            Post("2", "2026-11-21T08:05:00+08:00", "潞城区化工厂爆炸事故：死亡人数上升至5人。"));
  r = RunCommand({y, "ingest", dir.File("q.ndjson"), "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("another yuqing process is processing events"), std::string::npos) << r.err;
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  json list = PollJson(c, "/api/v1/events", [](const json& j) {
    return j.contains("events") && !j["events"].empty() && j["events"][0]["posts"] == 2;
  });
  ASSERT_TRUE(list.contains("events")) << list.dump();
  EXPECT_EQ(list["events"][0]["posts"], 2) << list.dump();
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0);
}

// The downstream water cut of tests below: a facet of the blast the text does not tie to it.
std::string WaterCut(const std::string& id, const std::string& when) {
  return Post(
      id, when,
      "邯郸多个小区停水，超市瓶装水被抢购一空，市民排队接送水车的水。网传是上游山西化工厂出事。");
}

TEST(EventsTest, AnAnalystMergesTwoEventsOverHttpAndTheCommandLineDoesItWithoutAServer) {
  TempDir dir;
  std::string y = (BinaryDir() / "yuqing").string();
  std::string db = dir.File("y.db");
  WriteFile(dir.File("p.ndjson"),
            TwoBlastReports() + WaterCut("3", "2026-11-21T16:30:00+08:00") +
                Post("4", "2026-11-23T09:00:00+08:00",
                     "太原今天举办马拉松比赛，两万名跑者参加，沿途市民加油。"));
  RunResult r = RunCommand({y, "ingest", dir.File("p.ndjson"), "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  auto event_of = [&](const std::string& id) -> int64_t {
    RunResult e = RunCommand({y, "events", "list", "--db", db, "--json", "--limit", "100"});
    for (size_t at = 0, end; (end = e.out.find('\n', at)) != std::string::npos; at = end + 1) {
      json ev = json::parse(e.out.substr(at, end - at));
      RunResult show = RunCommand({y, "events", "show", std::to_string(ev["id"].get<int64_t>()),
                                   "--db", db, "--posts", "100", "--json"});
      const json shown = json::parse(show.out);
      for (const auto& p : shown["recent_posts"]) {
        if (p["id"] == id) return ev["id"].get<int64_t>();
      }
    }
    return 0;
  };
  const int64_t blast = event_of("1"), cut = event_of("3"), race = event_of("4");
  ASSERT_NE(blast, 0) << RunCommand({y, "events", "list", "--db", db, "--json"}).out;
  ASSERT_NE(cut, blast) << "the water cut shares little with the blast, hours later";
  ASSERT_NE(race, blast);
  ASSERT_NE(race, cut) << "two days later";

  // An analyst and a monitor; only the analyst may merge.
  for (const auto& [name, role] : {std::pair{"ana", "analyst"}, std::pair{"mon", "monitor"}}) {
    ASSERT_EQ(RunCommand({y, "users", "add", name, "--role", role, "--password-stdin", "--db", db},
                         "integration-test-password\n")
                  .code,
              0);
  }
  auto token_of = [&](const char* user) {
    RunResult t =
        RunCommand({y, "tokens", "create", std::string("t-") + user, "--user", user, "--db", db});
    return t.out.substr(0, t.out.find('\n'));
  };
  const std::string analyst = token_of("ana"), monitor = token_of("mon");
  int port = 0;
  auto server = StartServer(db, &port);
  ASSERT_NE(port, 0);
  {
    httplib::Client c("127.0.0.1", port);
    const std::string path = "/api/v1/events/" + std::to_string(cut) + "/merge";
    const std::string body = json{{"into", blast}, {"reason", "下游停水是这起泄漏的后果"}}.dump();
    c.set_bearer_token_auth(monitor);
    auto res = c.Post(path, body, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 403) << res->body;

    c.set_bearer_token_auth(analyst);
    // The merge dialog's suggestions: the water cut, for the word it shares.
    auto related = c.Get("/api/v1/events/" + std::to_string(blast) + "/related");
    ASSERT_EQ(related->status, 200) << related->body;
    json rel = json::parse(related->body)["related"];
    ASSERT_FALSE(rel.empty()) << related->body;
    EXPECT_EQ(rel[0]["id"], cut) << related->body;
    EXPECT_NE(rel[0]["shared_keywords"].dump().find("化工厂"), std::string::npos) << related->body;
    for (const auto& x : rel) EXPECT_NE(x["id"], race) << "the marathon shares nothing";
    EXPECT_EQ(c.Get("/api/v1/events/" + std::to_string(blast) + "/related?limit=0")->status, 400);

    res = c.Post(path, json{{"into", blast}}.dump(), "application/json");
    EXPECT_EQ(res->status, 400) << "a merge needs its reason";
    EXPECT_NE(res->body.find("reason"), std::string::npos) << res->body;
    res = c.Post(path, json{{"into", cut}, {"reason", "x"}}.dump(), "application/json");
    EXPECT_EQ(res->status, 400) << res->body;
    res = c.Post(path, json{{"into", 999}, {"reason", "x"}}.dump(), "application/json");
    EXPECT_EQ(res->status, 404) << res->body;

    res = c.Post(path, body, "application/json");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    json out = json::parse(res->body);
    EXPECT_EQ(out["request"]["state"], "done");
    EXPECT_EQ(out["request"]["requested_by"], "ana");
    EXPECT_EQ(out["event"]["id"], blast);
    EXPECT_EQ(out["event"]["posts"], 3);
    auto merged = json::parse(c.Get("/api/v1/events/" + std::to_string(cut))->body);
    EXPECT_EQ(merged["merged_into"], blast);
    auto listed = json::parse(c.Get("/api/v1/events?limit=100")->body);
    for (const auto& e : listed["events"]) EXPECT_NE(e["id"], cut) << "merged away";
    auto request =
        c.Get("/api/v1/event-merges/" + std::to_string(out["request"]["id"].get<int64_t>()));
    EXPECT_EQ(json::parse(request->body)["state"], "done");
    // Once merged, the event cannot be merged again: the answer names the survivor.
    res = c.Post(path, body, "application/json");
    EXPECT_EQ(res->status, 409) << res->body;
    EXPECT_NE(res->body.find(std::to_string(blast)), std::string::npos) << res->body;
    // The audit log has the person, the two events and the reason.
    RunResult audit = RunCommand({y, "audit", "log", "--db", db, "--json"});
    EXPECT_NE(audit.out.find("event.merge"), std::string::npos) << audit.out << audit.err;
    EXPECT_NE(audit.out.find("下游停水是这起泄漏的后果"), std::string::npos);

    // With the server running, the command line only records the request.
    r = RunCommand({y, "events", "merge", std::to_string(race), "--into", std::to_string(blast),
                    "--reason", "测试", "--db", db});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("recorded"), std::string::npos) << r.out;
    json after = PollJson(c, "/api/v1/events/" + std::to_string(blast),
                          [](const json& j) { return j.value("posts", 0) == 4; });
    EXPECT_EQ(after["posts"], 4) << "the server's stage applied it";
  }
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->Stderr();

  // Without a server the command line applies it at once; a new post of the water cut joins
  // the merged event after the restart.
  WriteFile(dir.File("q.ndjson"), WaterCut("5", "2026-11-21T18:00:00+08:00"));
  r = RunCommand({y, "ingest", dir.File("q.ndjson"), "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(event_of("5"), blast);
  r = RunCommand({y, "events", "merge", std::to_string(race), "--into", std::to_string(blast),
                  "--reason", "再来一次", "--db", db});
  EXPECT_NE(r.code, 0) << "merged already";
  EXPECT_NE(r.err.find("merged into event " + std::to_string(blast)), std::string::npos) << r.err;
  WriteFile(dir.File("s.ndjson"), Post("6", "2026-11-26T09:00:00+08:00",
                                       "长治今年冬季供暖11月15日正式开始，热力公司公布报修电话。"));
  ASSERT_EQ(RunCommand({y, "ingest", dir.File("s.ndjson"), "--db", db}).code, 0);
  const int64_t heating = event_of("6");
  ASSERT_NE(heating, blast);
  r = RunCommand({y, "events", "merge", std::to_string(heating), "--into", std::to_string(blast),
                  "--reason", "测试：命令行直接合并", "--db", db});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("merged event " + std::to_string(heating)), std::string::npos) << r.out;
  EXPECT_EQ(event_of("6"), blast);
}

// A webhook receiver that records each request's Idempotency-Key and body.
class RecordingReceiver {
 public:
  RecordingReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      keys_.push_back(req.get_header_value("Idempotency-Key"));
      bodies_.push_back(json::parse(req.body, nullptr, false));
      res.set_content("{}", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~RecordingReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<json> bodies() {
    std::lock_guard<std::mutex> lock(mu_);
    return bodies_;
  }
  std::vector<std::string> keys() {
    std::lock_guard<std::mutex> lock(mu_);
    return keys_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::string> keys_;
  std::vector<json> bodies_;
};

TEST(EventsTest, APolicyMatchingAnEventWarnsItsWebhookOncePerLevel) {
  TempDir dir;
  std::string db = dir.File("y.db");
  std::string token = CreateApiToken(db, "office");
  RecordingReceiver receiver;
  int port = 0;
  auto server = StartServer(db, &port);
  ASSERT_NE(port, 0);
  httplib::Client c("127.0.0.1", port);
  c.set_bearer_token_auth(token);
  json policy = {{"name", "长治应急"},
                 {"regions", {"1404"}},
                 {"min_grade", "III"},
                 {"targets",
                  {{{"kind", "webhook"},
                    {"address", fmt::format("http://127.0.0.1:{}/hook", receiver.port())}}}}};
  auto created = c.Post("/api/v1/alert-policies", policy.dump(), "application/json");
  ASSERT_TRUE(created);
  ASSERT_EQ(created->status, 201) << created->body;

  auto res = c.Post("/api/v1/posts", TwoBlastReports(), "application/x-ndjson");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (receiver.bodies().empty() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(receiver.bodies().size(), 1u);
  json got = receiver.bodies()[0];
  EXPECT_FALSE(receiver.keys()[0].empty());
  EXPECT_NE(got.dump().find(receiver.keys()[0]), std::string::npos) << got.dump();
  EXPECT_NE(got.dump().find("潞城"), std::string::npos) << got.dump();

  // The alert is listed and can be acknowledged; the same level is not raised again.
  res = c.Post("/api/v1/posts",
               Post("3", "2026-11-21T08:09:00+08:00",
                    "潞城化工厂爆炸，附近居民称听到巨响，化工厂周边道路已封闭，死亡5人。"),
               "application/x-ndjson");
  ASSERT_TRUE(res);
  json events = PollJson(c, "/api/v1/events", [](const json& j) {
    return j.contains("events") && !j["events"].empty() && j["events"][0]["posts"] == 3;
  });
  ASSERT_EQ(events["events"][0]["posts"], 3) << events.dump();
  auto alerts = c.Get("/api/v1/alerts");
  ASSERT_TRUE(alerts);
  json list = json::parse(alerts->body);
  ASSERT_EQ(list["alerts"].size(), 1u) << list.dump();
  int64_t id = list["alerts"][0]["id"];
  auto ack = c.Post(fmt::format("/api/v1/alerts/{}/ack", id), "{}", "application/json");
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->status, 200) << ack->body;
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  EXPECT_EQ(receiver.bodies().size(), 1u);
  server->Signal(SIGTERM);
  EXPECT_EQ(server->Wait(), 0) << server->Stderr();
}

}  // namespace
}  // namespace yuqing::testing
