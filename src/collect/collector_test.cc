// The collectors against a real HTTP server on loopback (cpp-httplib on port 0) and a real
// SQLite store in a temp dir: what is stored, and what is reported on the source when a feed
// is slow, huge, broken, looping, refusing or lying about its encoding; and that a restart
// resumes without duplicates or gaps.
#include "collect/collector.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

#include "collect/scheduler.h"
#include "collect/source_json.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::collect {
namespace {

std::string Fixture(const std::string& name) {
  return testing::ReadFile((testing::SourceDir() / "src/collect/testdata" / name).string());
}

// Writes posts straight into the store (no index terms): idempotent on (source, id) as the
// pipeline's Ingestor is.
class StoreSink final : public PostSink {
 public:
  explicit StoreSink(store::PostStore& store) : store_(store) {}
  Result<std::vector<model::IngestOutcome>> Write(std::vector<model::Post> posts) override {
    std::vector<store::PostRecord> records;
    for (auto& p : posts) records.push_back({std::move(p), {}, {}, {}, {}, {}});
    YQ_ASSIGN_OR_RETURN(auto results,
                        store_.InsertPosts(records, *core::ParseIso8601("2026-11-16T06:30:00Z")));
    std::vector<model::IngestOutcome> out;
    for (const auto& r : results) out.push_back(r.outcome);
    return out;
  }

 private:
  store::PostStore& store_;
};

// The fixture web: feeds in both encodings, an API with a cursor, and every failure.
class FixtureServer {
 public:
  FixtureServer() {
    server_.Get("/robots.txt", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("User-agent: *\nDisallow: /private/\n", "text/plain");
    });
    server_.Get("/feed.xml", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      ++feed_hits_;
      if (req.get_header_value("If-None-Match") == etag_) {
        res.status = 304;
        return;
      }
      res.set_header("ETag", etag_);
      res.set_content(feed_, "application/rss+xml; charset=utf-8");
    });
    server_.Get("/gbk.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Fixture("feed_gbk.xml"), "application/xml");
    });
    server_.Get("/lies.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Fixture("feed_gbk.xml"), "application/xml; charset=utf-8");
    });
    server_.Get("/atom.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Fixture("atom.xml"), "application/atom+xml");
    });
    server_.Get("/malformed.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Fixture("malformed.xml"), "application/xml");
    });
    server_.Get("/private/feed.xml", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(Fixture("atom.xml"), "application/atom+xml");
    });
    server_.Get("/500", [this](const httplib::Request&, httplib::Response& res) {
      ++errors_;
      res.status = 500;
      res.set_content("oops", "text/plain");
    });
    server_.Get("/slow", [](const httplib::Request&, httplib::Response& res) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1500));
      res.set_content(Fixture("atom.xml"), "application/atom+xml");
    });
    server_.Get("/huge", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(std::string(3 << 20, 'x'), "application/xml");
    });
    // No Content-Length: the size limit must cut the stream itself.
    server_.Get("/huge-chunked", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/xml",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset >= (size_t{3} << 20)) {
                                           sink.done();
                                           return true;
                                         }
                                         std::string chunk(64 << 10, 'x');
                                         return sink.write(chunk.data(), chunk.size());
                                       });
    });
    // A server that answers at once but then one byte at a time.
    server_.Get("/trickle", [](const httplib::Request&, httplib::Response& res) {
      res.set_chunked_content_provider("application/xml",
                                       [](size_t offset, httplib::DataSink& sink) {
                                         if (offset >= 100) {
                                           sink.done();
                                           return true;
                                         }
                                         std::this_thread::sleep_for(std::chrono::milliseconds(50));
                                         return sink.write("<", 1);
                                       });
    });
    server_.Get("/loop", [](const httplib::Request&, httplib::Response& res) {
      res.set_redirect("/loop2");
    });
    server_.Get("/loop2",
                [](const httplib::Request&, httplib::Response& res) { res.set_redirect("/loop"); });
    server_.Get("/api", [](const httplib::Request& req, httplib::Response& res) {
      std::string since = req.get_param_value("since");
      std::string page = since.empty()    ? "api_page1.json"
                         : since == "c-2" ? "api_page2.json"
                                          : "api_page3.json";
      res.set_content(Fixture(page), "application/json");
    });
    server_.Get("/w/(.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = pages_.find(req.matches[1]);
      if (it == pages_.end()) {
        res.status = 404;
        return;
      }
      res.set_content(it->second, "text/html");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    testing::PollUntil([this] { return server_.is_running(); });
  }
  ~FixtureServer() {
    server_.stop();
    thread_.join();
  }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }
  void SetFeed(std::string xml, std::string etag) {
    std::lock_guard<std::mutex> lock(mu_);
    feed_ = std::move(xml);
    etag_ = std::move(etag);
  }
  int errors() const { return errors_; }
  void Page(const std::string& path, std::string html) {
    std::lock_guard<std::mutex> lock(mu_);
    pages_[path] = std::move(html);
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::string feed_ = Fixture("feed_utf8.xml");
  std::string etag_ = "\"v1\"";
  int feed_hits_ = 0;
  std::atomic<int> errors_{0};
  std::map<std::string, std::string> pages_;  // guarded by mu_
};

