#include "cases/assessment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "cases/deadlines.h"

namespace yuqing::cases {
namespace {

constexpr std::string_view kRateNames[kRateCount] = {
    "acceptance_rate",   "response_rate",     "on_time_rate", "resolution_rate",
    "satisfaction_rate", "reassignment_rate", "repeat_rate"};
constexpr std::string_view kRateNamesZh[kRateCount] = {"签收及时率", "响应率", "按时率", "解决率",
                                                       "满意率",     "回退率", "重办率"};

std::string AcceptedKeys() {
  std::string s;
  for (std::string_view n : kRateNames) {
    if (!s.empty()) s += ", ";
    s += n;
  }
  return s;
}

bool IsReassignment(const model::Assignment& a) {
  return a.ended_at.has_value() &&
         (a.end_reason == "returned" || a.end_reason == "reassigned" || a.end_reason == "dispute");
}

int OnTimeIndex(model::Obligation o) {
  for (int i = 0; i < kOnTimeKinds; ++i) {
    if (kOnTimeObligations[i] == o) return i;
  }
  return -1;
}

// The value a rate contributes to the score (higher is better), or nullopt without cases.
std::optional<double> ScoredValue(const DepartmentAssessment& d, Rate r) {
  switch (r) {
    case Rate::kAcceptance:
      return d.accepted_on_time.rate();
    case Rate::kResponse:
      return d.response.rate();
    case Rate::kOnTime:
      return d.on_time_all.rate();
    case Rate::kResolution:
      return d.resolution.rate();
    case Rate::kSatisfaction:
      return d.satisfaction.rate();
    case Rate::kReassignment:
      if (auto v = d.reassignment.rate()) return 1.0 - *v;
      return std::nullopt;
    case Rate::kRepeat:
      if (auto v = d.repeat.rate()) return 1.0 - *v;
      return std::nullopt;
  }
  return std::nullopt;
}

// Weighted mean over the rates that apply, renormalised: a department without hotline cases
// is not scored 0 on satisfaction, it is scored on the rest (and the note says so).
void Score(DepartmentAssessment& d, const Weights& weights) {
  double sum = 0, wsum = 0;
  std::string used_en, used_zh, skipped_en, skipped_zh;
  for (int i = 0; i < kRateCount; ++i) {
    const Rate r = static_cast<Rate>(i);
    const double w = weights[r];
    if (w <= 0) continue;
    if (auto v = ScoredValue(d, r)) {
      sum += w * *v;
      wsum += w;
      used_en += fmt::format("{}{} × {:.3g}", used_en.empty() ? "" : ", ", RateName(r), w);
      used_zh += fmt::format("{}{}×{:.3g}", used_zh.empty() ? "" : "、", RateNameZh(r), w);
    } else {
      d.skipped.push_back(r);
      skipped_en += fmt::format("{}{}", skipped_en.empty() ? "" : ", ", RateName(r));
      skipped_zh += fmt::format("{}{}", skipped_zh.empty() ? "" : "、", RateNameZh(r));
    }
  }
  if (wsum > 0) d.score = 100.0 * sum / wsum;
  if (!d.score) {
    d.score_note_en = "not scored: none of the weighted rates applies to its cases";
    d.score_note_zh = "未评分：加权指标均无适用工单";
  } else if (d.skipped.empty()) {
    d.score_note_en = fmt::format("weighted mean of {}", used_en);
    d.score_note_zh = fmt::format("{}加权平均", used_zh);
  } else {
    d.score_note_en = fmt::format(
        "weighted mean of {}; {} skipped (no cases) and the weights renormalised over the rest",
        used_en, skipped_en);
    d.score_note_zh =
        fmt::format("{}加权平均；{}无适用工单未计入，其余权重按比例放大", used_zh, skipped_zh);
  }
}

struct Accumulator {
  DepartmentAssessment* d = nullptr;
  std::vector<int64_t> first_response_ms;
};

}  // namespace

std::string_view RateName(Rate r) { return kRateNames[static_cast<int>(r)]; }
std::string_view RateNameZh(Rate r) { return kRateNamesZh[static_cast<int>(r)]; }

Result<Weights> ParseWeights(const nlohmann::json& json) {
  if (!json.is_object()) {
    return Status::InvalidArgument(
        fmt::format("weights: expected a JSON object of rate → weight ({})", AcceptedKeys()));
  }
  Weights out;
  out.w.fill(0);
  for (const auto& [key, value] : json.items()) {
    int index = -1;
    for (int i = 0; i < kRateCount; ++i) {
      if (kRateNames[i] == key) index = i;
    }
    if (index < 0) {
      return Status::InvalidArgument(
          fmt::format("weights: unknown key \"{}\": expected one of {}", key, AcceptedKeys()));
    }
    if (!value.is_number()) {
      return Status::InvalidArgument(
          fmt::format("weights: \"{}\" is {}, expected a number ≥ 0", key, value.type_name()));
    }
    const double w = value.get<double>();
    if (!std::isfinite(w) || w < 0) {
      return Status::InvalidArgument(
          fmt::format("weights: \"{}\" is {}, expected a number ≥ 0", key, value.dump()));
    }
    out.w[static_cast<size_t>(index)] = w;
  }
  double sum = 0;
  for (double w : out.w) sum += w;
  if (sum <= 0) {
    return Status::InvalidArgument("weights: all weights are 0; give at least one rate a weight");
  }
  return out;
}

Result<Weights> ParseWeightsText(std::string_view text) {
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) {
    return Status::InvalidArgument("weights: the text is not JSON (expected an object)");
  }
  return ParseWeights(json);
}

