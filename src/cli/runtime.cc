#include "cli/runtime.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "access/password.h"
#include "analysis/analyzer.h"
#include "audit/key_file.h"
#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "text/keywords.h"
#include "text/normalize.h"
#include "text/segmenter.h"
#include "text/segmenter_tokenizer.h"

namespace yuqing::cli {

Result<std::shared_ptr<const text::Tokenizer>> MakeIndexTokenizer(
    const core::Config& config, std::shared_ptr<const text::Normalizer> normalizer) {
  if (config.index_tokenizer == "bigram") return text::MakeBigramTokenizer();
  if (!normalizer) {
    YQ_ASSIGN_OR_RETURN(normalizer, text::Normalizer::Create());
  }
  YQ_ASSIGN_OR_RETURN(auto segmenter, text::Segmenter::Load());
  return text::MakeSegmenterTokenizer(std::move(segmenter), std::move(normalizer));
}

Result<model::Rule> FindRule(store::RuleStore& store, const std::string& id_or_name) {
  const bool digits = !id_or_name.empty() && id_or_name.size() < 18 &&
                      id_or_name.find_first_not_of("0123456789") == std::string::npos;
  if (digits) {
    YQ_ASSIGN_OR_RETURN(auto by_id, store.GetRule(std::stoll(id_or_name)));
    if (by_id) return *by_id;
  }
  YQ_ASSIGN_OR_RETURN(auto by_name, store.GetRuleByName(id_or_name));
  if (by_name) return *by_name;
  return Status::NotFound(fmt::format("no rule with id or name \"{}\"", id_or_name));
}

Result<rules::RegionResolver> LoadRegionResolver(const std::string& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(fmt::format("cannot read the gazetteer \"{}\"", path));
  // name → "code name" of each place it may mean.
  auto names = std::make_shared<std::map<std::string, std::vector<std::string>, std::less<>>>();
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.starts_with("code\t")) continue;
    std::vector<std::string> cols;
    size_t start = 0;
    while (true) {
      size_t tab = line.find('\t', start);
      cols.push_back(
          line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    if (cols.size() < 5) continue;
    std::string label = cols[0] + " " + cols[2];
    (*names)[cols[2]].push_back(label);
    size_t a = 0;
    while (a < cols[4].size()) {
      size_t bar = cols[4].find('|', a);
      if (bar == std::string::npos) bar = cols[4].size();
      if (bar > a) (*names)[cols[4].substr(a, bar - a)].push_back(label);
      a = bar + 1;
    }
  }
  return rules::RegionResolver([names](std::string_view name) -> Result<std::string> {
    auto it = names->find(name);
    if (it == names->end()) {
      return Status::NotFound(fmt::format(
          "region \"{}\" is not a place in the gazetteer; write its GB/T 2260 code", name));
    }
    std::vector<std::string> labels = it->second;
    std::sort(labels.begin(), labels.end());
    labels.erase(std::unique(labels.begin(), labels.end()), labels.end());
    if (labels.size() > 1) {
      return Status::InvalidArgument(fmt::format("region \"{}\" is ambiguous ({}); write the code",
                                                 name, fmt::join(labels, ", ")));
    }
    return labels[0].substr(0, labels[0].find(' '));
  });
}

Status SaveClockSetting(store::PostStore& store, const ClockSetting& setting) {
  nlohmann::json j = {{"real_anchor", core::FormatIso8601(setting.real_anchor)},
                      {"anchor", core::FormatIso8601(setting.anchor)},
                      {"speed", setting.speed}};
  return store.SetMeta(std::string(kClockMetaKey), j.dump());
}

Result<std::optional<ClockSetting>> LoadClockSetting(store::PostStore& store) {
  YQ_ASSIGN_OR_RETURN(std::string text, store.GetMeta(std::string(kClockMetaKey)));
  if (text.empty()) return std::optional<ClockSetting>();
  auto bad = [&](std::string_view what) {
    return Status::FailedPrecondition(fmt::format(
        "the database's clock setting is damaged ({}): {}; `yuqing clock reset` or `yuqing "
        "clock set` replaces it",
        what, text));
  };
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || !j.contains("speed") || !j["speed"].is_number() ||
      !j.value("real_anchor", nlohmann::json()).is_string() ||
      !j.value("anchor", nlohmann::json()).is_string()) {
    return bad("not {\"real_anchor\", \"anchor\", \"speed\"}");
  }
  auto real = core::ParseIso8601(j["real_anchor"].get<std::string>());
  auto anchor = core::ParseIso8601(j["anchor"].get<std::string>());
  double speed = j["speed"].get<double>();
  if (!real.ok() || !anchor.ok()) return bad("a time does not parse");
  if (!(speed > 0.0 && speed <= 100000.0)) return bad("speed outside (0, 100000]");
  return std::optional<ClockSetting>(ClockSetting{*real, *anchor, speed});
}

