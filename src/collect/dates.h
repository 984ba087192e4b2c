// Reading the publication dates sources write: RFC 822 (RSS), ISO 8601 (Atom, APIs) and the
// forms of Chinese portals and platforms — `2026年11月16日 09:12`, `发布时间：2026-11-16`,
// `2026/11/16`, `11-16 09:12`, `3小时前`, `刚刚`, `昨天 10:40`. A date without an offset is
// read in the source's zone; relative dates count back from `now`. A pure function: the clock
// is passed in, so tests fix it.
#pragma once

#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace yuqing::collect {

// `tz_offset_minutes`: the source's zone (+480 for China). A year-less date (`11-16 09:12`)
// takes the year that puts it at or before `now`. RFC 822's "CST" is read as China Standard
// Time (+08:00), as Chinese feeds mean it. InvalidArgument quotes the text it cannot read.
Result<core::TimePoint> ParseLooseDate(std::string_view text, core::TimePoint now,
                                       int tz_offset_minutes);

}  // namespace yuqing::collect
