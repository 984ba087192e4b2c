// The SqliteStore class, shared by the files that implement it: sqlite_store.cc (posts,
// search, tokens, rules), sqlite_events.cc (event queue and events), sqlite_alerts.cc (alert
// policies, alerts, outbox), sqlite_accounts.cc (users, tokens, organisation, audit) and
// sqlite_cases.cc (cases, risk assessments), sqlite_sources.cc (configured sources) and
// sqlite_reports.cc (the report archive). Internal to
// store/sqlite/; nothing outside includes it.
#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <condition_variable>
#include <cstdlib>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "store/sqlite/fts_query.h"
#include "store/sqlite/fts_rank.h"
#include "store/sqlite/sqlite_db.h"
#include "store/sqlite/sqlite_store.h"

namespace yuqing::store::sqlite::internal {

inline constexpr int kKeyShift = 20;
inline constexpr std::string_view kPostColumns =
    "key, source, external_id, title, text, published_at, ingested_at, url, channel, author_id, "
    "author_name, author_followers, author_verified, author_kind, reposts, comments, likes, "
    "views, region, parent_source, parent_id, lang";
inline constexpr std::string_view kRuleColumns =
    "id, name, query, owner, tags, enabled, created_at, updated_at";

inline int64_t Ms(core::TimePoint t) { return t.time_since_epoch().count(); }
inline core::TimePoint FromMs(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

const std::vector<std::string_view>& Migrations();
// Migrations()[kAlertsRebuildMigration] (6 -> 7) needs a step that is not re-runnable SQL:
// Migrate() runs RebuildAlertsForCaseNotices (sqlite_store.cc) before it, in its transaction.
// The step checks the alerts table's columns and does nothing when it ran before.
inline constexpr size_t kAlertsRebuildMigration = 6;
Status RebuildAlertsForCaseNotices(Db& db);

// Steps `s` to its end and returns read(s) for every row.
template <typename Read>
auto ReadAll(Stmt& s, Read read) -> Result<std::vector<decltype(read(s))>> {
  std::vector<decltype(read(s))> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back(read(s));
  }
  return out;
}
std::string Join(const std::vector<std::string>& terms);
std::string JoinLines(const std::vector<std::string>& values);
std::vector<std::string> SplitLines(std::string_view text);
Status CheckNoNewline(std::string_view what, const std::vector<std::string>& values);
std::string EncodeTermHits(const std::vector<model::TermHit>& terms);
std::vector<model::TermHit> DecodeTermHits(std::string_view text);
model::Rule ReadRule(const Stmt& s);
StoredPost ReadPost(const Stmt& s);

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, SqliteOptions options, std::unique_ptr<Db> writer)
      : path_(std::move(path)), options_(options), writer_(std::move(writer)) {}

  Status Init() {
    YQ_RETURN_IF_ERROR(writer_->Exec("PRAGMA busy_timeout = 10000"));
    {
      YQ_ASSIGN_OR_RETURN(Stmt mode, writer_->Prepare("PRAGMA journal_mode = WAL"));
      YQ_ASSIGN_OR_RETURN(bool row, mode.Step());
      if (!row || mode.Text(0) != "wal") {
        return Status::FailedPrecondition(
            fmt::format("database \"{}\" cannot use write-ahead logging", path_));
      }
    }
    YQ_RETURN_IF_ERROR(writer_->Exec(options_.sync_full ? "PRAGMA synchronous = FULL"
                                                        : "PRAGMA synchronous = NORMAL"));
    // A 64 MiB page cache for the writer: the unique (source, id) index and the FTS5 segment
    // b-trees are touched by every insert; the default 2 MiB makes inserts read from disk.
    YQ_RETURN_IF_ERROR(writer_->Exec("PRAGMA cache_size = -65536"));
    // Truncate the WAL back to 64 MiB after checkpoints instead of keeping its peak size.
    YQ_RETURN_IF_ERROR(writer_->Exec("PRAGMA journal_size_limit = 67108864"));
    YQ_RETURN_IF_ERROR(Migrate());
    // FTS5 merges index segments as it inserts; at the default (automerge=4) merging costs
    // about 40% of ingest time. 16 lets more segments of a level accumulate before merging
    // (measured in bench/ingest: 11.9k → 17.5k posts/s); searches read a few more segments.
    YQ_RETURN_IF_ERROR(
        writer_->Exec("INSERT INTO posts_fts(posts_fts, rank) VALUES('automerge', 16)"));
    YQ_RETURN_IF_ERROR(PrepareWriterStatements());
    return Status::Ok();
  }

  Result<std::vector<InsertResult>> InsertPosts(std::span<const PostRecord> batch,
                                                core::TimePoint ingested_at) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    auto result = InsertLocked(batch, ingested_at);
    if (result.ok()) {
      Status hits = InsertHitsLocked(batch, *result);
      if (!hits.ok()) result = hits;
    }
    if (!result.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return result.status().WithContext("batch not written");
    }
    Status commit = writer_->Exec("COMMIT");
    if (!commit.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return commit.WithContext("batch not written");
    }
    return result;
  }

  Result<std::optional<StoredPost>> GetPost(const std::string& source,
                                            const std::string& external_id) override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(
        Stmt s, r->Prepare(fmt::format(
                    "SELECT {} FROM posts WHERE source = ?1 AND external_id = ?2", kPostColumns)));
    s.Bind(1, source);
    s.Bind(2, external_id);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<StoredPost>();
    return std::optional<StoredPost>(ReadPost(s));
  }

  Result<SearchPage> Search(const SearchRequest& req) override {
    if (req.limit < 0 || req.limit > 1000) {
      return Status::InvalidArgument(fmt::format("limit {} is outside 0..1000", req.limit));
    }
    if (req.offset < 0 || req.offset > 100000) {
      return Status::InvalidArgument(fmt::format("offset {} is outside 0..100000", req.offset));
    }
    YQ_ASSIGN_OR_RETURN(std::string match, BuildFtsMatch(req));
    int64_t lo = req.from ? Ms(*req.from) << kKeyShift : 0;
    int64_t hi = req.to ? Ms(*req.to) << kKeyShift : INT64_MAX;
    // The posts of the rules asked for (ids are integers: written into the SQL).
    std::string of_rules;
    if (!req.rule_ids.empty()) {
      of_rules = " IN (SELECT post_key FROM post_rule_hits WHERE rule_id IN (";
      for (size_t i = 0; i < req.rule_ids.size(); ++i) {
        of_rules += fmt::format("{}{}", i ? ", " : "", req.rule_ids[i]);
      }
      of_rules += "))";
    }
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    SearchPage page;
    std::vector<std::pair<int64_t, double>> keys;
    if (!match.empty()) {
      // Column weights: title 3, body 1, author 1.5, source/channel/region 0, sub 0.5.
      constexpr std::string_view kWeights = "3.0, 1.0, 1.5, 0.0, 0.0, 0.0, 0.5";
      // yq_rank counts the matches it ranks (every one, to order them), so its query needs no
      // second pass over them for the total.
      // (LIMIT 0 runs no row through it.)
      const bool ranked =
          req.sort == SortOrder::kRelevance && !options_.builtin_bm25 && req.limit > 0;
      std::string score = req.sort == SortOrder::kNewest ? "0.0"
                          : options_.builtin_bm25
                              ? fmt::format("-bm25(posts_fts, {})", kWeights)
                              : fmt::format("yq_rank(posts_fts, {}, {}, {})",
                                            static_cast<int64_t>(req.limit) + req.offset,
                                            ranked ? "?6" : "NULL", kWeights);
      std::string order = req.sort == SortOrder::kNewest ? "rowid DESC" : "score DESC, rowid DESC";
      YQ_ASSIGN_OR_RETURN(
          Stmt s,
          r->Prepare(fmt::format("SELECT rowid, {} AS score FROM posts_fts "
                                 "WHERE posts_fts MATCH ?1 AND rowid >= ?2 AND rowid < ?3{} "
                                 "ORDER BY {} LIMIT ?4 OFFSET ?5",
                                 score, of_rules.empty() ? "" : " AND rowid" + of_rules, order)));
      s.Bind(1, match);
      s.Bind(2, lo);
      s.Bind(3, hi);
      s.Bind(4, req.limit);
      s.Bind(5, req.offset);
      int64_t ranked_rows = 0;
      if (ranked) s.BindPointer(6, &ranked_rows, kRankRowsPointer);
      while (true) {
        YQ_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        keys.emplace_back(s.Int(0), req.sort == SortOrder::kRelevance ? s.Double(1) : 0.0);
      }
      if (ranked) {
        page.total = ranked_rows;
      } else {
        YQ_ASSIGN_OR_RETURN(
            Stmt c, r->Prepare(fmt::format("SELECT count(*) FROM (SELECT rowid FROM posts_fts "
                                           "WHERE posts_fts MATCH ?1 AND rowid >= ?2 AND "
                                           "rowid < ?3{} LIMIT ?4)",
                                           of_rules.empty() ? "" : " AND rowid" + of_rules)));
        c.Bind(1, match);
        c.Bind(2, lo);
        c.Bind(3, hi);
        c.Bind(4, options_.total_cap + 1);
        YQ_ASSIGN_OR_RETURN(bool crow, c.Step());
        page.total = crow ? c.Int(0) : 0;
      }
    } else {
      std::string where = "key >= ?1 AND key < ?2";
      if (!of_rules.empty()) where += " AND key" + of_rules;
      std::vector<std::string> binds;
      auto in_list = [&](std::string_view column, const std::vector<std::string>& values) {
        where += fmt::format(" AND {} IN (", column);
        for (size_t i = 0; i < values.size(); ++i) {
          where += fmt::format("{}?{}", i ? ", " : "", 3 + binds.size());
          binds.push_back(values[i]);
        }
        where += ")";
      };
      if (!req.channels.empty()) {
        std::vector<std::string> names;
        for (auto c : req.channels) names.emplace_back(model::ChannelName(c));
        in_list("channel", names);
      }
      if (!req.sources.empty()) in_list("source", req.sources);
      if (!req.region.empty()) {
        std::string p = RegionPrefix(req.region);
        if (p.empty()) {
          return Status::InvalidArgument(
              fmt::format("region \"{}\" is not a GB/T 2260 code (2, 4 or 6 digits)", req.region));
        }
        where += fmt::format(" AND substr(region, 1, {}) = ?{}", p.size(), 3 + binds.size());
        binds.push_back(p);
      }
      int first_free = 3 + static_cast<int>(binds.size());
      YQ_ASSIGN_OR_RETURN(Stmt s,
                          r->Prepare(fmt::format("SELECT key FROM posts WHERE {} ORDER BY key DESC "
                                                 "LIMIT ?{} OFFSET ?{}",
                                                 where, first_free, first_free + 1)));
      YQ_ASSIGN_OR_RETURN(
          Stmt c,
          r->Prepare(fmt::format("SELECT count(*) FROM (SELECT 1 FROM posts WHERE {} LIMIT ?{})",
                                 where, first_free)));
      for (Stmt* st : {&s, &c}) {
        st->Bind(1, lo);
        st->Bind(2, hi);
        for (size_t i = 0; i < binds.size(); ++i) st->Bind(static_cast<int>(3 + i), binds[i]);
      }
      s.Bind(first_free, req.limit);
      s.Bind(first_free + 1, req.offset);
      c.Bind(first_free, options_.total_cap + 1);
      while (true) {
        YQ_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        keys.emplace_back(s.Int(0), 0.0);
      }
      YQ_ASSIGN_OR_RETURN(bool crow, c.Step());
      page.total = crow ? c.Int(0) : 0;
    }
    if (page.total > options_.total_cap) {
      page.total = options_.total_cap;
      page.total_capped = true;
    }
    YQ_ASSIGN_OR_RETURN(
        Stmt get, r->Prepare(fmt::format("SELECT {} FROM posts WHERE key = ?1", kPostColumns)));
    for (const auto& [key, score] : keys) {
      get.Reset();
      get.Bind(1, key);
      YQ_ASSIGN_OR_RETURN(bool row, get.Step());
      if (!row) continue;  // index entry without a post cannot happen inside one transaction
      StoredPost sp = ReadPost(get);
      sp.score = score;
      page.hits.push_back(std::move(sp));
    }
    return page;
  }

  Status RebuildIndex(const std::function<void(PostRecord&)>& terms_of,
                      const std::string& tokenizer_name,
                      const std::function<void(int64_t)>& progress) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    Status s = RebuildLocked(terms_of, tokenizer_name, progress);
    if (s.ok()) s = writer_->Exec("COMMIT");
    if (!s.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return s.WithContext("index not rebuilt");
    }
    return Status::Ok();
  }

  Status SetDeferredSync(bool deferred) override {
    if (!options_.sync_full) return Status::Ok();
    std::lock_guard<std::mutex> lock(write_mu_);
    if (deferred) return writer_->Exec("PRAGMA synchronous = NORMAL");
    YQ_RETURN_IF_ERROR(writer_->Exec("PRAGMA synchronous = FULL"));
    // A checkpoint syncs the WAL before copying it and the database file after; both hold
    // every batch committed while syncing was deferred.
    return writer_->Exec("PRAGMA wal_checkpoint(FULL)");
  }

  Result<StoreStats> Stats() override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT count(*) FROM posts"));
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    StoreStats st;
    st.posts = row ? s.Int(0) : 0;
    st.schema_version = CurrentSchemaVersion();
    return st;
  }

  Result<std::string> GetMeta(const std::string& key) override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT value FROM meta WHERE key = ?1"));
    s.Bind(1, key);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    return row ? s.Text(0) : std::string();
  }

  Status SetMeta(const std::string& key, const std::string& value) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    YQ_ASSIGN_OR_RETURN(Stmt s,
                        writer_->Prepare("INSERT INTO meta(key, value) VALUES(?1, ?2) "
                                         "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    s.Bind(1, key);
    s.Bind(2, value);
    return s.Run();
  }

  Result<std::vector<StoredPost>> ScanPosts(const ScanRequest& req) override {
    if (req.limit < 1 || req.limit > 10000) {
      return Status::InvalidArgument(fmt::format("limit {} is outside 1..10000", req.limit));
    }
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(
        Stmt s, r->Prepare(fmt::format("SELECT {} FROM posts WHERE key >= ?1 AND key > ?2 AND "
                                       "key < ?3 ORDER BY key LIMIT ?4",
                                       kPostColumns)));
    s.Bind(1, req.from ? Ms(*req.from) << kKeyShift : int64_t{0});
    s.Bind(2, req.after_key);
    s.Bind(3, req.to ? Ms(*req.to) << kKeyShift : INT64_MAX);
    s.Bind(4, req.limit);
    std::vector<StoredPost> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadPost(s));
    }
    return out;
  }

  Result<std::vector<StoredRuleHit>> RuleHitsForPosts(std::span<const int64_t> keys) override {
    std::vector<int64_t> sorted(keys.begin(), keys.end());
    std::sort(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT h.rule_id, h.terms, coalesce(r.name, '') "
                                           "FROM post_rule_hits h LEFT JOIN rules r ON r.id = "
                                           "h.rule_id WHERE h.post_key = ?1 ORDER BY h.rule_id"));
    std::vector<StoredRuleHit> out;
    for (int64_t key : sorted) {
      s.Reset();
      s.Bind(1, key);
      while (true) {
        YQ_ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        StoredRuleHit h;
        h.post_key = key;
        h.hit.rule_id = s.Int(0);
        h.hit.terms = DecodeTermHits(s.Text(1));
        h.rule_name = s.Text(2);
        out.push_back(std::move(h));
      }
    }
    return out;
  }

  Result<std::vector<std::pair<int64_t, int64_t>>> CountRuleHits(
      std::optional<core::TimePoint> from, std::optional<core::TimePoint> to) override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    // The primary key (post_key, rule_id) holds the range: post keys are publication times.
    YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT rule_id, count(*) FROM post_rule_hits WHERE "
                                           "post_key >= ?1 AND post_key < ?2 GROUP BY rule_id "
                                           "ORDER BY rule_id"));
    s.Bind(1, from ? Ms(*from) << kKeyShift : 0);
    s.Bind(2, to ? Ms(*to) << kKeyShift : INT64_MAX);
    std::vector<std::pair<int64_t, int64_t>> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.emplace_back(s.Int(0), s.Int(1));
    }
    return out;
  }

  Result<int64_t> AddRuleHits(std::span<const PostRuleHit> hits) override {
    if (hits.empty()) return int64_t{0};
    std::lock_guard<std::mutex> lock(write_mu_);
    YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    int64_t written = 0;
    Status st = [&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt post, writer_->Prepare("SELECT 1 FROM posts WHERE key = ?1"));
      YQ_ASSIGN_OR_RETURN(Stmt rule, writer_->Prepare("SELECT 1 FROM rules WHERE id = ?1"));
      YQ_ASSIGN_OR_RETURN(Stmt insert, writer_->Prepare("INSERT INTO post_rule_hits(post_key, "
                                                        "rule_id, terms) VALUES(?1, ?2, ?3) "
                                                        "ON CONFLICT DO NOTHING"));
      int64_t checked_rule = 0;
      for (const PostRuleHit& h : hits) {
        if (h.hit.rule_id != checked_rule) {
          rule.Reset();
          rule.Bind(1, h.hit.rule_id);
          YQ_ASSIGN_OR_RETURN(bool found, rule.Step());
          if (!found) return NoSuchRule(h.hit.rule_id);
          checked_rule = h.hit.rule_id;
        }
        post.Reset();
        post.Bind(1, h.post_key);
        YQ_ASSIGN_OR_RETURN(bool found, post.Step());
        if (!found) return Status::NotFound(fmt::format("no stored post with key {}", h.post_key));
        insert.Reset();
        insert.Bind(1, h.post_key);
        insert.Bind(2, h.hit.rule_id);
        insert.Bind(3, EncodeTermHits(h.hit.terms));
        YQ_RETURN_IF_ERROR(insert.Run());
        written += writer_->Changes();
      }
      return Status::Ok();
    }();
    if (st.ok()) st = writer_->Exec("COMMIT");
    if (!st.ok()) {
      (void)writer_->Exec("ROLLBACK");
      return st;
    }
    return written;
  }

  Result<model::Rule> CreateRule(const model::Rule& rule, core::TimePoint now) override {
    YQ_RETURN_IF_ERROR(CheckRuleFields(rule));
    std::lock_guard<std::mutex> lock(write_mu_);
    int64_t id = 0;
    YQ_RETURN_IF_ERROR(RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO rules(name, query, owner, tags, "
                                                   "enabled, created_at, updated_at) "
                                                   "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?6)"));
      s.Bind(1, rule.name);
      s.Bind(2, rule.query);
      s.Bind(3, rule.owner);
      s.Bind(4, JoinLines(rule.tags));
      s.Bind(5, rule.enabled ? 1 : 0);
      s.Bind(6, Ms(now));
      Status st = s.Run();
      if (st.code() == StatusCode::kAlreadyExists) return RuleNameTaken(rule.name);
      YQ_RETURN_IF_ERROR(st);
      id = sqlite3_last_insert_rowid(writer_->raw());
      return Status::Ok();
    }));
    model::Rule out = rule;
    out.id = id;
    out.created_at = out.updated_at = now;
    return out;
  }

  Result<model::Rule> UpdateRule(const model::Rule& rule, core::TimePoint now) override {
    YQ_RETURN_IF_ERROR(CheckRuleFields(rule));
    std::lock_guard<std::mutex> lock(write_mu_);
    model::Rule out;
    YQ_RETURN_IF_ERROR(RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE rules SET name = ?2, query = ?3, "
                                                   "owner = ?4, tags = ?5, enabled = ?6, "
                                                   "updated_at = ?7 WHERE id = ?1"));
      s.Bind(1, rule.id);
      s.Bind(2, rule.name);
      s.Bind(3, rule.query);
      s.Bind(4, rule.owner);
      s.Bind(5, JoinLines(rule.tags));
      s.Bind(6, rule.enabled ? 1 : 0);
      s.Bind(7, Ms(now));
      Status st = s.Run();
      if (st.code() == StatusCode::kAlreadyExists) return RuleNameTaken(rule.name);
      YQ_RETURN_IF_ERROR(st);
      if (writer_->Changes() == 0) return NoSuchRule(rule.id);
      YQ_ASSIGN_OR_RETURN(Stmt g, writer_->Prepare(fmt::format("SELECT {} FROM rules WHERE id = ?1",
                                                               kRuleColumns)));
      g.Bind(1, rule.id);
      YQ_ASSIGN_OR_RETURN(bool row, g.Step());
      if (!row) return NoSuchRule(rule.id);
      out = ReadRule(g);
      g.Reset();
      return Status::Ok();
    }));
    return out;
  }

  Result<std::optional<model::Rule>> GetRule(int64_t id) override {
    return GetRuleWhere("id = ?1", [id](Stmt& s) { s.Bind(1, id); });
  }

  Result<std::optional<model::Rule>> GetRuleByName(const std::string& name) override {
    return GetRuleWhere("name = ?1", [&name](Stmt& s) { s.Bind(1, name); });
  }

  Result<std::vector<model::Rule>> ListRules() override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(Stmt s,
                        r->Prepare(fmt::format("SELECT {} FROM rules ORDER BY id", kRuleColumns)));
    std::vector<model::Rule> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadRule(s));
    }
    return out;
  }

  Status SetRuleEnabled(int64_t id, bool enabled, core::TimePoint now) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(
          Stmt s, writer_->Prepare("UPDATE rules SET enabled = ?2, updated_at = ?3 WHERE id = ?1"));
      s.Bind(1, id);
      s.Bind(2, enabled ? 1 : 0);
      s.Bind(3, Ms(now));
      YQ_RETURN_IF_ERROR(s.Run());
      return writer_->Changes() == 0 ? NoSuchRule(id) : Status::Ok();
    });
  }

  Status DeleteRule(int64_t id) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("DELETE FROM rules WHERE id = ?1"));
      s.Bind(1, id);
      YQ_RETURN_IF_ERROR(s.Run());
      if (writer_->Changes() == 0) return NoSuchRule(id);
      YQ_ASSIGN_OR_RETURN(Stmt h,
                          writer_->Prepare("DELETE FROM post_rule_hits WHERE rule_id = ?1"));
      h.Bind(1, id);
      return h.Run();
    });
  }

  Status PutKeywordList(const model::KeywordList& list, core::TimePoint now) override {
    if (list.name.empty()) return Status::InvalidArgument("a keyword list needs a name");
    YQ_RETURN_IF_ERROR(CheckNoNewline("keyword list word", list.words));
    std::vector<std::string> words;
    for (const auto& w : list.words) {
      if (std::find(words.begin(), words.end(), w) == words.end()) words.push_back(w);
    }
    std::lock_guard<std::mutex> lock(write_mu_);
    return RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(
          Stmt s, writer_->Prepare("INSERT INTO keyword_lists(name, words, updated_at) "
                                   "VALUES(?1, ?2, ?3) ON CONFLICT(name) DO UPDATE SET "
                                   "words = excluded.words, updated_at = excluded.updated_at"));
      s.Bind(1, list.name);
      s.Bind(2, JoinLines(words));
      s.Bind(3, Ms(now));
      return s.Run();
    });
  }

  Result<std::optional<model::KeywordList>> GetKeywordList(const std::string& name) override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(
        Stmt s, r->Prepare("SELECT name, words, updated_at FROM keyword_lists WHERE name = ?1"));
    s.Bind(1, name);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<model::KeywordList>();
    return std::optional<model::KeywordList>(ReadList(s));
  }

  Result<std::vector<model::KeywordList>> ListKeywordLists() override {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(
        Stmt s, r->Prepare("SELECT name, words, updated_at FROM keyword_lists ORDER BY name"));
    std::vector<model::KeywordList> out;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) break;
      out.push_back(ReadList(s));
    }
    return out;
  }

  Status DeleteKeywordList(const std::string& name) override {
    std::lock_guard<std::mutex> lock(write_mu_);
    return RulesTransaction([&]() -> Status {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("DELETE FROM keyword_lists WHERE name = ?1"));
      s.Bind(1, name);
      YQ_RETURN_IF_ERROR(s.Run());
      if (writer_->Changes() == 0) {
        return Status::NotFound(fmt::format("no keyword list \"@{}\"", name));
      }
      return Status::Ok();
    });
  }

  Result<int64_t> RulesVersion() override {
    YQ_ASSIGN_OR_RETURN(std::string v, GetMeta("rules.version"));
    return static_cast<int64_t>(std::strtoll(v.c_str(), nullptr, 10));
  }

  // sqlite_events.cc
  Result<std::vector<QueuedPost>> NextQueuedPosts(int64_t after_seq, int limit) override;
  Result<int64_t> QueueLength() override;
  Result<int64_t> QueuedAfter(int64_t seq) override;
  Result<EventBatchResult> CommitEvents(const EventBatch& batch) override;
  Result<std::vector<ProcessedPost>> ScanProcessedPosts(core::TimePoint since, int64_t after_seq,
                                                        int limit) override;
  Result<int64_t> MaxEventId() override;
  Result<EventPage> ListEvents(const EventQuery& query) override;
  Result<std::optional<model::EventRecord>> GetEvent(int64_t id) override;
  Result<std::vector<StoredPost>> EventPosts(int64_t event_id, int limit, int offset) override;
  Result<std::string> PostAnalysis(int64_t post_key) override;
  Result<std::vector<EventLogEntry>> EventLog(int64_t event_id) override;
  Result<std::vector<PostCountRow>> CountPosts(const PostCountQuery& query) override;
  Result<std::vector<SourceSummary>> ListSources() override;
  Result<int64_t> LastProcessedSeq() override;
  Result<std::vector<RegionEventCount>> CountEventsByRegion(const EventQuery& query,
                                                            int digits) override;
  Result<EventMergeRequest> RequestEventMerge(const EventMergeRequest& request,
                                              const model::AuditDraft& audit) override;
  Result<std::vector<EventMergeRequest>> PendingEventMerges(int64_t after_id, int limit) override;
  Result<std::optional<EventMergeRequest>> GetEventMergeRequest(int64_t id) override;

  // sqlite_alerts.cc
  Result<model::AlertPolicy> CreateAlertPolicy(const model::AlertPolicy& policy,
                                               core::TimePoint now) override;
  Result<model::AlertPolicy> UpdateAlertPolicy(const model::AlertPolicy& policy,
                                               core::TimePoint now) override;
  Result<std::optional<model::AlertPolicy>> GetAlertPolicy(int64_t id) override;
  Result<std::vector<model::AlertPolicy>> ListAlertPolicies() override;
  Status DeleteAlertPolicy(int64_t id) override;
  Result<int64_t> AlertPoliciesVersion() override;
  Result<std::vector<model::Alert>> ListAlerts(const AlertQuery& query) override;
  Result<std::optional<model::Alert>> GetAlert(int64_t id) override;
  Result<std::vector<AlertLevel>> AlertLevels() override;
  Result<model::Alert> AcknowledgeAlert(int64_t id, const std::string& by,
                                        core::TimePoint now) override;
  Result<std::vector<model::OutboxItem>> DueOutbox(core::TimePoint now, int limit) override;
  Result<std::optional<core::TimePoint>> NextOutboxAttempt() override;
  Result<std::vector<model::OutboxItem>> OutboxForAlert(int64_t alert_id) override;
  Result<std::vector<model::OutboxItem>> ListOutbox(std::optional<model::OutboxState> state,
                                                    int limit) override;
  Status MarkOutboxDelivered(int64_t id, core::TimePoint now) override;
  Status MarkOutboxFailed(int64_t id, const std::string& error,
                          std::optional<core::TimePoint> retry_at) override;
  Status RetryOutbox(int64_t id, core::TimePoint now) override;
  Result<OutboxCounts> CountOutbox() override;

  // sqlite_accounts.cc: users, tokens, the organisation and the audit log.
  Result<model::User> CreateUser(const model::User& user, const model::AuditDraft& audit) override;
  Result<model::User> UpdateUser(const model::User& user, const model::AuditDraft& audit) override;
  Result<std::optional<model::User>> GetUser(int64_t id) override;
  Result<std::optional<model::User>> GetUserByName(const std::string& name) override;
  Result<std::vector<model::User>> ListUsers() override;
  Result<int64_t> CountUsers() override;
  Result<ApiToken> CreateApiToken(const ApiToken& token, const std::string& secret_hash,
                                  const model::AuditDraft& audit) override;
  Result<ApiToken> CreateSession(const ApiToken& token, const std::string& secret_hash) override;
  Result<int64_t> RevokeSessions(int64_t user_id, core::TimePoint now) override;
  Status RevokeSession(const std::string& secret_hash, core::TimePoint now) override;
  Result<std::optional<ApiToken>> FindApiToken(const std::string& secret_hash) override;
  Result<std::optional<ApiToken>> GetApiTokenByName(const std::string& name) override;
  Result<std::vector<ApiToken>> ListApiTokens(int64_t user_id) override;
  Status RevokeApiToken(const std::string& name, core::TimePoint now,
                        const model::AuditDraft& audit) override;
  Result<std::optional<StoredOrganisation>> GetOrganisation() override;
  Result<int64_t> PutOrganisation(const std::string& json, std::optional<int64_t> expected_version,
                                  const model::AuditDraft& audit) override;
  Result<model::AuditEntry> AppendAudit(const model::AuditDraft& draft) override;
  Result<std::vector<model::AuditEntry>> ScanAudit(int64_t after_seq, int limit) override;
  Result<std::vector<model::AuditEntry>> ListAudit(const AuditFilter& filter) override;
  Result<std::optional<model::AuditEntry>> AuditHead() override;
  Status PutAuditCheckpoint(const model::AuditCheckpoint& checkpoint) override;
  Result<std::vector<model::AuditCheckpoint>> ListAuditCheckpoints() override;

  // sqlite_cases.cc: cases, their logs and notices, risk assessments.
  Result<model::Case> CreateCase(const CaseChange& change) override;
  Result<std::vector<model::Case>> UpdateCases(std::span<const CaseChange> changes) override;
  Result<std::optional<model::Case>> GetCase(int64_t id) override;
  Result<std::vector<model::Case>> ListCases(const CaseFilter& filter) override;
  Result<int64_t> CountCases(const CaseFilter& filter) override;
  Result<std::vector<model::CaseLogEntry>> CaseLog(int64_t case_id) override;
  Result<model::RiskAssessment> PutRiskAssessment(const model::RiskAssessment& assessment,
                                                  const model::AuditDraft& audit) override;
  Result<std::optional<model::RiskAssessment>> GetRiskAssessment(int64_t id) override;
  Result<std::vector<model::RiskAssessment>> ListRiskAssessments(
      const std::optional<std::string>& region_prefix, int limit) override;

  // sqlite_sources.cc: configured sources and their state.
  Result<model::Source> CreateSource(const model::Source& source, core::TimePoint now) override;
  Result<model::Source> UpdateSource(const model::Source& source, core::TimePoint now) override;
  Result<std::optional<model::Source>> GetSource(const std::string& name) override;
  Result<std::vector<model::Source>> ListConfiguredSources() override;
  Status DeleteSource(const std::string& name) override;
  Status SetSourcePaused(const std::string& name, bool paused, core::TimePoint now) override;
  Status PutSourceState(const std::string& name, const model::SourceState& state,
                        const std::vector<model::NewAlert>& alerts) override;
  Status ChangeSourceState(const std::string& name, const SourceStateChange& change) override;

  // sqlite_reports.cc: the report archive and submissions.
  Result<int> NextReportNumber(const std::string& kind, int year) override;
  Result<bool> HasReport(const std::string& dedup_key) override;
  Result<model::ArchivedReport> PutReport(const model::ArchivedReport& report,
                                          const std::vector<model::ReportFile>& files,
                                          const std::vector<model::NewAlert>& deliveries,
                                          const model::AuditDraft& audit) override;
  Result<std::optional<model::ArchivedReport>> GetReport(int64_t id) override;
  Result<std::vector<model::ArchivedReport>> ListReports(const ReportFilter& filter) override;
  Result<std::optional<model::ReportFile>> GetReportFile(int64_t report_id,
                                                         const std::string& format) override;
  Result<model::ReportSubmission> AddSubmission(const model::ReportSubmission& submission,
                                                const model::NewAlert& delivery,
                                                const model::AuditDraft& audit) override;
  Result<std::vector<model::ReportSubmission>> ListSubmissions(int64_t report_id) override;
  Result<std::optional<model::ReportSubmission>> GetSubmission(int64_t id) override;
  Result<std::optional<model::ReportSubmission>> SubmissionByToken(
      const std::string& token_sha256) override;
  Result<model::ReportSubmission> MarkSubmissionReceived(int64_t id, const std::string& by,
                                                         const std::string& note,
                                                         const model::AuditDraft& audit) override;

 private:
  // Runs `change` and appends `audit` in one write transaction (write_mu_ held by the caller).
  Status AuditedTransaction(const model::AuditDraft& audit, const std::function<Status()>& change);
  // Records a new token's owner, scope and expiry (write transaction open, write_mu_ held).
  Status InsertGrantLocked(const ApiToken& token);
  // sqlite_sources.cc: a source's state and its health alerts (transaction open, write_mu_
  // held); NotFound for an unknown name.
  Status WriteSourceStateLocked(const std::string& name, const model::SourceState& state,
                                const std::vector<model::NewAlert>& alerts);
  // sqlite_alerts.cc: inserts the batch's alerts and their outbox items (inside the
  // CommitEvents or a case transaction; write_mu_ held). Appends the ids of inserted alerts;
  // an alert that exists already (same event, policy, level, case and key; or a case notice
  // with its case's key) is skipped.
  Status InsertAlertsLocked(const std::vector<model::NewAlert>& alerts, std::vector<int64_t>& ids);
  // sqlite_cases.cc: writes one case change but its audit entry (the row as `stored`, its
  // departments, log lines and notices) inside the caller's write transaction (write_mu_
  // held). `create`: inserts the row, else replaces it.
  Status WriteCaseLocked(const CaseChange& change, const model::Case& stored, bool create);
  // A read connection borrowed from the pool, returned on destruction.
  class ReaderLease {
   public:
    ReaderLease(SqliteStore* store, std::unique_ptr<Db> db) : store_(store), db_(std::move(db)) {}
    ReaderLease(ReaderLease&&) = default;
    ~ReaderLease() {
      if (db_) store_->Release(std::move(db_));
    }
    Db* operator->() { return db_.get(); }
    Db& operator*() { return *db_; }

   private:
    SqliteStore* store_;
    std::unique_ptr<Db> db_;
  };
  using Reader = ReaderLease;

  static Status NoSuchRule(int64_t id) {
    return Status::NotFound(fmt::format("no rule with id {}", id));
  }
  static Status RuleNameTaken(const std::string& name) {
    return Status::AlreadyExists(fmt::format("a rule named \"{}\" already exists", name));
  }
  static Status CheckRuleFields(const model::Rule& rule) {
    if (rule.name.empty()) return Status::InvalidArgument("a rule needs a name");
    if (rule.query.empty()) return Status::InvalidArgument("a rule needs a query");
    return CheckNoNewline("tag", rule.tags);
  }
  static model::KeywordList ReadList(const Stmt& s) {
    return {s.Text(0), SplitLines(s.Text(1)), FromMs(s.Int(2))};
  }

  Result<std::optional<model::Rule>> GetRuleWhere(std::string_view where,
                                                  const std::function<void(Stmt&)>& bind) {
    YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
    YQ_ASSIGN_OR_RETURN(
        Stmt s, r->Prepare(fmt::format("SELECT {} FROM rules WHERE {}", kRuleColumns, where)));
    bind(s);
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) return std::optional<model::Rule>();
    return std::optional<model::Rule>(ReadRule(s));
  }

  // Runs `change` in one write transaction that also increments rules.version. Requires
  // write_mu_.
  Status RulesTransaction(const std::function<Status()>& change) {
    YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
    Status s = change();
    if (s.ok()) {
      s = writer_->Exec(
          "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = "
          "'rules.version'");
    }
    if (s.ok()) s = writer_->Exec("COMMIT");
    if (!s.ok()) (void)writer_->Exec("ROLLBACK");
    return s;
  }

  // Records the rule hits of the accepted posts of a batch, inside InsertPosts' transaction.
  // Requires write_mu_.
  Status InsertHitsLocked(std::span<const PostRecord> batch,
                          const std::vector<InsertResult>& results) {
    for (size_t i = 0; i < batch.size() && i < results.size(); ++i) {
      if (batch[i].rule_hits.empty() || results[i].outcome != model::IngestOutcome::kAccepted) {
        continue;
      }
      if (!insert_hit_prepared_) {
        YQ_ASSIGN_OR_RETURN(insert_hit_,
                            writer_->Prepare("INSERT OR REPLACE INTO post_rule_hits(post_key, "
                                             "rule_id, terms) VALUES(?1, ?2, ?3)"));
        insert_hit_prepared_ = true;
      }
      for (const model::RuleHit& hit : batch[i].rule_hits) {
        insert_hit_.Reset();
        insert_hit_.Bind(1, results[i].key);
        insert_hit_.Bind(2, hit.rule_id);
        insert_hit_.Bind(3, EncodeTermHits(hit.terms));
        YQ_RETURN_IF_ERROR(insert_hit_.Run());
      }
    }
    return Status::Ok();
  }

  Result<Reader> Acquire() {
    std::unique_lock<std::mutex> lock(pool_mu_);
    pool_cv_.wait(lock,
                  [&] { return !idle_.empty() || open_readers_ < options_.read_connections; });
    if (!idle_.empty()) {
      auto db = std::move(idle_.back());
      idle_.pop_back();
      return Reader(this, std::move(db));
    }
    ++open_readers_;
    lock.unlock();
    auto db = Db::Open(path_, /*read_only=*/true);
    if (!db.ok()) {
      std::lock_guard<std::mutex> relock(pool_mu_);
      --open_readers_;
      pool_cv_.notify_one();
      return db.status();
    }
    (void)(*db)->Exec("PRAGMA busy_timeout = 10000");
    return Reader(this, std::move(db).value());
  }

  void Release(std::unique_ptr<Db> db) {
    std::lock_guard<std::mutex> lock(pool_mu_);
    idle_.push_back(std::move(db));
    pool_cv_.notify_one();
  }

  Status Migrate() {
    int version = 0;
    {
      YQ_ASSIGN_OR_RETURN(Stmt v, writer_->Prepare("PRAGMA user_version"));
      YQ_ASSIGN_OR_RETURN(bool row, v.Step());
      version = row ? static_cast<int>(v.Int(0)) : 0;
    }
    const auto& migrations = Migrations();
    if (version > static_cast<int>(migrations.size())) {
      return Status::FailedPrecondition(fmt::format(
          "database \"{}\" has schema version {}, newer than this build's {}; upgrade yuqing",
          path_, version, migrations.size()));
    }
    for (size_t i = static_cast<size_t>(version); i < migrations.size(); ++i) {
      YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
      Status s = i == kAlertsRebuildMigration ? RebuildAlertsForCaseNotices(*writer_) : Status();
      if (s.ok()) s = writer_->Exec(migrations[i]);
      if (s.ok()) s = writer_->Exec(fmt::format("PRAGMA user_version = {}", i + 1));
      if (!s.ok()) {
        (void)writer_->Exec("ROLLBACK");
        return s.WithContext(fmt::format("schema migration {} -> {}", i, i + 1));
      }
      YQ_RETURN_IF_ERROR(writer_->Exec("COMMIT"));
    }
    return Status::Ok();
  }

  Status PrepareWriterStatements() {
    YQ_ASSIGN_OR_RETURN(insert_post_,
                        writer_->Prepare(fmt::format(
                            "INSERT INTO posts({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "
                            "?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) "
                            "ON CONFLICT(source, external_id) DO NOTHING",
                            kPostColumns)));
    YQ_ASSIGN_OR_RETURN(insert_fts_, writer_->Prepare("INSERT INTO posts_fts(rowid, title, body, "
                                                      "author, source, channel, region, sub) "
                                                      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"));
    YQ_ASSIGN_OR_RETURN(max_key_,
                        writer_->Prepare("SELECT max(key) FROM posts WHERE key BETWEEN ?1 AND ?2"));
    YQ_ASSIGN_OR_RETURN(insert_queue_,
                        writer_->Prepare("INSERT INTO event_queue(post_key) VALUES(?1)"));
    YQ_ASSIGN_OR_RETURN(
        find_key_,
        writer_->Prepare("SELECT key FROM posts WHERE source = ?1 AND external_id = ?2"));
    return Status::Ok();
  }

  Status RebuildLocked(const std::function<void(PostRecord&)>& terms_of,
                       const std::string& tokenizer_name,
                       const std::function<void(int64_t)>& progress) {
    // Contentless FTS5 tables cannot delete rows one by one without their old terms, but can
    // drop everything at once.
    YQ_RETURN_IF_ERROR(writer_->Exec("INSERT INTO posts_fts(posts_fts) VALUES('delete-all')"));
    YQ_ASSIGN_OR_RETURN(
        Stmt all, writer_->Prepare(fmt::format("SELECT {} FROM posts ORDER BY key", kPostColumns)));
    int64_t done = 0;
    while (true) {
      YQ_ASSIGN_OR_RETURN(bool row, all.Step());
      if (!row) break;
      StoredPost sp = ReadPost(all);
      PostRecord rec;
      rec.post = std::move(sp.post);
      terms_of(rec);
      YQ_RETURN_IF_ERROR(InsertFts(sp.key, rec));
      if (++done % 10000 == 0 && progress) progress(done);
    }
    if (progress) progress(done);
    YQ_ASSIGN_OR_RETURN(
        Stmt meta, writer_->Prepare("INSERT INTO meta(key, value) VALUES('index.tokenizer', ?1) "
                                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value"));
    meta.Bind(1, tokenizer_name);
    return meta.Run();
  }

  Status InsertFts(int64_t key, const PostRecord& rec) {
    const model::Post& p = rec.post;
    Stmt& f = insert_fts_;
    f.Reset();
    f.Bind(1, key);
    f.Bind(2, Join(rec.title_terms));
    f.Bind(3, Join(rec.text_terms));
    f.Bind(4, Join(rec.author_terms));
    f.Bind(5, SourceTerm(p.source));
    f.Bind(6, ChannelTerm(model::ChannelName(p.channel)));
    f.Bind(7, RegionTerms(p.region));
    f.Bind(8, Join(rec.sub_terms));
    return f.Run();
  }

  Result<int64_t> NextKey(core::TimePoint published_at) {
    int64_t base = Ms(published_at) << kKeyShift;
    int64_t last = base | ((int64_t{1} << kKeyShift) - 1);
    max_key_.Reset();
    max_key_.Bind(1, base);
    max_key_.Bind(2, last);
    YQ_ASSIGN_OR_RETURN(bool row, max_key_.Step());
    bool none = !row || max_key_.IsNull(0);
    int64_t k = none ? 0 : max_key_.Int(0);
    // Reset at once: a statement left mid-result keeps a read transaction open on the writer
    // connection after COMMIT, and then no checkpoint can complete and the WAL grows forever.
    max_key_.Reset();
    if (none) return base;
    if (k >= last) {
      return Status::ResourceExhausted("more than a million posts in one millisecond");
    }
    return k + 1;
  }

  Result<std::vector<InsertResult>> InsertLocked(std::span<const PostRecord> batch,
                                                 core::TimePoint ingested_at) {
    std::vector<InsertResult> out;
    out.reserve(batch.size());
    for (const PostRecord& rec : batch) {
      const model::Post& p = rec.post;
      YQ_ASSIGN_OR_RETURN(int64_t key, NextKey(p.published_at));
      Stmt& s = insert_post_;
      s.Reset();
      s.Bind(1, key);
      s.Bind(2, p.source);
      s.Bind(3, p.external_id);
      s.Bind(4, p.title);
      s.Bind(5, p.text);
      s.Bind(6, Ms(p.published_at));
      s.Bind(7, Ms(ingested_at));
      s.BindOptional(8, p.url);
      s.Bind(9, model::ChannelName(p.channel));
      s.BindOptional(10, p.author.id);
      s.BindOptional(11, p.author.name);
      s.Bind(12, p.author.followers);
      s.Bind(13, p.author.verified ? 1 : 0);
      s.BindOptional(14, model::AuthorKindName(p.author.kind));
      s.Bind(15, p.metrics.reposts);
      s.Bind(16, p.metrics.comments);
      s.Bind(17, p.metrics.likes);
      s.Bind(18, p.metrics.views);
      s.BindOptional(19, p.region);
      if (p.parent) {
        s.Bind(20, p.parent->source);
        s.Bind(21, p.parent->id);
      }
      s.BindOptional(22, p.lang);
      YQ_RETURN_IF_ERROR(s.Run());
      if (writer_->Changes() == 0) {
        find_key_.Reset();
        find_key_.Bind(1, p.source);
        find_key_.Bind(2, p.external_id);
        YQ_ASSIGN_OR_RETURN(bool row, find_key_.Step());
        out.push_back({model::IngestOutcome::kDuplicate, row ? find_key_.Int(0) : 0});
        find_key_.Reset();
        continue;
      }
      YQ_RETURN_IF_ERROR(InsertFts(key, rec));
      insert_queue_.Reset();
      insert_queue_.Bind(1, key);
      YQ_RETURN_IF_ERROR(insert_queue_.Run());
      out.push_back({model::IngestOutcome::kAccepted, key});
    }
    return out;
  }

  std::string path_;
  SqliteOptions options_;
  std::mutex write_mu_;
  std::unique_ptr<Db> writer_;  // guarded by write_mu_
  // Writer statements, guarded by write_mu_.
  Stmt insert_post_, insert_fts_, max_key_, find_key_, insert_queue_;
  Stmt insert_hit_;                   // prepared on first use; guarded by write_mu_
  bool insert_hit_prepared_ = false;  // guarded by write_mu_

  std::mutex pool_mu_;
  std::condition_variable pool_cv_;
  std::vector<std::unique_ptr<Db>> idle_;  // guarded by pool_mu_
  int open_readers_ = 0;                   // guarded by pool_mu_
};

}  // namespace yuqing::store::sqlite::internal
