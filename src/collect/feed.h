// Feeds: RSS 2.0, RSS 1.0 (RDF) and Atom documents read into items with libxml2 (chosen over
// pugixml because the web-page collector needs libxml2's forgiving HTML parser and XPath
// anyway, and one parser should read both). Entities and CDATA are resolved by the parser;
// links are made absolute against the feed's URL (and Atom's xml:base); summaries that hold
// HTML are turned into plain text. Pure: text in, values out; safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::collect {

struct FeedItem {
  std::string id;         // guid / Atom id / rdf:about; "" when the feed gives none
  std::string title;      // plain text
  std::string link;       // absolute
  std::string text;       // the content or summary as plain text
  std::string published;  // the date as written (collect/dates.h reads it)
  std::string author;
};

struct Feed {
  std::string kind;  // "rss", "rdf" or "atom"
  std::string title;
  std::vector<FeedItem> items;
};

// `xml` is UTF-8 (collect/encoding.h converts first; an encoding declared inside is ignored).
// InvalidArgument for malformed XML (`line 12: …`, libxml2's message) or a document that is no
// feed (`the root element is <html>, not rss, RDF or feed`).
Result<Feed> ParseFeed(std::string_view xml, std::string_view base_url);

// Plain text of an HTML fragment or page: script, style, navigation, headers, footers, forms
// and share buttons dropped (by element and by class / id words such as nav, footer, share,
// breadcrumb), block elements on their own lines, runs of spaces collapsed, entities decoded.
std::string HtmlToText(std::string_view html);

// `link` made absolute against `base` ("" stays "").
std::string ResolveUrl(std::string_view link, std::string_view base);

}  // namespace yuqing::collect
