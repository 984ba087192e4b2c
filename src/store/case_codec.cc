// Case documents (case_codec.h). Encoding builds the document with nlohmann::json; decoding
// is a small pull parser (see "Decoding" below for why). A reader records the first problem
// and stops; the path in its message ("responses[2].figures.deaths") is kept as a stack of
// names that point at string literals, so a document without problems costs no string
// building for it.
#include "store/case_codec.h"

#include <fmt/format.h>

#include <array>
#include <charconv>
#include <cstdint>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

namespace yuqing::store {
namespace {

using nlohmann::json;

int64_t Ms(core::TimePoint t) { return t.time_since_epoch().count(); }
core::TimePoint FromMs(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

// --- Names of the enums model/case.h has no parser for.

constexpr std::string_view kRoleNames[] = {"main", "assist"};
std::string_view RoleName(model::AssignmentRole r) { return kRoleNames[static_cast<int>(r)]; }
std::optional<model::AssignmentRole> ParseRole(std::string_view s) {
  for (int i = 0; i < 2; ++i) {
    if (kRoleNames[i] == s) return static_cast<model::AssignmentRole>(i);
  }
  return std::nullopt;
}
std::optional<model::ResponseStatus> ParseResponseStatus(std::string_view s) {
  for (auto st : {model::ResponseStatus::kDraft, model::ResponseStatus::kPublished,
                  model::ResponseStatus::kRejected}) {
    if (model::ResponseStatusName(st) == s) return st;
  }
  return std::nullopt;
}

// --- Encoding.

void PutTime(json& o, const char* key, const std::optional<core::TimePoint>& t) {
  if (t) o[key] = Ms(*t);
}
template <typename T>
void PutList(json& o, const char* key, const std::vector<T>& v) {
  if (!v.empty()) o[key] = v;
}
template <typename T, typename F>
void PutObjects(json& o, const char* key, const std::vector<T>& v, F encode) {
  if (v.empty()) return;
  json a = json::array();
  for (const T& x : v) a.push_back(encode(x));
  o[key] = std::move(a);
}

json PolicyJson(const model::CasePolicy& p) {
  return {{"name", p.name},
          {"press_within_minutes", p.press_within.count()},
          {"respond_within_minutes", p.respond_within.count()},
          {"first_release", p.first_release},
          {"first_release_within_minutes", p.first_release_within.count()},
          {"reply_within_minutes", p.reply_within.count()},
          {"resolve_within_minutes", p.resolve_within.count()},
          {"accept_within_minutes", p.accept_within.count()},
          {"remind_at", p.remind_at},
          {"criticise_after_minutes", p.criticise_after.count()},
          {"keep_releasing_every_minutes", p.keep_releasing_every.count()},
          {"hot_heat", p.hot_heat},
          {"passive_after_minutes", p.passive_after.count()},
          {"time_zone", p.time_zone}};
}

json AssignmentJson(const model::Assignment& a) {
  json o = {{"department_id", a.department_id},
            {"role", RoleName(a.role)},
            {"assigned_at", Ms(a.assigned_at)},
            {"assigned_by", a.assigned_by},
            {"accepted_by", a.accepted_by},
            {"end_reason", a.end_reason},
            {"note", a.note}};
  PutTime(o, "accepted_at", a.accepted_at);
  PutTime(o, "ended_at", a.ended_at);
  return o;
}

json DisputeJson(const model::Dispute& d) {
  json o = {{"id", d.id},
            {"department_id", d.department_id},
            {"raised_by", d.raised_by},
            {"raised_at", Ms(d.raised_at)},
            {"reason", d.reason},
            {"suggested_department", d.suggested_department},
            {"decided_by", d.decided_by},
            {"upheld", d.upheld},
            {"decision", d.decision}};
  PutTime(o, "decided_at", d.decided_at);
  return o;
}

json HandoverJson(const model::Handover& h) {
  return {{"at", Ms(h.at)},           {"by", h.by},
          {"direction", h.direction}, {"from_region", h.from_region},
          {"to_region", h.to_region}, {"department_id", h.department_id},
          {"reason", h.reason}};
}

json RoundJson(const model::Round& r) {
  return {{"number", r.number},
          {"opened_at", Ms(r.opened_at)},
          {"opened_by", r.opened_by},
          {"reason", r.reason}};
}

json FiguresJson(const model::StatedFigures& f) {
  json o = json::object();
  if (f.deaths) o["deaths"] = *f.deaths;
  if (f.injured) o["injured"] = *f.injured;
  if (f.missing) o["missing"] = *f.missing;
  if (f.loss_yuan) o["loss_yuan"] = *f.loss_yuan;
  return o;
}

json ResponseJson(const model::Response& r) {
  json o = {{"id", r.id},
            {"department_id", r.department_id},
            {"channel", model::ResponseChannelName(r.channel)},
            {"speaker", r.speaker},
            {"text", r.text},
            {"author", r.author},
            {"drafted_at", Ms(r.drafted_at)},
            {"status", model::ResponseStatusName(r.status)},
            {"reviewed_by", r.reviewed_by},
            {"review_note", r.review_note},
            {"round", r.round}};
  PutList(o, "attachments", r.attachments);
  PutTime(o, "reviewed_at", r.reviewed_at);
  PutTime(o, "published_at", r.published_at);
  if (!r.figures.empty()) o["figures"] = FiguresJson(r.figures);
  return o;
}

json TaskJson(const model::Task& t) {
  json o = {{"id", t.id},
            {"title", t.title},
            {"owner_department", t.owner_department},
            {"owner", t.owner},
            {"created_at", Ms(t.created_at)},
            {"created_by", t.created_by},
            {"result", t.result}};
  PutTime(o, "due_at", t.due_at);
  PutTime(o, "done_at", t.done_at);
  return o;
}

json SupervisionJson(const model::Supervision& s) {
  json o = {
      {"id", s.id},         {"obligation", s.obligation},   {"department_id", s.department_id},
      {"owner", s.owner},   {"opened_at", Ms(s.opened_at)}, {"opened_by", s.opened_by},
      {"reason", s.reason}, {"closed_by", s.closed_by},     {"outcome", s.outcome}};
  PutTime(o, "due_at", s.due_at);
  PutTime(o, "closed_at", s.closed_at);
  return o;
}

json NoticeJson(const model::Notice& n) {
  json o = {{"id", n.id},
            {"kind", model::NoticeKindName(n.kind)},
            {"department_id", n.department_id},
            {"text", n.text},
            {"at", Ms(n.at)},
            {"by", n.by},
            {"status", n.status},
            {"decided_by", n.decided_by}};
  PutTime(o, "decided_at", n.decided_at);
  return o;
}

json RumourJson(const model::RumourDecision& r) {
  json o = {{"id", r.id},
            {"claim", r.claim},
            {"hand_to", r.hand_to},
            {"judged_by", r.judged_by},
            {"judged_at", Ms(r.judged_at)},
            {"judgment", r.judgment},
            {"status", r.status},
            {"approved_by", r.approved_by},
            {"reversed_by", r.reversed_by},
            {"reverse_reason", r.reverse_reason}};
  PutList(o, "evidence", r.evidence);
  PutTime(o, "approved_at", r.approved_at);
  PutTime(o, "reversed_at", r.reversed_at);
  return o;
}

json PetitionerJson(const model::PetitionerContact& p) {
  json o = {{"name", p.name},           {"contact", p.contact},
            {"record_id", p.record_id}, {"replied_by", p.replied_by},
            {"reply", p.reply},         {"satisfaction", p.satisfaction}};
  PutTime(o, "replied_at", p.replied_at);
  PutTime(o, "visited_at", p.visited_at);
  return o;
}

json EvaluationJson(const model::Evaluation& e) {
  json o = {{"facts_json", e.facts_json},    {"summary", e.summary},
            {"reflections", e.reflections},  {"suggestions", e.suggestions},
            {"drafted_by", e.drafted_by},    {"drafted_at", Ms(e.drafted_at)},
            {"finalised_by", e.finalised_by}};
  PutTime(o, "finalised_at", e.finalised_at);
  return o;
}

// Text fields hold what people and the internet wrote; a byte sequence that is not UTF-8 must
// not make dump() throw, so it is replaced (see the header).
std::string Dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// --- Decoding.
//
// A pull parser over the text instead of nlohmann's DOM: listing is the hot path (ListCases
// may return 100,000 cases), and nlohmann spends most of its time building the tree. CPU time
// per document on a 2-core Xeon VM, 2026-12-02, Release build, timed with std::clock over
// 20,000 calls of each: nlohmann::json::parse alone 31 us for a typical 2.3 KB case, 57 us for
// a fully populated 4 KB one; this parser, reading every field into the structs, 5.8 us and
// 10.6 us (sqlite_cases_test.cc's ListsOneHundredThousandCases prints the end-to-end time of
// ListCases). It reads JSON (RFC 8259) with these leniencies: a string's bytes are taken as
// they are (the encoder wrote valid UTF-8), numbers are read by std::from_chars (which also
// takes leading zeros), and unknown keys are skipped whatever they hold.

constexpr int kMaxDepth = 64;  // deeper than any document we write; guards the stack

class Parser {
 public:
  explicit Parser(std::string_view text)
      : p_(text.data()), begin_(text.data()), end_(p_ + text.size()) {}

  bool failed() const { return !error_.ok(); }
  const Status& error() const { return error_; }
  bool syntax_error() const { return syntax_; }
  bool field_error() const { return field_; }

  // The document: one object read by `read` (see Object), nothing after it.
  template <typename T, typename Read>
  void Document(T& out, Read read, std::string_view what) {
    SkipSpace();
    char c = Peek();
    if (c != '{') {
      if (c == 0) return Syntax("the document is empty");
      error_ = Status::InvalidArgument(
          fmt::format("{} document is a JSON {}, not an object", what, TypeAt()));
      return;
    }
    ReadObject(out, read);
    if (failed()) return;
    SkipSpace();
    if (p_ != end_) Syntax("text after the end of the object");
  }

  // True when the key just read is `name`; then its value is read into `out` (left alone
  // when it is null), with `name` on the error path while it is read.
  bool Field(std::string_view key, std::string_view name, std::string& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Peek() == '"') {
        ReadString(out);
      } else {
        WrongType("a string");
      }
    }
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, bool& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Take("true")) {
        out = true;
      } else if (Take("false")) {
        out = false;
      } else {
        WrongType("true or false");
      }
    }
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, int64_t& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) ReadInt(out, "an integer");
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, int& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    int64_t wide = 0;
    if (!TakeNull() && ReadInt(wide, "an integer")) {
      if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max()) {
        Fail(fmt::format("{} is out of range", wide));
      } else {
        out = static_cast<int>(wide);
      }
    }
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, double& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) ReadDouble(out);
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, std::optional<int64_t>& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    int64_t v = 0;
    if (!TakeNull() && ReadInt(v, "an integer")) out = v;
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, std::optional<double>& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    double v = 0;
    if (!TakeNull() && ReadDouble(v)) out = v;
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, core::TimePoint& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    int64_t ms = 0;
    if (!TakeNull() && ReadInt(ms, kTimeWord)) out = FromMs(ms);
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, std::optional<core::TimePoint>& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    int64_t ms = 0;
    if (!TakeNull() && ReadInt(ms, kTimeWord)) out = FromMs(ms);
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, std::chrono::minutes& out) {
    if (!Is(key, name)) return false;
    Enter(name);
    int64_t m = 0;
    if (!TakeNull() && ReadInt(m, "an integer (minutes)")) out = std::chrono::minutes(m);
    Leave();
    return true;
  }
  bool Field(std::string_view key, std::string_view name, std::vector<std::string>& out) {
    return List(key, name, out, [this](std::string& s) {
      if (Peek() == '"') {
        ReadString(s);
      } else {
        WrongType("a string");
      }
    });
  }
  bool Field(std::string_view key, std::string_view name, std::vector<int64_t>& out) {
    return List(key, name, out, [this](int64_t& v) { ReadInt(v, "an integer"); });
  }
  bool Field(std::string_view key, std::string_view name, std::vector<core::TimePoint>& out) {
    return List(key, name, out, [this](core::TimePoint& t) {
      int64_t ms = 0;
      if (ReadInt(ms, kTimeWord)) t = FromMs(ms);
    });
  }

  // An enum by name; `parse` is the model's parser, `what` says what the name should be.
  template <typename E, typename Parse>
  bool Enum(std::string_view key, std::string_view name, E& out, Parse parse,
            std::string_view what) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Peek() != '"') {
        WrongType("a string");
      } else if (std::string s; ReadString(s)) {
        std::optional<E> e = parse(s);
        if (e) {
          out = *e;
        } else {
          Fail(fmt::format("\"{}\" is not {}", s, what));
        }
      }
    }
    Leave();
    return true;
  }

  // A nested object read by `read(Parser&, std::string_view key, T&)` (see ReadObject).
  template <typename T, typename Read>
  bool Object(std::string_view key, std::string_view name, T& out, Read read) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Peek() == '{') {
        ReadObject(out, read);
      } else {
        WrongType("an object");
      }
    }
    Leave();
    return true;
  }
  template <typename T, typename Read>
  bool Object(std::string_view key, std::string_view name, std::optional<T>& out, Read read) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Peek() == '{') {
        T value;
        if (ReadObject(value, read)) out = std::move(value);
      } else {
        WrongType("an object");
      }
    }
    Leave();
    return true;
  }
  // A list of objects, each read into a default T.
  template <typename T, typename Read>
  bool Objects(std::string_view key, std::string_view name, std::vector<T>& out, Read read) {
    return List(key, name, out, [&](T& item) {
      if (Peek() == '{') {
        ReadObject(item, read);
      } else {
        WrongType("an object");
      }
    });
  }

 private:
  static constexpr std::string_view kTimeWord = "an integer (ms since the epoch)";

  struct Frame {
    std::string_view name;
    int index = -1;
  };

  char Peek() const { return p_ < end_ ? *p_ : '\0'; }
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }
  // Consumes `word` (a literal) if the text continues with it.
  bool Take(std::string_view word) {
    if (static_cast<size_t>(end_ - p_) >= word.size() &&
        std::string_view(p_, word.size()) == word) {
      p_ += word.size();
      return true;
    }
    return false;
  }
  bool TakeNull() { return !failed() && Peek() == 'n' && Take("null"); }
  // key == name, cheaper when they differ (most comparisons in a dispatch chain): lengths and
  // first bytes settle almost all of them without a call to memcmp.
  static bool Is(std::string_view key, std::string_view name) {
    return key.size() == name.size() && !key.empty() && key[0] == name[0] &&
           std::memcmp(key.data(), name.data(), key.size()) == 0;
  }

  // The JSON type of the value at the cursor, in nlohmann's words.
  std::string_view TypeAt() const {
    switch (Peek()) {
      case '"':
        return "string";
      case '{':
        return "object";
      case '[':
        return "array";
      case 't':
      case 'f':
        return "boolean";
      case 'n':
        return "null";
      default:
        return "number";
    }
  }

  // The path is a fixed stack (no allocation per document); depth_ bounds it.
  void Enter(std::string_view name) {
    if (path_size_ < path_.size()) path_[path_size_] = {name, -1};
    ++path_size_;
  }
  void Leave() {
    if (!failed()) --path_size_;
  }
  void Syntax(std::string_view problem) {
    if (failed()) return;
    syntax_ = true;
    error_ = Status::InvalidArgument(fmt::format("byte {}: {}", p_ - begin_, problem));
  }
  void Fail(std::string_view problem) {
    if (failed()) return;
    std::string path;
    for (size_t i = 0; i < path_size_ && i < path_.size(); ++i) {
      const Frame& f = path_[i];
      if (!path.empty()) path += '.';
      path += f.name;
      if (f.index >= 0) path += fmt::format("[{}]", f.index);
    }
    field_ = true;
    error_ = Status::InvalidArgument(fmt::format("field \"{}\": {}", path, problem));
  }
  void WrongType(std::string_view expected) {
    if (Peek() == '\0' ||
        std::string_view("\"{[tfn-0123456789").find(Peek()) == std::string_view::npos) {
      return Syntax("expected a value");
    }
    Fail(fmt::format("expected {}, got {}", expected, TypeAt()));
  }

  // Reads one object: `read(*this, key, out)` reads the value of a key it knows and returns
  // true, or returns false and the value is skipped.
  template <typename T, typename Read>
  bool ReadObject(T& out, Read read) {
    if (++depth_ > kMaxDepth) {
      Syntax("nested too deeply");
      return false;
    }
    ++p_;  // '{', checked by the caller
    SkipSpace();
    if (Peek() == '}') {
      ++p_;
      --depth_;
      return true;
    }
    std::string key_buf;
    while (!failed()) {
      SkipSpace();
      std::string_view key;
      if (Peek() != '"' || !ReadKey(key, key_buf)) {
        Syntax("expected a key");
        break;
      }
      SkipSpace();
      if (Peek() != ':') {
        Syntax("expected ':'");
        break;
      }
      ++p_;
      SkipSpace();
      if (!read(*this, key, out)) SkipValue();
      if (failed()) break;
      SkipSpace();
      if (Peek() == ',') {
        ++p_;
        continue;
      }
      if (Peek() == '}') {
        ++p_;
        --depth_;
        return true;
      }
      Syntax("expected ',' or '}'");
    }
    return false;
  }

  // An array whose items `read_item(T&)` reads into default values, appended to `out`.
  template <typename T, typename ReadItem>
  bool List(std::string_view key, std::string_view name, std::vector<T>& out, ReadItem read_item) {
    if (!Is(key, name)) return false;
    Enter(name);
    if (!TakeNull()) {
      if (Peek() != '[') {
        WrongType("an array");
      } else if (++depth_ > kMaxDepth) {
        Syntax("nested too deeply");
      } else {
        ++p_;
        out.clear();
        SkipSpace();
        if (Peek() == ']') {
          ++p_;
        } else {
          for (int i = 0; !failed(); ++i) {
            SkipSpace();
            if (path_size_ <= path_.size()) path_[path_size_ - 1].index = i;
            read_item(out.emplace_back());
            if (failed()) break;
            SkipSpace();
            if (Peek() == ',') {
              ++p_;
              continue;
            }
            if (Peek() == ']') {
              ++p_;
              break;
            }
            Syntax("expected ',' or ']'");
          }
        }
        --depth_;
      }
    }
    Leave();
    return true;
  }

  // The string at the cursor into `out`. Escapes per RFC 8259 §7; a lone surrogate becomes
  // U+FFFD, as nlohmann would refuse it and the encoder never writes one.
  bool ReadString(std::string& out) {
    ++p_;  // '"'
    out.clear();
    while (true) {
      const char* start = p_;
      while (p_ < end_ && *p_ != '"' && *p_ != '\\') ++p_;
      out.append(start, p_);
      if (p_ == end_) break;
      if (*p_++ == '"') return true;
      if (p_ == end_) break;
      char e = *p_++;
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out += e;
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          uint32_t cp = 0;
          if (!Hex4(cp)) return false;
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            uint32_t low = 0;
            const char* save = p_;
            if (Take("\\u") && Hex4(low) && low >= 0xDC00 && low <= 0xDFFF) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              if (failed()) return false;
              p_ = save;
              cp = 0xFFFD;
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            cp = 0xFFFD;
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          --p_;
          Syntax("invalid escape in a string");
          return false;
      }
    }
    Syntax("unterminated string");
    return false;
  }
  // A key: in place when it has no escapes (always, for keys we write), else via `buf`.
  bool ReadKey(std::string_view& key, std::string& buf) {
    const char* start = p_ + 1;
    const char* q = start;
    while (q < end_ && *q != '"' && *q != '\\') ++q;
    if (q < end_ && *q == '"') {
      key = std::string_view(start, static_cast<size_t>(q - start));
      p_ = q + 1;
      return true;
    }
    if (!ReadString(buf)) return false;
    key = buf;
    return true;
  }
  bool Hex4(uint32_t& out) {
    if (end_ - p_ < 4) {
      Syntax("truncated \\u escape");
      return false;
    }
    out = 0;
    for (int i = 0; i < 4; ++i) {
      char c = *p_++;
      out <<= 4;
      if (c >= '0' && c <= '9') {
        out |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        out |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        out |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        --p_;
        Syntax("invalid \\u escape");
        return false;
      }
    }
    return true;
  }
  static void AppendUtf8(uint32_t cp, std::string& out) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // The extent of the JSON number at the cursor ("" when there is none), per RFC 8259 §6.
  std::string_view NumberText() const {
    const char* q = p_;
    if (q < end_ && *q == '-') ++q;
    while (q < end_ && ((*q >= '0' && *q <= '9') || *q == '.' || *q == 'e' || *q == 'E' ||
                        *q == '+' || *q == '-')) {
      ++q;
    }
    return std::string_view(p_, static_cast<size_t>(q - p_));
  }
  bool ReadInt(int64_t& out, std::string_view what) {
    if (failed()) return false;
    char c = Peek();
    if (c != '-' && (c < '0' || c > '9')) {
      WrongType(what);
      return false;
    }
    std::string_view text = NumberText();
    int64_t v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      // A fraction, an exponent or beyond int64_t: a number, but not one of ours.
      if (ec == std::errc::invalid_argument) {
        Syntax("invalid number");
      } else {
        Fail(fmt::format("expected {}, got number", what));
      }
      return false;
    }
    p_ += text.size();
    out = v;
    return true;
  }
  bool ReadDouble(double& out) {
    char c = Peek();
    if (c != '-' && (c < '0' || c > '9')) {
      WrongType("a number");
      return false;
    }
    std::string_view text = NumberText();
    double v = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size()) {
      Syntax("invalid number");
      return false;
    }
    p_ += text.size();
    out = v;
    return true;
  }

  // Skips the value at the cursor, whatever it is (a key we do not know).
  void SkipValue() {
    switch (Peek()) {
      case '"': {
        std::string ignored;
        ReadString(ignored);
        return;
      }
      case '{': {
        auto skip_all = [](Parser&, std::string_view, int&) { return false; };
        int unused = 0;
        ReadObject(unused, skip_all);
        return;
      }
      case '[':
        ReadSkippedArray();
        return;
      case 't':
        if (!Take("true")) Syntax("expected a value");
        return;
      case 'f':
        if (!Take("false")) Syntax("expected a value");
        return;
      case 'n':
        if (!Take("null")) Syntax("expected a value");
        return;
      default: {
        double ignored = 0;
        ReadDouble(ignored);
      }
    }
  }
  void ReadSkippedArray() {
    if (++depth_ > kMaxDepth) return Syntax("nested too deeply");
    ++p_;
    SkipSpace();
    if (Peek() == ']') {
      ++p_;
      --depth_;
      return;
    }
    while (!failed()) {
      SkipSpace();
      SkipValue();
      if (failed()) return;
      SkipSpace();
      if (Peek() == ',') {
        ++p_;
        continue;
      }
      if (Peek() == ']') {
        ++p_;
        --depth_;
        return;
      }
      Syntax("expected ',' or ']'");
    }
  }

  const char* p_;
  const char* begin_;
  const char* end_;
  int depth_ = 0;
  std::array<Frame, 2 * kMaxDepth + 2> path_;  // a field and a list item per level, at most
  size_t path_size_ = 0;
  Status error_;
  bool syntax_ = false;  // the text is not JSON
  bool field_ = false;   // a field holds the wrong type or value
};

