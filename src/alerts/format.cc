// Message building. The formats follow the robots' public documentation:
//  - WeCom (企业微信) group robot, "群机器人配置说明",
//    https://developer.work.weixin.qq.com/document/path/91770 : {"msgtype":"markdown",
//    "markdown":{"content":…}}, content at most 4096 bytes of UTF-8; answer {"errcode":0,…}.
//  - DingTalk (钉钉) custom robot, "自定义机器人发送群消息" and "自定义机器人安全设置",
//    https://open.dingtalk.com/document/robots/custom-robot-access and
//    https://open.dingtalk.com/document/robots/customize-robot-security-settings :
//    {"msgtype":"markdown","markdown":{"title","text"}}; signing: string_to_sign = timestamp
//    (ms) + "\n" + secret, HMAC-SHA256 keyed with the secret, base64, URL-encoded, sent as
//    `timestamp=` and `sign=` query parameters; answer {"errcode":0,"errmsg":"ok"}.
//  - Feishu (飞书) custom bot, "自定义机器人使用指南",
//    https://open.feishu.cn/document/client-docs/bot-v3/add-custom-bot : {"msg_type":"post",
//    "content":{"post":{"zh_cn":{"title","content":[[{"tag":"text"|"a",…}]]}}}}; signing:
//    key = timestamp (s) + "\n" + secret, HMAC-SHA256 over empty data, base64, sent as
//    "timestamp" and "sign" body fields; answer {"code":0,…}; body at most 20 KB.
//  - Email: RFC 5322 (message), RFC 2045 (MIME, base64 body), RFC 2047 (encoded subject),
//    RFC 3834 (Auto-Submitted).
#include "alerts/format.h"

#include <fmt/format.h>
#include <sodium.h>

#include <cctype>
#include <nlohmann/json.hpp>

#include "alerts/policy_json.h"
#include "core/time.h"
#include "core/utf8.h"
#include "model/case.h"

namespace yuqing::alerts {
namespace {

using nlohmann::json;

constexpr size_t kMaxPosts = 3;
constexpr size_t kMaxReasons = 5;
constexpr size_t kMaxKeywords = 10;
constexpr size_t kMaxRegions = 10;

// --- What the payload says, read leniently.

struct PostView {
  std::string source, title, text, url, published_at;
};

struct View {
  bool en = false;
  int64_t alert_id = 0;
  int level = 4;
  int previous_level = 0;
  std::string title;
  std::string grade_zh;  // 重大 …, from the payload when given
  double heat = -1;
  std::string trend;
  std::string domain, domain_zh;
  std::vector<std::string> regions;
  std::string first_seen, last_seen;
  int64_t posts = -1, authors = -1;
  double negative_share = -1;
  std::string policy_name;
  std::vector<std::string> reasons, keywords;
  std::vector<PostView> post_list;
  // A case notice (docs/cases.md "Supervision"): the case, what is said, the obligation and
  // when it is due, instead of an event summary.
  bool case_notice = false;
  int64_t case_id = 0;
  std::string notice_text;
  std::string obligation;  // in the message's language
  std::string due;         // ISO-8601, as the payload gives it
  // A report delivered or submitted upward (docs/reports.md "Archive and submission").
  bool report = false;
  int64_t report_id = 0;
  std::string report_title, number, summary, office, to_name, link_base, receipt;
  std::vector<std::string> attach;
};

// The first `n` characters of `s` (one line), with "…" when cut.
std::string Cap(std::string_view s, size_t n) {
  std::string line = core::SanitizeUtf8(s);
  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  size_t pos = 0, count = 0;
  while (pos < line.size() && count < n) {
    (void)core::DecodeUtf8(line, pos);
    ++count;
  }
  if (pos >= line.size()) return line;
  return line.substr(0, pos) + "…";
}

std::string Str(const json& j, const char* key, size_t cap = 200) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_string()) return "";
  return Cap(j[key].get<std::string>(), cap);
}

double Num(const json& j, const char* key, double fallback) {
  if (!j.is_object() || !j.contains(key) || !j[key].is_number()) return fallback;
  return j[key].get<double>();
}

