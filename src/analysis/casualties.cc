#include "analysis/casualties.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "analysis/phrase_matcher.h"  // DecodeCodePoint
#include "core/utf8.h"

namespace yuqing::analysis {
namespace {

int Digit(char32_t c) {
  switch (c) {
    case U'零':
    case U'〇':
      return 0;
    case U'一':
      return 1;
    case U'二':
    case U'两':
      return 2;
    case U'三':
      return 3;
    case U'四':
      return 4;
    case U'五':
      return 5;
    case U'六':
      return 6;
    case U'七':
      return 7;
    case U'八':
      return 8;
    case U'九':
      return 9;
    default:
      return -1;
  }
}

int64_t SmallUnit(char32_t c) {
  switch (c) {
    case U'十':
      return 10;
    case U'百':
      return 100;
    case U'千':
      return 1000;
    default:
      return 0;
  }
}

bool IsNumberChar(char32_t c) {
  return (c >= '0' && c <= '9') || c == '.' || c == ',' || Digit(c) >= 0 || SmallUnit(c) > 0 ||
         c == U'万' || c == U'亿';
}

struct Span {
  size_t begin, end;
  double value;
};

// Chinese numeral with sections: 三百零五 = 305, 十二 = 12, 1.2万 = 12000, 三千万 = 3e7.
std::optional<double> ParseImpl(std::u32string_view s) {
  if (s.empty()) return std::nullopt;
  double total = 0;    // completed 亿 sections
  double section = 0;  // within the current 万 section
  double current = 0;  // pending digits
  bool any = false;
  size_t i = 0;
  while (i < s.size()) {
    char32_t c = s[i];
    if ((c >= '0' && c <= '9') || c == '.') {
      std::string num;
      while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || s[i] == '.' || s[i] == ',')) {
        if (s[i] != ',') num += static_cast<char>(s[i]);
        ++i;
      }
      if (num.empty() || num == "." || std::count(num.begin(), num.end(), '.') > 1) {
        return std::nullopt;
      }
      current = std::stod(num);
      any = true;
      continue;
    }
    if (int d = Digit(c); d >= 0) {
      current = current * 10 + d;  // 二〇一三 style digit strings, and plain digits
      any = true;
    } else if (int64_t u = SmallUnit(c); u > 0) {
      section += (current == 0 ? 1 : current) * static_cast<double>(u);  // 十二: a bare 十 is 10
      current = 0;
      any = true;
    } else if (c == U'万') {
      section = (section + current) * 1e4;
      current = 0;
      total += section;
      section = 0;
      any = true;
    } else if (c == U'亿') {
      total = (total + section + current) * 1e8;
      section = 0;
      current = 0;
      any = true;
    } else {
      return std::nullopt;
    }
    ++i;
  }
  if (!any) return std::nullopt;
  return total + section + current;
}

std::u32string Decode(std::string_view s, std::vector<size_t>* offsets) {
  std::u32string out;
  size_t pos = 0;
  while (pos < s.size()) {
    if (offsets) offsets->push_back(pos);
    out.push_back(core::DecodeUtf8(s, pos));
  }
  if (offsets) offsets->push_back(s.size());
  return out;
}

bool StartsWithAt(const std::u32string& t, size_t i, std::u32string_view w) {
  return t.size() >= i + w.size() && std::u32string_view(t).substr(i, w.size()) == w;
}
bool EndsWithAt(const std::u32string& t, size_t end, std::u32string_view w) {
  return end >= w.size() && std::u32string_view(t).substr(end - w.size(), w.size()) == w;
}

// kLight: 轻伤 is read (so "28人轻伤" is not taken for another figure) but not counted: the
// grading thresholds of 国务院令第493号 (art. 3) count serious injuries (重伤, including acute
// industrial poisoning); a plain 受伤 is counted, as reports seldom say which.
enum Cat { kDeath, kInjured, kMissing, kTrapped, kLight };
struct Key {
  std::u32string_view word;
  Cat cat;
};
constexpr Key kKeys[] = {
    {U"死亡", kDeath},   {U"遇难", kDeath},   {U"身亡", kDeath},     {U"罹难", kDeath},
    {U"丧生", kDeath},   {U"殒命", kDeath},   {U"不幸离世", kDeath}, {U"死", kDeath},
    {U"受伤", kInjured}, {U"轻伤", kLight},   {U"重伤", kInjured},   {U"伤", kInjured},
    {U"失踪", kMissing}, {U"失联", kMissing}, {U"被困", kTrapped},
};
constexpr std::u32string_view kMeasures[] = {U"余人", U"多人", U"余名", U"多名", U"人",
                                             U"名",   U"位",   U"个人", U"余",   U"多"};
