// The assessment of responsible departments per period (督查考核, DOMAIN.md §11): the figures
// offices are assessed by, a weighted score, a ranking and a CSV export. The figures follow
// the practice of hotline assessment in China — 签收及时率, 响应率, 按时办结率, 解决率, 满意率
// from the follow-up call (回访), 回退率, 重办率 — and the "三率" (响应率、解决率、满意率) that
// Beijing's 接诉即办 assessment scores (《北京市接诉即办工作条例》, 2021); plus the counts of
// reminders, supervision items and notices, and the four failure patterns of seed 000.
//
// Which cases count: a case counts in the period when its detected_at is in [from, to); it
// counts for every reported department that held its main assignment at any time (so a case
// bounced from A to B counts for both, and both carry its clocks: every clock runs from
// detection, docs/cases.md). Pure function of values and an injected `now`; one pass over the
// cases. The returned Assessment is a value the caller owns.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cases/patterns.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/case.h"

namespace yuqing::cases {

// The rates a score can weigh. Lower is better for reassignment and repeat: they are scored
// as 1 − rate.
enum class Rate {
  kAcceptance,    // 签收及时率
  kResponse,      // 响应率
  kOnTime,        // 按时率 (all deadline kinds pooled)
  kResolution,    // 解决率
  kSatisfaction,  // 满意率
  kReassignment,  // 回退率 (scored 1 − rate)
  kRepeat,        // 重办率 (scored 1 − rate)
};
inline constexpr int kRateCount = 7;
// "acceptance_rate", "response_rate", "on_time_rate", "resolution_rate", "satisfaction_rate",
// "reassignment_rate", "repeat_rate" (the keys of the weights JSON).
std::string_view RateName(Rate r);
std::string_view RateNameZh(Rate r);

// Weights of the score, by Rate. They need not add up to 1: the score divides by the sum of
// the weights of the rates it could compute. Default: Beijing's three rates, equally.
struct Weights {
  std::array<double, kRateCount> w{0, 1.0 / 3, 0, 1.0 / 3, 1.0 / 3, 0, 0};
  double operator[](Rate r) const { return w[static_cast<size_t>(r)]; }
  bool operator==(const Weights&) const = default;
};
// A JSON object of RateName → weight, e.g. {"response_rate":0.3,"resolution_rate":0.3,
// "satisfaction_rate":0.4}. The object is the whole weighting: a rate it does not name weighs
// 0. InvalidArgument names the key for an unknown key, a value that is not a number or is
// negative, and for weights that are all 0.
Result<Weights> ParseWeights(const nlohmann::json& json);
Result<Weights> ParseWeightsText(std::string_view text);  // also InvalidArgument for bad JSON
nlohmann::json WeightsToJson(const Weights& weights);

// num of den; the rate is undefined for den = 0 (no case it applies to).
struct Fraction {
  int64_t num = 0;
  int64_t den = 0;
  std::optional<double> rate() const {
    if (den <= 0) return std::nullopt;
    return static_cast<double>(num) / static_cast<double>(den);
  }
  bool operator==(const Fraction&) const = default;
};

// The deadline kinds with an on-time rate, in this order.
inline constexpr model::Obligation kOnTimeObligations[] = {
    model::Obligation::kPress, model::Obligation::kRespond, model::Obligation::kFirstRelease,
    model::Obligation::kReply, model::Obligation::kResolve};
inline constexpr int kOnTimeKinds = 5;

struct DepartmentRef {
  std::string id;
  std::string name;
};

struct DepartmentAssessment {
  std::string id;
  std::string name;
  int64_t cases = 0;  // cases of the period it held the main assignment of, at any time
  int64_t assignments_received = 0;  // its main assignments in those cases
  // 签收及时率: accepted within policy.accept_within of the assignment / assignments whose
  // acceptance is decided (accepted; or not accepted and past due). An assignment returned or
  // reassigned before its acceptance was due without being accepted is left out (回退率
  // counts it), and so is one still within its window.
  Fraction accepted_on_time;
  Fraction response;  // 响应率: cases with a published response by this department / cases
  // 按时率 per kOnTimeObligations: clocks met on time / clocks no longer running.
  std::array<Fraction, kOnTimeKinds> on_time{};
  Fraction on_time_all;  // the five pooled
  // Minutes from detection to this department's first published response, median over its
  // cases that have one (the mean of the two middle values for an even count).
  std::optional<double> median_first_response_minutes;
  Fraction resolution;     // 解决率: closed with resolved = true / closed
  Fraction satisfaction;   // 满意率: hotline and mailbox cases visited: satisfied + basically
  Fraction reassignment;   // 回退率: its main assignments ended returned/reassigned/dispute
  Fraction repeat;         // 重办率: cases reopened at least once / cases
  int64_t extensions = 0;  // extensions granted in its cases
  int64_t reminders = 0;   // reminders (sweep marks "remind:…") in its cases
  int64_t supervision_items = 0;     // supervision items naming this department in its cases
  std::array<int64_t, 3> notices{};  // issued notices naming it, by model::NoticeKind
  PatternCounts patterns;            // failure patterns of its cases at `now`
  // 0–100, or nullopt when none of the weighted rates applies to any of its cases.
  std::optional<double> score;
  std::vector<Rate> skipped;  // weighted rates left out of the score for lack of cases
  std::string score_note_zh;  // what the score is made of, naming what was skipped
  std::string score_note_en;
  int rank = 0;  // 1 = best
};

struct AssessmentRequest {
  core::TimePoint from{};  // the period [from, to) of detected_at
  core::TimePoint to{};
  core::TimePoint now{};                   // clocks and patterns are judged at this time
  std::vector<DepartmentRef> departments;  // whom to report, in this order
  Weights weights;
};

struct Assessment {
  core::TimePoint from{};
  core::TimePoint to{};
  core::TimePoint now{};
  Weights weights;
  int64_t cases_in_period = 0;                    // all cases detected in the period
  std::vector<DepartmentAssessment> departments;  // in the request's order
  std::vector<size_t> ranking;  // indices into departments, best first (ties by name)
};

// Assesses the departments of `request` over `cases` (borrowed for the call). InvalidArgument
// for an empty or inverted period, a duplicate or empty department id, or bad weights.
Result<Assessment> Assess(std::span<const model::Case> cases, const AssessmentRequest& request);

// The assessment as CSV (RFC 4180: CRLF line ends, fields with a comma, quote or line break
// quoted, quotes doubled), one row per department in ranking order, with a header row in
// Chinese for `lang` "zh" (or "zh-…") and in English otherwise. Rates as fractions with four
// decimals, an empty field where a rate is undefined.
std::string AssessmentCsv(const Assessment& assessment, std::string_view lang);

}  // namespace yuqing::cases