bool ReadPolicy(Parser& p, std::string_view k, model::CasePolicy& x) {
  return p.Field(k, "name", x.name) || p.Field(k, "press_within_minutes", x.press_within) ||
         p.Field(k, "respond_within_minutes", x.respond_within) ||
         p.Field(k, "first_release", x.first_release) ||
         p.Field(k, "first_release_within_minutes", x.first_release_within) ||
         p.Field(k, "reply_within_minutes", x.reply_within) ||
         p.Field(k, "resolve_within_minutes", x.resolve_within) ||
         p.Field(k, "accept_within_minutes", x.accept_within) ||
         p.Field(k, "remind_at", x.remind_at) ||
         p.Field(k, "criticise_after_minutes", x.criticise_after) ||
         p.Field(k, "keep_releasing_every_minutes", x.keep_releasing_every) ||
         p.Field(k, "hot_heat", x.hot_heat) ||
         p.Field(k, "passive_after_minutes", x.passive_after) ||
         p.Field(k, "time_zone", x.time_zone);
}

bool ReadAssignment(Parser& p, std::string_view k, model::Assignment& x) {
  return p.Field(k, "department_id", x.department_id) ||
         p.Enum(k, "role", x.role, ParseRole, "main or assist") ||
         p.Field(k, "assigned_at", x.assigned_at) || p.Field(k, "assigned_by", x.assigned_by) ||
         p.Field(k, "accepted_at", x.accepted_at) || p.Field(k, "accepted_by", x.accepted_by) ||
         p.Field(k, "ended_at", x.ended_at) || p.Field(k, "end_reason", x.end_reason) ||
         p.Field(k, "note", x.note);
}

