#include "collect/replay.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "core/time.h"

namespace yuqing::collect {

Status ReadRecording(std::istream& in, Format format, const RecordLimits& limits,
                     std::string_view name, Recording& out) {
  auto reader = RecordReader::Open(in, format, limits, name);
  if (!reader.ok()) return reader.status().WithContext(std::string(name));
  RawRecord rec;
  while (true) {
    auto more = (*reader)->Next(rec);
    if (!more.ok()) return more.status().WithContext(std::string(name));
    if (!*more) break;
    if (!rec.post.ok()) {
      out.rejected.push_back(
          fmt::format("{}:{}: {}", name, rec.Where(), rec.post.status().message()));
      continue;
    }
    out.posts.push_back(std::move(rec.post).value());
  }
  return Status::Ok();
}

void SortForReplay(std::vector<model::Post>& posts) {
  std::stable_sort(posts.begin(), posts.end(), [](const model::Post& a, const model::Post& b) {
    return a.published_at < b.published_at;
  });
}

size_t DueEnd(const std::vector<model::Post>& posts, size_t next, core::TimePoint now, size_t max) {
  size_t end = next;
  while (end < posts.size() && end - next < max && posts[end].published_at <= now) ++end;
  return end;
}

std::string FormatReplayCursor(const ReplayCursor& c) {
  if (!c.last_published) return std::to_string(c.position);
  return fmt::format("{} {}", c.position, core::FormatIso8601(*c.last_published));
}

Result<ReplayCursor> ParseReplayCursor(std::string_view text) {
  ReplayCursor c;
  if (text.empty()) return c;
  size_t space = text.find(' ');
  std::string_view number = text.substr(0, space);
  auto [p, ec] = std::from_chars(number.data(), number.data() + number.size(), c.position);
  if (ec != std::errc() || p != number.data() + number.size()) {
    return Status::InvalidArgument(
        fmt::format("cursor \"{}\" is not a replay position (\"COUNT TIME\")", text));
  }
  if (space != std::string_view::npos) {
    auto t = core::ParseIso8601(text.substr(space + 1));
    if (!t.ok()) return t.status().WithContext(fmt::format("cursor \"{}\"", text));
    c.last_published = *t;
  }
  return c;
}

size_t ResumePosition(const std::vector<model::Post>& posts, const ReplayCursor& cursor,
                      bool* changed) {
  if (changed != nullptr) *changed = false;
  if (cursor.position == 0 || !cursor.last_published) return 0;
  if (cursor.position <= posts.size() &&
      posts[cursor.position - 1].published_at == *cursor.last_published) {
    return cursor.position;
  }
  if (changed != nullptr) *changed = true;
  auto it =
      std::lower_bound(posts.begin(), posts.end(), *cursor.last_published,
                       [](const model::Post& p, core::TimePoint t) { return p.published_at < t; });
  return static_cast<size_t>(it - posts.begin());
}

}  // namespace yuqing::collect
