#include "audit/audit.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/time.h"

namespace yuqing::audit {
namespace {

constexpr size_t kHashBytes = crypto_hash_sha256_BYTES;  // 32
constexpr std::string_view kEntryTag = "yqa1";
constexpr std::string_view kSeedPrefix = "ed25519-seed:";

// libsodium must be initialised once before use (it picks implementations and seeds its
// random generator); sodium_init is safe to call from several threads and idempotent.
bool SodiumReady() {
  static const bool ready = sodium_init() >= 0;
  return ready;
}

void PutBe64(unsigned char* p, uint64_t v) {
  for (int i = 7; i >= 0; --i) {
    p[i] = static_cast<unsigned char>(v & 0xFF);
    v >>= 8;
  }
}

void UpdateField(crypto_hash_sha256_state& st, std::string_view field) {
  unsigned char len[8];
  PutBe64(len, field.size());
  crypto_hash_sha256_update(&st, len, sizeof len);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(field.data()),
                            field.size());
}

// Streams prev_hash and the encoding into SHA-256 without building the encoding: this is the
// verifier's inner loop (one call per entry), so it allocates nothing.
void HashEntryInto(const model::AuditEntry& e, unsigned char out[kHashBytes]) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(e.prev_hash.data()),
                            e.prev_hash.size());
  unsigned char head[4 + 3 * 8];
  std::memcpy(head, kEntryTag.data(), 4);
  PutBe64(head + 4, static_cast<uint64_t>(e.seq));
  PutBe64(head + 12, static_cast<uint64_t>(e.at.time_since_epoch().count()));
  PutBe64(head + 20, static_cast<uint64_t>(e.actor_id));
  crypto_hash_sha256_update(&st, head, sizeof head);
  for (const std::string* f :
       {&e.actor, &e.action, &e.object_type, &e.object_id, &e.from_json, &e.to_json, &e.reason}) {
    UpdateField(st, *f);
  }
  crypto_hash_sha256_final(&st, out);
}

// Lower-case hex of `n` bytes into `hex` (2n + 1 bytes with the terminating 0).
void ToHex(const unsigned char* bin, size_t n, char* hex) {
  sodium_bin2hex(hex, 2 * n + 1, bin, n);
}

std::string Hex(const unsigned char* bin, size_t n) {
  std::string out(2 * n + 1, '\0');
  ToHex(bin, n, out.data());
  out.pop_back();
  return out;
}

