// Assembling reports. The structure of each kind follows what offices submit (seeds 002 and
// 004: 舆情日报、周报、月报、快报、专报, and the after-action evaluation of 001 §5); the
// suggestions (研判建议) are rules over the facts, each saying which fact prompted it, never
// free text invented by the system.
#include "reports/assemble.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "cases/patterns.h"
#include "core/time.h"
#include "core/utf8.h"
#include "model/analysis.h"

namespace yuqing::reports {

Span Text(std::string text) { return Span{std::move(text), "", "", false}; }
Span Figure(std::string figure, std::string text) {
  return Span{std::move(text), "", std::move(figure), true};
}
Span LinkTo(std::string href, std::string text) {
  return Span{std::move(text), std::move(href), "", false};
}

namespace {

constexpr std::string_view kKindNames[kKindCount] = {"daily", "weekly",     "monthly",   "flash",
                                                     "event", "evaluation", "assessment"};
constexpr std::string_view kKindTitles[kKindCount] = {"舆情日报",
                                                      "舆情周报",
                                                      "舆情月报",
                                                      "舆情快报",
                                                      "舆情专报",
                                                      "舆情应对评估报告",
                                                      "舆情回应工作考核通报"};
constexpr std::string_view kChannelZh[kChannels] = {"新闻网站", "微博", "微信",     "论坛",
                                                    "视频",     "问答", "热线",     "信箱",
                                                    "问政平台", "报刊", "广播电视", "其他"};
constexpr std::string_view kGradeZh[4] = {"I级（特别重大）", "II级（重大）", "III级（较大）",
                                          "IV级（一般）"};
constexpr size_t kQuoteCodePoints = 160;
constexpr size_t kEventRows = 30;

std::string GradeZh(int g) {
  return g >= 1 && g <= 4 ? std::string(kGradeZh[g - 1]) : std::string("未定级");
}

std::string TrendZh(std::string_view t) {
  if (t == "rising") return "上升";
  if (t == "peaking") return "高位";
  if (t == "declining") return "回落";
  if (t == "dormant") return "平息";
  return t.empty() ? "—" : std::string(t);
}

// The event stage's risk factors (events/risk.cc) and author kinds (model/post.h) in Chinese;
// an unknown name is shown as it is.
std::string FactorZh(std::string_view f) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"deaths", "死亡失踪人数"},
      {"injured", "受伤人数"},
      {"loss", "经济损失"},
      {"heat", "热度"},
      {"velocity", "传播速度"},
      {"negative_share", "负面占比"},
      {"sensitive_domain", "敏感领域"},
      {"gov_involved", "涉及政府部门"},
      {"regional_spread", "跨地区扩散"},
      {"mainstream_media", "主流媒体介入"},
      {"rumour", "谣言信号"},
      {"burst", "信息量突增"},
      {"no_substantive_factor", "无实质性风险因素"}};
  for (const auto& [k, v] : kNames) {
    if (k == f) return std::string(v);
  }
  for (auto kind : {model::ResponseKind::kPolicyMisreading, model::ResponseKind::kVitalInterests,
                    model::ResponseKind::kMoralBottomLine, model::ResponseKind::kEmergency}) {
    if (f == "kind:" + std::string(model::ResponseKindName(kind))) {
      return "重点回应：" + std::string(model::ResponseKindNameZh(kind));
    }
  }
  return std::string(f);
}

std::string AuthorKindZh(std::string_view k) {
  if (k == "media") return "媒体";
  if (k == "gov") return "政务";
  if (k == "kol") return "意见领袖";
  if (k == "individual") return "个人";
  return "未知";
}

std::string Num(int64_t n) { return fmt::format("{}", n); }
std::string Fixed1(double v) { return fmt::format("{:.1f}", v); }

std::string EventHref(int64_t id) { return fmt::format("/events/{}", id); }
std::string CaseHref(int64_t id) { return fmt::format("/cases/{}", id); }

// The first `n` code points of `s`, with "…" when cut.
std::string Cut(std::string_view s, size_t n) {
  std::string clean = core::SanitizeUtf8(s);
  size_t pos = 0, count = 0;
  while (pos < clean.size() && count < n) {
    core::DecodeUtf8(clean, pos);
    ++count;
  }
  if (pos >= clean.size()) return clean;
  return clean.substr(0, pos) + "…";
}

std::string RegionLabel(const std::map<std::string, std::string>& names, const std::string& code) {
  auto it = names.find(code);
  if (code.empty()) return "未标注地区";
  if (it != names.end() && !it->second.empty()) return fmt::format("{}（{}）", it->second, code);
  return code;
}

std::string DepartmentName(const std::map<std::string, std::string>& names, const std::string& id) {
  auto it = names.find(id);
  return it != names.end() && !it->second.empty() ? it->second : id;
}

