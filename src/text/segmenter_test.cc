#include "text/segmenter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "core/utf8.h"
#include "testing/test_util.h"
#include "text/normalize.h"

namespace yuqing::text {
namespace {

// One segmenter for the whole test binary, with its cache in a private temp dir.
std::shared_ptr<const Segmenter> Seg() {
  static testing::TempDir* cache = new testing::TempDir();
  static auto seg = [] {
    SegmenterOptions options;
    options.cache_dir = cache->path().string();
    auto s = Segmenter::Load(options);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : nullptr;
  }();
  return seg;
}

std::string Join(const std::vector<std::string_view>& words) {
  std::string out;
  for (auto w : words) {
    if (!out.empty()) out += "/";
    out += w;
  }
  return out;
}

std::string Cut(const Segmenter& seg, std::string_view text, CutOptions options = {}) {
  std::vector<std::string_view> words;
  seg.Cut(text, words, options);
  return Join(words);
}
std::string Cut(std::string_view text, CutOptions options = {}) {
  return Cut(*Seg(), text, options);
}

CutOptions NoHmm() {
  CutOptions o;
  o.hmm = false;
  return o;
}
CutOptions Search() {
  CutOptions o;
  o.search = true;
  return o;
}

// Expected values are Python jieba 0.42.1 on the same input (jieba.lcut, lcut(HMM=False),
// lcut_for_search).
struct Case {
  std::string text;
  std::string hmm;
  std::string no_hmm;
  std::string search;
};

const Case kCases[] = {
    {"我来到北京清华大学", "我/来到/北京/清华大学", "我/来到/北京/清华大学",
     "我/来到/北京/清华/华大/大学/清华大学"},
    {"他来到了网易杭研大厦", "他/来到/了/网易/杭研/大厦", "他/来到/了/网易/杭/研/大厦",
     "他/来到/了/网易/杭研/大厦"},
    {"小明硕士毕业于中国科学院计算所，后在日本京都大学深造",
     "小明/硕士/毕业/于/中国科学院/计算所/，/后/在/日本京都大学/深造",
     "小/明/硕士/毕业/于/中国科学院/计算所/，/后/在/日本京都大学/深造",
     "小明/硕士/毕业/于/中国/科学/学院/科学院/中国科学院/计算/计算所/，/后/在/日本/京都/大学/"
     "日本京都大学/深造"},
    // Mixed Chinese, English and digits.
    {"iPhone13售价5999元，涨幅3.5%！", "iPhone13/售价/5999/元/，/涨幅/3.5%/！",
     "iPhone13/售价/5999/元/，/涨幅/3/./5/%/！", "iPhone13/售价/5999/元/，/涨幅/3.5%/！"},
    {"2024年3月15日，某市化工厂发生泄漏，PM2.5浓度超标",
     "2024/年/3/月/15/日/，/某市/化工厂/发生/泄漏/，/PM2.5/浓度/超标",
     "2024/年/3/月/15/日/，/某市/化工厂/发生/泄漏/，/PM2/./5/浓度/超标",
     "2024/年/3/月/15/日/，/某市/化工/工厂/化工厂/发生/泄漏/，/PM2.5/浓度/超标"},
    {"C++和C#都是编程语言，AT&T是公司", "C++/和/C#/都/是/编程语言/，/AT&T/是/公司",
     "C++/和/C#/都/是/编程语言/，/AT&T/是/公司",
     "C++/和/C#/都/是/编程/语言/编程语言/，/AT&T/是/公司"},
    {"e-mail地址是test_user@example.com", "e/-/mail/地址/是/test/_/user/@/example/./com",
     "e/-/mail/地址/是/test/_/user/@/example/./com",
     "e/-/mail/地址/是/test/_/user/@/example/./com"},
    // Emoji are words of their own.
    {"今天好开心😂😂去吃了KFC🍗", "今天/好开心/😂/😂/去/吃/了/KFC/🍗", "今天/好开心/😂/😂/去/吃/了/KFC/🍗",
     "今天/开心/好开心/😂/😂/去/吃/了/KFC/🍗"},
    // Full-width input before normalization: each full-width character stands alone.
    {"ＰＭ２．５超标了", "Ｐ/Ｍ/２/．/５/超标/了", "Ｐ/Ｍ/２/．/５/超标/了",
     "Ｐ/Ｍ/２/．/５/超标/了"},
    {"这家酒店的服务态度真差，再也不来了！！！",
     "这家/酒店/的/服务态度/真差/，/再也/不来/了/！/！/！",
     "这家/酒店/的/服务态度/真差/，/再也/不/来/了/！/！/！",
     "这家/酒店/的/服务/态度/服务态度/真差/，/再也/不来/了/！/！/！"},
    {"外卖送得太慢了，饭都凉了", "外卖/送得/太慢/了/，/饭/都/凉/了",
     "外卖/送/得/太慢/了/，/饭/都/凉/了", "外卖/送得/太慢/了/，/饭/都/凉/了"},
    {"他说：“我不知道。”\r\n然后走了", "他/说/：/“/我/不/知道/。/”/\r\n/然后/走/了",
     "他/说/：/“/我/不/知道/。/”/\r\n/然后/走/了", "他/说/：/“/我/不/知道/。/”/\r\n/然后/走/了"},
    {"结婚的和尚未结婚的", "结婚/的/和/尚未/结婚/的", "结婚/的/和/尚未/结婚/的",
     "结婚/的/和/尚未/结婚/的"},
    {"工信处女干事每月经过下属科室都要亲口交代24口交换机等技术性器件的安装工作",
     "工信处/女干事/每月/经过/下属/科室/都/要/亲口/交代/24/口/交换机/等/技术性/器件/的/安装/工作",
     "工信处/女干事/每月/经过/下属/科室/都/要/亲口/交代/24/口/交换机/等/技术性/器件/的/安装/工作",
     "工信处/干事/女干事/每月/经过/下属/科室/都/要/亲口/交代/24/口/交换/换机/交换机/等/技术/"
     "技术性/器件/的/安装/工作"},
    {"永和服装饰品有限公司", "永和/服装/饰品/有限公司", "永和/服装/饰品/有限公司",
     "永和/服装/饰品/有限/公司/有限公司"},
    {"", "", "", ""},
};

TEST(SegmenterTest, CutsLikeJieba) {
  ASSERT_NE(Seg(), nullptr);
  for (const auto& c : kCases) {
    EXPECT_EQ(Cut(c.text), c.hmm) << c.text;
    EXPECT_EQ(Cut(c.text, NoHmm()), c.no_hmm) << c.text;
    EXPECT_EQ(Cut(c.text, Search()), c.search) << c.text;
  }
}

TEST(SegmenterTest, NormalizedFullWidthInputSegmentsLikeAscii) {
  auto norm = Normalizer::Create();
  ASSERT_TRUE(norm.ok());
  EXPECT_EQ(Cut((*norm)->NormalizeText("ＰＭ２．５超标了")), "PM2.5/超标/了");
  EXPECT_EQ(Cut((*norm)->NormalizeText("這個化工廠發生洩漏")), "这个/化工厂/发生/泄漏");
}

TEST(SegmenterTest, UserWordsAreCutWholeInANewInstance) {
  const std::string text = "李小福是创新办主任也是云计算方面的专家";
  std::vector<UserWord> words = {{"创新办", 3}, {"云计算", std::nullopt}};
  auto with = Seg()->WithUserWords(words);
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ(Cut(**with, text), "李小福/是/创新办/主任/也/是/云计算/方面/的/专家");
  // The original instance is unchanged.
  EXPECT_EQ(Cut(text), "李小福/是/创新/办/主任/也/是/云/计算/方面/的/专家");
  // Same frequencies as jieba.add_word: an explicit one, then suggest_freq (1 here).
  EXPECT_EQ((*with)->Frequency("创新办"), 3);
  EXPECT_EQ((*with)->Frequency("云计算"), 1);
  EXPECT_EQ((*with)->Total(), Seg()->Total() + 4);
  EXPECT_EQ(Cut(**with, text, Search()),
            "李小福/是/创新/创新办/主任/也/是/计算/云计算/方面/的/专家");
}

TEST(SegmenterTest, UserWordsOverrideAndExtendDictionaryWords) {
  std::vector<UserWord> words = {{"石墨烯", std::nullopt}, {"台中", 0}};
  auto with = Seg()->WithUserWords(words);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(Cut(**with, "台中市长石墨烯检测"), "台中市/长/石墨烯/检测");
  EXPECT_EQ((*with)->Frequency("台中"), 0);  // a frequency of 0 removes a word
  EXPECT_GT(Seg()->Frequency("台中"), 0);
  std::vector<UserWord> bad = {{"", 1}};
  EXPECT_EQ(Seg()->WithUserWords(bad).status().code(), StatusCode::kInvalidArgument);
  std::vector<UserWord> negative = {{"词", -1}};
  EXPECT_EQ(Seg()->WithUserWords(negative).status().code(), StatusCode::kInvalidArgument);
}

TEST(SegmenterTest, ReadsJiebaUserDictionaryFiles) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("user.txt"),
                     "\xEF\xBB\xBF创新办 3 i\n云计算 5\n\n  凱特琳 nz\n杭研\n");
  auto with = Seg()->WithUserDictFile(dir.File("user.txt"));
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ((*with)->Frequency("创新办"), 3);
  EXPECT_EQ((*with)->Frequency("云计算"), 5);
  EXPECT_GT((*with)->Frequency("凱特琳"), 0);
  EXPECT_EQ(Cut(**with, "他来到了网易杭研大厦", NoHmm()), "他/来到/了/网易/杭研/大厦");
  EXPECT_EQ(Seg()->WithUserDictFile(dir.File("missing.txt")).status().code(),
            StatusCode::kNotFound);
}

