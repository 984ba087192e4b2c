#include "cases/deadlines.h"

#include <gtest/gtest.h>

#include "cases/workflow.h"
#include "core/time.h"

namespace yuqing::cases {
namespace {

using std::chrono::hours;
using std::chrono::minutes;

core::TimePoint T(std::string_view iso) { return *core::ParseIso8601(iso); }

model::Case NewCase(int grade, core::TimePoint detected) {
  model::Case c;
  c.id = 1;
  c.grade = grade;
  c.detected_at = detected;
  c.created_at = detected;
  c.state = model::CaseState::kJudged;
  return c;
}

void Publish(model::Case& c, model::ResponseChannel ch, core::TimePoint at) {
  model::Response r;
  r.id = static_cast<int>(c.responses.size()) + 1;
  r.channel = ch;
  r.status = model::ResponseStatus::kPublished;
  r.published_at = at;
  c.responses.push_back(r);
}

std::optional<Deadline> Find(const std::vector<Deadline>& ds, model::Obligation o) {
  for (const auto& d : ds) {
    if (d.obligation == o) return d;
  }
  return std::nullopt;
}

TEST(DeadlinesTest, MajorEmergencyOwesAPressConferenceWithin24Hours) {
  auto c = NewCase(2, T("2026-06-01T10:00:00+08:00"));
  auto ds = Deadlines(c, T("2026-06-01T12:00:00+08:00"));
  auto press = Find(ds, model::Obligation::kPress);
  ASSERT_TRUE(press);
  EXPECT_EQ(press->due, T("2026-06-02T10:00:00+08:00"));
  EXPECT_EQ(press->state, ClockState::kRunning);
  EXPECT_EQ(press->remaining, hours(22));
  EXPECT_FALSE(Find(ds, model::Obligation::kRespond)) << "grade II carries press, not respond";
  // A Weibo post does not meet the press obligation; a briefing does.
  Publish(c, model::ResponseChannel::kWeibo, T("2026-06-01T13:00:00+08:00"));
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kPress, T("2026-06-01T14:00:00+08:00"))->state,
            ClockState::kRunning);
  Publish(c, model::ResponseChannel::kBriefing, T("2026-06-02T11:00:00+08:00"));
  auto late = DeadlineFor(c, model::Obligation::kPress, T("2026-06-03T00:00:00+08:00"));
  EXPECT_EQ(late->state, ClockState::kLate);
  EXPECT_EQ(late->remaining, -hours(1));
}

TEST(DeadlinesTest, OtherOpinionOwesAResponseWithin48Hours) {
  auto c = NewCase(4, T("2026-06-01T23:30:00+08:00"));
  auto d = DeadlineFor(c, model::Obligation::kRespond, T("2026-06-03T23:31:00+08:00"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->due, T("2026-06-03T23:30:00+08:00"));
  EXPECT_EQ(d->state, ClockState::kOverdue);
  EXPECT_FALSE(DeadlineFor(c, model::Obligation::kPress, T("2026-06-02T00:00:00Z")));
  EXPECT_FALSE(DeadlineFor(c, model::Obligation::kFirstRelease, T("2026-06-02T00:00:00Z")));
  Publish(c, model::ResponseChannel::kWebsite, T("2026-06-03T20:00:00+08:00"));
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kRespond, T("2026-06-05T00:00:00Z"))->state,
            ClockState::kMet);
}

TEST(DeadlinesTest, FirstReleaseWithinFiveHoursOnlyWhenThePolicyAsks) {
  auto c = NewCase(3, T("2026-06-01T08:00:00Z"));
  EXPECT_FALSE(DeadlineFor(c, model::Obligation::kFirstRelease, T("2026-06-01T09:00:00Z")));
  c.policy.first_release = true;
  auto d = DeadlineFor(c, model::Obligation::kFirstRelease, T("2026-06-01T09:00:00Z"));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->due, T("2026-06-01T13:00:00Z"));
  EXPECT_EQ(d->remind_at, T("2026-06-01T11:45:00Z"));  // 75% of 5 h
}

TEST(DeadlinesTest, AChangedGradeRecomputesTheClocks) {
  auto c = NewCase(4, T("2026-06-01T08:00:00Z"));
  auto now = T("2026-06-02T09:00:00Z");
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kRespond, now)->state, ClockState::kRunning);
  c.grade = 2;  // re-judged as major: the 24-hour press obligation, counted from detection
  auto press = DeadlineFor(c, model::Obligation::kPress, now);
  ASSERT_TRUE(press);
  EXPECT_EQ(press->state, ClockState::kOverdue);
  EXPECT_EQ(press->due, T("2026-06-02T08:00:00Z"));
}

