// Reading the facts of a report from the stores (the I/O half of a report; assemble.h is the
// pure half). Each function takes the narrow store interfaces it reads, borrowed for the call,
// and returns a value the caller owns. The numbers are counted the way the API counts them
// (server/stats_api.cc, events_api.cc), so a report agrees with the screens for the same
// period and region.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"
#include "org/region_tree.h"
#include "reports/facts.h"
#include "store/alerts_store.h"
#include "store/audit_store.h"
#include "store/cases_store.h"
#include "store/events_store.h"
#include "store/org_store.h"

namespace yuqing::reports {

// The stores a report reads, borrowed. `regions` may be null (codes are shown without names).
struct StoreRefs {
  store::EventStore& events;
  store::AlertStore& alerts;
  store::CaseStore& cases;
  store::OrgStore& org;
  const org::RegionTree* regions = nullptr;
};

struct PeriodOptions {
  int64_t bucket_seconds = 3600;  // of the volume series
  bool previous = false;          // also count the period before, for trends
  bool assessment = false;        // also assess the departments (cases::Assess)
};

// The facts of [scope.from, scope.to) under scope.region. InvalidArgument for an empty or
// inverted period or one of more than 10,000 buckets.
Result<PeriodFacts> GatherPeriod(const StoreRefs& stores, const Scope& scope,
                                 const PeriodOptions& options);

// The facts of one event over its whole life (scope.from/to are set to its span). NotFound
// `no event with id 7` for an unknown id.
Result<EventFacts> GatherEvent(const StoreRefs& stores, int64_t event_id, const Scope& scope);

// The facts of one case and its event. NotFound `no case with id 7` for an unknown id.
Result<CaseFacts> GatherCase(const StoreRefs& stores, int64_t case_id, const Scope& scope);

// The footer line of the newest signed audit checkpoint at or before `now` ("" when none):
// its size, head hash, public key and signature, so a printed report can be checked against
// the log later (docs/audit.md).
Result<std::string> CheckpointLine(store::AuditStore& audit, core::TimePoint now);

// --- Periods in the office's zone.

// "2026-12-02" → that day's midnight in a zone `tz_minutes` east of UTC. InvalidArgument
// `--date "2026-13-01" is not a date (YYYY-MM-DD)` names `what`.
Result<core::TimePoint> ParseLocalDate(std::string_view text, int tz_minutes,
                                       std::string_view what);
// A date or an ISO-8601 time ("2026-12-02", "2026-12-02T08:00:00+08:00").
Result<core::TimePoint> ParseDateOrTime(std::string_view text, int tz_minutes,
                                        std::string_view what);
// The local day, week (Monday to Monday) or month containing `t`.
core::TimePoint StartOfDay(core::TimePoint t, int tz_minutes);
core::TimePoint StartOfWeek(core::TimePoint t, int tz_minutes);
core::TimePoint StartOfMonth(core::TimePoint t, int tz_minutes);
core::TimePoint NextMonth(core::TimePoint month_start, int tz_minutes);

}  // namespace yuqing::reports