FetchOptions FastOptions() {
  FetchOptions o;
  o.timeout = std::chrono::milliseconds(400);
  o.connect_timeout = std::chrono::milliseconds(400);
  o.max_bytes = 1 << 20;
  o.retries = 2;
  o.backoff = std::chrono::milliseconds(5);
  o.per_host_interval = std::chrono::milliseconds(0);
  return o;
}

class CollectorTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    collector_.reset();
    sink_.reset();
    store_.reset();
    auto s = store::sqlite::OpenSqliteStore(dir_.File("c.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    sink_ = std::make_unique<StoreSink>(*store_);
    collector_ = std::make_unique<Collector>(*store_, *store_, fetcher_, *sink_, clock_);
  }
  void Add(const std::string& name, model::SourceKind kind, const std::string& config) {
    model::Source s;
    s.name = name;
    s.kind = kind;
    s.channel = model::Channel::kGovPlatform;
    s.region = "140406";
    s.config_json = config;
    ASSERT_TRUE(store_->CreateSource(s, clock_.Now()).ok());
  }
  void AddFeed(const std::string& name, const std::string& path) {
    Add(name, model::SourceKind::kRss, nlohmann::json{{"url", web_.Url(path)}}.dump());
  }
  model::Source Get(const std::string& name) { return **store_->GetSource(name); }
  int64_t Posts() { return store_->Stats()->posts; }

  testing::TempDir dir_;
  FixtureServer web_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-16T14:30:00+08:00")};
  HttpFetcher fetcher_{FastOptions()};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<StoreSink> sink_;
  std::unique_ptr<Collector> collector_;
};

TEST_F(CollectorTest, RssItemsBecomePostsAndA304ChangesNothing) {
  AddFeed("潞城区政府", "/feed.xml");
  auto r = collector_->RunOnce("潞城区政府");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  EXPECT_EQ(r->fetched, 3);
  EXPECT_EQ(r->accepted, 3);
  auto post = store_->GetPost("潞城区政府", "lc-tzgg-001");
  ASSERT_TRUE(post.ok() && *post);
  EXPECT_EQ((*post)->post.title, "关于浊漳河潞城段水质监测情况的通报");
  EXPECT_EQ((*post)->post.url,
            "http://127.0.0.1:" + web_.Url("").substr(17) + "/xxgk/tzgg/202611/t20261116_001.html");
  EXPECT_EQ(core::FormatIso8601((*post)->post.published_at, 480), "2026-11-16T09:12:00+08:00");
  EXPECT_EQ((*post)->post.channel, model::Channel::kGovPlatform);
  EXPECT_EQ((*post)->post.region, "140406");
  EXPECT_EQ((*post)->post.author.name, "区生态环境分局");
  // The item without a guid is keyed by its absolute link.
  auto second = store_->GetPost("潞城区政府", web_.Url("/tzgg/202611/t20261115_002.html"));
  ASSERT_TRUE(second.ok() && *second);
  EXPECT_EQ(core::FormatIso8601((*second)->post.published_at, 480), "2026-11-15T10:40:00+08:00");
  model::Source s = Get("潞城区政府");
  EXPECT_EQ(s.state.etag, "\"v1\"");
  EXPECT_EQ(s.state.accepted, 3);
  EXPECT_EQ(s.state.runs, 1);
  EXPECT_TRUE(s.state.last_success_at.has_value());
  EXPECT_EQ(s.state.health, model::SourceHealth::kOk);

  clock_.Advance(std::chrono::minutes(10));
  r = collector_->RunOnce("潞城区政府");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->not_modified);
  EXPECT_EQ(r->fetched, 0);
  EXPECT_EQ(Posts(), 3);
  EXPECT_EQ(Get("潞城区政府").state.runs, 2);
}

