// The thin service that applies case decisions (workflow.h, sweep.h) through the case store:
// read the case, decide, write the whole change with its log, notices and audit entry in one
// transaction. No decision is made here. Safe to share between threads: the store serialises
// writes and refuses a change decided on a stale version (the caller sees FailedPrecondition
// and retries with the fresh case).
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "access/access.h"
#include "cases/sweep.h"
#include "cases/workflow.h"
#include "core/clock.h"
#include "store/cases_store.h"
#include "store/events_store.h"

namespace yuqing::cases {

// Where case notices go: every target whose region prefix covers the case's handling region
// (or its region). "" covers every case.
struct NotifyTarget {
  model::AlertTarget target;
  std::string region_prefix;
};

struct ServiceOptions {
  model::CasePolicy policy;  // the policy new cases get
  std::vector<NotifyTarget> notify;
  std::string language = "zh";
};

struct SweepReport {
  int64_t cases = 0;      // open cases with something due, looked at
  int64_t changed = 0;    // cases the sweep or the event follower changed
  int64_t notices = 0;    // notices queued in the outbox
  int64_t conflicts = 0;  // changed by someone else meanwhile (picked up by the next sweep)
  std::vector<std::string> errors;  // per case, "case 7: …"
};

class CaseService {
 public:
  // Borrows `cases`, `events` (may be null: cases do not follow events) and `clock` for the
  // service's lifetime.
  CaseService(store::CaseStore& cases, store::EventStore* events, const core::Clock& clock,
              ServiceOptions options);

  const ServiceOptions& options() const { return options_; }
  core::TimePoint Now() const { return clock_.Now(); }

  Result<model::Case> Open(const OpenRequest& request, const access::Principal& actor);
  // NotFound `no case with id 7`; otherwise as Decide().
  Result<model::Case> Act(int64_t id, const access::Principal& actor, const Command& command,
                          const model::Organisation* organisation);
  // One sweep: the open cases of events changed since the last sweep follow their event
  // (merged, heat, grade); then the supervision ladder for every open case with something due
  // (Case::sweep_at ≤ now). `progress` (may be empty) is told the cases done so far.
  Result<SweepReport> Sweep(const std::function<void(int64_t)>& progress = {});

  // The targets a case's notices go to.
  std::vector<model::AlertTarget> TargetsFor(const model::Case& c) const;

 private:
  // Follows the events changed since the last sweep: their open cases take over a merge, the
  // heat and a more severe grade.
  Status FollowEvents(SweepReport& report);
  Result<std::vector<model::Case>> Write(const model::Case& before, const access::Principal& actor,
                                         Decision decision);

  store::CaseStore& cases_;
  store::EventStore* events_;
  const core::Clock& clock_;
  ServiceOptions options_;
  std::mutex sweep_mu_;  // one sweep at a time (the server's loop, an operator's request)
  std::optional<core::TimePoint> events_seen_until_;  // YQ_GUARDED_BY(sweep_mu_)
};

// The audit draft of a decision on `before` (empty before for a new case).
model::AuditDraft CaseAudit(const std::optional<model::Case>& before, const Decision& decision,
                            const access::Principal& actor, core::TimePoint now);

}  // namespace yuqing::cases
