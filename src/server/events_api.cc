// The event endpoints (docs/api.md, "Events"): the event list with filters and sorting, one
// event's detail (summary, heat components, risk reasons, series, log) and its posts with
// their analysis. Events are written by the event stage; a person's merge of two events is a
// request the stage applies (POST /api/v1/events/{id}/merge, docs/events.md "Merging by hand").
#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>
#include <thread>

#include "collect/post_json.h"
#include "core/time.h"
#include "events/related.h"
#include "server/accounts.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

json EventJson(const model::EventRecord& e) {
  json j = {{"id", e.id},
            {"title", e.title},
            {"first_seen", core::FormatIso8601(e.first_seen)},
            {"last_seen", core::FormatIso8601(e.last_seen)},
            {"posts", e.posts},
            {"authors", e.authors},
            {"heat", e.heat},
            {"grade", e.grade},
            {"grade_name", model::GradeName(e.grade)},
            {"trend", e.trend},
            {"domain", model::DomainName(e.domain)},
            {"domain_zh", model::DomainNameZh(e.domain)},
            {"negative_share", e.negative_share},
            {"regions", e.regions},
            {"updated_at", core::FormatIso8601(e.updated_at)}};
  if (e.merged_into != 0) j["merged_into"] = e.merged_into;
  return j;
}

json MergeRequestJson(const store::EventMergeRequest& r) {
  json j = {{"id", r.id},         {"from", r.from},
            {"into", r.into},     {"requested_by", r.requested_by},
            {"reason", r.reason}, {"requested_at", core::FormatIso8601(r.requested_at)},
            {"state", r.state}};
  if (!r.error.empty()) j["error"] = r.error;
  if (r.state != "pending") j["done_at"] = core::FormatIso8601(r.done_at);
  return j;
}

// Posts per hour over the `hours` hours that end 10 minutes (one series bucket) after the
// event's last post, oldest first, from the series in its detail: the list's heat sparkline.
json Sparkline(const model::EventRecord& e, int hours) {
  std::vector<int64_t> out(static_cast<size_t>(hours), 0);
  json detail = json::parse(e.detail_json, nullptr, false);
  if (detail.is_object() && detail.contains("series") && detail["series"].is_array()) {
    const int64_t end = (e.last_seen + std::chrono::minutes(10)).time_since_epoch().count();
    for (const auto& row : detail["series"]) {
      if (!row.is_array() || row.size() < 2 || !row[0].is_string() || !row[1].is_number()) {
        continue;
      }
      auto t = core::ParseIso8601(row[0].get<std::string>());
      if (!t.ok()) continue;
      int64_t back = (end - 1 - t->time_since_epoch().count()) / 3'600'000;
      int64_t i = hours - 1 - back;
      if (back >= 0 && i >= 0 && i < hours) out[static_cast<size_t>(i)] += row[1].get<int64_t>();
    }
  }
  return out;
}

Status IntParam(const httplib::Request& req, const char* name, int lo, int hi, int& out) {
  if (!req.has_param(name)) return Status::Ok();
  std::string v = req.get_param_value(name);
  int n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < lo || n > hi) {
    return Status::InvalidArgument(
        fmt::format("parameter \"{}\": \"{}\" is not an integer from {} to {}", name, v, lo, hi));
  }
  out = n;
  return Status::Ok();
}

