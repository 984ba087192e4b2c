// Gathering and assembling reports over a real SQLite store holding the constructed scenario
// (scenario_test_util.h): the numbers, the sections, the traces, the errors.
#include <gtest/gtest.h>

#include <numeric>

#include "reports/assemble.h"
#include "reports/gather.h"
#include "reports/scenario_test_util.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::reports {
namespace {

using testing::At;

class ReportsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::sqlite::OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(testing::FillScenario(*store_));
  }

  StoreRefs Refs() { return StoreRefs{*store_, *store_, *store_, *store_, nullptr}; }

  Scope Day(const char* date = testing::kDay) {
    Scope s;
    s.from = *ParseLocalDate(date, 480, "--date");
    s.to = s.from + std::chrono::hours(24);
    s.now = testing::Now();
    return s;
  }

  // The text of every block of a section, for looking things up.
  static const Section* Find(const Report& r, std::string_view heading) {
    for (const auto& s : r.sections) {
      if (s.heading.find(heading) != std::string::npos) return &s;
    }
    return nullptr;
  }

  static std::string FigureText(const Report& r, std::string_view figure) {
    for (const auto& s : r.sections) {
      for (const auto& b : s.blocks) {
        auto look = [&](const std::vector<Span>& spans) -> std::string {
          for (const auto& sp : spans) {
            if (sp.figure == figure) return sp.text;
          }
          return "";
        };
        std::string found;
        if (auto* p = std::get_if<Paragraph>(&b)) found = look(p->spans);
        if (auto* t = std::get_if<Table>(&b)) {
          for (const auto& row : t->rows) {
            if (found.empty()) found = look(row);
          }
        }
        if (!found.empty()) return found;
      }
    }
    return "";
  }

  ::yuqing::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(ReportsTest, DailyFactsCountTheDayByChannelSentimentAndRegion) {
  auto f = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->posts.total, 12);  // the post of 1 December is outside
  EXPECT_EQ(f->posts.by_channel[static_cast<size_t>(model::Channel::kWeibo)], 6);
  EXPECT_EQ(f->posts.by_channel[static_cast<size_t>(model::Channel::kNews)], 2);
  EXPECT_EQ(f->posts.negative, 7);
  EXPECT_EQ(f->posts.positive, 1);
  EXPECT_EQ(f->posts.neutral, 4);
  ASSERT_EQ(f->series.size(), 24u);  // every hour, zeros included
  EXPECT_EQ(f->series[8].start, At("2026-12-02T08:00:00+08:00"));
  EXPECT_EQ(f->series[8].posts, 2);
  int64_t sum = 0;
  for (const auto& b : f->series) sum += b.posts;
  EXPECT_EQ(sum, 12);
  // Provinces: 14 has every post with a region.
  ASSERT_FALSE(f->regions.empty());
  EXPECT_EQ(f->regions[0].code, "14");
  EXPECT_EQ(f->regions[0].posts, 11);
  EXPECT_EQ(f->events_total, 3);
  EXPECT_EQ(f->events[0].id, 1);  // grade II first
  ASSERT_EQ(f->alerts.size(), 1u);
  EXPECT_EQ(f->alerts[0].event_id, 1);
}

TEST_F(ReportsTest, DailyCountsCasesOpenedAnsweredAndOverdue) {
  auto f = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->cases.size(), 2u);
  const CaseFact& chem = f->cases[0].c.event_id == 1 ? f->cases[0] : f->cases[1];
  const CaseFact& hotline = f->cases[0].c.event_id == 1 ? f->cases[1] : f->cases[0];
  EXPECT_TRUE(chem.opened);
  EXPECT_TRUE(chem.answered);
  EXPECT_FALSE(chem.overdue);
  EXPECT_FALSE(hotline.opened);  // opened the day before, still overdue on this day
  EXPECT_TRUE(hotline.overdue);
  Report r = AssembleDaily(*f);
  EXPECT_EQ(FigureText(r, "cases.opened"), "1");
  EXPECT_EQ(FigureText(r, "cases.answered"), "1");
  EXPECT_EQ(FigureText(r, "cases.overdue"), "1");
}

