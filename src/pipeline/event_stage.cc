#include "pipeline/event_stage.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <future>
#include <nlohmann/json.hpp>
#include <tuple>

#include "analysis/analysis_json.h"
#include "core/log.h"
#include "core/time.h"
#include "core/utf8.h"
#include "events/event_json.h"

namespace yuqing::pipeline {
namespace {

using nlohmann::json;

int64_t Seconds(core::TimePoint t) {
  return std::chrono::floor<std::chrono::seconds>(t.time_since_epoch()).count();
}
core::TimePoint FromSeconds(int64_t s) { return core::TimePoint(std::chrono::seconds(s)); }

std::string PostId(const std::string& source, const std::string& id) { return source + ":" + id; }

// The first `n` characters of `text` (whole UTF-8 sequences), "…" when cut.
std::string Opening(std::string_view text, size_t n) {
  size_t pos = 0;
  size_t chars = 0;
  while (pos < text.size() && chars < n) {
    core::DecodeUtf8(text, pos);
    ++chars;
  }
  std::string out(text.substr(0, pos));
  if (pos < text.size()) out += "…";
  return out;
}

// The post as the event monitor and the clusterer see it, its time clamped to `latest_s` (posts
// dated in the future count as "now").
std::pair<events::EventPost, events::ClusterPost> EventAndClusterPost(const model::Post& p,
                                                                      const model::Analysis& a,
                                                                      int64_t latest_s) {
  events::EventPost ep = events::MakeEventPost(p, a);
  ep.time_s = std::min(ep.time_s, latest_s);
  events::ClusterPost cp{PostId(p.source, p.external_id),
                         ep.time_s,
                         p.title,
                         p.text,
                         p.parent ? PostId(p.parent->source, p.parent->id) : std::string(),
                         ep.regions};
  return {std::move(ep), std::move(cp)};
}

std::string TitleOf(const model::Post& p) {
  std::string_view base = p.title.empty() ? std::string_view(p.text) : std::string_view(p.title);
  // Titles are one line.
  std::string line(base.substr(0, base.find('\n')));
  return Opening(line, 60);
}

// Runs fn(i) for i in [0, n) on `threads` threads, or inline for small n. Work is taken in
// small chunks from a shared counter, so a thread that the OS keeps waiting (the machine is busy
// with ingest too) does not hold the others up: whoever runs takes the next chunk.
template <typename Fn>
void ParallelFor(size_t n, size_t threads, Fn fn) {
  if (threads <= 1 || n < 64) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  constexpr size_t kChunk = 8;
  std::atomic<size_t> next{0};
  auto run = [&] {
    for (size_t first = next.fetch_add(kChunk); first < n; first = next.fetch_add(kChunk)) {
      for (size_t i = first; i < std::min(n, first + kChunk); ++i) fn(i);
    }
  };
  std::vector<std::thread> pool;
  for (size_t k = 1; k < threads; ++k) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
}

}  // namespace

// Everything about one post that does not depend on the posts before it: built on the analysis
// threads, so the ordered part only clusters, grades and decides.
struct EventStage::Prepared {
  model::Analysis analysis;
  std::string analysis_json;
  events::EventPost event_post;
  events::ClusterPost cluster_post;
  events::Clusterer::PreCut cut;
};

struct EventStage::Pending {
  store::EventBatch batch;
  std::set<uint64_t> dirty;
  std::map<uint64_t, events::EventSignals> signals;  // the latest per event
};

EventStage::EventStage(EventStageStores stores, std::shared_ptr<const analysis::Analyzer> analyzer,
                       std::shared_ptr<const text::KeywordExtractor> keywords,
                       const core::Clock& clock, alerts::AlertNotifier* notifier,
                       EventStageOptions options)
    : store_(stores),
      analyzer_(std::move(analyzer)),
      keywords_(std::move(keywords)),
      clock_(clock),
      notifier_(notifier),
      options_(options) {
  ResetMemory();
}

EventStage::~EventStage() { Stop(); }

void EventStage::ResetMemory() {
  DropPrefetch();  // it uses the clusterer replaced below
  // Memory holds what a restart rebuilds: events silent longer than the restore window are
  // forgotten (unless the cluster options set their own period).
  events::ClusterOptions cluster = options_.cluster;
  if (cluster.forget_after_s == 0) cluster.forget_after_s = options_.restore_window_s;
  clusterer_ = std::make_unique<events::Clusterer>(keywords_, cluster);
  monitor_ = std::make_unique<events::EventMonitor>(options_.monitor);
  decider_ = alerts::AlertDecider();
  policies_version_ = -1;
  live_.clear();
  merges_seen_ = 0;
  merge_requests_seen_ = 0;
  now_s_ = 0;
  last_sweep_s_ = 0;
  last_idle_sweep_s_ = 0;
  stamp_s_ = 0;
  last_seq_ = 0;
}

Status EventStage::ReloadPolicies() {
  YQ_ASSIGN_OR_RETURN(int64_t version, store_.alerts.AlertPoliciesVersion());
  if (version == policies_version_) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto policies, store_.alerts.ListAlertPolicies());
  decider_.SetPolicies(std::move(policies));
  policies_version_ = version;
  return Status::Ok();
}

