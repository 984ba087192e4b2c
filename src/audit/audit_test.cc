#include "audit/audit.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace yuqing::audit {
namespace {

using model::AuditCheckpoint;
using model::AuditDraft;
using model::AuditEntry;
using Kind = VerifyProblem::Kind;

core::TimePoint T(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }
// 2026-11-21T00:00:00Z
constexpr int64_t kBase = 1795219200000;

AuditDraft Draft(int i) {
  AuditDraft d;
  d.at = T(kBase + int64_t{i} * 1000);
  d.actor_id = i % 3 == 0 ? 0 : 7;
  d.actor = i % 3 == 0 ? "system" : "admin";
  d.action = i % 2 == 0 ? "user.role" : "org.department.upsert";
  d.object_type = i % 2 == 0 ? "user" : "department";
  d.object_id = std::to_string(100 + i);
  d.from_json = R"({"role":"monitor"})";
  d.to_json = R"({"role":"analyst","name":"张三（示例）"})";
  d.reason = "调岗：转入研判组";
  return d;
}

std::vector<AuditEntry> Chain(int n) {
  std::vector<AuditEntry> out;
  std::string prev(kGenesisHash);
  for (int i = 1; i <= n; ++i) {
    out.push_back(ChainNext(Draft(i), i, prev));
    prev = out.back().hash;
  }
  return out;
}

// What an attacker with the file does to hide an edit: recompute every hash from `from` on.
void Rechain(std::vector<AuditEntry>& log, size_t from) {
  for (size_t i = from; i < log.size(); ++i) {
    log[i].prev_hash = i == 0 ? std::string(kGenesisHash) : log[i - 1].hash;
    log[i].hash = EntryHash(log[i]);
  }
}

struct Kept {
  AuditCheckpoint checkpoint;
  std::string origin;
};

VerifyReport Verify(const std::vector<AuditEntry>& log, const std::vector<Kept>& kept = {},
                    VerifyOptions options = {}) {
  ChainVerifier v(std::move(options));
  for (const auto& k : kept) EXPECT_TRUE(v.ExpectCheckpoint(k.checkpoint, k.origin).ok());
  for (const auto& e : log) (void)v.Add(e);
  return v.Finish();
}

SigningKey Key() {
  auto k = SigningKey::Generate();
  EXPECT_TRUE(k.ok());
  return std::move(k).value();
}

AuditCheckpoint Sign(const SigningKey& key, const std::vector<AuditEntry>& log, int64_t size) {
  auto cp = SignCheckpoint(key, size, log[static_cast<size_t>(size - 1)].hash, T(kBase + 99000));
  EXPECT_TRUE(cp.ok()) << cp.status().ToString();
  return *cp;
}

TEST(AuditChainTest, IntactChainVerifies) {
  auto log = Chain(40);
  EXPECT_EQ(log[0].prev_hash, kGenesisHash);
  EXPECT_TRUE(IsHash(log[0].hash));
  auto report = Verify(log);
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.entries_scanned, 40);
  EXPECT_EQ(report.entries_verified, 40);
  EXPECT_EQ(report.first_seq, 1);
  EXPECT_EQ(report.last_seq, 40);
  EXPECT_EQ(report.head_hash, log.back().hash);
  EXPECT_TRUE(report.ToStatus().ok());
}

TEST(AuditChainTest, EmptyLogVerifies) {
  auto report = Verify({});
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.head_hash, kGenesisHash);
}

// Freezes the canonical encoding: stored logs must keep verifying with every later build.
// The expected value was computed independently (Python hashlib over the documented bytes).
TEST(AuditChainTest, EncodingIsFrozen) {
  AuditEntry e;
  e.seq = 1;
  e.at = T(kBase);
  e.actor_id = 7;
  e.actor = "admin";
  e.action = "user.create";
  e.object_type = "user";
  e.object_id = "7";
  e.from_json = "";
  e.to_json = R"({"name":"张三"})";
  e.reason = "新员工";
  e.prev_hash = std::string(kGenesisHash);
  std::string enc = EncodeEntry(e);
  EXPECT_EQ(enc.substr(0, 4), "yqa1");
  EXPECT_EQ(enc.size(), 131u);
  EXPECT_EQ(EntryHash(e), "2aa0b0432287f601fbfab908842a73a724f563376dfb10b5b926b73c564a829f");
}

