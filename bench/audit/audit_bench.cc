// Audit log speed (issue: tamper-evident audit log). Builds a real SQLite file with N chained
// entries appended in write transactions of `--batch` entries (as the store does, one
// AuditAppender on the writer), signs and keeps a checkpoint, then times what
// `yuqing audit verify` does: a fresh read-only connection scanning in batches of 10,000
// (ScanAudit) into the ChainVerifier, checked against the stored checkpoint. It also times the
// verifier alone over entries already in memory, to separate SHA-256 from SQLite reads.
// Target: verify over 1,000,000 entries in at most 10 s.
//
//   build/release/bench/audit/audit_bench [--entries 1000000] [--batch 10000] [--dir DIR]
//                                         [--keep]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "audit/audit.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_db.h"

namespace {

namespace sq = yuqing::store::sqlite;
namespace audit = yuqing::audit;
using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

void Check(const yuqing::Status& s, const char* what) {
  if (!s.ok()) {
    std::fprintf(stderr, "%s: %s\n", what, s.ToString().c_str());
    std::exit(1);
  }
}

// Entries shaped like the real ones: a user's role change, a department edit, a routing
// decision with its reason (about 330 bytes of content each).
yuqing::model::AuditDraft Draft(int64_t i) {
  yuqing::model::AuditDraft d;
  d.at = yuqing::core::TimePoint(std::chrono::milliseconds(1795219200000 + i * 250));
  switch (i % 3) {
    case 0:
      d.actor_id = 7;
      d.actor = "admin";
      d.action = "user.role";
      d.object_type = "user";
      d.object_id = std::to_string(100 + i % 5000);
      d.from_json = R"({"role":"monitor","department_id":"","region_code":"140400"})";
      d.to_json = R"({"role":"analyst","department_id":"","region_code":"140400"})";
      d.reason = "季度岗位调整";
      break;
    case 1:
      d.actor_id = 0;
      d.actor = "cli:root";
      d.action = "org.department.upsert";
      d.object_type = "department";
      d.object_id = "dept-" + std::to_string(i % 800);
      d.from_json = R"({"name":"长治市卫生健康委员会","region_code":"140400","kind":"health"})";
      d.to_json = R"({"name":"长治市卫生健康委员会","region_code":"140400","kind":"health",)"
                  R"("spokesperson":"李四（示例）"})";
      d.reason = "更新新闻发言人";
      break;
    default:
      d.actor_id = 0;
      d.actor = "system";
      d.action = "routing.decide";
      d.object_type = "event";
      d.object_id = std::to_string(900000 + i);
      d.to_json = R"({"department_id":"dept-17","region_code":"140402","level":"county"})";
      d.reason = "属地管理：事件发生在潞州区；主管部门：卫生健康";
      break;
  }
  return d;
}

int Run(int argc, char** argv) {
  int64_t entries = 1000000;
  int batch = 10000;
  std::string dir;
  bool keep = false;
  std::string command = argv[0];
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    command += " " + a;
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "%s needs a value\n", a.c_str());
        std::exit(2);
      }
      command += std::string(" ") + argv[i + 1];
      return argv[++i];
    };
    if (a == "--entries") {
      entries = std::atoll(next().c_str());
    } else if (a == "--batch") {
      batch = std::atoi(next().c_str());
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--keep") {
      keep = true;
    } else {
      std::fprintf(stderr, "usage: audit_bench [--entries N] [--batch N] [--dir DIR] [--keep]\n");
      return 2;
    }
  }
  if (entries < 1 || batch < 1) {
    std::fprintf(stderr, "--entries and --batch must be at least 1\n");
    return 2;
  }
  bool made_dir = dir.empty();
  if (dir.empty()) {
    dir = (std::filesystem::temp_directory_path() /
           ("yuqing-audit-bench-" + std::to_string(::getpid())))
              .string();
  }
  std::filesystem::create_directories(dir);
  std::string path = dir + "/audit.db";
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);

  std::printf("$ %s\n", command.c_str());
  std::printf("database: %s\n", path.c_str());

  // ---- Build ----
  auto writer = sq::Db::Open(path, false);
  Check(writer.status(), "open");
  sq::Db& db = **writer;
  Check(db.Exec("PRAGMA journal_mode = WAL"), "wal");
  Check(db.Exec("PRAGMA synchronous = NORMAL"), "synchronous");
  // The store's writer settings (sqlite_store_impl.h): a 64 MiB page cache.
  Check(db.Exec("PRAGMA cache_size = -65536"), "cache_size");
  Check(db.Exec(sq::kAuditSchema), "schema");
  auto start = Clock::now();
  {
    sq::AuditAppender appender(db);
    for (int64_t done = 0; done < entries;) {
      Check(db.Exec("BEGIN IMMEDIATE"), "begin");
      for (int j = 0; j < batch && done < entries; ++j) {
        auto e = appender.AppendLocked(Draft(++done));
        Check(e.status(), "append");
      }
      Check(db.Exec("COMMIT"), "commit");
    }
  }
  double append_s = Seconds(start);

  auto key = audit::SigningKey::Generate();
  Check(key.status(), "key");
  auto head = sq::AuditHead(db);
  Check(head.status(), "head");
  auto cp = audit::SignCheckpoint(*key, (*head)->seq, (*head)->hash, (*head)->at);
  Check(cp.status(), "sign");
  Check(db.Exec("BEGIN IMMEDIATE"), "begin");
  Check(sq::PutCheckpointLocked(db, *cp), "checkpoint");
  Check(db.Exec("COMMIT"), "commit");
  Check(db.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), "wal checkpoint");
  writer->reset();
  auto file_bytes = std::filesystem::file_size(path);

  // ---- Verify, as `yuqing audit verify` does ----
  start = Clock::now();
  auto reader = sq::Db::Open(path, true);
  Check(reader.status(), "open reader");
  auto stored = sq::ListCheckpoints(**reader);
  Check(stored.status(), "checkpoints");
  std::vector<audit::CheckpointSource> sources;
  for (const auto& c : *stored) sources.push_back({c, "stored in the database"});
  auto report = audit::VerifyLog(
      [&](int64_t after, int limit) { return sq::ScanAudit(**reader, after, limit); }, sources);
  Check(report.status(), "verify");
  double verify_s = Seconds(start);
  if (!report->ok() || report->entries_verified != entries || report->checkpoints_matched != 1) {
    std::fprintf(stderr, "verification failed:\n%s", report->Summary().c_str());
    return 1;
  }

  // ---- The verifier alone (entries in memory) ----
  std::vector<yuqing::model::AuditEntry> all;
  all.reserve(static_cast<size_t>(entries));
  for (int64_t after = 0;;) {
    auto part = sq::ScanAudit(**reader, after, 100000);
    Check(part.status(), "scan");
    if (part->empty()) break;
    after = part->back().seq;
    for (auto& e : *part) all.push_back(std::move(e));
  }
  start = Clock::now();
  audit::ChainVerifier verifier;
  for (const auto& e : all) (void)verifier.Add(e);
  auto mem_report = verifier.Finish();
  double hash_s = Seconds(start);
  if (!mem_report.ok()) {
    std::fprintf(stderr, "in-memory verification failed\n");
    return 1;
  }

  double n = static_cast<double>(entries);
  std::printf("entries: %lld, %d per write transaction, file %.1f MiB\n",
              static_cast<long long>(entries), batch, static_cast<double>(file_bytes) / 1048576.0);
  std::printf("append (chain + insert, synchronous=NORMAL): %.2f s  (%.0f entries/s)\n", append_s,
              n / append_s);
  std::printf(
      "verify (read-only scan + chain + stored checkpoint): %.2f s  (%.0f entries/s)  "
      "target <= 10 s for 1M\n",
      verify_s, n / verify_s);
  std::printf("verifier alone (entries in memory): %.2f s  (%.2f us/entry)\n", hash_s,
              hash_s * 1e6 / n);
  std::printf("%s", report->Summary().c_str());
  reader->reset();
  // Only what the bench wrote goes: a --dir given by the user may hold other files.
  if (!keep) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path + suffix);
    if (made_dir) std::filesystem::remove(dir);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {  // std::filesystem reports errors by throwing
    std::fprintf(stderr, "audit_bench: %s\n", e.what());
    return 1;
  }
}
