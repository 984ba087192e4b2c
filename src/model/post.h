// model owns the plain value types every module passes around: posts, and later events,
// alerts, cases, rules. No behaviour beyond small helpers; no I/O.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"

namespace yuqing::model {

// Where a post was published (DOMAIN.md §1: full coverage of channels).
enum class Channel {
  kNews,
  kWeibo,
  kWechat,
  kForum,
  kVideo,
  kQa,
  kHotline,      // 12345 and other hotlines
  kMailbox,      // leader mailbox
  kGovPlatform,  // online-politics platforms (网络问政)
  kPrint,
  kTv,
  kOther,
};

std::string_view ChannelName(Channel c);
// Parses the lower-case name; nullopt if unknown.
std::optional<Channel> ParseChannel(std::string_view name);
// "news, weibo, …" for error messages.
std::string_view ChannelNamesList();

enum class AuthorKind { kUnknown, kMedia, kGov, kKol, kIndividual };
std::string_view AuthorKindName(AuthorKind k);
std::optional<AuthorKind> ParseAuthorKind(std::string_view name);

struct Author {
  std::string id;
  std::string name;
  int64_t followers = 0;
  bool verified = false;
  AuthorKind kind = AuthorKind::kUnknown;
};

struct Metrics {
  int64_t reposts = 0;
  int64_t comments = 0;
  int64_t likes = 0;
  int64_t views = 0;
};

struct PostRef {
  std::string source;
  std::string id;
};

// One item of online talk as it arrived: the canonical ingest record (docs/ingest.md).
struct Post {
  std::string source;       // required: the collector or platform, e.g. "weibo", "rss:people"
  std::string external_id;  // required: unique within source ("id" in the record)
  std::string title;
  std::string text;  // text and/or title is required
  core::TimePoint published_at{};
  std::string url;
  Channel channel = Channel::kOther;
  Author author;
  Metrics metrics;
  std::string region;  // GB/T 2260 code, 2-6 digits, or empty
  std::optional<PostRef> parent;
  std::string lang;
};

// What happened to one record offered for ingest.
enum class IngestOutcome { kAccepted, kDuplicate, kRejected };
std::string_view IngestOutcomeName(IngestOutcome o);

}  // namespace yuqing::model
