// The monitoring statistics and post endpoints (docs/api.md, "Statistics" and "Posts"):
// posts counted by time, sentiment, channel and region; the map's events by region; one event's
// series; one post by its source and id; the sources with stored posts; and the live stream of
// processed posts. Every count is scoped like the event list: a leader or coordinator counts
// within its region only.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "cases/deadlines.h"
#include "collect/post_json.h"
#include "collect/source_json.h"
#include "core/log.h"
#include "core/time.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

constexpr int64_t kMaxBuckets = 10000;
constexpr auto kStreamPoll = std::chrono::milliseconds(1000);
constexpr auto kStreamKeepAlive = std::chrono::seconds(15);

// The period and region of a statistics request.
struct StatsRange {
  core::TimePoint from{};
  core::TimePoint to{};
  std::string region;    // narrowed to the asker's scope
  bool outside = false;  // the region asked for lies outside the asker's scope: nothing to count
  int tz_minutes = 480;  // buckets of a day and longer begin at midnight in this zone
  std::string tz = "+08:00";
};

// from / to (ISO 8601; default: the 24 hours before now), region (a GB/T 2260 code prefix) and
// tz (an IANA zone of cases::ZoneOffsetMinutes or "+08:00"; default +08:00).
Result<StatsRange> ReadRange(const httplib::Request& req, const access::Principal& who,
                             core::TimePoint now, std::chrono::hours default_span) {
  StatsRange r;
  r.to = now;
  r.from = now - default_span;
  for (auto [name, field] : {std::pair{"from", &r.from}, std::pair{"to", &r.to}}) {
    if (!req.has_param(name)) continue;
    auto t = core::ParseIso8601(req.get_param_value(name));
    if (!t.ok()) {
      return Status::InvalidArgument(
          fmt::format("parameter \"{}\": {}", name, t.status().message()));
    }
    *field = *t;
  }
  if (req.has_param("from") && !req.has_param("to") && r.from >= r.to) r.to = r.from + default_span;
  if (!(r.from < r.to)) {
    return Status::InvalidArgument(fmt::format("parameter \"from\" ({}) must be before \"to\" ({})",
                                               core::FormatIso8601(r.from),
                                               core::FormatIso8601(r.to)));
  }
  std::string region = req.get_param_value("region");
  if (region.size() > 6 || region.find_first_not_of("0123456789") != std::string::npos) {
    return Status::InvalidArgument(fmt::format(
        "parameter \"region\": \"{}\" is not a GB/T 2260 code prefix (up to 6 digits)", region));
  }
  auto narrowed = access::NarrowRegion(access::RegionScope(who), region);
  if (!narrowed) {
    r.outside = true;
  } else {
    r.region = *narrowed;
  }
  if (req.has_param("tz")) {
    r.tz = req.get_param_value("tz");
    YQ_ASSIGN_OR_RETURN(r.tz_minutes, cases::ZoneOffsetMinutes(r.tz));
  }
  return r;
}

// bucket=hour|day|minute or a number of seconds (60 … 31 days); `fallback` when absent.
Result<int64_t> ReadBucket(const httplib::Request& req, int64_t fallback) {
  if (!req.has_param("bucket")) return fallback;
  std::string v = req.get_param_value("bucket");
  if (v == "minute") return 60;
  if (v == "hour") return 3600;
  if (v == "day") return 86400;
  int64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 60 || n > 31 * 86400) {
    return Status::InvalidArgument(fmt::format(
        "parameter \"bucket\": \"{}\" is not minute, hour, day or a number of seconds from 60 "
        "to 2678400",
        v));
  }
  return n;
}

