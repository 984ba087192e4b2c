// The compiled matcher against the reference evaluator on random rules and random posts built
// from real Chinese words (with traditional and full-width variants): both must find the same
// rules for every post, and every reported term occurrence must be a real occurrence.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "rules/reference_eval.h"
#include "rules/rule_check.h"
#include "rules/rule_set.h"

namespace yuqing::rules {
namespace {

// Overlapping on purpose (长治 / 长治市 / 治市, 化工 / 化工厂 / 工厂) to exercise substrings.
const std::vector<std::string> kWords = {
    "长治", "长治市", "治市", "潞城", "屯留", "化工", "化工厂", "工厂", "泄漏",     "苯胺",
    "演习", "爆炸",   "地震", "疫情", "疫苗", "污染", "水污染", "河道", "村民",     "投诉",
    "医院", "学校",   "拆迁", "补偿", "警方", "通报", "covid",  "5g",   "人民日报", "新华社"};
// How the words may appear in posts: traditional, full-width or upper-case forms.
const std::vector<std::string> kVariants = {"長治", "洩漏", "化工廠", "ＣＯＶＩＤ", "COVID",
                                            "５Ｇ", "醫院", "學校",   "長治市",     "污 染"};
const std::vector<std::string> kFiller = {"的", "了", "在", "是", "和", "我们", "市",  "区",
                                          "，", "。", "！", " ",  "　", "abc",  "123", "发生"};
const std::vector<std::string> kRegions = {"14", "1404", "140402", "1401", "13", "140400"};
const std::vector<std::string> kPostRegions = {"", "140402", "140425", "140105", "130102", "14"};
const std::vector<std::string> kFields = {"title:", "text:", "author:", "source:", "channel:"};

std::shared_ptr<const MatchNormalizer> TestNormalizer() {
  return std::make_shared<FoldNormalizer>(std::unordered_map<char32_t, char32_t>{
      {U'長', U'长'}, {U'洩', U'泄'}, {U'廠', U'厂'}, {U'醫', U'医'}, {U'學', U'学'}});
}

class RandomRules {
 public:
  explicit RandomRules(uint32_t seed) : rng_(seed) {}

  int Uniform(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& Pick(const std::vector<T>& v) {
    return v[Uniform(static_cast<int>(v.size()))];
  }

  std::string Word() { return Pick(kWords); }

  std::string Leaf(bool allow_field) {
    std::string field = allow_field && Uniform(5) == 0 ? Pick(kFields) : "";
    switch (Uniform(8)) {
      case 0:
        return "region:" + Pick(kRegions);
      case 1:
        return field + "\"" + Word() + " " + Word() + "\"";
      case 2: {
        std::string near = field + "NEAR/" + std::to_string(1 + Uniform(6)) + "(" + Word();
        int n = 1 + Uniform(2);
        for (int i = 0; i < n; ++i) near += ", " + Word();
        return near + ")";
      }
      default:
        return field + Word();
    }
  }

  std::string Expr(int depth) {
    if (depth == 0 || Uniform(3) == 0) return Leaf(true);
    switch (Uniform(4)) {
      case 0:
        return "NOT " + Paren(Expr(depth - 1));
      case 1:
        return Paren(Expr(depth - 1)) + " OR " + Paren(Expr(depth - 1));
      default:
        return Paren(Expr(depth - 1)) + " AND " + Paren(Expr(depth - 1));
    }
  }

  static std::string Paren(const std::string& s) { return "(" + s + ")"; }

  std::string Text(int pieces) {
    std::string out;
    for (int i = 0; i < pieces; ++i) {
      int k = Uniform(10);
      out += k < 4 ? Word() : k < 5 ? Pick(kVariants) : Pick(kFiller);
    }
    return out;
  }

 private:
  std::mt19937 rng_;
};

struct OwnedPost {
  std::string title, text, author, source, channel, region;
  PostView View() const { return {title, text, author, source, channel, region}; }
};

std::string_view FieldOf(const PostView& p, Scope s) {
  switch (s) {
    case Scope::kTitle:
      return p.title;
    case Scope::kText:
      return p.text;
    case Scope::kAuthor:
      return p.author;
    case Scope::kSource:
      return p.source;
    case Scope::kChannel:
      return p.channel;
    default:
      return p.region_code;
  }
}

TEST(EquivalenceTest, CompiledMatcherAgreesWithReferenceOnRandomRulesAndPosts) {
  auto normalizer = TestNormalizer();
  PrepareOptions options;
  options.normalizer = normalizer;
  size_t accepted = 0, refused = 0, compared = 0, matches = 0;
  for (uint32_t round = 0; round < 12; ++round) {
    RandomRules gen(round * 7919 + 1);
    std::vector<PreparedRule> rules;
    std::vector<std::string> queries;
    for (int i = 0; i < 250; ++i) {
      std::string q = gen.Expr(1 + gen.Uniform(4));
      auto r = CheckRule(i, q, options);
      if (!r.ok()) {
        ++refused;
        continue;
      }
      ++accepted;
      rules.push_back(*r);
      queries.push_back(q);
    }
    auto set = CompiledRuleSet::Compile(rules, normalizer);
    ASSERT_TRUE(set.ok()) << set.status().message();
    for (int p = 0; p < 300; ++p) {
      OwnedPost post{gen.Text(2 + gen.Uniform(6)),        gen.Text(5 + gen.Uniform(40)),
                     gen.Text(1 + gen.Uniform(2)),        gen.Text(1 + gen.Uniform(2)),
                     gen.Uniform(2) ? "weibo" : "新华社", gen.Pick(kPostRegions)};
      PostView view = post.View();
      NormalizedPost norm = NormalizePost(view, *normalizer);
      std::vector<int64_t> expected;
      for (const PreparedRule& rule : rules) {
        if (ReferenceMatches(rule, norm)) expected.push_back(rule.id);
      }
      MatchResult result;
      (*set)->Match(view, result);
      std::vector<int64_t> got;
      for (const RuleMatch& m : result.rules) {
        got.push_back(m.rule_id);
        const PreparedRule* rule = (*set)->Find(m.rule_id);
        ASSERT_NE(rule, nullptr);
        EXPECT_FALSE(m.terms.empty()) << "rule " << m.rule_id;
        for (const TermMatch& t : m.terms) {
          // Every reported occurrence normalizes to one of the rule's literals.
          std::string_view cut = FieldOf(view, t.field).substr(t.begin, t.end - t.begin);
          std::string folded;
          normalizer->Normalize(cut, folded, nullptr);
          if (t.field == Scope::kRegion) folded = std::string(cut);
          bool known = false;
          for (const RuleTerm& term : rule->terms) {
            known = known || (term.written == t.term &&
                              (term.scope == Scope::kRegion ? folded.starts_with(term.literal)
                                                            : folded == term.literal));
          }
          EXPECT_TRUE(known) << "rule " << m.rule_id << " reported \"" << cut << "\" for "
                             << t.term;
        }
      }
      ++compared;
      matches += got.size();
      ASSERT_EQ(got, expected) << "round " << round << " post " << p << "\ntitle: " << post.title
                               << "\ntext: " << post.text << "\nauthor: " << post.author
                               << "\nregion: " << post.region;
    }
  }
  // The generator must produce mostly valid rules and a fair number of matches, or the test
  // proves little.
  EXPECT_GT(accepted, refused);
  EXPECT_GT(matches, compared);
  std::printf("%zu rules accepted, %zu refused, %zu posts, %zu rule matches\n", accepted, refused,
              compared, matches);
}

}  // namespace
}  // namespace yuqing::rules
