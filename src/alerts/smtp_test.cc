// Alert emails through a real SMTP server: the aiosmtpd sink (Debian python3-aiosmtpd) in
// src/alerts/testdata/smtp_sink.py, started on loopback by the test.
#include "alerts/smtp.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <regex>

#include "alerts/deliverer.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::alerts {
namespace {

constexpr const char* kPython = "/usr/bin/python3";  // Debian's, where python3-aiosmtpd is

// The sink process; port() is 0 if it did not start.
class SmtpSink {
 public:
  explicit SmtpSink(const std::string& dir, std::vector<std::string> flags = {}) : dir_(dir) {
    std::vector<std::string> argv = {
        kPython, (testing::SourceDir() / "src/alerts/testdata/smtp_sink.py").string(), dir};
    argv.insert(argv.end(), flags.begin(), flags.end());
    proc_ = std::make_unique<testing::Subprocess>(argv);
    std::regex re("PORT (\\d+)");
    testing::PollUntil([&] {
      std::string out = proc_->Stdout();
      std::smatch m;
      if (!std::regex_search(out, m, re)) return false;
      port_ = std::stoi(m[1].str());
      return true;
    });
  }
  int port() const { return port_; }
  std::string Stderr() { return proc_->Stderr(); }
  // The messages stored so far, in order.
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (int n = 1;; ++n) {
      auto path = std::filesystem::path(dir_) / fmt::format("{}.eml", n);
      if (!std::filesystem::exists(path)) break;
      out.push_back(testing::ReadFile(path.string()));
    }
    return out;
  }
  nlohmann::json Envelope(int n) const {
    return nlohmann::json::parse(
        testing::ReadFile((std::filesystem::path(dir_) / fmt::format("{}.json", n)).string()));
  }

 private:
  std::string dir_;
  std::unique_ptr<testing::Subprocess> proc_;
  int port_ = 0;
};

EmailMessage Message(std::string data) {
  EmailMessage m;
  m.from = "yuqing@wxb.example.org";
  m.to = {"duty@example.org", "leader@example.org"};
  m.subject = "s";
  m.data = std::move(data);
  return m;
}

TEST(SmtpTest, DotStuffingAndLineEnds) {
  EXPECT_EQ(DotStuff("a\r\n.b\r\n..\r\nc"), "a\r\n..b\r\n...\r\nc\r\n.\r\n");
  EXPECT_EQ(DotStuff(".\nx\n"), "..\r\nx\r\n.\r\n");
  EXPECT_EQ(DotStuff(""), ".\r\n");
}

TEST(SmtpTest, SendsToTheSinkWithEveryRecipient) {
  testing::TempDir dir;
  SmtpSink sink(dir.path().string());
  ASSERT_GT(sink.port(), 0) << sink.Stderr();
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = sink.port();
  Status s = SendMail(o, Message("Subject: hi\r\n\r\n.leading dot\r\nbody\r\n"));
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("\r\n.leading dot\r\n"), std::string::npos) << messages[0];
  EXPECT_EQ(sink.Envelope(1)["mail_from"], "yuqing@wxb.example.org");
  EXPECT_EQ(sink.Envelope(1)["rcpt_tos"],
            nlohmann::json::parse(R"(["duty@example.org","leader@example.org"])"));
}

TEST(SmtpTest, AuthPlainWhenAUserIsSetAndTheStepIsNamedWhenAuthIsMissing) {
  testing::TempDir dir;
  SmtpSink sink(dir.path().string(), {"--auth", "duty:s3cret"});
  ASSERT_GT(sink.port(), 0) << sink.Stderr();
  SmtpOptions o;
  o.host = "127.0.0.1";
  o.port = sink.port();
  o.user = "duty";
  o.password = "s3cret";
  Status ok = SendMail(o, Message("Subject: x\r\n\r\nx\r\n"));
  EXPECT_TRUE(ok.ok()) << ok.ToString();
  EXPECT_EQ(sink.Messages().size(), 1u);
  // Without a user the server's "authentication required" answer is reported with the step.
  o.user.clear();
  Status anon = SendMail(o, Message("Subject: x\r\n\r\nx\r\n"));
  EXPECT_TRUE(anon.message().find("refused MAIL FROM:<yuqing@wxb.example.org>: 530") !=
              std::string::npos)
      << anon.message();
}

