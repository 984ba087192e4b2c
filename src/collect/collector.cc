#include "collect/collector.h"

#include <fmt/format.h>

#include <charconv>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>

#include "collect/dates.h"
#include "collect/encoding.h"
#include "collect/feed.h"
#include "collect/record_reader.h"
#include "collect/replay.h"
#include "collect/source_json.h"
#include "collect/web.h"
#include "collect/xlsx.h"
#include "core/time.h"
#include "core/utf8.h"

namespace yuqing::collect {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

constexpr size_t kMaxIdBytes = 200;

// FNV-1a, 64 bits: a stable id for an item that has none, or one that is too long.
std::string StableId(std::string_view text) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return fmt::format("h:{:016x}", h);
}

std::string ItemId(const std::string& id, const std::string& link, const std::string& title,
                   const std::string& published) {
  std::string chosen = !id.empty() ? id : link;
  if (chosen.empty()) return StableId(title + "\n" + published);
  if (chosen.size() > kMaxIdBytes) return StableId(chosen);
  return chosen;
}

class Run {
 public:
  Run(const model::Source& source, model::SourceState& state, HttpFetcher& fetcher, PostSink* sink,
      core::TimePoint now, const CollectOptions& options)
      : source_(source),
        state_(state),
        fetcher_(fetcher),
        sink_(sink),
        now_(now),
        options_(options) {
    report_.source = source.name;
    report_.at = now;
  }

  RunReport Go() {
    Status s;
    switch (source_.kind) {
      case model::SourceKind::kRss:
        s = Feed();
        break;
      case model::SourceKind::kJsonApi:
        s = JsonApi();
        break;
      case model::SourceKind::kFolder:
        s = Folder();
        break;
      case model::SourceKind::kPush:
        break;  // posts arrive through POST /api/v1/posts; nothing to fetch
      case model::SourceKind::kWeb:
        s = Web();
        break;
      case model::SourceKind::kReplay:
        s = Replay();
        break;
    }
    if (sink_ != nullptr) Finish(s);
    if (!s.ok()) report_.error = s;
    return std::move(report_);
  }

 private:
  Status Fail(Status s, const std::string& url) {
    report_.error_url = url;
    return s;
  }

  void Problem(std::string text) {
    if (report_.problems.size() < options_.max_problems)
      report_.problems.push_back(std::move(text));
  }

  // Reads `bytes` as UTF-8, from the charset the answer declares; a document that lies about
  // its encoding is read in the other Chinese web encoding if that works, and reported.
  Result<std::string> Decode(const FetchResponse& r) {
    std::string cs = ChooseCharset(r.content_type, r.body);
    auto text = ToUtf8(r.body, cs);
    if (text.ok()) return text;
    std::string other = (cs == "utf-8" || cs == "utf8") ? "gb18030" : "utf-8";
    auto retry = ToUtf8(r.body, other);
    if (retry.ok()) {
      Problem(fmt::format("{}: declared {} but {}; read as {}", r.final_url, cs,
                          text.status().message(), other));
      return retry;
    }
    return text.status().WithContext(fmt::format("declared {}", cs));
  }

  // The publication time of an item: its date in the source's zone, or the fetch time (with a
  // problem noted) when it has none, cannot be read or lies in the future.
  core::TimePoint When(const std::string& written, const std::string& where) {
    if (written.empty()) {
      Problem(fmt::format("{}: no date; the fetch time is used", where));
      return now_;
    }
    auto t = ParseLooseDate(written, now_, source_.tz_offset_minutes);
    if (!t.ok()) {
      Problem(fmt::format("{}: {}; the fetch time is used", where, t.status().message()));
      return now_;
    }
    if (*t > now_ + options_.future_tolerance) {
      Problem(
          fmt::format("{}: date \"{}\" is in the future; the fetch time is used", where, written));
      return now_;
    }
    return *t;
  }

