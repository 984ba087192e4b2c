// The HTML renderer and the SVG charts. Numbers are printed with fixed precision and every
// collection is walked in the report's order, so the output is byte-identical for the same
// report. The charts are plain SVG (lines, rectangles, text) that Chromium, librsvg and Word
// all draw the same way.
#include "reports/html.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

#include "core/time.h"
#include "reports/assemble.h"

namespace yuqing::reports {
namespace {

constexpr unsigned char kDefaultTemplate[] = {
#include "default_template.inc"
};

const std::vector<std::string_view> kPlaceholders = {
    "office", "title",   "number", "mark",         "issuer", "reviewer", "date",      "period",
    "region", "summary", "kind",   "generated_at", "body",   "appendix", "checkpoint"};

// Colours by series name, so 负面 is red everywhere.
std::string_view Colour(std::string_view series, size_t index) {
  if (series == "负面") return "#c0392b";
  if (series == "中性") return "#95a5a6";
  if (series == "正面") return "#27ae60";
  static constexpr std::string_view kPalette[] = {"#2c6fbb", "#e67e22", "#8e44ad", "#16a085"};
  return kPalette[index % 4];
}

// A round axis maximum ≥ v (1, 2 or 5 times a power of ten) and a number of grid steps that
// puts every grid line on a whole number: 10 in 5 steps, 20 in 4, 50 in 5; 1 and 2 in 1 and 2.
struct Axis {
  double top = 1;
  int steps = 1;
};
Axis NiceAxis(double v) {
  if (v <= 1) return {1, 1};
  if (v <= 2) return {2, 2};
  double p = std::pow(10.0, std::floor(std::log10(v)));
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    if (m * p >= v) {
      double top = m * p;
      if (top <= 5) return {top, static_cast<int>(top)};
      return {top, m == 2.0 ? 4 : 5};
    }
  }
  return {10 * p, 5};
}

std::string F1(double v) { return fmt::format("{:.1f}", v); }
std::string Count(double v) { return fmt::format("{}", static_cast<int64_t>(std::llround(v))); }

std::string SpansHtml(const std::vector<Span>& spans, const std::string& base_url) {
  std::string out;
  for (const Span& s : spans) {
    std::string inner = EscapeHtml(s.text);
    if (!s.figure.empty()) {
      inner = fmt::format("<b data-figure=\"{}\">{}</b>", EscapeHtml(s.figure), inner);
    } else if (s.strong) {
      inner.insert(0, "<b>");
      inner += "</b>";
    }
    if (!s.href.empty()) {
      inner =
          fmt::format("<a href=\"{}{}\">{}</a>", EscapeHtml(base_url), EscapeHtml(s.href), inner);
    }
    out += inner;
  }
  return out;
}

struct BlockWriter {
  const RenderOptions& options;
  RenderedHtml& out;
  std::string& html;

