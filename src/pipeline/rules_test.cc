#include "pipeline/rules.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <sstream>

#include "core/time.h"
#include "pipeline/ingest.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::pipeline {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

model::Post P(std::string id, std::string text, int minute = 0, std::string title = "") {
  model::Post p;
  p.source = "weibo";
  p.external_id = std::move(id);
  p.text = std::move(text);
  p.title = std::move(title);
  p.published_at = T("2026-11-21T08:00:00+08:00") + std::chrono::minutes(minute);
  return p;
}

class RulesPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
  }

  int64_t AddRule(std::string name, std::string query, bool enabled = true) {
    model::Rule r;
    r.name = std::move(name);
    r.query = std::move(query);
    r.enabled = enabled;
    auto created = store_->CreateRule(r, clock_.Now());
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return created.ok() ? created->id : 0;
  }

  // "rule:term@field[begin,end) …" of every hit stored for the post, by rule id.
  std::string Hits(const std::string& id) {
    auto post = store_->GetPost("weibo", id);
    if (!post.ok() || !post->has_value()) return "no post";
    std::vector<int64_t> keys = {(*post)->key};
    auto hits = store_->RuleHitsForPosts(keys);
    if (!hits.ok()) return hits.status().ToString();
    std::string out;
    for (const auto& h : *hits) {
      if (!out.empty()) out += " ";
      out += h.rule_name + ":";
      for (size_t i = 0; i < h.hit.terms.size(); ++i) {
        const auto& t = h.hit.terms[i];
        out += fmt::format("{}{}@{}[{},{})", i ? "," : "", t.term, t.field, t.begin, t.end);
      }
    }
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  core::FakeClock clock_{T("2026-11-21T09:00:00+08:00")};
};

TEST_F(RulesPipelineTest, AcceptedPostsRecordTheRulesAndTermsThatMatched) {
  AddRule("长治化工", "(长治 OR 潞城) AND (苯胺 OR 泄漏) AND NOT 演习");
  AddRule("停水", "title:停水");
  AddRule("关闭的", "长治", /*enabled=*/false);
  RuleSync sync(*store_);
  ASSERT_TRUE(sync.Reload().ok());
  Ingestor ingestor(*store_, text::MakeBigramTokenizer(), clock_);
  ingestor.SetRules(&sync.engine());
  auto written = ingestor.Write({P("1", "长治化工厂苯胺泄漏"), P("2", "长治消防演习：模拟泄漏"),
                                 P("3", "今天停水了", 1, "邯郸停水通知")});
  ASSERT_TRUE(written.ok()) << written.status().ToString();
  EXPECT_EQ(Hits("1"), "长治化工:长治@text[0,6),苯胺@text[15,21),泄漏@text[21,27)");
  EXPECT_EQ(Hits("2"), "");
  EXPECT_EQ(Hits("3"), "停水:停水@title[6,12)");
}

TEST_F(RulesPipelineTest, ADuplicateKeepsTheHitsOfItsFirstArrival) {
  RuleSync sync(*store_);
  ASSERT_TRUE(sync.Reload().ok());
  Ingestor ingestor(*store_, text::MakeBigramTokenizer(), clock_);
  ingestor.SetRules(&sync.engine());
  ASSERT_TRUE(ingestor.Write({P("1", "长治化工厂苯胺泄漏")}).ok());
  AddRule("r", "长治 泄漏");
  ASSERT_TRUE(*sync.ReloadIfChanged());
  auto again = ingestor.Write({P("1", "长治化工厂苯胺泄漏"), P("2", "长治又见泄漏")});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ((*again)[0].outcome, model::IngestOutcome::kDuplicate);
  EXPECT_EQ(Hits("1"), "");
  EXPECT_EQ(Hits("2"), "r:长治@text[0,6),泄漏@text[12,18)");
}

TEST_F(RulesPipelineTest, FileImportRecordsHitsToo) {
  AddRule("r", "苯胺");
  RuleSync sync(*store_);
  ASSERT_TRUE(sync.Reload().ok());
  Ingestor ingestor(*store_, text::MakeBigramTokenizer(), clock_);
  ingestor.SetRules(&sync.engine());
  std::istringstream in(
      R"({"source":"weibo","id":"7","text":"苯胺","published_at":"2026-11-21T08:00:00+08:00"})"
      "\n");
  auto reader = collect::RecordReader::Open(in, collect::Format::kNdjson, {});
  ASSERT_TRUE(reader.ok());
  auto counts = ImportRecords(**reader, ingestor, {});
  ASSERT_TRUE(counts.ok()) << counts.status().ToString();
  EXPECT_EQ(Hits("7"), "r:苯胺@text[0,6)");
}

