#include "rules/rule_check.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include "core/utf8.h"
#include "rules/query_parser.h"

namespace yuqing::rules {
namespace {

using model::QueryNode;

// Two-character function words that occur in most Chinese posts, and Latin fragments of every
// link. A term equal to one of these would match almost everything. Single characters are
// refused by length (RuleLimits::min_term_chars) already.
const std::set<std::string, std::less<>>& CommonWords() {
  static const auto* const kWords = new std::set<std::string, std::less<>>{
      "我们", "你们", "他们", "她们",  "它们", "自己", "什么", "这个", "那个", "一个",
      "没有", "不是", "就是", "可以",  "因为", "所以", "但是", "如果", "还是", "这样",
      "那样", "这些", "那些", "已经",  "现在", "时候", "知道", "觉得", "大家", "真的",
      "然后", "而且", "还有", "怎么",  "一下", "一些", "这么", "那么", "可能", "应该",
      "the",  "and",  "http", "https", "www",  "com",  "cn"};
  return *kWords;
}

Status ColumnError(int column, std::string_view message) {
  return Status::InvalidArgument(fmt::format("column {}: {}", column, message));
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

Result<Scope> ScopeOf(const std::string& field, int column) {
  if (field.empty()) return Scope::kTitleOrText;
  if (field == "title") return Scope::kTitle;
  if (field == "text") return Scope::kText;
  if (field == "author") return Scope::kAuthor;
  if (field == "source") return Scope::kSource;
  if (field == "channel") return Scope::kChannel;
  if (field == "region") return Scope::kRegion;
  return ColumnError(column, fmt::format("unknown field \"{}:\"", field));
}

class Preparer {
 public:
  Preparer(int64_t id, const PrepareOptions& options) : options_(options) { rule_.id = id; }

  Result<PreparedRule> Run(const QueryNode& query) {
    YQ_ASSIGN_OR_RETURN(rule_.root, Convert(query));
    if (rule_.terms.size() > options_.limits.max_terms) {
      return Status::InvalidArgument(
          fmt::format("the rule has {} terms after expanding keyword lists; the limit is {}",
                      rule_.terms.size(), options_.limits.max_terms));
    }
    if (MatchesEmptyPost(rule_.root)) {
      const RuleExpr& culprit = FindNegation(rule_.root);
      return ColumnError(culprit.column,
                         "NOT here is not combined with a required term, so the rule would match "
                         "almost every post; write e.g. \"化工 AND NOT 演习\"");
    }
    return std::move(rule_);
  }

 private:
  // For an `e` that matches a post without any term, the NOT responsible.
  static const RuleExpr& FindNegation(const RuleExpr& e) {
    if (e.kind == RuleExpr::Kind::kNot) return e;
    for (const RuleExpr& c : e.children) {
      if (MatchesEmptyPost(c)) return FindNegation(c);
    }
    return e;
  }

  Result<RuleExpr> Convert(const QueryNode& n) {
    RuleExpr e;
    e.column = n.column;
    switch (n.kind) {
      case QueryNode::Kind::kTerm:
      case QueryNode::Kind::kPhrase: {
        YQ_ASSIGN_OR_RETURN(Scope scope, ScopeOf(n.field, n.column));
        YQ_ASSIGN_OR_RETURN(e.term, AddTerm(scope, n.text, n.column, ""));
        return e;
      }
      case QueryNode::Kind::kList:
        return ConvertList(n);
      case QueryNode::Kind::kAnd:
      case QueryNode::Kind::kOr:
      case QueryNode::Kind::kNot: {
        e.kind = n.kind == QueryNode::Kind::kAnd  ? RuleExpr::Kind::kAnd
                 : n.kind == QueryNode::Kind::kOr ? RuleExpr::Kind::kOr
                                                  : RuleExpr::Kind::kNot;
        if (n.children.empty() || (e.kind == RuleExpr::Kind::kNot && n.children.size() != 1)) {
          return ColumnError(n.column, "empty group");
        }
        for (const QueryNode& c : n.children) {
          YQ_ASSIGN_OR_RETURN(RuleExpr child, Convert(c));
          e.children.push_back(std::move(child));
        }
        return e;
      }
      case QueryNode::Kind::kNear: {
        e.kind = RuleExpr::Kind::kNear;
        e.distance = n.distance;
        YQ_ASSIGN_OR_RETURN(Scope scope, ScopeOf(n.field, n.column));
        if (scope == Scope::kRegion)
          return ColumnError(n.column, "NEAR cannot be used with region:");
        if (n.children.size() < 2) {
          return ColumnError(n.column, "NEAR needs at least two words: NEAR/5(a, b)");
        }
        for (const QueryNode& c : n.children) {
          if (c.kind != QueryNode::Kind::kTerm && c.kind != QueryNode::Kind::kPhrase) {
            return ColumnError(c.column, "NEAR(…) takes only words and phrases");
          }
          RuleExpr leaf;
          leaf.column = c.column;
          YQ_ASSIGN_OR_RETURN(leaf.term, AddTerm(scope, c.text, c.column, ""));
          e.children.push_back(std::move(leaf));
        }
        return e;
      }
    }
    return ColumnError(n.column, "unsupported query node");
  }

  Result<RuleExpr> ConvertList(const QueryNode& n) {
    YQ_ASSIGN_OR_RETURN(Scope scope, ScopeOf(n.field, n.column));
    if (!options_.lists) {
      return ColumnError(n.column,
                         fmt::format("keyword lists are not available here (\"@{}\")", n.text));
    }
    if (!std::binary_search(rule_.lists.begin(), rule_.lists.end(), n.text)) {
      rule_.lists.insert(std::upper_bound(rule_.lists.begin(), rule_.lists.end(), n.text), n.text);
    }
    Result<std::vector<std::string>> words = options_.lists(n.text);
    if (!words.ok()) return ColumnError(n.column, words.status().message());
    RuleExpr e;
    e.kind = RuleExpr::Kind::kOr;
    e.column = n.column;
    for (const std::string& w : *words) {
      std::string_view word = Trim(w);
      if (word.empty()) continue;
      RuleExpr leaf;
      leaf.column = n.column;
      YQ_ASSIGN_OR_RETURN(leaf.term, AddTerm(scope, word, n.column, n.text));
      e.children.push_back(std::move(leaf));
    }
    if (e.children.empty()) {
      return ColumnError(
          n.column,
          fmt::format("keyword list \"@{}\" is empty; a rule cannot use an empty list", n.text));
    }
    if (e.children.size() == 1) return std::move(e.children.front());
    return e;
  }

  // Adds (or finds) the term and returns its index. `list` names the keyword list it came from.
  Result<uint32_t> AddTerm(Scope scope, std::string_view written, int column,
                           std::string_view list) {
    std::string where = list.empty() ? "" : fmt::format("keyword list \"@{}\": ", list);
    RuleTerm term;
    term.scope = scope;
    term.written = std::string(written);
    term.column = column;
    if (scope == Scope::kRegion) {
      YQ_ASSIGN_OR_RETURN(term.literal, ResolveRegion(Trim(written), column, where));
    } else {
      options_.normalizer->NormalizeLiteral(written, term.literal);
      if (term.literal.empty()) {
        return ColumnError(
            column, fmt::format("{}the term \"{}\" is empty after normalization", where, written));
      }
      size_t chars = core::CountCodePoints(term.literal);
      if (chars < options_.limits.min_term_chars) {
        return ColumnError(
            column, fmt::format("{}the term \"{}\" is too short ({} character{}; at least {}): "
                                "it would match almost every post",
                                where, written, chars, chars == 1 ? "" : "s",
                                options_.limits.min_term_chars));
      }
      if (CommonWords().contains(term.literal)) {
        return ColumnError(column,
                           fmt::format("{}the term \"{}\" is one of the most common words: it "
                                       "would match almost every post",
                                       where, written));
      }
    }
    auto key = std::make_pair(scope, term.literal);
    auto [it, inserted] = index_.emplace(key, static_cast<uint32_t>(rule_.terms.size()));
    if (inserted) rule_.terms.push_back(std::move(term));
    return it->second;
  }

  Result<std::string> ResolveRegion(std::string_view written, int column,
                                    const std::string& where) {
    std::string code(written);
    if (!AllDigits(written)) {
      if (!options_.regions) {
        return ColumnError(column, fmt::format("{}region \"{}\" is not a GB/T 2260 code and region "
                                               "names are not available; write the code, e.g. "
                                               "region:1404",
                                               where, written));
      }
      Result<std::string> resolved = options_.regions(written);
      if (!resolved.ok()) return ColumnError(column, where + resolved.status().message());
      code = *resolved;
    }
    Result<std::string> prefix = RegionPrefix(code);
    if (!prefix.ok()) return ColumnError(column, where + prefix.status().message());
    return *prefix;
  }

  const PrepareOptions& options_;
  PreparedRule rule_;
  std::map<std::pair<Scope, std::string>, uint32_t> index_;
};

}  // namespace

bool MatchesEmptyPost(const RuleExpr& e) {
  switch (e.kind) {
    case RuleExpr::Kind::kTerm:
    case RuleExpr::Kind::kNear:
      return false;
    case RuleExpr::Kind::kNot:
      return !MatchesEmptyPost(e.children[0]);
    case RuleExpr::Kind::kAnd:
      return std::all_of(e.children.begin(), e.children.end(), MatchesEmptyPost);
    case RuleExpr::Kind::kOr:
      return std::any_of(e.children.begin(), e.children.end(), MatchesEmptyPost);
  }
  return false;
}

std::string_view ScopeName(Scope scope) {
  switch (scope) {
    case Scope::kTitleOrText:
      return "";
    case Scope::kTitle:
      return "title";
    case Scope::kText:
      return "text";
    case Scope::kAuthor:
      return "author";
    case Scope::kSource:
      return "source";
    case Scope::kChannel:
      return "channel";
    case Scope::kRegion:
      return "region";
  }
  return "";
}

ListResolver MapListResolver(std::map<std::string, std::vector<std::string>, std::less<>> lists) {
  auto shared =
      std::make_shared<const std::map<std::string, std::vector<std::string>, std::less<>>>(
          std::move(lists));
  return [shared](std::string_view name) -> Result<std::vector<std::string>> {
    auto it = shared->find(name);
    if (it == shared->end()) {
      return Status::NotFound(fmt::format("unknown keyword list \"@{}\"", name));
    }
    return it->second;
  };
}

Result<std::string> RegionPrefix(std::string_view code) {
  size_t n = code.size();
  if (!AllDigits(code) || (n != 2 && n != 4 && n != 6 && n != 9 && n != 12)) {
    return Status::InvalidArgument(
        fmt::format("region \"{}\" is not a GB/T 2260 code (2, 4, 6, 9 or 12 digits)", code));
  }
  std::string s(code);
  while ((s.size() == 12 || s.size() == 9) && s.ends_with("000")) s.resize(s.size() - 3);
  while ((s.size() == 6 || s.size() == 4) && s.ends_with("00")) s.resize(s.size() - 2);
  if (s == "00" || s.empty()) {
    return Status::InvalidArgument(fmt::format("region \"{}\" is not a GB/T 2260 code", code));
  }
  return s;
}

Result<PreparedRule> PrepareRule(int64_t id, const model::QueryNode& query,
                                 const PrepareOptions& options) {
  YQ_CHECK(options.normalizer != nullptr);
  Preparer preparer(id, options);
  return preparer.Run(query);
}

Result<PreparedRule> CheckRule(int64_t id, std::string_view query, const PrepareOptions& options) {
  YQ_ASSIGN_OR_RETURN(model::QueryNode parsed, ParseQuery(query));
  return PrepareRule(id, parsed, options);
}

}  // namespace yuqing::rules
