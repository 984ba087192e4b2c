// analysis owns the judgment signals of a post (DESIGN.md): sentiment, government domain,
// key-response kinds (DOMAIN.md §3 a–d), casualties and losses, places (GB/T 2260) and rumour
// signals, each with the evidence that produced it. docs/analysis.md describes the models,
// the rules, the data and the measured quality.
//
// Threads: an Analyzer is immutable after Load() and shares its read-only models; call
// Analyze() from any number of threads. Reloading means loading a new Analyzer and swapping the
// std::shared_ptr<const Analyzer>.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "analysis/features.h"
#include "analysis/gazetteer.h"
#include "analysis/linear_model.h"
#include "core/status.h"
#include "model/analysis.h"
#include "model/post.h"

namespace yuqing::analysis {

struct AnalyzerOptions {
  // Holds models/{sentiment,domain,rumour}.bin and gazetteer/places.tsv. Empty: $YQ_DATA_DIR,
  // else the source tree's data/ (development builds).
  std::string data_dir;
  // The three-way decision (docs/analysis.md, "Neutral"; chosen by eval/neutral_calibration.py
  // on dev posts of Weibo corpora the model was not trained on, against news titles and
  // notices). A post is neutral when P(neutral) is at least the threshold of its register:
  // `neutral_prob_expressive` with an expressive marker, `neutral_prob_formal` with a marker of
  // official register, `neutral_prob` otherwise. Low polar confidence alone never makes it
  // neutral (the old margin rule lost on dev).
  double neutral_prob = 0.3;
  double neutral_prob_expressive = 0.8;
  double neutral_prob_formal = 0.05;
  size_t max_evidence = 5;
};

struct AnalyzerStats {
  double load_ms = 0;
  size_t model_bytes = 0;  // linear models + gazetteer names (not the shared text engine)
};

class Analyzer {
 public:
  // Loads the models. `normalizer` / `segmenter` may be given to share them; null loads the
  // defaults. NotFound names the missing file; InvalidArgument a malformed one.
  static Result<std::shared_ptr<const Analyzer>> Load(
      const AnalyzerOptions& options = {},
      std::shared_ptr<const text::Normalizer> normalizer = nullptr,
      std::shared_ptr<const text::Segmenter> segmenter = nullptr);

  // Title and text are analysed together; `post.region` helps resolve ambiguous places.
  model::Analysis Analyze(const model::Post& post) const;
  model::Analysis AnalyzeText(std::string_view text, std::string_view region = {}) const;
  // The same on an already prepared text (for evaluation tools).
  model::Analysis AnalyzePrepared(const Prepared& p, std::string_view region) const;

  // The full name of a GB/T 2260 region code with its parents, "山西省长治市潞州区"; 2- and
  // 4-digit codes name the province or prefecture ("1404" → "山西省长治市"). Empty if unknown.
  std::string RegionName(std::string_view code) const;

  const TextPipeline& pipeline() const { return *pipe_; }
  const AnalyzerStats& stats() const { return stats_; }

  Analyzer() = default;

 private:
  model::Sentiment SentimentOf(const Prepared& p, const std::vector<Feature>& f) const;
  model::DomainResult DomainOf(const Prepared& p, const std::vector<Feature>& f) const;
  model::Rumour RumourOf(const Prepared& p, const std::vector<Feature>& f) const;
  std::vector<model::KindResult> KindsOf(const Prepared& p, const model::Sentiment& s,
                                         const model::Casualties& c) const;

  AnalyzerOptions options_;
  std::shared_ptr<const TextPipeline> pipe_;
  std::shared_ptr<const LinearModel> sentiment_;
  std::shared_ptr<const LinearModel> domain_;
  std::shared_ptr<const LinearModel> rumour_;
  std::shared_ptr<const Gazetteer> gazetteer_;
  std::vector<int> domain_class_;  // domain model class -> model::Domain
  AnalyzerStats stats_;
};

}  // namespace yuqing::analysis
