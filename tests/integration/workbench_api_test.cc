// The endpoints the web workbench's screens read, against the real server: the monitoring
// statistics (sentiment by hour, channel mix, the map's regions), an event's series and its
// representative posts in full, one post by source and id, the sources, search highlights,
// the cheap rule check, and the live stream of processed posts.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>
#include <thread>

#include "core/time.h"
#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Post(const std::string& source, const std::string& id, const std::string& channel,
                 const std::string& region, const std::string& when, const std::string& text) {
  return json{{"source", source},     {"id", id},    {"channel", channel}, {"region", region},
              {"published_at", when}, {"text", text}}
             .dump() +
         "\n";
}

// One explosion in 潞城区 (长治, 1404): a frightened resident on Weibo and a news report (a
// wire report is neutral in tone), and a happy post from 太原 (1401) in the evening.
std::string Posts() {
  return Post("weibo", "1", "weibo", "140406", "2026-11-21T08:00:00+08:00",
              "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，已造成3人死亡，太吓人了，到现在都没人出"
              "来说明"
              "情况！") +
         Post("rss:people", "a/2", "news", "140406", "2026-11-21T08:05:00+08:00",
              "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤送医。") +
         Post("weibo", "3", "weibo", "140100", "2026-11-21T20:30:00+08:00",
              "太原今天的马拉松太棒了，志愿者热情周到，市民加油声不断，为太原点赞！");
}

class WorkbenchApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.File("y.db");
    token_ = CreateApiToken(db_, "workbench");
    ASSERT_FALSE(token_.empty());
    server_ = StartServer(db_, &port_);
    ASSERT_NE(port_, 0);
    auto c = Client();
    auto res = c->Post("/api/v1/posts", Posts(), "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    // Wait until the event stage has processed all three.
    ASSERT_TRUE(PollUntil(
        [&] {
          auto h = c->Get("/healthz");
          if (!h || h->status != 200) return false;
          json j = json::parse(h->body);
          return j["posts"] == 3 && j["events_queued"] == 0;
        },
        std::chrono::seconds(20)));
  }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", port_);
    c->set_bearer_token_auth(token_);
    c->set_read_timeout(20, 0);
    return c;
  }

  json Get(const std::string& path, int want = 200) {
    auto r = Client()->Get(path);
    EXPECT_TRUE(r) << path;
    if (!r) return json();
    EXPECT_EQ(r->status, want) << path << " → " << r->body;
    return json::parse(r->body, nullptr, false);
  }

  TempDir dir_;
  std::string db_;
  std::string token_;
  int port_ = 0;
  std::unique_ptr<Subprocess> server_;
};

constexpr const char* kDay = "from=2026-11-21T00:00:00%2B08:00&to=2026-11-22T00:00:00%2B08:00";

TEST_F(WorkbenchApiTest, SentimentByHourAndChannelMixCountTheProcessedPosts) {
  json by_hour = Get(fmt::format("/api/v1/stats/sentiment?{}&bucket=hour", kDay));
  ASSERT_EQ(by_hour["buckets"].size(), 24u) << by_hour.dump();
  EXPECT_EQ(by_hour["bucket_seconds"], 3600);
  int64_t total = 0, sentiment_total = 0;
  for (const auto& b : by_hour["buckets"]) {
    total += b["posts"].get<int64_t>();
    sentiment_total +=
        b["negative"].get<int64_t>() + b["neutral"].get<int64_t>() + b["positive"].get<int64_t>();
  }
  EXPECT_EQ(total, 3);
  EXPECT_EQ(sentiment_total, 3) << "every post has one label";
  // Hours begin at midnight in China: the two reports fall in the 9th hour, the marathon in
  // the 21st.
  EXPECT_EQ(by_hour["buckets"][8]["posts"], 2) << by_hour.dump();
  EXPECT_EQ(by_hour["buckets"][8]["channels"]["weibo"], 1);
  EXPECT_EQ(by_hour["buckets"][8]["channels"]["news"], 1);
  EXPECT_GE(by_hour["buckets"][8]["negative"].get<int>(), 1) << "the resident's post";
  EXPECT_EQ(by_hour["buckets"][20]["posts"], 1);
  EXPECT_EQ(by_hour["buckets"][20]["negative"], 0) << "the marathon is not negative";

  json by_day = Get(fmt::format("/api/v1/stats/sentiment?{}&bucket=day", kDay));
  ASSERT_EQ(by_day["buckets"].size(), 1u) << by_day.dump();
  EXPECT_EQ(by_day["buckets"][0]["posts"], 3);

  json mix = Get(fmt::format("/api/v1/stats/channels?{}", kDay));
  EXPECT_EQ(mix["total"], 3);
  EXPECT_EQ(mix["channels"]["weibo"], 2);
  EXPECT_EQ(mix["channels"]["news"], 1);
  json shanxi_only = Get(fmt::format("/api/v1/stats/channels?{}&region=1401", kDay));
  EXPECT_EQ(shanxi_only["total"], 1) << "太原 alone";
  json before =
      Get("/api/v1/stats/channels?from=2026-11-20T00:00:00%2B08:00&to=2026-11-21T00:00:00%2B08:00");
  EXPECT_EQ(before["total"], 0);

  // Wrong queries are refused with what is wrong.
  for (const std::string q :
       {"bucket=7", "bucket=week", "region=shanxi", "from=yesterday",
        "from=2026-11-22T00:00:00Z&to=2026-11-21T00:00:00Z", "tz=Mars/Olympus",
        "bucket=minute&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z"}) {
    json e = Get("/api/v1/stats/sentiment?" + q, 400);
    EXPECT_EQ(e["error"]["code"], "invalid_argument") << q;
  }
}

