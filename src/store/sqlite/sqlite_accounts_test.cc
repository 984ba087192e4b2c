#include <gtest/gtest.h>

#include "audit/audit.h"
#include "core/time.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::store::sqlite {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

model::AuditDraft Draft(std::string action, std::string object_id, core::TimePoint at) {
  model::AuditDraft d;
  d.at = at;
  d.actor = "cli:test";
  d.action = std::move(action);
  d.object_type = "user";
  d.object_id = std::move(object_id);
  return d;
}

class SqliteAccountsTest : public ::testing::Test {
 protected:
  void SetUp() override { store_ = std::move(OpenSqliteStore(dir_.File("y.db"))).value(); }

  model::User MakeUser(const std::string& name, model::Role role) {
    model::User u;
    u.name = name;
    u.role = role;
    u.password_hash = "$argon2id$placeholder";
    return *store_->CreateUser(u, Draft("user.create", name, now_));
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
  core::TimePoint now_ = T("2026-11-16T09:00:00+08:00");
};

TEST_F(SqliteAccountsTest, UsersAreCreatedReadAndUpdatedWithTheirAuditEntries) {
  model::User a = MakeUser("zhang", model::Role::kAnalyst);
  EXPECT_GT(a.id, 0);
  auto dup = store_->CreateUser(a, Draft("user.create", "zhang", now_));
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(dup.status().message(), "a user named \"zhang\" already exists");
  auto got = store_->GetUserByName("zhang");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->role, model::Role::kAnalyst);
  model::User changed = **got;
  changed.role = model::Role::kLeader;
  changed.region_code = "140400";
  auto saved = store_->UpdateUser(changed, Draft("user.role", "zhang", now_));
  ASSERT_TRUE(saved.ok()) << saved.status().message();
  EXPECT_EQ(saved->role, model::Role::kLeader);
  EXPECT_EQ(saved->region_code, "140400");
  model::User ghost = changed;
  ghost.id = 999;
  EXPECT_EQ(store_->UpdateUser(ghost, Draft("user.role", "x", now_)).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(*store_->CountUsers(), 1);
  // Two changes made it, the refused ones left no entry.
  auto log = store_->ScanAudit(0, 100);
  ASSERT_TRUE(log.ok());
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ((*log)[0].action, "user.create");
  EXPECT_EQ((*log)[1].action, "user.role");
  EXPECT_EQ((*log)[1].prev_hash, (*log)[0].hash);
  EXPECT_EQ((*log)[1].hash, audit::EntryHash((*log)[1]));
}

TEST_F(SqliteAccountsTest, TokensBelongToAUserOrOnlyIngest) {
  model::User u = MakeUser("li", model::Role::kMonitor);
  model::ApiToken t;
  t.name = "li-script";
  t.user_id = u.id;
  ASSERT_TRUE(store_->CreateApiToken(t, "h1", Draft("token.create", "li-script", now_)).ok());
  EXPECT_EQ(
      store_->CreateApiToken(t, "h2", Draft("token.create", "li-script", now_)).status().message(),
      "an API token named \"li-script\" already exists");
  model::ApiToken orphan;
  orphan.name = "nobody";
  orphan.user_id = 4242;
  EXPECT_EQ(
      store_->CreateApiToken(orphan, "h3", Draft("token.create", "nobody", now_)).status().code(),
      StatusCode::kNotFound);
  model::ApiToken ingest;
  ingest.name = "collector";
  ingest.scope = model::TokenScope::kIngest;
  ingest.user_id = u.id;  // ignored for an ingest token
  auto made = store_->CreateApiToken(ingest, "h4", Draft("token.create", "collector", now_));
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->user_id, 0);
  auto found = store_->FindApiToken("h4");
  ASSERT_TRUE(found.ok() && found->has_value());
  EXPECT_EQ((*found)->scope, model::TokenScope::kIngest);
  EXPECT_EQ(store_->ListApiTokens(u.id)->size(), 1u);
  EXPECT_EQ(store_->ListApiTokens()->size(), 2u);
  ASSERT_TRUE(store_->RevokeApiToken("li-script", now_, Draft("token.revoke", "li", now_)).ok());
  EXPECT_TRUE((*store_->FindApiToken("h1"))->revoked_at.has_value());
  EXPECT_EQ(store_->RevokeApiToken("li-script", now_, Draft("token.revoke", "li", now_)).code(),
            StatusCode::kNotFound);
}

