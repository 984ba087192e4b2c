// A constructed store state for the reports' tests: a day of posts in 长治 and 太原, two events
// (one grade II with an alert and a case answered twice), a hostile post, an organisation.
// Test-only code; the golden files under src/reports/testdata/ are rendered from it.
#pragma once

#include <memory>
#include <string>

#include "core/clock.h"
#include "store/store.h"

namespace yuqing::reports::testing {

core::TimePoint At(const char* iso);
// The day reported on (2026-12-02, China time) and the clock's now (the next morning).
inline constexpr const char* kDay = "2026-12-02";
core::TimePoint Now();

// Fills an empty store with the scenario. Returns false (with a gtest failure) on error.
bool FillScenario(store::Store& store);

}  // namespace yuqing::reports::testing