bool IsLowerHex(std::string_view s, size_t digits) {
  if (s.size() != digits) return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Decodes exactly `n` bytes from 2n lower-case hex digits.
bool FromHex(std::string_view hex, unsigned char* out, size_t n) {
  if (!IsLowerHex(hex, 2 * n)) return false;
  size_t len = 0;
  return sodium_hex2bin(out, n, hex.data(), hex.size(), nullptr, &len, nullptr) == 0 && len == n;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

// At most `max` bytes of `s`, cut at a UTF-8 boundary, for messages about stored text.
std::string Clip(std::string_view s, size_t max = 48) {
  if (s.size() <= max) return std::string(s);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return std::string(s.substr(0, end)) + "…";
}

// "1a2b3c4d…": enough of a hash for people to compare by eye.
std::string ShortHash(std::string_view h) {
  return h.size() > 12 ? std::string(h.substr(0, 12)) + "…" : std::string(h);
}

// ISO-8601 for years 1..9999, else the raw milliseconds: a tampered `at` can hold anything,
// and calendar arithmetic on extreme values would overflow.
std::string FormatAt(core::TimePoint at) {
  constexpr int64_t kYear1 = -62135596800000;
  constexpr int64_t kYear9999End = 253402300799999;
  int64_t ms = at.time_since_epoch().count();
  if (ms < kYear1 || ms > kYear9999End) return fmt::format("{} ms", ms);
  return core::FormatIso8601(at);
}

std::string Describe(int64_t seq, std::string_view action, std::string_view actor,
                     core::TimePoint at) {
  return fmt::format("entry {} ({} by {} at {})", seq, Clip(action), Clip(actor), FormatAt(at));
}

std::string DescribeCheckpoint(const model::AuditCheckpoint& cp, std::string_view origin) {
  return fmt::format("the checkpoint of size {} signed at {} ({})", cp.size, FormatAt(cp.at),
                     origin);
}

std::string Range(int64_t lo, int64_t hi) {
  return lo == hi ? fmt::format("entry {}", lo) : fmt::format("entries {}–{}", lo, hi);
}

Result<model::AuditCheckpoint> FromJsonValue(const nlohmann::json& j) {
  if (!j.is_object()) return Status::InvalidArgument("a checkpoint must be a JSON object");
  if (j.contains("format") &&
      (!j["format"].is_string() || j["format"].get<std::string>() != kCheckpointDomain)) {
    return Status::InvalidArgument(
        fmt::format("field \"format\" must be \"{}\"", kCheckpointDomain));
  }
  model::AuditCheckpoint cp;
  if (!j.contains("size") || !j["size"].is_number_integer()) {
    return Status::InvalidArgument("field \"size\" must be an integer");
  }
  cp.size = j["size"].get<int64_t>();
  if (j.contains("at_ms")) {
    if (!j["at_ms"].is_number_integer()) {
      return Status::InvalidArgument("field \"at_ms\" must be an integer (ms since 1970, UTC)");
    }
    cp.at = core::TimePoint(std::chrono::milliseconds(j["at_ms"].get<int64_t>()));
  } else if (j.contains("at") && j["at"].is_string()) {
    YQ_ASSIGN_OR_RETURN(cp.at, core::ParseIso8601(j["at"].get<std::string>()));
  } else {
    return Status::InvalidArgument("field \"at_ms\" is missing");
  }
  for (auto [name, field] :
       {std::pair{"head_hash", &cp.head_hash}, std::pair{"public_key", &cp.public_key},
        std::pair{"signature", &cp.signature}}) {
    if (!j.contains(name) || !j[name].is_string()) {
      return Status::InvalidArgument(fmt::format("field \"{}\" must be a string", name));
    }
    *field = Lower(j[name].get<std::string>());
  }
  return cp;
}

}  // namespace

std::string EncodeEntry(const model::AuditEntry& e) {
  std::string out;
  size_t n = kEntryTag.size() + size_t{3} * 8;
  for (const std::string* f :
       {&e.actor, &e.action, &e.object_type, &e.object_id, &e.from_json, &e.to_json, &e.reason}) {
    n += 8 + f->size();
  }
  out.reserve(n);
  out += kEntryTag;
  auto put = [&out](uint64_t v) {
    unsigned char b[8];
    PutBe64(b, v);
    out.append(reinterpret_cast<const char*>(b), 8);
  };
  put(static_cast<uint64_t>(e.seq));
  put(static_cast<uint64_t>(e.at.time_since_epoch().count()));
  put(static_cast<uint64_t>(e.actor_id));
  for (const std::string* f :
       {&e.actor, &e.action, &e.object_type, &e.object_id, &e.from_json, &e.to_json, &e.reason}) {
    put(f->size());
    out += *f;
  }
  return out;
}

std::string Sha256Hex(std::string_view bytes) {
  (void)SodiumReady();
  unsigned char digest[kHashBytes];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
  return Hex(digest, kHashBytes);
}

std::string RandomHex(size_t bytes) {
  (void)SodiumReady();
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  return Hex(reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
}

std::string EntryHash(const model::AuditEntry& entry) {
  unsigned char digest[kHashBytes];
  HashEntryInto(entry, digest);
  return Hex(digest, kHashBytes);
}

model::AuditEntry ChainNext(const model::AuditDraft& draft, int64_t seq,
                            const std::string& prev_hash) {
  model::AuditEntry e;
  e.seq = seq;
  e.at = draft.at;
  e.actor_id = draft.actor_id;
  e.actor = draft.actor;
  e.action = draft.action;
  e.object_type = draft.object_type;
  e.object_id = draft.object_id;
  e.from_json = draft.from_json;
  e.to_json = draft.to_json;
  e.reason = draft.reason;
  e.prev_hash = prev_hash;
  e.hash = EntryHash(e);
  return e;
}

bool IsHash(std::string_view text) { return IsLowerHex(text, 2 * kHashBytes); }

// ---- SigningKey ----

Result<SigningKey> SigningKey::Generate() {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  SigningKey key;
  crypto_sign_keypair(key.public_.data(), key.secret_.data());
  return key;
}

Result<SigningKey> SigningKey::FromText(std::string_view text) {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  std::optional<std::string> seed_hex;
  int line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.size() >= kSeedPrefix.size() &&
        Lower(line.substr(0, kSeedPrefix.size())) == kSeedPrefix) {
      line = Trim(line.substr(kSeedPrefix.size()));
    }
    if (seed_hex) {
      return Status::InvalidArgument(
          fmt::format("key line {}: a second key; a key file holds one seed", line_no));
    }
    seed_hex = Lower(line);
    if (!IsLowerHex(*seed_hex, size_t{2} * crypto_sign_SEEDBYTES)) {
      sodium_memzero(seed_hex->data(), seed_hex->size());
      return Status::InvalidArgument(
          fmt::format("key line {}: expected \"ed25519-seed: \" and {} hex digits", line_no,
                      2 * crypto_sign_SEEDBYTES));
    }
  }
  if (!seed_hex) {
    return Status::InvalidArgument("no \"ed25519-seed:\" line: not an audit signing key");
  }
  unsigned char seed[crypto_sign_SEEDBYTES];
  bool decoded = FromHex(*seed_hex, seed, sizeof seed);
  sodium_memzero(seed_hex->data(), seed_hex->size());
  if (!decoded) return Status::InvalidArgument("the key seed is not valid hex");
  SigningKey key;
  crypto_sign_seed_keypair(key.public_.data(), key.secret_.data(), seed);
  sodium_memzero(seed, sizeof seed);
  return key;
}