TEST_F(SqliteAccountsTest, SessionsExpireAndAreEndedEverywhere) {
  model::User u = MakeUser("wang", model::Role::kLeader);
  for (const char* h : {"s1", "s2"}) {
    model::ApiToken s;
    s.name = std::string("session:wang:") + h;
    s.user_id = u.id;
    s.created_at = now_;
    s.expires_at = now_ + std::chrono::hours(12);
    ASSERT_TRUE(store_->CreateSession(s, h).ok());
  }
  auto s1 = store_->FindApiToken("s1");
  ASSERT_TRUE(s1.ok() && s1->has_value());
  EXPECT_EQ((*s1)->scope, model::TokenScope::kSession);
  EXPECT_EQ(*(*s1)->expires_at, now_ + std::chrono::hours(12));
  EXPECT_TRUE(store_->ListApiTokens(u.id)->empty());  // sessions are not listed as tokens
  ASSERT_TRUE(store_->RevokeSession("s1", now_).ok());
  EXPECT_EQ(store_->RevokeSession("s1", now_).code(), StatusCode::kNotFound);
  EXPECT_EQ(*store_->RevokeSessions(u.id, now_), 1);
  EXPECT_TRUE((*store_->FindApiToken("s2"))->revoked_at.has_value());
  // Sessions change no account: the log holds only the user's creation.
  EXPECT_EQ(store_->ScanAudit(0, 10)->size(), 1u);
}

TEST_F(SqliteAccountsTest, OrganisationVersionsRefuseAStaleChange) {
  EXPECT_FALSE(store_->GetOrganisation()->has_value());
  model::AuditDraft d = Draft("org.replace", "organisation", now_);
  d.object_type = "organisation";
  EXPECT_EQ(*store_->PutOrganisation("{\"v\":1}", 0, d), 1);
  EXPECT_EQ(*store_->PutOrganisation("{\"v\":2}", std::nullopt, d), 2);
  auto stale = store_->PutOrganisation("{\"v\":3}", 1, d);
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.status().message().find("version 2, expected 1"), std::string::npos);
  auto got = store_->GetOrganisation();
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->version, 2);
  EXPECT_EQ((*got)->json, "{\"v\":2}");
  EXPECT_EQ(store_->ScanAudit(0, 10)->size(), 2u);  // the refused change wrote no entry
}

TEST_F(SqliteAccountsTest, AChangeWhoseAuditEntryFailsIsNotWritten) {
  model::User u;
  u.name = "zhao";
  u.role = model::Role::kMonitor;
  u.password_hash = "x";
  model::AuditDraft bad = Draft("", "zhao", now_);  // an entry needs an action
  EXPECT_FALSE(store_->CreateUser(u, bad).ok());
  EXPECT_FALSE(store_->GetUserByName("zhao")->has_value());
  EXPECT_EQ(*store_->CountUsers(), 0);
}

TEST_F(SqliteAccountsTest, CheckpointsMustDescribeThisLog) {
  MakeUser("a1", model::Role::kMonitor);
  MakeUser("a2", model::Role::kMonitor);
  auto head = store_->AuditHead();
  ASSERT_TRUE(head.ok() && head->has_value());
  auto key = audit::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  auto c = audit::SignCheckpoint(*key, (*head)->seq, (*head)->hash, now_);
  ASSERT_TRUE(c.ok());
  ASSERT_TRUE(store_->PutAuditCheckpoint(*c).ok());
  auto wrong = audit::SignCheckpoint(*key, 1, (*head)->hash, now_);
  EXPECT_EQ(store_->PutAuditCheckpoint(*wrong).code(), StatusCode::kInvalidArgument);
  auto list = store_->ListAuditCheckpoints();
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().size, 2);
}

}  // namespace
}  // namespace yuqing::store::sqlite