TEST_F(CollectorTest, GbkAtomAndRdfFeedsAreStoredInUtf8) {
  AddFeed("应急局", "/gbk.xml");
  AddFeed("融媒体", "/atom.xml");
  auto r = collector_->RunOnce("应急局");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  EXPECT_EQ(r->accepted, 2);
  auto p = store_->GetPost("应急局", "yjj-1002");
  ASSERT_TRUE(p.ok() && *p);
  EXPECT_EQ((*p)->post.title, "苯胺类化学品储运安全专项检查情况");
  EXPECT_EQ(core::FormatIso8601((*p)->post.published_at, 480), "2026-11-15T16:20:00+08:00");
  r = collector_->RunOnce("融媒体");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(Posts(), 4);
}

TEST_F(CollectorTest, AFeedThatLiesAboutItsEncodingIsReadAndReported) {
  AddFeed("说谎的订阅", "/lies.xml");
  auto r = collector_->RunOnce("说谎的订阅");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok());
  EXPECT_EQ(r->accepted, 2);
  ASSERT_FALSE(r->problems.empty());
  EXPECT_NE(r->problems[0].find("declared utf-8 but byte"), std::string::npos) << r->problems[0];
}

TEST_F(CollectorTest, FailuresAreReportedOnTheSourceWithUrlAndReason) {
  struct Case {
    std::string path;
    std::string error;  // a part of the reported message
  };
  const Case cases[] = {
      {"/500", "HTTP 500"},
      {"/slow", "timed out after 400 ms"},
      {"/huge", "answer larger than 1048576 bytes"},
      {"/huge-chunked", "answer larger than 1048576 bytes"},
      {"/trickle", "timed out after 400 ms"},
      {"/loop", "too many redirects (more than 5)"},
      {"/malformed.xml", "malformed XML at line"},
      {"/private/feed.xml", "disallowed by robots.txt"},
      {"/missing", "HTTP 404"},
  };
  for (const auto& c : cases) {
    std::string name = "src" + c.path;
    AddFeed(name, c.path);
    auto r = collector_->RunOnce(name);
    ASSERT_TRUE(r.ok()) << c.path;
    EXPECT_FALSE(r->error.ok()) << c.path;
    model::Source s = Get(name);
    EXPECT_NE(s.state.last_error.find(c.error), std::string::npos)
        << c.path << ": " << s.state.last_error;
    EXPECT_TRUE(s.state.last_error_url.starts_with(web_.Url(""))) << s.state.last_error_url;
    EXPECT_EQ(s.state.consecutive_failures, 1) << c.path;
    EXPECT_TRUE(s.state.last_error_at.has_value());
  }
  // A 500 is tried three times (two retries with backoff).
  EXPECT_EQ(web_.errors(), 3);
  EXPECT_EQ(Posts(), 0);
}

TEST_F(CollectorTest, RepeatedFailuresRaiseOneAlertAndRecoveryAnother) {
  model::AlertPolicy duty;
  duty.name = "值班室";
  duty.targets.push_back({model::TargetKind::kWebhook, web_.Url("/hook"), ""});
  ASSERT_TRUE(store_->CreateAlertPolicy(duty, clock_.Now()).ok());
  model::AlertPolicy event_only;  // about events of a rule: not told about sources
  event_only.name = "规则";
  event_only.rule_ids = {1};
  ASSERT_TRUE(store_->CreateAlertPolicy(event_only, clock_.Now()).ok());
  AddFeed("坏源", "/500");
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(collector_->RunOnce("坏源").ok());
    clock_.Advance(std::chrono::minutes(10));
  }
  model::Source s = Get("坏源");
  EXPECT_EQ(s.state.health, model::SourceHealth::kFailing);
  EXPECT_NE(s.state.health_reason.find("连续 4 次采集失败：unavailable: HTTP 500"),
            std::string::npos)
      << s.state.health_reason;
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_NE((*alerts)[0].title.find("采集源“坏源”采集失败"), std::string::npos);
  EXPECT_EQ(store_->OutboxForAlert((*alerts)[0].id)->size(), 1u);

  // The feed comes back: one recovery notice.
  model::Source fixed = s;
  fixed.config_json = nlohmann::json{{"url", web_.Url("/atom.xml")}}.dump();
  ASSERT_TRUE(store_->UpdateSource(fixed, clock_.Now()).ok());
  ASSERT_TRUE(collector_->RunOnce("坏源").ok());
  EXPECT_EQ(Get("坏源").state.health, model::SourceHealth::kOk);
  alerts = store_->ListAlerts({});
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].title, "采集源“坏源”已恢复");
}

