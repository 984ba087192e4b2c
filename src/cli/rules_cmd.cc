// `yuqing rules …` and `yuqing lists …`: monitoring rules and keyword lists in the store
// (docs/rules.md, "Management"). A running `yuqing serve` picks the changes up by itself.
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <iostream>
#include <tuple>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "core/time.h"
#include "pipeline/rules.h"
#include "rules/rule_check.h"

namespace yuqing::cli {
namespace {

struct RulesArgs {
  CommonOptions common;
  std::string name;   // add: the new rule's name; others: ID or NAME
  std::string query;  // add: the query; test: a rule id, name or query
  std::string owner;
  std::vector<std::string> tags;
  bool disabled = false;
  std::string from, to;
  int samples = 5;
  std::vector<std::string> words;  // lists set
};

std::string Joined(const std::vector<std::string>& v, std::string_view sep) {
  std::string out;
  for (const auto& s : v) {
    if (!out.empty()) out += sep;
    out += s;
  }
  return out;
}

int RunRules(const std::string& action, const RulesArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;
  auto now = (*rt)->clock.Now();
  rules::PrepareOptions check =
      pipeline::CheckOptions(store, (*rt)->match_normalizer, (*rt)->regions);

  if (action == "add") {
    auto prepared = rules::CheckRule(0, args.query, check);
    if (!prepared.ok()) return FailAtColumn(*config, args.query, prepared.status());
    model::Rule rule;
    rule.name = args.name;
    rule.query = args.query;
    rule.owner = args.owner;
    rule.tags = args.tags;
    rule.enabled = !args.disabled;
    auto created = store.CreateRule(rule, now);
    if (!created.ok()) return Fail(*config, created.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kRuleAdded)), created->id, created->name,
                             State(lang, created->enabled))
              << "\n";
    return 0;
  }

