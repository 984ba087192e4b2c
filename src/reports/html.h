// Rendering a Report into one HTML document: the office's template (a file with {{name}}
// placeholders, data/reports/default.html) around the report's sections, with the charts drawn
// here as inline SVG, so the HTML, the PDF printed from it and the DOCX made from it show the
// same picture. Pure: the same report, template and options give byte-identical HTML.
//
// Every text that came from users or posts is HTML-escaped; links are relative to
// options.base_url (/events/{id}, /cases/{id}, /api/v1/posts/{source}/{id}).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "reports/document.h"

namespace yuqing::reports {

// A parsed template: literal text and placeholders. Placeholders (docs/reports.md):
//   office, title, number, mark, issuer, reviewer, date, period, region, summary, kind,
//   generated_at, body, appendix, checkpoint.
class Template {
 public:
  // InvalidArgument `template "default.html" line 12: unknown placeholder {{signer}}; known: …`
  // for an unknown name, and for a "{{" that is never closed. `name` is used in messages.
  static Result<Template> Parse(std::string_view text, std::string_view name);
  // Reads and parses the file; NotFound when it cannot be read.
  static Result<Template> Load(const std::string& path);
  // The built-in default (the same as data/reports/default.html).
  static const Template& Default();

  struct Piece {
    bool placeholder = false;
    std::string text;  // literal text, or the placeholder's name
  };
  const std::vector<Piece>& pieces() const { return pieces_; }

 private:
  std::vector<Piece> pieces_;
};

// The known placeholder names.
const std::vector<std::string_view>& TemplatePlaceholders();

// What the office fills in around the report (its masthead and signature fields).
struct Masthead {
  std::string office = "舆情监测中心";  // 发文机关
  int year = 0;                         // 〔2026〕 (0: the year of generated_at)
  int number = 1;                       // 第1期
  std::string mark = "内部资料";        // 密级 / 内部资料 mark; "" none
  std::string issuer;                   // 签发
  std::string reviewer;                 // 审核
  std::string checkpoint;               // the signed audit checkpoint, printed in the footer
};

enum class ChartMode {
  kInlineSvg,  // <svg> inside the HTML (the HTML and PDF formats)
  kImages,     // <img src="chart-volume.png"> with the SVG returned beside (the DOCX format)
};

struct RenderOptions {
  Masthead masthead;
  std::string base_url;  // prefix of links ("" relative)
  ChartMode charts = ChartMode::kInlineSvg;
};

struct RenderedHtml {
  std::string html;
  // With ChartMode::kImages: (file name without extension, SVG text) per chart, in order.
  std::vector<std::pair<std::string, std::string>> charts;
};

// Renders the report. InvalidArgument only when the template names something it cannot fill
// (which Parse already refused).
Result<RenderedHtml> RenderHtml(const Report& report, const Template& tmpl,
                                const RenderOptions& options);

// The chart as a standalone SVG document (UTF-8, fonts Noto Sans CJK SC then sans-serif).
std::string ChartSvg(const Chart& chart);

// &, <, >, " and ' as entities.
std::string EscapeHtml(std::string_view s);

}  // namespace yuqing::reports
