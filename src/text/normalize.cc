#include "text/normalize.h"

#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <opencc/Lexicon.hpp>
#include <opencc/MarisaDict.hpp>
#include <opencc/SimpleConverter.hpp>

#include "core/utf8.h"
#include "text/jieba_data.h"

namespace yuqing::text {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;

using core::IsAsciiAlnum;

// Unicode White_Space (the set Python's str.isspace() uses, minus the C0 separators).
bool IsWhite(char32_t c) {
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F ||
         c == 0x3000;
}

// Characters dropped: other C0/C1 controls, DEL, zero-width space / non-joiner, word joiner,
// BOM. The zero-width joiner stays (emoji sequences need it).
bool IsDropped(char32_t c) {
  return (c < 0x20 && !IsWhite(c)) || c == 0x7F || (c >= 0x80 && c < 0xA0 && c != 0x85) ||
         c == 0x200B || c == 0x200C || c == 0x2060 || c == 0xFEFF;
}

bool IsBlockTag(std::string_view name) {
  static constexpr std::string_view kBlock[] = {
      "br",         "p",       "div",     "li",     "ul",     "ol", "tr", "td",    "th",
      "table",      "h1",      "h2",      "h3",     "h4",     "h5", "h6", "hr",    "pre",
      "blockquote", "section", "article", "header", "footer", "dd", "dt", "title", "img"};
  for (auto b : kBlock) {
    if (name == b) return true;
  }
  return false;
}

char32_t NamedEntity(std::string_view name) {
  struct Named {
    std::string_view name;
    char32_t cp;
  };
  static constexpr Named kNamed[] = {
      {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
      {"apos", '\''},     {"nbsp", 0xA0},     {"ensp", 0x2002},  {"emsp", 0x2003},
      {"thinsp", 0x2009}, {"mdash", 0x2014},  {"ndash", 0x2013}, {"hellip", 0x2026},
      {"ldquo", 0x201C},  {"rdquo", 0x201D},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
      {"middot", 0xB7},   {"bull", 0x2022},   {"times", 0xD7},   {"divide", 0xF7},
      {"copy", 0xA9},     {"reg", 0xAE},      {"trade", 0x2122}, {"yen", 0xA5},
      {"deg", 0xB0},      {"plusmn", 0xB1},   {"laquo", 0xAB},   {"raquo", 0xBB},
      {"para", 0xB6},     {"sect", 0xA7},     {"cent", 0xA2},    {"pound", 0xA3},
      {"euro", 0x20AC},   {"larr", 0x2190},   {"rarr", 0x2192},  {"uarr", 0x2191},
      {"darr", 0x2193},   {"permil", 0x2030}, {"prime", 0x2032}, {"zwj", 0x200D},
      {"zwnj", 0x200C},
  };
  for (const auto& n : kNamed) {
    if (n.name == name) return n.cp;
  }
  return 0;
}

// Decodes the entity at s[pos] == '&'. Returns the code point and sets `len`, or 0.
char32_t DecodeEntity(std::string_view s, size_t pos, size_t& len) {
  size_t semi = s.find(';', pos + 1);
  if (semi == std::string_view::npos || semi - pos > 12 || semi == pos + 1) return 0;
  std::string_view body = s.substr(pos + 1, semi - pos - 1);
  char32_t cp = 0;
  if (body[0] == '#') {
    bool hex = body.size() > 1 && (body[1] == 'x' || body[1] == 'X');
    std::string_view digits = body.substr(hex ? 2 : 1);
    if (digits.empty()) return 0;
    uint64_t v = 0;
    for (char c : digits) {
      int d = -1;
      if (c >= '0' && c <= '9') d = c - '0';
      if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
      if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
      if (d < 0) return 0;
      v = v * (hex ? 16 : 10) + static_cast<uint64_t>(d);
      if (v > kMaxCodePoint) v = kMaxCodePoint + 1;
    }
    cp = static_cast<char32_t>(v);
    if (cp == 0 || cp > kMaxCodePoint || (cp >= 0xD800 && cp <= 0xDFFF))
      cp = core::kReplacementChar;
  } else {
    cp = NamedEntity(body);
    if (cp == 0) return 0;
  }
  len = semi - pos + 1;
  return cp;
}

// Removes tags (and the content of <script>/<style>, and comments) and decodes entities. A
// block-level tag becomes a space so that words on either side do not run together.
std::string StripHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '<' && i + 1 < s.size() &&
        (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' ||
         s[i + 1] == '!')) {
      if (s.substr(i, 4) == "<!--") {
        size_t end = s.find("-->", i + 4);
        if (end == std::string_view::npos) break;  // an unterminated comment hides the rest
        i = end + 3;
        continue;
      }
      size_t end = s.find('>', i + 1);
      if (end == std::string_view::npos) {
        out.push_back(c);
        ++i;
        continue;
      }
      size_t name_start = i + 1 + (s[i + 1] == '/' ? 1 : 0);
      size_t name_end = name_start;
      while (name_end < end && std::isalnum(static_cast<unsigned char>(s[name_end]))) ++name_end;
      std::string name(s.substr(name_start, name_end - name_start));
      for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      i = end + 1;
      if ((name == "script" || name == "style") && s[i - 2] != '/' && s[name_start - 1] != '/') {
        // Skip to the matching close tag (case-insensitive).
        std::string close = "</" + name;
        size_t j = i;
        size_t found = std::string_view::npos;
        while (j + close.size() <= s.size()) {
          bool match = true;
          for (size_t k = 0; k < close.size() && match; ++k) {
            match = std::tolower(static_cast<unsigned char>(s[j + k])) == close[k];
          }
          if (match) {
            found = j;
            break;
          }
          ++j;
        }
        if (found == std::string_view::npos) break;
        size_t gt = s.find('>', found);
        i = gt == std::string_view::npos ? s.size() : gt + 1;
        continue;
      }
      if (IsBlockTag(name)) out.push_back(' ');
      continue;
    }
    if (c == '&') {
      size_t len = 0;
      char32_t cp = DecodeEntity(s, i, len);
      if (cp != 0) {
        core::AppendUtf8(cp, out);
        i += len;
        continue;
      }
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

bool LooksLikeHtml(std::string_view s) {
  for (size_t i = 0; i + 1 < s.size(); ++i) {
    if (s[i] == '&') return true;
    if (s[i] == '<' && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '/' ||
                        s[i + 1] == '!')) {
      return true;
    }
  }
  return false;
}

// Folds widths, drops invisible characters and collapses whitespace (valid UTF-8 in).
std::string FoldAndCollapse(std::string_view s, const NormalizerOptions& o) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  bool pending_newline = false;
  size_t pos = 0;
  while (pos < s.size()) {
    auto b = static_cast<unsigned char>(s[pos]);
    char32_t c;
    size_t start = pos;
    if (b < 0x80) {
      c = b;
      ++pos;
    } else {
      c = core::DecodeUtf8(s, pos);
    }
    if (o.fold_width) {
      if (c >= 0xFF01 && c <= 0xFF5E) c -= 0xFEE0;
      if (c == 0x3000) c = ' ';
    }
    if (o.collapse_whitespace) {
      if (IsWhite(c)) {
        pending_space = true;
        if (c == '\n' || c == 0x2028 || c == 0x2029 || c == 0x85) pending_newline = true;
        continue;
      }
      if (IsDropped(c)) continue;
      if (pending_space && !out.empty()) out.push_back(pending_newline ? '\n' : ' ');
      pending_space = pending_newline = false;
    }
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));  // ASCII, or folded to ASCII
    } else {
      out.append(s.data() + start, pos - start);
    }
  }
  return out;
}

