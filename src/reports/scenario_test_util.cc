#include "reports/scenario_test_util.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace yuqing::reports::testing {

core::TimePoint At(const char* iso) { return *core::ParseIso8601(iso); }
core::TimePoint Now() { return At("2026-12-03T09:00:00+08:00"); }

namespace {

struct PostSpec {
  const char* source;
  const char* id;
  const char* when;
  model::Channel channel;
  const char* region;
  int sentiment;
  int64_t event;
  int64_t reposts;
  const char* text;
};

// Twelve posts on 2 December, one on 1 December (the previous day, for trends).
const PostSpec kPosts[] = {
    {"weibo", "w1", "2026-12-02T08:05:00+08:00", model::Channel::kWeibo, "140402", -1, 1, 120,
     "长治市潞州区化工厂附近闻到刺鼻气味，居民担心泄漏"},
    {"weibo", "w2", "2026-12-02T08:40:00+08:00", model::Channel::kWeibo, "140402", -1, 1, 80,
     "化工厂泄漏？有人说河水变色了"},
    {"weibo", "w3", "2026-12-02T09:10:00+08:00", model::Channel::kWeibo, "140403", -1, 1, 15,
     "<script>alert('x')</script><img src=x onerror=alert(1)>据说已经有人中毒"},
    {"rss:people", "n1", "2026-12-02T10:00:00+08:00", model::Channel::kNews, "140400", 0, 1, 40,
     "长治通报潞州区一化工企业异味情况：正在检测"},
    {"forum", "f1", "2026-12-02T10:30:00+08:00", model::Channel::kForum, "140402", -1, 1, 5,
     "厂区周边学校是否停课？家长很着急"},
    {"wechat", "c1", "2026-12-02T11:00:00+08:00", model::Channel::kWechat, "140402", 0, 1, 22,
     "潞州区生态环境局：监测数据正常，持续关注"},
    {"weibo", "w4", "2026-12-02T14:00:00+08:00", model::Channel::kWeibo, "140402", 1, 1, 9,
     "环保部门来得很快，点赞"},
    {"weibo", "w5", "2026-12-02T15:20:00+08:00", model::Channel::kWeibo, "140100", 0, 2, 3,
     "太原迎泽大街施工封路，出行请绕行"},
    {"forum", "f2", "2026-12-02T16:00:00+08:00", model::Channel::kForum, "140100", -1, 2, 2,
     "封路也不提前通知，堵了一个小时"},
    {"hotline", "h1", "2026-12-02T17:30:00+08:00", model::Channel::kHotline, "140100", -1, 2, 0,
     "12345来电：迎泽大街施工噪音扰民"},
    {"rss:sxrb", "n2", "2026-12-02T19:00:00+08:00", model::Channel::kNews, "", 0, 3, 1,
     "全省冬季供暖工作会议召开"},
    {"weibo", "w6", "2026-12-02T23:50:00+08:00", model::Channel::kWeibo, "140402", -1, 1, 30,
     "深夜还能闻到味道，到底有没有泄漏"},
    {"weibo", "w0", "2026-12-01T20:00:00+08:00", model::Channel::kWeibo, "140100", 0, 2, 1,
     "迎泽大街明天开始施工"},
};

model::EventRecord Event(int64_t id, const char* title, int grade, double heat, const char* trend,
                         model::Domain domain, double negative_share, std::string region,
                         const char* first, const char* last, int64_t posts, std::string detail) {
  model::EventRecord e;
  e.id = id;
  e.title = title;
  e.grade = grade;
  e.heat = heat;
  e.trend = trend;
  e.domain = domain;
  e.negative_share = negative_share;
  e.regions = {std::move(region)};
  e.first_seen = At(first);
  e.last_seen = At(last);
  e.updated_at = e.last_seen;
  e.posts = posts;
  e.authors = posts;
  e.detail_json = std::move(detail);
  return e;
}

}  // namespace