TEST_F(RulesPipelineTest, ReloadFollowsTheStoreAndLeavesOutRulesThatNoLongerCheck) {
  RuleSync sync(*store_);
  EXPECT_EQ(sync.loaded_version(), -1);
  EXPECT_TRUE(*sync.ReloadIfChanged());
  EXPECT_FALSE(*sync.ReloadIfChanged());
  EXPECT_EQ(sync.loaded_rules(), 0u);

  ASSERT_TRUE(store_->PutKeywordList({"places", {"长治", "潞城"}, {}}, clock_.Now()).ok());
  int64_t id = AddRule("r", "@places AND 泄漏");
  EXPECT_TRUE(*sync.ReloadIfChanged());
  EXPECT_EQ(sync.loaded_rules(), 1u);
  rules::MatchResult m;
  rules::PostView view;
  view.text = "潞城泄漏";
  sync.engine().Match(view, m);
  ASSERT_EQ(m.rules.size(), 1u);

  ASSERT_TRUE(store_->PutKeywordList({"places", {"水"}, {}}, clock_.Now()).ok());
  EXPECT_TRUE(*sync.ReloadIfChanged());
  EXPECT_EQ(sync.loaded_rules(), 0u);
  ASSERT_EQ(sync.refusals().size(), 1u);
  EXPECT_EQ(sync.refusals()[0].status.message(),
            fmt::format("rule {}: column 1: keyword list \"@places\": the term \"水\" is too short "
                        "(1 character; at least 2): it would match almost every post",
                        id));

  ASSERT_TRUE(store_->PutKeywordList({"places", {"长治"}, {}}, clock_.Now()).ok());
  ASSERT_TRUE(store_->SetRuleEnabled(id, false, clock_.Now()).ok());
  EXPECT_TRUE(*sync.ReloadIfChanged());
  EXPECT_EQ(sync.loaded_rules(), 0u);
  EXPECT_TRUE(sync.refusals().empty());
}

TEST_F(RulesPipelineTest, BackgroundCheckPicksUpAChangeMadeElsewhere) {
  RuleSync sync(*store_);
  ASSERT_TRUE(sync.Reload().ok());
  sync.Start(std::chrono::milliseconds(5));
  // Another process would write to the file; a second store on the same file stands in.
  auto other = store::sqlite::OpenSqliteStore(dir_.File("y.db"));
  ASSERT_TRUE(other.ok());
  model::Rule r;
  r.name = "r";
  r.query = "长治 泄漏";
  ASSERT_TRUE((*other)->CreateRule(r, clock_.Now()).ok());
  EXPECT_TRUE(testing::PollUntil([&] { return sync.loaded_rules() == 1; }));
  sync.Stop();
  sync.Stop();
}

TEST_F(RulesPipelineTest, TryRuleCountsMatchesInTheRangeAndShowsTheNewest) {
  std::vector<model::Post> posts;
  for (int i = 0; i < 30; ++i) {
    posts.push_back(P(std::to_string(i), i % 3 == 0 ? "长治化工厂泄漏" : "邯郸停水", i));
  }
  Ingestor ingestor(*store_, text::MakeBigramTokenizer(), clock_);
  ASSERT_TRUE(ingestor.Write(std::move(posts)).ok());
  TrialOptions trial;
  trial.from = T("2026-11-21T08:03:00+08:00");
  trial.to = T("2026-11-21T08:25:00+08:00");
  trial.samples = 2;
  auto r = TryRule(*store_, "长治 AND 泄漏", CheckOptions(*store_), trial);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->scanned, 22);
  EXPECT_EQ(r->matched, 8);  // 3, 6, …, 24
  ASSERT_EQ(r->samples.size(), 2u);
  EXPECT_EQ(r->samples[0].post.post.external_id, "24");
  EXPECT_EQ(r->samples[1].post.post.external_id, "21");
  EXPECT_EQ(Highlight(r->samples[0].post.post.text, "text", r->samples[0].terms),
            "【长治】化工厂【泄漏】");

  auto bad = TryRule(*store_, "NOT 演习", CheckOptions(*store_), trial);
  EXPECT_EQ(bad.status().message(),
            "column 1: NOT here is not combined with a required term, so the rule would match "
            "almost every post; write e.g. \"化工 AND NOT 演习\"");
  auto unknown = TryRule(*store_, "长治 @nosuch", CheckOptions(*store_), trial);
  EXPECT_EQ(unknown.status().message(), "column 4: unknown keyword list \"@nosuch\"");
}

