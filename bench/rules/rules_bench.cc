// Rule matching speed (issue 3): N realistic rules over M realistic posts, single-threaded,
// the compiled matcher (CompiledRuleSet) beside the naive baseline (every rule evaluated by
// substring search, rules/reference_eval.h) in the same run, and the compile time.
//
// Rules are generated with a fixed seed from GB/T 2260 place names and topic words (Toutiao
// news keywords and a list of public-opinion event words); posts are a Toutiao news title and
// about 150 characters of Weibo / review text, 30% of them with a place name in front as local
// news has. Data from ../shared/data (or --data DIR).
//
//   build/release/bench/rules/rules_bench [--rules 5000] [--posts 100000] [--passes 10]
//                                         [--baseline-posts 1000] [--data DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/utf8.h"
#include "rules/reference_eval.h"
#include "rules/rule_check.h"
#include "rules/rule_set.h"

namespace {

using namespace yuqing::rules;  // NOLINT(google-build-using-namespace): a program, not a header
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

std::vector<std::vector<std::string>> ReadTsv(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(path);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    std::exit(2);
  }
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    std::vector<std::string> cols;
    std::stringstream ss(line);
    std::string col;
    while (std::getline(ss, col, '\t')) cols.push_back(col);
    rows.push_back(std::move(cols));
  }
  return rows;
}

// "长治市" → "长治", "潞城区" → "潞城"; names that would become one character stay whole.
std::string ShortName(const std::string& name) {
  static const char* const kSuffixes[] = {
      "特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县",
      "地区",       "省",           "市",         "县",         "区",     "盟",     "旗"};
  for (const char* suffix : kSuffixes) {
    std::string s(suffix);
    if (name.size() > s.size() + 3 && name.ends_with(s)) {
      return name.substr(0, name.size() - s.size());
    }
  }
  return name;
}

struct Place {
  std::string code;
  std::string name;  // short form
  std::string city;  // code of its prefecture
};

struct Corpus {
  std::vector<Place> counties;
  std::map<std::string, std::vector<const Place*>> by_city;
  std::map<std::string, std::string> city_names;  // code → short name
  std::vector<std::string> topics;
  std::vector<std::string> titles;
  std::vector<std::string> texts;
};

const std::vector<std::string> kEventWords = {
    "泄漏",     "爆炸",     "事故", "污染",     "投诉", "维权",     "拆迁", "坍塌",
    "火灾",     "塌方",     "中毒", "食品安全", "疫情", "讨薪",     "欠薪", "上访",
    "停水",     "停电",     "暴雨", "洪水",     "地震", "诈骗",     "传销", "非法集资",
    "校园欺凌", "医疗纠纷", "环保", "违建",     "强拆", "车祸",     "死亡", "受伤",
    "举报",     "腐败",     "贪污", "涨价",     "罢工", "群体事件", "谣言", "辟谣"};
const std::vector<std::string> kExclusions = {"演习", "演练", "电视剧", "游戏", "小说", "电影"};

Corpus Load(const std::string& dir) {
  Corpus c;
  for (const auto& row : ReadTsv(dir + "/china_admin_divisions/gbt2260_mca_2021.tsv")) {
    if (row.size() < 3 || row[0] == "code6") continue;
    if (row[1] == "city") c.city_names[row[0]] = ShortName(row[2]);
    if (row[1] == "county" && row.size() >= 4) {
      c.counties.push_back({row[0], ShortName(row[2]), row[3]});
    }
  }
  for (const Place& p : c.counties) c.by_city[p.city].push_back(&p);

  std::unordered_map<std::string, int> keyword_count;
  for (const auto& row : ReadTsv(dir + "/toutiao_news_titles/data.tsv")) {
    if (row.size() >= 2) c.titles.push_back(row[1]);
  }
  for (const auto& row : ReadTsv(dir + "/toutiao_news_titles/data_with_time.tsv")) {
    if (row.size() < 5) continue;
    std::stringstream ss(row[4]);
    std::string k;
    while (std::getline(ss, k, ',')) {
      if (k.size() >= 6) ++keyword_count[k];  // at least two CJK characters
    }
  }
  for (const auto& [k, n] : keyword_count) {
    if (n >= 3) c.topics.push_back(k);
  }
  std::sort(c.topics.begin(), c.topics.end());
  for (const auto& row : ReadTsv(dir + "/weibo_senti_100k/data.tsv")) {
    if (row.size() >= 2) c.texts.push_back(row[1]);
  }
  for (const auto& row : ReadTsv(dir + "/ChnSentiCorp_htl_all/data.tsv")) {
    if (row.size() >= 2) c.texts.push_back(row[1]);
  }
  return c;
}