// The buckets of [from, to): their starts aligned like the store's (multiples of the bucket
// after the epoch shifted by the zone's offset). InvalidArgument if more than kMaxBuckets.
Result<std::vector<core::TimePoint>> BucketStarts(const StatsRange& r, int64_t bucket_s) {
  const int64_t b = bucket_s * 1000;
  const int64_t off = int64_t{r.tz_minutes} * 60 * 1000;
  auto align = [&](int64_t ms) {
    int64_t shifted = ms + off;
    int64_t q = shifted / b;
    if (shifted % b != 0 && shifted < 0) --q;
    return q * b - off;
  };
  const int64_t from = align(r.from.time_since_epoch().count());
  const int64_t to = r.to.time_since_epoch().count();
  if ((to - from) / b + 1 > kMaxBuckets) {
    return Status::InvalidArgument(fmt::format(
        "{} buckets of {} s from {} to {}: at most {}; choose a longer bucket or a shorter period",
        (to - from) / b + 1, bucket_s, core::FormatIso8601(r.from), core::FormatIso8601(r.to),
        kMaxBuckets));
  }
  std::vector<core::TimePoint> out;
  for (int64_t t = from; t < to; t += b)
    out.push_back(core::TimePoint(std::chrono::milliseconds(t)));
  return out;
}

const char* SentimentKey(int s) { return s < 0 ? "negative" : (s > 0 ? "positive" : "neutral"); }

// Rows per bucket: {"start", "posts", "engagement", "negative", "neutral", "positive",
// "channels": {…}}, every bucket of the range present (zeros where nothing was posted).
json SeriesJson(const std::vector<core::TimePoint>& starts,
                const std::vector<store::PostCountRow>& rows) {
  std::map<int64_t, json> by_start;
  json rows_out = json::array();
  for (core::TimePoint t : starts) {
    by_start[t.time_since_epoch().count()] = {{"start", core::FormatIso8601(t)},
                                              {"posts", 0},
                                              {"engagement", 0},
                                              {"negative", 0},
                                              {"neutral", 0},
                                              {"positive", 0},
                                              {"channels", json::object()}};
  }
  for (const auto& row : rows) {
    auto it = by_start.find(row.start.time_since_epoch().count());
    if (it == by_start.end()) continue;  // cannot happen with the same alignment
    json& b = it->second;
    b["posts"] = b["posts"].get<int64_t>() + row.posts;
    b["engagement"] = b["engagement"].get<int64_t>() + row.engagement;
    const char* s = SentimentKey(row.sentiment);
    b[s] = b[s].get<int64_t>() + row.posts;
    std::string ch(model::ChannelName(row.channel));
    b["channels"][ch] = b["channels"].value(ch, int64_t{0}) + row.posts;
  }
  for (auto& [start, b] : by_start) rows_out.push_back(std::move(b));
  return rows_out;
}

json RangeJson(const StatsRange& r) {
  return {{"from", core::FormatIso8601(r.from)},
          {"to", core::FormatIso8601(r.to)},
          {"region", r.region},
          {"tz", r.tz}};
}

}  // namespace