bool ReadDispute(Parser& p, std::string_view k, model::Dispute& x) {
  return p.Field(k, "id", x.id) || p.Field(k, "department_id", x.department_id) ||
         p.Field(k, "raised_by", x.raised_by) || p.Field(k, "raised_at", x.raised_at) ||
         p.Field(k, "reason", x.reason) ||
         p.Field(k, "suggested_department", x.suggested_department) ||
         p.Field(k, "decided_at", x.decided_at) || p.Field(k, "decided_by", x.decided_by) ||
         p.Field(k, "upheld", x.upheld) || p.Field(k, "decision", x.decision);
}

bool ReadHandover(Parser& p, std::string_view k, model::Handover& x) {
  return p.Field(k, "at", x.at) || p.Field(k, "by", x.by) || p.Field(k, "direction", x.direction) ||
         p.Field(k, "from_region", x.from_region) || p.Field(k, "to_region", x.to_region) ||
         p.Field(k, "department_id", x.department_id) || p.Field(k, "reason", x.reason);
}

bool ReadRound(Parser& p, std::string_view k, model::Round& x) {
  return p.Field(k, "number", x.number) || p.Field(k, "opened_at", x.opened_at) ||
         p.Field(k, "opened_by", x.opened_by) || p.Field(k, "reason", x.reason);
}

