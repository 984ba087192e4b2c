// Alert delivery survives kill -9: `yuqing outbox deliver` is killed while a webhook request is
// in flight; after a restart every alert reaches the receiver, which — deduplicating by the
// Idempotency-Key every message carries — accepts each exactly once.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "store/sqlite/sqlite_store.h"
#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

// Holds the first request it gets until released; counts the requests for each key (a real
// receiver would act on the first of each key only).
class HoldingReceiver {
 public:
  HoldingReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::unique_lock<std::mutex> lock(mu_);
      std::string key = req.get_header_value("Idempotency-Key");
      ++received_[key];
      if (++requests_ == 1) cv_.wait_for(lock, std::chrono::seconds(60), [&] { return released_; });
      res.set_content(R"({"ok":true})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HoldingReceiver() {
    Release();
    server_.stop();
    thread_.join();
  }
  void Release() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      released_ = true;
    }
    cv_.notify_all();
  }
  int port() const { return port_; }
  int requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }
  std::map<std::string, int> received() {
    std::lock_guard<std::mutex> lock(mu_);
    return received_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool released_ = false;
  int requests_ = 0;
  std::map<std::string, int> received_;
};

TEST(AlertsIntegrationTest, OutboxIsDeliveredExactlyOnceAfterKill9) {
  TempDir dir;
  std::string db = dir.File("y.db");
  HoldingReceiver receiver;
  std::vector<int64_t> ids;
  {
    auto store = std::move(store::sqlite::OpenSqliteStore(db)).value();
    store::EventBatch batch;
    for (int64_t e : {12, 13, 14}) {
      model::NewAlert a;
      a.event_id = e;
      a.policy_id = 1;
      a.level = 2;
      a.title = fmt::format("事件 {}", e);
      a.payload_json = "{}";
      a.targets = {{model::TargetKind::kWebhook,
                    fmt::format("http://127.0.0.1:{}/hook", receiver.port()), ""}};
      batch.alerts.push_back(std::move(a));
    }
    auto r = store->CommitEvents(batch);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ids = r->alert_ids;
  }
  ASSERT_EQ(ids.size(), 3u);

  {
    Subprocess deliver({YuqingBinary(), "outbox", "deliver", "--db", db, "--lang", "en"});
    ASSERT_TRUE(PollUntil([&] { return receiver.requests() == 1; })) << deliver.Stderr();
    deliver.Signal(SIGKILL);  // the first message is at the receiver, its answer not yet back
    EXPECT_EQ(deliver.Wait(), 128 + SIGKILL);
  }
  receiver.Release();
  {
    auto store = std::move(store::sqlite::OpenSqliteStore(db)).value();
    auto counts = store->CountOutbox();
    ASSERT_TRUE(counts.ok());
    EXPECT_EQ(counts->pending, 3);  // nothing was recorded as delivered
  }

  RunResult again =
      RunCommand({YuqingBinary(), "outbox", "deliver", "--once", "--db", db, "--lang", "en"});
  EXPECT_EQ(again.code, 0) << again.err;
  EXPECT_EQ(again.out, "delivered 3, to retry 0, dead 0\n");

  auto received = receiver.received();
  ASSERT_EQ(received.size(), 3u);  // three keys: each alert reached the receiver...
  int repeated = 0;
  for (int64_t id : ids) {
    int n = received[fmt::format("yq-{}-0", id)];
    EXPECT_GE(n, 1) << id;
    repeated += n - 1;
  }
  EXPECT_EQ(repeated, 1);  // ...and only the one in flight at the kill came twice, same key
  auto store = std::move(store::sqlite::OpenSqliteStore(db)).value();
  EXPECT_EQ(store->CountOutbox()->delivered, 3);
}

}  // namespace
}  // namespace yuqing::testing
