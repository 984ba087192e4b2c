// OrgStore: the organisation (regions' departments, leaders, spokespersons, duty contacts) as
// one validated JSON document with a version (docs/organisation.md). The org module reads and
// writes the document; the store keeps it whole, so every reader sees one consistent
// organisation. Implemented by every backend; see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/clock.h"
#include "core/status.h"
#include "model/audit.h"

namespace yuqing::store {

struct StoredOrganisation {
  int64_t version = 0;  // 1 for the first organisation stored, +1 per change
  std::string json;     // org::OrganisationToJson
  core::TimePoint updated_at{};
};

class OrgStore {
 public:
  virtual ~OrgStore() = default;

  // nullopt before an organisation was stored.
  virtual Result<std::optional<StoredOrganisation>> GetOrganisation() = 0;
  // Replaces the organisation with its audit entry in one transaction and returns the new
  // version. With `expected_version` set, FailedPrecondition `the organisation changed
  // (version 5, expected 4)…` when another change came first (0 expects none stored yet).
  virtual Result<int64_t> PutOrganisation(const std::string& json,
                                          std::optional<int64_t> expected_version,
                                          const model::AuditDraft& audit) = 0;
};

}  // namespace yuqing::store