Result<store::EventQuery> ReadEventQuery(const httplib::Request& req) {
  store::EventQuery q;
  for (auto [name, field] : {std::pair{"from", &q.from}, std::pair{"to", &q.to}}) {
    if (!req.has_param(name)) continue;
    auto t = core::ParseIso8601(req.get_param_value(name));
    if (!t.ok()) {
      return Status::InvalidArgument(
          fmt::format("parameter \"{}\": {}", name, t.status().message()));
    }
    *field = *t;
  }
  if (req.has_param("grade")) {
    auto g = model::ParseGrade(req.get_param_value("grade"));
    if (!g) {
      return Status::InvalidArgument(
          fmt::format("parameter \"grade\": \"{}\" is not a grade (I, II, III, IV or 1–4)",
                      req.get_param_value("grade")));
    }
    q.max_grade = *g;
  }
  if (req.has_param("domain")) {
    auto d = model::ParseDomain(req.get_param_value("domain"));
    if (!d) {
      return Status::InvalidArgument(fmt::format("parameter \"domain\": unknown domain \"{}\"",
                                                 req.get_param_value("domain")));
    }
    q.domain = *d;
  }
  if (req.has_param("region")) {
    q.region = req.get_param_value("region");
    bool digits = !q.region.empty() && q.region.size() <= 6 &&
                  q.region.find_first_not_of("0123456789") == std::string::npos;
    if (!digits) {
      return Status::InvalidArgument(fmt::format(
          "parameter \"region\": \"{}\" is not a GB/T 2260 code prefix (digits)", q.region));
    }
  }
  if (req.has_param("trend")) {
    q.trend = req.get_param_value("trend");
    if (q.trend != "rising" && q.trend != "peaking" && q.trend != "declining" &&
        q.trend != "dormant") {
      return Status::InvalidArgument(fmt::format(
          "parameter \"trend\": \"{}\" is not rising, peaking, declining or dormant", q.trend));
    }
  }
  if (req.has_param("min_heat")) {
    std::string v = req.get_param_value("min_heat");
    char* end = nullptr;
    q.min_heat = std::strtod(v.c_str(), &end);
    if (v.empty() || *end != '\0' || q.min_heat < 0 || q.min_heat > 100) {
      return Status::InvalidArgument(
          fmt::format("parameter \"min_heat\": \"{}\" is not a number from 0 to 100", v));
    }
  }
  if (req.has_param("q")) q.text = req.get_param_value("q");
  if (req.has_param("sort")) {
    std::string s = req.get_param_value("sort");
    auto sort = store::ParseEventSort(s);
    if (!sort) {
      return Status::InvalidArgument(fmt::format(
          "parameter \"sort\": \"{}\" is not heat, last_seen, first_seen, posts or grade", s));
    }
    q.sort = *sort;
  }
  q.include_merged =
      req.has_param("include_merged") && req.get_param_value("include_merged") == "true";
  YQ_RETURN_IF_ERROR(IntParam(req, "limit", 0, 1000, q.limit));
  YQ_RETURN_IF_ERROR(IntParam(req, "offset", 0, 100000, q.offset));
  return q;
}

Result<json> PostsJson(store::Store& store, int64_t event, int limit, int offset) {
  YQ_ASSIGN_OR_RETURN(auto posts, store.EventPosts(event, limit, offset));
  json out = json::array();
  for (const store::StoredPost& p : posts) {
    json j = collect::PostToJson(p.post);
    j["key"] = p.key;
    YQ_ASSIGN_OR_RETURN(std::string analysis, store.PostAnalysis(p.key));
    j["analysis"] = json::parse(analysis, nullptr, false);
    out.push_back(std::move(j));
  }
  return out;
}

// The post of an id "source:external_id" as the event stage keeps it; the source may hold
// colons itself ("rss:people"), so each split is tried from the left.
Result<std::optional<store::StoredPost>> PostByCombinedId(store::Store& store,
                                                          const std::string& id) {
  for (size_t colon = id.find(':'); colon != std::string::npos; colon = id.find(':', colon + 1)) {
    YQ_ASSIGN_OR_RETURN(auto post, store.GetPost(id.substr(0, colon), id.substr(colon + 1)));
    if (post) return post;
  }
  return std::optional<store::StoredPost>();
}

}  // namespace