TEST_F(WorkbenchApiTest, RegionsForTheMapByProvinceAndPrefecture) {
  json provinces = Get(fmt::format("/api/v1/stats/regions?level=province&{}", kDay));
  ASSERT_EQ(provinces["regions"].size(), 1u) << provinces.dump();
  EXPECT_EQ(provinces["regions"][0]["code"], "14");
  EXPECT_EQ(provinces["regions"][0]["posts"], 3);
  EXPECT_GE(provinces["regions"][0]["events"].get<int>(), 1);

  json prefectures = Get(fmt::format("/api/v1/stats/regions?level=prefecture&region=14&{}", kDay));
  std::map<std::string, json> by_code;
  for (const auto& r : prefectures["regions"]) by_code[r["code"]] = r;
  ASSERT_TRUE(by_code.count("1404")) << prefectures.dump();
  ASSERT_TRUE(by_code.count("1401")) << prefectures.dump();
  EXPECT_EQ(by_code["1404"]["posts"], 2);
  EXPECT_EQ(by_code["1401"]["posts"], 1);
  EXPECT_GE(by_code["1404"]["events"].get<int>(), 1);
  EXPECT_GT(by_code["1404"]["max_heat"].get<double>(), 0);
  EXPECT_TRUE(by_code["1404"]["top_grade"].is_string());

  EXPECT_EQ(Get("/api/v1/stats/regions?level=city", 400)["error"]["code"], "invalid_argument");
}

TEST_F(WorkbenchApiTest, AnEventsSeriesAndItsRepresentativePostsInFull) {
  json list = Get("/api/v1/events?sort=posts");
  ASSERT_FALSE(list["events"].empty());
  const json& e = list["events"][0];
  ASSERT_EQ(e["posts"], 2) << list.dump();
  std::string id = std::to_string(e["id"].get<int64_t>());

  json series = Get("/api/v1/events/" + id + "/series?bucket=hour");
  int64_t posts = 0, weibo = 0, news = 0;
  for (const auto& r : series["rows"]) {
    posts += r["posts"].get<int64_t>();
    weibo += r["channels"].value("weibo", int64_t{0});
    news += r["channels"].value("news", int64_t{0});
  }
  EXPECT_EQ(posts, 2) << series.dump();
  EXPECT_EQ(weibo, 1);
  EXPECT_EQ(news, 1);
  json ten_minutes = Get("/api/v1/events/" + id + "/series?bucket=600");
  EXPECT_EQ(ten_minutes["bucket_seconds"], 600);
  EXPECT_EQ(Get("/api/v1/events/999/series", 404)["error"]["code"], "not_found");

  json detail = Get("/api/v1/events/" + id);
  EXPECT_EQ(detail["posts"], 2);
  ASSERT_EQ(detail["newest_posts"].size(), 2u);
  const json& reps = detail["detail"]["representative_posts"];
  ASSERT_FALSE(reps.empty()) << detail["detail"].dump();
  bool found = false;
  for (const auto& r : reps) {
    ASSERT_TRUE(r.contains("text")) << r.dump();
    EXPECT_NE(r["text"].get<std::string>().find("化工厂"), std::string::npos);
    // A source with a colon in its name ("rss:people") is found too.
    if (r["source"] == "rss:people") found = r["post_id"] == "a/2";
  }
  EXPECT_TRUE(found || reps.size() < 2) << reps.dump();
}

