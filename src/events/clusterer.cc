#include "events/clusterer.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "text/simhash.h"

namespace yuqing::events {
namespace {

// Stop words for the non-Chinese path (crisis tweets: English, Spanish, Italian, Portuguese,
// French), written for yuqing: function words, pronouns, auxiliaries and tweet boilerplate.
// Sorted for binary search.
constexpr std::string_view kStopWords[] = {
    "a",    "about", "after", "al",   "all",  "also", "am",   "amp",   "an",   "and",   "any",
    "are",  "as",    "at",    "au",   "be",   "been", "but",  "by",    "can",  "che",   "como",
    "con",  "could", "da",    "dans", "de",   "dei",  "del",  "della", "des",  "di",    "do",
    "dos",  "du",    "e",     "el",   "em",   "en",   "es",   "est",   "et",   "for",   "from",
    "gli",  "had",   "has",   "have", "he",   "her",  "his",  "how",   "http", "https", "i",
    "if",   "il",    "in",    "into", "is",   "it",   "its",  "just",  "la",   "las",   "le",
    "les",  "lo",    "los",   "ma",   "mais", "me",   "more", "my",    "na",   "nel",   "no",
    "não",  "nos",   "not",   "now",  "o",    "of",   "on",   "or",    "os",   "our",   "out",
    "para", "pas",   "per",   "por",  "pour", "que",  "qui",  "rt",    "se",   "she",   "si",
    "so",   "some",  "su",    "sur",  "than", "that", "the",  "their", "them", "there", "they",
    "this", "to",    "um",    "un",   "una",  "une",  "uno",  "up",    "us",   "via",   "was",
    "we",   "were",  "what",  "when", "who",  "will", "with", "y",     "you",  "your",
};

// Raw term weights in Vectorize before the IDF is known: a positive weight is a CJK word's
// (jieba IDF, already times the hashtag weight inside a Weibo topic; only with `stream_idf` off);
// these markers stand for a word weighed by the online IDF (any script with `stream_idf`, else
// non-CJK only), the same inside a hashtag, and a region code.
constexpr double kOnlineIdf = -1.0;
constexpr double kOnlineIdfHashtag = -3.0;
constexpr double kRegion = -2.0;

bool IsStop(std::string_view w) {
  return std::binary_search(std::begin(kStopWords), std::end(kStopWords), w);
}

// Decodes one UTF-8 code point at s[i]; advances i. Ill-formed bytes decode as U+FFFD.
char32_t Next(std::string_view s, size_t& i) {
  auto b = static_cast<unsigned char>(s[i]);
  int n = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > s.size()) {
    ++i;
    return 0xFFFD;
  }
  char32_t c = n == 1 ? b : b & (0xFF >> (n + 1));
  for (int k = 1; k < n; ++k) c = (c << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  i += n;
  return c;
}

bool IsCjk(char32_t c) {
  return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0xF900 && c <= 0xFAFF) ||
         (c >= 0x20000 && c <= 0x2FFFF);
}

// Letters of alphabetic scripts (Latin, Greek, Cyrillic) and digits make up non-CJK words.
bool IsWordChar(char32_t c) {
  if (c < 0x80) return std::isalnum(static_cast<int>(c)) != 0;
  return (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) || (c >= 0x370 && c <= 0x4FF);
}

// Weibo and most Chinese platforms write emoticons as a bracketed name, "[蜡烛]", "[哈哈]",
// "[good]": a picture, not a word. Left in, "[蜡烛][蜡烛][蜡烛]" is a heavy term shared by
// every condolence post of every year, and posts made mostly of it become SimHash
// near-duplicates across unrelated threads. Returns the index just past the emoticon starting at
// s[i], or 0: one to eight code points without space or brackets between '[' and ']'.
size_t EmoticonEnd(std::string_view s, size_t i) {
  if (s[i] != '[') return 0;
  size_t j = i + 1;
  for (int n = 0; j < s.size() && n <= 8; ++n) {
    if (s[j] == ']') return n == 0 ? 0 : j + 1;
    char32_t c = Next(s, j);
    if (c == '[' || c == ' ' || c == '\n' || c == 0x3000) return 0;
  }
  return 0;
}

// Weibo marks replies and reposts in the text itself: "回复@user:" opens a reply, "//@user:"
// quotes the reposted post's author (and the chain before it), "转发微博" is the text of a bare
// repost. Forums and 12345 transcripts quote with the same forms often enough.
bool HasReactionMarker(std::string_view text) {
  return text.find("\u56de\u590d@") != std::string_view::npos ||  // 回复@
         text.find("//@") != std::string_view::npos ||
         text.find("\u8f6c\u53d1\u5fae\u535a") != std::string_view::npos;  // 转发微博
}

// Whether an event that now has `posts` posts recomputes its top terms (see Join).
bool ReindexDue(uint32_t posts) {
  if (posts <= 8) return true;
  const uint32_t every = posts <= 64 ? 4 : posts / 16;
  return posts % every == 0;
}

}  // namespace

std::string_view JoinReasonName(JoinReason r) {
  switch (r) {
    case JoinReason::kNew:
      return "new";
    case JoinReason::kRepost:
      return "repost";
    case JoinReason::kNearDuplicate:
      return "near_duplicate";
    case JoinReason::kSimilar:
      return "similar";
    case JoinReason::kWoke:
      return "woke";
  }
  return "unknown";
}

Clusterer::Clusterer(std::shared_ptr<const text::KeywordExtractor> keywords, ClusterOptions options)
    : keywords_(std::move(keywords)), options_(options) {}