TEST(SegmenterTest, CompiledDictionaryIsCachedAndRebuiltWhenTheSourceChanges) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("dict.txt"), "化工厂 100 n\n化工 50 n\n泄漏 80 v\n");
  SegmenterOptions options;
  options.dict_path = dir.File("dict.txt");
  options.cache_dir = dir.File("cache");
  auto first = Segmenter::Load(options);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_FALSE((*first)->stats().from_cache);
  EXPECT_EQ(Cut(**first, "化工厂泄漏"), "化工厂/泄漏");
  auto second = Segmenter::Load(options);
  ASSERT_TRUE(second.ok());
  EXPECT_TRUE((*second)->stats().from_cache);
  EXPECT_EQ(Cut(**second, "化工厂泄漏"), "化工厂/泄漏");
  EXPECT_EQ((*second)->Total(), 230);
  // A changed dictionary (new size and mtime) is recompiled.
  testing::WriteFile(dir.File("dict.txt"), "化工 100 n\n厂泄漏 80 v\n");
  std::filesystem::last_write_time(
      dir.File("dict.txt"),
      std::filesystem::last_write_time(dir.File("dict.txt")) + std::chrono::seconds(5));
  auto third = Segmenter::Load(options);
  ASSERT_TRUE(third.ok());
  EXPECT_FALSE((*third)->stats().from_cache);
  EXPECT_EQ(Cut(**third, "化工厂泄漏"), "化工/厂泄漏");
  // A corrupt cache is ignored and rewritten.
  testing::WriteFile((*third)->stats().cache_file, "garbage");
  auto fourth = Segmenter::Load(options);
  ASSERT_TRUE(fourth.ok());
  EXPECT_FALSE((*fourth)->stats().from_cache);
  EXPECT_EQ(Cut(**fourth, "化工厂泄漏"), "化工/厂泄漏");
}

