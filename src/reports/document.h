// reports owns the documents offices submit upwards (集中报送, docs/reports.md): the daily,
// weekly and monthly summaries, the flash report, the special report on one event, the
// evaluation of a case and the assessment notice. A report is built in three steps:
//   gather.h    reads the stored facts through the narrow store interfaces (I/O);
//   assemble.h  turns facts into a Report, the value below (pure);
//   html.h      renders a Report into HTML with a template and server-drawn SVG charts (pure);
//   convert.h   prints that HTML to PDF (chromium) or converts it to DOCX (pandoc) (I/O).
//
// A Report is a plain value; every figure and quoted post in it keeps the ids it came from, so
// the rendered document links back to /events/{id}, /cases/{id} and posts by source and id,
// and lists every id in its appendix.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/clock.h"

namespace yuqing::reports {

enum class Kind {
  kDaily,       // 舆情日报
  kWeekly,      // 舆情周报
  kMonthly,     // 舆情月报
  kFlash,       // 舆情快报 (grade I/II event)
  kEvent,       // 舆情专报 (one event)
  kEvaluation,  // 评估报告 (one case)
  kAssessment,  // 考核通报 (a period)
};
inline constexpr int kKindCount = 7;
// "daily", "weekly", "monthly", "flash", "event", "evaluation", "assessment".
std::string_view KindName(Kind k);
// 舆情日报, 舆情周报, 舆情月报, 舆情快报, 舆情专报, 舆情应对评估报告, 舆情回应工作考核通报.
std::string_view KindTitleZh(Kind k);
std::optional<Kind> ParseKind(std::string_view name);

// A run of text, optionally a link and/or a traced figure. `figure` names the number for
// machines ("posts.total", "channel.weibo"): the HTML carries it as data-figure, so a test (or
// an auditor) can find every number and compare it with the API.
struct Span {
  std::string text;
  std::string href;    // "" no link
  std::string figure;  // "" not a figure
  bool strong = false;
};
Span Text(std::string text);
Span Figure(std::string figure, std::string text);
Span LinkTo(std::string href, std::string text);

struct Paragraph {
  std::vector<Span> spans;
};

struct Bullets {
  std::vector<std::vector<Span>> items;
};

struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<Span>> rows;  // one Span per cell
  std::string caption;
};

enum class ChartKind {
  kLine,     // one line per series over the labels (volume per hour or day)
  kBar,      // one bar per label of the first series (posts by channel)
  kStacked,  // stacked bars per label, one layer per series (sentiment)
};
struct ChartSeries {
  std::string name;
  std::vector<double> values;  // one per label
};
struct Chart {
  ChartKind kind = ChartKind::kLine;
  std::string id;  // unique within the report: "volume", "channels", "sentiment"
  std::string title;
  std::vector<std::string> labels;
  std::vector<ChartSeries> series;
  std::string unit;  // "条"
};

// A quoted post: who, where, when, what, and how to find it again.
struct Quote {
  std::string source;
  std::string external_id;
  std::string url;  // the post's own address ("" when unknown)
  std::string author;
  std::string channel_zh;
  std::string published;  // in the report's zone
  std::string text;       // cut to a readable length by the assembly
  int64_t engagement = 0;
  int64_t event_id = 0;  // 0 when it belongs to no event
};
struct Quotes {
  std::vector<Quote> quotes;
};

// "本期无数据": said instead of an empty table or chart.
struct NoData {
  std::string text;
};

using Block = std::variant<Paragraph, Bullets, Table, Chart, Quotes, NoData>;

struct Section {
  std::string heading;
  std::vector<Block> blocks;
};

// What the report was made from: every id its figures and quotes trace back to.
struct Sources {
  std::vector<int64_t> events;
  std::vector<int64_t> cases;
  std::vector<int64_t> alerts;
  std::vector<std::string> posts;  // "source/external_id"
};

struct Report {
  Kind kind = Kind::kDaily;
  std::string title;   // 舆情日报
  std::string period;  // 2026年12月2日 / 2026年11月23日至11月29日 / the event's title
  std::string region;  // the region prefix reported on ("" the whole store)
  std::string region_name;
  core::TimePoint from{};  // the period reported on (the event's span for event kinds)
  core::TimePoint to{};
  core::TimePoint generated_at{};  // the injected clock's now
  std::string time_zone = "+08:00";
  int tz_minutes = 480;
  bool no_data = false;  // nothing was stored for the period: the report says so
  std::string summary;   // one line, for the head of the document and messages
  std::vector<Section> sections;
  Sources sources;
};

}  // namespace yuqing::reports
