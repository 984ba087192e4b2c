#include "events/event_json.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "events/monitor.h"

namespace yuqing::events {
namespace {

const std::vector<std::string> kHostile = {
    "普通标题",       "q\"uote", "back\\slash", "ctl\b\f\n\r\t\x01\x1f\x7f", "</script>",
    "😀 \xE2\x80\xA8", "",
};

// Random posts over a few events: every counter, casualty and author field the detail shows,
// with hostile strings where users supply them (ids, names, sources).
std::vector<std::pair<uint64_t, EventPost>> RandomPosts(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  auto pick = [&](const std::vector<std::string>& v) { return v[rng() % v.size()]; };
  const std::vector<std::string> regions = {"140406", "1404", "14", "110105", "440106", "31"};
  std::vector<std::pair<uint64_t, EventPost>> out;
  int64_t t = 1'767'225'600;
  for (int i = 0; i < n; ++i) {
    EventPost p;
    t += static_cast<int64_t>(rng() % 900);
    p.id = "weibo:" + std::to_string(i) + pick(kHostile);
    p.time_s = t;
    p.channel = static_cast<model::Channel>(rng() % kChannelCount);
    p.source = pick({"weibo", "news", "bbs", "q\"src"});
    p.author.id = "u" + std::to_string(rng() % 40) + pick(kHostile);
    p.author.name = pick(kHostile);
    p.author.followers = static_cast<int64_t>(rng() % 3'000'000);
    p.author.kind = static_cast<model::AuthorKind>(rng() % 5);
    p.metrics = {static_cast<int64_t>(rng() % 500), static_cast<int64_t>(rng() % 100),
                 static_cast<int64_t>(rng() % 2000), static_cast<int64_t>(rng() % 100000)};
    for (size_t k = rng() % 3; k > 0; --k) p.regions.push_back(pick(regions));
    p.sentiment = static_cast<model::SentimentLabel>(rng() % 3);
    p.domain = static_cast<model::Domain>(rng() % model::kDomainCount);
    if (rng() % 3 == 0) p.kinds.push_back(static_cast<model::ResponseKind>(rng() % 4));
    if (rng() % 7 == 0) p.casualties.deaths = static_cast<int64_t>(rng() % 20);
    if (rng() % 9 == 0) p.casualties.injured = static_cast<int64_t>(rng() % 50);
    if (rng() % 11 == 0) p.casualties.missing = static_cast<int64_t>(rng() % 5);
    if (rng() % 13 == 0) p.casualties.trapped = static_cast<int64_t>(rng() % 5);
    if (rng() % 17 == 0) p.casualties.loss_yuan = static_cast<double>(rng() % 100000) * 123.45;
    if (p.casualties.deaths) p.casualties.evidence.push_back(pick(kHostile) + "死亡");
    p.rumour_score = static_cast<double>(rng() % 1000) / 1000;
    p.rumour_denial = rng() % 10 == 0;
    if (rng() % 4 == 0) p.gov_mentions = {pick({"县委书记", "城管", "派出所"}), pick(kHostile)};
    out.emplace_back(1 + rng() % 6, std::move(p));
  }
  return out;
}

TEST(EventDetailJsonStringTest, SameBytesAsTheDomOverAStream) {
  for (uint64_t seed : {1u, 2u, 3u}) {
    EventMonitor monitor;
    std::mt19937_64 rng(seed * 7);
    int compared = 0;
    for (const auto& [event, post] : RandomPosts(seed, 1500)) {
      EventSignals s = monitor.Observe(event, post);
      if (rng() % 5 != 0) continue;
      EventView v{event, "标题", monitor.summary(event), s.heat, s.risk, s.trend, {}, post.time_s};
      for (size_t k = rng() % 12; k > 0; --k) {
        v.keywords.emplace_back(kHostile[rng() % kHostile.size()] + std::to_string(k),
                                static_cast<double>(rng() % 100000) / 7.0);
      }
      for (size_t k = rng() % 3 == 0 ? 0 : rng() % 30; k > 0; --k) {
        v.terms.emplace_back(kHostile[rng() % kHostile.size()] + std::to_string(k),
                             static_cast<double>(rng() % 100000) / 9.0);
      }
      v.title_score = static_cast<double>(rng()) / static_cast<double>(UINT64_MAX);
      ASSERT_EQ(EventDetailJsonString(v), EventDetailJson(v).dump()) << "seed " << seed;
      ++compared;
    }
    EXPECT_GT(compared, 200);
  }
}

TEST(EventDetailJsonStringTest, EmptyAndExtremeValues) {
  EventSummary empty;
  EventView v{7, "", &empty, {}, {}, TrendState::kDormant, {}, 0};
  EXPECT_EQ(EventDetailJsonString(v), EventDetailJson(v).dump());
  v.heat.heat = std::numeric_limits<double>::quiet_NaN();
  v.heat.recency = std::numeric_limits<double>::infinity();
  v.title_score = -0.0;
  v.risk.reasons = {
      {"deaths", true, RiskGrade::kMajor, 1e300, 5e-324, "q\"\n详情", "死亡\t\"人数\""}};
  v.risk.aggravators = 4'000'000'000u;
  v.id = std::numeric_limits<uint64_t>::max();
  EXPECT_EQ(EventDetailJsonString(v), EventDetailJson(v).dump());
}

TEST(EventDetailJsonStringTest, RecordCarriesTheWriterOutput) {
  EventMonitor monitor;
  EventSignals s;
  for (const auto& [event, post] : RandomPosts(9, 50)) s = monitor.Observe(1, post);
  EventView v{1, "t", monitor.summary(1), s.heat, s.risk, s.trend, {{"词", 0.5}}, 1'767'300'000};
  model::EventRecord r = MakeEventRecord(v);
  EXPECT_EQ(r.detail_json, EventDetailJson(v).dump());
  EXPECT_TRUE(nlohmann::json::parse(r.detail_json).is_object());
}

TEST(EventDetailJsonStringTest, InvalidUtf8ThrowsAsDumpDoes) {
  EventSummary empty;
  EventView v{1, "", &empty, {}, {}, TrendState::kRising, {{"bad \xC3", 1}}, 0};
  EXPECT_THROW((void)EventDetailJson(v).dump(), nlohmann::json::type_error);
  EXPECT_THROW((void)EventDetailJsonString(v), nlohmann::json::type_error);
}

}  // namespace
}  // namespace yuqing::events