TEST_F(CollectorTest, RestartResumesWithoutDuplicatesOrGaps) {
  AddFeed("潞城区政府", "/feed.xml");
  ASSERT_TRUE(collector_->RunOnce("潞城区政府").ok());
  EXPECT_EQ(Posts(), 3);
  std::string cursor = Get("潞城区政府").state.cursor;
  EXPECT_FALSE(cursor.empty());

  // The process stops; meanwhile the portal publishes two more notices, one of them dated
  // before the newest already seen (portals do backdate).
  std::string feed = Fixture("feed_utf8.xml");
  std::string more =
      "<item><title>新增通知一</title><link>/n/4.html</link><guid>lc-004</guid>"
      "<pubDate>2026-11-16 12:00</pubDate><description>四</description></item>"
      "<item><title>补发通知</title><link>/n/5.html</link><guid>lc-005</guid>"
      "<pubDate>2026-11-13 09:00</pubDate><description>五</description></item>";
  feed.insert(feed.find("<item>"), more);
  web_.SetFeed(feed, "\"v2\"");
  Open();
  clock_.Advance(std::chrono::minutes(10));
  auto r = collector_->RunOnce("潞城区政府");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fetched, 5);
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(r->duplicate, 3);
  EXPECT_EQ(Posts(), 5);
  EXPECT_TRUE(store_->GetPost("潞城区政府", "lc-005")->has_value());
  model::Source s = Get("潞城区政府");
  EXPECT_EQ(s.state.etag, "\"v2\"");
  EXPECT_EQ(s.state.accepted, 5);
  EXPECT_GT(s.state.cursor, cursor);
}

TEST_F(CollectorTest, JsonApiFollowsTheCursorAndReportsUnmappableItems) {
  Add("12345热线", model::SourceKind::kJsonApi,
      nlohmann::json{{"url", web_.Url("/api")},
                     {"items", "/data/list"},
                     {"cursor_param", "since"},
                     {"next_cursor", "/data/next"},
                     {"mapping",
                      {{"id", "/order_no"},
                       {"title", "/subject"},
                       {"text", "/content"},
                       {"published_at", "/created"},
                       {"region", "/area"},
                       {"author.name", "/caller/name"}}}}
          .dump());
  auto r = collector_->RunOnce("12345热线");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  EXPECT_EQ(r->fetched, 4);  // three on the first page, one on the second, none on the third
  EXPECT_EQ(r->accepted, 3);
  EXPECT_EQ(r->rejected, 1);
  ASSERT_FALSE(r->problems.empty());
  EXPECT_NE(r->problems[0].find("mapping \"published_at\" → /created: no such field"),
            std::string::npos)
      << r->problems[0];
  auto p = store_->GetPost("12345热线", "GD20261116002");
  ASSERT_TRUE(p.ok() && *p);
  EXPECT_EQ(core::FormatIso8601((*p)->post.published_at), "2026-11-16T00:00:00Z");
  auto q = store_->GetPost("12345热线", "GD20261116001");
  ASSERT_TRUE(q.ok() && *q);
  EXPECT_EQ((*q)->post.author.name, "王先生");
  EXPECT_EQ(Get("12345热线").state.cursor, "c-3");
  // The next run starts at the saved cursor: nothing new, nothing repeated.
  r = collector_->RunOnce("12345热线");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fetched, 0);
  EXPECT_EQ(Posts(), 3);
}

TEST_F(CollectorTest, DropFolderMovesFilesToDoneOrFailedWithAReport) {
  std::string in = dir_.File("drop");
  std::filesystem::create_directories(in);
  testing::WriteFile(in + "/a.ndjson",
                     "{\"source\":\"信箱\",\"id\":\"m1\",\"text\":\"书记您好，我们村的路坏了\","
                     "\"published_at\":\"2026-11-16T08:00:00+08:00\",\"channel\":\"mailbox\"}\n");
  testing::WriteFile(in + "/b.csv",
                     "source,id,text,published_at\n信箱,m2,好,2026-11-16T09:00:00+08:00\n"
                     "信箱,m3,坏日期,2026-13-01\n");
  Add("领导信箱", model::SourceKind::kFolder, nlohmann::json{{"path", in}}.dump());
  auto r = collector_->RunOnce("领导信箱");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(r->rejected, 1);
  EXPECT_TRUE(std::filesystem::exists(in + "/done/a.ndjson"));
  EXPECT_TRUE(std::filesystem::exists(in + "/failed/b.csv"));
  std::string report = testing::ReadFile(in + "/failed/b.csv.report.txt");
  EXPECT_NE(report.find("line 3"), std::string::npos) << report;
  EXPECT_FALSE(std::filesystem::exists(in + "/a.ndjson"));
  auto p = store_->GetPost("信箱", "m1");
  ASSERT_TRUE(p.ok() && *p);
  EXPECT_EQ((*p)->post.region, "140406");  // the source's default region
}