TEST(AuditChainTest, FieldBoundariesAreUnambiguous) {
  AuditEntry a;
  a.prev_hash = std::string(kGenesisHash);
  a.actor = "ab";
  a.action = "c";
  AuditEntry b = a;
  b.actor = "a";
  b.action = "bc";
  EXPECT_NE(EncodeEntry(a), EncodeEntry(b));
  EXPECT_NE(EntryHash(a), EntryHash(b));
}

TEST(AuditChainTest, ChainNextCopiesTheDraftAndLinks) {
  auto d = Draft(3);
  auto e = ChainNext(d, 5, std::string(64, 'a'));
  EXPECT_EQ(e.seq, 5);
  EXPECT_EQ(e.at, d.at);
  EXPECT_EQ(e.actor, d.actor);
  EXPECT_EQ(e.reason, d.reason);
  EXPECT_EQ(e.prev_hash, std::string(64, 'a'));
  EXPECT_EQ(e.hash, EntryHash(e));
}

TEST(AuditChainTest, EveryEditedFieldIsNamed) {
  const std::vector<std::pair<std::string, std::function<void(AuditEntry&)>>> edits = {
      {"at", [](AuditEntry& e) { e.at += std::chrono::milliseconds(1); }},
      {"actor_id", [](AuditEntry& e) { e.actor_id = 1; }},
      {"actor", [](AuditEntry& e) { e.actor = "someone-else"; }},
      {"action", [](AuditEntry& e) { e.action = "user.create"; }},
      {"object_type", [](AuditEntry& e) { e.object_type = "case"; }},
      {"object_id", [](AuditEntry& e) { e.object_id = "999"; }},
      {"from_json", [](AuditEntry& e) { e.from_json = R"({"role":"admin"})"; }},
      {"to_json", [](AuditEntry& e) { e.to_json = R"({"role":"admin"})"; }},
      {"reason", [](AuditEntry& e) { e.reason = "无"; }},
      {"prev_hash", [](AuditEntry& e) { e.prev_hash[0] = e.prev_hash[0] == 'a' ? 'b' : 'a'; }},
  };
  for (const auto& [field, edit] : edits) {
    auto log = Chain(40);
    edit(log[16]);
    auto report = Verify(log);
    ASSERT_FALSE(report.ok()) << field;
    EXPECT_EQ(report.problem_count, 1) << field << "\n" << report.Summary();
    EXPECT_EQ(report.problems.front().seq, 17) << field;
    EXPECT_EQ(report.problems.front().kind, Kind::kHashMismatch) << field;
    EXPECT_NE(report.problems.front().message.find("entry 17 ("), std::string::npos) << field;
    EXPECT_NE(report.problems.front().message.find("changed after it was written"),
              std::string::npos)
        << field;
    EXPECT_EQ(report.entries_verified, 39) << field;
  }
}

TEST(AuditChainTest, MessageSaysWhatWhoAndWhen) {
  auto log = Chain(40);
  log[16].reason = "改过";  // entry 17: odd, so org.department.upsert by admin
  auto report = Verify(log);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().message,
            "entry 17 (org.department.upsert by admin at 2026-11-21T00:00:17Z) does not match "
            "its hash: it was changed after it was written");
  EXPECT_NE(report.ToStatus().message().find("entry 17"), std::string::npos);
  EXPECT_NE(report.Summary().find("FAILED"), std::string::npos);
}

TEST(AuditChainTest, EditedStoredHashIsNamed) {
  auto log = Chain(40);
  log[16].hash[5] = log[16].hash[5] == '0' ? '1' : '0';
  auto report = Verify(log);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().seq, 17);
}

