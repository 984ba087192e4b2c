// The database's clock and the replay of a recorded stream (`yuqing clock`, `yuqing replay`):
// every process on the database reads the same accelerated time, and a replay stores each
// post only once that clock has reached its publication time.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/time.h"
#include "store/sqlite/sqlite_store.h"
#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Line(const std::string& id, const std::string& when, const std::string& text) {
  return json{{"source", "replay"}, {"id", id}, {"published_at", when}, {"text", text}}.dump() +
         "\n";
}

// The time `yuqing clock show` prints (the first ISO 8601 time in its output).
std::optional<core::TimePoint> ShownTime(const std::string& out) {
  auto at = out.find("20");
  if (at == std::string::npos) return std::nullopt;
  auto end = out.find_first_not_of("0123456789-:T.+Z", at);
  auto t = core::ParseIso8601(out.substr(at, end == std::string::npos ? end : end - at));
  if (!t.ok()) return std::nullopt;
  return *t;
}

TEST(ReplayTest, TheDatabaseClockRunsFastForEveryProcessAndRefusesNonsense) {
  TempDir dir;
  std::string db = dir.File("y.db");
  auto before = std::chrono::steady_clock::now();
  auto set = RunCommand({YuqingBinary(), "clock", "set", "--start", "2026-11-16T08:00:00+08:00",
                         "--speed", "3600", "--db", db, "--lang", "en"});
  ASSERT_EQ(set.code, 0) << set.err;
  std::this_thread::sleep_for(std::chrono::milliseconds(1200));
  auto show = RunCommand({YuqingBinary(), "clock", "show", "--db", db, "--lang", "en"});
  ASSERT_EQ(show.code, 0) << show.err;
  auto shown = ShownTime(show.out);
  ASSERT_TRUE(shown) << show.out;
  double real_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - before).count();
  core::TimePoint start = *core::ParseIso8601("2026-11-16T08:00:00+08:00");
  // 1.2 s or more of real time at 3600×: at least 1.2 h of event time, at most what has passed.
  EXPECT_GE(*shown - start, std::chrono::minutes(72)) << show.out;
  EXPECT_LE(*shown - start, std::chrono::milliseconds(static_cast<int64_t>(real_s * 3600e3)))
      << show.out;

  auto zero = RunCommand({YuqingBinary(), "clock", "set", "--speed", "0", "--db", db});
  EXPECT_NE(zero.code, 0);
  EXPECT_NE(zero.err.find("--speed 0 is outside"), std::string::npos) << zero.err;
  auto garbage = RunCommand({YuqingBinary(), "clock", "set", "--start", "yesterday", "--db", db});
  EXPECT_NE(garbage.code, 0);
  EXPECT_NE(garbage.err.find("--start \"yesterday\""), std::string::npos) << garbage.err;
  // The refused settings left the clock as it was.
  auto again = ShownTime(RunCommand({YuqingBinary(), "clock", "show", "--db", db}).out);
  ASSERT_TRUE(again);
  EXPECT_GE(*again, *shown);

  auto reset = RunCommand({YuqingBinary(), "clock", "reset", "--db", db, "--lang", "en"});
  ASSERT_EQ(reset.code, 0) << reset.err;
  auto system = RunCommand({YuqingBinary(), "clock", "show", "--db", db, "--lang", "en"});
  EXPECT_NE(system.out.find("the system clock"), std::string::npos) << system.out;
}

TEST(ReplayTest, PostsArriveWhenTheClockReachesThemInPublicationOrder) {
  TempDir dir;
  std::string db = dir.File("y.db");
  std::string file = dir.File("stream.ndjson");
  {
    // Out of order in the file; the replay goes by publication time.
    std::ofstream out(file);
    out << Line("late", "2026-11-16T10:00:00+08:00", "长治市今天下午的气温回升了")
        << Line("past", "2026-11-16T07:00:00+08:00", "长治市今天早上有雾，出行注意")
        << Line("soon", "2026-11-16T08:06:00+08:00", "长治市的公交今天正常运行")
        << "{\"source\": \"replay\", \"id\": \"bad\"}\n";
  }
  // 3600×: 10:00 is two hours, two real seconds, after the start.
  auto set_at = std::chrono::steady_clock::now();
  auto set = RunCommand({YuqingBinary(), "clock", "set", "--start", "2026-11-16T08:00:00+08:00",
                         "--speed", "3600", "--db", db});
  ASSERT_EQ(set.code, 0) << set.err;
  Subprocess replay({YuqingBinary(), "replay", file, "--db", db, "--lang", "en"});
  auto store = store::sqlite::OpenSqliteStore(db);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto has = [&](const char* id) {
    auto p = (*store)->GetPost("replay", id);
    return p.ok() && p->has_value();
  };
  // Watch the database while the replay runs (however long the command takes to start): the
  // post of 10:00 must not be there before two real seconds have passed since the clock was
  // set, and the post of 07:00 (already past) is there no later than it.
  std::optional<double> past_at;
  std::optional<double> late_at;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (std::chrono::steady_clock::now() < deadline && !(past_at && late_at)) {
    double now_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - set_at).count();
    if (!past_at && has("past")) past_at = now_s;
    if (!late_at && has("late")) late_at = now_s;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_TRUE(past_at && late_at) << replay.Stderr();
  EXPECT_GE(*late_at, 2.0) << "a post was stored before the clock reached its time";
  EXPECT_LE(*past_at, *late_at);
  int code = replay.Wait(std::chrono::seconds(30));
  EXPECT_EQ(code, 3) << "one record was rejected: " << replay.Stderr();
  EXPECT_NE(replay.Stderr().find("accepted 3, duplicate 0, rejected 1"), std::string::npos)
      << replay.Stderr();
  EXPECT_TRUE(has("past"));
  EXPECT_TRUE(has("soon"));
  EXPECT_TRUE(has("late"));
  // Without a server the replay placed the posts in events itself.
  auto queued = (*store)->QueueLength();
  ASSERT_TRUE(queued.ok());
  EXPECT_EQ(*queued, 0);
  // A second replay of the same stream stores nothing twice.
  auto twice = RunCommand({YuqingBinary(), "replay", file, "--db", db, "--lang", "en"});
  EXPECT_NE(twice.err.find("accepted 0, duplicate 3, rejected 1"), std::string::npos) << twice.err;
}

}  // namespace
}  // namespace yuqing::testing
