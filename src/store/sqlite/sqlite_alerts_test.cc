// Alert policies, alerts and the outbox in the SQLite store.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

model::AlertPolicy Policy(std::string name) {
  model::AlertPolicy p;
  p.name = std::move(name);
  p.rule_ids = {3, 7};
  p.regions = {"1404"};
  p.domains = {model::Domain::kEmergency};
  p.min_grade = 3;
  p.min_heat = 40.5;
  p.targets = {{model::TargetKind::kWeCom, "https://qyapi.weixin.qq.com/x?key=1", ""},
               {model::TargetKind::kEmail, "duty@example.org", ""},
               {model::TargetKind::kDingTalk, "https://oapi.dingtalk.com/robot/send?a=1", "SEC"}};
  p.language = "en";
  return p;
}

model::NewAlert NewAlert(int64_t event, int64_t policy, int level, int previous = 0,
                         size_t targets = 2) {
  model::NewAlert a;
  a.event_id = event;
  a.policy_id = policy;
  a.level = level;
  a.previous_level = previous;
  a.created_at = T("2026-11-21T09:10:00+08:00");
  a.title = "潞城区化工厂爆炸";
  a.payload_json = R"({"event":{"id":12}})";
  for (size_t i = 0; i < targets; ++i) {
    a.targets.push_back({model::TargetKind::kWebhook, fmt::format("http://127.0.0.1:9/{}", i), ""});
  }
  return a;
}

class SqliteAlertsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
  }

  // Commits alerts the way the event stage does: an EventBatch with only alerts.
  std::vector<int64_t> Commit(std::vector<model::NewAlert> alerts) {
    EventBatch batch;
    batch.alerts = std::move(alerts);
    auto r = store_->CommitEvents(batch);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->alert_ids : std::vector<int64_t>{};
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  core::TimePoint now_ = T("2026-11-21T09:00:00+08:00");
};

TEST_F(SqliteAlertsTest, PolicyKeepsEveryFieldIncludingTheSecret) {
  auto created = store_->CreateAlertPolicy(Policy("长治应急"), now_);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_GT(created->id, 0);
  auto got = store_->GetAlertPolicy(created->id);
  ASSERT_TRUE(got.ok() && got->has_value());
  const model::AlertPolicy& p = **got;
  EXPECT_EQ(p.name, "长治应急");
  EXPECT_TRUE(p.enabled);
  EXPECT_EQ(p.rule_ids, (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(p.regions, (std::vector<std::string>{"1404"}));
  EXPECT_EQ(p.domains, (std::vector<model::Domain>{model::Domain::kEmergency}));
  EXPECT_EQ(p.min_grade, 3);
  EXPECT_DOUBLE_EQ(p.min_heat, 40.5);
  EXPECT_EQ(p.targets, Policy("x").targets);
  EXPECT_EQ(p.language, "en");
  EXPECT_EQ(p.created_at, now_);
  EXPECT_EQ(p.updated_at, now_);
}

TEST_F(SqliteAlertsTest, EveryPolicyChangeBumpsTheVersion) {
  EXPECT_EQ(*store_->AlertPoliciesVersion(), 0);
  auto a = store_->CreateAlertPolicy(Policy("a"), now_);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(*store_->AlertPoliciesVersion(), 1);
  model::AlertPolicy changed = *a;
  changed.enabled = false;
  changed.min_grade = 2;
  auto u = store_->UpdateAlertPolicy(changed, now_ + std::chrono::minutes(1));
  ASSERT_TRUE(u.ok()) << u.status().ToString();
  EXPECT_FALSE(u->enabled);
  EXPECT_EQ(u->min_grade, 2);
  EXPECT_EQ(u->created_at, now_);
  EXPECT_EQ(u->updated_at, now_ + std::chrono::minutes(1));
  EXPECT_EQ(*store_->AlertPoliciesVersion(), 2);
  ASSERT_TRUE(store_->DeleteAlertPolicy(a->id).ok());
  EXPECT_EQ(*store_->AlertPoliciesVersion(), 3);
  EXPECT_FALSE(store_->GetAlertPolicy(a->id)->has_value());
  // A failed change leaves the version alone.
  EXPECT_EQ(store_->DeleteAlertPolicy(a->id).code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->AlertPoliciesVersion(), 3);
}

TEST_F(SqliteAlertsTest, PolicyErrorsNameThePolicy) {
  ASSERT_TRUE(store_->CreateAlertPolicy(Policy("a"), now_).ok());
  auto b = store_->CreateAlertPolicy(Policy("b"), now_);
  ASSERT_TRUE(b.ok());
  auto dup = store_->CreateAlertPolicy(Policy("a"), now_);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "an alert policy named \"a\" already exists");
  model::AlertPolicy rename = *b;
  rename.name = "a";
  EXPECT_EQ(store_->UpdateAlertPolicy(rename, now_).status().code(), StatusCode::kAlreadyExists);
  model::AlertPolicy missing = Policy("c");
  missing.id = 99;
  auto m = store_->UpdateAlertPolicy(missing, now_);
  EXPECT_EQ(m.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(m.status().message(), "no alert policy with id 99");
  EXPECT_EQ(store_->CreateAlertPolicy(Policy(""), now_).status().code(),
            StatusCode::kInvalidArgument);
  auto all = store_->ListAlertPolicies();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].name, "a");
  EXPECT_EQ((*all)[1].name, "b");
}

