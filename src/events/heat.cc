#include "events/heat.h"

#include <algorithm>
#include <cmath>

namespace yuqing::events {
namespace {

// log10(1 + x) / log10(1 + ref), clamped to [0, 1]: the usual log damping of social-media
// counts (a 10× jump in reposts moves the score by a constant step; cf. the log-scaled
// components of the Weibo and WeChat communication indices, e.g. WCI).
double LogScale(double x, double ref) {
  if (x <= 0 || ref <= 0) return 0;
  return std::clamp(std::log10(1 + x) / std::log10(1 + ref), 0.0, 1.0);
}

}  // namespace

HeatComponents ComputeHeat(const EventSummary& s, int64_t now_s, const HeatOptions& o) {
  HeatComponents c;
  if (s.posts() == 0) return c;
  // Buckets whose start lies in [now − window, now].
  const double recent_posts =
      o.volume_window_s > 0
          ? static_cast<double>(s.PostsBetween(now_s - o.volume_window_s, now_s + 1))
          : static_cast<double>(s.posts());
  c.volume = LogScale(recent_posts, o.volume_ref_posts);

  // Buckets whose start lies in (now − window, now]: the current partial bucket counts.
  c.posts_last_hour =
      static_cast<double>(s.PostsBetween(now_s - o.velocity_window_s + 1, now_s + 1));
  c.velocity = LogScale(c.posts_last_hour, o.velocity_ref_posts_per_hour);

  const model::Metrics& m = s.engagement();
  const double interactions = static_cast<double>(std::max<int64_t>(0, m.reposts)) +
                              static_cast<double>(std::max<int64_t>(0, m.comments)) +
                              o.like_weight * static_cast<double>(std::max<int64_t>(0, m.likes));
  c.engagement = LogScale(interactions, o.engagement_ref);

  const double authority_points = o.media_points * s.media_posts() + o.gov_points * s.gov_posts() +
                                  o.large_account_points * s.large_account_posts();
  c.authority = o.authority_scale > 0 ? 1 - std::exp(-authority_points / o.authority_scale) : 0;

  // Spread: one channel and one place is no spread at all (0); a province counts as two
  // prefectures because crossing a provincial border brings a second government level in.
  const double channels = static_cast<double>(s.distinct_channels());
  const double provinces = static_cast<double>(s.distinct_provinces());
  const double prefectures = static_cast<double>(s.distinct_prefectures());
  const double places = std::max(prefectures, provinces) + std::max(0.0, provinces - 1);
  const double ch_part =
      std::clamp((channels - 1) / std::max(1.0, o.breadth_channels_ref - 1), 0.0, 1.0);
  const double rg_part =
      std::clamp((places - 1) / std::max(1.0, o.breadth_regions_ref - 1), 0.0, 1.0);
  c.breadth = 0.5 * ch_part + 0.5 * rg_part;

  c.negative = s.negative_share();

  const double idle = static_cast<double>(std::max<int64_t>(0, now_s - s.last_s()));
  c.recency = o.recency_half_life_s > 0
                  ? std::exp2(-idle / static_cast<double>(o.recency_half_life_s))
                  : 1.0;

  const double k = 100 * c.recency;
  c.points.volume = k * o.w_volume * c.volume;
  c.points.velocity = k * o.w_velocity * c.velocity;
  c.points.engagement = k * o.w_engagement * c.engagement;
  c.points.authority = k * o.w_authority * c.authority;
  c.points.breadth = k * o.w_breadth * c.breadth;
  c.points.negative = k * o.w_negative * c.negative;
  c.heat = std::clamp(c.points.volume + c.points.velocity + c.points.engagement +
                          c.points.authority + c.points.breadth + c.points.negative,
                      0.0, 100.0);
  return c;
}

}  // namespace yuqing::events
