#include "collect/feed.h"

#include <fmt/format.h>
#include <libxml/HTMLparser.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/uri.h>

#include <cctype>
#include <memory>
#include <mutex>
#include <string>

namespace yuqing::collect {
namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct CtxtFree {
  void operator()(xmlParserCtxt* c) const { xmlFreeParserCtxt(c); }
};
using DocPtr = std::unique_ptr<xmlDoc, DocFree>;

std::string_view Name(const xmlNode* n) {
  return n->name == nullptr ? std::string_view() : reinterpret_cast<const char*>(n->name);
}

std::string Content(const xmlNode* n) {
  xmlChar* c = xmlNodeGetContent(n);
  if (c == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(c));
  xmlFree(c);
  return out;
}

std::string Attr(const xmlNode* n, const char* name) {
  xmlChar* v = xmlGetProp(n, reinterpret_cast<const xmlChar*>(name));
  if (v == nullptr) return "";
  std::string out(reinterpret_cast<const char*>(v));
  xmlFree(v);
  return out;
}

std::string Base(const xmlDoc* doc, const xmlNode* n, std::string_view fallback) {
  xmlChar* b = xmlNodeGetBase(doc, n);
  if (b == nullptr) return std::string(fallback);
  std::string out(reinterpret_cast<const char*>(b));
  xmlFree(b);
  return ResolveUrl(out, fallback);
}

std::string Collapse(std::string_view s) {
  std::string out;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    bool ws = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    // U+00A0 (&nbsp;) and U+3000 count as spaces.
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xA0) {
      ws = true;
      ++i;
    }
    if (ws) {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += static_cast<char>(c);
  }
  return out;
}

// Whether the text looks like HTML markup rather than plain text.
bool LooksLikeHtml(std::string_view s) {
  size_t lt = s.find('<');
  return lt != std::string_view::npos && lt + 1 < s.size() &&
         (std::isalpha(static_cast<unsigned char>(s[lt + 1])) != 0 || s[lt + 1] == '/');
}

std::string PlainText(std::string_view s) {
  return LooksLikeHtml(s) || s.find('&') != std::string_view::npos ? HtmlToText(s) : Collapse(s);
}

bool Boilerplate(const xmlNode* n) {
  static constexpr std::string_view kDropped[] = {"script",   "style",  "nav",    "footer",
                                                  "header",   "aside",  "form",   "button",
                                                  "noscript", "iframe", "select", "textarea"};
  std::string_view name = Name(n);
  for (auto d : kDropped) {
    if (name == d) return true;
  }
  static constexpr std::string_view kWords[] = {"nav",     "footer",  "share",   "breadcrumb",
                                                "menu",    "sidebar", "comment", "copyright",
                                                "toolbar", "print"};
  for (const char* attr : {"class", "id"}) {
    std::string v = Attr(n, attr);
    for (char& c : v) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto w : kWords) {
      if (!v.empty() && v.find(w) != std::string::npos) return true;
    }
  }
  return false;
}

bool Block(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {
      "p",  "div", "br", "li", "h1",    "h2",      "h3",      "h4",         "h5",
      "h6", "tr",  "ul", "ol", "table", "section", "article", "blockquote", "pre"};
  for (auto b : kBlocks) {
    if (name == b) return true;
  }
  return false;
}

void TextOf(const xmlNode* n, std::string& line, std::string& out) {
  for (const xmlNode* c = n; c != nullptr; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content != nullptr) line += reinterpret_cast<const char*>(c->content);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || Boilerplate(c)) continue;
    bool block = Block(Name(c));
    auto flush = [&] {
      std::string t = Collapse(line);
      if (!t.empty()) {
        if (!out.empty()) out += '\n';
        out += t;
      }
      line.clear();
    };
    if (block) flush();
    TextOf(c->children, line, out);
    if (block) flush();
  }
}

const xmlNode* Child(const xmlNode* n, std::string_view name) {
  for (const xmlNode* c = n->children; c != nullptr; c = c->next) {
    if (c->type == XML_ELEMENT_NODE && Name(c) == name) return c;
  }
  return nullptr;
}

std::string ChildText(const xmlNode* n, std::string_view name) {
  const xmlNode* c = Child(n, name);
  return c == nullptr ? "" : Content(c);
}

FeedItem RssItem(const xmlDoc* doc, const xmlNode* item, std::string_view base) {
  FeedItem it;
  std::string b = Base(doc, item, base);
  it.title = PlainText(ChildText(item, "title"));
  it.link = ResolveUrl(Collapse(ChildText(item, "link")), b);
  it.id = Collapse(ChildText(item, "guid"));
  if (it.id.empty()) it.id = Attr(item, "about");  // RSS 1.0's rdf:about
  std::string body = ChildText(item, "encoded");   // content:encoded
  if (body.empty()) body = ChildText(item, "description");
  it.text = PlainText(body);
  it.published = Collapse(ChildText(item, "pubDate"));
  if (it.published.empty()) it.published = Collapse(ChildText(item, "date"));  // dc:date
  it.author = Collapse(ChildText(item, "author"));
  if (it.author.empty()) it.author = Collapse(ChildText(item, "creator"));  // dc:creator
  return it;
}