  // Validates the records and writes the valid ones; counts everything.
  Status Write(std::vector<json> records, const std::vector<std::string>& where) {
    std::vector<model::Post> posts;
    for (size_t i = 0; i < records.size(); ++i) {
      auto post = PostFromJson(records[i], options_.limits);
      if (!post.ok()) {
        ++report_.rejected;
        Problem(fmt::format("{}: {}", where[i], post.status().message()));
        continue;
      }
      if (post->region.empty()) post->region = source_.region;
      posts.push_back(std::move(post).value());
    }
    if (sink_ == nullptr) {
      for (auto& p : posts) report_.preview.push_back(std::move(p));
      return Status::Ok();
    }
    if (posts.empty()) return Status::Ok();
    YQ_ASSIGN_OR_RETURN(auto outcomes, sink_->Write(std::move(posts)));
    for (auto o : outcomes) {
      if (o == model::IngestOutcome::kAccepted) ++report_.accepted;
      if (o == model::IngestOutcome::kDuplicate) ++report_.duplicate;
    }
    return Status::Ok();
  }

  json Record(const std::string& id, const std::string& title, const std::string& text,
              core::TimePoint published, const std::string& url, const std::string& author) {
    json r = {{"source", source_.name},
              {"id", id},
              {"title", title},
              {"text", text},
              {"published_at", core::FormatIso8601(published, source_.tz_offset_minutes)},
              {"channel", model::ChannelName(source_.channel)}};
    if (!url.empty()) r["url"] = url;
    if (!author.empty()) r["author"] = {{"name", author}};
    if (!source_.region.empty()) r["region"] = source_.region;
    return r;
  }

  Status Feed() {
    json config = json::parse(source_.config_json, nullptr, false);
    std::string url = config.value("url", "");
    FetchRequest req{url, state_.etag, state_.last_modified};
    auto r = fetcher_.Fetch(req);
    if (!r.ok()) return Fail(r.status(), url);
    if (r->status == 304) {
      report_.not_modified = true;
      return Status::Ok();
    }
    auto text = Decode(*r);
    if (!text.ok()) return Fail(text.status(), r->final_url);
    auto feed = ParseFeed(*text, r->final_url);
    if (!feed.ok()) return Fail(feed.status(), r->final_url);
    std::vector<json> records;
    std::vector<std::string> where;
    std::string newest;
    for (size_t i = 0; i < feed->items.size(); ++i) {
      const FeedItem& it = feed->items[i];
      ++report_.fetched;
      std::string place = fmt::format("item {} ({})", i + 1, it.link.empty() ? url : it.link);
      core::TimePoint t = When(it.published, place);
      std::string id = ItemId(it.id, it.link, it.title, it.published);
      records.push_back(Record(id, it.title, it.text, t, it.link, it.author));
      where.push_back(place);
      std::string iso = core::FormatIso8601(t);
      if (iso > newest) newest = iso;
    }
    Status w = Write(std::move(records), where);
    if (!w.ok()) return Fail(w, r->final_url);
    // Only now, with the items durable, do the validators and the cursor move.
    if (sink_ != nullptr) {
      state_.etag = r->etag;
      state_.last_modified = r->last_modified;
      if (!newest.empty() && newest > state_.cursor) state_.cursor = newest;
    }
    return Status::Ok();
  }