TEST(SegmenterTest, BadDataFilesAreErrorsNotCrashes) {
  testing::TempDir dir;
  SegmenterOptions options;
  options.use_cache = false;
  options.dict_path = dir.File("missing.txt");
  EXPECT_EQ(Segmenter::Load(options).status().code(), StatusCode::kNotFound);
  testing::WriteFile(dir.File("bad.txt"), "化工 100 n\n泄漏 many v\n");
  options.dict_path = dir.File("bad.txt");
  auto bad = Segmenter::Load(options);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("line 2"), std::string::npos) << bad.status().message();
  options.dict_path.clear();
  options.jieba_dir = dir.path().string();
  EXPECT_EQ(Segmenter::Load(options).status().code(), StatusCode::kNotFound);
}

std::vector<std::string> RealSentences(size_t limit) {
  std::vector<std::string> out = {"转发微博 #某地化工厂爆炸# @人民日报 [泪] http://t.cn/A6x9Yz",
                                  "ＰＭ２．５ 爆表，市民：“出门戴口罩！”"};
  // Sentences written for the tests in the style of Weibo posts, news titles and reviews
  // (src/text/testdata/README.md).
  for (const char* file : {"weibo_posts.txt", "news_titles.txt", "reviews.txt"}) {
    std::ifstream in(testing::SourceDir() / "src/text/testdata" / file);
    EXPECT_TRUE(in) << "missing fixture " << file;
    std::string line;
    while (out.size() < limit && std::getline(in, line)) {
      if (!line.empty()) out.push_back(line);
    }
  }
  return out;
}

