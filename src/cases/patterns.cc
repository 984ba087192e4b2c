#include "cases/patterns.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <unordered_map>

#include "core/utf8.h"

namespace yuqing::cases {
namespace {

using model::Obligation;

// ---- LacksSubstance -------------------------------------------------------------------------
// The word lists behind the rule in patterns.h. They come from reading government statements
// of the kind seed 000 criticises (the Changzhi media briefings "both lacking and empty") and
// their usual vocabulary, not from fitting: a stock phrase promises attention or process
// without saying what was done; an action word names something done to the incident.

// Phrases that promise without content. The longest match at a position wins ("已介入调查" is
// stock as a whole; "调查" in "成立调查组" is an action).
constexpr std::string_view kStockPhrases[] = {
    "给社会一个交代", "给公众一个交代", "给群众一个交代", "以官方发布为准", "及时向社会公布",
    "进一步核实",     "进一步调查",     "进一步了解",     "已介入调查",     "负责任的态度",
    "感谢广大网友",   "维护合法权益",   "高度重视",       "十分重视",       "非常重视",
    "正在调查",       "正在核实",       "正在核查",       "正在处理",       "密切关注",
    "持续关注",       "高度关注",       "跟踪关注",       "密切跟踪",       "持续跟进",
    "密切监测",       "积极处置",       "妥善处置",       "妥善处理",       "积极应对",
    "积极配合",       "积极协调",       "积极回应",       "依法依规",       "依法依纪",
    "依法处理",       "依法处置",       "依法查处",       "严肃处理",       "严肃查处",
    "第一时间",       "全力以赴",       "全力做好",       "认真核查",       "认真调查",
    "认真研究",       "认真对待",       "认真落实",       "深入调查",       "展开调查",
    "开展调查",       "介入调查",       "调查处理",       "有关部门",       "相关部门",
    "有关情况",       "相关情况",       "及时回应",       "及时公布",       "及时发布",
    "适时公布",       "后续进展",       "一经查实",       "一经核实",       "感谢关注",
    "感谢监督",       "感谢网友",       "不信谣",         "不传谣",         "不造谣",
    "理性看待",       "举一反三",       "引以为戒",       "高度负责",       "实事求是",
    "公开透明",       "已收悉",         "已知悉",         "已注意到",       "已关注",
    "已介入",         "尽快",
};

// Words that name something done. Looked for only outside stock phrases.
constexpr std::string_view kActionWords[] = {
    "立即", "成立", "调查", "处置", "救治", "停产", "停业", "检测", "公布", "问责", "追责",
    "赔偿", "补偿", "整改", "关停", "查封", "封存", "立案", "拘留", "免职", "停职", "撤职",
    "召回", "疏散", "转移", "抢修", "排查", "约谈", "处罚", "罚款", "退还", "恢复", "隔离",
    "采样", "送医", "安置", "下架", "叫停", "取缔", "撤销", "道歉", "致歉",
};

// Function words and self-references: neither substance nor stock, left out of the share.
constexpr std::string_view kNeutralWords[] = {
    "我们",   "我局", "我委",   "我厅", "我办", "我部", "我市", "我县", "我区", "我镇", "我院",
    "我单位", "本局", "本单位", "对此", "此事", "关于", "目前", "的",   "了",   "和",   "并",
    "及",     "与",   "在",     "对",   "为",   "于",   "是",   "也",   "都",   "有",   "此",
    "该",     "就",   "等",     "将",   "会",   "现",   "这",   "已",   "经",
};

constexpr std::string_view kNumerals = "〇零一二两三四五六七八九十百千万亿";
// Units and measure words after a Chinese numeral that make it a figure.
constexpr std::string_view kUnits[] = {
    "小时", "分钟", "公里", "公斤", "公顷", "人", "名", "户", "家", "元", "吨", "起", "处",
    "个",   "辆",   "座",   "例",   "次",   "天", "日", "月", "年", "时", "亩", "头", "只",
    "所",   "条",   "批",   "项",   "件",   "位", "台", "栋", "间", "岁", "层", "米", "斤",
    "克",   "升",   "倍",   "轮",   "场",   "支", "套", "份", "张", "周",
};
// A lone 一 is mostly an article (一个, 一次, 一起 "together"); it is a figure only here.
constexpr std::string_view kUnitsAfterLoneOne[] = {"名", "例", "户", "辆", "吨", "元", "人"};

std::u32string Decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  size_t pos = 0;
  while (pos < s.size()) out.push_back(core::DecodeUtf8(s, pos));
  return out;
}

// A word list indexed by first code point, longest word first, so the longest word at a
// position wins and a position whose character starts no word costs one table lookup.
class WordList {
 public:
  template <size_t N>
  explicit WordList(const std::string_view (&words)[N]) : starts_(0x10000, false) {
    for (std::string_view w : words) {
      std::u32string d = Decode(w);
      if (d.empty()) continue;
      if (d[0] < 0x10000) starts_[d[0]] = true;
      by_first_[d[0]].push_back(std::move(d));
    }
    for (auto& [first, list] : by_first_) {
      std::stable_sort(
          list.begin(), list.end(),
          [](const std::u32string& x, const std::u32string& y) { return x.size() > y.size(); });
    }
  }

