// Reading ingest records from a stream: JSON (one object or an array), NDJSON and CSV with a
// header row of field names (dotted for nested fields: author.name). One record at a time,
// so a bad record is reported and skipped without touching its neighbours.
#pragma once

#include <istream>
#include <memory>
#include <string>
#include <string_view>

#include "collect/post_json.h"
#include "core/status.h"
#include "model/post.h"

namespace yuqing::collect {

enum class Format { kAuto, kJson, kNdjson, kCsv };

// "auto", "json", "ndjson" (or "jsonl"), "csv".
Result<Format> ParseFormat(std::string_view name);

struct RawRecord {
  int64_t number = 0;  // 1-based position of the record in its input
  int64_t line = 0;    // 1-based line where it starts; 0 where lines do not apply (JSON array)
  Result<model::Post> post = Status::Internal("no record read");

  // "line 17" or "record 3": where the record came from, for messages.
  std::string Where() const;
};

class RecordReader {
 public:
  virtual ~RecordReader() = default;

  // Opens a reader over `in`, which must outlive it. With kAuto the format is taken from the
  // name's extension (.csv, .ndjson, .jsonl, .json) or else from the first bytes.
  // InvalidArgument when the input as a whole cannot be read (bad CSV header, malformed array).
  static Result<std::unique_ptr<RecordReader>> Open(std::istream& in, Format format,
                                                    const RecordLimits& limits,
                                                    std::string_view name = "");

  // Reads the next record into `out` (its post may be a rejection); false at the end.
  virtual Result<bool> Next(RawRecord& out) = 0;

  // Bytes consumed so far, for progress.
  virtual int64_t BytesRead() const = 0;

  virtual Format format() const = 0;
};

}  // namespace yuqing::collect
