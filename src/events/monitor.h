// EventMonitor: the one object the pipeline's ordered event stage calls after the Clusterer has
// assigned a post. It keeps, per event, the EventSummary, a BurstDetector, a TrendTracker and a
// GradeTracker, plus a baseline per topic (the event's main domain), and returns what changed:
// a burst that started, a trend move, a grade change — each reported once. docs/events.md
// "API for the pipeline".
//
//   events::Clusterer clusterer(keywords);
//   events::EventMonitor monitor;
//   auto a = clusterer.Add(cluster_post);
//   auto signals = monitor.Observe(clusterer.Resolve(a.event), events::MakeEventPost(post,
//   analysis)); for (const auto& m : new merges) monitor.Merge(m.from, m.into); every few minutes
//   of event time: for (auto& s : monitor.Advance(now_s)) …
//
// Pure: event time comes from the posts and from Advance(now_s) (the caller's core::Clock in
// live mode, the replay's time in backfills). One writer, no locking; not thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "events/heat.h"
#include "events/risk.h"
#include "events/summary.h"
#include "events/trend.h"

namespace yuqing::events {

struct MonitorOptions {
  HeatOptions heat;
  BurstOptions burst;
  TrendOptions trend;
  RiskOptions risk;
  double topic_alpha = 0.02;  // EWMA weight of one event-bucket in its topic's baseline
};

// What one call found for one event. heat and risk are always filled; the optionals only when
// that thing happened in this call.
struct EventSignals {
  uint64_t event = 0;
  HeatComponents heat;
  RiskAssessment risk;
  TrendState trend = TrendState::kRising;
  std::optional<Burst> burst;
  std::optional<TrendChange> trend_change;
  std::optional<GradeChange> grade_change;
  bool changed() const { return burst || trend_change || grade_change; }
};

class EventMonitor {
 public:
  explicit EventMonitor(MonitorOptions options = {}) : options_(options) {}

  // Adds a post to `event` (use Clusterer::Resolve for the surviving id).
  EventSignals Observe(uint64_t event, const EventPost& post);
  // Moves event time to `now_s` for the tracked events that are due (trend moves, heat decay,
  // grade drops, dormancy) and returns those where something changed. An event is due every
  // 10-minute bucket while it has more than a trickle (trend.min_posts) of posts in the trend's
  // two hour windows, otherwise hourly (heat
  // decay moves grades slowly) and at the moment it would go dormant; dormant events are never
  // due. Cost: O(due events · log n), not O(tracked events), so it can be called often.
  std::vector<EventSignals> Advance(int64_t now_s);
  // The clusterer merged `from` into `into`: summaries are combined, `from` is forgotten and
  // `into` is re-graded at the later of the two last-post times.
  EventSignals Merge(uint64_t from, uint64_t into);
  // Stops tracking `event` (the clusterer forgot it: it gets no more posts).
  void Forget(uint64_t event);

  // Borrowed until the next call that changes the monitor; null if the event is unknown.
  const EventSummary* summary(uint64_t event) const;
  // The topic baseline of a domain (per-event 10-minute counts, EWMA).
  const Baseline& topic_baseline(model::Domain d) const { return topics_[static_cast<int>(d)]; }
  size_t size() const { return events_.size(); }

 private:
  struct Tracked {
    EventSummary summary;
    BurstDetector burst;
    TrendTracker trend;
    GradeTracker grade;
    int64_t due_s = 0;  // next Advance() time it must be looked at; key in `due_`
  };
  EventSignals Evaluate(uint64_t id, Tracked& t, int64_t now_s, std::optional<Burst> burst);
  // Sets when `t` (evaluated at now_s) is next due; dormant events leave the schedule.
  void Schedule(uint64_t id, Tracked& t, int64_t now_s);
  void FeedTopic(Tracked& t);

  MonitorOptions options_;
  std::map<uint64_t, Tracked> events_;
  std::set<std::pair<int64_t, uint64_t>> due_;  // (due_s, event id) of the non-dormant events
  std::array<Baseline, model::kDomainCount> topics_{};
};

}  // namespace yuqing::events