uint32_t Clusterer::Intern(std::string_view term) {
  auto it = term_ids_.find(term);
  if (it != term_ids_.end()) return it->second;
  auto id = static_cast<uint32_t>(term_text_.size());
  term_ids_.emplace(std::string(term), id);
  term_text_.emplace_back(term);
  term_hash_.push_back(text::WordHash(term));
  doc_freq_.push_back(0);
  prior_df_.push_back(-1);
  return id;
}

double Clusterer::CjkIdf(std::string_view word) const {
  if (word.size() < 6 || keywords_->IsStopWord(word)) return -1;  // fewer than two CJK chars
  return keywords_->Idf(word);
}

void Clusterer::AddCjk(std::string_view word, double idf, bool in_tag,
                       std::vector<std::pair<uint32_t, double>>& raw) {
  if (idf < 0) return;
  const uint32_t id = Intern(word);
  if (!options_.stream_idf) {
    raw.emplace_back(id, idf * (in_tag ? options_.hashtag_weight : 1.0));
    return;
  }
  if (prior_df_[id] < 0) {
    // jieba's IDF is log(corpus / df): the word's share of a general corpus, e^-IDF.
    prior_df_[id] = options_.idf_prior_posts * std::exp(-idf);
  }
  raw.emplace_back(id, in_tag ? kOnlineIdfHashtag : kOnlineIdf);
}

uint64_t Clusterer::Fingerprint(const std::vector<Term>& v) const {
  std::vector<text::HashedWord> words;
  words.reserve(v.size());
  for (const auto& term : v) words.push_back({term_hash_[term.id], term.weight});
  return text::SimHash(words);
}

template <typename Score>
std::pair<size_t, double> Clusterer::Best(const std::vector<std::pair<uint64_t, double>>& cands,
                                          Score score) {
  size_t best = cands.size();
  double best_score = -1;
  for (size_t i = 0; i < cands.size(); ++i) {
    double x = score(cands[i], best_score);
    if (x > best_score ||
        (x == best_score && best < cands.size() && cands[i].first < cands[best].first)) {
      best_score = x;
      best = i;
    }
  }
  return {best, best_score};
}

// Non-CJK words: lower-cased ASCII, at least two characters, at least one letter, not a stop
// word. Weight comes later from the online document frequency.
void Clusterer::AddWords(std::string_view text, std::vector<std::pair<uint32_t, double>>& out) {
  std::string word;
  bool has_letter = false;
  bool hashtag = false;
  size_t chars = 0;
  auto flush = [&] {
    if (chars >= 2 && has_letter && !IsStop(word)) {
      if (options_.stem_plurals && chars == word.size() && word.size() >= 4 && word.back() == 's' &&
          word[word.size() - 2] != 's') {
        word.pop_back();
      }
      out.emplace_back(Intern(word), hashtag ? kOnlineIdfHashtag : kOnlineIdf);
    }
    word.clear();
    has_letter = false;
    chars = 0;
  };
  size_t i = 0;
  while (i < text.size()) {
    size_t start = i;
    char32_t c = Next(text, i);
    if (IsWordChar(c)) {
      if (c < 0x80) {
        auto ch = static_cast<char>(std::tolower(static_cast<int>(c)));
        has_letter = has_letter || std::isalpha(static_cast<unsigned char>(ch)) != 0;
        word.push_back(ch);
      } else {
        has_letter = true;
        word.append(text.substr(start, i - start));
      }
      ++chars;
    } else {
      flush();
      hashtag = c == '#';
    }
  }
  flush();
}

// Cuts `s` into runs — CJK (to be segmented) and other scripts (our word tokenizer) — after
// dropping URLs, @mentions (a //@user: repost chain names people, not the story) and bracketed
// emoticons, and calls on_run(run, cjk, in_tag) for each in order; in_tag: inside a Weibo topic
// "#…#". Const and allocation-free: shared by Vectorize() and PreCutPost().
template <typename OnRun>
void Clusterer::Walk(std::string_view s, OnRun on_run) const {
  size_t i = 0;
  size_t run_start = 0;
  bool run_cjk = false;
  bool in_tag = false;  // inside a Weibo topic "#…#", which ends at tag_end
  size_t tag_end = 0;
  auto end_run = [&](size_t end) {
    if (end <= run_start) return;
    on_run(s.substr(run_start, end - run_start), run_cjk, in_tag);
  };
  while (i < s.size()) {
    if (s.compare(i, 7, "http://") == 0 || s.compare(i, 8, "https://") == 0) {
      end_run(i);
      while (i < s.size() && static_cast<unsigned char>(s[i]) > 0x20 &&
             static_cast<unsigned char>(s[i]) < 0x80) {
        ++i;
      }
      run_start = i;
      continue;
    }
    if (s[i] == '#' && in_tag && i == tag_end) {
      end_run(i);
      in_tag = false;
      ++i;
      run_start = i;
      continue;
    }
    if (s[i] == '#' && !in_tag) {
      // A Weibo topic "#四川雅安地震#" (CJK, closed by a second '#'); "#word" hashtags of other
      // scripts are marked by the word tokenizer.
      size_t close = s.find('#', i + 1);
      size_t j = i + 1;
      if (close != std::string_view::npos && close - i <= 96 && j < s.size() && IsCjk(Next(s, j))) {
        end_run(i);
        tag_end = close;
        in_tag = true;
        i = i + 1;
        run_start = i;
        run_cjk = true;
        continue;
      }
    }
    if (size_t end = EmoticonEnd(s, i); end != 0) {
      end_run(i);
      i = end;
      run_start = i;
      continue;
    }
    if (s[i] == '@') {
      end_run(i);
      ++i;
      while (i < s.size()) {
        size_t j = i;
        char32_t c = Next(s, j);
        if (c == ' ' || c == ':' || c == 0xFF1A || c == '/' || c == 0x3000 || c == ',' ||
            c == 0xFF0C || c == '\n') {
          break;
        }
        i = j;
      }
      run_start = i;
      continue;
    }
    size_t j = i;
    char32_t c = Next(s, j);
    bool cjk = IsCjk(c);
    if (cjk != run_cjk) {
      end_run(i);
      run_start = i;
      run_cjk = cjk;
    }
    i = j;
  }
  end_run(s.size());
}

