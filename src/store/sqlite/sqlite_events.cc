// The event stage's queue, its commits, and reading events back (docs/events.md "Storage").
// The queue is filled by InsertPosts in the post's own transaction; CommitEvents removes what
// it processed in the transaction that records the results, so a crash between the two
// leaves the posts queued and they are processed again after the restart.
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "store/sqlite/sqlite_audit.h"
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

constexpr std::string_view kEventColumns =
    "id, title, first_seen, last_seen, posts, authors, heat, grade, trend, domain, "
    "negative_share, regions, merged_into, updated_at, detail";

std::vector<int64_t> SplitIds(std::string_view text) {
  std::vector<int64_t> out;
  while (!text.empty()) {
    size_t comma = text.find(',');
    out.push_back(std::strtoll(std::string(text.substr(0, comma)).c_str(), nullptr, 10));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string SpaceJoin(const std::vector<std::string>& values) {
  std::string out;
  for (const auto& v : values) {
    if (!out.empty()) out += ' ';
    out += v;
  }
  return out;
}

std::vector<std::string> SpaceSplit(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    size_t sp = text.find(' ');
    if (sp != 0) out.emplace_back(text.substr(0, sp));
    if (sp == std::string_view::npos) break;
    text.remove_prefix(sp + 1);
  }
  return out;
}

model::EventRecord ReadEvent(const Stmt& s) {
  model::EventRecord e;
  e.id = s.Int(0);
  e.title = s.Text(1);
  e.first_seen = FromMs(s.Int(2));
  e.last_seen = FromMs(s.Int(3));
  e.posts = s.Int(4);
  e.authors = s.Int(5);
  e.heat = s.Double(6);
  e.grade = static_cast<int>(s.Int(7));
  e.trend = s.Text(8);
  e.domain = model::ParseDomain(s.Text(9)).value_or(model::Domain::kOther);
  e.negative_share = s.Double(10);
  e.regions = SpaceSplit(s.Text(11));
  e.merged_into = s.Int(12);
  e.updated_at = FromMs(s.Int(13));
  e.detail_json = s.Text(14);
  return e;
}

// SQL LIKE pattern matching `text` literally as a substring (escape character '\').
std::string LikeSubstring(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += '%';
  return out;
}

}  // namespace

Result<std::vector<QueuedPost>> SqliteStore::NextQueuedPosts(int64_t after_seq, int limit) {
  if (limit < 1 || limit > 10000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..10000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format(
                          "SELECT {}, q.seq, (SELECT group_concat(rule_id) FROM post_rule_hits h "
                          "WHERE h.post_key = q.post_key) FROM event_queue q JOIN posts ON "
                          "posts.key = q.post_key WHERE q.seq > ?1 ORDER BY q.seq LIMIT ?2",
                          kPostColumns)));
  s.Bind(1, after_seq);
  s.Bind(2, int64_t{limit});
  std::vector<QueuedPost> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    QueuedPost q;
    q.post = ReadPost(s);
    q.seq = s.Int(22);
    q.rule_ids = SplitIds(s.Text(23));
    out.push_back(std::move(q));
  }
  return out;
}