  void operator()(const Paragraph& p) {
    html += "<p>" + SpansHtml(p.spans, options.base_url) + "</p>\n";
  }
  void operator()(const Bullets& b) {
    html += "<ol>\n";
    for (const auto& item : b.items) html += "<li>" + SpansHtml(item, options.base_url) + "</li>\n";
    html += "</ol>\n";
  }
  void operator()(const Table& t) {
    html += "<table>\n";
    if (!t.caption.empty()) html += "<caption>" + EscapeHtml(t.caption) + "</caption>\n";
    html += "<thead><tr>";
    for (const auto& h : t.header) html += "<th>" + EscapeHtml(h) + "</th>";
    html += "</tr></thead>\n<tbody>\n";
    for (const auto& row : t.rows) {
      html += "<tr>";
      for (const auto& cell : row) html += "<td>" + SpansHtml({cell}, options.base_url) + "</td>";
      html += "</tr>\n";
    }
    html += "</tbody>\n</table>\n";
  }
  void operator()(const Chart& c) {
    std::string svg = ChartSvg(c);
    html += fmt::format("<figure id=\"chart-{}\" data-chart=\"{}\">\n", EscapeHtml(c.id),
                        EscapeHtml(c.id));
    if (options.charts == ChartMode::kImages) {
      std::string file = "chart-" + c.id;
      html +=
          fmt::format("<img src=\"{}.png\" alt=\"{}\">\n", EscapeHtml(file), EscapeHtml(c.title));
      out.charts.emplace_back(file, std::move(svg));
    } else {
      // Without the XML declaration: inline in HTML.
      size_t start = svg.find("<svg");
      html += svg.substr(start);
    }
    html += "<figcaption>图：" + EscapeHtml(c.title) + "</figcaption>\n</figure>\n";
  }
  void operator()(const Quotes& q) {
    for (const auto& p : q.quotes) {
      std::string where = fmt::format("{}·{}·{}", EscapeHtml(p.channel_zh), EscapeHtml(p.author),
                                      EscapeHtml(p.published));
      std::string link =
          fmt::format("<a href=\"{}/api/v1/posts/{}/{}\">{}/{}</a>", EscapeHtml(options.base_url),
                      EscapeHtml(p.source), EscapeHtml(p.external_id), EscapeHtml(p.source),
                      EscapeHtml(p.external_id));
      std::string event = p.event_id != 0
                              ? fmt::format("，<a href=\"{}/events/{}\">事件#{}</a>",
                                            EscapeHtml(options.base_url), p.event_id, p.event_id)
                              : "";
      html += fmt::format(
          "<blockquote data-post=\"{}/{}\">{}<div class=\"meta\">{}，互动{}次，原帖 {}{}</div>"
          "</blockquote>\n",
          EscapeHtml(p.source), EscapeHtml(p.external_id), EscapeHtml(p.text), where, p.engagement,
          link, event);
    }
  }
  void operator()(const NoData& n) {
    html += "<p class=\"nodata\" data-nodata=\"1\">" + EscapeHtml(n.text) + "</p>\n";
  }
};

std::string Appendix(const Report& r, const std::string& base) {
  const Sources& s = r.sources;
  std::string html = "<section class=\"appendix\">\n<h2>附录：数据来源</h2>\n";
  html += fmt::format(
      "<p>统计口径：{}至{}（{}），{}。数据来自本系统已处理的信息、事件、预警与工单；"
      "各数字与接口 /api/v1/stats 同期同地区的结果一致。</p>\n",
      EscapeHtml(core::FormatIso8601(r.from, r.tz_minutes)),
      EscapeHtml(core::FormatIso8601(r.to, r.tz_minutes)), EscapeHtml(r.time_zone),
      r.region.empty() ? std::string("全部地区")
                       : EscapeHtml(fmt::format("地区代码前缀 {}", r.region)));
  auto ids = [&](const char* label, const std::vector<int64_t>& v, const char* path) {
    if (v.empty()) return;
    html += fmt::format("<p>{}：", label);
    for (size_t i = 0; i < v.size(); ++i) {
      if (path[0] != '\0') {
        html += fmt::format("{}<a href=\"{}{}{}\">{}</a>", i ? "、" : "", EscapeHtml(base), path,
                            v[i], v[i]);
      } else {
        html += fmt::format("{}{}", i ? "、" : "", v[i]);
      }
    }
    html += "</p>\n";
  };
  ids("事件", s.events, "/events/");
  ids("工单", s.cases, "/cases/");
  ids("预警", s.alerts, "");
  if (!s.posts.empty()) {
    html += "<p>引用信息（来源/编号）：";
    for (size_t i = 0; i < s.posts.size(); ++i) {
      html += fmt::format("{}<a href=\"{}/api/v1/posts/{}\">{}</a>", i ? "、" : "",
                          EscapeHtml(base), EscapeHtml(s.posts[i]), EscapeHtml(s.posts[i]));
    }
    html += "</p>\n";
  }
  if (s.events.empty() && s.cases.empty() && s.alerts.empty() && s.posts.empty()) {
    html += "<p>本报告未引用具体事件、工单或信息。</p>\n";
  }
  html += "</section>\n";
  return html;
}

std::string NumberText(const Report& r, const Masthead& m) {
  int year = m.year;
  if (year == 0) year = std::stoi(core::FormatIso8601(r.generated_at, r.tz_minutes).substr(0, 4));
  return fmt::format("〔{}〕第{}期", year, m.number);
}

}  // namespace

std::string EscapeHtml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const std::vector<std::string_view>& TemplatePlaceholders() { return kPlaceholders; }

