#include "analysis/analysis_json.h"

#include <fmt/format.h>

#include "core/json_writer.h"

namespace yuqing::analysis {
namespace {

using nlohmann::json;

json EvidenceJson(const std::vector<model::Evidence>& ev) {
  json out = json::array();
  for (const auto& e : ev) out.push_back({{"text", e.text}, {"weight", e.weight}});
  return out;
}

void WriteEvidence(core::JsonWriter& w, const std::vector<model::Evidence>& ev) {
  w.BeginArray();
  for (const auto& e : ev)
    w.BeginObject().Member("text", e.text).Member("weight", e.weight).EndObject();
  w.EndArray();
}

void WriteStrings(core::JsonWriter& w, const std::vector<std::string>& v) {
  w.BeginArray();
  for (const auto& s : v) w.String(s);
  w.EndArray();
}

std::vector<model::Evidence> EvidenceFrom(const json& j) {
  std::vector<model::Evidence> out;
  if (!j.is_array()) return out;
  for (const auto& e : j) {
    if (e.is_object()) out.push_back({e.value("text", ""), e.value("weight", 0.0)});
  }
  return out;
}

std::optional<model::SentimentLabel> ParseLabel(std::string_view s) {
  if (s == "negative") return model::SentimentLabel::kNegative;
  if (s == "neutral") return model::SentimentLabel::kNeutral;
  if (s == "positive") return model::SentimentLabel::kPositive;
  return std::nullopt;
}

std::optional<model::ResponseKind> ParseKind(std::string_view s) {
  for (auto k : {model::ResponseKind::kPolicyMisreading, model::ResponseKind::kVitalInterests,
                 model::ResponseKind::kMoralBottomLine, model::ResponseKind::kEmergency}) {
    if (model::ResponseKindName(k) == s) return k;
  }
  return std::nullopt;
}

std::optional<model::PlaceLevel> ParseLevel(std::string_view s) {
  for (auto l :
       {model::PlaceLevel::kProvince, model::PlaceLevel::kPrefecture, model::PlaceLevel::kCounty}) {
    if (model::PlaceLevelName(l) == s) return l;
  }
  return std::nullopt;
}

}  // namespace

json AnalysisToJson(const model::Analysis& a) {
  json j;
  j["sentiment"] = {{"label", model::SentimentLabelName(a.sentiment.label)},
                    {"score", a.sentiment.score},
                    {"neutral_prob", a.sentiment.neutral_prob},
                    {"sarcasm", a.sentiment.sarcasm},
                    {"expressive", a.sentiment.expressive},
                    {"formal", a.sentiment.formal},
                    {"evidence", EvidenceJson(a.sentiment.evidence)}};
  j["domain"] = {{"label", model::DomainName(a.domain.label)},
                 {"name", model::DomainNameZh(a.domain.label)},
                 {"confidence", a.domain.confidence},
                 {"evidence", EvidenceJson(a.domain.evidence)}};
  json kinds = json::array();
  for (const auto& k : a.kinds) {
    kinds.push_back({{"kind", model::ResponseKindName(k.kind)},
                     {"confidence", k.confidence},
                     {"evidence", k.evidence}});
  }
  j["kinds"] = std::move(kinds);
  json cas = json::object();
  if (a.casualties.deaths) cas["deaths"] = *a.casualties.deaths;
  if (a.casualties.injured) cas["injured"] = *a.casualties.injured;
  if (a.casualties.missing) cas["missing"] = *a.casualties.missing;
  if (a.casualties.trapped) cas["trapped"] = *a.casualties.trapped;
  if (a.casualties.loss_yuan) cas["loss_yuan"] = *a.casualties.loss_yuan;
  if (!a.casualties.evidence.empty()) cas["evidence"] = a.casualties.evidence;
  j["casualties"] = std::move(cas);
  json places = json::array();
  for (const auto& p : a.places) {
    json mentions = json::array();
    for (const auto& m : p.mentions) mentions.push_back({m.offset, m.size});
    places.push_back({{"code", p.code},
                      {"name", p.name},
                      {"level", model::PlaceLevelName(p.level)},
                      {"confidence", p.confidence},
                      {"surface", p.surface},
                      {"mentions", std::move(mentions)}});
  }
  j["places"] = std::move(places);
  j["rumour"] = {{"score", a.rumour.score},
                 {"denial", a.rumour.denial},
                 {"evidence", EvidenceJson(a.rumour.evidence)}};
  return j;
}

// Members in the DOM's (std::map) order: byte-wise ascending keys.
std::string AnalysisJsonString(const model::Analysis& a) {
  std::string out;
  out.reserve(1024);
  core::JsonWriter w(out);
  w.BeginObject();
  w.Key("casualties").BeginObject();
  const model::Casualties& c = a.casualties;
  if (c.deaths) w.Member("deaths", *c.deaths);
  if (!c.evidence.empty()) WriteStrings(w.Key("evidence"), c.evidence);
  if (c.injured) w.Member("injured", *c.injured);
  if (c.loss_yuan) w.Member("loss_yuan", *c.loss_yuan);
  if (c.missing) w.Member("missing", *c.missing);
  if (c.trapped) w.Member("trapped", *c.trapped);
  w.EndObject();

  w.Key("domain").BeginObject();
  w.Member("confidence", a.domain.confidence);
  WriteEvidence(w.Key("evidence"), a.domain.evidence);
  w.Member("label", model::DomainName(a.domain.label));
  w.Member("name", model::DomainNameZh(a.domain.label));
  w.EndObject();

  w.Key("kinds").BeginArray();
  for (const auto& k : a.kinds) {
    w.BeginObject().Member("confidence", k.confidence);
    WriteStrings(w.Key("evidence"), k.evidence);
    w.Member("kind", model::ResponseKindName(k.kind)).EndObject();
  }
  w.EndArray();

  w.Key("places").BeginArray();
  for (const auto& p : a.places) {
    w.BeginObject().Member("code", p.code).Member("confidence", p.confidence);
    w.Member("level", model::PlaceLevelName(p.level));
    w.Key("mentions").BeginArray();
    for (const auto& m : p.mentions) w.BeginArray().Uint(m.offset).Uint(m.size).EndArray();
    w.EndArray();
    w.Member("name", p.name);
    WriteStrings(w.Key("surface"), p.surface);
    w.EndObject();
  }
  w.EndArray();

  w.Key("rumour").BeginObject().Member("denial", a.rumour.denial);
  WriteEvidence(w.Key("evidence"), a.rumour.evidence);
  w.Member("score", a.rumour.score).EndObject();

  w.Key("sentiment").BeginObject();
  WriteEvidence(w.Key("evidence"), a.sentiment.evidence);
  w.Member("expressive", a.sentiment.expressive);
  w.Member("formal", a.sentiment.formal);
  w.Member("label", model::SentimentLabelName(a.sentiment.label));
  w.Member("neutral_prob", a.sentiment.neutral_prob);
  w.Member("sarcasm", a.sentiment.sarcasm);
  w.Member("score", a.sentiment.score);
  w.EndObject();
  w.EndObject();
  return out;
}

Result<model::Analysis> AnalysisFromJson(const json& j) {
  if (!j.is_object()) return Status::InvalidArgument("analysis: expected a JSON object");
  model::Analysis a;
  try {
    if (const auto it = j.find("sentiment"); it != j.end()) {
      const json& s = *it;
      a.sentiment.label = ParseLabel(s.value("label", "neutral")).value_or(a.sentiment.label);
      a.sentiment.score = s.value("score", 0.0);
      a.sentiment.neutral_prob = s.value("neutral_prob", 0.0);
      a.sentiment.sarcasm = s.value("sarcasm", false);
      a.sentiment.expressive = s.value("expressive", false);
      a.sentiment.formal = s.value("formal", false);
      if (s.contains("evidence")) a.sentiment.evidence = EvidenceFrom(s["evidence"]);
    }
    if (const auto it = j.find("domain"); it != j.end()) {
      a.domain.label = model::ParseDomain(it->value("label", "other")).value_or(a.domain.label);
      a.domain.confidence = it->value("confidence", 0.0);
      if (it->contains("evidence")) a.domain.evidence = EvidenceFrom((*it)["evidence"]);
    }
    if (const auto it = j.find("kinds"); it != j.end() && it->is_array()) {
      for (const json& k : *it) {
        auto kind = ParseKind(k.value("kind", ""));
        if (!kind) continue;
        model::KindResult r;
        r.kind = *kind;
        r.confidence = k.value("confidence", 0.0);
        r.evidence = k.value("evidence", std::vector<std::string>{});
        a.kinds.push_back(std::move(r));
      }
    }
    if (const auto it = j.find("casualties"); it != j.end() && it->is_object()) {
      const json& c = *it;
      if (c.contains("deaths")) a.casualties.deaths = c["deaths"].get<int64_t>();
      if (c.contains("injured")) a.casualties.injured = c["injured"].get<int64_t>();
      if (c.contains("missing")) a.casualties.missing = c["missing"].get<int64_t>();
      if (c.contains("trapped")) a.casualties.trapped = c["trapped"].get<int64_t>();
      if (c.contains("loss_yuan")) a.casualties.loss_yuan = c["loss_yuan"].get<double>();
      a.casualties.evidence = c.value("evidence", std::vector<std::string>{});
    }
    if (const auto it = j.find("places"); it != j.end() && it->is_array()) {
      for (const json& p : *it) {
        model::Place place;
        place.code = p.value("code", "");
        place.name = p.value("name", "");
        place.level = ParseLevel(p.value("level", "county")).value_or(place.level);
        place.confidence = p.value("confidence", 0.0);
        place.surface = p.value("surface", std::vector<std::string>{});
        if (p.contains("mentions") && p["mentions"].is_array()) {
          for (const json& m : p["mentions"]) {
            if (m.is_array() && m.size() == 2) {
              place.mentions.push_back({m[0].get<size_t>(), m[1].get<size_t>()});
            }
          }
        }
        a.places.push_back(std::move(place));
      }
    }
    if (const auto it = j.find("rumour"); it != j.end()) {
      a.rumour.score = it->value("score", 0.0);
      a.rumour.denial = it->value("denial", false);
      if (it->contains("evidence")) a.rumour.evidence = EvidenceFrom((*it)["evidence"]);
    }
  } catch (const json::exception& e) {
    return Status::InvalidArgument(fmt::format("analysis: {}", e.what()));
  }
  return a;
}

}  // namespace yuqing::analysis
