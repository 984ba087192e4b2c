// Heat index (热度) 0–100 of one event, from six documented components, each exposed so an
// analyst sees why an event is hot. Formula and constants: docs/events.md "Heat index".
//
//   heat = 100 · recency · Σ_i w_i · c_i,   Σ w_i = 1,  every c_i in [0, 1]
//
// Pure function of an EventSummary and the injected time `now_s` (never the system clock).
#pragma once

#include <cstdint>

#include "events/summary.h"

namespace yuqing::events {

// Defaults documented in docs/events.md; `ref` values are where a component saturates at 1.
struct HeatOptions {
  double w_volume = 0.25;
  double w_velocity = 0.20;
  double w_engagement = 0.20;
  double w_authority = 0.15;
  double w_breadth = 0.10;
  double w_negative = 0.10;
  double volume_ref_posts = 10000;  // log-scaled: 10,000 posts → 1
  // Volume counts the posts of this last stretch of event time (0: the event's whole life):
  // heat is how much is said now. A topic that trickles on for a week at a few posts an hour
  // is not as hot as an incident that drew the same posts in a day.
  int64_t volume_window_s = 86400;
  double velocity_ref_posts_per_hour = 1000;  // log-scaled: 1,000 posts in the last hour → 1
  int64_t velocity_window_s = 3600;
  double engagement_ref = 1'000'000;    // log-scaled weighted interactions → 1
  double like_weight = 0.1;             // a like counts a tenth of a repost or comment
  double authority_scale = 3;           // authority = 1 − exp(−points / scale)
  double media_points = 1.0;            // per post from media (author kind or news/print/tv)
  double gov_points = 1.0;              // per post from a government account or gov platform
  double large_account_points = 0.5;    // per post from an account with ≥ 1M followers
  double breadth_channels_ref = 5;      // distinct channels at which the channel half is 1
  double breadth_regions_ref = 5;       // province-weighted regions at which the region half is 1
  int64_t recency_half_life_s = 86400;  // heat halves per day without a post
};

// Each component in [0, 1]; `points` are w_i · c_i · 100 · recency, so they add up to `heat`.
struct HeatComponents {
  double volume = 0;      // log10(1 + posts in the last volume_window) / log10(1 + volume_ref)
  double velocity = 0;    // log10(1 + posts in the last hour) / log10(1 + velocity_ref)
  double engagement = 0;  // log10(1 + reposts + comments + 0.1 · likes) / log10(1 + ref)
  double authority = 0;   // 1 − exp(−(media + gov + 0.5 · large-account posts) / 3)
  double breadth = 0;     // ½ channels part + ½ regions part
  double negative = 0;    // share of negative posts
  double recency = 1;     // 2^(−(now − last post) / half-life)
  struct Points {
    double volume = 0, velocity = 0, engagement = 0, authority = 0, breadth = 0, negative = 0;
  } points;
  double posts_last_hour = 0;  // the raw figure behind `velocity`
  double heat = 0;             // 0–100
};

HeatComponents ComputeHeat(const EventSummary& s, int64_t now_s, const HeatOptions& o = {});

}  // namespace yuqing::events