TEST(AuditChainTest, RemovedMiddleEntryIsNamed) {
  auto log = Chain(50);
  log.erase(log.begin() + 40);  // entry 41
  auto report = Verify(log);
  ASSERT_EQ(report.problem_count, 1) << report.Summary();
  EXPECT_EQ(report.problems.front().kind, Kind::kMissing);
  EXPECT_EQ(report.problems.front().seq, 41);
  EXPECT_EQ(report.problems.front().message, "entry 41 is missing: the log jumps from 40 to 42");
}

TEST(AuditChainTest, RemovedRunAndRemovedStartAreNamed) {
  auto log = Chain(50);
  log.erase(log.begin() + 40, log.begin() + 43);  // entries 41–43
  auto report = Verify(log);
  EXPECT_EQ(report.problems.front().message,
            "entries 41–43 are missing: the log jumps from 40 to 44");

  log = Chain(10);
  log.erase(log.begin(), log.begin() + 3);
  report = Verify(log);
  EXPECT_EQ(report.problems.front().seq, 1);
  EXPECT_EQ(report.problems.front().message, "entries 1–3 are missing: the log starts at entry 4");
}

// A removed last entry leaves a shorter but perfectly consistent chain: nothing in the log
// itself can show it. Only a checkpoint covering the removed entry does.
TEST(AuditChainTest, RemovedLastEntryIsDetectedOnlyByALaterCheckpoint) {
  auto key = Key();
  auto log = Chain(40);
  AuditCheckpoint cp = Sign(key, log, 40);
  log.pop_back();

  EXPECT_TRUE(Verify(log).ok()) << "without a checkpoint a truncated log cannot be told apart";

  auto report = Verify(log, {{cp, "kept by the superior office"}});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, Kind::kTruncated);
  EXPECT_EQ(report.problems.front().seq, 40);
  EXPECT_NE(report.problems.front().message.find("entry 40 was removed from the end"),
            std::string::npos)
      << report.problems.front().message;
}

TEST(AuditChainTest, ReplacedPredecessorIsNamed) {
  // Entry 17 rewritten with its own hash recomputed, entry 18 untouched.
  auto log = Chain(40);
  log[16].reason = "改写";
  log[16].hash = EntryHash(log[16]);
  auto report = Verify(log);
  ASSERT_EQ(report.problem_count, 1) << report.Summary();
  EXPECT_EQ(report.problems.front().kind, Kind::kReplaced);
  EXPECT_EQ(report.problems.front().seq, 17);
  EXPECT_NE(report.problems.front().message.find("entry 17 ("), std::string::npos);
}

TEST(AuditChainTest, ReplacedFirstEntryIsNamed) {
  auto log = Chain(5);
  log[0].prev_hash = std::string(64, 'f');
  Rechain(log, 1);
  log[0].hash = EntryHash(log[0]);
  Rechain(log, 1);
  auto report = Verify(log);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().seq, 1);
  EXPECT_NE(report.problems.front().message.find("genesis"), std::string::npos);
}

// An attacker with the file recomputes every hash after an edit: the chain is consistent
// again, and only a checkpoint made before the rewrite shows it.
TEST(AuditChainTest, RechainedRewriteIsDetectedByAnEarlierCheckpoint) {
  auto key = Key();
  auto log = Chain(40);
  AuditCheckpoint early = Sign(key, log, 5);
  AuditCheckpoint kept = Sign(key, log, 30);
  log[9].reason = "改写历史";  // entry 10
  Rechain(log, 9);

  EXPECT_TRUE(Verify(log).ok()) << "a re-chained log is self-consistent";

  auto report = Verify(log, {{kept, "from kept.json"}, {early, "stored in the database"}});
  ASSERT_EQ(report.problem_count, 1) << report.Summary();
  EXPECT_EQ(report.problems.front().kind, Kind::kCheckpointMismatch);
  EXPECT_EQ(report.problems.front().seq, 30);
  EXPECT_NE(report.problems.front().message.find("somewhere in entries 6–30"), std::string::npos)
      << report.problems.front().message;
  EXPECT_NE(report.problems.front().message.find("from kept.json"), std::string::npos);
  EXPECT_EQ(report.checkpoints_checked, 2);
  EXPECT_EQ(report.checkpoints_matched, 1);
}