  if (action == "list") {
    auto all = store.ListRules();
    if (!all.ok()) return Fail(*config, all.status());
    if (all->empty()) {
      std::cout << Text(lang, Msg::kNoRules) << "\n";
      return 0;
    }
    std::cout << Text(lang, Msg::kRuleListHeader) << "\n";
    for (const auto& r : *all) {
      std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\n", r.id, r.name, State(lang, r.enabled),
                               r.owner.empty() ? "-" : r.owner,
                               r.tags.empty() ? "-" : Joined(r.tags, ","), r.query);
    }
    return 0;
  }

  if (action == "test") {
    std::string query = args.query;
    if (auto stored = FindRule(store, args.query); stored.ok()) query = stored->query;
    pipeline::TrialOptions trial;
    if (!args.from.empty()) {
      auto t = core::ParseIso8601(args.from);
      if (!t.ok()) return Fail(*config, t.status().WithContext("--from"));
      trial.from = *t;
    }
    if (!args.to.empty()) {
      auto t = core::ParseIso8601(args.to);
      if (!t.ok()) return Fail(*config, t.status().WithContext("--to"));
      trial.to = *t;
    }
    trial.samples = args.samples;
    auto result = pipeline::TryRule(store, query, check, trial);
    if (!result.ok()) return FailAtColumn(*config, query, result.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kTrialSummary)), result->scanned,
                             result->matched)
              << "\n";
    if (!result->samples.empty()) {
      std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kTrialSamples)), result->samples.size())
                << "\n";
    }
    for (const auto& s : result->samples) {
      const model::Post& p = s.post.post;
      std::cout << fmt::format("{}  {}/{}{}{}\n", Time(p.published_at).substr(0, 16), p.source,
                               p.external_id, p.author.name.empty() ? "" : "  ", p.author.name);
      if (!p.title.empty()) {
        std::cout << "  《" << pipeline::Highlight(p.title, "title", s.terms, 60) << "》\n";
      }
      std::cout << "  " << pipeline::Highlight(p.text, "text", s.terms) << "\n";
    }
    return 0;
  }

  // show, enable, disable, remove, backfill: one existing rule.
  auto rule = FindRule(store, args.name);
  if (!rule.ok()) return Fail(*config, rule.status());
  if (action == "backfill") {
    pipeline::BackfillOptions backfill;
    backfill.from = now - pipeline::kBackfillDefaultRange;
    for (auto [text, field, flag] : {std::tuple{&args.from, &backfill.from, "--from"},
                                     std::tuple{&args.to, &backfill.to, "--to"}}) {
      if (text->empty()) continue;
      auto t = core::ParseIso8601(*text);
      if (!t.ok()) return Fail(*config, t.status().WithContext(flag));
      *field = *t;
    }
    const bool tty = isatty(STDERR_FILENO) != 0;
    backfill.progress = [&](const pipeline::BackfillResult& r) {
      if (!tty) return;
      std::cerr << "\r\033[K"
                << fmt::format(fmt::runtime(Text(lang, Msg::kBackfillProgress)), r.scanned,
                               r.matched, r.recorded)
                << std::flush;
    };
    auto result = pipeline::BackfillRule(store, *rule, check, backfill);
    if (tty) std::cerr << "\r\033[K";
    if (!result.ok()) return FailAtColumn(*config, rule->query, result.status());
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kBackfillSummary)), rule->id, rule->name,
                             result->scanned, Time(*backfill.from).substr(0, 16), result->matched,
                             result->recorded, result->matched - result->recorded)
              << "\n";
    return 0;
  }
  if (action == "show") {
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kRuleShow)), rule->id, rule->name,
                             rule->query, State(lang, rule->enabled),
                             rule->owner.empty() ? "-" : rule->owner,
                             rule->tags.empty() ? "-" : Joined(rule->tags, ", "),
                             Time(rule->created_at), Time(rule->updated_at))
              << "\n";
    // A rule may have stopped checking since it was added (a keyword list changed).
    auto prepared = rules::CheckRule(rule->id, rule->query, check);
    if (!prepared.ok()) {
      std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kRuleCannotLoad)),
                               prepared.status().message())
                << "\n";
    }
    return 0;
  }
  if (action == "enable" || action == "disable") {
    bool enable = action == "enable";
    if (enable) {
      auto prepared = rules::CheckRule(rule->id, rule->query, check);
      if (!prepared.ok()) return FailAtColumn(*config, rule->query, prepared.status());
    }
    Status s = store.SetRuleEnabled(rule->id, enable, now);
    if (!s.ok()) return Fail(*config, s);
    std::cout << fmt::format(
                     fmt::runtime(Text(lang, enable ? Msg::kRuleEnabled : Msg::kRuleDisabled)),
                     rule->id, rule->name)
              << "\n";
    return 0;
  }
  Status s = store.DeleteRule(rule->id);
  if (!s.ok()) return Fail(*config, s);
  std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kRuleRemoved)), rule->id, rule->name)
            << "\n";
  return 0;
}

int RunLists(const std::string& action, const RulesArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::Store& store = *(*rt)->store;

  if (action == "list") {
    auto all = store.ListKeywordLists();
    if (!all.ok()) return Fail(*config, all.status());
    if (all->empty()) {
      std::cout << Text(lang, Msg::kNoLists) << "\n";
      return 0;
    }
    std::cout << Text(lang, Msg::kListHeader) << "\n";
    for (const auto& l : *all) {
      std::cout << fmt::format("@{}\t{}\t{}\n", l.name, l.words.size(), Time(l.updated_at));
    }
    return 0;
  }
  std::string name = args.name.starts_with('@') ? args.name.substr(1) : args.name;
  if (action == "show") {
    auto list = store.GetKeywordList(name);
    if (!list.ok()) return Fail(*config, list.status());
    if (!*list) {
      return Fail(*config, Status::NotFound(fmt::format("no keyword list \"@{}\"", name)));
    }
    for (const auto& w : (*list)->words) std::cout << w << "\n";
    return 0;
  }
  if (action == "remove") {
    Status s = store.DeleteKeywordList(name);
    if (!s.ok()) return Fail(*config, s);
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kListRemoved)), name) << "\n";
  } else {
    model::KeywordList list{name, args.words, {}};
    Status s = store.PutKeywordList(list, (*rt)->clock.Now());
    if (!s.ok()) return Fail(*config, s);
    auto saved = store.GetKeywordList(name);
    size_t n = saved.ok() && *saved ? (*saved)->words.size() : args.words.size();
    std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kListSaved)), name, n) << "\n";
  }
  // Say which enabled rules the change stops from loading (they stay stored).
  auto all = store.ListRules();
  if (!all.ok()) return Fail(*config, all.status());
  rules::PrepareOptions check =
      pipeline::CheckOptions(store, (*rt)->match_normalizer, (*rt)->regions);
  for (const auto& r : *all) {
    if (!r.enabled) continue;
    auto prepared = rules::CheckRule(r.id, r.query, check);
    if (!prepared.ok() &&
        prepared.status().message().find("\"@" + name + "\"") != std::string::npos) {
      std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kListBreaksRule)), r.id, r.name,
                               prepared.status().message())
                << "\n";
    }
  }
  return 0;
}

}  // namespace

void AddRulesCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("rules", "monitoring rules (监测规则)");
  cmd->require_subcommand(1);
  struct Action {
    const char* name;
    const char* help;
  };
  for (Action a :
       {Action{"add", "add a rule: NAME QUERY"}, Action{"list", "list rules"},
        Action{"show", "show one rule: ID or NAME"}, Action{"enable", "enable a rule: ID or NAME"},
        Action{"disable", "disable a rule (kept, not matched): ID or NAME"},
        Action{"remove", "delete a rule and its recorded hits: ID or NAME"},
        Action{"test", "dry-run a rule (ID, NAME or QUERY) over stored posts"},
        Action{"backfill",
               "record a rule's hits for posts already stored (default: the last 7 days)"}}) {
    auto args = std::make_shared<RulesArgs>();
    auto* sub = cmd->add_subcommand(a.name, a.help);
    AddCommonOptions(*sub, args->common);
    std::string action = a.name;
    if (action == "add") {
      sub->add_option("name", args->name, "rule name (unique)")->required();
      sub->add_option("query", args->query, "the rule in the query language")->required();
      sub->add_option("--owner", args->owner, "responsible department (责任单位)");
      sub->add_option("--tag", args->tags, "a tag (repeatable)");
      sub->add_flag("--disabled", args->disabled, "store the rule without enabling it");
    } else if (action == "test") {
      sub->add_option("rule", args->query, "a rule id or name, or a query")->required();
      sub->add_option("--from", args->from, "posts published at or after (ISO-8601)");
      sub->add_option("--to", args->to, "posts published before (ISO-8601)");
      sub->add_option("--samples", args->samples, "matching posts to show (default 5)");
    } else if (action == "backfill") {
      sub->add_option("rule", args->name, "rule id or name")->required();
      sub->add_option("--from", args->from,
                      "posts published at or after (ISO-8601; default: 7 days before now)");
      sub->add_option("--to", args->to, "posts published before (ISO-8601)");
    } else if (action != "list") {
      sub->add_option("rule", args->name, "rule id or name")->required();
    }
    sub->final_callback([action, args] { ExitCode() = RunRules(action, *args); });
  }
}

void AddListsCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("lists", "keyword lists used in rules as @NAME (关键词表)");
  cmd->require_subcommand(1);
  for (const char* name : {"set", "show", "list", "remove"}) {
    auto args = std::make_shared<RulesArgs>();
    std::string action = name;
    std::string help = action == "set"    ? "create or replace a list: NAME WORD..."
                       : action == "show" ? "print a list's words, one per line"
                       : action == "list" ? "list the lists"
                                          : "delete a list";
    auto* sub = cmd->add_subcommand(name, help);
    AddCommonOptions(*sub, args->common);
    if (action != "list") sub->add_option("name", args->name, "list name")->required();
    if (action == "set") sub->add_option("words", args->words, "the words")->required();
    sub->final_callback([action, args] { ExitCode() = RunLists(action, *args); });
  }
}

}  // namespace yuqing::cli