Status EventStage::Restore(const std::function<void(int64_t)>& progress) {
  ResetMemory();
  YQ_ASSIGN_OR_RETURN(int64_t max_id, store_.events.MaxEventId());
  clusterer_->SetNextEventId(static_cast<uint64_t>(max_id) + 1);
  YQ_RETURN_IF_ERROR(ReloadPolicies());
  YQ_ASSIGN_OR_RETURN(auto levels, store_.alerts.AlertLevels());
  for (const auto& l : levels) decider_.Restore(l.event_id, l.policy_id, l.level);

  store::EventQuery newest;
  newest.sort = store::EventSort::kLastSeen;
  newest.limit = 1;
  YQ_ASSIGN_OR_RETURN(store::EventPage page, store_.events.ListEvents(newest));
  if (page.events.empty()) return Status::Ok();
  core::TimePoint since =
      page.events[0].last_seen - std::chrono::seconds(options_.restore_window_s);

  int64_t after = 0;
  int64_t done = 0;
  const int64_t cap = Seconds(clock_.Now() + options_.future_tolerance);
  while (true) {
    YQ_ASSIGN_OR_RETURN(auto posts, store_.events.ScanProcessedPosts(since, after, 5000));
    if (posts.empty()) break;
    for (const store::ProcessedPost& pp : posts) {
      after = pp.seq;
      const model::Post& p = pp.post.post;
      model::Analysis a;
      json parsed = json::parse(pp.analysis_json, nullptr, false);
      auto from_json = analysis::AnalysisFromJson(parsed);
      a = from_json.ok() ? *std::move(from_json) : analyzer_->Analyze(p);
      auto [ep, cp] = EventAndClusterPost(p, a, cap);
      auto ev = static_cast<uint64_t>(pp.event_id);
      clusterer_->Restore(cp, ev);
      DropForgotten(nullptr);
      (void)monitor_->Observe(ev, ep);
      Live& l = live_[ev];
      l.rule_ids.insert(pp.rule_ids.begin(), pp.rule_ids.end());
      now_s_ = std::max(now_s_, ep.time_s);
      if (++done % 10000 == 0 && progress) progress(done);
    }
  }
  // Titles as they were (with how central their post was, kept in the detail).
  for (auto& [id, l] : live_) {
    YQ_ASSIGN_OR_RETURN(auto rec, store_.events.GetEvent(static_cast<int64_t>(id)));
    if (!rec) continue;
    l.title = rec->title;
    json d = json::parse(rec->detail_json, nullptr, false);
    l.title_score = d.is_object() ? d.value("title_score", 0.0) : 0.0;
  }
  last_sweep_s_ = now_s_;
  {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.restored = done;
    stats_.events = static_cast<int64_t>(live_.size());
  }
  if (progress) progress(done);
  return Status::Ok();
}

