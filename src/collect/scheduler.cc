#include "collect/scheduler.h"

#include "core/log.h"

namespace yuqing::collect {

Scheduler::Scheduler(store::SourceStore& sources, Collector& collector, int threads,
                     std::chrono::milliseconds poll)
    : sources_(sources), collector_(collector), threads_(threads < 1 ? 1 : threads), poll_(poll) {}

Scheduler::~Scheduler() { Stop(); }

void Scheduler::Start() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = false;
  }
  for (int i = 0; i < threads_; ++i) workers_.emplace_back([this] { Work(); });
  planner_ = std::thread([this] { Plan(); });
}

void Scheduler::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (planner_.joinable()) planner_.join();
  for (auto& w : workers_) {
    if (w.joinable()) w.join();
  }
  workers_.clear();
}

int64_t Scheduler::runs_started() const {
  std::lock_guard<std::mutex> lock(mu_);
  return runs_started_;
}

void Scheduler::Plan() {
  const core::Clock& clock = collector_.clock();
  core::TimePoint next_health{};
  while (true) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, poll_, [this] { return stop_; })) return;
    }
    auto list = sources_.ListConfiguredSources();
    if (!list.ok()) {
      YQ_LOG_WARN("collect: cannot list sources: {}", list.status().message());
      continue;
    }
    core::TimePoint now = clock.Now();
    bool judge = now >= next_health;
    if (judge) next_health = now + std::chrono::minutes(1);
    std::vector<std::string> idle;
    {
      std::lock_guard<std::mutex> lock(mu_);
      std::set<std::string> seen;
      for (const model::Source& s : *list) {
        seen.insert(s.name);
        if (s.paused) continue;
        if (s.kind == model::SourceKind::kPush) {  // not fetched, but judged like the others
          if (judge) idle.push_back(s.name);
          continue;
        }
        auto it = next_.find(s.name);
        if (it == next_.end()) {
          // First sight (a start, or a new source): due one interval after its last run.
          core::TimePoint due = s.state.last_run_at ? *s.state.last_run_at + s.interval : now;
          it = next_.emplace(s.name, due).first;
        }
        if (busy_.contains(s.name)) continue;
        if (it->second <= now) {
          it->second = now + s.interval;
          busy_.insert(s.name);
          queue_.push_back(s.name);
          cv_.notify_one();
        } else if (judge) {
          idle.push_back(s.name);
        }
      }
      for (auto it = next_.begin(); it != next_.end();) {
        it = seen.contains(it->first) ? std::next(it) : next_.erase(it);
      }
    }
    for (const auto& name : idle) {
      if (Status s = collector_.CheckHealth(name); !s.ok() && s.code() != StatusCode::kNotFound) {
        YQ_LOG_WARN("collect: health of \"{}\": {}", name, s.message());
      }
    }
  }
}

void Scheduler::Work() {
  while (true) {
    std::string name;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      name = std::move(queue_.front());
      queue_.pop_front();
      ++runs_started_;
    }
    auto r = collector_.RunOnce(name);
    if (!r.ok()) {
      if (r.status().code() != StatusCode::kNotFound) {
        YQ_LOG_WARN("collect: \"{}\": {}", name, r.status().message());
      }
    } else if (!r->error.ok()) {
      YQ_LOG_WARN("collect: \"{}\" failed: {} ({})", name, r->error.message(), r->error_url);
    } else {
      YQ_LOG_INFO("collect: \"{}\": {} read, {} new", name, r->fetched, r->accepted);
    }
    std::lock_guard<std::mutex> lock(mu_);
    busy_.erase(name);
  }
}

}  // namespace yuqing::collect
