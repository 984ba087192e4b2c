// CSS selectors for the web collector (docs/collect.md, "web"): a small subset of CSS
// Selectors Level 3 translated into the XPath 1.0 that web.h evaluates, so a source may name
// its links, title, body, time and author either way. Pure; safe from any thread.
//
// Supported: type selectors and `*`, `#id`, `.class`, `[attr]`, `[attr=v]`, `[attr~=v]`,
// `[attr^=v]`, `[attr$=v]`, `[attr*=v]` (v an identifier or a quoted string), the descendant
// (` `) and child (`>`) combinators, comma-separated groups, `:first-child`, `:last-child`
// and `:nth-child(N)` for a whole number N. Type and attribute names are matched in lower case,
// as libxml2's HTML parser stores them.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::collect {

// The XPath selecting the elements `css` selects. InvalidArgument for anything outside the
// subset, naming the selector, the column (1-based, in characters) and what was found:
// `CSS selector "li + a": column 4: the next-sibling combinator "+" is not supported`.
Result<std::string> CssToXPath(std::string_view css);

}  // namespace yuqing::collect
