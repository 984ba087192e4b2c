// Alert policies, alerts and the outbox of the SQLite store (docs/alerts.md).
// TODO(issue 6): being implemented; every method answers Internal until then.
#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {
Status Todo() { return Status::Internal("alerts are not implemented yet"); }
}  // namespace

Result<model::AlertPolicy> SqliteStore::CreateAlertPolicy(const model::AlertPolicy&,
                                                          core::TimePoint) {
  return Todo();
}
Result<model::AlertPolicy> SqliteStore::UpdateAlertPolicy(const model::AlertPolicy&,
                                                          core::TimePoint) {
  return Todo();
}
Result<std::optional<model::AlertPolicy>> SqliteStore::GetAlertPolicy(int64_t) { return Todo(); }
Result<std::vector<model::AlertPolicy>> SqliteStore::ListAlertPolicies() {
  return std::vector<model::AlertPolicy>{};
}
Status SqliteStore::DeleteAlertPolicy(int64_t) { return Todo(); }
Result<int64_t> SqliteStore::AlertPoliciesVersion() { return int64_t{0}; }
Result<std::vector<model::Alert>> SqliteStore::ListAlerts(const AlertQuery&) { return Todo(); }
Result<std::optional<model::Alert>> SqliteStore::GetAlert(int64_t) { return Todo(); }
Result<std::vector<Store::AlertLevel>> SqliteStore::AlertLevels() {
  return std::vector<Store::AlertLevel>{};
}
Result<model::Alert> SqliteStore::AcknowledgeAlert(int64_t, const std::string&, core::TimePoint) {
  return Todo();
}
Result<std::vector<model::OutboxItem>> SqliteStore::DueOutbox(core::TimePoint, int) {
  return Todo();
}
Result<std::optional<core::TimePoint>> SqliteStore::NextOutboxAttempt() { return Todo(); }
Result<std::vector<model::OutboxItem>> SqliteStore::OutboxForAlert(int64_t) { return Todo(); }
Status SqliteStore::MarkOutboxDelivered(int64_t, core::TimePoint) { return Todo(); }
Status SqliteStore::MarkOutboxFailed(int64_t, const std::string&, std::optional<core::TimePoint>) {
  return Todo();
}
Status SqliteStore::RetryOutbox(int64_t, core::TimePoint) { return Todo(); }
Result<OutboxCounts> SqliteStore::CountOutbox() { return Todo(); }
Status SqliteStore::InsertAlertsLocked(const std::vector<model::NewAlert>& alerts,
                                       std::vector<int64_t>&) {
  return alerts.empty() ? Status::Ok() : Todo();
}

}  // namespace yuqing::store::sqlite::internal