View Read(const model::Alert& alert) {
  View v;
  v.en = alert.language == "en";
  v.alert_id = alert.id;
  v.level = alert.level;
  v.previous_level = alert.previous_level;
  v.title = Cap(alert.title, 100);
  v.case_id = alert.case_id;
  v.case_notice = alert.case_id != 0;
  json p = json::parse(alert.payload_json, nullptr, /*allow_exceptions=*/false);
  if (!p.is_object()) return v;
  if (Str(p, "kind", 20) == "report") {
    // {"kind":"report","report_title":…,"title":…,"summary":…,"number":…,"link_base":…,
    //  "receipt":URL (a submission),"to_name":…,"attach":["pdf","docx"]}
    v.case_notice = false;
    v.report = true;
    v.report_id = ReportIdOf(alert);
    v.report_title = Str(p, "report_title", 40);
    v.number = Str(p, "number", 40);
    v.summary = Str(p, "summary", 500);
    v.office = Str(p, "office", 100);
    v.to_name = Str(p, "to_name", 100);
    v.link_base = Str(p, "link_base", 300);
    v.receipt = Str(p, "receipt", 400);
    if (p.contains("attach") && p["attach"].is_array()) {
      for (const auto& f : p["attach"]) {
        if (f.is_string()) v.attach.push_back(Cap(f.get<std::string>(), 10));
      }
    }
    return v;
  }
  if (v.case_notice || Str(p, "kind", 20) == "case_notice") {
    // {"kind":"case_notice","case_id":N,"text":…,"obligation":"respond","due":ISO time}
    v.case_notice = true;
    if (v.case_id == 0) v.case_id = static_cast<int64_t>(Num(p, "case_id", 0));
    v.notice_text = Str(p, "text", 1000);
    std::string ob = Str(p, "obligation", 40);
    auto known = model::ParseObligation(ob);
    v.obligation = known && !v.en ? std::string(model::ObligationNameZh(*known)) : ob;
    v.due = Str(p, "due", 40);
    return v;
  }
  const json& e = p.contains("event") ? p["event"] : json();
  if (v.title.empty()) v.title = Str(e, "title", 100);
  v.grade_zh = Str(e, "grade_name_zh", 20);
  v.heat = Num(e, "heat", -1);
  v.trend = Str(e, "trend", 20);
  v.domain = Str(e, "domain", 40);
  v.domain_zh = Str(e, "domain_zh", 40);
  // Names when the payload has them (the event stage adds them), else the codes.
  const char* regions_key =
      e.is_object() && e.contains("region_names") && e["region_names"].is_array() ? "region_names"
                                                                                  : "regions";
  if (e.is_object() && e.contains(regions_key) && e[regions_key].is_array()) {
    for (const auto& r : e[regions_key]) {
      if (r.is_string() && v.regions.size() < kMaxRegions)
        v.regions.push_back(Cap(r.get<std::string>(), 40));
    }
  }
  v.first_seen = Str(e, "first_seen", 40);
  v.last_seen = Str(e, "last_seen", 40);
  v.posts = static_cast<int64_t>(Num(e, "posts", -1));
  v.authors = static_cast<int64_t>(Num(e, "authors", -1));
  v.negative_share = Num(e, "negative_share", -1);
  if (p.contains("policy")) v.policy_name = Str(p["policy"], "name", 60);
  if (p.contains("reasons") && p["reasons"].is_array()) {
    for (const auto& r : p["reasons"]) {
      std::string d = Str(r, "detail", 120);
      if (!d.empty() && v.reasons.size() < kMaxReasons) v.reasons.push_back(std::move(d));
    }
  }
  if (p.contains("keywords") && p["keywords"].is_array()) {
    for (const auto& k : p["keywords"]) {
      if (k.is_string() && v.keywords.size() < kMaxKeywords) {
        v.keywords.push_back(Cap(k.get<std::string>(), 20));
      }
    }
  }
  if (p.contains("posts") && p["posts"].is_array()) {
    for (const auto& q : p["posts"]) {
      if (v.post_list.size() >= kMaxPosts) break;
      PostView pv{Str(q, "source", 30), Str(q, "title", 60), Str(q, "text", 120), "",
                  Str(q, "published_at", 40)};
      std::string url = q.is_object() && q.contains("url") && q["url"].is_string()
                            ? q["url"].get<std::string>()
                            : "";
      if (IsHttpUrl(url) && url.size() <= 1000) pv.url = url;
      v.post_list.push_back(std::move(pv));
    }
  }
  return v;
}

// --- Words.