TEST_F(SqliteAlertsTest, RepeatedAlertIsIgnoredWithItsOutbox) {
  auto first = Commit({NewAlert(12, 1, 3)});
  ASSERT_EQ(first.size(), 1u);
  // The same (event, policy, level) again — e.g. re-offered after a restart — and a new level.
  auto second = Commit({NewAlert(12, 1, 3), NewAlert(12, 1, 2, 3)});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_GT(second[0], first[0]);
  auto counts = store_->CountOutbox();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 4);  // two targets for each of the two alerts

  auto escalation = store_->GetAlert(second[0]);
  ASSERT_TRUE(escalation.ok() && escalation->has_value());
  EXPECT_EQ((*escalation)->level, 2);
  EXPECT_EQ((*escalation)->previous_level, 3);
  EXPECT_EQ((*escalation)->title, "潞城区化工厂爆炸");
  EXPECT_EQ((*escalation)->payload_json, R"({"event":{"id":12}})");

  auto levels = store_->AlertLevels();
  ASSERT_TRUE(levels.ok());
  ASSERT_EQ(levels->size(), 1u);
  EXPECT_EQ((*levels)[0].event_id, 12);
  EXPECT_EQ((*levels)[0].policy_id, 1);
  EXPECT_EQ((*levels)[0].level, 2);
}

TEST_F(SqliteAlertsTest, OutboxItemsCarryStableKeysAndAreDueAtOnce) {
  auto ids = Commit({NewAlert(12, 1, 3)});
  ASSERT_EQ(ids.size(), 1u);
  auto items = store_->OutboxForAlert(ids[0]);
  ASSERT_TRUE(items.ok());
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].idempotency_key, fmt::format("yq-{}-0", ids[0]));
  EXPECT_EQ((*items)[1].idempotency_key, fmt::format("yq-{}-1", ids[0]));
  EXPECT_EQ((*items)[1].target.address, "http://127.0.0.1:9/1");
  EXPECT_EQ((*items)[0].state, model::OutboxState::kPending);
  EXPECT_EQ((*items)[0].attempts, 0);
  auto due = store_->DueOutbox(now_, 10);
  ASSERT_TRUE(due.ok());
  EXPECT_EQ(due->size(), 2u);
  auto next = store_->NextOutboxAttempt();
  ASSERT_TRUE(next.ok() && next->has_value());
  EXPECT_LE(**next, now_);
}