// One changing entry of an OpenCC dictionary, as code points.
struct Change {
  std::u32string key;
  std::u32string value;
};

Status ReadChanges(const std::string& file, std::vector<Change>& out) {
  FILE* fp = std::fopen(file.c_str(), "rb");
  if (fp == nullptr) return Status::NotFound("cannot open OpenCC dictionary " + file);
  opencc::MarisaDictPtr dict;
  try {
    dict = opencc::MarisaDict::NewFromFile(fp);
  } catch (const std::exception& e) {
    std::fclose(fp);
    return Status::Unavailable("cannot read OpenCC dictionary " + file + ": " + e.what());
  }
  std::fclose(fp);
  for (const auto& entry : *dict->GetLexicon()) {
    std::string key = entry->Key();
    std::string value = entry->GetDefault();
    if (key == value) continue;
    Change c;
    for (size_t p = 0; p < key.size();) c.key.push_back(core::DecodeUtf8(key, p));
    for (size_t p = 0; p < value.size();) c.value.push_back(core::DecodeUtf8(value, p));
    out.push_back(std::move(c));
  }
  return Status::Ok();
}

// The trigger set: a text holding none of these code points is returned unchanged by t2s.
// Every dictionary entry that changes text must be able to match only texts holding a trigger:
//  - a one-character entry that changes its character: that character (T1);
//  - a phrase entry: it matches only where the text holds its whole key, so if the key has a
//    T1 character it is covered already; otherwise its changed characters are added (all of
//    them when key and value differ in length). Phrases such as 么麽 → 幺麽 are covered by 麽,
//    so 么 (in every 什么) does not send a text to OpenCC.
size_t BuildTriggers(const std::vector<Change>& changes, std::vector<uint64_t>& bits) {
  size_t count = 0;
  auto has = [&](char32_t c) { return c <= kMaxCodePoint && ((bits[c / 64] >> (c % 64)) & 1); };
  auto set = [&](char32_t c) {
    if (c > kMaxCodePoint || has(c)) return;
    bits[c / 64] |= uint64_t{1} << (c % 64);
    ++count;
  };
  for (const Change& c : changes) {
    if (c.key.size() == 1) set(c.key[0]);
  }
  std::vector<char32_t> add;
  for (const Change& c : changes) {
    if (c.key.size() == 1) continue;
    bool covered = false;
    for (char32_t k : c.key) covered = covered || has(k);
    if (covered) continue;
    if (c.key.size() == c.value.size()) {
      for (size_t i = 0; i < c.key.size(); ++i) {
        if (c.key[i] != c.value[i]) add.push_back(c.key[i]);
      }
    } else {
      add.insert(add.end(), c.key.begin(), c.key.end());
    }
  }
  // Added after the pass so that "covered" only ever means "holds a T1 character".
  for (char32_t c : add) set(c);
  return count;
}

