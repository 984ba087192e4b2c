// events owns the step from analysed posts to incidents (舆情事件): online event clustering
// (this header); the event summary, heat, trend, burst and risk grading are in summary.h,
// heat.h, trend.h, risk.h and monitor.h. See docs/events.md.
//
// Clusterer: single-pass online clustering in event-time order (the TDT "first story detection"
// family, Allan et al. 1998). Each post joins the best-scoring event among a bounded set of
// candidates or starts a new event:
//   1. a repost (`parent` seen before) joins its parent's event;
//   2. a near-duplicate (SimHash distance ≤ 3 to an earlier post with enough words) joins that
//      post's event;
//   3. otherwise candidates are the active events sharing a term with the post (inverted index
//      on each event's top-k centroid terms) plus the few most recently active events; each is
//      scored  text_weight × cos(post, centroid top-k) + time_weight × exp(-Δt / τ) × share
//      (τ = time_tau, or blind_tau towards an event sharing no term with the post; share < 1
//      for long posts without a reply marker) and the post joins the best one if the score
//      reaches join_threshold;
//   4. failing that, dormant events sharing a term (a second inverted index) are woken when the
//      cosine alone reaches wake_threshold;
//   5. else a new event starts.
// An event with no post for `dormant_after` goes dormant: it leaves the active index and the
// recency list but keeps its state and can wake (step 4). In a stream of threads (most posts
// placed by time alone), an event silent for much longer than the stream's pace is closed:
// steps 2–4 and merges pass it by (ClusterOptions::seal_factor); an event opened there without
// text evidence inside another event's burst stays unconfirmed, a little older to wordless posts,
// until a post joins it by its words (ClusterOptions::unconfirmed_quantile).
//
// Deterministic: the same posts in the same order give the same assignments (ties go to the
// lower event id; no unordered-container iteration order reaches a decision).
//
// Threads: a Clusterer is a plain value with no locking; one writer (the ordered event stage).
// Values in, values out: no I/O. The KeywordExtractor is shared and must outlive nothing: the
// Clusterer holds a shared_ptr to it.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "text/keywords.h"
#include "text/simhash.h"