bool ReadFigures(Parser& p, std::string_view k, model::StatedFigures& x) {
  return p.Field(k, "deaths", x.deaths) || p.Field(k, "injured", x.injured) ||
         p.Field(k, "missing", x.missing) || p.Field(k, "loss_yuan", x.loss_yuan);
}

bool ReadResponse(Parser& p, std::string_view k, model::Response& x) {
  return p.Field(k, "id", x.id) || p.Field(k, "department_id", x.department_id) ||
         p.Enum(k, "channel", x.channel, model::ParseResponseChannel, "a response channel") ||
         p.Field(k, "speaker", x.speaker) || p.Field(k, "text", x.text) ||
         p.Field(k, "attachments", x.attachments) || p.Field(k, "author", x.author) ||
         p.Field(k, "drafted_at", x.drafted_at) ||
         p.Enum(k, "status", x.status, ParseResponseStatus, "draft, published or rejected") ||
         p.Field(k, "reviewed_by", x.reviewed_by) || p.Field(k, "reviewed_at", x.reviewed_at) ||
         p.Field(k, "review_note", x.review_note) || p.Field(k, "published_at", x.published_at) ||
         p.Field(k, "round", x.round) || p.Object(k, "figures", x.figures, ReadFigures);
}

bool ReadTask(Parser& p, std::string_view k, model::Task& x) {
  return p.Field(k, "id", x.id) || p.Field(k, "title", x.title) ||
         p.Field(k, "owner_department", x.owner_department) || p.Field(k, "owner", x.owner) ||
         p.Field(k, "due_at", x.due_at) || p.Field(k, "created_at", x.created_at) ||
         p.Field(k, "created_by", x.created_by) || p.Field(k, "done_at", x.done_at) ||
         p.Field(k, "result", x.result);
}