void AddUnique(std::vector<int64_t>& v, int64_t id) {
  if (id != 0 && std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
}
void AddUnique(std::vector<std::string>& v, const std::string& id) {
  if (std::find(v.begin(), v.end(), id) == v.end()) v.push_back(id);
}
void SortSources(Sources& s) {
  std::sort(s.events.begin(), s.events.end());
  std::sort(s.cases.begin(), s.cases.end());
  std::sort(s.alerts.begin(), s.alerts.end());
  std::sort(s.posts.begin(), s.posts.end());
}

Span EventLink(Sources& src, const model::EventRecord& e) {
  AddUnique(src.events, e.id);
  return LinkTo(EventHref(e.id), fmt::format("#{} {}", e.id, Cut(e.title, 40)));
}
Span EventIdLink(Sources& src, int64_t id) {
  AddUnique(src.events, id);
  return LinkTo(EventHref(id), fmt::format("事件#{}", id));
}
Span CaseLink(Sources& src, const model::Case& c) {
  AddUnique(src.cases, c.id);
  return LinkTo(CaseHref(c.id), fmt::format("#{} {}", c.id, Cut(c.title, 40)));
}

Quote MakeQuote(Sources& src, const PostFact& p, int tz) {
  AddUnique(src.posts, p.post.source + "/" + p.post.external_id);
  if (p.event_id != 0) AddUnique(src.events, p.event_id);
  Quote q;
  q.source = p.post.source;
  q.external_id = p.post.external_id;
  q.url = p.post.url;
  q.author = p.post.author.name.empty() ? p.post.author.id : p.post.author.name;
  q.channel_zh = std::string(ChannelNameZh(p.post.channel));
  q.published = FormatDateTimeZh(p.post.published_at, tz);
  std::string body = p.post.title.empty() ? p.post.text : p.post.title + "：" + p.post.text;
  q.text = Cut(body, kQuoteCodePoints);
  q.engagement = p.engagement();
  q.event_id = p.event_id;
  return q;
}

// "2026年12月2日" or "2026年11月23日至11月29日" for [from, to).
std::string PeriodText(core::TimePoint from, core::TimePoint to, int tz) {
  core::TimePoint last = to - std::chrono::milliseconds(1);
  std::string a = FormatDateZh(from, tz), b = FormatDateZh(last, tz);
  if (a == b) return a;
  return a + "至" + b;
}

// The period's posts and sentiment in one paragraph, every number traced.
Paragraph Overview(const PeriodFacts& f, std::string_view period_word) {
  const PostTotals& p = f.posts;
  Paragraph para;
  para.spans.push_back(Text(fmt::format("{}共监测到相关网络信息", period_word)));
  para.spans.push_back(Figure("posts.total", Num(p.total)));
  para.spans.push_back(Text("条，其中负面"));
  para.spans.push_back(Figure("sentiment.negative", Num(p.negative)));
  para.spans.push_back(Text(fmt::format("条（{}），中性", Percent(p.negative, p.total))));
  para.spans.push_back(Figure("sentiment.neutral", Num(p.neutral)));
  para.spans.push_back(Text("条，正面"));
  para.spans.push_back(Figure("sentiment.positive", Num(p.positive)));
  para.spans.push_back(Text("条；转发、评论、点赞合计"));
  para.spans.push_back(Figure("posts.engagement", Num(p.engagement)));
  para.spans.push_back(Text("次。涉及舆情事件"));
  para.spans.push_back(Figure("events.total", Num(f.events_total)));
  para.spans.push_back(Text("个，新增预警"));
  para.spans.push_back(Figure("alerts.total", Num(static_cast<int64_t>(f.alerts.size()))));
  int64_t opened = 0, answered = 0, overdue = 0;
  for (const auto& c : f.cases) {
    opened += c.opened;
    answered += c.answered;
    overdue += c.overdue;
  }
  para.spans.push_back(Text("条；新开工单"));
  para.spans.push_back(Figure("cases.opened", Num(opened)));
  para.spans.push_back(Text("件，完成首次回应"));
  para.spans.push_back(Figure("cases.answered", Num(answered)));
  para.spans.push_back(Text("件，超期未办"));
  para.spans.push_back(Figure("cases.overdue", Num(overdue)));
  para.spans.push_back(Text("件。"));
  return para;
}

std::string BucketLabel(core::TimePoint t, int64_t bucket_s, int tz) {
  std::string iso = core::FormatIso8601(t, tz);  // 2026-12-02T08:00:00+08:00
  if (bucket_s < 86400) return iso.substr(11, 5);
  return iso.substr(5, 5);
}

Chart VolumeChart(const std::vector<Bucket>& series, int64_t bucket_s, int tz, std::string title) {
  Chart c;
  c.kind = ChartKind::kLine;
  c.id = "volume";
  c.title = std::move(title);
  c.unit = "条";
  ChartSeries all{"信息量", {}}, neg{"负面", {}};
  for (const auto& b : series) {
    c.labels.push_back(BucketLabel(b.start, bucket_s, tz));
    all.values.push_back(static_cast<double>(b.posts));
    neg.values.push_back(static_cast<double>(b.negative));
  }
  c.series = {std::move(all), std::move(neg)};
  return c;
}

Chart SentimentChart(const std::vector<Bucket>& series, int64_t bucket_s, int tz) {
  Chart c;
  c.kind = ChartKind::kStacked;
  c.id = "sentiment";
  c.title = "情感倾向分布";
  c.unit = "条";
  ChartSeries neg{"负面", {}}, neu{"中性", {}}, pos{"正面", {}};
  for (const auto& b : series) {
    c.labels.push_back(BucketLabel(b.start, bucket_s, tz));
    neg.values.push_back(static_cast<double>(b.negative));
    neu.values.push_back(static_cast<double>(b.neutral));
    pos.values.push_back(static_cast<double>(b.positive));
  }
  c.series = {std::move(neg), std::move(neu), std::move(pos)};
  return c;
}

// Channels with posts, most first (ties in channel order): a bar chart and a table.
void ChannelBlocks(const PostTotals& p, std::vector<Block>& out, bool with_chart = true) {
  std::vector<int> order;
  for (int c = 0; c < kChannels; ++c) {
    if (p.by_channel[c] > 0) order.push_back(c);
  }
  if (order.empty()) {
    out.push_back(NoData{"本期无数据：未监测到相关信息。"});
    return;
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return p.by_channel[a] > p.by_channel[b]; });
  Chart chart;
  chart.kind = ChartKind::kBar;
  chart.id = "channels";
  chart.title = "各渠道信息量";
  chart.unit = "条";
  ChartSeries s{"信息量", {}};
  Table t;
  t.header = {"渠道", "信息量（条）", "占比"};
  for (int c : order) {
    auto ch = static_cast<model::Channel>(c);
    chart.labels.emplace_back(ChannelNameZh(ch));
    s.values.push_back(static_cast<double>(p.by_channel[c]));
    t.rows.push_back(
        {Text(std::string(ChannelNameZh(ch))),
         Figure(fmt::format("channel.{}", model::ChannelName(ch)), Num(p.by_channel[c])),
         Text(Percent(p.by_channel[c], p.total))});
  }
  chart.series.push_back(std::move(s));
  if (with_chart) out.push_back(std::move(chart));
  out.push_back(std::move(t));
}

void RegionBlocks(const std::vector<RegionFigures>& regions, const std::string& figure_prefix,
                  bool with_events, std::vector<Block>& out) {
  if (regions.empty()) {
    out.push_back(NoData{"本期无数据：信息均未标注地区，或未监测到相关信息。"});
    return;
  }
  Table t;
  t.header = with_events ? std::vector<std::string>{"地区", "信息量（条）", "负面（条）",
                                                    "事件（个）", "最高等级"}
                         : std::vector<std::string>{"地区", "信息量（条）", "负面（条）"};
  size_t n = 0;
  for (const auto& r : regions) {
    if (++n > 15) break;
    std::string label = r.name.empty() ? r.code : fmt::format("{}（{}）", r.name, r.code);
    std::vector<Span> row = {
        Text(label), Figure(fmt::format("{}.{}.posts", figure_prefix, r.code), Num(r.posts)),
        Figure(fmt::format("{}.{}.negative", figure_prefix, r.code), Num(r.negative))};
    if (with_events) {
      row.push_back(Figure(fmt::format("{}.{}.events", figure_prefix, r.code), Num(r.events)));
      row.push_back(Text(r.events > 0 ? GradeZh(r.top_grade) : "—"));
    }
    t.rows.push_back(std::move(row));
  }
  if (regions.size() > 15)
    t.caption = fmt::format("仅列信息量前15个地区（共{}个）", regions.size());
  out.push_back(std::move(t));
}

std::string CaseStateOf(const PeriodFacts& f, int64_t event_id) {
  auto it = f.event_case_state.find(event_id);
  return it == f.event_case_state.end() ? "未立案"
                                        : std::string(model::CaseStateNameZh(it->second));
}

// The events of the period, most severe first.
void EventTable(const PeriodFacts& f, Sources& src, std::vector<Block>& out, bool by_heat) {
  if (f.events.empty()) {
    out.push_back(NoData{"本期无数据：未发现舆情事件。"});
    return;
  }
  std::vector<const model::EventRecord*> events;
  for (const auto& e : f.events) events.push_back(&e);
  if (by_heat) {
    std::stable_sort(events.begin(), events.end(),
                     [](const auto* a, const auto* b) { return a->heat > b->heat; });
  }
  std::array<int64_t, 4> grades{};
  for (const auto& e : f.events) {
    if (e.grade >= 1 && e.grade <= 4) ++grades[e.grade - 1];
  }
  Paragraph p;
  p.spans.push_back(Text("按风险等级："));
  for (int g = 1; g <= 4; ++g) {
    p.spans.push_back(Text(std::string(kGradeZh[g - 1]) + " "));
    p.spans.push_back(Figure(fmt::format("events.grade.{}", g), Num(grades[g - 1])));
    p.spans.push_back(Text(g < 4 ? "个；" : "个。"));
  }
  out.push_back(std::move(p));
  Table t;
  t.header = {"事件",         "风险等级", "热度",     "态势",
              "信息量（条）", "负面占比", "首次发现", "处置状态"};
  for (const auto* e : events) {
    if (t.rows.size() >= kEventRows) break;
    t.rows.push_back(
        {EventLink(src, *e), Text(GradeZh(e->grade)), Text(Fixed1(e->heat)),
         Text(TrendZh(e->trend)), Figure(fmt::format("event.{}.posts", e->id), Num(e->posts)),
         Text(fmt::format("{:.1f}%", e->negative_share * 100)),
         Text(FormatDateTimeZh(e->first_seen, f.scope.tz_minutes)), Text(CaseStateOf(f, e->id))});
  }
  if (static_cast<int64_t>(t.rows.size()) < f.events_total) {
    t.caption = fmt::format("列出{}个，共{}个", t.rows.size(), f.events_total);
  }
  out.push_back(std::move(t));
}

