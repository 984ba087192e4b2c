// `yuqing report daily|weekly|monthly|flash|event|evaluation|assessment`: a report upward
// (docs/reports.md) written to a file as HTML, PDF or DOCX. Read-only on the database.
#include <fmt/format.h>

#include <filesystem>
#include <iostream>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "reports/convert.h"
#include "reports/request.h"

namespace yuqing::cli {
namespace {

struct ReportArgs {
  CommonOptions common;
  std::string date;
  std::string from;
  std::string to;
  int64_t event_id = 0;
  int64_t case_id = 0;
  std::string region;
  std::string format = "html";
  std::string output;
  std::string template_file;
  std::string office;
  int number = 1;
  std::string issuer;
  std::string reviewer;
  std::string mark;
  bool no_mark = false;
  std::string base_url;
  std::string now;
};

int RunReport(reports::Kind kind, const ReportArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  auto format = reports::ParseFormat(args.format);
  if (!format) {
    return Fail(*config, Status::InvalidArgument(
                             fmt::format("--format \"{}\" is not html, pdf or docx", args.format)));
  }
  if (args.region.size() > 6 || args.region.find_first_not_of("0123456789") != std::string::npos) {
    return Fail(*config, Status::InvalidArgument(fmt::format(
                             "--region \"{}\" is not a GB/T 2260 code prefix (up to 6 digits)",
                             args.region)));
  }
  // The template before the database, so a bad template fails fast.
  std::string template_path =
      !args.template_file.empty() ? args.template_file : config->reports_template;
  reports::Template tmpl = reports::Template::Default();
  if (!template_path.empty()) {
    auto loaded = reports::Template::Load(template_path);
    if (!loaded.ok()) return Fail(*config, loaded.status());
    tmpl = std::move(*loaded);
  }
  if (Status tools = reports::CheckTools(*format); !tools.ok()) return Fail(*config, tools);
  auto rt = OpenRuntime(*config, /*check_index=*/false);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;
  core::TimePoint now = (*rt)->clock.Now();
  if (!args.now.empty()) {
    auto t = core::ParseIso8601(args.now);
    if (!t.ok()) return Fail(*config, t.status().WithContext("--now"));
    now = *t;
  }
  reports::ReportRequest req;
  req.kind = kind;
  req.date = args.date;
  req.from = args.from;
  req.to = args.to;
  req.event_id = args.event_id;
  req.case_id = args.case_id;
  req.region = args.region;
  req.time_zone = config->reports_time_zone;
  req.now = now;
  reports::StoreRefs refs{store, store, store, store, (*rt)->region_tree.get()};
  auto report = reports::MakeReport(refs, req);
  if (!report.ok()) return Fail(*config, report.status());
  reports::RenderOptions options;
  options.masthead.office = !args.office.empty() ? args.office : config->reports_office;
  options.masthead.number = args.number;
  options.masthead.issuer = args.issuer;
  options.masthead.reviewer = args.reviewer;
  options.masthead.mark =
      args.no_mark ? "" : (!args.mark.empty() ? args.mark : config->reports_mark);
  options.base_url = args.base_url;
  auto checkpoint = reports::CheckpointLine(store, now);
  if (checkpoint.ok()) options.masthead.checkpoint = *checkpoint;
  if (args.output == "-") {
    if (*format != reports::Format::kHtml) {
      return Fail(*config, Status::InvalidArgument("-o - (standard output) is for --format html"));
    }
    auto bytes = reports::RenderReport(*report, tmpl, options, *format);
    if (!bytes.ok()) return Fail(*config, bytes.status());
    std::cout << *bytes;
    return 0;
  }
  reports::ConvertOptions convert;
  convert.reference_docx = !config->reports_reference_docx.empty()
                               ? config->reports_reference_docx
                               : (*rt)->data_dir + "/reports/reference.docx";
  Status written = reports::WriteReport(*report, tmpl, options, *format, args.output, convert);
  if (!written.ok()) return Fail(*config, written);
  std::error_code ec;
  auto size = std::filesystem::file_size(args.output, ec);
  std::cerr << fmt::format(fmt::runtime(Text(config->language, Msg::kReportWritten)), report->title,
                           args.output, report->summary, ec ? 0 : size)
            << "\n";
  return 0;
}

}  // namespace

void AddReportCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("report",
                                 "reports upward: daily, weekly, monthly, flash, "
                                 "special, evaluation, assessment (集中报送)");
  cmd->require_subcommand(1);
  struct Sub {
    reports::Kind kind;
    const char* help;
  };
  for (Sub s : {Sub{reports::Kind::kDaily, "舆情日报: one day (--date, default today)"},
                Sub{reports::Kind::kWeekly, "舆情周报: the week (Monday to Sunday) of --date"},
                Sub{reports::Kind::kMonthly, "舆情月报: the month of --date"},
                Sub{reports::Kind::kFlash, "舆情快报: a grade I/II event (--event)"},
                Sub{reports::Kind::kEvent, "舆情专报: one event (--event)"},
                Sub{reports::Kind::kEvaluation, "评估报告: one case (--case)"},
                Sub{reports::Kind::kAssessment, "考核通报: the month of --date, or --from/--to"}}) {
    auto args = std::make_shared<ReportArgs>();
    reports::Kind kind = s.kind;
    auto* sub = cmd->add_subcommand(std::string(reports::KindName(kind)), s.help);
    AddCommonOptions(*sub, args->common);
    if (kind == reports::Kind::kFlash || kind == reports::Kind::kEvent) {
      sub->add_option("--event", args->event_id, "event id")->required();
    } else if (kind == reports::Kind::kEvaluation) {
      sub->add_option("--case", args->case_id, "case id")->required();
    } else {
      sub->add_option("--date", args->date, "a day of the period (YYYY-MM-DD; default today)");
      sub->add_option("--from", args->from, "period start (YYYY-MM-DD or ISO-8601)");
      sub->add_option("--to", args->to, "period end, exclusive (YYYY-MM-DD or ISO-8601)");
      sub->add_option("--region", args->region, "GB/T 2260 code prefix (default: everything)");
    }
    sub->add_option("--format", args->format, "html, pdf or docx (default html)");
    sub->add_option("-o,--output", args->output, "the file to write (- for HTML on stdout)")
        ->required();
    sub->add_option("--template", args->template_file,
                    "template file (default reports.template, else the built-in)");
    sub->add_option("--office", args->office, "the office in the masthead (reports.office)");
    sub->add_option("--number", args->number, "the issue number: 〔year〕第N期 (default 1)");
    sub->add_option("--issuer", args->issuer, "签发: who signs it off");
    sub->add_option("--reviewer", args->reviewer, "审核: who reviewed it");
    sub->add_option("--mark", args->mark, "confidentiality mark (reports.mark)");
    sub->add_flag("--no-mark", args->no_mark, "print no confidentiality mark");
    sub->add_option("--base-url", args->base_url,
                    "prefix of the links to events, cases and posts (e.g. https://yq.example)");
    sub->add_option("--now", args->now, "generate as of this time (ISO-8601; replays and tests)");
    sub->final_callback([kind, args] { ExitCode() = RunReport(kind, *args); });
  }
}

}  // namespace yuqing::cli
