// EventSummary: the running description of one event (舆情事件) that heat, trend and risk
// grading read — counts, mixes, casualty figures, representative posts, influential authors and
// a heat series in 10-minute buckets of event time. See docs/events.md "Event summary".
//
// Values in, values out: Add() takes one EventPost (built from a post and its analysis by
// MakeEventPost) and updates the summary in O(log n); posts may arrive in any time order.
// Threads: a plain value with no locking; one writer (the ordered event stage).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "model/analysis.h"
#include "model/post.h"

namespace yuqing::events {

inline constexpr int kChannelCount = 12;        // model::Channel enumerators
inline constexpr int64_t kBucketSeconds = 600;  // heat series resolution: 10 minutes

// What the event layer needs from one analysed post: a lean copy (no evidence strings beyond
// the casualty phrases and government mentions, which risk reasons quote).
struct EventPost {
  std::string id;
  int64_t time_s = 0;  // event time, seconds since the Unix epoch
  model::Channel channel = model::Channel::kOther;
  std::string source;
  model::Author author;
  model::Metrics metrics;
  std::vector<std::string> regions;  // GB/T 2260 codes: the post's region and analysed places
  model::SentimentLabel sentiment = model::SentimentLabel::kNeutral;
  model::Domain domain = model::Domain::kOther;
  std::vector<model::ResponseKind> kinds;
  // The cues that set each kind (the analysis' evidence: 泄漏, 维权, 3人死亡 …), each once per
  // post: a kind counts for the grade only when one cue recurs (EventSummary::kind_cue).
  std::vector<std::pair<model::ResponseKind, std::string>> kind_cues;
  // A hash of the post's title and text without white space (MakeEventPost): copies of one text
  // (the same post pasted by several accounts, a corpus that holds it twice) corroborate a cue
  // as one report. 0: unknown, a text of its own.
  uint64_t text_hash = 0;
  model::Casualties casualties;
  double rumour_score = 0;
  bool rumour_denial = false;
  // Government bodies or officials the text names (县委书记, 城管, 派出所 …), from
  // FindGovernmentMentions().
  std::vector<std::string> gov_mentions;
};

// Builds an EventPost from the canonical post and its analysis. `time_s` is taken from
// post.published_at; places with confidence below 0.5 are left out of `regions`.
EventPost MakeEventPost(const model::Post& post, const model::Analysis& analysis);

// The government bodies and officials a text names, each once, in order of first appearance
// (a fixed word list: 政府, 书记, 市长, 局长, 城管, 派出所, 纪委 …; see summary.cc).
std::vector<std::string> FindGovernmentMentions(std::string_view text);

// A post kept as representative: the most engaged and most authoritative ones.
struct RepresentativePost {
  std::string id;
  int64_t time_s = 0;
  std::string author_id;
  double score = 0;  // log10(1 + engagement) + 0.5 · log10(1 + followers)
};

struct AuthorInfluence {
  std::string id;
  std::string name;
  model::AuthorKind kind = model::AuthorKind::kUnknown;
  int64_t followers = 0;  // the largest follower count seen
  int64_t reposts = 0;    // reposts of this author's posts in the event, summed
  uint32_t posts = 0;
  // log10(1 + followers) + log10(1 + reposts): ranks TopAuthors().
  double influence() const;
};

struct HeatBucket {
  int64_t start_s = 0;  // multiple of kBucketSeconds
  uint32_t posts = 0;
  int64_t engagement = 0;  // reposts + comments + likes of the bucket's posts
};

// Authority of a post's author, for heat and grading.
enum class AuthorityClass { kNone, kLargeAccount, kMedia, kGov };
// kGov: author kind gov or channel gov_platform; kMedia: author kind media or channel
// news / print / tv; kLargeAccount: ≥ `large_followers` followers.
AuthorityClass ClassifyAuthority(const EventPost& p, int64_t large_followers);

class EventSummary {
 public:
  static constexpr int64_t kLargeFollowers = 1'000'000;  // a "large account" (大V)
  static constexpr size_t kKeepRepresentative = 5;

  void Add(const EventPost& post);
  // Folds `other` into this summary (the clusterer merged the two events).
  void Absorb(const EventSummary& other);