TEST_F(SqliteAlertsTest, FailedItemWaitsThenDiesThenRetriesByHand) {
  auto ids = Commit({NewAlert(12, 1, 3, 0, 1)});
  ASSERT_EQ(ids.size(), 1u);
  int64_t item = (*store_->OutboxForAlert(ids[0]))[0].id;

  ASSERT_TRUE(store_->MarkOutboxFailed(item, "HTTP 500", now_ + std::chrono::seconds(5)).ok());
  EXPECT_TRUE(store_->DueOutbox(now_, 10)->empty());
  EXPECT_EQ(**store_->NextOutboxAttempt(), now_ + std::chrono::seconds(5));
  auto due = store_->DueOutbox(now_ + std::chrono::seconds(5), 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ((*due)[0].last_error, "HTTP 500");

  ASSERT_TRUE(store_->MarkOutboxFailed(item, "HTTP 502", std::nullopt).ok());
  EXPECT_TRUE(store_->DueOutbox(now_ + std::chrono::hours(9), 10)->empty());
  EXPECT_FALSE(store_->NextOutboxAttempt()->has_value());
  auto dead = (*store_->OutboxForAlert(ids[0]))[0];
  EXPECT_EQ(dead.state, model::OutboxState::kDead);
  EXPECT_EQ(dead.attempts, 2);
  EXPECT_EQ(dead.last_error, "HTTP 502");
  EXPECT_EQ(store_->CountOutbox()->dead, 1);

  ASSERT_TRUE(store_->RetryOutbox(item, now_ + std::chrono::hours(1)).ok());
  auto again = store_->DueOutbox(now_ + std::chrono::hours(1), 10);
  ASSERT_EQ(again->size(), 1u);
  EXPECT_EQ((*again)[0].attempts, 0);
  ASSERT_TRUE(store_->MarkOutboxDelivered(item, now_ + std::chrono::hours(2)).ok());
  auto done = (*store_->OutboxForAlert(ids[0]))[0];
  EXPECT_EQ(done.state, model::OutboxState::kDelivered);
  EXPECT_EQ(done.delivered_at, now_ + std::chrono::hours(2));
  EXPECT_EQ(done.last_error, "");
  auto counts = *store_->CountOutbox();
  EXPECT_EQ(counts.delivered, 1);
  EXPECT_EQ(counts.dead, 0);
  EXPECT_EQ(counts.pending, 0);

  auto listed = store_->ListOutbox(model::OutboxState::kDelivered, 10);
  ASSERT_TRUE(listed.ok());
  ASSERT_EQ(listed->size(), 1u);
  EXPECT_EQ((*listed)[0].id, item);
  EXPECT_TRUE(store_->ListOutbox(model::OutboxState::kDead, 10)->empty());
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 10)->size(), 1u);
  EXPECT_EQ(store_->ListOutbox(std::nullopt, 0).status().code(), StatusCode::kInvalidArgument);

  Status delivered = store_->RetryOutbox(item, now_);
  EXPECT_EQ(delivered.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->RetryOutbox(999, now_).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->MarkOutboxDelivered(999, now_).code(), StatusCode::kNotFound);
}

TEST_F(SqliteAlertsTest, ListFiltersAndAcknowledgementKeepsTheFirst) {
  auto ids = Commit({NewAlert(12, 1, 3), NewAlert(13, 1, 4), NewAlert(12, 2, 3)});
  ASSERT_EQ(ids.size(), 3u);
  AlertQuery q;
  auto all = store_->ListAlerts(q);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].id, ids[2]);  // newest first

  q.event_id = 12;
  EXPECT_EQ(store_->ListAlerts(q)->size(), 2u);
  q.policy_id = 2;
  ASSERT_EQ(store_->ListAlerts(q)->size(), 1u);

  auto acked = store_->AcknowledgeAlert(ids[0], "值班员张三", now_);
  ASSERT_TRUE(acked.ok()) << acked.status().ToString();
  EXPECT_EQ(acked->acked_by, "值班员张三");
  EXPECT_EQ(acked->acked_at, now_);
  auto twice = store_->AcknowledgeAlert(ids[0], "李四", now_ + std::chrono::minutes(5));
  ASSERT_TRUE(twice.ok());
  EXPECT_EQ(twice->acked_by, "值班员张三");
  EXPECT_EQ(twice->acked_at, now_);
  EXPECT_EQ(store_->AcknowledgeAlert(999, "x", now_).status().code(), StatusCode::kNotFound);

  AlertQuery open;
  open.unacknowledged_only = true;
  open.ascending = true;
  auto unacked = store_->ListAlerts(open);
  ASSERT_EQ(unacked->size(), 2u);
  EXPECT_EQ((*unacked)[0].id, ids[1]);

  AlertQuery after;
  after.after_id = ids[0];
  after.ascending = true;
  after.limit = 1;
  auto page = store_->ListAlerts(after);
  ASSERT_EQ(page->size(), 1u);
  EXPECT_EQ((*page)[0].id, ids[1]);

  AlertQuery bad;
  bad.limit = 1001;
  EXPECT_EQ(store_->ListAlerts(bad).status().code(), StatusCode::kInvalidArgument);
}

TEST_F(SqliteAlertsTest, AlertsAndOutboxSurviveReopening) {
  auto ids = Commit({NewAlert(12, 1, 3)});
  ASSERT_EQ(ids.size(), 1u);
  store_.reset();
  store_ = std::move(OpenSqliteStore(dir_.File("y.db"))).value();
  EXPECT_EQ(store_->DueOutbox(now_, 10)->size(), 2u);
  EXPECT_TRUE(Commit({NewAlert(12, 1, 3)}).empty());
}

}  // namespace
}  // namespace yuqing::store::sqlite