constexpr std::u32string_view kLinks[] = {
    U"人数达", U"人数为", U"人数升至", U"人数增至", U"人数上升至", U"人数已达", U"人数", U"升至",
    U"增至",   U"达",     U"为",       U"了",       U"：",         U":",        U""};

}  // namespace

std::optional<double> ParseChineseNumber(std::string_view s) {
  std::u32string u = Decode(s, nullptr);
  for (char32_t c : u) {
    if (!IsNumberChar(c)) return std::nullopt;
  }
  return ParseImpl(u);
}

namespace {
// Every figure needs an event word (kEvents) or 损失, and each of those holds one of these
// characters; a post with none of them (most posts) skips the decoding and the scan.
bool MayHaveFigures(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    switch (DecodeCodePoint(text, pos)) {
      case U'死':
      case U'亡':
      case U'难':
      case U'生':
      case U'命':
      case U'世':
      case U'伤':
      case U'踪':
      case U'联':
      case U'困':
      case U'损':
        return true;
      default:
        break;
    }
  }
  return false;
}
}  // namespace

// The sentence around position `at` (bounded by 。！？!?； or a line break, at most 150
// characters each way).
std::pair<size_t, size_t> SentenceAround(const std::u32string& t, size_t at) {
  auto end_mark = [](char32_t c) {
    return c == U'。' || c == U'！' || c == U'？' || c == '!' || c == '?' || c == U'；' ||
           c == '\n';
  };
  size_t b = at;
  while (b > 0 && at - b < 150 && !end_mark(t[b - 1])) --b;
  size_t e = at;
  while (e < t.size() && e - at < 150 && !end_mark(t[e])) ++e;
  return {b, e};
}

bool Contains(std::u32string_view hay, std::u32string_view needle) {
  return hay.find(needle) != std::u32string_view::npos;
}

// A figure in a sentence that names a foreign country reports an incident abroad: the grading of
// 国务院令第493号 is for incidents in China (a train crash in Spain is news, not a case for a
// county office), unless the sentence says Chinese citizens were among the victims.
bool Abroad(const std::u32string& t, size_t at) {
  static constexpr std::u32string_view kCountries[] = {
      U"美国",     U"加拿大",   U"墨西哥",   U"巴西",   U"阿根廷",     U"智利",     U"秘鲁",
      U"哥伦比亚", U"委内瑞拉", U"古巴",     U"英国",   U"法国",       U"德国",     U"意大利",
      U"西班牙",   U"葡萄牙",   U"荷兰",     U"比利时", U"瑞士",       U"瑞典",     U"挪威",
      U"芬兰",     U"丹麦",     U"波兰",     U"奥地利", U"希腊",       U"匈牙利",   U"捷克",
      U"罗马尼亚", U"俄罗斯",   U"乌克兰",   U"土耳其", U"日本",       U"韩国",     U"朝鲜",
      U"蒙古国",   U"印度",     U"巴基斯坦", U"孟加拉", U"尼泊尔",     U"斯里兰卡", U"泰国",
      U"越南",     U"缅甸",     U"老挝",     U"柬埔寨", U"马来西亚",   U"新加坡",   U"印尼",
      U"菲律宾",   U"澳大利亚", U"澳洲",     U"新西兰", U"伊朗",       U"伊拉克",   U"叙利亚",
      U"以色列",   U"巴勒斯坦", U"黎巴嫩",   U"沙特",   U"也门",       U"阿富汗",   U"埃及",
      U"利比亚",   U"尼日利亚", U"南非",     U"肯尼亚", U"埃塞俄比亚", U"苏丹",     U"刚果",
      U"海地",     U"欧洲",     U"非洲",     U"中东",   U"南美"};
  static constexpr std::u32string_view kCompatriots[] = {
      U"中国公民", U"中国游客", U"中国籍", U"同胞", U"华人", U"华侨", U"我国公民", U"中方人员"};
  const auto [b, e] = SentenceAround(t, at);
  const std::u32string_view s = std::u32string_view(t).substr(b, e - b);
  bool foreign = false;
  for (std::u32string_view c : kCountries) {
    if (Contains(s, c)) {
      foreign = true;
      break;
    }
  }
  if (!foreign) return false;
  for (std::u32string_view c : kCompatriots) {
    if (Contains(s, c)) return false;
  }
  return true;
}