// The .ocd2 files a config names ("file": "X.ocd2"); empty if it names any other kind.
std::vector<std::string> OcdFiles(const std::string& config_text, bool& only_ocd2) {
  std::vector<std::string> files;
  only_ocd2 = true;
  size_t pos = 0;
  while ((pos = config_text.find("\"file\"", pos)) != std::string::npos) {
    size_t q1 = config_text.find('"', config_text.find(':', pos) + 1);
    size_t q2 = q1 == std::string::npos ? q1 : config_text.find('"', q1 + 1);
    if (q2 == std::string::npos) break;
    std::string f = config_text.substr(q1 + 1, q2 - q1 - 1);
    if (f.size() > 5 && f.compare(f.size() - 5, 5, ".ocd2") == 0) {
      files.push_back(f);
    } else {
      only_ocd2 = false;
    }
    pos = q2 + 1;
  }
  return files;
}

}  // namespace

std::string_view EntityKindName(EntityKind kind) {
  switch (kind) {
    case EntityKind::kUrl:
      return "url";
    case EntityKind::kMention:
      return "mention";
    case EntityKind::kTopic:
      return "topic";
    case EntityKind::kEmoticon:
      return "emoticon";
  }
  return "unknown";
}

Normalizer::Normalizer(const NormalizerOptions& options,
                       std::unique_ptr<opencc::SimpleConverter> converter)
    : options_(options), converter_(std::move(converter)) {}

