// Deliverer: the worker that empties the alert outbox (docs/alerts.md "Delivery"). It waits
// for a wake-up from the event stage (AlertNotifier) or the next retry time, takes the items
// due, sends each through its channel (webhook and robots over HTTP, email over SMTP), and
// records the outcome: delivered, a retry time by the backoff schedule (backoff.h), or the
// dead-letter state after `max_attempts` failed attempts.
//
// Delivery is at least once: an item is marked delivered after the receiver accepted it, so a
// crash in between sends it again after the restart — with the same idempotency key, which
// makes it exactly once from a receiver that drops repeated keys. Run one Deliverer per
// database (the `serve` process); two would send the same item twice at the same moment.
//
// Threads: Start() runs the loop on its own thread until Stop(); Stop() waits for the send in
// progress (bounded by the channel timeouts), and items not yet sent stay pending. RunOnce()
// is the loop's one step, public so tests drive it with a FakeClock without the thread; do not
// call it while the thread runs. Borrows the store, clock and notifier, which must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "alerts/backoff.h"
#include "alerts/notifier.h"
#include "alerts/smtp.h"
#include "alerts/webhook.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/status.h"
#include "store/alerts_store.h"

namespace yuqing::alerts {

struct DelivererOptions {
  BackoffPolicy backoff;
  HttpOptions http;
  SmtpOptions smtp;
  std::string smtp_from;  // the sender of alert emails
  int batch = 50;         // items taken per step
  // Longest sleep when nothing is due: a missed wake-up costs at most this much delay.
  std::chrono::milliseconds idle_wait{std::chrono::seconds(30)};
  // The files an email of this alert carries (a report's PDF and DOCX, docs/reports.md);
  // unset or an empty list: none. An error fails the attempt (it is retried).
  std::function<Result<std::vector<Attachment>>(const model::Alert&)> attachments;
};

// The options from the alerts.* configuration keys.
DelivererOptions DelivererOptionsFromConfig(const core::Config& config);

// What one step did.
struct DeliveryStats {
  int delivered = 0;
  int retrying = 0;  // failed, another attempt scheduled
  int dead = 0;      // failed for the last time
};

class Deliverer {
 public:
  Deliverer(store::AlertStore& store, const core::Clock& clock, AlertNotifier& notifier,
            DelivererOptions options);
  ~Deliverer();  // Stop()
  Deliverer(const Deliverer&) = delete;
  Deliverer& operator=(const Deliverer&) = delete;

  void Start();
  void Stop();

  // Sends every item due at `now` (up to `batch`) and records the outcomes. Errors are the
  // store's (the items stay pending); a failed send is an outcome, not an error.
  Result<DeliveryStats> RunOnce(core::TimePoint now);

  // Sends one item now, whatever its state, without recording anything (`yuqing outbox test`).
  Status Send(const model::Alert& alert, const model::OutboxItem& item, core::TimePoint now);

 private:
  void Loop();

  store::AlertStore& store_;
  const core::Clock& clock_;
  AlertNotifier& notifier_;
  DelivererOptions options_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace yuqing::alerts