namespace yuqing::events {

// One post as the clusterer sees it. `time_s` is event time in seconds since the Unix epoch.
struct ClusterPost {
  std::string id;
  int64_t time_s = 0;
  std::string title;
  std::string text;
  std::string parent;                // id of the reposted / replied-to post; "" if none
  std::vector<std::string> regions;  // region codes (GB/T 2260) named in the post, if known
};

enum class JoinReason {
  kNew,            // started a new event
  kRepost,         // its parent's event
  kNearDuplicate,  // SimHash distance ≤ 3 to an earlier post
  kSimilar,        // best active candidate
  kWoke,           // a dormant event matched strongly and woke up
};
std::string_view JoinReasonName(JoinReason r);

struct Assignment {
  uint64_t event = 0;  // event ids start at 1, in order of creation
  JoinReason reason = JoinReason::kNew;
  double score = 0;  // the winning score (0 for kNew, 1 for kRepost / kNearDuplicate)
  // Cosine of the post to the joined event's centroid before it joined (kSimilar, kWoke);
  // 0 otherwise. How central the post is to its event.
  double cosine = 0;
};

enum class ClusterMode {
  kFull,      // the algorithm above
  kTextOnly,  // baseline: cosine to the centroid with a fixed threshold; no time, SimHash, parent
};

// Defaults: the one parameter set chosen on the dev parts of both evaluation streams
// (eval/events_eval.py, docs/events.md).
struct ClusterOptions {
  ClusterMode mode = ClusterMode::kFull;
  size_t centroid_terms = 100;  // top-k centroid terms kept for scoring and the index
  double text_weight = 1.0;     // weight of the cosine in the score
  double time_weight = 0.8;     // weight of the recency term in the score
  double time_tau_s = 14400;    // recency decay constant
  // Recency decay constant towards an event the post shares no term with: time alone is weaker
  // evidence than time and a shared word, so it carries a post for a shorter while.
  double blind_tau_s = 7200;
  double join_threshold = 0.35;      // join the best candidate at or above this score
  double wake_threshold = 0.4;       // cosine needed to wake a dormant event
  int64_t dormant_after_s = 604800;  // inactivity before an event goes dormant
  // An event silent this long (event time) is forgotten: it leaves memory and can no longer wake
  // (a later post about it starts a new event), and posts older than this no longer take
  // reposts or near-duplicates. Keeps a server that runs for months in bounded memory, and
  // holds what a restart rebuilds (the event stage sets its restore window here). 0: never.
  int64_t forget_after_s = 0;
  size_t recent_candidates = 4;  // most recently active events always scored
  size_t min_simhash_terms = 5;  // posts with fewer terms skip near-duplicate matching
  // Weight of a region-code term relative to a word: its online IDF among the stream's posts,
  // at most 8 (about the IDF of a fairly rare word).
  double region_weight = 1.0;
  size_t max_postings_per_term = 64;  // a term indexing more events stops gaining new ones
  // Recency counts fully for posts of at most `short_terms` terms and falls as
  // (short_terms / terms)² beyond: a short reaction ("太可怕了") follows the latest thread, a
  // long post with new words does not join an unrelated event just for being close in time.
  double short_terms = 10;
  // A post with more terms than this gets recency only from events it shares a word with
  // (cosine > 0): a report on another incident does not snowball into the latest event.
  size_t overlap_needed_above = 1000;
  // For a post longer than `short_terms` (and not a marked reaction), recency counts in
  // proportion to its cosine with the event up to this value, fully from there on: time can
  // carry a post that already leans towards an event, not one that merely shares a word with
  // the busiest event of the hour (the first reports of a second, concurrent incident).
  // 0: recency does not depend on the cosine. Chosen on dev with concurrent streams
  // (docs/events.md, round 4).
  double time_needs_cosine = 0.02;
  double merge_threshold = 0.3;  // centroid cosine at which two active events merge; > 1: never
  // A post carrying a reply or repost marker ("回复@user:", a "//@user:" chain, the bare
  // "转发微博") is a reaction whatever its length: recency counts fully (no short_terms
  // discount) and it never wakes a dormant event. Off: such posts are treated like any other.
  bool reaction_markers = true;
  // Words of a hashtag ("#yycflood", the Weibo topic "#四川雅安地震#") weigh this many times
  // their IDF: the author's own label for what the post is about.
  double hashtag_weight = 2.0;
  // Non-CJK words lose a plural "s" ("floods" → "flood"; not "ss", not under 4 letters): crisis
  // tweets in English, Spanish, Italian, Portuguese, French say the same thing in both numbers.
  bool stem_plurals = true;
  uint32_t merge_min_posts = 3;  // an event is checked for merging once it has this many posts
  // Chinese words are weighed, like the words of other scripts, by the stream's own document
  // frequency (online IDF): what every post of a stream says ("转发", "真的", the words of this
  // week's big story) weighs little there, whatever a general corpus says. Off: jieba's static
  // IDF for Chinese words.
  bool stream_idf = true;
  // With stream_idf, jieba's corpus counts as this many posts seen before the stream's first, so
  // a new stream starts from jieba's weights and its own counts take over as it grows.
  double idf_prior_posts = 1000;
  // Recency is how a reaction that names nothing (or one common word) finds its thread when the
  // stream does not say which post it answers. A stream that does say — its posts carry
  // `parent` — places its reactions by their parent (step 1); there a short post without a
  // parent is a post of its own, and full recency only carries such posts, sharing a common word
  // or nothing, into the latest thread. The share of posts carrying a parent is kept over the
  // stream's last posts (exponentially, `parent_memory_posts`). The recency of a short post (up
  // to `short_terms` terms, or a marked reaction) is scaled by s + (1 − s) · min(1, cos /
  // parent_recency_cosine), where s = 1 − share / parent_share_full clamped to [0, 1] and cos is
  // the post's cosine to the event: gone for a post that shares nothing, full for one whose words
  // lean on the event. A longer post keeps the recency its text earns (`time_needs_cosine`): a
  // follow-up report of an incident. parent_share_full 0: off.
  double parent_share_full = 0.05;
  double parent_memory_posts = 500;
  double parent_recency_cosine = 0.3;
  // A stream of threads: where the text places few posts — half of ced_weibo's posts join their
  // event by time alone, one in fifty of crisislext26's — an event is a burst of reactions around
  // a post, and it ends when the burst does. The clusterer keeps the share of posts joined
  // without text evidence (no parent, cosine to the joined event under `time_needs_cosine`) over
  // the stream's last `thread_memory_posts` posts, r = (share − thread_share_none) /
  // (thread_share_full − thread_share_none) clamped to [0, 1], and the stream's pace: the
  // distribution of the gaps between a post and its event's previous post (decayed over the last
  // 2,000 joins, quarter-octave bins). Once r > 0, an event silent for more than
  // seal_factor × the seal_quantile of those gaps, divided by r, is **closed**: no post joins it
  // by similarity, as a near-duplicate or by waking it, and no event merges with it; a later
  // post about it opens a new event. Where the text places posts (r = 0) nothing changes.
  // seal_factor 0: off. Chosen on dev (docs/events.md, round 11).
  double thread_share_none = 0.15;
  double thread_share_full = 0.3;
  double thread_memory_posts = 500;
  double seal_quantile = 0.95;
  double seal_factor = 3;
  // In a stream of threads, an event opened without text evidence while another event was in
  // its burst (its last post no longer ago than the unconfirmed_quantile of the join gaps) may
  // be a stray reaction of that burst rather than a new story: it stays **unconfirmed** until a
  // post joins it by its words or its parent. Towards a post that shares no term with it, an
  // unconfirmed event counts as that same gap older than it is, so a wordless reaction that finds
  // the burst and the stray equally recent joins the burst. 0: off. Chosen on dev
  // (docs/events.md, round 12).
  double unconfirmed_quantile = 0.25;
};

// Counters for the bench and for monitoring.
struct ClusterStats {
  uint64_t posts = 0;
  uint64_t events = 0;
  uint64_t active_events = 0;
  uint64_t woke = 0;
  uint64_t reposts = 0;
  uint64_t near_duplicates = 0;
  uint64_t candidates_scored = 0;
  uint64_t merges = 0;
  uint64_t forgotten = 0;  // events forgotten after forget_after_s
  // Posts placed while the stream read as a stream of threads (events close after a silence).
  uint64_t thread_posts = 0;
};

// A record of one merge: event `from` was absorbed into `into` at event time `at_s`.
struct Merge {
  uint64_t from = 0;
  uint64_t into = 0;
  int64_t at_s = 0;
  double score = 0;      // centroid cosine
  bool by_hand = false;  // MergeByHand: a person said the two are one event
};

class Clusterer {
 public:
  // A post's text (title + "\n" + text) with the segmentation of its Chinese runs, as byte
  // spans into `text`, in order, each with its word's jieba IDF (negative: not a term — a stop
  // word or a single character) and whether it is inside a Weibo topic "#…#".
  // Made by PreCutPost() — const and thread-safe — so the costly cutting and lookups can run in
  // parallel ahead of the ordered Add().
  struct Span {
    uint32_t offset = 0;
    uint32_t length = 0;
    double idf = -1;
    bool in_tag = false;
  };
  struct PreCut {
    std::string text;
    std::vector<std::vector<Span>> runs;
  };
  PreCut PreCutPost(const ClusterPost& post) const;

