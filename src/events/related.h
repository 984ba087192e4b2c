// Events that may be the same incident as a given one (docs/events.md "Merging by hand"): the
// suggestions the workbench offers before a person merges two events. Ranked by the cosine of
// their stored keywords (the heaviest centroid terms, EventDetailJson "keywords"), with a small
// bonus for a shared prefecture and for overlapping in time. Pure: values in, values out.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/event.h"

namespace yuqing::events {

struct RelatedInput {
  int64_t id = 0;
  std::vector<std::pair<std::string, double>> keywords;  // term, weight (any scale)
  std::vector<std::string> regions;                      // GB/T 2260 codes
  int64_t first_s = 0;
  int64_t last_s = 0;
};

struct RelatedEvent {
  int64_t id = 0;
  double score = 0;                 // keyword cosine + bonuses, for the order
  double keyword_cosine = 0;        // in [0, 1]
  std::vector<std::string> shared;  // the shared keywords, heaviest (in `event`) first
  bool same_prefecture = false;     // a region code's first 4 digits in common
  bool overlaps = false;            // active at the same time (within `gap_s`)
};

struct RelatedOptions {
  double prefecture_bonus = 0.05;
  double overlap_bonus = 0.05;
  int64_t gap_s = 24 * 3600;  // counts as overlapping when no further apart than this
  size_t limit = 10;
};

// What RankRelated reads of a stored event: the detail's "terms" (the 30 heaviest centroid
// terms, EventView::terms) or, for a record written before them, its "keywords"; its regions
// and its span. A detail that does not parse gives no keywords.
RelatedInput RelatedInputOf(const model::EventRecord& e);

// The candidates that share at least one keyword with `event`, best first (ties: lower id);
// `event` itself (same id) is left out.
std::vector<RelatedEvent> RankRelated(const RelatedInput& event,
                                      const std::vector<RelatedInput>& candidates,
                                      const RelatedOptions& options = {});

}  // namespace yuqing::events