Normalizer::~Normalizer() = default;

Result<std::shared_ptr<const Normalizer>> Normalizer::Create(const NormalizerOptions& options) {
  NormalizerOptions o = options;
  std::unique_ptr<opencc::SimpleConverter> converter;
  if (o.t2s) {
    if (o.opencc_config.empty()) {
      const char* env = std::getenv("YQ_OPENCC_T2S");
      o.opencc_config = env != nullptr && *env != '\0' ? env : "/usr/share/opencc/t2s.json";
    }
    try {
      converter = std::make_unique<opencc::SimpleConverter>(o.opencc_config);
    } catch (const std::exception& e) {
      return Status::NotFound("cannot load OpenCC config " + o.opencc_config + ": " + e.what());
    }
  }
  auto n = std::make_shared<Normalizer>(o, std::move(converter));
  if (o.t2s && o.t2s_fast_path) {
    YQ_ASSIGN_OR_RETURN(std::string config, internal::ReadWholeFile(o.opencc_config));
    bool only_ocd2 = false;
    auto files = OcdFiles(config, only_ocd2);
    if (only_ocd2 && !files.empty()) {
      n->trigger_.assign((kMaxCodePoint + 1) / 64 + 1, 0);
      auto dir = std::filesystem::path(o.opencc_config).parent_path();
      std::vector<Change> changes;
      for (const auto& f : files) YQ_RETURN_IF_ERROR(ReadChanges((dir / f).string(), changes));
      n->trigger_count_ = BuildTriggers(changes, n->trigger_);
      n->use_trigger_ = true;
    }
  }
  return std::shared_ptr<const Normalizer>(std::move(n));
}

bool Normalizer::MayConvert(std::string_view text) const {
  if (!use_trigger_) {
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) return true;
    }
    return false;
  }
  size_t pos = 0;
  while (pos < text.size()) {
    if (static_cast<unsigned char>(text[pos]) < 0x80) {
      ++pos;
      continue;
    }
    char32_t c = core::DecodeUtf8(text, pos);
    if ((trigger_[c / 64] >> (c % 64)) & 1) return true;
  }
  return false;
}

std::string Normalizer::NormalizeText(std::string_view input, size_t* invalid_utf8,
                                      bool* converted) const {
  std::string text;
  size_t bad = 0;
  if (core::IsValidUtf8(input)) {
    text.assign(input);
  } else {
    text = core::SanitizeUtf8(input, &bad);
  }
  if (invalid_utf8 != nullptr) *invalid_utf8 = bad;
  if (options_.strip_html && LooksLikeHtml(text)) text = StripHtml(text);
  text = FoldAndCollapse(text, options_);
  bool changed = false;
  if (converter_ && MayConvert(text)) {
    try {
      std::string s = converter_->Convert(text);
      changed = s != text;
      if (core::IsValidUtf8(s)) text = std::move(s);
    } catch (const std::exception&) {
      // OpenCC failing on one text keeps it unconverted rather than losing the post.
    }
  }
  if (converted != nullptr) *converted = changed;
  return text;
}

NormalizedText Normalizer::Normalize(std::string_view input) const {
  NormalizedText out;
  out.original.assign(input);
  out.text = NormalizeText(input, &out.invalid_utf8, &out.converted);
  if (options_.extract_entities) out.entities = FindEntities(out.text);
  return out;
}

// ---- Entities --------------------------------------------------------------------------------

namespace {

bool IsUrlChar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("-._~:/?#[]@!$&'()*+,;=%").find(c) != std::string_view::npos;
}

bool StartsWithNoCase(std::string_view s, size_t pos, std::string_view prefix) {
  if (s.size() - pos < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[pos + i])) != prefix[i]) return false;
  }
  return true;
}

