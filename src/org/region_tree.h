// The GB/T 2260 region tree the organisation is placed on: nation → province → prefecture →
// county. Built from the gazetteer's text (data/gazetteer/places.tsv); the nation is the root
// with the code "000000" (kNationalCode), the parent of every province.
//
// Immutable once built; share it (std::shared_ptr<const RegionTree>) and read from any thread.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/status.h"
#include "model/org.h"

namespace yuqing::org {

inline constexpr std::string_view kNationalCode = "000000";

class RegionTree {
 public:
  struct Region {
    std::string code;
    std::string name;        // full official name: 长治市
    std::string short_name;  // the gazetteer's first alias (长治) or empty
    model::RegionLevel level = model::RegionLevel::kCounty;
    int parent = -1;  // index in the tree; -1 for the nation
  };

  // Parses the gazetteer TSV (comment lines start with '#'; a header line names the columns
  // code, level, name, parent and optionally aliases). InvalidArgument names the line:
  // `line 7: level "town" is not province, prefecture or county`, unknown parents, duplicates.
  static Result<RegionTree> FromGazetteerTsv(std::string_view text);
  // Reads the file at `path` and parses it; NotFound when it cannot be read.
  static Result<RegionTree> LoadGazetteerFile(const std::string& path);

  // nullptr when the code is unknown. "000000" is the nation.
  const Region* Find(std::string_view code) const;
  const Region& at(int index) const { return regions_[index]; }
  int IndexOf(std::string_view code) const;  // -1 when unknown
  size_t size() const { return regions_.size(); }
  const Region& national() const { return regions_[0]; }

  // The ancestor of `index` (or itself) at `level`; -1 when `level` is below the region's.
  int AncestorAt(int index, model::RegionLevel level) const;
  // True when `ancestor` is `index` or above it.
  bool Contains(int ancestor, int index) const;
  // The lowest region containing all of `indexes` (the nation for an empty list).
  int CommonAncestor(const std::vector<int>& indexes) const;

 private:
  std::vector<Region> regions_;  // [0] is the nation
  std::unordered_map<std::string, int> by_code_;
};

}  // namespace yuqing::org
