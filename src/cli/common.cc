#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/messages.h"
#include "core/log.h"

namespace yuqing::cli {

void AddCommonOptions(CLI::App& cmd, CommonOptions& common) {
  cmd.add_option("-c,--config", common.config_file,
                 "TOML configuration file (see config/yuqing.example.toml)");
  cmd.add_option("--set", common.overrides,
                 "override an option: --set section.key=value (repeatable)");
  cmd.add_option("--db", common.db_path, "SQLite database file (store.path)");
  cmd.add_option("--lang", common.lang, "interface language: zh (default) or en");
}

Result<core::Config> ResolveConfig(const CommonOptions& common) {
  core::Config config;
  if (const char* lang = std::getenv("LANG");
      lang != nullptr && std::string_view(lang).starts_with("en")) {
    config.language = "en";
  }
  if (!common.config_file.empty()) {
    YQ_ASSIGN_OR_RETURN(config, core::LoadConfigFile(common.config_file, config));
  }
  for (const auto& o : common.overrides) YQ_RETURN_IF_ERROR(core::ApplyConfigOverride(config, o));
  if (!common.db_path.empty()) config.db_path = common.db_path;
  if (!common.lang.empty()) {
    YQ_RETURN_IF_ERROR(core::ApplyConfigOverride(config, "ui.language=" + common.lang));
  }
  core::SetLogLevel(config.log_level);
  return config;
}

int& ExitCode() {
  static int code = 0;
  return code;
}

int Fail(const core::Config& config, const Status& status) {
  std::cerr << fmt::format(fmt::runtime(Text(config.language, Msg::kError)), status.message())
            << "\n";
  return kExitFailure;
}

}  // namespace yuqing::cli
