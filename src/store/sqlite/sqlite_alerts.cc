// Alert policies, alerts and the outbox of the SQLite store (docs/alerts.md "Storage").
//
// A policy's conditions and targets live in one JSON column (`spec`), so adding a condition
// needs no migration. Alerts are unique per (event, policy, level): the event stage may offer
// the same alert again after a restart and INSERT OR IGNORE keeps the first. Case notices
// (docs/cases.md "Supervision") are alerts too, with policy 0, their case and a key unique
// within the case (a partial unique index), so the sweep may offer one again after a restart
// just the same; they are not event alerts and stay out of AlertLevels. The outbox rows
// of an alert are written in the same transaction as the alert, so an alert is never stored
// without its deliveries; each row copies its target (kind, address, secret), so editing or
// deleting a policy later does not change deliveries already owed.
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "store/sqlite/sqlite_store_impl.h"

namespace yuqing::store::sqlite::internal {
namespace {

using nlohmann::json;

constexpr std::string_view kPolicyColumns = "id, name, enabled, spec, created_at, updated_at";
constexpr std::string_view kAlertColumns =
    "id, event_id, policy_id, level, previous_level, created_at, title, payload, language, "
    "acked_at, acked_by, case_id, dedup_key";
constexpr std::string_view kOutboxColumns =
    "id, alert_id, kind, address, secret, idempotency_key, state, attempts, next_attempt_at, "
    "last_error, delivered_at";

Status NoSuchPolicy(int64_t id) {
  return Status::NotFound(fmt::format("no alert policy with id {}", id));
}
Status PolicyNameTaken(const std::string& name) {
  return Status::AlreadyExists(fmt::format("an alert policy named \"{}\" already exists", name));
}
Status NoSuchAlert(int64_t id) { return Status::NotFound(fmt::format("no alert with id {}", id)); }
Status NoSuchOutboxItem(int64_t id) {
  return Status::NotFound(fmt::format("no outbox item with id {}", id));
}

json TargetsJson(const std::vector<model::AlertTarget>& targets) {
  json out = json::array();
  for (const auto& t : targets) {
    out.push_back(
        {{"kind", model::TargetKindName(t.kind)}, {"address", t.address}, {"secret", t.secret}});
  }
  return out;
}

std::string SpecJson(const model::AlertPolicy& p) {
  json domains = json::array();
  for (auto d : p.domains) domains.push_back(model::DomainName(d));
  return json{{"rule_ids", p.rule_ids},        {"regions", p.regions},
              {"domains", std::move(domains)}, {"min_grade", p.min_grade},
              {"min_heat", p.min_heat},        {"targets", TargetsJson(p.targets)},
              {"language", p.language}}
      .dump();
}

// Reads the spec written by SpecJson. The column is ours, but a damaged value is reported with
// the policy's id instead of aborting.
Status ReadSpec(int64_t id, const std::string& text, model::AlertPolicy& p) {
  json spec = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!spec.is_object()) {
    return Status::Internal(fmt::format("alert policy {}: stored spec is not a JSON object", id));
  }
  try {
    p.rule_ids = spec.value("rule_ids", std::vector<int64_t>{});
    p.regions = spec.value("regions", std::vector<std::string>{});
    for (const auto& d : spec.value("domains", std::vector<std::string>{})) {
      p.domains.push_back(model::ParseDomain(d).value_or(model::Domain::kOther));
    }
    p.min_grade = spec.value("min_grade", 4);
    p.min_heat = spec.value("min_heat", 0.0);
    p.language = spec.value("language", std::string("zh"));
    for (const auto& t : spec.value("targets", json::array())) {
      model::AlertTarget target;
      auto kind = model::ParseTargetKind(t.value("kind", std::string()));
      if (!kind) {
        return Status::Internal(fmt::format("alert policy {}: stored target kind {} is unknown", id,
                                            t.value("kind", json()).dump()));
      }
      target.kind = *kind;
      target.address = t.value("address", std::string());
      target.secret = t.value("secret", std::string());
      p.targets.push_back(std::move(target));
    }
  } catch (const json::exception& e) {
    return Status::Internal(fmt::format("alert policy {}: stored spec: {}", id, e.what()));
  }
  return Status::Ok();
}

Result<model::AlertPolicy> ReadPolicy(const Stmt& s) {
  model::AlertPolicy p;
  p.id = s.Int(0);
  p.name = s.Text(1);
  p.enabled = s.Int(2) != 0;
  YQ_RETURN_IF_ERROR(ReadSpec(p.id, s.Text(3), p));
  p.created_at = FromMs(s.Int(4));
  p.updated_at = FromMs(s.Int(5));
  return p;
}

model::Alert ReadAlert(const Stmt& s) {
  model::Alert a;
  a.id = s.Int(0);
  a.event_id = s.Int(1);
  a.policy_id = s.Int(2);
  a.level = static_cast<int>(s.Int(3));
  a.previous_level = static_cast<int>(s.Int(4));
  a.created_at = FromMs(s.Int(5));
  a.title = s.Text(6);
  a.payload_json = s.Text(7);
  a.language = s.Text(8);
  if (!s.IsNull(9)) a.acked_at = FromMs(s.Int(9));
  a.acked_by = s.Text(10);
  a.case_id = s.Int(11);
  a.dedup_key = s.Text(12);
  return a;
}

model::OutboxState ParseState(std::string_view name) {
  if (name == "delivered") return model::OutboxState::kDelivered;
  if (name == "dead") return model::OutboxState::kDead;
  return model::OutboxState::kPending;
}

model::OutboxItem ReadOutbox(const Stmt& s) {
  model::OutboxItem o;
  o.id = s.Int(0);
  o.alert_id = s.Int(1);
  o.target.kind = model::ParseTargetKind(s.Text(2)).value_or(model::TargetKind::kWebhook);
  o.target.address = s.Text(3);
  o.target.secret = s.Text(4);
  o.idempotency_key = s.Text(5);
  o.state = ParseState(s.Text(6));
  o.attempts = static_cast<int>(s.Int(7));
  o.next_attempt_at = FromMs(s.Int(8));
  o.last_error = s.Text(9);
  if (!s.IsNull(10)) o.delivered_at = FromMs(s.Int(10));
  return o;
}

Status CheckPolicyFields(const model::AlertPolicy& p) {
  if (p.name.empty()) return Status::InvalidArgument("an alert policy needs a name");
  return Status::Ok();
}

// Runs `change` in one write transaction that also increments alerts.version. Requires
// write_mu_.
Status AlertsTransaction(Db& db, const std::function<Status()>& change) {
  YQ_RETURN_IF_ERROR(db.Exec("BEGIN IMMEDIATE"));
  Status s = change();
  if (s.ok()) {
    s = db.Exec(
        "UPDATE meta SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = "
        "'alerts.version'");
  }
  if (s.ok()) s = db.Exec("COMMIT");
  if (!s.ok()) (void)db.Exec("ROLLBACK");
  return s;
}

}  // namespace

