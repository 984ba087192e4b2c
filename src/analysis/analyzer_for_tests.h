// The analyzer with the repository's models and gazetteer, loaded once per test binary (a load
// takes about a second). Test-only: aborts the binary if the models cannot be loaded.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "analysis/analyzer.h"

namespace yuqing::analysis {

inline const Analyzer& AnalyzerForTests() {
  static std::shared_ptr<const Analyzer> a = [] {
    auto r = Analyzer::Load();
    if (!r.ok()) {
      ADD_FAILURE() << r.status().ToString();
      std::abort();
    }
    return *r;
  }();
  return *a;
}

}  // namespace yuqing::analysis
