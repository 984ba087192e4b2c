#include "pipeline/event_stage.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "pipeline/ingest.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

namespace yuqing::pipeline {
namespace {

struct Shared {
  std::shared_ptr<const text::Segmenter> segmenter;
  std::shared_ptr<const text::KeywordExtractor> keywords;
  std::shared_ptr<const analysis::Analyzer> analyzer;
};

const Shared& Models() {
  static const Shared* s = [] {
    auto* out = new Shared;
    out->segmenter = std::move(text::Segmenter::Load()).value();
    out->keywords = std::move(text::KeywordExtractor::Load(out->segmenter)).value();
    out->analyzer = std::move(analysis::Analyzer::Load({}, nullptr, out->segmenter)).value();
    return out;
  }();
  return *s;
}

model::Post P(const std::string& id, const std::string& when, const std::string& text,
              const std::string& region = "") {
  model::Post p;
  p.source = "weibo";
  p.external_id = id;
  p.text = text;
  p.published_at = *core::ParseIso8601(when);
  p.channel = model::Channel::kWeibo;
  p.author.id = "u" + id;
  p.author.name = "用户" + id;
  p.region = region;
  return p;
}

class EventStageTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(); }
  void Open() {
    stage_.reset();
    ingestor_.reset();
    store_.reset();
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    stage_ = std::make_unique<EventStage>(EventStageStores{*store_, *store_, *store_},
                                          Models().analyzer, Models().keywords, clock_, &notifier_);
    ASSERT_TRUE(stage_->Restore().ok());
  }
  void Write(std::vector<model::Post> posts) {
    auto r = ingestor_->Write(std::move(posts));
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
  int64_t EventOf(const std::string& id) {
    auto got = store_->GetPost("weibo", id);
    EXPECT_TRUE(got.ok() && got->has_value()) << id;
    store::EventQuery q;
    q.include_merged = true;
    q.limit = 1000;
    auto page = store_->ListEvents(q);
    for (const auto& e : page->events) {
      auto posts = store_->EventPosts(e.id, 1000, 0);
      for (const auto& p : *posts) {
        if (p.post.external_id == id) return e.id;
      }
    }
    return 0;
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-22T00:00:00Z")};
  alerts::AlertNotifier notifier_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Ingestor> ingestor_;
  std::unique_ptr<EventStage> stage_;
};

const char* kBlast1 = "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，消防正在救援，已造成3人死亡。";
const char* kBlast2 = "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤送医。";
const char* kBlast3 = "潞城化工厂爆炸，附近居民称听到巨响，窗户玻璃被震碎，化工厂周边道路已封闭。";
const char* kFlood = "广州天河区暴雨导致多条道路积水严重，地铁站临时关闭，市民出行受阻。";

TEST_F(EventStageTest, AcceptedPostsBecomeEventsWithAnalysisAndSummary) {
  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1), P("2", "2026-11-21T08:05:00+08:00", kBlast2),
         P("3", "2026-11-21T08:06:00+08:00", kFlood),
         P("4", "2026-11-21T08:07:00+08:00", kBlast3)});
  EXPECT_EQ(*store_->QueueLength(), 4);
  auto n = stage_->RunOnce();
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(*n, 4);
  EXPECT_EQ(*store_->QueueLength(), 0);
  EXPECT_EQ(*stage_->RunOnce(), 0);

  int64_t blast = EventOf("1");
  ASSERT_NE(blast, 0);
  EXPECT_EQ(EventOf("2"), blast);
  EXPECT_EQ(EventOf("4"), blast);
  EXPECT_NE(EventOf("3"), blast);

  auto e = store_->GetEvent(blast);
  ASSERT_TRUE(e.ok() && e->has_value());
  const model::EventRecord& rec = **e;
  EXPECT_EQ(rec.posts, 3);
  EXPECT_EQ(rec.authors, 3);
  EXPECT_FALSE(rec.title.empty());
  EXPECT_EQ(rec.first_seen, *core::ParseIso8601("2026-11-21T08:00:00+08:00"));
  EXPECT_EQ(rec.last_seen, *core::ParseIso8601("2026-11-21T08:07:00+08:00"));
  // 潞城区 is 140406 (140403 before 2019 in some lists): any Changzhi code.
  ASSERT_FALSE(rec.regions.empty());
  EXPECT_TRUE(rec.regions[0].starts_with("1404")) << rec.regions[0];
  EXPECT_GT(rec.heat, 0);
  // Five dead is 较大 (3–9 deaths) at least.
  EXPECT_LE(rec.grade, 3);
  auto detail = nlohmann::json::parse(rec.detail_json);
  EXPECT_EQ(detail["casualties"]["deaths"], 5);
  EXPECT_TRUE(detail["heat"]["components"].contains("velocity"));
  EXPECT_FALSE(detail["risk"]["reasons"].empty());
  EXPECT_FALSE(detail["keywords"].empty());

  // Each processed post keeps its analysis.
  auto post = store_->GetPost("weibo", "2");
  auto analysis = nlohmann::json::parse(*store_->PostAnalysis((*post)->key));
  EXPECT_EQ(analysis["casualties"]["deaths"], 5);

  // The log records the new event and its grade change.
  auto log = store_->EventLog(blast);
  ASSERT_TRUE(log.ok());
  ASSERT_FALSE(log->empty());
  EXPECT_EQ((*log)[0].kind, "new");
  EXPECT_TRUE(
      std::any_of(log->begin(), log->end(), [](const auto& l) { return l.kind == "grade"; }));

  // Sorted by heat, filtered by region.
  store::EventQuery q;
  q.region = "1404";
  auto page = store_->ListEvents(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->events.size(), 1u);
  EXPECT_EQ(page->events[0].id, blast);
}

