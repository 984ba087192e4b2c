#include "events/summary.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace yuqing::events {
namespace {

constexpr int64_t kT0 = 1'767'225'600;  // 2026-01-01T00:00:00Z, a bucket boundary
constexpr int64_t kMinute = 60;

EventPost Post(std::string id, int64_t t, std::string author = "", int64_t followers = 0) {
  EventPost p;
  p.id = std::move(id);
  p.time_s = t;
  p.source = "weibo";
  p.channel = model::Channel::kWeibo;
  p.author.id = std::move(author);
  p.author.followers = followers;
  return p;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : "/") + s;
  return out;
}

TEST(GovernmentMentionsTest, NamesBodiesAndOfficialsInOrderOfAppearance) {
  struct Case {
    const char* text;
    const char* want;
  };
  const Case cases[] = {
      {"涉事城管已被停职，区政府成立联合调查组。", "城管/政府"},
      {"网友举报某县县长在酒桌上辱骂群众，县纪委已介入调查。", "县长/纪委"},
      {"派出所民警赶到现场，将打人者带走。", "派出所/民警"},
      {"今天天气很好，大家去公园散步。", ""},
      {"小区物业费又涨了，业主们在群里吵翻了天。", ""},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Join(FindGovernmentMentions(c.text)), c.want) << c.text;
  }
}

// The word list of summary.cc (keep the two equal) and the search it replaced: one
// std::string_view::find per word, sorted by position.
constexpr std::string_view kGovWords[] = {
    "政府",   "党委",   "书记",   "村支书", "市长",   "县长",   "区长",       "镇长",
    "乡长",   "局长",   "厅长",   "处长",   "干部",   "官员",   "公务员",     "城管",
    "派出所", "公安局", "民警",   "纪委",   "监委",   "信访",   "街道办",     "村委会",
    "法院",   "检察院", "教育局", "卫健委", "住建局", "环保局", "应急管理局", "市场监管局",
};

