#include "analysis/gazetteer.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <unordered_map>

namespace yuqing::analysis {
namespace {

std::vector<std::string_view> SplitView(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  while (true) {
    size_t p = s.find(sep);
    out.push_back(s.substr(0, p));
    if (p == std::string_view::npos) break;
    s.remove_prefix(p + 1);
  }
  return out;
}

// Length of the code prefix that identifies a place of this level (2, 4 or 6 digits).
size_t PrefixLen(model::PlaceLevel l) {
  return l == model::PlaceLevel::kProvince ? 2 : l == model::PlaceLevel::kPrefecture ? 4 : 6;
}

// True if a contains b or b contains a in the hierarchy (and they differ).
bool Related(const Gazetteer::Entry& a, const Gazetteer::Entry& b) {
  if (a.code == b.code) return false;
  size_t la = PrefixLen(a.level), lb = PrefixLen(b.level);
  size_t n = std::min(la, lb);
  if (la == lb) return false;
  return a.code.compare(0, n, b.code, 0, n) == 0;
}

}  // namespace

const Gazetteer::Entry* Gazetteer::ByCode(std::string_view code) const {
  for (const Entry& e : entries_) {
    if (e.code == code) return &e;
  }
  return nullptr;
}

Result<std::shared_ptr<const Gazetteer>> Gazetteer::Load(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound("gazetteer not found: " + path);
  auto g = std::make_shared<Gazetteer>();
  std::unordered_map<std::string, uint32_t> name_index;
  std::vector<std::string> patterns;
  auto add = [&](std::string_view name, uint32_t entry, bool alias) {
    auto [it, inserted] = name_index.emplace(std::string(name), g->names_.size());
    if (inserted) {
      g->names_.push_back({{}, alias});
      patterns.emplace_back(name);
    }
    Name& n = g->names_[it->second];
    n.entries.push_back(entry);
    n.alias = n.alias && alias;  // a full name anywhere makes the string a full name
  };
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#' || line.rfind("code\t", 0) == 0) continue;
    auto f = SplitView(line, '\t');
    if (f.size() < 5 || f[0].size() != 6) {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) +
                                     ": expected code<TAB>level<TAB>name<TAB>parent<TAB>aliases");
    }
    Entry e;
    e.code = std::string(f[0]);
    e.name = std::string(f[2]);
    e.parent = std::string(f[3]);
    if (f[1] == "province") {
      e.level = model::PlaceLevel::kProvince;
    } else if (f[1] == "prefecture") {
      e.level = model::PlaceLevel::kPrefecture;
    } else if (f[1] == "county") {
      e.level = model::PlaceLevel::kCounty;
    } else {
      return Status::InvalidArgument(path + ":" + std::to_string(line_no) + ": unknown level");
    }
    bool generic = f.size() > 5 && f[5] == "generic";
    uint32_t idx = static_cast<uint32_t>(g->entries_.size());
    g->entries_.push_back(std::move(e));
    if (!generic) add(f[2], idx, false);
    if (!f[4].empty()) {
      for (std::string_view a : SplitView(f[4], ',')) {
        if (!a.empty()) add(a, idx, true);
      }
    }
  }
  g->matcher_ = PhraseMatcher::Build(patterns);
  return std::shared_ptr<const Gazetteer>(std::move(g));
}

std::vector<model::Place> Gazetteer::Find(const Prepared& p, std::string_view region) const {
  std::vector<model::Place> out;
  thread_local std::vector<PhraseMatcher::Hit> hits;
  thread_local std::vector<uint8_t> ends;
  hits.clear();
  const std::string& text = p.norm.text;
  for (const Token& t : p.tokens) {
    if (!(t.flags & kTokSkip)) matcher_.MatchAt(text, t.begin, hits);
  }
  if (hits.empty()) return out;
  ends.assign(text.size() + 1, 0);
  for (const Token& t : p.tokens) ends[t.end] = 1;
  // A mention starts on a word start (a mention token (@name) is skipped); it ends on a word
  // end, except a full name (长治市), which may be glued to what follows (潞城区委 is cut
  // 潞城/区委).
  struct Mention {
    uint32_t name, begin, end;
  };
  std::vector<Mention> ms;
  for (const auto& h : hits) {
    if (!ends[h.end] && names_[h.pattern].alias) continue;
    ms.push_back({h.pattern, h.begin, h.end});
  }
  // Longest first, left to right, no overlaps.
  std::sort(ms.begin(), ms.end(), [](const Mention& a, const Mention& b) {
    if (a.end - a.begin != b.end - b.begin) return a.end - a.begin > b.end - b.begin;
    return a.begin < b.begin;
  });
  std::vector<Mention> kept;
  for (const Mention& m : ms) {
    bool overlap = false;
    for (const Mention& k : kept) {
      if (m.begin < k.end && k.begin < m.end) overlap = true;
    }
    if (!overlap) kept.push_back(m);
  }
  std::sort(kept.begin(), kept.end(),
            [](const Mention& a, const Mention& b) { return a.begin < b.begin; });
  // Resolution: score each candidate; support from other mentions' candidates (ancestor or
  // descendant), from the post's region, a prior by level, and a bonus for full names.
  std::map<std::string, size_t> place_index;
  for (size_t i = 0; i < kept.size(); ++i) {
    const Name& n = names_[kept[i].name];
    double best = -1e9, sum = 0;
    uint32_t best_entry = n.entries[0];
    std::vector<double> scores;
    for (uint32_t c : n.entries) {
      const Entry& e = entries_[c];
      double s = e.level == model::PlaceLevel::kProvince     ? 0.3
                 : e.level == model::PlaceLevel::kPrefecture ? 0.2
                                                             : 0.0;
      bool supported = false;
      for (size_t j = 0; j < kept.size() && !supported; ++j) {
        if (j == i) continue;
        for (uint32_t o : names_[kept[j].name].entries) {
          if (Related(e, entries_[o])) {
            supported = true;
            break;
          }
        }
      }
      if (supported) s += 1.5;
      if (!region.empty()) {
        size_t n2 = std::min(region.size(), PrefixLen(e.level));
        if (e.code.compare(0, n2, region, 0, n2) == 0) s += 1.0;
      }
      scores.push_back(s);
      if (s > best) {
        best = s;
        best_entry = c;
      }
    }
    for (double s : scores) sum += std::exp(3 * (s - best));
    double conf = 1.0 / sum;
    conf *= n.alias ? 0.85 : 0.97;  // short forms are more often something else
    const Entry& e = entries_[best_entry];
    auto [it, inserted] = place_index.emplace(e.code, out.size());
    if (inserted) {
      model::Place pl;
      pl.code = e.code;
      pl.name = e.name;
      pl.level = e.level;
      out.push_back(std::move(pl));
    }
    model::Place& pl = out[it->second];
    pl.confidence = std::max(pl.confidence, conf);
    pl.mentions.push_back({kept[i].begin, kept[i].end - kept[i].begin});
    std::string surface = text.substr(kept[i].begin, kept[i].end - kept[i].begin);
    if (std::find(pl.surface.begin(), pl.surface.end(), surface) == pl.surface.end()) {
      pl.surface.push_back(std::move(surface));
    }
  }
  return out;
}

}  // namespace yuqing::analysis