Result<int64_t> SqliteStore::QueueLength() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT count(*) FROM event_queue"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<int64_t> SqliteStore::QueuedAfter(int64_t seq) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT count(*) FROM event_queue WHERE seq > ?1"));
  s.Bind(1, seq);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<EventBatchResult> SqliteStore::CommitEvents(const EventBatch& batch) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  EventBatchResult result;
  auto body = [&]() -> Status {
    {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("DELETE FROM event_queue WHERE seq <= ?1"));
      s.Bind(1, batch.queue_through);
      YQ_RETURN_IF_ERROR(s.Run());
    }
    {
      YQ_ASSIGN_OR_RETURN(
          Stmt s, writer_->Prepare("INSERT INTO post_events(post_key, event_id, reason, score, "
                                   "analysis) VALUES(?1, ?2, ?3, ?4, ?5) "
                                   "ON CONFLICT(post_key) DO NOTHING"));
      // RETURNING gives a row only for a post not counted before, which the hourly counts
      // then take in once (a post processed again is not counted twice).
      YQ_ASSIGN_OR_RETURN(
          Stmt f, writer_->Prepare("INSERT INTO post_facts(post_key, channel, region, sentiment, "
                                   "engagement) SELECT key, channel, coalesce(region, ''), ?2, "
                                   "reposts + comments + likes FROM posts WHERE key = ?1 "
                                   "ON CONFLICT(post_key) DO NOTHING "
                                   "RETURNING channel, region, sentiment, engagement"));
      std::map<std::tuple<int64_t, std::string, int64_t, std::string>, std::pair<int64_t, int64_t>>
          hours;
      for (const PostEvent& p : batch.posts) {
        s.Reset();
        s.Bind(1, p.post_key);
        s.Bind(2, p.event_id);
        s.Bind(3, p.reason);
        s.BindDouble(4, p.score);
        s.Bind(5, p.analysis_json);
        YQ_RETURN_IF_ERROR(s.Run());
        f.Reset();
        f.Bind(1, p.post_key);
        f.Bind(2, int64_t{p.sentiment < 0 ? -1 : (p.sentiment > 0 ? 1 : 0)});
        YQ_ASSIGN_OR_RETURN(bool inserted, f.Step());
        if (inserted) {
          const int64_t hour = (p.post_key >> kKeyShift) / 3'600'000 * 3'600'000;
          auto& h = hours[{hour, f.Text(0), f.Int(2), f.Text(1)}];
          ++h.first;
          h.second += f.Int(3);
          YQ_ASSIGN_OR_RETURN(bool more, f.Step());
          (void)more;
        }
      }
      YQ_ASSIGN_OR_RETURN(
          Stmt h,
          writer_->Prepare("INSERT INTO post_hours(hour, channel, sentiment, region, posts, "
                           "engagement) VALUES(?1, ?2, ?3, ?4, ?5, ?6) "
                           "ON CONFLICT(hour, channel, sentiment, region) DO UPDATE SET "
                           "posts = posts + excluded.posts, "
                           "engagement = engagement + excluded.engagement"));
      for (const auto& [key, n] : hours) {
        h.Reset();
        h.Bind(1, std::get<0>(key));
        h.Bind(2, std::get<1>(key));
        h.Bind(3, std::get<2>(key));
        h.Bind(4, std::get<3>(key));
        h.Bind(5, n.first);
        h.Bind(6, n.second);
        YQ_RETURN_IF_ERROR(h.Run());
      }
    }
    if (!batch.events.empty()) {
      YQ_ASSIGN_OR_RETURN(Stmt up,
                          writer_->Prepare(fmt::format(
                              "INSERT OR REPLACE INTO events({}) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
                              "?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
                              kEventColumns)));
      YQ_ASSIGN_OR_RETURN(Stmt del,
                          writer_->Prepare("DELETE FROM event_regions WHERE event_id = ?1"));
      YQ_ASSIGN_OR_RETURN(Stmt reg,
                          writer_->Prepare("INSERT OR IGNORE INTO event_regions(code, event_id) "
                                           "VALUES(?1, ?2)"));
      for (const model::EventRecord& e : batch.events) {
        up.Reset();
        up.Bind(1, e.id);
        up.Bind(2, e.title);
        up.Bind(3, Ms(e.first_seen));
        up.Bind(4, Ms(e.last_seen));
        up.Bind(5, e.posts);
        up.Bind(6, e.authors);
        up.BindDouble(7, e.heat);
        up.Bind(8, int64_t{e.grade});
        up.Bind(9, e.trend);
        up.Bind(10, model::DomainName(e.domain));
        up.BindDouble(11, e.negative_share);
        up.Bind(12, SpaceJoin(e.regions));
        up.Bind(13, e.merged_into);
        up.Bind(14, Ms(e.updated_at));
        up.Bind(15, e.detail_json);
        YQ_RETURN_IF_ERROR(up.Run());
        del.Reset();
        del.Bind(1, e.id);
        YQ_RETURN_IF_ERROR(del.Run());
        if (e.merged_into != 0) continue;
        for (const std::string& code : e.regions) {
          reg.Reset();
          reg.Bind(1, code);
          reg.Bind(2, e.id);
          YQ_RETURN_IF_ERROR(reg.Run());
        }
      }
    }
    for (const EventMerge& m : batch.merges) {
      for (std::string_view sql : {
               "UPDATE post_events SET event_id = ?2 WHERE event_id = ?1",
               "UPDATE event_log SET event_id = ?2 WHERE event_id = ?1",
               "UPDATE events SET merged_into = ?2 WHERE id = ?1 OR merged_into = ?1",
               "DELETE FROM event_regions WHERE event_id = ?1",  // ?2 unused: SQLITE_RANGE, ignored
           }) {
        YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare(sql));
        s.Bind(1, m.from);
        s.Bind(2, m.into);
        YQ_RETURN_IF_ERROR(s.Run());
      }
    }
    if (!batch.merge_outcomes.empty()) {
      YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE event_merge_requests SET state = ?2, "
                                                   "error = ?3, done_at = ?4 WHERE id = ?1 AND "
                                                   "state = 'pending'"));
      for (const EventMergeOutcome& o : batch.merge_outcomes) {
        s.Reset();
        s.Bind(1, o.request_id);
        s.Bind(2, std::string(o.done ? "done" : "rejected"));
        s.Bind(3, o.error);
        s.Bind(4, Ms(o.at));
        YQ_RETURN_IF_ERROR(s.Run());
      }
    }
    if (!batch.log.empty()) {
      YQ_ASSIGN_OR_RETURN(Stmt s,
                          writer_->Prepare("INSERT INTO event_log(event_id, at, kind, detail) "
                                           "VALUES(?1, ?2, ?3, ?4)"));
      for (const EventLogEntry& l : batch.log) {
        s.Reset();
        s.Bind(1, l.event_id);
        s.Bind(2, Ms(l.at));
        s.Bind(3, l.kind);
        s.Bind(4, l.detail_json);
        YQ_RETURN_IF_ERROR(s.Run());
      }
    }
    return InsertAlertsLocked(batch.alerts, result.alert_ids);
  };
  Status s = body();
  if (s.ok()) s = writer_->Exec("COMMIT");
  if (!s.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return s.WithContext("event batch not written");
  }
  return result;
}

