// A recorded stream of posts played in event time (docs/ingest.md "Replaying a recorded
// stream", docs/collect.md "replay"): the records of JSON / NDJSON / CSV files, sorted by
// publication time, handed out as a clock reaches each post's time. Shared by `yuqing replay`
// and the `replay` source kind. Pure apart from reading the stream given; safe from any thread
// on distinct values.
#pragma once

#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "collect/record_reader.h"
#include "core/clock.h"
#include "core/status.h"
#include "model/post.h"

namespace yuqing::collect {

// A recording in play order: by `published_at`, records of one time in the order read.
struct Recording {
  std::vector<model::Post> posts;
  // Rejected records, each `NAME:line 17: reason` (or `record 3` for a JSON array).
  std::vector<std::string> rejected;
};

// Reads every record of `in` (named `name` in messages; its extension picks the format under
// kAuto) into `out`, rejected records included as messages. InvalidArgument when the stream
// as a whole cannot be read (bad CSV header, malformed JSON array), with the name.
Status ReadRecording(std::istream& in, Format format, const RecordLimits& limits,
                     std::string_view name, Recording& out);

// Sorts the posts into play order (stable by publication time).
void SortForReplay(std::vector<model::Post>& posts);

// The end of the posts due at `now` from `next`: the first index ≥ `next` whose post is
// later than `now`, at most `max` posts on. `posts` in play order.
size_t DueEnd(const std::vector<model::Post>& posts, size_t next, core::TimePoint now, size_t max);

// Where a replay source stands: how many posts of the recording (in play order) are stored,
// and the publication time of the last of them. Kept as the source's cursor, "1523
// 2026-11-16T06:02:00Z" ("0" before the first).
struct ReplayCursor {
  size_t position = 0;
  std::optional<core::TimePoint> last_published;
};
std::string FormatReplayCursor(const ReplayCursor& c);
// InvalidArgument for a cursor this reader did not write.
Result<ReplayCursor> ParseReplayCursor(std::string_view text);

// The index to resume from in `posts` (play order). The saved position when the post before it
// has the saved time (the recording is the one played so far); otherwise — the file was
// changed — the first post at or after the saved time, so nothing is skipped (posts stored
// again count as duplicates). `changed` tells which.
size_t ResumePosition(const std::vector<model::Post>& posts, const ReplayCursor& cursor,
                      bool* changed = nullptr);

}  // namespace yuqing::collect