std::string_view GradeWord(int grade, bool en) {
  static constexpr std::string_view kZh[] = {"特别重大", "重大", "较大", "一般"};
  static constexpr std::string_view kEn[] = {"particularly serious", "major", "relatively major",
                                             "general"};
  if (grade < 1 || grade > 4) return "?";
  return en ? kEn[grade - 1] : kZh[grade - 1];
}

// "II级（重大）" / "Grade II (major)".
std::string GradeLabel(int grade, bool en) {
  return en ? fmt::format("Grade {} ({})", GradeRoman(grade), GradeWord(grade, en))
            : fmt::format("{}级（{}）", GradeRoman(grade), GradeWord(grade, en));
}

std::string TrendWord(const std::string& trend, bool en) {
  if (en) return trend;
  if (trend == "rising") return "上升";
  if (trend == "peaking") return "高位";
  if (trend == "declining") return "回落";
  if (trend == "dormant") return "平息";
  return trend;
}

// "2026-11-21T08:00:00+08:00" → "2026-11-21 08:00"; anything else as it is.
std::string ShortTime(const std::string& iso) {
  if (iso.size() >= 16 && iso[10] == 'T') return iso.substr(0, 10) + " " + iso.substr(11, 5);
  return iso;
}

std::string Joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

// --- A small document model: lines of spans, rendered as markdown, plain text or Feishu post.

struct Span {
  Span(std::string t, bool b = false, std::string h = "")  // NOLINT(google-explicit-constructor)
      : text(std::move(t)), bold(b), href(std::move(h)) {}
  Span(const char* t) : text(t) {}  // NOLINT(google-explicit-constructor)
  std::string text;
  bool bold = false;
  std::string href;  // a link when set
};
enum class LineKind { kHeading, kPlain, kQuote, kBullet };
struct Line {
  LineKind kind = LineKind::kPlain;
  std::vector<Span> spans;
};

struct Doc {
  std::string title;  // the heading text (also the DingTalk title and email subject)
  std::vector<Line> body;
  Line footer;
};

// A case notice: the case, its grade, what is owed by when, and what the notice says.
Doc BuildNotice(const View& v, std::string_view key) {
  const bool en = v.en;
  Doc d;
  std::string title =
      v.title.empty() ? (en ? fmt::format("Case {}", v.case_id) : fmt::format("工单 {}", v.case_id))
                      : v.title;
  d.title = en ? "[Case notice] " + title : "【工单提醒】" + title;
  std::vector<Span> head = {
      {en ? fmt::format("Case {}", v.case_id) : fmt::format("工单 {}", v.case_id), true, ""}};
  if (v.level >= 1 && v.level <= 4) head.push_back(" · " + GradeLabel(v.level, en));
  d.body.push_back({LineKind::kPlain, std::move(head)});
  if (!v.obligation.empty()) {
    d.body.push_back(
        {LineKind::kPlain, {{en ? "Obligation: " : "事项：", true, ""}, {v.obligation}}});
  }
  if (!v.due.empty()) {
    d.body.push_back({LineKind::kPlain, {{en ? "Due: " : "期限：", true, ""}, {ShortTime(v.due)}}});
  }
  if (!v.notice_text.empty()) d.body.push_back({LineKind::kQuote, {{v.notice_text}}});
  std::string footer =
      en ? fmt::format("Case {} · alert {} · key {}", v.case_id, v.alert_id, key)
         : fmt::format("工单 {} · 预警编号 {} · 幂等键 {}", v.case_id, v.alert_id, key);
  d.footer = {LineKind::kPlain, {{footer}}};
  return d;
}

