// The current picture of an event as served and stored (docs/events.md "Event detail"): the
// list columns (model::EventRecord) and the detail JSON — summary, heat components, risk grade
// and its reasons, trend, keywords, representative posts, influential authors, heat series.
// Also the payload of an alert. Pure: values in, JSON out.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "events/heat.h"
#include "events/risk.h"
#include "events/summary.h"
#include "events/trend.h"
#include "model/event.h"

namespace yuqing::events {

// Everything known about one event at one moment.
struct EventView {
  uint64_t id = 0;
  std::string title;
  const EventSummary* summary = nullptr;  // borrowed
  HeatComponents heat;
  RiskAssessment risk;
  TrendState trend = TrendState::kRising;
  std::vector<std::pair<std::string, double>> keywords;  // heaviest first
  int64_t now_s = 0;                                     // event time of this view
  double title_score = 0;  // how central the title's post was (cosine to the centroid)
  // More of the heaviest terms (up to 30), kept in the detail as "terms": what related-event
  // suggestions compare (events/related.h); empty: not written.
  std::vector<std::pair<std::string, double>> terms{};
};

// At most this many 10-minute buckets of the series are kept in the detail (7 days).
inline constexpr size_t kDetailSeriesBuckets = 1008;

nlohmann::json HeatJson(const HeatComponents& h);
nlohmann::json RiskJson(const RiskAssessment& r);
// The detail document (EventRecord::detail_json, parsed).
nlohmann::json EventDetailJson(const EventView& v);
// EventDetailJson(v).dump(), byte for byte, written without building the DOM (MakeEventRecord
// writes one for every event a batch touches). Throws nlohmann::json::type_error on invalid
// UTF-8, as dump() does.
std::string EventDetailJsonString(const EventView& v);
model::EventRecord MakeEventRecord(const EventView& v);
// The short "event" object of an alert payload and of list entries.
nlohmann::json EventBriefJson(const EventView& v);

}  // namespace yuqing::events
