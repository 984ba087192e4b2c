#include "analysis/features.h"

#include <algorithm>

#include "core/utf8.h"

namespace yuqing::analysis {

uint64_t HashWord(std::string_view w) {
  uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : w) {
    if (c >= 'A' && c <= 'Z') c = static_cast<unsigned char>(c + 32);
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  // splitmix64 finalizer (Steele et al., OOPSLA 2014)
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

uint64_t HashMix(uint64_t a, uint64_t b) {
  uint64_t h = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL + (a << 6) + (a >> 2));
  h ^= h >> 31;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 29;
  return h;
}

namespace {

constexpr uint64_t kNegSalt = 0x4e4547;  // "NEG"
constexpr uint64_t kDegSalt = 0x444547;  // "DEG"
constexpr uint64_t kBiSalt = 0x4249;     // "BI"
constexpr uint64_t kCueSalt = 0x435545;  // "CUE"
constexpr uint64_t kLenSalt = 0x4c454e;  // "LEN"
constexpr uint64_t kCharSalt = 0x4348;   // "CH"
constexpr uint64_t kUniSalt = kCharSalt + 1;

bool IsSpace(std::string_view w) {
  for (char c : w) {
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != '\f' && c != '\v') return false;
  }
  return true;
}

// Clause punctuation closes a negation scope.
bool IsClauseBoundary(std::string_view w) {
  static constexpr std::string_view kMarks[] = {"，", "。", "！", "？", "；", "：", ",",  ".", "!",
                                                "?",  ";",  ":",  "…",  "~",  "～", "、", "\n"};
  for (std::string_view m : kMarks) {
    if (w == m) return true;
  }
  return false;
}

bool Contains(const std::vector<uint64_t>& sorted, uint64_t h) {
  return std::binary_search(sorted.begin(), sorted.end(), h);
}

}  // namespace

TextPipeline::TextPipeline(std::shared_ptr<const text::Normalizer> n,
                           std::shared_ptr<const text::Segmenter> s)
    : norm_(std::move(n)), seg_(std::move(s)) {
  std::vector<std::string> phrases;
  for (const LexEntry& e : Lexicon()) phrases.emplace_back(e.phrase);
  cue_matcher_ = PhraseMatcher::Build(phrases);
  for (std::string_view w : Negators()) negators_.push_back(HashWord(w));
  for (std::string_view w : DegreeWords()) degrees_.push_back(HashWord(w));
  std::sort(negators_.begin(), negators_.end());
  std::sort(degrees_.begin(), degrees_.end());
}

Result<std::shared_ptr<const TextPipeline>> TextPipeline::Create(
    std::shared_ptr<const text::Normalizer> normalizer,
    std::shared_ptr<const text::Segmenter> segmenter) {
  if (!normalizer || !segmenter) return Status::InvalidArgument("TextPipeline needs both models");
  return std::make_shared<const TextPipeline>(std::move(normalizer), std::move(segmenter));
}

void TextPipeline::Prepare(std::string_view raw, Prepared& out,
                           const PrepareOptions& options) const {
  out.norm = norm_->Normalize(raw);
  out.tokens.clear();
  out.cues.clear();
  const std::string& text = out.norm.text;
  thread_local std::vector<std::string_view> words;
  uint64_t text_hash = options.emoticon_drop > 0 ? HashWord(text) : 0;

  auto cut = [&](size_t from, size_t to) {
    if (to <= from) return;
    words.clear();
    seg_->Cut(std::string_view(text).substr(from, to - from), words);
    for (std::string_view w : words) {
      Token t;
      t.begin = static_cast<uint32_t>(w.data() - text.data());
      t.end = static_cast<uint32_t>(t.begin + w.size());
      if (IsSpace(w)) {
        t.flags = kTokSkip;
      } else {
        if (IsClauseBoundary(w)) t.flags = kTokBoundary;
        t.hash = HashWord(w);
      }
      out.tokens.push_back(t);
    }
  };

  size_t pos = 0;
  size_t emoticon_index = 0;
  for (const text::Entity& e : out.norm.entities) {
    cut(pos, e.offset);
    pos = e.offset + e.size;
    Token t;
    t.begin = static_cast<uint32_t>(e.offset);
    t.end = static_cast<uint32_t>(pos);
    switch (e.kind) {
      case text::EntityKind::kUrl:
        t.flags = kTokUrl;
        t.hash = HashWord("<url>");
        break;
      case text::EntityKind::kMention:
        t.flags = kTokSkip;
        break;
      case text::EntityKind::kEmoticon: {
        bool drop = options.drop_all_emoticons;
        if (!drop && options.emoticon_drop > 0) {
          uint64_t r = HashMix(text_hash, emoticon_index);
          drop = static_cast<double>(r >> 11) * 0x1.0p-53 < options.emoticon_drop;
        }
        ++emoticon_index;
        t.flags = drop ? kTokSkip : kTokEmoticon;
        t.hash = HashWord(out.norm.EntityText(e));
        break;
      }
      case text::EntityKind::kTopic:
        cut(e.offset, pos);  // a #topic# is content: its words count
        continue;
    }
    out.tokens.push_back(t);
  }
  cut(pos, text.size());

  // Negation scope: a negator opens a scope over the next three content words of its clause;
  // a negator inside a scope toggles it (不是不好 → 好 is not negated). Degree adverbs mark the
  // next content word.
  bool negated = false;
  int remaining = 0;
  uint32_t scope_begin = 0;
  bool after_degree = false;
  for (Token& t : out.tokens) {
    if (t.flags & (kTokSkip | kTokUrl)) continue;
    if (t.flags & (kTokBoundary | kTokEmoticon)) {
      negated = false;
      remaining = 0;
      after_degree = false;
      continue;
    }
    if (Contains(negators_, t.hash)) {
      t.flags |= kTokNegator;
      if (remaining > 0) {
        negated = !negated;
      } else {
        negated = true;
        scope_begin = t.begin;
      }
      remaining = 3;
      after_degree = false;
      continue;
    }
    if (after_degree) t.flags |= kTokDegree;
    after_degree = Contains(degrees_, t.hash);
    if (remaining > 0) {
      if (negated) {
        t.flags |= kTokNegated;
        t.scope_begin = scope_begin;
      }
      if (--remaining == 0) negated = false;
    }
  }

  // Whole-word cue hits: both ends on token boundaries (starts walked from each token start).
  thread_local std::vector<uint8_t> ends;
  ends.assign(text.size() + 1, 0);
  for (const Token& t : out.tokens) ends[t.end] = 1;
  thread_local std::vector<PhraseMatcher::Hit> hits;
  hits.clear();
  for (const Token& t : out.tokens) {
    if (!(t.flags & kTokSkip)) cue_matcher_.MatchAt(text, t.begin, hits);
  }
  for (const auto& h : hits) {
    if (ends[h.end]) out.cues.push_back({h.pattern, h.begin, h.end});
  }
}