TEST_F(WorkbenchApiTest, OnePostBySourceAndIdAndTheSources) {
  json p = Get("/api/v1/posts/weibo/1");
  EXPECT_EQ(p["id"], "1");
  EXPECT_NE(p["text"].get<std::string>().find("潞城区"), std::string::npos);
  ASSERT_TRUE(p["analysis"].is_object()) << p.dump();
  EXPECT_TRUE(p["analysis"].contains("sentiment"));
  json slash = Get("/api/v1/posts/rss:people/a/2");
  EXPECT_EQ(slash["id"], "a/2");
  EXPECT_EQ(Get("/api/v1/posts/weibo/999", 404)["error"]["code"], "not_found");

  json sources = Get("/api/v1/sources");
  ASSERT_EQ(sources["sources"].size(), 2u) << sources.dump();
  EXPECT_EQ(sources["sources"][0]["name"], "rss:people");
  EXPECT_EQ(sources["sources"][1]["name"], "weibo");
  EXPECT_EQ(sources["sources"][1]["posts"], 2);
  EXPECT_LT(sources["sources"][1]["first_post_at"].get<std::string>(),
            sources["sources"][1]["last_post_at"].get<std::string>());
}

TEST_F(WorkbenchApiTest, SearchHitsSayWhereTheQueryWordsAre) {
  json hits = Get("/api/v1/search?q=%E5%8C%96%E5%B7%A5%E5%8E%82");  // 化工厂
  ASSERT_EQ(hits["hits"].size(), 2u) << hits.dump();
  for (const auto& h : hits["hits"]) {
    ASSERT_FALSE(h["highlights"].empty()) << h.dump();
    for (const auto& m : h["highlights"]) {
      std::string field = h[m["field"].get<std::string>()];
      size_t b = m["begin"], e = m["end"];
      ASSERT_LE(e, field.size());
      EXPECT_EQ(field.substr(b, e - b), "化工厂") << h.dump();
    }
  }
  json none = Get("/api/v1/search?sort=newest&limit=5");
  for (const auto& h : none["hits"]) EXPECT_TRUE(h["highlights"].empty());
}