nlohmann::json WeightsToJson(const Weights& weights) {
  nlohmann::json j = nlohmann::json::object();
  for (int i = 0; i < kRateCount; ++i) j[std::string(kRateNames[i])] = weights.w[i];
  return j;
}

Result<Assessment> Assess(std::span<const model::Case> cases, const AssessmentRequest& request) {
  if (request.from >= request.to) {
    return Status::InvalidArgument("assessment: the period is empty (expected from < to)");
  }
  for (double w : request.weights.w) {
    if (!std::isfinite(w) || w < 0) {
      return Status::InvalidArgument("assessment: weights must be numbers ≥ 0");
    }
  }
  Assessment out;
  out.from = request.from;
  out.to = request.to;
  out.now = request.now;
  out.weights = request.weights;
  out.departments.resize(request.departments.size());
  std::vector<Accumulator> acc(request.departments.size());
  // Index departments by id: one hash lookup per main assignment, one pass over the cases.
  std::unordered_map<std::string_view, size_t> index;
  index.reserve(request.departments.size() * 2);
  for (size_t i = 0; i < request.departments.size(); ++i) {
    const DepartmentRef& ref = request.departments[i];
    if (ref.id.empty()) {
      return Status::InvalidArgument(fmt::format("assessment: department {} has no id", i + 1));
    }
    if (!index.emplace(ref.id, i).second) {
      return Status::InvalidArgument(
          fmt::format("assessment: department \"{}\" is listed twice", ref.id));
    }
    out.departments[i].id = ref.id;
    out.departments[i].name = ref.name;
    acc[i].d = &out.departments[i];
  }

  std::vector<size_t> mains;  // reported departments that led the current case
  for (const model::Case& c : cases) {
    if (c.detected_at < request.from || c.detected_at >= request.to) continue;
    ++out.cases_in_period;
    mains.clear();
    for (const auto& a : c.assignments) {
      if (a.role != model::AssignmentRole::kMain) continue;
      auto it = index.find(a.department_id);
      if (it == index.end()) continue;
      if (std::find(mains.begin(), mains.end(), it->second) == mains.end()) {
        mains.push_back(it->second);
      }
    }
    if (mains.empty()) continue;

    const std::vector<Deadline> deadlines = Deadlines(c, request.now);
    PatternInputs quiet;
    quiet.explain = false;
    const CasePatterns patterns = DetectPatterns(c, deadlines, request.now, quiet);
    int64_t reminders = 0;
    for (const auto& m : c.sweep_marks) reminders += m.starts_with("remind:") ? 1 : 0;
    const bool visited = model::HasPetitioner(c.origin) && c.petitioner &&
                         c.petitioner->visited_at && !c.petitioner->satisfaction.empty();
    const bool satisfied = visited && (c.petitioner->satisfaction == "satisfied" ||
                                       c.petitioner->satisfaction == "basically");

    for (size_t di : mains) {
      DepartmentAssessment& d = *acc[di].d;
      const std::string& id = d.id;
      ++d.cases;
      for (const auto& a : c.assignments) {
        if (a.role != model::AssignmentRole::kMain || a.department_id != id) continue;
        ++d.assignments_received;
        ++d.reassignment.den;
        if (IsReassignment(a)) ++d.reassignment.num;
        const core::TimePoint due = a.assigned_at + c.policy.accept_within;
        if (a.accepted_at) {
          ++d.accepted_on_time.den;
          if (*a.accepted_at <= due) ++d.accepted_on_time.num;
        } else if (a.ended_at ? *a.ended_at > due : request.now > due) {
          ++d.accepted_on_time.den;  // past due without acceptance
        }
      }
      std::optional<core::TimePoint> first;
      for (const auto& r : c.responses) {
        if (r.status == model::ResponseStatus::kPublished && r.published_at &&
            r.department_id == id && (!first || *r.published_at < *first)) {
          first = r.published_at;
        }
      }
      ++d.response.den;
      if (first) {
        ++d.response.num;
        acc[di].first_response_ms.push_back((*first - c.detected_at).count());
      }
      for (const Deadline& dl : deadlines) {
        const int k = OnTimeIndex(dl.obligation);
        if (k < 0 || dl.state == ClockState::kRunning) continue;
        const bool met = dl.state == ClockState::kMet;
        ++d.on_time[static_cast<size_t>(k)].den;
        ++d.on_time_all.den;
        if (met) {
          ++d.on_time[static_cast<size_t>(k)].num;
          ++d.on_time_all.num;
        }
      }
      if (c.closed_at) {
        ++d.resolution.den;
        if (c.resolved) ++d.resolution.num;
      }
      if (visited) {
        ++d.satisfaction.den;
        if (satisfied) ++d.satisfaction.num;
      }
      ++d.repeat.den;
      if (c.reopened > 0) ++d.repeat.num;
      d.extensions += static_cast<int64_t>(c.extensions.size());
      d.reminders += reminders;
      for (const auto& s : c.supervision) d.supervision_items += s.department_id == id ? 1 : 0;
      for (const auto& n : c.notices) {
        if (n.department_id == id && n.status == "issued") {
          ++d.notices[static_cast<size_t>(n.kind)];
        }
      }
      d.patterns.Add(patterns);
    }
  }

  for (Accumulator& a : acc) {
    auto& v = a.first_response_ms;
    if (!v.empty()) {
      std::sort(v.begin(), v.end());
      const size_t n = v.size();
      const double ms =
          n % 2 == 1 ? static_cast<double>(v[n / 2])
                     : (static_cast<double>(v[n / 2 - 1]) + static_cast<double>(v[n / 2])) / 2.0;
      a.d->median_first_response_minutes = ms / 60'000.0;
    }
    Score(*a.d, request.weights);
  }

  out.ranking.resize(out.departments.size());
  for (size_t i = 0; i < out.ranking.size(); ++i) out.ranking[i] = i;
  std::stable_sort(out.ranking.begin(), out.ranking.end(), [&](size_t a, size_t b) {
    const DepartmentAssessment& x = out.departments[a];
    const DepartmentAssessment& y = out.departments[b];
    if (x.score.has_value() != y.score.has_value()) return x.score.has_value();
    if (x.score && *x.score != *y.score) return *x.score > *y.score;
    if (x.name != y.name) return x.name < y.name;
    return x.id < y.id;
  });
  for (size_t r = 0; r < out.ranking.size(); ++r) {
    out.departments[out.ranking[r]].rank = static_cast<int>(r + 1);
  }
  return out;
}

