// Casualty and loss figures in Chinese text, as numbers: "死亡3人", "造成12人受伤", "3死5伤",
// "三人遇难", "经济损失约500万元", "直接经济损失1.2亿元". The grading of events needs them.
// Pure functions, any thread.
#pragma once

#include <optional>
#include <string_view>

#include "model/analysis.h"

namespace yuqing::analysis {

// Parses Arabic ("12", "1,200", "1.5") or Chinese ("十二", "两", "三百零五", "1.2万") numerals;
// nullopt if `s` is not a whole number expression.
std::optional<double> ParseChineseNumber(std::string_view s);

// Extracts the figures of `text` (normalized, simplified Chinese). Where a figure is given more
// than once, the largest is kept (reports are updated upwards: "死亡人数升至5人").
model::Casualties ExtractCasualties(std::string_view text);

}  // namespace yuqing::analysis