TEST_F(ReportsTest, DailyReportHasTheSectionsAndTracesItsSources) {
  auto f = GatherPeriod(Refs(), Day(), {});
  ASSERT_TRUE(f.ok());
  Report r = AssembleDaily(*f);
  EXPECT_EQ(r.title, "舆情日报");
  EXPECT_EQ(r.period, "2026年12月2日");
  EXPECT_FALSE(r.no_data);
  for (const char* h : {"总体态势", "传播渠道", "地域分布", "情感倾向", "舆情事件", "新增预警",
                        "工单办理", "重点信息", "研判建议"}) {
    EXPECT_NE(Find(r, h), nullptr) << h;
  }
  EXPECT_EQ(FigureText(r, "posts.total"), "12");
  EXPECT_EQ(FigureText(r, "channel.weibo"), "6");
  EXPECT_EQ(FigureText(r, "events.grade.2"), "1");
  EXPECT_EQ(r.sources.events, (std::vector<int64_t>{1, 2, 3}));
  EXPECT_EQ(r.sources.alerts.size(), 1u);
  EXPECT_FALSE(r.sources.posts.empty());
  // The most engaging post of the hottest event is quoted first.
  const Section* notable = Find(r, "重点信息");
  ASSERT_NE(notable, nullptr);
  auto* quotes = std::get_if<Quotes>(&notable->blocks[0]);
  ASSERT_NE(quotes, nullptr);
  EXPECT_EQ(quotes->quotes[0].external_id, "w1");
  EXPECT_EQ(quotes->quotes[0].engagement, 120);
}

TEST_F(ReportsTest, ADayWithoutDataSaysSo) {
  auto f = GatherPeriod(Refs(), Day("2026-06-01"), {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Report r = AssembleDaily(*f);
  EXPECT_TRUE(r.no_data);
  const Section* overview = Find(r, "总体态势");
  ASSERT_NE(overview, nullptr);
  auto* nd = std::get_if<NoData>(&overview->blocks[0]);
  ASSERT_NE(nd, nullptr);
  EXPECT_NE(nd->text.find("无数据"), std::string::npos);
}

TEST_F(ReportsTest, WeeklyComparesWithThePreviousWeekAndAssessesDepartments) {
  Scope s = Day();
  s.from = StartOfWeek(s.from, 480);  // Monday 30 November
  s.to = s.from + std::chrono::hours(24 * 7);
  EXPECT_EQ(s.from, At("2026-11-30T00:00:00+08:00"));
  auto f = GatherPeriod(Refs(), s, {86400, true, true});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->posts.total, 13);
  ASSERT_TRUE(f->previous_posts.has_value());
  EXPECT_EQ(f->previous_posts->total, 0);
  ASSERT_EQ(f->series.size(), 7u);
  ASSERT_TRUE(f->assessment.has_value());
  EXPECT_EQ(f->assessment->cases_in_period, 2);
  Report r = AssemblePeriodic(Kind::kWeekly, *f);
  EXPECT_EQ(r.title, "舆情周报");
  EXPECT_EQ(r.period, "2026年11月30日至2026年12月6日");
  EXPECT_EQ(FigureText(r, "department.luzhou-env.cases"), "1");
  EXPECT_NE(Find(r, "领域分布"), nullptr);
  EXPECT_EQ(FigureText(r, "domain.environment.events"), "1");
}

TEST_F(ReportsTest, FlashReportIsForGradeOneAndTwoEvents) {
  Scope s = Day();
  auto f = GatherEvent(Refs(), 1, s);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  auto r = AssembleFlash(*f);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->title, "舆情快报");
  ASSERT_NE(Find(*r, "责任单位"), nullptr);
  EXPECT_EQ(FigureText(*r, "deadline.press"), "按时完成");
  auto minor = GatherEvent(Refs(), 2, s);
  ASSERT_TRUE(minor.ok());
  auto refused = AssembleFlash(*minor);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("grade IV"), std::string::npos);
}

TEST_F(ReportsTest, SpecialReportCoversTheEventsLifeAndItsResponse) {
  auto f = GatherEvent(Refs(), 1, Day());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->posts.total, 8);
  EXPECT_EQ(f->posts.negative, 5);
  ASSERT_TRUE(f->c.has_value());
  ASSERT_EQ(f->effects.size(), 1u);
  EXPECT_EQ(f->keywords.front(), "化工厂");
  EXPECT_EQ(f->rumour_posts, 2);
  Report r = AssembleEvent(*f);
  for (const char* h : {"事件概述", "发展脉络", "传播态势", "情感倾向", "重点信息", "谣言信号",
                        "风险研判", "交办与回应", "研判建议"}) {
    EXPECT_NE(Find(r, h), nullptr) << h;
  }
  EXPECT_EQ(FigureText(r, "event.posts"), "8");
  EXPECT_EQ(FigureText(r, "event.rumour.posts"), "2");
  EXPECT_FALSE(FigureText(r, "response.1.verdict").empty());
  EXPECT_EQ(r.sources.cases.size(), 1u);
}