void AlertTable(const PeriodFacts& f, Sources& src, std::vector<Block>& out) {
  if (f.alerts.empty()) {
    out.push_back(NoData{"本期无新增预警。"});
    return;
  }
  Table t;
  t.header = {"预警编号", "时间", "等级", "事件", "标题"};
  for (const auto& a : f.alerts) {
    AddUnique(src.alerts, a.id);
    std::string level = GradeZh(a.level);
    if (a.previous_level > a.level) level += "（升级）";
    t.rows.push_back({Text(fmt::format("#{}", a.id)),
                      Text(FormatDateTimeZh(a.created_at, f.scope.tz_minutes)), Text(level),
                      EventIdLink(src, a.event_id), Text(Cut(a.title, 60))});
  }
  out.push_back(std::move(t));
}

std::string MainDepartment(const model::Case& c, const std::map<std::string, std::string>& names) {
  for (auto it = c.assignments.rbegin(); it != c.assignments.rend(); ++it) {
    if (it->role == model::AssignmentRole::kMain && it->active()) {
      return DepartmentName(names, it->department_id);
    }
  }
  return "未交办";
}

void CaseTable(const PeriodFacts& f, Sources& src, std::vector<Block>& out) {
  if (f.cases.empty()) {
    out.push_back(NoData{"本期无新开、回应或超期的工单。"});
    return;
  }
  Table t;
  t.header = {"工单", "等级", "状态", "主办单位", "本期情况"};
  for (const auto& cf : f.cases) {
    std::vector<std::string> what;
    if (cf.opened) what.push_back("新开");
    if (cf.answered) what.push_back("已首次回应");
    if (cf.overdue) {
      for (const auto& d : cf.deadlines) {
        if (d.state == cases::ClockState::kOverdue) {
          what.push_back(fmt::format("{}超期", model::ObligationNameZh(d.obligation)));
        }
      }
    }
    std::string joined;
    for (const auto& w : what) joined += (joined.empty() ? "" : "、") + w;
    t.rows.push_back({CaseLink(src, cf.c), Text(GradeZh(cf.c.grade)),
                      Text(std::string(model::CaseStateNameZh(cf.c.state))),
                      Text(MainDepartment(cf.c, f.department_names)), Text(joined)});
  }
  out.push_back(std::move(t));
}

void NotableQuotes(const std::vector<PostFact>& posts, int tz, Sources& src,
                   std::vector<Block>& out) {
  if (posts.empty()) {
    out.push_back(NoData{"本期无重点信息。"});
    return;
  }
  Quotes q;
  for (const auto& p : posts) q.quotes.push_back(MakeQuote(src, p, tz));
  out.push_back(std::move(q));
}

// Suggestions for a period: each names the fact that prompts it.
Bullets PeriodSuggestions(const PeriodFacts& f, Sources& src) {
  Bullets b;
  for (const auto& e : f.events) {
    if (e.grade <= 2) {
      b.items.push_back({Text("对"), EventLink(src, e),
                         Text(fmt::format("（{}）", GradeZh(e.grade))),
                         Text(CaseStateOf(f, e.id) == "未立案"
                                  ? "尚未立案，建议即时研判、报送并交办责任单位，24小时内召开新闻发"
                                    "布会或发布情况通报。"
                                  : "持续跟踪，按“快报事实、慎报原因”原则滚动发布权威信息。")});
    } else if (e.trend == "rising" && e.negative_share >= 0.5) {
      b.items.push_back(
          {Text("关注"), EventLink(src, e),
           Text(fmt::format("：热度上升，负面占比{:.1f}%，建议提前研判并准备回应口径。",
                            e.negative_share * 100))});
    }
  }
  for (const auto& cf : f.cases) {
    if (cf.overdue) {
      b.items.push_back(
          {Text("工单"), CaseLink(src, cf.c),
           Text(fmt::format("超期未办，建议督办{}。", MainDepartment(cf.c, f.department_names)))});
    }
  }
  if (f.posts.total > 0 && f.posts.negative * 2 > f.posts.total) {
    b.items.push_back({Text(fmt::format("负面信息占比{}，超过一半，建议加强正面引导和权威发布。",
                                        Percent(f.posts.negative, f.posts.total)))});
  }
  if (b.items.empty()) b.items.push_back({Text("本期未发现需特别处置的情况，继续做好日常监测。")});
  return b;
}

Report Base(Kind kind, const Scope& s) {
  Report r;
  r.kind = kind;
  r.title = std::string(KindTitleZh(kind));
  r.from = s.from;
  r.to = s.to;
  r.generated_at = s.now;
  r.region = s.region;
  r.time_zone = s.tz;
  r.tz_minutes = s.tz_minutes;
  return r;
}

bool PeriodEmpty(const PeriodFacts& f) {
  return f.posts.total == 0 && f.events_total == 0 && f.alerts.empty() && f.cases.empty();
}

std::string ScopeName(const PeriodFacts& f) {
  if (f.scope.region.empty()) return "";
  return RegionLabel(f.region_names, f.scope.region);
}

void DomainTable(const PeriodFacts& f, std::vector<Block>& out) {
  std::array<int64_t, model::kDomainCount> events{}, posts{};
  for (const auto& e : f.events) {
    ++events[static_cast<size_t>(e.domain)];
    posts[static_cast<size_t>(e.domain)] += e.posts;
  }
  Table t;
  t.header = {"领域", "事件（个）", "事件信息量（条）"};
  std::vector<int> order;
  for (int d = 0; d < model::kDomainCount; ++d) {
    if (events[d] > 0) order.push_back(d);
  }
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return events[a] > events[b]; });
  for (int d : order) {
    t.rows.push_back(
        {Text(std::string(model::kDomainNamesZh[d])),
         Figure(fmt::format("domain.{}.events", model::kDomainNames[d]), Num(events[d])),
         Text(Num(posts[d]))});
  }
  if (t.rows.empty()) {
    out.push_back(NoData{"本期无数据：未发现舆情事件。"});
  } else {
    out.push_back(std::move(t));
  }
}

std::string Rate(const cases::Fraction& f) { return Percent(f.num, f.den); }

void AssessmentTable(const cases::Assessment& a, std::vector<Block>& out) {
  Table t;
  t.header = {"排名",   "单位",   "工单（件）", "签收及时率", "响应率",
              "按时率", "解决率", "满意率",     "得分"};
  for (size_t i : a.ranking) {
    const auto& d = a.departments[i];
    if (d.cases == 0) continue;
    t.rows.push_back({Text(Num(d.rank)), Text(d.name.empty() ? d.id : d.name),
                      Figure(fmt::format("department.{}.cases", d.id), Num(d.cases)),
                      Text(Rate(d.accepted_on_time)), Text(Rate(d.response)),
                      Text(Rate(d.on_time_all)), Text(Rate(d.resolution)),
                      Text(Rate(d.satisfaction)),
                      Text(d.score ? Fixed1(*d.score) : std::string("—"))});
  }
  if (t.rows.empty()) {
    out.push_back(NoData{"本期无数据：没有单位承办本期发现的工单。"});
    return;
  }
  t.caption = "得分按响应率、解决率、满意率加权（cases::Assess），未适用的比率不计入。";
  out.push_back(std::move(t));
}