Result<model::AlertPolicy> SqliteStore::CreateAlertPolicy(const model::AlertPolicy& policy,
                                                          core::TimePoint now) {
  YQ_RETURN_IF_ERROR(CheckPolicyFields(policy));
  std::lock_guard<std::mutex> lock(write_mu_);
  int64_t id = 0;
  YQ_RETURN_IF_ERROR(AlertsTransaction(*writer_, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("INSERT INTO alert_policies(name, enabled, spec, "
                                                 "created_at, updated_at) "
                                                 "VALUES(?1, ?2, ?3, ?4, ?4)"));
    s.Bind(1, policy.name);
    s.Bind(2, int64_t{policy.enabled ? 1 : 0});
    s.Bind(3, SpecJson(policy));
    s.Bind(4, Ms(now));
    Status st = s.Run();
    if (st.code() == StatusCode::kAlreadyExists) return PolicyNameTaken(policy.name);
    YQ_RETURN_IF_ERROR(st);
    id = writer_->LastInsertRowid();
    return Status::Ok();
  }));
  model::AlertPolicy out = policy;
  out.id = id;
  out.created_at = out.updated_at = now;
  return out;
}

Result<model::AlertPolicy> SqliteStore::UpdateAlertPolicy(const model::AlertPolicy& policy,
                                                          core::TimePoint now) {
  YQ_RETURN_IF_ERROR(CheckPolicyFields(policy));
  std::lock_guard<std::mutex> lock(write_mu_);
  model::AlertPolicy out;
  YQ_RETURN_IF_ERROR(AlertsTransaction(*writer_, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE alert_policies SET name = ?2, "
                                                 "enabled = ?3, spec = ?4, updated_at = ?5 "
                                                 "WHERE id = ?1"));
    s.Bind(1, policy.id);
    s.Bind(2, policy.name);
    s.Bind(3, int64_t{policy.enabled ? 1 : 0});
    s.Bind(4, SpecJson(policy));
    s.Bind(5, Ms(now));
    Status st = s.Run();
    if (st.code() == StatusCode::kAlreadyExists) return PolicyNameTaken(policy.name);
    YQ_RETURN_IF_ERROR(st);
    if (writer_->Changes() == 0) return NoSuchPolicy(policy.id);
    YQ_ASSIGN_OR_RETURN(
        Stmt g, writer_->Prepare(
                    fmt::format("SELECT {} FROM alert_policies WHERE id = ?1", kPolicyColumns)));
    g.Bind(1, policy.id);
    YQ_ASSIGN_OR_RETURN(bool row, g.Step());
    if (!row) return NoSuchPolicy(policy.id);
    YQ_ASSIGN_OR_RETURN(out, ReadPolicy(g));
    g.Reset();
    return Status::Ok();
  }));
  return out;
}