// A report: what it is, its summary, where to read and download it, and for a submission
// upward the link that confirms receipt.
Doc BuildReport(const View& v, std::string_view key) {
  const bool en = v.en;
  Doc d;
  bool submission = !v.receipt.empty();
  d.title = submission ? (en ? "[Report submitted] " : "【舆情报送】") + v.title
                       : (en ? "[Report] " : "【舆情报告】") + v.title;
  std::vector<Span> head = {{v.report_title.empty() ? v.title : v.report_title, true, ""}};
  if (!v.number.empty()) head.push_back(" " + v.number);
  d.body.push_back({LineKind::kPlain, std::move(head)});
  if (submission) {
    std::string line = en ? fmt::format("From {} to {}", v.office, v.to_name)
                          : fmt::format("{} 报 {}", v.office, v.to_name);
    d.body.push_back({LineKind::kPlain, {{line}}});
  }
  if (!v.summary.empty()) d.body.push_back({LineKind::kQuote, {{v.summary}}});
  if (v.report_id > 0 && !v.link_base.empty()) {
    std::string base = fmt::format("{}/api/v1/archive/{}/file/", v.link_base, v.report_id);
    std::vector<Span> links = {{en ? "Read: " : "阅读：", true, ""},
                               {en ? "HTML" : "网页版", false, base + "html"}};
    for (const auto& f : v.attach) {
      links.push_back(" · ");
      std::string upper = f;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      links.push_back({upper, false, base + f});
    }
    d.body.push_back({LineKind::kPlain, std::move(links)});
  }
  if (submission) {
    d.body.push_back({LineKind::kPlain,
                      {{en ? "Confirm receipt: " : "确认签收：", true, ""},
                       {en ? "open this link" : "点击此链接", false, v.receipt},
                       {" " + v.receipt}}});
  }
  std::string footer =
      en ? fmt::format("Report {} · alert {} · key {}", v.report_id, v.alert_id, key)
         : fmt::format("报告编号 {} · 投递编号 {} · 幂等键 {}", v.report_id, v.alert_id, key);
  d.footer = {LineKind::kPlain, {{footer}}};
  return d;
}

Doc Build(const View& v, std::string_view key) {
  if (v.report) return BuildReport(v, key);
  if (v.case_notice) return BuildNotice(v, key);
  const bool en = v.en;
  Doc d;
  bool escalation = v.previous_level != 0 && v.previous_level > v.level;
  d.title = en ? fmt::format("[{}] {}", escalation ? "Alert escalated" : "Alert", v.title)
               : fmt::format("【{}】{}", escalation ? "预警升级" : "舆情预警", v.title);
  auto add = [&](LineKind kind, std::vector<Span> spans) {
    d.body.push_back({kind, std::move(spans)});
  };

  std::string facts = GradeLabel(v.level, en);
  std::vector<Span> head = {{facts, true, ""}};
  if (v.heat >= 0) {
    head.push_back(en ? fmt::format(" · heat {:.1f}", v.heat)
                      : fmt::format(" · 热度 {:.1f}", v.heat));
  }
  if (!v.trend.empty()) {
    head.push_back(en ? fmt::format(" · trend {}", v.trend)
                      : fmt::format(" · 趋势{}", TrendWord(v.trend, en)));
  }
  add(LineKind::kPlain, std::move(head));
  if (escalation) {
    add(LineKind::kQuote,
        {{en ? fmt::format("Escalated from {} to {}", GradeLabel(v.previous_level, en),
                           GradeLabel(v.level, en))
             : fmt::format("升级：由 {} 升为 {}", GradeLabel(v.previous_level, en),
                           GradeLabel(v.level, en))}});
  }
  if (!v.regions.empty()) {
    add(LineKind::kPlain,
        {{en ? "Regions: " : "地区：", true, ""}, {Joined(v.regions, en ? ", " : "、")}});
  }
  std::string domain = en ? v.domain : (v.domain_zh.empty() ? v.domain : v.domain_zh);
  if (!domain.empty()) add(LineKind::kPlain, {{en ? "Domain: " : "领域：", true, ""}, {domain}});
  if (!v.first_seen.empty()) {
    std::string span = ShortTime(v.first_seen);
    if (!v.last_seen.empty()) span += (en ? " to " : " 至 ") + ShortTime(v.last_seen);
    add(LineKind::kPlain, {{en ? "Time: " : "时间：", true, ""}, {span}});
  }
  if (v.posts >= 0) {
    std::string counts = en ? fmt::format("{} posts", v.posts) : fmt::format("{} 条", v.posts);
    if (v.authors >= 0) {
      counts +=
          en ? fmt::format(" by {} authors", v.authors) : fmt::format("，{} 个作者", v.authors);
    }
    if (v.negative_share >= 0) {
      counts += en ? fmt::format(", {:.0f}% negative", v.negative_share * 100)
                   : fmt::format("，负面 {:.0f}%", v.negative_share * 100);
    }
    add(LineKind::kPlain, {{en ? "Posts: " : "规模：", true, ""}, {counts}});
  }
  if (!v.reasons.empty()) {
    add(LineKind::kPlain, {{en ? "Why this grade" : "研判依据", true, ""}});
    for (const auto& r : v.reasons) add(LineKind::kBullet, {{r}});
  }
  if (!v.keywords.empty()) {
    add(LineKind::kPlain,
        {{en ? "Keywords: " : "关键词：", true, ""}, {Joined(v.keywords, en ? ", " : "、")}});
  }
  if (!v.post_list.empty()) {
    add(LineKind::kPlain, {{en ? "Posts" : "代表性条目", true, ""}});
    for (const auto& p : v.post_list) {
      std::vector<Span> spans;
      std::string lead;
      if (!p.source.empty()) lead += "[" + p.source + "] ";
      if (!p.title.empty()) lead += (en ? "\"" : "《") + p.title + (en ? "\" " : "》");
      lead += p.text;
      spans.push_back({lead});
      if (!p.url.empty()) {
        spans.push_back({" "});
        spans.push_back({en ? "link" : "原文", false, p.url});
      }
      add(LineKind::kBullet, std::move(spans));
    }
  }
  std::string footer =
      en ? fmt::format("Alert {}{} · key {}", v.alert_id,
                       v.policy_name.empty() ? "" : " · policy \"" + v.policy_name + "\"", key)
         : fmt::format("预警编号 {}{} · 幂等键 {}", v.alert_id,
                       v.policy_name.empty() ? "" : " · 策略“" + v.policy_name + "”", key);
  d.footer = {LineKind::kPlain, {{footer}}};
  return d;
}

