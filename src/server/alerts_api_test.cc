// The early-warning endpoints against a real server on a loopback port and a real SQLite file.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "alerts/notifier.h"
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

class AlertsApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Config config;
    config.listen = "127.0.0.1:0";
    config.server_threads = 8;
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    server_ =
        std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_, nullptr, &notifier_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    token_ = *NewApiToken();
    ASSERT_NE(AddUserToken(*store_, "值班员", model::Role::kAdmin, "值班员", token_, clock_.Now()),
              0);
    client_ = Client();
    ASSERT_TRUE(testing::PollUntil([&] { return client_->Get("/healthz") != nullptr; }));
  }

  void TearDown() override { StopServer(); }

  void StopServer() {
    if (!thread_.joinable()) return;
    server_->Stop();
    thread_.join();
  }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_bearer_token_auth(token_);
    c->set_read_timeout(20, 0);
    return c;
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
    std::string b = body.is_null() ? "" : body.dump();
    if (method == "POST") return Answer(client_->Post(path, b, "application/json"), status);
    if (method == "PUT") return Answer(client_->Put(path, b, "application/json"), status);
    return Answer(client_->Delete(path), status);
  }

  // Commits alerts for the given events, as the event stage does; returns their ids.
  std::vector<int64_t> Raise(std::vector<int64_t> events, int level = 2) {
    store::EventBatch batch;
    for (int64_t e : events) {
      model::NewAlert a;
      a.event_id = e;
      a.policy_id = 1;
      a.level = level;
      a.created_at = clock_.Now();
      a.title = fmt::format("事件 {}", e);
      a.payload_json = fmt::format(R"({{"event":{{"id":{},"heat":60}}}})", e);
      a.targets = {{model::TargetKind::kWeCom, "https://qyapi.weixin.qq.com/x?key=secret-key", ""}};
      batch.alerts.push_back(std::move(a));
    }
    auto r = store_->CommitEvents(batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    if (r.ok() && !r->alert_ids.empty()) notifier_.Notify(r->alert_ids.back());
    return r.ok() ? r->alert_ids : std::vector<int64_t>{};
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-21T01:00:00Z")};
  alerts::AlertNotifier notifier_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::string token_;
  std::unique_ptr<httplib::Client> client_;
};

const json kPolicy = json::parse(R"({
  "name": "长治应急", "regions": ["1404"], "domains": ["emergency"], "min_grade": "III",
  "targets": [{"kind": "wecom", "address": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k"},
              {"kind": "dingtalk", "address": "https://oapi.dingtalk.com/robot/send?access_token=t",
               "secret": "SECabc"}]})");

TEST_F(AlertsApiTest, PoliciesAreCreatedReadChangedAndDeleted) {
  int status = 0;
  json created = Send("POST", "/api/v1/alert-policies", kPolicy, &status);
  EXPECT_EQ(status, 201) << created;
  EXPECT_EQ(created["min_grade"], 3);
  EXPECT_EQ(created["targets"][1]["secret"], "set");
  EXPECT_EQ(created["created_at"], "2026-11-21T01:00:00Z");
  int64_t id = created["id"];
  std::string path = fmt::format("/api/v1/alert-policies/{}", id);

  json list = Get("/api/v1/alert-policies", &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(list["policies"].size(), 1u);
  EXPECT_EQ(list["policies"][0]["name"], "长治应急");

  // What GET shows can be sent back changed: the secret shown as "set" is kept.
  json shown = Get(path);
  shown["enabled"] = false;
  json changed = Send("PUT", path, shown, &status);
  EXPECT_EQ(status, 200) << changed;
  EXPECT_EQ(changed["enabled"], false);
  EXPECT_EQ((*store_->GetAlertPolicy(id))->targets[1].secret, "SECabc");

  json dup = Send("POST", "/api/v1/alert-policies", kPolicy, &status);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(dup["error"]["code"], "already_exists");
  EXPECT_EQ(dup["error"]["message"], "an alert policy named \"长治应急\" already exists");

  Send("DELETE", path, json(nullptr), &status);
  EXPECT_EQ(status, 200);
  json gone = Get(path, &status);
  EXPECT_EQ(status, 404);
  EXPECT_EQ(gone["error"]["message"], fmt::format("no alert policy with id {}", id));
}

TEST_F(AlertsApiTest, BadPoliciesAreRefusedWithTheField) {
  int status = 0;
  json bad = kPolicy;
  bad["name"] = "x";
  bad["targets"][1]["address"] = "ftp://x";
  json answer = Send("POST", "/api/v1/alert-policies", bad, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(answer["error"]["code"], "invalid_body");
  EXPECT_EQ(answer["error"]["message"],
            "field \"targets[1].address\": \"ftp://x\" is not an http(s) URL");
  json unknown_rule = {{"name", "y"}, {"rule_ids", {42}}};
  answer = Send("POST", "/api/v1/alert-policies", unknown_rule, &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(answer["error"]["message"], "field \"rule_ids\": no rule with id 42");
  EXPECT_TRUE(Get("/api/v1/alert-policies")["policies"].empty());
}

TEST_F(AlertsApiTest, AlertsAreListedShownAcknowledgedAndRetried) {
  auto ids = Raise({12, 13});
  ASSERT_EQ(ids.size(), 2u);
  int64_t item = (*store_->OutboxForAlert(ids[0]))[0].id;
  ASSERT_TRUE(
      store_
          ->MarkOutboxFailed(item, "HTTP 500 from https://qyapi.weixin.qq.com: down", std::nullopt)
          .ok());

  int status = 0;
  json list = Get("/api/v1/alerts", &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(list["alerts"].size(), 2u);
  EXPECT_EQ(list["alerts"][0]["id"], ids[1]);  // newest first
  EXPECT_EQ(list["alerts"][0]["level_name"], "II");
  EXPECT_EQ(list["alerts"][0]["payload"]["event"]["id"], 13);
  EXPECT_EQ(Get("/api/v1/alerts?event=12")["alerts"].size(), 1u);

  json one = Get(fmt::format("/api/v1/alerts/{}", ids[0]), &status);
  EXPECT_EQ(status, 200);
  ASSERT_EQ(one["deliveries"].size(), 1u);
  const json& d = one["deliveries"][0];
  EXPECT_EQ(d["state"], "dead");
  EXPECT_EQ(d["attempts"], 1);
  EXPECT_EQ(d["kind"], "wecom");
  EXPECT_EQ(d["address"], "https://qyapi.weixin.qq.com/x?…");  // the robot's key is not shown
  EXPECT_EQ(d["last_error"], "HTTP 500 from https://qyapi.weixin.qq.com: down");
  EXPECT_EQ(d["idempotency_key"], fmt::format("yq-{}-0", ids[0]));

  json acked = Send("POST", fmt::format("/api/v1/alerts/{}/ack", ids[0]), json(nullptr), &status);
  EXPECT_EQ(status, 200) << acked;
  EXPECT_EQ(acked["acked_by"], "值班员");  // the token's name
  EXPECT_EQ(acked["acked_at"], "2026-11-21T01:00:00Z");
  json again = Send("POST", fmt::format("/api/v1/alerts/{}/ack", ids[0]), {{"by", "李四"}});
  EXPECT_EQ(again["acked_by"], "值班员");  // the first acknowledgement stays
  json by = Send("POST", fmt::format("/api/v1/alerts/{}/ack", ids[1]), {{"by", "李四"}});
  EXPECT_EQ(by["acked_by"], "李四");
  EXPECT_TRUE(Get("/api/v1/alerts?unacked=true")["alerts"].empty());

  json dead = Get("/api/v1/outbox?state=dead", &status);
  EXPECT_EQ(status, 200);
  EXPECT_EQ(dead["counts"]["dead"], 1);
  ASSERT_EQ(dead["items"].size(), 1u);
  EXPECT_EQ(dead["items"][0]["id"], item);
  json retried = Send("POST", fmt::format("/api/v1/outbox/{}/retry", item), json(nullptr), &status);
  EXPECT_EQ(status, 200) << retried;
  EXPECT_EQ((*store_->OutboxForAlert(ids[0]))[0].state, model::OutboxState::kPending);
  ASSERT_TRUE(store_->MarkOutboxDelivered(item, clock_.Now()).ok());
  json refused = Send("POST", fmt::format("/api/v1/outbox/{}/retry", item), json(nullptr), &status);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(refused["error"]["code"], "failed_precondition");

  Get("/api/v1/alerts/999", &status);
  EXPECT_EQ(status, 404);
  json bad = Get("/api/v1/alerts?limit=abc", &status);
  EXPECT_EQ(status, 400);
  EXPECT_EQ(bad["error"]["message"], "parameter \"limit\": \"abc\" is not a non-negative integer");
  bad = Get("/api/v1/outbox?state=lost", &status);
  EXPECT_EQ(status, 400);
}

// Reads a stream until `want` alert events arrived, then disconnects; returns their ids.
std::vector<int64_t> ReadEvents(httplib::Client& client, const httplib::Headers& headers,
                                const std::string& path, size_t want, std::string* raw = nullptr) {
  std::string text;
  std::vector<int64_t> ids;
  std::regex event_re("id: (\\d+)\nevent: alert\ndata: (\\{[^\n]*\\})\n\n");
  client.Get(path, headers, [&](const char* data, size_t n) {
    text.append(data, n);
    ids.clear();
    for (auto it = std::sregex_iterator(text.begin(), text.end(), event_re);
         it != std::sregex_iterator(); ++it) {
      EXPECT_EQ(json::parse((*it)[2].str())["id"], std::stoll((*it)[1].str()));
      ids.push_back(std::stoll((*it)[1].str()));
    }
    return ids.size() < want;  // false: enough, disconnect
  });
  if (raw != nullptr) *raw = text;
  return ids;
}

TEST_F(AlertsApiTest, StreamSendsAlertsAndResumesAfterLastEventId) {
  auto first = Raise({12, 13});
  auto stream = Client();
  std::string raw;
  auto seen = ReadEvents(*stream, {}, "/api/v1/alerts/stream?after=0", 2, &raw);
  EXPECT_EQ(seen, first);
  EXPECT_TRUE(raw.starts_with(": yuqing alert stream\nretry: 3000\n\n")) << raw;

  auto later = Raise({14, 15});
  auto resumed = Client();
  auto more = ReadEvents(*resumed, {{"Last-Event-ID", std::to_string(seen.back())}},
                         "/api/v1/alerts/stream", 2);
  EXPECT_EQ(more, later);  // only the alerts after the last one seen
}

TEST_F(AlertsApiTest, StreamWithoutAPositionStartsWithNewAlerts) {
  Raise({12});
  auto stream = Client();
  std::vector<int64_t> seen;
  std::atomic<bool> done{false};
  std::thread reader([&] {
    seen = ReadEvents(*stream, {}, "/api/v1/alerts/stream", 1);
    done = true;
  });
  // Raise alerts until the stream has picked one up (it may connect after the first raise).
  std::vector<int64_t> raised;
  int64_t event = 100;
  ASSERT_TRUE(testing::PollUntil([&] {
    auto r = Raise({event++});
    raised.insert(raised.end(), r.begin(), r.end());
    return done.load();
  }));
  reader.join();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_NE(std::find(raised.begin(), raised.end(), seen[0]), raised.end());  // not event 12
}

TEST_F(AlertsApiTest, ServerStopEndsAnOpenStream) {
  auto stream = Client();
  std::atomic<bool> connected{false};
  std::thread reader([&] {
    stream->Get("/api/v1/alerts/stream", [&](const char*, size_t) {
      connected = true;
      return true;  // never disconnects by itself
    });
  });
  ASSERT_TRUE(testing::PollUntil([&] { return connected.load(); }));
  StopServer();  // returns only when the stream has ended
  reader.join();
}

}  // namespace
}  // namespace yuqing::server
