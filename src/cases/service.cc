#include "cases/service.h"

#include <fmt/format.h>

namespace yuqing::cases {

using json = nlohmann::json;

model::AuditDraft CaseAudit(const std::optional<model::Case>& before, const Decision& decision,
                            const access::Principal& actor, core::TimePoint now) {
  model::AuditDraft a;
  a.at = now;
  a.actor_id = actor.user_id;
  a.actor = actor.name;
  a.action = decision.audit_action;
  a.object_type = "case";
  a.object_id = decision.after.id ? std::to_string(decision.after.id) : "";
  a.from_json = before ? CaseBrief(*before).dump() : "";
  json to = CaseBrief(decision.after);
  json changes = json::array();
  for (const auto& e : decision.log) {
    changes.push_back(
        {{"action", e.action}, {"detail", json::parse(e.detail_json, nullptr, false)}});
  }
  to["changes"] = std::move(changes);
  a.to_json = to.dump(-1, ' ', false, json::error_handler_t::replace);
  a.reason = decision.reason;
  return a;
}

CaseService::CaseService(store::CaseStore& cases, store::EventStore* events,
                         const core::Clock& clock, ServiceOptions options)
    : cases_(cases), events_(events), clock_(clock), options_(std::move(options)) {}

std::vector<model::AlertTarget> CaseService::TargetsFor(const model::Case& c) const {
  std::vector<model::AlertTarget> out;
  for (const auto& t : options_.notify) {
    std::string p = access::RegionPrefix(t.region_prefix);
    if (p.empty() || c.handling_region.compare(0, p.size(), p) == 0 ||
        c.region.compare(0, p.size(), p) == 0) {
      out.push_back(t.target);
    }
  }
  return out;
}

Result<model::Case> CaseService::Open(const OpenRequest& request, const access::Principal& actor) {
  core::TimePoint now = clock_.Now();
  YQ_ASSIGN_OR_RETURN(Decision d, cases::Open(request, actor, now));
  store::CaseChange change;
  change.audit = CaseAudit(std::nullopt, d, actor, now);
  change.after = std::move(d.after);
  change.after.sweep_at = NextSweepAt(change.after, now);
  change.log = std::move(d.log);
  return cases_.CreateCase(change);
}

Result<std::vector<model::Case>> CaseService::Write(const model::Case& before,
                                                    const access::Principal& actor, Decision d) {
  const core::TimePoint now = clock_.Now();
  std::vector<store::CaseChange> changes(1);
  changes[0].audit = CaseAudit(before, d, actor, now);
  changes[0].after = std::move(d.after);
  changes[0].after.sweep_at = NextSweepAt(changes[0].after, now);
  changes[0].log = std::move(d.log);
  changes[0].notices = std::move(d.notices);
  if (d.other_after) {
    // The merge target records what was merged into it, in the same transaction.
    store::CaseChange other;
    Decision od;
    od.after = *d.other_after;
    od.audit_action = "case.merged_from";
    od.reason = d.reason;
    model::CaseLogEntry e;
    e.case_id = od.after.id;
    e.at = clock_.Now();
    e.actor = actor.name;
    e.action = "merged_from";
    e.from_state = std::string(model::CaseStateName(od.after.state));
    e.to_state = e.from_state;
    e.detail_json = json{{"case", before.id}}.dump();
    od.log.push_back(e);
    other.audit = CaseAudit(std::nullopt, od, actor, clock_.Now());
    other.after = std::move(od.after);
    other.after.sweep_at = NextSweepAt(other.after, now);
    other.log = std::move(od.log);
    changes.push_back(std::move(other));
  }
  return cases_.UpdateCases(changes);
}

Result<model::Case> CaseService::Act(int64_t id, const access::Principal& actor,
                                     const Command& command,
                                     const model::Organisation* organisation) {
  YQ_ASSIGN_OR_RETURN(std::optional<model::Case> before, cases_.GetCase(id));
  if (!before) return Status::NotFound(fmt::format("no case with id {}", id));
  DecideContext ctx;
  ctx.organisation = organisation;
  std::optional<model::Case> other;
  if (command.action == "merge" && command.args.is_object()) {
    auto it = command.args.find("into");
    if (it != command.args.end() && it->is_number_integer()) {
      YQ_ASSIGN_OR_RETURN(other, cases_.GetCase(it->get<int64_t>()));
      if (other) ctx.other = &*other;
    }
  }
  YQ_ASSIGN_OR_RETURN(Decision d, Decide(*before, actor, command, clock_.Now(), ctx));
  YQ_ASSIGN_OR_RETURN(std::vector<model::Case> written, Write(*before, actor, std::move(d)));
  return written.front();
}

Status CaseService::FollowEvents(SweepReport& report) {
  if (events_ == nullptr) return Status::Ok();
  access::Principal system;
  system.name = "system";
  // The events changed since the last sweep (by their event time, with an hour's margin for
  // late posts); the first sweep looks at the last week.
  store::EventQuery q;
  // Events quiet for a week change nothing a sweep would follow.
  q.from = events_seen_until_ ? *events_seen_until_ - std::chrono::hours(1)
                              : clock_.Now() - std::chrono::hours(24 * 7);
  q.include_merged = true;
  q.sort = store::EventSort::kLastSeen;
  q.limit = 1000;
  std::optional<core::TimePoint> newest = events_seen_until_;
  for (q.offset = 0; q.offset <= 100000; q.offset += q.limit) {
    YQ_ASSIGN_OR_RETURN(store::EventPage page, events_->ListEvents(q));
    for (const model::EventRecord& e : page.events) {
      if (!newest || e.updated_at > *newest) newest = e.updated_at;
      store::CaseFilter f;
      f.event_id = e.id;
      f.open_only = true;
      f.limit = 100;
      YQ_ASSIGN_OR_RETURN(std::vector<model::Case> open, cases_.ListCases(f));
      if (open.empty()) continue;
      // A merged event hands its cases to the event that absorbed it.
      model::EventRecord target = e;
      for (int hops = 0; target.merged_into != 0 && hops < 16; ++hops) {
        auto next = events_->GetEvent(target.merged_into);
        if (!next.ok() || !*next) break;
        target = **next;
      }
      for (const model::Case& c : open) {
        if (target.id == c.event_id && target.grade == c.event_grade &&
            std::abs(target.heat - c.event_heat) < 1.0) {
          continue;
        }
        Command follow{"follow_event",
                       {{"event_id", target.id}, {"grade", target.grade}, {"heat", target.heat}}};
        auto d = Decide(c, system, follow, clock_.Now(), DecideContext{});
        if (!d.ok()) continue;
        auto w = Write(c, system, std::move(*d));
        if (w.ok()) {
          ++report.changed;
        } else if (w.status().code() == StatusCode::kFailedPrecondition) {
          ++report.conflicts;
        } else {
          report.errors.push_back(fmt::format("case {}: {}", c.id, w.status().message()));
        }
      }
    }
    if (static_cast<int64_t>(q.offset) + q.limit >= page.total) break;
  }
  events_seen_until_ = newest;
  return Status::Ok();
}

Result<SweepReport> CaseService::Sweep(const std::function<void(int64_t)>& progress) {
  SweepReport report;
  std::lock_guard<std::mutex> lock(sweep_mu_);
  YQ_RETURN_IF_ERROR(FollowEvents(report));
  access::Principal system;
  system.name = "system";
  // Only the cases whose ladder has something due (Case::sweep_at): the cost of a sweep
  // follows the work to do, not the number of open cases.
  store::CaseFilter filter;
  filter.open_only = true;
  filter.descending = false;
  filter.sweep_due = clock_.Now();
  filter.limit = 1000;
  while (true) {
    YQ_ASSIGN_OR_RETURN(std::vector<model::Case> page, cases_.ListCases(filter));
    if (page.empty()) break;
    filter.after_id = page.back().id;
    for (const model::Case& c : page) {
      ++report.cases;
      core::TimePoint now = clock_.Now();
      SweepOptions opts{TargetsFor(c), options_.language};
      std::optional<Decision> d = cases::Sweep(c, now, opts);
      if (d) {
        int64_t n = static_cast<int64_t>(d->notices.size());
        auto w = Write(c, system, std::move(*d));
        if (w.ok()) {
          ++report.changed;
          report.notices += n;
        } else if (w.status().code() == StatusCode::kFailedPrecondition) {
          ++report.conflicts;
        } else {
          report.errors.push_back(fmt::format("case {}: {}", c.id, w.status().message()));
        }
      }
      if (progress && report.cases % 1000 == 0) progress(report.cases);
    }
  }
  if (progress) progress(report.cases);
  return report;
}

}  // namespace yuqing::cases
