// Place recognition: mentions of provinces, prefectures and counties (full names and short
// forms) in a prepared text, resolved to GB/T 2260 codes with a confidence. The gazetteer is
// data/gazetteer/places.tsv (scripts/build_gazetteer); nothing is fetched at run time.
//
// Ambiguity (朝阳区 in Beijing and in Changchun; 吉林 the province and the city) is resolved by
// the other places of the same text (an ancestor or descendant mentioned nearby wins), then by
// the post's own region code, then by level (higher first). See docs/analysis.md.
//
// Threads: immutable after Load(); Find() from any thread.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/features.h"
#include "analysis/phrase_matcher.h"
#include "core/status.h"
#include "model/analysis.h"

namespace yuqing::analysis {

class Gazetteer {
 public:
  // NotFound / InvalidArgument (with the line) for a missing or malformed file.
  static Result<std::shared_ptr<const Gazetteer>> Load(const std::string& path);

  // Places of `p` (mentions must start and end on word boundaries). `region` is the post's own
  // GB/T 2260 code (2-6 digits) or empty.
  std::vector<model::Place> Find(const Prepared& p, std::string_view region) const;

  struct Entry {
    std::string code;
    std::string name;
    std::string parent;
    model::PlaceLevel level;
  };
  size_t size() const { return entries_.size(); }
  size_t pattern_count() const { return names_.size(); }
  const Entry* ByCode(std::string_view code) const;

 private:
  struct Name {
    std::vector<uint32_t> entries;  // candidate places
    bool alias = false;             // a short form (长治) rather than a full name (长治市)
  };
  std::vector<Entry> entries_;
  std::vector<Name> names_;  // pattern id -> candidates
  PhraseMatcher matcher_;
};

}  // namespace yuqing::analysis