void PatternParagraph(const cases::Assessment& a, std::vector<Block>& out) {
  cases::PatternCounts total;
  for (const auto& d : a.departments) total += d.patterns;
  if (total.any == 0) {
    out.push_back(Paragraph{{Text("本期未发现回应缺位、被动应付、推诿扯皮、虎头蛇尾等问题。")}});
    return;
  }
  Paragraph p;
  p.spans = {Text("本期发现：回应缺位"),
             Figure("patterns.ignoring", Num(total.ignoring)),
             Text("件次，被动应付"),
             Figure("patterns.passive", Num(total.passive)),
             Text("件次，推诿扯皮"),
             Figure("patterns.shirking", Num(total.shirking)),
             Text("件次，虎头蛇尾"),
             Figure("patterns.anticlimax", Num(total.anticlimax)),
             Text("件次（一件工单可涉及多个单位）。")};
  out.push_back(std::move(p));
}

}  // namespace

std::string_view KindName(Kind k) { return kKindNames[static_cast<int>(k)]; }
std::string_view KindTitleZh(Kind k) { return kKindTitles[static_cast<int>(k)]; }
std::optional<Kind> ParseKind(std::string_view name) {
  for (int i = 0; i < kKindCount; ++i) {
    if (kKindNames[i] == name) return static_cast<Kind>(i);
  }
  return std::nullopt;
}

std::string_view ChannelNameZh(model::Channel c) {
  int i = static_cast<int>(c);
  return i >= 0 && i < kChannels ? kChannelZh[i] : "其他";
}

std::string FormatDateZh(core::TimePoint t, int tz_minutes) {
  std::string iso = core::FormatIso8601(t, tz_minutes);
  int y = std::stoi(iso.substr(0, 4)), m = std::stoi(iso.substr(5, 2)),
      d = std::stoi(iso.substr(8, 2));
  return fmt::format("{}年{}月{}日", y, m, d);
}

std::string FormatDateTimeZh(core::TimePoint t, int tz_minutes) {
  std::string iso = core::FormatIso8601(t, tz_minutes);
  return FormatDateZh(t, tz_minutes) + " " + iso.substr(11, 5);
}

std::string Percent(int64_t num, int64_t den) {
  if (den <= 0) return "—";
  return fmt::format("{:.1f}%", 100.0 * static_cast<double>(num) / static_cast<double>(den));
}

std::string Change(int64_t now, int64_t before) {
  if (before <= 0) return now > 0 ? "上期为零" : "持平";
  if (now == before) return "持平";
  double pct = 100.0 * static_cast<double>(now - before) / static_cast<double>(before);
  return pct > 0 ? fmt::format("增长{:.1f}%", pct) : fmt::format("下降{:.1f}%", -pct);
}

Report AssembleDaily(const PeriodFacts& f) {
  Report r = Base(Kind::kDaily, f.scope);
  const int tz = f.scope.tz_minutes;
  r.period = PeriodText(f.scope.from, f.scope.to, tz);
  r.region_name = ScopeName(f);
  r.no_data = PeriodEmpty(f);
  r.summary = fmt::format("{}，监测信息{}条，舆情事件{}个，新增预警{}条", r.period, f.posts.total,
                          f.events_total, f.alerts.size());
  Sources& src = r.sources;

  Section overview{"一、总体态势", {}};
  if (r.no_data) {
    overview.blocks.push_back(NoData{
        fmt::format("本日（{}）无数据：未监测到相关网络信息、舆情事件、预警和工单。", r.period)});
  } else {
    overview.blocks.push_back(Overview(f, fmt::format("{}0时至24时，", r.period)));
    overview.blocks.push_back(VolumeChart(f.series, f.bucket_seconds, tz, "分时段信息量"));
  }
  r.sections.push_back(std::move(overview));

  Section channels{"二、传播渠道", {}};
  ChannelBlocks(f.posts, channels.blocks);
  r.sections.push_back(std::move(channels));

  Section regions{"三、地域分布", {}};
  RegionBlocks(f.regions, "region", true, regions.blocks);
  r.sections.push_back(std::move(regions));

  Section sentiment{"四、情感倾向", {}};
  if (f.posts.total == 0) {
    sentiment.blocks.push_back(NoData{"本日无数据。"});
  } else {
    sentiment.blocks.push_back(Paragraph{{Text(fmt::format(
        "负面{}条（{}），中性{}条，正面{}条。", f.posts.negative,
        Percent(f.posts.negative, f.posts.total), f.posts.neutral, f.posts.positive))}});
    sentiment.blocks.push_back(SentimentChart(f.series, f.bucket_seconds, tz));
  }
  r.sections.push_back(std::move(sentiment));

  Section events{"五、舆情事件", {}};
  EventTable(f, src, events.blocks, false);
  r.sections.push_back(std::move(events));

  Section alerts{"六、新增预警", {}};
  AlertTable(f, src, alerts.blocks);
  r.sections.push_back(std::move(alerts));

  Section cases{"七、工单办理", {}};
  CaseTable(f, src, cases.blocks);
  r.sections.push_back(std::move(cases));

  Section notable{"八、重点信息", {}};
  NotableQuotes(f.notable, tz, src, notable.blocks);
  r.sections.push_back(std::move(notable));

  Section advice{"九、研判建议", {}};
  advice.blocks.push_back(PeriodSuggestions(f, src));
  r.sections.push_back(std::move(advice));
  SortSources(src);
  return r;
}

Report AssemblePeriodic(Kind kind, const PeriodFacts& f) {
  Report r = Base(kind, f.scope);
  const int tz = f.scope.tz_minutes;
  const char* word = kind == Kind::kMonthly ? "本月" : "本周";
  r.period = PeriodText(f.scope.from, f.scope.to, tz);
  r.region_name = ScopeName(f);
  r.no_data = PeriodEmpty(f);
  r.summary =
      fmt::format("{}，监测信息{}条，舆情事件{}个", r.period, f.posts.total, f.events_total);
  Sources& src = r.sources;

  Section overview{"一、总体态势", {}};
  if (r.no_data) {
    overview.blocks.push_back(NoData{fmt::format(
        "{}（{}）无数据：未监测到相关网络信息、舆情事件、预警和工单。", word, r.period)});
  } else {
    overview.blocks.push_back(Overview(f, fmt::format("{}（{}），", word, r.period)));
    if (f.previous_posts) {
      Paragraph trend;
      trend.spans = {Text("与上期相比：信息量"),
                     Text(Change(f.posts.total, f.previous_posts->total)),
                     Text("（上期"),
                     Figure("previous.posts.total", Num(f.previous_posts->total)),
                     Text("条），负面信息"),
                     Text(Change(f.posts.negative, f.previous_posts->negative)),
                     Text("，舆情事件"),
                     Text(Change(f.events_total, f.previous_events_total)),
                     Text("（上期"),
                     Figure("previous.events.total", Num(f.previous_events_total)),
                     Text("个）。")};
      overview.blocks.push_back(std::move(trend));
    }
    overview.blocks.push_back(VolumeChart(f.series, f.bucket_seconds, tz, "每日信息量"));
    overview.blocks.push_back(SentimentChart(f.series, f.bucket_seconds, tz));
  }
  r.sections.push_back(std::move(overview));

  Section hot{"二、热点事件", {}};
  EventTable(f, src, hot.blocks, true);
  r.sections.push_back(std::move(hot));

  Section domains{"三、领域分布", {}};
  DomainTable(f, domains.blocks);
  r.sections.push_back(std::move(domains));

  Section regions{"四、地域分布", {}};
  RegionBlocks(f.regions, "region", true, regions.blocks);
  r.sections.push_back(std::move(regions));

  Section channels{"五、传播渠道", {}};
  ChannelBlocks(f.posts, channels.blocks);
  r.sections.push_back(std::move(channels));

  Section work{"六、工单办理与单位绩效", {}};
  CaseTable(f, src, work.blocks);
  if (f.assessment) {
    AssessmentTable(*f.assessment, work.blocks);
    PatternParagraph(*f.assessment, work.blocks);
  }
  r.sections.push_back(std::move(work));

  Section notable{"七、重点信息", {}};
  NotableQuotes(f.notable, tz, src, notable.blocks);
  r.sections.push_back(std::move(notable));

  Section advice{"八、研判建议", {}};
  advice.blocks.push_back(PeriodSuggestions(f, src));
  r.sections.push_back(std::move(advice));
  SortSources(src);
  return r;
}