void EventStage::Touch(uint64_t event, const events::EventSignals& s, Pending& pending) {
  pending.dirty.insert(event);
  pending.signals[event] = s;
  auto at = FromSeconds(std::max(now_s_, stamp_s_));
  auto log = [&](const char* kind, json detail) {
    pending.batch.log.push_back({static_cast<int64_t>(event), at, kind, detail.dump()});
  };
  if (s.burst) {
    log("burst", {{"at", s.burst->at_s},
                  {"window_posts", s.burst->window_posts},
                  {"mean", s.burst->mean},
                  {"z", s.burst->z}});
  }
  if (s.trend_change) {
    log("trend", {{"from", events::TrendStateName(s.trend_change->from)},
                  {"to", events::TrendStateName(s.trend_change->to)},
                  {"last_hour", s.trend_change->last_hour},
                  {"previous_hour", s.trend_change->previous_hour}});
  }
  if (s.grade_change) {
    json reasons = events::RiskJson(s.risk)["reasons"];
    log("grade", {{"from", events::RiskGradeName(s.grade_change->from)},
                  {"to", events::RiskGradeName(s.grade_change->to)},
                  {"escalation", s.grade_change->escalation},
                  {"reasons", std::move(reasons)}});
  }

  const events::EventSummary* summary = monitor_->summary(event);
  if (summary == nullptr) return;
  // A dormant event warns nobody: a policy added today does not alert on last month's events
  // as a sweep puts them to sleep. A post that wakes the event makes it eligible again.
  if (s.trend == events::TrendState::kDormant) return;
  Live& l = live_[event];
  // Most posts meet no policy at all: skip building the facts when none is enabled, and copy
  // the event's regions (hundreds for a big event) only when a policy looks at them.
  bool any_enabled = false;
  bool any_regions = false;
  for (const auto& p : decider_.policies()) {
    any_enabled = any_enabled || p.enabled;
    any_regions = any_regions || (p.enabled && !p.regions.empty());
  }
  if (!any_enabled) return;
  alerts::EventFacts facts;
  facts.event_id = static_cast<int64_t>(event);
  facts.grade = static_cast<int>(s.risk.grade);
  facts.heat = s.heat.heat;
  facts.domain = summary->top_domain();
  if (any_regions) {
    for (const auto& [code, n] : summary->regions()) facts.regions.push_back(code);
  }
  facts.rule_ids.assign(l.rule_ids.begin(), l.rule_ids.end());
  for (const alerts::Decision& d : decider_.Decide(facts)) {
    const model::AlertPolicy* policy = decider_.FindPolicy(d.policy_id);
    if (policy == nullptr) continue;
    events::EventView view{event,
                           l.title,
                           summary,
                           s.heat,
                           s.risk,
                           s.trend,
                           clusterer_->TopTerms(event, 10),
                           std::max(now_s_, stamp_s_)};
    json keywords = json::array();
    for (const auto& [term, w] : view.keywords) keywords.push_back(term);
    json posts = json::array();
    for (const auto& r : summary->representative()) {
      if (posts.size() >= 3) break;
      size_t colon = r.id.find(':');
      if (colon == std::string::npos) continue;
      auto got = store_.posts.GetPost(r.id.substr(0, colon), r.id.substr(colon + 1));
      if (!got.ok() || !got->has_value()) continue;
      const model::Post& p = (**got).post;
      posts.push_back({{"id", p.external_id},
                       {"source", p.source},
                       {"title", p.title},
                       {"text", Opening(p.text, 200)},
                       {"url", p.url},
                       {"published_at", core::FormatIso8601(p.published_at)}});
    }
    json reasons = json::array();
    for (const auto& r : s.risk.reasons) {
      reasons.push_back({{"factor", r.factor},
                         {"aggravating", r.aggravating},
                         {"kind", r.kind()},
                         {"detail", r.detail},
                         {"detail_zh", r.detail_zh}});
    }
    // The post whose arrival raised the alert (none when a sweep did, e.g. heat decay).
    json trigger = nullptr;
    if (trigger_ != nullptr) {
      trigger = {{"source", trigger_->source},
                 {"id", trigger_->external_id},
                 {"published_at", core::FormatIso8601(trigger_->published_at)}};
    }
    json brief = events::EventBriefJson(view);
    // The people warned read place names, not codes ("山西省长治市", not "140400").
    json names = json::array();
    for (const auto& code : brief["regions"]) {
      std::string name = analyzer_->RegionName(code.get<std::string>());
      names.push_back(name.empty() ? code.get<std::string>() : name);
    }
    brief["region_names"] = std::move(names);
    json payload = {{"event", std::move(brief)},
                    {"trigger", std::move(trigger)},
                    {"level", d.level},
                    {"previous_level", d.previous_level},
                    {"policy", {{"id", policy->id}, {"name", policy->name}}},
                    {"heat", events::HeatJson(s.heat)},
                    {"reasons", std::move(reasons)},
                    {"keywords", std::move(keywords)},
                    {"posts", std::move(posts)}};
    model::NewAlert alert;
    alert.event_id = static_cast<int64_t>(event);
    alert.policy_id = d.policy_id;
    alert.level = d.level;
    alert.previous_level = d.previous_level;
    alert.created_at = at;
    alert.title = l.title;
    alert.payload_json = payload.dump();
    alert.targets = policy->targets;
    alert.language = policy->language;
    pending.batch.alerts.push_back(std::move(alert));
  }
}

