#include "text/normalize.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/utf8.h"

namespace yuqing::text {
namespace {

std::shared_ptr<const Normalizer> Norm() {
  static auto n = [] {
    auto r = Normalizer::Create();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : nullptr;
  }();
  return n;
}

std::string Entities(std::string_view text) {
  std::string out;
  for (const auto& e : FindEntities(text)) {
    if (!out.empty()) out += " ";
    out += std::string(EntityKindName(e.kind)) + ":" + std::string(text.substr(e.offset, e.size));
  }
  return out;
}

TEST(NormalizerTest, ConvertsTraditionalToSimplified) {
  struct Case {
    std::string in, want;
  } cases[] = {
      {"這個化工廠發生爆炸，當地居民很擔心", "这个化工厂发生爆炸，当地居民很担心"},
      {"政府應該公開調查結果", "政府应该公开调查结果"},
      {"頭髮", "头发"},
      {"已经是简体中文", "已经是简体中文"},
  };
  for (const auto& c : cases) {
    // The full-width comma folds too.
    std::string want = c.want;
    for (size_t p; (p = want.find("，")) != std::string::npos;) want.replace(p, 3, ",");
    EXPECT_EQ(Norm()->Normalize(c.in).text, want) << c.in;
  }
  EXPECT_TRUE(Norm()->Normalize("這個").converted);
  EXPECT_FALSE(Norm()->Normalize("这个").converted);
}

TEST(NormalizerTest, FoldsFullWidthAndCollapsesWhitespace) {
  EXPECT_EQ(Norm()->NormalizeText("ＰＭ２．５超标！　　今天"), "PM2.5超标! 今天");
  EXPECT_EQ(Norm()->NormalizeText("  第一行 \r\n\r\n  第二行\t\t尾  "), "第一行\n第二行 尾");
  EXPECT_EQ(Norm()->NormalizeText("零\u200b宽\ufeff字符"), "零宽字符");
  EXPECT_EQ(Norm()->NormalizeText(""), "");
  EXPECT_EQ(Norm()->NormalizeText(" \t\n "), "");
}

TEST(NormalizerTest, StripsHtmlAndDecodesEntities) {
  EXPECT_EQ(Norm()->NormalizeText("<p>市民反映&ldquo;水有异味&rdquo;</p><p>已处理</p>"),
            "市民反映“水有异味” 已处理");
  EXPECT_EQ(Norm()->NormalizeText("<script>var x = '<b>';</script>正文&amp;&#x4E2D;&#25991;"),
            "正文&中文");
  EXPECT_EQ(Norm()->NormalizeText("a < b 且 c<3"), "a < b 且 c<3");
  EXPECT_EQ(Norm()->NormalizeText("<a href=\"x\">链接</a>文字&unknown;"), "链接文字&unknown;");
  EXPECT_EQ(Norm()->NormalizeText("&#0;&#xD800;&#99999999;"), "\uFFFD\uFFFD\uFFFD");
}

TEST(NormalizerTest, ReplacesInvalidUtf8AndCountsIt) {
  auto n = Norm()->Normalize("好\xff\xfe坏\xe4\xb8");
  EXPECT_EQ(n.text, "好\uFFFD\uFFFD坏\uFFFD\uFFFD");
  EXPECT_EQ(n.invalid_utf8, 4u);
  EXPECT_EQ(n.original, "好\xff\xfe坏\xe4\xb8");
}

TEST(NormalizerTest, FindsUrlsMentionsTopicsAndEmoticons) {
  EXPECT_EQ(Entities("转发@人民日报: #某地化工厂爆炸# 太可怕了[泪][怒] http://t.cn/A6x9Yz."),
            "mention:@人民日报 topic:#某地化工厂爆炸# emoticon:[泪] emoticon:[怒] "
            "url:http://t.cn/A6x9Yz");
  EXPECT_EQ(Entities("邮件 a@b.com 不是提及"), "");
  EXPECT_EQ(Entities("C# and F# 是语言，见参考[1]"), "");
  EXPECT_EQ(Entities("[doge]看www.example.com/a?b=1(图)"),
            "emoticon:[doge] url:www.example.com/a?b=1");
  EXPECT_EQ(Entities("见https://zh.wikipedia.org/wiki/Foo_(bar)。"),
            "url:https://zh.wikipedia.org/wiki/Foo_(bar)");
  EXPECT_EQ(Entities("@张三 @李四_2024 你们好"), "mention:@张三 mention:@李四_2024");
}

TEST(NormalizerTest, EntitiesPointIntoNormalizedText) {
  auto n = Norm()->Normalize("＃蘇州暴雨＃　[淚]");
  ASSERT_EQ(n.entities.size(), 2u);
  EXPECT_EQ(n.EntityText(n.entities[0]), "#苏州暴雨#");
  EXPECT_EQ(n.EntityText(n.entities[1]), "[泪]");
}

TEST(NormalizerTest, FastPathGivesTheSameTextAsOpenCC) {
  NormalizerOptions no_fast_path;
  no_fast_path.t2s_fast_path = false;
  auto full = Normalizer::Create(no_fast_path);
  ASSERT_TRUE(full.ok());
  EXPECT_GT(Norm()->TriggerCount(), 1000u);
  for (std::string s : {"这个地方发生了爆炸，群众很担心",
                        "乾隆皇帝",
                        "干杯",
                        "著名的後台",
                        "天后宫",
                        "了解",
                        "瞭解",
                        "一只猫",
                        "隻",
                        "里面",
                        "裏面",
                        "面条",
                        "麵條",
                        "发展",
                        "發展",
                        "系统",
                        "係統",
                        "台湾",
                        "臺灣",
                        "云南",
                        "雲南"}) {
    EXPECT_EQ(Norm()->NormalizeText(s), (*full)->NormalizeText(s)) << s;
  }
  EXPECT_FALSE(Norm()->MayConvert("这个地方发生了爆炸，群众很担心"));
  EXPECT_TRUE(Norm()->MayConvert("這個"));
}

TEST(NormalizerTest, ArbitraryBytesGiveValidUtf8) {
  std::mt19937 rng(42);
  for (int i = 0; i < 3000; ++i) {
    std::string s(rng() % 64, '\0');
    for (char& c : s) {
      // Mix random bytes with characters the normalizer treats specially.
      static const char kSpecial[] = "<>&;#@[]/: \n\t";
      c = rng() % 4 == 0 ? kSpecial[rng() % (sizeof(kSpecial) - 1)] : static_cast<char>(rng());
    }
    auto n = Norm()->Normalize(s);
    ASSERT_TRUE(core::IsValidUtf8(n.text));
    for (const auto& e : n.entities) ASSERT_LE(e.offset + e.size, n.text.size());
  }
}

}  // namespace
}  // namespace yuqing::text
