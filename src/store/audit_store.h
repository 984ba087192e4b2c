// AuditStore: the append-only, hash-chained log of changes and its signed checkpoints
// (docs/audit.md). The backend chains each entry inside the transaction that writes it
// (audit::ChainNext), so the chain order is the commit order. Implemented by every backend;
// see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/audit.h"

namespace yuqing::store {

struct AuditFilter {
  std::string object_type;              // "" any
  std::string object_id;                // "" any
  std::string actor;                    // "" any
  std::string action_prefix;            // "user." …; "" any
  std::optional<core::TimePoint> from;  // inclusive
  std::optional<core::TimePoint> to;    // exclusive
  int64_t before_seq = 0;  // 0: from the newest; else entries with seq < this (paging back)
  int limit = 50;          // 1..1000
};

class AuditStore {
 public:
  virtual ~AuditStore() = default;

  // Appends one entry on its own (a change whose state lives elsewhere, e.g. a recorded
  // routing decision) and returns it chained.
  virtual Result<model::AuditEntry> AppendAudit(const model::AuditDraft& draft) = 0;
  // Entries with seq > after_seq in seq order, at most `limit` (1..100000): for verification.
  virtual Result<std::vector<model::AuditEntry>> ScanAudit(int64_t after_seq, int limit) = 0;
  // Newest first, filtered. InvalidArgument for a limit out of range.
  virtual Result<std::vector<model::AuditEntry>> ListAudit(const AuditFilter& filter) = 0;
  virtual Result<std::optional<model::AuditEntry>> AuditHead() = 0;
  // Keeps a signed checkpoint. InvalidArgument when its head hash is not the hash of entry
  // `size` of the log (a checkpoint must describe this log).
  virtual Status PutAuditCheckpoint(const model::AuditCheckpoint& checkpoint) = 0;
  virtual Result<std::vector<model::AuditCheckpoint>> ListAuditCheckpoints() = 0;  // by size
};

}  // namespace yuqing::store
