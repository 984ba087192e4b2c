#include "store/sqlite/sqlite_store.h"

#include <gtest/gtest.h>

#include "core/time.h"
#include "rules/query_parser.h"
#include "rules/query_terms.h"
#include "store/sqlite/sqlite_db.h"
#include "testing/test_util.h"
#include "text/tokenizer.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

PostRecord Rec(std::string id, std::string text, const char* when,
               model::Channel channel = model::Channel::kWeibo, std::string region = "",
               std::string title = "") {
  auto tok = text::MakeBigramTokenizer();
  PostRecord r;
  r.post.source = "test";
  r.post.external_id = std::move(id);
  r.post.text = std::move(text);
  r.post.title = std::move(title);
  r.post.published_at = T(when);
  r.post.channel = channel;
  r.post.region = std::move(region);
  r.post.author.name = "人民日报";
  tok->DocumentTerms(r.post.text, r.text_terms);
  tok->DocumentTerms(r.post.title, r.title_terms);
  tok->DocumentTerms(r.post.author.name, r.author_terms);
  return r;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  std::vector<std::string> Find(std::string_view q, SearchRequest req = {}) {
    auto parsed = rules::ParseQuery(q);
    EXPECT_TRUE(parsed.ok()) << parsed.status().ToString();
    rules::FillQueryTerms(*parsed, *text::MakeBigramTokenizer());
    req.query = *parsed;
    auto page = store_->Search(req);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& h : page->hits) ids.push_back(h.post.external_id);
    }
    return ids;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

using Ids = std::vector<std::string>;

TEST_F(SqliteStoreTest, DuplicatesAreDetectedInTheStoreAndWithinABatch) {
  std::vector<PostRecord> batch = {Rec("1", "长治市苯胺泄漏", "2026-11-01T08:00:00+08:00"),
                                   Rec("2", "潞城区化工厂", "2026-11-01T09:00:00+08:00"),
                                   Rec("1", "again", "2026-11-01T10:00:00+08:00")};
  auto r = store_->InsertPosts(batch, T("2026-11-01T10:00:00Z"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].outcome, model::IngestOutcome::kAccepted);
  EXPECT_EQ((*r)[1].outcome, model::IngestOutcome::kAccepted);
  EXPECT_EQ((*r)[2].outcome, model::IngestOutcome::kDuplicate);
  EXPECT_EQ((*r)[2].key, (*r)[0].key);
  auto again = store_->InsertPosts(std::vector<PostRecord>{batch[1]}, T("2026-11-02T00:00:00Z"));
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].outcome, model::IngestOutcome::kDuplicate);
  EXPECT_EQ(store_->Stats()->posts, 2);
  auto got = store_->GetPost("test", "1");
  ASSERT_TRUE(got.ok());
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->post.text, "长治市苯胺泄漏");
  EXPECT_EQ((*got)->post.published_at, T("2026-11-01T00:00:00Z"));
}

TEST_F(SqliteStoreTest, PostsInTheSameMillisecondGetDistinctKeysInTimeOrder) {
  std::vector<PostRecord> batch = {Rec("a", "一", "2026-11-01T08:00:00+08:00"),
                                   Rec("b", "二", "2026-11-01T08:00:00+08:00"),
                                   Rec("c", "三", "2026-11-01T07:59:59+08:00")};
  auto r = store_->InsertPosts(batch, T("2026-11-01T10:00:00Z"));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)[1].key, (*r)[0].key + 1);
  EXPECT_LT((*r)[2].key, (*r)[0].key);
}