std::vector<std::string> ReferenceMentions(std::string_view text) {
  std::vector<std::pair<size_t, std::string_view>> found;
  for (std::string_view w : kGovWords) {
    size_t pos = text.find(w);
    if (pos != std::string_view::npos) found.emplace_back(pos, w);
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  for (const auto& [pos, w] : found) out.emplace_back(w);
  return out;
}

TEST(GovernmentMentionsTest, SameAsOneSearchPerWordOnRandomText) {
  // Words, their halves, overlapping words (村支书记, 市场监管局长), other text, ASCII and
  // broken UTF-8, glued at random.
  std::vector<std::string> pieces = {"村支书记", "市场监管局长", "今天", "，", "a",    " ", "\xE6",
                                     "\xE6\x94", "\xFF",         "县",   "长", "公安", "局"};
  for (std::string_view w : kGovWords) {
    pieces.emplace_back(w);
    pieces.emplace_back(w.substr(0, 3));
    pieces.emplace_back(w.substr(w.size() - 3));
    pieces.emplace_back(w.substr(1));  // starts mid-character
  }
  std::mt19937_64 rng(5);
  for (int i = 0; i < 5000; ++i) {
    std::string text;
    for (size_t k = rng() % 40; k > 0; --k) text += pieces[rng() % pieces.size()];
    ASSERT_EQ(Join(FindGovernmentMentions(text)), Join(ReferenceMentions(text))) << text;
  }
  EXPECT_EQ(Join(FindGovernmentMentions("")), "");
  EXPECT_EQ(Join(FindGovernmentMentions("\xE6\x94")), "");
  std::string all;
  for (std::string_view w : kGovWords) all += std::string(w) + "。";
  EXPECT_EQ(FindGovernmentMentions(all).size(), std::size(kGovWords));
}

TEST(EventSummaryTest, CountsPostsAuthorsChannelsSourcesRegionsAndSentiment) {
  EventSummary s;
  EventPost a = Post("1", kT0, "u1");
  a.regions = {"320115"};
  a.sentiment = model::SentimentLabel::kNegative;
  EventPost b = Post("2", kT0 + 5 * kMinute, "u1");
  b.regions = {"320115", "320100"};
  b.sentiment = model::SentimentLabel::kNegative;
  EventPost c = Post("3", kT0 + 30 * kMinute, "u2");
  c.channel = model::Channel::kHotline;
  c.source = "12345";
  c.regions = {"110105"};
  s.Add(a);
  s.Add(b);
  s.Add(c);
  EXPECT_EQ(s.posts(), 3u);
  EXPECT_EQ(s.author_count(), 2u);
  EXPECT_EQ(s.first_s(), kT0);
  EXPECT_EQ(s.last_s(), kT0 + 30 * kMinute);
  EXPECT_EQ(s.distinct_channels(), 2u);
  EXPECT_EQ(s.channels()[static_cast<int>(model::Channel::kWeibo)], 2u);
  EXPECT_EQ(s.sources().at("12345"), 1u);
  EXPECT_EQ(s.regions().at("320115"), 2u);
  EXPECT_EQ(s.distinct_provinces(), 2u);    // 32 江苏, 11 北京
  EXPECT_EQ(s.distinct_prefectures(), 2u);  // 3201 南京, 1101 北京
  EXPECT_NEAR(s.negative_share(), 2.0 / 3, 1e-9);
}

TEST(EventSummaryTest, SeriesHasTenMinuteBucketsWithEmptyOnesAndTakesLatePosts) {
  EventSummary s;
  s.Add(Post("1", kT0 + 12 * kMinute));
  s.Add(Post("2", kT0 + 41 * kMinute));
  s.Add(Post("3", kT0 + 3 * kMinute));  // late: before the first bucket
  ASSERT_EQ(s.series().size(), 5u);     // 00:00, 00:10, 00:20, 00:30, 00:40
  EXPECT_EQ(s.series()[0].start_s, kT0);
  EXPECT_EQ(s.series()[0].posts, 1u);
  EXPECT_EQ(s.series()[1].posts, 1u);
  EXPECT_EQ(s.series()[2].posts, 0u);
  EXPECT_EQ(s.series()[4].posts, 1u);
  EXPECT_EQ(s.first_s(), kT0 + 3 * kMinute);
  EXPECT_EQ(s.PostsBetween(kT0 + 10 * kMinute, kT0 + 50 * kMinute), 2u);
}

TEST(EventSummaryTest, CasualtiesKeepTheLargestReportedFigureNotTheSum) {
  EventSummary s;
  EventPost a = Post("1", kT0);
  a.casualties.deaths = 3;
  a.casualties.evidence = {"造成3人死亡"};
  EventPost b = Post("2", kT0 + kMinute);
  b.casualties.deaths = 3;  // the same figure repeated by another outlet
  b.casualties.evidence = {"3人遇难"};
  EventPost c = Post("3", kT0 + 2 * kMinute);
  c.casualties.deaths = 5;
  c.casualties.injured = 12;
  c.casualties.evidence = {"死亡人数上升至5人", "12人受伤"};
  for (const auto& p : {a, b, c}) s.Add(p);
  EXPECT_EQ(s.casualties().deaths, 5);
  EXPECT_EQ(s.casualties().injured, 12);
  EXPECT_FALSE(s.casualties().missing.has_value());
  EXPECT_EQ(Join(s.casualties().evidence), "造成3人死亡/死亡人数上升至5人/12人受伤");
}

TEST(EventSummaryTest, RepresentativePostsAndInfluentialAuthorsRankByEngagementAndFollowers) {
  EventSummary s;
  EventPost small = Post("small", kT0, "nobody", 30);
  EventPost viral = Post("viral", kT0 + kMinute, "blogger", 50'000);
  viral.metrics.reposts = 20'000;
  EventPost media = Post("media", kT0 + 2 * kMinute, "cctv", 80'000'000);
  media.author.kind = model::AuthorKind::kMedia;
  media.metrics.reposts = 5'000;
  for (const auto& p : {small, viral, media}) s.Add(p);
  ASSERT_EQ(s.representative().size(), 3u);
  EXPECT_EQ(s.representative()[0].id, "media");  // 3.7 + 0.5 · 7.9
  EXPECT_EQ(s.representative()[1].id, "viral");  // 4.3 + 0.5 · 4.7
  EXPECT_EQ(s.representative()[2].id, "small");
  auto top = s.TopAuthors(2);
  ASSERT_EQ(top.size(), 2u);
  EXPECT_EQ(top[0].id, "cctv");
  EXPECT_EQ(top[1].id, "blogger");
  EXPECT_EQ(top[1].reposts, 20'000);
  EXPECT_EQ(s.media_posts(), 1u);
}

// Records that name an account but carry no id (news outlets, the demo scenario, exports from
// hotline systems) count one author per name and source, not one per post.
TEST(EventSummaryTest, AnAccountWithoutAnIdIsKnownByItsNameOnItsSource) {
  EventSummary s;
  EventPost a = Post("1", kT0, "", 230'000);
  a.author.name = "邯郸城事";
  EventPost b = Post("2", kT0 + kMinute, "", 230'000);
  b.author.name = "邯郸城事";
  EventPost c = Post("3", kT0 + 2 * kMinute);
  c.author.name = "邯郸城事";
  c.source = "forum";                          // the same name elsewhere is another account
  EventPost d = Post("4", kT0 + 3 * kMinute);  // no id, no name: its own author
  EventPost e = Post("5", kT0 + 4 * kMinute);
  for (const auto& p : {a, b, c, d, e}) s.Add(p);
  EXPECT_EQ(s.author_count(), 4u);
  auto top = s.TopAuthors(10);
  ASSERT_FALSE(top.empty());
  EXPECT_EQ(top[0].name, "邯郸城事");
  EXPECT_EQ(top[0].posts, 2u);
}

TEST(EventSummaryTest, AbsorbAddsCountsAndSeries) {
  EventSummary a, b;
  a.Add(Post("1", kT0, "u1"));
  b.Add(Post("2", kT0 + 25 * kMinute, "u2"));
  b.Add(Post("3", kT0 + 26 * kMinute, "u1"));
  a.Absorb(b);
  EXPECT_EQ(a.posts(), 3u);
  EXPECT_EQ(a.author_count(), 2u);
  EXPECT_EQ(a.last_s(), kT0 + 26 * kMinute);
  ASSERT_EQ(a.series().size(), 3u);
  EXPECT_EQ(a.series()[2].posts, 2u);
}

TEST(MakeEventPostTest, TakesRegionPlacesAnalysisAndGovernmentMentions) {
  model::Post post;
  post.source = "weibo";
  post.external_id = "48812";
  post.text = "长治市潞城区一化工厂发生苯胺泄漏，市政府迟迟未通报，下游居民用水受影响。";
  post.published_at = core::TimePoint(std::chrono::seconds(kT0));
  post.region = "140400";
  post.channel = model::Channel::kWeibo;
  model::Analysis an;
  an.sentiment.label = model::SentimentLabel::kNegative;
  an.domain.label = model::Domain::kEnvironment;
  an.kinds.push_back({model::ResponseKind::kEmergency, 0.8, {"泄漏"}});
  model::Place luc;
  luc.code = "140406";
  luc.confidence = 0.9;
  model::Place vague;
  vague.code = "370000";
  vague.confidence = 0.2;
  an.places = {luc, vague};
  an.rumour.score = 0.3;
  EventPost p = MakeEventPost(post, an);
  EXPECT_EQ(p.id, "weibo:48812");
  EXPECT_EQ(p.time_s, kT0);
  EXPECT_EQ(Join(p.regions), "140400/140406");
  EXPECT_EQ(p.sentiment, model::SentimentLabel::kNegative);
  EXPECT_EQ(p.domain, model::Domain::kEnvironment);
  ASSERT_EQ(p.kinds.size(), 1u);
  EXPECT_EQ(Join(p.gov_mentions), "政府");
}

}  // namespace
}  // namespace yuqing::events