// With the key the attacker can also sign new checkpoints over the rewritten log; they verify
// on their own, but a checkpoint kept elsewhere still disagrees, and a new key is refused by
// whoever knows the published one.
TEST(AuditChainTest, ResignedRewriteIsCaughtByAKeptCheckpointAndThePublishedKey) {
  auto key = Key();
  auto log = Chain(40);
  AuditCheckpoint kept = Sign(key, log, 30);
  log[9].reason = "改写历史";
  Rechain(log, 9);
  AuditCheckpoint resigned = Sign(key, log, 40);
  auto report = Verify(log, {{resigned, "stored"}});
  EXPECT_TRUE(report.ok()) << "with the key, a rewritten log and its checkpoints agree";
  report = Verify(log, {{resigned, "stored"}, {kept, "kept"}});
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, Kind::kCheckpointMismatch);

  auto other = Key();
  AuditCheckpoint forged = Sign(other, log, 40);
  VerifyOptions trust;
  trust.trusted_public_keys = {key.PublicKeyText()};
  report = Verify(log, {{forged, "stored"}}, trust);
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, Kind::kCheckpointUntrusted);
  EXPECT_TRUE(report.keys_trusted);
}

TEST(AuditCheckpointTest, SignedCheckpointVerifies) {
  auto key = Key();
  auto log = Chain(10);
  auto cp = Sign(key, log, 10);
  EXPECT_EQ(cp.size, 10);
  EXPECT_EQ(cp.head_hash, log.back().hash);
  EXPECT_EQ(cp.public_key, key.PublicKeyText());
  EXPECT_EQ(cp.signature.size(), 128u);
  EXPECT_TRUE(VerifyCheckpoint(cp).ok());
  EXPECT_TRUE(VerifyCheckpoint(cp, key.PublicKeyText()).ok());
  auto report = Verify(log, {{cp, "stored"}});
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.checkpoints_matched, 1);
}

TEST(AuditCheckpointTest, ForgedSignatureIsRefused) {
  auto key = Key();
  auto log = Chain(10);
  auto cp = Sign(key, log, 10);
  auto flipped = cp;
  flipped.signature[10] = flipped.signature[10] == '0' ? '1' : '0';
  Status s = VerifyCheckpoint(flipped);
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("does not verify"), std::string::npos) << s.message();

  // Every signed field is bound: the same signature over another size, head or time fails.
  auto bigger = cp;
  bigger.size = 11;
  EXPECT_FALSE(VerifyCheckpoint(bigger).ok());
  auto other_head = cp;
  other_head.head_hash = log[8].hash;
  EXPECT_FALSE(VerifyCheckpoint(other_head).ok());
  auto later = cp;
  later.at += std::chrono::milliseconds(1);
  EXPECT_FALSE(VerifyCheckpoint(later).ok());

  auto report = Verify(log, {{flipped, "stored"}});
  ASSERT_FALSE(report.ok());
  EXPECT_EQ(report.problems.front().kind, Kind::kCheckpointInvalid);
}

TEST(AuditCheckpointTest, WrongPublicKeyIsRefused) {
  auto key = Key();
  auto other = Key();
  auto cp = Sign(key, Chain(3), 3);
  Status s = VerifyCheckpoint(cp, other.PublicKeyText());
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("not by the expected key"), std::string::npos) << s.message();
  // Swapping in the other public key does not help: the signature no longer verifies.
  auto swapped = cp;
  swapped.public_key = other.PublicKeyText();
  EXPECT_FALSE(VerifyCheckpoint(swapped, other.PublicKeyText()).ok());
}