  // `keywords` gives segmentation, the Chinese stop words and the jieba IDF (with `stream_idf`,
  // the prior of the stream's own); must not be null.
  Clusterer(std::shared_ptr<const text::KeywordExtractor> keywords, ClusterOptions options = {});

  // Assigns one post. Posts must come in non-decreasing time order; an earlier time is treated
  // as the latest time seen (late posts never move the clock back).
  //
  // `pre` (optional): the post's segmentation computed ahead by PreCutPost(), e.g. on other
  // threads; the result is the same as without it.
  Assignment Add(const ClusterPost& post, const PreCut* pre = nullptr);

  // Rebuilds state after a restart: `post` joins event `event` (created if unknown) exactly as
  // it was assigned before, with no scoring and no merging. Call in the original processing
  // order, after SetNextEventId().
  void Restore(const ClusterPost& post, uint64_t event, const PreCut* pre = nullptr);
  // New events get ids from `id` on (ids already used by stored events are never reused).
  void SetNextEventId(uint64_t id);
  // The event's `n` heaviest centroid terms with their weights (unit top-k vector), heaviest
  // first; empty for an unknown or merged event.
  std::vector<std::pair<std::string, double>> TopTerms(uint64_t event, size_t n) const;
  // True if `event` is known and has not been merged into another.
  bool Alive(uint64_t event) const;
  // A person's judgment that `from` and `into` are one event (docs/events.md "Merging by
  // hand"): `from`'s posts, centroid and fingerprints become `into`'s, and a Merge with
  // `by_hand` and their centroid cosine is recorded in merges() at event time `t`, exactly as
  // an automatic merge is. Either may be dormant (the result is active if either was recent).
  // Both are first resolved through earlier merges. InvalidArgument when they are the same
  // event; NotFound when one is unknown or forgotten (older than forget_after_s).
  Status MergeByHand(uint64_t from, uint64_t into, int64_t t);

