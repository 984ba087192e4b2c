#include "reports/request.h"

#include <fmt/format.h>

#include "cases/deadlines.h"
#include "reports/assemble.h"

namespace yuqing::reports {

Result<Report> MakeReport(const StoreRefs& stores, const ReportRequest& req) {
  YQ_ASSIGN_OR_RETURN(int tz, cases::ZoneOffsetMinutes(req.time_zone));
  Scope scope;
  scope.now = req.now;
  scope.region = req.region;
  scope.tz_minutes = tz;
  scope.tz = req.time_zone;
  if (req.kind == Kind::kFlash || req.kind == Kind::kEvent) {
    if (req.event_id <= 0) {
      return Status::InvalidArgument(
          fmt::format("a {} report needs {} (an event id)", KindName(req.kind), req.event_name));
    }
    YQ_ASSIGN_OR_RETURN(EventFacts f, GatherEvent(stores, req.event_id, scope));
    if (req.kind == Kind::kFlash) return AssembleFlash(f);
    return AssembleEvent(f);
  }
  if (req.kind == Kind::kEvaluation) {
    if (req.case_id <= 0) {
      return Status::InvalidArgument(
          fmt::format("an evaluation report needs {} (a case id)", req.case_name));
    }
    YQ_ASSIGN_OR_RETURN(CaseFacts f, GatherCase(stores, req.case_id, scope));
    return AssembleEvaluation(f);
  }
  // A period: the day, week or month of --date (default: containing now), or --from/--to.
  core::TimePoint anchor = req.now;
  if (!req.date.empty()) {
    YQ_ASSIGN_OR_RETURN(anchor, ParseLocalDate(req.date, tz, req.date_name));
  }
  switch (req.kind) {
    case Kind::kDaily:
      scope.from = StartOfDay(anchor, tz);
      scope.to = scope.from + std::chrono::hours(24);
      break;
    case Kind::kWeekly:
      scope.from = StartOfWeek(anchor, tz);
      scope.to = scope.from + std::chrono::hours(24 * 7);
      break;
    default:  // monthly, assessment
      scope.from = StartOfMonth(anchor, tz);
      scope.to = NextMonth(scope.from, tz);
      break;
  }
  if (!req.from.empty()) {
    YQ_ASSIGN_OR_RETURN(scope.from, ParseDateOrTime(req.from, tz, req.from_name));
  }
  if (!req.to.empty()) {
    YQ_ASSIGN_OR_RETURN(scope.to, ParseDateOrTime(req.to, tz, req.to_name));
  }
  if (!(scope.from < scope.to)) {
    return Status::InvalidArgument(fmt::format("{} must be before {}", req.from_name, req.to_name));
  }
  PeriodOptions options;
  options.bucket_seconds = req.kind == Kind::kDaily ? 3600 : 86400;
  if (scope.to - scope.from <= std::chrono::hours(48)) options.bucket_seconds = 3600;
  options.previous = req.kind == Kind::kWeekly || req.kind == Kind::kMonthly;
  options.assessment = req.kind != Kind::kDaily;
  YQ_ASSIGN_OR_RETURN(PeriodFacts f, GatherPeriod(stores, scope, options));
  if (req.kind == Kind::kDaily) return AssembleDaily(f);
  if (req.kind == Kind::kAssessment) return AssembleAssessment(f);
  return AssemblePeriodic(req.kind, f);
}

}  // namespace yuqing::reports
