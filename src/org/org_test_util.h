// Shared by the org tests: the shipped gazetteer and example organisation, loaded once from
// the source tree (YQ_SOURCE_DIR). Test-only code.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "org/organisation.h"
#include "org/region_tree.h"
#include "testing/test_util.h"

namespace yuqing::org::testing {

inline std::shared_ptr<const RegionTree> ShippedRegions() {
  static const std::shared_ptr<const RegionTree> tree = [] {
    auto t = RegionTree::LoadGazetteerFile(
        (yuqing::testing::SourceDir() / "data/gazetteer/places.tsv").string());
    if (!t.ok()) {
      std::fprintf(stderr, "%s\n", t.status().ToString().c_str());
      std::abort();
    }
    return std::make_shared<const RegionTree>(std::move(t).value());
  }();
  return tree;
}

inline std::string ChangzhiPath() {
  return (yuqing::testing::SourceDir() / "data/org/changzhi.toml").string();
}

}  // namespace yuqing::org::testing