namespace {

// Who is responsible: the active main department, the assisting ones, the routing's suggestion.
std::vector<Block> Responsibility(const EventFacts& f, Sources& src) {
  std::vector<Block> out;
  if (!f.c) {
    out.push_back(
        Paragraph{{Text("尚未立案交办。建议立即研判，按“属地管理、分级负责、谁主管谁负责”"
                        "确定责任单位并交办。")}});
    return out;
  }
  const model::Case& c = *f.c;
  Paragraph p;
  p.spans = {Text("工单"), CaseLink(src, c),
             Text(fmt::format("，状态：{}；主办单位：{}", model::CaseStateNameZh(c.state),
                              MainDepartment(c, f.department_names)))};
  std::string assist;
  for (const auto& a : c.assignments) {
    if (a.role == model::AssignmentRole::kAssist && a.active()) {
      assist += (assist.empty() ? "" : "、") + DepartmentName(f.department_names, a.department_id);
    }
  }
  if (!assist.empty()) p.spans.push_back(Text("；协办单位：" + assist));
  if (!c.suggested_departments.empty()) {
    std::string s;
    for (const auto& d : c.suggested_departments) {
      s += (s.empty() ? "" : "、") + DepartmentName(f.department_names, d);
    }
    p.spans.push_back(Text("；研判建议责任单位：" + s));
  }
  p.spans.push_back(Text("。"));
  out.push_back(std::move(p));
  return out;
}

std::string ClockStateZh(cases::ClockState s) {
  switch (s) {
    case cases::ClockState::kRunning:
      return "进行中";
    case cases::ClockState::kMet:
      return "按时完成";
    case cases::ClockState::kLate:
      return "逾期完成";
    case cases::ClockState::kOverdue:
      return "已超期";
  }
  return "";
}

std::string Hours(std::chrono::milliseconds ms) {
  double h = static_cast<double>(ms.count()) / 3.6e6;
  return fmt::format("{:.1f}小时", std::fabs(h));
}

void DeadlineTable(const std::vector<cases::Deadline>& deadlines, int tz, std::vector<Block>& out) {
  if (deadlines.empty()) {
    out.push_back(NoData{"无回应时限。"});
    return;
  }
  Table t;
  t.header = {"事项", "起算", "时限", "完成时间", "状态", "余量"};
  for (const auto& d : deadlines) {
    std::string margin = d.state == cases::ClockState::kRunning   ? "剩余" + Hours(d.remaining)
                         : d.state == cases::ClockState::kOverdue ? "超期" + Hours(d.remaining)
                         : d.state == cases::ClockState::kMet     ? "提前" + Hours(d.remaining)
                                                                  : "逾期" + Hours(d.remaining);
    t.rows.push_back({Text(std::string(model::ObligationNameZh(d.obligation))),
                      Text(FormatDateTimeZh(d.start, tz)), Text(FormatDateTimeZh(d.due, tz)),
                      Text(d.met_at ? FormatDateTimeZh(*d.met_at, tz) : std::string("—")),
                      Figure(fmt::format("deadline.{}", model::ObligationName(d.obligation)),
                             ClockStateZh(d.state)),
                      Text(margin)});
  }
  out.push_back(std::move(t));
}

void ResponseTable(const model::Case& c, const std::vector<EventFacts::ResponseEffect>& effects,
                   const std::map<std::string, std::string>& departments, int tz,
                   std::vector<Block>& out) {
  Table t;
  t.header = {"回应", "单位", "渠道", "发布时间", "轮次", "效果", "说明"};
  for (const auto& r : c.responses) {
    if (r.status != model::ResponseStatus::kPublished) continue;
    std::string verdict = "—", why;
    for (const auto& e : effects) {
      if (e.response_id == r.id) {
        verdict = std::string(cases::VerdictNameZh(e.effect.verdict));
        why = e.effect.explanation_zh;
      }
    }
    t.rows.push_back(
        {Text(fmt::format("#{}", r.id)), Text(DepartmentName(departments, r.department_id)),
         Text(std::string(model::kResponseChannelNamesZh[static_cast<int>(r.channel)])),
         Text(r.published_at ? FormatDateTimeZh(*r.published_at, tz) : std::string("—")),
         Text(Num(r.round)), Figure(fmt::format("response.{}.verdict", r.id), verdict),
         Text(Cut(why, 120))});
  }
  if (t.rows.empty()) {
    out.push_back(NoData{"尚无已发布的回应。"});
  } else {
    out.push_back(std::move(t));
  }
}

std::string EventLogZh(const EventFacts::LogLine& l) {
  // The event stage's details (pipeline/event_stage.cc): {"from", "to"} for grade and trend.
  nlohmann::json d = nlohmann::json::parse(l.detail_json, nullptr, false);
  auto field = [&](const char* k) {
    return d.is_object() && d.contains(k) && d[k].is_string() ? d[k].get<std::string>() : "";
  };
  if (l.kind == "new") return "首次发现，形成舆情事件";
  if (l.kind == "merge") return "与相关事件合并";
  if (l.kind == "woke") return "平息后再次升温";
  if (l.kind == "grade") {
    auto from = model::ParseGrade(field("from")), to = model::ParseGrade(field("to"));
    if (from && to) return fmt::format("风险等级由{}调整为{}", GradeZh(*from), GradeZh(*to));
    return "风险等级调整";
  }
  if (l.kind == "trend") {
    std::string from = field("from"), to = field("to");
    if (!from.empty() && !to.empty()) {
      return fmt::format("态势由{}转为{}", TrendZh(from), TrendZh(to));
    }
    return "态势变化";
  }
  if (l.kind == "burst") return "信息量突增";
  return l.kind;
}

// Turns of sentiment: consecutive windows (with at least 10 posts each) whose negative share
// moved by 20 points or more.
std::vector<std::vector<Span>> SentimentTurns(const EventFacts& f) {
  std::vector<std::vector<Span>> out;
  const Bucket* prev = nullptr;
  for (const auto& b : f.series) {
    if (b.posts < 10) continue;
    if (prev != nullptr) {
      double a = static_cast<double>(prev->negative) / static_cast<double>(prev->posts);
      double c = static_cast<double>(b.negative) / static_cast<double>(b.posts);
      if (std::fabs(c - a) >= 0.2) {
        out.push_back({Text(fmt::format("{}前后负面占比由{:.1f}%{}至{:.1f}%",
                                        FormatDateTimeZh(b.start, f.scope.tz_minutes), a * 100,
                                        c > a ? "上升" : "下降", c * 100))});
      }
    }
    prev = &b;
  }
  return out;
}

Bullets EventSuggestions(const EventFacts& f, Sources& src) {
  Bullets b;
  const auto& e = f.event;
  if (!f.c) {
    b.items.push_back({Text(
        fmt::format("事件为{}，尚未立案，建议即时立案研判并交办责任单位。", GradeZh(e.grade)))});
  }
  for (const auto& d : f.deadlines) {
    if (d.state == cases::ClockState::kOverdue) {
      b.items.push_back(
          {Text(fmt::format("“{}”已超过时限{}，建议启动督办。",
                            model::ObligationNameZh(d.obligation), Hours(d.remaining)))});
    } else if (d.state == cases::ClockState::kRunning) {
      b.items.push_back(
          {Text(fmt::format("“{}”须在{}前完成（剩余{}）。", model::ObligationNameZh(d.obligation),
                            FormatDateTimeZh(d.due, f.scope.tz_minutes), Hours(d.remaining)))});
    }
  }
  for (const auto& eff : f.effects) {
    if (eff.effect.verdict == cases::Verdict::kBackfired) {
      b.items.push_back(
          {Text(fmt::format("回应#{}后舆情不降反升（{}），建议研判原因，"
                            "由“解释”转向“解决”，准备新一轮回应。",
                            eff.response_id, Cut(eff.effect.explanation_zh, 60)))});
    } else if (eff.effect.verdict == cases::Verdict::kNoEffect) {
      b.items.push_back({Text(fmt::format(
          "回应#{}效果不明显，建议补充实质性信息（调查进展、处置措施）。", eff.response_id))});
    }
  }
  if (f.rumour_posts > 0 && f.denial_posts == 0) {
    b.items.push_back(
        {Text(fmt::format("发现疑似谣言信息{}条而无辟谣信息，建议权威部门核实后"
                          "及时澄清；涉嫌违法的按程序移交线索（须两人审核）。",
                          f.rumour_posts))});
  }
  if (e.trend == "rising") {
    b.items.push_back({Text("事件热度仍在上升，建议滚动发布权威信息，防止信息真空。")});
  }
  if (e.negative_share >= 0.5) {
    b.items.push_back({Text(fmt::format(
        "负面占比{:.1f}%，建议回应公众关切，回应内容避免“空、虚、套”。", e.negative_share * 100))});
  }
  if (b.items.empty()) b.items.push_back({Text("事件态势平稳，继续跟踪监测。")});
  (void)src;
  return b;
}

std::vector<Span> WhatIsKnown(const EventFacts& f, Sources& src) {
  const auto& e = f.event;
  const int tz = f.scope.tz_minutes;
  std::vector<Span> s = {
      EventLink(src, e),
      Text(fmt::format("：自{}首次发现至{}，累计相关信息", FormatDateTimeZh(e.first_seen, tz),
                       FormatDateTimeZh(e.last_seen, tz))),
      Figure("event.posts", Num(f.posts.total)),
      Text(fmt::format("条，涉及作者{}个，热度{}，负面", e.authors, Fixed1(e.heat))),
      Figure("event.negative", Num(f.posts.negative)),
      Text(fmt::format("条（{}），态势{}，风险等级{}。", Percent(f.posts.negative, f.posts.total),
                       TrendZh(e.trend), GradeZh(e.grade)))};
  if (!f.keywords.empty()) {
    std::string kw;
    for (size_t i = 0; i < f.keywords.size() && i < 8; ++i) {
      kw += (i ? "、" : "") + f.keywords[i];
    }
    s.push_back(Text("关键词：" + kw + "。"));
  }
  return s;
}

std::string RegionsText(const EventFacts& f) {
  std::string s;
  for (size_t i = 0; i < f.event.regions.size() && i < 5; ++i) {
    s += (i ? "、" : "") + RegionLabel(f.region_names, f.event.regions[i]);
  }
  return s.empty() ? "未标注地区" : s;
}

void RiskBlocks(const EventFacts& f, std::vector<Block>& out) {
  Paragraph p;
  p.spans = {Text("风险等级："), Figure("event.grade", GradeZh(f.event.grade)), Text("。")};
  out.push_back(std::move(p));
  if (f.risk_reasons.empty()) {
    out.push_back(NoData{"无定级依据记录。"});
    return;
  }
  Table t;
  t.header = {"因素", "说明", "数值", "阈值", "作用"};
  for (const auto& x : f.risk_reasons) {
    t.rows.push_back(
        {Text(FactorZh(x.factor)), Text(Cut(x.detail, 80)), Text(fmt::format("{:.2f}", x.value)),
         Text(fmt::format("{:.2f}", x.threshold)), Text(x.aggravating ? "加重" : "基础")});
  }
  out.push_back(std::move(t));
}

}  // namespace