Result<Template> Template::Parse(std::string_view text, std::string_view name) {
  Template t;
  size_t pos = 0;
  auto line_of = [&](size_t at) {
    return 1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n');
  };
  while (pos < text.size()) {
    size_t open = text.find("{{", pos);
    if (open == std::string_view::npos) {
      t.pieces_.push_back({false, std::string(text.substr(pos))});
      break;
    }
    if (open > pos) t.pieces_.push_back({false, std::string(text.substr(pos, open - pos))});
    size_t close = text.find("}}", open + 2);
    if (close == std::string_view::npos) {
      return Status::InvalidArgument(fmt::format(
          "template \"{}\" line {}: \"{{{{\" is never closed with \"}}}}\"", name, line_of(open)));
    }
    std::string key(text.substr(open + 2, close - open - 2));
    key.erase(0, key.find_first_not_of(' '));
    key.erase(key.find_last_not_of(' ') + 1);
    if (std::find(kPlaceholders.begin(), kPlaceholders.end(), key) == kPlaceholders.end()) {
      std::string known;
      for (auto k : kPlaceholders) known += (known.empty() ? "" : ", ") + std::string(k);
      return Status::InvalidArgument(
          fmt::format("template \"{}\" line {}: unknown placeholder {{{{{}}}}}; known: {}", name,
                      line_of(open), key, known));
    }
    t.pieces_.push_back({true, key});
    pos = close + 2;
  }
  return t;
}

Result<Template> Template::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::NotFound(fmt::format("cannot read the report template \"{}\"", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return Parse(ss.str(), path);
}

const Template& Template::Default() {
  static const Template t = [] {
    auto parsed = Parse(
        std::string_view(reinterpret_cast<const char*>(kDefaultTemplate), sizeof(kDefaultTemplate)),
        "default.html");
    YQ_CHECK(parsed.ok());
    return std::move(parsed).value();
  }();
  return t;
}

std::string ChartSvg(const Chart& c) {
  constexpr double W = 640, H = 260, L = 52, R = 16, T = 34, B = 40;
  const double pw = W - L - R, ph = H - T - B;
  const size_t n = c.labels.size();
  std::string s = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" font-family=\"Noto Sans CJK SC, Noto Sans CJK, sans-serif\" "
      "font-size=\"11\" role=\"img\">\n<title>{2}</title>\n"
      "<rect x=\"0\" y=\"0\" width=\"{0}\" height=\"{1}\" fill=\"#ffffff\"/>\n",
      W, H, EscapeHtml(c.title));
  // The maximum: of one bar per label (stacked: the sum of the layers).
  double max = 0;
  for (size_t i = 0; i < n; ++i) {
    double stack = 0;
    for (const auto& ser : c.series) {
      double v = i < ser.values.size() ? ser.values[i] : 0;
      if (c.kind == ChartKind::kStacked) {
        stack += v;
      } else {
        max = std::max(max, v);
      }
    }
    max = std::max(max, stack);
  }
  const Axis axis = NiceAxis(max);
  const double top = axis.top;
  // The grid: one line per step with its value.
  for (int k = 0; k <= axis.steps; ++k) {
    double y = T + ph - ph * k / axis.steps;
    s += fmt::format(
        "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#dddddd\" stroke-width=\"1\"/>\n"
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" fill=\"#444444\">{}</text>\n",
        F1(L), F1(y), F1(L + pw), F1(y), F1(L - 6), F1(y + 4), Count(top * k / axis.steps));
  }
  s += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#444444\">{}</text>\n", F1(L - 40), F1(T - 12),
                   EscapeHtml(c.unit));
  // Legend.
  double lx = L + 30;
  for (size_t k = 0; k < c.series.size(); ++k) {
    s += fmt::format(
        "<rect x=\"{}\" y=\"{}\" width=\"12\" height=\"10\" fill=\"{}\"/>"
        "<text x=\"{}\" y=\"{}\" fill=\"#222222\">{}</text>\n",
        F1(lx), F1(T - 22), Colour(c.series[k].name, k), F1(lx + 16), F1(T - 13),
        EscapeHtml(c.series[k].name));
    lx += 28 + 12.0 * static_cast<double>(c.series[k].name.size()) / 3 * 1.6;
  }
  if (n == 0) {
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">无数据</text>\n", F1(W / 2),
                     F1(T + ph / 2));
    s += "</svg>\n";
    return s;
  }
  // Label every `step`-th bucket so that at most 12 labels show.
  const size_t step = (n + 11) / 12;
  const double slot = pw / static_cast<double>(n);
  for (size_t i = 0; i < n; i += step) {
    double x = L + slot * (static_cast<double>(i) + 0.5);
    s += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#444444\">{}</text>\n",
                     F1(x), F1(T + ph + 16), EscapeHtml(c.labels[i]));
  }
  auto y_of = [&](double v) { return T + ph - ph * v / top; };
  if (c.kind == ChartKind::kLine) {
    for (size_t k = 0; k < c.series.size(); ++k) {
      std::string points;
      for (size_t i = 0; i < n; ++i) {
        double v = i < c.series[k].values.size() ? c.series[k].values[i] : 0;
        points += fmt::format("{}{},{}", i ? " " : "",
                              F1(L + slot * (static_cast<double>(i) + 0.5)), F1(y_of(v)));
      }
      s += fmt::format(
          "<polyline fill=\"none\" stroke=\"{}\" stroke-width=\"2\" points=\"{}\"><title>{}</title>"
          "</polyline>\n",
          Colour(c.series[k].name, k), points, EscapeHtml(c.series[k].name));
    }
  } else {
    const double bw = std::max(1.0, slot * 0.7);
    for (size_t i = 0; i < n; ++i) {
      double x = L + slot * static_cast<double>(i) + (slot - bw) / 2;
      double base = 0;
      size_t layers =
          c.kind == ChartKind::kBar ? std::min<size_t>(1, c.series.size()) : c.series.size();
      for (size_t k = 0; k < layers; ++k) {
        double v = i < c.series[k].values.size() ? c.series[k].values[i] : 0;
        if (v <= 0) continue;
        double y0 = y_of(base), y1 = y_of(base + v);
        s += fmt::format(
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"><title>{} {}：{}"
            "</title></rect>\n",
            F1(x), F1(y1), F1(bw), F1(y0 - y1), Colour(c.series[k].name, k),
            EscapeHtml(c.labels[i]), EscapeHtml(c.series[k].name), Count(v));
        base += v;
      }
      if (c.kind == ChartKind::kBar && base > 0) {
        s += fmt::format(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#222222\">{}</text>\n",
            F1(x + bw / 2), F1(y_of(base) - 4), Count(base));
      }
    }
  }
  s += fmt::format("<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"#444444\"/>\n", F1(L),
                   F1(T + ph), F1(L + pw), F1(T + ph));
  s += "</svg>\n";
  return s;
}

