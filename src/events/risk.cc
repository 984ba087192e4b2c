#include "events/risk.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace yuqing::events {
namespace {

// The grade a value supports under `t`, if any. A threshold of infinity means "never" and a
// value that is not finite (a NaN from a broken input) supports nothing, so no reason ever
// carries a non-finite value or threshold into the JSON.
std::optional<std::pair<RiskGrade, double>> Supported(double v, const GradeThresholds& t) {
  if (!std::isfinite(v)) return std::nullopt;
  auto at = [v](double threshold) { return std::isfinite(threshold) && v >= threshold; };
  if (at(t.particularly_serious)) {
    return std::pair{RiskGrade::kParticularlySerious, t.particularly_serious};
  }
  if (at(t.major)) return std::pair{RiskGrade::kMajor, t.major};
  if (at(t.larger)) return std::pair{RiskGrade::kLarger, t.larger};
  return std::nullopt;
}

double Finite(double v) { return std::isfinite(v) ? v : 0; }

std::string Evidence(const std::vector<std::string>& ev) {
  std::string out;
  for (size_t i = 0; i < ev.size() && i < 3; ++i) {
    if (!out.empty()) out += "; ";
    out += "「" + ev[i] + "」";
  }
  return out.empty() ? "" : " (" + out + ")";
}

std::string EvidenceZh(const std::vector<std::string>& ev) {
  std::string out;
  for (size_t i = 0; i < ev.size() && i < 3; ++i) out += "「" + ev[i] + "」";
  return out.empty() ? "" : "（" + out + "）";
}

// "III级（较大）"
std::string GradeZh(RiskGrade g) {
  return fmt::format("{}级（{}）", RiskGradeName(g), RiskGradeNameZh(g));
}

void Direct(RiskAssessment& a, std::string factor, double value, const GradeThresholds& t,
            std::string_view what, std::string_view what_zh, std::string_view evidence = "",
            std::string_view evidence_zh = "") {
  auto sup = Supported(value, t);
  if (!sup) return;
  RiskReason r;
  r.factor = std::move(factor);
  r.supports = sup->first;
  r.value = value;
  r.threshold = sup->second;
  r.detail = fmt::format("{} {:g} ≥ {:g} → {} {}{}", what, value, sup->second,
                         RiskGradeName(sup->first), RiskGradeNameZh(sup->first), evidence);
  r.detail_zh = fmt::format("{}{:g}，达到{:g} → {}{}", what_zh, value, sup->second,
                            GradeZh(sup->first), evidence_zh);
  a.base = MoreSevere(a.base, r.supports);
  a.reasons.push_back(std::move(r));
}

void Aggravating(RiskAssessment& a, std::string factor, double value, double threshold,
                 std::string detail, std::string detail_zh) {
  RiskReason r;
  r.factor = std::move(factor);
  r.aggravating = true;
  r.value = Finite(value);
  r.threshold = Finite(threshold);
  r.detail = std::move(detail);
  r.detail_zh = std::move(detail_zh);
  ++a.aggravators;
  a.reasons.push_back(std::move(r));
}

RiskGrade OneUp(RiskGrade g) {
  return g == RiskGrade::kParticularlySerious ? g : static_cast<RiskGrade>(static_cast<int>(g) - 1);
}

// An emergency is corroborated by posts that name what happened (泄漏, 爆炸, 地震 …) or report
// a figure (「3人死亡」); words that say only that somebody came to harm or that something was
// sudden (死亡, 受伤, 失联, 突发 …) are said of a dolphin on a beach, a player's retirement or
// a safety tip for children as often as of an incident, and do not corroborate one alone.
bool NamesWhatHappened(std::string_view cue) {
  static constexpr std::string_view kOutcomes[] = {"死亡", "遇难", "罹难", "身亡",
                                                   "丧生", "受伤", "伤者", "失踪",
                                                   "失联", "被困", "突发", "突发事件"};
  for (std::string_view w : kOutcomes) {
    if (cue == w) return false;
  }
  return true;
}

}  // namespace

std::string_view RiskGradeName(RiskGrade g) {
  switch (g) {
    case RiskGrade::kParticularlySerious:
      return "I";
    case RiskGrade::kMajor:
      return "II";
    case RiskGrade::kLarger:
      return "III";
    case RiskGrade::kGeneral:
      return "IV";
  }
  return "IV";
}

std::string_view RiskGradeNameZh(RiskGrade g) {
  switch (g) {
    case RiskGrade::kParticularlySerious:
      return "特别重大";
    case RiskGrade::kMajor:
      return "重大";
    case RiskGrade::kLarger:
      return "较大";
    case RiskGrade::kGeneral:
      return "一般";
  }
  return "一般";
}

