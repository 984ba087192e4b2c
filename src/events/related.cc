#include "events/related.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_map>

namespace yuqing::events {
namespace {

double Norm(const std::vector<std::pair<std::string, double>>& v) {
  double s = 0;
  for (const auto& [term, w] : v) s += w * w;
  return std::sqrt(s);
}

bool SamePrefecture(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  for (const std::string& x : a) {
    if (x.size() < 4) continue;
    for (const std::string& y : b) {
      if (y.size() >= 4 && x.compare(0, 4, y, 0, 4) == 0) return true;
    }
  }
  return false;
}

}  // namespace

RelatedInput RelatedInputOf(const model::EventRecord& e) {
  using nlohmann::json;
  auto seconds = [](core::TimePoint t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
  };
  RelatedInput in;
  in.id = e.id;
  in.regions = e.regions;
  in.first_s = seconds(e.first_seen);
  in.last_s = seconds(e.last_seen);
  json detail = json::parse(e.detail_json, nullptr, false);
  if (!detail.is_object()) return in;
  if (detail.contains("terms") && detail["terms"].is_array()) {
    for (const json& t : detail["terms"]) {
      if (t.is_array() && t.size() == 2 && t[0].is_string() && t[1].is_number()) {
        in.keywords.emplace_back(t[0].get<std::string>(), t[1].get<double>());
      }
    }
    if (!in.keywords.empty()) return in;
  }
  if (detail.contains("keywords") && detail["keywords"].is_array()) {
    for (const json& k : detail["keywords"]) {
      if (k.is_object() && k.contains("term") && k["term"].is_string() && k.contains("weight") &&
          k["weight"].is_number()) {
        in.keywords.emplace_back(k["term"].get<std::string>(), k["weight"].get<double>());
      }
    }
  }
  return in;
}

std::vector<RelatedEvent> RankRelated(const RelatedInput& event,
                                      const std::vector<RelatedInput>& candidates,
                                      const RelatedOptions& options) {
  std::unordered_map<std::string, double> weight;
  for (const auto& [term, w] : event.keywords) weight[term] += w;
  const double norm = Norm(event.keywords);
  std::vector<RelatedEvent> out;
  if (norm <= 0) return out;
  for (const RelatedInput& c : candidates) {
    if (c.id == event.id) continue;
    const double cn = Norm(c.keywords);
    if (cn <= 0) continue;
    double dot = 0;
    std::vector<std::pair<double, std::string>> shared;
    for (const auto& [term, w] : c.keywords) {
      auto it = weight.find(term);
      if (it == weight.end()) continue;
      dot += it->second * w;
      shared.emplace_back(it->second, term);
    }
    if (shared.empty()) continue;
    std::sort(shared.begin(), shared.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    RelatedEvent r;
    r.id = c.id;
    r.keyword_cosine = std::clamp(dot / (norm * cn), 0.0, 1.0);
    for (auto& [w, term] : shared) r.shared.push_back(std::move(term));
    r.same_prefecture = SamePrefecture(event.regions, c.regions);
    r.overlaps =
        c.first_s <= event.last_s + options.gap_s && event.first_s <= c.last_s + options.gap_s;
    r.score = r.keyword_cosine + (r.same_prefecture ? options.prefecture_bonus : 0.0) +
              (r.overlaps ? options.overlap_bonus : 0.0);
    out.push_back(std::move(r));
  }
  std::sort(out.begin(), out.end(), [](const RelatedEvent& a, const RelatedEvent& b) {
    return a.score != b.score ? a.score > b.score : a.id < b.id;
  });
  if (out.size() > options.limit) out.resize(options.limit);
  return out;
}

}  // namespace yuqing::events
