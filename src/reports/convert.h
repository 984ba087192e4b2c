// Writing a report to a file in one of its formats: HTML as rendered; PDF printed from that
// HTML by headless Chromium (Debian `chromium`, fonts from `fonts-noto-cjk`); DOCX converted
// from the HTML by pandoc (Debian `pandoc`), with the charts as PNG images drawn by
// rsvg-convert (Debian `librsvg2-bin`) from the same SVG. The I/O edge of the reports module.
//
// Every write goes to a temporary file in the target's directory that is renamed over the
// target only when complete, so a failed render never leaves a half-written file. A missing
// tool or font is FailedPrecondition naming the Debian package to install. The programs run
// without a shell, with their own temporary directory, and are killed after a timeout.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "reports/document.h"
#include "reports/html.h"

namespace yuqing::reports {

enum class Format { kHtml, kPdf, kDocx };
std::optional<Format> ParseFormat(std::string_view name);  // "html", "pdf", "docx"
std::string_view FormatName(Format f);
std::string_view FormatMimeType(Format f);

struct ConvertOptions {
  std::string chromium = "chromium";  // names looked up on PATH, or paths
  std::string pandoc = "pandoc";
  std::string rsvg = "rsvg-convert";
  // The Word styles of DOCX reports (data/reports/reference.docx: Noto CJK fonts, zh-CN,
  // A4 with the GB/T 9704 margins); "" or a missing file: pandoc's own.
  std::string reference_docx;
  std::chrono::seconds timeout{120};
};

// Renders `report` in `format` and writes it to `path` (atomically).
Status WriteReport(const Report& report, const Template& tmpl, const RenderOptions& options,
                   Format format, const std::string& path, const ConvertOptions& convert = {});

// Renders `report` in `format` and returns the file's bytes (the API's response body).
Result<std::string> RenderReport(const Report& report, const Template& tmpl,
                                 const RenderOptions& options, Format format,
                                 const ConvertOptions& convert = {});

// FailedPrecondition naming the Debian package when a tool `format` needs is missing (for
// PDF also when fontconfig knows no Noto CJK font); OK for HTML.
Status CheckTools(Format format, const ConvertOptions& convert = {});

}  // namespace yuqing::reports