TEST(SmtpTest, NoServerIsAClearError) {
  SmtpOptions o;
  Status none = SendMail(o, Message("x"));
  EXPECT_EQ(none.code(), StatusCode::kFailedPrecondition);
  o.host = "127.0.0.1";
  o.port = 1;  // nothing listens on port 1 of a test machine
  Status refused = SendMail(o, Message("x"));
  EXPECT_EQ(refused.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(refused.message().starts_with("cannot connect to SMTP server 127.0.0.1:1: "))
      << refused.message();
}

TEST(SmtpTest, DelivererSendsAlertEmailsAndRetriesATemporaryRefusal) {
  testing::TempDir dir;
  std::filesystem::create_directory(dir.path() / "mail");
  SmtpSink sink((dir.path() / "mail").string(), {"--refuse-first", "1"});
  ASSERT_GT(sink.port(), 0) << sink.Stderr();
  auto store = std::move(store::sqlite::OpenSqliteStore(dir.File("y.db"))).value();
  core::FakeClock clock(*core::ParseIso8601("2026-11-21T09:00:00+08:00"));
  store::EventBatch batch;
  model::NewAlert a;
  a.event_id = 12;
  a.policy_id = 1;
  a.level = 2;
  a.title = "潞城区化工厂爆炸";
  a.payload_json = R"({"event":{"heat":71.3,"regions":["140406"]}})";
  a.targets = {{model::TargetKind::kEmail, "duty@example.org", ""}};
  batch.alerts.push_back(a);
  auto committed = store->CommitEvents(batch);
  ASSERT_TRUE(committed.ok());
  int64_t id = committed->alert_ids[0];

  AlertNotifier notifier;
  DelivererOptions o;
  o.smtp.host = "127.0.0.1";
  o.smtp.port = sink.port();
  o.smtp_from = "yuqing@wxb.example.org";
  Deliverer d(*store, clock, notifier, o);
  auto first = d.RunOnce(clock.Now());
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->retrying, 1);
  auto item = (*store->OutboxForAlert(id))[0];
  EXPECT_EQ(
      item.last_error,
      fmt::format("SMTP 127.0.0.1:{} refused the message: 451 4.3.0 try again later", sink.port()));
  auto second = d.RunOnce(item.next_attempt_at);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->delivered, 1);

  auto messages = sink.Messages();
  ASSERT_EQ(messages.size(), 1u);
  const std::string& m = messages[0];
  std::string key = fmt::format("yq-{}-0", id);
  EXPECT_NE(m.find(fmt::format("Message-ID: <{}@wxb.example.org>", key)), std::string::npos) << m;
  EXPECT_NE(m.find("X-Yuqing-Idempotency-Key: " + key), std::string::npos);
  EXPECT_NE(m.find("Subject: =?UTF-8?B?" + Base64("【舆情预警】潞城区化工厂爆炸") + "?="),
            std::string::npos)
      << m;
  // Decode the body the way a mail reader does.
  std::string body = m.substr(m.find("\r\n\r\n") + 4);
  std::string joined;
  for (char c : body) {
    if (c != '\r' && c != '\n') joined += c;
  }
  auto decoded = testing::RunCommand(
      {kPython, "-c", "import base64,sys; sys.stdout.write(base64.b64decode(sys.argv[1]).decode())",
       joined});
  ASSERT_EQ(decoded.code, 0) << decoded.err;
  EXPECT_NE(decoded.out.find("【舆情预警】潞城区化工厂爆炸"), std::string::npos) << decoded.out;
  EXPECT_NE(decoded.out.find("热度 71.3"), std::string::npos) << decoded.out;
  EXPECT_NE(decoded.out.find("幂等键 " + key), std::string::npos) << decoded.out;
}

}  // namespace
}  // namespace yuqing::alerts
