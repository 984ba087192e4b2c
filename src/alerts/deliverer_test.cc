// The deliverer against real receivers on loopback: a cpp-httplib server in the test that fails
// the first requests and records what it got, a real SQLite store, a FakeClock for the retry
// schedule.
#include "alerts/deliverer.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::alerts {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// A webhook receiver: answers 500 to the first `fail_first` requests, then 200 (or `answer`).
// Like a careful real receiver it drops a repeated Idempotency-Key, and counts what it got.
class Receiver {
 public:
  Receiver() {
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      std::string key = req.get_header_value("Idempotency-Key");
      requests_.push_back({req.path, key, req.body});
      if (fail_first_ > 0) {
        --fail_first_;
        res.status = 500;
        res.set_content("receiver is down", "text/plain");
        return;
      }
      if (accepted_.insert(key).second) ++distinct_;
      res.set_content(answer_, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // Bound sockets already listen: requests queue until the thread accepts them.
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }

  struct Request {
    std::string path, key, body;
  };
  std::string Url(const std::string& path = "/hook") const {
    return fmt::format("http://127.0.0.1:{}{}", port_, path);
  }
  void FailFirst(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_first_ = n;
  }
  void Answer(std::string body) {
    std::lock_guard<std::mutex> lock(mu_);
    answer_ = std::move(body);
  }
  std::vector<Request> requests() const {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  int distinct() const {
    std::lock_guard<std::mutex> lock(mu_);
    return distinct_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  mutable std::mutex mu_;
  int fail_first_ = 0;
  std::string answer_ = R"({"ok":true})";
  std::vector<Request> requests_;
  std::set<std::string> accepted_;
  int distinct_ = 0;
};

class DelivererTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }

  void Open() {
    auto s = store::sqlite::OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  DelivererOptions Options(int max_attempts = 8) {
    DelivererOptions o;
    o.backoff.base = seconds(5);
    o.backoff.max = seconds(600);
    o.backoff.max_attempts = max_attempts;
    o.http.timeout = seconds(5);
    return o;
  }

  // Commits one alert per event id with the given targets; returns the alert ids.
  std::vector<int64_t> Commit(std::vector<int64_t> events,
                              std::vector<model::AlertTarget> targets) {
    store::EventBatch batch;
    for (int64_t e : events) {
      model::NewAlert a;
      a.event_id = e;
      a.policy_id = 1;
      a.level = 2;
      a.created_at = clock_.Now();
      a.title = fmt::format("事件 {}", e);
      a.payload_json = R"({"event":{"heat":50}})";
      a.targets = targets;
      batch.alerts.push_back(std::move(a));
    }
    auto r = store_->CommitEvents(batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->alert_ids : std::vector<int64_t>{};
  }

  model::OutboxItem OnlyItem(int64_t alert) {
    auto items = store_->OutboxForAlert(alert);
    EXPECT_TRUE(items.ok() && items->size() == 1);
    return items.ok() && !items->empty() ? (*items)[0] : model::OutboxItem{};
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-21T09:00:00+08:00")};
  AlertNotifier notifier_;
  Receiver receiver_;
};

TEST(BackoffTest, DoublesUpToTheMaximumWithBoundedJitter) {
  BackoffPolicy p{seconds(5), seconds(600), 8};
  int64_t nominal = 5000;
  for (int n = 1; n <= 12; ++n) {
    auto d = RetryDelay(p, n, "yq-1-0").count();
    int64_t want = std::min<int64_t>(nominal, 600000);
    EXPECT_LE(d, want) << n;
    EXPECT_GE(d, want * 4 / 5) << n;
    EXPECT_EQ(d, RetryDelay(p, n, "yq-1-0").count()) << "deterministic";
    nominal *= 2;
  }
  // Different keys spread out.
  std::set<int64_t> spread;
  for (int i = 0; i < 20; ++i) spread.insert(RetryDelay(p, 3, fmt::format("yq-{}-0", i)).count());
  EXPECT_GT(spread.size(), 10u);
  auto now = core::TimePoint(seconds(1000));
  EXPECT_EQ(NextAttempt(p, 8, "k", now), std::nullopt);
  EXPECT_EQ(NextAttempt(p, 7, "k", now), now + RetryDelay(p, 7, "k"));
}

TEST_F(DelivererTest, RetriesFollowTheBackoffAndTheReceiverSeesOneKey) {
  receiver_.FailFirst(3);
  auto ids = Commit({12}, {{model::TargetKind::kWebhook, receiver_.Url(), ""}});
  ASSERT_EQ(ids.size(), 1u);
  Deliverer d(*store_, clock_, notifier_, Options());
  std::string key = OnlyItem(ids[0]).idempotency_key;
  EXPECT_EQ(key, fmt::format("yq-{}-0", ids[0]));

  core::TimePoint now = clock_.Now();
  for (int failed = 1; failed <= 3; ++failed) {
    auto step = d.RunOnce(now);
    ASSERT_TRUE(step.ok()) << step.status().ToString();
    EXPECT_EQ(step->retrying, 1) << failed;
    model::OutboxItem item = OnlyItem(ids[0]);
    EXPECT_EQ(item.attempts, failed);
    EXPECT_EQ(item.state, model::OutboxState::kPending);
    EXPECT_TRUE(item.last_error.starts_with("HTTP 500 from http://127.0.0.1:")) << item.last_error;
    // 5 s, 10 s, 20 s, each less up to a fifth.
    auto delay = item.next_attempt_at - now;
    milliseconds nominal = seconds(5) * (1 << (failed - 1));
    EXPECT_LE(delay, nominal);
    EXPECT_GE(delay, nominal * 4 / 5);
    EXPECT_EQ(item.next_attempt_at, now + RetryDelay(Options().backoff, failed, key));
    // Not due a millisecond before: nothing is sent.
    auto early = d.RunOnce(item.next_attempt_at - milliseconds(1));
    ASSERT_TRUE(early.ok());
    EXPECT_EQ(early->delivered + early->retrying + early->dead, 0);
    EXPECT_EQ(receiver_.requests().size(), static_cast<size_t>(failed));
    now = item.next_attempt_at;
  }
  auto last = d.RunOnce(now);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->delivered, 1);
  model::OutboxItem done = OnlyItem(ids[0]);
  EXPECT_EQ(done.state, model::OutboxState::kDelivered);
  EXPECT_EQ(done.attempts, 4);
  EXPECT_EQ(done.delivered_at, now);

  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 4u);
  for (const auto& r : requests) {
    EXPECT_EQ(r.key, key);
    EXPECT_EQ(r.path, "/hook");
    EXPECT_EQ(nlohmann::json::parse(r.body)["idempotency_key"], key);
  }
  EXPECT_EQ(receiver_.distinct(), 1);
}

TEST_F(DelivererTest, DeadLetterAfterMaxAttemptsThenAnOperatorRetryDelivers) {
  receiver_.FailFirst(1000);
  auto ids = Commit({12}, {{model::TargetKind::kWebhook, receiver_.Url(), ""}});
  Deliverer d(*store_, clock_, notifier_, Options(/*max_attempts=*/3));
  core::TimePoint now = clock_.Now();
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(d.RunOnce(now).ok());
    auto next = store_->NextOutboxAttempt();
    ASSERT_TRUE(next.ok());
    if (i < 2) {
      ASSERT_TRUE(next->has_value());
      now = **next;
    } else {
      EXPECT_FALSE(next->has_value());  // nothing pending any more
    }
  }
  model::OutboxItem dead = OnlyItem(ids[0]);
  EXPECT_EQ(dead.state, model::OutboxState::kDead);
  EXPECT_EQ(dead.attempts, 3);
  EXPECT_NE(dead.last_error.find("receiver is down"), std::string::npos) << dead.last_error;
  EXPECT_EQ(store_->CountOutbox()->dead, 1);
  // A dead item is not tried again by itself.
  ASSERT_TRUE(d.RunOnce(now + std::chrono::hours(24)).ok());
  EXPECT_EQ(receiver_.requests().size(), 3u);

  receiver_.FailFirst(0);
  ASSERT_TRUE(store_->RetryOutbox(dead.id, now).ok());
  auto step = d.RunOnce(now);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->delivered, 1);
  EXPECT_EQ(OnlyItem(ids[0]).state, model::OutboxState::kDelivered);
  EXPECT_EQ(receiver_.distinct(), 1);
}

