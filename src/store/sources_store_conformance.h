// The SourceStore conformance tests, written once for every backend (CONVENTIONS.md §9): what
// sources_store.h promises, checked through the Store interface only. A backend's test file
// includes this header and instantiates the suite with a factory:
//
//   INSTANTIATE_TEST_SUITE_P(Sqlite, SourceStoreConformance,
//                            ::testing::Values(conformance::SourceStoreBackend{"sqlite", Open}),
//                            conformance::SourceStoreBackendName);
//
// Include it in one .cc per test binary. Test-only code.
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <thread>
#include <vector>

#include "core/time.h"
#include "model/source.h"
#include "store/store.h"
#include "testing/test_util.h"

namespace yuqing::store::conformance {

struct SourceStoreBackend {
  std::string name;
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
};
inline void PrintTo(const SourceStoreBackend& backend, std::ostream* os) { *os << backend.name; }
inline std::string SourceStoreBackendName(
    const ::testing::TestParamInfo<SourceStoreBackend>& info) {
  return info.param.name;
}

class SourceStoreConformance : public ::testing::TestWithParam<SourceStoreBackend> {
 protected:
  void SetUp() override {
    store_ = GetParam().open(dir_.path().string());
    ASSERT_NE(store_, nullptr);
  }
  static core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }
  static model::Source Feed(const std::string& name) {
    model::Source s;
    s.name = name;
    s.kind = model::SourceKind::kRss;
    s.interval = std::chrono::seconds(300);
    s.channel = model::Channel::kGovPlatform;
    s.region = "140400";
    s.tz_offset_minutes = 480;
    s.config_json = R"({"url":"http://127.0.0.1:1/feed.xml"})";
    return s;
  }

  testing::TempDir dir_;
  std::unique_ptr<Store> store_;
};

TEST_P(SourceStoreConformance, CreatedSourceReadsBackWithEveryField) {
  auto made = store_->CreateSource(Feed("长治市政府"), T("2026-11-16T09:00:00+08:00"));
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_GT(made->id, 0);
  auto got = store_->GetSource("长治市政府");
  ASSERT_TRUE(got.ok() && *got);
  const model::Source& s = **got;
  EXPECT_EQ(s.id, made->id);
  EXPECT_EQ(s.kind, model::SourceKind::kRss);
  EXPECT_EQ(s.interval, std::chrono::seconds(300));
  EXPECT_EQ(s.channel, model::Channel::kGovPlatform);
  EXPECT_EQ(s.region, "140400");
  EXPECT_EQ(s.config_json, R"({"url":"http://127.0.0.1:1/feed.xml"})");
  EXPECT_FALSE(s.paused);
  EXPECT_EQ(s.created_at, T("2026-11-16T09:00:00+08:00"));
  EXPECT_EQ(s.state, model::SourceState{});
}

TEST_P(SourceStoreConformance, NamesAreUniqueAndUnknownNamesAreNotFound) {
  ASSERT_TRUE(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).ok());
  EXPECT_EQ(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).status().code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->DeleteSource("zzz").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->SetSourcePaused("zzz", true, T("2026-11-16T09:00:00Z")).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->PutSourceState("zzz", {}, {}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->UpdateSource(Feed("zzz"), T("2026-11-16T09:00:00Z")).status().code(),
            StatusCode::kNotFound);
}

TEST_P(SourceStoreConformance, StateAndPauseDoNotOverwriteEachOther) {
  ASSERT_TRUE(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).ok());
  ASSERT_TRUE(store_->SetSourcePaused("a", true, T("2026-11-16T09:01:00Z")).ok());
  model::SourceState st;
  st.cursor = "item-42";
  st.etag = "\"v2\"";
  st.last_modified = "Mon, 16 Nov 2026 01:00:00 GMT";
  st.last_error_url = "http://127.0.0.1:1/feed.xml";
  st.last_error = "HTTP 500";
  st.last_error_at = T("2026-11-16T09:02:00Z");
  st.last_success_at = T("2026-11-16T08:02:00Z");
  st.consecutive_failures = 2;
  st.runs = 7;
  st.accepted = 30;
  st.health = model::SourceHealth::kFailing;
  st.health_since = T("2026-11-16T09:02:00Z");
  st.volume.counts[5] = 12;
  st.volume.newest_hour = 100;
  st.volume.first_hour = 90;
  ASSERT_TRUE(store_->PutSourceState("a", st, {}).ok());
  auto updated = Feed("a");
  updated.interval = std::chrono::seconds(60);
  ASSERT_TRUE(store_->UpdateSource(updated, T("2026-11-16T09:03:00Z")).ok());
  auto got = store_->GetSource("a");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_TRUE((*got)->paused);
  EXPECT_EQ((*got)->interval, std::chrono::seconds(60));
  EXPECT_EQ((*got)->state, st);
}