  // List pages from the newest back to the last article already seen (the cursor), then each
  // new article. The cursor (the newest link) moves only when every new article was read, so
  // an article that failed is tried again on the next run instead of being skipped.
  Status Web() {
    json config = json::parse(source_.config_json, nullptr, false);
    auto selectors = WebSelectorsFromConfig(config);
    if (!selectors.ok()) return Fail(selectors.status(), config.value("url", ""));
    const WebSelectors& sel = *selectors;
    int max_pages = config.value("max_pages", 5);
    size_t max_articles = config.value("max_articles", size_t{50});
    std::string url = config.value("url", "");
    std::vector<std::string> fresh;
    std::string newest;
    for (int page = 0; page < max_pages && !url.empty(); ++page) {
      auto r = fetcher_.Fetch({url, "", ""});
      if (!r.ok()) return Fail(r.status(), url);
      auto text = Decode(*r);
      if (!text.ok()) return Fail(text.status(), r->final_url);
      auto list = ParseListPage(*text, r->final_url, sel);
      if (!list.ok()) {
        Status e = list.status();
        // A CSS selector's failure shows the selector as written as well as its XPath.
        if (config.contains("css") && config["css"].contains("links")) {
          e = e.WithContext(
              fmt::format("config.css.links \"{}\"", config["css"]["links"].get<std::string>()));
        }
        return Fail(e.WithContext("list page"), r->final_url);
      }
      bool reached = false;
      for (const auto& link : list->links) {
        if (newest.empty()) newest = link;
        if (link == state_.cursor || fresh.size() >= max_articles) {
          reached = true;
          break;
        }
        fresh.push_back(link);
      }
      // The first run reads the first page only, not the whole archive.
      if (reached || state_.cursor.empty()) break;
      url = list->next;
    }
    std::vector<json> records;
    std::vector<std::string> where;
    int failed = 0;
    std::string first_failure, first_failure_url;
    for (const auto& link : fresh) {
      ++report_.fetched;
      auto r = fetcher_.Fetch({link, "", ""});
      Result<std::string> text = r.ok() ? Decode(*r) : Result<std::string>(r.status());
      Result<WebArticle> a =
          text.ok() ? ParseArticlePage(*text, link, sel) : Result<WebArticle>(text.status());
      if (!a.ok()) {
        if (failed++ == 0) {
          first_failure = a.status().ToString();
          first_failure_url = link;
        }
        Problem(fmt::format("{}: {}", link, a.status().message()));
        continue;
      }
      for (auto& p : a->problems) Problem(std::move(p));
      core::TimePoint t = When(a->published, link);
      records.push_back(Record(link, a->title, a->text, t, link, a->author));
      where.push_back(link);
    }
    Status w = Write(std::move(records), where);
    if (!w.ok()) return Fail(w, source_.name);
    if (failed > 0) {
      return Fail(Status::Unavailable(fmt::format("{} of {} articles could not be read; first: {}",
                                                  failed, fresh.size(), first_failure)),
                  first_failure_url);
    }
    if (sink_ != nullptr && !newest.empty()) state_.cursor = newest;
    return Status::Ok();
  }

  // One JSON value at a pointer, or null.
  static const json* At(const json& doc, const std::string& pointer) {
    if (pointer.empty()) return &doc;
    try {
      json::json_pointer p(pointer);
      if (!doc.contains(p)) return nullptr;
      return &doc.at(p);
    } catch (const json::exception&) {
      return nullptr;
    }
  }

  Status JsonApi() {
    json config = json::parse(source_.config_json, nullptr, false);
    std::string base = config.value("url", "");
    std::string items_at = config.value("items", "");
    std::string cursor_param = config.value("cursor_param", "");
    std::string next_at = config.value("next_cursor", "");
    const json& mapping = config["mapping"];
    for (int page = 0; page < options_.max_pages; ++page) {
      std::string url = base;
      if (!cursor_param.empty() && !state_.cursor.empty()) {
        url += (url.find('?') == std::string::npos ? "?" : "&") + cursor_param + "=" +
               UrlEncode(state_.cursor);
      }
      auto r = fetcher_.Fetch({url, "", ""});
      if (!r.ok()) return Fail(r.status(), url);
      auto text = Decode(*r);
      if (!text.ok()) return Fail(text.status(), url);
      json doc = json::parse(*text, nullptr, false);
      if (doc.is_discarded()) return Fail(Status::InvalidArgument("the answer is not JSON"), url);
      const json* items = At(doc, items_at);
      if (items == nullptr || !items->is_array()) {
        return Fail(Status::InvalidArgument(fmt::format(
                        "config.items \"{}\" does not name an array in the answer", items_at)),
                    url);
      }
      std::vector<json> records;
      std::vector<std::string> where;
      for (size_t i = 0; i < items->size(); ++i) {
        ++report_.fetched;
        std::string place = fmt::format("{} item {}", url, i + 1);
        auto rec = MapItem((*items)[i], mapping, place);
        if (!rec.ok()) {
          ++report_.rejected;
          Problem(fmt::format("{}: {}", place, rec.status().message()));
          continue;
        }
        records.push_back(std::move(rec).value());
        where.push_back(place);
      }
      Status w = Write(std::move(records), where);
      if (!w.ok()) return Fail(w, url);
      std::string next;
      if (const json* n = next_at.empty() ? nullptr : At(doc, next_at)) {
        next = n->is_string() ? n->get<std::string>() : n->is_null() ? "" : n->dump();
      }
      if (next.empty() || next == state_.cursor || items->empty()) break;
      if (sink_ == nullptr) break;  // a dry run reads one page
      state_.cursor = next;         // this page is durable: the next run starts after it
      if (cursor_param.empty()) break;
    }
    return Status::Ok();
  }

