// store owns persistence behind one interface per concern (CONVENTIONS.md §9):
//   PostStore (posts_store.h)       posts, the full-text index, rule hits, settings
//   RuleStore (rules_store.h)       monitoring rules and keyword lists
//   EventStore (events_store.h)     the event queue, the event stage's commits, events
//   AlertStore (alerts_store.h)     alert policies, alerts, the outbox
//   AccountStore (accounts_store.h) users and API tokens
//   OrgStore (org_store.h)          the organisation document
//   AuditStore (audit_store.h)      the hash-chained audit log and its checkpoints
//   CaseStore (cases_store.h)       cases, their logs, pre-decision risk assessments
//   SourceStore (sources_store.h)   configured sources and their collection state
//   ReportStore (reports_store.h)   the report archive and submissions upward
// A caller takes the narrowest interface it uses. Store is all of them: what a backend opens
// (store/sqlite/, later store/postgres/). Callers never see SQL or a backend type; only
// server/ and cli/ name a concrete backend.
//
// Thread safety: a Store is shared by all threads of a process; every method may be called
// concurrently. Writes are serialised inside the backend; reads run in parallel.
#pragma once

#include "store/accounts_store.h"
#include "store/alerts_store.h"
#include "store/audit_store.h"
#include "store/cases_store.h"
#include "store/events_store.h"
#include "store/org_store.h"
#include "store/posts_store.h"
#include "store/reports_store.h"
#include "store/rules_store.h"
#include "store/sources_store.h"

namespace yuqing::store {

class Store : public PostStore,
              public RuleStore,
              public EventStore,
              public AlertStore,
              public AccountStore,
              public OrgStore,
              public AuditStore,
              public CaseStore,
              public SourceStore,
              public ReportStore {
 public:
  ~Store() override = default;
};

}  // namespace yuqing::store