TEST_F(EventStageTest, ARestartRebuildsMemorySoLaterPostsJoinTheirEventsAndIdsAreNotReused) {
  Write(
      {P("1", "2026-11-21T08:00:00+08:00", kBlast1), P("3", "2026-11-21T08:06:00+08:00", kFlood)});
  ASSERT_EQ(*stage_->RunOnce(), 2);
  int64_t blast = EventOf("1");
  int64_t flood = EventOf("3");
  Open();  // a new process: store reopened, stage restored from it
  EXPECT_EQ(stage_->stats().restored, 2);
  Write({P("2", "2026-11-21T08:05:00+08:00", kBlast2),
         P("5", "2026-11-21T23:00:00+08:00",
           "新疆喀什地区气象台发布大风蓝色预警信号，预计今天夜间到明天白天喀什市、疏附县等地将出现"
           "偏西风六到七级，阵风八级，局地伴有沙尘天气，请注意防范。")});
  ASSERT_EQ(*stage_->RunOnce(), 2);
  EXPECT_EQ(EventOf("2"), blast);
  int64_t fresh = EventOf("5");
  EXPECT_NE(fresh, blast);
  EXPECT_NE(fresh, flood);
  EXPECT_GT(fresh, std::max(blast, flood));
  auto e = store_->GetEvent(blast);
  EXPECT_EQ((*e)->posts, 2);  // the summary survived the restart
}