void HttpServer::StatsRoutes() {
  // Posts per bucket by sentiment (and channel): the monitoring screen's sentiment trend.
  Route("GET", "/api/v1/stats/sentiment", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto range = ReadRange(req, who, clock_.Now(), std::chrono::hours(24));
          if (!range.ok()) return SendError(res, 400, "invalid_argument", range.status().message());
          auto bucket = ReadBucket(req, 3600);
          if (!bucket.ok())
            return SendError(res, 400, "invalid_argument", bucket.status().message());
          auto starts = BucketStarts(*range, *bucket);
          if (!starts.ok())
            return SendError(res, 400, "invalid_argument", starts.status().message());
          std::vector<store::PostCountRow> rows;
          if (!range->outside) {
            store::PostCountQuery q;
            q.from = range->from;
            q.to = range->to;
            q.region = range->region;
            q.bucket_seconds = *bucket;
            q.bucket_offset_seconds = int64_t{range->tz_minutes} * 60;
            auto counted = store_.CountPosts(q);
            if (!counted.ok()) return SendError(res, counted.status());
            rows = std::move(*counted);
          }
          json out = RangeJson(*range);
          out["bucket_seconds"] = *bucket;
          out["buckets"] = SeriesJson(*starts, rows);
          SendJson(res, 200, out);
        });

  // Posts of the period by channel and by sentiment: the channel mix.
  Route("GET", "/api/v1/stats/channels", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto range = ReadRange(req, who, clock_.Now(), std::chrono::hours(24));
          if (!range.ok()) return SendError(res, 400, "invalid_argument", range.status().message());
          json channels = json::object();
          json sentiment = {{"negative", 0}, {"neutral", 0}, {"positive", 0}};
          int64_t total = 0;
          if (!range->outside) {
            store::PostCountQuery q;
            q.from = range->from;
            q.to = range->to;
            q.region = range->region;
            auto rows = store_.CountPosts(q);
            if (!rows.ok()) return SendError(res, rows.status());
            for (const auto& row : *rows) {
              std::string ch(model::ChannelName(row.channel));
              channels[ch] = channels.value(ch, int64_t{0}) + row.posts;
              const char* s = SentimentKey(row.sentiment);
              sentiment[s] = sentiment[s].get<int64_t>() + row.posts;
              total += row.posts;
            }
          }
          json out = RangeJson(*range);
          out["total"] = total;
          out["channels"] = std::move(channels);
          out["sentiment"] = std::move(sentiment);
          SendJson(res, 200, out);
        });

  // Posts and events per region at one level under a prefix: the map.
  Route("GET", "/api/v1/stats/regions", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string level = req.has_param("level") ? req.get_param_value("level") : "province";
          int digits = level == "province"     ? 2
                       : level == "prefecture" ? 4
                       : level == "county"     ? 6
                                               : 0;
          if (digits == 0) {
            return SendError(res, 400, "invalid_argument",
                             fmt::format("parameter \"level\": \"{}\" is not province, prefecture "
                                         "or county",
                                         level));
          }
          auto range = ReadRange(req, who, clock_.Now(), std::chrono::hours(24 * 7));
          if (!range.ok()) return SendError(res, 400, "invalid_argument", range.status().message());
          std::map<std::string, json> regions;
          auto entry = [&](const std::string& code) -> json& {
            auto [it, inserted] = regions.try_emplace(code);
            if (inserted) {
              it->second = {{"code", code}, {"posts", 0},    {"negative", 0},
                            {"events", 0},  {"max_heat", 0}, {"top_grade", nullptr}};
            }
            return it->second;
          };
          if (!range->outside) {
            store::PostCountQuery q;
            q.from = range->from;
            q.to = range->to;
            q.region = range->region;
            q.region_digits = digits;
            auto rows = store_.CountPosts(q);
            if (!rows.ok()) return SendError(res, rows.status());
            for (const auto& row : *rows) {
              json& e = entry(row.region);
              e["posts"] = e["posts"].get<int64_t>() + row.posts;
              if (row.sentiment < 0) e["negative"] = e["negative"].get<int64_t>() + row.posts;
            }
            store::EventQuery eq;
            eq.from = range->from;
            eq.to = range->to;
            eq.region = range->region;
            auto events = store_.CountEventsByRegion(eq, digits);
            if (!events.ok()) return SendError(res, events.status());
            for (const auto& ev : *events) {
              json& e = entry(ev.code);
              e["events"] = ev.events;
              e["max_heat"] = ev.max_heat;
              e["top_grade"] = model::GradeName(ev.top_grade);
            }
          }
          json list = json::array();
          for (auto& [code, e] : regions) list.push_back(std::move(e));
          json out = RangeJson(*range);
          out["level"] = level;
          out["regions"] = std::move(list);
          SendJson(res, 200, out);
        });

  // One event's posts per bucket by sentiment and channel, over its whole life (or from / to).
  Route("GET", R"(/api/v1/events/(\d{1,18})/series)", access::Permission::kReadEvents,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          int64_t id = PathId(req);
          auto e = EventInScope(store_, who, id);
          if (!e.ok()) return SendError(res, e.status());
          auto bucket = ReadBucket(req, 3600);
          if (!bucket.ok())
            return SendError(res, 400, "invalid_argument", bucket.status().message());
          // The event's own span by default; the region is the event's, not narrowed further.
          StatsRange range;
          range.from = e->first_seen;
          range.to = e->last_seen + std::chrono::milliseconds(1);
          for (auto [name, field] : {std::pair{"from", &range.from}, std::pair{"to", &range.to}}) {
            if (!req.has_param(name)) continue;
            auto t = core::ParseIso8601(req.get_param_value(name));
            if (!t.ok()) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("parameter \"{}\": {}", name, t.status().message()));
            }
            *field = *t;
          }
          if (req.has_param("tz")) {
            range.tz = req.get_param_value("tz");
            auto tz = cases::ZoneOffsetMinutes(range.tz);
            if (!tz.ok()) return SendError(res, 400, "invalid_argument", tz.status().message());
            range.tz_minutes = *tz;
          }
          if (!(range.from < range.to)) {
            return SendError(res, 400, "invalid_argument",
                             "parameter \"from\" must be before \"to\"");
          }
          auto starts = BucketStarts(range, *bucket);
          if (!starts.ok())
            return SendError(res, 400, "invalid_argument", starts.status().message());
          store::PostCountQuery q;
          q.from = range.from;
          q.to = range.to;
          q.event_id = id;
          q.bucket_seconds = *bucket;
          q.bucket_offset_seconds = int64_t{range.tz_minutes} * 60;
          auto rows = store_.CountPosts(q);
          if (!rows.ok()) return SendError(res, rows.status());
          SendJson(res, 200,
                   {{"event", id},
                    {"from", core::FormatIso8601(range.from)},
                    {"to", core::FormatIso8601(range.to)},
                    {"tz", range.tz},
                    {"bucket_seconds", *bucket},
                    {"rows", SeriesJson(*starts, *rows)}});
        });

  // Every source: the configured ones with their settings, state and health, merged with the
  // sources that have stored posts (a push source or an old import has posts but may have no
  // configuration). By name.
  Route("GET", "/api/v1/sources", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto sources = store_.ListSources();
          if (!sources.ok()) return SendError(res, sources.status());
          auto configured = store_.ListConfiguredSources();
          if (!configured.ok()) return SendError(res, configured.status());
          std::map<std::string, json> by_name;
          for (const auto& c : *configured) {
            json j = collect::SourceToJson(c);
            j["configured"] = true;
            j["posts"] = 0;
            j["first_post_at"] = nullptr;
            j["last_post_at"] = nullptr;
            by_name[c.name] = std::move(j);
          }
          for (const auto& s : *sources) {
            json& j = by_name[s.name];
            if (j.is_null()) j = {{"name", s.name}, {"configured", false}};
            j["posts"] = s.posts;
            j["first_post_at"] = core::FormatIso8601(s.first_post_at);
            j["last_post_at"] = core::FormatIso8601(s.last_post_at);
          }
          json list = json::array();
          for (auto& [name, j] : by_name) list.push_back(std::move(j));
          SendJson(res, 200, {{"sources", std::move(list)}});
        });

  Route("GET", "/api/v1/sources/([^/]+)", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          auto s = store_.GetSource(name);
          if (!s.ok()) return SendError(res, s.status());
          if (!*s) {
            return SendError(res, Status::NotFound(fmt::format("no source named \"{}\"", name)));
          }
          SendJson(res, 200, collect::SourceToJson(**s));
        });

  Route("POST", "/api/v1/sources", access::Permission::kManageSources,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, body.status());
          auto source = collect::SourceFromJson(*body);
          if (!source.ok()) return SendError(res, source.status());
          auto made = store_.CreateSource(*source, clock_.Now());
          if (!made.ok()) return SendError(res, made.status());
          SendJson(res, 201, collect::SourceToJson(*made));
        });

  // Replaces the settings; {"paused": true|false} in the body pauses or resumes.
  Route("PUT", "/api/v1/sources/([^/]+)", access::Permission::kManageSources,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, body.status());
          auto current = store_.GetSource(name);
          if (!current.ok()) return SendError(res, current.status());
          if (!*current) {
            return SendError(res, Status::NotFound(fmt::format("no source named \"{}\"", name)));
          }
          // Fields left out keep their values: the body is laid over the stored settings.
          json merged = collect::SourceToJson(**current);
          for (const char* k : {"state", "health", "id", "created_at", "updated_at"}) {
            merged.erase(k);
          }
          for (auto& [k, v] : body->items()) merged[k] = v;
          auto source = collect::SourceFromJson(merged, name);
          if (!source.ok()) return SendError(res, source.status());
          auto updated = store_.UpdateSource(*source, clock_.Now());
          if (!updated.ok()) return SendError(res, updated.status());
          if (body->contains("paused") && source->paused != (*current)->paused) {
            if (Status p = store_.SetSourcePaused(name, source->paused, clock_.Now()); !p.ok()) {
              return SendError(res, p);
            }
            updated->paused = source->paused;
          }
          SendJson(res, 200, collect::SourceToJson(*updated));
        });

  Route("DELETE", "/api/v1/sources/([^/]+)", access::Permission::kManageSources,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          if (Status s = store_.DeleteSource(name); !s.ok()) return SendError(res, s);
          res.status = 204;
        });

  // The live feed of processed posts (SSE, event "post", id = processing order): the search
  // hit's shape with the post's sentiment and event. ?rules=only: posts that matched a rule;
  // ?recent=N: without a position, start N processed posts back.
  Route("GET", "/api/v1/posts/stream", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string rules = req.get_param_value("rules");
          if (!rules.empty() && rules != "only" && rules != "all") {
            return SendError(res, 400, "invalid_argument",
                             fmt::format("parameter \"rules\": \"{}\" is not only or all", rules));
          }
          int64_t after = -1;
          std::string last = req.get_header_value("Last-Event-ID");
          if (last.empty()) last = req.get_param_value("after");
          if (!last.empty()) {
            auto [p, ec] = std::from_chars(last.data(), last.data() + last.size(), after);
            if (ec != std::errc() || p != last.data() + last.size() || after < 0) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("stream position \"{}\" is not a number", last));
            }
          }
          int64_t recent = 0;
          if (req.has_param("recent")) {
            std::string v = req.get_param_value("recent");
            auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), recent);
            if (ec != std::errc() || p != v.data() + v.size() || recent < 0 || recent > 10000) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("parameter \"recent\": \"{}\" is not a number from 0 "
                                           "to 10000",
                                           v));
            }
          }
          if (after < 0) {
            // Without a position the stream starts with the posts processed from now on, or
            // `recent` processed posts back (so a screen opens with something to show).
            auto seq = store_.LastProcessedSeq();
            if (!seq.ok()) return SendError(res, seq.status());
            after = std::max<int64_t>(0, *seq - recent);
          }
          int max_streams = std::max(1, config_.server_threads / 2);
          if (streams_.fetch_add(1) >= max_streams) {
            --streams_;
            return SendError(res, 503, "too_many_streams",
                             fmt::format("{} live streams are open, the most this server keeps "
                                         "(half of server.threads); try again later",
                                         max_streams));
          }
          struct State {
            int64_t after = 0;
            std::string region;  // "" any; a leader's or coordinator's scope
            bool scoped = false;
            bool rules_only = false;
            bool started = false;
            std::chrono::steady_clock::time_point last_write;
          };
          auto state = std::make_shared<State>();
          state->after = after;
          state->rules_only = rules == "only";
          if (auto scope = access::RegionScope(who); scope && !scope->empty()) {
            state->region = *scope;
            state->scoped = true;
          }
          res.set_header("Cache-Control", "no-cache");
          res.set_header("X-Accel-Buffering", "no");
          res.set_chunked_content_provider(
              "text/event-stream",
              [this, state](size_t, httplib::DataSink& sink) {
                auto write = [&](const std::string& s) {
                  state->last_write = std::chrono::steady_clock::now();
                  return sink.write(s.data(), s.size());
                };
                if (stopping_) {
                  sink.done();
                  return true;
                }
                if (!state->started) {
                  state->started = true;
                  if (!write(": yuqing post stream\nretry: 3000\n\n")) return false;
                }
                auto page = store_.ScanProcessedPosts(core::TimePoint{}, state->after, 100);
                if (!page.ok()) {
                  YQ_LOG_WARN("post stream: {}", page.status().message());
                  sink.done();  // the client reconnects with Last-Event-ID
                  return true;
                }
                std::vector<const store::ProcessedPost*> shown;
                std::vector<int64_t> keys;
                for (const auto& p : *page) {
                  if (state->rules_only && p.rule_ids.empty()) continue;
                  if (state->scoped && !p.post.post.region.starts_with(state->region)) continue;
                  shown.push_back(&p);
                  keys.push_back(p.post.key);
                }
                auto hits = store_.RuleHitsForPosts(keys);
                if (!hits.ok()) {
                  sink.done();
                  return true;
                }
                for (const store::ProcessedPost* p : shown) {
                  json j = collect::PostToJson(p->post.post);
                  j["key"] = p->post.key;
                  j["event"] = p->event_id;
                  json analysis = json::parse(p->analysis_json, nullptr, false);
                  if (analysis.is_object() && analysis.contains("sentiment")) {
                    j["sentiment"] = analysis["sentiment"].value("label", "neutral");
                  }
                  json matched = json::array();
                  for (const auto& rh : *hits) {
                    if (rh.post_key == p->post.key) {
                      matched.push_back(RuleHitJson(rh.hit, rh.rule_name));
                    }
                  }
                  j["rules"] = std::move(matched);
                  if (!write(fmt::format("id: {}\nevent: post\ndata: {}\n\n", p->seq, j.dump()))) {
                    return false;
                  }
                }
                if (!page->empty()) {
                  state->after = page->back().seq;
                  if (!shown.empty() || page->size() == 100) return true;
                }
                if (std::chrono::steady_clock::now() - state->last_write >= kStreamKeepAlive) {
                  // Also moves the client's position past posts it was not shown.
                  return write(fmt::format(": keep-alive\nid: {}\n\n", state->after));
                }
                std::this_thread::sleep_for(kStreamPoll);
                return true;
              },
              [this](bool) { --streams_; });
        });

  // One post by its source and id, with its analysis and the rules it matched. Outside a
  // leader's region a post is answered as unknown.
  Route("GET", R"(/api/v1/posts/([^/]+)/(.+))", access::Permission::kReadPosts,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string source = req.matches[1];
          std::string id = req.matches[2];
          auto post = store_.GetPost(source, id);
          if (!post.ok()) return SendError(res, post.status());
          auto scope = access::RegionScope(who);
          bool visible = post->has_value() &&
                         (!scope || scope->empty() || (*post)->post.region.starts_with(*scope));
          if (!visible) {
            return SendError(res, Status::NotFound(fmt::format(
                                      "no post with source \"{}\" and id \"{}\"", source, id)));
          }
          const store::StoredPost& p = **post;
          json j = collect::PostToJson(p.post);
          j["key"] = p.key;
          auto analysis = store_.PostAnalysis(p.key);
          if (!analysis.ok()) return SendError(res, analysis.status());
          j["analysis"] =
              analysis->empty() ? json(nullptr) : json::parse(*analysis, nullptr, false);
          std::vector<int64_t> keys{p.key};
          auto hits = store_.RuleHitsForPosts(keys);
          if (!hits.ok()) return SendError(res, hits.status());
          json matched = json::array();
          for (const auto& rh : *hits) matched.push_back(RuleHitJson(rh.hit, rh.rule_name));
          j["rules"] = std::move(matched);
          SendJson(res, 200, j);
        });
}

}  // namespace yuqing::server
