// Reading a report's facts. The counts mirror server/stats_api.cc (channels, sentiment,
// regions) and the event list of events_api.cc: the same store queries with the same period,
// region and bucket alignment, so the report's numbers are the screens' numbers.
#include "reports/gather.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "access/access.h"
#include "core/time.h"

namespace yuqing::reports {
namespace {

using nlohmann::json;

constexpr int64_t kMaxBuckets = 10000;
constexpr int kMaxEvents = 200;
constexpr int kEventPostsRead = 5000;  // posts of an event read for its key posts
constexpr int kNotablePosts = 8;
constexpr int kNotableEvents = 5;

int64_t Ms(core::TimePoint t) { return t.time_since_epoch().count(); }
core::TimePoint FromMs(int64_t ms) { return core::TimePoint(std::chrono::milliseconds(ms)); }

// Bucket starts aligned like the store's (stats_api.cc BucketStarts).
std::vector<core::TimePoint> BucketStarts(core::TimePoint from, core::TimePoint to,
                                          int64_t bucket_s, int tz_minutes) {
  const int64_t b = bucket_s * 1000;
  const int64_t off = int64_t{tz_minutes} * 60 * 1000;
  int64_t shifted = Ms(from) + off;
  int64_t q = shifted / b;
  if (shifted % b != 0 && shifted < 0) --q;
  std::vector<core::TimePoint> out;
  for (int64_t t = q * b - off; t < Ms(to); t += b) out.push_back(FromMs(t));
  return out;
}

void AddRow(PostTotals& t, const store::PostCountRow& row) {
  t.total += row.posts;
  t.engagement += row.engagement;
  t.by_channel[static_cast<size_t>(row.channel)] += row.posts;
  (row.sentiment < 0 ? t.negative : row.sentiment > 0 ? t.positive : t.neutral) += row.posts;
}

Result<PostTotals> CountTotals(store::EventStore& events, core::TimePoint from, core::TimePoint to,
                               const std::string& region, int64_t event_id) {
  store::PostCountQuery q;
  q.from = from;
  q.to = to;
  q.region = region;
  q.event_id = event_id;
  YQ_ASSIGN_OR_RETURN(auto rows, events.CountPosts(q));
  PostTotals t;
  for (const auto& row : rows) AddRow(t, row);
  return t;
}

Result<std::vector<Bucket>> CountSeries(store::EventStore& events, const Scope& scope,
                                        int64_t bucket_s, int64_t event_id) {
  if (bucket_s <= 0) return Status::InvalidArgument("a series needs a positive bucket");
  if ((Ms(scope.to) - Ms(scope.from)) / (bucket_s * 1000) + 1 > kMaxBuckets) {
    return Status::InvalidArgument(fmt::format(
        "the period {} – {} has more than {} buckets of {} s", core::FormatIso8601(scope.from),
        core::FormatIso8601(scope.to), kMaxBuckets, bucket_s));
  }
  std::vector<core::TimePoint> starts =
      BucketStarts(scope.from, scope.to, bucket_s, scope.tz_minutes);
  std::map<int64_t, Bucket> by_start;
  for (core::TimePoint t : starts) by_start[Ms(t)].start = t;
  store::PostCountQuery q;
  q.from = scope.from;
  q.to = scope.to;
  q.region = event_id == 0 ? scope.region : "";
  q.event_id = event_id;
  q.bucket_seconds = bucket_s;
  q.bucket_offset_seconds = int64_t{scope.tz_minutes} * 60;
  YQ_ASSIGN_OR_RETURN(auto rows, events.CountPosts(q));
  for (const auto& row : rows) {
    auto it = by_start.find(Ms(row.start));
    if (it == by_start.end()) continue;
    Bucket& b = it->second;
    b.posts += row.posts;
    (row.sentiment < 0 ? b.negative : row.sentiment > 0 ? b.positive : b.neutral) += row.posts;
  }
  std::vector<Bucket> out;
  out.reserve(by_start.size());
  for (auto& [_, b] : by_start) out.push_back(b);
  return out;
}

std::string RegionName(const org::RegionTree* tree, const std::string& code) {
  if (tree == nullptr || code.empty()) return "";
  std::string full = code;
  if (full.size() < 6) full.append(6 - full.size(), '0');
  const auto* r = tree->Find(full);
  return r != nullptr ? r->name : "";
}

// Regions one level below the scope: provinces for the nation, prefectures for a province,
// counties below that (the map of /api/v1/stats/regions at that level).
int RegionDigits(const std::string& region) {
  if (region.size() < 2) return 2;
  if (region.size() < 4) return 4;
  return 6;
}

Result<std::vector<RegionFigures>> CountRegions(const StoreRefs& stores, const Scope& scope,
                                                int digits, int64_t event_id) {
  std::map<std::string, RegionFigures> regions;
  store::PostCountQuery q;
  q.from = scope.from;
  q.to = scope.to;
  q.region = event_id == 0 ? scope.region : "";
  q.event_id = event_id;
  q.region_digits = digits;
  YQ_ASSIGN_OR_RETURN(auto rows, stores.events.CountPosts(q));
  for (const auto& row : rows) {
    RegionFigures& r = regions[row.region];
    r.code = row.region;
    r.posts += row.posts;
    if (row.sentiment < 0) r.negative += row.posts;
  }
  if (event_id == 0) {
    store::EventQuery eq;
    eq.from = scope.from;
    eq.to = scope.to;
    eq.region = scope.region;
    YQ_ASSIGN_OR_RETURN(auto counted, stores.events.CountEventsByRegion(eq, digits));
    for (const auto& ev : counted) {
      RegionFigures& r = regions[ev.code];
      r.code = ev.code;
      r.events = ev.events;
      r.max_heat = ev.max_heat;
      r.top_grade = ev.top_grade;
    }
  }
  std::vector<RegionFigures> out;
  for (auto& [code, r] : regions) {
    r.name = RegionName(stores.regions, code);
    out.push_back(std::move(r));
  }
  // Most posts first; ties by code, so the order is stable.
  std::stable_sort(out.begin(), out.end(), [](const RegionFigures& a, const RegionFigures& b) {
    return a.posts > b.posts;
  });
  return out;
}

// Departments of the stored organisation by id (and whom to assess, in its order).
Result<std::vector<cases::DepartmentRef>> Departments(store::OrgStore& org,
                                                      const std::string& region) {
  std::vector<cases::DepartmentRef> out;
  YQ_ASSIGN_OR_RETURN(auto stored, org.GetOrganisation());
  if (!stored) return out;
  json doc = json::parse(stored->json, nullptr, false);
  if (doc.is_discarded() || !doc.contains("departments") || !doc["departments"].is_array()) {
    return out;
  }
  std::string prefix = access::RegionPrefix(region);
  for (const auto& d : doc["departments"]) {
    if (!d.is_object()) continue;
    std::string r = d.value("region", "");
    if (!prefix.empty() && r.compare(0, prefix.size(), prefix) != 0) continue;
    out.push_back({d.value("id", ""), d.value("name", "")});
  }
  return out;
}

// Every case under the region (not merged away), oldest first.
Result<std::vector<model::Case>> AllCases(store::CaseStore& cases, const std::string& region,
                                          int64_t event_id) {
  std::vector<model::Case> all;
  store::CaseFilter f;
  f.descending = false;
  f.limit = 10000;
  f.event_id = event_id;
  std::string prefix = access::RegionPrefix(region);
  if (!prefix.empty()) f.region_prefix = prefix;
  while (true) {
    YQ_ASSIGN_OR_RETURN(std::vector<model::Case> page, cases.ListCases(f));
    if (page.empty()) break;
    f.after_id = page.back().id;
    for (auto& c : page) all.push_back(std::move(c));
  }
  return all;
}

// Event alerts (not case notices) raised in [from, to), oldest first.
Result<std::vector<model::Alert>> AlertsIn(store::AlertStore& alerts, core::TimePoint from,
                                           core::TimePoint to, const std::string& region,
                                           int64_t event_id) {
  std::vector<model::Alert> out;
  store::AlertQuery q;
  q.ascending = true;
  q.limit = 1000;
  if (event_id != 0) q.event_id = event_id;
  if (!region.empty()) q.region = region;
  while (true) {
    YQ_ASSIGN_OR_RETURN(auto page, alerts.ListAlerts(q));
    if (page.empty()) break;
    q.after_id = page.back().id;
    for (auto& a : page) {
      if (a.case_id == 0 && a.created_at >= from && a.created_at < to) out.push_back(std::move(a));
    }
    if (page.size() < 1000) break;
  }
  return out;
}

// The event's most engaging posts published in [from, to), most engaging first (ties: newer
// first as the store lists them, then by source and id).
Result<std::vector<PostFact>> KeyPosts(store::EventStore& events, int64_t event_id,
                                       core::TimePoint from, core::TimePoint to, size_t n) {
  // The newest kEventPostsRead posts, a page of 1000 (the store's most) at a time.
  std::vector<PostFact> out;
  for (int offset = 0; offset < kEventPostsRead; offset += 1000) {
    YQ_ASSIGN_OR_RETURN(auto posts, events.EventPosts(event_id, 1000, offset));
    for (auto& p : posts) {
      if (p.post.published_at < from || p.post.published_at >= to) continue;
      out.push_back({p.key, std::move(p.post), event_id});
    }
    if (posts.size() < 1000) break;
  }
  std::stable_sort(out.begin(), out.end(), [](const PostFact& a, const PostFact& b) {
    if (a.engagement() != b.engagement()) return a.engagement() > b.engagement();
    if (a.post.source != b.post.source) return a.post.source < b.post.source;
    return a.post.external_id < b.post.external_id;
  });
  if (out.size() > n) out.resize(n);
  return out;
}

void DepartmentNames(store::OrgStore& org, std::map<std::string, std::string>& names) {
  auto deps = Departments(org, "");
  if (!deps.ok()) return;
  for (const auto& d : *deps) names[d.id] = d.name;
}

Result<std::vector<EventFacts::ResponseEffect>> Effects(store::EventStore& events,
                                                        const model::Case& c, core::TimePoint now) {
  std::vector<EventFacts::ResponseEffect> out;
  if (c.event_id == 0) return out;
  // The event's 10-minute series with negative posts (cases/effectiveness.h), counted from
  // the processed posts' sentiment.
  store::PostCountQuery q;
  q.event_id = c.event_id;
  q.bucket_seconds = 600;
  YQ_ASSIGN_OR_RETURN(auto rows, events.CountPosts(q));
  std::map<int64_t, cases::SeriesPoint> buckets;
  for (const auto& row : rows) {
    auto& b = buckets[Ms(row.start)];
    b.start = row.start;
    b.posts += row.posts;
    b.engagement += static_cast<double>(row.engagement);
    if (row.sentiment < 0) b.negative_posts += row.posts;
  }
  std::vector<cases::SeriesPoint> series;
  series.reserve(buckets.size());
  for (auto& [_, b] : buckets) series.push_back(b);
  for (const auto& r : c.responses) {
    if (r.status != model::ResponseStatus::kPublished || !r.published_at) continue;
    auto e = cases::JudgeEffect(series, *r.published_at, now);
    if (e.ok()) out.push_back({r.id, std::move(*e)});
  }
  return out;
}

}  // namespace

Result<PeriodFacts> GatherPeriod(const StoreRefs& stores, const Scope& scope,
                                 const PeriodOptions& options) {
  if (!(scope.from < scope.to)) {
    return Status::InvalidArgument(fmt::format("the period must begin before it ends ({} – {})",
                                               core::FormatIso8601(scope.from),
                                               core::FormatIso8601(scope.to)));
  }
  PeriodFacts f;
  f.scope = scope;
  f.bucket_seconds = options.bucket_seconds;
  f.region_digits = RegionDigits(scope.region);
  YQ_ASSIGN_OR_RETURN(f.posts, CountTotals(stores.events, scope.from, scope.to, scope.region, 0));
  YQ_ASSIGN_OR_RETURN(f.series, CountSeries(stores.events, scope, options.bucket_seconds, 0));
  YQ_ASSIGN_OR_RETURN(f.regions, CountRegions(stores, scope, f.region_digits, 0));

  store::EventQuery eq;
  eq.from = scope.from;
  eq.to = scope.to;
  eq.region = scope.region;
  eq.sort = store::EventSort::kGrade;
  eq.limit = kMaxEvents;
  YQ_ASSIGN_OR_RETURN(auto page, stores.events.ListEvents(eq));
  f.events = std::move(page.events);
  f.events_total = page.total;

  YQ_ASSIGN_OR_RETURN(f.alerts, AlertsIn(stores.alerts, scope.from, scope.to, scope.region, 0));

  // Cases: opened in the period, first answered in it, or overdue at its end.
  const core::TimePoint judged_at = std::min(scope.now, scope.to);
  YQ_ASSIGN_OR_RETURN(auto all, AllCases(stores.cases, scope.region, 0));
  for (const auto& c : all) {
    if (c.event_id == 0 || c.created_at >= scope.to) continue;
    auto it = f.event_case_state.find(c.event_id);
    if (it == f.event_case_state.end() || !model::CaseIsOpen(it->second)) {
      f.event_case_state[c.event_id] = c.state;
    }
  }
  for (auto& c : all) {
    if (c.created_at >= scope.to) continue;
    CaseFact cf;
    cf.opened = c.created_at >= scope.from;
    auto first = cases::FirstPublished(c);
    cf.answered = first && *first >= scope.from && *first < scope.to;
    cf.deadlines = cases::Deadlines(c, judged_at);
    cf.overdue = std::any_of(cf.deadlines.begin(), cf.deadlines.end(),
                             [](const auto& d) { return d.state == cases::ClockState::kOverdue; });
    cf.overdue = cf.overdue && model::CaseIsOpen(c.state);
    if (!cf.opened && !cf.answered && !cf.overdue) continue;
    cf.c = std::move(c);
    f.cases.push_back(std::move(cf));
  }

  // Notable posts: the most engaging posts of the period's hottest events.
  std::vector<const model::EventRecord*> hottest;
  for (const auto& e : f.events) hottest.push_back(&e);
  std::stable_sort(hottest.begin(), hottest.end(),
                   [](const auto* a, const auto* b) { return a->heat > b->heat; });
  if (hottest.size() > static_cast<size_t>(kNotableEvents)) hottest.resize(kNotableEvents);
  for (const auto* e : hottest) {
    YQ_ASSIGN_OR_RETURN(auto posts, KeyPosts(stores.events, e->id, scope.from, scope.to, 3));
    for (auto& p : posts) {
      if (!scope.region.empty() && !p.post.region.starts_with(scope.region)) continue;
      f.notable.push_back(std::move(p));
    }
  }
  std::stable_sort(f.notable.begin(), f.notable.end(), [](const PostFact& a, const PostFact& b) {
    return a.engagement() > b.engagement();
  });
  if (f.notable.size() > static_cast<size_t>(kNotablePosts)) f.notable.resize(kNotablePosts);

  if (options.previous) {
    const auto span = scope.to - scope.from;
    YQ_ASSIGN_OR_RETURN(f.previous_posts,
                        CountTotals(stores.events, scope.from - span, scope.from, scope.region, 0));
    store::EventQuery pq = eq;
    pq.from = scope.from - span;
    pq.to = scope.from;
    pq.limit = 0;
    YQ_ASSIGN_OR_RETURN(auto prev, stores.events.ListEvents(pq));
    f.previous_events_total = prev.total;
  }

  DepartmentNames(stores.org, f.department_names);
  if (options.assessment) {
    // Like the assessment endpoint: cases detected in the period within the region.
    cases::AssessmentRequest req;
    req.from = scope.from;
    req.to = scope.to;
    req.now = scope.now;
    YQ_ASSIGN_OR_RETURN(req.departments, Departments(stores.org, scope.region));
    YQ_ASSIGN_OR_RETURN(auto cases_all, AllCases(stores.cases, scope.region, 0));
    std::vector<model::Case> in_period;
    for (auto& c : cases_all) {
      if (c.detected_at >= scope.from && c.detected_at < scope.to) in_period.push_back(c);
    }
    if (req.departments.empty()) {
      for (const auto& c : in_period) {
        for (const auto& a : c.assignments) {
          bool seen = std::any_of(req.departments.begin(), req.departments.end(),
                                  [&](const auto& d) { return d.id == a.department_id; });
          if (!seen) req.departments.push_back({a.department_id, a.department_id});
        }
      }
    }
    YQ_ASSIGN_OR_RETURN(f.assessment, cases::Assess(in_period, req));
    for (const auto& c : cases_all) {
      for (const auto& n : c.notices) {
        if (n.status != "issued" || n.at < scope.from || n.at >= scope.to) continue;
        f.notices.push_back({c.id, c.title, n});
      }
    }
    std::stable_sort(f.notices.begin(), f.notices.end(),
                     [](const auto& a, const auto& b) { return a.notice.at < b.notice.at; });
  }
  f.region_names[scope.region] = RegionName(stores.regions, scope.region);
  return f;
}

Result<EventFacts> GatherEvent(const StoreRefs& stores, int64_t event_id, const Scope& scope) {
  YQ_ASSIGN_OR_RETURN(auto found, stores.events.GetEvent(event_id));
  if (!found) return Status::NotFound(fmt::format("no event with id {}", event_id));
  EventFacts f;
  f.event = std::move(*found);
  f.scope = scope;
  f.scope.from = f.event.first_seen;
  f.scope.to = f.event.last_seen + std::chrono::milliseconds(1);
  json detail = json::parse(f.event.detail_json, nullptr, false);
  if (detail.is_object()) {
    if (detail.contains("keywords") && detail["keywords"].is_array()) {
      for (const auto& k : detail["keywords"]) {
        if (k.is_object() && k.contains("term") && k["term"].is_string()) {
          f.keywords.push_back(k["term"].get<std::string>());
        }
      }
    }
    if (detail.contains("risk") && detail["risk"].is_object()) {
      const json& r = detail["risk"];
      f.risk_grade_zh = r.value("grade_name_zh", "");
      if (r.contains("reasons") && r["reasons"].is_array()) {
        for (const auto& x : r["reasons"]) {
          if (!x.is_object()) continue;
          // The Chinese line where the event stage wrote one (events stored before it was
          // written have the English line only).
          std::string zh = x.value("detail_zh", "");
          f.risk_reasons.push_back({x.value("factor", ""), zh.empty() ? x.value("detail", "") : zh,
                                    x.value("aggravating", false), x.value("value", 0.0),
                                    x.value("threshold", 0.0)});
        }
      }
    }
    if (detail.contains("rumour") && detail["rumour"].is_object()) {
      f.rumour_posts = detail["rumour"].value("posts", int64_t{0});
      f.denial_posts = detail["rumour"].value("denials", int64_t{0});
      f.max_rumour = detail["rumour"].value("max_score", 0.0);
    }
    if (detail.contains("top_authors") && detail["top_authors"].is_array()) {
      for (const auto& a : detail["top_authors"]) {
        if (!a.is_object()) continue;
        f.top_authors.push_back({a.value("name", ""), a.value("kind", ""),
                                 a.value("followers", int64_t{0}), a.value("posts", int64_t{0})});
      }
    }
  }
  YQ_ASSIGN_OR_RETURN(f.posts, CountTotals(stores.events, f.scope.from, f.scope.to, "", event_id));
  // Hourly while the event is younger than 14 days, daily after.
  f.bucket_seconds = f.scope.to - f.scope.from <= std::chrono::hours(14 * 24) ? 3600 : 86400;
  YQ_ASSIGN_OR_RETURN(f.series, CountSeries(stores.events, f.scope, f.bucket_seconds, event_id));
  YQ_ASSIGN_OR_RETURN(f.regions, CountRegions(stores, f.scope, 6, event_id));
  YQ_ASSIGN_OR_RETURN(f.key_posts, KeyPosts(stores.events, event_id, f.scope.from, f.scope.to, 8));
  YQ_ASSIGN_OR_RETURN(auto log, stores.events.EventLog(event_id));
  for (auto& e : log) f.log.push_back({e.at, std::move(e.kind), std::move(e.detail_json)});
  YQ_ASSIGN_OR_RETURN(
      f.alerts, AlertsIn(stores.alerts, core::TimePoint{}, core::TimePoint::max(), "", event_id));
  YQ_ASSIGN_OR_RETURN(auto cases_of_event, AllCases(stores.cases, "", event_id));
  // The open case, else the newest.
  for (auto& c : cases_of_event) {
    if (!f.c || model::CaseIsOpen(c.state) || !model::CaseIsOpen(f.c->state)) {
      if (f.c && model::CaseIsOpen(f.c->state) && !model::CaseIsOpen(c.state)) continue;
      f.c = std::move(c);
    }
  }
  if (f.c) {
    f.deadlines = cases::Deadlines(*f.c, scope.now);
    YQ_ASSIGN_OR_RETURN(f.effects, Effects(stores.events, *f.c, scope.now));
  }
  DepartmentNames(stores.org, f.department_names);
  for (const auto& r : f.event.regions) f.region_names[r] = RegionName(stores.regions, r);
  return f;
}

Result<CaseFacts> GatherCase(const StoreRefs& stores, int64_t case_id, const Scope& scope) {
  YQ_ASSIGN_OR_RETURN(auto found, stores.cases.GetCase(case_id));
  if (!found) return Status::NotFound(fmt::format("no case with id {}", case_id));
  CaseFacts f;
  f.scope = scope;
  f.c = std::move(*found);
  YQ_ASSIGN_OR_RETURN(f.log, stores.cases.CaseLog(case_id));
  f.deadlines = cases::Deadlines(f.c, scope.now);
  if (f.c.event_id != 0) {
    auto e = GatherEvent(stores, f.c.event_id, scope);
    if (e.ok()) {
      f.event = std::move(*e);
    } else if (e.status().code() != StatusCode::kNotFound) {
      return e.status();
    }
  }
  YQ_ASSIGN_OR_RETURN(f.effects, Effects(stores.events, f.c, scope.now));
  f.scope.from = f.c.detected_at;
  f.scope.to = f.c.closed_at ? *f.c.closed_at : scope.now;
  DepartmentNames(stores.org, f.department_names);
  f.region_names[f.c.region] = RegionName(stores.regions, f.c.region);
  return f;
}

Result<std::string> CheckpointLine(store::AuditStore& audit, core::TimePoint now) {
  YQ_ASSIGN_OR_RETURN(auto checkpoints, audit.ListAuditCheckpoints());
  const model::AuditCheckpoint* latest = nullptr;
  for (const auto& c : checkpoints) {
    if (c.at <= now && (latest == nullptr || c.size > latest->size)) latest = &c;
  }
  if (latest == nullptr) return std::string();
  return fmt::format("审计检查点：第{}条，{}，哈希 {}，公钥 {}，签名 {}", latest->size,
                     core::FormatIso8601(latest->at), latest->head_hash, latest->public_key,
                     latest->signature);
}

// --- Periods.

namespace {
using std::chrono::days;
using std::chrono::duration_cast;
using std::chrono::floor;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::months;
using std::chrono::sys_days;
using std::chrono::weekday;
using std::chrono::year_month;
using std::chrono::year_month_day;
}  // namespace

Result<core::TimePoint> ParseLocalDate(std::string_view text, int tz_minutes,
                                       std::string_view what) {
  auto bad = [&] {
    return Status::InvalidArgument(
        fmt::format("{} \"{}\" is not a date (YYYY-MM-DD, e.g. 2026-12-02)", what, text));
  };
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return bad();
  int y = 0, m = 0, d = 0;
  for (size_t i = 0; i < 10; ++i) {
    if (i == 4 || i == 7) continue;
    if (text[i] < '0' || text[i] > '9') return bad();
  }
  y = std::stoi(std::string(text.substr(0, 4)));
  m = std::stoi(std::string(text.substr(5, 2)));
  d = std::stoi(std::string(text.substr(8, 2)));
  std::chrono::year_month_day ymd{std::chrono::year(y),
                                  std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return bad();
  auto midnight = std::chrono::sys_days(ymd);
  return core::TimePoint(std::chrono::duration_cast<std::chrono::milliseconds>(
      midnight.time_since_epoch() - std::chrono::minutes(tz_minutes)));
}

Result<core::TimePoint> ParseDateOrTime(std::string_view text, int tz_minutes,
                                        std::string_view what) {
  if (text.size() == 10) return ParseLocalDate(text, tz_minutes, what);
  auto t = core::ParseIso8601(text);
  if (!t.ok()) {
    return Status::InvalidArgument(
        fmt::format("{} \"{}\" is not a date (YYYY-MM-DD) or an ISO-8601 time: {}", what, text,
                    t.status().message()));
  }
  return *t;
}

core::TimePoint StartOfDay(core::TimePoint t, int tz_minutes) {
  auto local = floor<days>(t + minutes(tz_minutes));
  return core::TimePoint(
      duration_cast<milliseconds>(local.time_since_epoch() - minutes(tz_minutes)));
}

core::TimePoint StartOfWeek(core::TimePoint t, int tz_minutes) {
  auto local = floor<days>(t + minutes(tz_minutes));
  weekday wd{sys_days(local.time_since_epoch())};
  int back = static_cast<int>((wd.c_encoding() + 6) % 7);  // days since Monday
  auto monday = local - days(back);
  return core::TimePoint(
      duration_cast<milliseconds>(monday.time_since_epoch() - minutes(tz_minutes)));
}

core::TimePoint StartOfMonth(core::TimePoint t, int tz_minutes) {
  auto local = floor<days>(t + minutes(tz_minutes));
  year_month_day ymd{sys_days(local.time_since_epoch())};
  sys_days first{ymd.year() / ymd.month() / 1};
  return core::TimePoint(
      duration_cast<milliseconds>(first.time_since_epoch() - minutes(tz_minutes)));
}

core::TimePoint NextMonth(core::TimePoint month_start, int tz_minutes) {
  auto local = floor<days>(month_start + minutes(tz_minutes));
  year_month_day ymd{sys_days(local.time_since_epoch())};
  year_month next = year_month{ymd.year(), ymd.month()} + months(1);
  sys_days first{next / 1};
  return core::TimePoint(
      duration_cast<milliseconds>(first.time_since_epoch() - minutes(tz_minutes)));
}

}  // namespace yuqing::reports
