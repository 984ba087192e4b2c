#include "collect/record_reader.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <vector>

#include "core/utf8.h"

namespace yuqing::collect {
namespace {

using nlohmann::json;

// Parses one JSON text; the error names the byte and what the parser saw.
Result<json> ParseJson(std::string_view text) {
  if (size_t bad = core::FindInvalidUtf8(text); bad != std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("invalid UTF-8 at byte {}", bad + 1));
  }
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    std::string what = e.what();
    // nlohmann's message: "[json.exception.parse_error.101] parse error at line 1, column 5: …"
    auto pos = what.find("parse error");
    return Status::InvalidArgument(
        fmt::format("malformed JSON: {}", pos == std::string::npos ? what : what.substr(pos)));
  }
}

class NdjsonReader final : public RecordReader {
 public:
  NdjsonReader(std::istream& in, RecordLimits limits, std::optional<std::string> first = {})
      : in_(in), limits_(limits), pending_(std::move(first)) {}

  Result<bool> Next(RawRecord& out) override {
    std::string line;
    while (GetLine(line)) {
      ++line_no_;
      bytes_ += static_cast<int64_t>(line.size()) + 1;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (line.find_first_not_of(" \t") == std::string::npos) continue;
      out.number = ++number_;
      out.line = line_no_;
      size_t limit = 2 * limits_.max_text_bytes + 65536;
      if (line.size() > limit) {
        out.post = Status::InvalidArgument(
            fmt::format("record is {} bytes; the limit is {}", line.size(), limit));
        return true;
      }
      auto j = ParseJson(line);
      if (!j.ok()) {
        out.post = j.status();
      } else {
        out.post = PostFromJson(*j, limits_);
      }
      return true;
    }
    return false;
  }
  int64_t BytesRead() const override { return bytes_; }
  Format format() const override { return Format::kNdjson; }

 private:
  bool GetLine(std::string& line) {
    if (pending_) {
      line = std::move(*pending_);
      pending_.reset();
      return true;
    }
    return static_cast<bool>(std::getline(in_, line));
  }

  std::istream& in_;
  RecordLimits limits_;
  std::optional<std::string> pending_;
  int64_t line_no_ = 0;
  int64_t number_ = 0;
  int64_t bytes_ = 0;
};

// A whole JSON document: one object or an array of objects.
class JsonReader final : public RecordReader {
 public:
  JsonReader(json doc, int64_t bytes, RecordLimits limits)
      : doc_(std::move(doc)), bytes_(bytes), limits_(limits) {}

  Result<bool> Next(RawRecord& out) override {
    if (doc_.is_array()) {
      if (index_ >= doc_.size()) return false;
      out.number = static_cast<int64_t>(index_) + 1;
      out.line = 0;
      out.post = PostFromJson(doc_[index_], limits_);
      ++index_;
      return true;
    }
    if (index_ > 0) return false;
    ++index_;
    out.number = 1;
    out.line = 1;
    out.post = PostFromJson(doc_, limits_);
    return true;
  }
  int64_t BytesRead() const override { return bytes_; }
  Format format() const override { return Format::kJson; }

 private:
  json doc_;
  int64_t bytes_;
  RecordLimits limits_;
  size_t index_ = 0;
};

// Field paths a CSV header may name.
constexpr std::string_view kCsvFields[] = {"source",          "id",
                                           "title",           "text",
                                           "published_at",    "url",
                                           "channel",         "author.id",
                                           "author.name",     "author.followers",
                                           "author.verified", "author.kind",
                                           "metrics.reposts", "metrics.comments",
                                           "metrics.likes",   "metrics.views",
                                           "region",          "parent.source",
                                           "parent.id",       "lang"};

class CsvReader final : public RecordReader {
 public:
  CsvReader(std::istream& in, RecordLimits limits) : in_(in), limits_(limits) {}

