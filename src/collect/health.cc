#include "collect/health.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing::collect {
namespace {

int64_t HourOf(core::TimePoint t) {
  return std::chrono::floor<std::chrono::hours>(t).time_since_epoch().count();
}

size_t Slot(int64_t hour) {
  int64_t n = model::SourceVolume::kHours;
  return static_cast<size_t>(((hour % n) + n) % n);
}

int HourOfDay(int64_t hour, int tz_offset_minutes) {
  int64_t local = hour + tz_offset_minutes / 60;
  return static_cast<int>(((local % 24) + 24) % 24);
}

}  // namespace

void AddVolume(model::SourceVolume& v, core::TimePoint now, int64_t accepted) {
  int64_t hour = HourOf(now);
  if (v.newest_hour == 0) {
    v.first_hour = hour;
    v.newest_hour = hour;
    v.counts.fill(0);
  }
  if (hour > v.newest_hour) {
    int64_t gap = std::min<int64_t>(hour - v.newest_hour, model::SourceVolume::kHours);
    for (int64_t h = hour - gap + 1; h <= hour; ++h) v.counts[Slot(h)] = 0;
    v.newest_hour = hour;
  }
  // An hour older than the ring (a clock set back) is not counted.
  if (hour <= v.newest_hour && v.newest_hour - hour < model::SourceVolume::kHours) {
    v.counts[Slot(hour)] += accepted;
  }
}

std::vector<double> HourlyBaseline(const model::SourceVolume& v, int64_t before_hour,
                                   int tz_offset_minutes) {
  std::vector<double> sum(24, 0), days(24, 0);
  if (v.newest_hour == 0) return sum;
  int64_t oldest = std::max(v.first_hour, v.newest_hour - model::SourceVolume::kHours + 1);
  for (int64_t h = oldest; h < before_hour && h <= v.newest_hour; ++h) {
    int d = HourOfDay(h, tz_offset_minutes);
    sum[static_cast<size_t>(d)] += static_cast<double>(v.counts[Slot(h)]);
    days[static_cast<size_t>(d)] += 1;
  }
  for (size_t i = 0; i < 24; ++i) sum[i] = days[i] > 0 ? sum[i] / days[i] : 0;
  return sum;
}

HealthDecision JudgeHealth(const model::Source& source, core::TimePoint now,
                           const HealthPolicy& policy) {
  const model::SourceState& st = source.state;
  HealthDecision d;
  if (st.consecutive_failures >= policy.failing_after) {
    d.health = model::SourceHealth::kFailing;
    d.reason = fmt::format("连续 {} 次采集失败：{}（{}）", st.consecutive_failures, st.last_error,
                           st.last_error_url);
  } else if (st.runs == 0 || !st.last_success_at) {
    d.health = model::SourceHealth::kUnknown;
    d.reason = "尚未成功采集";
  } else {
    d.health = model::SourceHealth::kOk;
    int64_t now_hour = HourOf(now);
    const model::SourceVolume& v = st.volume;
    // The quiet stretch: whole hours since the hour of the last new post (or since counting
    // began), not counting the current, unfinished hour.
    int64_t last_hour = st.last_post_at ? HourOf(*st.last_post_at) : v.first_hour;
    int64_t quiet = now_hour - last_hour - 1;
    if (v.newest_hour != 0 && (now_hour - v.first_hour) >= policy.min_history.count() &&
        quiet >= policy.min_quiet.count()) {
      std::vector<double> base = HourlyBaseline(v, last_hour + 1, source.tz_offset_minutes);
      double expected = 0;
      for (int64_t h = last_hour + 1; h < now_hour; ++h) {
        expected += base[static_cast<size_t>(HourOfDay(h, source.tz_offset_minutes))];
      }
      if (expected >= policy.min_expected) {
        d.health = model::SourceHealth::kSilent;
        d.reason =
            fmt::format("已 {} 小时没有新条目（按往日同时段应有约 {:.0f} 条）", quiet, expected);
      }
    }
    // A collapse: posts still trickle in, but far fewer than on other days at these hours
    // (a portal that moved most of its column, a feed cut to its first items). The baseline
    // comes from the days before the last 24 hours.
    int64_t window_start = now_hour - 24;
    if (d.health == model::SourceHealth::kOk && v.newest_hour != 0 &&
        now_hour - v.first_hour >= policy.min_history.count() + 24) {
      std::vector<double> base = HourlyBaseline(v, window_start, source.tz_offset_minutes);
      double expected = 0;
      int64_t actual = 0;
      for (int64_t h = window_start; h < now_hour; ++h) {
        expected += base[static_cast<size_t>(HourOfDay(h, source.tz_offset_minutes))];
        if (h <= v.newest_hour && v.newest_hour - h < model::SourceVolume::kHours) {
          actual += v.counts[Slot(h)];
        }
      }
      if (expected >= policy.collapse_min_expected &&
          static_cast<double>(actual) < policy.collapse_ratio * expected) {
        d.health = model::SourceHealth::kSilent;
        d.reason = fmt::format("近 24 小时只有 {} 条新条目（往日同时段约 {:.0f} 条），采集量骤降",
                               actual, expected);
      }
    }
    if (d.health == model::SourceHealth::kOk) d.reason = "";
  }
  d.changed = d.health != st.health;
  return d;
}

std::vector<model::NewAlert> ApplyHealth(const model::Source& source, model::SourceState& state,
                                         const HealthDecision& decision, core::TimePoint now,
                                         const std::vector<model::AlertPolicy>& policies) {
  std::vector<model::NewAlert> out;
  model::SourceHealth before = state.health;
  if (!decision.changed) {
    if (decision.health != model::SourceHealth::kOk) state.health_reason = decision.reason;
    return out;
  }
  state.health = decision.health;
  state.health_since = now;
  state.health_reason = decision.reason;
  bool bad = decision.health == model::SourceHealth::kFailing ||
             decision.health == model::SourceHealth::kSilent;
  bool recovered =
      decision.health == model::SourceHealth::kOk &&
      (before == model::SourceHealth::kFailing || before == model::SourceHealth::kSilent);
  if (!bad && !recovered) return out;
  std::string title =
      bad ? fmt::format("采集源“{}”{}：{}", source.name,
                        decision.health == model::SourceHealth::kFailing ? "采集失败" : "沉默",
                        decision.reason)
          : fmt::format("采集源“{}”已恢复", source.name);
  std::string kind = bad ? std::string(model::SourceHealthName(decision.health)) : "recovered";
  nlohmann::json payload = {{"kind", "source_health"},
                            {"source", source.name},
                            {"source_kind", model::SourceKindName(source.kind)},
                            {"health", model::SourceHealthName(decision.health)},
                            {"previous", model::SourceHealthName(before)},
                            {"reason", decision.reason},
                            {"since", core::FormatIso8601(now)},
                            {"last_error", state.last_error},
                            {"last_error_url", state.last_error_url}};
  for (const model::AlertPolicy& p : policies) {
    if (!p.enabled || !p.rule_ids.empty() || !p.domains.empty()) continue;
    bool region_ok = p.regions.empty();
    for (const auto& r : p.regions) region_ok = region_ok || source.region.starts_with(r);
    if (!region_ok) continue;
    model::NewAlert a;
    a.policy_id = p.id;
    a.level = 4;
    a.created_at = now;
    a.title = title;
    a.payload_json = payload.dump();
    a.targets = p.targets;
    a.language = p.language;
    a.dedup_key = fmt::format("source:{}:{}:{}", source.name, kind, now.time_since_epoch().count());
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace yuqing::collect