class RuleGenerator {
 public:
  RuleGenerator(const Corpus& c, uint32_t seed) : c_(c), rng_(seed) {
    for (const auto& [city, places] : c.by_city) {
      if (c.city_names.contains(city)) cities_.push_back(city);
    }
  }

  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(static_cast<int>(v.size()))];
  }

  // Words about a subject: event words and news topics.
  std::string Subject(int n) {
    std::string out = "(";
    for (int i = 0; i < n; ++i) {
      if (i) out += " OR ";
      out += Uniform(2) ? Pick(kEventWords) : Quote(Pick(c_.topics));
    }
    return out + ")";
  }

  static std::string Quote(const std::string& w) { return "\"" + w + "\""; }

  // A prefecture and some of its counties: (长治 OR 潞城 OR 屯留).
  std::string Places(std::string* code) {
    const std::string& city = Pick(cities_);
    if (code != nullptr) *code = city.substr(0, 4);
    const auto& counties = c_.by_city.at(city);
    std::string out = "(" + Quote(c_.city_names.at(city));
    int n = Uniform(4);
    for (int i = 0; i < n; ++i) out += " OR " + Quote(Pick(counties)->name);
    return out + ")";
  }

  std::string Rule() {
    std::string code;
    int kind = Uniform(20);
    if (kind < 10) {
      std::string r = Places(nullptr) + " AND " + Subject(2 + Uniform(5));
      if (Uniform(3) == 0) r += " AND NOT " + Pick(kExclusions);
      return r;
    }
    if (kind < 13) {
      Places(&code);
      return "region:" + code + " AND " + Subject(2 + Uniform(4));
    }
    if (kind < 15) {
      const std::string& city = Pick(cities_);
      return "NEAR/" + std::to_string(5 + Uniform(10)) + "(" + Quote(c_.city_names.at(city)) +
             ", " + Pick(kEventWords) + ")";
    }
    if (kind < 17) return "title:" + Subject(2 + Uniform(3)) + " AND " + Places(nullptr);
    if (kind < 19) return Places(nullptr) + " AND @topics_" + std::to_string(Uniform(50));
    return Subject(3) + " AND " + Subject(3) + " AND NOT " + Pick(kExclusions);
  }

 private:
  const Corpus& c_;
  std::mt19937 rng_;
  std::vector<std::string> cities_;
};

struct OwnedPost {
  std::string title, text, author, region;
  PostView View() const { return {title, text, author, "", "weibo", region}; }
};

}  // namespace