TEST_F(DelivererTest, RobotRefusalInA200IsAFailure) {
  receiver_.Answer(R"({"errcode":93000,"errmsg":"invalid webhook url"})");
  auto ids =
      Commit({12}, {{model::TargetKind::kWeCom, receiver_.Url("/cgi-bin/webhook/send?key=x"), ""},
                    {model::TargetKind::kFeishu, receiver_.Url("/feishu"), "s"}});
  Deliverer d(*store_, clock_, notifier_, Options());
  auto step = d.RunOnce(clock_.Now());
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->retrying, 2);
  auto items = *store_->OutboxForAlert(ids[0]);
  EXPECT_EQ(items[0].last_error, "WeCom refused the message: errcode 93000: invalid webhook url");
  EXPECT_TRUE(items[1].last_error.starts_with("Feishu answered 200 without a result code"))
      << items[1].last_error;
  auto requests = receiver_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[0].path, "/cgi-bin/webhook/send");
  EXPECT_EQ(nlohmann::json::parse(requests[0].body)["msgtype"], "markdown");
  EXPECT_EQ(nlohmann::json::parse(requests[1].body)["msg_type"], "post");

  receiver_.Answer(R"({"code":0,"msg":"success"})");
  ASSERT_TRUE(d.RunOnce(clock_.Now() + std::chrono::hours(1)).ok());
  items = *store_->OutboxForAlert(ids[0]);
  EXPECT_EQ(items[1].state, model::OutboxState::kDelivered);  // Feishu's code 0
  EXPECT_EQ(items[0].state, model::OutboxState::kPending);    // WeCom needs errcode
}