TEST_F(CollectorTest, DropFolderReadsExcelExports) {
  std::string in = dir_.File("xlsx");
  std::filesystem::create_directories(in);
  std::filesystem::copy_file(testing::SourceDir() / "src/collect/testdata/mailbox.xlsx",
                             in + "/mailbox.xlsx");
  Add("书记信箱", model::SourceKind::kFolder, nlohmann::json{{"path", in}}.dump());
  auto r = collector_->RunOnce("书记信箱");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fetched, 3);
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(r->rejected, 1);
  auto a = store_->GetPost("书记信箱", "1001");
  ASSERT_TRUE(a.ok() && *a);
  EXPECT_EQ((*a)->post.title, "书记信箱：村道损坏");
  EXPECT_EQ((*a)->post.author.name, "张先生");
  EXPECT_EQ((*a)->post.metrics.likes, 12);
  EXPECT_EQ(core::FormatIso8601((*a)->post.published_at, 480), "2026-11-16T09:30:00+08:00");
  auto b = store_->GetPost("书记信箱", "m-1002");
  ASSERT_TRUE(b.ok() && *b);
  EXPECT_EQ(core::FormatIso8601((*b)->post.published_at, 480), "2026-11-16T12:00:00+08:00");
  EXPECT_TRUE(std::filesystem::exists(in + "/failed/mailbox.xlsx"));
  std::string report = testing::ReadFile(in + "/failed/mailbox.xlsx.report.txt");
  EXPECT_NE(report.find("mailbox.xlsx row 4"), std::string::npos) << report;
}

TEST_F(CollectorTest, DryRunWritesNothing) {
  AddFeed("潞城区政府", "/feed.xml");
  auto r = collector_->Test("潞城区政府");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->preview.size(), 3u);
  EXPECT_EQ(Posts(), 0);
  EXPECT_EQ(Get("潞城区政府").state.runs, 0);
}

// An article page for the web collector's fixture portal.
std::string Article(const std::string& title, const std::string& when) {
  return "<html><head><meta charset=\"utf-8\"><title>" + title + "</title></head><body>" +
         "<div class=\"nav\">首页</div><h1>" + title + "</h1><span class=\"time\">发布时间：" +
         when + "</span><div class=\"content\"><p>" + title + "的正文。</p></div></body></html>";
}

std::string ListPage(const std::vector<std::string>& links, const std::string& next) {
  std::string html = "<html><body><ul class=\"list\">";
  for (const auto& l : links) html += "<li><a href=\"" + l + "\">" + l + "</a></li>";
  html += "</ul>";
  if (!next.empty()) html += "<a class=\"next\" href=\"" + next + "\">下一页</a>";
  return html + "</body></html>";
}

