// Risk grading (风险等级) of one event: I 特别重大 / II 重大 / III 较大 / IV 一般, with the reasons
// that set the grade, so a grade can be checked and argued with. docs/events.md "Risk grading".
//
// AssessRisk() is a pure function of the event summary, its heat components and whether it is
// bursting. A grade says how dangerous an event is, not how busy. Substantive factors each
// support a grade (casualties and losses, key-response kind, heat, velocity); the base grade is
// the most severe one supported. Aggravating factors (negative share, sensitive domain,
// government bodies or officials named, spread across regions, mainstream media, rumour
// signals, a burst) raise the base one level when at least `aggravators_to_escalate` of them
// hold — only when some substantive factor holds (an event with none stays IV however many
// aggravators it has), by one level at most, and never above `escalation_cap` (II by default:
// grade I needs casualties or losses at the 特别重大 level). Every event is at least IV, and
// every assessment has at least one reason: an event with no substantive factor carries the
// substantive reason "no_substantive_factor" supporting IV.
//
// GradeTracker remembers an event's grade and returns a GradeChange when it moves, exactly once
// per move (the first assessment sets the grade silently unless it is above IV).
// Plain values, one writer, no locking, no clock.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "events/heat.h"
#include "events/summary.h"

namespace yuqing::events {

// Lower is more severe; the numbers are the Roman numerals of the national grading.
enum class RiskGrade { kParticularlySerious = 1, kMajor = 2, kLarger = 3, kGeneral = 4 };
// "I", "II", "III", "IV"
std::string_view RiskGradeName(RiskGrade g);
// "特别重大", "重大", "较大", "一般"
std::string_view RiskGradeNameZh(RiskGrade g);
// The more severe of two grades.
inline RiskGrade MoreSevere(RiskGrade a, RiskGrade b) {
  return static_cast<int>(a) < static_cast<int>(b) ? a : b;
}

// The value at or above which a factor supports grade I, II and III. Infinity: never.
struct GradeThresholds {
  double particularly_serious = std::numeric_limits<double>::infinity();
  double major = std::numeric_limits<double>::infinity();
  double larger = std::numeric_limits<double>::infinity();
};

// Defaults (docs/events.md). Casualty and loss thresholds follow the Chinese grading of
// accidents and emergencies: 《生产安全事故报告和调查处理条例》(国务院令第493号, 2007) 第三条 —
// 特别重大 ≥ 30 deaths (含失踪) or ≥ 100 seriously injured or ≥ 1亿元 direct loss; 重大 10–29,
// 50–99, 5000万–1亿; 较大 3–9, 10–49, 1000万–5000万; 一般 below — the practice the
// 《国家突发公共事件总体应急预案》(2006) grades I–IV refer to.
struct RiskOptions {
  GradeThresholds deaths{30, 10, 3};         // deaths + missing, as reported (max over posts)
  GradeThresholds injured{100, 50, 10};      // injured as reported (the decree counts 重伤)
  GradeThresholds loss_yuan{1e8, 5e7, 1e7};  // direct economic loss
  // Casualty and loss figures grade an event only when the posts that report them are at least
  // this share of the event: they are what the event is about (a single report of "3人死亡" is an
  // incident; one post in 2,000 of everyday talk quoting an old disaster's toll is not).
  double figure_min_share = 0.05;
  GradeThresholds heat{std::numeric_limits<double>::infinity(), 80, 60};
  GradeThresholds posts_per_hour{std::numeric_limits<double>::infinity(), 1000, 200};
  // A key-response kind (DOMAIN.md §3 a–d) carried by ≥ kind_min_posts posts and ≥ kind_min_share
  // of the event, with one of its cues in ≥ kind_min_posts different texts (corroboration: the
  // posts say the same thing; copies of one text are one report), supports III: the event needs a
  // government response. Three, not two: in a stream of ordinary talk two posts that both mention
  // 地震 or 公交 are a mention, not an incident (eval/grade_calibration.sh: 85 such pairs per
  // 100,000 ordinary posts graded III with two, 2 with three; docs/events.md).
  uint32_t kind_min_posts = 3;
  double kind_min_share = 0.2;
  RiskGrade kind_grade = RiskGrade::kLarger;

