// Assembling a report from its facts (reports/facts.h): pure functions, no store, no clock
// (the facts carry `now`), no I/O. The same facts give the same Report, so the rendered HTML
// is byte-identical. Every section says 无数据 where the period holds nothing, instead of an
// empty table. docs/reports.md describes each kind's structure.
#pragma once

#include "core/status.h"
#include "reports/document.h"
#include "reports/facts.h"

namespace yuqing::reports {

// 舆情日报: volume by channel and region, the day's events by grade with their state, new
// alerts, cases opened / answered / overdue, sentiment, notable posts, suggestions.
Report AssembleDaily(const PeriodFacts& facts);
// 舆情周报 / 舆情月报 (kind kWeekly or kMonthly): the daily's figures plus trends against the
// previous period, hot events, domains, department performance and failure patterns.
Report AssemblePeriodic(Kind kind, const PeriodFacts& facts);
// 舆情快报 for a grade I/II event: what is known, where, since when, who is responsible and the
// deadline. FailedPrecondition for an event of grade III or IV (a special report fits those).
Result<Report> AssembleFlash(const EventFacts& facts);
// 舆情专报 on one event: overview, timeline, spread, sentiment and its turns, key posts and
// voices, rumour signals, risk grade and reasons, routing and responses with their effect,
// suggestions derived from the facts.
Report AssembleEvent(const EventFacts& facts);
// 评估报告 from a case and its evaluation: crisis introduction, measures taken, response
// work against the deadlines, reflections and suggestions.
Report AssembleEvaluation(const CaseFacts& facts);
// 考核通报 for a period: ranking, commendations and criticisms. facts.assessment must be set.
Report AssembleAssessment(const PeriodFacts& facts);

// --- Formatting shared with the renderer and tests.

// "2026年12月2日" and "2026年12月2日 08:00" in a zone `tz_minutes` east of UTC.
std::string FormatDateZh(core::TimePoint t, int tz_minutes);
std::string FormatDateTimeZh(core::TimePoint t, int tz_minutes);
// "12.5%" (one decimal); "—" when den is 0.
std::string Percent(int64_t num, int64_t den);
// "+12.5%", "−3.0%", "持平"; "—" when the previous value is 0.
std::string Change(int64_t now, int64_t before);

}  // namespace yuqing::reports