TEST(AuditCheckpointTest, MalformedCheckpointsAreRefused) {
  auto key = Key();
  EXPECT_FALSE(SignCheckpoint(key, 0, std::string(kGenesisHash), T(0)).ok());
  EXPECT_FALSE(SignCheckpoint(key, 1, "abc", T(0)).ok());
  EXPECT_FALSE(SignCheckpoint(key, 1, std::string(64, 'A'), T(0)).ok());
  auto cp = Sign(key, Chain(3), 3);
  auto bad = cp;
  bad.public_key = "zz";
  EXPECT_EQ(VerifyCheckpoint(bad).code(), StatusCode::kInvalidArgument);
  bad = cp;
  bad.signature.pop_back();
  EXPECT_EQ(VerifyCheckpoint(bad).code(), StatusCode::kInvalidArgument);
}

TEST(AuditCheckpointTest, MessageHasTheDomainPrefix) {
  std::string m = CheckpointMessage(3, kGenesisHash, T(5));
  EXPECT_EQ(m.substr(0, kCheckpointDomain.size()), kCheckpointDomain);
  EXPECT_EQ(m.size(), kCheckpointDomain.size() + 1 + 16 + 64);
}

TEST(AuditCheckpointTest, JsonRoundTrips) {
  auto key = Key();
  auto cp = Sign(key, Chain(3), 3);
  std::string json = CheckpointToJson(cp);
  EXPECT_EQ(json.find('\n'), std::string::npos);
  EXPECT_NE(json.find(R"("format":"yuqing-audit-checkpoint-v1")"), std::string::npos);
  EXPECT_NE(json.find(R"("at":"2026-11-21T00:01:39Z")"), std::string::npos) << json;
  auto back = CheckpointFromJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->size, cp.size);
  EXPECT_EQ(back->head_hash, cp.head_hash);
  EXPECT_EQ(back->at, cp.at);
  EXPECT_EQ(back->public_key, cp.public_key);
  EXPECT_EQ(back->signature, cp.signature);
  EXPECT_TRUE(VerifyCheckpoint(*back).ok());
}

TEST(AuditCheckpointTest, CheckpointFilesInEveryForm) {
  auto key = Key();
  auto log = Chain(5);
  std::string a = CheckpointToJson(Sign(key, log, 2));
  std::string b = CheckpointToJson(Sign(key, log, 5));
  const std::string forms[] = {a, fmt::format("[{},{}]", a, b),
                               fmt::format("# kept\n{}\n\n{}\n", a, b)};
  for (const std::string& text : forms) {
    auto cps = ParseCheckpointFile(text);
    ASSERT_TRUE(cps.ok()) << cps.status().ToString() << "\n" << text;
    EXPECT_TRUE(VerifyCheckpoint(cps->front()).ok());
  }
  auto two = ParseCheckpointFile(a + "\n" + b);
  ASSERT_TRUE(two.ok());
  EXPECT_EQ(two->size(), 2u);

  auto missing = CheckpointFromJson(R"({"size":3,"at_ms":1,"public_key":"","signature":""})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("head_hash"), std::string::npos);
  auto bad_line = ParseCheckpointFile(a + "\n{oops\n");
  ASSERT_FALSE(bad_line.ok());
  EXPECT_NE(bad_line.status().message().find("line 2"), std::string::npos)
      << bad_line.status().message();
  EXPECT_FALSE(ParseCheckpointFile("  \n").ok());
  EXPECT_FALSE(CheckpointFromJson(R"({"format":"other","size":1})").ok());
}

TEST(AuditKeyTest, TextRoundTripsAndSignsTheSame) {
  auto key = Key();
  std::string text = key.ToText();
  EXPECT_NE(text.find("# public key: " + key.PublicKeyText()), std::string::npos);
  EXPECT_NE(text.find("ed25519-seed: "), std::string::npos);
  auto back = SigningKey::FromText(text);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->PublicKeyText(), key.PublicKeyText());
  // Ed25519 signatures are deterministic: the same key gives the same signature.
  EXPECT_EQ(back->Sign("m"), key.Sign("m"));

  // A bare seed line, upper case, works too.
  std::string seed = text.substr(text.find("ed25519-seed: ") + 14, 64);
  for (char& c : seed) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto bare = SigningKey::FromText(seed + "\n");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->PublicKeyText(), key.PublicKeyText());
}

