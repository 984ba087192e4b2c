#include "cases/policy.h"

#include <fmt/format.h>

#include <cmath>

#include "cases/deadlines.h"

namespace yuqing::cases {
namespace {

using Minutes = std::chrono::minutes;

double InHours(Minutes m) { return static_cast<double>(m.count()) / 60.0; }

// Reads a positive duration in `unit_minutes` units (60 for hours, 1440 for days), at most a
// year: a longer deadline is a typing mistake, not a policy.
Status ReadDuration(const nlohmann::json& v, std::string_view key, double unit_minutes,
                    Minutes& out) {
  if (!v.is_number()) {
    return Status::InvalidArgument(
        fmt::format("deadline policy: \"{}\" must be a number, got {}", key, v.dump()));
  }
  double x = v.get<double>() * unit_minutes;
  if (!std::isfinite(x) || x < 1 || x > 366.0 * 24 * 60) {
    return Status::InvalidArgument(fmt::format(
        "deadline policy: \"{}\" is {}, expected at least one minute and at most a year", key,
        v.dump()));
  }
  out = Minutes(static_cast<int64_t>(std::llround(x)));
  return Status::Ok();
}

}  // namespace

Result<model::CasePolicy> ParsePolicy(const nlohmann::json& json, const model::CasePolicy& base) {
  if (!json.is_object()) {
    return Status::InvalidArgument(
        fmt::format("deadline policy must be a JSON object, got {}", json.dump()));
  }
  model::CasePolicy p = base;
  for (const auto& [key, v] : json.items()) {
    Status s = Status::Ok();
    if (key == "name") {
      if (!v.is_string() || v.get<std::string>().empty() || v.get<std::string>().size() > 64) {
        s = Status::InvalidArgument("deadline policy: \"name\" must be a text of 1–64 bytes");
      } else {
        p.name = v.get<std::string>();
      }
    } else if (key == "press_within_hours") {
      s = ReadDuration(v, key, 60, p.press_within);
    } else if (key == "respond_within_hours") {
      s = ReadDuration(v, key, 60, p.respond_within);
    } else if (key == "first_release") {
      if (!v.is_boolean()) {
        s = Status::InvalidArgument(fmt::format(
            "deadline policy: \"first_release\" must be true or false, got {}", v.dump()));
      } else {
        p.first_release = v.get<bool>();
      }
    } else if (key == "first_release_within_hours") {
      s = ReadDuration(v, key, 60, p.first_release_within);
    } else if (key == "reply_within_hours") {
      s = ReadDuration(v, key, 60, p.reply_within);
    } else if (key == "resolve_within_days") {
      s = ReadDuration(v, key, 24 * 60, p.resolve_within);
    } else if (key == "accept_within_hours") {
      s = ReadDuration(v, key, 60, p.accept_within);
    } else if (key == "criticise_after_hours") {
      s = ReadDuration(v, key, 60, p.criticise_after);
    } else if (key == "keep_releasing_every_hours") {
      s = ReadDuration(v, key, 60, p.keep_releasing_every);
    } else if (key == "passive_after_hours") {
      s = ReadDuration(v, key, 60, p.passive_after);
    } else if (key == "remind_at") {
      if (!v.is_number() || v.get<double>() <= 0 || v.get<double>() >= 1) {
        s = Status::InvalidArgument(fmt::format(
            "deadline policy: \"remind_at\" is {}, expected a share of the window between 0 and "
            "1 (0.75: a reminder when three quarters of the time have passed)",
            v.dump()));
      } else {
        p.remind_at = v.get<double>();
      }
    } else if (key == "hot_heat") {
      if (!v.is_number() || v.get<double>() < 0 || v.get<double>() > 100) {
        s = Status::InvalidArgument(
            fmt::format("deadline policy: \"hot_heat\" is {}, expected a heat 0–100", v.dump()));
      } else {
        p.hot_heat = v.get<double>();
      }
    } else if (key == "time_zone") {
      if (!v.is_string()) {
        s = Status::InvalidArgument("deadline policy: \"time_zone\" must be a text");
      } else {
        s = ZoneOffsetMinutes(v.get<std::string>()).status();
        if (s.ok()) p.time_zone = v.get<std::string>();
        if (!s.ok()) s = s.WithContext("deadline policy");
      }
    } else {
      s = Status::InvalidArgument(fmt::format(
          "deadline policy: unknown key \"{}\"; expected name, press_within_hours, "
          "respond_within_hours, first_release, first_release_within_hours, reply_within_hours, "
          "resolve_within_days, accept_within_hours, remind_at, criticise_after_hours, "
          "keep_releasing_every_hours, hot_heat, passive_after_hours, time_zone",
          key));
    }
    if (!s.ok()) return s;
  }
  return p;
}

Result<model::CasePolicy> ParsePolicyText(std::string_view text, const model::CasePolicy& base) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    return Status::InvalidArgument("deadline policy is not valid JSON");
  }
  return ParsePolicy(j, base);
}

nlohmann::json PolicyToJson(const model::CasePolicy& p) {
  return {
      {"name", p.name},
      {"press_within_hours", InHours(p.press_within)},
      {"respond_within_hours", InHours(p.respond_within)},
      {"first_release", p.first_release},
      {"first_release_within_hours", InHours(p.first_release_within)},
      {"reply_within_hours", InHours(p.reply_within)},
      {"resolve_within_days", InHours(p.resolve_within) / 24.0},
      {"accept_within_hours", InHours(p.accept_within)},
      {"remind_at", p.remind_at},
      {"criticise_after_hours", InHours(p.criticise_after)},
      {"keep_releasing_every_hours", InHours(p.keep_releasing_every)},
      {"hot_heat", p.hot_heat},
      {"passive_after_hours", InHours(p.passive_after)},
      {"time_zone", p.time_zone},
  };
}

}  // namespace yuqing::cases
