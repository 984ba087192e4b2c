// `yuqing cluster`: replays NDJSON posts offline through the online event clusterer in event-time
// order and writes one line per post, {"id":…,"event":…}. For backfills and for evaluation on
// labelled streams (eval/events_eval.py, docs/events.md).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "core/time.h"
#include "events/clusterer.h"
#include "text/keywords.h"
#include "text/segmenter.h"

namespace yuqing::cli {
namespace {

struct ClusterArgs {
  std::vector<std::string> files;
  bool explain = false;
  bool text_only = false;
  std::string merges_out;
  events::ClusterOptions options;
  double dormant_hours = 168;
  double tau_minutes = 240;
  double blind_tau_minutes = 120;
};

std::string StringField(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

// Reads posts from one stream; bad lines are reported on stderr and skipped (rc = rejected).
void ReadPosts(std::istream& in, const std::string& name, std::vector<events::ClusterPost>& posts,
               int& rc) {
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
      std::cerr << name << ":" << line_no << ": not a JSON object\n";
      rc = kExitRejected;
      continue;
    }
    events::ClusterPost p;
    p.id = StringField(j, "id");
    std::string time = StringField(j, "time");
    if (time.empty()) time = StringField(j, "published_at");
    auto t = core::ParseIso8601(time);
    if (!t.ok()) {
      std::cerr << name << ":" << line_no << ": field \"time\": " << t.status().message() << "\n";
      rc = kExitRejected;
      continue;
    }
    p.time_s = std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
    p.title = StringField(j, "title");
    p.text = StringField(j, "text");
    p.parent = StringField(j, "parent");
    if (auto it = j.find("regions"); it != j.end() && it->is_array()) {
      for (const auto& r : *it) {
        if (r.is_string()) p.regions.push_back(r.get<std::string>());
      }
    } else if (std::string r = StringField(j, "region"); !r.empty()) {
      p.regions.push_back(r);
    }
    posts.push_back(std::move(p));
  }
}

int RunCluster(ClusterArgs& args) {
  auto seg = text::Segmenter::Load();
  if (!seg.ok()) return Fail(core::Config{}, seg.status());
  auto kw = text::KeywordExtractor::Load(*seg);
  if (!kw.ok()) return Fail(core::Config{}, kw.status());

  int rc = 0;
  std::vector<events::ClusterPost> posts;
  if (args.files.empty()) {
    ReadPosts(std::cin, "stdin", posts, rc);
  } else {
    for (const auto& f : args.files) {
      std::ifstream in(f);
      if (!in) return Fail(core::Config{}, Status::NotFound("cannot open " + f));
      ReadPosts(in, f, posts, rc);
    }
  }
  std::stable_sort(posts.begin(), posts.end(),
                   [](const auto& a, const auto& b) { return a.time_s < b.time_s; });

  args.options.dormant_after_s = static_cast<int64_t>(args.dormant_hours * 3600);
  args.options.time_tau_s = args.tau_minutes * 60;
  args.options.blind_tau_s = args.blind_tau_minutes * 60;
  if (args.text_only) args.options.mode = events::ClusterMode::kTextOnly;
  events::Clusterer clusterer(*kw, args.options);
  std::vector<events::Assignment> assigned;
  assigned.reserve(posts.size());
  for (const auto& p : posts) assigned.push_back(clusterer.Add(p));
  // Events merged later in the replay carry their survivor's id: one incident, one id.
  std::ios::sync_with_stdio(false);
  for (size_t i = 0; i < posts.size(); ++i) {
    const auto& a = assigned[i];
    nlohmann::json out = {{"id", posts[i].id}, {"event", clusterer.Resolve(a.event)}};
    if (args.explain) {
      out["joined"] = a.event;
      out["reason"] = events::JoinReasonName(a.reason);
      out["score"] = a.score;
      out["cosine"] = a.cosine;
    }
    std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n';
  }
  std::cout.flush();
  if (!args.merges_out.empty()) {
    std::ofstream merges(args.merges_out);
    if (!merges) return Fail(core::Config{}, Status::NotFound("cannot write " + args.merges_out));
    for (const auto& m : clusterer.merges()) {
      nlohmann::json j = {
          {"from", m.from},
          {"into", m.into},
          {"at", core::FormatIso8601(core::TimePoint(std::chrono::seconds(m.at_s)))},
          {"score", m.score}};
      merges << j.dump() << '\n';
    }
  }
  const auto& s = clusterer.stats();
  std::cerr << "posts " << s.posts << ", events " << s.events << ", active " << s.active_events
            << ", woke " << s.woke << ", reposts " << s.reposts << ", near-duplicates "
            << s.near_duplicates << ", merges " << s.merges << ", read as threads "
            << s.thread_posts << "\n";
  return rc;
}

}  // namespace

