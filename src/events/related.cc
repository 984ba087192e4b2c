#include "events/related.h"

#include <algorithm>
#include <cmath>
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
    r.overlaps = c.first_s <= event.last_s + options.gap_s &&
                 event.first_s <= c.last_s + options.gap_s;
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