Result<Report> AssembleFlash(const EventFacts& f) {
  const auto& e = f.event;
  if (e.grade > 2) {
    return Status::FailedPrecondition(fmt::format(
        "event {} is grade {} ({}): a flash report (快报) is for grade I or II events; make a "
        "special report (report event) instead",
        e.id, model::GradeName(e.grade), GradeZh(e.grade)));
  }
  Report r = Base(Kind::kFlash, f.scope);
  const int tz = f.scope.tz_minutes;
  r.period = Cut(e.title, 60);
  r.summary = fmt::format("{}：{}，{}", GradeZh(e.grade), Cut(e.title, 40), RegionsText(f));
  Sources& src = r.sources;
  r.sections.push_back({"一、基本情况", {Paragraph{WhatIsKnown(f, src)}}});
  r.sections.push_back({"二、发生地点", {Paragraph{{Text("涉及地区：" + RegionsText(f) + "。")}}}});
  std::vector<Span> when = {
      Text(fmt::format("首次发现：{}；", FormatDateTimeZh(e.first_seen, tz)))};
  if (!f.alerts.empty()) {
    AddUnique(src.alerts, f.alerts.front().id);
    when.push_back(
        Text(fmt::format("首次预警：{}（预警#{}）；",
                         FormatDateTimeZh(f.alerts.front().created_at, tz), f.alerts.front().id)));
  }
  when.push_back(Text(fmt::format(
      "截至{}已持续{}。", FormatDateTimeZh(f.scope.now, tz),
      Hours(std::chrono::duration_cast<std::chrono::milliseconds>(f.scope.now - e.first_seen)))));
  r.sections.push_back({"三、发现时间", {Paragraph{std::move(when)}}});
  Section resp{"四、责任单位与回应时限", Responsibility(f, src)};
  if (f.c) {
    DeadlineTable(f.deadlines, tz, resp.blocks);
  } else {
    core::TimePoint start = f.alerts.empty() ? e.first_seen : f.alerts.front().created_at;
    resp.blocks.push_back(Paragraph{{Text(fmt::format(
        "按规定，特别重大、重大突发事件应在24小时内举行新闻发布会，最迟应于{}前发布权威信息。",
        FormatDateTimeZh(start + std::chrono::hours(24), tz)))}});
  }
  r.sections.push_back(std::move(resp));
  Section posts{"五、代表性信息", {}};
  std::vector<PostFact> top;
  for (size_t i = 0; i < f.key_posts.size() && i < 3; ++i) top.push_back(f.key_posts[i]);
  NotableQuotes(top, tz, src, posts.blocks);
  r.sections.push_back(std::move(posts));
  SortSources(src);
  return r;
}

