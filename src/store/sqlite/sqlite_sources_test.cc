// The source store in SQLite: the conformance suite on a real file in a temp dir, and that the
// state survives reopening the file (schema 10).
#include <gtest/gtest.h>

#include "store/sources_store_conformance.h"
#include "store/sqlite/sqlite_store.h"

namespace yuqing::store::sqlite {
namespace {

std::unique_ptr<Store> OpenInDir(const std::string& dir) {
  auto s = OpenSqliteStore(dir + "/sources.db");
  if (!s.ok()) {
    ADD_FAILURE() << s.status().ToString();
    return nullptr;
  }
  return std::move(s).value();
}

using conformance::SourceStoreConformance;
INSTANTIATE_TEST_SUITE_P(Sqlite, SourceStoreConformance,
                         ::testing::Values(conformance::SourceStoreBackend{"sqlite", OpenInDir}),
                         conformance::SourceStoreBackendName);

TEST(SqliteSourcesTest, StateSurvivesReopening) {
  testing::TempDir dir;
  auto t = *core::ParseIso8601("2026-11-16T09:00:00Z");
  model::SourceState st;
  st.cursor = "c1";
  st.accepted = 3;
  {
    auto store = OpenInDir(dir.path().string());
    ASSERT_NE(store, nullptr);
    model::Source s;
    s.name = "x";
    ASSERT_TRUE(store->CreateSource(s, t).ok());
    ASSERT_TRUE(store->PutSourceState("x", st, {}).ok());
  }
  auto store = OpenInDir(dir.path().string());
  ASSERT_NE(store, nullptr);
  auto got = store->GetSource("x");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->state, st);
  EXPECT_GE(CurrentSchemaVersion(), 10);
}

}  // namespace
}  // namespace yuqing::store::sqlite
