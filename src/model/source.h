// A configured source (采集源): where yuqing goes to fetch posts, how often, and what happened
// the last times it went (docs/collect.md). Plain values; the collect module reads `config`,
// the store keeps the record whole.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "model/post.h"

namespace yuqing::model {

enum class SourceKind {
  kRss,      // RSS 2.0 / Atom / RDF feed
  kWeb,      // list page + article pages with XPath selectors
  kJsonApi,  // JSON API polled with a field mapping and a cursor
  kFolder,   // a watched drop folder of CSV / NDJSON / JSON files
  kPush,     // POST /api/v1/posts under this source's name (watched, not fetched)
  kReplay,   // a recorded stream played in accelerated event time
};
inline constexpr std::string_view kSourceKindNames[] = {"rss",    "web",  "json_api",
                                                        "folder", "push", "replay"};
inline std::string_view SourceKindName(SourceKind k) {
  return kSourceKindNames[static_cast<int>(k)];
}
inline std::optional<SourceKind> ParseSourceKind(std::string_view name) {
  for (int i = 0; i < 6; ++i) {
    if (kSourceKindNames[i] == name) return static_cast<SourceKind>(i);
  }
  return std::nullopt;
}

// A source's health as the collectors and the health check see it.
enum class SourceHealth {
  kUnknown,  // never run yet, or too young for a baseline
  kOk,
  kFailing,  // the last runs failed (consecutive_failures ≥ the threshold)
  kSilent,   // runs succeed but nothing new arrives where the baseline expects posts
};
inline constexpr std::string_view kSourceHealthNames[] = {"unknown", "ok", "failing", "silent"};
inline std::string_view SourceHealthName(SourceHealth h) {
  return kSourceHealthNames[static_cast<int>(h)];
}
inline std::optional<SourceHealth> ParseSourceHealth(std::string_view name) {
  for (int i = 0; i < 4; ++i) {
    if (kSourceHealthNames[i] == name) return static_cast<SourceHealth>(i);
  }
  return std::nullopt;
}

// Posts accepted per hour over the last week: a ring of 168 hourly counts indexed by the hour
// since the epoch modulo 168, and the newest hour written. The hour-of-day baseline is read
// from it (collect/health.h).
struct SourceVolume {
  static constexpr int kHours = 168;
  std::array<int64_t, kHours> counts{};
  int64_t newest_hour = 0;  // hours since the epoch of the newest slot; 0 before the first
  int64_t first_hour = 0;   // the first hour ever counted (how much history the ring holds)
  bool operator==(const SourceVolume&) const = default;
};

// What the collectors write after every run. Kept whole by the store.
struct SourceState {
  std::string cursor;         // kind-specific: newest item seen, an API cursor, a page id
  std::string etag;           // of the last 200 answer (conditional GET)
  std::string last_modified;  // likewise
  std::optional<core::TimePoint> last_run_at;
  std::optional<core::TimePoint> last_success_at;
  std::optional<core::TimePoint> last_post_at;  // when a run last brought a new post
  std::optional<core::TimePoint> last_error_at;
  std::string last_error_url;  // the URL (or file) that failed
  std::string last_error;      // what was wrong
  int64_t consecutive_failures = 0;
  int64_t runs = 0;
  int64_t failures = 0;
  int64_t fetched = 0;  // items read from the source
  int64_t accepted = 0;
  int64_t duplicate = 0;
  int64_t rejected = 0;
  SourceHealth health = SourceHealth::kUnknown;
  std::optional<core::TimePoint> health_since;
  std::string health_reason;
  SourceVolume volume;
  bool operator==(const SourceState&) const = default;
};

struct Source {
  int64_t id = 0;    // assigned by the store
  std::string name;  // also the `source` of its posts
  SourceKind kind = SourceKind::kRss;
  std::chrono::seconds interval{std::chrono::minutes(10)};  // how often it is fetched
  Channel channel = Channel::kNews;  // of its posts unless an item says otherwise
  std::string region;                // GB/T 2260 code given to posts without one; may be empty
  int tz_offset_minutes = 480;       // zone of dates without an offset (+08:00, China)
  std::string config_json = "{}";    // kind-specific settings (docs/collect.md)
  bool paused = false;
  core::TimePoint created_at{};
  core::TimePoint updated_at{};
  SourceState state;
};

}  // namespace yuqing::model
