// What is derived from a case and its event for people to read (docs/cases.md "Did it work?",
// "Failure patterns", "Evaluation", "Assessment"): the event's series with negative posts,
// the verdict on every published response, the failure patterns, contradicting figures, the
// pre-filled facts of the evaluation, and the assessment report. The judgments are the cases
// module's pure functions; here the store is read.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "analysis/casualties.h"
#include "cases/assessment.h"
#include "cases/case_json.h"
#include "cases/deadlines.h"
#include "cases/effectiveness.h"
#include "cases/figures.h"
#include "cases/patterns.h"
#include "cases/workflow.h"
#include "core/time.h"
#include "org/org.h"
#include "server/case_support.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr int kSeriesPosts = 20000;  // posts of an event read for its series

// The event's 10-minute series with negative posts, from its stored posts and their analysis.
Result<std::vector<cases::SeriesPoint>> EventSeries(store::Store& store, int64_t event_id) {
  std::map<int64_t, cases::SeriesPoint> buckets;
  YQ_ASSIGN_OR_RETURN(std::vector<store::StoredPost> posts,
                      store.EventPosts(event_id, kSeriesPosts, 0));
  constexpr int64_t kBucketMs = 600 * 1000;
  for (const auto& p : posts) {
    int64_t ms = p.post.published_at.time_since_epoch().count();
    int64_t start = ms - ((ms % kBucketMs) + kBucketMs) % kBucketMs;
    auto& b = buckets[start];
    b.start = core::TimePoint(std::chrono::milliseconds(start));
    b.posts += 1;
    b.engagement += static_cast<double>(p.post.metrics.reposts + p.post.metrics.comments +
                                        p.post.metrics.likes);
    auto analysis = store.PostAnalysis(p.key);
    if (analysis.ok() && !analysis->empty()) {
      json a = json::parse(*analysis, nullptr, false);
      if (!a.is_discarded() && a.contains("sentiment") && a["sentiment"].is_object() &&
          a["sentiment"].value("label", "") == "negative") {
        b.negative_posts += 1;
      }
    }
  }
  std::vector<cases::SeriesPoint> out;
  out.reserve(buckets.size());
  for (auto& [_, b] : buckets) out.push_back(b);
  return out;
}

json EffectJson(const model::Response& r, const cases::Effect& e) {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  return {{"response", r.id},
          {"channel", model::ResponseChannelName(r.channel)},
          {"verdict", cases::VerdictName(e.verdict)},
          {"verdict_zh", cases::VerdictNameZh(e.verdict)},
          {"posts_before", e.posts_before},
          {"posts_after", e.posts_after},
          {"expected_after", e.expected_after},
          {"volume_ratio", opt(e.volume_ratio)},
          {"vs_expected", opt(e.vs_expected)},
          {"negative_share_before", opt(e.negative_share_before)},
          {"negative_share_after", opt(e.negative_share_after)},
          {"trend_slope_per_hour", e.trend_slope_per_hour},
          {"explanation_zh", e.explanation_zh},
          {"explanation_en", e.explanation_en}};
}

json Effects(const model::Case& c, const std::vector<cases::SeriesPoint>& series,
             core::TimePoint now) {
  json out = json::array();
  for (const auto& r : c.responses) {
    if (r.status != model::ResponseStatus::kPublished || !r.published_at) continue;
    auto e = cases::JudgeEffect(series, *r.published_at, now);
    if (e.ok()) out.push_back(EffectJson(r, *e));
  }
  return out;
}

json PatternsJson(const cases::CasePatterns& p) {
  json out = json::array();
  const bool flags[4] = {p.ignoring, p.passive, p.shirking, p.anticlimax};
  const cases::PatternReason* reasons[4] = {&p.ignoring_reason, &p.passive_reason,
                                            &p.shirking_reason, &p.anticlimax_reason};
  for (int i = 0; i < 4; ++i) {
    if (!flags[i]) continue;
    out.push_back({{"pattern", cases::kPatternNames[i]},
                   {"pattern_zh", cases::kPatternNamesZh[i]},
                   {"reason_zh", reasons[i]->zh},
                   {"reason_en", reasons[i]->en}});
  }
  return out;
}

json FiguresJson(const cases::FigureReport& r) {
  json out = json::array();
  auto st = [](const cases::FigureStatement& s) {
    return json{{"response", s.response_id},
                {"department", s.department_id},
                {"published_at", core::FormatIso8601(s.published_at)},
                {"value", s.value}};
  };
  for (const auto& c : r.contradictions) {
    out.push_back({{"figure", cases::FigureName(c.figure)},
                   {"figure_zh", cases::FigureNameZh(c.figure)},
                   {"earlier", st(c.earlier)},
                   {"later", st(c.later)},
                   {"standing", c.standing},
                   {"zh", c.zh},
                   {"en", c.en}});
  }
  return out;
}

