#include "collect/replay.h"

#include <gtest/gtest.h>

#include <sstream>

#include "core/time.h"

namespace yuqing::collect {
namespace {

core::TimePoint T(const char* iso) { return *core::ParseIso8601(iso); }

Recording Read(const std::string& text, const std::string& name) {
  std::istringstream in(text);
  Recording r;
  EXPECT_TRUE(ReadRecording(in, Format::kAuto, {}, name, r).ok());
  SortForReplay(r.posts);
  return r;
}

const char* kStream =
    "{\"source\":\"微博\",\"id\":\"b\",\"text\":\"河水发黑\",\"published_at\":\"2026-11-16T08:10:"
    "00+08:00\"}\n"
    "{\"source\":\"微博\",\"id\":\"a\",\"text\":\"闻到异味\",\"published_at\":\"2026-11-16T08:00:"
    "00+08:00\"}\n"
    "{\"source\":\"微博\",\"id\":\"bad\",\"text\":\"没有时间\"}\n"
    "{\"source\":\"微博\",\"id\":\"c\",\"text\":\"死鱼\",\"published_at\":\"2026-11-16T08:10:00+08:"
    "00\"}\n";

TEST(ReplayTest, PostsPlayInPublicationOrderAndRejectsNameFileAndLine) {
  Recording r = Read(kStream, "river.ndjson");
  ASSERT_EQ(r.posts.size(), 3u);
  EXPECT_EQ(r.posts[0].external_id, "a");
  EXPECT_EQ(r.posts[1].external_id, "b");  // same time as c: the order read
  EXPECT_EQ(r.posts[2].external_id, "c");
  ASSERT_EQ(r.rejected.size(), 1u);
  EXPECT_TRUE(r.rejected[0].starts_with("river.ndjson:line 3: ")) << r.rejected[0];
}

TEST(ReplayTest, NothingIsDueBeforeItsTime) {
  Recording r = Read(kStream, "river.ndjson");
  EXPECT_EQ(DueEnd(r.posts, 0, T("2026-11-16T07:59:59+08:00"), 100), 0u);
  EXPECT_EQ(DueEnd(r.posts, 0, T("2026-11-16T08:00:00+08:00"), 100), 1u);
  EXPECT_EQ(DueEnd(r.posts, 1, T("2026-11-16T08:09:59+08:00"), 100), 1u);
  EXPECT_EQ(DueEnd(r.posts, 1, T("2026-11-16T09:00:00+08:00"), 100), 3u);
  EXPECT_EQ(DueEnd(r.posts, 0, T("2026-11-16T09:00:00+08:00"), 2), 2u);  // at most max
}

TEST(ReplayTest, CursorRoundTripsAndResumesAfterTheLastPlayed) {
  Recording r = Read(kStream, "river.ndjson");
  ReplayCursor c{2, r.posts[1].published_at};
  std::string text = FormatReplayCursor(c);
  EXPECT_EQ(text, "2 2026-11-16T00:10:00Z");
  auto back = ParseReplayCursor(text);
  ASSERT_TRUE(back.ok());
  bool changed = true;
  EXPECT_EQ(ResumePosition(r.posts, *back, &changed), 2u);
  EXPECT_FALSE(changed);
  EXPECT_EQ(ResumePosition(r.posts, *ParseReplayCursor(""), &changed), 0u);
  EXPECT_FALSE(ParseReplayCursor("lc-tzgg-001").ok());
}

TEST(ReplayTest, AChangedRecordingResumesAtTheSavedTimeSkippingNothing) {
  Recording r = Read(kStream, "river.ndjson");
  // Saved after 3 posts ending at 08:00 — not what this file holds there.
  ReplayCursor c{3, T("2026-11-16T08:00:00+08:00")};
  bool changed = false;
  EXPECT_EQ(ResumePosition(r.posts, c, &changed), 0u);  // the 08:00 post again (a duplicate)
  EXPECT_TRUE(changed);
}

TEST(ReplayTest, CsvRecordingsAreRead) {
  Recording r = Read(
      "source,id,text,published_at\n热线,2,二,2026-11-16T09:00:00+08:00\n"
      "热线,1,一,2026-11-16T08:00:00+08:00\n",
      "hotline.csv");
  ASSERT_EQ(r.posts.size(), 2u);
  EXPECT_EQ(r.posts[0].external_id, "1");
}

}  // namespace
}  // namespace yuqing::collect