TEST_F(DelivererTest, UnreachableReceiverAndMissingSmtpAreRecordedErrors) {
  int closed_port = 1;  // nothing listens on port 1 of a test machine
  auto ids = Commit({12}, {{model::TargetKind::kWebhook,
                            fmt::format("http://127.0.0.1:{}/hook", closed_port), ""},
                           {model::TargetKind::kEmail, "duty@example.org", ""}});
  Deliverer d(*store_, clock_, notifier_, Options());
  ASSERT_TRUE(d.RunOnce(clock_.Now()).ok());
  auto items = *store_->OutboxForAlert(ids[0]);
  EXPECT_TRUE(items[0].last_error.starts_with(
      fmt::format("cannot reach http://127.0.0.1:{}: ", closed_port)))
      << items[0].last_error;
  EXPECT_EQ(items[1].last_error,
            "email is not configured: set alerts.smtp_host (and alerts.smtp_from)");
}

TEST_F(DelivererTest, ThreadWakesOnNotifyAndStops) {
  DelivererOptions o = Options();
  o.idle_wait = std::chrono::minutes(10);  // only a notification can wake it in time
  Deliverer d(*store_, clock_, notifier_, o);
  d.Start();
  // A first alert, delivered by the loop's first pass; after it the loop waits (10 minutes).
  auto first = Commit({11}, {{model::TargetKind::kWebhook, receiver_.Url(), ""}});
  notifier_.Notify(first.back());
  ASSERT_TRUE(testing::PollUntil([&] { return store_->CountOutbox()->delivered == 1; }));
  auto ids = Commit({12, 13}, {{model::TargetKind::kWebhook, receiver_.Url(), ""}});
  notifier_.Notify(ids.back());
  EXPECT_TRUE(testing::PollUntil([&] { return store_->CountOutbox()->delivered == 3; }));
  d.Stop();
  EXPECT_EQ(receiver_.distinct(), 3);
}

TEST_F(DelivererTest, RestartDeliversEveryPendingItemExactlyOnce) {
  receiver_.FailFirst(1000);
  auto ids = Commit({12, 13, 14}, {{model::TargetKind::kWebhook, receiver_.Url(), ""}});
  ASSERT_EQ(ids.size(), 3u);
  {
    Deliverer first(*store_, clock_, notifier_, Options());
    first.Start();
    ASSERT_TRUE(testing::PollUntil([&] { return receiver_.requests().size() >= 3; }));
    first.Stop();  // stopped with everything pending
  }
  EXPECT_EQ(store_->CountOutbox()->pending, 3);
  EXPECT_EQ(receiver_.distinct(), 0);

  // The process ends; a new one opens the database again.
  store_.reset();
  Open();
  receiver_.FailFirst(0);
  clock_.Advance(std::chrono::hours(1));
  Deliverer second(*store_, clock_, notifier_, Options());
  second.Start();
  ASSERT_TRUE(testing::PollUntil([&] { return store_->CountOutbox()->delivered == 3; }));
  second.Stop();
  EXPECT_EQ(receiver_.distinct(), 3);
  std::map<std::string, int> successes;
  auto requests = receiver_.requests();
  for (size_t i = 0; i < requests.size(); ++i) {
    if (i >= requests.size() - 3) ++successes[requests[i].key];
  }
  for (int64_t id : ids) EXPECT_EQ(successes[fmt::format("yq-{}-0", id)], 1) << id;
}

}  // namespace
}  // namespace yuqing::alerts
