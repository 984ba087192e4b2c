#include "core/json_writer.h"

#include <array>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/status.h"
#include "core/utf8.h"

namespace yuqing::core {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// The bytes nlohmann escapes (serializer::dump_escaped): control characters, quote, backslash.
bool NeedsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

void AppendEscape(std::string& out, unsigned char c) {
  switch (c) {
    case '\b':
      out += "\\b";
      return;
    case '\t':
      out += "\\t";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\r':
      out += "\\r";
      return;
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    default:
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
  }
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view s) {
  if (!IsValidUtf8(s)) {
    // nlohmann's strict handler throws type_error 316 naming the bad byte; let it, so the
    // failure is the one dump() gave. (Should it ever accept what we reject, its bytes stand.)
    out += nlohmann::json(std::string(s)).dump();
    return;
  }
  out += '"';
  // Well-formed multi-byte sequences hold no byte below 0x80, so escaping works on bytes.
  size_t run = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (!NeedsEscape(c)) continue;
    out.append(s.data() + run, i - run);
    AppendEscape(out, c);
    run = i + 1;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

void AppendJsonDouble(std::string& out, double v) {
  if (!std::isfinite(v)) {
    out += "null";
    return;
  }
  // The serializer's own conversion (Grisu2, "x.0" for integral values, e-notation with two
  // exponent digits): the same bytes as dump().
  std::array<char, 64> buf{};
  char* end = nlohmann::detail::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), static_cast<size_t>(end - buf.data()));
}

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (depth_ > 0) {
    if (has_element_[depth_ - 1]) out_ += ',';
    has_element_[depth_ - 1] = true;
  }
}

void JsonWriter::Open(char c) {
  BeforeValue();
  YQ_CHECK(depth_ < kMaxDepth);
  out_ += c;
  has_element_[depth_] = false;
#ifndef NDEBUG
  last_key_[depth_].clear();
#endif
  ++depth_;
}

void JsonWriter::Close(char c) {
  YQ_DCHECK(depth_ > 0 && !after_key_);
  --depth_;
  out_ += c;
}

JsonWriter& JsonWriter::BeginObject() {
  Open('{');
  return *this;
}
JsonWriter& JsonWriter::EndObject() {
  Close('}');
  return *this;
}
JsonWriter& JsonWriter::BeginArray() {
  Open('[');
  return *this;
}
JsonWriter& JsonWriter::EndArray() {
  Close(']');
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  YQ_DCHECK(depth_ > 0 && !after_key_);
#ifndef NDEBUG
  // nlohmann's objects are ordered maps: keys must come in ascending byte order, each once.
  YQ_DCHECK(!has_element_[depth_ - 1] || last_key_[depth_ - 1] < key);
  last_key_[depth_ - 1] = std::string(key);
#endif
  if (has_element_[depth_ - 1]) out_ += ',';
  has_element_[depth_ - 1] = true;
  AppendJsonString(out_, key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view s) {
  BeforeValue();
  AppendJsonString(out_, s);
  return *this;
}

namespace {

template <typename Integer>
void AppendInteger(std::string& out, Integer v) {
  std::array<char, 24> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v);
  out.append(buf.data(), static_cast<size_t>(r.ptr - buf.data()));
}

}  // namespace

JsonWriter& JsonWriter::Int(int64_t v) {
  BeforeValue();
  AppendInteger(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Uint(uint64_t v) {
  BeforeValue();
  AppendInteger(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Double(double v) {
  BeforeValue();
  AppendJsonDouble(out_, v);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool v) {
  BeforeValue();
  out_ += v ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

}  // namespace yuqing::core
