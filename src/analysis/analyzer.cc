#include "analysis/analyzer.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "analysis/casualties.h"

namespace yuqing::analysis {
namespace {

#ifndef YQ_DEFAULT_DATA_DIR
#define YQ_DEFAULT_DATA_DIR "/usr/share/yuqing"
#endif

std::string DataDir(const AnalyzerOptions& o) {
  if (!o.data_dir.empty()) return o.data_dir;
  if (const char* env = std::getenv("YQ_DATA_DIR"); env != nullptr && *env != '\0') return env;
  return YQ_DEFAULT_DATA_DIR;
}

// Top features by contribution `contrib(i)` > 0 (i: index into `feats` and into the rows the
// model's Score() copied out, so no second model lookup), one per distinct text span. Keeps a
// small sorted array of the best 3k candidates instead of sorting every feature; ties keep the
// earlier feature.
template <typename F>
std::vector<model::Evidence> TopEvidence(const Prepared& p, const std::vector<Feature>& feats,
                                         size_t k, F contrib) {
  size_t count[2] = {0, 0};
  for (const Feature& f : feats) ++count[f.group & 1];
  double value[2];
  for (int g = 0; g < 2; ++g) {
    value[g] = count[g] == 0 ? 0.0 : 1.0 / std::sqrt(static_cast<double>(count[g]));
  }
  constexpr size_t kMaxTop = 48;
  const size_t cap = std::min(k * 3, kMaxTop);
  std::array<std::pair<double, size_t>, kMaxTop> top;
  size_t n = 0;
  for (size_t i = 0; i < feats.size(); ++i) {
    if (feats[i].end <= feats[i].begin) continue;
    double c = contrib(i) * value[feats[i].group & 1];
    if (c <= 0 || (n == cap && c <= top[n - 1].first)) continue;
    size_t j = n < cap ? n++ : n - 1;
    while (j > 0 && top[j - 1].first < c) {
      top[j] = top[j - 1];
      --j;
    }
    top[j] = {c, i};
  }
  std::vector<model::Evidence> out;
  for (size_t i = 0; i < n && out.size() < k; ++i) {
    const Feature& f = feats[top[i].second];
    std::string_view text = p.Span(f.begin, f.end);
    bool dup = false;
    for (const auto& e : out) dup = dup || e.text == text;
    if (!dup) out.push_back({std::string(text), std::round(top[i].first * 1000) / 1000});
  }
  return out;
}

double Round3(double x) { return std::round(x * 1000) / 1000; }

}  // namespace

Result<std::shared_ptr<const Analyzer>> Analyzer::Load(
    const AnalyzerOptions& options, std::shared_ptr<const text::Normalizer> normalizer,
    std::shared_ptr<const text::Segmenter> segmenter) {
  auto t0 = std::chrono::steady_clock::now();
  if (!normalizer) {
    YQ_ASSIGN_OR_RETURN(normalizer, text::Normalizer::Create());
  }
  if (!segmenter) {
    YQ_ASSIGN_OR_RETURN(segmenter, text::Segmenter::Load());
  }
  auto a = std::make_shared<Analyzer>();
  a->options_ = options;
  std::string dir = DataDir(options);
  YQ_ASSIGN_OR_RETURN(a->pipe_, TextPipeline::Create(normalizer, segmenter));
  YQ_ASSIGN_OR_RETURN(a->sentiment_, LinearModel::Load(dir + "/models/sentiment.bin"));
  YQ_ASSIGN_OR_RETURN(a->domain_, LinearModel::Load(dir + "/models/domain.bin"));
  YQ_ASSIGN_OR_RETURN(a->rumour_, LinearModel::Load(dir + "/models/rumour.bin"));
  YQ_ASSIGN_OR_RETURN(a->gazetteer_, Gazetteer::Load(dir + "/gazetteer/places.tsv"));
  for (const char* c : {"negative", "neutral", "positive"}) {
    if (a->sentiment_->ClassIndex(c) < 0) {
      return Status::InvalidArgument(dir + "/models/sentiment.bin: no class " + c);
    }
  }
  if (a->rumour_->ClassIndex("rumour") < 0) {
    return Status::InvalidArgument(dir + "/models/rumour.bin: no class rumour");
  }
  for (const std::string& c : a->domain_->classes()) {
    auto d = model::ParseDomain(c);
    if (!d) return Status::InvalidArgument(dir + "/models/domain.bin: unknown domain " + c);
    a->domain_class_.push_back(static_cast<int>(*d));
  }
  a->stats_.model_bytes =
      a->sentiment_->memory_bytes() + a->domain_->memory_bytes() + a->rumour_->memory_bytes();
  a->stats_.load_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  return std::shared_ptr<const Analyzer>(std::move(a));
}

std::string Analyzer::RegionName(std::string_view code) const {
  if (gazetteer_ == nullptr || code.empty() || code.size() > 6) return "";
  std::string full(code);
  if (full.size() == 2 || full.size() == 4) full.append(6 - full.size(), '0');
  const Gazetteer::Entry* e = gazetteer_->ByCode(full);
  if (e == nullptr) return "";
  std::string name = e->name;
  for (int depth = 0; depth < 3 && !e->parent.empty(); ++depth) {
    e = gazetteer_->ByCode(e->parent);
    if (e == nullptr) break;
    name = e->name + name;
  }
  return name;
}

model::Analysis Analyzer::Analyze(const model::Post& post) const {
  if (post.title.empty()) return AnalyzeText(post.text, post.region);
  if (post.text.empty()) return AnalyzeText(post.title, post.region);
  std::string joined = post.title;
  joined += '\n';
  joined += post.text;
  return AnalyzeText(joined, post.region);
}

model::Analysis Analyzer::AnalyzeText(std::string_view text, std::string_view region) const {
  thread_local Prepared p;
  pipe_->Prepare(text, p);
  return AnalyzePrepared(p, region);
}

model::Analysis Analyzer::AnalyzePrepared(const Prepared& p, std::string_view region) const {
  model::Analysis a;
  thread_local std::vector<Feature> feats;
  feats.clear();
  pipe_->Features(p, FeatureSet::kSentiment, feats);
  a.sentiment = SentimentOf(p, feats);
  feats.clear();
  pipe_->Features(p, FeatureSet::kDomain, feats);
  a.domain = DomainOf(p, feats);
  pipe_->RumourExtras(p, feats);  // the rumour features are the domain ones plus these
  a.rumour = RumourOf(p, feats);
  a.casualties = ExtractCasualties(p.norm.text);
  a.kinds = KindsOf(p, a.sentiment, a.casualties);
  a.places = gazetteer_->Find(p, region);
  return a;
}

namespace {

// Expressive markers: clues of subjective language (Wiebe, Wilson, Bruce, Bell & Martin 2004,
// "Learning Subjective Language", Computational Linguistics 30(3)) as they show in Chinese
// posts: Weibo emoticons, exclamation marks and tildes (full-width forms are folded to these by
// normalization), doubled question marks, ellipses, laughter and crying, interjections and
// sentence-final modal particles. News titles and notices almost never carry one.
bool HasExpressiveMarker(const Prepared& p) {
  for (const text::Entity& e : p.norm.entities) {
    if (e.kind == text::EntityKind::kEmoticon) return true;
  }
  static constexpr std::string_view kMarkers[] = {
      "!",  "~",  "??", "。。", "...", "…",  "哈哈", "呵呵", "嘻嘻", "嘿嘿", "呜呜", "唉",
      "哎", "啊", "呀", "哇",   "吧",  "啦", "哦",   "嘛",   "呢",   "咯",   "喔",   "噢"};
  const std::string_view text = p.norm.text;
  for (std::string_view m : kMarkers) {
    if (text.find(m) != std::string_view::npos) return true;
  }
  // 了 closing a clause (下雨了, 又停水了，): the perfective of speech; titles and notices say 已.
  static constexpr std::string_view kLe = "了";
  static constexpr std::string_view kClauseEnds[] = {",", ".", "?", ";", "，", "。", "、", "；"};
  for (size_t i = text.find(kLe); i != std::string_view::npos; i = text.find(kLe, i + 1)) {
    const std::string_view rest = text.substr(i + kLe.size());
    if (rest.empty()) return true;
    for (std::string_view e : kClauseEnds) {
      if (rest.substr(0, e.size()) == e) return true;
    }
  }
  return false;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Markers of official register: what notices, statistics releases and wire reports carry and
// personal posts rarely do. A date (2026年, 11月3日), a clock time (10:00), a phone number
// (0571-88012345, seven digits or more), a figure with its unit (3.2亿, 5.1%, 18公里), or a word
// of official announcement (通知, 公告, 关于 …).
bool HasFormalMarker(const Prepared& p) {
  const std::string_view t = p.norm.text;
  auto starts = [&](size_t i, std::string_view w) { return t.substr(i, w.size()) == w; };
  static constexpr std::string_view kUnits[] = {"%",    "万",   "亿",     "元", "人次",    "公里",
                                                "千米", "毫米", "平方米", "吨", "个百分点"};
  for (size_t i = 0; i < t.size();) {
    if (!IsDigit(t[i])) {
      ++i;
      continue;
    }
    size_t j = i;
    while (j < t.size() && IsDigit(t[j])) ++j;
    const size_t run = j - i;
    if (run >= 7) return true;
    if (run == 4 && starts(j, "年")) return true;
    if (run <= 2 && starts(j, "月")) {
      size_t k = j + std::string_view("月").size();
      size_t d = k;
      while (d < t.size() && IsDigit(t[d])) ++d;
      if (d > k && d - k <= 2 && starts(d, "日")) return true;
    }
    if (run <= 2 && j + 2 < t.size() && t[j] == ':' && IsDigit(t[j + 1]) && IsDigit(t[j + 2])) {
      return true;
    }
    if ((run == 3 || run == 4) && j < t.size() && t[j] == '-') {
      size_t k = j + 1;
      while (k < t.size() && IsDigit(t[k])) ++k;
      if (k - j - 1 >= 7 && k - j - 1 <= 8) return true;
    }
    size_t u = j;
    if (u + 1 < t.size() && t[u] == '.' && IsDigit(t[u + 1])) {
      ++u;
      while (u < t.size() && IsDigit(t[u])) ++u;
    }
    for (std::string_view unit : kUnits) {
      if (starts(u, unit)) return true;
    }
    i = j;
  }
  static constexpr std::string_view kWords[] = {"通知", "公告", "公示", "通告", "关于",
                                                "安排", "调整", "实施", "举行", "召开",
                                                "发布", "开展", "印发"};
  for (const Token& tok : p.tokens) {  // whole words: 通知书 is not 通知
    const std::string_view w = p.Span(tok.begin, tok.end);
    for (std::string_view k : kWords) {
      if (w == k) return true;
    }
  }
  return false;
}

}  // namespace

model::Sentiment Analyzer::SentimentOf(const Prepared& p, const std::vector<Feature>& f) const {
  model::Sentiment s;
  thread_local std::vector<double> probs;
  thread_local std::vector<int16_t> rows;
  sentiment_->Score(f, probs, &rows);
  const int neg = sentiment_->ClassIndex("negative");
  const int neu = sentiment_->ClassIndex("neutral");
  const int pos = sentiment_->ClassIndex("positive");
  s.score = Round3(probs[pos] - probs[neg]);
  s.neutral_prob = Round3(probs[neu]);
  s.expressive = HasExpressiveMarker(p);
  s.formal = !s.expressive && HasFormalMarker(p);
  // Neutral when the text looks like the neutral class (news titles, notices): P(neutral) over
  // the threshold of the post's register. Low polar confidence alone is not enough: on posts of
  // a corpus it was not trained on the model is unsure of the pole but mostly right about its
  // sign (docs/analysis.md, "Neutral").
  const double neutral_at = s.expressive ? options_.neutral_prob_expressive
                            : s.formal   ? options_.neutral_prob_formal
                                         : options_.neutral_prob;
  if (probs[neu] >= neutral_at) {
    s.label = model::SentimentLabel::kNeutral;
  } else {
    s.label = probs[pos] > probs[neg] ? model::SentimentLabel::kPositive
                                      : model::SentimentLabel::kNegative;
  }
  int toward = s.label == model::SentimentLabel::kPositive   ? pos
               : s.label == model::SentimentLabel::kNegative ? neg
                                                             : -1;
  if (toward >= 0) {
    int away = toward == pos ? neg : pos;
    s.evidence = TopEvidence(p, f, options_.max_evidence, [&](size_t i) {
      return sentiment_->RowWeight(rows, i, toward) - sentiment_->RowWeight(rows, i, away);
    });
  } else {
    s.evidence = TopEvidence(p, f, options_.max_evidence, [&](size_t i) {
      return std::fabs(sentiment_->RowWeight(rows, i, pos) - sentiment_->RowWeight(rows, i, neg));
    });
  }
  for (const CueHit& c : p.cues) {
    if (Lexicon()[c.entry].cue == Cue::kSarcasm) s.sarcasm = true;
  }
  return s;
}

model::DomainResult Analyzer::DomainOf(const Prepared& p, const std::vector<Feature>& f) const {
  model::DomainResult r;
  thread_local std::vector<double> probs;
  thread_local std::vector<int16_t> rows;
  domain_->Score(f, probs, &rows);
  std::array<double, model::kDomainCount> score{};
  for (size_t i = 0; i < probs.size(); ++i) score[domain_class_[i]] += probs[i];
  // Keyword evidence: each distinct keyword adds 0.3 to its domain (at most three count), so
  // domains without training data (health, public security …) can win on clear words, and a
  // trained domain with a confident model needs several words against it.
  std::array<int, model::kDomainCount> kw{};
  std::array<std::vector<std::string_view>, model::kDomainCount> words;
  for (const CueHit& c : p.cues) {
    const LexEntry& e = Lexicon()[c.entry];
    if (e.cue != Cue::kDomain) continue;
    auto& w = words[e.domain];
    if (std::find(w.begin(), w.end(), e.phrase) != w.end()) continue;
    w.push_back(e.phrase);
    if (kw[e.domain] < 3) {
      ++kw[e.domain];
      score[e.domain] += 0.3 * e.weight;
    }
  }
  int best = static_cast<int>(model::Domain::kOther);
  double total = 0;
  for (int d = 0; d < model::kDomainCount; ++d) {
    total += score[d];
    if (score[d] > score[best]) best = d;
  }
  r.label = static_cast<model::Domain>(best);
  r.confidence = total > 0 ? Round3(score[best] / total) : 0;
  for (std::string_view w : words[best]) r.evidence.push_back({std::string(w), 0.3});
  int cls = -1;
  for (size_t i = 0; i < domain_class_.size(); ++i) {
    if (domain_class_[i] == best) cls = static_cast<int>(i);
  }
  if (cls >= 0) {
    auto model_ev = TopEvidence(p, f, options_.max_evidence,
                                [&](size_t i) { return domain_->RowWeight(rows, i, cls); });
    for (auto& e : model_ev) {
      if (r.evidence.size() >= options_.max_evidence) break;
      bool dup = false;
      for (const auto& o : r.evidence) dup = dup || o.text == e.text;
      if (!dup) r.evidence.push_back(std::move(e));
    }
  }
  return r;
}

model::Rumour Analyzer::RumourOf(const Prepared& p, const std::vector<Feature>& f) const {
  model::Rumour r;
  thread_local std::vector<double> probs;
  thread_local std::vector<int16_t> rows;
  rumour_->Score(f, probs, &rows);
  const int cls = rumour_->ClassIndex("rumour");
  const int other = 1 - cls;
  r.score = Round3(probs[cls]);
  bool source = false;
  for (const Token& t : p.tokens) source = source || (t.flags & kTokUrl);
  for (const CueHit& c : p.cues) {
    const LexEntry& e = Lexicon()[c.entry];
    if (e.cue > Cue::kSource) continue;
    if (e.cue == Cue::kSource) source = true;
    if (e.cue == Cue::kDenial) r.denial = true;
    if (e.cue == Cue::kHedge || e.cue == Cue::kUrgent || e.cue == Cue::kSensational ||
        e.cue == Cue::kDenial) {
      std::string label;
      switch (e.cue) {
        case Cue::kHedge:
          label = "hedge:";
          break;
        case Cue::kUrgent:
          label = "spread_call:";
          break;
        case Cue::kSensational:
          label = "sensational:";
          break;
        default:
          label = "denial:";
          break;
      }
      label += e.phrase;
      bool dup = false;
      for (const auto& o : r.evidence) dup = dup || o.text == label;
      if (!dup && r.evidence.size() < options_.max_evidence) r.evidence.push_back({label, 1});
    }
  }
  if (!source) r.evidence.push_back({"no_named_source", 1});
  auto model_ev = TopEvidence(p, f, options_.max_evidence, [&](size_t i) {
    return rumour_->RowWeight(rows, i, cls) - rumour_->RowWeight(rows, i, other);
  });
  for (auto& e : model_ev) {
    if (r.evidence.size() >= 2 * options_.max_evidence) break;
    r.evidence.push_back(std::move(e));
  }
  return r;
}

std::vector<model::KindResult> Analyzer::KindsOf(const Prepared& p, const model::Sentiment& s,
                                                 const model::Casualties& c) const {
  std::array<std::vector<std::string>, 16> hits;
  for (const CueHit& h : p.cues) {
    const LexEntry& e = Lexicon()[h.entry];
    auto& v = hits[static_cast<int>(e.cue)];
    if (std::find(v.begin(), v.end(), e.phrase) == v.end()) v.emplace_back(e.phrase);
  }
  auto at = [&](Cue cue) -> const std::vector<std::string>& { return hits[static_cast<int>(cue)]; };
  auto join = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
  };
  auto conf = [](size_t n) { return Round3(std::min(0.95, 0.5 + 0.15 * static_cast<double>(n))); };
  std::vector<model::KindResult> out;
  bool positive = s.label == model::SentimentLabel::kPositive;
  // (a) a policy is the subject and its reading is contested.
  if (!at(Cue::kPolicy).empty() && (!at(Cue::kMisreading).empty() || !at(Cue::kDenial).empty())) {
    auto ev = join(join(at(Cue::kPolicy), at(Cue::kMisreading)), at(Cue::kDenial));
    out.push_back({model::ResponseKind::kPolicyMisreading, conf(ev.size() - 1), ev});
  }
  // (b) vital interests with large impact: an interest word and a scale word, or a negative
  // post about two or more interests.
  if (!at(Cue::kInterest).empty() && !positive &&
      (!at(Cue::kScale).empty() ||
       (s.label == model::SentimentLabel::kNegative && at(Cue::kInterest).size() >= 2))) {
    auto ev = join(at(Cue::kInterest), at(Cue::kScale));
    out.push_back({model::ResponseKind::kVitalInterests, conf(ev.size() - 1), ev});
  }
  // (c) the moral bottom line.
  if (!at(Cue::kMoral).empty() && !positive) {
    out.push_back(
        {model::ResponseKind::kMoralBottomLine, conf(at(Cue::kMoral).size()), at(Cue::kMoral)});
  }
  // (d) emergencies and natural disasters: a disaster word, or casualty figures.
  bool people = c.deaths || c.injured || c.missing || c.trapped;
  if (!at(Cue::kEmergency).empty() || people) {
    auto ev = join(at(Cue::kEmergency), c.evidence);
    out.push_back({model::ResponseKind::kEmergency, conf(ev.size() + (people ? 2 : 0) - 1), ev});
  }
  return out;
}

}  // namespace yuqing::analysis