Result<RenderedHtml> RenderHtml(const Report& report, const Template& tmpl,
                                const RenderOptions& options) {
  RenderedHtml out;
  std::string body;
  if (report.no_data) {
    body += "<p class=\"nodata\" data-nodata=\"report\">本期无数据。</p>\n";
  }
  for (const auto& section : report.sections) {
    body += "<section>\n<h2>" + EscapeHtml(section.heading) + "</h2>\n";
    BlockWriter writer{options, out, body};
    for (const auto& block : section.blocks) std::visit(writer, block);
    body += "</section>\n";
  }
  const Masthead& m = options.masthead;
  std::string html;
  for (const auto& piece : tmpl.pieces()) {
    if (!piece.placeholder) {
      html += piece.text;
      continue;
    }
    const std::string& k = piece.text;
    if (k == "office") {
      html += EscapeHtml(m.office);
    } else if (k == "title") {
      html += EscapeHtml(report.title);
    } else if (k == "number") {
      html += EscapeHtml(NumberText(report, m));
    } else if (k == "mark") {
      html += EscapeHtml(m.mark);
    } else if (k == "issuer") {
      html += EscapeHtml(m.issuer);
    } else if (k == "reviewer") {
      html += EscapeHtml(m.reviewer);
    } else if (k == "date") {
      html += EscapeHtml(FormatDateZh(report.generated_at, report.tz_minutes));
    } else if (k == "period") {
      html += EscapeHtml(report.period);
    } else if (k == "region") {
      html += EscapeHtml(report.region_name);
    } else if (k == "summary") {
      html += EscapeHtml(report.summary);
    } else if (k == "kind") {
      html += EscapeHtml(KindName(report.kind));
    } else if (k == "generated_at") {
      html += EscapeHtml(core::FormatIso8601(report.generated_at, report.tz_minutes));
    } else if (k == "body") {
      html += body;
    } else if (k == "appendix") {
      html += Appendix(report, options.base_url);
    } else if (k == "checkpoint") {
      html += EscapeHtml(m.checkpoint);
    } else {
      return Status::InvalidArgument(fmt::format("unknown placeholder {{{{{}}}}}", k));
    }
  }
  out.html = std::move(html);
  return out;
}

}  // namespace yuqing::reports
