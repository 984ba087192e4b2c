#include "rules/rule_engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace yuqing::rules {
namespace {

std::vector<int64_t> Ids(const RuleEngine& engine, const PostView& post) {
  MatchResult result;
  engine.Match(post, result);
  std::vector<int64_t> ids;
  for (const RuleMatch& m : result.rules) ids.push_back(m.rule_id);
  return ids;
}

TEST(RuleEngineTest, PutReplaceAndRemoveTakeEffectImmediately) {
  RuleEngine engine;
  PostView post;
  post.text = "长治市潞城区一化工厂发生苯胺泄漏";
  EXPECT_EQ(Ids(engine, post), std::vector<int64_t>{});

  ASSERT_TRUE(engine.Put({1, "长治 AND 泄漏"}).ok());
  ASSERT_TRUE(engine.Put({2, "太原 AND 泄漏"}).ok());
  EXPECT_EQ(Ids(engine, post), std::vector<int64_t>{1});

  ASSERT_TRUE(engine.Put({2, "潞城 AND 苯胺"}).ok());  // changed
  EXPECT_EQ(Ids(engine, post), (std::vector<int64_t>{1, 2}));

  ASSERT_TRUE(engine.Remove(1).ok());
  EXPECT_EQ(Ids(engine, post), std::vector<int64_t>{2});
  Status missing = engine.Remove(1);
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_EQ(missing.message(), "rule 1 is not loaded");
}

TEST(RuleEngineTest, ARefusedRuleLeavesTheLiveSetUnchanged) {
  RuleEngine engine;
  ASSERT_TRUE(engine.Put({1, "长治 AND 泄漏"}).ok());
  auto before = engine.Snapshot();
  Status s = engine.Put({1, "NOT 演习"});
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "rule 1: column 1: NOT here is not combined with a required term, so the rule would "
            "match almost every post; write e.g. \"化工 AND NOT 演习\"");
  EXPECT_EQ(engine.Snapshot(), before);
  s = engine.Put({2, "(长治 OR"});
  EXPECT_EQ(s.message(),
            "rule 2: column 7: expected a word, phrase or '(' after OR, found end of query");
}

TEST(RuleEngineTest, ReplaceLoadsTheGoodRulesAndReportsTheRefusedOnes) {
  RuleEngine engine;
  auto refused = engine.Replace({{1, "长治 AND 泄漏"}, {2, "水"}, {3, "潞城"}, {3, "屯留"}});
  ASSERT_TRUE(refused.ok());
  ASSERT_EQ(refused->size(), 2u);
  EXPECT_EQ((*refused)[0].id, 2);
  EXPECT_EQ((*refused)[0].status.message(),
            "rule 2: column 1: the term \"水\" is too short (1 character; at least 2): it would "
            "match almost every post");
  EXPECT_EQ((*refused)[1].status.message(), "rule 3 appears twice");
  EXPECT_EQ(engine.Snapshot()->rule_count(), 2u);
}

// Two rule sets that each match the probe post with all of their rules: a result mixing ids of
// both would show a post matched against half a swap.
std::vector<RuleSource> Generation(int64_t base, const char* word) {
  std::vector<RuleSource> rules;
  for (int64_t i = 0; i < 40; ++i) {
    rules.push_back({base + i, std::string(word) + " AND (泄漏 OR 爆炸) AND NOT 演习" +
                                   std::string(i % 2 ? " AND NEAR/8(化工, 泄漏)" : "")});
  }
  return rules;
}

TEST(RuleEngineTest, MatchingDuringSwapsSeesEitherTheOldOrTheNewSetNeverAMix) {
  RuleEngine engine;
  auto old_rules = Generation(1000, "长治");
  auto new_rules = Generation(2000, "潞城");
  ASSERT_TRUE(engine.Replace(old_rules).ok());

  PostView post;
  post.title = "突发：长治市潞城区化工厂泄漏";
  post.text = "长治市潞城区一化工厂发生苯胺泄漏，目前已得到控制。";

  std::atomic<bool> done{false};
  std::atomic<int> bad{0};
  std::atomic<int> saw_old{0};
  std::atomic<int> saw_new{0};
  auto matcher = [&] {
    MatchResult result;
    int rounds = 0;
    while (!done.load() || rounds < 200) {
      engine.Match(post, result);
      ++rounds;
      if (result.rules.size() != 40) {
        ++bad;
        continue;
      }
      int64_t base = result.rules.front().rule_id < 2000 ? 1000 : 2000;
      for (size_t i = 0; i < result.rules.size(); ++i) {
        if (result.rules[i].rule_id != base + static_cast<int64_t>(i) ||
            result.rules[i].terms.empty()) {
          ++bad;
        }
      }
      ++(base == 1000 ? saw_old : saw_new);
    }
  };
  std::vector<std::thread> threads;
  for (int i = 0; i < 3; ++i) threads.emplace_back(matcher);
  for (int swap = 0; swap < 30; ++swap) {
    auto refused = engine.Replace(swap % 2 ? old_rules : new_rules);
    ASSERT_TRUE(refused.ok());
    ASSERT_TRUE(refused->empty());
  }
  done.store(true);
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_GT(saw_old.load() + saw_new.load(), 0);
  // A single rule put into the live set afterwards (once the matchers, which expect whole
  // 40-rule sets, have stopped — with them running, a 41-rule set would count as a mix).
  ASSERT_TRUE(engine.Put({2000, "潞城 AND (泄漏 OR 爆炸) AND NOT 演习"}).ok());
  MatchResult after;
  engine.Match(post, after);
  EXPECT_EQ(after.rules.size(), 41u);
  EXPECT_EQ(after.rules.back().rule_id, 2000);
}

}  // namespace
}  // namespace yuqing::rules
