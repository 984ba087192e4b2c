// Monitoring rules, keyword lists and rule hits in the SQLite store.
#include <gtest/gtest.h>

#include "core/time.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

PostRecord Rec(std::string id, std::string text, const char* when) {
  PostRecord r;
  r.post.source = "test";
  r.post.external_id = std::move(id);
  r.post.text = std::move(text);
  r.post.published_at = T(when);
  return r;
}

model::Rule NewRule(std::string name, std::string query) {
  model::Rule r;
  r.name = std::move(name);
  r.query = std::move(query);
  return r;
}

class SqliteRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  int64_t Version() { return store_->RulesVersion().value(); }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  core::TimePoint now_ = T("2026-11-21T09:00:00+08:00");
};

TEST_F(SqliteRulesTest, RuleKeepsEveryFieldAndGetsIncreasingIds) {
  model::Rule r = NewRule("长治化工", "(长治 OR 潞城) AND (苯胺 OR 泄漏) AND NOT 演习");
  r.owner = "长治市委网信办";
  r.tags = {"化工", "安全生产"};
  r.enabled = false;
  auto a = store_->CreateRule(r, now_);
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  auto b = store_->CreateRule(NewRule("邯郸停水", "邯郸 AND 停水"), now_);
  ASSERT_TRUE(b.ok());
  EXPECT_GT(b->id, a->id);

  auto got = store_->GetRule(a->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  const model::Rule& g = **got;
  EXPECT_EQ(g.name, "长治化工");
  EXPECT_EQ(g.query, "(长治 OR 潞城) AND (苯胺 OR 泄漏) AND NOT 演习");
  EXPECT_EQ(g.owner, "长治市委网信办");
  EXPECT_EQ(g.tags, (std::vector<std::string>{"化工", "安全生产"}));
  EXPECT_FALSE(g.enabled);
  EXPECT_EQ(g.created_at, now_);
  EXPECT_EQ(g.updated_at, now_);

  auto by_name = store_->GetRuleByName("邯郸停水");
  ASSERT_TRUE(by_name.ok() && by_name->has_value());
  EXPECT_EQ((*by_name)->id, b->id);
  EXPECT_TRUE((*by_name)->tags.empty());
  EXPECT_FALSE(store_->GetRuleByName("没有")->has_value());
  EXPECT_FALSE(store_->GetRule(999)->has_value());

  auto all = store_->ListRules();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "长治化工");
  EXPECT_EQ((*all)[1].name, "邯郸停水");
}

TEST_F(SqliteRulesTest, DuplicateNameIsRefused) {
  ASSERT_TRUE(store_->CreateRule(NewRule("r", "长治 泄漏"), now_).ok());
  auto again = store_->CreateRule(NewRule("r", "邯郸 停水"), now_);
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(again.status().message(), "a rule named \"r\" already exists");
  auto other = store_->CreateRule(NewRule("s", "邯郸 停水"), now_);
  ASSERT_TRUE(other.ok());
  model::Rule renamed = *other;
  renamed.name = "r";
  EXPECT_EQ(store_->UpdateRule(renamed, now_).status().code(), StatusCode::kAlreadyExists);
}

TEST_F(SqliteRulesTest, UpdateEnableAndDeleteChangeTheRuleAndTheVersion) {
  EXPECT_EQ(Version(), 0);
  auto r = store_->CreateRule(NewRule("r", "长治 泄漏"), now_);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(Version(), 1);

  model::Rule changed = *r;
  changed.query = "长治 AND 苯胺";
  changed.owner = "应急局";
  auto later = T("2026-11-21T10:00:00+08:00");
  auto u = store_->UpdateRule(changed, later);
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_EQ(u->query, "长治 AND 苯胺");
  EXPECT_EQ(u->owner, "应急局");
  EXPECT_EQ(u->created_at, now_);
  EXPECT_EQ(u->updated_at, later);
  EXPECT_EQ(Version(), 2);

  ASSERT_TRUE(store_->SetRuleEnabled(r->id, false, later).ok());
  EXPECT_FALSE((*store_->GetRule(r->id))->enabled);
  EXPECT_EQ(Version(), 3);

  ASSERT_TRUE(store_->DeleteRule(r->id).ok());
  EXPECT_FALSE(store_->GetRule(r->id)->has_value());
  EXPECT_EQ(Version(), 4);

  Status missing = store_->DeleteRule(r->id);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "no rule with id 1");
  EXPECT_EQ(store_->SetRuleEnabled(42, true, later).message(), "no rule with id 42");
  changed.id = 42;
  EXPECT_EQ(store_->UpdateRule(changed, later).status().message(), "no rule with id 42");
  EXPECT_EQ(Version(), 4);  // failed changes do not count
}

