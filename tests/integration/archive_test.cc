// The report archive with the real server on the database clock: the schedule makes the daily
// report at 08:00 and a flash report for a grade I event, delivers them by email (PDF and DOCX
// attached, to a real SMTP sink) and webhook (with a link that downloads the archived file),
// submits the daily report upward, and the receipt link records it as received. The archive
// API's bad input is named.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Post(const std::string& source, const std::string& id, const std::string& when,
                 const std::string& text) {
  return json{{"source", source}, {"id", id}, {"published_at", when}, {"text", text}}.dump() + "\n";
}

std::string Posts() {
  return Post("weibo", "1", "2026-11-21T08:00:00+08:00",
              "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，消防正在救援，已造成3人死亡。") +
         Post("weibo", "2", "2026-11-21T08:05:00+08:00",
              "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤送医。") +
         Post("rss:people", "3", "2026-11-21T09:00:00+08:00",
              "长治市通报潞城区化工厂爆炸事故救援进展，全力救治伤员。");
}

// Webhooks received on loopback: path and body, in order.
class Receiver {
 public:
  Receiver() {
    server_.Post(".*", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      got_.emplace_back(req.path, req.body);
      res.status = 200;
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<json> Bodies(const std::string& path) {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<json> out;
    for (const auto& [p, b] : got_) {
      if (p == path) out.push_back(json::parse(b, nullptr, false));
    }
    return out;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<std::pair<std::string, std::string>> got_;
};

class SmtpSink {
 public:
  explicit SmtpSink(const std::string& dir) : dir_(dir) {
    proc_ = std::make_unique<Subprocess>(std::vector<std::string>{
        "/usr/bin/python3", (SourceDir() / "src/alerts/testdata/smtp_sink.py").string(), dir});
    std::regex re("PORT (\\d+)");
    PollUntil([&] {
      std::string out = proc_->Stdout();
      std::smatch m;
      if (!std::regex_search(out, m, re)) return false;
      port_ = std::stoi(m[1].str());
      return true;
    });
  }
  int port() const { return port_; }
  std::vector<std::string> Messages() const {
    std::vector<std::string> out;
    for (int n = 1;; ++n) {
      auto path = std::filesystem::path(dir_) / fmt::format("{}.eml", n);
      if (!std::filesystem::exists(path)) break;
      out.push_back(ReadFile(path.string()));
    }
    return out;
  }

 private:
  std::string dir_;
  std::unique_ptr<Subprocess> proc_;
  int port_ = 0;
};

std::string DecodeBase64(std::string_view in) {
  static const std::string kAlphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  int val = 0, bits = -8;
  for (char c : in) {
    size_t pos = kAlphabet.find(c);
    if (pos == std::string::npos) continue;  // line breaks, padding
    val = (val << 6) + static_cast<int>(pos);
    bits += 6;
    if (bits >= 0) {
      out.push_back(static_cast<char>((val >> bits) & 0xFF));
      bits -= 8;
    }
  }
  return out;
}

// The decoded body of the MIME part whose headers contain `marker`.
std::string Part(const std::string& message, const std::string& marker) {
  size_t at = message.find(marker);
  if (at == std::string::npos) return "";
  size_t body = message.find("\r\n\r\n", at);
  size_t end = message.find("\r\n--", body);
  if (body == std::string::npos || end == std::string::npos) return "";
  return DecodeBase64(std::string_view(message).substr(body + 4, end - body - 4));
}

class ArchiveIntegrationTest : public ::testing::Test {
 protected:
  void Start(std::vector<std::string> extra) {
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "archive");
    ASSERT_FALSE(token_.empty());
    auto ingest = RunCommand({YuqingBinary(), "ingest", "--db", db_, "-q", "-"}, Posts());
    ASSERT_EQ(ingest.code, 0) << ingest.err;
    server_ = StartServer(db_, &port_, extra);
    ASSERT_NE(port_, 0) << server_->Stderr();
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_bearer_token_auth(token_);
    client_->set_read_timeout(std::chrono::seconds(120));
  }
  json Archive() {
    auto res = client_->Get("/api/v1/archive");
    if (!res || res->status != 200) return json();
    return json::parse(res->body, nullptr, false);
  }
  json Find(const json& list, const std::string& kind) {
    if (!list.is_object()) return json();
    for (const auto& r : list["reports"]) {
      if (r["kind"] == kind) return r;
    }
    return json();
  }

  TempDir dir_;
  std::string db_;
  std::string token_;
  int port_ = 0;
  std::unique_ptr<Subprocess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ArchiveIntegrationTest, TheScheduleMakesDeliversAndSubmitsReports) {
  TempDir mail;
  SmtpSink sink(mail.path().string());
  ASSERT_NE(sink.port(), 0);
  Receiver hooks;
  std::string hook = fmt::format("http://127.0.0.1:{}", hooks.port());
  // The database clock half an event-hour before 08:00, running 60 times faster: 08:00 comes
  // about 30 s after the clock is set, after the server has started and looked once (a
  // server's first look makes nothing that was due before it).
  auto set = RunCommand({YuqingBinary(), "clock", "set", "--start", "2026-11-22T07:30:00+08:00",
                         "--speed", "60", "--db", dir_.File("y.db"), "--lang", "en"});
  ASSERT_EQ(set.code, 0) << set.err;
  ASSERT_NO_FATAL_FAILURE(Start(
      {"--set", "reports.sweep_every_s=1", "--set", "reports.weekly=", "--set",
       "reports.monthly=", "--set", "risk.deaths=3,2,1", "--set", "alerts.smtp_host=127.0.0.1",
       "--set", fmt::format("alerts.smtp_port={}", sink.port()), "--set",
       "alerts.smtp_from=yuqing@example.org", "--set",
       "reports.deliver=" +
           json::array({{{"kind", "email"}, {"address", "duty@example.org"}, {"kinds", {"daily"}}},
                        {{"kind", "webhook"}, {"address", hook + "/reports"}}})
               .dump(),
       "--set",
       "reports.superior=" + json{{"name", "山西省委网信办"},
                                  {"department", "sx.wxb"},
                                  {"targets", {{{"kind", "webhook"}, {"address", hook + "/up"}}}},
                                  {"automatic", {"daily"}}}
                                 .dump()}));

  // A flash report as soon as the explosion is graded I, the daily report of 21 November at
  // 08:00 on the database clock.
  json daily, flash;
  bool made = PollUntil(
      [&] {
        json list = Archive();
        daily = Find(list, "daily");
        flash = Find(list, "flash");
        return daily.is_object() && flash.is_object();
      },
      std::chrono::seconds(120));
  ASSERT_TRUE(made) << Archive().dump() << server_->Stderr();
  EXPECT_EQ(flash["trigger"], "grade");
  EXPECT_GT(flash["event_id"].get<int64_t>(), 0);
  EXPECT_EQ(daily["trigger"], "schedule");
  EXPECT_NE(daily["title"].get<std::string>().find("2026年11月21日"), std::string::npos)
      << daily.dump();
  EXPECT_EQ(daily["number"], 1);
  EXPECT_EQ(daily["formats"], json({"html", "pdf", "docx"})) << daily.dump();

  // The email: the text, then the PDF and the DOCX of the archive.
  ASSERT_TRUE(PollUntil([&] { return !sink.Messages().empty(); }, std::chrono::seconds(60)));
  std::string email = sink.Messages().front();
  EXPECT_NE(email.find("multipart/mixed"), std::string::npos);
  std::string pdf = Part(email, ".pdf\r\n");
  std::string docx = Part(email, ".docx\r\n");
  EXPECT_EQ(pdf.substr(0, 5), "%PDF-");
  EXPECT_EQ(docx.substr(0, 2), "PK");
  int64_t id = daily["id"].get<int64_t>();
  auto stored_pdf = client_->Get(fmt::format("/api/v1/archive/{}/file/pdf", id));
  ASSERT_TRUE(stored_pdf && stored_pdf->status == 200);
  EXPECT_EQ(stored_pdf->body, pdf);
  EXPECT_NE(stored_pdf->get_header_value("Content-Disposition").find("attachment"),
            std::string::npos);

  // The webhook: its link downloads the archived HTML.
  ASSERT_TRUE(
      PollUntil([&] { return hooks.Bodies("/reports").size() >= 2; }, std::chrono::seconds(60)));
  std::string url;
  for (const json& b : hooks.Bodies("/reports")) {
    EXPECT_EQ(b["type"], "yuqing.report");
    if (b["report"]["id"] == id) url = b["report"]["url"].get<std::string>();
  }
  ASSERT_FALSE(url.empty());
  std::string path = url.substr(url.find("/api/"));
  auto html = client_->Get(path);
  ASSERT_TRUE(html && html->status == 200);
  EXPECT_NE(html->body.find("舆情日报"), std::string::npos);
  EXPECT_NE(html->get_header_value("Content-Security-Policy").find("sandbox"), std::string::npos);

  // Submitted upward on its own (daily is automatic): sent, then received by the link.
  ASSERT_TRUE(PollUntil([&] { return !hooks.Bodies("/up").empty(); }, std::chrono::seconds(60)));
  json up = hooks.Bodies("/up").front();
  std::string receipt = up["report"]["receipt"].get<std::string>();
  ASSERT_NE(receipt.find("/receipts/"), std::string::npos) << up.dump();
  json sub;
  ASSERT_TRUE(PollUntil([&] {
    auto r = client_->Get(fmt::format("/api/v1/archive/{}", id));
    if (!r || r->status != 200) return false;
    json j = json::parse(r->body);
    if (j["submissions"].empty()) return false;
    sub = j["submissions"][0];
    return sub["state"] == "sent";
  }));
  EXPECT_EQ(sub["to_name"], "山西省委网信办");
  httplib::Client anonymous("127.0.0.1", port_);
  std::string receipt_path = receipt.substr(receipt.find("/receipts/"));
  auto page = anonymous.Get(receipt_path);
  ASSERT_TRUE(page && page->status == 200);
  EXPECT_NE(page->body.find("<form method=\"post\">"), std::string::npos);
  auto confirm = anonymous.Post(receipt_path, "", "application/x-www-form-urlencoded");
  ASSERT_TRUE(confirm && confirm->status == 200);
  auto after = json::parse(client_->Get(fmt::format("/api/v1/archive/{}", id))->body);
  EXPECT_EQ(after["submissions"][0]["state"], "received");
  EXPECT_EQ(after["submissions"][0]["received_by"], "receipt link");
  auto bad = anonymous.Get("/receipts/0123456789abcdef0123456789abcdef");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 404);
}

TEST_F(ArchiveIntegrationTest, ArchivingByHandAndBadInput) {
  ASSERT_NO_FATAL_FAILURE(
      Start({"--set", "reports.sweep_every_s=0", "--set", "reports.formats=html"}));
  std::string body = R"({"kind":"daily","date":"2026-11-21"})";
  auto first = client_->Post("/api/v1/archive", body, "application/json");
  ASSERT_TRUE(first);
  ASSERT_EQ(first->status, 201) << first->body;
  json r1 = json::parse(first->body);
  EXPECT_EQ(r1["trigger"], "manual");
  EXPECT_EQ(r1["formats"], json({"html"}));
  auto second = client_->Post("/api/v1/archive", body, "application/json");
  ASSERT_TRUE(second && second->status == 201);
  EXPECT_EQ(json::parse(second->body)["number"], 2);
  // The archived HTML is the report the API makes for that day (up to its number).
  auto listed = Archive();
  ASSERT_EQ(listed["reports"].size(), 2u);
  EXPECT_EQ(listed["reports"][0]["number"], 2);  // newest first

  auto expect = [&](const std::string& b, int status, const std::string& words) {
    auto res = client_->Post("/api/v1/archive", b, "application/json");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, status) << b << " " << res->body;
    EXPECT_NE(res->body.find(words), std::string::npos) << res->body;
  };
  expect(R"({"kind":"bogus"})", 400, "field \\\"kind\\\"");
  expect(R"({"kind":"daily","date":"2026-13-01"})", 400, "field \\\"date\\\"");
  expect(R"({"kind":"event","event":999})", 404, "999");
  expect(R"({"kind":"daily","region":"14x"})", 400, "field \\\"region\\\"");
  expect("not json", 400, "JSON");
  int64_t id = r1["id"].get<int64_t>();
  auto submit =
      client_->Post(fmt::format("/api/v1/archive/{}/submit", id), "{}", "application/json");
  ASSERT_TRUE(submit);
  EXPECT_EQ(submit->status, 409) << submit->body;
  EXPECT_NE(submit->body.find("reports.superior"), std::string::npos);
  auto missing = client_->Get(fmt::format("/api/v1/archive/{}/file/pdf", id));
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_EQ(client_->Get("/api/v1/archive/99999")->status, 404);
  EXPECT_EQ(client_->Get("/api/v1/archive?kind=nope")->status, 400);
  EXPECT_EQ(client_->Get("/api/v1/archive?limit=0")->status, 400);
  EXPECT_EQ(client_
                ->Post(fmt::format("/api/v1/archive/{}/submissions/5/receive", id), "{}",
                       "application/json")
                ->status,
            404);
}

}  // namespace
}  // namespace yuqing::testing