Result<std::vector<ProcessedPost>> SqliteStore::ScanProcessedPosts(core::TimePoint since,
                                                                   int64_t after_seq, int limit) {
  if (limit < 1 || limit > 10000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..10000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format(
                  "SELECT {}, pe.seq, pe.event_id, pe.analysis, (SELECT group_concat(rule_id) "
                  "FROM post_rule_hits h WHERE h.post_key = pe.post_key) FROM post_events pe "
                  "JOIN posts ON posts.key = pe.post_key WHERE pe.seq > ?1 AND pe.post_key >= ?2 "
                  "ORDER BY pe.seq LIMIT ?3",
                  kPostColumns)));
  s.Bind(1, after_seq);
  s.Bind(2, Ms(since) << kKeyShift);
  s.Bind(3, int64_t{limit});
  std::vector<ProcessedPost> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    ProcessedPost p;
    p.post = ReadPost(s);
    p.seq = s.Int(22);
    p.event_id = s.Int(23);
    p.analysis_json = s.Text(24);
    p.rule_ids = SplitIds(s.Text(25));
    out.push_back(std::move(p));
  }
  return out;
}

Result<int64_t> SqliteStore::MaxEventId() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT coalesce(max(id), 0) FROM events"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<EventPage> SqliteStore::ListEvents(const EventQuery& q) {
  if (q.limit < 0 || q.limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 0..1000", q.limit));
  }
  if (q.offset < 0 || q.offset > 100000) {
    return Status::InvalidArgument(fmt::format("offset {} is outside 0..100000", q.offset));
  }
  // Conditions with their bound values, numbered in order.
  std::vector<std::string> where;
  std::vector<std::function<void(Stmt&, int)>> binds;
  auto add = [&](std::string cond, std::function<void(Stmt&, int)> bind) {
    where.push_back(fmt::format(fmt::runtime(cond), binds.size() + 1));
    binds.push_back(std::move(bind));
  };
  if (!q.include_merged) where.emplace_back("merged_into = 0");
  if (q.from) add("last_seen >= ?{}", [v = Ms(*q.from)](Stmt& s, int i) { s.Bind(i, v); });
  if (q.to) add("first_seen < ?{}", [v = Ms(*q.to)](Stmt& s, int i) { s.Bind(i, v); });
  if (q.max_grade) {
    add("grade <= ?{}", [v = int64_t{*q.max_grade}](Stmt& s, int i) { s.Bind(i, v); });
  }
  if (q.domain) {
    add("domain = ?{}",
        [v = std::string(model::DomainName(*q.domain))](Stmt& s, int i) { s.Bind(i, v); });
  }
  if (!q.region.empty()) {
    // Codes are digits: a prefix range scan of event_regions.
    add("id IN (SELECT event_id FROM event_regions WHERE code >= ?{0} AND code < ?{0} || ':')",
        [v = q.region](Stmt& s, int i) { s.Bind(i, v); });
  }
  if (!q.trend.empty()) add("trend = ?{}", [v = q.trend](Stmt& s, int i) { s.Bind(i, v); });
  if (q.min_heat > 0) add("heat >= ?{}", [v = q.min_heat](Stmt& s, int i) { s.BindDouble(i, v); });
  if (!q.text.empty()) {
    add("title LIKE ?{} ESCAPE '\\'",
        [v = LikeSubstring(q.text)](Stmt& s, int i) { s.Bind(i, v); });
  }
  std::string cond;
  for (const auto& w : where) cond += (cond.empty() ? " WHERE " : " AND ") + w;
  std::string order;
  switch (q.sort) {
    case EventSort::kHeat:
      order = "heat DESC, id DESC";
      break;
    case EventSort::kLastSeen:
      order = "last_seen DESC, id DESC";
      break;
    case EventSort::kFirstSeen:
      order = "first_seen DESC, id DESC";
      break;
    case EventSort::kPosts:
      order = "posts DESC, id DESC";
      break;
    case EventSort::kGrade:
      order = "grade ASC, heat DESC, id DESC";
      break;
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  EventPage page;
  {
    YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT count(*) FROM events" + cond));
    for (size_t i = 0; i < binds.size(); ++i) binds[i](s, static_cast<int>(i + 1));
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    page.total = row ? s.Int(0) : 0;
  }
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM events{} ORDER BY {} "
                                             "LIMIT {} OFFSET {}",
                                             kEventColumns, cond, order, q.limit, q.offset)));
  for (size_t i = 0; i < binds.size(); ++i) binds[i](s, static_cast<int>(i + 1));
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    page.events.push_back(ReadEvent(s));
  }
  return page;
}