Result<core::TimePoint> TimeParam(const json& params, const char* key) {
  if (!params.contains(key) || !params[key].is_string() || params[key].get<std::string>().empty()) {
    return Status::InvalidArgument(fmt::format("\"{}\" is required (an ISO-8601 time)", key));
  }
  auto t = core::ParseIso8601(params[key].get<std::string>());
  if (!t.ok()) return t.status().WithContext(fmt::format("\"{}\"", key));
  return *t;
}

json FractionJson(const cases::Fraction& f) {
  auto v = f.rate();
  return {{"num", f.num}, {"den", f.den}, {"rate", v ? json(*v) : json(nullptr)}};
}

}  // namespace

json ExtractFigures(const std::string& text) {
  model::Casualties c = analysis::ExtractCasualties(text);
  json out = json::object();
  if (c.deaths) out["deaths"] = *c.deaths;
  if (c.injured) out["injured"] = *c.injured;
  if (c.missing) out["missing"] = *c.missing;
  if (c.loss_yuan) out["loss_yuan"] = *c.loss_yuan;
  return out;
}

void AddCaseAnalysis(store::Store& store, const model::Case& c, core::TimePoint now, json& out) {
  std::vector<cases::SeriesPoint> series;
  if (c.event_id != 0) {
    auto s = EventSeries(store, c.event_id);
    if (s.ok()) series = std::move(*s);
  }
  out["effects"] = Effects(c, series, now);
  auto deadlines = cases::Deadlines(c, now);
  out["patterns"] = PatternsJson(cases::DetectPatterns(c, deadlines, now));
  out["contradictions"] = FiguresJson(cases::CompareFigures(c));
}

Result<json> EvaluationFacts(store::Store& store, const model::Case& c, core::TimePoint now) {
  const std::string& zone = c.policy.time_zone;
  json facts = json::object();
  facts["case"] = {{"id", c.id},
                   {"title", c.title},
                   {"grade", model::GradeName(c.grade)},
                   {"detected_at", cases::FormatInZone(c.detected_at, zone)},
                   {"state", model::CaseStateName(c.state)}};
  YQ_ASSIGN_OR_RETURN(std::vector<model::CaseLogEntry> log, store.CaseLog(c.id));
  json timeline = json::array();
  for (const auto& e : log) {
    if (e.action == "follow_event") continue;  // heat readings: the heat curve shows them
    timeline.push_back(cases::LogEntryJson(e, zone));
  }
  facts["timeline"] = std::move(timeline);
  facts["deadlines"] = cases::DeadlinesJson(c, now);
  std::vector<cases::SeriesPoint> series;
  if (c.event_id != 0) {
    auto s = EventSeries(store, c.event_id);
    if (s.ok()) series = std::move(*s);
  }
  facts["effects"] = Effects(c, series, now);
  // The heat curve as hourly post counts (the 10-minute buckets summed), at most 14 days.
  json curve = json::array();
  std::map<int64_t, std::pair<int64_t, int64_t>> hours;
  for (const auto& p : series) {
    int64_t h = p.start.time_since_epoch().count() / 3600000;
    hours[h].first += p.posts;
    hours[h].second += p.negative_posts;
  }
  for (const auto& [h, v] : hours) {
    if (curve.size() >= 14 * 24) break;
    curve.push_back(
        {cases::FormatInZone(core::TimePoint(std::chrono::hours(h)), zone), v.first, v.second});
  }
  facts["heat_curve"] = {{"columns", {"hour", "posts", "negative_posts"}}, {"rows", curve}};
  facts["patterns"] = PatternsJson(cases::DetectPatterns(c, cases::Deadlines(c, now), now));
  int published = 0;
  for (const auto& r : c.responses) published += r.status == model::ResponseStatus::kPublished;
  facts["responses_published"] = published;
  facts["rounds"] = c.rounds.size();
  facts["supervision_items"] = c.supervision.size();
  facts["tasks"] = c.tasks.size();
  return facts;
}