void EventStage::Process(const store::QueuedPost& q, Prepared& prepared, Pending& pending) {
  const model::Post& p = q.post.post;
  events::EventPost& ep = prepared.event_post;
  events::ClusterPost& cp = prepared.cluster_post;
  // Posts dated in the future count as "now".
  ep.time_s = std::min(ep.time_s, Seconds(clock_.Now() + options_.future_tolerance));
  cp.time_s = ep.time_s;
  now_s_ = std::max(now_s_, ep.time_s);
  events::Assignment as = clusterer_->Add(cp, &prepared.cut);

  TakeMerges(pending);  // those the clusterer made while placing this post
  DropForgotten(&pending);

  uint64_t event = clusterer_->Resolve(as.event);
  Live& l = live_[event];
  if (as.reason == events::JoinReason::kNew) {
    l.title = TitleOf(p);
    l.title_score = 0;
    pending.batch.log.push_back(
        {static_cast<int64_t>(event), FromSeconds(ep.time_s), "new", json{{"post", cp.id}}.dump()});
  } else if (as.cosine > l.title_score) {
    l.title = TitleOf(p);
    l.title_score = as.cosine;
  }
  if (as.reason == events::JoinReason::kWoke) {
    pending.batch.log.push_back({static_cast<int64_t>(event), FromSeconds(ep.time_s), "woke",
                                 json{{"post", cp.id}, {"score", as.score}}.dump()});
  }
  l.rule_ids.insert(q.rule_ids.begin(), q.rule_ids.end());
  events::EventSignals s = monitor_->Observe(event, ep);
  trigger_ = &p;
  Touch(event, s, pending);
  trigger_ = nullptr;
  const model::SentimentLabel label = prepared.analysis.sentiment.label;
  pending.batch.posts.push_back({q.post.key, static_cast<int64_t>(event),
                                 std::string(events::JoinReasonName(as.reason)), as.score,
                                 std::move(prepared.analysis_json),
                                 label == model::SentimentLabel::kNegative   ? -1
                                 : label == model::SentimentLabel::kPositive ? 1
                                                                             : 0});
}

