// CaseStore: cases (工单) kept whole with an append-only log, and pre-decision risk assessments
// (docs/cases.md). The cases module decides every change as a value (the whole case after it,
// the log lines, the notices to deliver, the audit entry); the store writes all of it in one
// transaction or none of it, so a case, its log, its warnings and the audit log never
// disagree. Nothing here is SQL-shaped: a PostgreSQL backend keeps the case as a row with a
// JSONB document and a version column, the log and notices as rows in the same transaction.
// Implemented by every backend; see store/store.h for thread safety.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/audit.h"
#include "model/case.h"

namespace yuqing::store {

// Which cases to list. Every condition given must hold.
struct CaseFilter {
  std::vector<model::CaseState> states;  // empty: any
  bool open_only = false;                // not closed or evaluated, and not merged away
  bool include_merged = false;           // cases merged into another are left out by default
  // Cases that this department was ever assigned to (main or assisting); "" any.
  std::string department_id;
  // Cases whose region or handling region lies under this GB/T code prefix; nullopt any.
  std::optional<std::string> region_prefix;
  int64_t event_id = 0;  // 0 any
  std::optional<model::CaseOrigin> origin;
  std::optional<core::TimePoint> created_from;  // inclusive
  std::optional<core::TimePoint> created_to;    // exclusive
  std::string text;                             // substring of the title; "" any
  // Cases whose Case::sweep_at is at or before this time (the sweep's work list); nullopt any.
  std::optional<core::TimePoint> sweep_due;
  int64_t after_id = 0;    // ids greater than this (paging forward)
  int64_t before_id = 0;   // > 0: ids less than this (paging back, newest first)
  bool descending = true;  // newest (highest id) first
  int limit = 50;          // 1..100000
};

// One decided change of one case.
struct CaseChange {
  model::Case after;                     // the whole case after the change
  std::vector<model::CaseLogEntry> log;  // appended in order; seq and case_id set by the store
  // Warnings delivered through the alert outbox (supervision, reminders): case_id is set by
  // the store; a notice whose (case_id, dedup_key) exists already is skipped.
  std::vector<model::NewAlert> notices;
  model::AuditDraft audit;  // object_id is set by the store for a new case
};

class CaseStore {
 public:
  virtual ~CaseStore() = default;

  // Stores a new case (its id is assigned, version becomes 1) with its log, notices and audit
  // entry; returns the stored case.
  virtual Result<model::Case> CreateCase(const CaseChange& change) = 0;
  // Replaces cases whole, all in one transaction: each `after.version` must be the stored
  // version + 1, else FailedPrecondition `case 7 changed (version 5, expected 4): reload and
  // try again` and nothing is written. NotFound for an unknown id. Returns the stored cases.
  virtual Result<std::vector<model::Case>> UpdateCases(std::span<const CaseChange> changes) = 0;
  virtual Result<std::optional<model::Case>> GetCase(int64_t id) = 0;
  // InvalidArgument for a limit out of range.
  virtual Result<std::vector<model::Case>> ListCases(const CaseFilter& filter) = 0;
  // How many match (limit and after_id ignored).
  virtual Result<int64_t> CountCases(const CaseFilter& filter) = 0;
  // The case's log, oldest first.
  virtual Result<std::vector<model::CaseLogEntry>> CaseLog(int64_t case_id) = 0;

  // Pre-decision risk assessments. id 0 creates (the id is assigned), else replaces (NotFound
  // for an unknown id); written with its audit entry in one transaction.
  virtual Result<model::RiskAssessment> PutRiskAssessment(const model::RiskAssessment& assessment,
                                                          const model::AuditDraft& audit) = 0;
  virtual Result<std::optional<model::RiskAssessment>> GetRiskAssessment(int64_t id) = 0;
  // Newest first; those under a region prefix when given. InvalidArgument for a limit outside
  // 1..1000.
  virtual Result<std::vector<model::RiskAssessment>> ListRiskAssessments(
      const std::optional<std::string>& region_prefix, int limit) = 0;
};

}  // namespace yuqing::store
