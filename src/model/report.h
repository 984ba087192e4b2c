// Reports kept in the archive (docs/reports.md "Archive and submission"): a generated report
// with its rendered files, and its submissions upward to the superior level's office
// (集中报送), each sent through the alert outbox and confirmed as received (签收).
// Plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"

namespace yuqing::model {

// One rendered format of an archived report.
struct ReportFile {
  std::string format;  // "html", "pdf", "docx"
  std::string bytes;   // empty in listings (see ReportFileInfo)
};

struct ReportFileInfo {
  std::string format;
  int64_t size = 0;
  std::string sha256;  // hex, of the bytes
};

struct ArchivedReport {
  int64_t id = 0;                 // assigned by the store
  std::string kind;               // reports::KindName: "daily", "flash", …
  std::string title;              // "舆情日报 2026年11月17日"
  std::string summary;            // the report's one-line summary
  core::TimePoint period_from{};  // the period (flash, event: the event's span)
  core::TimePoint period_to{};
  int64_t event_id = 0;  // flash, event
  int64_t case_id = 0;   // evaluation
  std::string region;    // the GB/T 2260 prefix it covers; "" all
  int year = 0;          // of the number 〔2026〕第12期
  int number = 0;        // per kind and year, from 1
  std::string trigger;   // "schedule", "grade", "manual"
  // Unique when not empty: what makes the schedule idempotent ("daily:2026-11-17:",
  // "flash:42:1" for event 42 at grade I).
  std::string dedup_key;
  core::TimePoint created_at{};
  std::string created_by;  // user name, or "system"
  std::vector<ReportFileInfo> files;
  // Formats that failed to render, with why (a missing Chromium, …); the others are kept.
  std::vector<std::pair<std::string, std::string>> errors;
};

// A submission of a report upward. Its delivery is the outbox item(s) of `alert_id`; the
// state shown ("queued", "sent", "failed") is read from them, "received" from received_at.
struct ReportSubmission {
  int64_t id = 0;
  int64_t report_id = 0;
  std::string to;       // the recipient office's department id ("" when configured by name only)
  std::string to_name;  // its name as shown
  core::TimePoint queued_at{};
  int64_t alert_id = 0;
  std::string token_sha256;  // of the receipt token in the message (hex); never shown
  std::optional<core::TimePoint> received_at;
  std::string received_by;  // a user name, or "receipt link"
  std::string received_note;
};

}  // namespace yuqing::model
