#include "events/summary.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <chrono>
#include <cmath>
#include <set>
#include <utility>

#include "core/status.h"

namespace yuqing::events {
namespace {

// Distinct cues tracked per kind (the kind lists hold a few dozen words; casualty phrases vary
// more): beyond this, new cues are not added, counts of tracked ones go on.
constexpr size_t kMaxCuesPerKind = 64;

// The tally of `cue`, or nullptr once kMaxCuesPerKind others are tracked.
template <typename Tally>
Tally* CueOf(std::map<std::string, Tally>& cues, const std::string& cue) {
  auto it = cues.find(cue);
  if (it != cues.end()) return &it->second;
  if (cues.size() >= kMaxCuesPerKind) return nullptr;
  return &cues[cue];
}

// FNV-1a (Fowler, Noll, Vo) over the bytes of `title` and `text`, white space and zero-width
// spaces left out, so that a copy with a trailing space or a Weibo "\u200b" is the same text.
uint64_t TextHash(std::string_view title, std::string_view text) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (std::string_view part : {title, text}) {
    h = (h ^ 0x1f) * 0x100000001b3ULL;  // where the title ends
    for (size_t i = 0; i < part.size(); ++i) {
      const auto c = static_cast<unsigned char>(part[i]);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      if (part.substr(i, 3) == "\xe2\x80\x8b" || part.substr(i, 3) == "\xe3\x80\x80") {
        i += 2;  // U+200B zero width space, U+3000 ideographic space
        continue;
      }
      h = (h ^ c) * 0x100000001b3ULL;
    }
  }
  return h == 0 ? 1 : h;
}

// Bodies and officials whose involvement makes an incident a matter of government conduct
// (DOMAIN.md: "government bodies or officials involved" is a grading factor). Substring match:
// each word is specific enough on its own; generic ones (主任, 局) are left out on purpose.
constexpr std::string_view kGovWords[] = {
    "政府",   "党委",   "书记",   "村支书", "市长",   "县长",   "区长",       "镇长",
    "乡长",   "局长",   "厅长",   "处长",   "干部",   "官员",   "公务员",     "城管",
    "派出所", "公安局", "民警",   "纪委",   "监委",   "信访",   "街道办",     "村委会",
    "法院",   "检察院", "教育局", "卫健委", "住建局", "环保局", "应急管理局", "市场监管局",
};

// The code point of the three bytes at s[i] read as a three-byte UTF-8 sequence (the bits
// only; the caller compares the bytes themselves afterwards).
uint32_t ThreeByteCodePoint(std::string_view s, size_t i) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data()) + i;
  return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
}

int64_t BucketStart(int64_t t) {
  int64_t b = t / kBucketSeconds;
  if (t % kBucketSeconds < 0) --b;  // floor for times before the epoch
  return b * kBucketSeconds;
}

int64_t Engagement(const model::Metrics& m) { return m.reposts + m.comments + m.likes; }

template <typename T>
void KeepMax(std::optional<T>& into, const std::optional<T>& v, bool& raised) {
  if (v && (!into || *v > *into)) {
    into = v;
    raised = true;
  }
}

bool BetterRepresentative(const RepresentativePost& a, const RepresentativePost& b) {
  if (a.score != b.score) return a.score > b.score;
  if (a.time_s != b.time_s) return a.time_s < b.time_s;
  return a.id < b.id;
}

}  // namespace