TEST_F(EventStageTest, APersonsMergeIsAppliedByTheStageKeptInTheStoreAndSurvivesARestart) {
  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1), P("2", "2026-11-21T08:05:00+08:00", kBlast2),
         P("3", "2026-11-21T08:06:00+08:00", kFlood)});
  ASSERT_EQ(*stage_->RunOnce(), 3);
  const int64_t blast = EventOf("1");
  const int64_t flood = EventOf("3");
  ASSERT_NE(blast, flood);
  const auto t = *core::ParseIso8601("2026-11-22T00:00:00Z");

  store::EventMergeRequest req;
  req.from = flood;
  req.into = blast;
  req.requested_by = "analyst-a";
  req.reason = "下游停水是同一起事件";
  req.requested_at = t;
  model::AuditDraft audit;
  audit.actor = "analyst-a";
  audit.at = t;
  audit.action = "event.merge";
  audit.object_type = "event";
  audit.object_id = std::to_string(flood);
  audit.reason = req.reason;
  auto made = store_->RequestEventMerge(req, audit);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_EQ(made->state, "pending");
  EXPECT_GT(made->audit_seq, 0);
  auto entries = store_->ListAudit(store::AuditFilter{});
  ASSERT_TRUE(entries.ok() && !entries->empty());
  EXPECT_EQ(entries->front().action, "event.merge");
  EXPECT_EQ(nlohmann::json::parse(entries->front().to_json)["request"], made->id);
  // Unknown or retired events, checked by the stage (the store cannot know what it holds).
  req.from = 999;
  auto unknown = store_->RequestEventMerge(req, audit);
  ASSERT_TRUE(unknown.ok());
  // Wrong requests the store refuses at once.
  req.from = blast;
  EXPECT_EQ(store_->RequestEventMerge(req, audit).status().code(), StatusCode::kInvalidArgument);
  req.from = flood;
  req.reason = std::string(1001, 'x');
  EXPECT_EQ(store_->RequestEventMerge(req, audit).status().code(), StatusCode::kInvalidArgument);

  // The stage applies the requests even with no post queued.
  ASSERT_TRUE(stage_->RunOnce().ok());
  auto done = store_->GetEventMergeRequest(made->id);
  ASSERT_TRUE(done.ok() && done->has_value());
  EXPECT_EQ((*done)->state, "done");
  auto rejected = store_->GetEventMergeRequest(unknown->id);
  EXPECT_EQ((*rejected)->state, "rejected");
  EXPECT_NE((*rejected)->error.find("999"), std::string::npos) << (*rejected)->error;
  EXPECT_TRUE(store_->PendingEventMerges(0, 10)->empty());

  auto merged = store_->GetEvent(flood);
  EXPECT_EQ((*merged)->merged_into, blast);
  auto e = store_->GetEvent(blast);
  EXPECT_EQ((*e)->posts, 3);
  EXPECT_EQ(store_->EventPosts(blast, 10, 0)->size(), 3u);
  auto log = store_->EventLog(blast);
  auto m = std::find_if(log->begin(), log->end(), [](const auto& l) { return l.kind == "merge"; });
  ASSERT_NE(m, log->end());
  auto detail = nlohmann::json::parse(m->detail_json);
  EXPECT_EQ(detail["from"], flood);
  EXPECT_EQ(detail["by_hand"], true);
  EXPECT_EQ(detail["by"], "analyst-a");
  EXPECT_EQ(detail["reason"], "下游停水是同一起事件");

  // After a restart, a new flood post joins the merged event, and the request is not applied
  // again.
  Open();
  Write({P("4", "2026-11-21T08:20:00+08:00", kFlood)});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_EQ(EventOf("4"), blast);
  EXPECT_EQ((*store_->GetEvent(blast))->posts, 4);
  log = store_->EventLog(blast);
  EXPECT_EQ(
      std::count_if(log->begin(), log->end(), [](const auto& l) { return l.kind == "merge"; }), 1);
}

TEST_F(EventStageTest, AnEventSilentLongerThanTheRestoreWindowIsForgottenAsARestartWould) {
  Write(
      {P("1", "2026-10-01T08:00:00+08:00", kBlast1), P("2", "2026-10-01T08:05:00+08:00", kBlast2)});
  ASSERT_EQ(*stage_->RunOnce(), 2);
  const int64_t blast = EventOf("1");
  EXPECT_EQ(stage_->stats().events, 1);
  // Six weeks later (the restore window is 30 days): the old event has left memory, so a new
  // report on the same plant starts an event of its own, as it would after a restart.
  Write(
      {P("3", "2026-11-10T08:00:00+08:00", kFlood), P("4", "2026-11-15T09:00:00+08:00", kBlast3)});
  ASSERT_EQ(*stage_->RunOnce(), 2);
  EXPECT_NE(EventOf("4"), blast);
  EXPECT_NE(EventOf("4"), 0);
  EXPECT_EQ(stage_->stats().events, 2);  // the flood and the new blast event
  auto old = store_->GetEvent(blast);
  ASSERT_TRUE(old.ok() && old->has_value());  // the store keeps it
  EXPECT_EQ((*old)->posts, 2);

  Open();  // a restart rebuilds the same two events
  EXPECT_EQ(stage_->stats().events, 2);
  Write({P("5", "2026-11-15T09:10:00+08:00", kBlast2)});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_EQ(EventOf("5"), EventOf("4"));
}