void EventStage::TakeMerges(Pending& pending, const store::EventMergeRequest* request) {
  const auto& merges = clusterer_->merges();
  for (; merges_seen_ < merges.size(); ++merges_seen_) {
    const events::Merge& m = merges[merges_seen_];
    events::EventSignals s = monitor_->Merge(m.from, m.into);
    decider_.Merge(static_cast<int64_t>(m.from), static_cast<int64_t>(m.into));
    auto from = live_.find(m.from);
    if (from != live_.end()) {
      Live& into = live_[m.into];
      into.rule_ids.insert(from->second.rule_ids.begin(), from->second.rule_ids.end());
      live_.erase(m.from);
    }
    pending.dirty.erase(m.from);
    pending.signals.erase(m.from);
    pending.batch.merges.push_back(
        {static_cast<int64_t>(m.from), static_cast<int64_t>(m.into), FromSeconds(m.at_s), m.score});
    json detail = {{"from", m.from}, {"score", m.score}};
    if (m.by_hand) {
      detail["by_hand"] = true;
      if (request != nullptr) {
        detail["request"] = request->id;
        detail["by"] = request->requested_by;
        detail["reason"] = request->reason;
      }
    }
    pending.batch.log.push_back(
        {static_cast<int64_t>(m.into), FromSeconds(m.at_s), "merge", detail.dump()});
    Touch(m.into, s, pending);
  }
}

Status EventStage::ApplyMergeRequests(Pending& pending) {
  YQ_ASSIGN_OR_RETURN(auto requests, store_.events.PendingEventMerges(merge_requests_seen_, 100));
  for (const store::EventMergeRequest& r : requests) {
    merge_requests_seen_ = std::max(merge_requests_seen_, r.id);
    Status s = clusterer_->MergeByHand(static_cast<uint64_t>(r.from), static_cast<uint64_t>(r.into),
                                       now_s_);
    pending.batch.merge_outcomes.push_back(
        {r.id, s.ok(), s.ok() ? std::string() : s.message(), clock_.Now()});
    if (s.ok()) {
      TakeMerges(pending, &r);
      DropForgotten(&pending);
    } else {
      YQ_LOG_INFO("event stage: merge request {} (event {} into {}) rejected: {}", r.id, r.from,
                  r.into, s.message());
    }
  }
  return Status::Ok();
}

void EventStage::DropForgotten(Pending* pending) {
  for (uint64_t event : clusterer_->TakeForgotten()) {
    monitor_->Forget(event);
    decider_.Forget(static_cast<int64_t>(event));
    live_.erase(event);
    if (pending != nullptr) {
      pending->dirty.erase(event);
      pending->signals.erase(event);
    }
  }
}

void EventStage::Sweep(int64_t now_s, Pending& pending) {
  for (const events::EventSignals& s : monitor_->Advance(now_s)) {
    if (clusterer_->Alive(s.event)) Touch(s.event, s, pending);
  }
}

void EventStage::Finish(Pending& pending) {
  std::vector<events::EventView> views;
  views.reserve(pending.dirty.size());
  for (uint64_t event : pending.dirty) {
    const events::EventSummary* summary = monitor_->summary(event);
    auto sig = pending.signals.find(event);
    if (summary == nullptr || sig == pending.signals.end()) continue;
    const Live& l = live_[event];
    // The 30 heaviest terms (for related-event suggestions); the first 10 are the keywords.
    auto terms = clusterer_->TopTerms(event, 30);
    events::EventView view{event,
                           l.title,
                           summary,
                           sig->second.heat,
                           sig->second.risk,
                           sig->second.trend,
                           {terms.begin(), terms.begin() + std::min<ptrdiff_t>(10, terms.size())},
                           std::max(now_s_, stamp_s_)};
    // How central the title's post is goes into the detail, so a restart keeps choosing
    // titles the same way.
    view.title_score = l.title_score;
    view.terms = std::move(terms);
    views.push_back(std::move(view));
  }
  // The records (detail JSON) only read the summaries: built on all analysis threads.
  const size_t first = pending.batch.events.size();
  pending.batch.events.resize(first + views.size());
  ParallelFor(views.size(), std::clamp<size_t>(options_.analysis_threads, 1, 16), [&](size_t i) {
    pending.batch.events[first + i] = events::MakeEventRecord(views[i]);
  });
}

struct EventStage::Built {
  Pending pending;
  int posts = 0;  // 0: an idle sweep
  int64_t events = 0;
  std::chrono::steady_clock::time_point started;
  double read_ms = 0, analyse_ms = 0, ordered_ms = 0, records_ms = 0;
};