TEST_F(CollectorTest, WebListFollowsPagesBackToTheLastArticleSeen) {
  for (int i = 1; i <= 5; ++i) {
    web_.Page("a" + std::to_string(i) + ".html",
              Article("通知" + std::to_string(i), "2026-11-1" + std::to_string(i) + " 09:00"));
  }
  web_.Page("list1.html", ListPage({"a3.html", "a2.html"}, "list2.html"));
  web_.Page("list2.html", ListPage({"a1.html"}, ""));
  Add("通知公告", model::SourceKind::kWeb,
      nlohmann::json{{"url", web_.Url("/w/list1.html")},
                     {"links", "//ul[@class='list']/li/a"},
                     {"next", "//a[@class='next']"},
                     {"body", "//div[@class='content']"},
                     {"time", "//span[@class='time']"}}
          .dump());
  auto r = collector_->RunOnce("通知公告");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  // The first run reads the first list page only.
  EXPECT_EQ(r->accepted, 2);
  auto p = store_->GetPost("通知公告", web_.Url("/w/a3.html"));
  ASSERT_TRUE(p.ok() && *p);
  EXPECT_EQ((*p)->post.title, "通知3");
  EXPECT_EQ((*p)->post.text, "通知3的正文。");
  EXPECT_EQ(core::FormatIso8601((*p)->post.published_at, 480), "2026-11-13T09:00:00+08:00");
  EXPECT_EQ(Get("通知公告").state.cursor, web_.Url("/w/a3.html"));

  // Two new notices push the list to a second page; the run follows it back to a3.
  web_.Page("list1.html", ListPage({"a5.html", "a4.html"}, "list2.html"));
  web_.Page("list2.html", ListPage({"a3.html", "a2.html"}, "list3.html"));
  r = collector_->RunOnce("通知公告");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  EXPECT_EQ(r->fetched, 2);
  EXPECT_EQ(r->accepted, 2);
  EXPECT_EQ(Posts(), 4);
  EXPECT_EQ(Get("通知公告").state.cursor, web_.Url("/w/a5.html"));

  // A layout change: the link selector matches nothing, reported with the list page's URL.
  web_.Page("list1.html", "<html><body><div>改版了</div></body></html>");
  r = collector_->RunOnce("通知公告");
  ASSERT_TRUE(r.ok());
  model::Source s = Get("通知公告");
  EXPECT_NE(s.state.last_error.find("matches nothing"), std::string::npos) << s.state.last_error;
  EXPECT_EQ(s.state.last_error_url, web_.Url("/w/list1.html"));
}

TEST_F(CollectorTest, CssSelectorsCollectTheSameArticlesAsXPath) {
  for (int i = 1; i <= 5; ++i) {
    web_.Page("a" + std::to_string(i) + ".html",
              Article("通知" + std::to_string(i), "2026-11-1" + std::to_string(i) + " 09:00"));
  }
  web_.Page("list1.html", ListPage({"a3.html", "a2.html"}, "list2.html"));
  web_.Page("list2.html", ListPage({"a1.html"}, ""));
  nlohmann::json xpath = {
      {"url", web_.Url("/w/list1.html")},  {"links", "//ul[@class='list']/li/a"},
      {"next", "//a[@class='next']"},      {"title", "//h1"},
      {"body", "//div[@class='content']"}, {"time", "//span[@class='time']"}};
  nlohmann::json css = {{"url", web_.Url("/w/list1.html")},
                        {"css",
                         {{"links", "ul.list > li > a"},
                          {"next", "a.next"},
                          {"title", "h1"},
                          {"body", "div.content"},
                          {"time", "span.time"}}}};
  ASSERT_TRUE(CheckSourceConfig(model::SourceKind::kWeb, css).ok());
  Add("按XPath", model::SourceKind::kWeb, xpath.dump());
  Add("按CSS", model::SourceKind::kWeb, css.dump());
  auto same = [&](int expect_accepted) {
    auto a = collector_->RunOnce("按XPath");
    auto b = collector_->RunOnce("按CSS");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(b->error.ok()) << b->error.ToString();
    EXPECT_EQ(a->accepted, expect_accepted);
    EXPECT_EQ(b->accepted, expect_accepted);
    EXPECT_EQ(Get("按CSS").state.cursor, Get("按XPath").state.cursor);
    for (int i = 1; i <= 5; ++i) {
      std::string url = web_.Url("/w/a" + std::to_string(i) + ".html");
      auto x = store_->GetPost("按XPath", url);
      auto c = store_->GetPost("按CSS", url);
      ASSERT_TRUE(x.ok() && c.ok());
      ASSERT_EQ(x->has_value(), c->has_value()) << url;
      if (!x->has_value()) continue;
      EXPECT_EQ((*c)->post.title, (*x)->post.title);
      EXPECT_EQ((*c)->post.text, (*x)->post.text);
      EXPECT_EQ((*c)->post.published_at, (*x)->post.published_at);
    }
  };
  same(2);  // the first page
  EXPECT_EQ((*store_->GetPost("按CSS", web_.Url("/w/a3.html")))->post.text, "通知3的正文。");
  web_.Page("list1.html", ListPage({"a5.html", "a4.html"}, "list2.html"));
  web_.Page("list2.html", ListPage({"a3.html", "a2.html"}, "list3.html"));
  same(2);  // back through the next page to a3
  EXPECT_EQ(Posts(), 8);

  // An unsupported selector is refused with the selector and its column, and a run of a source
  // stored with one says the same.
  nlohmann::json bad = css;
  bad["css"]["links"] = "ul.list li + a";
  Status s = CheckSourceConfig(model::SourceKind::kWeb, bad);
  EXPECT_EQ(s.message(),
            "field \"config.css.links\": CSS selector \"ul.list li + a\": column 12: the "
            "next-sibling combinator \"+\" is not supported");
  Add("坏CSS", model::SourceKind::kWeb, bad.dump());
  auto r = collector_->RunOnce("坏CSS");
  ASSERT_TRUE(r.ok());
  EXPECT_NE(Get("坏CSS").state.last_error.find("column 12"), std::string::npos);
}

