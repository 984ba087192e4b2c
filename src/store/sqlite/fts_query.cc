#include "store/sqlite/fts_query.h"

#include <fmt/format.h>

#include <cctype>

namespace yuqing::store::sqlite {
namespace {

using model::QueryNode;

std::string Hex(std::string_view prefix, std::string_view v) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(prefix);
  for (unsigned char c : v) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Quote(std::string_view term) {
  std::string out = "\"";
  for (char c : term) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Status Error(const QueryNode& n, std::string message) {
  return Status::InvalidArgument(fmt::format("column {}: {}", n.column, message));
}

// The FTS5 column filter for a field scope.
std::string_view Columns(const std::string& field) {
  if (field.empty()) return "{title body}";
  if (field == "sub") return "{title body sub}";
  if (field == "title") return "title";
  if (field == "text") return "body";
  if (field == "author") return "author";
  if (field == "source") return "source";
  if (field == "channel") return "channel";
  return "region";
}

// A phrase of the node's terms, for text-like fields; identifier fields use their encodings.
Result<std::string> Phrase(const QueryNode& n) {
  if (n.field == "source") return Quote(SourceTerm(n.text));
  if (n.field == "channel") {
    if (!model::ParseChannel(n.text)) {
      return Error(n, fmt::format("unknown channel \"{}\"; expected one of {}", n.text,
                                  model::ChannelNamesList()));
    }
    return Quote(ChannelTerm(n.text));
  }
  if (n.field == "region") {
    std::string p = RegionPrefix(n.text);
    if (p.empty()) {
      return Error(n,
                   fmt::format("region \"{}\" is not a GB/T 2260 code (2, 4 or 6 digits)", n.text));
    }
    return Quote("r" + p);
  }
  if (n.tokens.empty()) {
    return Error(n, fmt::format("\"{}\" contains nothing searchable", n.text));
  }
  std::string out = "\"";
  for (size_t i = 0; i < n.tokens.size(); ++i) {
    if (i) out += ' ';
    for (char c : n.tokens[i]) {
      if (c == '"') out += '"';
      out += c;
    }
  }
  out += '"';
  return out;
}

Result<std::string> Build(const QueryNode& n) {
  switch (n.kind) {
    case QueryNode::Kind::kTerm:
    case QueryNode::Kind::kPhrase: {
      YQ_ASSIGN_OR_RETURN(std::string p, Phrase(n));
      // A one-term word may also be a piece of a longer word (长治 in 长治市): the `sub`
      // column holds those, without positions, so only single terms look there.
      bool single = n.field.empty() && n.tokens.size() == 1;
      return fmt::format("{} : {}", Columns(single ? "sub" : n.field), p);
    }
    case QueryNode::Kind::kNear: {
      std::string inner;
      for (const auto& c : n.children) {
        YQ_ASSIGN_OR_RETURN(std::string p, Phrase(c));
        inner += p + " ";
      }
      return fmt::format("{} : NEAR({}, {})", Columns(n.field), inner, n.distance);
    }
    case QueryNode::Kind::kList:
      return Error(n, fmt::format("keyword list \"@{}\" is not defined", n.text));
    case QueryNode::Kind::kNot:
      return Error(n, "NOT needs something to subtract from: write \"a NOT b\" or \"a -b\"");
    case QueryNode::Kind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < n.children.size(); ++i) {
        const auto& c = n.children[i];
        if (c.kind == QueryNode::Kind::kNot) {
          return Error(c, "NOT inside OR would match almost everything; move it outside the OR");
        }
        YQ_ASSIGN_OR_RETURN(std::string s, Build(c));
        if (i) out += " OR ";
        out += s;
      }
      return out + ")";
    }
    case QueryNode::Kind::kAnd: {
      std::string pos, neg;
      for (const auto& c : n.children) {
        if (c.kind == QueryNode::Kind::kNot) {
          YQ_ASSIGN_OR_RETURN(std::string s, Build(c.children[0]));
          neg += (neg.empty() ? "" : " OR ") + s;
        } else {
          YQ_ASSIGN_OR_RETURN(std::string s, Build(c));
          pos += (pos.empty() ? "" : " AND ") + s;
        }
      }
      if (pos.empty()) {
        return Error(n, "every part of this group is negated; add a word that must appear");
      }
      if (neg.empty()) return "(" + pos + ")";
      return fmt::format("(({}) NOT ({}))", pos, neg);
    }
  }
  return Status::Internal("unknown query node");
}

}  // namespace

std::string SourceTerm(std::string_view source) { return Hex("s", source); }
std::string ChannelTerm(std::string_view channel) { return Hex("c", channel); }

std::string RegionPrefix(std::string_view code) {
  for (char c : code) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return "";
  }
  if (code.size() == 2 || code.size() == 4) return std::string(code);
  if (code.size() != 6) return "";
  if (code.substr(2) == "0000") return std::string(code.substr(0, 2));
  if (code.substr(4) == "00") return std::string(code.substr(0, 4));
  return std::string(code);
}

std::string RegionTerms(std::string_view code) {
  std::string p = RegionPrefix(code);
  std::string out;
  for (size_t len = 2; len <= p.size(); len += 2) {
    if (!out.empty()) out += ' ';
    out += "r" + p.substr(0, len);
  }
  return out;
}

Result<std::string> BuildFtsMatch(const SearchRequest& request) {
  if (!request.query) return std::string();
  const QueryNode& root = *request.query;
  if (root.kind == QueryNode::Kind::kNot) {
    return Error(root,
                 "a query of only NOT matches almost everything; add a word that must appear");
  }
  YQ_ASSIGN_OR_RETURN(std::string expr, Build(root));
  std::string out = "(" + expr + ")";
  if (!request.channels.empty()) {
    out += " AND channel : (";
    for (size_t i = 0; i < request.channels.size(); ++i) {
      out += (i ? " OR " : "") + Quote(ChannelTerm(model::ChannelName(request.channels[i])));
    }
    out += ")";
  }
  if (!request.sources.empty()) {
    out += " AND source : (";
    for (size_t i = 0; i < request.sources.size(); ++i) {
      out += (i ? " OR " : "") + Quote(SourceTerm(request.sources[i]));
    }
    out += ")";
  }
  if (!request.region.empty()) {
    std::string p = RegionPrefix(request.region);
    if (p.empty()) {
      return Status::InvalidArgument(
          fmt::format("region \"{}\" is not a GB/T 2260 code (2, 4 or 6 digits)", request.region));
    }
    out += " AND region : " + Quote("r" + p);
  }
  return out;
}

}  // namespace yuqing::store::sqlite