TEST_F(SqliteStoreTest, SearchesWordsPhrasesAndOperatorsNewestFirst) {
  std::vector<PostRecord> batch = {
      Rec("1", "长治市潞城区一化工厂发生苯胺泄漏", "2026-11-01T08:00:00+08:00"),
      Rec("2", "潞城区举行化工泄漏应急演习", "2026-11-02T08:00:00+08:00"),
      Rec("3", "邯郸停水，网传水污染", "2026-11-03T08:00:00+08:00"),
      Rec("4", "长治官方通报苯胺泄漏事故", "2026-11-04T08:00:00+08:00", model::Channel::kNews),
  };
  ASSERT_TRUE(store_->InsertPosts(batch, T("2026-11-05T00:00:00Z")).ok());
  EXPECT_EQ(Find("苯胺"), (Ids{"4", "1"}));
  EXPECT_EQ(Find("泄漏 -演习"), (Ids{"4", "1"}));
  EXPECT_EQ(Find("(长治 OR 潞城) AND (苯胺 OR 化工 OR 泄漏) AND NOT 演习"), (Ids{"4", "1"}));
  EXPECT_EQ(Find("\"苯胺泄漏\""), (Ids{"4", "1"}));
  EXPECT_EQ(Find("\"化工泄漏\""), (Ids{"2"}));
  EXPECT_EQ(Find("水污染 OR 演习"), (Ids{"3", "2"}));
  EXPECT_EQ(Find("channel:news"), (Ids{"4"}));
  EXPECT_EQ(Find("author:人民日报 邯郸"), (Ids{"3"}));
  // NEAR counts index terms between the two; with character bigrams that is about characters.
  EXPECT_EQ(Find("NEAR/8(长治, 泄漏)"), (Ids{"4"}));
  EXPECT_EQ(Find("NEAR/3(长治, 泄漏)"), Ids{});
  EXPECT_EQ(Find("nothing"), Ids{});
}

TEST_F(SqliteStoreTest, FiltersByTimeChannelSourceAndRegion) {
  std::vector<PostRecord> batch = {
      Rec("1", "化工厂泄漏", "2026-11-01T08:00:00+08:00", model::Channel::kWeibo, "140406"),
      Rec("2", "化工厂泄漏", "2026-11-02T08:00:00+08:00", model::Channel::kNews, "140400"),
      Rec("3", "化工厂泄漏", "2026-11-03T08:00:00+08:00", model::Channel::kNews, "130400"),
  };
  ASSERT_TRUE(store_->InsertPosts(batch, T("2026-11-05T00:00:00Z")).ok());
  SearchRequest r;
  r.from = T("2026-11-02T00:00:00+08:00");
  EXPECT_EQ(Find("泄漏", r), (Ids{"3", "2"}));
  r = {};
  r.to = T("2026-11-02T08:00:00+08:00");
  EXPECT_EQ(Find("泄漏", r), (Ids{"1"}));
  r = {};
  r.channels = {model::Channel::kNews};
  EXPECT_EQ(Find("泄漏", r), (Ids{"3", "2"}));
  r = {};
  r.region = "140000";  // Shanxi includes Changzhi and Lucheng
  EXPECT_EQ(Find("泄漏", r), (Ids{"2", "1"}));
  r.region = "1404";
  EXPECT_EQ(Find("泄漏 region:140406", r), (Ids{"1"}));
  r = {};
  r.sources = {"other"};
  EXPECT_EQ(Find("泄漏", r), Ids{});

  // Without a query: the same filters on the posts table, newest first.
  SearchRequest list;
  list.region = "14";
  list.channels = {model::Channel::kNews, model::Channel::kWeibo};
  auto page = store_->Search(list);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->hits.size(), 2u);
  EXPECT_EQ(page->hits[0].post.external_id, "2");
  EXPECT_EQ(page->total, 2);
}

