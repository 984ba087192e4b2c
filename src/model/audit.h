// The audit log's plain values: one entry of the append-only, hash-chained log of changes
// (who, when, what, from, to, why) and a signed checkpoint of the log (docs/audit.md).
// Hashes, public keys and signatures are lower-case hex strings. The audit module computes
// and checks them; the store keeps them.
#pragma once

#include <cstdint>
#include <string>

#include "core/clock.h"

namespace yuqing::model {

// What a caller supplies for one change; the store chains it into an AuditEntry inside the
// transaction that makes the change.
struct AuditDraft {
  core::TimePoint at{};
  int64_t actor_id = 0;     // the user's id; 0 = the system or the command line
  std::string actor;        // user name, "system", or "cli:<os user>"
  std::string action;       // "user.create", "user.role", "org.replace", "routing.decide", …
  std::string object_type;  // "user", "organisation", "department", "case", …
  std::string object_id;
  std::string from_json;  // the state before the change ("" when created)
  std::string to_json;    // the state after the change ("" when removed)
  std::string reason;     // why, as the actor gave it or the routing rule explained it
};

// One entry of the log. seq starts at 1 and has no gaps; hash = SHA-256(prev_hash ‖
// canonical encoding of this entry) (audit/audit.h); prev_hash of entry 1 is 64 zeros.
struct AuditEntry {
  int64_t seq = 0;
  core::TimePoint at{};
  int64_t actor_id = 0;
  std::string actor;
  std::string action;
  std::string object_type;
  std::string object_id;
  std::string from_json;
  std::string to_json;
  std::string reason;
  std::string prev_hash;  // 64 hex digits
  std::string hash;       // 64 hex digits
};

// A signed statement "the log had `size` entries and entry `size` had hash `head_hash`",
// signed with Ed25519 at `at`. Kept in the database and, more usefully, outside it (a report
// footer, the superior office): a later rewrite of entries 1..size no longer matches it.
struct AuditCheckpoint {
  int64_t size = 0;
  std::string head_hash;  // 64 hex digits
  core::TimePoint at{};
  std::string public_key;  // Ed25519 public key, 64 hex digits
  std::string signature;   // Ed25519 signature, 128 hex digits
};

}  // namespace yuqing::model
