#include "events/event_json.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <map>
#include <string>

#include "core/json_writer.h"
#include "core/time.h"

namespace yuqing::events {
namespace {

using nlohmann::json;

std::string Iso(int64_t s) { return core::FormatIso8601(core::TimePoint(std::chrono::seconds(s))); }

core::TimePoint Tp(int64_t s) { return core::TimePoint(std::chrono::seconds(s)); }

// Scores, weights and shares to 4 decimals: what an analyst reads, and the stored detail of
// every event touched by a batch stays small (full doubles print 17 digits).
double R4(double x) { return std::round(x * 1e4) / 1e4; }

// Region codes by number of posts naming them, most first; ties by code.
std::vector<std::string> TopRegions(const EventSummary& s, size_t n) {
  std::vector<std::pair<uint32_t, std::string>> v;
  for (const auto& [code, count] : s.regions()) v.emplace_back(count, code);
  std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second < b.second;
  });
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size() && i < n; ++i) out.push_back(v[i].second);
  return out;
}

// Indices 0..N-1 ordered by name(i), byte-wise: the order of the DOM's std::map keys.
template <size_t N, typename Name>
std::array<int, N> ByName(Name name) {
  std::array<int, N> order{};
  for (size_t i = 0; i < N; ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return name(a) < name(b); });
  return order;
}

// Writes a map of counts (std::map keys are already in the DOM's order).
void WriteCounts(core::JsonWriter& w, const std::map<std::string, uint32_t>& m) {
  w.BeginObject();
  for (const auto& [k, n] : m) w.Member(k, n);
  w.EndObject();
}

void WriteHeat(core::JsonWriter& w, const HeatComponents& h) {
  w.BeginObject();
  w.Key("components").BeginObject();
  w.Member("authority", R4(h.authority)).Member("breadth", R4(h.breadth));
  w.Member("engagement", R4(h.engagement)).Member("negative", R4(h.negative));
  w.Member("velocity", R4(h.velocity)).Member("volume", R4(h.volume));
  w.EndObject();
  w.Member("heat", R4(h.heat));
  w.Key("points").BeginObject();
  w.Member("authority", R4(h.points.authority)).Member("breadth", R4(h.points.breadth));
  w.Member("engagement", R4(h.points.engagement)).Member("negative", R4(h.points.negative));
  w.Member("velocity", R4(h.points.velocity)).Member("volume", R4(h.points.volume));
  w.EndObject();
  w.Member("posts_last_hour", R4(h.posts_last_hour)).Member("recency", R4(h.recency));
  w.EndObject();
}

void WriteRisk(core::JsonWriter& w, const RiskAssessment& r) {
  w.BeginObject();
  w.Member("aggravators", r.aggravators).Member("base", RiskGradeName(r.base));
  w.Member("escalated", r.escalated).Member("grade", static_cast<int>(r.grade));
  w.Member("grade_name", RiskGradeName(r.grade)).Member("grade_name_zh", RiskGradeNameZh(r.grade));
  w.Key("reasons").BeginArray();
  for (const RiskReason& x : r.reasons) {
    w.BeginObject();
    w.Member("aggravating", x.aggravating).Member("detail", x.detail);
    w.Member("detail_zh", x.detail_zh).Member("factor", x.factor);
    w.Member("kind", x.kind()).Member("supports", RiskGradeName(x.supports));
    w.Member("threshold", x.threshold).Member("value", x.value);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
}

}  // namespace

json HeatJson(const HeatComponents& h) {
  return {{"heat", R4(h.heat)},
          {"components",
           {{"volume", R4(h.volume)},
            {"velocity", R4(h.velocity)},
            {"engagement", R4(h.engagement)},
            {"authority", R4(h.authority)},
            {"breadth", R4(h.breadth)},
            {"negative", R4(h.negative)}}},
          {"points",
           {{"volume", R4(h.points.volume)},
            {"velocity", R4(h.points.velocity)},
            {"engagement", R4(h.points.engagement)},
            {"authority", R4(h.points.authority)},
            {"breadth", R4(h.points.breadth)},
            {"negative", R4(h.points.negative)}}},
          {"recency", R4(h.recency)},
          {"posts_last_hour", R4(h.posts_last_hour)}};
}

