// Design notes (docs/store.md):
// - A post's key is (published_at in ms << 20) | n, with n the first free slot for that
//   millisecond. Keys therefore sort by publication time, so "newest first" and time ranges
//   are rowid scans of the FTS5 index (which keeps its doclists in rowid order) and never
//   need a sort or a join over all matches.
// - posts_fts is contentless (content=''): it stores only the index; the text lives once in
//   `posts`. Columns hold the index terms the caller's tokenizer produced, joined by spaces,
//   and store-encoded identifier terms for source, channel and region (fts_query.h).
// - Every InsertPosts call is one transaction. With synchronous=FULL the commit has reached
//   the disk when it returns, so an acknowledged post survives kill -9 and power loss.
#include "store/sqlite/sqlite_store.h"

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <vector>

#include "store/sqlite/fts_query.h"
#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite {
namespace internal {

// Schema migrations: entry i brings version i to i+1. Never edit a shipped entry; append.
const std::vector<std::string_view>& Migrations() {
  static const std::vector<std::string_view> kMigrations = {
      R"sql(
CREATE TABLE posts (
  key INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  external_id TEXT NOT NULL,
  title TEXT NOT NULL,
  text TEXT NOT NULL,
  published_at INTEGER NOT NULL,
  ingested_at INTEGER NOT NULL,
  url TEXT,
  channel TEXT NOT NULL,
  author_id TEXT,
  author_name TEXT,
  author_followers INTEGER NOT NULL DEFAULT 0,
  author_verified INTEGER NOT NULL DEFAULT 0,
  author_kind TEXT,
  reposts INTEGER NOT NULL DEFAULT 0,
  comments INTEGER NOT NULL DEFAULT 0,
  likes INTEGER NOT NULL DEFAULT 0,
  views INTEGER NOT NULL DEFAULT 0,
  region TEXT,
  parent_source TEXT,
  parent_id TEXT,
  lang TEXT,
  UNIQUE (source, external_id)
);
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, body, author, source, channel, region,
  content = '', tokenize = 'unicode61 remove_diacritics 0'
);
CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
)sql",
      // 1 -> 2: monitoring rules, keyword lists, and the rules each post matched (issue 3).
      // Tags and list words are stored one per line; hit terms in the encoding of
      // EncodeTermHits. rules.version counts rule and list changes (docs/rules.md).
      R"sql(
CREATE TABLE rules (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  query TEXT NOT NULL,
  owner TEXT NOT NULL DEFAULT '',
  tags TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE keyword_lists (
  name TEXT PRIMARY KEY,
  words TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE post_rule_hits (
  post_key INTEGER NOT NULL,
  rule_id INTEGER NOT NULL,
  terms TEXT NOT NULL,
  PRIMARY KEY (post_key, rule_id)
) WITHOUT ROWID;
CREATE INDEX post_rule_hits_by_rule ON post_rule_hits(rule_id, post_key);
INSERT INTO meta(key, value) VALUES('rules.version', '0') ON CONFLICT(key) DO NOTHING;
)sql",
      // 2 -> 3: a `sub` column for terms inside longer words (长治 in 长治市), searched by
      // one-term query words. FTS5 cannot add a column, so the index is recreated empty; a
      // database that already has posts must then be re-indexed (`yuqing reindex`), which the
      // index.tokenizer check asks for.
      R"sql(
DROP TABLE posts_fts;
CREATE VIRTUAL TABLE posts_fts USING fts5(
  title, body, author, source, channel, region, sub,
  content = '', tokenize = 'unicode61 remove_diacritics 0'
);
UPDATE meta SET value = 'none (schema 3: run yuqing reindex)'
  WHERE key = 'index.tokenizer' AND EXISTS (SELECT 1 FROM posts);
DELETE FROM meta WHERE key = 'index.tokenizer' AND NOT EXISTS (SELECT 1 FROM posts);
)sql",
      // 3 -> 4: events and early warning (issue 6). event_queue holds accepted posts until
      // the event stage has processed them (filled by InsertPosts in the post's transaction);
      // post_events keeps each processed post's event and analysis in processing order (seq);
      // events holds the current picture of each event (detail as JSON); event_regions lets
      // the list filter by region; alerts are unique per (event, policy, level); outbox holds
      // one delivery per alert and target until delivered or dead. Written to be re-runnable
      // (IF NOT EXISTS; posts already queued or processed are not queued again).
      R"sql(
CREATE TABLE IF NOT EXISTS event_queue (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  post_key INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS post_events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  post_key INTEGER NOT NULL UNIQUE,
  event_id INTEGER NOT NULL,
  reason TEXT NOT NULL,
  score REAL NOT NULL,
  analysis TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS post_events_by_event ON post_events(event_id, post_key);
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  first_seen INTEGER NOT NULL,
  last_seen INTEGER NOT NULL,
  posts INTEGER NOT NULL,
  authors INTEGER NOT NULL,
  heat REAL NOT NULL,
  grade INTEGER NOT NULL,
  trend TEXT NOT NULL,
  domain TEXT NOT NULL,
  negative_share REAL NOT NULL,
  regions TEXT NOT NULL,
  merged_into INTEGER NOT NULL DEFAULT 0,
  updated_at INTEGER NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_by_heat ON events(merged_into, heat DESC);
CREATE INDEX IF NOT EXISTS events_by_last ON events(merged_into, last_seen DESC);
CREATE TABLE IF NOT EXISTS event_regions (
  code TEXT NOT NULL,
  event_id INTEGER NOT NULL,
  PRIMARY KEY (code, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS event_regions_by_event ON event_regions(event_id);
CREATE TABLE IF NOT EXISTS event_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS event_log_by_event ON event_log(event_id, id);
CREATE TABLE IF NOT EXISTS alert_policies (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  enabled INTEGER NOT NULL DEFAULT 1,
  spec TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS alerts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  policy_id INTEGER NOT NULL,
  level INTEGER NOT NULL,
  previous_level INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  payload TEXT NOT NULL,
  language TEXT NOT NULL,
  acked_at INTEGER,
  acked_by TEXT,
  UNIQUE (event_id, policy_id, level)
);
CREATE TABLE IF NOT EXISTS outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  alert_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  address TEXT NOT NULL,
  secret TEXT NOT NULL,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  delivered_at INTEGER
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(state, next_attempt_at);
CREATE INDEX IF NOT EXISTS outbox_by_alert ON outbox(alert_id);
INSERT INTO meta(key, value) VALUES('alerts.version', '0') ON CONFLICT(key) DO NOTHING;
INSERT INTO event_queue(post_key) SELECT key FROM posts
  WHERE key NOT IN (SELECT post_key FROM event_queue)
    AND key NOT IN (SELECT post_key FROM post_events) ORDER BY key;
)sql",
      // 4 -> 5: accounts and the organisation (issue 12, docs/accounts.md). A token's owner,
      // scope and expiry live beside it in token_grants; tokens made before accounts existed
      // have no row there and keep only what needs no role: ingest. Re-runnable.
      R"sql(
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL DEFAULT '',
  role TEXT NOT NULL,
  department_id TEXT NOT NULL DEFAULT '',
  region_code TEXT NOT NULL DEFAULT '',
  disabled INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS token_grants (
  token_id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL,
  scope TEXT NOT NULL,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS token_grants_by_user ON token_grants(user_id, scope);
CREATE TABLE IF NOT EXISTS organisation (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL,
  doc TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql",
      // 5 -> 6: the append-only, hash-chained audit log and its signed checkpoints
      // (docs/audit.md).
      kAuditSchema,
      // 6 -> 7: cases (docs/cases.md). A case is kept whole as its codec document (doc, see
      // store/case_codec.h) beside the columns the list filters on; case_departments holds
      // every department ever assigned (rewritten from the assignments on each write);
      // case_log is append-only like audit_log. Alerts gain case_id and dedup_key for case
      // notices: before this SQL runs, Migrate() rebuilds the alerts table once
      // (RebuildAlertsForCaseNotices), because SQLite cannot change a table's UNIQUE
      // constraint in place; at most one notice per (case, key) is kept by a partial unique
      // index. Re-runnable.
      R"sql(
CREATE TABLE IF NOT EXISTS cases (
  id INTEGER PRIMARY KEY,
  version INTEGER NOT NULL,
  state TEXT NOT NULL,
  origin TEXT NOT NULL,
  event_id INTEGER NOT NULL DEFAULT 0,
  grade INTEGER NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  handling_region TEXT NOT NULL DEFAULT '',
  title TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  detected_at INTEGER NOT NULL,
  merged_into INTEGER NOT NULL DEFAULT 0,
  sweep_at INTEGER,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS cases_by_state ON cases(state, id);
CREATE INDEX IF NOT EXISTS cases_by_event ON cases(event_id, id);
CREATE INDEX IF NOT EXISTS cases_by_region ON cases(region, id);
CREATE INDEX IF NOT EXISTS cases_by_handling_region ON cases(handling_region, id);
CREATE INDEX IF NOT EXISTS cases_by_created ON cases(created_at, id);
CREATE INDEX IF NOT EXISTS cases_by_merged ON cases(merged_into, id);
CREATE INDEX IF NOT EXISTS cases_by_sweep ON cases(sweep_at) WHERE sweep_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS case_departments (
  department_id TEXT NOT NULL,
  case_id INTEGER NOT NULL,
  PRIMARY KEY (department_id, case_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS case_departments_by_case ON case_departments(case_id);
CREATE TABLE IF NOT EXISTS case_log (
  seq INTEGER PRIMARY KEY,
  case_id INTEGER NOT NULL,
  at INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  from_state TEXT NOT NULL,
  to_state TEXT NOT NULL,
  detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS case_log_by_case ON case_log(case_id, seq);
CREATE TRIGGER IF NOT EXISTS case_log_no_update BEFORE UPDATE ON case_log
BEGIN
  SELECT RAISE(ABORT, 'case_log is append-only: entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS case_log_no_delete BEFORE DELETE ON case_log
BEGIN
  SELECT RAISE(ABORT, 'case_log is append-only: entries cannot be removed');
END;
CREATE TABLE IF NOT EXISTS risk_assessments (
  id INTEGER PRIMARY KEY,
  region TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  doc TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS risk_assessments_by_region ON risk_assessments(region, id);
CREATE INDEX IF NOT EXISTS alerts_by_case ON alerts(case_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS alerts_case_dedup ON alerts(case_id, dedup_key)
  WHERE case_id != 0;
)sql",
      // 8: the event list's filters answered from one covering index (the web workbench pages
      // through 100,000 events): counting and filtering by grade, trend, domain, times, posts
      // and title read the index, not the rows with their large detail; it replaces
      // events_by_heat, whose columns it starts with. The same for counting cases by state.
      R"sql(
CREATE INDEX IF NOT EXISTS events_list ON events(merged_into, heat DESC, grade, trend, domain,
  last_seen, first_seen, posts, title);
DROP INDEX IF EXISTS events_by_heat;
CREATE INDEX IF NOT EXISTS cases_list ON cases(state, merged_into, origin, created_at, region,
  handling_region, event_id);
)sql",
      // 9: post_facts, a narrow row per processed post for the monitoring statistics and an
      // event's series (counts by time, channel, sentiment and region): keyed like posts, so a
      // publication-time range is a key range, and small, so a day of a province's posts is
      // counted without reading their text; and post_hours, the same counted by hour of
      // publication (UTC hours), channel, sentiment and region, so a day of a province is 24
      // hours of a few thousand rows. Written by CommitEvents with post_events; filled here
      // from what is already processed (the label read from the kept analysis).
      R"sql(
CREATE TABLE IF NOT EXISTS post_facts (
  post_key INTEGER PRIMARY KEY,
  channel TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  sentiment INTEGER NOT NULL DEFAULT 0,
  engagement INTEGER NOT NULL DEFAULT 0
);
INSERT OR IGNORE INTO post_facts(post_key, channel, region, sentiment, engagement)
  SELECT pe.post_key, p.channel, coalesce(p.region, ''),
         CASE json_extract(pe.analysis, '$.sentiment.label')
           WHEN 'negative' THEN -1 WHEN 'positive' THEN 1 ELSE 0 END,
         p.reposts + p.comments + p.likes
  FROM post_events pe JOIN posts p ON p.key = pe.post_key;
CREATE TABLE IF NOT EXISTS post_hours (
  hour INTEGER NOT NULL,
  channel TEXT NOT NULL,
  sentiment INTEGER NOT NULL,
  region TEXT NOT NULL,
  posts INTEGER NOT NULL,
  engagement INTEGER NOT NULL,
  PRIMARY KEY (hour, channel, sentiment, region)
) WITHOUT ROWID;
DELETE FROM post_hours;
INSERT INTO post_hours(hour, channel, sentiment, region, posts, engagement)
  SELECT (post_key >> 20) / 3600000 * 3600000, channel, sentiment, region, count(*),
         sum(engagement)
  FROM post_facts GROUP BY 1, 2, 3, 4;
)sql",
      // 10: configured sources (docs/collect.md): the settings as columns, the kind-specific
      // config and the collectors' state (cursor, conditional-GET validators, last error,
      // counts, health, hourly volume) as JSON documents of store/source_codec.h. `paused` is
      // its own column so an operator's pause and a collector's state write never overwrite
      // each other.
      R"sql(
CREATE TABLE IF NOT EXISTS sources (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL,
  interval_s INTEGER NOT NULL,
  channel TEXT NOT NULL,
  region TEXT NOT NULL DEFAULT '',
  tz_minutes INTEGER NOT NULL DEFAULT 480,
  config TEXT NOT NULL DEFAULT '{}',
  paused INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT '{}'
);
)sql",
      // 11: the report archive (docs/reports.md "Archive and submission"): one row per
      // generated report, its rendered files as blobs (so a report and its files are written in
      // one transaction), and its submissions upward; a submission's delivery is an alert of
      // the outbox (alert_id), its receipt is confirmed by a token whose hash is kept.
      R"sql(
CREATE TABLE IF NOT EXISTS reports (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL,
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  period_from INTEGER NOT NULL,
  period_to INTEGER NOT NULL,
  event_id INTEGER NOT NULL DEFAULT 0,
  case_id INTEGER NOT NULL DEFAULT 0,
  region TEXT NOT NULL DEFAULT '',
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  trigger TEXT NOT NULL,
  dedup_key TEXT,
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  errors TEXT NOT NULL DEFAULT '',
  UNIQUE (kind, year, number),
  UNIQUE (dedup_key)
);
CREATE INDEX IF NOT EXISTS reports_by_kind ON reports(kind, id);
CREATE TABLE IF NOT EXISTS report_files (
  report_id INTEGER NOT NULL REFERENCES reports(id),
  format TEXT NOT NULL,
  size INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  bytes BLOB NOT NULL,
  PRIMARY KEY (report_id, format)
);
CREATE TABLE IF NOT EXISTS report_submissions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  report_id INTEGER NOT NULL REFERENCES reports(id),
  to_department TEXT NOT NULL,
  to_name TEXT NOT NULL,
  queued_at INTEGER NOT NULL,
  alert_id INTEGER NOT NULL DEFAULT 0,
  token_sha256 TEXT NOT NULL UNIQUE,
  received_at INTEGER,
  received_by TEXT NOT NULL DEFAULT '',
  received_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS report_submissions_by_report ON report_submissions(report_id, id);
)sql",
      // 12: merging events by hand (docs/events.md "Merging by hand"): a person's request,
      // applied by the event stage, which records the outcome in the commit of the merge.
      R"sql(
CREATE TABLE IF NOT EXISTS event_merge_requests (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  from_event INTEGER NOT NULL,
  into_event INTEGER NOT NULL,
  requested_by TEXT NOT NULL,
  reason TEXT NOT NULL DEFAULT '',
  requested_at INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'pending',
  error TEXT NOT NULL DEFAULT '',
  done_at INTEGER NOT NULL DEFAULT 0,
  audit_seq INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS event_merge_requests_pending ON event_merge_requests(state, id);
)sql",
  };
  return kMigrations;
}

// Schema 7's change of the alerts table: the new columns case_id and dedup_key, and uniqueness
// over (event_id, policy_id, level, case_id, dedup_key) instead of (event_id, policy_id,
// level). SQLite can add a column but not change a table constraint, so the table is rebuilt
// (the procedure of https://www.sqlite.org/lang_altertable.html#otheralter: new table, copy,
// drop, rename), keeping every id, so outbox.alert_id still points at its alert, and the
// AUTOINCREMENT counter, so no id is handed out twice. ALTER TABLE has no "IF NOT EXISTS", so
// this cannot be a re-runnable SQL entry of Migrations(): it runs only while the table has no
// case_id column, inside the migration's transaction.
Status RebuildAlertsForCaseNotices(Db& db) {
  {
    YQ_ASSIGN_OR_RETURN(Stmt has,
                        db.Prepare("SELECT (SELECT count(*) FROM pragma_table_info('alerts')), "
                                   "(SELECT count(*) FROM pragma_table_info('alerts') "
                                   "WHERE name = 'case_id')"));
    YQ_ASSIGN_OR_RETURN(bool row, has.Step());
    bool exists = row && has.Int(0) > 0;
    bool done = row && has.Int(1) > 0;
    if (!exists || done) return Status::Ok();
  }
  return db.Exec(R"sql(
CREATE TABLE alerts_v7 (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  event_id INTEGER NOT NULL,
  policy_id INTEGER NOT NULL,
  level INTEGER NOT NULL,
  previous_level INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  title TEXT NOT NULL,
  payload TEXT NOT NULL,
  language TEXT NOT NULL,
  acked_at INTEGER,
  acked_by TEXT,
  case_id INTEGER NOT NULL DEFAULT 0,
  dedup_key TEXT NOT NULL DEFAULT '',
  UNIQUE (event_id, policy_id, level, case_id, dedup_key)
);
INSERT INTO alerts_v7(id, event_id, policy_id, level, previous_level, created_at, title, payload,
                      language, acked_at, acked_by)
  SELECT id, event_id, policy_id, level, previous_level, created_at, title, payload, language,
         acked_at, acked_by FROM alerts ORDER BY id;
DELETE FROM sqlite_sequence WHERE name = 'alerts_v7';
INSERT INTO sqlite_sequence(name, seq) SELECT 'alerts_v7', seq FROM sqlite_sequence
  WHERE name = 'alerts';
DROP TABLE alerts;
ALTER TABLE alerts_v7 RENAME TO alerts;
)sql");
}

std::string Join(const std::vector<std::string>& terms) {
  std::string out;
  size_t n = 0;
  for (const auto& t : terms) n += t.size() + 1;
  out.reserve(n);
  for (const auto& t : terms) {
    if (!out.empty()) out += ' ';
    out += t;
  }
  return out;
}

// Lines joined by '\n' (tags, list words); the caller has refused values containing one.
std::string JoinLines(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += '\n';
    out += v;
  }
  return out;
}

std::vector<std::string> SplitLines(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    out.emplace_back(text.substr(0, nl));
    if (nl == std::string_view::npos) break;
    text.remove_prefix(nl + 1);
  }
  return out;
}

Status CheckNoNewline(std::string_view what, const std::vector<std::string>& values) {
  for (const auto& v : values) {
    if (v.empty() || v.find('\n') != std::string::npos) {
      return Status::InvalidArgument(
          fmt::format("{} \"{}\" is empty or contains a line break", what, v));
    }
  }
  return Status::Ok();
}

// Hit terms, one occurrence per line: field TAB begin TAB end TAB term; in the term a
// backslash is written as two and a line break as backslash-n. Readable in the sqlite3 shell.
std::string EncodeTermHits(const std::vector<model::TermHit>& terms) {
  std::string out;
  for (const auto& t : terms) {
    if (!out.empty()) out += '\n';
    out += fmt::format("{}\t{}\t{}\t", t.field, t.begin, t.end);
    for (char c : t.term) {
      if (c == '\\') {
        out += "\\\\";
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
  }
  return out;
}

std::vector<model::TermHit> DecodeTermHits(std::string_view text) {
  std::vector<model::TermHit> out;
  for (const std::string& line : SplitLines(text)) {
    model::TermHit t;
    size_t a = line.find('\t');
    size_t b = a == std::string::npos ? a : line.find('\t', a + 1);
    size_t c = b == std::string::npos ? b : line.find('\t', b + 1);
    if (c == std::string::npos) continue;  // not written by this code
    t.field = line.substr(0, a);
    t.begin = static_cast<uint32_t>(std::strtoul(line.c_str() + a + 1, nullptr, 10));
    t.end = static_cast<uint32_t>(std::strtoul(line.c_str() + b + 1, nullptr, 10));
    for (size_t i = c + 1; i < line.size(); ++i) {
      if (line[i] == '\\' && i + 1 < line.size()) {
        t.term += line[i + 1] == 'n' ? '\n' : line[i + 1];
        ++i;
      } else {
        t.term += line[i];
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

model::Rule ReadRule(const Stmt& s) {
  model::Rule r;
  r.id = s.Int(0);
  r.name = s.Text(1);
  r.query = s.Text(2);
  r.owner = s.Text(3);
  r.tags = SplitLines(s.Text(4));
  r.enabled = s.Int(5) != 0;
  r.created_at = FromMs(s.Int(6));
  r.updated_at = FromMs(s.Int(7));
  return r;
}

StoredPost ReadPost(const Stmt& s) {
  StoredPost sp;
  sp.key = s.Int(0);
  model::Post& p = sp.post;
  p.source = s.Text(1);
  p.external_id = s.Text(2);
  p.title = s.Text(3);
  p.text = s.Text(4);
  p.published_at = FromMs(s.Int(5));
  sp.ingested_at = FromMs(s.Int(6));
  p.url = s.Text(7);
  p.channel = model::ParseChannel(s.Text(8)).value_or(model::Channel::kOther);
  p.author.id = s.Text(9);
  p.author.name = s.Text(10);
  p.author.followers = s.Int(11);
  p.author.verified = s.Int(12) != 0;
  p.author.kind = model::ParseAuthorKind(s.Text(13)).value_or(model::AuthorKind::kUnknown);
  p.metrics = {s.Int(14), s.Int(15), s.Int(16), s.Int(17)};
  p.region = s.Text(18);
  if (!s.IsNull(19)) p.parent = model::PostRef{s.Text(19), s.Text(20)};
  p.lang = s.Text(21);
  return sp;
}

}  // namespace internal

using internal::Migrations;
using internal::SqliteStore;

int CurrentSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path, SqliteOptions options) {
  YQ_ASSIGN_OR_RETURN(std::unique_ptr<Db> db, Db::Open(path, /*read_only=*/false));
  auto store = std::make_unique<SqliteStore>(path, options, std::move(db));
  YQ_RETURN_IF_ERROR(store->Init().WithContext(fmt::format("opening \"{}\"", path)));
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace yuqing::store::sqlite