Result<std::optional<model::AlertPolicy>> SqliteStore::GetAlertPolicy(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare(fmt::format("SELECT {} FROM alert_policies WHERE id = ?1",
                                                     kPolicyColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::AlertPolicy>();
  YQ_ASSIGN_OR_RETURN(model::AlertPolicy p, ReadPolicy(s));
  return std::optional<model::AlertPolicy>(std::move(p));
}

Result<std::vector<model::AlertPolicy>> SqliteStore::ListAlertPolicies() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM alert_policies ORDER BY id", kPolicyColumns)));
  std::vector<model::AlertPolicy> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    YQ_ASSIGN_OR_RETURN(model::AlertPolicy p, ReadPolicy(s));
    out.push_back(std::move(p));
  }
  return out;
}

Status SqliteStore::DeleteAlertPolicy(int64_t id) {
  std::lock_guard<std::mutex> lock(write_mu_);
  return AlertsTransaction(*writer_, [&]() -> Status {
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("DELETE FROM alert_policies WHERE id = ?1"));
    s.Bind(1, id);
    YQ_RETURN_IF_ERROR(s.Run());
    return writer_->Changes() == 0 ? NoSuchPolicy(id) : Status::Ok();
  });
}

Result<int64_t> SqliteStore::AlertPoliciesVersion() {
  YQ_ASSIGN_OR_RETURN(std::string v, GetMeta("alerts.version"));
  return static_cast<int64_t>(std::strtoll(v.c_str(), nullptr, 10));
}

Result<std::vector<model::Alert>> SqliteStore::ListAlerts(const AlertQuery& q) {
  if (q.limit < 0 || q.limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 0..1000", q.limit));
  }
  std::string where = "id > ?1";
  if (q.event_id) where += " AND event_id = ?2";
  if (q.policy_id) where += " AND policy_id = ?3";
  if (q.unacknowledged_only) where += " AND acked_at IS NULL";
  if (q.before_id > 0) where += " AND id < ?7";
  // Codes are digits, so [prefix, prefix + ":") is every code starting with the prefix. An
  // event alert goes by its event's regions, a case notice by its case's region or handling
  // region (a case notice about an event elsewhere is still shown where the case is handled).
  if (q.region) {
    where +=
        " AND ((case_id = 0 AND event_id IN (SELECT event_id FROM event_regions WHERE code >= ?5 "
        "AND code < ?6)) OR (case_id != 0 AND case_id IN (SELECT id FROM cases WHERE "
        "(region != '' AND region >= ?5 AND region < ?6) OR (handling_region != '' AND "
        "handling_region >= ?5 AND handling_region < ?6))))";
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM alerts WHERE {} ORDER BY id {} "
                                             "LIMIT ?4",
                                             kAlertColumns, where, q.ascending ? "ASC" : "DESC")));
  s.Bind(1, q.after_id);
  if (q.event_id) s.Bind(2, *q.event_id);
  if (q.policy_id) s.Bind(3, *q.policy_id);
  s.Bind(4, int64_t{q.limit});
  if (q.before_id > 0) s.Bind(7, q.before_id);
  if (q.region) {
    s.Bind(5, *q.region);
    s.Bind(6, *q.region + ":");
  }
  return ReadAll(s, ReadAlert);
}

Result<std::optional<model::Alert>> SqliteStore::GetAlert(int64_t id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM alerts WHERE id = ?1", kAlertColumns)));
  s.Bind(1, id);
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row) return std::optional<model::Alert>();
  return std::optional<model::Alert>(ReadAlert(s));
}