// A figure after a span of years or a frequency in its clause counts a period, not one
// incident: 「近五年来全市120人死亡」, 「3年帮助68名失踪儿童回家」, 「每年因此死亡上万人」.
bool OverAPeriod(const std::u32string& t, size_t at) {
  // Not 以来 or 累计: 「地震发生以来已有120人遇难」 and 「暴雨累计造成12人死亡」 count one
  // incident.
  static constexpr std::u32string_view kSpans[] = {U"年来", U"年间", U"每年", U"每天",
                                                   U"每日", U"每月", U"历年"};
  auto clause_mark = [](char32_t c) {
    return c == U'，' || c == ',' || c == U'。' || c == U'；' || c == U'！' || c == U'？' ||
           c == U'【' || c == U'】' || c == '\n';
  };
  size_t b = at;
  while (b > 0 && at - b < 40 && !clause_mark(t[b - 1])) --b;
  const std::u32string_view c = std::u32string_view(t).substr(b, at - b);
  for (std::u32string_view w : kSpans) {
    if (Contains(c, w)) return true;
  }
  // "3年" or "三年" followed by a verb: a count of years (not a date such as 2013年 or 13年5月,
  // a school year such as 三年级, or an age such as 30年的老房子).
  for (size_t i = 0; i + 1 < c.size(); ++i) {
    if (c[i + 1] != U'年' || !IsNumberChar(c[i]) || c[i] == '.' || c[i] == ',') continue;
    size_t j = i + 1;
    while (j > 0 && IsNumberChar(c[j - 1])) --j;
    if (i + 1 - j > 2) continue;  // a four-digit year
    const char32_t next = i + 2 < c.size() ? c[i + 2] : U'\0';
    if (next == U'级' || next == U'月' || next == U'度' || next == U'的' || IsNumberChar(next)) {
      continue;
    }
    return true;
  }
  return false;
}

