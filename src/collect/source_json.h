// A configured source as JSON, for the API and the CLI (docs/collect.md): what a person writes
// to add or change a source, checked field by field and per kind, and what they read back
// (settings, state and health). Pure.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "collect/web.h"
#include "core/status.h"
#include "model/source.h"

namespace yuqing::collect {

// Reads {"name", "kind", "interval_s", "channel", "region", "tz", "config": {…}, "paused"}.
// `name` may be omitted when `fixed_name` is given (PUT /api/v1/sources/{name}); a name in the
// body must then agree. InvalidArgument names the field: `field "config.url": missing (an rss
// source needs the feed's URL)`.
Result<model::Source> SourceFromJson(const nlohmann::json& body,
                                     const std::string& fixed_name = "");

// Checks the kind-specific config (required fields, their types, http(s) URLs).
Status CheckSourceConfig(model::SourceKind kind, const nlohmann::json& config);

// The selectors of a web source's config: XPath in `links`, `next`, `title`, `body`, `time`,
// `author`, or CSS in the same names under `css` (translated by css_select.h; one syntax per
// field). InvalidArgument names the field: `field "config.css.links": CSS selector "li + a":
// column 4: …`.
Result<WebSelectors> WebSelectorsFromConfig(const nlohmann::json& config);

// Settings, state and health of a source.
nlohmann::json SourceToJson(const model::Source& source);

// "+08:00" / "-05:30" / "Z" → minutes east of UTC.
Result<int> ParseZoneOffset(std::string_view text);
std::string FormatZoneOffset(int minutes);

}  // namespace yuqing::collect