// A recorded stream for the replay source: out of file order, one record malformed.
std::string Recording() {
  auto rec = [](const char* id, const char* text, const char* at) {
    return fmt::format(
        "{{\"source\":\"微博\",\"id\":\"{}\",\"text\":\"{}\",\"published_at\":\"{}\"}}\n", id, text,
        at);
  };
  return rec("r3", "河面漂着死鱼", "2026-11-16T14:50:00+08:00") +
         rec("r1", "化工厂附近闻到刺鼻气味", "2026-11-16T14:00:00+08:00") +
         rec("r2", "浊漳河水发黑", "2026-11-16T14:40:00+08:00") +
         "{\"source\":\"微博\",\"id\":\"bad\",\"text\":\"没有发布时间\"}\n" +
         rec("r4", "环保局已到现场", "2026-11-16T15:00:00+08:00") +
         rec("r5", "取样送检", "2026-11-16T15:00:00+08:00") +
         rec("r6", "通报：系上游企业偷排", "2026-11-16T15:20:00+08:00");
}

TEST_F(CollectorTest, ReplayStoresEachRecordWhenTheClockReachesItAndResumesAfterARestart) {
  std::string file = dir_.File("river.ndjson");
  testing::WriteFile(file, Recording());
  Add("回放", model::SourceKind::kReplay, nlohmann::json{{"file", file}}.dump());
  auto nothing_early = [&] {
    for (const char* id : {"r1", "r2", "r3", "r4", "r5", "r6"}) {
      auto p = store_->GetPost("微博", id);
      if (p.ok() && *p && (*p)->post.published_at > clock_.Now()) return false;
    }
    return true;
  };
  // 14:30: only the 14:00 post is due.
  auto r = collector_->RunOnce("回放");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->error.ok()) << r->error.ToString();
  EXPECT_EQ(r->accepted, 1);
  EXPECT_EQ(r->rejected, 1);
  ASSERT_FALSE(r->problems.empty());
  EXPECT_EQ(r->problems[0].find(file + ":line 4: "), 0u) << r->problems[0];
  EXPECT_TRUE(nothing_early());
  model::Source s = Get("回放");
  EXPECT_NE(s.state.last_error.find(file + ":line 4"), std::string::npos) << s.state.last_error;
  EXPECT_EQ(s.state.last_error_url, file);
  EXPECT_EQ(s.state.consecutive_failures, 0);
  EXPECT_EQ(s.state.health, model::SourceHealth::kOk);
  EXPECT_EQ(s.state.cursor, "1 2026-11-16T06:00:00Z");

  clock_.Set(*core::ParseIso8601("2026-11-16T14:45:00+08:00"));
  r = collector_->RunOnce("回放");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 1);  // r2
  EXPECT_EQ(r->rejected, 0);  // the malformed record is counted once
  EXPECT_TRUE(nothing_early());
  EXPECT_FALSE(store_->GetPost("微博", "r3")->has_value());

  // The process stops and starts again; the clock has run on to 15:00.
  Open();
  clock_.Set(*core::ParseIso8601("2026-11-16T15:00:00+08:00"));
  r = collector_->RunOnce("回放");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 3);  // r3, r4, r5
  EXPECT_EQ(r->duplicate, 0);
  EXPECT_TRUE(nothing_early());
  clock_.Set(*core::ParseIso8601("2026-11-16T16:00:00+08:00"));
  r = collector_->RunOnce("回放");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->accepted, 1);
  EXPECT_EQ(r->duplicate, 0);
  r = collector_->RunOnce("回放");  // the end of the recording: nothing more
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->fetched, 0);
  EXPECT_EQ(Posts(), 6);
  s = Get("回放");
  EXPECT_EQ(s.state.accepted, 6);
  EXPECT_EQ(s.state.duplicate, 0);
  EXPECT_EQ(s.state.rejected, 1);
  // Stored in publication order.
  int64_t last_key = 0;
  for (const char* id : {"r1", "r2", "r3", "r4", "r5", "r6"}) {
    auto p = store_->GetPost("微博", id);
    ASSERT_TRUE(p.ok() && *p) << id;
    EXPECT_GT((*p)->key, last_key) << id;
    last_key = (*p)->key;
  }
}