std::vector<std::string> FindGovernmentMentions(std::string_view text) {
  // One pass over the text instead of one search per word: every word starts with a
  // three-byte character, and a bit per BMP code point says whether some word starts with it.
  // A word's first occurrence is the same as text.find(word) finds.
  static const std::bitset<0x10000> kStarts = [] {
    std::bitset<0x10000> starts;
    for (std::string_view w : kGovWords) {
      YQ_CHECK(w.size() >= 3 && (static_cast<unsigned char>(w[0]) & 0xF0) == 0xE0);
      starts.set(ThreeByteCodePoint(w, 0));
    }
    return starts;
  }();
  constexpr size_t kWords = std::size(kGovWords);
  std::array<bool, kWords> seen{};
  std::vector<std::pair<size_t, std::string_view>> found;
  for (size_t i = 0; i + 3 <= text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xF0) != 0xE0) continue;
    if (!kStarts.test(ThreeByteCodePoint(text, i))) continue;
    for (size_t k = 0; k < kWords; ++k) {
      if (!seen[k] && text.substr(i).starts_with(kGovWords[k])) {
        seen[k] = true;
        found.emplace_back(i, kGovWords[k]);
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> out;
  out.reserve(found.size());
  for (const auto& [pos, w] : found) out.emplace_back(w);
  return out;
}

EventPost MakeEventPost(const model::Post& post, const model::Analysis& analysis) {
  EventPost p;
  p.id = post.source + ":" + post.external_id;
  p.time_s = std::chrono::floor<std::chrono::seconds>(post.published_at.time_since_epoch()).count();
  p.channel = post.channel;
  p.source = post.source;
  p.author = post.author;
  p.metrics = post.metrics;
  std::set<std::string> regions;
  if (!post.region.empty()) regions.insert(post.region);
  for (const model::Place& place : analysis.places) {
    if (place.confidence >= 0.5 && !place.code.empty()) regions.insert(place.code);
  }
  p.regions.assign(regions.begin(), regions.end());
  p.sentiment = analysis.sentiment.label;
  p.domain = analysis.domain.label;
  for (const model::KindResult& k : analysis.kinds) {
    p.kinds.push_back(k.kind);
    for (const std::string& cue : k.evidence) {
      if (cue.empty()) continue;
      const std::pair<model::ResponseKind, std::string> kc{k.kind, cue};
      if (std::find(p.kind_cues.begin(), p.kind_cues.end(), kc) == p.kind_cues.end()) {
        p.kind_cues.push_back(kc);
      }
    }
  }
  p.text_hash = TextHash(post.title, post.text);
  p.casualties = analysis.casualties;
  p.rumour_score = analysis.rumour.score;
  p.rumour_denial = analysis.rumour.denial;
  p.gov_mentions = FindGovernmentMentions(post.title + "\n" + post.text);
  return p;
}

AuthorityClass ClassifyAuthority(const EventPost& p, int64_t large_followers) {
  using model::AuthorKind;
  using model::Channel;
  if (p.author.kind == AuthorKind::kGov || p.channel == Channel::kGovPlatform) {
    return AuthorityClass::kGov;
  }
  if (p.author.kind == AuthorKind::kMedia || p.channel == Channel::kNews ||
      p.channel == Channel::kPrint || p.channel == Channel::kTv) {
    return AuthorityClass::kMedia;
  }
  if (p.author.followers >= large_followers) return AuthorityClass::kLargeAccount;
  return AuthorityClass::kNone;
}

double AuthorInfluence::influence() const {
  return std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, followers))) +
         std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, reposts)));
}

void EventSummary::Add(const EventPost& p) {
  if (posts_ == 0 || p.time_s < first_s_) first_s_ = p.time_s;
  if (posts_ == 0 || p.time_s > last_s_) last_s_ = p.time_s;
  ++posts_;

  // An account without an id (a news outlet, a hotline caller recorded by name) is known by its
  // name on its source; only a post with neither counts as its own author.
  const std::string author_id = !p.author.id.empty()     ? p.author.id
                                : !p.author.name.empty() ? p.source + ":@" + p.author.name
                                                         : p.source + ":" + p.id;
  AuthorInfluence& a = authors_[author_id];
  if (a.id.empty()) a.id = author_id;
  if (a.name.empty()) a.name = p.author.name;
  if (p.author.kind != model::AuthorKind::kUnknown) a.kind = p.author.kind;
  a.followers = std::max(a.followers, p.author.followers);
  a.reposts += std::max<int64_t>(0, p.metrics.reposts);
  ++a.posts;

  ++channels_[static_cast<int>(p.channel)];
  if (!p.source.empty()) ++sources_[p.source];
  for (const std::string& r : p.regions) {
    if (++regions_[r] == 1) CountNewRegion(r);
  }
  ++sentiment_[static_cast<int>(p.sentiment)];
  ++domains_[static_cast<int>(p.domain)];
  for (model::ResponseKind k : p.kinds) ++kinds_[static_cast<int>(k)];
  for (const auto& [k, cue] : p.kind_cues) {
    if (CueTally* t = CueOf(kind_cues_[static_cast<int>(k)], cue)) t->Count(p.text_hash);
  }

  const model::Casualties& c = p.casualties;
  if (c.deaths || c.injured || c.missing || c.trapped || c.loss_yuan) ++figure_posts_;
  bool raised = false;
  KeepMax(casualties_.deaths, p.casualties.deaths, raised);
  KeepMax(casualties_.injured, p.casualties.injured, raised);
  KeepMax(casualties_.missing, p.casualties.missing, raised);
  KeepMax(casualties_.trapped, p.casualties.trapped, raised);
  KeepMax(casualties_.loss_yuan, p.casualties.loss_yuan, raised);
  if (raised) {
    for (const std::string& e : p.casualties.evidence) {
      if (std::find(casualties_.evidence.begin(), casualties_.evidence.end(), e) ==
              casualties_.evidence.end() &&
          casualties_.evidence.size() < 8) {
        casualties_.evidence.push_back(e);
      }
    }
  }

  if (p.rumour_score >= 0.5) ++rumour_posts_;
  if (p.rumour_denial) ++denial_posts_;
  max_rumour_ = std::max(max_rumour_, p.rumour_score);
  for (const std::string& g : p.gov_mentions) ++gov_mentions_[g];

  switch (ClassifyAuthority(p, kLargeFollowers)) {
    case AuthorityClass::kGov:
      ++gov_posts_;
      break;
    case AuthorityClass::kMedia:
      ++media_posts_;
      break;
    case AuthorityClass::kLargeAccount:
      ++large_posts_;
      break;
    case AuthorityClass::kNone:
      break;
  }
  engagement_.reposts += p.metrics.reposts;
  engagement_.comments += p.metrics.comments;
  engagement_.likes += p.metrics.likes;
  engagement_.views += p.metrics.views;

  const int64_t eng = Engagement(p.metrics);
  Offer(
      {p.id, p.time_s, author_id,
       std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, eng))) +
           0.5 * std::log10(1.0 + static_cast<double>(std::max<int64_t>(0, p.author.followers)))});
  AddToSeries(p.time_s, 1, eng);
}

