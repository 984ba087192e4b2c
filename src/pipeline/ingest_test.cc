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

// A tokenizer that indexes every text as one fixed term, to tell a rebuilt index apart.
class OneTermTokenizer final : public text::Tokenizer {
 public:
  std::string_view Name() const override { return "one-term-v1"; }
  void DocumentTerms(std::string_view text, std::vector<std::string>& terms) const override {
    if (!text.empty()) terms.push_back("everything");
  }
  void QueryTerms(std::string_view, std::vector<std::string>& terms) const override {
    terms.push_back("everything");
  }
};

TEST_F(IngestTest, ReindexRebuildsTheIndexWithTheNewTokenizer) {
  auto bigram = text::MakeBigramTokenizer();
  ASSERT_TRUE(CheckIndexTokenizer(*store_, *bigram).ok());
  Ingestor ingestor(*store_, bigram, clock_);
  std::vector<model::Post> posts(3);
  for (int i = 0; i < 3; ++i) {
    posts[i].source = "t";
    posts[i].external_id = std::to_string(i);
    posts[i].text = i == 0 ? "化工厂泄漏" : "天气晴朗";
    posts[i].published_at = clock_.Now();
  }
  ASSERT_TRUE(ingestor.Write(posts).ok());
  OneTermTokenizer one;
  EXPECT_EQ(CheckIndexTokenizer(*store_, one).code(), StatusCode::kFailedPrecondition);
  int64_t last_progress = -1;
  ASSERT_TRUE(Reindex(*store_, one, [&](int64_t n) { last_progress = n; }).ok());
  EXPECT_EQ(last_progress, 3);
  EXPECT_TRUE(CheckIndexTokenizer(*store_, one).ok());
  auto search = [&](const char* word, const text::Tokenizer& tok) {
    model::QueryNode q;
    q.text = word;
    tok.QueryTerms(word, q.tokens);
    store::SearchRequest req;
    req.query = q;
    return store_->Search(req)->total;
  };
  EXPECT_EQ(search("whatever", one), 3);  // every post has the one term now
  EXPECT_EQ(search("泄漏", *bigram), 0);  // the bigram terms are gone
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