TEST_F(SqliteStoreTest, FiltersByTheRulesAPostMatched) {
  model::Rule leak;
  leak.name = "leak";
  leak.query = "泄漏";
  auto r1 = store_->CreateRule(leak, T("2026-11-01T00:00:00Z"));
  model::Rule water = leak;
  water.name = "water";
  water.query = "停水";
  auto r2 = store_->CreateRule(water, T("2026-11-01T00:00:00Z"));
  ASSERT_TRUE(r1.ok() && r2.ok());
  std::vector<PostRecord> batch = {Rec("1", "化工厂泄漏", "2026-11-01T08:00:00+08:00"),
                                   Rec("2", "化工厂泄漏后停水", "2026-11-02T08:00:00+08:00"),
                                   Rec("3", "邯郸停水", "2026-11-03T08:00:00+08:00"),
                                   Rec("4", "化工厂", "2026-11-04T08:00:00+08:00")};
  batch[0].rule_hits = {{r1->id, {}}};
  batch[1].rule_hits = {{r1->id, {}}, {r2->id, {}}};
  batch[2].rule_hits = {{r2->id, {}}};
  auto keys = store_->InsertPosts(batch, T("2026-11-05T00:00:00Z"));
  ASSERT_TRUE(keys.ok());

  SearchRequest r;
  r.rule_ids = {r1->id};
  EXPECT_EQ(Find("化工厂", r), (Ids{"2", "1"}));
  r.sort = SortOrder::kRelevance;
  EXPECT_EQ(Find("化工厂", r).size(), 2u);
  r.sort = SortOrder::kNewest;
  r.rule_ids = {r2->id};
  EXPECT_EQ(Find("化工厂", r), (Ids{"2"}));
  r.rule_ids = {r1->id, r2->id};
  r.from = T("2026-11-02T00:00:00+08:00");
  EXPECT_EQ(Find("化工厂 OR 邯郸", r), (Ids{"3", "2"}));

  // Without a query: the rule's posts, newest first, counted.
  SearchRequest list;
  list.rule_ids = {r2->id};
  auto page = store_->Search(list);
  ASSERT_TRUE(page.ok()) << page.status().ToString();
  ASSERT_EQ(page->hits.size(), 2u);
  EXPECT_EQ(page->hits[0].post.external_id, "3");
  EXPECT_EQ(page->total, 2);

  // A backfilled hit counts as well.
  std::vector<PostRuleHit> later = {{(*keys)[3].key, {r2->id, {}}}};
  ASSERT_TRUE(store_->AddRuleHits(later).ok());
  page = store_->Search(list);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 3);
  EXPECT_EQ(page->hits[0].post.external_id, "4");

  // Per rule, the posts of a period with a hit.
  using Counts = std::vector<std::pair<int64_t, int64_t>>;
  EXPECT_EQ(*store_->CountRuleHits(std::nullopt, std::nullopt), (Counts{{r1->id, 2}, {r2->id, 3}}));
  EXPECT_EQ(*store_->CountRuleHits(T("2026-11-02T08:00:00+08:00"), T("2026-11-04T08:00:00+08:00")),
            (Counts{{r1->id, 1}, {r2->id, 2}}));
  EXPECT_EQ(*store_->CountRuleHits(T("2026-11-05T00:00:00+08:00"), std::nullopt), Counts{});
}

TEST_F(SqliteStoreTest, PagesAndCountsAndRanksByRelevance) {
  std::vector<PostRecord> batch;
  for (int i = 0; i < 30; ++i) {
    batch.push_back(Rec(std::to_string(i), i == 7 ? "暴雨 暴雨 暴雨 内涝" : "今天暴雨",
                        i < 10 ? "2026-11-01T08:00:00+08:00" : "2026-11-02T08:00:00+08:00"));
  }
  ASSERT_TRUE(store_->InsertPosts(batch, T("2026-11-05T00:00:00Z")).ok());
  SearchRequest r;
  r.limit = 5;
  r.offset = 25;
  auto parsed = rules::ParseQuery("暴雨");
  rules::FillQueryTerms(*parsed, *text::MakeBigramTokenizer());
  r.query = *parsed;
  auto page = store_->Search(r);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->total, 30);
  EXPECT_EQ(page->hits.size(), 5u);
  r.offset = 0;
  r.sort = SortOrder::kRelevance;
  page = store_->Search(r);
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->hits[0].post.external_id, "7");
  EXPECT_GT(page->hits[0].score, page->hits[1].score);
  r.limit = 5000;
  EXPECT_EQ(store_->Search(r).status().message(), "limit 5000 is outside 0..1000");
}

