#include <fmt/format.h>

#include <cstdlib>
#include <iostream>

#include "cli/commands.h"
#include "cli/messages.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"

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

int FailAtColumn(const core::Config& config, std::string_view query, const Status& status) {
  const std::string& m = status.message();
  int col = m.starts_with("column ") ? std::atoi(m.c_str() + 7) : 0;
  if (col > 0) {
    std::string pad;
    size_t pos = 0;
    for (int i = 1; i < col && pos < query.size(); ++i) {
      char32_t c = core::DecodeUtf8(query, pos);
      // East Asian wide and full-width characters take two terminal columns.
      bool wide = (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
                  (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
                  (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
                  (c >= 0xFFE0 && c <= 0xFFE6) || c >= 0x20000;
      pad += wide ? "  " : " ";
    }
    std::cerr << "  " << query << "\n  " << pad << "^\n";
  }
  return Fail(config, status);
}

std::string Time(core::TimePoint t) { return core::FormatIso8601(t, 480); }

std::string_view State(const std::string& lang, bool enabled) {
  return Text(lang, enabled ? Msg::kRuleEnabledState : Msg::kRuleDisabledState);
}

int Fail(const core::Config& config, const Status& status) {
  std::cerr << fmt::format(fmt::runtime(Text(config.language, Msg::kError)), status.message())
            << "\n";
  return kExitFailure;
}

}  // namespace yuqing::cli