Result<std::optional<model::EventRecord>> SqliteStore::GetEvent(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM events WHERE id = ?1", kEventColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::EventRecord>();
  return std::optional<model::EventRecord>(ReadEvent(s));
}

Result<std::vector<StoredPost>> SqliteStore::EventPosts(int64_t event_id, int limit, int offset) {
  if (limit < 0 || limit > 1000 || offset < 0) {
    return Status::InvalidArgument(
        fmt::format("limit {} / offset {} outside 0..1000 / ≥ 0", limit, offset));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM post_events pe JOIN posts ON posts.key = "
                                     "pe.post_key WHERE pe.event_id = ?1 ORDER BY pe.post_key "
                                     "DESC LIMIT ?2 OFFSET ?3",
                                     kPostColumns)));
  s.Bind(1, event_id);
  s.Bind(2, int64_t{limit});
  s.Bind(3, int64_t{offset});
  return ReadAll(s, ReadPost);
}

Result<std::string> SqliteStore::PostAnalysis(int64_t post_key) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT analysis FROM post_events WHERE post_key = ?1"));
  s.Bind(1, post_key);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Text(0) : std::string();
}

Result<std::vector<EventLogEntry>> SqliteStore::EventLog(int64_t event_id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT event_id, at, kind, detail FROM event_log "
                                         "WHERE event_id = ?1 ORDER BY id"));
  s.Bind(1, event_id);
  std::vector<EventLogEntry> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), FromMs(s.Int(1)), s.Text(2), s.Text(3)});
  }
  return out;
}