RiskAssessment AssessRisk(const EventSummary& s, const HeatComponents& heat, bool bursting,
                          const RiskOptions& o) {
  RiskAssessment a;
  const model::Casualties& c = s.casualties();
  const std::string ev = Evidence(c.evidence);
  const std::string ev_zh = EvidenceZh(c.evidence);
  const double posts = static_cast<double>(std::max<uint64_t>(1, s.posts()));
  const bool figures_apply = s.figure_posts() >= o.figure_min_share * posts;
  const bool figures = c.deaths || c.missing || c.injured || c.loss_yuan;
  if (figures_apply && (c.deaths || c.missing)) {
    const double dead = static_cast<double>(c.deaths.value_or(0) + c.missing.value_or(0));
    Direct(a, "deaths", dead, o.deaths, "deaths incl. missing (死亡含失踪)", "死亡（含失踪）人数",
           ev, ev_zh);
  }
  if (figures_apply && c.injured) {
    Direct(a, "injured", static_cast<double>(*c.injured), o.injured, "injured (受伤)", "受伤人数",
           ev, ev_zh);
  }
  if (figures_apply && c.loss_yuan)
    Direct(a, "loss", *c.loss_yuan, o.loss_yuan, "direct loss in yuan", "直接经济损失（元）", ev,
           ev_zh);
  Direct(a, "heat", heat.heat, o.heat, "heat index", "热度指数");
  Direct(a, "velocity", heat.posts_last_hour, o.posts_per_hour, "posts in the last hour",
         "近一小时信息量");

  for (int k = 0; k < 4; ++k) {
    const uint32_t n = s.kinds()[k];
    // Corroborated: one cue said by kind_min_posts posts (two reports of one leak both say 泄漏;
    // a pseudo-event of unrelated posts sets the kind with 地震 in one and 坍塌 in another).
    // For an emergency the cue must name what happened (NamesWhatHappened).
    const bool emergency = k == static_cast<int>(model::ResponseKind::kEmergency);
    // Copies of one text are one report: the cue must be said by kind_min_posts different texts.
    const EventSummary::KindCue kc = s.kind_cue(k, emergency ? &NamesWhatHappened : nullptr);
    if (n >= o.kind_min_posts && n / posts >= o.kind_min_share && kc.texts >= o.kind_min_posts) {
      RiskReason r;
      r.factor =
          "kind:" + std::string(model::ResponseKindName(static_cast<model::ResponseKind>(k)));
      r.supports = o.kind_grade;
      r.value = n / posts;
      r.threshold = o.kind_min_share;
      r.detail =
          fmt::format("key-response kind {} in {} of {} posts, 「{}」 in {} → {} {}",
                      model::ResponseKindName(static_cast<model::ResponseKind>(k)), n, s.posts(),
                      kc.cue, kc.posts, RiskGradeName(o.kind_grade), RiskGradeNameZh(o.kind_grade));
      r.detail_zh = fmt::format("重点回应类型“{}”：{}条信息中{}条，「{}」见于{}条 → {}",
                                model::ResponseKindNameZh(static_cast<model::ResponseKind>(k)),
                                s.posts(), n, kc.cue, kc.posts, GradeZh(o.kind_grade));
      a.base = MoreSevere(a.base, r.supports);
      a.reasons.push_back(std::move(r));
    }
  }
  std::stable_sort(a.reasons.begin(), a.reasons.end(),
                   [](const RiskReason& x, const RiskReason& y) {
                     return static_cast<int>(x.supports) < static_cast<int>(y.supports);
                   });

  const bool shares = s.posts() >= o.min_posts_for_shares;
  if (shares && s.negative_share() >= o.negative_share) {
    Aggravating(a, "negative_share", s.negative_share(), o.negative_share,
                fmt::format("negative share {:.2f} ≥ {:.2f}", s.negative_share(), o.negative_share),
                fmt::format("负面信息占比{:.0f}%，达到{:.0f}%", s.negative_share() * 100,
                            o.negative_share * 100));
  }
  const model::Domain d = s.top_domain();
  if (o.sensitive_domains[static_cast<int>(d)]) {
    Aggravating(
        a, "sensitive_domain", s.domains()[static_cast<int>(d)], 1,
        fmt::format("sensitive domain {} ({})", model::DomainName(d), model::DomainNameZh(d)),
        fmt::format("敏感领域：{}", model::DomainNameZh(d)));
  }
  uint32_t gov_posts_max = 0;
  std::string gov_words;
  for (const auto& [w, n] : s.gov_mentions()) {
    gov_posts_max = std::max(gov_posts_max, n);
    if (!gov_words.empty()) gov_words += "、";
    gov_words += w;
  }
  if (gov_posts_max >= o.gov_mention_posts) {
    Aggravating(
        a, "gov_involved", gov_posts_max, o.gov_mention_posts,
        fmt::format("government bodies or officials named in up to {} posts: {}", gov_posts_max,
                    gov_words),
        fmt::format("涉及政府部门或公职人员（最多见于{}条）：{}", gov_posts_max, gov_words));
  }
  const size_t provinces = s.distinct_provinces(), prefectures = s.distinct_prefectures();
  if (provinces >= o.spread_provinces || prefectures >= o.spread_prefectures) {
    Aggravating(a, "regional_spread", static_cast<double>(std::max(provinces, prefectures)),
                static_cast<double>(o.spread_provinces),
                fmt::format("spread over {} provinces, {} prefectures", provinces, prefectures),
                fmt::format("涉及{}个省份、{}个地市", provinces, prefectures));
  }
  if (s.media_posts() >= o.media_posts) {
    Aggravating(a, "mainstream_media", s.media_posts(), o.media_posts,
                fmt::format("{} posts by media", s.media_posts()),
                fmt::format("媒体发布{}条", s.media_posts()));
  }
  if (s.rumour_posts() >= o.rumour_posts && s.rumour_posts() / posts >= o.rumour_share) {
    Aggravating(a, "rumour", s.rumour_posts() / posts, o.rumour_share,
                fmt::format("{} posts look like unverified claims (rumour score ≥ 0.5), {} denials",
                            s.rumour_posts(), s.denial_posts()),
                fmt::format("{}条疑似未经证实的说法（谣言分值≥0.5），辟谣{}条", s.rumour_posts(),
                            s.denial_posts()));
  }
  if (bursting) {
    Aggravating(a, "burst", heat.posts_last_hour, 0, "posting is bursting above its baseline",
                "信息量突增，明显高于该事件的常态");
  }

  // A grade says how dangerous, not how busy: without a substantive factor the base is IV and
  // stays IV however many aggravators hold — spread, media posts and rumour signals describe
  // attention, which unrelated background posts clustered together also draw (docs/events.md
  // "Risk grading", the calibration). With one, the aggravators lift the base one level at
  // most; the cap bounds what escalation reaches, and a base already at or above it stays.
  const bool substantive = a.base != RiskGrade::kGeneral;
  a.grade = a.base;
  if (substantive && a.aggravators >= o.aggravators_to_escalate) {
    const RiskGrade up = OneUp(a.base);
    if (static_cast<int>(up) >= static_cast<int>(o.escalation_cap) && up != a.base) {
      a.grade = up;
      a.escalated = true;
    }
  }
  if (!substantive) {
    RiskReason r;
    r.factor = "no_substantive_factor";
    r.supports = RiskGrade::kGeneral;
    r.detail = fmt::format(
        "no casualties, losses, heat, velocity or key-response kind at a grade's threshold → IV "
        "一般{}{}",
        figures && !figures_apply
            ? fmt::format("; figures reported by {} of {} posts, under {:g} % of the event, "
                          "are not what it is about",
                          s.figure_posts(), s.posts(), o.figure_min_share * 100)
            : std::string(),
        a.aggravators == 0 ? std::string()
                           : fmt::format("; {} aggravating factor{} cannot raise it alone",
                                         a.aggravators, a.aggravators == 1 ? "" : "s"));
    r.detail_zh = fmt::format(
        "伤亡、损失、热度、传播速度和重点回应类型均未达到分级阈值 → {}{}{}",
        GradeZh(RiskGrade::kGeneral),
        figures && !figures_apply
            ? fmt::format("；伤亡或损失数字仅见于{}条信息中的{}条，不足{:g}%，并非事件本身",
                          s.posts(), s.figure_posts(), o.figure_min_share * 100)
            : std::string(),
        a.aggravators == 0 ? std::string()
                           : fmt::format("；{}个加重因素不能单独提高等级", a.aggravators));
    a.reasons.insert(a.reasons.begin(), std::move(r));
  }
  return a;
}

std::optional<GradeChange> GradeTracker::Update(const RiskAssessment& a, int64_t now_s) {
  if (a.grade == grade_) return std::nullopt;
  GradeChange c;
  c.from = grade_;
  c.to = a.grade;
  c.at_s = now_s;
  c.escalation = static_cast<int>(a.grade) < static_cast<int>(grade_);
  c.reasons = a.reasons;
  grade_ = a.grade;
  return c;
}

}  // namespace yuqing::events
