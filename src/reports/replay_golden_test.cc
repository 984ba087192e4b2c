// The golden reports of the demo scenario: data/demo/scenario.ndjson replayed through ingest,
// analysis and event clustering in event time on a fake clock (posts stored as the clock
// reaches them, the event stage run after each step, idle sweeps included), then the daily
// report of 17 Nov 2026 and the special report of the scenario's hottest event rendered as
// the next morning's server would, and compared byte for byte with the files under
// src/reports/testdata/. To regenerate them after an intended change:
//   YQ_UPDATE_GOLDEN=1 build/release/src/reports/reports_tests --gtest_filter='ReplayedScenario*'
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "collect/replay.h"
#include "core/time.h"
#include "org/org_test_util.h"
#include "pipeline/replay_test_util.h"
#include "reports/assemble.h"
#include "reports/gather.h"
#include "reports/golden_test_util.h"
#include "reports/html.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::reports {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

// The day reported on, and when the report is made (the next morning, 08:00 China time).
constexpr const char* kDay = "2026-11-17";
constexpr const char* kMorning = "2026-11-18T08:00:00+08:00";
constexpr auto kStep = std::chrono::minutes(5);  // event time per replay step

class ReplayedScenarioTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new ::yuqing::testing::TempDir();
    auto opened = store::sqlite::OpenSqliteStore(dir_->File("scenario.db"));
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    store_ = std::move(opened).value().release();
    recording_ = new collect::Recording();
    recording_->posts = pipeline::testing::ReadStream(
        {::yuqing::testing::SourceDir() / "data/demo/scenario.ndjson"});
    ASSERT_GT(recording_->posts.size(), 100u);
    pipeline::testing::AddDemoPolicy(
        *store_,
        std::chrono::floor<std::chrono::minutes>(recording_->posts.front().published_at) - kStep);
    stored_ = static_cast<int64_t>(
        pipeline::testing::ReplayInto(*store_, recording_->posts, T(kMorning), kStep));
  }

  static void TearDownTestSuite() {
    delete store_;
    store_ = nullptr;
    delete recording_;
    recording_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }

  static StoreRefs Refs() {
    return StoreRefs{*store_, *store_, *store_, *store_, org::testing::ShippedRegions().get()};
  }
  static Scope Day() {
    Scope s;
    s.from = *ParseLocalDate(kDay, 480, "--date");
    s.to = s.from + std::chrono::hours(24);
    s.now = T(kMorning);
    return s;
  }
  static RenderOptions Options() { return testing::GoldenOptions(321); }

  static void Golden(const std::string& name, const std::string& html) {
    testing::ExpectGolden(name, html);
  }

  // The scenario's posts published on the reported day, counted from the recording itself.
  static int64_t PostsOfTheDay() {
    const Scope s = Day();
    return std::count_if(
        recording_->posts.begin(), recording_->posts.end(),
        [&](const model::Post& p) { return p.published_at >= s.from && p.published_at < s.to; });
  }

  static ::yuqing::testing::TempDir* dir_;
  static store::Store* store_;
  static collect::Recording* recording_;
  static int64_t stored_;
};

::yuqing::testing::TempDir* ReplayedScenarioTest::dir_ = nullptr;
store::Store* ReplayedScenarioTest::store_ = nullptr;
collect::Recording* ReplayedScenarioTest::recording_ = nullptr;
int64_t ReplayedScenarioTest::stored_ = 0;

// The event an office would report on first: the hottest (events are listed by heat).
int64_t HottestEvent(store::EventStore& events) {
  store::EventQuery q;
  q.limit = 1;
  auto page = events.ListEvents(q);
  EXPECT_TRUE(page.ok()) << page.status().ToString();
  if (!page.ok() || page->events.empty()) return 0;
  return page->events.front().id;
}

TEST_F(ReplayedScenarioTest, DailyReportOfTheSecondDayIsByteIdentical) {
  // Only what the clock had reached by the morning was stored.
  ASSERT_GT(stored_, PostsOfTheDay());
  ASSERT_LT(stored_, static_cast<int64_t>(recording_->posts.size()));

  auto f = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  // The report counts what was published that day, as the recording says.
  EXPECT_EQ(f->posts.total, PostsOfTheDay());
  ASSERT_FALSE(f->events.empty());
  auto a = RenderHtml(AssembleDaily(*f), Template::Default(), Options());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  // Made again from the same store and clock: the same bytes.
  auto f2 = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f2.ok());
  auto b = RenderHtml(AssembleDaily(*f2), Template::Default(), Options());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->html, b->html);
  EXPECT_NE(a->html.find("<h1>舆情日报</h1>"), std::string::npos);
  EXPECT_NE(a->html.find("2026年11月17日"), std::string::npos);
  // The leak is the day's story: its river and chemical are named in the report.
  EXPECT_NE(a->html.find("苯胺"), std::string::npos);
  EXPECT_NE(a->html.find("长治市"), std::string::npos);
  EXPECT_EQ(a->html.find("\x01region:"), std::string::npos);
  EXPECT_EQ(a->html.find("<script>"), std::string::npos);
  Golden("scenario-daily.html", a->html);
}

TEST_F(ReplayedScenarioTest, SpecialReportOfTheHottestEventIsByteIdentical) {
  const int64_t id = HottestEvent(*store_);
  ASSERT_NE(id, 0);
  auto f = GatherEvent(Refs(), id, Day());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto a = RenderHtml(AssembleEvent(*f), Template::Default(), Options());
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto f2 = GatherEvent(Refs(), id, Day());
  ASSERT_TRUE(f2.ok());
  auto b = RenderHtml(AssembleEvent(*f2), Template::Default(), Options());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(a->html, b->html);
  EXPECT_NE(a->html.find("苯胺"), std::string::npos);
  EXPECT_NE(a->html.find("data-chart=\"volume\""), std::string::npos);
  EXPECT_NE(a->html.find("data-chart=\"channels\""), std::string::npos);
  EXPECT_NE(a->html.find("data-chart=\"sentiment\""), std::string::npos);
  EXPECT_NE(a->html.find("href=\"/events/" + std::to_string(id) + "\""), std::string::npos);
  Golden("scenario-event.html", a->html);
}

}  // namespace
}  // namespace yuqing::reports
