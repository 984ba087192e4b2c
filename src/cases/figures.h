// Contradicting figures between departments (DOMAIN.md §5 "several departments → consistent
// information"): the casualties and losses that published responses of a multi-department
// case state (Response::figures) are compared, and a figure two departments state differently
// is flagged for a person — who decides which is right; nothing is corrected automatically.
//
// A later response of the same department that states another value revises its own figure:
// that is a revision, listed separately, not a contradiction. Pure functions; results are
// values the caller owns.
#pragma once

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "model/case.h"

namespace yuqing::cases {

enum class Figure { kDeaths, kInjured, kMissing, kLossYuan };
inline constexpr int kFigureCount = 4;
// "deaths", "injured", "missing", "loss_yuan"; 死亡人数, 受伤人数, 失踪人数, 经济损失（元）.
std::string_view FigureName(Figure f);
std::string_view FigureNameZh(Figure f);

struct FigureOptions {
  // Two statements are compared when the later one comes at most this long after the earlier.
  std::chrono::minutes window{24 * 60};
  // Losses are rounded in speech ("约1.2亿元"): values within this relative difference agree.
  // Counts of people must agree exactly.
  double loss_relative_tolerance = 0.01;
};

// One statement of a figure: which response, which department, when, what value.
struct FigureStatement {
  int response_id = 0;
  std::string department_id;
  core::TimePoint published_at{};
  double value = 0;  // counts are whole numbers
};

struct FigureContradiction {
  Figure figure = Figure::kDeaths;
  FigureStatement earlier;  // the first department's statement, still its latest then
  FigureStatement later;    // another department's, within the window
  // True while neither department has since revised its statement (the contradiction still
  // stands at the latest published response); false once one of them has.
  bool standing = true;
  std::string zh;
  std::string en;
};

struct FigureRevision {
  Figure figure = Figure::kDeaths;
  FigureStatement before;
  FigureStatement after;  // same department, later, another value
  std::string zh;
  std::string en;
};

struct FigureReport {
  std::vector<FigureContradiction> contradictions;  // by the later statement's time
  std::vector<FigureRevision> revisions;            // by time
};

// Compares the figures of the published responses of `c`. Each contradiction is reported
// once per figure, pair of departments and pair of values (the first time it appears).
FigureReport CompareFigures(const model::Case& c, const FigureOptions& options = {});

}  // namespace yuqing::cases
