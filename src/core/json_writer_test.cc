#include "core/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

namespace yuqing::core {
namespace {

std::string Str(std::string_view s) {
  std::string out;
  AppendJsonString(out, s);
  return out;
}

std::string Dbl(double v) {
  std::string out;
  AppendJsonDouble(out, v);
  return out;
}

TEST(JsonWriterTest, StringsAreEscapedAsNlohmannDumpsThem) {
  const std::vector<std::string> cases = {
      "",
      "plain",
      "山西省长治市 发生事故",
      "quote \" backslash \\ slash / end",
      "\b\f\n\r\t",
      std::string("nul \0 inside", 12),
      "\x01\x1f\x7f",
      "</script><script>alert(1)</script>",
      "emoji 😀 and U+2028 \xE2\x80\xA8 and U+FEFF \xEF\xBB\xBF",
      "\xF4\x8F\xBF\xBF",  // U+10FFFF
  };
  for (const std::string& s : cases) {
    EXPECT_EQ(Str(s), nlohmann::json(s).dump()) << s;
  }
  // Every single byte below 0x80.
  for (int c = 0; c < 0x80; ++c) {
    std::string s(1, static_cast<char>(c));
    EXPECT_EQ(Str(s), nlohmann::json(s).dump()) << c;
  }
}

TEST(JsonWriterTest, InvalidUtf8ThrowsLikeDump) {
  const std::vector<std::string> cases = {
      "bad \xFF byte",     "\xC0\x80",          // overlong NUL
      "\xED\xA0\x80",      "\xF4\x90\x80\x80",  // surrogate, above U+10FFFF
      "cut \xE5\xB1",      "\x80 lone continuation",
      "ok 山西 then \xE5",
  };
  for (const std::string& s : cases) {
    std::string dumped_error;
    try {
      (void)nlohmann::json(s).dump();
    } catch (const nlohmann::json::type_error& e) {
      dumped_error = e.what();
    }
    ASSERT_FALSE(dumped_error.empty()) << s;
    std::string out;
    JsonWriter w(out);
    try {
      w.BeginArray().String(s).EndArray();
      ADD_FAILURE() << "no exception for " << s;
    } catch (const nlohmann::json::type_error& e) {
      EXPECT_EQ(std::string(e.what()), dumped_error);
    }
  }
}

TEST(JsonWriterTest, DoublesAreFormattedAsNlohmannDumpsThem) {
  const std::vector<double> cases = {0.0,
                                     -0.0,
                                     1.0,
                                     -1.0,
                                     0.1,
                                     0.3333,
                                     1.0 / 3,
                                     2.5e-5,
                                     1e-7,
                                     123456789.0,
                                     1e15,
                                     1e16,
                                     1e17,
                                     1.7976931348623157e308,
                                     5e-324,
                                     std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::infinity(),
                                     -std::numeric_limits<double>::infinity()};
  for (double v : cases) EXPECT_EQ(Dbl(v), nlohmann::json(v).dump()) << v;
  // Random bit patterns and rounded scores (R4-style), the values the documents hold.
  std::mt19937_64 rng(42);
  for (int i = 0; i < 20000; ++i) {
    uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    EXPECT_EQ(Dbl(v), nlohmann::json(v).dump()) << bits;
    double r = std::round(std::ldexp(static_cast<double>(rng() % 2000000), -10)) / 1e4;
    EXPECT_EQ(Dbl(r), nlohmann::json(r).dump()) << r;
  }
}

TEST(JsonWriterTest, DocumentMatchesDump) {
  nlohmann::json j;
  j["a"] = {1, -2, nullptr, true, false};
  j["b"] = nlohmann::json::object();
  j["c"] = nlohmann::json::array();
  j["d"] = {{"x", 0.5}, {"y", std::numeric_limits<uint64_t>::max()}};
  j["e"] = std::numeric_limits<int64_t>::min();
  j["键"] = "值";

  std::string out;
  JsonWriter w(out);
  w.BeginObject();
  w.Key("a").BeginArray().Int(1).Int(-2).Null().Bool(true).Bool(false).EndArray();
  w.Key("b").BeginObject().EndObject();
  w.Key("c").BeginArray().EndArray();
  w.Key("d").BeginObject();
  w.Member("x", 0.5).Member("y", std::numeric_limits<uint64_t>::max());
  w.EndObject();
  w.Member("e", std::numeric_limits<int64_t>::min());
  w.Member("键", "值");
  w.EndObject();
  EXPECT_EQ(out, j.dump());
}

TEST(JsonWriterTest, ArraysOfArraysAndObjects) {
  nlohmann::json j = nlohmann::json::array();
  j.push_back({"2026-01-01T00:00:00Z", 3, 7});
  j.push_back({{"id", "a:1"}, {"score", 1.25}});
  std::string out;
  JsonWriter w(out);
  w.BeginArray();
  w.BeginArray().String("2026-01-01T00:00:00Z").Uint(3u).Int(7).EndArray();
  w.BeginObject().Member("id", "a:1").Member("score", 1.25).EndObject();
  w.EndArray();
  EXPECT_EQ(out, j.dump());
}

}  // namespace
}  // namespace yuqing::core