void EventSummary::Offer(RepresentativePost p) {
  auto it =
      std::lower_bound(representative_.begin(), representative_.end(), p, BetterRepresentative);
  if (static_cast<size_t>(it - representative_.begin()) >= kKeepRepresentative) return;
  representative_.insert(it, std::move(p));
  if (representative_.size() > kKeepRepresentative) representative_.pop_back();
}

void EventSummary::AddToSeries(int64_t t, uint32_t posts, int64_t engagement) {
  const int64_t b = BucketStart(t);
  if (series_.empty()) {
    series_.push_back({b, 0, 0});
  } else if (b < series_.front().start_s) {
    const size_t add = static_cast<size_t>((series_.front().start_s - b) / kBucketSeconds);
    std::vector<HeatBucket> front(add);
    for (size_t i = 0; i < add; ++i) {
      front[i].start_s = b + static_cast<int64_t>(i) * kBucketSeconds;
    }
    series_.insert(series_.begin(), front.begin(), front.end());
  }
  while (series_.back().start_s < b) {
    series_.push_back({series_.back().start_s + kBucketSeconds, 0, 0});
  }
  HeatBucket& h = series_[static_cast<size_t>((b - series_.front().start_s) / kBucketSeconds)];
  h.posts += posts;
  h.engagement += engagement;
}

void EventSummary::Absorb(const EventSummary& o) {
  if (o.posts_ == 0) return;
  if (posts_ == 0 || o.first_s_ < first_s_) first_s_ = o.first_s_;
  if (posts_ == 0 || o.last_s_ > last_s_) last_s_ = o.last_s_;
  posts_ += o.posts_;
  for (const auto& [id, oa] : o.authors_) {
    AuthorInfluence& a = authors_[id];
    if (a.id.empty())
      a = oa;
    else {
      a.followers = std::max(a.followers, oa.followers);
      a.reposts += oa.reposts;
      a.posts += oa.posts;
    }
  }
  for (int i = 0; i < kChannelCount; ++i) channels_[i] += o.channels_[i];
  for (const auto& [k, v] : o.sources_) sources_[k] += v;
  for (const auto& [k, v] : o.regions_) {
    uint32_t& n = regions_[k];
    if (n == 0) CountNewRegion(k);
    n += v;
  }
  for (int i = 0; i < 3; ++i) sentiment_[i] += o.sentiment_[i];
  for (int i = 0; i < model::kDomainCount; ++i) domains_[i] += o.domains_[i];
  for (int i = 0; i < 4; ++i) {
    kinds_[i] += o.kinds_[i];
    for (const auto& [cue, theirs] : o.kind_cues_[i]) {
      if (CueTally* t = CueOf(kind_cues_[i], cue)) t->Absorb(theirs);
    }
  }
  bool raised = false;
  figure_posts_ += o.figure_posts_;
  KeepMax(casualties_.deaths, o.casualties_.deaths, raised);
  KeepMax(casualties_.injured, o.casualties_.injured, raised);
  KeepMax(casualties_.missing, o.casualties_.missing, raised);
  KeepMax(casualties_.trapped, o.casualties_.trapped, raised);
  KeepMax(casualties_.loss_yuan, o.casualties_.loss_yuan, raised);
  for (const std::string& e : o.casualties_.evidence) {
    if (casualties_.evidence.size() < 8) casualties_.evidence.push_back(e);
  }
  rumour_posts_ += o.rumour_posts_;
  denial_posts_ += o.denial_posts_;
  max_rumour_ = std::max(max_rumour_, o.max_rumour_);
  for (const auto& [k, v] : o.gov_mentions_) gov_mentions_[k] += v;
  media_posts_ += o.media_posts_;
  gov_posts_ += o.gov_posts_;
  large_posts_ += o.large_posts_;
  engagement_.reposts += o.engagement_.reposts;
  engagement_.comments += o.engagement_.comments;
  engagement_.likes += o.engagement_.likes;
  engagement_.views += o.engagement_.views;
  for (const RepresentativePost& r : o.representative_) Offer(r);
  for (const HeatBucket& h : o.series_) {
    if (h.posts > 0 || h.engagement > 0) AddToSeries(h.start_s, h.posts, h.engagement);
  }
}

