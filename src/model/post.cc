#include "model/post.h"

#include <array>
#include <utility>

namespace yuqing::model {
namespace {

constexpr std::array<std::pair<Channel, std::string_view>, 12> kChannels{{
    {Channel::kNews, "news"},
    {Channel::kWeibo, "weibo"},
    {Channel::kWechat, "wechat"},
    {Channel::kForum, "forum"},
    {Channel::kVideo, "video"},
    {Channel::kQa, "qa"},
    {Channel::kHotline, "hotline"},
    {Channel::kMailbox, "mailbox"},
    {Channel::kGovPlatform, "gov_platform"},
    {Channel::kPrint, "print"},
    {Channel::kTv, "tv"},
    {Channel::kOther, "other"},
}};

constexpr std::array<std::pair<AuthorKind, std::string_view>, 4> kAuthorKinds{{
    {AuthorKind::kMedia, "media"},
    {AuthorKind::kGov, "gov"},
    {AuthorKind::kKol, "kol"},
    {AuthorKind::kIndividual, "individual"},
}};

}  // namespace

std::string_view ChannelName(Channel c) {
  for (const auto& [k, n] : kChannels) {
    if (k == c) return n;
  }
  return "other";
}

std::optional<Channel> ParseChannel(std::string_view name) {
  for (const auto& [k, n] : kChannels) {
    if (n == name) return k;
  }
  return std::nullopt;
}

std::string_view ChannelNamesList() {
  return "news, weibo, wechat, forum, video, qa, hotline, mailbox, gov_platform, print, tv, other";
}

std::string_view AuthorKindName(AuthorKind k) {
  for (const auto& [v, n] : kAuthorKinds) {
    if (v == k) return n;
  }
  return "";
}

std::optional<AuthorKind> ParseAuthorKind(std::string_view name) {
  for (const auto& [v, n] : kAuthorKinds) {
    if (n == name) return v;
  }
  return std::nullopt;
}

std::string_view IngestOutcomeName(IngestOutcome o) {
  switch (o) {
    case IngestOutcome::kAccepted:
      return "accepted";
    case IngestOutcome::kDuplicate:
      return "duplicate";
    case IngestOutcome::kRejected:
      return "rejected";
  }
  return "rejected";
}

}  // namespace yuqing::model