namespace {

constexpr int64_t kHourMs = 3'600'000;

// Counts by (bucket start ms, channel, sentiment, region), in output order.
using CountKey = std::tuple<int64_t, std::string, int, std::string>;
using Counts = std::map<CountKey, std::pair<int64_t, int64_t>>;

// The SQL of a bucket's start for a time column in ms, as CountPosts defines buckets.
std::string BucketSql(const PostCountQuery& q, const std::string& ms) {
  if (q.bucket_seconds == 0) return "0";
  const int64_t b = q.bucket_seconds * 1000;
  const int64_t off = q.bucket_offset_seconds * 1000;
  return fmt::format("((({0}) + {1}) / {2}) * {2} - {1}", ms, off, b);
}

// Adds the rows of `sql` (bucket, channel, sentiment, region, posts, engagement) to `counts`.
Status AddCounts(Db& db, const std::string& sql, const std::function<void(Stmt&)>& bind,
                 Counts& counts) {
  YQ_ASSIGN_OR_RETURN(Stmt s, db.Prepare(sql));
  bind(s);
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    auto& c = counts[{s.Int(0), s.Text(1), static_cast<int>(s.Int(2)), s.Text(3)}];
    c.first += s.Int(4);
    c.second += s.Int(5);
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<PostCountRow>> SqliteStore::CountPosts(const PostCountQuery& q) {
  constexpr int64_t kMaxBucket = 365LL * 86400;
  if (q.bucket_seconds < 0 || q.bucket_seconds > kMaxBucket) {
    return Status::InvalidArgument(
        fmt::format("bucket {} s is outside 0..{} (0: one bucket)", q.bucket_seconds, kMaxBucket));
  }
  if (q.region_digits != 0 && q.region_digits != 2 && q.region_digits != 4 &&
      q.region_digits != 6) {
    return Status::InvalidArgument(fmt::format(
        "region level of {} digits: expected 2 (province), 4 (prefecture) or 6 (county)",
        q.region_digits));
  }
  if (q.region.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("region \"{}\" is not a GB/T 2260 code prefix (digits)", q.region));
  }
  constexpr int64_t kMaxMs = (INT64_MAX >> kKeyShift) - 1;
  const int64_t from_ms = q.from ? std::clamp<int64_t>(Ms(*q.from), 0, kMaxMs) : 0;
  const int64_t to_ms = q.to ? std::clamp<int64_t>(Ms(*q.to), 0, kMaxMs) : kMaxMs;
  // Whole hours come from the hourly counts (post_hours) when every bucket is made of whole
  // hours; the posts of the partial hours at either end, and every post when buckets are
  // finer or the query is about one event, come from post_facts.
  const bool hourly =
      q.event_id == 0 && q.bucket_seconds % 3600 == 0 && q.bucket_offset_seconds % 3600 == 0;
  int64_t hours_lo = 0, hours_hi = 0;  // [lo, hi) in ms, whole hours
  if (hourly) {
    hours_lo = (from_ms + kHourMs - 1) / kHourMs * kHourMs;
    hours_hi = to_ms / kHourMs * kHourMs;
    if (hours_hi < hours_lo) hours_hi = hours_lo;
  }
  std::string region_where;
  if (!q.region.empty()) region_where += " AND {0}region >= ?3 AND {0}region < ?3 || ':'";
  if (q.region_digits > 0) {
    region_where += fmt::format(" AND length({{0}}region) >= {}", q.region_digits);
  }
  auto region_sql = [&](const char* alias) {
    return q.region_digits > 0 ? fmt::format("substr({}region, 1, {})", alias, q.region_digits)
                               : std::string("''");
  };
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  Counts counts;
  auto facts = [&](int64_t lo_ms, int64_t hi_ms) -> Status {
    if (lo_ms >= hi_ms) return Status::Ok();
    std::string from = "post_facts f";
    std::string where =
        "f.post_key >= ?1 AND f.post_key < ?2" + fmt::format(fmt::runtime(region_where), "f.");
    if (q.event_id != 0) {
      from = "post_events pe JOIN post_facts f ON f.post_key = pe.post_key";
      where += " AND pe.event_id = ?4";
    }
    std::string sql = fmt::format(
        "SELECT {} AS b, f.channel, f.sentiment, {} AS g, count(*), sum(f.engagement) FROM {} "
        "WHERE {} GROUP BY b, f.channel, f.sentiment, g",
        BucketSql(q, fmt::format("f.post_key >> {}", kKeyShift)), region_sql("f."), from, where);
    return AddCounts(
        *r, sql,
        [&](Stmt& s) {
          s.Bind(1, lo_ms << kKeyShift);
          s.Bind(2, hi_ms >= kMaxMs ? INT64_MAX : hi_ms << kKeyShift);
          if (!q.region.empty()) s.Bind(3, q.region);
          if (q.event_id != 0) s.Bind(4, q.event_id);
        },
        counts);
  };
  if (hourly && hours_lo < hours_hi) {
    YQ_RETURN_IF_ERROR(facts(from_ms, hours_lo));
    std::string sql = fmt::format(
        "SELECT {} AS b, h.channel, h.sentiment, {} AS g, sum(h.posts), sum(h.engagement) FROM "
        "post_hours h WHERE h.hour >= ?1 AND h.hour < ?2{} GROUP BY b, h.channel, h.sentiment, g",
        BucketSql(q, "h.hour"), region_sql("h."), fmt::format(fmt::runtime(region_where), "h."));
    YQ_RETURN_IF_ERROR(AddCounts(
        *r, sql,
        [&](Stmt& s) {
          s.Bind(1, hours_lo);
          s.Bind(2, hours_hi);
          if (!q.region.empty()) s.Bind(3, q.region);
        },
        counts));
    YQ_RETURN_IF_ERROR(facts(hours_hi, to_ms));
  } else {
    YQ_RETURN_IF_ERROR(facts(from_ms, to_ms));
  }
  std::vector<PostCountRow> out;
  out.reserve(counts.size());
  for (const auto& [key, n] : counts) {
    PostCountRow c;
    c.start = FromMs(std::get<0>(key));
    c.channel = model::ParseChannel(std::get<1>(key)).value_or(model::Channel::kOther);
    c.sentiment = std::get<2>(key);
    c.region = std::get<3>(key);
    c.posts = n.first;
    c.engagement = n.second;
    out.push_back(std::move(c));
  }
  return out;
}

Result<int64_t> SqliteStore::LastProcessedSeq() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT coalesce(max(seq), 0) FROM post_events"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  return row ? s.Int(0) : 0;
}

