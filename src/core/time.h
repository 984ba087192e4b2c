// ISO-8601 timestamps: parsing with a required UTC offset, and formatting.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace yuqing::core {

// Parses "2026-11-21T08:30:00+08:00", "2026-11-21T00:30:00Z", "2026-11-21 08:30:00.250+0800".
// The offset is required (a time without one is ambiguous across a province's sources).
// InvalidArgument says what is wrong with the text.
Result<TimePoint> ParseIso8601(std::string_view text);

// Formats as "2026-11-21T00:30:00.250Z" (milliseconds only when non-zero).
std::string FormatIso8601(TimePoint t);

// Formats in a fixed offset, e.g. +08:00 for China Standard Time: "2026-11-21T08:30:00+08:00".
std::string FormatIso8601(TimePoint t, int offset_minutes);

}  // namespace yuqing::core