TEST(DeadlinesTest, AChangedPolicyRecomputesTheClocks) {
  auto c = NewCase(4, T("2026-06-01T08:00:00Z"));
  c.policy.respond_within = hours(24);
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kRespond, T("2026-06-01T09:00:00Z"))->due,
            T("2026-06-02T08:00:00Z"));
}

TEST(DeadlinesTest, ReassignmentAndDisputeNeverMoveTheResponseClock) {
  access::Principal coord;
  coord.user_id = 2;
  coord.name = "coord";
  coord.role = model::Role::kCoordinator;
  access::Principal resp;
  resp.user_id = 3;
  resp.name = "resp";
  resp.role = model::Role::kResponder;
  resp.department_id = "a";
  auto c = NewCase(4, T("2026-06-01T08:00:00Z"));
  auto due = DeadlineFor(c, model::Obligation::kRespond, T("2026-06-01T08:00:00Z"))->due;
  auto now = T("2026-06-01T09:00:00Z");
  auto d = Decide(c, coord, {"assign", {{"department", "a"}}}, now, {});
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  auto accept_due = DeadlineFor(d->after, model::Obligation::kAccept, now)->due;
  EXPECT_EQ(accept_due, now + hours(2));
  now += hours(10);
  auto disputed = Decide(d->after, resp, {"dispute", {{"reason", "not ours"}}}, now, {});
  ASSERT_TRUE(disputed.ok()) << disputed.status().ToString();
  now += hours(10);
  auto moved = Decide(
      disputed->after, coord,
      {"decide_dispute", {{"upheld", true}, {"department", "b"}, {"decision", "b"}}}, now, {});
  ASSERT_TRUE(moved.ok()) << moved.status().ToString();
  now += hours(10);
  auto again =
      Decide(moved->after, coord, {"reassign", {{"department", "c"}, {"reason", "c"}}}, now, {});
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  auto respond = DeadlineFor(again->after, model::Obligation::kRespond, now);
  EXPECT_EQ(respond->due, due);
  EXPECT_EQ(respond->start, T("2026-06-01T08:00:00Z"));
  // The acceptance clock belongs to the newest assignment.
  EXPECT_EQ(DeadlineFor(again->after, model::Obligation::kAccept, now)->start, now);
}

TEST(DeadlinesTest, HotlineCasesCarryTheReplyClockAndResolveIsExtendable) {
  auto c = NewCase(4, T("2026-06-01T08:00:00Z"));
  c.origin = model::CaseOrigin::kHotline;
  c.petitioner = model::PetitionerContact{};
  auto reply = DeadlineFor(c, model::Obligation::kReply, T("2026-06-01T09:00:00Z"));
  ASSERT_TRUE(reply);
  EXPECT_EQ(reply->due, T("2026-06-04T08:00:00Z"));
  auto resolve = DeadlineFor(c, model::Obligation::kResolve, T("2026-06-01T09:00:00Z"));
  EXPECT_EQ(resolve->due, T("2026-06-16T08:00:00Z"));
  c.extended_by = hours(24 * 5);
  EXPECT_EQ(DeadlineFor(c, model::Obligation::kResolve, T("2026-06-01T09:00:00Z"))->due,
            T("2026-06-21T08:00:00Z"));
}

TEST(DeadlinesTest, ShownInTheOfficeTimeZoneAcrossTheDayBoundary) {
  // Detected at 23:30 Beijing time: due 48 h later, 23:30 on 3 June in Beijing, which is
  // already 4 June in Tokyo and still the afternoon of 3 June in UTC.
  auto c = NewCase(4, T("2026-06-01T23:30:00+08:00"));
  auto d = DeadlineFor(c, model::Obligation::kRespond, T("2026-06-02T00:00:00Z"));
  EXPECT_EQ(FormatInZone(d->due, "Asia/Shanghai"), "2026-06-03T23:30:00+08:00");
  EXPECT_EQ(FormatInZone(d->due, "UTC"), "2026-06-03T15:30:00+00:00");
  EXPECT_EQ(FormatInZone(d->due, "Asia/Tokyo"), "2026-06-04T00:30:00+09:00");
  EXPECT_EQ(FormatInZone(d->due, "Asia/Urumqi"), "2026-06-03T21:30:00+06:00");
  EXPECT_EQ(FormatInZone(d->due, "-05:00"), "2026-06-03T10:30:00-05:00");
  EXPECT_FALSE(ZoneOffsetMinutes("Europe/Berlin").ok());
  EXPECT_FALSE(ZoneOffsetMinutes("+25:00").ok());
  EXPECT_EQ(*ZoneOffsetMinutes("+05:45"), 345);
}

}  // namespace
}  // namespace yuqing::cases
