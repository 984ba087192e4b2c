#include "collect/record_reader.h"

#include <gtest/gtest.h>

#include <sstream>

namespace yuqing::collect {
namespace {

// Reads everything; each record as "where:OK:id" or "where:message".
std::vector<std::string> ReadAll(const std::string& input, Format format = Format::kAuto,
                                 std::string name = "") {
  std::istringstream in(input);
  auto reader = RecordReader::Open(in, format, RecordLimits{}, name);
  if (!reader.ok()) return {"OPEN " + reader.status().message()};
  std::vector<std::string> out;
  RawRecord rec;
  while (true) {
    auto more = (*reader)->Next(rec);
    if (!more.ok()) return {"NEXT " + more.status().message()};
    if (!*more) break;
    out.push_back(rec.Where() + ":" +
                  (rec.post.ok() ? "OK:" + rec.post->external_id : rec.post.status().message()));
  }
  return out;
}

using Lines = std::vector<std::string>;

TEST(RecordReaderTest, NdjsonBadLinesDoNotAffectGoodOnes) {
  std::string input =
      "{\"source\":\"a\",\"id\":\"1\",\"text\":\"好\",\"published_at\":\"2026-11-21T08:30:00Z\"}\n"
      "\n"
      "{\"source\":\"a\",\"id\":\"2\",\"text\":\"坏\"\n"
      "{\"source\":\"a\",\"id\":\"3\",\"text\":\"\xFF\",\"published_at\":\"2026-11-21T08:30:00Z\"}"
      "\n"
      "{\"source\":\"a\",\"id\":\"4\",\"text\":\"好\",\"published_at\":\"2026-11-21T08:30:00Z\"}"
      "\r\n";
  Lines got = ReadAll(input);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0], "line 1:OK:1");
  EXPECT_EQ(got[1].substr(0, 32), "line 3:malformed JSON: parse err");
  EXPECT_EQ(got[2], "line 4:invalid UTF-8 at byte 32");
  EXPECT_EQ(got[3], "line 5:OK:4");
}

TEST(RecordReaderTest, JsonArrayAndSingleObject) {
  std::string arr = R"([{"source":"a","id":"1","text":"x","published_at":"2026-11-21T08:30:00Z"},
                        {"source":"a","text":"x","published_at":"2026-11-21T08:30:00Z"}])";
  EXPECT_EQ(ReadAll(arr), (Lines{"record 1:OK:1",
                                 "record 2:field \"id\": is required (unique within its source)"}));
  std::string pretty =
      "{\n  \"source\": \"a\",\n  \"id\": \"9\",\n  \"title\": \"t\",\n"
      "  \"published_at\": \"2026-11-21T08:30:00Z\"\n}\n";
  EXPECT_EQ(ReadAll(pretty), (Lines{"line 1:OK:9"}));
  EXPECT_EQ(ReadAll("[1, 2"), (Lines{"OPEN malformed JSON: parse error at line 1, column 6: "
                                     "syntax error while parsing array - unexpected end of input; "
                                     "expected ']'"}));
  EXPECT_EQ(ReadAll(""), Lines{});
}

TEST(RecordReaderTest, CsvWithQuotesNestedFieldsAndBadRows) {
  std::string csv =
      "source,id,text,published_at,author.name,metrics.likes\n"
      "weibo,1,\"长治,苯胺\",2026-11-21T08:30:00+08:00,长治发布,12\n"
      "weibo,2,\"多行\n文本 \"\"引号\"\"\",2026-11-21T08:30:00+08:00,,\n"
      "weibo,3,x,2026-11-21T08:30:00+08:00,a,many\n"
      "weibo,4,x\n"
      "weibo,5,x,2026-11-21T08:30:00+08:00,b,1\n";
  EXPECT_EQ(ReadAll(csv, Format::kAuto, "posts.csv"),
            (Lines{"line 2:OK:1", "line 3:OK:2",
                   "line 5:field \"metrics.likes\": expected a non-negative integer, found string "
                   "\"many\"",
                   "line 6:3 cells, but the header has 6 columns", "line 7:OK:5"}));
  std::istringstream in(csv);
  auto reader = RecordReader::Open(in, Format::kCsv, RecordLimits{});
  ASSERT_TRUE(reader.ok());
  RawRecord rec;
  ASSERT_TRUE(*(*reader)->Next(rec));
  EXPECT_EQ(rec.post->text, "长治,苯胺");
  EXPECT_EQ(rec.post->author.name, "长治发布");
  EXPECT_EQ(rec.post->metrics.likes, 12);
  ASSERT_TRUE(*(*reader)->Next(rec));
  EXPECT_EQ(rec.post->text, "多行\n文本 \"引号\"");
}

TEST(RecordReaderTest, CsvHeaderErrorsAreReportedOnce) {
  EXPECT_EQ(ReadAll("source,id,publish_at\n", Format::kCsv)[0].substr(0, 73),
            "OPEN line 1: header column 3 \"publish_at\" is not a record field; expected");
  EXPECT_EQ(ReadAll("source,id,text\n", Format::kCsv),
            (Lines{"OPEN line 1: the header has no \"published_at\" column, which is required"}));
}

TEST(RecordReaderTest, FormatNames) {
  EXPECT_EQ(*ParseFormat("jsonl"), Format::kNdjson);
  EXPECT_EQ(ParseFormat("xml").status().message(),
            "unknown format \"xml\"; expected auto, json, ndjson or csv");
}

}  // namespace
}  // namespace yuqing::collect