  Status ReadHeader() {
    std::vector<std::string> cells;
    int64_t start = 0;
    YQ_ASSIGN_OR_RETURN(bool got, ReadRow(cells, start));
    if (!got) return Status::InvalidArgument("CSV input is empty: expected a header row");
    if (!cells.empty() && cells[0].starts_with("\xEF\xBB\xBF")) cells[0].erase(0, 3);  // BOM
    for (size_t i = 0; i < cells.size(); ++i) {
      bool known = false;
      for (auto f : kCsvFields) known = known || f == cells[i];
      if (!known) {
        return Status::InvalidArgument(
            fmt::format("line 1: header column {} \"{}\" is not a record field; expected one of {}",
                        i + 1, core::SanitizeUtf8(cells[i]), fmt::join(kCsvFields, ", ")));
      }
    }
    for (auto required : {"source", "id", "published_at"}) {
      bool found = false;
      for (const auto& c : cells) found = found || c == required;
      if (!found) {
        return Status::InvalidArgument(
            fmt::format("line 1: the header has no \"{}\" column, which is required", required));
      }
    }
    header_ = std::move(cells);
    return Status::Ok();
  }

  Result<bool> Next(RawRecord& out) override {
    std::vector<std::string> cells;
    int64_t start = 0;
    while (true) {
      auto got = ReadRow(cells, start);
      if (!got.ok()) {
        out.number = ++number_;
        out.line = start;
        out.post = got.status();
        return true;
      }
      if (!*got) return false;
      if (cells.size() == 1 && cells[0].empty()) continue;  // blank line
      break;
    }
    out.number = ++number_;
    out.line = start;
    if (cells.size() != header_.size()) {
      out.post = Status::InvalidArgument(
          fmt::format("{} cells, but the header has {} columns", cells.size(), header_.size()));
      return true;
    }
    json obj = json::object();
    for (size_t i = 0; i < cells.size(); ++i) {
      if (cells[i].empty()) continue;
      if (size_t bad = core::FindInvalidUtf8(cells[i]); bad != std::string::npos) {
        out.post = Status::InvalidArgument(
            fmt::format("column \"{}\": invalid UTF-8 at byte {}", header_[i], bad + 1));
        return true;
      }
      const std::string& name = header_[i];
      json value = cells[i];
      if (name == "author.followers" || name.starts_with("metrics.")) {
        int64_t v = 0;
        auto [p, ec] = std::from_chars(cells[i].data(), cells[i].data() + cells[i].size(), v);
        if (ec == std::errc() && p == cells[i].data() + cells[i].size()) value = v;
      } else if (name == "author.verified") {
        if (cells[i] == "true" || cells[i] == "1") value = true;
        if (cells[i] == "false" || cells[i] == "0") value = false;
      }
      auto dot = name.find('.');
      if (dot == std::string::npos) {
        obj[name] = std::move(value);
      } else {
        obj[name.substr(0, dot)][name.substr(dot + 1)] = std::move(value);
      }
    }
    out.post = PostFromJson(obj, limits_);
    return true;
  }

  int64_t BytesRead() const override { return bytes_; }
  Format format() const override { return Format::kCsv; }

 private:
  // RFC 4180: fields separated by commas, optionally quoted; "" inside quotes is a quote;
  // quoted fields may span lines. `start` receives the row's first line.
  Result<bool> ReadRow(std::vector<std::string>& cells, int64_t& start) {
    cells.clear();
    int c = in_.get();
    if (c == EOF) return false;
    start = ++line_;
    std::string cell;
    bool quoted = false;
    size_t row_bytes = 0;
    size_t limit = 2 * limits_.max_text_bytes + 65536;
    while (true) {
      if (c == EOF) {
        if (quoted) {
          return Status::InvalidArgument("a quoted cell is not closed before the end of input");
        }
        cells.push_back(std::move(cell));
        return true;
      }
      ++bytes_;
      if (++row_bytes > limit) {
        // Skip the rest of this physical line so the next row starts cleanly.
        while (c != EOF && c != '\n') {
          c = in_.get();
          ++bytes_;
        }
        return Status::InvalidArgument(fmt::format("row is longer than {} bytes", limit));
      }
      char ch = static_cast<char>(c);
      if (quoted) {
        if (ch == '"') {
          if (in_.peek() == '"') {
            in_.get();
            ++bytes_;
            cell += '"';
          } else {
            quoted = false;
          }
        } else {
          if (ch == '\n') ++line_;
          cell += ch;
        }
      } else if (ch == '"' && cell.empty()) {
        quoted = true;
      } else if (ch == ',') {
        cells.push_back(std::move(cell));
        cell.clear();
      } else if (ch == '\n') {
        if (!cell.empty() && cell.back() == '\r') cell.pop_back();
        cells.push_back(std::move(cell));
        return true;
      } else {
        cell += ch;
      }
      c = in_.get();
    }
  }

