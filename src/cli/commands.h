// cli owns the `yuqing` command: one Add…Command per subcommand, wired in main.cc. Commands
// compose the concrete store, tokenizer and server; nothing below cli/ and server/ names them.
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.h"
#include "core/status.h"
#include "core/time.h"

namespace yuqing::cli {

// Options every command shares: --config, --set, --db, --lang.
struct CommonOptions {
  std::string config_file;
  std::vector<std::string> overrides;
  std::string db_path;
  std::string lang;
};

void AddCommonOptions(CLI::App& cmd, CommonOptions& common);
// The effective configuration: defaults, then the file, then --set, then --db / --lang.
Result<core::Config> ResolveConfig(const CommonOptions& common);

void AddServeCommand(CLI::App& app);
void AddClockCommand(CLI::App& app);
void AddReplayCommand(CLI::App& app);
void AddIngestCommand(CLI::App& app);
void AddSearchCommand(CLI::App& app);
void AddTokensCommand(CLI::App& app);
void AddUsersCommand(CLI::App& app);
void AddOrgCommand(CLI::App& app);
void AddCasesCommand(CLI::App& app);
// `cases route` (org_cmd.cc), added by AddCasesCommand.
void AddCasesRouteCommand(CLI::App* cases);
void AddAuditCommand(CLI::App& app);
void AddReindexCommand(CLI::App& app);
void AddSegmentCommand(CLI::App& app);
void AddAnalyzeCommand(CLI::App& app);
void AddClusterCommand(CLI::App& app);
void AddRulesCommand(CLI::App& app);
void AddListsCommand(CLI::App& app);
void AddEventsCommand(CLI::App& app);
void AddPoliciesCommand(CLI::App& app);
void AddAlertsCommand(CLI::App& app);
void AddOutboxCommand(CLI::App& app);
void AddReportCommand(CLI::App& app);
// sources_cmd.cc: `sources …` and `collect SOURCE`.
void AddSourcesCommand(CLI::App& app);
void AddCollectCommand(CLI::App& app);

// Exit codes: 0 success, 1 failure, 2 usage error, 3 finished but some records were rejected.
inline constexpr int kExitFailure = 1;
inline constexpr int kExitRejected = 3;

// The process exit code a command's callback sets.
int& ExitCode();

// Prints "错误：…" / "error: …" to stderr and returns kExitFailure.
int Fail(const core::Config& config, const Status& status);

// A time as the commands print it: ISO 8601 in UTC+8.
std::string Time(core::TimePoint t);

// "启用" / "停用" (enabled / disabled) in the interface language, for rules and policies.
std::string_view State(const std::string& lang, bool enabled);

// For a message "column N: …" about `query`, prints the query and a caret under column N to
// stderr (wide CJK characters count two columns), then fails like Fail().
int FailAtColumn(const core::Config& config, std::string_view query, const Status& status);

}  // namespace yuqing::cli