TEST(AuditKeyTest, BadKeyTextIsRefusedWithoutEchoingIt) {
  auto none = SigningKey::FromText("# nothing here\n");
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  auto short_seed = SigningKey::FromText("ed25519-seed: 0123abcd\n");
  ASSERT_FALSE(short_seed.ok());
  EXPECT_EQ(short_seed.status().message().find("0123abcd"), std::string::npos);
  auto key = Key();
  auto two = SigningKey::FromText(key.ToText() + key.ToText());
  EXPECT_FALSE(two.ok());
}

TEST(AuditKeyTest, MovedFromKeyIsWiped) {
  auto key = Key();
  std::string pub = key.PublicKeyText();
  SigningKey moved = std::move(key);
  EXPECT_EQ(moved.PublicKeyText(), pub);
  auto cp = SignCheckpoint(moved, 1, std::string(kGenesisHash), T(0));
  ASSERT_TRUE(cp.ok());
  EXPECT_TRUE(VerifyCheckpoint(*cp, pub).ok());
}

TEST(ChainVerifierTest, OutOfOrderEntriesAreReported) {
  auto log = Chain(5);
  std::swap(log[2], log[3]);
  auto report = Verify(log);
  EXPECT_FALSE(report.ok());
  bool saw = false;
  for (const auto& p : report.problems) saw = saw || p.kind == Kind::kOutOfOrder;
  EXPECT_TRUE(saw) << report.Summary();
}

TEST(ChainVerifierTest, LateCheckpointIsRefused) {
  auto key = Key();
  auto log = Chain(5);
  ChainVerifier v;
  for (const auto& e : log) ASSERT_TRUE(v.Add(e).ok());
  EXPECT_FALSE(v.ExpectCheckpoint(Sign(key, log, 3), "late").ok());
}

TEST(ChainVerifierTest, AddReturnsTheProblemOfThatEntry) {
  auto log = Chain(5);
  log[2].actor = "x";
  ChainVerifier v;
  EXPECT_TRUE(v.Add(log[0]).ok());
  EXPECT_TRUE(v.Add(log[1]).ok());
  Status s = v.Add(log[2]);
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(s.message().find("entry 3"), std::string::npos);
  EXPECT_TRUE(v.Add(log[3]).ok());
}

TEST(ChainVerifierTest, ProblemsAreCappedButCounted) {
  auto log = Chain(50);
  for (auto& e : log) e.reason += "!";
  VerifyOptions options;
  options.max_problems = 5;
  auto report = Verify(log, {}, options);
  EXPECT_EQ(report.problem_count, 50);
  EXPECT_EQ(report.problems.size(), 5u);
  EXPECT_EQ(report.problems.front().seq, 1);
  EXPECT_NE(report.Summary().find("and 45 more"), std::string::npos);
  EXPECT_NE(report.ToStatus().message().find("(and 49 more problems)"), std::string::npos);
}

TEST(ChainVerifierTest, ManyCheckpointsAreMatched) {
  auto key = Key();
  auto log = Chain(200);
  std::vector<Kept> kept;
  for (int64_t s = 200; s >= 1; s -= 7) kept.push_back({Sign(key, log, s), "stored"});
  auto report = Verify(log, kept);
  EXPECT_TRUE(report.ok()) << report.Summary();
  EXPECT_EQ(report.checkpoints_matched, static_cast<int>(kept.size()));
}

TEST(ChainVerifierTest, ExtremeTimesDoNotBreakMessages) {
  auto log = Chain(3);
  log[1].at = core::TimePoint(std::chrono::milliseconds(INT64_MIN));
  auto report = Verify(log);
  ASSERT_FALSE(report.ok());
  EXPECT_NE(report.problems.front().message.find(" ms)"), std::string::npos);
}

}  // namespace
}  // namespace yuqing::audit