// Replaces the characters markdown (and the robots' HTML-like extensions such as WeCom's
// <font> and <@userid>) would interpret with their full-width forms, which read the same in
// Chinese text: no escape syntax is shared by all three robots.
std::string EscapeMarkdown(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '*':
        out += "＊";
        break;
      case '_':
        out += "＿";
        break;
      case '[':
        out += "［";
        break;
      case ']':
        out += "］";
        break;
      case '`':
        out += "｀";
        break;
      case '<':
        out += "＜";
        break;
      case '>':
        out += "＞";
        break;
      case '#':
        out += "＃";
        break;
      case '|':
        out += "｜";
        break;
      case '~':
        out += "～";
        break;
      case '\\':
        out += "＼";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A URL inside "(…)" of a markdown link: characters that would end it are percent-encoded.
std::string MarkdownUrl(std::string_view url) {
  std::string out;
  for (char c : url) {
    if (c == '(' || c == ')' || c == ' ' || c == '[' || c == ']' || c == '<' || c == '>') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
}

std::string MarkdownLine(const Line& line) {
  std::string out;
  switch (line.kind) {
    case LineKind::kHeading:
      out += "## ";
      break;
    case LineKind::kQuote:
      out += "> ";
      break;
    case LineKind::kBullet:
      out += "- ";
      break;
    case LineKind::kPlain:
      break;
  }
  for (const auto& s : line.spans) {
    if (!s.href.empty()) {
      out += fmt::format("[{}]({})", EscapeMarkdown(s.text), MarkdownUrl(s.href));
    } else if (s.bold) {
      out += "**" + EscapeMarkdown(s.text) + "**";
    } else {
      out += EscapeMarkdown(s.text);
    }
  }
  return out;
}

std::string PlainLine(const Line& line) {
  std::string out;
  switch (line.kind) {
    case LineKind::kHeading:
      break;
    case LineKind::kQuote:
      out += "> ";
      break;
    case LineKind::kBullet:
      out += "  - ";
      break;
    case LineKind::kPlain:
      break;
  }
  for (const auto& s : line.spans) {
    out += s.text;
    if (!s.href.empty()) out += ": " + s.href;
  }
  return out;
}

// Lines joined by `sep`, the footer always last; lines that would pass `limit` bytes are
// left out (marked "…"), and a single line too long for the room is cut.
template <typename Render>
std::string Fit(const std::vector<std::string>& head, const Doc& d, Render render,
                std::string_view sep, size_t limit) {
  std::string footer = render(d.footer);
  std::vector<std::string> lines = head;
  for (const auto& l : d.body) lines.push_back(render(l));
  std::string out;
  const std::string_view kCut = "…";
  for (size_t i = 0; i < lines.size(); ++i) {
    size_t need = (out.empty() ? 0 : sep.size()) + lines[i].size();
    size_t reserve = sep.size() + kCut.size() + sep.size() + footer.size();
    if (out.size() + need + reserve > limit) {
      if (out.empty()) {
        size_t room = limit > reserve ? limit - reserve : 0;
        out = std::string(TruncateUtf8(lines[i], room));
      }
      out += std::string(sep) + std::string(kCut);
      break;
    }
    if (!out.empty()) out += sep;
    out += lines[i];
  }
  out += std::string(sep) + footer;
  return std::string(TruncateUtf8(out, limit));
}

std::string Markdown(const Doc& d, std::string_view sep, size_t limit) {
  return Fit({"## " + EscapeMarkdown(d.title)}, d, MarkdownLine, sep, limit);
}

json FeishuLine(const Line& line) {
  json spans = json::array();
  std::string lead = line.kind == LineKind::kBullet  ? "• "
                     : line.kind == LineKind::kQuote ? "｜"
                                                     : "";
  for (const auto& s : line.spans) {
    if (!s.href.empty()) {
      spans.push_back({{"tag", "a"}, {"text", s.text}, {"href", s.href}});
    } else {
      spans.push_back({{"tag", "text"}, {"text", lead + s.text}});
      lead.clear();
    }
  }
  return spans;
}

std::string Header(std::string_view name, std::string_view value) {
  return fmt::format("{}: {}\r\n", name, value);
}

void AddSignedHeaders(HttpMessage& m, const model::OutboxItem& item, core::TimePoint now) {
  // Generic webhook: our own scheme, documented in docs/alerts.md: hex HMAC-SHA256 of
  // "<unix seconds>.<body>" under the secret, like common webhook senders do.
  std::string ts = std::to_string(
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  std::string mac = HmacSha256(item.target.secret, ts + "." + m.body);
  std::string hex;
  for (unsigned char c : mac) hex += fmt::format("{:02x}", c);
  m.headers.emplace_back("X-Yuqing-Timestamp", ts);
  m.headers.emplace_back("X-Yuqing-Signature", "sha256=" + hex);
}

}  // namespace

std::string_view TruncateUtf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::string UrlEncode(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    out += unreserved ? std::string(1, c) : fmt::format("%{:02X}", static_cast<unsigned char>(c));
  }
  return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
  crypto_auth_hmacsha256_state state;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                              key.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(data.data()),
                                data.size());
  crypto_auth_hmacsha256_final(&state, mac);
  return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
}

