// SourceStore: the configured sources the collectors fetch, and the state they leave behind
// (docs/collect.md). A source's settings (kind, schedule, channel, region, config) change only
// through Create / Update; the collectors write only its state, and pausing is its own call,
// so an operator's pause is never overwritten by a run that was in flight. Implemented by
// every backend; see store/store.h for thread safety.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"
#include "model/source.h"

namespace yuqing::store {

class SourceStore {
 public:
  virtual ~SourceStore() = default;

  // Stores a new source with an empty state. AlreadyExists `a source named "x" already
  // exists`; InvalidArgument for an empty name.
  virtual Result<model::Source> CreateSource(const model::Source& source, core::TimePoint now) = 0;
  // Replaces the settings (kind, interval, channel, region, zone, config) of the source named
  // source.name; keeps its state and pause. NotFound `no source named "x"`.
  virtual Result<model::Source> UpdateSource(const model::Source& source, core::TimePoint now) = 0;
  virtual Result<std::optional<model::Source>> GetSource(const std::string& name) = 0;
  // Every configured source, by name.
  virtual Result<std::vector<model::Source>> ListConfiguredSources() = 0;
  // NotFound for an unknown name. Posts already collected stay.
  virtual Status DeleteSource(const std::string& name) = 0;
  virtual Status SetSourcePaused(const std::string& name, bool paused, core::TimePoint now) = 0;
  // Replaces the source's state and raises `alerts` (health alerts: event_id 0, a dedup_key
  // naming the source and the episode) with their outbox items, in one transaction.
  // NotFound for an unknown name (a source removed while it ran): nothing is written.
  virtual Status PutSourceState(const std::string& name, const model::SourceState& state,
                                const std::vector<model::NewAlert>& alerts) = 0;
  // Reads the source named `name`, lets `change` modify its state and return the health
  // alerts to raise, and writes both in one transaction that no other writer of the source's
  // state interleaves with: two writers (a push counting its posts, the scheduler judging
  // health) never lose each other's changes. `change` runs inside the transaction and must not
  // call the store. NotFound for an unknown name: nothing is written, `change` is not called.
  using SourceStateChange =
      std::function<std::vector<model::NewAlert>(const model::Source&, model::SourceState&)>;
  virtual Status ChangeSourceState(const std::string& name, const SourceStateChange& change) = 0;
};

}  // namespace yuqing::store