TEST_F(EventStageTest, PostsQueuedBeforeACrashAreProcessedAfterTheRestart) {
  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1)});
  // No RunOnce: the process "dies" with the post accepted but not yet processed.
  Open();
  EXPECT_EQ(*store_->QueueLength(), 1);
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_NE(EventOf("1"), 0);
  EXPECT_EQ(*store_->QueueLength(), 0);
}

// The background stage commits a batch while it builds the next one. When a commit fails (here
// a trigger in the real database file aborts it), nothing after it may be committed — a later
// batch's queue removal would cover the failed one's posts — and after the stage rebuilds from the
// store every post is processed exactly once.
TEST_F(EventStageTest, AFailedCommitLosesNoPostAndProcessesNoneTwice) {
  std::vector<model::Post> posts;
  for (int i = 0; i < 120; ++i) {
    const char* texts[] = {kBlast1, kBlast2, kBlast3, kFlood};
    posts.push_back(P(std::to_string(i), "2026-11-21T08:00:00+08:00", texts[i % 4]));
    posts.back().published_at += std::chrono::seconds(i);
  }
  Write(posts);
  auto db = std::move(store::sqlite::Db::Open(dir_.File("y.db"), false)).value();
  ASSERT_TRUE(db->Exec("PRAGMA busy_timeout = 10000").ok());
  // Only the first batch (posts 0–24) fails; the ones after it would commit.
  const int64_t last_of_first = (**store_->GetPost("weibo", "24")).key;
  ASSERT_TRUE(db->Exec(fmt::format("CREATE TABLE fail_switch(on_ INTEGER);"
                                   "INSERT INTO fail_switch VALUES(1);"
                                   "CREATE TRIGGER fail_commit BEFORE INSERT ON post_events "
                                   "WHEN NEW.post_key <= {} AND "
                                   "(SELECT count(*) FROM fail_switch) > 0 "
                                   "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
                                   last_of_first))
                  .ok());

  EventStageOptions options;
  options.batch_posts = 25;  // several batches: one is built while another commits
  stage_ =
      std::make_unique<EventStage>(EventStageStores{*store_, *store_, *store_}, Models().analyzer,
                                   Models().keywords, clock_, &notifier_, options);
  ASSERT_TRUE(stage_->Restore().ok());
  stage_->Start();
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  EXPECT_EQ(*store_->QueueLength(), 120);  // every commit failed: all still queued
  EXPECT_EQ(stage_->stats().posts, 0);
  ASSERT_TRUE(db->Exec("DELETE FROM fail_switch").ok());
  for (int i = 0; i < 200 && *store_->QueueLength() > 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  stage_->Stop();
  ASSERT_EQ(*store_->QueueLength(), 0);

  // Each post is in exactly one live event, and the events' post counts add up to 120.
  store::EventQuery q;
  q.limit = 1000;
  auto page = store_->ListEvents(q);
  ASSERT_TRUE(page.ok());
  std::vector<std::string> seen;
  int64_t counted = 0;
  for (const auto& e : page->events) {
    counted += e.posts;
    auto in = store_->EventPosts(e.id, 1000, 0);
    ASSERT_TRUE(in.ok());
    for (const auto& p : *in) seen.push_back(p.post.external_id);
  }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen.size(), 120u);
  EXPECT_EQ(std::unique(seen.begin(), seen.end()), seen.end());
  EXPECT_EQ(counted, 120);
}