void AddClusterCommand(CLI::App& app) {
  auto args = std::make_shared<ClusterArgs>();
  auto* cmd = app.add_subcommand(
      "cluster", "replay NDJSON posts in time order through event clustering (事件聚类)");
  cmd->add_option("files", args->files, "NDJSON files of posts (default: stdin)");
  cmd->add_flag("--explain", args->explain, "add the join reason, score and cosine to each line");
  cmd->add_option("--merges-out", args->merges_out,
                  "write the merge record as NDJSON {from, into, at, score} to this file");
  cmd->add_flag("--text-only", args->text_only,
                "baseline: TF-IDF cosine with a fixed threshold, no time, SimHash or parent");
  auto& o = args->options;
  cmd->add_option("--join-threshold", o.join_threshold, "score needed to join an event")
      ->capture_default_str();
  cmd->add_option("--wake-threshold", o.wake_threshold, "cosine needed to wake a dormant event")
      ->capture_default_str();
  cmd->add_option("--seal-factor", o.seal_factor,
                  "in a stream of threads, close an event silent for this many times the "
                  "stream's gap quantile (0: never)")
      ->capture_default_str();
  cmd->add_option("--seal-quantile", o.seal_quantile, "quantile of the stream's join gaps")
      ->capture_default_str();
  cmd->add_option("--unconfirmed-quantile", o.unconfirmed_quantile,
                  "in a stream of threads, an event opened without text evidence within this "
                  "quantile of the join gaps after another event's post is unconfirmed (0: off)")
      ->capture_default_str();
  cmd->add_option("--time-weight", o.time_weight, "weight of the recency term")
      ->capture_default_str();
  cmd->add_option("--text-weight", o.text_weight, "weight of the cosine")->capture_default_str();
  cmd->add_option("--tau-minutes", args->tau_minutes, "recency decay constant, minutes")
      ->capture_default_str();
  cmd->add_option("--blind-tau-minutes", args->blind_tau_minutes,
                  "recency decay constant towards events sharing no term with the post, minutes")
      ->capture_default_str();
  cmd->add_option("--dormant-hours", args->dormant_hours, "inactivity before an event sleeps")
      ->capture_default_str();
  cmd->add_option("--centroid-terms", o.centroid_terms, "top-k centroid terms")
      ->capture_default_str();
  cmd->add_option("--recent", o.recent_candidates, "most recent events always scored")
      ->capture_default_str();
  cmd->add_option("--short-terms", o.short_terms, "posts up to this many terms get full recency")
      ->capture_default_str();
  cmd->add_option("--overlap-above", o.overlap_needed_above,
                  "posts with more terms need a shared word for recency to count")
      ->capture_default_str();
  cmd->add_option("--time-needs-cosine", o.time_needs_cosine,
                  "posts longer than --short-terms get recency in proportion to their cosine up "
                  "to this value (0: off)")
      ->capture_default_str();
  cmd->add_option(
         "--parent-share-full", o.parent_share_full,
         "share of posts carrying a parent at which a short post's recency needs its words "
         "(0: never)")
      ->capture_default_str();
  cmd->add_option("--parent-recency-cosine", o.parent_recency_cosine,
                  "where posts carry parents, the cosine at which a short post gets full recency "
                  "(0: none)")
      ->capture_default_str();
  cmd->add_option("--merge-threshold", o.merge_threshold,
                  "centroid cosine at which active events merge (> 1: never)")
      ->capture_default_str();
  cmd->add_option("--reaction-markers", o.reaction_markers,
                  "treat posts with 回复@ / //@ / 转发微博 as reactions (true/false)")
      ->capture_default_str();
  cmd->add_option("--hashtag-weight", o.hashtag_weight, "weight of hashtag words relative to IDF")
      ->capture_default_str();
  cmd->add_option("--stem-plurals", o.stem_plurals,
                  "drop a plural -s from non-CJK words (true/false)")
      ->capture_default_str();
  cmd->add_option("--stream-idf", o.stream_idf,
                  "weigh Chinese words by the stream's own document frequency, not jieba's IDF "
                  "(true/false)")
      ->capture_default_str();
  cmd->add_option("--idf-prior-posts", o.idf_prior_posts,
                  "with --stream-idf: jieba's corpus counts as this many earlier posts")
      ->capture_default_str();
  cmd->final_callback([args] { ExitCode() = RunCluster(*args); });
}

}  // namespace yuqing::cli
