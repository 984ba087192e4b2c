// org owns the organisation that answers for public opinion — regions (GB/T 2260), levels,
// departments, leaders, spokespersons and duty contacts — and responsibility routing: pure
// functions that say who must answer for an event, and why (docs/organisation.md).
#pragma once

#include "org/organisation.h"
#include "org/region_tree.h"
#include "org/routing.h"