int main(int argc, char** argv) {
  size_t rule_count = 5000, post_count = 100000, passes = 10, baseline_posts = 1000;
  std::string data = std::getenv("YQ_SHARED_DATA") != nullptr ? std::getenv("YQ_SHARED_DATA")
                                                              : YQ_DEFAULT_SHARED_DATA;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    std::string value = argv[i + 1];
    if (flag == "--rules")
      rule_count = std::stoul(value);
    else if (flag == "--posts")
      post_count = std::stoul(value);
    else if (flag == "--passes")
      passes = std::stoul(value);
    else if (flag == "--baseline-posts")
      baseline_posts = std::stoul(value);
    else if (flag == "--data")
      data = value;
    else {
      std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
      return 2;
    }
  }
  std::printf("command: %s --rules %zu --posts %zu --passes %zu --baseline-posts %zu --data %s\n",
              argv[0], rule_count, post_count, passes, baseline_posts, data.c_str());

  Corpus corpus = Load(data);
  std::printf("corpus: %zu counties, %zu topic words, %zu titles, %zu texts\n",
              corpus.counties.size(), corpus.topics.size(), corpus.titles.size(),
              corpus.texts.size());

  // Keyword lists @topics_0 … @topics_49 of ten topic words each.
  std::mt19937 list_rng(7);
  std::map<std::string, std::vector<std::string>, std::less<>> lists;
  for (int i = 0; i < 50; ++i) {
    auto& words = lists["topics_" + std::to_string(i)];
    for (int j = 0; j < 10; ++j) words.push_back(corpus.topics[list_rng() % corpus.topics.size()]);
  }
  PrepareOptions options;
  options.lists = MapListResolver(lists);

  RuleGenerator gen(corpus, 42);
  std::vector<std::string> queries;
  while (queries.size() < rule_count) queries.push_back(gen.Rule());

  auto t0 = Clock::now();
  std::vector<PreparedRule> prepared;
  size_t refused = 0;
  for (size_t i = 0; i < queries.size(); ++i) {
    auto r = CheckRule(static_cast<int64_t>(i + 1), queries[i], options);
    if (r.ok()) {
      prepared.push_back(std::move(*r));
    } else {
      ++refused;
    }
  }
  double check_s = Seconds(t0);
  auto t1 = Clock::now();
  auto compiled = CompiledRuleSet::Compile(prepared, options.normalizer);
  double compile_s = Seconds(t1);
  if (!compiled.ok()) {
    std::fprintf(stderr, "compile failed: %s\n", compiled.status().message().c_str());
    return 1;
  }
  const CompiledRuleSet& set = **compiled;
  std::printf("rules: %zu generated, %zu refused, %zu compiled into %zu literals\n", queries.size(),
              refused, set.rule_count(), set.pattern_count());
  std::printf("  e.g. %s\n       %s\n", queries[0].c_str(), queries[11].c_str());
  std::printf("compile: parse+check %.3f s, Hyperscan+index %.3f s, total %.3f s\n", check_s,
              compile_s, check_s + compile_s);

  // Posts: a title and about 150 characters of text.
  std::mt19937 post_rng(1234);
  auto pick = [&](const std::vector<std::string>& v) -> const std::string& {
    return v[post_rng() % v.size()];
  };
  std::vector<OwnedPost> posts(post_count);
  size_t bytes = 0;
  for (OwnedPost& p : posts) {
    p.title = pick(corpus.titles);
    if (post_rng() % 10 < 3) {
      const Place& place = corpus.counties[post_rng() % corpus.counties.size()];
      p.text = "【" + place.name + "】";
      p.region = place.code;
    }
    while (yuqing::core::CountCodePoints(p.text) < 150) p.text += pick(corpus.texts);
    p.author = "网友" + std::to_string(post_rng() % 100000);
    bytes += p.title.size() + p.text.size();
  }
  std::printf("posts: %zu distinct, %.0f bytes of title+text on average\n", posts.size(),
              static_cast<double>(bytes) / static_cast<double>(posts.size()));

  // Compiled matcher, with explanations (what the pipeline records).
  MatchResult result;
  size_t matched_posts = 0, rule_hits = 0;
  auto t2 = Clock::now();
  for (size_t pass = 0; pass < passes; ++pass) {
    for (const OwnedPost& p : posts) {
      set.Match(p.View(), result);
      if (pass == 0) {
        matched_posts += result.rules.empty() ? 0 : 1;
        rule_hits += result.rules.size();
      }
    }
  }
  double match_s = Seconds(t2);
  double scanned = static_cast<double>(posts.size() * passes);
  double compiled_rate = scanned / match_s;
  std::printf("compiled: %.0f posts matched in %.2f s = %.0f posts/s (%.2f us/post, %.0f MB/s)\n",
              scanned, match_s, compiled_rate, 1e6 * match_s / scanned,
              static_cast<double>(bytes * passes) / match_s / 1e6);
  std::printf("  %.2f%% of posts match a rule, %.3f rule matches per post\n",
              100.0 * static_cast<double>(matched_posts) / static_cast<double>(posts.size()),
              static_cast<double>(rule_hits) / static_cast<double>(posts.size()));

  // Naive baseline on the first posts: normalize once, evaluate every rule by substring search.
  baseline_posts = std::min(baseline_posts, posts.size());
  size_t disagreements = 0;
  std::vector<int64_t> ids, reference;
  auto t3 = Clock::now();
  for (size_t i = 0; i < baseline_posts; ++i) {
    NormalizedPost norm = NormalizePost(posts[i].View(), *options.normalizer);
    reference.clear();
    for (const PreparedRule& rule : prepared) {
      if (ReferenceMatches(rule, norm)) reference.push_back(rule.id);
    }
    set.MatchIds(posts[i].View(), ids);  // negligible next to the baseline
    if (ids != reference) ++disagreements;
  }
  double baseline_s = Seconds(t3);
  double baseline_rate = static_cast<double>(baseline_posts) / baseline_s;
  std::printf("baseline: %zu posts in %.2f s = %.0f posts/s; compiled/baseline = %.0fx\n",
              baseline_posts, baseline_s, baseline_rate, compiled_rate / baseline_rate);
  std::printf("agreement: %zu of %zu baseline posts differ from the compiled matcher\n",
              disagreements, baseline_posts);
  return disagreements == 0 ? 0 : 1;
}
