// Test-only: the golden files of the reports' tests (src/reports/testdata/), compared byte for
// byte, or rewritten when YQ_UPDATE_GOLDEN is set (review the diff before committing it).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "reports/html.h"
#include "testing/test_util.h"

namespace yuqing::reports::testing {

inline void ExpectGolden(const std::string& name, const std::string& html) {
  auto path = ::yuqing::testing::SourceDir() / "src/reports/testdata" / name;
  if (std::getenv("YQ_UPDATE_GOLDEN") != nullptr) {
    ::yuqing::testing::WriteFile(path.string(), html);
    return;
  }
  ASSERT_TRUE(std::filesystem::exists(path)) << path << " is missing; regenerate with "
                                             << "YQ_UPDATE_GOLDEN=1";
  std::string want = ::yuqing::testing::ReadFile(path.string());
  EXPECT_TRUE(want == html) << name << " differs from the golden file (" << want.size() << " vs "
                            << html.size() << " bytes); regenerate with "
                            << "YQ_UPDATE_GOLDEN=1 if the change is intended";
}

// The masthead the golden reports carry: 长治市舆情监测中心, issue `number`, both signatures.
inline RenderOptions GoldenOptions(int number) {
  RenderOptions o;
  o.masthead.office = "长治市舆情监测中心";
  o.masthead.number = number;
  o.masthead.issuer = "签发人";
  o.masthead.reviewer = "审核人";
  return o;
}

}  // namespace yuqing::reports::testing
