// End-to-end tests of the real `yuqing` binary: a server on a loopback port with a real
// SQLite file, killed with SIGKILL or stopped with SIGTERM, and the CLI commands.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

size_t OpenFds(pid_t pid) {
  std::error_code ec;
  size_t n = 0;
  for (auto it = std::filesystem::directory_iterator(fmt::format("/proc/{}/fd", pid), ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

std::string Yuqing() { return YuqingBinary(); }

std::string Record(int n, const std::string& text) {
  return json{{"source", "kill"},
              {"id", std::to_string(n)},
              {"text", text},
              {"channel", "weibo"},
              {"published_at", fmt::format("2026-11-21T{:02}:{:02}:{:02}+08:00", (n / 3600) % 24,
                                           (n / 60) % 60, n % 60)}}
      .dump();
}

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "it");
    ASSERT_FALSE(token_.empty());
  }

  // Starts `yuqing serve` on a free port and waits until it answers.
  std::unique_ptr<Subprocess> Serve() {
    auto p = StartServer(db_, &port_);
    EXPECT_NE(port_, 0) << p->Stderr();
    return p;
  }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_bearer_token_auth(token_);
    c->set_read_timeout(60, 0);
    return c;
  }

  TempDir dir_;
  std::string db_;
  std::string token_;
  int port_ = 0;
};

TEST_F(ServeTest, NoAcknowledgedPostIsLostToKillNine) {
  auto server = Serve();
  // Two clients post batches concurrently; every id in an answered batch's "accepted" list
  // is recorded. The server is killed with SIGKILL while batches are still in flight.
  std::mutex mu;
  std::set<std::string> acked;
  std::atomic<bool> stop{false};
  std::atomic<int> answered{0};
  auto worker = [&](int base) {
    auto client = Client();
    for (int b = 0; !stop; ++b) {
      std::string body;
      for (int i = 0; i < 50; ++i)
        body += Record(base + b * 50 + i, "长治市潞城区化工厂苯胺泄漏，网传水源受污染") + "\n";
      auto res = client->Post("/api/v1/posts", body, "application/x-ndjson");
      if (!res || res->status != 200) break;  // the server is gone
      json r = json::parse(res->body);
      std::lock_guard<std::mutex> lock(mu);
      for (const auto& x : r["results"]) {
        if (x["status"] == "accepted") acked.insert(x["id"].get<std::string>());
      }
      ++answered;
    }
  };
  std::thread a(worker, 0), b(worker, 10000000);
  ASSERT_TRUE(PollUntil([&] { return answered >= 20; }));
  server->Signal(SIGKILL);
  EXPECT_EQ(server->Wait(), 128 + SIGKILL);
  stop = true;
  a.join();
  b.join();

  auto store = store::sqlite::OpenSqliteStore(db_);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  ASSERT_GE(acked.size(), 1000u);
  size_t missing = 0;
  for (const auto& id : acked) {
    auto p = (*store)->GetPost("kill", id);
    ASSERT_TRUE(p.ok());
    if (!p->has_value()) ++missing;
  }
  EXPECT_EQ(missing, 0u) << "of " << acked.size() << " acknowledged posts";
  // The index agrees with the table: every stored post is found by search.
  store::SearchRequest all;
  all.sources = {"kill"};
  auto page = (*store)->Search(all);
  ASSERT_TRUE(page.ok());
  EXPECT_GE(page->total, static_cast<int64_t>(std::min<size_t>(acked.size(), 10000)));
}

TEST_F(ServeTest, SigtermFinishesRequestsInFlightThenExits) {
  auto server = Serve();
  auto client = Client();
  std::string body;
  for (int i = 0; i < 5000; ++i) body += Record(i, "邯郸停水，网传水污染，官方辟谣") + "\n";
  size_t fds_before = OpenFds(server->pid());
  std::atomic<int> status{0};
  std::atomic<bool> stopping{false};
  std::string answer;
  // The body is sent in two halves; SIGTERM arrives between them, so the request is
  // certainly in flight (its body half read) when the server is asked to stop.
  std::thread poster([&] {
    size_t half = body.size() / 2;
    auto res = client->Post(
        "/api/v1/posts", body.size(),
        [&](size_t offset, size_t length, httplib::DataSink& sink) {
          if (offset == 0) {
            sink.write(body.data(), half);
            return true;
          }
          while (!stopping) std::this_thread::yield();
          sink.write(body.data() + offset, length);
          return true;
        },
        "application/x-ndjson");
    if (res) {
      status = res->status;
      answer = res->body;
    } else {
      status = -1;
    }
  });
  // Wait until the server has accepted the connection (a new descriptor appears in the
  // process) and the first half is on its way, then stop the server.
  ASSERT_TRUE(PollUntil([&] { return OpenFds(server->pid()) > fds_before; }));
  server->Signal(SIGTERM);
  ASSERT_TRUE(PollUntil([&] { return server->Stderr().find("stopping") != std::string::npos; }));
  stopping = true;
  poster.join();
  EXPECT_EQ(server->Wait(), 0) << server->Stderr();
  EXPECT_NE(server->Stderr().find("stopping"), std::string::npos);
  auto store = store::sqlite::OpenSqliteStore(db_);
  ASSERT_TRUE(store.ok());
  int64_t stored = (*store)->Stats()->posts;
  ASSERT_EQ(status, 200);
  EXPECT_EQ(json::parse(answer)["accepted"], 5000);
  EXPECT_EQ(stored, 5000);
}

TEST_F(ServeTest, CliIngestReportsRejectionsAndSearchFindsTheRest) {
  std::string file = dir_.File("posts.ndjson");
  std::string content = Record(1, "长治市潞城区化工厂苯胺泄漏") + "\n" +
                        R"({"source":"kill","id":"2","text":"x","published_at":"soon"})" + "\n" +
                        Record(3, "邯郸停水") + "\n";
  WriteFile(file, content);
  RunResult r = RunCommand({Yuqing(), "ingest", file, "--db", db_, "--lang", "en", "--rejects",
                            dir_.File("rejects.ndjson")});
  EXPECT_EQ(r.code, 3) << r.err;
  EXPECT_NE(r.err.find("posts.ndjson:line 2: field \"published_at\": \"soon\" is not an ISO-8601"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("accepted 2, duplicate 0, rejected 1"), std::string::npos) << r.err;
  json rej = json::parse(ReadFile(dir_.File("rejects.ndjson")));
  EXPECT_EQ(rej["line"], 2);

  // Again from stdin: all duplicates, nothing rejected → exit 0... except the bad line.
  r = RunCommand({Yuqing(), "ingest", "-", "--db", db_, "--lang", "en", "--quiet"}, content);
  EXPECT_EQ(r.code, 3);

  r = RunCommand({Yuqing(), "search", "苯胺", "--db", db_, "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["id"], "1");
  r = RunCommand({Yuqing(), "search", "(苯胺 OR", "--db", db_, "--lang", "en"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("error: column 7: expected a word, phrase or '(' after OR"),
            std::string::npos)
      << r.err;
}

TEST_F(ServeTest, BadConfigurationIsExplained) {
  RunResult r =
      RunCommand({Yuqing(), "serve", "--db", db_, "--set", "store.sync=sometimes", "--lang", "en"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("option store.sync: \"sometimes\" is not one of full, normal"),
            std::string::npos)
      << r.err;
  r = RunCommand({Yuqing(), "serve", "--db", dir_.File("missing-dir/x/y.db"), "--lang", "en"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("cannot open database"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace yuqing::testing