  // Aggravating factors.
  uint32_t min_posts_for_shares = 10;  // shares (negative, rumour) count from this many posts
  double negative_share = 0.6;
  // Sensitive domains: public security, emergency, health, environment, food and drug
  // (market supervision), education — by model::Domain index.
  std::array<bool, model::kDomainCount> sensitive_domains = [] {
    std::array<bool, model::kDomainCount> a{};
    for (model::Domain d : {model::Domain::kPublicSecurity, model::Domain::kEmergency,
                            model::Domain::kHealth, model::Domain::kEnvironment,
                            model::Domain::kMarketSupervision, model::Domain::kEducation}) {
      a[static_cast<int>(d)] = true;
    }
    return a;
  }();
  uint32_t gov_mention_posts = 2;  // posts naming government bodies or officials
  size_t spread_provinces = 2;     // distinct provinces …
  size_t spread_prefectures = 3;   // … or prefectures
  uint32_t media_posts = 2;        // posts by media (author kind or news / print / tv)
  uint32_t rumour_posts = 3;       // posts with rumour score ≥ 0.5 …
  double rumour_share = 0.2;       // … making up this share of the event
  uint32_t aggravators_to_escalate = 3;
  RiskGrade escalation_cap = RiskGrade::kMajor;
};

struct RiskReason {
  std::string factor;        // stable name: "deaths", "heat", "negative_share", "gov_involved" …
  bool aggravating = false;  // an aggravating factor (counts towards escalation)
  RiskGrade supports = RiskGrade::kGeneral;  // for substantive factors: the grade it supports
  double value = 0;                          // always finite
  double threshold = 0;                      // always finite
  std::string detail;                        // one line for the analyst, quoting the evidence
  std::string detail_zh;                     // the same line in Chinese (reports, the workbench)

  // "substantive" (sets the base grade) or "aggravating" (may lift it one level); the `kind`
  // of the reason in the JSON.
  std::string_view kind() const { return aggravating ? "aggravating" : "substantive"; }
};

struct RiskAssessment {
  RiskGrade grade = RiskGrade::kGeneral;
  RiskGrade base = RiskGrade::kGeneral;  // the most severe grade a substantive factor supports
  uint32_t aggravators = 0;
  bool escalated = false;  // grade is base lifted one level by the aggravators
  // Substantive factors first (most severe first), then aggravators; never empty.
  std::vector<RiskReason> reasons;
};

RiskAssessment AssessRisk(const EventSummary& s, const HeatComponents& heat, bool bursting,
                          const RiskOptions& o = {});

// A grade change: an event of its own for the alerting layer.
struct GradeChange {
  RiskGrade from = RiskGrade::kGeneral;
  RiskGrade to = RiskGrade::kGeneral;
  int64_t at_s = 0;
  bool escalation = false;  // to is more severe than from
  std::vector<RiskReason> reasons;
};

class GradeTracker {
 public:
  // Returns the change when `a.grade` differs from the grade last seen. The first call starts
  // from IV, so an event first assessed at III reports IV → III; one first assessed at IV
  // reports nothing.
  std::optional<GradeChange> Update(const RiskAssessment& a, int64_t now_s);
  RiskGrade grade() const { return grade_; }
  // Two events merged: the survivor keeps the more severe of the two grades already reported,
  // so the merge does not report again a grade the alert layer has seen.
  void Carry(RiskGrade g) { grade_ = MoreSevere(grade_, g); }

 private:
  RiskGrade grade_ = RiskGrade::kGeneral;
};

}  // namespace yuqing::events
