// An event (舆情事件) as it is stored and served: the columns the event list filters and sorts
// on, plus the full current picture (summary, heat components, risk reasons, series, keywords)
// as one JSON document built by the event stage (docs/events.md "Storage").
// Plain values; the events module computes them, the store keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "model/analysis.h"

namespace yuqing::model {

struct EventRecord {
  int64_t id = 0;                // assigned by the event stage, never reused
  std::string title;             // the most central post's title (or text opening)
  core::TimePoint first_seen{};  // earliest post (event time)
  core::TimePoint last_seen{};   // latest post (event time)
  int64_t posts = 0;
  int64_t authors = 0;
  double heat = 0;                 // 0–100 at `updated_at`
  int grade = 4;                   // risk grade 1 (I 特别重大) … 4 (IV 一般)
  std::string trend;               // "rising", "peaking", "declining", "dormant"
  Domain domain = Domain::kOther;  // the domain most of its posts concern
  double negative_share = 0;
  std::vector<std::string> regions;  // GB/T 2260 codes named, most posts first (at most 20)
  int64_t merged_into = 0;           // 0 while the event lives; else the event that absorbed it
  core::TimePoint updated_at{};      // event time of the last update
  std::string detail_json;  // summary, heat components, risk reasons, series, keywords, posts
};

// "I", "II", "III", "IV" for grades 1–4; "?" otherwise.
inline std::string_view GradeName(int grade) {
  static constexpr std::string_view kNames[] = {"I", "II", "III", "IV"};
  return grade >= 1 && grade <= 4 ? kNames[grade - 1] : "?";
}

// A risk grade as people write it: "1".."4", "I".."IV" (either case). nullopt otherwise.
inline std::optional<int> ParseGrade(std::string_view s) {
  static constexpr std::string_view kRoman[] = {"I", "II", "III", "IV"};
  static constexpr std::string_view kRomanLower[] = {"i", "ii", "iii", "iv"};
  for (int g = 1; g <= 4; ++g) {
    if (s == kRoman[g - 1] || s == kRomanLower[g - 1] ||
        (s.size() == 1 && s[0] == static_cast<char>('0' + g))) {
      return g;
    }
  }
  return std::nullopt;
}

}  // namespace yuqing::model