// yq_rank (fts_rank.h) skips exact scoring for rows that cannot reach the page; the page must
// be the one FTS5's bm25() gives, row for row and score for score (for one phrase, score over
// the phrase's IDF).
TEST_F(SqliteStoreTest, RelevancePagesMatchBuiltinBm25) {
  const std::vector<std::string> words = {"暴雨", "内涝", "长治", "化工", "泄漏", "通报",
                                          "学校", "招聘", "河道", "停水", "医院", "道路"};
  uint64_t state = 12345;
  auto next = [&state](uint64_t n) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (state >> 33) % n;
  };
  std::vector<PostRecord> batch;
  for (int i = 0; i < 800; ++i) {
    std::string text;
    size_t n = 1 + next(40);  // rows of very different lengths
    for (size_t w = 0; w < n; ++w) {
      // Skewed: the first words are common, so their matches run to hundreds.
      text += words[std::min(next(words.size()), next(words.size()))];
      text += next(3) == 0 ? "，" : "";
    }
    std::string title = next(5) == 0 ? words[next(words.size())] + "情况" : "";
    batch.push_back(Rec(std::to_string(i), text, "2026-11-01T08:00:00+08:00",
                        model::Channel::kWeibo, "", title));
    batch.back().post.published_at += std::chrono::seconds(i);
  }
  ASSERT_TRUE(store_->InsertPosts(batch, T("2026-11-05T00:00:00Z")).ok());
  SqliteOptions builtin;
  builtin.builtin_bm25 = true;
  auto reference = OpenSqliteStore(dir_.File("y.db"), builtin);
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  int compared = 0;
  for (const char* q : {"暴雨", "化工", "道路", "暴雨 内涝", "长治 OR 医院", "title:通报"}) {
    for (auto [limit, offset] : {std::pair{20, 0}, {5, 0}, {10, 30}, {1, 0}, {0, 0}}) {
      auto parsed = rules::ParseQuery(q);
      ASSERT_TRUE(parsed.ok()) << q;
      rules::FillQueryTerms(*parsed, *text::MakeBigramTokenizer());
      SearchRequest r;
      r.query = *parsed;
      r.sort = SortOrder::kRelevance;
      r.limit = limit;
      r.offset = offset;
      auto mine = store_->Search(r);
      auto theirs = (*reference)->Search(r);
      ASSERT_TRUE(mine.ok()) << mine.status().ToString();
      ASSERT_TRUE(theirs.ok()) << theirs.status().ToString();
      ASSERT_EQ(mine->hits.size(), theirs->hits.size()) << q << " limit " << limit;
      EXPECT_EQ(mine->total, theirs->total);
      // One phrase: the scores are bm25()'s over the phrase's IDF, one factor for the page.
      const bool one_phrase = std::string_view(q).find(' ') == std::string_view::npos;
      const double idf = one_phrase && !theirs->hits.empty() && mine->hits[0].score != 0
                             ? theirs->hits[0].score / mine->hits[0].score
                             : 1.0;
      if (one_phrase) {
        EXPECT_GT(idf, 0) << q;
      }
      for (size_t i = 0; i < mine->hits.size(); ++i) {
        EXPECT_EQ(mine->hits[i].post.external_id, theirs->hits[i].post.external_id)
            << q << " limit " << limit << " offset " << offset << " row " << i;
        EXPECT_NEAR(mine->hits[i].score * idf, theirs->hits[i].score, 1e-9) << q << " row " << i;
        ++compared;
      }
      if (limit > 0 && theirs->total > offset) {
        EXPECT_FALSE(mine->hits.empty()) << q;
      }
    }
  }
  EXPECT_GT(compared, 200);

  // The total that yq_rank counts while ranking is the count FTS5 gives, capped alike.
  SqliteOptions capped;
  capped.total_cap = 50;
  auto small = OpenSqliteStore(dir_.File("y.db"), capped);
  ASSERT_TRUE(small.ok()) << small.status().ToString();
  for (const char* q : {"暴雨", "长治 OR 医院", "title:通报"}) {
    auto parsed = rules::ParseQuery(q);
    ASSERT_TRUE(parsed.ok()) << q;
    rules::FillQueryTerms(*parsed, *text::MakeBigramTokenizer());
    SearchRequest r;
    r.query = *parsed;
    r.limit = 3;
    r.sort = SortOrder::kNewest;
    auto newest = (*small)->Search(r);
    r.sort = SortOrder::kRelevance;
    auto relevant = (*small)->Search(r);
    auto uncapped = store_->Search(r);
    ASSERT_TRUE(newest.ok() && relevant.ok() && uncapped.ok()) << q;
    EXPECT_EQ(relevant->total, newest->total) << q;
    EXPECT_EQ(relevant->total_capped, newest->total_capped) << q;
    EXPECT_EQ(relevant->total, std::min<int64_t>(50, uncapped->total)) << q;
    EXPECT_EQ(relevant->total_capped, uncapped->total > 50) << q;
  }
}