  const ClusterStats& stats() const { return stats_; }
  // The event that `event` is now part of: itself, or the survivor of the merges it went through.
  // An Assignment names the event at the time of the post; Resolve() gives its current event.
  uint64_t Resolve(uint64_t event) const;
  const std::vector<Merge>& merges() const { return merges_; }
  // The events forgotten (ClusterOptions::forget_after_s) since the last call, oldest first;
  // merged-away events are not listed (they were reported as merges).
  std::vector<uint64_t> TakeForgotten();
  // Approximate bytes held per event (centroid, index postings), for the bench.
  size_t MemoryBytes() const;

  // The weighted terms of a text, sorted by term id, unit length (exposed for tests).
  struct Term {
    uint32_t id;
    double weight;
  };
  std::vector<Term> Vectorize(const ClusterPost& post, const PreCut* pre = nullptr);
  // The text of a term id (for tests and debugging).
  const std::string& TermText(uint32_t id) const { return term_text_[id]; }

 private:
  struct Event {
    uint64_t id = 0;
    int64_t first_s = 0;
    int64_t last_s = 0;
    uint32_t posts = 0;
    bool dormant = false;
    uint64_t merged_into = 0;                       // 0 while the event lives
    bool unconfirmed = false;                       // ClusterOptions::unconfirmed_quantile
    std::unordered_map<uint32_t, double> centroid;  // sum of the posts' unit vectors
    std::vector<Term> top;                          // top-k of centroid, sorted by id, unit
  };

  uint32_t Intern(std::string_view term);
  // A CJK word's jieba IDF, or -1 if it is not a term (see Span::idf).
  double CjkIdf(std::string_view word) const;
  // Adds a CJK word with its jieba IDF to Vectorize's raw terms.
  void AddCjk(std::string_view word, double idf, bool in_tag,
              std::vector<std::pair<uint32_t, double>>& raw);
  uint64_t Fingerprint(const std::vector<Term>& v) const;
  // The best of `cands` (event id, cosine) under score(candidate, best score so far): highest
  // score, then lowest id — the same whatever the order of `cands`. score() may return any
  // value below the best so far for a candidate that cannot beat it. Returns the index of the
  // winner in `cands` (cands.size() if empty) and its score.
  template <typename Score>
  static std::pair<size_t, double> Best(const std::vector<std::pair<uint64_t, double>>& cands,
                                        Score score);
  template <typename OnRun>
  void Walk(std::string_view s, OnRun on_run) const;
  void AddWords(std::string_view text, std::vector<std::pair<uint32_t, double>>& out);
  struct Posting {
    uint64_t event;
    double weight;  // the term's weight in the event's unit top-k vector
  };
  using Index = std::unordered_map<uint32_t, std::vector<Posting>>;

  // Counts `post` into the share of posts that name a parent; returns the factor of recency
  // from the share before it (ClusterOptions::parent_share_full).
  double NoteParent(const ClusterPost& post);
  double Cosine(const std::vector<Term>& v, const Event& e) const;
  // Dot products of `v` with every event posted under its terms, as (event id, dot) in no
  // particular order: term-at-a-time scoring, no per-candidate merge. Each event's sum adds its
  // terms in `v`'s order, so the values do not depend on the order of the postings.
  void Accumulate(const Index& index, const std::vector<Term>& v,
                  std::vector<std::pair<uint64_t, double>>& out);
  void Join(Event& e, const std::vector<Term>& v, int64_t t);
  void MaybeMerge(Event& e, int64_t t);
  // `from` becomes part of `into` (either may be dormant); records the Merge.
  void Absorb(Event& into, Event& from, int64_t t, double score, bool by_hand);
  void Reindex(Event& e);
  void IndexAdd(Index& index, const Event& e);
  void IndexRemove(Index& index, const Event& e);
  void Sleep(int64_t now);
  Event& NewEvent(int64_t t);

