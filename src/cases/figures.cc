#include "cases/figures.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <tuple>

#include "cases/deadlines.h"

namespace yuqing::cases {
namespace {

std::optional<double> Value(const model::StatedFigures& f, Figure which) {
  switch (which) {
    case Figure::kDeaths:
      return f.deaths ? std::optional<double>(static_cast<double>(*f.deaths)) : std::nullopt;
    case Figure::kInjured:
      return f.injured ? std::optional<double>(static_cast<double>(*f.injured)) : std::nullopt;
    case Figure::kMissing:
      return f.missing ? std::optional<double>(static_cast<double>(*f.missing)) : std::nullopt;
    case Figure::kLossYuan:
      return f.loss_yuan;
  }
  return std::nullopt;
}

bool Agree(Figure f, double a, double b, const FigureOptions& o) {
  if (f != Figure::kLossYuan) return a == b;
  return std::fabs(a - b) <= o.loss_relative_tolerance * std::max(std::fabs(a), std::fabs(b));
}

std::string FormatValue(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{:.0f}", v);
  return fmt::format("{:.2f}", v);
}

std::string HoursText(std::chrono::milliseconds d) {
  return fmt::format("{:.1f}", static_cast<double>(d.count()) / 3'600'000.0);
}

}  // namespace

std::string_view FigureName(Figure f) {
  switch (f) {
    case Figure::kDeaths:
      return "deaths";
    case Figure::kInjured:
      return "injured";
    case Figure::kMissing:
      return "missing";
    case Figure::kLossYuan:
      return "loss_yuan";
  }
  return "deaths";
}

std::string_view FigureNameZh(Figure f) {
  switch (f) {
    case Figure::kDeaths:
      return "死亡人数";
    case Figure::kInjured:
      return "受伤人数";
    case Figure::kMissing:
      return "失踪人数";
    case Figure::kLossYuan:
      return "经济损失（元）";
  }
  return "死亡人数";
}

FigureReport CompareFigures(const model::Case& c, const FigureOptions& options) {
  FigureReport report;
  const std::string_view zone = c.policy.time_zone;
  for (int fi = 0; fi < kFigureCount; ++fi) {
    const Figure f = static_cast<Figure>(fi);
    std::vector<FigureStatement> st;
    for (const auto& r : c.responses) {
      if (r.status != model::ResponseStatus::kPublished || !r.published_at) continue;
      if (auto v = Value(r.figures, f)) st.push_back({r.id, r.department_id, *r.published_at, *v});
    }
    std::stable_sort(st.begin(), st.end(), [](const FigureStatement& a, const FigureStatement& b) {
      return std::tie(a.published_at, a.response_id) < std::tie(b.published_at, b.response_id);
    });
    // Index of each department's last statement overall: is a statement still its word?
    auto is_last_of_dept = [&](size_t i) {
      for (size_t k = i + 1; k < st.size(); ++k) {
        if (st[k].department_id == st[i].department_id) return false;
      }
      return true;
    };
    auto describe = [&](const FigureStatement& s, bool zh) {
      return zh ? fmt::format("{}称{}（第{}号回应，{}）", s.department_id, FormatValue(s.value),
                              s.response_id, FormatInZone(s.published_at, zone))
                : fmt::format("{} said {} (response #{}, {})", s.department_id,
                              FormatValue(s.value), s.response_id,
                              FormatInZone(s.published_at, zone));
    };

    std::set<std::tuple<std::string, std::string, double, double>> seen;
    for (size_t j = 0; j < st.size(); ++j) {
      const FigureStatement& later = st[j];
      // Revision: the same department's previous statement of this figure, another value.
      for (size_t i = j; i-- > 0;) {
        if (st[i].department_id != later.department_id) continue;
        if (!Agree(f, st[i].value, later.value, options)) {
          FigureRevision rev{f, st[i], later, "", ""};
          rev.en = fmt::format(
              "{}: {} revised its figure from {} (response #{}) to {} "
              "(response #{})",
              FigureName(f), later.department_id, FormatValue(st[i].value), st[i].response_id,
              FormatValue(later.value), later.response_id);
          rev.zh = fmt::format("{}：{}将本单位数字由{}（第{}号回应）更正为{}（第{}号回应）",
                               FigureNameZh(f), later.department_id, FormatValue(st[i].value),
                               st[i].response_id, FormatValue(later.value), later.response_id);
          report.revisions.push_back(std::move(rev));
        }
        break;
      }
      // Contradiction: another department's statement that was still its latest word when
      // this one was made, within the window, with another value.
      for (size_t i = 0; i < j; ++i) {
        const FigureStatement& earlier = st[i];
        if (earlier.department_id == later.department_id) continue;
        if (later.published_at - earlier.published_at > options.window) continue;
        bool superseded = false;
        for (size_t k = i + 1; k < j && !superseded; ++k) {
          superseded = st[k].department_id == earlier.department_id;
        }
        if (superseded || Agree(f, earlier.value, later.value, options)) continue;
        const bool ordered = earlier.department_id < later.department_id;
        const auto key = ordered ? std::make_tuple(earlier.department_id, later.department_id,
                                                   earlier.value, later.value)
                                 : std::make_tuple(later.department_id, earlier.department_id,
                                                   later.value, earlier.value);
        if (!seen.insert(key).second) continue;
        FigureContradiction x;
        x.figure = f;
        x.earlier = earlier;
        x.later = later;
        x.standing = is_last_of_dept(i) && is_last_of_dept(j);
        const std::string apart = HoursText(later.published_at - earlier.published_at);
        x.en = fmt::format("{}: {} and {}, {} h apart{}", FigureName(f), describe(earlier, false),
                           describe(later, false), apart,
                           x.standing ? "" : "; one of them has since revised its figure");
        x.zh = fmt::format("{}不一致：{}，{}，相隔{}小时{}", FigureNameZh(f),
                           describe(earlier, true), describe(later, true), apart,
                           x.standing ? "" : "；此后已有一方更正本单位数字");
        report.contradictions.push_back(std::move(x));
      }
    }
  }
  auto later_at = [](const FigureContradiction& a, const FigureContradiction& b) {
    return std::tie(a.later.published_at, a.later.response_id, a.figure) <
           std::tie(b.later.published_at, b.later.response_id, b.figure);
  };
  std::stable_sort(report.contradictions.begin(), report.contradictions.end(), later_at);
  std::stable_sort(report.revisions.begin(), report.revisions.end(),
                   [](const FigureRevision& a, const FigureRevision& b) {
                     return std::tie(a.after.published_at, a.after.response_id, a.figure) <
                            std::tie(b.after.published_at, b.after.response_id, b.figure);
                   });
  return report;
}

}  // namespace yuqing::cases