bool ReadSupervision(Parser& p, std::string_view k, model::Supervision& x) {
  return p.Field(k, "id", x.id) || p.Field(k, "obligation", x.obligation) ||
         p.Field(k, "department_id", x.department_id) || p.Field(k, "owner", x.owner) ||
         p.Field(k, "opened_at", x.opened_at) || p.Field(k, "opened_by", x.opened_by) ||
         p.Field(k, "due_at", x.due_at) || p.Field(k, "reason", x.reason) ||
         p.Field(k, "closed_at", x.closed_at) || p.Field(k, "closed_by", x.closed_by) ||
         p.Field(k, "outcome", x.outcome);
}

bool ReadNotice(Parser& p, std::string_view k, model::Notice& x) {
  return p.Field(k, "id", x.id) ||
         p.Enum(k, "kind", x.kind, model::ParseNoticeKind,
                "criticism, interview or commendation") ||
         p.Field(k, "department_id", x.department_id) || p.Field(k, "text", x.text) ||
         p.Field(k, "at", x.at) || p.Field(k, "by", x.by) || p.Field(k, "status", x.status) ||
         p.Field(k, "decided_by", x.decided_by) || p.Field(k, "decided_at", x.decided_at);
}

bool ReadRumour(Parser& p, std::string_view k, model::RumourDecision& x) {
  return p.Field(k, "id", x.id) || p.Field(k, "claim", x.claim) ||
         p.Field(k, "evidence", x.evidence) || p.Field(k, "hand_to", x.hand_to) ||
         p.Field(k, "judged_by", x.judged_by) || p.Field(k, "judged_at", x.judged_at) ||
         p.Field(k, "judgment", x.judgment) || p.Field(k, "status", x.status) ||
         p.Field(k, "approved_by", x.approved_by) || p.Field(k, "approved_at", x.approved_at) ||
         p.Field(k, "reversed_by", x.reversed_by) || p.Field(k, "reversed_at", x.reversed_at) ||
         p.Field(k, "reverse_reason", x.reverse_reason);
}

