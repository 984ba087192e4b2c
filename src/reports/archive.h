// The report archive at work (docs/reports.md "Archive and submission"): generates a report,
// renders it in the configured formats, keeps it with its files in the store, and queues its
// deliveries in the alert outbox (email with the PDF and DOCX attached, webhooks and robots
// with a link); submits a report upward to the superior level's office with a receipt link,
// and runs the schedule (schedule.h) on the injected clock. This is the reports module's I/O
// edge beside convert.h: the assembly stays pure (assemble.h).
//
// One Archiver per process generates one report at a time (numbers are given in order).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "alerts/format.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/report.h"
#include "org/region_tree.h"
#include "reports/convert.h"
#include "reports/html.h"
#include "reports/request.h"
#include "reports/schedule.h"
#include "store/store.h"

namespace yuqing::reports {

// Who receives a report: a target, for these kinds ("" all).
struct DeliveryTarget {
  model::AlertTarget target;
  std::vector<Kind> kinds;  // empty: every kind
};

// The superior level's office that reports are submitted to (集中报送).
struct Superior {
  std::string department;  // its department id in the organisation, if it is in it
  std::string name;        // as shown: 山西省委网信办
  std::vector<model::AlertTarget> targets;
  std::vector<Kind> automatic;  // kinds submitted as soon as the schedule makes them
};

struct ArchiveOptions {
  std::vector<Format> formats = {Format::kHtml, Format::kPdf, Format::kDocx};
  Template tmpl = Template::Default();
  Masthead masthead;  // office and mark; year and number are set per report
  ConvertOptions convert;
  std::string base_url;  // "http://127.0.0.1:8080": links in messages
  std::vector<DeliveryTarget> deliver;
  std::optional<Superior> superior;
  std::string language = "zh";
  std::string time_zone = "Asia/Shanghai";
  Schedule schedule;
};

// The options from the reports.* keys. InvalidArgument names the key that is wrong.
Result<ArchiveOptions> ArchiveOptionsFromConfig(const core::Config& config);

// The submission state shown: "received", else from its delivery — "sent" when an outbox item
// was delivered, "failed" when all are dead, "queued" otherwise.
std::string SubmissionState(const model::ReportSubmission& s,
                            const std::vector<model::OutboxItem>& items);

// The files an email delivering or submitting a report carries (its PDF and DOCX, as the
// delivery asks): for DelivererOptions::attachments. None for other alerts.
Result<std::vector<alerts::Attachment>> EmailAttachments(store::ReportStore& store,
                                                         const model::Alert& alert);

class Archiver {
 public:
  Archiver(store::Store& store, std::shared_ptr<const org::RegionTree> regions,
           ArchiveOptions options);

  struct Actor {
    std::string name = "system";
    int64_t id = 0;
  };
  // Makes the report `request` asks for and archives it with every configured format that
  // renders (a format that fails is recorded with why; HTML always renders), queues its
  // deliveries, and submits it upward when `trigger` is not "manual" and its kind is
  // automatic. AlreadyExists when `dedup_key` is archived.
  Result<model::ArchivedReport> Generate(const ReportRequest& request, const std::string& trigger,
                                         const std::string& dedup_key, const Actor& actor);
  // Submits an archived report upward. FailedPrecondition when no superior is configured;
  // NotFound for an unknown report.
  Result<model::ReportSubmission> Submit(int64_t report_id, const Actor& actor,
                                         core::TimePoint now);
  // Confirms a submission from its receipt token. NotFound for a token that names none.
  Result<model::ReportSubmission> ReceiveByToken(const std::string& token, const std::string& note,
                                                 core::TimePoint now);

  struct SweepResult {
    int generated = 0;
    std::vector<std::string> errors;  // "daily:2026-11-17:: …", the reports that failed
  };
  // Generates what the schedule owes in (after, now] and the flash reports of events graded
  // I/II (looking at events seen since `after` minus a day).
  SweepResult Sweep(core::TimePoint after, core::TimePoint now);

  const ArchiveOptions& options() const { return options_; }
  void SetRegions(std::shared_ptr<const org::RegionTree> regions) {
    std::lock_guard<std::mutex> lock(mu_);
    regions_ = std::move(regions);
  }

 private:
  Result<model::ReportSubmission> SubmitLocked(const model::ArchivedReport& report,
                                               const Actor& actor, core::TimePoint now);

  store::Store& store_;
  std::shared_ptr<const org::RegionTree> regions_;
  ArchiveOptions options_;
  std::mutex mu_;
};

}  // namespace yuqing::reports