// Commits built batches in order on its own thread while the next batch is built: the commit's
// SQLite work and fsync overlap the next batch's analysis and clustering. One batch waits at
// most (Put() blocks while one does). After a failed commit nothing more is committed — a later
// batch's queue removal would cover the failed one's posts — until Reset() (after Restore()).
class EventStage::Committer {
 public:
  explicit Committer(EventStage& stage) : stage_(stage), thread_([this] { Run(); }) {}
  ~Committer() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closing_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  Committer(const Committer&) = delete;
  Committer& operator=(const Committer&) = delete;

  // Hands a batch over (waits while another one is waiting); the first commit error, if any.
  Status Put(std::unique_ptr<Built> built) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_ == nullptr || !error_.ok(); });
    if (!error_.ok()) return error_;
    waiting_ = std::move(built);
    cv_.notify_all();
    return Status::Ok();
  }
  // Waits until every batch handed over is committed (or dropped after an error).
  Status Wait() {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return waiting_ == nullptr && !busy_; });
    return error_;
  }
  Status error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }
  void Reset() {
    std::lock_guard<std::mutex> lock(mu_);
    error_ = Status::Ok();
  }

 private:
  void Run() {
    std::unique_lock<std::mutex> lock(mu_);
    while (true) {
      cv_.wait(lock, [&] { return waiting_ != nullptr || closing_; });
      if (waiting_ == nullptr) return;  // closing, nothing left
      std::unique_ptr<Built> built = std::move(waiting_);
      if (!error_.ok()) {
        cv_.notify_all();
        continue;
      }
      busy_ = true;
      cv_.notify_all();
      lock.unlock();
      Status s = stage_.CommitBuilt(*built);
      built.reset();
      lock.lock();
      busy_ = false;
      if (!s.ok() && error_.ok()) error_ = s;
      cv_.notify_all();
    }
  }

  EventStage& stage_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::unique_ptr<Built> waiting_;
  bool busy_ = false;
  bool closing_ = false;
  Status error_;
  std::thread thread_;  // last: starts after the members it uses
};

Result<int> EventStage::RunOnce() {
  YQ_ASSIGN_OR_RETURN(std::unique_ptr<Built> built, Build(/*prefetch=*/false));
  if (built == nullptr) return 0;
  YQ_RETURN_IF_ERROR(CommitBuilt(*built));
  return built->posts;
}

Result<EventStage::Batch> EventStage::ReadAndPrepare(int64_t after_seq, size_t threads) const {
  Batch b;
  b.started = std::chrono::steady_clock::now();
  YQ_ASSIGN_OR_RETURN(b.queued, store_.events.NextQueuedPosts(after_seq, options_.batch_posts));
  for (const auto& q : b.queued) b.through = std::max(b.through, q.seq);
  // Event-time order within the batch (arrival order across batches; late posts are placed
  // at the latest time seen).
  std::stable_sort(b.queued.begin(), b.queued.end(), [](const auto& x, const auto& y) {
    return x.post.post.published_at < y.post.post.published_at;
  });
  const auto read_done = std::chrono::steady_clock::now();
  // Analysis is per post and pure: it runs on several threads; the rest is ordered.
  // So is the clusterer's segmentation (PreCutPost is const).
  b.prepared.resize(b.queued.size());
  ParallelFor(b.queued.size(), threads, [&](size_t i) {
    const model::Post& p = b.queued[i].post.post;
    Prepared& r = b.prepared[i];
    r.analysis = analyzer_->Analyze(p);
    r.analysis_json = analysis::AnalysisJsonString(r.analysis);
    std::tie(r.event_post, r.cluster_post) = EventAndClusterPost(p, r.analysis, INT64_MAX);
    r.cut = clusterer_->PreCutPost(r.cluster_post);
  });
  const auto analysed = std::chrono::steady_clock::now();
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  b.read_ms = ms(read_done - b.started);
  b.analyse_ms = ms(analysed - read_done);
  return b;
}

void EventStage::DropPrefetch() {
  if (prefetch_.valid()) (void)prefetch_.get();
}