SigningKey::SigningKey(SigningKey&& other) noexcept
    : secret_(other.secret_), public_(other.public_) {
  sodium_memzero(other.secret_.data(), other.secret_.size());
}

SigningKey& SigningKey::operator=(SigningKey&& other) noexcept {
  if (this != &other) {
    secret_ = other.secret_;
    public_ = other.public_;
    sodium_memzero(other.secret_.data(), other.secret_.size());
  }
  return *this;
}

SigningKey::~SigningKey() { sodium_memzero(secret_.data(), secret_.size()); }

std::string SigningKey::ToText() const {
  unsigned char seed[crypto_sign_SEEDBYTES];
  crypto_sign_ed25519_sk_to_seed(seed, secret_.data());
  std::string seed_hex = Hex(seed, sizeof seed);
  sodium_memzero(seed, sizeof seed);
  std::string out = fmt::format(
      "# yuqing audit signing key (Ed25519 seed). Keep it private: mode 0600, readable only\n"
      "# by the account that runs yuqing. Whoever holds it can sign checkpoints (docs/audit.md).\n"
      "# public key: {}\n"
      "{} {}\n",
      PublicKeyText(), kSeedPrefix, seed_hex);
  sodium_memzero(seed_hex.data(), seed_hex.size());
  return out;
}

std::string SigningKey::PublicKeyText() const { return Hex(public_.data(), public_.size()); }

std::array<unsigned char, 64> SigningKey::Sign(std::string_view message) const {
  std::array<unsigned char, 64> sig{};
  crypto_sign_detached(sig.data(), nullptr, reinterpret_cast<const unsigned char*>(message.data()),
                       message.size(), secret_.data());
  return sig;
}

// ---- Checkpoints ----

