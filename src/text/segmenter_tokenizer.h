// The word-based index tokenizer ("jieba-v1"): index terms are words from the segmenter, so a
// search for 化工厂 does not match 化工 + 厂房 the way character bigrams do.
//
// Terms and phrases. The index keeps one position per term, so search mode's overlapping
// sub-words (化工/工厂/化工厂) cannot be indexed without breaking phrase adjacency. Instead:
//   DocumentTerms(doc) = for each word w of Cut(normalize(doc)) (default mode, HMM on):
//                        the words of Cut(w, HMM off)
//   QueryTerms(q)      = the words of Cut(normalize(q), HMM off)
// then, on both sides, words without a letter, digit or CJK character (punctuation, spaces,
// emoji) are dropped and ASCII letters are lower-cased. The HMM decides boundaries from context,
// so a word it found (a name such as 韩冰) may be cut otherwise when it stands alone; the
// dictionary route without HMM is a function of the word alone. Re-cutting every document word
// that way makes the terms of a document word w equal QueryTerms(w), so a query word that is a
// whole word of the document, in its context, always matches it as a phrase (tested on real
// sentences in segmenter_tokenizer_test.cc). Longer queries (several words) match whenever the
// dictionary cuts them at the same boundaries, which is nearly always. A query for part of a
// word (工厂 in 化工厂) does not match: that is the precision this tokenizer is for.
//
// Immutable and safe to share between threads, like the segmenter it holds.
#pragma once

#include <memory>

#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/tokenizer.h"

namespace yuqing::text {

// `normalizer` may be null when callers pass text already normalized (the analysis pipeline);
// with one, documents and queries are normalized alike (t2s, widths…), which is what a query
// typed by a user needs. Name(): "jieba-v1".
std::shared_ptr<const Tokenizer> MakeSegmenterTokenizer(
    std::shared_ptr<const Segmenter> segmenter,
    std::shared_ptr<const Normalizer> normalizer = nullptr);

}  // namespace yuqing::text
