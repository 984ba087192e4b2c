// Test-only: a recorded stream (NDJSON in the ingest format) replayed through ingest, analysis
// and the event stage in event time on a fake clock, as `yuqing replay` feeds a running server:
// posts are stored as the clock reaches them, `step` of event time at a time, and the stage runs
// after each step (idle sweeps included). Used by the tests that need the demo scenario in a
// store (src/reports/replay_golden_test.cc, src/pipeline/demo_stream_test.cc).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "alerts/policy_json.h"
#include "analysis/analyzer.h"
#include "collect/replay.h"
#include "pipeline/event_stage.h"
#include "pipeline/ingest.h"
#include "store/store.h"
#include "testing/test_util.h"
#include "text/keywords.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

namespace yuqing::pipeline::testing {

struct ReplayModels {
  std::shared_ptr<const analysis::Analyzer> analyzer;
  std::shared_ptr<const text::KeywordExtractor> keywords;
};

// The shipped models, loaded once per test binary.
inline const ReplayModels& LoadReplayModels() {
  static const ReplayModels* models = [] {
    auto* m = new ReplayModels;
    std::shared_ptr<const text::Segmenter> seg = std::move(text::Segmenter::Load()).value();
    m->keywords = std::move(text::KeywordExtractor::Load(seg)).value();
    m->analyzer = std::move(analysis::Analyzer::Load({}, nullptr, seg)).value();
    return m;
  }();
  return *models;
}

// Reads the records of the NDJSON files into play order. A gtest failure for an unreadable
// file or a rejected record.
inline std::vector<model::Post> ReadStream(const std::vector<std::filesystem::path>& files) {
  collect::Recording recording;
  for (const auto& f : files) {
    std::ifstream in(f);
    EXPECT_TRUE(in) << f << " cannot be read";
    Status read = collect::ReadRecording(in, collect::Format::kNdjson, collect::RecordLimits{},
                                         f.filename().string(), recording);
    EXPECT_TRUE(read.ok()) << read.ToString();
  }
  EXPECT_TRUE(recording.rejected.empty())
      << (recording.rejected.empty() ? "" : recording.rejected.front());
  collect::SortForReplay(recording.posts);
  return std::move(recording.posts);
}

// Installs the demo's alert policy (data/demo/policy.json), as `make demo` does.
inline void AddDemoPolicy(store::Store& store, core::TimePoint now) {
  auto text = ::yuqing::testing::ReadFile(
      (::yuqing::testing::SourceDir() / "data/demo/policy.json").string());
  auto policy = alerts::PolicyFromJson(nlohmann::json::parse(text));
  ASSERT_TRUE(policy.ok()) << policy.status().ToString();
  ASSERT_TRUE(store.CreateAlertPolicy(*policy, now).ok());
}

// Replays `posts` (play order) into `store` up to `until`; returns how many were stored. The
// clock starts one step before the minute of the first post, so the step grid is the same on
// every run.
inline size_t ReplayInto(store::Store& store, const std::vector<model::Post>& posts,
                         core::TimePoint until,
                         std::chrono::minutes step = std::chrono::minutes(5)) {
  if (posts.empty()) return 0;
  const ReplayModels& models = LoadReplayModels();
  const auto first = std::chrono::floor<std::chrono::minutes>(posts.front().published_at) - step;
  core::FakeClock clock(first);
  Ingestor ingestor(store, text::MakeBigramTokenizer(), clock);
  EventStageOptions options;
  options.analysis_threads = 2;  // the placing is ordered whatever the analysis threads do
  EventStage stage(EventStageStores{store, store, store}, models.analyzer, models.keywords, clock,
                   nullptr, options);
  EXPECT_TRUE(stage.Restore().ok());
  size_t next = 0;
  for (auto t = first; t <= until; t += step) {
    clock.Set(t);
    const size_t end = collect::DueEnd(posts, next, t, posts.size());
    if (end > next) {
      std::vector<model::Post> due(posts.begin() + static_cast<std::ptrdiff_t>(next),
                                   posts.begin() + static_cast<std::ptrdiff_t>(end));
      auto written = ingestor.Write(std::move(due));
      EXPECT_TRUE(written.ok()) << written.status().ToString();
      if (!written.ok()) return next;
      next = end;
    }
    for (;;) {
      auto n = stage.RunOnce();
      EXPECT_TRUE(n.ok()) << n.status().ToString();
      if (!n.ok() || *n == 0) break;
    }
  }
  return next;
}

}  // namespace yuqing::pipeline::testing