namespace {

// RFC 4180 §2: a field with a comma, a double quote or a line break is enclosed in double
// quotes, and a double quote inside it is written twice.
void Field(std::string& out, std::string_view v, bool first) {
  if (!first) out += ',';
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += v;
    return;
  }
  out += '"';
  for (char ch : v) {
    if (ch == '"') out += '"';
    out += ch;
  }
  out += '"';
}

std::string RateCell(const Fraction& f) {
  auto r = f.rate();
  return r ? fmt::format("{:.4f}", *r) : std::string();
}

}  // namespace

std::string AssessmentCsv(const Assessment& a, std::string_view lang) {
  const bool zh = lang.starts_with("zh");
  static constexpr std::string_view kHeaderEn[] = {"rank",
                                                   "department_id",
                                                   "department",
                                                   "score",
                                                   "cases",
                                                   "assignments_received",
                                                   "accepted_on_time_rate",
                                                   "response_rate",
                                                   "on_time_rate",
                                                   "on_time_press",
                                                   "on_time_respond",
                                                   "on_time_first_release",
                                                   "on_time_reply",
                                                   "on_time_resolve",
                                                   "median_first_response_minutes",
                                                   "resolution_rate",
                                                   "satisfaction_rate",
                                                   "reassignment_rate",
                                                   "repeat_rate",
                                                   "extensions",
                                                   "reminders",
                                                   "supervision_items",
                                                   "criticisms",
                                                   "interviews",
                                                   "commendations",
                                                   "ignoring",
                                                   "passive",
                                                   "shirking",
                                                   "anticlimax",
                                                   "score_note"};
  static constexpr std::string_view kHeaderZh[] = {
      "排名",       "单位编码",       "单位名称",   "综合得分",   "工单数",
      "交办数",     "签收及时率",     "响应率",     "按时率",     "发布会或通报按时率",
      "回应按时率", "首次发布按时率", "答复按时率", "按时办结率", "首次回应用时中位数（分钟）",
      "解决率",     "满意率",         "回退率",     "重办率",     "延期次数",
      "催办次数",   "督办件数",       "通报批评",   "约谈",       "表扬",
      "回应缺位",   "被动应付",       "推诿扯皮",   "虎头蛇尾",   "得分说明"};
  static_assert(std::size(kHeaderEn) == std::size(kHeaderZh));
  std::string out;
  bool first = true;
  for (std::string_view h : zh ? std::span<const std::string_view>(kHeaderZh)
                               : std::span<const std::string_view>(kHeaderEn)) {
    Field(out, h, first);
    first = false;
  }
  out += "\r\n";
  for (size_t idx : a.ranking) {
    const DepartmentAssessment& d = a.departments[idx];
    std::vector<std::string> row;
    row.reserve(std::size(kHeaderEn));
    row.push_back(std::to_string(d.rank));
    row.push_back(d.id);
    row.push_back(d.name);
    row.push_back(d.score ? fmt::format("{:.2f}", *d.score) : std::string());
    row.push_back(std::to_string(d.cases));
    row.push_back(std::to_string(d.assignments_received));
    row.push_back(RateCell(d.accepted_on_time));
    row.push_back(RateCell(d.response));
    row.push_back(RateCell(d.on_time_all));
    for (const Fraction& f : d.on_time) row.push_back(RateCell(f));
    row.push_back(d.median_first_response_minutes
                      ? fmt::format("{:.1f}", *d.median_first_response_minutes)
                      : std::string());
    row.push_back(RateCell(d.resolution));
    row.push_back(RateCell(d.satisfaction));
    row.push_back(RateCell(d.reassignment));
    row.push_back(RateCell(d.repeat));
    row.push_back(std::to_string(d.extensions));
    row.push_back(std::to_string(d.reminders));
    row.push_back(std::to_string(d.supervision_items));
    for (int64_t n : d.notices) row.push_back(std::to_string(n));
    row.push_back(std::to_string(d.patterns.ignoring));
    row.push_back(std::to_string(d.patterns.passive));
    row.push_back(std::to_string(d.patterns.shirking));
    row.push_back(std::to_string(d.patterns.anticlimax));
    row.push_back(zh ? d.score_note_zh : d.score_note_en);
    for (size_t i = 0; i < row.size(); ++i) Field(out, row[i], i == 0);
    out += "\r\n";
  }
  return out;
}

}  // namespace yuqing::cases