bool ReadPetitioner(Parser& p, std::string_view k, model::PetitionerContact& x) {
  return p.Field(k, "name", x.name) || p.Field(k, "contact", x.contact) ||
         p.Field(k, "record_id", x.record_id) || p.Field(k, "replied_at", x.replied_at) ||
         p.Field(k, "replied_by", x.replied_by) || p.Field(k, "reply", x.reply) ||
         p.Field(k, "visited_at", x.visited_at) || p.Field(k, "satisfaction", x.satisfaction);
}

bool ReadEvaluation(Parser& p, std::string_view k, model::Evaluation& x) {
  return p.Field(k, "facts_json", x.facts_json) || p.Field(k, "summary", x.summary) ||
         p.Field(k, "reflections", x.reflections) || p.Field(k, "suggestions", x.suggestions) ||
         p.Field(k, "drafted_by", x.drafted_by) || p.Field(k, "drafted_at", x.drafted_at) ||
         p.Field(k, "finalised_by", x.finalised_by) || p.Field(k, "finalised_at", x.finalised_at);
}

bool ReadCase(Parser& p, std::string_view k, model::Case& c) {
  return p.Field(k, "id", c.id) || p.Field(k, "version", c.version) ||
         p.Field(k, "title", c.title) || p.Field(k, "description", c.description) ||
         p.Enum(k, "origin", c.origin, model::ParseCaseOrigin,
                "event, hotline, mailbox or manual") ||
         p.Field(k, "event_id", c.event_id) ||
         p.Enum(k, "state", c.state, model::ParseCaseState, "a case state") ||
         p.Field(k, "grade", c.grade) || p.Field(k, "nature", c.nature) ||
         p.Field(k, "region", c.region) || p.Field(k, "handling_region", c.handling_region) ||
         p.Field(k, "detected_at", c.detected_at) || p.Field(k, "created_at", c.created_at) ||
         p.Field(k, "updated_at", c.updated_at) || p.Field(k, "created_by", c.created_by) ||
         p.Object(k, "policy", c.policy, ReadPolicy) ||
         p.Field(k, "suggested_departments", c.suggested_departments) ||
         p.Field(k, "routing_json", c.routing_json) ||
         p.Objects(k, "assignments", c.assignments, ReadAssignment) ||
         p.Objects(k, "disputes", c.disputes, ReadDispute) ||
         p.Objects(k, "handovers", c.handovers, ReadHandover) ||
         p.Objects(k, "rounds", c.rounds, ReadRound) ||
         p.Objects(k, "responses", c.responses, ReadResponse) ||
         p.Objects(k, "tasks", c.tasks, ReadTask) ||
         p.Objects(k, "supervision", c.supervision, ReadSupervision) ||
         p.Objects(k, "notices", c.notices, ReadNotice) ||
         p.Objects(k, "rumours", c.rumours, ReadRumour) ||
         p.Object(k, "petitioner", c.petitioner, ReadPetitioner) ||
         p.Field(k, "extensions", c.extensions) ||
         p.Field(k, "extended_by_minutes", c.extended_by) ||
         p.Object(k, "evaluation", c.evaluation, ReadEvaluation) ||
         p.Field(k, "closed_at", c.closed_at) || p.Field(k, "resolved", c.resolved) ||
         p.Field(k, "reopened", c.reopened) || p.Field(k, "merged_into", c.merged_into) ||
         p.Field(k, "merged_from", c.merged_from) ||
         p.Field(k, "risk_assessment_id", c.risk_assessment_id) ||
         p.Field(k, "sweep_marks", c.sweep_marks) || p.Field(k, "event_heat", c.event_heat) ||
         p.Field(k, "event_grade", c.event_grade) || p.Field(k, "sweep_at", c.sweep_at);
}