Result<json> AssessmentReport(store::Store& store, const json& params, core::TimePoint now,
                              std::string_view lang, bool csv) {
  YQ_ASSIGN_OR_RETURN(core::TimePoint from, TimeParam(params, "from"));
  YQ_ASSIGN_OR_RETURN(core::TimePoint to, TimeParam(params, "to"));
  if (!(from < to)) return Status::InvalidArgument("\"from\" must be before \"to\"");
  cases::AssessmentRequest req;
  req.from = from;
  req.to = to;
  req.now = now;
  if (params.contains("weights") && params["weights"].is_string() &&
      !params["weights"].get<std::string>().empty()) {
    YQ_ASSIGN_OR_RETURN(req.weights, cases::ParseWeightsText(params["weights"].get<std::string>()));
  }
  std::string region = params.value("region", "");
  std::string prefix = access::RegionPrefix(region);
  // The departments of the stored organisation (within the region); without one, every
  // department that held a case.
  YQ_ASSIGN_OR_RETURN(auto stored, store.GetOrganisation());
  if (stored) {
    json doc = json::parse(stored->json, nullptr, false);
    if (!doc.is_discarded() && doc.contains("departments")) {
      for (const auto& d : doc["departments"]) {
        std::string r = d.value("region", "");
        if (!prefix.empty() && r.compare(0, prefix.size(), prefix) != 0) continue;
        req.departments.push_back({d.value("id", ""), d.value("name", "")});
      }
    }
  }
  std::vector<model::Case> all;
  store::CaseFilter f;
  f.include_merged = false;
  f.descending = false;
  f.limit = 10000;
  if (!prefix.empty()) f.region_prefix = prefix;
  while (true) {
    YQ_ASSIGN_OR_RETURN(std::vector<model::Case> page, store.ListCases(f));
    if (page.empty()) break;
    f.after_id = page.back().id;
    for (auto& c : page) {
      if (c.detected_at >= from && c.detected_at < to) all.push_back(std::move(c));
    }
  }
  if (!stored) {
    std::vector<std::string> seen;
    for (const auto& c : all) {
      for (const auto& a : c.assignments) {
        if (std::find(seen.begin(), seen.end(), a.department_id) == seen.end()) {
          seen.push_back(a.department_id);
          req.departments.push_back({a.department_id, a.department_id});
        }
      }
    }
  }
  YQ_ASSIGN_OR_RETURN(cases::Assessment a, cases::Assess(all, req));
  if (csv) return json(cases::AssessmentCsv(a, lang));
  json out = {{"from", core::FormatIso8601(a.from)},
              {"to", core::FormatIso8601(a.to)},
              {"now", core::FormatIso8601(a.now)},
              {"weights", cases::WeightsToJson(a.weights)},
              {"cases_in_period", a.cases_in_period}};
  json deps = json::array();
  for (const auto& d : a.departments) {
    json on_time = json::object();
    for (int k = 0; k < cases::kOnTimeKinds; ++k) {
      on_time[std::string(model::ObligationName(cases::kOnTimeObligations[k]))] =
          FractionJson(d.on_time[k]);
    }
    deps.push_back(
        {{"id", d.id},
         {"name", d.name},
         {"cases", d.cases},
         {"assignments_received", d.assignments_received},
         {"accepted_on_time", FractionJson(d.accepted_on_time)},
         {"response", FractionJson(d.response)},
         {"on_time", on_time},
         {"on_time_all", FractionJson(d.on_time_all)},
         {"median_first_response_minutes",
          d.median_first_response_minutes ? json(*d.median_first_response_minutes) : json(nullptr)},
         {"resolution", FractionJson(d.resolution)},
         {"satisfaction", FractionJson(d.satisfaction)},
         {"reassignment", FractionJson(d.reassignment)},
         {"repeat", FractionJson(d.repeat)},
         {"extensions", d.extensions},
         {"reminders", d.reminders},
         {"supervision_items", d.supervision_items},
         {"notices",
          {{"criticism", d.notices[0]},
           {"interview", d.notices[1]},
           {"commendation", d.notices[2]}}},
         {"patterns",
          {{"ignoring", d.patterns.ignoring},
           {"passive", d.patterns.passive},
           {"shirking", d.patterns.shirking},
           {"anticlimax", d.patterns.anticlimax}}},
         {"score", d.score ? json(*d.score) : json(nullptr)},
         {"score_note", lang == "en" ? d.score_note_en : d.score_note_zh},
         {"rank", d.rank}});
  }
  json ranking = json::array();
  for (size_t i : a.ranking) {
    const auto& d = a.departments[i];
    if (d.cases == 0) continue;
    ranking.push_back({{"rank", d.rank},
                       {"id", d.id},
                       {"name", d.name},
                       {"score", d.score ? json(*d.score) : json(nullptr)}});
  }
  out["departments"] = std::move(deps);
  out["ranking"] = std::move(ranking);
  return out;
}

}  // namespace yuqing::server
