#include "pipeline/rules.h"

#include <fmt/format.h>

#include <algorithm>
#include <deque>

#include "core/log.h"
#include "core/utf8.h"

namespace yuqing::pipeline {

rules::PostView RuleViewOf(const model::Post& post) {
  rules::PostView v;
  v.title = post.title;
  v.text = post.text;
  v.author = post.author.name;
  v.source = post.source;
  v.channel = model::ChannelName(post.channel);
  v.region_code = post.region;
  return v;
}

namespace {

model::RuleHit ToRuleHit(const rules::RuleMatch& m) {
  model::RuleHit hit;
  hit.rule_id = m.rule_id;
  hit.terms.reserve(m.terms.size());
  for (const rules::TermMatch& t : m.terms) {
    hit.terms.push_back({std::string(rules::ScopeName(t.field)), t.begin, t.end, t.term});
  }
  return hit;
}

// `query` checked with `options` and compiled alone under rule id `id` (InvalidArgument
// "column N: …" if it is refused).
Result<std::shared_ptr<const rules::CompiledRuleSet>> CompileOne(
    int64_t id, std::string_view query, const rules::PrepareOptions& options) {
  YQ_ASSIGN_OR_RETURN(rules::PreparedRule prepared, rules::CheckRule(id, query, options));
  std::vector<rules::PreparedRule> one;
  one.push_back(std::move(prepared));
  return rules::CompiledRuleSet::Compile(std::move(one), options.normalizer);
}

}  // namespace

std::vector<model::RuleHit> MatchRules(const rules::CompiledRuleSet& set, const model::Post& post) {
  std::vector<model::RuleHit> hits;
  if (set.rule_count() == 0) return hits;
  rules::MatchResult result;
  set.Match(RuleViewOf(post), result);
  hits.reserve(result.rules.size());
  for (const auto& m : result.rules) hits.push_back(ToRuleHit(m));
  return hits;
}

rules::ListResolver StoreListResolver(store::RuleStore& store) {
  return [&store](std::string_view name) -> Result<std::vector<std::string>> {
    YQ_ASSIGN_OR_RETURN(auto list, store.GetKeywordList(std::string(name)));
    if (!list) return Status::NotFound(fmt::format("unknown keyword list \"@{}\"", name));
    return list->words;
  };
}

rules::PrepareOptions CheckOptions(store::RuleStore& store,
                                   std::shared_ptr<const rules::MatchNormalizer> normalizer,
                                   rules::RegionResolver regions) {
  rules::PrepareOptions options;
  options.normalizer = std::move(normalizer);
  options.regions = std::move(regions);
  options.lists = StoreListResolver(store);
  return options;
}

rules::PrepareOptions RuleSync::CheckOptions() const {
  return pipeline::CheckOptions(store_, normalizer_, regions_);
}

RuleSync::RuleSync(store::RuleStore& store,
                   std::shared_ptr<const rules::MatchNormalizer> normalizer,
                   rules::RegionResolver regions)
    : store_(store), normalizer_(normalizer), regions_(std::move(regions)), engine_([&] {
        rules::PrepareOptions options;
        options.normalizer = normalizer_;
        options.regions = regions_;
        // Lists come from the snapshot Reload() read together with the rules, so one reload
        // sees one consistent state of the store.
        options.lists = [this](std::string_view name) -> Result<std::vector<std::string>> {
          std::lock_guard lock(lists_mu_);
          auto it = lists_.find(name);
          if (it == lists_.end()) {
            return Status::NotFound(fmt::format("unknown keyword list \"@{}\"", name));
          }
          return it->second;
        };
        return options;
      }()) {}

RuleSync::~RuleSync() { Stop(); }

Result<std::vector<rules::RuleRefusal>> RuleSync::Reload() {
  std::lock_guard reload(reload_mu_);
  // The version is read first: a change committed while we read is seen by the next check.
  YQ_ASSIGN_OR_RETURN(int64_t version, store_.RulesVersion());
  YQ_ASSIGN_OR_RETURN(std::vector<model::KeywordList> lists, store_.ListKeywordLists());
  YQ_ASSIGN_OR_RETURN(std::vector<model::Rule> stored, store_.ListRules());
  {
    std::lock_guard lock(lists_mu_);
    lists_.clear();
    for (auto& l : lists) lists_.emplace(std::move(l.name), std::move(l.words));
  }
  std::vector<rules::RuleSource> sources;
  for (const auto& r : stored) {
    if (r.enabled) sources.push_back({r.id, r.query});
  }
  YQ_ASSIGN_OR_RETURN(std::vector<rules::RuleRefusal> refused, engine_.Replace(sources));
  for (const auto& r : refused) {
    YQ_LOG_WARN("monitoring rule left out: {}", r.status.message());
  }
  {
    std::lock_guard lock(lists_mu_);
    refusals_ = refused;
  }
  loaded_version_ = version;
  return refused;
}

Result<bool> RuleSync::ReloadIfChanged() {
  YQ_ASSIGN_OR_RETURN(int64_t version, store_.RulesVersion());
  if (version == loaded_version_.load()) return false;
  YQ_RETURN_IF_ERROR(Reload().status());
  return true;
}

std::vector<rules::RuleRefusal> RuleSync::refusals() const {
  std::lock_guard lock(lists_mu_);
  return refusals_;
}

void RuleSync::Start(std::chrono::milliseconds interval) {
  Stop();
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = false;
  }
  thread_ = std::thread([this, interval] {
    std::unique_lock lock(thread_mu_);
    // A periodic check, not a deadline: waiting on the steady clock is fine here.
    while (!thread_cv_.wait_for(lock, interval, [this] { return stopping_; })) {
      lock.unlock();
      auto changed = ReloadIfChanged();
      if (!changed.ok()) {
        YQ_LOG_WARN("reloading monitoring rules: {}", changed.status().message());
      } else if (*changed) {
        YQ_LOG_INFO("monitoring rules reloaded: {} active (version {})", loaded_rules(),
                    loaded_version());
      }
      lock.lock();
    }
  });
}

