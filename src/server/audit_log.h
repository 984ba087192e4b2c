// The audit log as the API and the command line use it: verifying the stored chain and its
// checkpoints (plus any kept elsewhere), and signing a new checkpoint of the head
// (docs/audit.md). Internal to server/ and cli/.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "audit/audit.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/audit_store.h"

namespace yuqing::server {

// Reads the whole log in seq order and checks it against the stored checkpoints and `kept`
// (checkpoints held outside the database, e.g. from a superior office). `progress` (may be
// empty) gets the entries read so far every 100,000.
Result<audit::VerifyReport> VerifyStoredAudit(store::AuditStore& store,
                                              const std::vector<model::AuditCheckpoint>& kept,
                                              const audit::VerifyOptions& options,
                                              const std::function<void(int64_t)>& progress = {});

// Signs and stores a checkpoint of the current head unless the newest stored checkpoint
// already covers it; returns the newest checkpoint either way (nullopt for an empty log).
Result<std::optional<model::AuditCheckpoint>> CheckpointHead(store::AuditStore& store,
                                                             const audit::SigningKey& key,
                                                             core::TimePoint now);

// {"ok", "entries_scanned", "entries_verified", "last_seq", "head_hash", "checkpoints_checked",
//  "checkpoints_matched", "keys_trusted", "problem_count", "first_problem", "problems"}.
nlohmann::json AuditReportJson(const audit::VerifyReport& report);

}  // namespace yuqing::server
