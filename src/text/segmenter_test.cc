#include "text/segmenter.h"

#include <gtest/gtest.h>

namespace yuqing::text {
namespace {

std::shared_ptr<const Segmenter> Seg() {
  static auto seg = [] {
    auto s = Segmenter::Load();
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : nullptr;
  }();
  return seg;
}

std::string Joined(std::string_view text, CutOptions options = {}) {
  std::vector<std::string_view> words;
  Seg()->Cut(text, words, options);
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += "/";
    out += w;
  }
  return out;
}

TEST(SegmenterTest, Smoke) {
  ASSERT_NE(Seg(), nullptr);
  EXPECT_EQ(Joined("我来到北京清华大学"), "我/来到/北京/清华大学");
  EXPECT_EQ(Joined("他来到了网易杭研大厦"), "他/来到/了/网易/杭研/大厦");
  std::cerr << "load ms " << Seg()->stats().load_ms << " cache " << Seg()->stats().from_cache
            << " mem " << Seg()->stats().memory_bytes << " words " << Seg()->stats().words << "\n";
}

}  // namespace
}  // namespace yuqing::text