TEST_F(ReportsTest, ARegionsReportCountsOnlyThatRegion) {
  Scope s = Day();
  s.region = "1401";  // 太原
  auto f = GatherPeriod(Refs(), s, {});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->posts.total, 3);
  EXPECT_EQ(f->region_digits, 6);  // counties below a prefecture
  EXPECT_EQ(f->events_total, 1);
  EXPECT_EQ(f->events[0].id, 2);
  EXPECT_TRUE(f->alerts.empty());  // the alert is of the 长治 event
  ASSERT_EQ(f->cases.size(), 1u);
  EXPECT_EQ(f->cases[0].c.region, "140100");
}

TEST_F(ReportsTest, TheEventLogReadsAsSentences) {
  auto f = GatherEvent(Refs(), 1, Day());
  ASSERT_TRUE(f.ok());
  ASSERT_GE(f->log.size(), 2u);
  EXPECT_EQ(f->log[1].detail_json, R"({"from":"III","to":"II"})");
  Report r = AssembleEvent(*f);
  const Section* timeline = Find(r, "发展脉络");
  ASSERT_NE(timeline, nullptr);
  auto* t = std::get_if<Table>(&timeline->blocks[0]);
  ASSERT_NE(t, nullptr);
  ASSERT_GE(t->rows.size(), 2u);
  EXPECT_EQ(t->rows[1][1].text, "风险等级由III级（较大）调整为II级（重大）");
}

TEST_F(ReportsTest, UnknownEventAndCaseAreNamed) {
  auto e = GatherEvent(Refs(), 99, Day());
  EXPECT_EQ(e.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(e.status().message(), "no event with id 99");
  auto c = GatherCase(Refs(), 42, Day());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(c.status().message(), "no case with id 42");
}

TEST_F(ReportsTest, EvaluationWithoutAnEvaluationSaysWhatIsMissing) {
  auto f = GatherCase(Refs(), 1, Day());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Report r = AssembleEvaluation(*f);
  EXPECT_EQ(r.title, "舆情应对评估报告");
  const Section* reflect = Find(r, "反思与建议");
  ASSERT_NE(reflect, nullptr);
  auto* nd = std::get_if<NoData>(&reflect->blocks[0]);
  ASSERT_NE(nd, nullptr);
  EXPECT_NE(nd->text.find("评估尚未撰写"), std::string::npos);
  EXPECT_EQ(FigureText(r, "deadline.press"), "按时完成");
}

TEST_F(ReportsTest, AssessmentNoticeRanksAndListsCommendations) {
  Scope s = Day();
  s.from = StartOfMonth(s.from, 480);
  s.to = NextMonth(s.from, 480);
  auto f = GatherPeriod(Refs(), s, {86400, false, true});
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  Report r = AssembleAssessment(*f);
  EXPECT_EQ(FigureText(r, "assessment.cases"), "2");
  const Section* praise = Find(r, "通报表扬");
  ASSERT_NE(praise, nullptr);
  auto* b = std::get_if<Bullets>(&praise->blocks[0]);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->items[0][0].text, "潞州区生态环境局：");
}

TEST(PeriodTest, DatesAreLocalMidnightsAndBadDatesAreNamed) {
  EXPECT_EQ(*ParseLocalDate("2026-12-02", 480, "--date"), At("2026-12-01T16:00:00Z"));
  auto bad = ParseLocalDate("2026-13-01", 480, "--date");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message(),
            "--date \"2026-13-01\" is not a date (YYYY-MM-DD, e.g. 2026-12-02)");
  EXPECT_FALSE(ParseDateOrTime("yesterday", 480, "--from").ok());
  EXPECT_EQ(StartOfWeek(At("2026-12-06T23:00:00+08:00"), 480), At("2026-11-30T00:00:00+08:00"));
  EXPECT_EQ(NextMonth(At("2026-12-01T00:00:00+08:00"), 480), At("2027-01-01T00:00:00+08:00"));
}

}  // namespace
}  // namespace yuqing::reports