std::string CheckpointMessage(int64_t size, std::string_view head_hash, core::TimePoint at) {
  std::string m(kCheckpointDomain);
  m += '\0';
  unsigned char b[16];
  PutBe64(b, static_cast<uint64_t>(size));
  PutBe64(b + 8, static_cast<uint64_t>(at.time_since_epoch().count()));
  m.append(reinterpret_cast<const char*>(b), sizeof b);
  m += head_hash;
  return m;
}

Result<model::AuditCheckpoint> SignCheckpoint(const SigningKey& key, int64_t size,
                                              std::string head_hash, core::TimePoint at) {
  if (size < 1) {
    return Status::InvalidArgument(
        fmt::format("checkpoint size {}: a checkpoint covers at least one entry", size));
  }
  if (!IsHash(head_hash)) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint head hash \"{}\" is not 64 lower-case hex digits", Clip(head_hash)));
  }
  model::AuditCheckpoint cp;
  cp.size = size;
  cp.at = at;
  auto sig = key.Sign(CheckpointMessage(size, head_hash, at));
  cp.head_hash = std::move(head_hash);
  cp.public_key = key.PublicKeyText();
  cp.signature = Hex(sig.data(), sig.size());
  return cp;
}

Status VerifyCheckpoint(const model::AuditCheckpoint& cp,
                        std::optional<std::string_view> expected_public_key) {
  if (!SodiumReady()) return Status::Internal("libsodium failed to initialise");
  if (cp.size < 1) {
    return Status::InvalidArgument(fmt::format("checkpoint size {} is below 1", cp.size));
  }
  if (!IsHash(cp.head_hash)) {
    return Status::InvalidArgument(
        fmt::format("checkpoint of size {}: head hash is not 64 lower-case hex digits", cp.size));
  }
  unsigned char pk[crypto_sign_PUBLICKEYBYTES];
  if (!FromHex(cp.public_key, pk, sizeof pk)) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of size {}: public key is not {} hex digits", cp.size, 2 * sizeof pk));
  }
  unsigned char sig[crypto_sign_BYTES];
  if (!FromHex(cp.signature, sig, sizeof sig)) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of size {}: signature is not {} hex digits", cp.size, 2 * sizeof sig));
  }
  if (expected_public_key && Lower(Trim(*expected_public_key)) != cp.public_key) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of size {} is signed by key {}, not by the expected key {}", cp.size,
        ShortHash(cp.public_key), ShortHash(Lower(Trim(*expected_public_key)))));
  }
  std::string m = CheckpointMessage(cp.size, cp.head_hash, cp.at);
  if (crypto_sign_verify_detached(sig, reinterpret_cast<const unsigned char*>(m.data()), m.size(),
                                  pk) != 0) {
    return Status::InvalidArgument(fmt::format(
        "checkpoint of size {}: the signature does not verify: the checkpoint was altered or "
        "was not signed by key {}",
        cp.size, ShortHash(cp.public_key)));
  }
  return Status::Ok();
}

std::string CheckpointToJson(const model::AuditCheckpoint& cp) {
  nlohmann::ordered_json j;
  j["format"] = kCheckpointDomain;
  j["size"] = cp.size;
  j["head_hash"] = cp.head_hash;
  j["at"] = FormatAt(cp.at);
  j["at_ms"] = cp.at.time_since_epoch().count();
  j["public_key"] = cp.public_key;
  j["signature"] = cp.signature;
  // Replace invalid UTF-8 instead of throwing: the fields come from the database.
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Result<model::AuditCheckpoint> CheckpointFromJson(std::string_view text) {
  try {
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return Status::InvalidArgument("a checkpoint is not valid JSON");
    return FromJsonValue(j);
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("checkpoint: {}", e.what()));
  }
}