void TextPipeline::Features(const Prepared& p, FeatureSet set, std::vector<Feature>& out) const {
  const bool sentiment = set == FeatureSet::kSentiment;
  const Token* prev = nullptr;
  for (const Token& t : p.tokens) {
    if (t.flags & kTokSkip) continue;
    if (!sentiment && (t.flags & kTokEmoticon)) continue;
    uint64_t h = t.hash;
    if (sentiment && (t.flags & kTokEmoticon)) {
      // Emoticons are their own feature group (Feature::group).
      out.push_back({h, t.begin, t.end, 1});
      prev = nullptr;
      continue;
    }
    if (sentiment && (t.flags & kTokNegated)) {
      out.push_back({HashMix(h, kNegSalt), t.scope_begin, t.end});
    } else {
      out.push_back({h, t.begin, t.end});
    }
    if (sentiment && (t.flags & kTokDegree)) out.push_back({HashMix(h, kDegSalt), t.begin, t.end});
    // Bigrams stay within a clause (punctuation is a unigram only).
    if (prev != nullptr && !((prev->flags | t.flags) & kTokBoundary)) {
      out.push_back({HashMix(HashMix(prev->hash, h), kBiSalt), prev->begin, t.end});
    }
    prev = &t;
  }
  // Sentiment also reads characters within a clause: bigrams, and the single characters of
  // multi-character words (a one-character word is already a word feature). Robust to
  // segmentation and to unknown words (Wang & Manning, ACL 2012). Trigrams were tried and
  // measured worse on dev (docs/analysis.md).
  if (sentiment) {
    uint64_t prev_cp = 0;
    uint32_t prev_begin = 0;
    for (const Token& t : p.tokens) {
      if (t.flags & (kTokSkip | kTokBoundary | kTokEmoticon | kTokUrl)) {
        prev_cp = 0;
        continue;
      }
      size_t pos = t.begin;
      while (pos < t.end) {
        size_t start = pos;
        char32_t cp = DecodeCodePoint(p.norm.text, pos);
        uint64_t h = static_cast<uint64_t>(cp) + 1;
        const auto b = static_cast<uint32_t>(start);
        const auto e = static_cast<uint32_t>(pos);
        if (t.end - t.begin > pos - start) out.push_back({HashMix(h, kUniSalt), b, e});
        if (prev_cp != 0) out.push_back({HashMix(HashMix(prev_cp, h), kCharSalt), prev_begin, e});
        prev_cp = h;
        prev_begin = b;
      }
    }
  }
  if (sentiment) {
    for (const CueHit& c : p.cues) {
      if (Lexicon()[c.entry].cue != Cue::kSarcasm) continue;
      out.push_back({HashMix(kCueSalt, static_cast<uint64_t>(Cue::kSarcasm)), c.begin, c.end});
      break;
    }
  }
  if (set == FeatureSet::kRumour) RumourExtras(p, out);
}

void TextPipeline::RumourExtras(const Prepared& p, std::vector<Feature>& out) const {
  // Cue categories present (each once); the rumour model learns their weights.
  uint32_t seen = 0;
  for (const CueHit& c : p.cues) {
    const LexEntry& e = Lexicon()[c.entry];
    uint32_t bit = 1u << static_cast<int>(e.cue);
    if (e.cue > Cue::kSource || (seen & bit)) continue;
    seen |= bit;
    out.push_back({HashMix(kCueSalt, static_cast<uint64_t>(e.cue)), c.begin, c.end});
  }
  size_t chars = core::CountCodePoints(p.norm.text);
  uint64_t bucket = chars < 20 ? 0 : chars < 50 ? 1 : chars < 100 ? 2 : chars < 140 ? 3 : 4;
  out.push_back({HashMix(kLenSalt, bucket), 0, 0});
}

}  // namespace yuqing::analysis