bool FillScenario(store::Store& store) {
  std::vector<store::PostRecord> batch;
  for (const auto& p : kPosts) {
    store::PostRecord r;
    r.post.source = p.source;
    r.post.external_id = p.id;
    r.post.text = p.text;
    r.post.published_at = At(p.when);
    r.post.channel = p.channel;
    r.post.region = p.region;
    r.post.metrics.reposts = p.reposts;
    r.post.author.id = std::string("u-") + p.id;
    r.post.author.name = std::string("网友") + p.id;
    r.post.url = std::string("https://example.org/") + p.source + "/" + p.id;
    batch.push_back(std::move(r));
  }
  auto ins = store.InsertPosts(batch, At("2026-12-03T00:10:00+08:00"));
  EXPECT_TRUE(ins.ok()) << ins.status().ToString();
  if (!ins.ok()) return false;
  auto queued = store.NextQueuedPosts(0, 100);
  EXPECT_TRUE(queued.ok());
  if (!queued.ok()) return false;
  store::EventBatch events;
  for (const auto& q : *queued) {
    for (const auto& p : kPosts) {
      if (q.post.post.external_id != p.id) continue;
      events.queue_through = std::max(events.queue_through, q.seq);
      store::PostEvent pe;
      pe.post_key = q.post.key;
      pe.event_id = p.event;
      pe.reason = "new";
      pe.analysis_json = "{}";
      pe.sentiment = p.sentiment;
      events.posts.push_back(pe);
    }
  }
  const std::string detail1 =
      R"({"keywords":[{"term":"化工厂","weight":0.9},{"term":"泄漏","weight":0.8},{"term":"潞州区","weight":0.5}],
"risk":{"grade":2,"grade_name":"II","grade_name_zh":"重大","reasons":[
{"factor":"injured","detail":"帖子提到有人中毒","aggravating":true,"value":1,"threshold":1},
{"factor":"negative_share","detail":"负面占比高","aggravating":false,"value":0.62,"threshold":0.5}]},
"rumour":{"posts":2,"denials":0,"max_score":0.71},
"top_authors":[{"name":"网友w1","kind":"individual","followers":5300,"posts":1},{"name":"人民网","kind":"media","followers":900000,"posts":1}]})";
  events.events = {
      Event(1, "长治市潞州区化工厂疑似泄漏", 2, 72.5, "rising", model::Domain::kEnvironment, 0.625,
            "140402", "2026-12-02T08:05:00+08:00", "2026-12-02T23:50:00+08:00", 8, detail1),
      Event(2, "太原迎泽大街施工封路", 4, 21.0, "declining", model::Domain::kTransport, 0.5,
            "140100", "2026-12-01T20:00:00+08:00", "2026-12-02T17:30:00+08:00", 4, "{}"),
      Event(3, "全省冬季供暖工作会议", 4, 5.0, "dormant", model::Domain::kHousing, 0, "14",
            "2026-12-02T19:00:00+08:00", "2026-12-02T19:00:00+08:00", 1, "{}"),
  };
  events.log = {{1, At("2026-12-02T08:05:00+08:00"), "new", "{}"},
                {1, At("2026-12-02T09:15:00+08:00"), "grade", R"({"from":"III","to":"II"})"},
                {1, At("2026-12-02T10:00:00+08:00"), "burst", "{}"}};
  model::NewAlert a;
  a.event_id = 1;
  a.policy_id = 1;
  a.level = 2;
  a.previous_level = 3;
  a.created_at = At("2026-12-02T09:15:00+08:00");
  a.title = "长治市潞州区化工厂疑似泄漏";
  a.payload_json = "{}";
  events.alerts = {a};
  auto committed = store.CommitEvents(events);
  EXPECT_TRUE(committed.ok()) << committed.status().ToString();
  if (!committed.ok()) return false;

  model::AuditDraft audit;
  audit.at = At("2026-12-01T09:00:00+08:00");
  audit.actor = "admin";
  audit.action = "org.replace";
  audit.object_type = "organisation";
  auto org = store.PutOrganisation(
      R"({"departments":[{"id":"luzhou-env","name":"潞州区生态环境局","region":"140402"},)"
      R"({"id":"taiyuan-transport","name":"太原市交通运输局","region":"140100"}]})",
      std::nullopt, audit);
  EXPECT_TRUE(org.ok()) << org.status().ToString();

  // A case for event 1: assigned, accepted, a press briefing published within 24 hours.
  model::Case c;
  c.title = "长治市潞州区化工厂疑似泄漏";
  c.origin = model::CaseOrigin::kEvent;
  c.event_id = 1;
  c.state = model::CaseState::kResponded;
  c.grade = 2;
  c.region = "140402";
  c.handling_region = "140400";
  c.detected_at = At("2026-12-02T09:15:00+08:00");
  c.created_at = At("2026-12-02T09:30:00+08:00");
  c.updated_at = At("2026-12-02T16:00:00+08:00");
  c.created_by = "analyst";
  c.rounds = {{1, c.created_at, "analyst", ""}};
  model::Assignment as;
  as.department_id = "luzhou-env";
  as.assigned_at = At("2026-12-02T09:40:00+08:00");
  as.assigned_by = "coordinator";
  as.accepted_at = At("2026-12-02T10:05:00+08:00");
  as.accepted_by = "env-clerk";
  c.assignments = {as};
  model::Response r;
  r.id = 1;
  r.department_id = "luzhou-env";
  r.channel = model::ResponseChannel::kBriefing;
  r.speaker = "新闻发言人";
  r.text = "经检测，厂区周边空气和水质监测数据正常，异味系设备检修所致。";
  r.author = "env-clerk";
  r.drafted_at = At("2026-12-02T12:00:00+08:00");
  r.status = model::ResponseStatus::kPublished;
  r.reviewed_by = "leader";
  r.reviewed_at = At("2026-12-02T12:50:00+08:00");
  r.published_at = At("2026-12-02T13:00:00+08:00");
  r.round = 1;
  c.responses = {r};
  model::Notice praise;
  praise.id = 1;
  praise.kind = model::NoticeKind::kCommendation;
  praise.department_id = "luzhou-env";
  praise.text = "快速检测、及时通报";
  praise.at = At("2026-12-02T18:00:00+08:00");
  praise.by = "coordinator";
  c.notices = {praise};
  store::CaseChange ch;
  ch.after = c;
  ch.log = {{0, 0, c.created_at, "analyst", "open", "new", "new", "{}"},
            {0, 0, as.assigned_at, "coordinator", "assign", "judged", "assigned", "{}"},
            {0, 0, *as.accepted_at, "env-clerk", "accept", "assigned", "accepted", "{}"},
            {0, 0, *r.published_at, "leader", "approve_response", "responding", "responded", "{}"}};
  ch.audit = audit;
  ch.audit.action = "case.open";
  ch.audit.object_type = "case";
  auto created = store.CreateCase(ch);
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (!created.ok()) return false;

  // A hotline case for event 2, assigned and never answered: overdue by the next morning.
  model::Case h;
  h.title = "迎泽大街施工噪音扰民";
  h.origin = model::CaseOrigin::kHotline;
  h.event_id = 2;
  h.state = model::CaseState::kAssigned;
  h.grade = 4;
  h.region = "140100";
  h.handling_region = "140100";
  h.detected_at = At("2026-12-01T08:00:00+08:00");
  h.created_at = At("2026-12-01T08:00:00+08:00");
  h.updated_at = h.created_at;
  h.created_by = "monitor";
  h.rounds = {{1, h.created_at, "monitor", ""}};
  h.petitioner = model::PetitionerContact{"张先生", "13800000000", "12345-001", {}, "", "", {}, ""};
  model::Assignment ht;
  ht.department_id = "taiyuan-transport";
  ht.assigned_at = At("2026-12-01T08:30:00+08:00");
  ht.assigned_by = "coordinator";
  h.assignments = {ht};
  store::CaseChange hc;
  hc.after = h;
  hc.log = {{0, 0, h.created_at, "monitor", "open", "new", "new", "{}"}};
  hc.audit = ch.audit;
  auto created2 = store.CreateCase(hc);
  EXPECT_TRUE(created2.ok()) << created2.status().ToString();
  return created2.ok();
}

}  // namespace yuqing::reports::testing