  // Length of the longest word that starts at text[i] in code points not masked, or 0.
  size_t MatchAt(const std::u32string& text, const std::vector<bool>& masked, size_t i) const {
    const char32_t c = text[i];
    if (c < 0x10000 && !starts_[c]) return 0;
    auto it = by_first_.find(c);
    if (it == by_first_.end()) return 0;
    for (const auto& w : it->second) {
      if (i + w.size() > text.size()) continue;
      bool ok = true;
      for (size_t k = 0; k < w.size() && ok; ++k) ok = !masked[i + k] && text[i + k] == w[k];
      if (ok) return w.size();
    }
    return 0;
  }

 private:
  std::vector<bool> starts_;  // BMP code points that start a word
  std::unordered_map<char32_t, std::vector<std::u32string>> by_first_;
};

struct Lexicon {
  WordList stock{kStockPhrases};
  WordList action{kActionWords};
  WordList neutral{kNeutralWords};
  WordList units{kUnits};
  WordList lone_one_units{kUnitsAfterLoneOne};
  std::u32string numerals = Decode(kNumerals);
};
const Lexicon& Lex() {
  static const Lexicon lex;
  return lex;
}

bool IsNumeral(char32_t c) { return Lex().numerals.find(c) != std::u32string::npos; }

}  // namespace

