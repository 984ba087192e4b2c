// audit owns the tamper-evident audit log's mathematics: the canonical encoding and hash
// chain of entries, Ed25519-signed checkpoints, and verification of a log against them
// (docs/audit.md). Values in, values out: no database, no files (key files: key_file.h).
//
// The chain: entry n's hash is SHA-256(prev_hash ‖ Encode(entry n)) in lower-case hex, where
// prev_hash is entry n-1's hash (64 zeros for entry 1) as its 64 ASCII characters and
// Encode is EncodeEntry below. A checkpoint is an Ed25519 signature over (domain prefix,
// size, head hash, time). This makes a changed, removed or inserted entry detectable, and a
// recomputed ("re-chained") history detectable by anyone holding an earlier checkpoint.
// It is tamper-evident, not tamper-proof: whoever holds the database file and the signing key
// can rewrite the whole log and sign new checkpoints; only a checkpoint kept elsewhere shows it.
//
// Thread safety: the free functions are safe to call from any thread; a SigningKey may be
// shared for signing; a ChainVerifier is used by one thread.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/audit.h"

namespace yuqing::audit {

// prev_hash of entry 1.
inline constexpr std::string_view kGenesisHash =
    "0000000000000000000000000000000000000000000000000000000000000000";
// Prefix of every signed checkpoint message, so a checkpoint signature can never be taken
// for a signature over anything else made with the same key.
inline constexpr std::string_view kCheckpointDomain = "yuqing-audit-checkpoint-v1";

// ---- The chain -------------------------------------------------------------------------

// The canonical, unambiguous encoding of an entry's content (everything but prev_hash and
// hash): the tag "yqa1", then seq, at (ms since the Unix epoch, UTC) and actor_id as 8-byte
// big-endian two's-complement integers, then actor, action, object_type, object_id, from_json,
// to_json and reason, each as an 8-byte big-endian byte length followed by its bytes.
std::string EncodeEntry(const model::AuditEntry& entry);

// Lower-case hex SHA-256(entry.prev_hash ‖ EncodeEntry(entry)); entry.hash is ignored.
std::string EntryHash(const model::AuditEntry& entry);

// Entry `seq` made from `draft`, linked to `prev_hash` (the previous entry's hash, or
// kGenesisHash for seq 1), with its hash computed. The store calls it inside the write
// transaction that inserts the entry, so the chain order is the commit order.
model::AuditEntry ChainNext(const model::AuditDraft& draft, int64_t seq,
                            const std::string& prev_hash);

// True for exactly 64 lower-case hex digits.
bool IsHash(std::string_view text);

// Lower-case hex SHA-256 of `bytes` (report files, receipt tokens).
std::string Sha256Hex(std::string_view bytes);
// `bytes` random bytes from libsodium's generator, as lower-case hex (2 × bytes digits).
std::string RandomHex(size_t bytes);

// ---- Signing ---------------------------------------------------------------------------

// An Ed25519 signing key (libsodium). Move-only; its secret bytes are wiped on destruction.
// Safe to share between threads for signing.
class SigningKey {
 public:
  // A fresh random key. Internal if libsodium cannot initialise.
  static Result<SigningKey> Generate();
  // Reads the content of a key file as written by ToText(): '#' comment lines and blank lines
  // are ignored; one line "ed25519-seed: <64 hex digits>" (or the 64 hex digits alone) holds
  // the 32-byte seed. InvalidArgument says what is wrong, never echoing the secret.
  static Result<SigningKey> FromText(std::string_view text);

  SigningKey(SigningKey&& other) noexcept;
  SigningKey& operator=(SigningKey&& other) noexcept;
  SigningKey(const SigningKey&) = delete;
  SigningKey& operator=(const SigningKey&) = delete;
  ~SigningKey();

  // Key file content: a comment naming the public key, and the seed line.
  std::string ToText() const;
  // The public key, 64 hex digits: what gets published so others can check checkpoints.
  std::string PublicKeyText() const;

  // Ed25519 signature (64 bytes) over `message`.
  std::array<unsigned char, 64> Sign(std::string_view message) const;