Result<std::vector<model::AuditCheckpoint>> ParseCheckpointFile(std::string_view text) {
  std::vector<model::AuditCheckpoint> out;
  try {
    text = Trim(text);
    if (text.empty()) return Status::InvalidArgument("the checkpoint file is empty");
    nlohmann::json whole = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!whole.is_discarded()) {
      if (whole.is_array()) {
        for (size_t i = 0; i < whole.size(); ++i) {
          auto cp = FromJsonValue(whole[i]);
          if (!cp.ok()) return cp.status().WithContext(fmt::format("checkpoint {}", i + 1));
          out.push_back(std::move(cp).value());
        }
      } else {
        YQ_ASSIGN_OR_RETURN(auto cp, FromJsonValue(whole));
        out.push_back(std::move(cp));
      }
      return out;
    }
    int line_no = 0;
    while (!text.empty()) {
      size_t nl = text.find('\n');
      std::string_view line = Trim(text.substr(0, nl));
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      ++line_no;
      if (line.empty() || line.front() == '#') continue;
      auto cp = CheckpointFromJson(line);
      if (!cp.ok()) return cp.status().WithContext(fmt::format("line {}", line_no));
      out.push_back(std::move(cp).value());
    }
    if (out.empty()) return Status::InvalidArgument("the checkpoint file holds no checkpoint");
    return out;
  } catch (const std::exception& e) {
    return Status::InvalidArgument(fmt::format("checkpoint file: {}", e.what()));
  }
}

// ---- Verification ----

Status VerifyReport::ToStatus() const {
  if (ok()) return Status::Ok();
  std::string m =
      problems.empty() ? std::string("the audit log does not verify") : problems.front().message;
  if (problem_count > 1) m += fmt::format(" (and {} more problems)", problem_count - 1);
  return Status::FailedPrecondition(std::move(m));
}

std::string VerifyReport::Summary() const {
  std::string out;
  if (entries_scanned == 0) {
    out += "audit log: empty\n";
  } else {
    out +=
        fmt::format("audit log: {} entries scanned ({}), {} verified; head {}\n", entries_scanned,
                    Range(first_seq, last_seq), entries_verified, ShortHash(head_hash));
  }
  out += fmt::format(
      "checkpoints: {} checked, {} match{}\n", checkpoints_checked, checkpoints_matched,
      checkpoints_checked == 0 ? ""
      : keys_trusted           ? " (signatures checked against the published key)"
                               : " (signatures checked against the keys they carry only; give the "
                                 "published public key to check who signed them)");
  if (ok()) {
    out += "OK: every entry matches its hash and its predecessor";
    out += checkpoints_checked > 0 ? ", and every checkpoint matches the log\n" : "\n";
    return out;
  }
  out += fmt::format("FAILED: {} problem{}; the first entry that does not match is entry {}\n",
                     problem_count, problem_count == 1 ? "" : "s",
                     problems.empty() ? 0 : problems.front().seq);
  for (const auto& p : problems) out += "  - " + p.message + "\n";
  if (problem_count > static_cast<int64_t>(problems.size())) {
    out += fmt::format("  … and {} more\n", problem_count - static_cast<int64_t>(problems.size()));
  }
  return out;
}

ChainVerifier::ChainVerifier(VerifyOptions options) : options_(std::move(options)) {
  for (auto& k : options_.trusted_public_keys) k = Lower(Trim(k));
  report_.keys_trusted = !options_.trusted_public_keys.empty();
}

Status ChainVerifier::ExpectCheckpoint(const model::AuditCheckpoint& checkpoint,
                                       std::string origin) {
  if (finishing_) return Status::FailedPrecondition("the verification has finished");
  if (have_last_ && checkpoint.size <= last_seq_) {
    return Status::FailedPrecondition(
        fmt::format("checkpoint of size {} registered after the scan passed entry {}",
                    checkpoint.size, last_seq_));
  }
  expected_.push_back({checkpoint, std::move(origin), std::nullopt});
  expected_sorted_ = false;
  return Status::Ok();
}

void ChainVerifier::Problem(VerifyProblem::Kind kind, int64_t seq, std::string message) {
  ++report_.problem_count;
  // Streamed problems arrive in seq order, so the kept ones are the earliest; checkpoint
  // problems (Finish) are always kept and sorted in, then the list is cut.
  if (finishing_ || report_.problems.size() < options_.max_problems) {
    report_.problems.push_back({kind, seq, std::move(message)});
  }
}

