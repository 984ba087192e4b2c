// One report as people ask for it (the CLI's flags, the API's parameters): the kind, the
// period or the event or case, the region and the zone; MakeReport gathers and assembles it.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "reports/document.h"
#include "reports/gather.h"

namespace yuqing::reports {

struct ReportRequest {
  Kind kind = Kind::kDaily;
  // daily, weekly, monthly, assessment: a day in the period (YYYY-MM-DD in `time_zone`);
  // "" the period containing `now`. `from` / `to` (a date or an ISO-8601 time) replace it.
  std::string date;
  std::string from;
  std::string to;
  int64_t event_id = 0;  // flash, event
  int64_t case_id = 0;   // evaluation
  std::string region;    // GB/T 2260 prefix, already narrowed to the asker's scope
  std::string time_zone = "Asia/Shanghai";
  core::TimePoint now{};
  // Names of the parameters in messages: "--date" for the CLI, "parameter \"date\"" for the
  // API.
  std::string date_name = "--date";
  std::string from_name = "--from";
  std::string to_name = "--to";
  std::string event_name = "--event";
  std::string case_name = "--case";
};

// Gathers and assembles the report. InvalidArgument names the parameter for a date that does
// not parse, an inverted period, a missing --event / --case; NotFound for an unknown event or
// case; FailedPrecondition for a flash report on a grade III/IV event.
Result<Report> MakeReport(const StoreRefs& stores, const ReportRequest& request);

}  // namespace yuqing::reports
