// Trend (rising / peaking / declining / dormant) and burst detection for one event's post
// stream, against the event's own baseline and a topic baseline. docs/events.md "Trend and
// burst" gives the method, the defaults and the measured delay and false-alarm rate.
//
// Burst: an EWMA control chart on 10-minute post counts (Roberts 1959; Lucas & Saccucci,
// Technometrics 1990). The baseline is the exponentially weighted mean μ and variance σ² of
// the completed 10-minute buckets (incremental form: Finch 2009, "Incremental calculation of
// weighted mean and variance", §9). The statistic is the count W of a sliding 10-minute window
// (1-minute resolution) ending at the newest post, so a burst is seen minutes after it starts
// rather than when its bucket closes:
//     z = (W − μ) / sqrt(max(σ², μ, 1))
// The variance floor max(σ², μ) is the Poisson variance: a quiet event whose EWMA variance
// happens to be tiny still needs a Poisson-improbable jump. A burst starts when z ≥ z_threshold
// and W ≥ min_posts (and W is also z_threshold above the topic baseline when one is given), and
// ends when z falls below clear_z: one signal per burst episode.
//
// Pure: event time comes in with the posts and with Advance(); no clock is read. Plain values,
// one writer, no locking.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "events/summary.h"

namespace yuqing::events {

// An EWMA mean and variance of 10-minute counts (an event's own, a topic's or the global one).
struct Baseline {
  double mean = 0;
  double variance = 0;
  uint64_t buckets = 0;  // how many buckets went in
  // x: one bucket's count. Finch 2009 §9: d = x − μ; μ += α d; σ² = (1 − α)(σ² + α d²).
  void Update(double x, double alpha);
  // `k` empty buckets at once (a gap), without looping more than 200 times.
  void UpdateZeros(uint64_t k, double alpha);
};

struct BurstOptions {
  double alpha = 0.1;        // EWMA weight per 10-minute bucket (half-life ≈ 6.6 buckets)
  double z_threshold = 4.0;  // burst when z reaches this …
  double min_posts = 8;      // … and the 10-minute window holds at least this many posts
  double clear_z = 1.0;      // the episode ends when z falls below this
  double topic_z = 4.0;      // W must also be this far above the topic baseline, if given
};

struct Burst {
  int64_t at_s = 0;         // event time of the post that set it off
  double window_posts = 0;  // W
  double mean = 0;          // μ of the event's baseline at that time
  double sd = 0;            // the denominator of z
  double z = 0;
};

class BurstDetector {
 public:
  // `prior`: the topic baseline the event's own baseline starts from (a new event has no
  // history of its own); a default Baseline means "no prior".
  explicit BurstDetector(BurstOptions options = {}, Baseline prior = {});

  // Counts `n` posts at event time `t` and tests the window. Returns a Burst when an episode
  // starts. `topic` (may be null, borrowed for the call) is the topic's current baseline.
  std::optional<Burst> Add(int64_t t, uint32_t n = 1, const Baseline* topic = nullptr);
  // Moves event time to `now` without a post: closes finished buckets into the baseline and
  // ends an episode whose window has drained.
  void Advance(int64_t now);

  const Baseline& baseline() const { return own_; }
  bool in_burst() const { return in_burst_; }
  double last_z() const { return last_z_; }
  // Posts in the 10-minute window ending at the latest time seen.
  double Window() const;
  // The count of the last closed bucket (what Advance fed the baseline), for topic baselines.
  std::optional<double> TakeClosedBucket();

 private:
  double Z(double w, const Baseline& b) const;

  BurstOptions options_;
  Baseline own_;
  int64_t now_min_ = INT64_MIN;         // latest minute seen (t / 60)
  std::array<uint32_t, 10> minutes_{};  // ring: posts per minute, last 10 minutes
  int64_t bucket_start_ = INT64_MIN;    // the open 10-minute bucket
  double bucket_posts_ = 0;
  std::optional<double> closed_;  // the newest closed bucket not yet taken
  bool in_burst_ = false;
  double last_z_ = 0;
};

enum class TrendState { kRising, kPeaking, kDeclining, kDormant };
// "rising", "peaking", "declining", "dormant"
std::string_view TrendStateName(TrendState s);

// Trend from two consecutive hour windows of complete 10-minute buckets of the heat series,
// r1 = the last hour before the current bucket and r0 = the hour before that, and the largest
// r1 seen (the peak), tested in this order:
//   dormant   no post for dormant_after;
//   rising    the event is younger than one window (or woke from dormant less than one
//             window ago);
//   declining r1 + r0 < min_posts: a trickle has no trend (ratios of tiny counts flap);
//   rising    r1 ≥ rise_ratio · r0 and r1 − r0 ≥ min_rise (or r0 = 0 < r1); an event already
//             rising stays so down to stay_rising_ratio;
//   declining r1 ≤ fall_ratio · r0, or r1 < peak_fraction · peak; an event already declining
//             stays so while r1 < r0;
//   peaking   otherwise: near its highest rate and neither clearly up nor down.
struct TrendOptions {
  int64_t window_s = 3600;
  double rise_ratio = 1.5;
  double stay_rising_ratio = 1.2;
  double min_rise = 2;
  double fall_ratio = 0.67;
  double peak_fraction = 0.5;
  double min_posts = 6;  // r1 + r0 below this: declining (a trickle), whatever the ratios
  int64_t dormant_after_s = int64_t{6} * 3600;
};

struct TrendChange {
  TrendState from = TrendState::kRising;
  TrendState to = TrendState::kRising;
  int64_t at_s = 0;
  double last_hour = 0;      // r1
  double previous_hour = 0;  // r0
};

class TrendTracker {
 public:
  explicit TrendTracker(TrendOptions options = {}) : options_(options) {}
  // Re-evaluates at event time `now_s`; returns the change if the state moved (once per move).
  // A new tracker starts in kRising (an event is born rising) and reports nothing until the
  // state first differs.
  std::optional<TrendChange> Update(const EventSummary& s, int64_t now_s);
  TrendState state() const { return state_; }
  double peak() const { return peak_; }

 private:
  TrendOptions options_;
  TrendState state_ = TrendState::kRising;
  double peak_ = 0;
  int64_t born_s_ = INT64_MIN;  // when it last woke from dormant
};

}  // namespace yuqing::events
