// `yuqing segment`: reads text lines on stdin and writes each line's words separated by single
// spaces, for operators tuning dictionaries and for evaluation (eval/segment_eval.py).
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "text/normalize.h"
#include "text/segmenter.h"

namespace yuqing::cli {
namespace {

struct SegmentArgs {
  bool search = false;
  bool no_hmm = false;
  bool normalize = false;
  bool keep_space = false;
  std::string user_dict;
  std::string sep = " ";
};

bool IsSpaceWord(std::string_view w) {
  for (char c : w) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
  }
  return true;
}

int RunSegment(const SegmentArgs& args) {
  auto loaded = text::Segmenter::Load();
  if (!loaded.ok()) return Fail(core::Config{}, loaded.status());
  std::shared_ptr<const text::Segmenter> seg = *loaded;
  if (!args.user_dict.empty()) {
    auto with = seg->WithUserDictFile(args.user_dict);
    if (!with.ok()) return Fail(core::Config{}, with.status());
    seg = *with;
  }
  std::shared_ptr<const text::Normalizer> norm;
  if (args.normalize) {
    auto n = text::Normalizer::Create();
    if (!n.ok()) return Fail(core::Config{}, n.status());
    norm = *n;
  }
  text::CutOptions options;
  options.hmm = !args.no_hmm;
  options.search = args.search;
  std::ios::sync_with_stdio(false);
  std::string line, normalized, out;
  std::vector<std::string_view> words;
  while (std::getline(std::cin, line)) {
    std::string_view text = line;
    if (norm) {
      normalized = norm->NormalizeText(line);
      text = normalized;
    }
    words.clear();
    seg->Cut(text, words, options);
    out.clear();
    bool first = true;
    for (std::string_view w : words) {
      if (!args.keep_space && IsSpaceWord(w)) continue;
      if (!first) out += args.sep;
      out += w;
      first = false;
    }
    out += '\n';
    std::cout << out;
  }
  std::cout.flush();
  return 0;
}

}  // namespace

void AddSegmentCommand(CLI::App& app) {
  auto args = std::make_shared<SegmentArgs>();
  auto* cmd =
      app.add_subcommand("segment", "segment stdin line by line, words separated by spaces (分词)");
  cmd->add_flag("--search", args->search, "search mode: also dictionary words inside long words");
  cmd->add_flag("--no-hmm", args->no_hmm, "no HMM: unknown words stay single characters");
  cmd->add_option("--user-dict", args->user_dict,
                  "user dictionary, one \"word [freq] [tag]\" per line (jieba format)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--normalize", args->normalize,
                "normalize first (traditional→simplified, full-width, HTML, whitespace)");
  cmd->add_flag("--keep-space", args->keep_space, "also print whitespace words");
  cmd->add_option("--sep", args->sep, "separator between words (default: one space)");
  cmd->final_callback([args] { ExitCode() = RunSegment(*args); });
}

}  // namespace yuqing::cli