Result<std::vector<SourceSummary>> SqliteStore::ListSources() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  // The (source, external_id) index holds the key, and the key the publication time.
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT source, count(*), min(key) >> {0}, "
                                                     "max(key) >> {0} FROM posts GROUP BY source "
                                                     "ORDER BY source",
                                                     kKeyShift)));
  std::vector<SourceSummary> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Text(0), s.Int(1), FromMs(s.Int(2)), FromMs(s.Int(3))});
  }
  return out;
}

Result<std::vector<RegionEventCount>> SqliteStore::CountEventsByRegion(const EventQuery& q,
                                                                       int digits) {
  if (digits != 2 && digits != 4 && digits != 6) {
    return Status::InvalidArgument(fmt::format(
        "region level of {} digits: expected 2 (province), 4 (prefecture) or 6 (county)", digits));
  }
  if (q.region.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(
        fmt::format("region \"{}\" is not a GB/T 2260 code prefix (digits)", q.region));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format(
                          "SELECT substr(er.code, 1, {0}) AS g, count(DISTINCT e.id), max(e.heat), "
                          "min(e.grade) FROM event_regions er JOIN events e ON e.id = er.event_id "
                          "WHERE e.merged_into = 0 AND er.code >= ?1 AND er.code < ?1 || ':' AND "
                          "length(er.code) >= {0} AND e.last_seen >= ?2 AND e.first_seen < ?3 "
                          "GROUP BY g ORDER BY g",
                          digits)));
  s.Bind(1, q.region);
  s.Bind(2, q.from ? Ms(*q.from) : INT64_MIN);
  s.Bind(3, q.to ? Ms(*q.to) : INT64_MAX);
  std::vector<RegionEventCount> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Text(0), s.Int(1), s.Double(2), static_cast<int>(s.Int(3))});
  }
  return out;
}