namespace {

// The store, its clock, the data directory and the region tree: what every command needs.
Result<std::unique_ptr<Runtime>> OpenBase(const core::Config& config) {
  auto rt = std::make_unique<Runtime>();
  rt->config = config;
  store::sqlite::SqliteOptions options;
  options.sync_full = config.sync == "full";
  YQ_ASSIGN_OR_RETURN(rt->store, store::sqlite::OpenSqliteStore(config.db_path, options));
  YQ_ASSIGN_OR_RETURN(auto clock, LoadClockSetting(*rt->store));
  if (clock) rt->clock.Set(clock->real_anchor, clock->anchor, clock->speed);
  const char* data_env = std::getenv("YQ_DATA_DIR");
  std::string data_dir = data_env != nullptr && *data_env != '\0' ? data_env : YQ_DEFAULT_DATA_DIR;
  rt->data_dir = data_dir;
  if (auto tree = org::RegionTree::LoadGazetteerFile(data_dir + "/gazetteer/places.tsv");
      tree.ok()) {
    rt->region_tree = std::make_shared<const org::RegionTree>(std::move(tree).value());
  }
  return rt;
}

}  // namespace

Status LoadText(Runtime& rt, bool check_index) {
  if (rt.ingestor) return Status::Ok();
  YQ_ASSIGN_OR_RETURN(auto normalizer, text::Normalizer::Create());
  rt.normalizer = normalizer;
  YQ_ASSIGN_OR_RETURN(rt.tokenizer, MakeIndexTokenizer(rt.config, normalizer));
  rt.match_normalizer = rules::MakeT2sMatchNormalizer(*normalizer);
  if (auto regions = LoadRegionResolver(rt.data_dir + "/gazetteer/places.tsv"); regions.ok()) {
    rt.regions = std::move(regions).value();
  }
  if (check_index) YQ_RETURN_IF_ERROR(pipeline::CheckIndexTokenizer(*rt.store, *rt.tokenizer));
  rt.ingestor = std::make_unique<pipeline::Ingestor>(*rt.store, rt.tokenizer, rt.clock);
  return Status::Ok();
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const core::Config& config, bool check_index) {
  YQ_ASSIGN_OR_RETURN(auto rt, OpenBase(config));
  YQ_RETURN_IF_ERROR(LoadText(*rt, check_index));
  return rt;
}

std::unique_ptr<Runtime> OpenForAdministration(const CommonOptions& common, int& exit_code) {
  auto config = ResolveConfig(common);
  if (!config.ok()) {
    exit_code = Fail(core::Config{}, config.status());
    return nullptr;
  }
  auto opened = OpenBase(*config);
  if (!opened.ok()) {
    exit_code = Fail(*config, opened.status());
    return nullptr;
  }
  return std::move(opened).value();
}

Result<std::shared_ptr<const audit::SigningKey>> OpenAuditKey(const core::Config& config) {
  std::string path =
      config.audit_key_file.empty() ? audit::DefaultKeyPath(config.db_path) : config.audit_key_file;
  YQ_ASSIGN_OR_RETURN(audit::SigningKey key, audit::LoadOrCreateKeyFile(path));
  return std::make_shared<const audit::SigningKey>(std::move(key));
}

