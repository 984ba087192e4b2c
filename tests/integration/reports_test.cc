// Reports from the real binary against the real server: the daily report's numbers (from
// `yuqing report` and from GET /api/v1/reports/daily) equal the statistics endpoints' numbers
// for the same day and region; the same data and clock give the same bytes; bad input is named.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

constexpr const char* kFrom = "2026-11-21T00:00:00%2B08:00";
constexpr const char* kTo = "2026-11-22T00:00:00%2B08:00";
constexpr const char* kNow = "2026-11-22T09:00:00+08:00";

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
              "长治市通报潞城区化工厂爆炸事故救援进展，全力救治伤员。") +
         Post("forum", "4", "2026-11-21T20:00:00+08:00",
              "<script>alert(1)</script>太原市迎泽区今天的马拉松比赛组织得很好，点赞。") +
         Post("weibo", "5", "2026-11-22T10:00:00+08:00", "第二天的帖子，不在报告期内。");
}

// Every data-figure of the HTML: name → number.
std::map<std::string, int64_t> Figures(const std::string& html) {
  std::map<std::string, int64_t> out;
  std::regex re("data-figure=\"([^\"]+)\">(-?[0-9]+)<");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator();
       ++it) {
    out[(*it)[1].str()] = std::stoll((*it)[2].str());
  }
  return out;
}

json GetJson(httplib::Client& c, const std::string& path) {
  auto res = c.Get(path);
  if (!res || res->status != 200) return json();
  return json::parse(res->body, nullptr, false);
}

class ReportsIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "reports");
    ASSERT_FALSE(token_.empty());
    server_ = StartServer(db_, &port_);
    ASSERT_NE(port_, 0);
    client_ = std::make_unique<httplib::Client>("127.0.0.1", port_);
    client_->set_bearer_token_auth(token_);
    client_->set_read_timeout(std::chrono::seconds(120));
    auto res = client_->Post("/api/v1/posts", Posts(), "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    // Wait until the event stage has processed all five posts.
    bool done = PollUntil([&] {
      json ch = GetJson(*client_,
                        "/api/v1/stats/channels?from=2026-11-20T00:00:00Z&to=2026-11-23T"
                        "00:00:00Z");
      return ch.is_object() && ch.value("total", 0) == 5;
    });
    ASSERT_TRUE(done) << "the event stage did not process the posts";
  }

  RunResult Report(std::vector<std::string> extra) {
    std::vector<std::string> argv = {YuqingBinary(), "report"};
    for (auto& e : extra) argv.push_back(std::move(e));
    argv.insert(argv.end(), {"--db", db_, "--now", kNow});
    return RunCommand(argv);
  }

  TempDir dir_;
  std::string db_;
  std::string token_;
  int port_ = 0;
  std::unique_ptr<Subprocess> server_;
  std::unique_ptr<httplib::Client> client_;
};

TEST_F(ReportsIntegrationTest, DailyReportNumbersEqualTheStatisticsApi) {
  json channels =
      GetJson(*client_, fmt::format("/api/v1/stats/channels?from={}&to={}", kFrom, kTo));
  ASSERT_TRUE(channels.is_object());
  json regions = GetJson(
      *client_, fmt::format("/api/v1/stats/regions?from={}&to={}&level=province", kFrom, kTo));
  ASSERT_TRUE(regions.is_object());
  json events = GetJson(*client_, fmt::format("/api/v1/events?from={}&to={}", kFrom, kTo));
  ASSERT_TRUE(events.is_object());

  RunResult cli = Report({"daily", "--date", "2026-11-21", "-o", "-"});
  ASSERT_EQ(cli.code, 0) << cli.err;
  auto api = client_->Get("/api/v1/reports/daily?date=2026-11-21");
  ASSERT_TRUE(api);
  ASSERT_EQ(api->status, 200) << api->body;
  for (const std::string& html : {cli.out, api->body}) {
    auto f = Figures(html);
    EXPECT_EQ(f["posts.total"], channels["total"].get<int64_t>());
    EXPECT_EQ(f["posts.total"], 4);
    for (const auto& [ch, n] : channels["channels"].items()) {
      EXPECT_EQ(f["channel." + ch], n.get<int64_t>()) << ch;
    }
    for (const char* s : {"negative", "neutral", "positive"}) {
      EXPECT_EQ(f[std::string("sentiment.") + s], channels["sentiment"][s].get<int64_t>()) << s;
    }
    for (const auto& r : regions["regions"]) {
      std::string code = r["code"];
      EXPECT_EQ(f["region." + code + ".posts"], r["posts"].get<int64_t>()) << code;
      EXPECT_EQ(f["region." + code + ".events"], r["events"].get<int64_t>()) << code;
    }
    EXPECT_EQ(f["events.total"], events["total"].get<int64_t>());
    EXPECT_EQ(html.find("<script>alert"), std::string::npos);
    EXPECT_NE(html.find("舆情日报"), std::string::npos);
  }
}