TEST_F(WorkbenchApiTest, TheRuleCheckSaysWhereARuleIsWrongWithoutScanning) {
  auto c = Client();
  auto ok = c->Post("/api/v1/rules/check", json{{"query", "化工厂 AND (爆炸 OR 泄漏)"}}.dump(),
                    "application/json");
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;
  EXPECT_EQ(json::parse(ok->body)["terms"], 3);
  auto bad =
      c->Post("/api/v1/rules/check", json{{"query", "化工厂 AND ("}}.dump(), "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  json e = json::parse(bad->body)["error"];
  EXPECT_EQ(e["code"], "invalid_rule");
  EXPECT_GT(e["details"]["column"].get<int>(), 0) << bad->body;
  auto list =
      c->Post("/api/v1/rules/check", json{{"query", "@no_such_list"}}.dump(), "application/json");
  ASSERT_TRUE(list);
  EXPECT_EQ(list->status, 400) << list->body;
  auto empty = c->Post("/api/v1/rules/check", "{}", "application/json");
  ASSERT_TRUE(empty);
  EXPECT_EQ(empty->status, 400);
}

TEST_F(WorkbenchApiTest, ThePostStreamSendsProcessedPostsAndOnlyRuleMatchesWhenAsked) {
  // From the start: the three posts processed so far, in processing order.
  std::regex event_re("id: (\\d+)\nevent: post\ndata: (\\{[^\n]*\\})\n\n");
  auto read = [&](const std::string& path, size_t want) {
    std::vector<json> posts;
    std::string text;
    auto c = Client();
    c->Get(path, [&](const char* data, size_t n) {
      text.append(data, n);
      posts.clear();
      for (auto it = std::sregex_iterator(text.begin(), text.end(), event_re);
           it != std::sregex_iterator(); ++it) {
        posts.push_back(json::parse((*it)[2].str()));
      }
      return posts.size() < want;
    });
    return posts;
  };
  auto all = read("/api/v1/posts/stream?after=0", 3);
  ASSERT_EQ(all.size(), 3u);
  for (const auto& p : all) {
    EXPECT_TRUE(p.contains("sentiment")) << p.dump();
    EXPECT_GT(p["event"].get<int64_t>(), 0);
  }

  // Without a position but with recent=2: the last two processed.
  auto recent = read("/api/v1/posts/stream?recent=2", 2);
  ASSERT_EQ(recent.size(), 2u);
  EXPECT_EQ(recent[0]["id"], "a/2");
  EXPECT_EQ(recent[1]["id"], "3");
  EXPECT_EQ(Get("/api/v1/posts/stream?recent=-1", 400)["error"]["code"], "invalid_argument");

  // Without a position: only what is processed from now on; with rules=only, only posts that
  // matched a monitoring rule.
  auto c = Client();
  auto rule = c->Post("/api/v1/rules", json{{"name", "疏散"}, {"query", "疏散"}}.dump(),
                      "application/json");
  ASSERT_TRUE(rule);
  ASSERT_EQ(rule->status, 201) << rule->body;
  std::vector<json> live;
  std::atomic<bool> got{false};
  std::thread reader([&] {
    live = read("/api/v1/posts/stream?rules=only", 1);
    got = true;
  });
  int n = 10;
  bool arrived = PollUntil(
      [&] {
        if (got) return true;
        // One post the rule does not match, then one it does, until the stream shows one.
        std::string batch =
            Post("weibo", std::to_string(n), "weibo", "140406", "2026-11-21T09:00:00+08:00",
                 "潞城区化工厂爆炸后附近道路已经封闭。") +
            Post("weibo", std::to_string(n + 1), "weibo", "140406", "2026-11-21T09:01:00+08:00",
                 "潞城区化工厂爆炸后附近居民已经疏散。");
        n += 2;
        (void)c->Post("/api/v1/posts", batch, "application/x-ndjson");
        std::this_thread::sleep_for(std::chrono::milliseconds(700));
        return got.load();
      },
      std::chrono::seconds(20));
  if (!arrived) server_->Signal(SIGTERM);  // ends the stream, so the reader returns
  reader.join();
  ASSERT_TRUE(arrived);
  ASSERT_EQ(live.size(), 1u);
  EXPECT_NE(live[0]["text"].get<std::string>().find("疏散"), std::string::npos) << live[0].dump();
  ASSERT_FALSE(live[0]["rules"].empty());
  EXPECT_EQ(live[0]["rules"][0]["name"], "疏散");
  EXPECT_GE(std::stoi(live[0]["id"].get<std::string>()), 10) << "not one of the first posts";

  EXPECT_EQ(Get("/api/v1/posts/stream?rules=some", 400)["error"]["code"], "invalid_argument");
}

TEST_F(WorkbenchApiTest, CasesPageBackAndTheAssessmentComesByPeriod) {
  auto c = Client();
  std::vector<int64_t> ids;
  for (int i = 0; i < 3; ++i) {
    json body = {{"origin", "manual"},
                 {"title", fmt::format("群众反映问题 {}", i)},
                 {"region", "140406"},
                 {"grade", "IV"}};
    auto r = c->Post("/api/v1/cases", body.dump(), "application/json");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 201) << r->body;
    ids.push_back(json::parse(r->body)["id"].get<int64_t>());
  }
  json newest = Get("/api/v1/cases?limit=1");
  ASSERT_EQ(newest["cases"].size(), 1u);
  EXPECT_EQ(newest["cases"][0]["id"], ids[2]);
  json older = Get(fmt::format("/api/v1/cases?limit=5&before={}", ids[2]));
  ASSERT_EQ(older["cases"].size(), 2u) << older.dump();
  EXPECT_EQ(older["cases"][0]["id"], ids[1]);
  EXPECT_EQ(older["cases"][1]["id"], ids[0]);
  EXPECT_EQ(older["total"], 3) << "the filter's total, whatever the page";

  // Months in China's time from September to a day from now (the last one partial).
  auto now = std::chrono::system_clock::now();
  std::string to =
      core::FormatIso8601(core::TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(
          (now + std::chrono::hours(24)).time_since_epoch())));
  json series =
      Get(fmt::format("/api/v1/assessment/series?from=2026-09-01T00:00:00%2B08:00&to={}"
                      "&period=month",
                      std::regex_replace(to, std::regex("\\+"), "%2B")));
  const json& periods = series["periods"];
  ASSERT_GE(periods.size(), 3u) << series.dump();
  EXPECT_EQ(core::ParseIso8601(periods[1]["from"].get<std::string>()).value(),
            core::ParseIso8601("2026-10-01T00:00:00+08:00").value());
  int64_t cases = 0;
  for (const auto& p : periods) cases += p["cases_in_period"].get<int64_t>();
  EXPECT_EQ(cases, 3) << series.dump();
  EXPECT_EQ(periods.back()["cases_in_period"], 3) << "opened today";
  EXPECT_EQ(Get("/api/v1/assessment/series?from=2026-09-01T00:00:00Z&to=2026-10-01T00:00:00Z"
                "&period=decade",
                400)["error"]["code"],
            "invalid_query");
}

}  // namespace
}  // namespace yuqing::testing
