// Web pages without a feed — the 通知公告 and news columns of government portals: a list page
// whose article links an XPath selects, pages of older items reached through a "next" link,
// and article pages whose title, body, time and author XPaths select (docs/collect.md, "web").
// Parsed with libxml2's forgiving HTML parser; bodies lose navigation, share bars, footers and
// scripts (feed.h's HtmlToText). Pure: page text in, values out; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::collect {

struct WebSelectors {
  std::string links;  // XPath of the article links (<a> elements or their @href)
  std::string next;   // XPath of the next list page's link; "" for one page only
  std::string title;  // article XPaths; "" uses the defaults below
  std::string body;
  std::string time;
  std::string author;
};

struct WebList {
  std::vector<std::string> links;  // absolute, in page order, without repeats
  std::string next;                // absolute; "" when there is none
};

struct WebArticle {
  std::string title;      // the selector's text, else <h1>, else <title>
  std::string text;       // the body selector's text, else the page's text without boilerplate
  std::string published;  // as written; "" when the selector matched nothing
  std::string author;
  std::vector<std::string> problems;  // selectors that matched nothing
};

// InvalidArgument `config.links "//ul/li/a" matches nothing` (a changed layout), or for an
// XPath that does not compile.
Result<WebList> ParseListPage(std::string_view html, std::string_view url,
                              const WebSelectors& selectors);

Result<WebArticle> ParseArticlePage(std::string_view html, std::string_view url,
                                    const WebSelectors& selectors);

}  // namespace yuqing::collect