Clusterer::PreCut Clusterer::PreCutPost(const ClusterPost& post) const {
  PreCut out;
  out.text = post.title;
  if (!out.text.empty()) out.text += '\n';
  out.text += post.text;
  std::vector<std::string_view> words;
  const std::string_view s = out.text;
  Walk(s, [&](std::string_view run, bool cjk, bool in_tag) {
    if (!cjk) return;
    words.clear();
    keywords_->segmenter().Cut(run, words);
    auto& spans = out.runs.emplace_back();
    spans.reserve(words.size());
    for (auto w : words) {
      spans.push_back({static_cast<uint32_t>(w.data() - s.data()), static_cast<uint32_t>(w.size()),
                       CjkIdf(w), in_tag});
    }
  });
  return out;
}

std::vector<Clusterer::Term> Clusterer::Vectorize(const ClusterPost& post, const PreCut* pre) {
  std::string all;
  if (pre == nullptr) {
    all = post.title;
    if (!all.empty()) all += '\n';
    all += post.text;
  }
  std::string_view s = pre != nullptr ? std::string_view(pre->text) : std::string_view(all);

  // CJK runs are segmented (cut ahead of time when `pre` is given), other runs go to
  // our word tokenizer; see Walk() for what is dropped.
  std::vector<std::pair<uint32_t, double>> raw;  // weight < 0: kOnlineIdf… markers, set below
  std::vector<std::string_view> words;
  size_t next_run = 0;
  Walk(s, [&](std::string_view run, bool cjk, bool in_tag) {
    if (cjk) {
      if (pre != nullptr && next_run < pre->runs.size()) {
        for (const Span& w : pre->runs[next_run++]) {
          AddCjk(s.substr(w.offset, w.length), w.idf, w.in_tag, raw);
        }
        return;
      }
      words.clear();
      keywords_->segmenter().Cut(run, words);
      for (auto w : words) AddCjk(w, CjkIdf(w), in_tag, raw);
    } else {
      AddWords(run, raw);
    }
  });

  for (const auto& r : post.regions) {
    raw.emplace_back(Intern("\x01region:" + r), kRegion);
  }

  std::sort(raw.begin(), raw.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  ++docs_;
  // Online IDF (smoothed): log((N + 1) / (df + 1)) + 1, N and df counted so far, with `n0`
  // pseudo-posts before the stream of which `prior` carried the term.
  auto online_idf = [&](uint32_t id, double n0, double prior) {
    ++doc_freq_[id];
    return std::log((static_cast<double>(docs_) + n0 + 1) / (doc_freq_[id] + prior + 1)) + 1;
  };
  std::vector<Term> v;
  for (size_t k = 0; k < raw.size();) {
    size_t e = k;
    while (e < raw.size() && raw[e].first == raw[k].first) ++e;
    auto id = raw[k].first;
    const double first = raw[k].second;
    // tf-weighting: each occurrence adds its own weight (a word inside a hashtag more).
    double occurrences = 0;
    for (size_t q = k; q < e; ++q) {
      occurrences += raw[q].second == kOnlineIdfHashtag ? options_.hashtag_weight
                     : raw[q].second > 0                ? raw[q].second
                                                        : 1.0;
    }
    double w = occurrences;
    if (first == kOnlineIdf || first == kOnlineIdfHashtag) {
      // A Chinese word adds idf_prior_posts pseudo-posts of jieba's corpus to N and its share of
      // them to df.
      const double prior = prior_df_[id];
      w *= online_idf(id, prior >= 0 ? options_.idf_prior_posts : 0.0, std::max(prior, 0.0));
    } else if (first == kRegion) {
      // A region code weighs as a word would, by the stream's own counts: up to about the IDF of
      // a fairly rare word (8) while the region is rare, less as more of the stream's posts come
      // from it. In an office's stream most posts name the same few counties; a county code
      // that every fifth post carries says as little as a word every fifth post uses.
      w *= options_.region_weight * std::min(8.0, online_idf(id, 0, 0));
    }
    v.push_back({id, w});
    k = e;
  }
  double norm = 0;
  for (const auto& t : v) norm += t.weight * t.weight;
  if (norm > 0) {
    norm = std::sqrt(norm);
    for (auto& t : v) t.weight /= norm;
  }
  return v;
}

double Clusterer::Cosine(const std::vector<Term>& v, const Event& e) const {
  // Both sorted by id and unit length: a merge.
  double dot = 0;
  size_t a = 0, b = 0;
  while (a < v.size() && b < e.top.size()) {
    if (v[a].id < e.top[b].id) {
      ++a;
    } else if (v[a].id > e.top[b].id) {
      ++b;
    } else {
      dot += v[a++].weight * e.top[b++].weight;
    }
  }
  return dot;
}

namespace {

// A term's postings are kept sorted by event id: found by binary search. Which events a term
// lists depends only on the order of adds and removes, never on positions, and Accumulate's sums
// do not depend on the order of the postings.
template <typename Postings>
auto FindPosting(Postings& postings, uint64_t event) {
  auto pos = std::lower_bound(postings.begin(), postings.end(), event,
                              [](const auto& p, uint64_t id) { return p.event < id; });
  return std::make_pair(pos, pos != postings.end() && pos->event == event);
}

}  // namespace

void Clusterer::IndexAdd(Index& index, const Event& e) {
  for (const auto& t : e.top) {
    auto& postings = index[t.id];
    if (postings.size() >= options_.max_postings_per_term) continue;
    auto [pos, found] = FindPosting(postings, e.id);
    if (found) {
      pos->weight = t.weight;
    } else {
      postings.insert(pos, {e.id, t.weight});
    }
  }
}

void Clusterer::IndexRemove(Index& index, const Event& e) {
  for (const auto& t : e.top) {
    auto it = index.find(t.id);
    if (it == index.end()) continue;
    auto& postings = it->second;
    auto [pos, found] = FindPosting(postings, e.id);
    if (found) postings.erase(pos);
    if (postings.empty()) index.erase(it);
  }
}

void Clusterer::Accumulate(const Index& index, const std::vector<Term>& v,
                           std::vector<std::pair<uint64_t, double>>& out) {
  if (scratch_sum_.size() <= events_.size()) {
    scratch_sum_.resize(events_.size() + 1, 0.0);
    scratch_touched_.resize(events_.size() + 1, 0);
  }
  scratch_seen_.clear();
  for (const auto& term : v) {  // in term-id order: every event's sum adds in the same order
    auto it = index.find(term.id);
    if (it == index.end()) continue;
    for (const auto& p : it->second) {
      if (scratch_touched_[p.event] == 0) {
        scratch_touched_[p.event] = 1;
        scratch_seen_.push_back(p.event);
      }
      scratch_sum_[p.event] += term.weight * p.weight;
    }
  }
  out.clear();
  out.reserve(scratch_seen_.size());
  for (uint64_t id : scratch_seen_) {
    out.emplace_back(id, scratch_sum_[id]);
    scratch_sum_[id] = 0.0;
    scratch_touched_[id] = 0;
  }
}

void Clusterer::Reindex(Event& e) {
  // Keep the centroid bounded: beyond 4k terms drop to the 2k heaviest.
  std::vector<Term>& all = scratch_terms_;
  all.clear();
  all.reserve(e.centroid.size());
  for (const auto& [id, w] : e.centroid) all.push_back({id, w});
  auto heavier = [](const Term& a, const Term& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
  };
  if (all.size() > 4096) {
    std::nth_element(all.begin(), all.begin() + 2048, all.end(), heavier);
    for (size_t k = 2048; k < all.size(); ++k) e.centroid.erase(all[k].id);
    all.resize(2048);
  }
  size_t k = std::min(options_.centroid_terms, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(k), all.end(), heavier);
  all.resize(k);
  double norm = 0;
  for (const auto& t : all) norm += t.weight * t.weight;
  norm = norm > 0 ? std::sqrt(norm) : 1;
  for (auto& t : all) t.weight /= norm;
  std::sort(all.begin(), all.end(), [](const Term& a, const Term& b) { return a.id < b.id; });
  // Move the event's postings in the active index from the old top terms to the new ones (both
  // sorted by id). The same postings as removing all old ones and adding all new ones: a term
  // that stays keeps its place with its new weight, a new term is added while its list has room.
  auto remove = [&](uint32_t term) {
    auto it = active_index_.find(term);
    if (it == active_index_.end()) return;
    auto [pos, found] = FindPosting(it->second, e.id);
    if (found) it->second.erase(pos);
    if (it->second.empty()) active_index_.erase(it);
  };
  size_t a = 0;
  for (const Term& t : all) {
    for (; a < e.top.size() && e.top[a].id < t.id; ++a) remove(e.top[a].id);  // left the top
    if (a < e.top.size() && e.top[a].id == t.id) ++a;
    auto& postings = active_index_[t.id];
    auto [pos, found] = FindPosting(postings, e.id);
    if (found) {
      pos->weight = t.weight;
    } else if (postings.size() < options_.max_postings_per_term) {
      postings.insert(pos, {e.id, t.weight});
    }
  }
  for (; a < e.top.size(); ++a) remove(e.top[a].id);
  e.top.assign(all.begin(), all.end());
}

Clusterer::Event& Clusterer::NewEvent(int64_t t) {
  auto e = std::make_unique<Event>();
  e->id = events_.size() + 1;
  e->first_s = e->last_s = t;
  events_.push_back(std::move(e));
  ++stats_.events;
  ++stats_.active_events;
  active_by_time_.emplace(t, events_.back()->id);
  return *events_.back();
}

void Clusterer::Join(Event& e, const std::vector<Term>& v, int64_t t) {
  if (e.dormant) {
    IndexRemove(dormant_index_, e);
    retired_by_time_.erase({e.last_s, e.id});
    e.dormant = false;
    ++stats_.active_events;
    ++stats_.woke;
  } else {
    active_by_time_.erase({e.last_s, e.id});
  }
  e.last_s = std::max(e.last_s, t);
  active_by_time_.emplace(e.last_s, e.id);
  for (const auto& term : v) e.centroid[term.id] += term.weight;
  ++e.posts;
  // The top terms settle quickly; recomputing them on every post of a big event is waste:
  // every post up to 8, then every 4th, and beyond 64 posts every (posts / 16)th — a fixed share
  // of the event's mass, so the cost per post stays flat however big the event grows.
  if (ReindexDue(e.posts) || e.top.empty()) {
    Reindex(e);
    MaybeMerge(e, t);
  }
}

uint64_t Clusterer::Resolve(uint64_t event) const {
  while (event != 0 && event <= events_.size() && events_[event - 1] != nullptr &&
         events_[event - 1]->merged_into != 0) {
    event = events_[event - 1]->merged_into;
  }
  return event;
}

bool Clusterer::Alive(uint64_t event) const {
  return event != 0 && event <= events_.size() && events_[event - 1] != nullptr &&
         events_[event - 1]->merged_into == 0;
}

void Clusterer::SetNextEventId(uint64_t id) {
  if (id > events_.size() + 1) events_.resize(id - 1);
}

// A join at a cosine under this is placed by time alone (as ClusterOptions::time_needs_cosine).
constexpr double kTimeAloneCosine = 0.02;
// The join gaps are counted over about this many joins (exponential decay).
constexpr double kGapMemoryJoins = 2000;

bool Clusterer::ByTimeAlone(const ClusterPost& post, const std::vector<Term>& v,
                            const Event& e) const {
  return post.parent.empty() && Cosine(v, e) < kTimeAloneCosine;
}

void Clusterer::NoteThread(bool by_time, const Event* joined, int64_t t) {
  if (options_.seal_factor <= 0 || options_.thread_share_full <= 0) return;
  const double a = 1 / std::max(1.0, options_.thread_memory_posts);
  thread_share_ += a * ((by_time ? 1.0 : 0.0) - thread_share_);
  if (joined == nullptr) return;
  const double gap = static_cast<double>(std::max<int64_t>(0, t - joined->last_s));
  const size_t bin = gap < 1 ? 0 : std::min(kGapBins - 1, static_cast<size_t>(std::log2(gap) * 4));
  // Decay by growing the weight of new counts instead of shrinking the old ones.
  gap_weight_ /= 1 - 1 / kGapMemoryJoins;
  gap_hist_[bin] += gap_weight_;
  gap_total_ += gap_weight_;
  if (gap_weight_ > 1e200) {
    for (auto& h : gap_hist_) h /= gap_weight_;
    gap_total_ /= gap_weight_;
    gap_weight_ = 1;
  }
}

double Clusterer::SealAfter() const {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  if (options_.seal_factor <= 0 || options_.thread_share_full <= options_.thread_share_none ||
      gap_total_ <= 0) {
    return kNever;
  }
  const double r = std::clamp((thread_share_ - options_.thread_share_none) /
                                  (options_.thread_share_full - options_.thread_share_none),
                              0.0, 1.0);
  if (r <= 0) return kNever;
  return options_.seal_factor * GapQuantile(options_.seal_quantile) / r;
}

double Clusterer::GapQuantile(double q) const {
  const double want = q * gap_total_;
  double seen = 0;
  size_t b = 0;
  for (; b + 1 < kGapBins; ++b) {
    seen += gap_hist_[b];
    if (seen >= want) break;
  }
  // The bin's upper edge: gaps up to it are this quantile of the stream's pace.
  return std::exp2(static_cast<double>(b + 1) / 4);
}

void Clusterer::ReadPace() {
  seal_s_ = SealAfter();
  unconfirmed_gap_s_ =
      options_.unconfirmed_quantile > 0 && seal_s_ < std::numeric_limits<double>::infinity()
          ? GapQuantile(options_.unconfirmed_quantile)
          : 0;
}

bool Clusterer::OpensUnconfirmed(int64_t t) const {
  return unconfirmed_gap_s_ > 0 && !active_by_time_.empty() &&
         static_cast<double>(t - active_by_time_.rbegin()->first) <= unconfirmed_gap_s_;
}

bool Clusterer::Closed(const Event& e, int64_t t) const {
  return static_cast<double>(t - e.last_s) > seal_s_;
}

double Clusterer::NoteParent(const ClusterPost& post) {
  if (options_.parent_share_full <= 0) return 1.0;
  const double timely = std::clamp(1 - parent_share_ / options_.parent_share_full, 0.0, 1.0);
  const double a = 1 / std::max(1.0, options_.parent_memory_posts);
  parent_share_ += a * ((post.parent.empty() ? 0.0 : 1.0) - parent_share_);
  return timely;
}

void Clusterer::Restore(const ClusterPost& post, uint64_t event, const PreCut* pre) {
  if (event == 0) return;
  if (options_.mode == ClusterMode::kFull) NoteParent(post);  // as Add() would have
  ++stats_.posts;
  now_ = std::max(now_, post.time_s);
  const int64_t t = now_;
  Sleep(t);
  std::vector<Term> v = Vectorize(post, pre);
  if (event > events_.size()) events_.resize(event);
  Event* target = events_[event - 1].get();
  if (target == nullptr) {
    auto e = std::make_unique<Event>();
    e->id = event;
    e->first_s = e->last_s = t;
    if (options_.mode == ClusterMode::kFull) {  // as Add() would have decided
      ReadPace();
      e->unconfirmed = OpensUnconfirmed(t);
    }
    target = e.get();
    events_[event - 1] = std::move(e);
    ++stats_.events;
    ++stats_.active_events;
    active_by_time_.emplace(t, event);
    for (const auto& term : v) target->centroid[term.id] += term.weight;
    target->posts = 1;
    Reindex(*target);
    if (options_.mode == ClusterMode::kFull) NoteThread(false, nullptr, t);
  } else {
    if (target->merged_into != 0) return;
    if (options_.mode == ClusterMode::kFull) {  // as Add() would
      const bool by_time = ByTimeAlone(post, v, *target);
      NoteThread(by_time, target, t);
      if (!by_time) target->unconfirmed = false;
    }
    // Join() without the merge check: merges were already decided and recorded.
    if (target->dormant) {
      IndexRemove(dormant_index_, *target);
      retired_by_time_.erase({target->last_s, target->id});
      target->dormant = false;
      ++stats_.active_events;
    } else {
      active_by_time_.erase({target->last_s, target->id});
    }
    target->last_s = std::max(target->last_s, t);
    active_by_time_.emplace(target->last_s, target->id);
    for (const auto& term : v) target->centroid[term.id] += term.weight;
    ++target->posts;
    if (ReindexDue(target->posts)) Reindex(*target);
  }
  if (options_.mode == ClusterMode::kFull && v.size() >= options_.min_simhash_terms) {
    uint64_t fingerprint = Fingerprint(v);
    std::vector<text::SimHashIndex::Match> same;
    simhash_.Find(fingerprint, same, 0);
    bool known =
        std::any_of(same.begin(), same.end(), [&](const auto& m) { return m.id == event; });
    if (!known) simhash_.Insert(fingerprint, event);
  }
  if (!post.id.empty()) event_of_post_[post.id] = {event, t};
}

std::vector<std::pair<std::string, double>> Clusterer::TopTerms(uint64_t event, size_t n) const {
  std::vector<std::pair<std::string, double>> out;
  if (!Alive(event)) return out;
  const Event& e = *events_[event - 1];
  std::vector<Term> top = e.top;
  auto heavier = [](const Term& a, const Term& b) {
    return a.weight != b.weight ? a.weight > b.weight : a.id < b.id;
  };
  // Only the heaviest few are needed (region terms skipped below): the rest is ordered only if
  // they run short.
  const size_t k = std::min(top.size(), n + 16);
  std::partial_sort(top.begin(), top.begin() + static_cast<std::ptrdiff_t>(k), top.end(), heavier);
  for (size_t i = 0; i < top.size() && out.size() < n; ++i) {
    if (i == k) std::sort(top.begin() + static_cast<std::ptrdiff_t>(k), top.end(), heavier);
    const std::string& text = term_text_[top[i].id];
    // Region terms ("\x01region:140406") place posts, they are not words anyone wrote: they
    // are never shown as an event's keywords.
    if (!text.empty() && text.front() == '\x01') continue;
    out.emplace_back(text, top[i].weight);
  }
  return out;
}

// Converging events: when an event's top terms change, the active events sharing a top term are
// compared centroid to centroid; at merge_threshold the younger event is absorbed by the older.
void Clusterer::MaybeMerge(Event& e, int64_t t) {
  if (options_.mode != ClusterMode::kFull || e.posts < options_.merge_min_posts) return;
  Accumulate(active_index_, e.top, scratch_merge_);
  auto [i, best_score] = Best(scratch_merge_, [&](const auto& c, double) {
    const Event& other = *events_[c.first - 1];
    return c.first == e.id || other.posts < options_.merge_min_posts || Closed(other, t) ? -1.0
                                                                                         : c.second;
  });
  if (i == scratch_merge_.size() || best_score < 0 || best_score < options_.merge_threshold) {
    return;
  }
  Event* best = events_[scratch_merge_[i].first - 1].get();
  Event& into = best->id < e.id ? *best : e;
  Event& from = best->id < e.id ? e : *best;
  Absorb(into, from, t, best_score, /*by_hand=*/false);
}

void Clusterer::Absorb(Event& into, Event& from, int64_t t, double score, bool by_hand) {
  // Both leave their index and time list; `into` comes back as the one event.
  for (Event* x : {&from, &into}) {
    if (x->dormant) {
      IndexRemove(dormant_index_, *x);
      retired_by_time_.erase({x->last_s, x->id});
      x->dormant = false;
      ++stats_.active_events;
    } else {
      IndexRemove(active_index_, *x);
      active_by_time_.erase({x->last_s, x->id});
    }
  }
  into.top.clear();  // out of the index: Reindex below adds its new top terms
  for (const auto& [id, w] : from.centroid) into.centroid[id] += w;
  into.posts += from.posts;
  into.unconfirmed = false;  // merged by their words (or by hand)
  into.first_s = std::min(into.first_s, from.first_s);
  into.last_s = std::max(into.last_s, from.last_s);
  active_by_time_.emplace(into.last_s, into.id);  // Sleep() puts it back to sleep if old
  from.merged_into = into.id;
  from.centroid.clear();
  from.top.clear();
  retired_by_time_.emplace(from.last_s, from.id);
  --stats_.active_events;
  ++stats_.merges;
  merges_.push_back({from.id, into.id, t, score, by_hand});
  Reindex(into);  // re-adds `into` to the index (IndexRemove above used its old top terms)
}

Status Clusterer::MergeByHand(uint64_t from_id, uint64_t into_id, int64_t t) {
  Event* from = Live(from_id);
  Event* into = Live(into_id);
  if (from == nullptr || into == nullptr) {
    return Status::NotFound("event " + std::to_string(from == nullptr ? from_id : into_id) +
                            " is unknown or no longer held (older than the restore window)");
  }
  if (from == into) {
    return Status::InvalidArgument("events " + std::to_string(from_id) + " and " +
                                   std::to_string(into_id) + " are already one event (" +
                                   std::to_string(into->id) + ")");
  }
  now_ = std::max(now_, t);
  const double score = Cosine(from->top, *into);
  Absorb(*into, *from, now_, score, /*by_hand=*/true);
  return Status::Ok();
}

void Clusterer::Sleep(int64_t now) {
  if (options_.mode == ClusterMode::kTextOnly) return;
  while (!active_by_time_.empty() &&
         active_by_time_.begin()->first < now - options_.dormant_after_s) {
    Event& e = *events_[active_by_time_.begin()->second - 1];
    active_by_time_.erase(active_by_time_.begin());
    IndexRemove(active_index_, e);
    e.dormant = true;
    IndexAdd(dormant_index_, e);
    retired_by_time_.emplace(e.last_s, e.id);
    --stats_.active_events;
  }
  if (options_.forget_after_s > 0) Forget(now);
}

void Clusterer::Forget(int64_t now) {
  const int64_t cutoff = now - options_.forget_after_s;
  while (!retired_by_time_.empty() && retired_by_time_.begin()->first < cutoff) {
    const uint64_t id = retired_by_time_.begin()->second;
    retired_by_time_.erase(retired_by_time_.begin());
    std::unique_ptr<Event>& e = events_[id - 1];
    if (e->dormant) IndexRemove(dormant_index_, *e);
    if (e->merged_into == 0) {
      forgotten_.push_back(id);
      ++stats_.forgotten;
    }
    e.reset();
  }
  if (now < next_sweep_s_) return;
  // Old posts and the fingerprints of forgotten events, about 15 times per forget period: a full
  // pass over each, so the cost per post stays small.
  next_sweep_s_ = now + std::max<int64_t>(3600, options_.forget_after_s / 15);
  std::erase_if(event_of_post_, [&](const auto& kv) { return kv.second.time_s < cutoff; });
  std::vector<uint8_t> gone(events_.size() + 1, 0);
  for (uint64_t id = 1; id <= events_.size(); ++id) gone[id] = Live(id) == nullptr ? 1 : 0;
  simhash_.RemoveIf([&](uint64_t event) { return event >= gone.size() || gone[event] != 0; });
}

Clusterer::Event* Clusterer::Live(uint64_t event) {
  event = Resolve(event);
  return event != 0 && event <= events_.size() ? events_[event - 1].get() : nullptr;
}

std::vector<uint64_t> Clusterer::TakeForgotten() {
  std::vector<uint64_t> out;
  out.swap(forgotten_);
  return out;
}

Assignment Clusterer::Add(const ClusterPost& post, const PreCut* pre) {
  ++stats_.posts;
  now_ = std::max(now_, post.time_s);
  const int64_t t = now_;
  Sleep(t);
  std::vector<Term> v = Vectorize(post, pre);
  const bool full = options_.mode == ClusterMode::kFull;
  if (full) {
    ReadPace();
  } else {
    seal_s_ = std::numeric_limits<double>::infinity();
    unconfirmed_gap_s_ = 0;
  }
  if (seal_s_ < std::numeric_limits<double>::infinity()) ++stats_.thread_posts;

  Assignment result;
  Event* target = nullptr;

  // 1. Reposts join their parent's event.
  if (full && !post.parent.empty()) {
    auto it = event_of_post_.find(post.parent);
    if (it != event_of_post_.end()) target = Live(it->second.event);
    if (target != nullptr) {
      result = {target->id, JoinReason::kRepost, 1.0};
      ++stats_.reposts;
    }
  }

  // 2. Near-duplicates join the event of the closest earlier post (lowest event id on ties).
  uint64_t fingerprint = 0;
  const bool hashable = full && v.size() >= options_.min_simhash_terms;
  if (hashable) {
    fingerprint = Fingerprint(v);
    if (target == nullptr) {
      std::vector<text::SimHashIndex::Match> matches;
      simhash_.Find(fingerprint, matches);
      const text::SimHashIndex::Match* best = nullptr;
      for (const auto& m : matches) {
        const Event* e = Live(m.id);
        if (e == nullptr || Closed(*e, t)) continue;  // forgotten (not yet swept), or closed
        if (best == nullptr || m.distance < best->distance ||
            (m.distance == best->distance && m.id < best->id)) {
          best = &m;
        }
      }
      if (best != nullptr) {
        target = Live(best->id);
        result = {target->id, JoinReason::kNearDuplicate, 1.0};
        ++stats_.near_duplicates;
      }
    }
  }

  // How much the stream says which post a post answers (ClusterOptions::parent_share_full).
  const double parent_scale = full ? NoteParent(post) : 1.0;

  // 3. The best active candidate from the inverted index and the recency list.
  double best_cos = 0;  // the cosine part of the joined candidate's score
  double n_terms = static_cast<double>(v.size());
  // A marked reply or repost is a reaction whatever its length (its //@ chain quotes other
  // reactions, not the story): recency counts fully and it does not wake dormant events.
  const bool reaction = full && options_.reaction_markers && HasReactionMarker(post.text);
  double recency_share = n_terms <= options_.short_terms || reaction
                             ? 1.0
                             : (options_.short_terms / n_terms) * (options_.short_terms / n_terms);
  // Where the stream names parents, a short post without one is a post of its own, not a
  // reaction: recency carries it only as far as its words lean towards the event
  // (ClusterOptions::parent_share_full, parent_recency_cosine). A longer post keeps the recency
  // its text earns (time_needs_cosine).
  auto timely = [&](double cos) {
    if (recency_share < 1 || parent_scale >= 1) return 1.0;
    const double lean = options_.parent_recency_cosine > 0
                            ? std::min(1.0, cos / options_.parent_recency_cosine)
                            : 0.0;
    return parent_scale + (1 - parent_scale) * lean;
  };
  if (target == nullptr) {
    auto& cands = scratch_cands_;
    Accumulate(active_index_, v, cands);
    if (full) {
      // The most recently active events are scored even without a shared indexed term.
      size_t n = 0;
      const size_t indexed = cands.size();
      for (auto it = active_by_time_.rbegin();
           it != active_by_time_.rend() && n < options_.recent_candidates; ++it, ++n) {
        const uint64_t id = it->second;
        if (std::none_of(cands.begin(), cands.begin() + static_cast<std::ptrdiff_t>(indexed),
                         [&](const auto& c) { return c.first == id; })) {
          cands.emplace_back(id, Cosine(v, *events_[id - 1]));
        }
      }
    }
    stats_.candidates_scored += cands.size();
    const bool timed = full && options_.time_weight > 0;
    auto [i, best_score] = Best(cands, [&](const auto& c, double best_so_far) {
      const double cos = c.second;
      if (Closed(*events_[c.first - 1], t)) return -1.0;
      if (!timed || (cos <= 0 && v.size() > options_.overlap_needed_above)) return cos;
      const double share = recency_share < 1 && options_.time_needs_cosine > 0
                               ? recency_share * std::min(1.0, cos / options_.time_needs_cosine)
                               : recency_share;
      // exp(…) ≤ 1: a candidate whose score cannot reach the best so far skips the exp.
      const double bound = options_.text_weight * cos + options_.time_weight * timely(cos) * share;
      if (bound < best_so_far) return bound;
      const Event& e = *events_[c.first - 1];
      double dt = static_cast<double>(std::max<int64_t>(0, t - e.last_s));
      // An unconfirmed event is one stream gap older to a post that shares nothing with it.
      if (cos <= 0 && e.unconfirmed) dt += unconfirmed_gap_s_;
      return options_.text_weight * cos + options_.time_weight * timely(cos) *
                                              (cos > 0 ? std::exp(-dt / options_.time_tau_s)
                                                       : std::exp(-dt / options_.blind_tau_s)) *
                                              share;
    });
    if (i < cands.size() && best_score >= options_.join_threshold) {
      target = events_[cands[i].first - 1].get();
      best_cos = cands[i].second;
      result = {target->id, JoinReason::kSimilar, best_score, best_cos};
    }
  }

  // 4. Wake a dormant event that matches strongly: when nothing active was joined, or the active
  // match was weaker in text (a recency-carried join) than the sleeping event's cosine.
  // Short or marked reactions never wake anything: one generic word ("真的") is no evidence of a
  // story.
  if (full && n_terms > options_.short_terms && !reaction &&
      (target == nullptr ||
       (result.reason == JoinReason::kSimilar && best_cos < options_.wake_threshold))) {
    auto& cands = scratch_cands_;
    Accumulate(dormant_index_, v, cands);
    stats_.candidates_scored += cands.size();
    auto [i, best_score] = Best(cands, [&](const auto& c, double) {
      return Closed(*events_[c.first - 1], t) ? -1.0 : c.second;
    });
    if (i < cands.size() && best_score >= options_.wake_threshold && best_score > best_cos) {
      target = events_[cands[i].first - 1].get();
      result = {target->id, JoinReason::kWoke, best_score, best_score};
    }
  }

  const bool by_time = full && target != nullptr && ByTimeAlone(post, v, *target);
  if (full) NoteThread(by_time, target, t);

  // 5. A new event.
  if (target == nullptr) {
    const bool unconfirmed = OpensUnconfirmed(t);
    target = &NewEvent(t);
    target->unconfirmed = unconfirmed;
    result = {target->id, JoinReason::kNew, 0.0};
    for (const auto& term : v) target->centroid[term.id] += term.weight;
    target->posts = 1;
    Reindex(*target);
  } else {
    if (!by_time) target->unconfirmed = false;  // confirmed by its words or its parent
    Join(*target, v, t);
  }

  if (hashable) {
    std::vector<text::SimHashIndex::Match> same;
    simhash_.Find(fingerprint, same, 0);
    bool known =
        std::any_of(same.begin(), same.end(), [&](const auto& m) { return m.id == target->id; });
    if (!known) simhash_.Insert(fingerprint, target->id);
  }
  if (full && !post.id.empty()) event_of_post_[post.id] = {target->id, t};
  return result;
}

size_t Clusterer::MemoryBytes() const {
  size_t bytes = sizeof(*this) + simhash_.MemoryBytes();
  for (const auto& e : events_) {
    if (e == nullptr) {
      bytes += sizeof(e);
      continue;
    }
    bytes += sizeof(Event) + e->centroid.size() * 32 + e->top.capacity() * sizeof(Term);
  }
  for (const auto* index : {&active_index_, &dormant_index_}) {
    for (const auto& [id, postings] : *index) bytes += 48 + postings.capacity() * sizeof(Posting);
  }
  for (const auto& [post, event] : event_of_post_) bytes += 72 + post.capacity();
  bytes += retired_by_time_.size() * 48;
  for (const auto& s : term_text_) bytes += 64 + s.capacity();
  return bytes;
}

}  // namespace yuqing::events
