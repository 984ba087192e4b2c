// `yuqing analyze`: one text per line on stdin (or NDJSON posts with --ndjson) → one JSON object
// per line with every judgment signal and its evidence (docs/analysis.md). For analysts,
// integrations and the evaluation scripts (eval/analysis_eval.py).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/analyzer.h"
#include "cli/commands.h"
#include "collect/post_json.h"

namespace yuqing::cli {
namespace {

struct AnalyzeArgs {
  bool ndjson = false;
  bool strip_emoticons = false;
  std::string data_dir;
  std::string region;
};

nlohmann::json EvidenceJson(const std::vector<model::Evidence>& ev) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : ev) out.push_back({{"text", e.text}, {"weight", e.weight}});
  return out;
}

nlohmann::json AnalysisJson(const model::Analysis& a) {
  nlohmann::json j;
  j["sentiment"] = {{"label", model::SentimentLabelName(a.sentiment.label)},
                    {"score", a.sentiment.score},
                    {"neutral_prob", a.sentiment.neutral_prob},
                    {"sarcasm", a.sentiment.sarcasm},
                    {"evidence", EvidenceJson(a.sentiment.evidence)}};
  j["domain"] = {{"label", model::DomainName(a.domain.label)},
                 {"name", model::DomainNameZh(a.domain.label)},
                 {"confidence", a.domain.confidence},
                 {"evidence", EvidenceJson(a.domain.evidence)}};
  nlohmann::json kinds = nlohmann::json::array();
  for (const auto& k : a.kinds) {
    kinds.push_back({{"kind", model::ResponseKindName(k.kind)},
                     {"confidence", k.confidence},
                     {"evidence", k.evidence}});
  }
  j["kinds"] = std::move(kinds);
  nlohmann::json cas = nlohmann::json::object();
  if (a.casualties.deaths) cas["deaths"] = *a.casualties.deaths;
  if (a.casualties.injured) cas["injured"] = *a.casualties.injured;
  if (a.casualties.missing) cas["missing"] = *a.casualties.missing;
  if (a.casualties.trapped) cas["trapped"] = *a.casualties.trapped;
  if (a.casualties.loss_yuan) cas["loss_yuan"] = *a.casualties.loss_yuan;
  if (!a.casualties.evidence.empty()) cas["evidence"] = a.casualties.evidence;
  j["casualties"] = std::move(cas);
  nlohmann::json places = nlohmann::json::array();
  for (const auto& p : a.places) {
    nlohmann::json mentions = nlohmann::json::array();
    for (const auto& m : p.mentions) mentions.push_back({m.offset, m.size});
    places.push_back({{"code", p.code},
                      {"name", p.name},
                      {"level", model::PlaceLevelName(p.level)},
                      {"confidence", p.confidence},
                      {"surface", p.surface},
                      {"mentions", std::move(mentions)}});
  }
  j["places"] = std::move(places);
  j["rumour"] = {{"score", a.rumour.score},
                 {"denial", a.rumour.denial},
                 {"evidence", EvidenceJson(a.rumour.evidence)}};
  return j;
}

int RunAnalyze(const AnalyzeArgs& args) {
  analysis::AnalyzerOptions options;
  options.data_dir = args.data_dir;
  auto loaded = analysis::Analyzer::Load(options);
  if (!loaded.ok()) return Fail(core::Config{}, loaded.status());
  std::shared_ptr<const analysis::Analyzer> analyzer = *loaded;
  analysis::PrepareOptions prep;
  prep.drop_all_emoticons = args.strip_emoticons;
  std::ios::sync_with_stdio(false);
  std::string line;
  analysis::Prepared prepared;
  size_t line_no = 0;
  int rc = 0;
  while (std::getline(std::cin, line)) {
    ++line_no;
    std::string text = line;
    std::string region = args.region;
    nlohmann::json out;
    if (args.ndjson) {
      if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
      nlohmann::json record = nlohmann::json::parse(line, nullptr, false);
      if (record.is_discarded()) {
        std::cerr << "line " << line_no << ": not a JSON object\n";
        rc = kExitRejected;
        continue;
      }
      auto post = collect::PostFromJson(record, {});
      if (!post.ok()) {
        std::cerr << "line " << line_no << ": " << post.status().message() << "\n";
        rc = kExitRejected;
        continue;
      }
      text = post->title.empty()  ? post->text
             : post->text.empty() ? post->title
                                  : post->title + "\n" + post->text;
      if (!post->region.empty()) region = post->region;
      out["id"] = post->external_id;
    }
    analyzer->pipeline().Prepare(text, prepared, prep);
    nlohmann::json a = AnalysisJson(analyzer->AnalyzePrepared(prepared, region));
    if (out.is_object()) {
      out.update(a);
    } else {
      out = std::move(a);
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  return rc;
}

}  // namespace

void AddAnalyzeCommand(CLI::App& app) {
  auto args = std::make_shared<AnalyzeArgs>();
  auto* cmd = app.add_subcommand(
      "analyze",
      "judgment signals per line of stdin: sentiment, domain, kinds, places, rumour (研判)");
  cmd->add_flag("--ndjson", args->ndjson, "stdin holds NDJSON posts (the ingest record format)");
  cmd->add_option(
      "--data-dir", args->data_dir,
      "directory with models/ and gazetteer/ (default: $YQ_DATA_DIR or the source data/)");
  cmd->add_option("--region", args->region,
                  "GB/T 2260 code of the posts' own region (helps resolve ambiguous places)");
  cmd->add_flag("--strip-emoticons", args->strip_emoticons,
                "ignore [emoticon] codes (evaluation: the weibo_senti_100k trap)");
  cmd->final_callback([args] { ExitCode() = RunAnalyze(*args); });
}

}  // namespace yuqing::cli