TEST_F(EventStageTest, AHotlineComplaintJoinsTheOnlineEventAboutTheSameIncident) {
  model::Post call =
      P("h1", "2026-11-21T09:30:00+08:00",
        "市民来电反映：潞城区化工厂爆炸后周边空气有刺鼻气味，担心化工厂爆炸造成污染，"
        "请求相关部门尽快核实处理。");
  call.source = "12345";
  call.channel = model::Channel::kHotline;
  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1), P("2", "2026-11-21T08:05:00+08:00", kBlast2),
         P("3", "2026-11-21T08:06:00+08:00", kFlood), call});
  ASSERT_EQ(*stage_->RunOnce(), 4);
  int64_t blast = EventOf("1");
  auto posts = store_->EventPosts(blast, 10, 0);
  ASSERT_TRUE(posts.ok());
  bool joined = std::any_of(posts->begin(), posts->end(),
                            [](const auto& p) { return p.post.source == "12345"; });
  EXPECT_TRUE(joined);
  auto detail = nlohmann::json::parse((**store_->GetEvent(blast)).detail_json);
  EXPECT_EQ(detail["channels"]["hotline"], 1);
  EXPECT_EQ(detail["channels"]["weibo"], 2);
}

TEST_F(EventStageTest, WhenIdleEventsMoveOnWithTheClock) {
  clock_.Set(*core::ParseIso8601("2026-11-21T08:10:00+08:00"));
  Write(
      {P("1", "2026-11-21T08:00:00+08:00", kBlast1), P("2", "2026-11-21T08:05:00+08:00", kBlast2)});
  ASSERT_EQ(*stage_->RunOnce(), 2);
  int64_t blast = EventOf("1");
  auto before = **store_->GetEvent(blast);
  EXPECT_NE(before.trend, "dormant");
  clock_.Set(*core::ParseIso8601("2026-12-05T08:00:00+08:00"));  // two quiet weeks later
  ASSERT_EQ(*stage_->RunOnce(), 0);
  auto after = **store_->GetEvent(blast);
  EXPECT_EQ(after.trend, "dormant");
  EXPECT_LT(after.heat, before.heat / 2);
  EXPECT_EQ(after.posts, 2);
  // Not again before advance_every_s of clock time has passed.
  ASSERT_EQ(*stage_->RunOnce(), 0);
}

TEST_F(EventStageTest, AlertsOncePerLevelEscalateAndAreNotRepeatedAfterARestart) {
  model::AlertPolicy policy;
  policy.name = "长治应急";
  policy.regions = {"1404"};
  policy.min_grade = 3;
  policy.targets = {{model::TargetKind::kWebhook, "http://127.0.0.1:9/hook", ""}};
  auto created = store_->CreateAlertPolicy(policy, clock_.Now());
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  int notified = 0;
  std::thread waiter([&] { notified = notifier_.WaitNewer(0, std::chrono::seconds(30)) > 0; });

  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1)});  // 3 dead: III
  ASSERT_EQ(*stage_->RunOnce(), 1);
  waiter.join();
  EXPECT_TRUE(notified);
  auto alerts = store_->ListAlerts({});
  ASSERT_TRUE(alerts.ok()) << alerts.status().ToString();
  ASSERT_EQ(alerts->size(), 1u);
  EXPECT_EQ((*alerts)[0].level, 3);
  EXPECT_EQ((*alerts)[0].previous_level, 0);
  EXPECT_EQ((*alerts)[0].policy_id, created->id);
  auto payload = nlohmann::json::parse((*alerts)[0].payload_json);
  EXPECT_EQ(payload["event"]["grade_name"], "III");
  EXPECT_FALSE(payload["reasons"].empty());
  // Place names beside the codes, for the people warned: the post names 长治市潞城区.
  ASSERT_EQ(payload["event"]["region_names"].size(), payload["event"]["regions"].size());
  bool named = false;
  for (const auto& n : payload["event"]["region_names"]) {
    named = named || n.get<std::string>().find("山西省长治市") == 0;
  }
  EXPECT_TRUE(named) << payload["event"].dump();
  auto outbox = store_->OutboxForAlert((*alerts)[0].id);
  ASSERT_TRUE(outbox.ok());
  ASSERT_EQ(outbox->size(), 1u);
  EXPECT_FALSE((*outbox)[0].idempotency_key.empty());

  // More of the same: no new alert.
  Write({P("3", "2026-11-21T08:03:00+08:00", kBlast3)});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_EQ(store_->ListAlerts({})->size(), 1u);

  // 12 dead: II — an escalation.
  Write({P("5", "2026-11-21T08:20:00+08:00",
           "潞城区化工厂爆炸事故死亡人数升至12人，另有30人受伤，事故原因正在调查。")});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  alerts = store_->ListAlerts({});
  ASSERT_EQ(alerts->size(), 2u);
  EXPECT_EQ((*alerts)[0].level, 2);  // newest first
  EXPECT_EQ((*alerts)[0].previous_level, 3);
  EXPECT_EQ((*alerts)[0].event_id, (*alerts)[1].event_id);

  // A restart remembers what was alerted.
  Open();
  Write({P("6", "2026-11-21T08:30:00+08:00",
           "潞城化工厂爆炸已致12人死亡，长治市成立事故调查组，化工厂负责人已被控制。")});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_EQ(store_->ListAlerts({})->size(), 2u);
}

