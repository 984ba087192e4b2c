// Synthetic Chinese posts for the event benchmarks: each event has 8 topic words (two-character
// words drawn from a pool of common characters); a post takes 5 of its event's words and 3
// random ones, so it goes through segmentation, the inverted index, scoring and SimHash like a
// real post. Deterministic for a seed.
#pragma once

#include <array>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "events/clusterer.h"

namespace yuqing::bench {

class SyntheticPosts {
 public:
  SyntheticPosts(size_t events, uint64_t seed) : rng_(seed), topics_(events) {
    static constexpr std::string_view kChars =
        "市区县镇村路街桥河湖山城港站场馆院校医店厂楼房车船火水电气油煤粮菜肉药茶酒钱税价工农"
        "商学警军官民人家事案灾祸病毒疫雨雪风雷洪旱震塌爆炸烧伤死亡救援调查处罚投诉举报维权拆迁"
        "补偿";
    std::vector<std::string> chars;
    for (size_t i = 0; i + 3 <= kChars.size(); i += 3) chars.emplace_back(kChars.substr(i, 3));
    for (const auto& a : chars) {
      for (const auto& b : chars) words_.push_back(a + b);
    }
    std::uniform_int_distribution<size_t> any(0, words_.size() - 1);
    for (auto& t : topics_) {
      for (auto& w : t) w = static_cast<uint32_t>(any(rng_));
    }
  }

  events::ClusterPost Make(size_t event, int64_t time_s, size_t serial) {
    std::uniform_int_distribution<size_t> any(0, words_.size() - 1);
    events::ClusterPost p;
    p.id = std::to_string(serial);
    p.time_s = time_s;
    const auto& t = topics_[event];
    for (int k = 0; k < 5; ++k) p.text += words_[t[(serial + k) % 8]] + "，";
    for (int k = 0; k < 3; ++k) p.text += words_[any(rng_)] + "。";
    return p;
  }

  std::mt19937_64& rng() { return rng_; }

 private:
  std::mt19937_64 rng_;
  std::vector<std::string> words_;
  std::vector<std::array<uint32_t, 8>> topics_;
};

}  // namespace yuqing::bench
