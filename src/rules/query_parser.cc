#include "rules/query_parser.h"

#include <fmt/format.h>

#include <charconv>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace yuqing::rules {
namespace {

using model::QueryNode;

enum class Tok {
  kWord,
  kPhrase,
  kLParen,
  kRParen,
  kComma,
  kAnd,
  kOr,
  kNot,
  kMinus,
  kField,
  kNear,
  kList,
  kEnd
};

struct Token {
  Tok kind;
  std::string text;  // word, phrase, field or list name
  int column;        // 1-based code point column
  int distance = 0;  // kNear
};

constexpr std::string_view kFields[] = {"title", "text", "author", "source", "channel", "region"};

bool IsField(std::string_view s) {
  for (auto f : kFields) {
    if (f == s) return true;
  }
  return false;
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kWord:
      return fmt::format("word \"{}\"", t.text);
    case Tok::kPhrase:
      return fmt::format("phrase \"{}\"", t.text);
    case Tok::kLParen:
      return "'('";
    case Tok::kRParen:
      return "')'";
    case Tok::kComma:
      return "','";
    case Tok::kAnd:
      return "AND";
    case Tok::kOr:
      return "OR";
    case Tok::kNot:
      return "NOT";
    case Tok::kMinus:
      return "'-'";
    case Tok::kField:
      return fmt::format("field \"{}:\"", t.text);
    case Tok::kNear:
      return "NEAR";
    case Tok::kList:
      return fmt::format("list \"@{}\"", t.text);
    case Tok::kEnd:
      return "end of query";
  }
  return "?";
}

Status ErrorAt(int column, std::string message) {
  return Status::InvalidArgument(fmt::format("column {}: {}", column, message));
}

// Maps full-width punctuation a Chinese input method produces to its ASCII meaning.
char32_t FoldPunct(char32_t c) {
  switch (c) {
    case U'（':
      return '(';
    case U'）':
      return ')';
    case U'“':
    case U'”':
    case U'＂':
      return '"';
    case U'：':
      return ':';
    case U'，':
      return ',';
    case U'＠':
      return '@';
    case U'－':
      return '-';
    case U'\u3000':
      return ' ';
    default:
      return c;
  }
}