TEST_F(ReportsIntegrationTest, SameDataAndClockGiveTheSameBytes) {
  RunResult a = Report({"daily", "--date", "2026-11-21", "-o", "-"});
  RunResult b = Report({"daily", "--date", "2026-11-21", "-o", "-"});
  ASSERT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  std::string file = dir_.File("event.html");
  json list = GetJson(*client_, "/api/v1/events?sort=heat");
  ASSERT_FALSE(list["events"].empty());
  std::string id = std::to_string(list["events"][0]["id"].get<int64_t>());
  RunResult e = Report({"event", "--event", id, "-o", file});
  ASSERT_EQ(e.code, 0) << e.err;
  EXPECT_NE(ReadFile(file).find("舆情专报"), std::string::npos);
  EXPECT_NE(ReadFile(file).find("href=\"/events/" + id + "\""), std::string::npos);
}

TEST_F(ReportsIntegrationTest, AnEmptyDayIsAReportThatSaysSo) {
  RunResult r = Report({"daily", "--date", "2026-06-01", "-o", "-"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("无数据"), std::string::npos);
  auto api = client_->Get("/api/v1/reports/weekly?date=2026-06-01");
  ASSERT_TRUE(api);
  EXPECT_EQ(api->status, 200);
  EXPECT_NE(api->body.find("无数据"), std::string::npos);
}

TEST_F(ReportsIntegrationTest, BadInputIsNamed) {
  RunResult date = Report({"daily", "--date", "2026-13-01", "-o", "-"});
  EXPECT_EQ(date.code, 1);
  EXPECT_NE(date.err.find("--date \"2026-13-01\" is not a date"), std::string::npos) << date.err;
  RunResult event = Report({"event", "--event", "999", "-o", dir_.File("x.html")});
  EXPECT_EQ(event.code, 1);
  EXPECT_NE(event.err.find("no event with id 999"), std::string::npos) << event.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.File("x.html")));
  RunResult kase = Report({"evaluation", "--case", "7", "-o", dir_.File("y.html")});
  EXPECT_NE(kase.err.find("no case with id 7"), std::string::npos) << kase.err;
  WriteFile(dir_.File("t.html"), "<h1>{{title}}</h1>{{seal}}");
  RunResult tmpl = Report({"daily", "--template", dir_.File("t.html"), "-o", "-"});
  EXPECT_EQ(tmpl.code, 1);
  EXPECT_NE(tmpl.err.find("unknown placeholder {{seal}}"), std::string::npos) << tmpl.err;

  auto bad = client_->Get("/api/v1/reports/daily?date=yesterday");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("parameter \\\"date\\\" \\\"yesterday\\\" is not a date"),
            std::string::npos)
      << bad->body;
  auto missing = client_->Get("/api/v1/reports/event?event=999");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404) << missing->body;
  auto no_event = client_->Get("/api/v1/reports/flash");
  ASSERT_TRUE(no_event);
  EXPECT_EQ(no_event->status, 400) << no_event->body;
  auto format = client_->Get("/api/v1/reports/daily?format=odt");
  ASSERT_TRUE(format);
  EXPECT_EQ(format->status, 400);
}

TEST_F(ReportsIntegrationTest, PdfAndDocxThroughTheApi) {
  if (std::system("command -v chromium >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  }
  auto pdf = client_->Get("/api/v1/reports/daily?date=2026-11-21&format=pdf");
  ASSERT_TRUE(pdf);
  ASSERT_EQ(pdf->status, 200) << pdf->body;
  EXPECT_EQ(pdf->get_header_value("Content-Type"), "application/pdf");
  EXPECT_EQ(pdf->body.substr(0, 5), "%PDF-");
  EXPECT_NE(pdf->get_header_value("Content-Disposition").find("daily-2026-11-21.pdf"),
            std::string::npos);
  if (std::system("command -v pandoc >/dev/null 2>&1") != 0) {
    GTEST_SKIP() << "pandoc is not installed (apt-get install pandoc)";
  }
  std::string docx = dir_.File("daily.docx");
  RunResult r = Report({"daily", "--date", "2026-11-21", "--format", "docx", "-o", docx});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(ReadFile(docx).substr(0, 2), "PK");  // a ZIP container
}

}  // namespace
}  // namespace yuqing::testing