  uint64_t posts() const { return posts_; }
  int64_t first_s() const { return first_s_; }
  int64_t last_s() const { return last_s_; }
  size_t author_count() const { return authors_.size(); }
  const std::array<uint32_t, kChannelCount>& channels() const { return channels_; }
  size_t distinct_channels() const;
  const std::map<std::string, uint32_t>& sources() const { return sources_; }
  const std::map<std::string, uint32_t>& regions() const { return regions_; }
  // Distinct provinces (first two digits) and prefectures (first four) among the region codes.
  size_t distinct_provinces() const;
  size_t distinct_prefectures() const;
  // Posts per sentiment label, indexed by model::SentimentLabel.
  const std::array<uint32_t, 3>& sentiment() const { return sentiment_; }
  double negative_share() const;  // negative / posts; 0 without posts
  const std::array<uint32_t, model::kDomainCount>& domains() const { return domains_; }
  model::Domain top_domain() const;  // most posts; ties to the lower enumerator
  const std::array<uint32_t, 4>& kinds() const { return kinds_; }  // by model::ResponseKind
  // The cue of kind `k` (model::ResponseKind index) said by the most different texts, then by
  // the most posts: posts that say the same thing corroborate each other; posts that set one
  // kind by different cues (地震 in one, 爆炸 in another) are unrelated reports thrown together,
  // and copies of one text are one report. {"", 0, 0} if none. `eligible` (optional) leaves out
  // cues it returns false for.
  struct KindCue {
    std::string cue;
    uint32_t posts = 0;
    // Different texts among those posts (EventPost::text_hash), counted exactly up to
    // kCueTextsKept; beyond it every further post counts as a new text.
    uint32_t texts = 0;
    bool operator==(const KindCue&) const = default;
  };
  static constexpr size_t kCueTextsKept = 16;
  KindCue kind_cue(int k, bool (*eligible)(std::string_view) = nullptr) const;
  // Largest figure any post reported, per field (reports repeat and update numbers; summing
  // would count one death many times). Evidence is from the posts that set the maxima.
  const model::Casualties& casualties() const { return casualties_; }
  uint32_t rumour_posts() const { return rumour_posts_; }  // rumour score ≥ 0.5
  // Posts that report a casualty figure or a loss (any of deaths, injured, missing, trapped,
  // loss_yuan).
  uint32_t figure_posts() const { return figure_posts_; }
  uint32_t denial_posts() const { return denial_posts_; }
  double max_rumour() const { return max_rumour_; }
  const std::map<std::string, uint32_t>& gov_mentions() const { return gov_mentions_; }
  uint32_t media_posts() const { return media_posts_; }
  uint32_t gov_posts() const { return gov_posts_; }
  uint32_t large_account_posts() const { return large_posts_; }
  const model::Metrics& engagement() const { return engagement_; }
  // Posts ranked by RepresentativePost::score, best first (at most kKeepRepresentative).
  const std::vector<RepresentativePost>& representative() const { return representative_; }
  // Authors ranked by influence(), best first; ties by id.
  std::vector<AuthorInfluence> TopAuthors(size_t n) const;
  // The 10-minute series from the first bucket to the last, empty buckets included.
  const std::vector<HeatBucket>& series() const { return series_; }
  // Posts with time in [from_s, to_s), from the series (bucket granularity: a bucket counts
  // when its start is in the range).
  uint64_t PostsBetween(int64_t from_s, int64_t to_s) const;

 private:
  void AddToSeries(int64_t t, uint32_t posts, int64_t engagement);
  void Offer(RepresentativePost p);

  uint64_t posts_ = 0;
  int64_t first_s_ = 0;
  int64_t last_s_ = 0;
  std::map<std::string, AuthorInfluence> authors_;
  std::array<uint32_t, kChannelCount> channels_{};
  std::map<std::string, uint32_t> sources_;
  std::map<std::string, uint32_t> regions_;
  // Distinct region codes per province (first two digits) and prefecture (first four, not
  // "xx00"), kept as codes are first seen: distinct_provinces() is read on every evaluation
  // and an event can name hundreds of regions.
  std::map<std::string, uint32_t> province_codes_;
  std::map<std::string, uint32_t> prefecture_codes_;
  void CountNewRegion(const std::string& code);
  std::array<uint32_t, 3> sentiment_{};
  std::array<uint32_t, model::kDomainCount> domains_{};
  std::array<uint32_t, 4> kinds_{};
  // Posts and texts per cue, per kind (at most 64 distinct cues per kind are tracked;
  // summary.cc).
  struct CueTally {
    uint32_t posts = 0;
    uint32_t texts = 0;
    std::vector<uint64_t> seen;        // text hashes, at most kCueTextsKept
    void Count(uint64_t text_hash);    // one more post
    void AddText(uint64_t text_hash);  // a text, counted if not seen before
    void Absorb(const CueTally& other);
  };
  std::array<std::map<std::string, CueTally>, 4> kind_cues_;
  model::Casualties casualties_;
  uint32_t figure_posts_ = 0;
  uint32_t rumour_posts_ = 0;
  uint32_t denial_posts_ = 0;
  double max_rumour_ = 0;
  std::map<std::string, uint32_t> gov_mentions_;
  uint32_t media_posts_ = 0;
  uint32_t gov_posts_ = 0;
  uint32_t large_posts_ = 0;
  model::Metrics engagement_;
  std::vector<RepresentativePost> representative_;
  std::vector<HeatBucket> series_;
};

}  // namespace yuqing::events
