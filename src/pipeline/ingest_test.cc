#include "pipeline/ingest.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::pipeline {
namespace {

std::string Line(int id, const char* text) {
  return fmt::format(
      "{{\"source\":\"t\",\"id\":\"{}\",\"text\":\"{}\",\"published_at\":\"2026-11-21T08:{:02}:00+"
      "08:00\"}}\n",
      id, text, id % 60);
}

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
  }
  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-21T00:00:00Z")};
};

TEST_F(IngestTest, ImportCountsEveryOutcomeAcrossBatches) {
  std::string input;
  for (int i = 0; i < 25; ++i) input += Line(i, "长治化工厂泄漏");
  input += "not json\n";
  input += Line(3, "重复");  // duplicate of id 3
  std::istringstream in(input);
  auto reader = collect::RecordReader::Open(in, collect::Format::kNdjson, {});
  ASSERT_TRUE(reader.ok());
  Ingestor ingestor(*store_, text::MakeBigramTokenizer(), clock_);
  std::vector<std::string> rejected;
  int progress_calls = 0;
  ImportOptions options;
  options.batch_size = 4;
  options.on_reject = [&](const collect::RawRecord& r) { rejected.push_back(r.Where()); };
  options.on_progress = [&](const ImportCounts&) { ++progress_calls; };
  auto counts = ImportRecords(**reader, ingestor, options);
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(counts->records, 27);
  EXPECT_EQ(counts->accepted, 25);
  EXPECT_EQ(counts->duplicate, 1);
  EXPECT_EQ(counts->rejected, 1);
  EXPECT_EQ(rejected, std::vector<std::string>{"line 26"});
  EXPECT_GE(progress_calls, 6);
  EXPECT_EQ(store_->Stats()->posts, 25);
}

TEST_F(IngestTest, TokenizerMismatchAsksForReindex) {
  auto tok = text::MakeBigramTokenizer();
  ASSERT_TRUE(CheckIndexTokenizer(*store_, *tok).ok());
  ASSERT_TRUE(CheckIndexTokenizer(*store_, *tok).ok());
  ASSERT_TRUE(store_->SetMeta("index.tokenizer", "other-v9").ok());
  Status s = CheckIndexTokenizer(*store_, *tok);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("run `yuqing reindex`"), std::string::npos);
}

}  // namespace
}  // namespace yuqing::pipeline