  std::shared_ptr<const text::KeywordExtractor> keywords_;
  ClusterOptions options_;
  ClusterStats stats_;
  int64_t now_ = INT64_MIN;
  double parent_share_ = 0;  // decayed share of posts that carry a parent (parent_share_full)
  // The stream of threads (ClusterOptions::thread_share_full): the decayed share of posts joined
  // by time alone, and the decayed histogram of join gaps (kGapBins quarter-octave bins of
  // seconds; each new count weighs 1 / (1 − a) times the one before, rescaled before overflow).
  static constexpr size_t kGapBins = 104;  // up to 2^26 s, about two years
  double thread_share_ = 0;
  std::array<double, kGapBins> gap_hist_{};
  double gap_total_ = 0;
  double gap_weight_ = 1;
  // For the post being added (ReadPace): SealAfter(), and the gap of
  // ClusterOptions::unconfirmed_quantile (0: off, or not a stream of threads).
  double seal_s_ = 1e300;
  double unconfirmed_gap_s_ = 0;
  // In a stream of threads, an event silent for longer than seal_s_ is closed
  // (ClusterOptions::seal_factor): nothing joins it, wakes it or merges with it.
  void ReadPace();
  // Whether `e` is closed at `t` for the post being added (silent for longer than seal_s_).
  bool Closed(const Event& e, int64_t t) const;
  // Whether `post` joins `e` by time alone: no parent, and a cosine under 0.02 (the value of
  // time_needs_cosine).
  bool ByTimeAlone(const ClusterPost& post, const std::vector<Term>& v, const Event& e) const;
  // Counts one post into the thread share (`by_time`: it joined by time alone) and, when it
  // joined an event, its gap.
  void NoteThread(bool by_time, const Event* joined, int64_t t);
  // How long an event may be silent before it is closed, from the share and the gaps before
  // this post (seconds; infinity where the text places posts).
  double SealAfter() const;
  // The upper edge of the quarter-octave bin that holds quantile q of the join gaps (seconds).
  double GapQuantile(double q) const;
  // Whether a new event opened at `t` is unconfirmed (within unconfirmed_gap_s_ of the newest
  // active event's last post).
  bool OpensUnconfirmed(int64_t t) const;

  // Looked up by string_view without building a std::string.
  struct TermHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, uint32_t, TermHash, std::equal_to<>> term_ids_;
  std::vector<std::string> term_text_;
  std::vector<uint64_t> term_hash_;  // text::WordHash of each term, for SimHash
  std::vector<uint32_t> doc_freq_;   // online document frequency per term (words)
  // Per term: its document frequency in idf_prior_posts posts of jieba's corpus (Chinese words
  // with stream_idf); -1 for other terms.
  std::vector<double> prior_df_;
  uint64_t docs_ = 0;

  std::vector<std::unique_ptr<Event>> events_;             // index = id - 1
  std::set<std::pair<int64_t, uint64_t>> active_by_time_;  // (last_s, event id)
  Index active_index_;
  Index dormant_index_;
  std::vector<double> scratch_sum_;       // Accumulate's sums by event id, all 0 between calls
  std::vector<uint64_t> scratch_seen_;    // the ids Accumulate touched
  std::vector<uint8_t> scratch_touched_;  // 1 for the ids in scratch_seen_, by event id
  std::vector<std::pair<uint64_t, double>> scratch_cands_;  // Add's candidates
  std::vector<std::pair<uint64_t, double>> scratch_merge_;  // MaybeMerge's candidates
  std::vector<Term> scratch_terms_;                         // Reindex's working copy
  struct PostEvent {
    uint64_t event;
    int64_t time_s;  // the clock when the post was placed
  };
  std::unordered_map<std::string, PostEvent> event_of_post_;  // post id → event
  text::SimHashIndex simhash_;                                // fingerprint → event id
  std::vector<Merge> merges_;
  // Dormant and merged-away events by last post (last_s, id): forgotten from the front.
  std::set<std::pair<int64_t, uint64_t>> retired_by_time_;
  std::vector<uint64_t> forgotten_;  // for TakeForgotten()
  int64_t next_sweep_s_ = 0;         // when old posts and fingerprints are next swept
  // Forgets retired events silent since before now - forget_after_s; now and then also drops
  // older posts and the fingerprints of forgotten events.
  void Forget(int64_t now);
  // The live event a stored id leads to (through merges), or nullptr if it was forgotten.
  Event* Live(uint64_t event);
};

}  // namespace yuqing::events
