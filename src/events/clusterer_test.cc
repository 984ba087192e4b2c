#include "events/clusterer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace yuqing::events {
namespace {

std::shared_ptr<const text::KeywordExtractor> Keywords() {
  static auto kw = [] {
    auto seg = text::Segmenter::Load();
    EXPECT_TRUE(seg.ok()) << seg.status().ToString();
    auto k = text::KeywordExtractor::Load(*seg);
    EXPECT_TRUE(k.ok()) << k.status().ToString();
    return *k;
  }();
  return kw;
}

constexpr int64_t kT0 = 1'700'000'000;  // some event time, seconds
constexpr int64_t kMinute = 60;
constexpr int64_t kHour = 3600;

ClusterPost Post(std::string id, int64_t t, std::string text, std::string parent = "") {
  ClusterPost p;
  p.id = std::move(id);
  p.time_s = t;
  p.text = std::move(text);
  p.parent = std::move(parent);
  return p;
}

const char* kExplosion =
    "南京市江宁区一化工厂昨夜发生爆炸，厂区上空升起浓烟，周边居民紧急疏散，消防部门正在灭火。";
const char* kExplosion2 = "江宁化工厂爆炸现场浓烟滚滚，消防车赶到灭火，附近居民已经疏散。";
const char* kFlood =
    "受连日暴雨影响，广州市白云区多条道路积水严重，地铁站口临时封闭，市民出行受阻。";
const char* kSchool = "某中学食堂被曝使用过期食材，多名家长到校讨说法，教育局已介入调查。";

TEST(ClustererTest, RelatedReportsJoinOneEventAndUnrelatedPostsStartNewOnes) {
  Clusterer c(Keywords());
  auto a = c.Add(Post("1", kT0, kExplosion));
  auto b = c.Add(Post("2", kT0 + 5 * kMinute, kExplosion2));
  // Far enough apart that recency does not carry them (see ShortReactionFollowsTheLatestEvent).
  auto f = c.Add(Post("3", kT0 + 24 * kHour, kFlood));
  auto s = c.Add(Post("4", kT0 + 48 * kHour, kSchool));
  EXPECT_EQ(a.reason, JoinReason::kNew);
  EXPECT_EQ(b.event, a.event);
  EXPECT_EQ(b.reason, JoinReason::kSimilar);
  EXPECT_NE(f.event, a.event);
  EXPECT_NE(s.event, a.event);
  EXPECT_NE(s.event, f.event);
  EXPECT_EQ(c.stats().events, 3u);
}

TEST(ClustererTest, RepostJoinsItsParentsEventWhateverItSays) {
  Clusterer c(Keywords());
  auto a = c.Add(Post("src", kT0, kExplosion));
  c.Add(Post("other", kT0 + 3 * kHour, kFlood));
  // A short reaction, hours later, right after an unrelated post: only `parent` links it.
  auto r = c.Add(Post("r1", kT0 + 3 * kHour + kMinute, "太可怕了，大家注意安全", "src"));
  EXPECT_EQ(r.event, a.event);
  EXPECT_EQ(r.reason, JoinReason::kRepost);
}

TEST(ClustererTest, NearDuplicateJoinsTheOriginalsEvent) {
  Clusterer c(Keywords());
  auto a = c.Add(Post("1", kT0, kExplosion));
  c.Add(Post("2", kT0 + 2 * kHour, kFlood));
  // The same text with punctuation edits, long after: SimHash, not recency, links it.
  auto d = c.Add(
      Post("3", kT0 + 20 * kHour,
           "南京市江宁区一化工厂昨夜发生爆炸!厂区上空升起浓烟,周边居民紧急疏散,消防部门正在灭火"));
  EXPECT_EQ(d.event, a.event);
  EXPECT_EQ(d.reason, JoinReason::kNearDuplicate);
}

TEST(ClustererTest, InactiveEventGoesDormantAndWakesOnAStrongMatch) {
  ClusterOptions o;
  o.dormant_after_s = 12 * kHour;
  Clusterer c(Keywords(), o);
  auto a = c.Add(Post("1", kT0, kExplosion));
  c.Add(Post("2", kT0 + 10 * kMinute, kExplosion2));
  auto f = c.Add(Post("3", kT0 + 2 * 24 * kHour, kFlood));  // the explosion event sleeps
  EXPECT_EQ(c.stats().active_events, 1u);
  auto w = c.Add(Post("4", kT0 + 2 * 24 * kHour + kMinute,
                      "江宁区化工厂爆炸事故调查结果公布，化工厂负责人被控制，周边居民获赔偿。"));
  EXPECT_EQ(w.event, a.event);
  EXPECT_EQ(w.reason, JoinReason::kWoke);
  EXPECT_NE(f.event, a.event);
  EXPECT_EQ(c.stats().active_events, 2u);
  EXPECT_EQ(c.stats().woke, 1u);
}

TEST(ClustererTest, DormantEventDoesNotWakeOnAWeakMatch) {
  ClusterOptions o;
  o.dormant_after_s = 12 * kHour;
  Clusterer c(Keywords(), o);
  auto a = c.Add(Post("1", kT0, kExplosion));
  auto b =
      c.Add(Post("2", kT0 + 3 * 24 * kHour, "广州消防部门开展夏季消防安全演练，市民踊跃参加。"));
  EXPECT_NE(b.event, a.event);
  EXPECT_EQ(b.reason, JoinReason::kNew);
}

TEST(ClustererTest, HotlineComplaintAboutTheSameIncidentJoinsTheOnlineEvent) {
  Clusterer c(Keywords());
  ClusterPost web = Post(
      "weibo-1", kT0, "西湖区翠苑小区旁的垃圾中转站臭气熏天，夏天根本不敢开窗，投诉多次没人管！");
  web.regions = {"330106"};
  auto a = c.Add(web);
  c.Add(Post("weibo-2", kT0 + 30 * kMinute, kSchool));
  ClusterPost hotline = Post("12345-0031", kT0 + 4 * kHour,
                             "市民来电反映：西湖区翠苑小区旁的垃圾中转站臭气熏天，夏天不敢开窗，"
                             "多次投诉无人处理，请求相关部门尽快处理。");
  hotline.title = "12345热线工单：垃圾中转站异味扰民";
  hotline.regions = {"330106"};
  auto h = c.Add(hotline);
  EXPECT_EQ(h.event, a.event);
  EXPECT_EQ(h.reason, JoinReason::kSimilar);
}

TEST(ClustererTest, RegionTermsPlacePostsButAreNeverShownAsKeywords) {
  Clusterer c(Keywords());
  ClusterPost p = Post("weibo-1", kT0, "西湖区翠苑小区旁的垃圾中转站臭气熏天，投诉多次没人管！");
  p.regions = {"330106", "3301"};
  auto a = c.Add(p);
  auto terms = c.TopTerms(a.event, 50);
  ASSERT_FALSE(terms.empty());
  for (const auto& [term, weight] : terms) {
    EXPECT_FALSE(term.starts_with("\x01")) << "an internal term is shown: " << term.substr(1);
  }
}

TEST(ClustererTest, ShortReactionFollowsTheLatestEvent) {
  // Recency carries posts with few words: a reaction belongs to the thread it reacts to.
  Clusterer c(Keywords());
  c.Add(Post("1", kT0, kExplosion));
  auto f = c.Add(Post("2", kT0 + 24 * kHour, kFlood));
  auto r = c.Add(Post("3", kT0 + 24 * kHour + 3 * kMinute, "天哪，太吓人了"));
  EXPECT_EQ(r.event, f.event);
  EXPECT_EQ(r.reason, JoinReason::kSimilar);
}

// A stream whose posts name their parent places reactions by the parent; time alone then
// carries only unrelated posts into the latest thread, and stops doing so. A stream that names
// no parents keeps following threads by time (ShortReactionFollowsTheLatestEvent).
TEST(ClustererTest, TimeAloneStopsCarryingPostsWhenTheStreamNamesParents) {
  Clusterer c(Keywords());
  auto f = c.Add(Post("f", kT0, kFlood));
  // Reposts that name their parent, one post in ten of the stream and more.
  int64_t t = kT0;
  for (int i = 0; i < 30; ++i) {
    t += kMinute;
    auto r = c.Add(Post("r" + std::to_string(i), t, "转发", "f"));
    EXPECT_EQ(r.event, f.event);
    EXPECT_EQ(r.reason, JoinReason::kRepost);
  }
  // A short post that shares no word with the flood and names no parent: not the flood's.
  auto lone = c.Add(Post("lone", t + kMinute, "天哪，太吓人了"));
  EXPECT_NE(lone.event, f.event);
  EXPECT_EQ(lone.reason, JoinReason::kNew);
  // A post that shares the flood's words still joins it by text and time.
  auto more = c.Add(Post("more", t + 2 * kMinute, "白云区暴雨积水，地铁站口封闭"));
  EXPECT_EQ(more.event, f.event);

  // A restart rebuilds the share: the restored clusterer decides the same way.
  Clusterer restored(Keywords());
  restored.Restore(Post("f", kT0, kFlood), f.event);
  t = kT0;
  for (int i = 0; i < 30; ++i) {
    restored.Restore(Post("r" + std::to_string(i), t += kMinute, "转发", "f"), f.event);
  }
  EXPECT_NE(restored.Add(Post("lone", t + kMinute, "天哪，太吓人了")).event, f.event);

  ClusterOptions off;
  off.parent_share_full = 0;
  Clusterer d(Keywords(), off);
  auto g = d.Add(Post("f", kT0, kFlood));
  t = kT0;
  for (int i = 0; i < 30; ++i) d.Add(Post("r" + std::to_string(i), t += kMinute, "转发", "f"));
  EXPECT_EQ(d.Add(Post("lone", t + kMinute, "天哪，太吓人了")).event, g.event);
}

// Where the stream names parents, a short post that shares only a common word with the latest
// event is a post of its own; one whose words lean on the event still joins it by text and time.
TEST(ClustererTest, ShortPostsNeedTheirWordsForRecencyWhenTheStreamNamesParents) {
  const std::string common = "周末出行，朋友聚餐，电影院，火锅店，商场打折";  // shares 出行
  const std::string leaning = "白云区又积水了，地铁站口封闭";
  auto run = [&](double share_full, const std::string& text) {
    ClusterOptions o;
    o.parent_share_full = share_full;
    Clusterer c(Keywords(), o);
    auto f = c.Add(Post("f", kT0, kFlood));
    int64_t t = kT0;
    for (int i = 0; i < 30; ++i) c.Add(Post("r" + std::to_string(i), t += kMinute, "转发", "f"));
    auto a = c.Add(Post("x", t + kMinute, text));
    return std::make_pair(a.event == f.event, a.score);
  };
  auto [joined, score] = run(0.05, common);
  EXPECT_FALSE(joined) << "score " << score;
  auto [joined_off, score_off] = run(0, common);  // a stream without parents: recency carries it
  EXPECT_TRUE(joined_off) << "score " << score_off;
  auto [leans, score_leans] = run(0.05, leaning);
  EXPECT_TRUE(leans) << "score " << score_leans;
}

// A stream of threads: each of these posts followed by 20 wordless reactions a minute apart, 40
// minutes between threads. Returns each thread's event, each reaction's event and the time of the
// last reaction; `log` (if given) gets every post with its event.
struct ThreadStream {
  std::vector<uint64_t> events;
  std::vector<std::vector<uint64_t>> reactions;
  int64_t last_s = 0;
};
ThreadStream AddThreads(Clusterer& c, std::vector<std::pair<ClusterPost, uint64_t>>* log) {
  const std::vector<std::string> sources = {kExplosion, kFlood, kSchool,
                                            "杭州西湖景区游船相撞，多名游客落水，救援人员已赶到。"};
  const std::vector<std::string> reactions = {"[怒][怒]", "！！！", "[泪]", "？？？", "[蜡烛]"};
  auto add = [&](const ClusterPost& p) {
    auto a = c.Add(p);
    if (log != nullptr) log->emplace_back(p, a.event);
    return a.event;
  };
  ThreadStream out;
  int64_t t = kT0;
  for (size_t k = 0; k < sources.size(); ++k) {
    if (k > 0) t += 40 * kMinute;
    out.events.push_back(add(Post("s" + std::to_string(k), t, sources[k])));
    out.reactions.emplace_back();
    for (int i = 0; i < 20; ++i) {
      out.reactions.back().push_back(add(Post("r" + std::to_string(k) + "_" + std::to_string(i),
                                              t += kMinute, reactions[i % reactions.size()])));
    }
  }
  out.last_s = t;
  return out;
}

// In a stream of threads — most posts are reactions that carry no words, placed by time alone —
// an event is a burst around its post and ends with it: long after the burst, a copy of the
// thread's post opens a new event (a new thread of the same story). In a stream of reports,
// where the text places the posts, the same silence does not end an event.
TEST(ClustererTest, InAStreamOfThreadsAnEventEndsWithItsBurst) {
  // The threads, each reaction checked in its thread's event; the time 40 minutes after the last.
  auto threads = [](Clusterer& c, std::vector<std::pair<ClusterPost, uint64_t>>* log) {
    ThreadStream s = AddThreads(c, log);
    for (size_t k = 0; k < s.events.size(); ++k) {
      for (size_t i = 0; i < s.reactions[k].size(); ++i) {
        EXPECT_EQ(s.reactions[k][i], s.events[k]) << "thread " << k << " reaction " << i;
      }
    }
    return std::make_pair(s.events, s.last_s + 40 * kMinute);
  };
  const std::string copy = kExplosion;  // posted again by another user
  // The share of posts placed by time alone is kept over the last 500 posts; this short stream
  // counts it over 50.
  ClusterOptions o;
  o.thread_memory_posts = 50;

  Clusterer c(Keywords(), o);
  std::vector<std::pair<ClusterPost, uint64_t>> log;
  auto [events, t] = threads(c, &log);
  ASSERT_EQ(events.size(), 4u);
  for (size_t k = 1; k < events.size(); ++k) EXPECT_NE(events[k], events[k - 1]);
  EXPECT_GT(c.stats().thread_posts, 0u);
  auto again = c.Add(Post("copy", t + 5 * kHour, copy));
  EXPECT_NE(again.event, events[0]);
  EXPECT_EQ(again.reason, JoinReason::kNew);

  // The same stream without the rule: the copy joins the first thread's event.
  ClusterOptions off = o;
  off.seal_factor = 0;
  Clusterer d(Keywords(), off);
  auto [events_off, t_off] = threads(d, nullptr);
  EXPECT_EQ(d.Add(Post("copy", t_off + 5 * kHour, copy)).event, events_off[0]);

  // A restart rebuilds the stream's pace and share: the restored clusterer decides the same.
  Clusterer restored(Keywords(), o);
  for (const auto& [p, e] : log) restored.Restore(p, e);
  EXPECT_EQ(restored.Add(Post("copy", t + 5 * kHour, copy)).reason, JoinReason::kNew);

  // A stream of reports: every post shares the story's words. Five hours of silence do not end
  // the event.
  Clusterer reports(Keywords(), o);
  auto first = reports.Add(Post("a", kT0, kExplosion));
  int64_t u = kT0;
  for (int i = 0; i < 40; ++i) {
    EXPECT_EQ(
        reports
            .Add(Post("b" + std::to_string(i), u += kMinute, i % 2 == 0 ? kExplosion2 : kExplosion))
            .event,
        first.event);
  }
  EXPECT_EQ(reports.Add(Post("copy", u + 5 * kHour, copy)).event, first.event);
  EXPECT_EQ(reports.stats().thread_posts, 0u);
}

// In a stream of threads, a long post that shares no word with anything, posted in the middle of
// a thread's burst, opens an event of its own — but it may be a stray reaction of the burst. Until
// a post joins it by its words, a wordless reaction that finds the burst and the stray equally
// recent joins the burst; once the stray is confirmed, it is an event like any other.
TEST(ClustererTest, AnEventOpenedInABurstWithoutWordsStaysUnconfirmed) {
  const std::string stray =
      "今天早上去菜市场买了新鲜蔬菜水果，回家给孩子做了一顿丰盛午饭，下午陪爷爷奶奶公园散步聊天";
  struct Outcome {
    uint64_t thread, stray, reaction;
  };
  auto run = [&](Clusterer& c, std::vector<std::pair<ClusterPost, uint64_t>>* log,
                 bool stop_before_reaction) {
    auto add = [&](const ClusterPost& p) {
      auto a = c.Add(p);
      if (log != nullptr) log->emplace_back(p, a.event);
      return a.event;
    };
    // The last thread is in its burst when the stray post comes, 30 s after a reaction.
    ThreadStream s = AddThreads(c, log);
    const int64_t t = s.last_s;
    Outcome out{s.events.back(), add(Post("stray", t + 30, stray)), 0};
    if (!stop_before_reaction) out.reaction = add(Post("after", t + 60, "[泪][泪]"));
    return std::make_pair(out, t);
  };
  ClusterOptions o;
  o.thread_memory_posts = 50;  // the share of posts placed by time alone, over this short stream

  Clusterer c(Keywords(), o);
  std::vector<std::pair<ClusterPost, uint64_t>> log;
  auto [out, t] = run(c, &log, false);
  EXPECT_GT(c.stats().thread_posts, 0u);
  EXPECT_NE(out.stray, out.thread);
  EXPECT_EQ(out.reaction, out.thread) << "the wordless reaction joins the burst";

  // Without the rule, the stray is simply the newest event and takes the reaction.
  ClusterOptions off = o;
  off.unconfirmed_quantile = 0;
  Clusterer d(Keywords(), off);
  auto [out_off, t_off] = run(d, nullptr, false);
  EXPECT_EQ(out_off.reaction, out_off.stray);

  // A restart rebuilds which events are unconfirmed: the restored clusterer decides the same.
  Clusterer restored(Keywords(), o);
  for (size_t i = 0; i + 1 < log.size(); ++i) restored.Restore(log[i].first, log[i].second);
  EXPECT_EQ(restored.Add(Post("after", t + 60, "[泪][泪]")).event, out.thread);

  // A post that shares the stray's words confirms it: from then on it is the newest event, and a
  // wordless reaction right after joins it.
  Clusterer e(Keywords(), o);
  auto [out_e, t_e] = run(e, nullptr, true);
  EXPECT_EQ(
      e.Add(Post("same", t_e + 45, "今天菜市场的新鲜蔬菜水果真便宜，午饭孩子吃得很开心")).event,
      out_e.stray);
  EXPECT_EQ(e.Add(Post("after", t_e + 60, "[泪][泪]")).event, out_e.stray);
}

TEST(ClustererTest, FirstReportOfAConcurrentIncidentStartsItsOwnEvent) {
  // A busy event is posting every minute. A report on a different incident shares one common
  // word with it ("explosion"): recency alone must not carry it into the busy event, though a
  // post that leans towards the busy event in text still joins it.
  // Two hundred posts in a hundred minutes, each naming the explosion and six of the story's
  // twenty words.
  const std::vector<std::string> words = {
      "Boston",   "Marathon",  "Boylston", "Copley",   "finish",    "runners", "spectators",
      "bombs",    "pressure",  "cooker",   "backpack", "suspects",  "FBI",     "Tsarnaev",
      "brothers", "Watertown", "manhunt",  "lockdown", "Cambridge", "medics"};
  std::vector<std::string> busy;
  for (size_t i = 0; i < 200; ++i) {
    std::string text = "explosion";
    for (size_t k = 0; k < 6; ++k) text += " " + words[(i * 7 + k * 3) % words.size()];
    busy.push_back(text);
  }
  const std::string other =
      "Fertilizer plant explosion in West, Texas near Waco: homes flattened, nursing home "
      "evacuated, firefighters missing, ammonia";
  const std::string follow =
      "Boston Marathon explosion: runners and spectators at the finish on Boylston, medics and "
      "the FBI";
  auto run = [&](double needs_cosine) {
    ClusterOptions o;
    o.time_needs_cosine = needs_cosine;
    Clusterer c(Keywords(), o);
    Assignment first;
    for (size_t i = 0; i < busy.size(); ++i) {
      auto r = c.Add(
          Post("b" + std::to_string(i), kT0 + static_cast<int64_t>(i) * kMinute / 2, busy[i]));
      if (i == 0) first = r;
    }
    auto w = c.Add(Post("w", kT0 + 100 * kMinute, other));
    auto f = c.Add(Post("f", kT0 + 101 * kMinute, follow));
    return std::make_tuple(first, w, f);
  };
  auto [first, w, f] = run(ClusterOptions{}.time_needs_cosine);
  EXPECT_EQ(w.reason, JoinReason::kNew) << "cosine " << w.cosine << " score " << w.score;
  EXPECT_NE(w.event, first.event);
  EXPECT_EQ(f.event, first.event);
  // Without the guard, recency carries the other incident into the busy event.
  auto [first0, w0, f0] = run(0);
  EXPECT_EQ(w0.event, first0.event);
  EXPECT_EQ(w0.reason, JoinReason::kSimilar);
}

TEST(ClustererTest, AnEventSilentLongerThanTheForgetPeriodLeavesMemoryAndDoesNotWake) {
  auto run = [](int64_t forget_after_s) {
    ClusterOptions o;
    o.dormant_after_s = 24 * kHour;
    o.forget_after_s = forget_after_s;
    Clusterer c(Keywords(), o);
    auto a = c.Add(Post("1", kT0, kExplosion));
    c.Add(Post("2", kT0 + 10 * kMinute, kExplosion2));
    // Twenty days of other stories keep the clock moving.
    for (int d = 1; d <= 20; ++d) {
      c.Add(Post("f" + std::to_string(d), kT0 + d * 24 * kHour,
                 std::string(kFlood) + "第" + std::to_string(d) + "天"));
    }
    const int64_t later = kT0 + 20 * 24 * kHour + kHour;
    auto w = c.Add(Post("3", later, std::string(kExplosion2) + "附近居民仍未返回。"));
    auto r = c.Add(Post("4", later + kMinute, "转发", "1"));
    return std::make_tuple(a, w, r, c.TakeForgotten(), c.stats().forgotten, c.MemoryBytes());
  };
  // Forgotten after 10 days: the strong match starts a new event and the repost of a forgotten
  // post is placed like any other post.
  auto [a, w, r, forgotten, n, bytes] = run(10 * 24 * kHour);
  EXPECT_EQ(w.reason, JoinReason::kNew);
  EXPECT_NE(w.event, a.event);
  EXPECT_NE(r.reason, JoinReason::kRepost);
  ASSERT_FALSE(forgotten.empty());
  EXPECT_EQ(forgotten.front(), a.event);
  EXPECT_EQ(n, forgotten.size());
  // Kept forever: the same post wakes the old event and the repost joins it.
  auto [a0, w0, r0, forgotten0, n0, bytes0] = run(0);
  EXPECT_EQ(w0.reason, JoinReason::kWoke);
  EXPECT_EQ(w0.event, a0.event);
  EXPECT_EQ(r0.reason, JoinReason::kRepost);
  EXPECT_TRUE(forgotten0.empty());
  EXPECT_LT(bytes, bytes0);
}

TEST(ClustererTest, ANearDuplicateOfAForgottenPostStartsANewEvent) {
  ClusterOptions o;
  o.dormant_after_s = 24 * kHour;
  o.forget_after_s = 2 * 24 * kHour;
  Clusterer c(Keywords(), o);
  auto a = c.Add(Post("1", kT0, kExplosion));
  // Three days later the old event is forgotten, but the index is swept only now and then: the
  // fingerprint may still be there and must lead nowhere.
  auto d = c.Add(Post("2", kT0 + 3 * 24 * kHour, kExplosion));
  EXPECT_EQ(d.reason, JoinReason::kNew);
  EXPECT_NE(d.event, a.event);
  auto d2 = c.Add(Post("3", kT0 + 3 * 24 * kHour + kMinute, kExplosion));
  EXPECT_EQ(d2.event, d.event);
  EXPECT_EQ(d2.reason, JoinReason::kNearDuplicate);
}

TEST(ClustererTest, MarkedReplyFollowsTheLatestEventWhateverItsLength) {
  // A long comment with words of its own: unmarked it reads as a new story; marked as a reply
  // ("回复@…:") or a repost chain ("//@…:") it is a reaction to the running thread.
  const std::string comment =
      "说实话这种事情每年都有人说，我们小区门口那家超市上个月也被街坊投诉过，物业和居委会都"
      "推来推去，最后还是没人管，老百姓只能自己多留个心眼";
  for (const std::string& marked :
       {"回复@小城故事多:" + comment, comment + "//@江宁发布:转发", "转发微博 " + comment}) {
    Clusterer c(Keywords());
    auto f = c.Add(Post("1", kT0, kFlood));
    auto r = c.Add(Post("2", kT0 + 10 * kMinute, marked));
    EXPECT_EQ(r.event, f.event) << marked;
    EXPECT_EQ(r.reason, JoinReason::kSimilar) << marked;
  }
  Clusterer plain(Keywords());
  auto f = plain.Add(Post("1", kT0, kFlood));
  auto r = plain.Add(Post("2", kT0 + 10 * kMinute, comment));
  EXPECT_NE(r.event, f.event);
  EXPECT_EQ(r.reason, JoinReason::kNew);

  ClusterOptions off;
  off.reaction_markers = false;
  Clusterer unmarked(Keywords(), off);
  f = unmarked.Add(Post("1", kT0, kFlood));
  r = unmarked.Add(Post("2", kT0 + 10 * kMinute, "回复@小城故事多:" + comment));
  EXPECT_EQ(r.reason, JoinReason::kNew);
}

TEST(ClustererTest, MarkedReactionDoesNotWakeADormantEvent) {
  // The same words wake the sleeping explosion event when posted as they are, but not when they
  // come as a reply: a reply belongs to the running thread.
  const std::string words =
      "太可怕了，希望没有人员伤亡，江宁区化工厂爆炸浓烟滚滚，"
      "消防灭火，居民疏散，大家注意安全远离现场";
  for (const bool marked : {false, true}) {
    ClusterOptions o;
    o.dormant_after_s = 24 * kHour;
    o.merge_threshold = 2;
    Clusterer c(Keywords(), o);
    auto a = c.Add(Post("1", kT0, kExplosion));
    c.Add(Post("2", kT0 + 10 * kMinute, kExplosion2));
    auto f = c.Add(Post("3", kT0 + 3 * 24 * kHour, kFlood));  // the explosion event sleeps
    auto r =
        c.Add(Post("4", kT0 + 3 * 24 * kHour + kMinute, marked ? "回复@南京发布:" + words : words));
    if (marked) {
      EXPECT_EQ(r.event, f.event);
      EXPECT_EQ(r.reason, JoinReason::kSimilar);
    } else {
      EXPECT_EQ(r.event, a.event);
      EXPECT_EQ(r.reason, JoinReason::kWoke);
    }
  }
}

TEST(ClustererTest, TimeAloneCarriesAPostForLessLongThanTimeAndASharedWord) {
  // Three hours after the last post: a reaction sharing a word with the event still joins it
  // (τ 4 h); one sharing nothing does not (blind τ 2 h) — a thread that quiet is over for it.
  for (const bool shares_word : {true, false}) {
    Clusterer c(Keywords());
    auto a = c.Add(Post("1", kT0, kExplosion));
    auto r = c.Add(Post("2", kT0 + 3 * kHour, shares_word ? "化工厂太吓人了" : "天哪，太吓人了"));
    if (shares_word) {
      EXPECT_EQ(r.event, a.event);
      EXPECT_EQ(r.reason, JoinReason::kSimilar);
    } else {
      EXPECT_EQ(r.reason, JoinReason::kNew);
    }
  }
  // Within minutes, the reaction without a shared word follows the thread as before.
  Clusterer c(Keywords());
  auto a = c.Add(Post("1", kT0, kExplosion));
  EXPECT_EQ(c.Add(Post("2", kT0 + 5 * kMinute, "天哪，太吓人了")).event, a.event);
}

TEST(ClustererTest, ConvergingEventsMergeIntoTheOlderWithARecord) {
  ClusterOptions o;
  o.time_weight = 0;         // text alone decides who joins
  o.join_threshold = 0.6;    // strict joining: the second report starts its own event
  o.merge_threshold = 0.25;  // the two reports' cosine is about 0.3
  o.merge_min_posts = 2;
  Clusterer c(Keywords(), o);
  auto a = c.Add(Post("1", kT0, kExplosion));
  auto b = c.Add(Post("2", kT0 + kMinute, kExplosion2));
  ASSERT_NE(a.event, b.event);
  // Each event grows with a post that repeats it; the second then converges on the first.
  c.Add(Post("3", kT0 + 2 * kMinute, kExplosion));
  c.Add(Post("4", kT0 + 3 * kMinute, kExplosion2));
  ASSERT_FALSE(c.merges().empty());
  EXPECT_EQ(c.merges().front().from, b.event);
  EXPECT_EQ(c.merges().front().into, a.event);
  EXPECT_EQ(c.Resolve(b.event), a.event);
  EXPECT_EQ(c.stats().active_events, 1u);
}

TEST(ClustererTest, MergedByHandTheEventsAreOneAndItsWordsFindIt) {
  ClusterOptions o;
  o.dormant_after_s = 12 * kHour;
  Clusterer c(Keywords(), o);
  auto leak = c.Add(Post("1", kT0, kExplosion));
  // A day and a half later, a facet the text does not tie to it: the flood story stands for
  // "the water cut downstream" an analyst knows to be the same incident. The explosion sleeps.
  auto cut = c.Add(Post("2", kT0 + 36 * kHour, kFlood));
  ASSERT_NE(cut.event, leak.event);
  ASSERT_EQ(c.stats().active_events, 1u);

  EXPECT_EQ(c.MergeByHand(cut.event, leak.event, kT0 + 36 * kHour + kMinute).code(),
            StatusCode::kOk);
  ASSERT_EQ(c.merges().size(), 1u);
  EXPECT_EQ(c.merges()[0].from, cut.event);
  EXPECT_EQ(c.merges()[0].into, leak.event);  // the person's choice, though it is the older
  EXPECT_TRUE(c.merges()[0].by_hand);
  EXPECT_EQ(c.Resolve(cut.event), leak.event);
  EXPECT_FALSE(c.Alive(cut.event));
  EXPECT_EQ(c.stats().active_events, 1u);  // the dormant explosion is active again, as one
  // Words of either story now find the one event.
  auto flood_follow_up = c.Add(Post("3", kT0 + 37 * kHour, kFlood));
  EXPECT_EQ(c.Resolve(flood_follow_up.event), leak.event);
  auto explosion_follow_up = c.Add(Post("4", kT0 + 37 * kHour + kMinute, kExplosion2));
  EXPECT_EQ(c.Resolve(explosion_follow_up.event), leak.event);

  // Wrong requests say what is wrong and change nothing.
  EXPECT_EQ(c.MergeByHand(cut.event, leak.event, kT0 + 38 * kHour).code(),
            StatusCode::kInvalidArgument);  // already one
  EXPECT_EQ(c.MergeByHand(leak.event, 999, kT0 + 38 * kHour).code(), StatusCode::kNotFound);
  EXPECT_EQ(c.merges().size(), 1u);
}

TEST(ClustererTest, EnglishTweetsClusterByWordsNotByJiebaDictionary) {
  Clusterer c(Keywords());
  auto a = c.Add(
      Post("1", kT0, "Explosion at fertilizer plant in West, Texas: many injured #WestExplosion"));
  c.Add(Post("2", kT0 + kHour,
             "Flooding in Calgary, Alberta: downtown evacuated as Bow River rises"));
  auto b = c.Add(Post("3", kT0 + 5 * kHour,
                      "RT @news: West Texas fertilizer plant explosion, death toll rises"));
  EXPECT_EQ(b.event, a.event);
}

TEST(ClustererTest, UrlsAndMentionsOfARepostChainAreNotTerms) {
  Clusterer c(Keywords());
  ClusterPost p =
      Post("1", kT0, "转发理由：支持！//@江宁发布: 化工厂爆炸 http://t.cn/AbCd12 @南京消防 RT");
  std::string terms;
  for (const auto& t : c.Vectorize(p)) terms += (terms.empty() ? "" : "/") + c.TermText(t.id);
  EXPECT_EQ(terms.find("江宁发布"), std::string::npos) << terms;
  EXPECT_EQ(terms.find("南京消防"), std::string::npos) << terms;
  EXPECT_EQ(terms.find("t.cn"), std::string::npos) << terms;
  EXPECT_EQ(terms.find("abcd12"), std::string::npos) << terms;
  EXPECT_NE(terms.find("化工厂"), std::string::npos) << terms;
}

// The terms of a post as "/"-joined text, in term-id order, with their weights.
std::vector<std::pair<std::string, double>> TermsOf(Clusterer& c, const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  for (const auto& t : c.Vectorize(Post("x", kT0, text)))
    out.emplace_back(c.TermText(t.id), t.weight);
  return out;
}

std::string Joined(const std::vector<std::pair<std::string, double>>& terms) {
  std::string out;
  for (const auto& [text, weight] : terms) out += (out.empty() ? "" : "/") + text;
  return out;
}

double WeightOf(const std::vector<std::pair<std::string, double>>& terms, const std::string& t) {
  for (const auto& [text, weight] : terms) {
    if (text == t) return weight;
  }
  return 0;
}

TEST(ClustererTest, BracketedEmoticonsAreNotTerms) {
  Clusterer c(Keywords());
  std::string terms = Joined(TermsOf(c, "[蜡烛][蜡烛][蜡烛]为雅安祈福[心][good] 数组a[1]"));
  EXPECT_EQ(terms.find("蜡烛"), std::string::npos) << terms;
  EXPECT_EQ(terms.find("good"), std::string::npos) << terms;
  EXPECT_NE(terms.find("雅安"), std::string::npos) << terms;
  EXPECT_NE(terms.find("祈福"), std::string::npos) << terms;
  // Only the bracketed emoticon goes: an empty "[]" or "[" without its "]" leaves the text alone.
  EXPECT_NE(Joined(TermsOf(c, "[蜡烛 雅安")).find("蜡烛"), std::string::npos);
}

TEST(ClustererTest, EmoticonOnlyPostsAreNotNearDuplicatesOfEachOther) {
  // Two condolence posts on different incidents, mostly candles: without the emoticons they share
  // nothing, so they are neither near-duplicates nor similar.
  ClusterOptions o;
  o.time_weight = 0;
  Clusterer c(Keywords(), o);
  auto a = c.Add(Post("1", kT0, "[蜡烛][蜡烛][蜡烛][蜡烛][蜡烛][蜡烛]波士顿马拉松爆炸遇难者安息"));
  auto b =
      c.Add(Post("2", kT0 + kHour, "[蜡烛][蜡烛][蜡烛][蜡烛][蜡烛][蜡烛]雅安地震遇难同胞一路走好"));
  EXPECT_NE(b.event, a.event);
  EXPECT_EQ(b.reason, JoinReason::kNew);
}

TEST(ClustererTest, HashtagWordsWeighMore) {
  ClusterOptions o;
  o.hashtag_weight = 2;
  Clusterer tagged(Keywords(), o);
  o.hashtag_weight = 1;
  Clusterer plain(Keywords(), o);
  const std::string weibo = "#四川雅安地震# 余震不断，祈祷平安";
  auto t = TermsOf(tagged, weibo);
  auto p = TermsOf(plain, weibo);
  // Relative to an untagged word of the same post, the topic's words double.
  EXPECT_NEAR(WeightOf(t, "雅安") / WeightOf(t, "祈祷"),
              2 * WeightOf(p, "雅安") / WeightOf(p, "祈祷"), 1e-9)
      << Joined(t);
  const std::string tweet = "Flooding downtown #yycflood stay safe";
  t = TermsOf(tagged, tweet);
  p = TermsOf(plain, tweet);
  EXPECT_NEAR(WeightOf(t, "yycflood") / WeightOf(t, "downtown"),
              2 * WeightOf(p, "yycflood") / WeightOf(p, "downtown"), 1e-9)
      << Joined(t);
  // A lone '#' or "#1" is no topic: the text after it is weighed as usual.
  t = TermsOf(tagged, "第#1 名 雅安 祈祷");
  p = TermsOf(plain, "第#1 名 雅安 祈祷");
  ASSERT_GT(WeightOf(p, "祈祷"), 0) << Joined(p);
  EXPECT_NEAR(WeightOf(t, "雅安") / WeightOf(t, "祈祷"), WeightOf(p, "雅安") / WeightOf(p, "祈祷"),
              1e-9);
}

TEST(ClustererTest, ChineseWordsWeighByHowOftenTheStreamUsesThem) {
  // "雅安" is rare in a general corpus (a high jieba IDF) but in a stream about the Ya'an
  // earthquake every post says it: there it tells posts apart less than "医院" does.
  auto kw = Keywords();
  ASSERT_GT(kw->Idf("雅安"), kw->Idf("医院"));
  ClusterOptions o;
  o.stream_idf = false;
  Clusterer jieba(kw, o);
  o.stream_idf = true;
  Clusterer stream(kw, o);
  {
    // A new stream starts from jieba's weights (idf_prior_posts pseudo-posts of its corpus).
    Clusterer fresh(kw, o);
    auto f = TermsOf(fresh, "雅安医院收治伤员");
    EXPECT_GT(WeightOf(f, "雅安"), WeightOf(f, "医院")) << Joined(f);
  }
  for (Clusterer* c : {&jieba, &stream}) {
    for (int i = 0; i < 20; ++i) TermsOf(*c, "雅安余震不断，祈祷平安");
  }
  auto j = TermsOf(jieba, "雅安医院收治伤员");
  auto s = TermsOf(stream, "雅安医院收治伤员");
  ASSERT_GT(WeightOf(j, "医院"), 0) << Joined(j);
  EXPECT_GT(WeightOf(j, "雅安"), WeightOf(j, "医院")) << Joined(j);
  EXPECT_LT(WeightOf(s, "雅安"), WeightOf(s, "医院")) << Joined(s);
}

TEST(ClustererTest, PluralsShareATermWhenStemmed) {
  ClusterOptions o;
  o.stem_plurals = true;
  Clusterer c(Keywords(), o);
  EXPECT_EQ(Joined(TermsOf(c, "Floods")), "flood");
  EXPECT_EQ(Joined(TermsOf(c, "flood")), "flood");
  EXPECT_EQ(Joined(TermsOf(c, "Texas gas")), "texa/gas");  // "texa": a stem, not a word
  EXPECT_EQ(Joined(TermsOf(c, "press")), "press");         // "ss" is no plural
  EXPECT_EQ(Joined(TermsOf(c, "terremotos")), "terremoto");
  o.stem_plurals = false;
  Clusterer off(Keywords(), o);
  EXPECT_EQ(Joined(TermsOf(off, "Floods")), "floods");
}

TEST(ClustererTest, CandidatesComeFromTheIndexNotAScanOfAllEvents) {
  ClusterOptions o;
  o.time_weight = 0;
  o.join_threshold = 0.99;  // every post starts its own event
  o.merge_threshold = 2;    // and none merge
  o.max_postings_per_term = 16;
  Clusterer c(Keywords(), o);
  for (int i = 0; i < 300; ++i) {
    std::string unit = {'u', static_cast<char>('a' + i % 26), static_cast<char>('a' + i / 26)};
    c.Add(Post(std::to_string(i), kT0 + i, "化工厂 " + unit));
  }
  uint64_t before = c.stats().candidates_scored;
  c.Add(Post("x", kT0 + 400, "化工厂"));
  EXPECT_GT(c.stats().events, 250u);  // the first few join while the online IDF is young
  // One term, at most 16 events posted under it (plus the recent list): not 300.
  EXPECT_LE(c.stats().candidates_scored - before, 16u + o.recent_candidates);
}

TEST(ClustererTest, SameInputInSameOrderGivesSameAssignments) {
  std::vector<ClusterPost> posts;
  const char* texts[] = {kExplosion, kFlood, kExplosion2, kSchool, "暴雨导致白云区道路积水",
                         "太可怕了"};
  for (int i = 0; i < 60; ++i) {
    posts.push_back(Post(std::to_string(i), kT0 + i * 7 * kMinute, texts[(i * 7) % 6],
                         i % 5 == 4 ? std::to_string(i - 3) : ""));
  }
  auto run = [&] {
    Clusterer c(Keywords());
    std::vector<uint64_t> out;
    for (const auto& p : posts) out.push_back(c.Add(p).event);
    return out;
  };
  EXPECT_EQ(run(), run());
}

TEST(ClustererTest, RestoreRebuildsTheStateAddLeft) {
  const std::vector<ClusterPost> before = {
      Post("1", kT0, kExplosion), Post("2", kT0 + 5 * kMinute, kExplosion2),
      Post("3", kT0 + 24 * kHour, kFlood), Post("4", kT0 + 48 * kHour, kSchool)};
  Clusterer live(Keywords());
  std::vector<uint64_t> events;
  for (const auto& p : before) events.push_back(live.Resolve(live.Add(p).event));

  Clusterer restored(Keywords());
  restored.SetNextEventId(100);  // ids up to 99 exist in the store
  for (size_t i = 0; i < before.size(); ++i) restored.Restore(before[i], events[i]);
  EXPECT_TRUE(restored.Alive(events[0]));
  EXPECT_FALSE(restored.Alive(50));
  EXPECT_EQ(restored.TopTerms(events[0], 3), live.TopTerms(events[0], 3));
  ASSERT_FALSE(restored.TopTerms(events[0], 3).empty());

  // The next posts go where they would have gone without the restart: a related report, a
  // repost of a restored post; a new story gets a fresh id above the stored ones.
  auto related = restored.Add(Post("5", kT0 + 49 * kHour, kSchool));
  EXPECT_EQ(related.event, live.Add(Post("5", kT0 + 49 * kHour, kSchool)).event);
  auto repost = restored.Add(Post("6", kT0 + 49 * kHour + 1, "转发", "1"));
  EXPECT_EQ(repost.event, events[0]);
  EXPECT_EQ(repost.reason, JoinReason::kRepost);
  auto fresh = restored.Add(Post("7", kT0 + 200 * kHour,
                                 "新疆喀什地区气象台发布大风蓝色预警信号，预计夜间到明天白天将出现"
                                 "偏西风六到七级，阵风八级，局地伴有沙尘天气。"));
  EXPECT_EQ(fresh.reason, JoinReason::kNew);
  EXPECT_EQ(fresh.event, 100u);
}

TEST(ClustererTest, SegmentationCutAheadGivesTheSameAssignments) {
  const std::vector<ClusterPost> posts = {
      Post("1", kT0, kExplosion),
      Post("2", kT0 + 5 * kMinute, kExplosion2),
      Post("3", kT0 + 6 * kMinute,
           "#江宁化工厂爆炸# 现场视频 https://t.cn/abc [蜡烛][蜡烛] @南京发布"),
      Post("4", kT0 + 24 * kHour, kFlood),
      Post("5", kT0 + 24 * kHour + kMinute, "Guangzhou floods: metro stations closed 白云区积水"),
      Post("6", kT0 + 48 * kHour, kSchool)};
  Clusterer plain(Keywords());
  Clusterer ahead(Keywords());
  for (const auto& p : posts) {
    Clusterer::PreCut cut = ahead.PreCutPost(p);
    auto a = plain.Add(p);
    auto b = ahead.Add(p, &cut);
    EXPECT_EQ(a.event, b.event) << p.id;
    EXPECT_EQ(a.reason, b.reason) << p.id;
    EXPECT_DOUBLE_EQ(a.score, b.score) << p.id;
  }
  EXPECT_EQ(plain.TopTerms(1, 20), ahead.TopTerms(1, 20));
}

}  // namespace
}  // namespace yuqing::events