  static std::string UrlEncode(std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
    return out;
  }

  // A record from an API item through the mapping (post field → JSON pointer); dotted fields
  // (author.name, metrics.likes) are nested.
  Result<json> MapItem(const json& item, const json& mapping, const std::string& place) {
    json r = {{"source", source_.name}, {"channel", model::ChannelName(source_.channel)}};
    if (!source_.region.empty()) r["region"] = source_.region;
    for (const auto& [field, pointer_value] : mapping.items()) {
      std::string pointer = pointer_value.get<std::string>();
      const json* v = At(item, pointer);
      if (v == nullptr || v->is_null()) {
        if (field == "id" || field == "published_at") {
          return Status::InvalidArgument(
              fmt::format("mapping \"{}\" → {}: no such field in the item", field, pointer));
        }
        continue;
      }
      json value = *v;
      if (field == "published_at") {
        core::TimePoint t{};
        if (value.is_number()) {
          // Epoch seconds, or milliseconds when it is that large.
          double n = value.get<double>();
          int64_t ms = n > 1e11 ? static_cast<int64_t>(n) : static_cast<int64_t>(n * 1000);
          t = core::TimePoint(std::chrono::milliseconds(ms));
        } else if (value.is_string()) {
          t = When(value.get<std::string>(), place);
        } else {
          return Status::InvalidArgument(fmt::format(
              "mapping \"published_at\" → {}: expected a date string or epoch number", pointer));
        }
        value = core::FormatIso8601(t, source_.tz_offset_minutes);
      }
      if (field == "id" && value.is_number_integer()) value = value.dump();
      size_t dot = field.find('.');
      if (dot == std::string::npos) {
        r[field] = value;
      } else {
        r[field.substr(0, dot)][field.substr(dot + 1)] = value;
      }
    }
    return r;
  }

