// The four failure patterns of seed 000 (DOMAIN.md "Failure patterns"), flagged on one case
// with the reason in Chinese and English, and counted per department by the assessment:
//   ignoring    回应缺位: an obligation to speak (press, respond, first_release, reply) is
//               overdue, or was met late;
//   passive     被动应付: after the first published response, silence for policy.passive_after
//               while the event stays hot, or every published response is without substance;
//   shirking    推诿扯皮: the main department changed by return, reassignment or an upheld
//               dispute two or more times;
//   anticlimax  虎头蛇尾: closed without any follow-up, or the event heats up again after
//               closing.
// Pure functions of values and an injected `now`; results are values the caller owns.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cases/deadlines.h"
#include "core/clock.h"
#include "model/case.h"

namespace yuqing::cases {

// A response "without substance" (空泛表态): true when ALL of these hold —
//   1. short: at most kShortResponseCodePoints code points;
//   2. no figure: no digit (ASCII or full-width) and no Chinese numeral used as a number
//      (a run of 〇零一二两三四五六七八九十百千万亿 followed by a unit or measure word such as
//      人 名 户 元 吨 起 处 辆 小时 天; a lone 一 counts only before 名 例 户 辆 吨 元 人);
//   3. no concrete measure: none of the action words (已 before a verb, 立即, 成立, 调查, 处置,
//      救治, 停产, 检测, 公布, 问责, 赔偿, 整改, 关停, 立案, 免职, 召回, 疏散, 抢修 …), looked
//      for after the stock phrases are taken out, so "正在调查" and "积极处置" do not count;
//   4. mostly stock phrases: the stock phrases (高度重视, 正在调查, 密切关注, 积极处置, 依法依规,
//      第一时间, 妥善处理, 已收悉 …) cover at least half of the Chinese characters that are not
//      function words or self-references (我们, 我局, 对此, 将, 的 …).
// An empty text lacks substance. The word lists are in patterns.cc; a factual denial without
// stock phrases ("经核实，网传信息不实，本市供水水质符合国家标准") is not flagged.
bool LacksSubstance(std::string_view text);
inline constexpr size_t kShortResponseCodePoints = 200;

// The event's heat over time (the event follower's readings), for the two patterns that ask
// whether the event stayed or became hot. Heat at a moment is the last sample at or before it.
struct HeatSample {
  core::TimePoint at{};
  double heat = 0;
};

struct PatternInputs {
  // Empty: the heat over time is unknown; then only the current Case::event_heat is used
  // (passive: the current silence of an open case; anticlimax: with heat_at_close below).
  std::span<const HeatSample> heat;
  // The event's heat when the case closed, when the caller knows it without a series.
  std::optional<double> heat_at_close;
  // false: only the booleans are computed (the assessment over 100,000 cases).
  bool explain = true;
};

struct PatternReason {
  std::string zh;
  std::string en;
};

struct CasePatterns {
  bool ignoring = false;
  bool passive = false;
  bool shirking = false;
  bool anticlimax = false;
  PatternReason ignoring_reason;  // empty when the pattern is absent (or explain is false)
  PatternReason passive_reason;
  PatternReason shirking_reason;
  PatternReason anticlimax_reason;
  bool any() const { return ignoring || passive || shirking || anticlimax; }
};

// Flags the patterns of `c` at `now`. `deadlines` is cases::Deadlines(c, now) (passed in so a
// caller that has them does not compute them twice). The span in `inputs` is borrowed for
// the call only.
CasePatterns DetectPatterns(const model::Case& c, const std::vector<Deadline>& deadlines,
                            core::TimePoint now, const PatternInputs& inputs = {});

// Names of the patterns: "ignoring", "passive", "shirking", "anticlimax"; and in Chinese
// "回应缺位", "被动应付", "推诿扯皮", "虎头蛇尾".
inline constexpr std::string_view kPatternNames[4] = {"ignoring", "passive", "shirking",
                                                      "anticlimax"};
inline constexpr std::string_view kPatternNamesZh[4] = {"回应缺位", "被动应付", "推诿扯皮",
                                                        "虎头蛇尾"};

// Main assignments ended by a return, a reassignment or an upheld dispute.
int CountMainChanges(const model::Case& c);
// Ended main assignments of `department_id` with one of those reasons.
int CountMainChangesOf(const model::Case& c, std::string_view department_id);

// How many cases showed each pattern (one case may show several).
struct PatternCounts {
  int64_t cases = 0;  // cases added
  int64_t ignoring = 0;
  int64_t passive = 0;
  int64_t shirking = 0;
  int64_t anticlimax = 0;
  int64_t any = 0;  // cases with at least one pattern
  void Add(const CasePatterns& p);
  PatternCounts& operator+=(const PatternCounts& other);
  bool operator==(const PatternCounts&) const = default;
};

}  // namespace yuqing::cases