bool ReadAssessment(Parser& p, std::string_view k, model::RiskAssessment& a) {
  return p.Field(k, "id", a.id) || p.Field(k, "title", a.title) || p.Field(k, "region", a.region) ||
         p.Field(k, "department_id", a.department_id) || p.Field(k, "decision", a.decision) ||
         p.Field(k, "risk_level", a.risk_level) || p.Field(k, "risks", a.risks) ||
         p.Field(k, "plan", a.plan) || p.Field(k, "keywords", a.keywords) ||
         p.Field(k, "event_ids", a.event_ids) || p.Field(k, "created_by", a.created_by) ||
         p.Field(k, "created_at", a.created_at) || p.Field(k, "updated_at", a.updated_at);
}

// Reads `text` as one JSON object into a default T with `read`.
template <typename T, typename Read>
Result<T> Decode(std::string_view text, std::string_view what, Read read) {
  Parser p(text);
  T out;
  p.Document(out, read, what);
  if (!p.failed()) return out;
  if (p.syntax_error()) {
    return Status::InvalidArgument(
        fmt::format("{} document is not valid JSON: {}", what, p.error().message()));
  }
  if (p.field_error()) return p.error().WithContext(fmt::format("{} document", what));
  return p.error();
}

}  // namespace

std::string EncodeCase(const model::Case& c) {
  json o = {{"id", c.id},
            {"version", c.version},
            {"title", c.title},
            {"description", c.description},
            {"origin", model::CaseOriginName(c.origin)},
            {"event_id", c.event_id},
            {"state", model::CaseStateName(c.state)},
            {"grade", c.grade},
            {"nature", c.nature},
            {"region", c.region},
            {"handling_region", c.handling_region},
            {"detected_at", Ms(c.detected_at)},
            {"created_at", Ms(c.created_at)},
            {"updated_at", Ms(c.updated_at)},
            {"created_by", c.created_by},
            {"policy", PolicyJson(c.policy)},
            {"routing_json", c.routing_json},
            {"extended_by_minutes", c.extended_by.count()},
            {"resolved", c.resolved},
            {"reopened", c.reopened},
            {"merged_into", c.merged_into},
            {"risk_assessment_id", c.risk_assessment_id},
            {"event_heat", c.event_heat},
            {"event_grade", c.event_grade}};
  PutList(o, "suggested_departments", c.suggested_departments);
  PutObjects(o, "assignments", c.assignments, AssignmentJson);
  PutObjects(o, "disputes", c.disputes, DisputeJson);
  PutObjects(o, "handovers", c.handovers, HandoverJson);
  PutObjects(o, "rounds", c.rounds, RoundJson);
  PutObjects(o, "responses", c.responses, ResponseJson);
  PutObjects(o, "tasks", c.tasks, TaskJson);
  PutObjects(o, "supervision", c.supervision, SupervisionJson);
  PutObjects(o, "notices", c.notices, NoticeJson);
  PutObjects(o, "rumours", c.rumours, RumourJson);
  if (c.petitioner) o["petitioner"] = PetitionerJson(*c.petitioner);
  if (!c.extensions.empty()) {
    json a = json::array();
    for (auto t : c.extensions) a.push_back(Ms(t));
    o["extensions"] = std::move(a);
  }
  if (c.evaluation) o["evaluation"] = EvaluationJson(*c.evaluation);
  PutTime(o, "closed_at", c.closed_at);
  PutTime(o, "sweep_at", c.sweep_at);
  PutList(o, "merged_from", c.merged_from);
  PutList(o, "sweep_marks", c.sweep_marks);
  return Dump(o);
}

Result<model::Case> DecodeCase(std::string_view text) {
  return Decode<model::Case>(text, "case", ReadCase);
}

std::string EncodeRiskAssessment(const model::RiskAssessment& a) {
  json o = {{"id", a.id},
            {"title", a.title},
            {"region", a.region},
            {"department_id", a.department_id},
            {"decision", a.decision},
            {"risk_level", a.risk_level},
            {"risks", a.risks},
            {"plan", a.plan},
            {"created_by", a.created_by},
            {"created_at", Ms(a.created_at)},
            {"updated_at", Ms(a.updated_at)}};
  PutList(o, "keywords", a.keywords);
  PutList(o, "event_ids", a.event_ids);
  return Dump(o);
}

Result<model::RiskAssessment> DecodeRiskAssessment(std::string_view text) {
  return Decode<model::RiskAssessment>(text, "risk assessment", ReadAssessment);
}

}  // namespace yuqing::store