TEST_F(SqliteRulesTest, KeywordListsAreReplacedWholeAndDeduplicated) {
  model::KeywordList list{"places_changzhi", {"长治", "潞城", "长治", "屯留"}, {}};
  ASSERT_TRUE(store_->PutKeywordList(list, now_).ok());
  auto got = store_->GetKeywordList("places_changzhi");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->words, (std::vector<std::string>{"长治", "潞城", "屯留"}));
  EXPECT_EQ((*got)->updated_at, now_);

  list.words = {"襄垣"};
  ASSERT_TRUE(store_->PutKeywordList(list, now_).ok());
  ASSERT_TRUE(store_->PutKeywordList({"events", {"泄漏", "爆炸"}, {}}, now_).ok());
  auto all = store_->ListKeywordLists();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "events");
  EXPECT_EQ((*all)[1].words, std::vector<std::string>{"襄垣"});
  EXPECT_EQ(Version(), 3);

  Status bad = store_->PutKeywordList({"x", {"a\nb"}, {}}, now_);
  EXPECT_EQ(bad.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.message(), "keyword list word \"a\nb\" is empty or contains a line break");

  ASSERT_TRUE(store_->DeleteKeywordList("events").ok());
  EXPECT_FALSE(store_->GetKeywordList("events")->has_value());
  EXPECT_EQ(store_->DeleteKeywordList("events").message(), "no keyword list \"@events\"");
}

TEST_F(SqliteRulesTest, HitsAreRecordedForAcceptedPostsOnly) {
  auto rule = store_->CreateRule(NewRule("r", "长治 泄漏"), now_);
  ASSERT_TRUE(rule.ok());
  model::RuleHit hit{
      rule->id, {{"text", 0, 6, "长治"}, {"text", 15, 21, "泄漏"}, {"title", 0, 4, "a\\b\nc"}}};
  std::vector<PostRecord> batch = {Rec("1", "长治化工厂泄漏", "2026-11-21T08:00:00+08:00"),
                                   Rec("2", "邯郸停水", "2026-11-21T08:01:00+08:00")};
  batch[0].rule_hits = {hit};
  auto first = store_->InsertPosts(batch, now_);
  ASSERT_TRUE(first.ok()) << first.status().ToString();

  // The same post again, now claiming another hit: a duplicate, so nothing changes.
  std::vector<PostRecord> again = {batch[0]};
  again[0].rule_hits = {{rule->id, {{"text", 0, 6, "别的"}}}};
  auto second = store_->InsertPosts(again, now_);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)[0].outcome, model::IngestOutcome::kDuplicate);

  std::vector<int64_t> keys = {(*first)[1].key, (*first)[0].key};
  auto hits = store_->RuleHitsForPosts(keys);
  ASSERT_TRUE(hits.ok()) << hits.status().ToString();
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].post_key, (*first)[0].key);
  EXPECT_EQ((*hits)[0].rule_name, "r");
  EXPECT_EQ((*hits)[0].hit, hit);

  // Deleting the rule deletes its hits.
  ASSERT_TRUE(store_->DeleteRule(rule->id).ok());
  EXPECT_TRUE(store_->RuleHitsForPosts(keys)->empty());
}