TEST(SegmenterTest, WordsConcatenateToTheNormalizedText) {
  auto norm = Normalizer::Create();
  ASSERT_TRUE(norm.ok());
  for (const auto& raw : RealSentences(2000)) {
    std::string text = (*norm)->NormalizeText(raw);
    for (CutOptions options : {CutOptions{}, NoHmm()}) {
      std::vector<std::string_view> words;
      Seg()->Cut(text, words, options);
      std::string joined;
      for (auto w : words) {
        ASSERT_FALSE(w.empty());
        joined += w;
      }
      ASSERT_EQ(joined, text);
    }
  }
}

TEST(SegmenterTest, ArbitraryBytesNeverCrashAndAreCoveredExactly) {
  std::mt19937 rng(7);
  // Characters from the interesting classes: Han, block punctuation, digits, emoji, bad bytes.
  const std::vector<std::string> pieces = {
      "化", "工", "厂", "泄", "漏", "的", "a", "Z",    "9",        ".",    "%",  "-",  "+",   "#",
      "&",  "_",  " ",  "\r", "\n", "，", "😂", "\xff", "\xe4\xb8", "\xc3", "𠀀", "Ｐ", "\x00"};
  for (int i = 0; i < 5000; ++i) {
    std::string s;
    size_t n = rng() % 40;
    for (size_t k = 0; k < n; ++k) {
      if (rng() % 3 == 0) {
        s.push_back(static_cast<char>(rng()));
      } else {
        s += pieces[rng() % pieces.size()];
      }
    }
    CutOptions options;
    options.hmm = rng() % 2 == 0;
    std::vector<std::string_view> words;
    Seg()->Cut(s, words, options);
    std::string joined;
    for (auto w : words) {
      ASSERT_FALSE(w.empty());
      ASSERT_GE(w.data(), s.data());
      ASSERT_LE(w.data() + w.size(), s.data() + s.size());
      joined += w;
    }
    ASSERT_EQ(joined, s);
    words.clear();
    options.search = true;
    Seg()->Cut(s, words, options);
  }
}

TEST(SegmenterTest, OneInstanceIsSharedByManyThreads) {
  auto sentences = RealSentences(400);
  std::vector<std::string> expected;
  for (const auto& s : sentences) expected.push_back(Cut(s));
  std::vector<std::thread> threads;
  std::atomic<int> mismatches{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t i = 0; i < sentences.size(); ++i) {
        if (Cut(sentences[i]) != expected[i]) ++mismatches;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace yuqing::text