FeedItem AtomEntry(const xmlDoc* doc, const xmlNode* entry, std::string_view base) {
  FeedItem it;
  std::string b = Base(doc, entry, base);
  it.id = Collapse(ChildText(entry, "id"));
  it.title = PlainText(ChildText(entry, "title"));
  for (const xmlNode* c = entry->children; c != nullptr; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || Name(c) != "link") continue;
    std::string rel = Attr(c, "rel");
    if (rel.empty() || rel == "alternate") {
      it.link = ResolveUrl(Attr(c, "href"), Base(doc, c, b));
      break;
    }
  }
  std::string body = ChildText(entry, "content");
  if (body.empty()) body = ChildText(entry, "summary");
  it.text = PlainText(body);
  it.published = Collapse(ChildText(entry, "published"));
  if (it.published.empty()) it.published = Collapse(ChildText(entry, "updated"));
  if (const xmlNode* a = Child(entry, "author")) it.author = Collapse(ChildText(a, "name"));
  return it;
}

// libxml2 wants its global state initialised once before threads use it.
void InitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { xmlInitParser(); });
}

}  // namespace

std::string ResolveUrl(std::string_view link, std::string_view base) {
  if (link.empty()) return "";
  std::string l(link), b(base);
  xmlChar* r = xmlBuildURI(reinterpret_cast<const xmlChar*>(l.c_str()),
                           reinterpret_cast<const xmlChar*>(b.c_str()));
  if (r == nullptr) return l;
  std::string out(reinterpret_cast<const char*>(r));
  xmlFree(r);
  return out;
}

std::string HtmlToText(std::string_view html) {
  if (html.empty()) return "";
  InitOnce();
  // Wrapped so that a fragment of text and inline markup gets a body to live in.
  std::string wrapped = "<html><head><meta charset=\"utf-8\"></head><body>";
  wrapped += html;
  wrapped += "</body></html>";
  DocPtr doc(htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
                                HTML_PARSE_NONET | HTML_PARSE_NOIMPLIED));
  if (!doc) return Collapse(html);
  std::string line, out;
  TextOf(xmlDocGetRootElement(doc.get()), line, out);
  std::string t = Collapse(line);
  if (!t.empty()) {
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

Result<Feed> ParseFeed(std::string_view xml, std::string_view base_url) {
  InitOnce();
  std::unique_ptr<xmlParserCtxt, CtxtFree> ctxt(xmlNewParserCtxt());
  if (!ctxt) return Status::Internal("libxml2 could not make a parser");
  // No network, no external entities or DTD loading (XXE); errors are collected, not printed.
  DocPtr doc(xmlCtxtReadMemory(
      ctxt.get(), xml.data(), static_cast<int>(xml.size()), std::string(base_url).c_str(), "UTF-8",
      XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA));
  if (!doc) {
    const xmlError* e = xmlCtxtGetLastError(ctxt.get());
    std::string msg = e != nullptr && e->message != nullptr ? e->message : "unreadable";
    while (!msg.empty() && (msg.back() == '\n' || msg.back() == ' ')) msg.pop_back();
    return Status::InvalidArgument(
        fmt::format("malformed XML at line {}: {}", e != nullptr ? e->line : 0, msg));
  }
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  if (root == nullptr) return Status::InvalidArgument("the document is empty");
  Feed feed;
  std::string_view rn = Name(root);
  if (rn == "rss") {
    feed.kind = "rss";
    const xmlNode* channel = Child(root, "channel");
    if (channel == nullptr) return Status::InvalidArgument("<rss> has no <channel>");
    feed.title = PlainText(ChildText(channel, "title"));
    for (const xmlNode* c = channel->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && Name(c) == "item") {
        feed.items.push_back(RssItem(doc.get(), c, base_url));
      }
    }
  } else if (rn == "RDF") {
    feed.kind = "rdf";
    if (const xmlNode* channel = Child(root, "channel")) {
      feed.title = PlainText(ChildText(channel, "title"));
    }
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && Name(c) == "item") {
        feed.items.push_back(RssItem(doc.get(), c, base_url));
      }
    }
  } else if (rn == "feed") {
    feed.kind = "atom";
    feed.title = PlainText(ChildText(root, "title"));
    for (const xmlNode* c = root->children; c != nullptr; c = c->next) {
      if (c->type == XML_ELEMENT_NODE && Name(c) == "entry") {
        feed.items.push_back(AtomEntry(doc.get(), c, base_url));
      }
    }
  } else {
    return Status::InvalidArgument(
        fmt::format("the root element is <{}>, not rss, RDF or feed", rn));
  }
  return feed;
}

}  // namespace yuqing::collect