TEST_F(RulesPipelineTest, BackfillRecordsWhatIngestWouldHaveAndResumesWhereItStopped) {
  // 2,500 posts over 2,500 minutes, every fifth about the leak: three pages of 1,000.
  Ingestor plain(*store_, text::MakeBigramTokenizer(), clock_);
  std::vector<model::Post> posts;
  for (int i = 0; i < 2500; ++i) {
    posts.push_back(P(std::to_string(i), i % 5 == 0 ? "长治化工厂苯胺泄漏" : "邯郸停水", i));
  }
  ASSERT_TRUE(plain.Write(posts).ok());
  const int64_t id = AddRule("长治化工", "长治 AND (苯胺 OR 泄漏)");
  auto rule = store_->GetRule(id);
  ASSERT_TRUE(rule.ok() && rule->has_value());

  // Stopped after the first 1,200 minutes (as a backfill cut short would be)...
  BackfillOptions first;
  first.to = T("2026-11-21T08:00:00+08:00") + std::chrono::minutes(1200);
  auto part = BackfillRule(*store_, **rule, CheckOptions(*store_), first);
  ASSERT_TRUE(part.ok()) << part.status().ToString();
  EXPECT_EQ(part->scanned, 1200);
  EXPECT_EQ(part->matched, 240);
  EXPECT_EQ(part->recorded, 240);

  // ...then run over everything: only the rest is written, page by page.
  std::vector<int64_t> pages;
  BackfillOptions all;
  all.progress = [&](const BackfillResult& r) { pages.push_back(r.scanned); };
  auto whole = BackfillRule(*store_, **rule, CheckOptions(*store_), all);
  ASSERT_TRUE(whole.ok()) << whole.status().ToString();
  EXPECT_EQ(whole->scanned, 2500);
  EXPECT_EQ(whole->matched, 500);
  EXPECT_EQ(whole->recorded, 260);
  EXPECT_EQ(pages, (std::vector<int64_t>{1000, 2000, 2500}));

  // The hits are the ones ingest records for a post that arrives while the rule is live.
  RuleSync sync(*store_);
  ASSERT_TRUE(sync.Reload().ok());
  Ingestor live(*store_, text::MakeBigramTokenizer(), clock_);
  live.SetRules(&sync.engine());
  ASSERT_TRUE(live.Write({P("live", "长治化工厂苯胺泄漏", 2600)}).ok());
  EXPECT_EQ(Hits("live"), "长治化工:长治@text[0,6),苯胺@text[15,21),泄漏@text[21,27)");
  EXPECT_EQ(Hits("2495"), Hits("live"));
  EXPECT_EQ(Hits("5"), Hits("live"));
  EXPECT_EQ(Hits("6"), "");

  // A rule that no longer checks (its keyword list is gone) says where.
  const int64_t broken = AddRule("坏", "@gone AND 泄漏", /*enabled=*/false);
  auto bad = BackfillRule(*store_, **store_->GetRule(broken), CheckOptions(*store_), all);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("column 1"), std::string::npos) << bad.status().message();
}

TEST(HighlightTest, MarksMergedHitsAndCutsAroundTheFirst) {
  std::vector<model::TermHit> hits = {
      {"text", 0, 6, "长治"}, {"text", 3, 9, "治化"}, {"title", 0, 3, "x"}, {"text", 99, 120, "y"}};
  EXPECT_EQ(Highlight("长治化工", "text", hits), "【长治化】工");
  EXPECT_EQ(Highlight("abc", "author", hits), "abc");
  std::string text = std::string(30, 'a') + "泄漏" + std::string(30, 'b');
  std::vector<model::TermHit> leak = {{"text", 30, 36, "泄漏"}};
  EXPECT_EQ(Highlight(text, "text", leak, 20), "…aaaaa【泄漏】bbbbbbbbbbbbb…");
}

}  // namespace
}  // namespace yuqing::pipeline