  Status Folder() {
    json config = json::parse(source_.config_json, nullptr, false);
    fs::path dir = config.value("path", "");
    fs::path done = config.value("done", (dir / "done").string());
    fs::path failed = config.value("failed", (dir / "failed").string());
    std::error_code ec;
    if (!fs::is_directory(dir, ec)) {
      return Fail(Status::NotFound("the folder does not exist"), dir.string());
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
      if (!e.is_regular_file()) continue;
      std::string ext = e.path().extension().string();
      if (ext == ".csv" || ext == ".ndjson" || ext == ".jsonl" || ext == ".json" ||
          ext == ".xlsx") {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const fs::path& f : files) {
      if (sink_ == nullptr) {
        Problem(fmt::format("{}: would be imported", f.string()));
        continue;
      }
      int64_t rejected_before = report_.rejected;
      std::vector<std::string> file_problems;
      Status s = ImportFile(f, file_problems);
      bool ok = s.ok() && report_.rejected == rejected_before;
      fs::path target_dir = ok ? done : failed;
      fs::create_directories(target_dir, ec);
      fs::path target = target_dir / f.filename();
      // A report beside the moved file: what was imported and what was wrong, line by line.
      std::ofstream rep(target.string() + ".report.txt", std::ios::trunc);
      rep << fmt::format("{}\t{}\n", core::FormatIso8601(now_, source_.tz_offset_minutes),
                         s.ok() ? "imported" : "failed: " + s.message());
      for (const auto& p : file_problems) rep << p << "\n";
      rep.close();
      fs::rename(f, target, ec);
      if (ec) {
        return Fail(Status::Unavailable(
                        fmt::format("cannot move to {}: {}", target.string(), ec.message())),
                    f.string());
      }
      if (!s.ok()) {
        Problem(fmt::format("{}: {}", f.string(), s.message()));
        report_.error_url = f.string();
      }
      state_.cursor = f.filename().string();
    }
    return Status::Ok();
  }

  // An Excel export: the first row names the fields (as a CSV header: source, id, title, text,
  // published_at, author.name, metrics.likes …); `source` defaults to the source's name and a
  // date without an offset (or an Excel date cell) is read in the source's zone.
  Status ImportXlsx(const fs::path& f, std::vector<std::string>& problems) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return Status::NotFound("cannot read the file");
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    YQ_ASSIGN_OR_RETURN(auto rows, ReadXlsxRows(bytes));
    if (rows.empty()) return Status::InvalidArgument("the worksheet is empty");
    const std::vector<std::string>& header = rows[0];
    std::vector<json> records;
    std::vector<std::string> where;
    for (size_t r = 1; r < rows.size(); ++r) {
      json rec = json::object();
      bool any = false;
      for (size_t c = 0; c < rows[r].size() && c < header.size(); ++c) {
        const std::string& field = header[c];
        const std::string& cell = rows[r][c];
        if (field.empty() || cell.empty()) continue;
        any = true;
        json value = cell;
        if (field == "published_at") {
          if (auto secs = ExcelSerialToCivilSeconds(cell)) {
            auto t =
                core::TimePoint(std::chrono::milliseconds(static_cast<int64_t>(*secs * 1000))) -
                std::chrono::minutes(source_.tz_offset_minutes);
            value = core::FormatIso8601(t, source_.tz_offset_minutes);
          } else if (auto t = ParseLooseDate(cell, now_, source_.tz_offset_minutes); t.ok()) {
            value = core::FormatIso8601(*t, source_.tz_offset_minutes);
          }
        } else if (field.starts_with("metrics.") || field == "author.followers") {
          int64_t n = 0;
          auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), n);
          if (ec == std::errc() && p == cell.data() + cell.size()) value = n;
        } else if (field == "author.verified") {
          value = cell == "1" || cell == "true" || cell == "TRUE" || cell == "是";
        }
        size_t dot = field.find('.');
        if (dot == std::string::npos) {
          rec[field] = value;
        } else {
          rec[field.substr(0, dot)][field.substr(dot + 1)] = value;
        }
      }
      if (!any) continue;
      if (!rec.contains("source")) rec["source"] = source_.name;
      if (!rec.contains("channel")) rec["channel"] = model::ChannelName(source_.channel);
      ++report_.fetched;
      records.push_back(std::move(rec));
      where.push_back(fmt::format("{} row {}", f.filename().string(), r + 1));
    }
    int64_t rejected_before = report_.rejected;
    size_t problems_before = report_.problems.size();
    Status w = Write(std::move(records), where);
    if (report_.rejected > rejected_before) {
      for (size_t i = problems_before; i < report_.problems.size(); ++i) {
        problems.push_back(report_.problems[i]);
      }
    }
    return w;
  }

  Status ImportFile(const fs::path& f, std::vector<std::string>& problems) {
    if (f.extension() == ".xlsx") return ImportXlsx(f, problems);
    std::ifstream in(f, std::ios::binary);
    if (!in) return Status::NotFound("cannot read the file");
    auto reader = RecordReader::Open(in, Format::kAuto, options_.limits, f.filename().string());
    if (!reader.ok()) return reader.status();
    std::vector<model::Post> batch;
    auto flush = [&]() -> Status {
      if (batch.empty()) return Status::Ok();
      YQ_ASSIGN_OR_RETURN(auto outcomes, sink_->Write(std::move(batch)));
      batch.clear();
      for (auto o : outcomes) {
        if (o == model::IngestOutcome::kAccepted) ++report_.accepted;
        if (o == model::IngestOutcome::kDuplicate) ++report_.duplicate;
      }
      return Status::Ok();
    };
    RawRecord rec;
    while (true) {
      auto more = (*reader)->Next(rec);
      if (!more.ok()) return more.status();
      if (!*more) break;
      ++report_.fetched;
      if (!rec.post.ok()) {
        ++report_.rejected;
        std::string p = fmt::format("{}: {}", rec.Where(), rec.post.status().message());
        problems.push_back(p);
        Problem(fmt::format("{} {}", f.filename().string(), p));
        continue;
      }
      model::Post post = std::move(rec.post).value();
      if (post.region.empty()) post.region = source_.region;
      batch.push_back(std::move(post));
      if (batch.size() >= 1000) YQ_RETURN_IF_ERROR(flush());
    }
    return flush();
  }

  // A recorded stream in event time: every post of the file whose publication time the clock
  // (`now_`) has reached and that the cursor has not passed, in play order, at most
  // config.max_per_run per run. The cursor (count played, time of the last) moves after each
  // durable batch, so a restart resumes where the store stands: no duplicate, no gap.
  Status Replay() {
    json config = json::parse(source_.config_json, nullptr, false);
    std::string path = config.value("file", "");
    auto format = ParseFormat(config.value("format", "auto"));
    if (!format.ok()) return Fail(format.status().WithContext("config.format"), path);
    size_t max_per_run = config.value("max_per_run", size_t{10000});
    std::ifstream in(path, std::ios::binary);
    if (!in) return Fail(Status::NotFound("cannot open the recorded stream"), path);
    Recording rec;
    if (Status s = ReadRecording(in, *format, options_.limits, path, rec); !s.ok()) {
      return Fail(s, path);
    }
    SortForReplay(rec.posts);
    auto cursor = ParseReplayCursor(state_.cursor);
    if (!cursor.ok()) return Fail(cursor.status(), path);
    bool changed = false;
    size_t next = ResumePosition(rec.posts, *cursor, &changed);
    if (changed) {
      Problem(
          fmt::format("{}: the recording changed since the last run; resumed at the first "
                      "post published at or after {}",
                      path, core::FormatIso8601(*cursor->last_published)));
    }
    for (const auto& r : rec.rejected) Problem(r);
    if (!rec.rejected.empty()) {
      // Counted once, on the first run; kept on the source as its last error (with the file)
      // until something else goes wrong, without failing the run: the other records play.
      if (state_.runs == 0) report_.rejected += static_cast<int64_t>(rec.rejected.size());
      std::string message =
          fmt::format("{} records rejected; first: {}", rec.rejected.size(), rec.rejected.front());
      if (sink_ != nullptr && state_.last_error != message) {
        state_.last_error = message;
        state_.last_error_url = path;
        state_.last_error_at = now_;
      }
    }
    size_t end = DueEnd(rec.posts, next, now_, max_per_run);
    report_.fetched += static_cast<int64_t>(end - next);
    if (sink_ == nullptr) {
      for (size_t i = next; i < end; ++i) report_.preview.push_back(rec.posts[i]);
      Problem(fmt::format(
          "{}: {} posts, {} played before this run{}", path, rec.posts.size(), next,
          end < rec.posts.size()
              ? "; the next is due at " +
                    core::FormatIso8601(rec.posts[end].published_at, source_.tz_offset_minutes)
              : ""));
      return Status::Ok();
    }
    constexpr size_t kBatch = 1000;
    for (size_t i = next; i < end; i += kBatch) {
      size_t stop = std::min(end, i + kBatch);
      std::vector<model::Post> batch;
      batch.reserve(stop - i);
      for (size_t k = i; k < stop; ++k) {
        batch.push_back(std::move(rec.posts[k]));
        if (batch.back().region.empty()) batch.back().region = source_.region;
      }
      core::TimePoint last = batch.back().published_at;
      auto outcomes = sink_->Write(std::move(batch));
      if (!outcomes.ok()) return Fail(outcomes.status(), path);
      for (auto o : *outcomes) {
        if (o == model::IngestOutcome::kAccepted) ++report_.accepted;
        if (o == model::IngestOutcome::kDuplicate) ++report_.duplicate;
      }
      state_.cursor = FormatReplayCursor({stop, last});
    }
    return Status::Ok();
  }

  void Finish(const Status& s) {
    ++state_.runs;
    state_.last_run_at = now_;
    state_.fetched += report_.fetched;
    state_.accepted += report_.accepted;
    state_.duplicate += report_.duplicate;
    state_.rejected += report_.rejected;
    AddVolume(state_.volume, now_, report_.accepted);
    if (report_.accepted > 0) state_.last_post_at = now_;
    if (s.ok()) {
      state_.last_success_at = now_;
      state_.consecutive_failures = 0;
    } else {
      ++state_.failures;
      ++state_.consecutive_failures;
      state_.last_error_at = now_;
      state_.last_error_url = report_.error_url;
      state_.last_error = s.ToString();
    }
  }

  const model::Source& source_;
  model::SourceState& state_;
  HttpFetcher& fetcher_;
  PostSink* sink_;
  core::TimePoint now_;
  const CollectOptions& options_;
  RunReport report_;
};

}  // namespace