  std::istream& in_;
  RecordLimits limits_;
  std::vector<std::string> header_;
  int64_t line_ = 0;
  int64_t number_ = 0;
  int64_t bytes_ = 0;
};

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

Result<std::unique_ptr<RecordReader>> OpenJson(std::istream& in, const RecordLimits& limits) {
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  YQ_ASSIGN_OR_RETURN(json doc, ParseJson(text));
  if (!doc.is_array() && !doc.is_object()) {
    return Status::InvalidArgument("expected a JSON object or an array of objects");
  }
  return std::unique_ptr<RecordReader>(
      new JsonReader(std::move(doc), static_cast<int64_t>(text.size()), limits));
}

}  // namespace

std::string RawRecord::Where() const {
  return line > 0 ? fmt::format("line {}", line) : fmt::format("record {}", number);
}

Result<Format> ParseFormat(std::string_view name) {
  if (name == "auto") return Format::kAuto;
  if (name == "json") return Format::kJson;
  if (name == "ndjson" || name == "jsonl") return Format::kNdjson;
  if (name == "csv") return Format::kCsv;
  return Status::InvalidArgument(
      fmt::format("unknown format \"{}\"; expected auto, json, ndjson or csv", name));
}

Result<std::unique_ptr<RecordReader>> RecordReader::Open(std::istream& in, Format format,
                                                         const RecordLimits& limits,
                                                         std::string_view name) {
  if (format == Format::kAuto) {
    if (EndsWith(name, ".csv")) {
      format = Format::kCsv;
    } else if (EndsWith(name, ".ndjson") || EndsWith(name, ".jsonl")) {
      format = Format::kNdjson;
    } else {
      // Look at the first non-blank byte: '[' is an array; '{' is NDJSON when the first line
      // is a whole object, else one (pretty-printed) object; anything else is CSV.
      int c;
      while ((c = in.peek()) != EOF && (c == ' ' || c == '\n' || c == '\r' || c == '\t')) in.get();
      if (c == '[') {
        format = Format::kJson;
      } else if (c == '{') {
        std::string first;
        std::getline(in, first);
        if (json::accept(first)) {
          // NDJSON: keep streaming; the line already read is handed over first.
          return std::unique_ptr<RecordReader>(new NdjsonReader(in, limits, std::move(first)));
        }
        std::stringstream whole;
        whole << first << '\n' << in.rdbuf();
        return OpenJson(whole, limits);
      } else if (c == EOF) {
        format = Format::kNdjson;  // empty input: no records
      } else {
        format = Format::kCsv;
      }
    }
  }
  switch (format) {
    case Format::kNdjson:
      return std::unique_ptr<RecordReader>(new NdjsonReader(in, limits));
    case Format::kJson:
      return OpenJson(in, limits);
    case Format::kCsv: {
      auto r = std::make_unique<CsvReader>(in, limits);
      YQ_RETURN_IF_ERROR(r->ReadHeader());
      return std::unique_ptr<RecordReader>(std::move(r));
    }
    case Format::kAuto:
      break;
  }
  return Status::Internal("unreachable format");
}

}  // namespace yuqing::collect