json RiskJson(const RiskAssessment& r) {
  json reasons = json::array();
  for (const RiskReason& x : r.reasons) {
    reasons.push_back({{"factor", x.factor},
                       {"aggravating", x.aggravating},
                       {"kind", x.kind()},
                       {"supports", RiskGradeName(x.supports)},
                       {"value", x.value},
                       {"threshold", x.threshold},
                       {"detail", x.detail},
                       {"detail_zh", x.detail_zh}});
  }
  return {{"grade", static_cast<int>(r.grade)},
          {"grade_name", RiskGradeName(r.grade)},
          {"grade_name_zh", RiskGradeNameZh(r.grade)},
          {"base", RiskGradeName(r.base)},
          {"aggravators", r.aggravators},
          {"escalated", r.escalated},
          {"reasons", std::move(reasons)}};
}

json EventBriefJson(const EventView& v) {
  const EventSummary& s = *v.summary;
  model::Domain d = s.top_domain();
  return {{"id", v.id},
          {"title", v.title},
          {"grade", static_cast<int>(v.risk.grade)},
          {"grade_name", RiskGradeName(v.risk.grade)},
          {"grade_name_zh", RiskGradeNameZh(v.risk.grade)},
          {"heat", R4(v.heat.heat)},
          {"trend", TrendStateName(v.trend)},
          {"domain", model::DomainName(d)},
          {"domain_zh", model::DomainNameZh(d)},
          {"regions", TopRegions(s, 20)},
          {"first_seen", Iso(s.first_s())},
          {"last_seen", Iso(s.last_s())},
          {"posts", s.posts()},
          {"authors", s.author_count()},
          {"negative_share", R4(s.negative_share())}};
}

json EventDetailJson(const EventView& v) {
  const EventSummary& s = *v.summary;
  json j;
  json kw = json::array();
  for (const auto& [term, w] : v.keywords) kw.push_back({{"term", term}, {"weight", R4(w)}});
  j["keywords"] = std::move(kw);
  if (!v.terms.empty()) {
    json terms = json::array();
    for (const auto& [term, w] : v.terms) terms.push_back({term, R4(w)});
    j["terms"] = std::move(terms);
  }
  j["title_score"] = v.title_score;  // exact: a restart compares against it
  j["heat"] = HeatJson(v.heat);
  j["risk"] = RiskJson(v.risk);
  j["trend"] = TrendStateName(v.trend);
  json channels = json::object();
  for (int c = 0; c < kChannelCount; ++c) {
    if (s.channels()[c] > 0) {
      channels[std::string(model::ChannelName(static_cast<model::Channel>(c)))] = s.channels()[c];
    }
  }
  j["channels"] = std::move(channels);
  j["sources"] = s.sources();
  j["regions"] = s.regions();
  j["sentiment"] = {{"negative", s.sentiment()[0]},
                    {"neutral", s.sentiment()[1]},
                    {"positive", s.sentiment()[2]}};
  json domains = json::object();
  for (int d = 0; d < model::kDomainCount; ++d) {
    if (s.domains()[d] > 0) domains[std::string(model::kDomainNames[d])] = s.domains()[d];
  }
  j["domains"] = std::move(domains);
  json kinds = json::object();
  for (int k = 0; k < 4; ++k) {
    if (s.kinds()[k] > 0) {
      kinds[std::string(model::ResponseKindName(static_cast<model::ResponseKind>(k)))] =
          s.kinds()[k];
    }
  }
  j["kinds"] = std::move(kinds);
  json cas = json::object();
  const model::Casualties& c = s.casualties();
  if (c.deaths) cas["deaths"] = *c.deaths;
  if (c.injured) cas["injured"] = *c.injured;
  if (c.missing) cas["missing"] = *c.missing;
  if (c.trapped) cas["trapped"] = *c.trapped;
  if (c.loss_yuan) cas["loss_yuan"] = *c.loss_yuan;
  if (!c.evidence.empty()) cas["evidence"] = c.evidence;
  j["casualties"] = std::move(cas);
  j["rumour"] = {
      {"posts", s.rumour_posts()}, {"denials", s.denial_posts()}, {"max_score", s.max_rumour()}};
  j["gov_mentions"] = s.gov_mentions();
  j["authority"] = {{"media_posts", s.media_posts()},
                    {"gov_posts", s.gov_posts()},
                    {"large_account_posts", s.large_account_posts()}};
  j["engagement"] = {{"reposts", s.engagement().reposts},
                     {"comments", s.engagement().comments},
                     {"likes", s.engagement().likes},
                     {"views", s.engagement().views}};
  json reps = json::array();
  for (const RepresentativePost& r : s.representative()) {
    reps.push_back({{"id", r.id}, {"time", Iso(r.time_s)}, {"score", R4(r.score)}});
  }
  j["representative_posts"] = std::move(reps);
  json authors = json::array();
  for (const AuthorInfluence& a : s.TopAuthors(10)) {
    authors.push_back({{"id", a.id},
                       {"name", a.name},
                       {"kind", model::AuthorKindName(a.kind)},
                       {"followers", a.followers},
                       {"reposts", a.reposts},
                       {"posts", a.posts},
                       {"influence", R4(a.influence())}});
  }
  j["top_authors"] = std::move(authors);
  // The series as [bucket start, posts, engagement] for non-empty buckets of the last 7 days.
  json series = json::array();
  const auto& buckets = s.series();
  size_t from = buckets.size() > kDetailSeriesBuckets ? buckets.size() - kDetailSeriesBuckets : 0;
  for (size_t i = from; i < buckets.size(); ++i) {
    if (buckets[i].posts == 0) continue;
    series.push_back({Iso(buckets[i].start_s), buckets[i].posts, buckets[i].engagement});
  }
  j["series_bucket_seconds"] = kBucketSeconds;
  j["series"] = std::move(series);
  return j;
}

