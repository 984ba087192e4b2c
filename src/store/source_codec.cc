#include "store/source_codec.h"

#include <fmt/format.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

namespace yuqing::store {
namespace {

using nlohmann::json;

int64_t SourceMs(core::TimePoint t) { return t.time_since_epoch().count(); }

void PutSourceTime(json& j, const char* key, const std::optional<core::TimePoint>& t) {
  if (t) j[key] = SourceMs(*t);
}

std::optional<core::TimePoint> GetSourceTime(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_integer()) return std::nullopt;
  return core::TimePoint(std::chrono::milliseconds(it->get<int64_t>()));
}

}  // namespace

std::string SourceStateToJson(const model::SourceState& s) {
  json j = {{"cursor", s.cursor},
            {"etag", s.etag},
            {"last_modified", s.last_modified},
            {"last_error_url", s.last_error_url},
            {"last_error", s.last_error},
            {"consecutive_failures", s.consecutive_failures},
            {"runs", s.runs},
            {"failures", s.failures},
            {"fetched", s.fetched},
            {"accepted", s.accepted},
            {"duplicate", s.duplicate},
            {"rejected", s.rejected},
            {"health", model::SourceHealthName(s.health)},
            {"health_reason", s.health_reason}};
  PutSourceTime(j, "last_run_at", s.last_run_at);
  PutSourceTime(j, "last_success_at", s.last_success_at);
  PutSourceTime(j, "last_post_at", s.last_post_at);
  PutSourceTime(j, "last_error_at", s.last_error_at);
  PutSourceTime(j, "health_since", s.health_since);
  // The ring sparsely: most hours of a quiet source are zero.
  json counts = json::object();
  for (int i = 0; i < model::SourceVolume::kHours; ++i) {
    if (s.volume.counts[static_cast<size_t>(i)] != 0) {
      counts[std::to_string(i)] = s.volume.counts[static_cast<size_t>(i)];
    }
  }
  j["volume"] = {{"newest_hour", s.volume.newest_hour},
                 {"first_hour", s.volume.first_hour},
                 {"counts", counts}};
  return j.dump();
}

Result<model::SourceState> SourceStateFromJson(std::string_view text) {
  model::SourceState s;
  if (text.empty()) return s;
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return Status::InvalidArgument("the stored source state is not a JSON object");
  }
  auto str = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  auto num = [&](const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : int64_t{0};
  };
  s.cursor = str("cursor");
  s.etag = str("etag");
  s.last_modified = str("last_modified");
  s.last_error_url = str("last_error_url");
  s.last_error = str("last_error");
  s.consecutive_failures = num("consecutive_failures");
  s.runs = num("runs");
  s.failures = num("failures");
  s.fetched = num("fetched");
  s.accepted = num("accepted");
  s.duplicate = num("duplicate");
  s.rejected = num("rejected");
  s.health = model::ParseSourceHealth(str("health")).value_or(model::SourceHealth::kUnknown);
  s.health_reason = str("health_reason");
  s.last_run_at = GetSourceTime(j, "last_run_at");
  s.last_success_at = GetSourceTime(j, "last_success_at");
  s.last_post_at = GetSourceTime(j, "last_post_at");
  s.last_error_at = GetSourceTime(j, "last_error_at");
  s.health_since = GetSourceTime(j, "health_since");
  if (auto v = j.find("volume"); v != j.end() && v->is_object()) {
    auto hour = [&](const char* key) {
      auto it = v->find(key);
      return it != v->end() && it->is_number_integer() ? it->get<int64_t>() : int64_t{0};
    };
    s.volume.newest_hour = hour("newest_hour");
    s.volume.first_hour = hour("first_hour");
    if (auto c = v->find("counts"); c != v->end() && c->is_object()) {
      for (const auto& [k, n] : c->items()) {
        int i = std::atoi(k.c_str());
        if (i >= 0 && i < model::SourceVolume::kHours && n.is_number_integer()) {
          s.volume.counts[static_cast<size_t>(i)] = n.get<int64_t>();
        }
      }
    }
  }
  return s;
}

}  // namespace yuqing::store