// Length of the URL at text[pos], or 0.
size_t MatchUrl(std::string_view text, size_t pos) {
  size_t start_len = 0;
  if (StartsWithNoCase(text, pos, "https://")) {
    start_len = 8;
  } else if (StartsWithNoCase(text, pos, "http://")) {
    start_len = 7;
  } else if (StartsWithNoCase(text, pos, "www.")) {
    start_len = 4;
  } else {
    return 0;
  }
  if (pos > 0 && std::isalnum(static_cast<unsigned char>(text[pos - 1]))) return 0;
  size_t end = pos + start_len;
  while (end < text.size() && IsUrlChar(text[end])) ++end;
  // Sentence punctuation after a URL is not part of it; a ')' only if it has its '('.
  while (end > pos + start_len) {
    char last = text[end - 1];
    if (std::string_view(".,;:!?'\"(").find(last) != std::string_view::npos ||
        (last == ')' && text.substr(pos, end - pos).find('(') == std::string_view::npos)) {
      --end;
    } else {
      break;
    }
  }
  return end - pos > start_len ? end - pos : 0;
}

bool IsNameChar(char32_t c) {
  return core::IsCjk(c) || IsAsciiAlnum(c) || c == '_' || c == '-' || c == 0xB7;
}

}  // namespace

std::vector<Entity> FindEntities(std::string_view text) {
  std::vector<Entity> out;
  size_t pos = 0;
  char32_t prev = 0;
  while (pos < text.size()) {
    char c = text[pos];
    size_t len = 0;
    EntityKind kind = EntityKind::kUrl;
    if (c == 'h' || c == 'H' || c == 'w' || c == 'W') {
      len = MatchUrl(text, pos);
      kind = EntityKind::kUrl;
    } else if (c == '@' && !(IsAsciiAlnum(prev) || prev == '_' || prev == '.')) {
      // @name: up to 30 name characters (Weibo's limit), ended by anything else.
      size_t p = pos + 1;
      int n = 0;
      while (p < text.size() && n < 30) {
        size_t q = p;
        if (!IsNameChar(core::DecodeUtf8(text, q))) break;
        p = q;
        ++n;
      }
      if (n > 0) {
        len = p - pos;
        kind = EntityKind::kMention;
      }
    } else if (c == '#') {
      // #topic#: 1..64 characters without '#' or a line break, not starting or ending in a
      // space (so "C# and F#" is not a topic).
      size_t p = pos + 1;
      int n = 0;
      while (p < text.size() && n <= 64 && text[p] != '#' && text[p] != '\n') {
        core::DecodeUtf8(text, p);
        ++n;
      }
      if (p < text.size() && text[p] == '#' && n >= 1 && n <= 64 && text[pos + 1] != ' ' &&
          text[p - 1] != ' ') {
        len = p + 1 - pos;
        kind = EntityKind::kTopic;
      }
    } else if (c == '[') {
      // [emoticon]: 1..8 CJK characters or ASCII letters/digits, not all digits ("[1]").
      size_t p = pos + 1;
      int n = 0;
      bool letters = false;
      while (p < text.size() && n <= 8 && text[p] != ']') {
        size_t q = p;
        char32_t ch = core::DecodeUtf8(text, q);
        if (!(core::IsCjk(ch) || IsAsciiAlnum(ch))) break;
        letters = letters || !(ch >= '0' && ch <= '9');
        p = q;
        ++n;
      }
      if (p < text.size() && text[p] == ']' && n >= 1 && n <= 8 && letters) {
        len = p + 1 - pos;
        kind = EntityKind::kEmoticon;
      }
    }
    if (len > 0) {
      out.push_back(Entity{kind, pos, len});
      pos += len;
      prev = static_cast<unsigned char>(text[pos - 1]);
      continue;
    }
    prev = core::DecodeUtf8(text, pos);
  }
  return out;
}

}  // namespace yuqing::text
