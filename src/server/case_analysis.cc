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

// The departments to assess (of the stored organisation within the region; without one, every
// department that held a case) and the cases detected in [from, to) within the region.
struct AssessmentInput {
  std::vector<cases::DepartmentRef> departments;
  std::vector<model::Case> cases;
};

Result<AssessmentInput> LoadAssessmentInput(store::Store& store, const std::string& region,
                                            core::TimePoint from, core::TimePoint to) {
  AssessmentInput in;
  std::vector<cases::DepartmentRef>& departments = in.departments;
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
        departments.push_back({d.value("id", ""), d.value("name", "")});
      }
    }
  }
  std::vector<model::Case>& all = in.cases;
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
          departments.push_back({a.department_id, a.department_id});
        }
      }
    }
  }
  return in;
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
  YQ_ASSIGN_OR_RETURN(AssessmentInput in,
                      LoadAssessmentInput(store, params.value("region", ""), from, to));
  req.departments = std::move(in.departments);
  std::vector<model::Case> all = std::move(in.cases);
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

namespace {

// Adds f to into.
void Pool(cases::Fraction& into, const cases::Fraction& f) {
  into.num += f.num;
  into.den += f.den;
}

// The start of the period after `t` in a zone `offset` from UTC: the next Monday 00:00 for
// "week", the first of the next month for "month", of the next quarter for "quarter".
core::TimePoint NextPeriod(core::TimePoint t, std::string_view period,
                           std::chrono::minutes offset) {
  using namespace std::chrono;
  auto local = floor<days>(sys_time<milliseconds>(t.time_since_epoch() + offset));
  year_month_day ymd{local};
  sys_days next;
  if (period == "week") {
    weekday wd{local};
    // Days to the next Monday (1 … 7).
    int ahead = 7 - static_cast<int>((wd.c_encoding() + 6) % 7);
    next = local + days(ahead);
  } else {
    int step = period == "quarter" ? 3 : 1;
    year_month first{ymd.year(), ymd.month()};
    if (period == "quarter") {
      unsigned m = static_cast<unsigned>(ymd.month());
      first = year_month{ymd.year(), month{(m - 1) / 3 * 3 + 1}};
    }
    first += months(step);
    next = sys_days{first / 1};
  }
  return core::TimePoint(duration_cast<milliseconds>(next.time_since_epoch() - offset));
}

}  // namespace

Result<json> AssessmentSeries(store::Store& store, const json& params, core::TimePoint now) {
  YQ_ASSIGN_OR_RETURN(core::TimePoint from, TimeParam(params, "from"));
  YQ_ASSIGN_OR_RETURN(core::TimePoint to, TimeParam(params, "to"));
  if (!(from < to)) return Status::InvalidArgument("\"from\" must be before \"to\"");
  std::string period = params.value("period", "month");
  if (period != "week" && period != "month" && period != "quarter") {
    return Status::InvalidArgument(
        fmt::format("\"period\": \"{}\" is not week, month or quarter", period));
  }
  int offset_min = 480;
  std::string tz = params.value("tz", "+08:00");
  YQ_ASSIGN_OR_RETURN(offset_min, cases::ZoneOffsetMinutes(tz));
  const std::chrono::minutes offset(offset_min);
  cases::Weights weights;
  if (params.contains("weights") && params["weights"].is_string() &&
      !params["weights"].get<std::string>().empty()) {
    YQ_ASSIGN_OR_RETURN(weights, cases::ParseWeightsText(params["weights"].get<std::string>()));
  }
  // The periods: from `from` to the first period boundary, whole periods, then up to `to`.
  std::vector<std::pair<core::TimePoint, core::TimePoint>> periods;
  constexpr size_t kMaxPeriods = 120;
  for (core::TimePoint a = from; a < to;) {
    core::TimePoint b = std::min(NextPeriod(a, period, offset), to);
    periods.emplace_back(a, b);
    if (periods.size() > kMaxPeriods) {
      return Status::InvalidArgument(fmt::format(
          "more than {} periods of a {} from \"from\" to \"to\"; choose a longer period",
          kMaxPeriods, period));
    }
    a = b;
  }
  YQ_ASSIGN_OR_RETURN(AssessmentInput in,
                      LoadAssessmentInput(store, params.value("region", ""), from, to));
  json out_periods = json::array();
  for (const auto& [a, b] : periods) {
    cases::AssessmentRequest req;
    req.from = a;
    req.to = b;
    req.now = now;
    req.weights = weights;
    req.departments = in.departments;
    std::vector<model::Case> part;
    for (const auto& c : in.cases) {
      if (c.detected_at >= a && c.detected_at < b) part.push_back(c);
    }
    YQ_ASSIGN_OR_RETURN(cases::Assessment as, cases::Assess(part, req));
    cases::Fraction on_time_all, response, accepted_on_time, resolution;
    int64_t departments_with_cases = 0;
    for (const auto& d : as.departments) {
      Pool(on_time_all, d.on_time_all);
      Pool(response, d.response);
      Pool(accepted_on_time, d.accepted_on_time);
      Pool(resolution, d.resolution);
      departments_with_cases += d.cases > 0;
    }
    out_periods.push_back({{"from", core::FormatIso8601(a)},
                           {"to", core::FormatIso8601(b)},
                           {"cases_in_period", as.cases_in_period},
                           {"departments_with_cases", departments_with_cases},
                           {"pooled",
                            {{"on_time_all", FractionJson(on_time_all)},
                             {"response", FractionJson(response)},
                             {"accepted_on_time", FractionJson(accepted_on_time)},
                             {"resolution", FractionJson(resolution)}}}});
  }
  return json{{"from", core::FormatIso8601(from)},
              {"to", core::FormatIso8601(to)},
              {"period", period},
              {"tz", tz},
              {"periods", std::move(out_periods)}};
}

}  // namespace yuqing::server