TEST_F(CollectorTest, SchedulerPlaysAReplaySourceInEventTime) {
  std::string file = dir_.File("river.ndjson");
  testing::WriteFile(file, Recording());
  Add("回放", model::SourceKind::kReplay, nlohmann::json{{"file", file}}.dump());
  model::Source s = Get("回放");
  s.interval = std::chrono::seconds(10);
  ASSERT_TRUE(store_->UpdateSource(s, clock_.Now()).ok());
  Scheduler scheduler(*store_, *collector_, 2, std::chrono::milliseconds(5));
  scheduler.Start();
  // Event time runs a minute per step; at each step nothing later than the clock is stored.
  bool early = false;
  bool all = testing::PollUntil([&] {
    core::TimePoint now = clock_.Now();
    for (const char* id : {"r1", "r2", "r3", "r4", "r5", "r6"}) {
      auto p = store_->GetPost("微博", id);
      if (p.ok() && *p && (*p)->post.published_at > now) early = true;
    }
    if (Posts() == 6) return true;
    clock_.Advance(std::chrono::minutes(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return false;
  });
  scheduler.Stop();
  EXPECT_TRUE(all);
  EXPECT_FALSE(early);
  EXPECT_EQ(Get("回放").state.duplicate, 0);
}

TEST_F(CollectorTest, AMissingRecordingIsReportedOnTheSourceWithItsPath) {
  std::string file = dir_.File("gone.ndjson");
  Add("回放", model::SourceKind::kReplay, nlohmann::json{{"file", file}}.dump());
  auto r = collector_->RunOnce("回放");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->error.ok());
  model::Source s = Get("回放");
  EXPECT_NE(s.state.last_error.find("cannot open the recorded stream"), std::string::npos)
      << s.state.last_error;
  EXPECT_EQ(s.state.last_error_url, file);
  EXPECT_EQ(s.state.consecutive_failures, 1);
  // A malformed file as a whole (a JSON array cut short) names the file too.
  std::string cut = dir_.File("cut.json");
  testing::WriteFile(cut, "[{\"source\":\"微博\",\"id\":\"x\"");
  Add("截断的回放", model::SourceKind::kReplay, nlohmann::json{{"file", cut}}.dump());
  r = collector_->RunOnce("截断的回放");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->error.ok());
  s = Get("截断的回放");
  EXPECT_NE(s.state.last_error.find(cut), std::string::npos) << s.state.last_error;
  EXPECT_EQ(s.state.last_error_url, cut);
}

TEST_F(CollectorTest, SchedulerKeepsFastSourcesOnTimeWhileASlowOneHangs) {
  AddFeed("慢源", "/slow");
  AddFeed("快源", "/atom.xml");
  model::Source paused;
  paused.name = "暂停的源";
  paused.config_json = nlohmann::json{{"url", web_.Url("/feed.xml")}}.dump();
  paused.paused = true;
  ASSERT_TRUE(store_->CreateSource(paused, clock_.Now()).ok());
  for (const char* name : {"慢源", "快源"}) {
    model::Source s = Get(name);
    s.interval = std::chrono::seconds(10);
    ASSERT_TRUE(store_->UpdateSource(s, clock_.Now()).ok());
  }
  Scheduler scheduler(*store_, *collector_, 2, std::chrono::milliseconds(10));
  scheduler.Start();
  // Ten intervals of event time pass while the slow source is stuck in its first run or two.
  bool on_time = testing::PollUntil([&] {
    if (Get("快源").state.runs >= 5) return true;
    clock_.Advance(std::chrono::seconds(10));
    std::this_thread::yield();
    return false;
  });
  scheduler.Stop();
  EXPECT_TRUE(on_time);
  EXPECT_GE(Get("快源").state.runs, 5);
  EXPECT_LE(Get("慢源").state.runs, Get("快源").state.runs);
  EXPECT_EQ(Get("暂停的源").state.runs, 0);
  EXPECT_EQ(Posts(), 2);  // the fast feed's two entries, once
}

}  // namespace
}  // namespace yuqing::collect