TEST_F(SqliteStoreTest, ReopeningKeepsDataAndSchemaVersion) {
  ASSERT_TRUE(store_
                  ->InsertPosts(std::vector<PostRecord>{Rec("1", "x", "2026-11-01T00:00:00Z")},
                                T("2026-11-01T00:00:00Z"))
                  .ok());
  store_.reset();
  auto s = OpenSqliteStore(dir_.File("y.db"));
  ASSERT_TRUE(s.ok());
  EXPECT_EQ((*s)->Stats()->posts, 1);
  EXPECT_EQ((*s)->Stats()->schema_version, CurrentSchemaVersion());
}

TEST_F(SqliteStoreTest, RefusesANewerSchemaAndNonDatabaseFiles) {
  store_.reset();
  {
    auto db = Db::Open(dir_.File("y.db"), false);
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 99").ok());
  }
  auto s = OpenSqliteStore(dir_.File("y.db"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.status().message().find("schema version 99, newer than this build's"),
            std::string::npos);
  testing::WriteFile(dir_.File("junk.db"), std::string(4096, 'x'));
  auto j = OpenSqliteStore(dir_.File("junk.db"));
  ASSERT_FALSE(j.ok());
  EXPECT_EQ(j.status().code(), StatusCode::kFailedPrecondition) << j.status().ToString();
}

TEST_F(SqliteStoreTest, SchemaThreeRecreatesTheIndexAndAsksForAReindexWhenPostsExist) {
  ASSERT_TRUE(store_->SetMeta("index.tokenizer", "bigram-v1").ok());
  ASSERT_TRUE(
      store_
          ->InsertPosts(std::vector<PostRecord>{Rec("1", "化工泄漏", "2026-11-01T00:00:00Z")},
                        T("2026-11-01T00:00:00Z"))
          .ok());
  store_.reset();
  {
    auto db = Db::Open(dir_.File("y.db"), false);
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 2").ok());
  }
  auto s = OpenSqliteStore(dir_.File("y.db"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->Stats()->posts, 1);
  EXPECT_EQ(*(*s)->GetMeta("index.tokenizer"), "none (schema 3: run yuqing reindex)");
  // An empty database needs no re-index: the tokenizer is simply recorded on first use.
  store_.reset();
  testing::TempDir other;
  {
    auto fresh = OpenSqliteStore(other.File("z.db"));
    ASSERT_TRUE((*fresh)->SetMeta("index.tokenizer", "bigram-v1").ok());
  }
  {
    auto db = Db::Open(other.File("z.db"), false);
    ASSERT_TRUE((*db)->Exec("PRAGMA user_version = 2").ok());
  }
  auto empty = OpenSqliteStore(other.File("z.db"));
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(*(*empty)->GetMeta("index.tokenizer"), "");
}

TEST_F(SqliteStoreTest, MetaValuesPersist) {
  EXPECT_EQ(*store_->GetMeta("index.tokenizer"), "");
  ASSERT_TRUE(store_->SetMeta("index.tokenizer", "bigram-v1").ok());
  ASSERT_TRUE(store_->SetMeta("index.tokenizer", "jieba-v1").ok());
  EXPECT_EQ(*store_->GetMeta("index.tokenizer"), "jieba-v1");
}

}  // namespace
}  // namespace yuqing::store::sqlite
