#include <fmt/format.h>
#include <unistd.h>

#include <iostream>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"

namespace yuqing::cli {
namespace {

int RunReindex(const CommonOptions& common) {
  auto config = ResolveConfig(common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto rt = OpenRuntime(*config, /*check_index=*/false);
  if (!rt.ok()) return Fail(*config, rt.status());
  bool tty = isatty(STDERR_FILENO) != 0;
  Status s = pipeline::Reindex(*(*rt)->store, *(*rt)->tokenizer, [&](int64_t n) {
    if (tty)
      std::cerr << "\r\033[K" << fmt::format(fmt::runtime(Text(lang, Msg::kReindexProgress)), n)
                << std::flush;
  });
  if (tty) std::cerr << "\r\033[K";
  if (!s.ok()) return Fail(*config, s);
  std::cerr << fmt::format(fmt::runtime(Text(lang, Msg::kReindexDone)), (*rt)->tokenizer->Name())
            << "\n";
  return 0;
}

}  // namespace

void AddReindexCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "reindex", "rebuild the search index with store.index_tokenizer (重建检索索引)");
  auto common = std::make_shared<CommonOptions>();
  AddCommonOptions(*cmd, *common);
  cmd->final_callback([common] { ExitCode() = RunReindex(*common); });
}

}  // namespace yuqing::cli