Result<std::optional<std::string>> EnsureFirstAdmin(Runtime& rt) {
  // Users made with `yuqing users add` before the first start (the demo's analyst) do not stop
  // the administrator from being made: only an existing administrator does.
  YQ_ASSIGN_OR_RETURN(auto users, rt.store->ListUsers());
  for (const auto& u : users) {
    if (u.role == model::Role::kAdmin) return std::optional<std::string>();
  }
  std::string password = access::GeneratePassword();
  model::User admin;
  admin.name = "admin";
  admin.display_name = "系统管理员";
  admin.role = model::Role::kAdmin;
  YQ_ASSIGN_OR_RETURN(admin.password_hash, access::HashPassword(password));
  model::AuditDraft draft;
  draft.at = rt.clock.Now();
  draft.actor = "system";
  draft.action = "user.create";
  draft.object_type = "user";
  draft.object_id = "admin";
  draft.to_json = R"({"name":"admin","role":"admin"})";
  draft.reason = "first start: no administrator existed";
  auto made = rt.store->CreateUser(admin, draft);
  // Another process may have created the first user at the same moment: not an error.
  if (made.status().code() == StatusCode::kAlreadyExists) return std::optional<std::string>();
  YQ_RETURN_IF_ERROR(made.status());
  return std::optional<std::string>(password);
}

Result<pipeline::EventStageOptions> EventStageOptionsFrom(const core::Config& config) {
  pipeline::EventStageOptions o;
  events::RiskOptions& r = o.monitor.risk;
  for (auto [key, value, field] :
       {std::tuple{"risk.deaths", &config.risk_deaths, &r.deaths},
        std::tuple{"risk.injured", &config.risk_injured, &r.injured},
        std::tuple{"risk.loss_yuan", &config.risk_loss_yuan, &r.loss_yuan},
        std::tuple{"risk.heat", &config.risk_heat, &r.heat},
        std::tuple{"risk.posts_per_hour", &config.risk_posts_per_hour, &r.posts_per_hour}}) {
    YQ_ASSIGN_OR_RETURN(auto t, core::ParseGradeThresholds(key, *value));
    *field = events::GradeThresholds{t[0], t[1], t[2]};
  }
  r.aggravators_to_escalate = static_cast<uint32_t>(config.risk_aggravators_to_escalate);
  auto cap = model::ParseGrade(config.risk_escalation_cap);
  if (!cap) {
    return Status::InvalidArgument(fmt::format("option risk.escalation_cap: \"{}\" is not a grade",
                                               config.risk_escalation_cap));
  }
  r.escalation_cap = static_cast<events::RiskGrade>(*cap);
  return o;
}

Result<std::unique_ptr<pipeline::EventStage>> OpenEventStage(
    Runtime& rt, alerts::AlertNotifier* notifier, const std::function<void(int64_t)>& progress) {
  YQ_ASSIGN_OR_RETURN(auto segmenter, text::Segmenter::Load());
  YQ_ASSIGN_OR_RETURN(auto keywords, text::KeywordExtractor::Load(segmenter));
  analysis::AnalyzerOptions options;
  options.data_dir = rt.data_dir;
  YQ_ASSIGN_OR_RETURN(auto analyzer, analysis::Analyzer::Load(options, rt.normalizer, segmenter));
  YQ_ASSIGN_OR_RETURN(pipeline::EventStageOptions stage_options, EventStageOptionsFrom(rt.config));
  auto stage = std::make_unique<pipeline::EventStage>(
      pipeline::EventStageStores{*rt.store, *rt.store, *rt.store}, std::move(analyzer),
      std::move(keywords), rt.clock, notifier, stage_options);
  YQ_RETURN_IF_ERROR(stage->Restore(progress).WithContext("restoring the event stage"));
  return stage;
}

}  // namespace yuqing::cli