namespace {

constexpr const char* kMergeRequestColumns =
    "id, from_event, into_event, requested_by, reason, requested_at, state, error, done_at, "
    "audit_seq";

EventMergeRequest ReadMergeRequest(Stmt& s) {
  EventMergeRequest r;
  r.id = s.Int(0);
  r.from = s.Int(1);
  r.into = s.Int(2);
  r.requested_by = s.Text(3);
  r.reason = s.Text(4);
  r.requested_at = FromMs(s.Int(5));
  r.state = s.Text(6);
  r.error = s.Text(7);
  r.done_at = FromMs(s.Int(8));
  r.audit_seq = s.Int(9);
  return r;
}

}  // namespace

Result<EventMergeRequest> SqliteStore::RequestEventMerge(const EventMergeRequest& request,
                                                         const model::AuditDraft& audit) {
  if (request.from <= 0 || request.into <= 0) {
    return Status::InvalidArgument(
        fmt::format("event ids {} and {}: expected positive ids", request.from, request.into));
  }
  if (request.from == request.into) {
    return Status::InvalidArgument(
        fmt::format("event {} cannot be merged into itself", request.from));
  }
  if (request.reason.size() > 1000) {
    return Status::InvalidArgument(
        fmt::format("reason of {} bytes: at most 1,000", request.reason.size()));
  }
  std::lock_guard<std::mutex> lock(write_mu_);
  EventMergeRequest out = request;
  out.state = "pending";
  out.error.clear();
  out.done_at = {};
  YQ_RETURN_IF_ERROR(writer_->Exec("BEGIN IMMEDIATE"));
  auto body = [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO event_merge_requests(from_event, "
                                                 "into_event, requested_by, reason, "
                                                 "requested_at) VALUES(?1, ?2, ?3, ?4, ?5)"));
    s.Bind(1, request.from);
    s.Bind(2, request.into);
    s.Bind(3, request.requested_by);
    s.Bind(4, request.reason);
    s.Bind(5, Ms(request.requested_at));
    YQ_RETURN_IF_ERROR(s.Run());
    out.id = writer_->LastInsertRowid();
    model::AuditDraft draft = audit;
    draft.to_json =
        fmt::format(R"({{"from":{},"into":{},"request":{}}})", request.from, request.into, out.id);
    YQ_ASSIGN_OR_RETURN(model::AuditEntry entry, AppendAuditLocked(*writer_, draft));
    out.audit_seq = entry.seq;
    YQ_ASSIGN_OR_RETURN(
        Stmt u, writer_->Prepare("UPDATE event_merge_requests SET audit_seq = ?2 WHERE id = ?1"));
    u.Bind(1, out.id);
    u.Bind(2, out.audit_seq);
    return u.Run();
  };
  Status st = body();
  if (st.ok()) st = writer_->Exec("COMMIT");
  if (!st.ok()) {
    (void)writer_->Exec("ROLLBACK");
    return st;
  }
  return out;
}

Result<std::vector<EventMergeRequest>> SqliteStore::PendingEventMerges(int64_t after_id,
                                                                       int limit) {
  if (limit < 1 || limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} outside 1..1000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT {} FROM event_merge_requests WHERE "
                                                     "state = 'pending' AND id > ?1 ORDER BY id "
                                                     "LIMIT ?2",
                                                     kMergeRequestColumns)));
  s.Bind(1, after_id);
  s.Bind(2, int64_t{limit});
  return ReadAll(s, ReadMergeRequest);
}

Result<std::optional<EventMergeRequest>> SqliteStore::GetEventMergeRequest(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM event_merge_requests WHERE id = ?1",
                                             kMergeRequestColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<EventMergeRequest>();
  return std::optional<EventMergeRequest>(ReadMergeRequest(s));
}

}  // namespace yuqing::store::sqlite::internal
