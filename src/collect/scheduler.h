// Runs every configured source on its schedule (yuqing serve; docs/collect.md, "Running"): a
// planning thread finds the sources that are due on the injected clock and hands them to a
// pool of collector threads. A source runs on one thread at a time, so a slow or failing
// source holds at most one thread and the others keep their schedules; paused and push
// sources are not run (push sources are judged: their volume comes from POST /api/v1/posts). Once a
// minute every source's health is judged even if it is not run, so a source whose runs stopped
// still turns silent.
//
// Thread safety: Start() and Stop() from one thread; Stop() joins every thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "collect/collector.h"
#include "core/clock.h"
#include "store/sources_store.h"

namespace yuqing::collect {

class Scheduler {
 public:
  // `collector` and `sources` are borrowed and must outlive the scheduler. `poll` is how often
  // the planner looks at the clock (real time).
  Scheduler(store::SourceStore& sources, Collector& collector, int threads,
            std::chrono::milliseconds poll = std::chrono::milliseconds(1000));
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  void Start();
  void Stop();

  // Runs started so far (for tests and /healthz).
  int64_t runs_started() const;

 private:
  void Plan();
  void Work();

  store::SourceStore& sources_;
  Collector& collector_;
  int threads_;
  std::chrono::milliseconds poll_;

  mutable std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;                            // guarded by mu_
  std::deque<std::string> queue_;                // guarded by mu_
  std::set<std::string> busy_;                   // queued or running; guarded by mu_
  std::map<std::string, core::TimePoint> next_;  // next due time; guarded by mu_
  int64_t runs_started_ = 0;                     // guarded by mu_
  std::vector<std::thread> workers_;
  std::thread planner_;
};

}  // namespace yuqing::collect
