#include "collect/css_select.h"

#include <fmt/format.h>

#include <charconv>

namespace yuqing::collect {
namespace {

bool IsNameChar(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c >= 0x80;
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// An XPath 1.0 string literal for any text (XPath has no escapes: concat() when the text holds
// both quote characters).
std::string Literal(std::string_view v) {
  if (v.find('\'') == std::string_view::npos) return fmt::format("'{}'", v);
  if (v.find('"') == std::string_view::npos) return fmt::format("\"{}\"", v);
  std::string out = "concat(";
  size_t start = 0;
  while (start < v.size()) {
    size_t q = v.find('\'', start);
    if (q == start) {
      out += "\"'\",";
      ++start;
      continue;
    }
    std::string_view part = v.substr(start, q == std::string_view::npos ? q : q - start);
    out += fmt::format("'{}',", part);
    start += part.size();
  }
  out.back() = ')';
  return out;
}

class Parser {
 public:
  explicit Parser(std::string_view css) : css_(css) {}

  Result<std::string> Run() {
    std::string out;
    SkipSpace();
    if (AtEnd()) return Error("the selector is empty");
    while (true) {
      YQ_ASSIGN_OR_RETURN(std::string path, Complex());
      if (!out.empty()) out += " | ";
      out += path;
      if (AtEnd()) return out;
      // Complex() stops only at the end or at a comma.
      ++pos_;
      SkipSpace();
      if (AtEnd() || css_[pos_] == ',') return Error("a selector is missing after \",\"");
    }
  }

 private:
  bool AtEnd() const { return pos_ >= css_.size(); }
  void SkipSpace() {
    while (!AtEnd() && IsSpace(css_[pos_])) ++pos_;
  }

  // 1-based column of a byte offset, in characters (UTF-8 lead bytes).
  size_t Column(size_t at) const {
    size_t col = 1;
    for (size_t i = 0; i < at && i < css_.size(); ++i) {
      if ((static_cast<unsigned char>(css_[i]) & 0xC0) != 0x80) ++col;
    }
    return col;
  }

  Status Error(std::string what) const { return ErrorAt(pos_, std::move(what)); }
  Status ErrorAt(size_t at, std::string what) const {
    return Status::InvalidArgument(
        fmt::format("CSS selector \"{}\": column {}: {}", css_, Column(at), what));
  }

  std::string Name() {
    size_t start = pos_;
    while (!AtEnd() && IsNameChar(static_cast<unsigned char>(css_[pos_]))) ++pos_;
    return std::string(css_.substr(start, pos_ - start));
  }

  // compound (combinator compound)*, up to a comma or the end.
  Result<std::string> Complex() {
    std::string out;
    std::string axis = "//";
    while (true) {
      YQ_ASSIGN_OR_RETURN(std::string step, Compound());
      out += axis + step;
      size_t before = pos_;
      SkipSpace();
      if (AtEnd() || css_[pos_] == ',') return out;
      char c = css_[pos_];
      if (c == '>') {
        axis = "/";
        ++pos_;
        SkipSpace();
      } else if (c == '+' || c == '~') {
        return Error(fmt::format("the {} combinator \"{}\" is not supported",
                                 c == '+' ? "next-sibling" : "subsequent-sibling", c));
      } else if (pos_ > before) {
        axis = "//";
      } else {
        return Error(fmt::format("\"{}\" was not expected here", c));
      }
      if (AtEnd()) return Error("a selector is missing after the combinator");
    }
  }

  // [type|*] then #id .class [attr…] :pseudo, at least one of them.
  Result<std::string> Compound() {
    std::string element = "*";
    std::string predicates;
    size_t start = pos_;
    if (!AtEnd() && css_[pos_] == '*') {
      ++pos_;
    } else if (!AtEnd() && IsNameChar(static_cast<unsigned char>(css_[pos_]))) {
      element = Lower(Name());
    }
    while (!AtEnd()) {
      char c = css_[pos_];
      if (c == '#' || c == '.') {
        size_t at = pos_++;
        std::string name = Name();
        if (name.empty()) {
          return ErrorAt(at, fmt::format("\"{}\" must be followed by a name", c));
        }
        predicates += c == '#'
                          ? fmt::format("[@id={}]", Literal(name))
                          : fmt::format("[contains(concat(' ',normalize-space(@class),' '),{})]",
                                        Literal(" " + name + " "));
      } else if (c == '[') {
        YQ_ASSIGN_OR_RETURN(std::string p, Attribute());
        predicates += p;
      } else if (c == ':') {
        YQ_ASSIGN_OR_RETURN(std::string p, Pseudo());
        predicates += p;
      } else {
        break;
      }
    }
    if (pos_ == start) {
      if (AtEnd()) return Error("a selector is missing");
      return Error(fmt::format("\"{}\" was not expected here", css_[pos_]));
    }
    return element + predicates;
  }

  Result<std::string> Attribute() {
    size_t open = pos_++;
    SkipSpace();
    size_t name_at = pos_;
    std::string name = Lower(Name());
    if (name.empty()) return ErrorAt(name_at, "an attribute name is expected after \"[\"");
    std::string attr = "@" + name;
    SkipSpace();
    if (AtEnd()) return ErrorAt(open, "\"[\" is not closed");
    if (css_[pos_] == ']') {
      ++pos_;
      return fmt::format("[{}]", attr);
    }
    size_t op_at = pos_;
    std::string op;
    if (css_[pos_] == '=') {
      op = "=";
      ++pos_;
    } else if (pos_ + 1 < css_.size() && css_[pos_ + 1] == '=') {
      op = std::string(css_.substr(pos_, 2));
      pos_ += 2;
    } else {
      return Error(fmt::format("\"{}\" was not expected in an attribute selector", css_[pos_]));
    }
    if (op != "=" && op != "~=" && op != "^=" && op != "$=" && op != "*=") {
      return ErrorAt(op_at, fmt::format("the attribute operator \"{}\" is not supported", op));
    }
    SkipSpace();
    if (AtEnd()) return ErrorAt(open, "\"[\" is not closed");
    std::string value;
    if (css_[pos_] == '"' || css_[pos_] == '\'') {
      char quote = css_[pos_];
      size_t q = pos_++;
      size_t end = css_.find(quote, pos_);
      if (end == std::string_view::npos) return ErrorAt(q, "the quoted value is not closed");
      value = std::string(css_.substr(pos_, end - pos_));
      if (value.find('\\') != std::string::npos) {
        return ErrorAt(q, "escapes (\"\\\") in values are not supported");
      }
      pos_ = end + 1;
    } else {
      value = Name();
      if (value.empty()) return Error("a value (a name or a quoted string) is expected");
    }
    SkipSpace();
    if (AtEnd() || css_[pos_] != ']') {
      return AtEnd() ? ErrorAt(open, "\"[\" is not closed")
                     : Error(fmt::format("\"]\" is expected, not \"{}\"", css_[pos_]));
    }
    ++pos_;
    std::string v = Literal(value);
    if (op == "=") return fmt::format("[{}={}]", attr, v);
    if (op == "~=") {
      return fmt::format("[contains(concat(' ',normalize-space({}),' '),{})]", attr,
                         Literal(" " + value + " "));
    }
    if (op == "^=") return fmt::format("[starts-with({},{})]", attr, v);
    if (op == "*=") return fmt::format("[contains({},{})]", attr, v);
    return fmt::format("[substring({0},string-length({0})-string-length({1})+1)={1}]", attr, v);
  }

  Result<std::string> Pseudo() {
    size_t at = pos_++;
    if (!AtEnd() && css_[pos_] == ':') {
      ++pos_;
      std::string element = Name();
      return ErrorAt(at, fmt::format("pseudo-elements (\"::{}\") are not supported", element));
    }
    std::string name = Lower(Name());
    if (name == "first-child") return std::string("[not(preceding-sibling::*)]");
    if (name == "last-child") return std::string("[not(following-sibling::*)]");
    if (name == "nth-child") {
      if (AtEnd() || css_[pos_] != '(') return Error("\":nth-child\" needs \"(N)\"");
      ++pos_;
      SkipSpace();
      size_t num_at = pos_;
      int n = 0;
      auto [p, ec] = std::from_chars(css_.data() + pos_, css_.data() + css_.size(), n);
      if (ec != std::errc() || n < 1) {
        return ErrorAt(num_at,
                       "\":nth-child\" takes a whole number from 1 (an+b, odd and even "
                       "are not supported)");
      }
      pos_ = static_cast<size_t>(p - css_.data());
      SkipSpace();
      if (AtEnd() || css_[pos_] != ')') {
        return ErrorAt(num_at,
                       "\":nth-child\" takes a whole number from 1 (an+b, odd and even "
                       "are not supported)");
      }
      ++pos_;
      return fmt::format("[count(preceding-sibling::*)={}]", n - 1);
    }
    if (name.empty()) return ErrorAt(at, "\":\" must be followed by a pseudo-class");
    return ErrorAt(at, fmt::format("the pseudo-class \":{}\" is not supported (:first-child, "
                                   ":last-child and :nth-child(N) are)",
                                   name));
  }

  std::string_view css_;
  size_t pos_ = 0;
};

}  // namespace

Result<std::string> CssToXPath(std::string_view css) { return Parser(css).Run(); }

}  // namespace yuqing::collect
