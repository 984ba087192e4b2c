// End-to-end: the tamper-evident audit log with the real `yuqing` binary. Changes made with the
// CLI are audited; an attacker who opens the SQLite file directly (sqlite3 C API), drops the
// append-only triggers and edits, removes or truncates entries is named by `yuqing audit
// verify`; a checkpoint kept outside the database catches what the database alone cannot.
// Then the permission table through the real server on loopback.
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Changzhi() { return (SourceDir() / "data" / "org" / "changzhi.toml").string(); }

::testing::AssertionResult Has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess() << "\"" << part << "\" is in:\n" << text;
  }
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

// What SQL run directly on the file did: "" and the rows changed, or SQLite's error message.
struct SqlResult {
  std::string error;
  int changes = 0;
};

// Runs `sql` on the database file as someone holding the file would, outside yuqing.
SqlResult Attack(const std::string& db, const std::string& sql) {
  sqlite3* conn = nullptr;
  SqlResult out;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    out.error = conn ? sqlite3_errmsg(conn) : "cannot open";
    sqlite3_close(conn);
    return out;
  }
  char* err = nullptr;
  int before = sqlite3_total_changes(conn);
  if (sqlite3_exec(conn, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    out.error = err ? err : "failed";
    sqlite3_free(err);
  }
  out.changes = sqlite3_total_changes(conn) - before;
  sqlite3_close(conn);
  return out;
}

class AuditTest : public ::testing::Test {
 protected:
  void SetUp() override { db_ = dir_.File("y.db"); }

  RunResult Cli(std::vector<std::string> args, const std::string& stdin_data = "") {
    args.insert(args.begin(), YuqingBinary());
    args.insert(args.end(), {"--db", db_, "--lang", "en"});
    return RunCommand(args, stdin_data);
  }

  // Four audited changes, made the way an office makes them:
  //   1 user.create  zhao (monitor)
  //   2 user.role    zhao monitor → analyst
  //   3 org.replace  the 长治 organisation
  //   4 user.update  zhao's display name
  void MakeHistory() {
    RunResult add = Cli({"users", "add", "zhao", "--role", "monitor", "--password-stdin"},
                        "Cz-office-pass-2026\n");
    ASSERT_EQ(add.code, 0) << add.err;
    RunResult role = Cli({"users", "set", "zhao", "--role", "analyst", "--reason", "promoted"});
    ASSERT_EQ(role.code, 0) << role.err;
    RunResult org = Cli({"org", "import", Changzhi()});
    ASSERT_EQ(org.code, 0) << org.err;
    RunResult name = Cli({"users", "set", "zhao", "--display-name", "赵（示例）"});
    ASSERT_EQ(name.code, 0) << name.err;
    json entries = Entries();
    ASSERT_EQ(entries.size(), 4u) << entries.dump(2);
    EXPECT_EQ(entries[0]["action"], "user.update");
    EXPECT_EQ(entries[1]["action"], "org.replace");
    EXPECT_EQ(entries[2]["action"], "user.role");
    EXPECT_EQ(entries[2]["reason"], "promoted");
    EXPECT_EQ(entries[3]["action"], "user.create");
  }

  // `yuqing audit log --json`: newest first.
  json Entries() {
    RunResult r = Cli({"audit", "log", "--json"});
    EXPECT_EQ(r.code, 0) << r.err;
    return json::parse(r.out, nullptr, false)["entries"];
  }