std::string EncodeHeaderWord(std::string_view text) {
  bool ascii = std::all_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f;
  });
  if (ascii && text.size() <= 900) return std::string(text);
  // "=?UTF-8?B?" + base64 + "?=" ≤ 75 characters leaves 63 for base64: 45 bytes of text.
  constexpr size_t kChunk = 45;
  std::string clean = core::SanitizeUtf8(text);
  std::string out;
  std::string_view rest = clean;
  while (!rest.empty()) {
    std::string_view piece = TruncateUtf8(rest, kChunk);
    if (piece.empty()) piece = rest.substr(0, 1);  // cannot happen with valid UTF-8
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(piece) + "?=";
    rest.remove_prefix(piece.size());
  }
  return out;
}

std::string Rfc5322Date(core::TimePoint t) {
  using namespace std::chrono;
  auto days = floor<std::chrono::days>(t);
  year_month_day ymd{days};
  weekday wd{days};
  hh_mm_ss hms{floor<seconds>(t - days)};
  static constexpr std::string_view kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::string_view kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                 "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000", kDays[wd.c_encoding()],
                     static_cast<unsigned>(ymd.day()),
                     kMonths[static_cast<unsigned>(ymd.month()) - 1], static_cast<int>(ymd.year()),
                     hms.hours().count(), hms.minutes().count(), hms.seconds().count());
}

std::string AlertText(const model::Alert& alert, std::string_view key) {
  Doc d = Build(Read(alert), key);
  std::string out = d.title + "\n\n";
  for (const auto& l : d.body) out += PlainLine(l) + "\n";
  out += "\n" + PlainLine(d.footer) + "\n";
  return out;
}