// Members in the DOM's (std::map) order: byte-wise ascending keys.
std::string EventDetailJsonString(const EventView& v) {
  static const auto kChannelOrder = ByName<kChannelCount>(
      [](int c) { return model::ChannelName(static_cast<model::Channel>(c)); });
  static const auto kDomainOrder =
      ByName<model::kDomainCount>([](int d) { return model::kDomainNames[d]; });
  static const auto kKindOrder =
      ByName<4>([](int k) { return model::ResponseKindName(static_cast<model::ResponseKind>(k)); });
  const EventSummary& s = *v.summary;
  std::string out;
  out.reserve(4096);
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("authority").BeginObject();
  w.Member("gov_posts", s.gov_posts()).Member("large_account_posts", s.large_account_posts());
  w.Member("media_posts", s.media_posts()).EndObject();

  const model::Casualties& c = s.casualties();
  w.Key("casualties").BeginObject();
  if (c.deaths) w.Member("deaths", *c.deaths);
  if (!c.evidence.empty()) {
    w.Key("evidence").BeginArray();
    for (const auto& e : c.evidence) w.String(e);
    w.EndArray();
  }
  if (c.injured) w.Member("injured", *c.injured);
  if (c.loss_yuan) w.Member("loss_yuan", *c.loss_yuan);
  if (c.missing) w.Member("missing", *c.missing);
  if (c.trapped) w.Member("trapped", *c.trapped);
  w.EndObject();

  w.Key("channels").BeginObject();
  for (int ch : kChannelOrder) {
    if (s.channels()[ch] > 0) {
      w.Member(model::ChannelName(static_cast<model::Channel>(ch)), s.channels()[ch]);
    }
  }
  w.EndObject();
  w.Key("domains").BeginObject();
  for (int d : kDomainOrder) {
    if (s.domains()[d] > 0) w.Member(model::kDomainNames[d], s.domains()[d]);
  }
  w.EndObject();
  w.Key("engagement").BeginObject();
  w.Member("comments", s.engagement().comments).Member("likes", s.engagement().likes);
  w.Member("reposts", s.engagement().reposts).Member("views", s.engagement().views);
  w.EndObject();
  WriteCounts(w.Key("gov_mentions"), s.gov_mentions());
  WriteHeat(w.Key("heat"), v.heat);
  w.Key("keywords").BeginArray();
  for (const auto& [term, weight] : v.keywords) {
    w.BeginObject().Member("term", term).Member("weight", R4(weight)).EndObject();
  }
  w.EndArray();
  w.Key("kinds").BeginObject();
  for (int k : kKindOrder) {
    if (s.kinds()[k] > 0) {
      w.Member(model::ResponseKindName(static_cast<model::ResponseKind>(k)), s.kinds()[k]);
    }
  }
  w.EndObject();
  WriteCounts(w.Key("regions"), s.regions());
  w.Key("representative_posts").BeginArray();
  for (const RepresentativePost& r : s.representative()) {
    w.BeginObject().Member("id", r.id).Member("score", R4(r.score));
    w.Member("time", Iso(r.time_s)).EndObject();
  }
  w.EndArray();
  WriteRisk(w.Key("risk"), v.risk);
  w.Key("rumour").BeginObject();
  w.Member("denials", s.denial_posts()).Member("max_score", s.max_rumour());
  w.Member("posts", s.rumour_posts()).EndObject();
  w.Key("sentiment").BeginObject();
  w.Member("negative", s.sentiment()[0]).Member("neutral", s.sentiment()[1]);
  w.Member("positive", s.sentiment()[2]).EndObject();
  // The series as [bucket start, posts, engagement] for non-empty buckets of the last 7 days.
  w.Key("series").BeginArray();
  const auto& buckets = s.series();
  size_t from = buckets.size() > kDetailSeriesBuckets ? buckets.size() - kDetailSeriesBuckets : 0;
  for (size_t i = from; i < buckets.size(); ++i) {
    if (buckets[i].posts == 0) continue;
    w.BeginArray().String(Iso(buckets[i].start_s)).Uint(buckets[i].posts);
    w.Int(buckets[i].engagement).EndArray();
  }
  w.EndArray();
  w.Member("series_bucket_seconds", kBucketSeconds);
  WriteCounts(w.Key("sources"), s.sources());
  if (!v.terms.empty()) {
    w.Key("terms").BeginArray();
    for (const auto& [term, weight] : v.terms)
      w.BeginArray().String(term).Double(R4(weight)).EndArray();
    w.EndArray();
  }
  w.Member("title_score", v.title_score);  // exact: a restart compares against it
  w.Key("top_authors").BeginArray();
  for (const AuthorInfluence& a : s.TopAuthors(10)) {
    w.BeginObject().Member("followers", a.followers).Member("id", a.id);
    w.Member("influence", R4(a.influence())).Member("kind", model::AuthorKindName(a.kind));
    w.Member("name", a.name).Member("posts", a.posts).Member("reposts", a.reposts);
    w.EndObject();
  }
  w.EndArray();
  w.Member("trend", TrendStateName(v.trend));
  w.EndObject();
  return out;
}

model::EventRecord MakeEventRecord(const EventView& v) {
  const EventSummary& s = *v.summary;
  model::EventRecord e;
  e.id = static_cast<int64_t>(v.id);
  e.title = v.title;
  e.first_seen = Tp(s.first_s());
  e.last_seen = Tp(s.last_s());
  e.posts = static_cast<int64_t>(s.posts());
  e.authors = static_cast<int64_t>(s.author_count());
  e.heat = v.heat.heat;
  e.grade = static_cast<int>(v.risk.grade);
  e.trend = std::string(TrendStateName(v.trend));
  e.domain = s.top_domain();
  e.negative_share = s.negative_share();
  e.regions = TopRegions(s, 20);
  e.updated_at = Tp(v.now_s);
  e.detail_json = EventDetailJsonString(v);
  return e;
}

}  // namespace yuqing::events
