// `yuqing reindex` with the real binary: a database indexed with character bigrams is refused
// by the word tokenizer until it is re-indexed, and is searchable by words afterwards.
#include <gtest/gtest.h>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

TEST(ReindexTest, ChangingTheIndexTokenizerNeedsAndGetsAReindex) {
  TempDir dir;
  std::string y = (BinaryDir() / "yuqing").string();
  std::string db = dir.File("y.db");
  WriteFile(dir.File("p.ndjson"),
            "{\"source\":\"s\",\"id\":\"1\",\"text\":\"长治市潞城区化工厂发生苯胺泄漏\","
            "\"published_at\":\"2026-11-16T09:00:00+08:00\"}\n");
  RunResult r = RunCommand({y, "ingest", dir.File("p.ndjson"), "--db", db, "--quiet", "--set",
                            "store.index_tokenizer=bigram"});
  ASSERT_EQ(r.code, 0) << r.err;
  r = RunCommand({y, "search", "苯胺", "--db", db, "--lang", "en"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("the search index was built with tokenizer \"bigram-v1\" but this build "
                       "uses \"jieba-v2\"; run `yuqing reindex` once"),
            std::string::npos)
      << r.err;
  r = RunCommand({y, "reindex", "--db", db, "--lang", "en"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("search index rebuilt with tokenizer \"jieba-v2\""), std::string::npos);
  r = RunCommand({y, "search", "苯胺", "--db", db, "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"1\""), std::string::npos) << r.out;
  // Words, not pairs: 化工 + 厂房 would be found by bigrams ("工厂" spans them); by words it
  // is not, while a word inside a longer word (长治 in 长治市) still is.
  r = RunCommand({y, "search", "长治", "--db", db, "--json"});
  EXPECT_NE(r.out.find("\"id\":\"1\""), std::string::npos) << r.out;
}

}  // namespace
}  // namespace yuqing::testing

namespace yuqing::testing {
namespace {

TEST(RegionNamesTest, RulesAndSearchResolvePlaceNamesFromTheGazetteer) {
  TempDir dir;
  std::string y = (BinaryDir() / "yuqing").string();
  std::string db = dir.File("y.db");
  WriteFile(dir.File("p.ndjson"),
            "{\"source\":\"s\",\"id\":\"1\",\"text\":\"化工厂发生苯胺泄漏\",\"region\":\"140406\","
            "\"published_at\":\"2026-11-16T09:00:00+08:00\"}\n");
  ASSERT_EQ(RunCommand({y, "ingest", dir.File("p.ndjson"), "--db", db, "--quiet"}).code, 0);
  RunResult r = RunCommand({y, "search", "region:长治 泄漏", "--db", db, "--json"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("\"id\":\"1\""), std::string::npos) << r.out;
  r = RunCommand({y, "rules", "add", "r", "region:朝阳 AND 泄漏", "--db", db, "--lang", "en"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("region \"朝阳\" is ambiguous (110105 朝阳区, 211300 朝阳市"),
            std::string::npos)
      << r.err;
  r = RunCommand({y, "rules", "test", "region:潞城 AND 泄漏", "--db", db, "--lang", "en"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("1 match"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace yuqing::testing