Result<std::unique_ptr<EventStage::Built>> EventStage::Build(bool prefetch) {
  YQ_RETURN_IF_ERROR(ReloadPolicies());
  auto built = std::make_unique<Built>();
  Pending& pending = built->pending;
  const size_t threads = std::clamp<size_t>(options_.analysis_threads, 1, 16);
  Batch b;
  if (prefetch_.valid()) {
    YQ_ASSIGN_OR_RETURN(b, prefetch_.get());
  }
  // Nothing read ahead (or the queue was empty then): read now.
  if (b.queued.empty()) {
    YQ_ASSIGN_OR_RETURN(b, ReadAndPrepare(last_seq_, threads));
  }
  built->started = b.started;
  // A person's merges first: the posts of this batch then find the merged event.
  YQ_RETURN_IF_ERROR(ApplyMergeRequests(pending));
  const bool decided = !pending.batch.merge_outcomes.empty();
  if (b.queued.empty()) {
    // Idle: move the events on to the clock's time now and then (heat decays, trends decline,
    // events go dormant) even when no post arrives.
    int64_t wall = Seconds(clock_.Now());
    const bool sweep = wall - last_idle_sweep_s_ >= options_.advance_every_s && wall > now_s_;
    if (!sweep && !decided) return std::unique_ptr<Built>();
    if (sweep) {
      stamp_s_ = wall;
      Sweep(wall, pending);
      last_idle_sweep_s_ = wall;
    }
    Finish(pending);
    stamp_s_ = 0;
    if (pending.batch.events.empty() && !decided) return std::unique_ptr<Built>();
    pending.batch.queue_through = 0;  // nothing to remove from the queue
    return built;
  }
  // The next batch is read and analysed on another thread while this one is placed (Loop and
  // Drain): the ordered part no longer waits for analysis.
  if (prefetch) {
    const auto not_before = b.started + options_.batch_every;
    prefetch_ = std::async(std::launch::async, [this, after = b.through, not_before] {
      // A full batch is read at once; otherwise wait for more posts, up to batch_every.
      while (std::chrono::steady_clock::now() < not_before && !stop_) {
        auto queued = store_.events.QueuedAfter(after);
        if (!queued.ok() || *queued >= static_cast<int64_t>(options_.batch_posts)) break;
        std::this_thread::sleep_until(
            std::min(not_before, std::chrono::steady_clock::now() + std::chrono::milliseconds(20)));
      }
      return ReadAndPrepare(after, 1);
    });
  }
  const auto analysed = std::chrono::steady_clock::now();
  const int64_t through = b.through;
  const auto& queued = b.queued;
  for (size_t i = 0; i < queued.size(); ++i) {
    const store::QueuedPost& q = queued[i];
    Process(q, b.prepared[i], pending);
    if (now_s_ - last_sweep_s_ >= options_.advance_every_s) {
      Sweep(now_s_, pending);
      last_sweep_s_ = now_s_;
    }
  }
  pending.batch.queue_through = through;
  const auto ordered = std::chrono::steady_clock::now();
  Finish(pending);
  const auto records_done = std::chrono::steady_clock::now();
  // The next read starts after this batch, committed or not yet.
  last_seq_ = through;
  auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
  built->posts = static_cast<int>(queued.size());
  built->events = static_cast<int64_t>(live_.size());
  built->read_ms = b.read_ms;
  built->analyse_ms = b.analyse_ms;
  built->ordered_ms = ms(ordered - analysed);
  built->records_ms = ms(records_done - ordered);
  return built;
}