int64_t ReportIdOf(const model::Alert& alert) {
  std::string_view key = alert.dedup_key;
  if (key.substr(0, 7) != "report:") return 0;
  // "report:deliver:<id>" or "report:<id>:submit:<submission>"
  std::string_view rest = key.substr(7);
  if (rest.substr(0, 8) == "deliver:") rest.remove_prefix(8);
  int64_t id = 0;
  for (char c : rest) {
    if (c < '0' || c > '9') break;
    id = id * 10 + (c - '0');
    if (id > (int64_t{1} << 50)) return 0;
  }
  return id;
}

std::vector<std::string> ReportAttachments(const model::Alert& alert) {
  if (ReportIdOf(alert) == 0) return {};
  return Read(alert).attach;
}

Result<HttpMessage> FormatHttp(const model::Alert& alert, const model::OutboxItem& item,
                               core::TimePoint now) {
  HttpMessage m;
  m.url = item.target.address;
  m.headers.emplace_back("Idempotency-Key", item.idempotency_key);
  m.headers.emplace_back("X-Yuqing-Alert-Id", std::to_string(alert.id));
  View v = Read(alert);
  Doc d = Build(v, item.idempotency_key);
  const std::string& secret = item.target.secret;
  switch (item.target.kind) {
    case model::TargetKind::kWebhook: {
      json payload = json::parse(alert.payload_json, nullptr, /*allow_exceptions=*/false);
      if (!payload.is_object()) payload = json::object();
      json body = {{"type", "yuqing.alert"},
                   {"idempotency_key", item.idempotency_key},
                   {"alert",
                    {{"id", alert.id},
                     {"event_id", alert.event_id},
                     {"policy_id", alert.policy_id},
                     {"level", alert.level},
                     {"level_name", GradeRoman(alert.level)},
                     {"previous_level", alert.previous_level},
                     {"escalation", alert.previous_level > alert.level},
                     {"title", alert.title},
                     {"language", alert.language},
                     {"created_at", core::FormatIso8601(alert.created_at)}}},
                   {"text", AlertText(alert, item.idempotency_key)}};
      for (const char* key : {"event", "policy", "reasons", "keywords", "posts"}) {
        body[key] = payload.contains(key) ? payload[key] : json();
      }
      if (v.report) {
        body["type"] = "yuqing.report";
        body["alert"]["dedup_key"] = alert.dedup_key;
        body["report"] = payload;
        body["report"]["id"] = v.report_id;
        if (v.report_id > 0 && !v.link_base.empty()) {
          body["report"]["url"] =
              fmt::format("{}/api/v1/archive/{}/file/html", v.link_base, v.report_id);
        }
      }
      if (v.case_notice) {
        body["alert"]["case_id"] = v.case_id;
        body["alert"]["dedup_key"] = alert.dedup_key;
        body["notice"] = payload;
      }
      m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
      if (!secret.empty()) AddSignedHeaders(m, item, now);
      return m;
    }
    case model::TargetKind::kWeCom: {
      json body = {{"msgtype", "markdown"},
                   {"markdown", {{"content", Markdown(d, "\n", kWeComMarkdownLimit)}}}};
      m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
      return m;
    }
    case model::TargetKind::kDingTalk: {
      // DingTalk's markdown joins lines separated by a single newline: paragraphs instead.
      json body = {{"msgtype", "markdown"},
                   {"markdown",
                    {{"title", std::string(TruncateUtf8(d.title, 200))},
                     {"text", Markdown(d, "\n\n", kDingTalkTextLimit)}}}};
      m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
      if (!secret.empty()) {
        std::string ts = std::to_string(now.time_since_epoch().count());
        std::string sign = UrlEncode(Base64(HmacSha256(secret, ts + "\n" + secret)));
        m.url += (m.url.find('?') == std::string::npos ? "?" : "&");
        m.url += "timestamp=" + ts + "&sign=" + sign;
      }
      return m;
    }
    case model::TargetKind::kFeishu: {
      json content = json::array();
      size_t used = d.title.size();
      bool cut = false;
      for (const auto& l : d.body) {
        std::string plain = PlainLine(l);
        if (used + plain.size() + 200 > kFeishuTextLimit) {
          cut = true;
          break;
        }
        used += plain.size();
        content.push_back(FeishuLine(l));
      }
      if (cut) content.push_back(json::array({{{"tag", "text"}, {"text", "…"}}}));
      content.push_back(FeishuLine(d.footer));
      json body = {{"msg_type", "post"},
                   {"content",
                    {{"post",
                      {{v.en ? "en_us" : "zh_cn",
                        {{"title", std::string(TruncateUtf8(d.title, 300))},
                         {"content", std::move(content)}}}}}}}};
      if (!secret.empty()) {
        std::string ts = std::to_string(
            std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
        body["timestamp"] = ts;
        body["sign"] = Base64(HmacSha256(ts + "\n" + secret, ""));
      }
      m.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
      return m;
    }
    case model::TargetKind::kEmail:
      break;
  }
  return Status::InvalidArgument(
      fmt::format("outbox item {} is an email; it has no HTTP message", item.id));
}

Result<EmailMessage> FormatEmail(const model::Alert& alert, const model::OutboxItem& item,
                                 std::string_view from, core::TimePoint now,
                                 const std::vector<Attachment>& attachments) {
  if (item.target.kind != model::TargetKind::kEmail) {
    return Status::InvalidArgument(fmt::format("outbox item {} is not an email", item.id));
  }
  if (!IsEmailAddress(from)) {
    return Status::InvalidArgument(
        fmt::format("alerts.smtp_from \"{}\" is not an email address", from));
  }
  if (!IsEmailAddress(item.target.address)) {
    return Status::InvalidArgument(fmt::format("outbox item {}: \"{}\" is not an email address",
                                               item.id, item.target.address));
  }
  EmailMessage m;
  m.from = std::string(from);
  m.to = {item.target.address};
  Doc d = Build(Read(alert), item.idempotency_key);
  m.subject = d.title;
  std::string domain = m.from.substr(m.from.find('@') + 1);
  std::string data;
  data += Header("From", fmt::format("yuqing <{}>", m.from));
  data += Header("To", fmt::format("<{}>", item.target.address));
  data += Header("Subject", EncodeHeaderWord(m.subject));
  data += Header("Date", Rfc5322Date(now));
  // The same Message-ID on every attempt: a mail system or reader can drop a repeat.
  data += Header("Message-ID", fmt::format("<{}@{}>", item.idempotency_key, domain));
  data += Header("X-Yuqing-Idempotency-Key", item.idempotency_key);
  data += Header("X-Yuqing-Alert-Id", std::to_string(alert.id));
  data += Header("Auto-Submitted", "auto-generated");
  data += Header("MIME-Version", "1.0");
  // Text in canonical form (CRLF line ends, RFC 2046 §4.1.1) before the base64 encoding.
  std::string text;
  for (char c : AlertText(alert, item.idempotency_key)) {
    if (c == '\n') text += '\r';
    text += c;
  }
  auto base64_lines = [](std::string_view bytes) {
    std::string b64 = Base64(bytes), out;
    for (size_t i = 0; i < b64.size(); i += 76) out += b64.substr(i, 76) + "\r\n";
    return out;
  };
  if (attachments.empty()) {
    data += Header("Content-Type", "text/plain; charset=UTF-8");
    data += Header("Content-Transfer-Encoding", "base64");
    data += "\r\n";
    data += base64_lines(text);
    m.data = std::move(data);
    return m;
  }
  // The boundary cannot occur in base64 text (it has '=' and '_' runs base64 never makes
  // together with this prefix) nor in the headers written here.
  std::string boundary = "=_yuqing_" + item.idempotency_key + "_=";
  data += Header("Content-Type", fmt::format("multipart/mixed; boundary=\"{}\"", boundary));
  data += "\r\n";
  data += "--" + boundary + "\r\n";
  data += Header("Content-Type", "text/plain; charset=UTF-8");
  data += Header("Content-Transfer-Encoding", "base64");
  data += "\r\n";
  data += base64_lines(text);
  for (const Attachment& a : attachments) {
    data += "--" + boundary + "\r\n";
    // RFC 2231 §4 for the UTF-8 file name, with an RFC 2047 word for older readers.
    std::string name = core::SanitizeUtf8(a.filename);
    data +=
        Header("Content-Type", fmt::format("{}; name=\"{}\"", a.mime_type, EncodeHeaderWord(name)));
    data += Header("Content-Disposition",
                   fmt::format("attachment; filename*=UTF-8''{}", UrlEncode(name)));
    data += Header("Content-Transfer-Encoding", "base64");
    data += "\r\n";
    data += base64_lines(a.bytes);
  }
  data += "--" + boundary + "--\r\n";
  m.data = std::move(data);
  return m;
}

}  // namespace yuqing::alerts