Result<std::vector<Store::AlertLevel>> SqliteStore::AlertLevels() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  // Case notices are not event alerts: they never take part in an event's deduplication.
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT event_id, policy_id, min(level) FROM alerts "
                                         "WHERE case_id = 0 GROUP BY event_id, policy_id "
                                         "ORDER BY event_id, policy_id"));
  std::vector<AlertLevel> out;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    out.push_back({s.Int(0), s.Int(1), static_cast<int>(s.Int(2))});
  }
  return out;
}

Result<model::Alert> SqliteStore::AcknowledgeAlert(int64_t id, const std::string& by,
                                                   core::TimePoint now) {
  {
    std::lock_guard<std::mutex> lock(write_mu_);
    // Only the first acknowledgement is kept: who took the alert over, and when.
    YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE alerts SET acked_at = ?2, acked_by = ?3 "
                                                 "WHERE id = ?1 AND acked_at IS NULL"));
    s.Bind(1, id);
    s.Bind(2, Ms(now));
    s.Bind(3, by);
    YQ_RETURN_IF_ERROR(s.Run());
  }
  YQ_ASSIGN_OR_RETURN(std::optional<model::Alert> alert, GetAlert(id));
  if (!alert) return NoSuchAlert(id);
  return *std::move(alert);
}

Result<std::vector<model::OutboxItem>> SqliteStore::DueOutbox(core::TimePoint now, int limit) {
  if (limit < 1 || limit > 10000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..10000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM outbox WHERE state = 'pending' AND "
                                     "next_attempt_at <= ?1 ORDER BY next_attempt_at, id LIMIT ?2",
                                     kOutboxColumns)));
  s.Bind(1, Ms(now));
  s.Bind(2, int64_t{limit});
  return ReadAll(s, ReadOutbox);
}

Result<std::optional<core::TimePoint>> SqliteStore::NextOutboxAttempt() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare("SELECT min(next_attempt_at) FROM outbox WHERE state = 'pending'"));
  YQ_ASSIGN_OR_RETURN(bool row, s.Step());
  if (!row || s.IsNull(0)) return std::optional<core::TimePoint>();
  return std::optional<core::TimePoint>(FromMs(s.Int(0)));
}

Result<std::vector<model::OutboxItem>> SqliteStore::OutboxForAlert(int64_t alert_id) {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(
      Stmt s, r->Prepare(fmt::format("SELECT {} FROM outbox WHERE alert_id = ?1 ORDER BY id",
                                     kOutboxColumns)));
  s.Bind(1, alert_id);
  return ReadAll(s, ReadOutbox);
}

Result<std::vector<model::OutboxItem>> SqliteStore::ListOutbox(
    std::optional<model::OutboxState> state, int limit) {
  if (limit < 1 || limit > 1000) {
    return Status::InvalidArgument(fmt::format("limit {} is outside 1..1000", limit));
  }
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s,
                      r->Prepare(fmt::format("SELECT {} FROM outbox {} ORDER BY id DESC LIMIT ?2",
                                             kOutboxColumns, state ? "WHERE state = ?1" : "")));
  if (state) s.Bind(1, model::OutboxStateName(*state));
  s.Bind(2, int64_t{limit});
  return ReadAll(s, ReadOutbox);
}

Status SqliteStore::MarkOutboxDelivered(int64_t id, core::TimePoint now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE outbox SET state = 'delivered', "
                                               "attempts = attempts + 1, delivered_at = ?2, "
                                               "last_error = '' WHERE id = ?1"));
  s.Bind(1, id);
  s.Bind(2, Ms(now));
  YQ_RETURN_IF_ERROR(s.Run());
  return writer_->Changes() == 0 ? NoSuchOutboxItem(id) : Status::Ok();
}

Status SqliteStore::MarkOutboxFailed(int64_t id, const std::string& error,
                                     std::optional<core::TimePoint> retry_at) {
  std::lock_guard<std::mutex> lock(write_mu_);
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE outbox SET state = ?2, attempts = attempts "
                                               "+ 1, last_error = ?3, next_attempt_at = "
                                               "coalesce(?4, next_attempt_at) WHERE id = ?1"));
  s.Bind(1, id);
  s.Bind(2, retry_at ? "pending" : "dead");
  s.Bind(3, error);
  if (retry_at) s.Bind(4, Ms(*retry_at));
  YQ_RETURN_IF_ERROR(s.Run());
  return writer_->Changes() == 0 ? NoSuchOutboxItem(id) : Status::Ok();
}