Status EventStage::CommitBuilt(Built& built) {
  const auto commit_start = std::chrono::steady_clock::now();
  YQ_ASSIGN_OR_RETURN(store::EventBatchResult result,
                      store_.events.CommitEvents(built.pending.batch));
  const auto finished = std::chrono::steady_clock::now();
  if (built.posts > 0) {
    std::lock_guard<std::mutex> lock(stats_mu_);
    stats_.posts += built.posts;
    stats_.alerts += static_cast<int64_t>(result.alert_ids.size());
    stats_.events = built.events;
    stats_.commits += 1;
    stats_.queue_seq = built.pending.batch.queue_through;
    auto ms = [](auto d) { return std::chrono::duration<double, std::milli>(d).count(); };
    stats_.slowest_batch_ms = std::max(stats_.slowest_batch_ms, ms(finished - built.started));
    stats_.slowest_commit_ms = std::max(stats_.slowest_commit_ms, ms(finished - commit_start));
    stats_.largest_batch = std::max<int64_t>(stats_.largest_batch, built.posts);
    stats_.read_ms += built.read_ms;
    stats_.analyse_ms += built.analyse_ms;
    stats_.ordered_ms += built.ordered_ms;
    stats_.records_ms += built.records_ms;
    stats_.commit_ms += ms(finished - commit_start);
  }
  if (notifier_ != nullptr && !result.alert_ids.empty()) {
    notifier_->Notify(*std::max_element(result.alert_ids.begin(), result.alert_ids.end()));
  }
  return Status::Ok();
}

Status EventStage::Drain(const std::function<void(int64_t, int64_t)>& progress) {
  Committer committer(*this);
  int64_t done = 0;
  while (true) {
    YQ_RETURN_IF_ERROR(committer.error());
    auto built = Build(options_.read_ahead);
    if (!built.ok()) {
      DropPrefetch();
      (void)committer.Wait();
      return built.status();
    }
    if (*built == nullptr) break;
    const int n = (*built)->posts;
    YQ_RETURN_IF_ERROR(committer.Put(std::move(*built)));
    if (n == 0) break;  // an idle sweep: the queue is empty
    done += n;
    if (progress) {
      YQ_ASSIGN_OR_RETURN(int64_t left, store_.events.QueueLength());
      progress(done, left);
    }
  }
  DropPrefetch();
  return committer.Wait();
}

void EventStage::Start() {
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void EventStage::Stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
}

void EventStage::Loop() {
  Committer committer(*this);
  while (!stop_) {
    Status s = committer.error();
    int n = 0;
    if (s.ok()) {
      auto built = Build(options_.read_ahead);
      if (!built.ok()) {
        s = built.status();
      } else if (*built != nullptr) {
        n = (*built)->posts;
        s = committer.Put(std::move(*built));
      }
    }
    if (!s.ok()) {
      DropPrefetch();
      (void)committer.Wait();  // memory is ahead of the store: let the commit in flight end
      YQ_LOG_ERROR("event stage: {}; rebuilding from the store and retrying", s.ToString());
      std::this_thread::sleep_for(std::chrono::seconds(1));
      Status r = Restore();
      if (!r.ok()) YQ_LOG_ERROR("event stage: restore failed: {}", r.ToString());
      committer.Reset();
      continue;
    }
    if (n == 0) std::this_thread::sleep_for(options_.idle_wait);
  }
  DropPrefetch();
  (void)committer.Wait();
}

EventStageStats EventStage::stats() const {
  std::lock_guard<std::mutex> lock(stats_mu_);
  return stats_;
}

Result<int> AcquireRoleLock(const std::string& database_path, WorkerRole role) {
  const bool events = role == WorkerRole::kEvents;
  std::string path = database_path + (events                        ? ".events.lock"
                                      : role == WorkerRole::kOutbox ? ".outbox.lock"
                                                                    : ".collect.lock");
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::Unavailable(fmt::format("cannot open \"{}\": {}", path, std::strerror(errno)));
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    int err = errno;
    ::close(fd);
    if (err == EWOULDBLOCK) {
      return Status::FailedPrecondition(
          fmt::format("another yuqing process is {} for this database (lock \"{}\")",
                      events                        ? "processing events"
                      : role == WorkerRole::kOutbox ? "delivering alerts"
                                                    : "collecting the configured sources",
                      path));
    }
    return Status::Unavailable(fmt::format("cannot lock \"{}\": {}", path, std::strerror(err)));
  }
  return fd;
}

}  // namespace yuqing::pipeline