void HttpServer::EventRoutes() {
  Route("GET", "/api/v1/events", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto q = ReadEventQuery(req);
          if (!q.ok()) return SendError(res, 400, "invalid_argument", q.status().message());
          // A leader or coordinator sees the events of its region and below only.
          auto region = access::NarrowRegion(access::RegionScope(who), q->region);
          if (!region) return SendJson(res, 200, {{"total", 0}, {"events", json::array()}});
          q->region = *region;
          int spark = 0;
          if (Status s = IntParam(req, "sparkline", 1, 168, spark); !s.ok()) {
            return SendError(res, 400, "invalid_argument", s.message());
          }
          auto page = store_.ListEvents(*q);
          if (!page.ok()) return SendError(res, page.status());
          json events = json::array();
          for (const auto& e : page->events) {
            json j = EventJson(e);
            if (spark > 0) j["sparkline"] = Sparkline(e, spark);
            events.push_back(std::move(j));
          }
          SendJson(res, 200, {{"total", page->total}, {"events", std::move(events)}});
        });

  Route("GET", R"(/api/v1/events/(\d{1,18}))", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          // Outside a leader's region an event is answered as unknown (EventInScope).
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          json j = EventJson(*e);
          j["detail"] = json::parse(e->detail_json, nullptr, false);
          auto log = store_.EventLog(id);
          if (!log.ok()) return SendError(res, log.status());
          json entries = json::array();
          for (const auto& l : *log) {
            entries.push_back({{"event", l.event_id},
                               {"at", core::FormatIso8601(l.at)},
                               {"kind", l.kind},
                               {"detail", json::parse(l.detail_json, nullptr, false)}});
          }
          j["log"] = std::move(entries);
          auto posts = PostsJson(store_, id, 20, 0);
          if (!posts.ok()) return SendError(res, posts.status());
          j["newest_posts"] = std::move(*posts);
          // Representative posts are kept by "source:id"; the screen shows them whole.
          if (j["detail"].is_object() && j["detail"].contains("representative_posts") &&
              j["detail"]["representative_posts"].is_array()) {
            for (json& r : j["detail"]["representative_posts"]) {
              if (!r.is_object() || !r.contains("id") || !r["id"].is_string()) continue;
              auto post = PostByCombinedId(store_, r["id"].get<std::string>());
              if (!post.ok()) return SendError(res, post.status());
              if (!*post) continue;
              const model::Post& p = (*post)->post;
              r["key"] = (*post)->key;
              r["source"] = p.source;
              r["post_id"] = p.external_id;
              r["title"] = p.title;
              r["text"] = p.text;
              r["url"] = p.url;
              r["author"] = p.author.name;
              r["channel"] = model::ChannelName(p.channel);
            }
          }
          SendJson(res, 200, j);
        });

  // Merges the event into another (body {"into": id, "reason": "…"}): the request is kept in
  // the store and written to the audit log (event.merge); the event stage applies it (it is
  // the only writer of events) and the answer waits up to 5 s for that: 200 with the surviving
  // event when done, 409 when the stage refused it (e.g. an event older than its memory), 202
  // while it is still pending (GET /api/v1/event-merges/{id} tells later).
  Route("POST", R"(/api/v1/events/(\d{1,18})/merge)", access::Permission::kMergeEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          if (!body->contains("into") || !(*body)["into"].is_number_integer()) {
            return SendError(res, 400, "invalid_body",
                             "field \"into\": expected the id of the event to merge into / "
                             "需要填写合并到的事件编号");
          }
          if (!body->contains("reason") || !(*body)["reason"].is_string() ||
              (*body)["reason"].get<std::string>().find_first_not_of(" \t\r\n") ==
                  std::string::npos) {
            return SendError(res, 400, "invalid_body",
                             "field \"reason\": say why the two are one event / 请说明合并理由");
          }
          const int64_t id = PathId(req);
          const int64_t into = (*body)["into"].get<int64_t>();
          if (into == id) {
            return SendError(
                res, 400, "invalid_body",
                fmt::format("event {} cannot be merged into itself / 不能合并到自身", id));
          }
          auto from_event = EventInScope(store_, who, id);
          if (!from_event.ok()) return SendError(res, from_event.status());
          auto into_event = EventInScope(store_, who, into);
          if (!into_event.ok()) return SendError(res, into_event.status());
          for (const model::EventRecord* e : {&*from_event, &*into_event}) {
            if (e->merged_into != 0) {
              return SendError(res, 409, "already_merged",
                               fmt::format("event {} was merged into event {} already: name "
                                           "that one / 事件{}已并入事件{}",
                                           e->id, e->merged_into, e->id, e->merged_into));
            }
          }
          store::EventMergeRequest r;
          r.from = id;
          r.into = into;
          r.requested_by = who.name;
          r.reason = (*body)["reason"].get<std::string>();
          r.requested_at = clock_.Now();
          auto made = store_.RequestEventMerge(r, Draft(who, r.requested_at, "event.merge", "event",
                                                        std::to_string(id), "", "", r.reason));
          if (!made.ok()) return SendError(res, made.status());
          // The stage polls for requests between batches (every 100 ms when idle).
          store::EventMergeRequest now = *made;
          const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
          while (now.state == "pending" && std::chrono::steady_clock::now() < until) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
            auto got = store_.GetEventMergeRequest(made->id);
            if (!got.ok()) return SendError(res, got.status());
            if (*got) now = **got;
          }
          json out = {{"request", MergeRequestJson(now)}, {"audit_seq", made->audit_seq}};
          if (now.state == "rejected") {
            return SendError(res, 409, "merge_rejected",
                             fmt::format("the event stage did not merge event {} into {}: {}", id,
                                         into, now.error),
                             out);
          }
          if (now.state == "done") {
            auto e = store_.GetEvent(into);
            if (!e.ok()) return SendError(res, e.status());
            if (*e) out["event"] = EventJson(**e);
          }
          SendJson(res, now.state == "done" ? 200 : 202, out);
        });

  // Events that may be the same incident (the merge dialog's suggestions): those active within
  // 7 days of this one, in the caller's scope, that share a keyword, best first.
  Route("GET", R"(/api/v1/events/(\d{1,18})/related)", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int limit = 10;
          if (Status s = IntParam(req, "limit", 1, 50, limit); !s.ok()) {
            return SendError(res, 400, "invalid_argument", s.message());
          }
          const int64_t id = PathId(req);
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          store::EventQuery q;
          q.from = e->first_seen - std::chrono::hours(7 * 24);
          q.to = e->last_seen + std::chrono::hours(7 * 24);
          q.sort = store::EventSort::kHeat;
          q.limit = 500;  // the hottest of the fortnight: enough to find a facet, bounded work
          auto region = access::NarrowRegion(access::RegionScope(who), "");
          if (!region) return SendJson(res, 200, {{"event", id}, {"related", json::array()}});
          q.region = *region;
          auto page = store_.ListEvents(q);
          if (!page.ok()) return SendError(res, page.status());
          std::vector<events::RelatedInput> candidates;
          candidates.reserve(page->events.size());
          for (const auto& c : page->events) candidates.push_back(events::RelatedInputOf(c));
          events::RelatedOptions o;
          o.limit = static_cast<size_t>(limit);
          json related = json::array();
          for (const events::RelatedEvent& r :
               events::RankRelated(events::RelatedInputOf(*e), candidates, o)) {
            auto it = std::find_if(page->events.begin(), page->events.end(),
                                   [&](const auto& c) { return c.id == r.id; });
            if (it == page->events.end()) continue;
            json j = EventJson(*it);
            j["score"] = r.score;
            j["keyword_cosine"] = r.keyword_cosine;
            j["shared_keywords"] = r.shared;
            j["same_prefecture"] = r.same_prefecture;
            j["overlaps"] = r.overlaps;
            related.push_back(std::move(j));
          }
          SendJson(res, 200, {{"event", id}, {"related", std::move(related)}});
        });

  Route("GET", R"(/api/v1/event-merges/(\d{1,18}))", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto got = store_.GetEventMergeRequest(PathId(req));
          if (!got.ok()) return SendError(res, got.status());
          if (!*got) {
            return SendError(res, 404, "not_found",
                             fmt::format("no merge request {}", PathId(req)));
          }
          // Outside a leader's region the request is as unknown as its event.
          if (auto e = EventInScope(store_, who, (*got)->into); !e.ok()) {
            return SendError(res, e.status());
          }
          SendJson(res, 200, MergeRequestJson(**got));
        });

  Route("GET", R"(/api/v1/events/(\d{1,18})/posts)", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int limit = 50;
          int offset = 0;
          Status s = IntParam(req, "limit", 0, 1000, limit);
          if (s.ok()) s = IntParam(req, "offset", 0, 1000000, offset);
          if (!s.ok()) return SendError(res, 400, "invalid_argument", s.message());
          int64_t id = PathId(req);
          // Outside a leader's region an event is answered as unknown (EventInScope).
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          auto posts = PostsJson(store_, id, limit, offset);
          if (!posts.ok()) return SendError(res, posts.status());
          SendJson(res, 200, {{"event", id}, {"posts", std::move(*posts)}});
        });
}

}  // namespace yuqing::server