TEST_F(SqliteRulesTest, HitsAddedForStoredPostsKeepWhatWasRecordedAndRefuseUnknownOnes) {
  auto rule = store_->CreateRule(NewRule("r", "长治 泄漏"), now_);
  ASSERT_TRUE(rule.ok());
  std::vector<PostRecord> batch = {Rec("1", "长治化工厂泄漏", "2026-11-21T08:00:00+08:00"),
                                   Rec("2", "长治又泄漏", "2026-11-21T08:01:00+08:00")};
  model::RuleHit at_ingest{rule->id, {{"text", 0, 6, "长治"}}};
  batch[0].rule_hits = {at_ingest};
  auto keys = store_->InsertPosts(batch, now_);
  ASSERT_TRUE(keys.ok()) << keys.status().ToString();
  const int64_t k1 = (*keys)[0].key, k2 = (*keys)[1].key;

  model::RuleHit later{rule->id, {{"text", 0, 6, "长治"}, {"text", 9, 15, "泄漏"}}};
  std::vector<PostRuleHit> add = {{k1, later}, {k2, later}};
  auto written = store_->AddRuleHits(add);
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(*written, 1);  // post 1 keeps the hit it was stored with
  std::vector<int64_t> both = {k1, k2};
  auto hits = store_->RuleHitsForPosts(both);
  ASSERT_EQ(hits->size(), 2u);
  EXPECT_EQ((*hits)[0].hit, at_ingest);
  EXPECT_EQ((*hits)[1].hit, later);
  EXPECT_EQ(*store_->AddRuleHits(add), 0);
  EXPECT_EQ(*store_->AddRuleHits({}), 0);

  // An unknown post or rule refuses the whole call: the valid hit beside it is not written.
  auto other = store_->CreateRule(NewRule("s", "泄漏"), now_);
  ASSERT_TRUE(other.ok());
  std::vector<PostRuleHit> bad_post = {{k1, {other->id, {}}}, {k2 + 100, {other->id, {}}}};
  auto refused = store_->AddRuleHits(bad_post);
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(refused.status().message(), fmt::format("no stored post with key {}", k2 + 100));
  std::vector<PostRuleHit> bad_rule = {{k1, {other->id, {}}}, {k2, {other->id + 7, {}}}};
  refused = store_->AddRuleHits(bad_rule);
  EXPECT_EQ(refused.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->RuleHitsForPosts(both)->size(), 2u);  // still only rule r's two
}

TEST_F(SqliteRulesTest, ScanPostsPagesThroughATimeRangeInKeyOrder) {
  std::vector<PostRecord> batch;
  for (int i = 0; i < 7; ++i) {
    std::string when = "2026-11-21T08:0" + std::to_string(i) + ":00+08:00";
    batch.push_back(Rec(std::to_string(i), "长治", when.c_str()));
  }
  ASSERT_TRUE(store_->InsertPosts(batch, now_).ok());
  ScanRequest req;
  req.from = T("2026-11-21T08:01:00+08:00");
  req.to = T("2026-11-21T08:06:00+08:00");
  req.limit = 2;
  std::vector<std::string> ids;
  while (true) {
    auto page = store_->ScanPosts(req);
    ASSERT_TRUE(page.ok()) << page.status().ToString();
    if (page->empty()) break;
    for (const auto& p : *page) ids.push_back(p.post.external_id);
    req.after_key = page->back().key;
  }
  EXPECT_EQ(ids, (std::vector<std::string>{"1", "2", "3", "4", "5"}));
  req.limit = 0;
  EXPECT_EQ(store_->ScanPosts(req).status().message(), "limit 0 is outside 1..10000");
}

TEST_F(SqliteRulesTest, AVersionOneFileGainsTheRuleTablesAndKeepsItsPosts) {
  ASSERT_TRUE(store_
                  ->InsertPosts(
                      std::vector<PostRecord>{Rec("1", "长治", "2026-11-21T08:00:00+08:00")}, now_)
                  .ok());
  store_.reset();
  {
    auto db = Db::Open(dir_.File("y.db"), false);
    ASSERT_TRUE(db.ok());
    ASSERT_TRUE((*db)
                    ->Exec("DROP TABLE rules; DROP TABLE keyword_lists; DROP TABLE post_rule_hits; "
                           "DELETE FROM meta WHERE key = 'rules.version'; PRAGMA user_version = 1")
                    .ok());
  }
  auto s = OpenSqliteStore(dir_.File("y.db"));
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ((*s)->Stats()->posts, 1);
  EXPECT_EQ((*s)->Stats()->schema_version, CurrentSchemaVersion());
  EXPECT_EQ((*s)->RulesVersion().value(), 0);
  EXPECT_TRUE((*s)->CreateRule(NewRule("r", "长治 泄漏"), now_).ok());
}

}  // namespace
}  // namespace yuqing::store::sqlite
