// The index tokenizer: turns text into the terms the full-text index stores and the terms a
// query word must match. One interface, so the index can move from character bigrams to the
// word segmenter without changing the store or the query code. Implementations are immutable
// after construction and safe to share between threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace yuqing::text {

class Tokenizer {
 public:
  virtual ~Tokenizer() = default;
  // A stable name recorded with the index ("bigram-v1"); a change means re-indexing.
  virtual std::string_view Name() const = 0;
  // Appends the terms of a document in order; adjacent terms are adjacent in the index.
  virtual void DocumentTerms(std::string_view text, std::vector<std::string>& terms) const = 0;
  // Appends the terms a query word must match, as a phrase (adjacent, in order).
  virtual void QueryTerms(std::string_view word, std::vector<std::string>& terms) const = 0;
  // Appends extra terms found inside the document's words (长治 in 长治市, 工厂 in 化工厂), which
  // the index keeps apart without positions so that a one-term query word finds them too.
  // Default: none.
  virtual void SubTerms(std::string_view text, std::vector<std::string>& terms) const {}
  // DocumentTerms and SubTerms of one text together; implementations may share the work.
  virtual void DocumentAndSubTerms(std::string_view text, std::vector<std::string>& terms,
                                   std::vector<std::string>& sub) const {
    DocumentTerms(text, terms);
    SubTerms(text, sub);
  }
};

// Overlapping CJK character bigrams (a lone CJK character is its own term); runs of letters
// and digits are one lower-cased term; full-width ASCII is folded to half-width first.
// Everything else separates terms.
std::shared_ptr<const Tokenizer> MakeBigramTokenizer();

}  // namespace yuqing::text
