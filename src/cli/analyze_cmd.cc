// `yuqing analyze`: one text per line on stdin (or NDJSON posts with --ndjson) → one JSON object
// per line with every judgment signal and its evidence (docs/analysis.md). For analysts,
// integrations and the evaluation scripts (eval/analysis_eval.py).
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "analysis/analysis_json.h"
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
    nlohmann::json a = analysis::AnalysisToJson(analyzer->AnalyzePrepared(prepared, region));
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