Status SqliteStore::RetryOutbox(int64_t id, core::TimePoint now) {
  std::lock_guard<std::mutex> lock(write_mu_);
  {
    YQ_ASSIGN_OR_RETURN(Stmt g, writer_->Prepare("SELECT state FROM outbox WHERE id = ?1"));
    g.Bind(1, id);
    YQ_ASSIGN_OR_RETURN(bool row, g.Step());
    if (!row) return NoSuchOutboxItem(id);
    if (g.Text(0) == "delivered") {
      return Status::FailedPrecondition(
          fmt::format("outbox item {} was delivered already; nothing to retry", id));
    }
  }
  // A dead item starts a fresh series of attempts (the last error is kept until the next
  // attempt); a pending one is only made due now.
  YQ_ASSIGN_OR_RETURN(Stmt s, writer_->Prepare("UPDATE outbox SET attempts = CASE state WHEN "
                                               "'dead' THEN 0 ELSE attempts END, state = "
                                               "'pending', next_attempt_at = ?2 WHERE id = ?1"));
  s.Bind(1, id);
  s.Bind(2, Ms(now));
  return s.Run();
}

Result<OutboxCounts> SqliteStore::CountOutbox() {
  YQ_ASSIGN_OR_RETURN(Reader r, Acquire());
  YQ_ASSIGN_OR_RETURN(Stmt s, r->Prepare("SELECT state, count(*) FROM outbox GROUP BY state"));
  OutboxCounts c;
  while (true) {
    YQ_ASSIGN_OR_RETURN(bool row, s.Step());
    if (!row) break;
    switch (ParseState(s.Text(0))) {
      case model::OutboxState::kPending:
        c.pending = s.Int(1);
        break;
      case model::OutboxState::kDelivered:
        c.delivered = s.Int(1);
        break;
      case model::OutboxState::kDead:
        c.dead = s.Int(1);
        break;
    }
  }
  return c;
}

Status SqliteStore::InsertAlertsLocked(const std::vector<model::NewAlert>& alerts,
                                       std::vector<int64_t>& ids) {
  if (alerts.empty()) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(Stmt ins,
                      writer_->Prepare("INSERT OR IGNORE INTO alerts(event_id, "
                                       "policy_id, level, previous_level, created_at, "
                                       "title, payload, language, case_id, dedup_key) "
                                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"));
  YQ_ASSIGN_OR_RETURN(Stmt box, writer_->Prepare("INSERT INTO outbox(alert_id, kind, address, "
                                                 "secret, idempotency_key, state, "
                                                 "next_attempt_at) "
                                                 "VALUES(?1, ?2, ?3, ?4, ?5, 'pending', ?6)"));
  // Deliveries are due at once: next_attempt_at 0 is before any clock's "now". Neither the
  // event time (possibly ahead of the clock after a source's clock skew) nor a clock the store
  // does not have would do.
  for (const model::NewAlert& a : alerts) {
    ins.Reset();
    ins.Bind(1, a.event_id);
    ins.Bind(2, a.policy_id);
    ins.Bind(3, int64_t{a.level});
    ins.Bind(4, int64_t{a.previous_level});
    ins.Bind(5, Ms(a.created_at));
    ins.Bind(6, a.title);
    ins.Bind(7, a.payload_json);
    ins.Bind(8, a.language);
    ins.Bind(9, a.case_id);
    ins.Bind(10, a.dedup_key);
    YQ_RETURN_IF_ERROR(ins.Run());
    // This (event, policy, level) was alerted already, or this notice of the case was raised.
    if (writer_->Changes() == 0) continue;
    int64_t id = writer_->LastInsertRowid();
    ids.push_back(id);
    for (size_t i = 0; i < a.targets.size(); ++i) {
      const model::AlertTarget& t = a.targets[i];
      box.Reset();
      box.Bind(1, id);
      box.Bind(2, model::TargetKindName(t.kind));
      box.Bind(3, t.address);
      box.Bind(4, t.secret);
      box.Bind(5, fmt::format("yq-{}-{}", id, i));
      box.Bind(6, int64_t{0});
      YQ_RETURN_IF_ERROR(box.Run());
    }
  }
  return Status::Ok();
}

}  // namespace yuqing::store::sqlite::internal