bool LacksSubstance(std::string_view text) {
  // More bytes than 4 per allowed code point cannot be short: skip the decoding.
  if (text.size() > 4 * kShortResponseCodePoints) return false;
  const Lexicon& lex = Lex();
  const std::u32string t = Decode(text);
  size_t visible = 0;
  for (char32_t c : t) {
    if (c != U' ' && c != U'\t' && c != U'\n' && c != U'\r' && c != U'\u3000') ++visible;
  }
  if (visible == 0) return true;
  if (t.size() > kShortResponseCodePoints) return false;
  for (char32_t c : t) {
    if ((c >= U'0' && c <= U'9') || (c >= U'\uFF10' && c <= U'\uFF19')) return false;
  }

  // Take the stock phrases out first: what remains is what the text says beyond them.
  std::vector<bool> stock(t.size(), false);
  size_t stock_cjk = 0;
  for (size_t i = 0; i < t.size();) {
    size_t n = lex.stock.MatchAt(t, stock, i);
    if (n == 0) {
      ++i;
      continue;
    }
    for (size_t k = i; k < i + n; ++k) {
      stock[k] = true;
      if (core::IsCjk(t[k])) ++stock_cjk;
    }
    i += n;
  }

  size_t total_cjk = 0, neutral_cjk = 0;
  for (char32_t c : t) total_cjk += core::IsCjk(c) ? 1 : 0;
  for (size_t i = 0; i < t.size();) {
    if (stock[i]) {
      ++i;
      continue;
    }
    // A Chinese numeral used as a number: a run of numerals, optionally 余 or 多, then a unit.
    if (IsNumeral(t[i])) {
      size_t j = i;
      while (j < t.size() && !stock[j] && IsNumeral(t[j])) ++j;
      size_t u = j;
      if (u < t.size() && (t[u] == U'余' || t[u] == U'多')) ++u;
      const bool lone_one = j == i + 1 && t[i] == U'一';
      if (u < t.size() && (lone_one ? lex.lone_one_units : lex.units).MatchAt(t, stock, u) > 0) {
        return false;
      }
    }
    // 已 (or 已经) before a verb that is not a stock phrase: something has been done.
    if (t[i] == U'已') {
      size_t j = i + 1;
      if (j < t.size() && t[j] == U'经') ++j;
      if (j < t.size() && !stock[j] && core::IsCjk(t[j])) return false;
    }
    if (lex.action.MatchAt(t, stock, i) > 0) return false;
    if (size_t n = lex.neutral.MatchAt(t, stock, i); n > 0) {
      for (size_t k = i; k < i + n; ++k) neutral_cjk += core::IsCjk(t[k]) ? 1 : 0;
      i += n;
      continue;
    }
    ++i;
  }
  const size_t content = total_cjk - neutral_cjk;
  if (content == 0) return stock_cjk > 0;
  // "Mostly": at least half of what is not a function word is stock phrase.
  return 2 * stock_cjk >= content;
}

// ---- patterns -------------------------------------------------------------------------------
namespace {

bool IsSpeakingObligation(Obligation o) {
  return o == Obligation::kPress || o == Obligation::kRespond || o == Obligation::kFirstRelease ||
         o == Obligation::kReply;
}

bool IsMainChange(const model::Assignment& a) {
  return a.role == model::AssignmentRole::kMain && a.ended_at.has_value() &&
         (a.end_reason == "returned" || a.end_reason == "reassigned" || a.end_reason == "dispute");
}

double InHours(std::chrono::milliseconds d) { return static_cast<double>(d.count()) / 3'600'000.0; }

std::string_view EndReasonZh(std::string_view r) {
  if (r == "returned") return "退回";
  if (r == "reassigned") return "改派";
  return "异议改派";
}

// Heat at `t`: the latest sample at or before it; nullopt before the first sample.
std::optional<double> HeatAt(std::span<const HeatSample> heat, core::TimePoint t) {
  const HeatSample* best = nullptr;
  for (const HeatSample& s : heat) {
    if (s.at <= t && (best == nullptr || s.at >= best->at)) best = &s;
  }
  if (best == nullptr) return std::nullopt;
  return best->heat;
}

void Append(std::string& to, std::string_view sep, const std::string& what) {
  if (!to.empty()) to += sep;
  to += what;
}

}  // namespace

int CountMainChanges(const model::Case& c) {
  int n = 0;
  for (const auto& a : c.assignments) n += IsMainChange(a) ? 1 : 0;
  return n;
}

int CountMainChangesOf(const model::Case& c, std::string_view department_id) {
  int n = 0;
  for (const auto& a : c.assignments) {
    n += (IsMainChange(a) && a.department_id == department_id) ? 1 : 0;
  }
  return n;
}

