// The judgment signals computed for one post (src/analysis/, docs/analysis.md): sentiment,
// government domain, key-response kinds (DOMAIN.md §3), casualties and losses, places and
// rumour signals — each with the evidence that produced it, so an analyst can check it.
// Plain values; no behaviour beyond names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace yuqing::model {

enum class SentimentLabel { kNegative, kNeutral, kPositive };
// "negative", "neutral", "positive"
inline std::string_view SentimentLabelName(SentimentLabel l) {
  switch (l) {
    case SentimentLabel::kNegative:
      return "negative";
    case SentimentLabel::kPositive:
      return "positive";
    default:
      return "neutral";
  }
}

// A word or pattern that pushed a signal, with its signed contribution (model units: a logit
// or a rule weight; positive = towards the reported label).
struct Evidence {
  std::string text;
  double weight = 0;
};

struct Sentiment {
  SentimentLabel label = SentimentLabel::kNeutral;
  double score = 0;         // P(positive) - P(negative), in [-1, 1]
  double neutral_prob = 0;  // P(neutral) of the model
  std::vector<Evidence> evidence;
  bool sarcasm = false;  // a sarcasm marker was seen (呵呵, 好棒棒 …)
  // An expressive marker was seen (an emoticon, !, ~, 哈哈, a modal particle …): the post is
  // neutral only when the model is very sure (docs/analysis.md, "Neutral").
  bool expressive = false;
  // No expressive marker, and a marker of official register (a date, a clock time, a phone
  // number, a figure with its unit, 通知 / 公告 / 关于 …): neutral at a lower P(neutral).
  bool formal = false;
};

// The fields of government a post concerns; how the response workflow finds the department.
enum class Domain {
  kEducation,
  kHealth,
  kEnvironment,
  kHousing,  // housing and construction
  kTransport,
  kPublicSecurity,
  kMarketSupervision,  // market supervision, food and drug safety
  kEmployment,         // employment and social security
  kCivilAffairs,
  kAgriculture,  // agriculture and rural affairs
  kEmergency,    // emergency management and work safety
  kNaturalResources,
  kFinance,
  kCultureTourism,
  kPropaganda,  // propaganda and cyberspace
  kOther,
};
inline constexpr int kDomainCount = 16;
inline constexpr std::string_view kDomainNames[kDomainCount] = {
    "education",     "health",          "environment",        "housing",
    "transport",     "public_security", "market_supervision", "employment",
    "civil_affairs", "agriculture",     "emergency",          "natural_resources",
    "finance",       "culture_tourism", "propaganda",         "other"};
inline constexpr std::string_view kDomainNamesZh[kDomainCount] = {"教育",
                                                                  "卫生健康",
                                                                  "生态环境",
                                                                  "住房和城乡建设",
                                                                  "交通运输",
                                                                  "公安",
                                                                  "市场监管与食品药品安全",
                                                                  "人力资源和社会保障",
                                                                  "民政",
                                                                  "农业农村",
                                                                  "应急管理与安全生产",
                                                                  "自然资源",
                                                                  "金融",
                                                                  "文化和旅游",
                                                                  "宣传和网信",
                                                                  "其他"};
// "education", "health", … (docs/analysis.md)
inline std::string_view DomainName(Domain d) { return kDomainNames[static_cast<int>(d)]; }
inline std::string_view DomainNameZh(Domain d) { return kDomainNamesZh[static_cast<int>(d)]; }
inline std::optional<Domain> ParseDomain(std::string_view name) {
  for (int i = 0; i < kDomainCount; ++i) {
    if (kDomainNames[i] == name) return static_cast<Domain>(i);
  }
  return std::nullopt;
}

struct DomainResult {
  Domain label = Domain::kOther;
  double confidence = 0;  // in [0, 1]
  std::vector<Evidence> evidence;
};

// DOMAIN.md §3 a–d (e, a superior's request, is set by a person, never from text).
enum class ResponseKind {
  kPolicyMisreading,  // (a) misunderstanding or misreading of major policies
  kVitalInterests,    // (b) the public's vital interests with large impact
  kMoralBottomLine,   // (c) livelihood issues hitting the bottom line of social morality
  kEmergency,         // (d) emergencies and natural disasters
};
// "policy_misreading", "vital_interests", "moral_bottom_line", "emergency"
inline std::string_view ResponseKindName(ResponseKind k) {
  switch (k) {
    case ResponseKind::kPolicyMisreading:
      return "policy_misreading";
    case ResponseKind::kVitalInterests:
      return "vital_interests";
    case ResponseKind::kMoralBottomLine:
      return "moral_bottom_line";
    default:
      return "emergency";
  }
}
// In Chinese, after the kinds of 国办发〔2016〕61号 (DOMAIN.md §3).
inline std::string_view ResponseKindNameZh(ResponseKind k) {
  switch (k) {
    case ResponseKind::kPolicyMisreading:
      return "重大政策误解误读";
    case ResponseKind::kVitalInterests:
      return "公众切身利益";
    case ResponseKind::kMoralBottomLine:
      return "冲击社会道德底线";
    default:
      return "突发事件和自然灾害";
  }
}

struct KindResult {
  ResponseKind kind = ResponseKind::kEmergency;
  double confidence = 0;
  std::vector<std::string> evidence;  // the words/patterns that triggered it
};

// Numbers of people and money mentioned; absent when the text does not say.
struct Casualties {
  std::optional<int64_t> deaths;
  std::optional<int64_t> injured;
  std::optional<int64_t> missing;     // 失踪 / 失联
  std::optional<int64_t> trapped;     // 被困
  std::optional<double> loss_yuan;    // economic loss in yuan
  std::vector<std::string> evidence;  // the matched phrases
  bool empty() const { return !deaths && !injured && !missing && !trapped && !loss_yuan; }
};

enum class PlaceLevel { kProvince, kPrefecture, kCounty };
// "province", "prefecture", "county"
inline std::string_view PlaceLevelName(PlaceLevel l) {
  switch (l) {
    case PlaceLevel::kProvince:
      return "province";
    case PlaceLevel::kPrefecture:
      return "prefecture";
    default:
      return "county";
  }
}

struct PlaceMention {
  size_t offset = 0;  // byte span in the normalized text
  size_t size = 0;
};

struct Place {
  std::string code;  // GB/T 2260, 6 digits
  std::string name;  // full official name
  PlaceLevel level = PlaceLevel::kCounty;
  double confidence = 0;  // in [0, 1]; lower when the name is ambiguous
  std::vector<PlaceMention> mentions;
  std::vector<std::string> surface;  // the strings as written (长治, 潞城区)
};

struct Rumour {
  double score = 0;  // in [0, 1]: how much the post looks like an unverified claim; a signal
                     // for a human decision, never a verdict
  std::vector<Evidence> evidence;
  bool denial = false;  // the post is an official denial / refutation (辟谣, 不实, 警方通报)
};

struct Analysis {
  Sentiment sentiment;
  DomainResult domain;
  std::vector<KindResult> kinds;
  Casualties casualties;
  std::vector<Place> places;
  Rumour rumour;
};

}  // namespace yuqing::model