void RuleSync::Stop() {
  {
    std::lock_guard lock(thread_mu_);
    stopping_ = true;
  }
  thread_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

Result<QueryHighlighter> QueryHighlighter::Compile(std::string_view query,
                                                   const rules::PrepareOptions& options) {
  constexpr int64_t kQueryRuleId = 1;
  YQ_ASSIGN_OR_RETURN(rules::PreparedRule prepared, rules::CheckRule(kQueryRuleId, query, options));
  std::vector<rules::PreparedRule> one;
  one.push_back(std::move(prepared));
  QueryHighlighter h;
  YQ_ASSIGN_OR_RETURN(h.set_, rules::CompiledRuleSet::Compile(std::move(one), options.normalizer));
  return h;
}

std::vector<model::TermHit> QueryHighlighter::Terms(const model::Post& post) const {
  std::vector<model::RuleHit> hits = MatchRules(*set_, post);
  if (hits.empty()) return {};
  return std::move(hits.front().terms);
}

Result<TrialResult> TryRule(store::PostStore& store, std::string_view query,
                            const rules::PrepareOptions& options, const TrialOptions& trial) {
  constexpr int64_t kTrialRuleId = 1;
  YQ_ASSIGN_OR_RETURN(auto set, CompileOne(kTrialRuleId, query, options));
  TrialResult out;
  std::deque<TrialSample> newest;
  store::ScanRequest scan;
  scan.from = trial.from;
  scan.to = trial.to;
  scan.limit = 1000;
  rules::MatchResult result;
  while (true) {
    YQ_ASSIGN_OR_RETURN(std::vector<store::StoredPost> page, store.ScanPosts(scan));
    if (page.empty()) break;
    for (auto& p : page) {
      ++out.scanned;
      set->Match(RuleViewOf(p.post), result);
      if (result.rules.empty()) continue;
      ++out.matched;
      if (trial.samples <= 0) continue;
      TrialSample s;
      s.terms = ToRuleHit(result.rules.front()).terms;
      s.post = std::move(p);
      newest.push_back(std::move(s));
      if (newest.size() > static_cast<size_t>(trial.samples)) newest.pop_front();
    }
    scan.after_key = page.back().key;
  }
  out.samples.assign(std::make_move_iterator(newest.rbegin()),
                     std::make_move_iterator(newest.rend()));
  return out;
}

Result<BackfillResult> BackfillRule(store::PostStore& store, const model::Rule& rule,
                                    const rules::PrepareOptions& options,
                                    const BackfillOptions& backfill) {
  YQ_ASSIGN_OR_RETURN(auto set, CompileOne(rule.id, rule.query, options));
  BackfillResult out;
  store::ScanRequest scan;
  scan.from = backfill.from;
  scan.to = backfill.to;
  scan.limit = 1000;
  rules::MatchResult result;
  std::vector<store::PostRuleHit> hits;
  while (true) {
    YQ_ASSIGN_OR_RETURN(std::vector<store::StoredPost> page, store.ScanPosts(scan));
    if (page.empty()) break;
    hits.clear();
    for (const auto& p : page) {
      ++out.scanned;
      set->Match(RuleViewOf(p.post), result);
      if (result.rules.empty()) continue;
      ++out.matched;
      hits.push_back({p.key, ToRuleHit(result.rules.front())});
    }
    YQ_ASSIGN_OR_RETURN(int64_t written, store.AddRuleHits(hits));
    out.recorded += written;
    if (backfill.progress) backfill.progress(out);
    scan.after_key = page.back().key;
  }
  return out;
}

std::string Highlight(std::string_view text, std::string_view field,
                      const std::vector<model::TermHit>& terms, size_t max_chars) {
  std::vector<std::pair<uint32_t, uint32_t>> ranges;
  for (const auto& t : terms) {
    if (t.field == field && t.begin < t.end && t.end <= text.size()) {
      ranges.emplace_back(t.begin, t.end);
    }
  }
  std::sort(ranges.begin(), ranges.end());
  std::vector<std::pair<uint32_t, uint32_t>> merged;
  for (const auto& r : ranges) {
    // Overlapping hits are merged; adjacent ones stay apart, so each term shows on its own.
    if (!merged.empty() && r.first < merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  // Code point starts, to cut on character boundaries.
  std::vector<size_t> starts;
  for (size_t pos = 0; pos < text.size();) {
    starts.push_back(pos);
    (void)core::DecodeUtf8(text, pos);
  }
  size_t first = 0, last = starts.size();
  if (starts.size() > max_chars) {
    size_t anchor = 0;
    if (!merged.empty()) {
      anchor = static_cast<size_t>(
          std::lower_bound(starts.begin(), starts.end(), merged.front().first) - starts.begin());
    }
    first = anchor > max_chars / 4 ? anchor - max_chars / 4 : 0;
    first = std::min(first, starts.size() - max_chars);
    last = first + max_chars;
  }
  size_t begin_byte = first < starts.size() ? starts[first] : text.size();
  size_t end_byte = last < starts.size() ? starts[last] : text.size();
  std::string out;
  if (first > 0) out += "…";
  size_t pos = begin_byte;
  for (const auto& [b, e] : merged) {
    if (e <= pos || b >= end_byte) continue;
    size_t hb = std::max<size_t>(b, pos);
    size_t he = std::min<size_t>(e, end_byte);
    out.append(text.substr(pos, hb - pos));
    out += "【";
    out.append(text.substr(hb, he - hb));
    out += "】";
    pos = he;
  }
  out.append(text.substr(pos, end_byte - pos));
  if (end_byte < text.size()) out += "…";
  for (char& c : out) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  return out;
}

}  // namespace yuqing::pipeline