CasePatterns DetectPatterns(const model::Case& c, const std::vector<Deadline>& deadlines,
                            core::TimePoint now, const PatternInputs& in) {
  CasePatterns out;
  const model::CasePolicy& policy = c.policy;
  const std::string_view zone = policy.time_zone;

  // Ignoring: an obligation to speak not met by its deadline (or met only after it).
  for (const Deadline& d : deadlines) {
    if (!IsSpeakingObligation(d.obligation)) continue;
    if (d.state != ClockState::kOverdue && d.state != ClockState::kLate) continue;
    out.ignoring = true;
    if (!in.explain) break;
    const double late_h = InHours(-d.remaining);
    const std::string due = FormatInZone(d.due, zone);
    if (d.state == ClockState::kOverdue) {
      Append(out.ignoring_reason.en, "; ",
             fmt::format("{} overdue by {:.1f} h (due {})", ObligationName(d.obligation), late_h,
                         due));
      Append(
          out.ignoring_reason.zh, "；",
          fmt::format("{}已超时{:.1f}小时（时限{}）", ObligationNameZh(d.obligation), late_h, due));
    } else {
      Append(
          out.ignoring_reason.en, "; ",
          fmt::format("{} met {:.1f} h late (due {})", ObligationName(d.obligation), late_h, due));
      Append(out.ignoring_reason.zh, "；",
             fmt::format("{}超时{:.1f}小时才完成（时限{}）", ObligationNameZh(d.obligation), late_h,
                         due));
    }
  }

  // Published responses in time order.
  std::vector<const model::Response*> published;
  for (const auto& r : c.responses) {
    if (r.status == model::ResponseStatus::kPublished && r.published_at) published.push_back(&r);
  }
  std::stable_sort(published.begin(), published.end(),
                   [](const model::Response* a, const model::Response* b) {
                     return *a->published_at < *b->published_at;
                   });

  // Passive (a): silence of passive_after after a published response while the event is hot
  // when the silence has lasted that long. Between two responses this needs the heat series;
  // the silence since the last response of an open case can use the current heat.
  const std::optional<core::TimePoint> closed = c.closed_at;  // reopening clears it
  for (size_t i = 0; i < published.size() && !out.passive; ++i) {
    const core::TimePoint start = *published[i]->published_at;
    const bool last = i + 1 == published.size();
    core::TimePoint end =
        last ? (closed ? std::min(*closed, now) : now) : *published[i + 1]->published_at;
    if (end - start < policy.passive_after) continue;
    const core::TimePoint at = start + policy.passive_after;
    std::optional<double> heat;
    if (!in.heat.empty()) {
      heat = HeatAt(in.heat, at);
    } else if (last && !closed) {
      heat = c.event_heat;
    }
    if (!heat || *heat < policy.hot_heat) continue;
    out.passive = true;
    if (!in.explain) break;
    const double silent_h = InHours(end - start);
    const std::string from = FormatInZone(start, zone);
    out.passive_reason.en = fmt::format(
        "no published response for {:.1f} h after response #{} ({}){} while the event's heat "
        "was {:.1f} (hot from {:.0f}; silence allowed {:.0f} h)",
        silent_h, published[i]->id, from, last ? " until now" : "", *heat, policy.hot_heat,
        InHours(policy.passive_after));
    out.passive_reason.zh = fmt::format(
        "第{}号回应（{}）后{:.1f}小时{}未再发布回应，期间事件热度{:.1f}（热度{:.0f}以上为高热，"
        "允许沉默{:.0f}小时）",
        published[i]->id, from, silent_h, last ? "至今" : "", *heat, policy.hot_heat,
        InHours(policy.passive_after));
  }
  // Passive (b): every published response is without substance.
  if (!published.empty() &&
      std::all_of(published.begin(), published.end(),
                  [](const model::Response* r) { return LacksSubstance(r->text); })) {
    out.passive = true;
    if (in.explain) {
      std::string ids;
      for (const auto* r : published) Append(ids, ", ", fmt::format("#{}", r->id));
      Append(out.passive_reason.en, "; ",
             fmt::format("all {} published responses ({}) lack substance: short, no figure, no "
                         "concrete measure, mostly stock phrases",
                         published.size(), ids));
      Append(out.passive_reason.zh, "；",
             fmt::format("已发布的{}条回应（{}）均空泛表态：篇幅短小，无具体数字，无具体措施，"
                         "多为套话",
                         published.size(), ids));
    }
  }

  // Shirking: the main department changed twice or more.
  const int changes = CountMainChanges(c);
  if (changes >= 2) {
    out.shirking = true;
    if (in.explain) {
      std::string en, zh;
      for (const auto& a : c.assignments) {
        if (!IsMainChange(a)) continue;
        const std::string at = FormatInZone(*a.ended_at, zone);
        Append(en, ", ", fmt::format("{} {} ({})", a.department_id, a.end_reason, at));
        Append(zh, "，", fmt::format("{}{}（{}）", a.department_id, EndReasonZh(a.end_reason), at));
      }
      out.shirking_reason.en = fmt::format("the main department changed {} times: {}", changes, en);
      out.shirking_reason.zh = fmt::format("主办单位变更{}次：{}", changes, zh);
    }
  }

  // Anticlimax: closed without follow-up, or hot again after closing.
  if (closed) {
    // Follow-up is work after the first response; without any response, any disposal task.
    const bool first = !published.empty();
    const core::TimePoint anchor =
        first ? *published.front()->published_at : core::TimePoint::min();
    bool follow_up = published.size() >= 2;
    for (const auto& r : c.rounds) follow_up = follow_up || r.number > 1;
    for (const auto& t : c.tasks) follow_up = follow_up || t.created_at >= anchor;
    if (!follow_up) {
      out.anticlimax = true;
      if (in.explain) {
        out.anticlimax_reason.en =
            fmt::format("closed {} {}: no further response, no disposal task and no second round",
                        FormatInZone(*closed, zone),
                        first ? "after a single response" : "without any published response");
        out.anticlimax_reason.zh =
            fmt::format("{}办结，{}：无后续回应、无线下处置任务、未开启新一轮回应",
                        FormatInZone(*closed, zone), first ? "仅有一次回应" : "没有发布任何回应");
      }
    }
    std::optional<double> at_close, again;
    std::optional<core::TimePoint> again_at;
    if (!in.heat.empty()) {
      at_close = HeatAt(in.heat, *closed).value_or(0.0);
      for (const HeatSample& s : in.heat) {
        if (s.at > *closed && s.at <= now && s.heat >= policy.hot_heat && s.heat > *at_close &&
            (!again_at || s.at < *again_at)) {
          again = s.heat;
          again_at = s.at;
        }
      }
    } else if (in.heat_at_close && c.event_heat >= policy.hot_heat &&
               c.event_heat > *in.heat_at_close) {
      at_close = in.heat_at_close;
      again = c.event_heat;
    }
    if (again) {
      out.anticlimax = true;
      if (in.explain) {
        const std::string when = again_at ? FormatInZone(*again_at, zone) : std::string("now");
        const std::string when_zh = again_at ? FormatInZone(*again_at, zone) : std::string("目前");
        Append(out.anticlimax_reason.en, "; ",
               fmt::format("the event heated up again after closing: heat {:.1f} at {} against "
                           "{:.1f} at closing (hot from {:.0f})",
                           *again, when, *at_close, policy.hot_heat));
        Append(
            out.anticlimax_reason.zh, "；",
            fmt::format("办结后事件再度升温：{}热度{:.1f}，办结时为{:.1f}（热度{:.0f}以上为高热）",
                        when_zh, *again, *at_close, policy.hot_heat));
      }
    }
  }
  return out;
}

void PatternCounts::Add(const CasePatterns& p) {
  ++cases;
  ignoring += p.ignoring ? 1 : 0;
  passive += p.passive ? 1 : 0;
  shirking += p.shirking ? 1 : 0;
  anticlimax += p.anticlimax ? 1 : 0;
  any += p.any() ? 1 : 0;
}

PatternCounts& PatternCounts::operator+=(const PatternCounts& o) {
  cases += o.cases;
  ignoring += o.ignoring;
  passive += o.passive;
  shirking += o.shirking;
  anticlimax += o.anticlimax;
  any += o.any;
  return *this;
}

}  // namespace yuqing::cases