RunReport RunSource(const model::Source& source, model::SourceState& state, HttpFetcher& fetcher,
                    PostSink* sink, core::TimePoint now, const CollectOptions& options) {
  return Run(source, state, fetcher, sink, now, options).Go();
}

void RecordPush(model::SourceState& state, core::TimePoint now, int64_t accepted,
                int64_t duplicate) {
  ++state.runs;
  state.last_run_at = now;
  state.last_success_at = now;
  state.consecutive_failures = 0;
  state.fetched += accepted + duplicate;
  state.accepted += accepted;
  state.duplicate += duplicate;
  AddVolume(state.volume, now, accepted);
  if (accepted > 0) state.last_post_at = now;
}

Status Collector::SaveWithHealth(const model::Source& source, model::SourceState state) {
  model::Source judged = source;
  judged.state = state;
  HealthDecision d = JudgeHealth(judged, clock_.Now(), options_.health);
  std::vector<model::NewAlert> alerts;
  if (d.changed) {
    YQ_ASSIGN_OR_RETURN(auto policies, alerts_.ListAlertPolicies());
    alerts = ApplyHealth(source, state, d, clock_.Now(), policies);
  } else {
    ApplyHealth(source, state, d, clock_.Now(), {});
  }
  return sources_.PutSourceState(source.name, state, alerts);
}