void ChainVerifier::CaptureCheckpointHash(int64_t seq, std::string_view hash) {
  if (!expected_sorted_) {
    // Only entries not yet reached can be registered, so sorting keeps the cursor valid.
    std::stable_sort(
        expected_.begin() + static_cast<std::ptrdiff_t>(next_expected_), expected_.end(),
        [](const Expected& a, const Expected& b) { return a.checkpoint.size < b.checkpoint.size; });
    expected_sorted_ = true;
  }
  while (next_expected_ < expected_.size() && expected_[next_expected_].checkpoint.size <= seq) {
    Expected& x = expected_[next_expected_];
    if (x.checkpoint.size == seq) x.hash_at_size = std::string(hash);
    ++next_expected_;
  }
}

Status ChainVerifier::Add(const model::AuditEntry& e) {
  ++report_.entries_scanned;
  Status result;
  auto problem = [&](VerifyProblem::Kind kind, int64_t seq, std::string message) {
    if (result.ok()) result = Status::FailedPrecondition(message);
    Problem(kind, seq, std::move(message));
  };
  if (have_last_ && e.seq <= last_seq_) {
    problem(VerifyProblem::Kind::kOutOfOrder, e.seq,
            fmt::format("entry {} comes after entry {}: the entries are not in seq order", e.seq,
                        last_seq_));
    return result;
  }
  const int64_t expected_seq = have_last_ ? last_seq_ + 1 : 1;
  const bool gap = e.seq != expected_seq;
  if (gap) {
    problem(VerifyProblem::Kind::kMissing, expected_seq,
            have_last_ ? fmt::format("{} {} missing: the log jumps from {} to {}",
                                     Range(expected_seq, e.seq - 1),
                                     e.seq - 1 == expected_seq ? "is" : "are", last_seq_, e.seq)
                       : fmt::format("{} {} missing: the log starts at entry {}",
                                     Range(1, e.seq - 1), e.seq == 2 ? "is" : "are", e.seq));
  }
  if (!have_last_) report_.first_seq = e.seq;

  unsigned char digest[kHashBytes];
  HashEntryInto(e, digest);
  char hex[2 * kHashBytes + 1];
  ToHex(digest, kHashBytes, hex);
  const bool hash_ok = std::string_view(e.hash) == std::string_view(hex, 2 * kHashBytes);
  const std::string_view want_prev = have_last_ ? std::string_view(last_hash_) : kGenesisHash;
  const bool link_ok = gap || std::string_view(e.prev_hash) == want_prev;
  if (!hash_ok) {
    problem(VerifyProblem::Kind::kHashMismatch, e.seq,
            Describe(e.seq, e.action, e.actor, e.at) +
                " does not match its hash: it was changed after it was written");
  } else if (!link_ok && !have_last_) {
    problem(VerifyProblem::Kind::kReplaced, e.seq,
            Describe(e.seq, e.action, e.actor, e.at) +
                " does not start from the genesis hash (64 zeros): the start of the log was "
                "replaced");
  } else if (!link_ok) {
    // This entry is intact but was chained to a different predecessor: the predecessor was
    // rewritten (with its own hash recomputed) or swapped in.
    problem(VerifyProblem::Kind::kReplaced, last_seq_,
            fmt::format("{} was replaced after it was written: entry {} was chained to a "
                        "different entry {} (its prev_hash is {}, entry {}'s hash is {})",
                        Describe(last_seq_, last_action_, last_actor_, last_at_), e.seq, last_seq_,
                        ShortHash(e.prev_hash), last_seq_, ShortHash(last_hash_)));
  } else {
    ++report_.entries_verified;
  }

  have_last_ = true;
  last_seq_ = e.seq;
  last_hash_.assign(e.hash);
  last_actor_.assign(e.actor);
  last_action_.assign(e.action);
  last_at_ = e.at;
  if (next_expected_ < expected_.size()) CaptureCheckpointHash(e.seq, e.hash);
  return result;
}