size_t EventSummary::distinct_channels() const {
  return static_cast<size_t>(
      std::count_if(channels_.begin(), channels_.end(), [](uint32_t n) { return n > 0; }));
}

void EventSummary::CountNewRegion(const std::string& code) {
  ++province_codes_[code.substr(0, 2)];
  if (code.size() >= 4 && code.compare(2, 2, "00") != 0) ++prefecture_codes_[code.substr(0, 4)];
}

size_t EventSummary::distinct_provinces() const { return province_codes_.size(); }

size_t EventSummary::distinct_prefectures() const { return prefecture_codes_.size(); }

void EventSummary::CueTally::Count(uint64_t text_hash) {
  ++posts;
  AddText(text_hash);
}

void EventSummary::CueTally::AddText(uint64_t text_hash) {
  if (text_hash != 0 && std::find(seen.begin(), seen.end(), text_hash) != seen.end()) return;
  ++texts;
  if (text_hash != 0 && seen.size() < kCueTextsKept) seen.push_back(text_hash);
}

void EventSummary::CueTally::Absorb(const CueTally& other) {
  posts += other.posts;
  // Their kept hashes are checked against ours; the texts they counted beyond them (or without
  // a hash) are new texts.
  for (uint64_t h : other.seen) AddText(h);
  texts += other.texts - static_cast<uint32_t>(other.seen.size());
}

EventSummary::KindCue EventSummary::kind_cue(int k, bool (*eligible)(std::string_view)) const {
  KindCue best;
  if (k < 0 || k >= 4) return best;
  for (const auto& [cue, t] : kind_cues_[k]) {
    if (eligible && !eligible(cue)) continue;
    // Map order: ties keep the first cue.
    if (t.texts > best.texts || (t.texts == best.texts && t.posts > best.posts)) {
      best = {cue, t.posts, t.texts};
    }
  }
  return best;
}

double EventSummary::negative_share() const {
  if (posts_ == 0) return 0;
  return static_cast<double>(sentiment_[static_cast<int>(model::SentimentLabel::kNegative)]) /
         static_cast<double>(posts_);
}

model::Domain EventSummary::top_domain() const {
  int best = static_cast<int>(model::Domain::kOther);
  uint32_t best_n = 0;
  for (int i = 0; i < model::kDomainCount; ++i) {
    if (i == static_cast<int>(model::Domain::kOther)) continue;
    if (domains_[i] > best_n) {
      best = i;
      best_n = domains_[i];
    }
  }
  return static_cast<model::Domain>(best);
}

std::vector<AuthorInfluence> EventSummary::TopAuthors(size_t n) const {
  // Ranked by pointer with the influence computed once: a big event has thousands of authors
  // and its record is rebuilt every batch that touches it; only the top n are copied.
  std::vector<std::pair<double, const AuthorInfluence*>> all;
  all.reserve(authors_.size());
  for (const auto& [id, a] : authors_) all.emplace_back(a.influence(), &a);
  const size_t k = std::min(n, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(),
                    [](const auto& a, const auto& b) {
                      if (a.first != b.first) return a.first > b.first;
                      return a.second->id < b.second->id;
                    });
  std::vector<AuthorInfluence> out;
  out.reserve(k);
  for (size_t i = 0; i < k; ++i) out.push_back(*all[i].second);
  return out;
}

uint64_t EventSummary::PostsBetween(int64_t from_s, int64_t to_s) const {
  uint64_t n = 0;
  for (auto it = series_.rbegin(); it != series_.rend(); ++it) {
    if (it->start_s >= to_s) continue;
    if (it->start_s < from_s) break;
    n += it->posts;
  }
  return n;
}

}  // namespace yuqing::events