Result<RunReport> Collector::RunOnce(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(auto source, sources_.GetSource(name));
  if (!source) return Status::NotFound(fmt::format("no source named \"{}\"", name));
  model::SourceState state = source->state;
  RunReport report = RunSource(*source, state, fetcher_, &sink_, clock_.Now(), options_);
  YQ_RETURN_IF_ERROR(SaveWithHealth(*source, std::move(state)));
  return report;
}

Status Collector::CheckHealth(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(auto source, sources_.GetSource(name));
  if (!source) return Status::NotFound(fmt::format("no source named \"{}\"", name));
  const core::TimePoint now = clock_.Now();
  if (!JudgeHealth(*source, now, options_.health).changed) return Status::Ok();
  // Judged again on the state as it is inside the write: a push counted since the read above
  // (server/http_server.cc, CountPushed) is kept, not overwritten.
  YQ_ASSIGN_OR_RETURN(auto policies, alerts_.ListAlertPolicies());
  return sources_.ChangeSourceState(name,
                                    [&](const model::Source& current, model::SourceState& state) {
                                      model::Source judged = current;
                                      judged.state = state;
                                      HealthDecision d = JudgeHealth(judged, now, options_.health);
                                      if (!d.changed) return std::vector<model::NewAlert>();
                                      return ApplyHealth(current, state, d, now, policies);
                                    });
}

Result<RunReport> Collector::Test(const std::string& name) {
  YQ_ASSIGN_OR_RETURN(auto source, sources_.GetSource(name));
  if (!source) return Status::NotFound(fmt::format("no source named \"{}\"", name));
  model::SourceState state = source->state;
  state.etag.clear();  // a test always reads the whole answer
  state.last_modified.clear();
  return RunSource(*source, state, fetcher_, nullptr, clock_.Now(), options_);
}

}  // namespace yuqing::collect
