// A small streaming JSON writer for documents written on hot paths (a post's analysis, an
// event's detail): it appends to a string without building a DOM, and writes the same bytes
// as nlohmann::json::dump() would for the same document — numbers through nlohmann's own
// shortest round-trip conversion, strings escaped the same way, no whitespace.
//
// The caller writes an object's keys in the order nlohmann would (its objects are std::map:
// byte-wise ascending); debug builds check it. Invalid UTF-8 in a string or key throws
// nlohmann::json::type_error 316, as dump() does. Not thread-safe; one writer per document.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace yuqing::core {

class JsonWriter {
 public:
  // Appends to `out`, which must outlive the writer.
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // The next member's key (inside an object).
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view s);
  JsonWriter& Int(int64_t v);
  JsonWriter& Uint(uint64_t v);
  // Non-finite values are written as null, as nlohmann does.
  JsonWriter& Double(double v);
  JsonWriter& Bool(bool v);
  JsonWriter& Null();

  // Shorthands for one member.
  JsonWriter& Member(std::string_view key, std::string_view s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, const char* s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, const std::string& s) { return Key(key).String(s); }
  JsonWriter& Member(std::string_view key, double v) { return Key(key).Double(v); }
  JsonWriter& Member(std::string_view key, bool v) { return Key(key).Bool(v); }
  template <typename T>
  requires(std::is_integral_v<T> &&
           !std::is_same_v<T, bool>) JsonWriter& Member(std::string_view key, T v) {
    Key(key);
    if constexpr (std::is_signed_v<T>) {
      return Int(v);
    } else {
      return Uint(v);
    }
  }

 private:
  static constexpr int kMaxDepth = 32;
  void BeforeValue();
  void Open(char c);
  void Close(char c);

  std::string& out_;
  int depth_ = 0;
  // Per open container: whether it already holds an element (a comma goes before the next).
  std::array<bool, kMaxDepth> has_element_{};
  bool after_key_ = false;
#ifndef NDEBUG
  std::array<std::string, kMaxDepth> last_key_{};  // the order check of debug builds
#endif
};

// Appends `s` as a JSON string (quoted and escaped) exactly as nlohmann::json::dump() does.
void AppendJsonString(std::string& out, std::string_view s);
// Appends `v` as nlohmann::json::dump() writes a double (null when not finite).
void AppendJsonDouble(std::string& out, double v);

}  // namespace yuqing::core
