// Counting processed posts (post_facts) for the statistics and an event's series, the sources,
// the map's events by region, and paging back through alerts.
#include <gtest/gtest.h>

#include "core/time.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

PostRecord Rec(std::string source, std::string id, const char* when, model::Channel channel,
               std::string region, int64_t reposts = 0) {
  PostRecord r;
  r.post.source = std::move(source);
  r.post.external_id = std::move(id);
  r.post.text = "text";
  r.post.published_at = T(when);
  r.post.channel = channel;
  r.post.region = std::move(region);
  r.post.metrics.reposts = reposts;
  return r;
}

class SqliteStatsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    // Five posts: three in 长治 (1404) on the morning of 21 November (China time), one in 太原
    // (1401) in the evening, one without a region the next day.
    std::vector<PostRecord> batch = {
        Rec("weibo", "1", "2026-11-21T08:00:00+08:00", model::Channel::kWeibo, "140406", 10),
        Rec("weibo", "2", "2026-11-21T08:30:00+08:00", model::Channel::kWeibo, "140406", 5),
        Rec("rss:people", "3", "2026-11-21T08:45:00+08:00", model::Channel::kNews, "140400"),
        Rec("weibo", "4", "2026-11-21T20:00:00+08:00", model::Channel::kWeibo, "140100"),
        Rec("forum", "5", "2026-11-22T10:00:00+08:00", model::Channel::kForum, ""),
    };
    auto ins = store_->InsertPosts(batch, T("2026-11-22T12:00:00Z"));
    ASSERT_TRUE(ins.ok()) << ins.status().ToString();
    EventBatch events;
    auto queued = store_->NextQueuedPosts(0, 100);
    ASSERT_TRUE(queued.ok());
    const int sentiment[] = {-1, -1, 0, 1, 0};
    const int64_t event_of[] = {1, 1, 1, 2, 3};
    for (size_t i = 0; i < queued->size(); ++i) {
      const auto& q = (*queued)[i];
      size_t n = std::stoul(q.post.post.external_id) - 1;
      events.queue_through = std::max(events.queue_through, q.seq);
      PostEvent pe;
      pe.post_key = q.post.key;
      pe.event_id = event_of[n];
      pe.reason = "new";
      pe.analysis_json = "{}";
      pe.sentiment = sentiment[n];
      events.posts.push_back(pe);
    }
    for (auto [id, region, heat, grade] :
         {std::tuple{1, "140406", 60.0, 3}, {2, "140100", 20.0, 4}, {3, "140400", 30.0, 4}}) {
      model::EventRecord e;
      e.id = id;
      e.title = "event";
      e.first_seen = T("2026-11-21T08:00:00+08:00");
      e.last_seen = T("2026-11-21T21:00:00+08:00");
      e.updated_at = e.last_seen;
      e.heat = heat;
      e.grade = grade;
      e.regions = {region};
      e.detail_json = "{}";
      events.events.push_back(e);
    }
    ASSERT_TRUE(store_->CommitEvents(events).ok());
  }

  std::vector<PostCountRow> Count(PostCountQuery q) {
    auto rows = store_->CountPosts(q);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? *rows : std::vector<PostCountRow>{};
  }

  static int64_t Sum(const std::vector<PostCountRow>& rows) {
    int64_t n = 0;
    for (const auto& r : rows) n += r.posts;
    return n;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_F(SqliteStatsTest, CountsByTimeChannelSentimentAndRegion) {
  EXPECT_EQ(Sum(Count({})), 5);
  PostCountQuery day;
  day.from = T("2026-11-21T00:00:00+08:00");
  day.to = T("2026-11-22T00:00:00+08:00");
  EXPECT_EQ(Sum(Count(day)), 4);

  // By hour: the three 长治 posts in the 08:00 hour, grouped by channel and sentiment.
  PostCountQuery hours = day;
  hours.bucket_seconds = 3600;
  auto rows = Count(hours);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].start, T("2026-11-21T08:00:00+08:00"));
  EXPECT_EQ(rows[0].channel, model::Channel::kNews);
  EXPECT_EQ(rows[0].sentiment, 0);
  EXPECT_EQ(rows[1].channel, model::Channel::kWeibo);
  EXPECT_EQ(rows[1].sentiment, -1);
  EXPECT_EQ(rows[1].posts, 2);
  EXPECT_EQ(rows[1].engagement, 15);
  EXPECT_EQ(rows[2].start, T("2026-11-21T20:00:00+08:00"));
  EXPECT_EQ(rows[2].sentiment, 1);

  // Days that begin at midnight in China (UTC+8), not in UTC.
  PostCountQuery days;
  days.bucket_seconds = 86400;
  days.bucket_offset_seconds = 8 * 3600;
  auto by_day = Count(days);
  ASSERT_FALSE(by_day.empty());
  EXPECT_EQ(by_day.front().start, T("2026-11-21T00:00:00+08:00"));
  EXPECT_EQ(by_day.back().start, T("2026-11-22T00:00:00+08:00"));

  // A region prefix, and regions cut to prefectures (posts without one left out).
  PostCountQuery changzhi;
  changzhi.region = "1404";
  EXPECT_EQ(Sum(Count(changzhi)), 3);
  PostCountQuery prefectures;
  prefectures.region_digits = 4;
  std::map<std::string, int64_t> by_region;
  for (const auto& r : Count(prefectures)) by_region[r.region] += r.posts;
  EXPECT_EQ(by_region, (std::map<std::string, int64_t>{{"1401", 1}, {"1404", 3}}));

  // One event's posts.
  PostCountQuery event;
  event.event_id = 1;
  EXPECT_EQ(Sum(Count(event)), 3);

  std::vector<PostCountQuery> bad(3);
  bad[0].bucket_seconds = -1;
  bad[1].region_digits = 3;
  bad[2].region = "14x";
  for (const PostCountQuery& b : bad) {
    EXPECT_EQ(store_->CountPosts(b).status().code(), StatusCode::kInvalidArgument);
  }
}