VerifyReport ChainVerifier::Finish() {
  finishing_ = true;
  report_.last_seq = have_last_ ? last_seq_ : 0;
  report_.head_hash = have_last_ ? last_hash_ : std::string(kGenesisHash);
  std::stable_sort(expected_.begin(), expected_.end(), [](const Expected& a, const Expected& b) {
    return a.checkpoint.size < b.checkpoint.size;
  });
  int64_t last_matched = 0;  // size of the largest checkpoint that matched so far
  for (const Expected& x : expected_) {
    const auto& cp = x.checkpoint;
    ++report_.checkpoints_checked;
    if (Status s = VerifyCheckpoint(cp); !s.ok()) {
      Problem(VerifyProblem::Kind::kCheckpointInvalid, cp.size,
              fmt::format("{}: {}", DescribeCheckpoint(cp, x.origin), s.message()));
      continue;
    }
    const auto& trusted = options_.trusted_public_keys;
    if (!trusted.empty() &&
        std::find(trusted.begin(), trusted.end(), cp.public_key) == trusted.end()) {
      Problem(VerifyProblem::Kind::kCheckpointUntrusted, cp.size,
              fmt::format("{} is signed by key {}, which is not the published key: it cannot "
                          "vouch for the log",
                          DescribeCheckpoint(cp, x.origin), ShortHash(cp.public_key)));
      continue;
    }
    if (cp.size > report_.last_seq) {
      Problem(VerifyProblem::Kind::kTruncated, report_.last_seq + 1,
              fmt::format("{} says the log had {} entries, but it ends at entry {}: {} {} "
                          "removed from the end",
                          DescribeCheckpoint(cp, x.origin), cp.size, report_.last_seq,
                          Range(report_.last_seq + 1, cp.size),
                          cp.size == report_.last_seq + 1 ? "was" : "were"));
      continue;
    }
    if (!x.hash_at_size) continue;  // entry `size` is missing: reported as a gap already
    if (*x.hash_at_size != cp.head_hash) {
      Problem(VerifyProblem::Kind::kCheckpointMismatch, cp.size,
              fmt::format("entry {} has hash {} but {} says {}: the log up to entry {} was "
                          "rewritten after the checkpoint was made (somewhere in {})",
                          cp.size, ShortHash(*x.hash_at_size), DescribeCheckpoint(cp, x.origin),
                          ShortHash(cp.head_hash), cp.size, Range(last_matched + 1, cp.size)));
      continue;
    }
    ++report_.checkpoints_matched;
    last_matched = cp.size;
  }
  std::stable_sort(report_.problems.begin(), report_.problems.end(),
                   [](const VerifyProblem& a, const VerifyProblem& b) { return a.seq < b.seq; });
  if (report_.problems.size() > options_.max_problems) {
    report_.problems.resize(std::max<size_t>(options_.max_problems, 1));
  }
  return std::move(report_);
}

Result<VerifyReport> VerifyLog(const ScanFn& scan, const std::vector<CheckpointSource>& checkpoints,
                               VerifyOptions options, int batch) {
  ChainVerifier v(std::move(options));
  for (const auto& c : checkpoints) YQ_RETURN_IF_ERROR(v.ExpectCheckpoint(c.checkpoint, c.origin));
  int64_t after = 0;
  while (true) {
    auto entries = scan(after, batch);
    if (!entries.ok()) {
      return entries.status().WithContext(
          fmt::format("reading the audit log after entry {}", after));
    }
    for (const auto& e : *entries) (void)v.Add(e);
    if (entries->empty()) break;
    if (static_cast<int>(entries->size()) < batch) break;
    // A damaged scan that does not move forward must not loop forever.
    if (entries->back().seq <= after) break;
    after = entries->back().seq;
  }
  return v.Finish();
}

}  // namespace yuqing::audit