Report AssembleEvent(const EventFacts& f) {
  const auto& e = f.event;
  Report r = Base(Kind::kEvent, f.scope);
  const int tz = f.scope.tz_minutes;
  r.period = Cut(e.title, 60);
  r.summary = fmt::format("{}（{}）", Cut(e.title, 40), GradeZh(e.grade));
  r.no_data = f.posts.total == 0;
  Sources& src = r.sources;

  r.sections.push_back({"一、事件概述",
                        {Paragraph{WhatIsKnown(f, src)},
                         Paragraph{{Text("涉及地区：" + RegionsText(f) + "；领域：" +
                                         std::string(model::DomainNameZh(e.domain)) + "。")}}}});

  // The timeline: the event's log, its alerts and the case's published responses, in time order.
  struct Line {
    core::TimePoint at;
    std::vector<Span> spans;
  };
  std::vector<Line> lines;
  for (const auto& l : f.log) lines.push_back({l.at, {Text(EventLogZh(l))}});
  for (const auto& a : f.alerts) {
    AddUnique(src.alerts, a.id);
    lines.push_back(
        {a.created_at, {Text(fmt::format("发出{}预警（预警#{}）", GradeZh(a.level), a.id))}});
  }
  if (f.c) {
    lines.push_back({f.c->created_at, {Text("立案："), CaseLink(src, *f.c)}});
    for (const auto& resp : f.c->responses) {
      if (resp.status != model::ResponseStatus::kPublished || !resp.published_at) continue;
      lines.push_back(
          {*resp.published_at,
           {Text(fmt::format("{}发布回应#{}（{}）",
                             DepartmentName(f.department_names, resp.department_id), resp.id,
                             model::kResponseChannelNamesZh[static_cast<int>(resp.channel)]))}});
    }
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const Line& a, const Line& b) { return a.at < b.at; });
  Section timeline{"二、发展脉络", {}};
  if (lines.empty()) {
    timeline.blocks.push_back(NoData{"无记录。"});
  } else {
    Table t;
    t.header = {"时间", "经过"};
    for (auto& l : lines) {
      std::vector<Span> cell = std::move(l.spans);
      Span joined = cell.size() == 1 ? cell[0] : cell.back();
      if (cell.size() > 1) joined.text = cell[0].text + cell.back().text;
      t.rows.push_back({Text(FormatDateTimeZh(l.at, tz)), joined});
    }
    timeline.blocks.push_back(std::move(t));
  }
  r.sections.push_back(std::move(timeline));

  Section spread{"三、传播态势", {}};
  if (f.posts.total == 0) {
    spread.blocks.push_back(NoData{"无数据：事件尚无已处理的信息。"});
  } else {
    spread.blocks.push_back(VolumeChart(f.series, f.bucket_seconds, tz,
                                        f.bucket_seconds < 86400 ? "分时段信息量" : "每日信息量"));
    ChannelBlocks(f.posts, spread.blocks);
    RegionBlocks(f.regions, "event.region", false, spread.blocks);
  }
  r.sections.push_back(std::move(spread));

  Section sentiment{"四、情感倾向及其变化", {}};
  if (f.posts.total == 0) {
    sentiment.blocks.push_back(NoData{"无数据。"});
  } else {
    sentiment.blocks.push_back(
        Paragraph{{Text("负面"), Figure("event.sentiment.negative", Num(f.posts.negative)),
                   Text(fmt::format("条（{}），中性", Percent(f.posts.negative, f.posts.total))),
                   Figure("event.sentiment.neutral", Num(f.posts.neutral)), Text("条，正面"),
                   Figure("event.sentiment.positive", Num(f.posts.positive)), Text("条。")}});
    sentiment.blocks.push_back(SentimentChart(f.series, f.bucket_seconds, tz));
    auto turns = SentimentTurns(f);
    if (turns.empty()) {
      sentiment.blocks.push_back(Paragraph{{Text("情感倾向未出现明显转折。")}});
    } else {
      sentiment.blocks.push_back(Bullets{std::move(turns)});
    }
  }
  r.sections.push_back(std::move(sentiment));

  Section voices{"五、重点信息与关键意见", {}};
  if (!f.top_authors.empty()) {
    Table t;
    t.header = {"账号", "类型", "粉丝数", "发布条数"};
    for (size_t i = 0; i < f.top_authors.size() && i < 10; ++i) {
      const auto& a = f.top_authors[i];
      t.rows.push_back(
          {Text(a.name), Text(AuthorKindZh(a.kind)), Text(Num(a.followers)), Text(Num(a.posts))});
    }
    t.caption = "影响力靠前的账号";
    voices.blocks.push_back(std::move(t));
  }
  NotableQuotes(f.key_posts, tz, src, voices.blocks);
  r.sections.push_back(std::move(voices));

  Section rumour{"六、谣言信号", {}};
  if (f.rumour_posts == 0 && (!f.c || f.c->rumours.empty())) {
    rumour.blocks.push_back(Paragraph{{Text("未发现疑似谣言信息。")}});
  } else {
    rumour.blocks.push_back(
        Paragraph{{Text("疑似谣言信息"), Figure("event.rumour.posts", Num(f.rumour_posts)),
                   Text("条，辟谣信息"), Figure("event.rumour.denials", Num(f.denial_posts)),
                   Text(fmt::format(
                       "条，最高谣言分值{:.2f}。（系统信号仅供研判参考，谣言认定须经两人审核。）",
                       f.max_rumour))}});
    if (f.c) {
      for (const auto& d : f.c->rumours) {
        rumour.blocks.push_back(
            Paragraph{{Text(fmt::format("认定#{}：“{}”，状态：{}，研判人：{}。", d.id,
                                        Cut(d.claim, 60), d.status, d.judged_by))}});
      }
    }
  }
  r.sections.push_back(std::move(rumour));

  Section risk{"七、风险研判", {}};
  RiskBlocks(f, risk.blocks);
  r.sections.push_back(std::move(risk));

  Section handling{"八、交办与回应", Responsibility(f, src)};
  if (f.c) {
    DeadlineTable(f.deadlines, tz, handling.blocks);
    ResponseTable(*f.c, f.effects, f.department_names, tz, handling.blocks);
  }
  r.sections.push_back(std::move(handling));

  r.sections.push_back({"九、研判建议", {EventSuggestions(f, src)}});
  SortSources(src);
  return r;
}