model::Casualties ExtractCasualties(std::string_view text) {
  model::Casualties out;
  if (!MayHaveFigures(text)) return out;
  std::vector<size_t> off;
  std::u32string t = Decode(text, &off);
  // Number runs. A run of only 一 (as in 一起, 一直) counts only when a measure word follows.
  std::vector<Span> nums;
  for (size_t i = 0; i < t.size();) {
    if (!IsNumberChar(t[i]) || t[i] == '.' || t[i] == ',' || t[i] == U'万' || t[i] == U'亿') {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < t.size() && IsNumberChar(t[j])) ++j;
    while (j > i && (t[j - 1] == '.' || t[j - 1] == ',')) --j;
    if (auto v = ParseImpl(std::u32string_view(t).substr(i, j - i))) nums.push_back({i, j, *v});
    i = j;
  }
  auto set = [&](Cat cat, double v, size_t b, size_t e) {
    if (cat == kLight || v <= 0 || v > 1e7 || v != std::floor(v)) return;
    if (Abroad(t, b) || OverAPeriod(t, b)) return;
    std::optional<int64_t>* slot = cat == kDeath     ? &out.deaths
                                   : cat == kInjured ? &out.injured
                                   : cat == kMissing ? &out.missing
                                                     : &out.trapped;
    int64_t n = static_cast<int64_t>(v);
    if (!*slot || **slot < n) *slot = n;
    out.evidence.emplace_back(text.substr(off[b], off[e] - off[b]));
  };
  // A number inside an @mention ("@219159伤不起") is part of a user name, not a figure. Weibo
  // names are at most 30 characters, so the look back is bounded (no quadratic scan of a long
  // text full of numbers).
  auto in_mention = [&](size_t b) {
    for (size_t i = b; i > 0 && b - i < 30; --i) {
      const char32_t c = t[i - 1];
      if (c == '@') return true;
      if (c == ' ' || c == ':' || c == U'：' || c == U'，' || c == U'。' || c == U'\u3000' ||
          c == '/' || c == '\n' || c == '\t' || c == ',' || c == U'！' || c == U'？') {
        return false;
      }
    }
    return false;
  };
  auto is_number = [&](size_t i) { return i < t.size() && IsNumberChar(t[i]); };
  auto has_arabic = [&](const Span& n) {
    for (size_t i = n.begin; i < n.end; ++i) {
      if (t[i] >= '0' && t[i] <= '9') return true;
    }
    return false;
  };
  // The compact form written in Chinese numerals counts only as a pair, "一死两伤" or "三死"
  // after such a pair: alone, 九死一生, 七死八活, 一死了之 and 逃过一死 are idioms.
  auto chinese_pair = [&](size_t b, size_t after) {
    if (is_number(after)) {
      size_t j = after;
      while (is_number(j)) ++j;
      if (j < t.size() && (t[j] == U'死' || t[j] == U'伤')) return true;
      if (StartsWithAt(t, j, U"重伤") || StartsWithAt(t, j, U"轻伤")) return true;
    }
    return b >= 2 && (t[b - 1] == U'死' || t[b - 1] == U'伤') && is_number(b - 2);
  };
  for (const Span& n : nums) {
    if (in_mention(n.begin)) continue;
    // After the number: optional measure word, then a keyword (3人死亡, 12人受伤, 3死5伤).
    size_t p = n.end;
    bool measure = false;
    for (std::u32string_view m : kMeasures) {
      if (StartsWithAt(t, p, m)) {
        p += m.size();
        measure = true;
        break;
      }
    }
    bool found = false;
    for (const Key& k : kKeys) {
      if (!StartsWithAt(t, p, k.word)) continue;
      // Bare 死/伤 only in the compact "3死5伤" form (no measure word), not "死去", "伤心".
      if (k.word.size() == 1 && measure) {
        size_t q = p + 1;
        if (q < t.size() && t[q] != U'，' && t[q] != U'、' && t[q] != U'。' && t[q] != U',') {
          continue;
        }
      }
      if (k.word.size() == 1 && !measure && !has_arabic(n) && !chinese_pair(n.begin, p + 1)) {
        continue;
      }
      set(k.cat, n.value, n.begin, p + k.word.size());
      found = true;
      break;
    }
    // A measure word, a noun of up to four characters, a keyword of two or more: 8名小学生死亡,
    // 3名工人受伤, 37名中国游客遇难.
    for (size_t gap = 1; !found && measure && gap <= 4; ++gap) {
      const size_t q = p + gap;
      const char32_t g = t.size() > q - 1 ? t[q - 1] : 0;
      if (g < 0x4E00 || g > 0x9FFF || IsNumberChar(g)) break;
      for (const Key& k : kKeys) {
        if (k.word.size() < 2 || !StartsWithAt(t, q, k.word)) continue;
        set(k.cat, n.value, n.begin, q + k.word.size());
        found = true;
        break;
      }
    }
    if (found || !measure) continue;
    // Before the number: keyword, optional link, number, measure (死亡3人, 受伤人数达12人).
    for (const Key& k : kKeys) {
      if (k.word.size() < 2) continue;
      bool hit = false;
      for (std::u32string_view l : kLinks) {
        if (EndsWithAt(t, n.begin, l) && EndsWithAt(t, n.begin - l.size(), k.word)) {
          set(k.cat, n.value, n.begin - l.size() - k.word.size(), p);
          hit = true;
          break;
        }
      }
      if (hit) break;
    }
  }
  // Economic loss: 损失(约|达|…)X(万|亿)?元 or X万元(的)?(经济)?损失.
  static constexpr std::u32string_view kApprox[] = {
      U"约", U"达", U"超过", U"逾", U"近", U"高达", U"共计", U"超", U"为", U"已达", U"约为", U""};
  for (const Span& n : nums) {
    if (n.end >= t.size() || t[n.end] != U'元') continue;
    bool before = false;
    for (std::u32string_view a : kApprox) {
      if (EndsWithAt(t, n.begin, a) && EndsWithAt(t, n.begin - a.size(), U"损失")) {
        before = true;
        size_t b = n.begin - a.size() - 2;
        if (EndsWithAt(t, b, U"经济")) b -= 2;
        if (EndsWithAt(t, b, U"直接")) b -= 2;
        out.loss_yuan = std::max(out.loss_yuan.value_or(0), n.value);
        out.evidence.emplace_back(text.substr(off[b], off[n.end + 1] - off[b]));
        break;
      }
    }
    if (before) continue;
    size_t p = n.end + 1;
    if (StartsWithAt(t, p, U"的")) ++p;
    if (StartsWithAt(t, p, U"直接")) p += 2;
    if (StartsWithAt(t, p, U"经济")) p += 2;
    if (StartsWithAt(t, p, U"损失")) {
      out.loss_yuan = std::max(out.loss_yuan.value_or(0), n.value);
      out.evidence.emplace_back(text.substr(off[n.begin], off[p + 2] - off[n.begin]));
    }
  }
  return out;
}

}  // namespace yuqing::analysis