bool IsQuerySpace(char32_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsBreak(char32_t c) { return IsQuerySpace(c) || c == '(' || c == ')' || c == '"' || c == ','; }

class Lexer {
 public:
  explicit Lexer(std::string_view q) {
    for (size_t pos = 0; pos < q.size();) {
      size_t start = pos;
      char32_t c = core::DecodeUtf8(q, pos);
      cps_.push_back(FoldPunct(c));
      raw_.emplace_back(q.substr(start, pos - start));
    }
  }

  size_t size() const { return cps_.size(); }

  Result<std::vector<Token>> Run() {
    std::vector<Token> out;
    size_t i = 0;
    while (i < cps_.size()) {
      char32_t c = cps_[i];
      int col = static_cast<int>(i) + 1;
      if (IsQuerySpace(c)) {
        ++i;
      } else if (c == '(') {
        out.push_back({Tok::kLParen, "", col});
        ++i;
      } else if (c == ')') {
        out.push_back({Tok::kRParen, "", col});
        ++i;
      } else if (c == ',') {
        out.push_back({Tok::kComma, "", col});
        ++i;
      } else if (c == '"') {
        size_t j = i + 1;
        std::string text;
        while (j < cps_.size() && cps_[j] != '"') text += raw_[j++];
        if (j == cps_.size()) {
          return ErrorAt(col, "unterminated phrase: the '\"' here has no closing '\"'");
        }
        out.push_back({Tok::kPhrase, text, col});
        i = j + 1;
      } else if (c == '-' && i + 1 < cps_.size() && cps_[i + 1] != '-' &&
                 (!IsBreak(cps_[i + 1]) || cps_[i + 1] == '"' || cps_[i + 1] == '(')) {
        out.push_back({Tok::kMinus, "", col});
        ++i;
      } else {
        size_t j = i;
        std::string word;
        while (j < cps_.size() && !IsBreak(cps_[j])) {
          if (cps_[j] == ':' && IsField(word)) break;
          word += raw_[j] == "：" ? ":" : raw_[j];
          ++j;
        }
        if (j < cps_.size() && cps_[j] == ':' && IsField(word)) {
          out.push_back({Tok::kField, word, col});
          i = j + 1;
          if (i >= cps_.size() || IsQuerySpace(cps_[i])) {
            return ErrorAt(col,
                           fmt::format("expected a word, phrase or '(' right after \"{}:\"", word));
          }
          continue;
        }
        i = j;
        if (word == "AND") {
          out.push_back({Tok::kAnd, "", col});
        } else if (word == "OR") {
          out.push_back({Tok::kOr, "", col});
        } else if (word == "NOT") {
          out.push_back({Tok::kNot, "", col});
        } else if (word == "NEAR" || word.starts_with("NEAR/")) {
          int n = 10;
          if (word.size() > 4) {
            std::string_view digits(word);
            digits.remove_prefix(5);
            auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
            if (ec != std::errc() || p != digits.data() + digits.size() || n < 1 || n > 100) {
              return ErrorAt(
                  col, fmt::format("expected NEAR/n with n from 1 to 100, found \"{}\"", word));
            }
          }
          out.push_back({Tok::kNear, "", col, n});
        } else if (word.starts_with("@")) {
          if (word.size() == 1) return ErrorAt(col, "expected a list name after '@'");
          out.push_back({Tok::kList, word.substr(1), col});
        } else {
          out.push_back({Tok::kWord, word, col});
        }
      }
    }
    out.push_back({Tok::kEnd, "", static_cast<int>(cps_.size()) + 1});
    return out;
  }

 private:
  std::vector<char32_t> cps_;
  std::vector<std::string> raw_;
};

class Parser {
 public:
  Parser(std::vector<Token> toks, const ParseLimits& limits)
      : toks_(std::move(toks)), limits_(limits) {}

  Result<QueryNode> Run() {
    if (toks_.front().kind == Tok::kEnd) return ErrorAt(1, "the query is empty");
    YQ_ASSIGN_OR_RETURN(QueryNode root, ParseOr(0));
    const Token& t = Peek();
    if (t.kind == Tok::kRParen) return ErrorAt(t.column, "found ')' with no matching '('");
    if (t.kind != Tok::kEnd) {
      return ErrorAt(t.column,
                     fmt::format("expected an operator or end of query, found {}", Describe(t)));
    }
    return root;
  }

 private:
  const Token& Peek() const { return toks_[pos_]; }
  const Token& Next() { return toks_[pos_++]; }

  static bool StartsOperand(Tok k) {
    return k == Tok::kWord || k == Tok::kPhrase || k == Tok::kLParen || k == Tok::kNot ||
           k == Tok::kMinus || k == Tok::kField || k == Tok::kNear || k == Tok::kList;
  }

  Status Expected(const char* what) const {
    const Token& t = Peek();
    return ErrorAt(t.column, fmt::format("expected {}, found {}", what, Describe(t)));
  }

  Result<QueryNode> ParseOr(int depth) {
    if (depth > limits_.max_depth) {
      return ErrorAt(Peek().column,
                     fmt::format("nesting deeper than {} levels", limits_.max_depth));
    }
    int col = Peek().column;
    YQ_ASSIGN_OR_RETURN(QueryNode first, ParseAnd(depth));
    if (Peek().kind != Tok::kOr) return first;
    QueryNode node;
    node.kind = QueryNode::Kind::kOr;
    node.column = col;
    node.children.push_back(std::move(first));
    while (Peek().kind == Tok::kOr) {
      Next();
      if (!StartsOperand(Peek().kind)) return Expected("a word, phrase or '(' after OR");
      YQ_ASSIGN_OR_RETURN(QueryNode next, ParseAnd(depth));
      node.children.push_back(std::move(next));
    }
    return node;
  }

  Result<QueryNode> ParseAnd(int depth) {
    int col = Peek().column;
    if (!StartsOperand(Peek().kind)) return Expected("a word, phrase or '('");
    YQ_ASSIGN_OR_RETURN(QueryNode first, ParseUnary(depth));
    std::vector<QueryNode> items;
    items.push_back(std::move(first));
    while (true) {
      if (Peek().kind == Tok::kAnd) {
        Next();
        if (!StartsOperand(Peek().kind)) return Expected("a word, phrase or '(' after AND");
      } else if (!StartsOperand(Peek().kind)) {
        break;
      }
      YQ_ASSIGN_OR_RETURN(QueryNode next, ParseUnary(depth));
      items.push_back(std::move(next));
    }
    if (items.size() == 1) return std::move(items.front());
    QueryNode node;
    node.kind = QueryNode::Kind::kAnd;
    node.column = col;
    node.children = std::move(items);
    return node;
  }

  Result<QueryNode> ParseUnary(int depth) {
    const Token& t = Peek();
    if (t.kind == Tok::kNot || t.kind == Tok::kMinus) {
      Next();
      if (depth + 1 > limits_.max_depth) {
        return ErrorAt(t.column, fmt::format("nesting deeper than {} levels", limits_.max_depth));
      }
      if (!StartsOperand(Peek().kind) || Peek().kind == Tok::kNot || Peek().kind == Tok::kMinus) {
        return Expected(t.kind == Tok::kNot ? "a word, phrase or '(' after NOT"
                                            : "a word, phrase or '(' after '-'");
      }
      QueryNode node;
      node.kind = QueryNode::Kind::kNot;
      node.column = t.column;
      YQ_ASSIGN_OR_RETURN(QueryNode child, ParseUnary(depth + 1));
      node.children.push_back(std::move(child));
      return node;
    }
    return ParsePrimary(depth);
  }

  Status CountTerm(int column) {
    if (++terms_ > limits_.max_terms) {
      return ErrorAt(column, fmt::format("more than {} terms", limits_.max_terms));
    }
    return Status::Ok();
  }

  Result<QueryNode> ParsePrimary(int depth) {
    const Token t = Next();
    switch (t.kind) {
      case Tok::kWord: {
        YQ_RETURN_IF_ERROR(CountTerm(t.column));
        QueryNode n;
        n.kind = QueryNode::Kind::kTerm;
        n.text = t.text;
        n.column = t.column;
        return n;
      }
      case Tok::kPhrase: {
        YQ_RETURN_IF_ERROR(CountTerm(t.column));
        if (t.text.find_first_not_of(" \t") == std::string::npos) {
          return ErrorAt(t.column, "the phrase is empty");
        }
        QueryNode n;
        n.kind = QueryNode::Kind::kPhrase;
        n.text = t.text;
        n.column = t.column;
        return n;
      }
      case Tok::kList: {
        QueryNode n;
        n.kind = QueryNode::Kind::kList;
        n.text = t.text;
        n.column = t.column;
        return n;
      }
      case Tok::kLParen: {
        if (Peek().kind == Tok::kRParen) return ErrorAt(t.column, "empty group '()'");
        YQ_ASSIGN_OR_RETURN(QueryNode inner, ParseOr(depth + 1));
        if (Peek().kind != Tok::kRParen) {
          const Token& f = Peek();
          return ErrorAt(f.column,
                         fmt::format("expected ')' to close the '(' at column {}, found {}",
                                     t.column, Describe(f)));
        }
        Next();
        return inner;
      }
      case Tok::kField: {
        if (Peek().kind == Tok::kNot || Peek().kind == Tok::kMinus) {
          return Expected("a word, phrase or '(' after the field (put NOT before the field)");
        }
        YQ_ASSIGN_OR_RETURN(QueryNode inner, ParsePrimary(depth + 1));
        YQ_RETURN_IF_ERROR(ApplyField(inner, t.text, t.column));
        return inner;
      }
      case Tok::kNear:
        return ParseNear(t);
      default: {
        --pos_;
        if (t.kind == Tok::kRParen) return ErrorAt(t.column, "found ')' with no matching '('");
        return Expected("a word, phrase or '('");
      }
    }
  }

  Result<QueryNode> ParseNear(const Token& near) {
    if (Peek().kind != Tok::kLParen) return Expected("'(' after NEAR");
    Next();
    QueryNode n;
    n.kind = QueryNode::Kind::kNear;
    n.distance = near.distance;
    n.column = near.column;
    while (true) {
      const Token& t = Peek();
      if (t.kind != Tok::kWord && t.kind != Tok::kPhrase) {
        return Expected("a word or phrase inside NEAR(…)");
      }
      YQ_RETURN_IF_ERROR(CountTerm(t.column));
      QueryNode leaf;
      leaf.kind = t.kind == Tok::kWord ? QueryNode::Kind::kTerm : QueryNode::Kind::kPhrase;
      leaf.text = t.text;
      leaf.column = t.column;
      n.children.push_back(std::move(leaf));
      Next();
      if (Peek().kind == Tok::kComma) {
        Next();
        continue;
      }
      if (Peek().kind == Tok::kRParen) {
        Next();
        break;
      }
      return Expected("',' or ')' in NEAR(…)");
    }
    if (n.children.size() < 2) {
      return ErrorAt(near.column, "NEAR needs at least two words: NEAR/5(a, b)");
    }
    return n;
  }

  static Status ApplyField(QueryNode& node, const std::string& field, int column) {
    if (!node.field.empty() && node.field != field) {
      return ErrorAt(node.column, fmt::format("field \"{}:\" inside field \"{}:\" (column {})",
                                              node.field, field, column));
    }
    node.field = field;
    for (auto& c : node.children) YQ_RETURN_IF_ERROR(ApplyField(c, field, column));
    return Status::Ok();
  }

  std::vector<Token> toks_;
  const ParseLimits& limits_;
  size_t pos_ = 0;
  int terms_ = 0;
};

void Render(const QueryNode& n, std::string& out) {
  std::string prefix = n.field.empty() ? "" : n.field + ":";
  switch (n.kind) {
    case QueryNode::Kind::kTerm:
      out += prefix + n.text;
      break;
    case QueryNode::Kind::kPhrase:
      out += prefix + "\"" + n.text + "\"";
      break;
    case QueryNode::Kind::kList:
      out += prefix + "@" + n.text;
      break;
    case QueryNode::Kind::kNot:
      out += "NOT ";
      Render(n.children[0], out);
      break;
    case QueryNode::Kind::kNear: {
      out += prefix + fmt::format("NEAR/{}(", n.distance);
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += ", ";
        QueryNode c = n.children[i];
        c.field.clear();
        Render(c, out);
      }
      out += ")";
      break;
    }
    case QueryNode::Kind::kAnd:
    case QueryNode::Kind::kOr: {
      out += "(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        if (i) out += n.kind == QueryNode::Kind::kAnd ? " AND " : " OR ";
        Render(n.children[i], out);
      }
      out += ")";
      break;
    }
  }
}

}  // namespace

Result<QueryNode> ParseQuery(std::string_view query, const ParseLimits& limits) {
  if (!core::IsValidUtf8(query)) {
    return ErrorAt(
        1, fmt::format("the query is not valid UTF-8 (byte {})", core::FindInvalidUtf8(query)));
  }
  Lexer lexer(query);
  if (lexer.size() > limits.max_code_points) {
    return Status::InvalidArgument(fmt::format("the query is {} characters long; the limit is {}",
                                               lexer.size(), limits.max_code_points));
  }
  YQ_ASSIGN_OR_RETURN(std::vector<Token> toks, lexer.Run());
  Parser parser(std::move(toks), limits);
  return parser.Run();
}

std::string ToString(const QueryNode& node) {
  std::string out;
  Render(node, out);
  return out;
}

}  // namespace yuqing::rules
