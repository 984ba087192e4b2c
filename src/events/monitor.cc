#include "events/monitor.h"

#include <algorithm>

namespace yuqing::events {

void EventMonitor::FeedTopic(Tracked& t) {
  // Each closed bucket of an event is one observation of "how many posts an event of this topic
  // gets in 10 minutes" — the baseline a young event of the topic is compared with.
  if (auto closed = t.burst.TakeClosedBucket()) {
    topics_[static_cast<int>(t.summary.top_domain())].Update(*closed, options_.topic_alpha);
  }
}

void EventMonitor::Schedule(uint64_t id, Tracked& t, int64_t now_s) {
  due_.erase({t.due_s, id});
  if (t.trend.state() == TrendState::kDormant) return;
  const int64_t quiet = now_s - t.summary.last_s();
  const int64_t window = options_.trend.window_s;
  int64_t next;
  // A trickle (fewer than min_posts in the trend's two windows) has no trend to follow bucket
  // by bucket: it stays declining until more posts come (Observe reschedules) or it sleeps.
  const bool trickle =
      static_cast<double>(t.summary.PostsBetween(
          now_s - 2 * window - kBucketSeconds, now_s + kBucketSeconds)) < options_.trend.min_posts;
  if (quiet < 2 * window + kBucketSeconds && !trickle) {
    // Posts in the trend's windows: its hour counts change with every bucket.
    next = (now_s / kBucketSeconds + 1) * kBucketSeconds;
  } else {
    next = std::min(now_s + window, t.summary.last_s() + options_.trend.dormant_after_s);
  }
  t.due_s = std::max(next, now_s + 1);
  due_.emplace(t.due_s, id);
}

EventSignals EventMonitor::Evaluate(uint64_t id, Tracked& t, int64_t now_s,
                                    std::optional<Burst> burst) {
  EventSignals s;
  s.event = id;
  s.burst = burst;
  s.heat = ComputeHeat(t.summary, now_s, options_.heat);
  s.risk = AssessRisk(t.summary, s.heat, t.burst.in_burst(), options_.risk);
  s.trend_change = t.trend.Update(t.summary, now_s);
  s.trend = t.trend.state();
  s.grade_change = t.grade.Update(s.risk, now_s);
  return s;
}

EventSignals EventMonitor::Observe(uint64_t event, const EventPost& post) {
  auto it = events_.find(event);
  if (it == events_.end()) {
    const Baseline& prior = topics_[static_cast<int>(post.domain)];
    it = events_
             .emplace(event, Tracked{EventSummary{}, BurstDetector(options_.burst, prior),
                                     TrendTracker(options_.trend), GradeTracker{}})
             .first;
  }
  Tracked& t = it->second;
  t.summary.Add(post);
  const Baseline& topic = topics_[static_cast<int>(t.summary.top_domain())];
  std::optional<Burst> b = t.burst.Add(post.time_s, 1, &topic);
  FeedTopic(t);
  const int64_t now_s = std::max(post.time_s, t.summary.last_s());
  EventSignals s = Evaluate(event, t, now_s, b);
  Schedule(event, t, now_s);
  return s;
}

std::vector<EventSignals> EventMonitor::Advance(int64_t now_s) {
  std::vector<EventSignals> out;
  std::vector<uint64_t> ids;
  for (auto it = due_.begin(); it != due_.end() && it->first <= now_s; ++it) {
    ids.push_back(it->second);
  }
  std::sort(ids.begin(), ids.end());  // reported in id order, as before scheduling
  for (uint64_t id : ids) {
    Tracked& t = events_.at(id);
    t.burst.Advance(now_s);
    FeedTopic(t);
    EventSignals s = Evaluate(id, t, now_s, std::nullopt);
    Schedule(id, t, now_s);
    if (s.changed()) out.push_back(std::move(s));
  }
  return out;
}

EventSignals EventMonitor::Merge(uint64_t from, uint64_t into) {
  auto f = events_.find(from);
  auto i = events_.find(into);
  if (f == events_.end() || i == events_.end() || from == into) {
    EventSignals s;
    s.event = into;
    return s;
  }
  i->second.summary.Absorb(f->second.summary);
  // The absorbed event's grade carries over when it was the more severe one, so the merge
  // itself does not report a change the alert layer has already seen.
  i->second.grade.Carry(f->second.grade.grade());
  due_.erase({f->second.due_s, from});
  events_.erase(f);
  Tracked& t = i->second;
  EventSignals s = Evaluate(into, t, t.summary.last_s(), std::nullopt);
  Schedule(into, t, t.summary.last_s());
  return s;
}

void EventMonitor::Forget(uint64_t event) {
  auto it = events_.find(event);
  if (it == events_.end()) return;
  due_.erase({it->second.due_s, event});
  events_.erase(it);
}

const EventSummary* EventMonitor::summary(uint64_t event) const {
  auto it = events_.find(event);
  return it == events_.end() ? nullptr : &it->second.summary;
}

}  // namespace yuqing::events
