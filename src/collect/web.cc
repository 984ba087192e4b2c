#include "collect/web.h"

#include <fmt/format.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>

#include <memory>
#include <set>

#include "collect/feed.h"

namespace yuqing::collect {
namespace {

struct DocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};
struct XPathCtxFree {
  void operator()(xmlXPathContext* c) const { xmlXPathFreeContext(c); }
};
struct XPathObjFree {
  void operator()(xmlXPathObject* o) const { xmlXPathFreeObject(o); }
};

class Page {
 public:
  static Result<Page> Parse(std::string_view html) {
    Page p;
    p.doc_.reset(htmlReadMemory(
        html.data(), static_cast<int>(html.size()), nullptr, "UTF-8",
        HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET));
    if (!p.doc_ || xmlDocGetRootElement(p.doc_.get()) == nullptr) {
      return Status::InvalidArgument("the page is empty or not HTML");
    }
    p.ctx_.reset(xmlXPathNewContext(p.doc_.get()));
    if (!p.ctx_) return Status::Internal("libxml2 could not make an XPath context");
    return p;
  }

  // The values an XPath selects: attribute values and text nodes as they are, elements as
  // their text without boilerplate (or their outer HTML's text when `text` is true).
  Result<std::vector<std::string>> Select(const std::string& xpath, std::string_view field) {
    // Errors go to the context, not to stderr.
    xmlSetStructuredErrorFunc(nullptr, [](void*, xmlErrorPtr) {});
    std::unique_ptr<xmlXPathObject, XPathObjFree> obj(
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx_.get()));
    xmlSetStructuredErrorFunc(nullptr, nullptr);
    if (!obj) {
      return Status::InvalidArgument(
          fmt::format("config.{} \"{}\" is not a valid XPath", field, xpath));
    }
    std::vector<std::string> out;
    if (obj->type == XPATH_STRING && obj->stringval != nullptr) {
      out.emplace_back(reinterpret_cast<const char*>(obj->stringval));
      return out;
    }
    if (obj->type != XPATH_NODESET || obj->nodesetval == nullptr) return out;
    for (int i = 0; i < obj->nodesetval->nodeNr; ++i) {
      xmlNode* n = obj->nodesetval->nodeTab[i];
      if (n->type == XML_ELEMENT_NODE) {
        xmlBuffer* buf = xmlBufferCreate();
        xmlNodeDump(buf, doc_.get(), n, 0, 0);
        std::string html(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                         static_cast<size_t>(xmlBufferLength(buf)));
        xmlBufferFree(buf);
        out.push_back(HtmlToText(html));
      } else {
        xmlChar* c = xmlNodeGetContent(n);
        out.emplace_back(c == nullptr ? "" : reinterpret_cast<const char*>(c));
        xmlFree(c);
      }
    }
    return out;
  }

  // The href of each selected <a> (or the selected attribute values themselves).
  Result<std::vector<std::string>> Links(const std::string& xpath) {
    std::unique_ptr<xmlXPathObject, XPathObjFree> obj(
        xmlXPathEvalExpression(reinterpret_cast<const xmlChar*>(xpath.c_str()), ctx_.get()));
    if (!obj)
      return Status::InvalidArgument(
          fmt::format("config.links \"{}\" is not a valid XPath", xpath));
    std::vector<std::string> out;
    if (obj->type != XPATH_NODESET || obj->nodesetval == nullptr) return out;
    for (int i = 0; i < obj->nodesetval->nodeNr; ++i) {
      xmlNode* n = obj->nodesetval->nodeTab[i];
      xmlChar* v = n->type == XML_ELEMENT_NODE
                       ? xmlGetProp(n, reinterpret_cast<const xmlChar*>("href"))
                       : xmlNodeGetContent(n);
      if (v == nullptr) continue;
      out.emplace_back(reinterpret_cast<const char*>(v));
      xmlFree(v);
    }
    return out;
  }

  std::string WholeText() {
    xmlBuffer* buf = xmlBufferCreate();
    xmlNodeDump(buf, doc_.get(), xmlDocGetRootElement(doc_.get()), 0, 0);
    std::string html(reinterpret_cast<const char*>(xmlBufferContent(buf)),
                     static_cast<size_t>(xmlBufferLength(buf)));
    xmlBufferFree(buf);
    return HtmlToText(html);
  }

 private:
  std::unique_ptr<xmlDoc, DocFree> doc_;
  std::unique_ptr<xmlXPathContext, XPathCtxFree> ctx_;
};

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t')) s.pop_back();
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\n' || s[i] == '\t')) ++i;
  return s.substr(i);
}

std::string Joined(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    std::string t = Trim(p);
    if (t.empty()) continue;
    if (!out.empty()) out += '\n';
    out += t;
  }
  return out;
}

}  // namespace

Result<WebList> ParseListPage(std::string_view html, std::string_view url,
                              const WebSelectors& selectors) {
  YQ_ASSIGN_OR_RETURN(Page page, Page::Parse(html));
  YQ_ASSIGN_OR_RETURN(auto links, page.Links(selectors.links));
  WebList out;
  std::set<std::string> seen;
  for (const auto& l : links) {
    std::string t = Trim(l);
    if (t.empty() || t.starts_with("javascript:") || t.starts_with("#")) continue;
    std::string abs = ResolveUrl(t, url);
    if (seen.insert(abs).second) out.links.push_back(abs);
  }
  if (out.links.empty()) {
    return Status::InvalidArgument(
        fmt::format("config.links \"{}\" matches nothing", selectors.links));
  }
  if (!selectors.next.empty()) {
    YQ_ASSIGN_OR_RETURN(auto next, page.Links(selectors.next));
    if (!next.empty() && !Trim(next[0]).empty()) out.next = ResolveUrl(Trim(next[0]), url);
  }
  return out;
}

Result<WebArticle> ParseArticlePage(std::string_view html, std::string_view url,
                                    const WebSelectors& selectors) {
  YQ_ASSIGN_OR_RETURN(Page page, Page::Parse(html));
  WebArticle a;
  auto pick = [&](const std::string& xpath, std::string_view field,
                  std::string_view fallback) -> Result<std::string> {
    std::string chosen = xpath.empty() ? std::string(fallback) : xpath;
    if (chosen.empty()) return std::string();
    YQ_ASSIGN_OR_RETURN(auto values, page.Select(chosen, field));
    std::string v = Joined(values);
    if (v.empty() && !xpath.empty()) {
      a.problems.push_back(
          fmt::format("config.{} \"{}\" matches nothing on {}", field, xpath, url));
    }
    return v;
  };
  YQ_ASSIGN_OR_RETURN(a.title, pick(selectors.title, "title", "//h1"));
  if (a.title.empty()) {
    YQ_ASSIGN_OR_RETURN(auto t, page.Select("//title", "title"));
    a.title = Joined(t);
  }
  YQ_ASSIGN_OR_RETURN(a.text, pick(selectors.body, "body", ""));
  if (a.text.empty()) a.text = page.WholeText();
  YQ_ASSIGN_OR_RETURN(a.published, pick(selectors.time, "time", ""));
  YQ_ASSIGN_OR_RETURN(a.author, pick(selectors.author, "author", ""));
  return a;
}

}  // namespace yuqing::collect
