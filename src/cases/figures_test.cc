#include "cases/figures.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }

const core::TimePoint kT0 = T("2026-07-10T09:00:00+08:00");

void State(model::Case& c, std::string dept, core::TimePoint at, model::StatedFigures f,
           model::ResponseStatus status = model::ResponseStatus::kPublished) {
  model::Response r;
  r.id = static_cast<int>(c.responses.size()) + 1;
  r.department_id = std::move(dept);
  r.status = status;
  if (status == model::ResponseStatus::kPublished) r.published_at = at;
  r.drafted_at = at;
  r.figures = f;
  c.responses.push_back(r);
}

model::StatedFigures Deaths(int64_t n) {
  model::StatedFigures f;
  f.deaths = n;
  return f;
}

model::StatedFigures Loss(double yuan) {
  model::StatedFigures f;
  f.loss_yuan = yuan;
  return f;
}

TEST(FiguresTest, TwoDepartmentsStatingDifferentDeathTollsAreFlagged) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "weijian", kT0 + hours(2), Deaths(5));
  auto r = CompareFigures(c);
  ASSERT_EQ(r.contradictions.size(), 1u);
  const auto& x = r.contradictions[0];
  EXPECT_EQ(x.figure, Figure::kDeaths);
  EXPECT_EQ(x.earlier.response_id, 1);
  EXPECT_EQ(x.earlier.department_id, "yingji");
  EXPECT_DOUBLE_EQ(x.earlier.value, 3);
  EXPECT_EQ(x.later.response_id, 2);
  EXPECT_EQ(x.later.department_id, "weijian");
  EXPECT_DOUBLE_EQ(x.later.value, 5);
  EXPECT_TRUE(x.standing);
  EXPECT_EQ(x.en,
            "deaths: yingji said 3 (response #1, 2026-07-10T09:00:00+08:00) and weijian said 5 "
            "(response #2, 2026-07-10T11:00:00+08:00), 2.0 h apart");
  EXPECT_EQ(x.zh,
            "死亡人数不一致：yingji称3（第1号回应，2026-07-10T09:00:00+08:00），weijian称5（第2号"
            "回应，2026-07-10T11:00:00+08:00），相隔2.0小时");
  EXPECT_TRUE(r.revisions.empty());
}

TEST(FiguresTest, ADepartmentRevisingItsOwnFigureIsARevisionNotAContradiction) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "yingji", kT0 + hours(5), Deaths(4));
  auto r = CompareFigures(c);
  EXPECT_TRUE(r.contradictions.empty());
  ASSERT_EQ(r.revisions.size(), 1u);
  EXPECT_EQ(r.revisions[0].before.response_id, 1);
  EXPECT_EQ(r.revisions[0].after.response_id, 2);
  EXPECT_EQ(r.revisions[0].en,
            "deaths: yingji revised its figure from 3 (response #1) to 4 "
            "(response #2)");
}

TEST(FiguresTest, AStatementItsDepartmentHasRevisedIsNotComparedAnyMore) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "yingji", kT0 + hours(1), Deaths(5));
  State(c, "weijian", kT0 + hours(2), Deaths(5));
  auto r = CompareFigures(c);
  EXPECT_TRUE(r.contradictions.empty()) << r.contradictions[0].en;
  EXPECT_EQ(r.revisions.size(), 1u);
}

TEST(FiguresTest, ContradictionResolvedByALaterRevisionIsNoLongerStanding) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "weijian", kT0 + hours(2), Deaths(5));
  State(c, "yingji", kT0 + hours(6), Deaths(5));
  auto r = CompareFigures(c);
  ASSERT_EQ(r.contradictions.size(), 1u);
  EXPECT_FALSE(r.contradictions[0].standing);
  EXPECT_NE(r.contradictions[0].en.find("since revised"), std::string::npos);
  EXPECT_NE(r.contradictions[0].zh.find("此后已有一方更正"), std::string::npos);
  EXPECT_EQ(r.revisions.size(), 1u);
}

TEST(FiguresTest, StatementsFurtherApartThanTheWindowAreNotCompared) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "weijian", kT0 + hours(25), Deaths(5));
  EXPECT_TRUE(CompareFigures(c).contradictions.empty());
  FigureOptions wide;
  wide.window = hours(48);
  EXPECT_EQ(CompareFigures(c, wide).contradictions.size(), 1u);
}

TEST(FiguresTest, TheSameContradictionRepeatedIsReportedOnce) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "weijian", kT0 + hours(1), Deaths(5));
  State(c, "weijian", kT0 + hours(3), Deaths(5));
  State(c, "yingji", kT0 + hours(4), Deaths(3));
  auto r = CompareFigures(c);
  EXPECT_EQ(r.contradictions.size(), 1u);
  EXPECT_TRUE(r.revisions.empty()) << "restating the same value revises nothing";
}

TEST(FiguresTest, LossesRoundedAlikeAgreeAndDifferentOnesDoNot) {
  model::Case c;
  State(c, "yingji", kT0, Loss(1.2e8));
  State(c, "caizheng", kT0 + hours(1), Loss(1.205e8));  // 0.4%: rounding
  EXPECT_TRUE(CompareFigures(c).contradictions.empty());
  State(c, "zhujian", kT0 + hours(2), Loss(1.5e8));
  auto r = CompareFigures(c);
  ASSERT_EQ(r.contradictions.size(), 2u);  // against each of the other two
  EXPECT_EQ(r.contradictions[0].figure, Figure::kLossYuan);
  EXPECT_NE(r.contradictions[0].en.find("150000000"), std::string::npos);
}

TEST(FiguresTest, DraftsRejectedResponsesAndMissingFiguresAreIgnored) {
  model::Case c;
  State(c, "yingji", kT0, Deaths(3));
  State(c, "weijian", kT0 + hours(1), Deaths(5), model::ResponseStatus::kDraft);
  State(c, "gongan", kT0 + hours(1), Deaths(6), model::ResponseStatus::kRejected);
  model::StatedFigures injured;
  injured.injured = 12;
  State(c, "zhujian", kT0 + hours(2), injured);  // no death toll stated: nothing to compare
  EXPECT_TRUE(CompareFigures(c).contradictions.empty());
}

TEST(FiguresTest, EachFigureIsComparedOnItsOwn) {
  model::Case c;
  model::StatedFigures a;
  a.deaths = 2;
  a.injured = 10;
  a.missing = 1;
  model::StatedFigures b;
  b.deaths = 2;
  b.injured = 12;
  b.missing = 0;
  State(c, "yingji", kT0, a);
  State(c, "weijian", kT0 + hours(1), b);
  auto r = CompareFigures(c);
  ASSERT_EQ(r.contradictions.size(), 2u);
  EXPECT_EQ(r.contradictions[0].figure, Figure::kInjured);
  EXPECT_EQ(r.contradictions[1].figure, Figure::kMissing);
  EXPECT_EQ(FigureName(Figure::kMissing), "missing");
  EXPECT_EQ(FigureNameZh(Figure::kInjured), "受伤人数");
}

}  // namespace
}  // namespace yuqing::cases