TEST_F(EventStageTest, ADormantEventRaisesNoAlertForAPolicyAddedLater) {
  clock_.Set(*core::ParseIso8601("2026-11-21T08:10:00+08:00"));
  Write({P("1", "2026-11-21T08:00:00+08:00", kBlast1)});  // III, but no policy yet
  ASSERT_EQ(*stage_->RunOnce(), 1);
  model::AlertPolicy policy;
  policy.name = "any";
  ASSERT_TRUE(store_->CreateAlertPolicy(policy, clock_.Now()).ok());
  clock_.Set(*core::ParseIso8601("2026-12-05T08:00:00+08:00"));  // the sweep puts it to sleep
  ASSERT_EQ(*stage_->RunOnce(), 0);
  EXPECT_EQ((**store_->GetEvent(EventOf("1"))).trend, "dormant");
  EXPECT_TRUE(store_->ListAlerts({})->empty());
  // A new post on the incident (waking the event or starting a new one) is alerted.
  Write({P("2", "2026-12-05T07:55:00+08:00",
           "潞城区化工厂爆炸事故调查结果公布：事故造成3人死亡，多名责任人被问责。")});
  ASSERT_EQ(*stage_->RunOnce(), 1);
  EXPECT_EQ(store_->ListAlerts({})->size(), 1u);
}

TEST_F(EventStageTest, RiskThresholdsComeFromTheOptions) {
  EventStageOptions options;
  options.monitor.risk.deaths = {100, 50, 20};  // an office that grades deaths more leniently
  stage_ =
      std::make_unique<EventStage>(EventStageStores{*store_, *store_, *store_}, Models().analyzer,
                                   Models().keywords, clock_, &notifier_, options);
  ASSERT_TRUE(stage_->Restore().ok());
  Write({P("1", "2026-11-21T08:05:00+08:00", kBlast1)});  // 3 dead: III by default
  ASSERT_EQ(*stage_->RunOnce(), 1);
  auto e = store_->GetEvent(EventOf("1"));
  EXPECT_EQ((**e).grade, 4);
  auto detail = nlohmann::json::parse((**e).detail_json);
  for (const auto& r : detail["risk"]["reasons"]) EXPECT_NE(r["factor"], "deaths") << r.dump();
}

TEST_F(EventStageTest, OnlyOneProcessRunsTheStage) {
  auto a = AcquireStageLock(dir_.File("y.db"));
  ASSERT_TRUE(a.ok());
  // flock locks are per open file description: a second open in this process conflicts too.
  auto b = AcquireStageLock(dir_.File("y.db"));
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.status().code(), StatusCode::kFailedPrecondition);
  ::close(*a);
  auto c = AcquireStageLock(dir_.File("y.db"));
  EXPECT_TRUE(c.ok());
  if (c.ok()) ::close(*c);
}

}  // namespace
}  // namespace yuqing::pipeline