 private:
  SigningKey() = default;
  std::array<unsigned char, 64> secret_{};  // libsodium's secret key: seed ‖ public key
  std::array<unsigned char, 32> public_{};
};

// The exact bytes a checkpoint signature covers: kCheckpointDomain, a 0 byte, size and at (ms)
// as 8-byte big-endian integers, and the 64 ASCII characters of head_hash.
std::string CheckpointMessage(int64_t size, std::string_view head_hash, core::TimePoint at);

// Signs "the log had `size` entries, the last with hash `head_hash`, at `at`".
// InvalidArgument for a size below 1 or a head hash that is not 64 lower-case hex digits.
Result<model::AuditCheckpoint> SignCheckpoint(const SigningKey& key, int64_t size,
                                              std::string head_hash, core::TimePoint at);

// OK when the checkpoint is well formed and its signature verifies under its own public key
// and, if given, that key is `expected_public_key` (hex). InvalidArgument otherwise, saying
// which (malformed field, signature does not verify, signed by another key).
Status VerifyCheckpoint(const model::AuditCheckpoint& checkpoint,
                        std::optional<std::string_view> expected_public_key = std::nullopt);

// One-line JSON for printing, a report footer or a superior office to keep:
// {"format":"yuqing-audit-checkpoint-v1","size":…,"head_hash":"…","at":"2026-…Z",
//  "at_ms":…,"public_key":"…","signature":"…"}. "at_ms" is what was signed; "at" is for people.
std::string CheckpointToJson(const model::AuditCheckpoint& checkpoint);
// Parses CheckpointToJson's output (the signature is not checked here). InvalidArgument names
// the field.
Result<model::AuditCheckpoint> CheckpointFromJson(std::string_view json);
// A kept checkpoint file: one JSON checkpoint, a JSON array of them, or one per line.
Result<std::vector<model::AuditCheckpoint>> ParseCheckpointFile(std::string_view text);

// ---- Verification ----------------------------------------------------------------------

struct VerifyProblem {
  enum class Kind {
    kMissing,              // a gap in seq: entries were removed
    kOutOfOrder,           // seq not increasing (cannot come from the store; a damaged scan)
    kHashMismatch,         // stored hash ≠ recomputed: the entry was changed after writing
    kReplaced,             // the next entry was chained to a different version of this one
    kCheckpointInvalid,    // malformed checkpoint, or its signature does not verify
    kCheckpointUntrusted,  // signed by a key that is not a trusted (published) one
    kCheckpointMismatch,   // the log's entry `size` differs from the checkpoint: rewritten
    kTruncated,            // the checkpoint covers more entries than the log has
  };
  Kind kind;
  int64_t seq = 0;  // the entry named (for checkpoint problems: the checkpoint's size)
  std::string message;
};

struct VerifyOptions {
  // Published public keys (hex). When not empty, a checkpoint signed by any other key is a
  // problem. When empty, each checkpoint is checked against the key it carries, which shows
  // it is intact but not who signed it.
  std::vector<std::string> trusted_public_keys;
  // Problems kept in the report beyond the first (the count goes on).
  size_t max_problems = 100;
};

struct VerifyReport {
  int64_t entries_scanned = 0;
  int64_t entries_verified = 0;  // hash and link both matched
  int64_t first_seq = 0;         // 0 for an empty log
  int64_t last_seq = 0;
  std::string head_hash;  // stored hash of the last entry (kGenesisHash for an empty log)
  int checkpoints_checked = 0;
  int checkpoints_matched = 0;
  bool keys_trusted = false;  // checkpoints were checked against VerifyOptions' keys
  int64_t problem_count = 0;
  // Ordered by seq, so problems.front() names the first entry that does not match.
  std::vector<VerifyProblem> problems;

  bool ok() const { return problem_count == 0; }
  // OK, or FailedPrecondition with the first problem's message (and how many more).
  Status ToStatus() const;
  // Several lines for people: what was checked, and every problem kept.
  std::string Summary() const;
};

// Checks a log fed in seq order, and checkpoints against it.
//
//   ChainVerifier v(options);
//   v.ExpectCheckpoint(stored_or_kept, "kept in ck.json");  // before the scan reaches its size
//   for (const auto& e : entries) (void)v.Add(e);
//   VerifyReport report = v.Finish();
//
// Add() does no allocation for an intact entry beyond what its strings' capacity needs once.
class ChainVerifier {
 public:
  explicit ChainVerifier(VerifyOptions options = {});

  // Registers a checkpoint to check at Finish(); `origin` says where it came from in messages
  // ("stored in the database", "from ck.json"). Must come before Add() has passed entry
  // `size`; FailedPrecondition otherwise (nothing is registered).
  Status ExpectCheckpoint(const model::AuditCheckpoint& checkpoint, std::string origin);

  // Checks one entry against the previous one. Returns the problem this entry revealed as
  // FailedPrecondition (also kept for the report), or OK.
  Status Add(const model::AuditEntry& entry);

  // Checks the registered checkpoints and returns the report. Call once.
  VerifyReport Finish();

 private:
  struct Expected {
    model::AuditCheckpoint checkpoint;
    std::string origin;
    std::optional<std::string> hash_at_size;  // the log's stored hash of entry `size`
  };
  void Problem(VerifyProblem::Kind kind, int64_t seq, std::string message);
  void CaptureCheckpointHash(int64_t seq, std::string_view hash);

  VerifyOptions options_;
  VerifyReport report_;
  std::vector<Expected> expected_;
  int64_t last_seq_ = 0;
  bool have_last_ = false;
  size_t next_expected_ = 0;  // expected_ is sorted by size; first not yet reached
  bool expected_sorted_ = true;
  bool finishing_ = false;
  std::string last_hash_;  // stored hash of the last entry (capacity reused)
  // The previous entry's description for messages, kept with reused capacity.
  std::string last_actor_;
  std::string last_action_;
  core::TimePoint last_at_{};
};

// A checkpoint and where it came from, for messages.
struct CheckpointSource {
  model::AuditCheckpoint checkpoint;
  std::string origin;  // "stored in the database", "from kept.json"
};

// Reads one batch of the log: entries with seq > after_seq in seq order, at most `limit`
// (the store's ScanAudit).
using ScanFn = std::function<Result<std::vector<model::AuditEntry>>(int64_t after_seq, int limit)>;

// Verifies a whole log read through `scan` in batches of `batch` entries against
// `checkpoints` (stored ones and any kept elsewhere). A scan error is returned with context;
// what the log's content shows is in the report. This is `yuqing audit verify`.
Result<VerifyReport> VerifyLog(const ScanFn& scan, const std::vector<CheckpointSource>& checkpoints,
                               VerifyOptions options = {}, int batch = 10000);

}  // namespace yuqing::audit