TEST_F(SqliteStatsTest, HourlyCountsAndTheEdgesOfARangeAgreeWithThePosts) {
  // Within hours (08:15 – 20:30): the partial hours at either end come from the posts.
  PostCountQuery q;
  q.from = T("2026-11-21T08:15:00+08:00");
  q.to = T("2026-11-21T20:30:00+08:00");
  EXPECT_EQ(Sum(Count(q)), 3);
  q.bucket_seconds = 3600;
  q.bucket_offset_seconds = 8 * 3600;
  EXPECT_EQ(Sum(Count(q)), 3);
  q.bucket_seconds = 600;  // finer than an hour: every post counted from post_facts
  EXPECT_EQ(Sum(Count(q)), 3);
  PostCountQuery in_hour;
  in_hour.from = T("2026-11-21T08:10:00+08:00");
  in_hour.to = T("2026-11-21T08:40:00+08:00");
  EXPECT_EQ(Sum(Count(in_hour)), 1);

  // A post processed again (the same batch committed twice) is counted once.
  auto processed = store_->ScanProcessedPosts(core::TimePoint{}, 0, 10);
  ASSERT_TRUE(processed.ok());
  EventBatch again;
  for (const auto& p : *processed) {
    PostEvent pe;
    pe.post_key = p.post.key;
    pe.event_id = p.event_id;
    pe.reason = "new";
    pe.analysis_json = "{}";
    again.posts.push_back(pe);
  }
  ASSERT_TRUE(store_->CommitEvents(again).ok());
  PostCountQuery day;
  day.from = T("2026-11-21T00:00:00+08:00");
  day.to = T("2026-11-22T00:00:00+08:00");
  EXPECT_EQ(Sum(Count(day)), 4);
}

TEST_F(SqliteStatsTest, EventsByRegionAndTheSources) {
  EventQuery q;
  q.from = T("2026-11-21T00:00:00+08:00");
  q.to = T("2026-11-22T00:00:00+08:00");
  auto by = store_->CountEventsByRegion(q, 4);
  ASSERT_TRUE(by.ok()) << by.status().ToString();
  ASSERT_EQ(by->size(), 2u);
  EXPECT_EQ((*by)[0].code, "1401");
  EXPECT_EQ((*by)[0].events, 1);
  EXPECT_EQ((*by)[1].code, "1404");
  EXPECT_EQ((*by)[1].events, 2);
  EXPECT_DOUBLE_EQ((*by)[1].max_heat, 60.0);
  EXPECT_EQ((*by)[1].top_grade, 3);
  q.region = "1401";
  EXPECT_EQ(store_->CountEventsByRegion(q, 2)->size(), 1u);
  EXPECT_FALSE(store_->CountEventsByRegion(q, 5).ok());

  auto sources = store_->ListSources();
  ASSERT_TRUE(sources.ok());
  ASSERT_EQ(sources->size(), 3u);
  EXPECT_EQ((*sources)[0].name, "forum");
  EXPECT_EQ((*sources)[1].name, "rss:people");
  EXPECT_EQ((*sources)[2].name, "weibo");
  EXPECT_EQ((*sources)[2].posts, 3);
  EXPECT_EQ((*sources)[2].first_post_at, T("2026-11-21T08:00:00+08:00"));
  EXPECT_EQ((*sources)[2].last_post_at, T("2026-11-21T20:00:00+08:00"));
  EXPECT_EQ(*store_->LastProcessedSeq(), 5);
}

TEST_F(SqliteStatsTest, ADatabaseFromBeforeTheFactsTableGetsThemFromItsKeptAnalysis) {
  // As schema 8 left it: post_events with the analysis, no post_facts.
  store_.reset();
  {
    auto db = Db::Open(dir_.File("y.db"), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("UPDATE post_events SET analysis = "
                           "'{\"sentiment\":{\"label\":\"negative\"}}' WHERE event_id = 1")
                    .ok());
    ASSERT_TRUE((*db)->Exec("DROP TABLE post_facts; PRAGMA user_version = 8").ok());
  }
  auto s = OpenSqliteStore(dir_.File("y.db"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  store_ = std::move(s).value();
  auto rows = Count({});
  EXPECT_EQ(Sum(rows), 5);
  int64_t negative = 0;
  for (const auto& r : rows) negative += r.sentiment < 0 ? r.posts : 0;
  EXPECT_EQ(negative, 3) << "the three posts of event 1";
}

TEST_F(SqliteStatsTest, AlertsPageBackByBeforeId) {
  EventBatch b;
  for (int level = 1; level <= 5; ++level) {
    model::NewAlert a;
    a.event_id = 1;
    a.policy_id = 1;
    a.level = level;
    a.created_at = T("2026-11-21T09:00:00+08:00");
    a.title = "alert";
    a.payload_json = "{}";
    b.alerts.push_back(a);
  }
  auto r = store_->CommitEvents(b);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  AlertQuery q;
  q.limit = 2;
  auto first = store_->ListAlerts(q);
  ASSERT_EQ(first->size(), 2u);
  q.before_id = first->back().id;
  auto older = store_->ListAlerts(q);
  ASSERT_EQ(older->size(), 2u);
  EXPECT_LT(older->front().id, first->back().id);
  EXPECT_GT(older->front().id, older->back().id) << "still newest first";
}

}  // namespace
}  // namespace yuqing::store::sqlite
