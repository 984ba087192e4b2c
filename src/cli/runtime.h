// What a command needs to work on a database: the store, the index tokenizer, the clock and
// the ingestor, opened together from a Config.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "alerts/notifier.h"
#include "audit/audit.h"
#include "cli/commands.h"
#include "collect/fetch.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/scaled_clock.h"
#include "org/region_tree.h"
#include "pipeline/event_stage.h"
#include "pipeline/ingest.h"
#include "rules/match_text.h"
#include "store/store.h"
#include "text/normalize.h"
#include "text/tokenizer.h"

namespace yuqing::cli {

struct Runtime {
  core::Config config;
  // The system clock, or the database's own (yuqing clock set), read when the runtime opens.
  core::ScaledClock clock;
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const text::Tokenizer> tokenizer;
  // How rules see post text: width, case and traditional → simplified folded.
  std::shared_ptr<const rules::MatchNormalizer> match_normalizer;
  // region:长治 → 140400, from the gazetteer under the data directory; unset if it is missing.
  rules::RegionResolver regions;
  std::unique_ptr<pipeline::Ingestor> ingestor;
  std::shared_ptr<const text::Normalizer> normalizer;
  std::string data_dir;  // $YQ_DATA_DIR, else the build's data/ directory
  // The GB/T 2260 tree from the same gazetteer; null if it is missing.
  std::shared_ptr<const org::RegionTree> region_tree;
};

// For the commands that read or change accounts, the organisation, cases, sources and the
// audit log: resolves the configuration and opens the store, its clock and the region tree,
// without the text engine (tokenizer, normalizer, region names, ingestor: LoadText loads them
// for the few such commands that store posts). On failure it prints the error and returns null
// with `exit_code` set.
std::unique_ptr<Runtime> OpenForAdministration(const CommonOptions& common, int& exit_code);

// The audit signing key (audit.key_file, default "<store.path>.audit-key"), created with mode
// 0600 when it does not exist yet.
Result<std::shared_ptr<const audit::SigningKey>> OpenAuditKey(const core::Config& config);

// On a database without an administrator, creates the administrator "admin" with a generated
// password and returns the password (to be printed once); nullopt when one exists already.
Result<std::optional<std::string>> EnsureFirstAdmin(Runtime& rt);

// The database's clock (`yuqing clock`), kept in the store's meta table under kClockMetaKey
// as JSON {"real_anchor", "anchor", "speed"}: at system time real_anchor it read anchor, and
// it runs `speed` event seconds per real second. Every process opening the database reads it.
inline constexpr std::string_view kClockMetaKey = "clock";
struct ClockSetting {
  core::TimePoint real_anchor{};
  core::TimePoint anchor{};
  double speed = 1.0;
};
Status SaveClockSetting(store::PostStore& store, const ClockSetting& setting);
// nullopt when the database has none (the system clock).
Result<std::optional<ClockSetting>> LoadClockSetting(store::PostStore& store);

// The index tokenizer chosen by store.index_tokenizer.
Result<std::shared_ptr<const text::Tokenizer>> MakeIndexTokenizer(
    const core::Config& config, std::shared_ptr<const text::Normalizer> normalizer = nullptr);

// The rule named by an id ("7") or, failing that, a name; NotFound `no rule with id or name "x"`.
Result<model::Rule> FindRule(store::RuleStore& store, const std::string& id_or_name);

// Resolves region names from a gazetteer file (data/gazetteer/places.tsv: code, level, name,
// parent, aliases separated by '|'). A full name or a short form naming one place gives its
// code; an ambiguous one is refused with the candidates; an unknown one with NotFound.
Result<rules::RegionResolver> LoadRegionResolver(const std::string& path);

// Opens the store and the index tokenizer; unless `check_index` is false, refuses a database
// whose index was built by another tokenizer (FailedPrecondition, asking for a re-index).
Result<std::unique_ptr<Runtime>> OpenRuntime(const core::Config& config, bool check_index = true);
// Loads the text engine into a runtime opened for administration (a no-op when loaded): the
// normalizer, the index tokenizer (checked against the database's index unless `check_index`
// is false), the rules' normalizer and region names, and the ingestor.
Status LoadText(Runtime& rt, bool check_index = true);

// The collectors' HTTP settings from [collect] (sources_cmd.cc).
collect::FetchOptions FetchOptionsFrom(const core::Config& config);

// The event stage's options from the configuration ([risk] thresholds).
Result<pipeline::EventStageOptions> EventStageOptionsFrom(const core::Config& config);

// The event stage for the runtime's store (loads the analysis models and the keyword data)
// and restores its memory from the store; `progress` gets posts replayed.
Result<std::unique_ptr<pipeline::EventStage>> OpenEventStage(
    Runtime& rt, alerts::AlertNotifier* notifier,
    const std::function<void(int64_t)>& progress = {});

}  // namespace yuqing::cli
