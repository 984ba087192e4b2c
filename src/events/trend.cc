#include "events/trend.h"

#include <algorithm>
#include <cmath>

namespace yuqing::events {
namespace {

int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  if (a % b != 0 && ((a < 0) != (b < 0))) --q;
  return q;
}

size_t Slot(int64_t minute) { return static_cast<size_t>(((minute % 10) + 10) % 10); }

}  // namespace

void Baseline::Update(double x, double alpha) {
  // Finch 2009, §9 (exponentially weighted incremental mean and variance).
  const double d = x - mean;
  const double incr = alpha * d;
  mean += incr;
  variance = (1 - alpha) * (variance + d * incr);
  ++buckets;
}

void Baseline::UpdateZeros(uint64_t k, double alpha) {
  // After ~200 empty buckets at α ≥ 0.05 the mean is below 1e-4 of what it was: stop there.
  const uint64_t n = std::min<uint64_t>(k, 200);
  for (uint64_t i = 0; i < n; ++i) Update(0, alpha);
  buckets += k - n;
}

BurstDetector::BurstDetector(BurstOptions options, Baseline prior)
    : options_(options), own_(prior) {}

double BurstDetector::Z(double w, const Baseline& b) const {
  const double sd = std::sqrt(std::max({b.variance, b.mean, 1.0}));
  return (w - b.mean) / sd;
}

double BurstDetector::Window() const {
  double w = 0;
  for (uint32_t n : minutes_) w += n;
  return w;
}

void BurstDetector::Advance(int64_t now) {
  const int64_t m = FloorDiv(now, 60);
  const int64_t b = FloorDiv(now, kBucketSeconds) * kBucketSeconds;
  if (now_min_ == INT64_MIN) {
    now_min_ = m;
    bucket_start_ = b;
    return;
  }
  if (m <= now_min_) return;  // late or same-minute: event time never moves back
  if (m - now_min_ >= 10) {
    minutes_.fill(0);
  } else {
    for (int64_t k = now_min_ + 1; k <= m; ++k) minutes_[Slot(k)] = 0;
  }
  now_min_ = m;
  if (b > bucket_start_) {
    own_.Update(bucket_posts_, options_.alpha);
    closed_ = bucket_posts_;
    const int64_t gap = (b - bucket_start_) / kBucketSeconds - 1;
    if (gap > 0) own_.UpdateZeros(static_cast<uint64_t>(gap), options_.alpha);
    bucket_start_ = b;
    bucket_posts_ = 0;
  }
  last_z_ = Z(Window(), own_);
  if (in_burst_ && last_z_ < options_.clear_z) in_burst_ = false;
}

std::optional<Burst> BurstDetector::Add(int64_t t, uint32_t n, const Baseline* topic) {
  Advance(t);
  minutes_[Slot(now_min_)] += n;
  bucket_posts_ += n;
  const double w = Window();
  last_z_ = Z(w, own_);
  if (in_burst_) {
    if (last_z_ < options_.clear_z) in_burst_ = false;
    return std::nullopt;
  }
  if (last_z_ < options_.z_threshold || w < options_.min_posts) return std::nullopt;
  if (topic != nullptr && topic->buckets > 0 && Z(w, *topic) < options_.topic_z) {
    return std::nullopt;
  }
  in_burst_ = true;
  Burst burst;
  burst.at_s = std::max(t, now_min_ * 60);
  burst.window_posts = w;
  burst.mean = own_.mean;
  burst.sd = std::sqrt(std::max({own_.variance, own_.mean, 1.0}));
  burst.z = last_z_;
  return burst;
}

std::optional<double> BurstDetector::TakeClosedBucket() {
  std::optional<double> c = closed_;
  closed_.reset();
  return c;
}

std::string_view TrendStateName(TrendState s) {
  switch (s) {
    case TrendState::kRising:
      return "rising";
    case TrendState::kPeaking:
      return "peaking";
    case TrendState::kDeclining:
      return "declining";
    case TrendState::kDormant:
      return "dormant";
  }
  return "dormant";
}

std::optional<TrendChange> TrendTracker::Update(const EventSummary& s, int64_t now_s) {
  if (s.posts() == 0) return std::nullopt;
  // Complete buckets only: a half-filled current bucket would make every bucket start look like
  // a fall. The windows move once per 10 minutes.
  const int64_t w = options_.window_s;
  const int64_t cur = FloorDiv(now_s, kBucketSeconds) * kBucketSeconds;
  const double r1 = static_cast<double>(s.PostsBetween(cur - w, cur));
  const double r0 = static_cast<double>(s.PostsBetween(cur - 2 * w, cur - w));
  peak_ = std::max(peak_, r1);
  // Hysteresis: staying in a state is easier than entering it, so counts hovering at a
  // threshold do not flap between two states.
  const double rise =
      state_ == TrendState::kRising ? options_.stay_rising_ratio : options_.rise_ratio;
  const bool rising = (r0 == 0 && r1 > 0) || (r1 >= rise * r0 && r1 - r0 >= options_.min_rise);
  const bool falling = r1 <= options_.fall_ratio * r0 || r1 < options_.peak_fraction * peak_;
  if (state_ == TrendState::kDormant && now_s - s.last_s() < options_.dormant_after_s) {
    born_s_ = s.last_s();  // woke: young again for one window
  }
  const int64_t born = std::max(born_s_, s.first_s());
  TrendState next;
  if (now_s - s.last_s() >= options_.dormant_after_s) {
    next = TrendState::kDormant;
  } else if (now_s - born < w) {
    next = TrendState::kRising;  // young, or just woken
  } else if (r1 + r0 < options_.min_posts) {
    // A trickle: one post an hour has no trend to speak of, and ratios of such counts would
    // flip the state with every post.
    next = TrendState::kDeclining;
  } else if (rising) {
    next = TrendState::kRising;
  } else if (falling || (state_ == TrendState::kDeclining && r1 < r0)) {
    next = TrendState::kDeclining;
  } else {
    next = TrendState::kPeaking;
  }
  if (next == state_) return std::nullopt;
  TrendChange c{state_, next, now_s, r1, r0};
  state_ = next;
  return c;
}

}  // namespace yuqing::events