// Two writers of one source's state — here two connections to the same database, as a push in
// the server and the scheduler's health check in another process would be — each adding to
// the counts in a read-change-write: none of the changes is lost.
TEST_P(SourceStoreConformance, ConcurrentStateChangesAreNotLost) {
  ASSERT_TRUE(store_->CreateSource(Feed("push"), T("2026-11-16T09:00:00Z")).ok());
  std::unique_ptr<Store> other = GetParam().open(dir_.path().string());
  ASSERT_NE(other, nullptr);
  constexpr int kEach = 100;
  auto add = [](Store* store, int64_t accepted) {
    for (int i = 0; i < kEach; ++i) {
      Status s = store->ChangeSourceState(
          "push", [&](const model::Source& source, model::SourceState& state) {
            EXPECT_EQ(source.name, "push");
            state.accepted += accepted;
            ++state.runs;
            return std::vector<model::NewAlert>();
          });
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
  };
  std::thread a(add, store_.get(), 1);
  std::thread b(add, other.get(), 1000);
  a.join();
  b.join();
  auto got = store_->GetSource("push");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->state.runs, 2 * kEach);
  EXPECT_EQ((*got)->state.accepted, kEach * 1 + kEach * 1000);

  bool called = false;
  Status missing = store_->ChangeSourceState("zzz", [&](const model::Source&, model::SourceState&) {
    called = true;
    return std::vector<model::NewAlert>();
  });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("zzz"), std::string::npos);
  EXPECT_FALSE(called);
}

// The alerts a change returns are raised with the state, once per dedup key.
TEST_P(SourceStoreConformance, StateChangeRaisesItsAlerts) {
  ASSERT_TRUE(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).ok());
  model::AlertPolicy policy;
  policy.name = "值班";
  auto p = store_->CreateAlertPolicy(policy, T("2026-11-16T09:00:00Z"));
  ASSERT_TRUE(p.ok());
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(store_
                    ->ChangeSourceState("a",
                                        [&](const model::Source&, model::SourceState& state) {
                                          state.health = model::SourceHealth::kSilent;
                                          model::NewAlert alert;
                                          alert.policy_id = p->id;
                                          alert.title = "采集源“a”已沉默";
                                          alert.payload_json = "{}";
                                          alert.dedup_key = "source:a:silent:1";
                                          alert.created_at = T("2026-11-16T09:00:00Z");
                                          return std::vector<model::NewAlert>{alert};
                                        })
                    .ok());
  }
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  EXPECT_EQ(alerts->size(), 1u);
  auto got = store_->GetSource("a");
  ASSERT_TRUE(got.ok() && *got);
  EXPECT_EQ((*got)->state.health, model::SourceHealth::kSilent);
}

TEST_P(SourceStoreConformance, HealthAlertsAreRaisedOncePerEpisode) {
  ASSERT_TRUE(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).ok());
  model::AlertPolicy policy;
  policy.name = "值班";
  policy.targets.push_back({model::TargetKind::kWebhook, "http://127.0.0.1:1/hook", ""});
  auto p = store_->CreateAlertPolicy(policy, T("2026-11-16T09:00:00Z"));
  ASSERT_TRUE(p.ok());
  model::NewAlert a;
  a.policy_id = p->id;
  a.title = "采集源“a”已沉默";
  a.payload_json = "{}";
  a.dedup_key = "source:a:silent:1";
  a.created_at = T("2026-11-16T09:00:00Z");
  a.targets = policy.targets;
  ASSERT_TRUE(store_->PutSourceState("a", {}, {a}).ok());
  ASSERT_TRUE(store_->PutSourceState("a", {}, {a}).ok());
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok());
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].title, "采集源“a”已沉默");
  auto box = store_->OutboxForAlert((*alerts)[0].id);
  ASSERT_TRUE(box.ok());
  EXPECT_EQ(box->size(), 1u);
}

TEST_P(SourceStoreConformance, ListIsByNameAndDeleteRemoves) {
  ASSERT_TRUE(store_->CreateSource(Feed("b"), T("2026-11-16T09:00:00Z")).ok());
  ASSERT_TRUE(store_->CreateSource(Feed("a"), T("2026-11-16T09:00:00Z")).ok());
  auto list = store_->ListConfiguredSources();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name, "a");
  ASSERT_TRUE(store_->DeleteSource("a").ok());
  list = store_->ListConfiguredSources();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "b");
}

}  // namespace yuqing::store::conformance
