// yuqing: public-opinion monitoring, judgment and response. `yuqing --help` lists commands.
#include <CLI/CLI.hpp>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"yuqing — 舆情监测、研判与回应 / public-opinion monitoring, judgment and response"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "yuqing 0.1.0");
  yuqing::cli::AddServeCommand(app);
  yuqing::cli::AddIngestCommand(app);
  yuqing::cli::AddReplayCommand(app);
  yuqing::cli::AddClockCommand(app);
  yuqing::cli::AddSearchCommand(app);
  yuqing::cli::AddUsersCommand(app);
  yuqing::cli::AddTokensCommand(app);
  yuqing::cli::AddOrgCommand(app);
  yuqing::cli::AddCasesCommand(app);
  yuqing::cli::AddAuditCommand(app);
  yuqing::cli::AddReindexCommand(app);
  yuqing::cli::AddSegmentCommand(app);
  yuqing::cli::AddAnalyzeCommand(app);
  yuqing::cli::AddClusterCommand(app);
  yuqing::cli::AddRulesCommand(app);
  yuqing::cli::AddListsCommand(app);
  yuqing::cli::AddEventsCommand(app);
  yuqing::cli::AddPoliciesCommand(app);
  yuqing::cli::AddAlertsCommand(app);
  yuqing::cli::AddOutboxCommand(app);
  yuqing::cli::AddReportCommand(app);
  yuqing::cli::AddSourcesCommand(app);
  yuqing::cli::AddCollectCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return yuqing::cli::ExitCode();
}