  json VerifyJson(std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"audit", "verify", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunResult r = Cli(args);
    json j = json::parse(r.out, nullptr, false);
    j["exit_code"] = r.code;
    return j;
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(AuditTest, AnEntryChangedInTheFileIsNamedAsTheFirstThatDoesNotMatch) {
  ASSERT_NO_FATAL_FAILURE(MakeHistory());
  RunResult intact = Cli({"audit", "verify"});
  ASSERT_EQ(intact.code, 0) << intact.out << intact.err;
  EXPECT_TRUE(Has(intact.out, "audit log: 4 entries scanned (entries 1–4), 4 verified; head "));
  EXPECT_TRUE(Has(intact.out, "checkpoints: 0 checked, 0 match\n"));
  EXPECT_TRUE(Has(intact.out, "OK: every entry matches its hash and its predecessor\n"));

  // The trigger refuses a change through SQL; the attacker drops it and hides the promotion
  // to analyst by writing that zhao became a monitor instead.
  SqlResult refused = Attack(db_, "UPDATE audit_log SET reason = 'routine' WHERE seq = 2");
  EXPECT_EQ(refused.error, "audit_log is append-only: entries cannot be changed");
  SqlResult changed =
      Attack(db_,
             "DROP TRIGGER audit_log_no_update;"
             "UPDATE audit_log SET to_json = replace(to_json, '\"analyst\"', '\"monitor\"') "
             "WHERE seq = 2 AND instr(to_json, '\"analyst\"') > 0");
  ASSERT_EQ(changed.error, "");
  ASSERT_EQ(changed.changes, 1);

  RunResult tampered = Cli({"audit", "verify"});
  EXPECT_EQ(tampered.code, 1);
  EXPECT_TRUE(Has(tampered.out, "audit log: 4 entries scanned (entries 1–4), 3 verified"));
  EXPECT_TRUE(
      Has(tampered.out, "FAILED: 1 problem; the first entry that does not match is entry 2\n"));
  std::regex named(
      "  - entry 2 \\(user\\.role by cli:[^ ]+ at 20\\d\\d-[0-9T:.-]+Z\\) does not match its hash: "
      "it was changed after it was written\n");
  EXPECT_TRUE(std::regex_search(tampered.out, named)) << tampered.out;

  json report = VerifyJson();
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["problem_count"], 1);
  EXPECT_EQ(report["entries_scanned"], 4);
  EXPECT_EQ(report["entries_verified"], 3);
  ASSERT_TRUE(report["first_problem"].is_object()) << report.dump(2);
  EXPECT_EQ(report["first_problem"]["seq"], 2);
  EXPECT_TRUE(Has(report["first_problem"]["message"].get<std::string>(),
                  "does not match its hash: it was changed after it was written"));
  EXPECT_EQ(report["problems"].size(), 1u);
}

TEST_F(AuditTest, AnEntryRemovedFromTheMiddleIsNamedMissing) {
  ASSERT_NO_FATAL_FAILURE(MakeHistory());
  SqlResult refused = Attack(db_, "DELETE FROM audit_log WHERE seq = 3");
  EXPECT_EQ(refused.error, "audit_log is append-only: entries cannot be removed");
  SqlResult removed =
      Attack(db_, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3");
  ASSERT_EQ(removed.error, "");
  ASSERT_EQ(removed.changes, 1);

  RunResult r = Cli({"audit", "verify"});
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(Has(r.out, "audit log: 3 entries scanned (entries 1–4), 3 verified"));
  EXPECT_TRUE(Has(r.out, "FAILED: 1 problem; the first entry that does not match is entry 3\n"));
  EXPECT_TRUE(Has(r.out, "  - entry 3 is missing: the log jumps from 2 to 4\n"));
  json report = VerifyJson();
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["first_problem"],
            json({{"seq", 3}, {"message", "entry 3 is missing: the log jumps from 2 to 4"}}));
}

TEST_F(AuditTest, EntriesRemovedFromTheEndAreCaughtByACheckpointKeptOutside) {
  ASSERT_NO_FATAL_FAILURE(MakeHistory());
  RunResult signed_ = Cli({"audit", "checkpoint", "--json"});
  ASSERT_EQ(signed_.code, 0) << signed_.err;
  ASSERT_EQ(std::count(signed_.out.begin(), signed_.out.end(), '\n'), 1) << signed_.out;
  json checkpoint = json::parse(signed_.out);
  EXPECT_EQ(checkpoint["format"], "yuqing-audit-checkpoint-v1");
  EXPECT_EQ(checkpoint["size"], 4);
  EXPECT_EQ(checkpoint["head_hash"], Entries()[0]["hash"]);
  EXPECT_TRUE(
      std::regex_match(checkpoint["public_key"].get<std::string>(), std::regex("[0-9a-f]{64}")));
  EXPECT_TRUE(
      std::regex_match(checkpoint["signature"].get<std::string>(), std::regex("[0-9a-f]{128}")));
  // The superior office keeps the line.
  const std::string kept = dir_.File("kept-checkpoints.txt");
  WriteFile(kept, "# received from the county office\n" + signed_.out);

  SqlResult truncated =
      Attack(db_, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 4");
  ASSERT_EQ(truncated.error, "");
  ASSERT_EQ(truncated.changes, 1);

  // `yuqing audit checkpoint` also keeps the checkpoint in the database, so removing the last
  // entry alone is caught without the kept file.
  RunResult stored = Cli({"audit", "verify"});
  EXPECT_EQ(stored.code, 1);
  EXPECT_TRUE(Has(stored.out,
                  "(stored in the database) says the log had 4 entries, but it ends "
                  "at entry 3: entry 4 was removed from the end\n"));
  EXPECT_TRUE(
      Has(stored.out, "FAILED: 1 problem; the first entry that does not match is entry 4\n"));

  // An attacker who also removes the stored checkpoints leaves a shorter chain that is still a
  // valid chain: the database alone cannot tell (docs/audit.md, "What tamper-evident means").
  SqlResult hidden =
      Attack(db_, "DROP TRIGGER audit_checkpoints_no_delete; DELETE FROM audit_checkpoints");
  ASSERT_EQ(hidden.error, "");
  ASSERT_GE(hidden.changes, 1);
  RunResult fooled = Cli({"audit", "verify"});
  EXPECT_EQ(fooled.code, 0) << fooled.out;
  EXPECT_TRUE(Has(fooled.out, "audit log: 3 entries scanned (entries 1–3), 3 verified"));
  EXPECT_TRUE(Has(fooled.out, "checkpoints: 0 checked, 0 match\n"));

  // The checkpoint kept outside shows it.
  RunResult caught = Cli({"audit", "verify", "--checkpoint", kept});
  EXPECT_EQ(caught.code, 1);
  EXPECT_TRUE(Has(caught.out,
                  "checkpoints: 1 checked, 0 match (signatures checked against the "
                  "published key)\n"));
  EXPECT_TRUE(
      Has(caught.out, "FAILED: 1 problem; the first entry that does not match is entry 4\n"));
  EXPECT_TRUE(Has(caught.out,
                  "(kept outside) says the log had 4 entries, but it ends at entry 3: "
                  "entry 4 was removed from the end\n"));
  json report = VerifyJson({"--checkpoint", kept});
  EXPECT_EQ(report["exit_code"], 1);
  EXPECT_EQ(report["ok"], false);
  EXPECT_EQ(report["last_seq"], 3);
  EXPECT_EQ(report["checkpoints_checked"], 1);
  EXPECT_EQ(report["first_problem"]["seq"], 4);
  EXPECT_TRUE(Has(report["first_problem"]["message"].get<std::string>(),
                  "entry 4 was removed from the end"));

  // A kept file that is not a checkpoint is refused with its name, not ignored.
  const std::string junk = dir_.File("junk.txt");
  WriteFile(junk, "not a checkpoint\n");
  RunResult refused = Cli({"audit", "verify", "--checkpoint", junk});
  EXPECT_EQ(refused.code, 1);
  EXPECT_TRUE(Has(refused.err, junk));
}

// A server's answer: the HTTP status (0 when the request failed) and the body as JSON.
struct Answer {
  int status = 0;
  json body;
};

TEST_F(AuditTest, TheServerChecksEachEndpointsPermissionForTheTokensUser) {
  const std::string admin = CreateApiToken(db_, "it");
  ASSERT_FALSE(admin.empty());
  ASSERT_EQ(Cli({"org", "import", Changzhi()}).code, 0);
  RunResult leader = Cli({"users", "add", "li.si", "--role", "leader", "--region", "140400"});
  ASSERT_EQ(leader.code, 0) << leader.err;
  RunResult made = Cli({"tokens", "create", "li.si-script", "--user", "li.si"});
  ASSERT_EQ(made.code, 0) << made.err;
  const std::string lead = made.out.substr(0, made.out.find('\n'));

  int port = 0;
  auto server = StartServer(db_, &port);
  ASSERT_NE(port, 0) << server->Stderr();
  auto ask = [&](const std::string& token, const std::string& method, const std::string& path,
                 const std::string& body = "") {
    httplib::Client c("127.0.0.1", port);
    c.set_bearer_token_auth(token);
    c.set_read_timeout(20, 0);
    auto res = method == "GET" ? c.Get(path) : c.Put(path, body, "application/json");
    Answer a;
    if (res) {
      a.status = res->status;
      a.body = json::parse(res->body, nullptr, false);
    }
    return a;
  };

  Answer put = ask(lead, "PUT", "/api/v1/org", R"({"name":"x","departments":[]})");
  EXPECT_EQ(put.status, 403);
  EXPECT_EQ(put.body["error"]["code"], "permission_denied");
  EXPECT_EQ(put.body["error"]["details"]["permission"], "manage_org");
  EXPECT_EQ(put.body["error"]["message"],
            "li.si (role \"leader\") may not PUT /api/v1/org: it needs permission \"manage_org\", "
            "held by admin");
  Answer users = ask(lead, "GET", "/api/v1/users");
  EXPECT_EQ(users.status, 403);
  EXPECT_EQ(users.body["error"]["code"], "permission_denied");
  EXPECT_EQ(users.body["error"]["details"]["permission"], "manage_users");
  Answer org = ask(lead, "GET", "/api/v1/org");
  EXPECT_EQ(org.status, 200) << org.body.dump();
  EXPECT_EQ(org.body["version"], 1) << "the refused PUT changed nothing";
  // A leader reads the audit log but may not verify it.
  EXPECT_EQ(ask(lead, "GET", "/api/v1/audit").status, 200);
  Answer lead_verify = ask(lead, "GET", "/api/v1/audit/verify");
  EXPECT_EQ(lead_verify.status, 403);
  EXPECT_EQ(lead_verify.body["error"]["details"]["permission"], "manage_audit");
  Answer me = ask(lead, "GET", "/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.body["region_scope"], "1404");

  Answer verify = ask(admin, "GET", "/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify.body.dump();
  EXPECT_EQ(verify.body["ok"], true) << verify.body.dump(2);
  EXPECT_EQ(verify.body["problem_count"], 0);
  // it-admin, its token, the organisation, li.si and its token.
  EXPECT_EQ(verify.body["entries_scanned"], 5);
  EXPECT_EQ(verify.body["keys_trusted"], true);
  // The server signed a checkpoint of the head when it started.
  EXPECT_GE(verify.body["checkpoints_checked"], 1);
  EXPECT_EQ(verify.body["checkpoints_matched"], verify.body["checkpoints_checked"]);
  EXPECT_EQ(ask(admin, "GET", "/api/v1/users").status, 200);
}

}  // namespace
}  // namespace yuqing::testing
