#include "alerts/deliverer.h"

#include <fmt/format.h>

#include "alerts/format.h"
#include "core/log.h"
#include "core/time.h"

namespace yuqing::alerts {

DelivererOptions DelivererOptionsFromConfig(const core::Config& c) {
  DelivererOptions o;
  o.backoff.max_attempts = static_cast<int>(c.alerts_max_attempts);
  o.backoff.base = std::chrono::seconds(c.alerts_retry_base_s);
  o.backoff.max = std::chrono::seconds(c.alerts_retry_max_s);
  o.http.timeout = std::chrono::seconds(c.alerts_http_timeout_s);
  o.smtp.host = c.alerts_smtp_host;
  o.smtp.port = static_cast<int>(c.alerts_smtp_port);
  o.smtp.user = c.alerts_smtp_user;
  o.smtp.password = c.alerts_smtp_password;
  o.smtp.timeout = std::chrono::seconds(c.alerts_http_timeout_s);
  o.smtp_from = c.alerts_smtp_from;
  return o;
}

Deliverer::Deliverer(store::AlertStore& store, const core::Clock& clock, AlertNotifier& notifier,
                     DelivererOptions options)
    : store_(store), clock_(clock), notifier_(notifier), options_(std::move(options)) {}

Deliverer::~Deliverer() { Stop(); }

void Deliverer::Start() {
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void Deliverer::Stop() {
  stop_ = true;
  // Notify(0) announces nothing new (ids only grow) but wakes the loop's WaitGeneration.
  notifier_.Notify(0);
  if (thread_.joinable()) thread_.join();
}

void Deliverer::Loop() {
  while (true) {
    // Read the generation before the step: a notification during the step runs another one.
    uint64_t generation = notifier_.generation();
    if (stop_) return;
    std::chrono::milliseconds wait = options_.idle_wait;
    auto step = RunOnce(clock_.Now());
    if (!step.ok()) {
      YQ_LOG_WARN("alert delivery: {}", step.status().message());
      wait = std::chrono::seconds(5);
    } else if (step->delivered + step->retrying + step->dead >= options_.batch) {
      continue;  // a full batch: more may be due
    } else {
      auto next = store_.NextOutboxAttempt();
      if (next.ok() && next->has_value()) {
        auto until = std::chrono::duration_cast<std::chrono::milliseconds>(**next - clock_.Now());
        wait = std::clamp(until, std::chrono::milliseconds(0), options_.idle_wait);
      }
    }
    if (stop_) return;
    if (wait.count() > 0) notifier_.WaitGeneration(generation, wait);
  }
}

Status Deliverer::Send(const model::Alert& alert, const model::OutboxItem& item,
                       core::TimePoint now) {
  if (item.target.kind == model::TargetKind::kEmail) {
    if (options_.smtp.host.empty()) {
      return Status::FailedPrecondition(
          "email is not configured: set alerts.smtp_host (and alerts.smtp_from)");
    }
    std::vector<Attachment> files;
    if (options_.attachments) {
      YQ_ASSIGN_OR_RETURN(files, options_.attachments(alert));
    }
    YQ_ASSIGN_OR_RETURN(EmailMessage m, FormatEmail(alert, item, options_.smtp_from, now, files));
    return SendMail(options_.smtp, m);
  }
  YQ_ASSIGN_OR_RETURN(HttpMessage m, FormatHttp(alert, item, now));
  return PostMessage(m, item.target.kind, options_.http);
}

Result<DeliveryStats> Deliverer::RunOnce(core::TimePoint now) {
  YQ_ASSIGN_OR_RETURN(auto due, store_.DueOutbox(now, options_.batch));
  DeliveryStats stats;
  for (const model::OutboxItem& item : due) {
    if (stop_) break;
    YQ_ASSIGN_OR_RETURN(auto alert, store_.GetAlert(item.alert_id));
    Status sent = alert ? Send(*alert, item, now)
                        : Status::NotFound(fmt::format("alert {} no longer exists", item.alert_id));
    if (sent.ok()) {
      YQ_RETURN_IF_ERROR(store_.MarkOutboxDelivered(item.id, now));
      ++stats.delivered;
      continue;
    }
    int failed = item.attempts + 1;
    auto retry_at =
        alert ? NextAttempt(options_.backoff, failed, item.idempotency_key, now) : std::nullopt;
    YQ_RETURN_IF_ERROR(store_.MarkOutboxFailed(item.id, sent.message(), retry_at));
    if (retry_at) {
      ++stats.retrying;
      YQ_LOG_INFO("alert {} to {} {}: attempt {} failed, retry at {}: {}", item.alert_id,
                  model::TargetKindName(item.target.kind), item.idempotency_key, failed,
                  core::FormatIso8601(*retry_at), sent.message());
    } else {
      ++stats.dead;
      YQ_LOG_WARN("alert {} to {} {}: giving up after {} attempts: {}", item.alert_id,
                  model::TargetKindName(item.target.kind), item.idempotency_key, failed,
                  sent.message());
    }
  }
  return stats;
}

}  // namespace yuqing::alerts