Report AssembleEvaluation(const CaseFacts& f) {
  const model::Case& c = f.c;
  Report r = Base(Kind::kEvaluation, f.scope);
  const int tz = f.scope.tz_minutes;
  r.period = Cut(c.title, 60);
  r.summary = fmt::format("工单#{}：{}", c.id, Cut(c.title, 40));
  Sources& src = r.sources;
  AddUnique(src.cases, c.id);
  if (c.event_id != 0) AddUnique(src.events, c.event_id);

  Section intro{"一、事件简介", {}};
  Paragraph head;
  head.spans = {
      CaseLink(src, c),
      Text(fmt::format("，{}，发现于{}，地区：{}，当前状态：{}。", GradeZh(c.grade),
                       FormatDateTimeZh(c.detected_at, tz), RegionLabel(f.region_names, c.region),
                       model::CaseStateNameZh(c.state)))};
  if (c.event_id != 0) {
    head.spans.push_back(Text("关联事件："));
    head.spans.push_back(EventIdLink(src, c.event_id));
    if (f.event) {
      head.spans.push_back(
          Text(fmt::format("，累计信息{}条，负面{}。", f.event->posts.total,
                           Percent(f.event->posts.negative, f.event->posts.total))));
    } else {
      head.spans.push_back(Text("。"));
    }
  }
  intro.blocks.push_back(std::move(head));
  if (c.evaluation && !c.evaluation->summary.empty()) {
    intro.blocks.push_back(Paragraph{{Text(c.evaluation->summary)}});
  }
  if (f.event && f.event->posts.total > 0) {
    intro.blocks.push_back(VolumeChart(f.event->series, f.event->bucket_seconds, tz, "事件信息量"));
  }
  r.sections.push_back(std::move(intro));

  Section measures{"二、处置措施", {}};
  Table t;
  t.header = {"时间", "操作人", "事项", "状态变化"};
  for (const auto& l : f.log) {
    if (l.action == "follow_event") continue;
    std::string change =
        l.from_state == l.to_state ? "—" : fmt::format("{} → {}", l.from_state, l.to_state);
    t.rows.push_back(
        {Text(FormatDateTimeZh(l.at, tz)), Text(l.actor), Text(l.action), Text(change)});
  }
  if (t.rows.empty()) {
    measures.blocks.push_back(NoData{"无处置记录。"});
  } else {
    measures.blocks.push_back(std::move(t));
  }
  r.sections.push_back(std::move(measures));

  Section work{"三、回应工作与时限", {}};
  DeadlineTable(f.deadlines, tz, work.blocks);
  ResponseTable(c, f.effects, f.department_names, tz, work.blocks);
  auto patterns = cases::DetectPatterns(c, f.deadlines, f.scope.now);
  if (patterns.any()) {
    Bullets b;
    const bool flags[4] = {patterns.ignoring, patterns.passive, patterns.shirking,
                           patterns.anticlimax};
    const cases::PatternReason* reasons[4] = {&patterns.ignoring_reason, &patterns.passive_reason,
                                              &patterns.shirking_reason,
                                              &patterns.anticlimax_reason};
    for (int i = 0; i < 4; ++i) {
      if (flags[i]) {
        b.items.push_back({Text(fmt::format("{}：{}", cases::kPatternNamesZh[i], reasons[i]->zh))});
      }
    }
    work.blocks.push_back(std::move(b));
  } else {
    work.blocks.push_back(
        Paragraph{{Text("未发现回应缺位、被动应付、推诿扯皮、虎头蛇尾等问题。")}});
  }
  r.sections.push_back(std::move(work));

  Section reflect{"四、反思与建议", {}};
  if (!c.evaluation) {
    reflect.blocks.push_back(NoData{"评估尚未撰写：本节待研判人员填写（yuqing cases evaluate）。"});
  } else {
    if (!c.evaluation->reflections.empty()) {
      reflect.blocks.push_back(Paragraph{{Text("反思：" + c.evaluation->reflections)}});
    }
    if (!c.evaluation->suggestions.empty()) {
      reflect.blocks.push_back(Paragraph{{Text("建议：" + c.evaluation->suggestions)}});
    }
    std::string who = c.evaluation->finalised_at
                          ? fmt::format("评估定稿：{}，{}", c.evaluation->finalised_by,
                                        FormatDateTimeZh(*c.evaluation->finalised_at, tz))
                          : fmt::format("评估草稿：{}，{}（尚未定稿）", c.evaluation->drafted_by,
                                        FormatDateTimeZh(c.evaluation->drafted_at, tz));
    reflect.blocks.push_back(Paragraph{{Text(who)}});
  }
  r.sections.push_back(std::move(reflect));
  SortSources(src);
  return r;
}

Report AssembleAssessment(const PeriodFacts& f) {
  Report r = Base(Kind::kAssessment, f.scope);
  const int tz = f.scope.tz_minutes;
  r.period = PeriodText(f.scope.from, f.scope.to, tz);
  r.region_name = ScopeName(f);
  Sources& src = r.sources;
  const cases::Assessment* a = f.assessment ? &*f.assessment : nullptr;
  int64_t with_cases = 0;
  if (a != nullptr) {
    for (const auto& d : a->departments) with_cases += d.cases > 0;
  }
  r.no_data = a == nullptr || a->cases_in_period == 0;
  r.summary = fmt::format("{}，考核工单{}件", r.period, a ? a->cases_in_period : 0);

  Section overview{"一、考核概况", {}};
  if (r.no_data) {
    overview.blocks.push_back(NoData{fmt::format("{}无数据：本期没有发现的工单。", r.period)});
  } else {
    overview.blocks.push_back(
        Paragraph{{Text(fmt::format("{}，共发现并交办工单", r.period)),
                   Figure("assessment.cases", Num(a->cases_in_period)), Text("件，涉及承办单位"),
                   Figure("assessment.departments", Num(with_cases)),
                   Text("个。考核指标包括签收及时率、响应率、按时率、解决率、满意率。")}});
  }
  r.sections.push_back(std::move(overview));

  Section ranking{"二、考核排名", {}};
  if (a != nullptr && !r.no_data) {
    AssessmentTable(*a, ranking.blocks);
  } else {
    ranking.blocks.push_back(NoData{"本期无数据。"});
  }
  r.sections.push_back(std::move(ranking));

  auto notice_items = [&](model::NoticeKind kind) {
    Bullets b;
    for (const auto& n : f.notices) {
      if (n.notice.kind != kind) continue;
      AddUnique(src.cases, n.case_id);
      b.items.push_back({Text(DepartmentName(f.department_names, n.notice.department_id) + "："),
                         Text(Cut(n.notice.text, 120)),
                         Text(fmt::format("（{}，", FormatDateZh(n.notice.at, tz))),
                         LinkTo(CaseHref(n.case_id), fmt::format("工单#{}", n.case_id)),
                         Text("）")});
    }
    return b;
  };
  Section praise{"三、通报表扬", {}};
  Bullets good = notice_items(model::NoticeKind::kCommendation);
  if (a != nullptr) {
    for (size_t i : a->ranking) {
      const auto& d = a->departments[i];
      if (d.cases > 0 && d.score && *d.score >= 90 && d.patterns.any == 0) {
        good.items.push_back(
            {Text(fmt::format("{}：考核得分{}，排名第{}，回应及时、处置有力。",
                              d.name.empty() ? d.id : d.name, Fixed1(*d.score), d.rank))});
      }
    }
  }
  if (good.items.empty()) {
    praise.blocks.push_back(Paragraph{{Text("本期无表扬事项。")}});
  } else {
    praise.blocks.push_back(std::move(good));
  }
  r.sections.push_back(std::move(praise));

  Section criticise{"四、通报批评", {}};
  Bullets bad = notice_items(model::NoticeKind::kCriticism);
  Bullets interviews = notice_items(model::NoticeKind::kInterview);
  for (auto& i : interviews.items) {
    i.insert(i.begin(), Text("约谈 "));
    bad.items.push_back(std::move(i));
  }
  if (a != nullptr) {
    for (size_t i : a->ranking) {
      const auto& d = a->departments[i];
      if (d.patterns.any == 0) continue;
      bad.items.push_back({Text(
          fmt::format("{}：回应缺位{}件、被动应付{}件、推诿扯皮{}件、虎头蛇尾{}件，须限期整改。",
                      d.name.empty() ? d.id : d.name, d.patterns.ignoring, d.patterns.passive,
                      d.patterns.shirking, d.patterns.anticlimax))});
    }
  }
  if (bad.items.empty()) {
    criticise.blocks.push_back(Paragraph{{Text("本期无批评事项。")}});
  } else {
    criticise.blocks.push_back(std::move(bad));
  }
  r.sections.push_back(std::move(criticise));
  SortSources(src);
  return r;
}

}  // namespace yuqing::reports
