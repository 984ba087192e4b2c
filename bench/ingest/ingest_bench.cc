// Ingest throughput into the SQLite store with its full-text index, peak memory, and search
// latency over the result. Prints its figures and the command that produced them.
//
//   build/release/bench/ingest/gen_corpus --posts 1000000 > /tmp/corpus.ndjson
//   build/release/bench/ingest/ingest_bench --corpus /tmp/corpus.ndjson --db /tmp/bench.db
#include <fmt/format.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <random>

#include "cli/runtime.h"
#include "collect/record_reader.h"
#include "core/utf8.h"
#include "pipeline/ingest.h"
#include "rules/query_parser.h"
#include "rules/query_terms.h"
#include "store/sqlite/sqlite_store.h"
#include "text/segmenter.h"
#include "text/tokenizer.h"

namespace {

using namespace yuqing;  // NOLINT(google-build-using-namespace): a benchmark program

double PeakRssMb() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss / 1024.0;
}

double Pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

// Words of two or more Chinese characters from the first texts of the corpus, as the segmenter
// cuts them: what people type into a search box. Common words are drawn more often, as in use.
std::vector<std::string> SampleWords(const std::string& corpus, size_t n, std::mt19937_64& rng,
                                     const text::Segmenter& segmenter) {
  std::ifstream in(corpus);
  std::vector<std::string> words;
  std::string line;
  std::vector<std::string_view> cut;
  for (int i = 0; i < 20000 && std::getline(in, line) && words.size() < n * 8; ++i) {
    auto j = nlohmann::json::parse(line);
    std::string text = j["text"];
    cut.clear();
    segmenter.Cut(text, cut);
    if (cut.empty()) continue;
    std::string_view w = cut[rng() % cut.size()];
    size_t cjk = 0;
    bool ok = true;
    for (size_t p = 0; p < w.size();) {
      char32_t c = core::DecodeUtf8(w, p);
      ok = ok && core::IsCjk(c);
      ++cjk;
    }
    if (ok && cjk >= 2) words.emplace_back(w);
  }
  std::shuffle(words.begin(), words.end(), rng);
  words.resize(std::min(words.size(), n * 2));
  return words;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus, db = "/tmp/yuqing-bench.db", sync = "full", tokenizer_name = "jieba";
  size_t batch = 2000, queries = 200;
  bool search_only = false;
  int64_t total_cap = 10000;
  bool defer_sync = true;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--corpus")) corpus = argv[i + 1];
    if (!std::strcmp(argv[i], "--db")) db = argv[i + 1];
    if (!std::strcmp(argv[i], "--sync")) sync = argv[i + 1];
    if (!std::strcmp(argv[i], "--tokenizer")) tokenizer_name = argv[i + 1];
    if (!std::strcmp(argv[i], "--batch")) batch = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--queries")) queries = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--search-only")) search_only = std::strcmp(argv[i + 1], "1") == 0;
    if (!std::strcmp(argv[i], "--total-cap")) total_cap = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--defer-sync")) defer_sync = std::strcmp(argv[i + 1], "1") == 0;
  }
  if (corpus.empty()) {
    std::cerr << "usage: ingest_bench --corpus FILE [--db FILE] [--sync full|normal] [--batch N] "
                 "[--tokenizer jieba|bigram]\n";
    return 2;
  }
  std::cout << "command:";
  for (int i = 0; i < argc; ++i) std::cout << " " << argv[i];
  std::cout << "\n";
  if (!search_only) {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }

  core::Config config;
  config.index_tokenizer = tokenizer_name;
  auto tokenizer_or = cli::MakeIndexTokenizer(config);
  if (!tokenizer_or.ok()) {
    std::cerr << tokenizer_or.status().ToString() << "\n";
    return 1;
  }
  std::shared_ptr<const text::Tokenizer> tokenizer = *tokenizer_or;
  // Stage 1 alone: read, validate and tokenize, without writing, to see where time goes.
  if (!search_only) {
    std::ifstream pin(corpus, std::ios::binary);
    auto preader = collect::RecordReader::Open(pin, collect::Format::kNdjson, {});
    const text::Tokenizer* tok = tokenizer.get();
    collect::RawRecord rec;
    int64_t n = 0, terms = 0;
    auto p0 = std::chrono::steady_clock::now();
    while (*(*preader)->Next(rec)) {
      if (!rec.post.ok()) continue;
      auto r = pipeline::PrepareRecord(std::move(rec.post).value(), *tok);
      terms += static_cast<int64_t>(r.text_terms.size() + r.title_terms.size());
      ++n;
    }
    double ps = std::chrono::duration<double>(std::chrono::steady_clock::now() - p0).count();
    fmt::print("parse+validate+tokenize only (one thread): {:.0f} posts/s, {:.0f} terms/post\n",
               n / ps, n ? static_cast<double>(terms) / n : 0.0);
  }

  store::sqlite::SqliteOptions options;
  options.sync_full = sync == "full";
  options.total_cap = total_cap;
  auto store = store::sqlite::OpenSqliteStore(db, options);
  if (!store.ok()) {
    std::cerr << store.status().ToString() << "\n";
    return 1;
  }
  if (!search_only) {
    core::SystemClock clock;
    pipeline::Ingestor ingestor(**store, tokenizer, clock);
    std::ifstream in(corpus, std::ios::binary);
    auto reader = collect::RecordReader::Open(in, collect::Format::kNdjson, {});
    pipeline::ImportOptions io;
    io.batch_size = batch;
    io.defer_sync = defer_sync;
    auto t0 = std::chrono::steady_clock::now();
    auto counts = pipeline::ImportRecords(**reader, ingestor, io);
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (!counts.ok()) {
      std::cerr << counts.status().ToString() << "\n";
      return 1;
    }
    double db_mb = 0;
    for (const char* suffix : {"", "-wal"}) {
      std::error_code ec;
      auto sz = std::filesystem::file_size(db + suffix, ec);
      if (!ec) db_mb += sz / 1e6;
    }
    fmt::print(
        "ingest: {} records, {} accepted, {} rejected in {:.1f} s = {:.0f} posts/s ({:.1f} MB/s), "
        "tokenizer {}, sync={}, batch={}, defer-sync={}\n",
        counts->records, counts->accepted, counts->rejected, secs, counts->records / secs,
        counts->bytes / 1e6 / secs, tokenizer->Name(), sync, batch, defer_sync ? 1 : 0);
    fmt::print("writer busy in the store {:.1f} s; reader waiting for the writer {:.1f} s\n",
               counts->write_seconds, counts->wait_seconds);
    fmt::print("peak RSS during ingest: {:.0f} MB; database on disk {:.0f} MB\n", PeakRssMb(),
               db_mb);
  }

  std::mt19937_64 rng(7);
  auto segmenter = text::Segmenter::Load();
  if (!segmenter.ok()) {
    std::cerr << segmenter.status().ToString() << "\n";
    return 1;
  }
  auto words = SampleWords(corpus, queries, rng, **segmenter);
  // The relevance order is measured twice, query by query in turn: yq_rank (the store's
  // default, which skips rows that cannot reach the page) and FTS5's bm25() over every match
  // (a second store on the same file), with the pages compared.
  store::sqlite::SqliteOptions builtin_options = options;
  builtin_options.builtin_bm25 = true;
  auto builtin = store::sqlite::OpenSqliteStore(db, builtin_options);
  if (!builtin.ok()) {
    std::cerr << builtin.status().ToString() << "\n";
    return 1;
  }
  struct Variant {
    const char* name;
    store::SortOrder sort;
    store::Store* store;
  };
  const Variant variants[] = {
      {"newest first", store::SortOrder::kNewest, store->get()},
      {"by relevance", store::SortOrder::kRelevance, store->get()},
      {"by relevance, bm25() on every match", store::SortOrder::kRelevance, builtin->get()}};
  for (int nwords : {1, 2}) {
    std::vector<std::vector<double>> ms(std::size(variants));
    std::vector<int64_t> hits(std::size(variants), 0);
    int64_t pages_differ = 0;
    size_t n_queries = 0;
    for (size_t q = 0; q < queries && q * nwords + nwords <= words.size(); ++q) {
      std::string text = words[q * nwords];
      if (nwords == 2) text += " " + words[q * nwords + 1];
      auto parsed = rules::ParseQuery(text);
      rules::FillQueryTerms(*parsed, *tokenizer);
      std::vector<std::vector<std::string>> pages(std::size(variants));
      for (size_t v = 0; v < std::size(variants); ++v) {
        store::SearchRequest req;
        req.query = *parsed;
        req.sort = variants[v].sort;
        auto s0 = std::chrono::steady_clock::now();
        auto page = variants[v].store->Search(req);
        ms[v].push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - s0)
                .count());
        if (!page.ok()) continue;
        hits[v] += page->total;
        for (const auto& h : page->hits) pages[v].push_back(h.post.external_id);
      }
      if (pages[1] != pages[2]) ++pages_differ;
      ++n_queries;
    }
    for (size_t v = 0; v < std::size(variants); ++v) {
      fmt::print(
          "search {}-word, {}: {} queries, p50 {:.2f} ms, p95 {:.2f} ms, p99 {:.2f} ms, "
          "mean matches {:.0f} (counted up to {})\n",
          nwords, variants[v].name, ms[v].size(), Pct(ms[v], 0.5), Pct(ms[v], 0.95),
          Pct(ms[v], 0.99), ms[v].empty() ? 0.0 : static_cast<double>(hits[v]) / ms[v].size(),
          total_cap);
    }
    fmt::print("search {}-word: relevance pages that differ between the two orders: {} of {}\n",
               nwords, pages_differ, n_queries);
  }
  return 0;
}
