// The stored facts a report is assembled from: plain values filled by gather.h from the
// stores, or by hand in tests. Nothing here reads a store or a clock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cases/assessment.h"
#include "cases/deadlines.h"
#include "cases/effectiveness.h"
#include "core/clock.h"
#include "model/alert.h"
#include "model/case.h"
#include "model/event.h"
#include "model/post.h"

namespace yuqing::reports {

inline constexpr int kChannels = 12;  // model::Channel enumerators
// 新闻网站, 微博, 微信, 论坛, 视频, 问答, 热线, 信箱, 问政平台, 报刊, 电视, 其他.
std::string_view ChannelNameZh(model::Channel c);

// Where and when: what every report is about.
struct Scope {
  core::TimePoint from{};
  core::TimePoint to{};
  core::TimePoint now{};  // the injected clock
  std::string region;     // GB/T 2260 prefix, "" everything
  int tz_minutes = 480;   // the office's zone (days begin at its midnight)
  std::string tz = "+08:00";
};

// Posts of a period: the numbers /api/v1/stats/channels gives for it.
struct PostTotals {
  int64_t total = 0;
  int64_t engagement = 0;
  std::array<int64_t, kChannels> by_channel{};
  int64_t negative = 0;
  int64_t neutral = 0;
  int64_t positive = 0;
};

// One bucket of a series: the numbers /api/v1/stats/sentiment gives per bucket.
struct Bucket {
  core::TimePoint start{};
  int64_t posts = 0;
  int64_t negative = 0;
  int64_t neutral = 0;
  int64_t positive = 0;
};

// One region at one level: the numbers /api/v1/stats/regions gives.
struct RegionFigures {
  std::string code;
  std::string name;  // from the gazetteer; "" when unknown
  int64_t posts = 0;
  int64_t negative = 0;
  int64_t events = 0;
  double max_heat = 0;
  int top_grade = 4;
};

struct PostFact {
  int64_t key = 0;
  model::Post post;
  int64_t event_id = 0;
  int64_t engagement() const {
    return post.metrics.reposts + post.metrics.comments + post.metrics.likes;
  }
};

// A case as a period report counts it.
struct CaseFact {
  model::Case c;
  std::vector<cases::Deadline> deadlines;  // at min(now, period end)
  bool opened = false;                     // created in the period
  bool answered = false;                   // its first published response lies in the period
  bool overdue = false;                    // some clock overdue at min(now, period end)
};

// The facts of a daily, weekly or monthly report, or of an assessment notice.
struct PeriodFacts {
  Scope scope;
  int64_t bucket_seconds = 3600;  // of `series`: hours for a day, days for longer
  int region_digits = 2;          // of `regions`
  PostTotals posts;
  std::vector<Bucket> series;  // every bucket of the period, zeros included
  std::vector<RegionFigures> regions;
  // Events active in the period (the event list of /api/v1/events?from&to): most severe
  // grade first, then heat. events_total counts them all; `events` holds at most 200.
  std::vector<model::EventRecord> events;
  int64_t events_total = 0;
  std::vector<model::Alert> alerts;  // event alerts raised in the period, oldest first
  std::vector<CaseFact> cases;       // cases opened, answered or overdue in the period
  // The state of each listed event's case (its open case, else its newest), by event id.
  std::map<int64_t, model::CaseState> event_case_state;
  std::vector<PostFact> notable;  // the most engaging posts of the period's top events
  // The period before (same length), for trends: weekly and monthly reports.
  std::optional<PostTotals> previous_posts;
  int64_t previous_events_total = 0;
  // Department performance (weekly, monthly, assessment).
  std::optional<cases::Assessment> assessment;
  // Notices (通报批评, 约谈, 表扬) issued in the period, with their case.
  struct NoticeFact {
    int64_t case_id = 0;
    std::string case_title;
    model::Notice notice;
  };
  std::vector<NoticeFact> notices;
  std::map<std::string, std::string> department_names;  // id → name
  std::map<std::string, std::string> region_names;      // code → name (the scope's and others)
};

// An event's risk as the event stage recorded it (detail.risk).
struct RiskReason {
  std::string factor;
  std::string detail;
  bool aggravating = false;
  double value = 0;
  double threshold = 0;
};

// The facts of a flash or special report on one event, and of a case's evaluation.
struct EventFacts {
  Scope scope;  // from/to: the event's span
  model::EventRecord event;
  std::vector<std::string> keywords;
  std::vector<RiskReason> risk_reasons;
  std::string risk_grade_zh;  // "较大（III级）" as the event stage names it; "" unknown
  int64_t rumour_posts = 0;
  int64_t denial_posts = 0;
  double max_rumour = 0;
  struct Author {
    std::string name;
    std::string kind;
    int64_t followers = 0;
    int64_t posts = 0;
  };
  std::vector<Author> top_authors;
  PostTotals posts;
  int64_t bucket_seconds = 3600;
  std::vector<Bucket> series;  // hourly over the event's life (at most 14 days shown)
  std::vector<RegionFigures> regions;
  std::vector<PostFact> key_posts;  // most engaging first
  struct LogLine {
    core::TimePoint at{};
    std::string kind;  // "new", "merge", "woke", "grade", "trend", "burst"
    std::string detail_json;
  };
  std::vector<LogLine> log;          // oldest first
  std::vector<model::Alert> alerts;  // oldest first
  // The event's case (the open one, else the newest), with its clocks and the verdict on
  // every published response.
  std::optional<model::Case> c;
  std::vector<cases::Deadline> deadlines;
  struct ResponseEffect {
    int response_id = 0;
    cases::Effect effect;
  };
  std::vector<ResponseEffect> effects;
  std::map<std::string, std::string> department_names;
  std::map<std::string, std::string> region_names;
};

// The facts of an evaluation report: the case, its log, and its event's facts when it has one.
struct CaseFacts {
  Scope scope;
  model::Case c;
  std::vector<model::CaseLogEntry> log;
  std::vector<cases::Deadline> deadlines;
  std::optional<EventFacts> event;
  std::vector<EventFacts::ResponseEffect> effects;
  std::map<std::string, std::string> department_names;
  std::map<std::string, std::string> region_names;
};

}  // namespace yuqing::reports
