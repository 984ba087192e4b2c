#include <fmt/format.h>

#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/messages.h"
#include "cli/runtime.h"
#include "collect/post_json.h"
#include "core/time.h"
#include "core/utf8.h"
#include "rules/query_parser.h"
#include "rules/query_terms.h"

namespace yuqing::cli {
namespace {

struct SearchArgs {
  CommonOptions common;
  std::string query;
  std::string from, to, region, sort = "newest";
  std::vector<std::string> channels, sources, rules;
  int limit = 20;
  int offset = 0;
  bool json = false;
};

// First `n` code points of `s` on one line.
std::string Snippet(const std::string& s, size_t n) {
  std::string out;
  size_t pos = 0, count = 0;
  while (pos < s.size() && count < n) {
    char32_t c = core::DecodeUtf8(s, pos);
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    core::AppendUtf8(c, out);
    ++count;
  }
  if (pos < s.size()) out += "…";
  return out;
}

int RunSearch(const SearchArgs& args) {
  auto config = ResolveConfig(args.common);
  if (!config.ok()) return Fail(core::Config{}, config.status());
  const std::string& lang = config->language;
  auto rt = OpenRuntime(*config);
  if (!rt.ok()) return Fail(*config, rt.status());
  store::SearchRequest req;
  if (args.query.find_first_not_of(" \t") != std::string::npos) {
    auto parsed = rules::ParseQuery(args.query);
    if (!parsed.ok()) {
      // Point at the column under the query, as a compiler would.
      int col = 0;
      const std::string& m = parsed.status().message();
      if (m.starts_with("column ")) col = std::atoi(m.c_str() + 7);
      if (col > 0) {
        std::cerr << "  " << args.query << "\n  " << std::string(col - 1, ' ') << "^\n";
      }
      return Fail(*config, parsed.status());
    }
    if (Status s = rules::ResolveRegionNames(*parsed, (*rt)->regions); !s.ok()) {
      return Fail(*config, s);
    }
    rules::FillQueryTerms(*parsed, *(*rt)->tokenizer);
    req.query = std::move(parsed).value();
  }
  if (!args.from.empty()) {
    auto t = core::ParseIso8601(args.from);
    if (!t.ok()) return Fail(*config, t.status().WithContext("--from"));
    req.from = *t;
  }
  if (!args.to.empty()) {
    auto t = core::ParseIso8601(args.to);
    if (!t.ok()) return Fail(*config, t.status().WithContext("--to"));
    req.to = *t;
  }
  for (const auto& c : args.channels) {
    auto ch = model::ParseChannel(c);
    if (!ch) {
      return Fail(*config, Status::InvalidArgument(fmt::format("--channel \"{}\" is not one of {}",
                                                               c, model::ChannelNamesList())));
    }
    req.channels.push_back(*ch);
  }
  req.sources = args.sources;
  req.region = args.region;
  for (const auto& r : args.rules) {
    auto rule = FindRule(*(*rt)->store, r);
    if (!rule.ok()) return Fail(*config, rule.status().WithContext("--rule"));
    req.rule_ids.push_back(rule->id);
  }
  if (args.sort == "relevance") {
    req.sort = store::SortOrder::kRelevance;
  } else if (args.sort != "newest") {
    return Fail(*config, Status::InvalidArgument("--sort must be newest or relevance"));
  }
  req.limit = args.limit;
  req.offset = args.offset;
  auto page = (*rt)->store->Search(req);
  if (!page.ok()) return Fail(*config, page.status());
  if (args.json) {
    for (const auto& h : page->hits) {
      auto j = collect::PostToJson(h.post);
      j["key"] = h.key;
      std::cout << j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    }
    return 0;
  }
  if (page->hits.empty()) {
    std::cout << Text(lang, Msg::kNoResults) << "\n";
    return 0;
  }
  std::cout << fmt::format(fmt::runtime(Text(lang, Msg::kResultsHeader)),
                           page->total_capped ? "≥" : "", page->total, args.offset + 1,
                           args.offset + page->hits.size())
            << "\n";
  for (const auto& h : page->hits) {
    const auto& p = h.post;
    std::cout << fmt::format("{}  {}  {}/{}  {}\n",
                             core::FormatIso8601(p.published_at, 480).substr(0, 16),
                             model::ChannelName(p.channel), p.source, p.external_id, p.author.name);
    if (!p.title.empty()) std::cout << "  【" << Snippet(p.title, 60) << "】\n";
    std::cout << "  " << Snippet(p.text, 120) << "\n";
  }
  return 0;
}

}  // namespace

void AddSearchCommand(CLI::App& app) {
  auto* cmd = app.add_subcommand("search", "full-text search of stored posts (检索舆情条目)");
  auto args = std::make_shared<SearchArgs>();
  AddCommonOptions(*cmd, args->common);
  cmd->add_option(
      "query", args->query,
      "words, \"phrases\", AND/OR/NOT, -word, (…), title:/text:/author:/source:/channel:");
  cmd->add_option("--from", args->from, "published at or after (ISO-8601 with offset)");
  cmd->add_option("--to", args->to, "published before (ISO-8601 with offset)");
  cmd->add_option("--channel", args->channels, "only these channels (repeatable)");
  cmd->add_option("--source", args->sources, "only these sources (repeatable)");
  cmd->add_option("--region", args->region, "GB/T 2260 code; includes sub-regions");
  cmd->add_option("--rule", args->rules,
                  "only posts with a recorded hit of this rule, an id or a name (repeatable)");
  cmd->add_option("--sort", args->sort, "newest (default) or relevance");
  cmd->add_option("--limit", args->limit, "results per page (default 20)");
  cmd->add_option("--offset", args->offset, "skip this many results");
  cmd->add_flag("--json", args->json, "one JSON post per line");
  cmd->final_callback([args] { ExitCode() = RunSearch(*args); });
}

}  // namespace yuqing::cli
