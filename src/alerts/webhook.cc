#include "alerts/webhook.h"

#include <fmt/format.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "alerts/format.h"

namespace yuqing::alerts {
namespace {

// Splits "https://host:port/path?q" into "https://host:port" and "/path?q".
bool SplitUrl(const std::string& url, std::string& origin, std::string& target) {
  size_t scheme = url.find("://");
  if (scheme == std::string::npos) return false;
  size_t slash = url.find_first_of("/?", scheme + 3);
  origin = url.substr(0, slash);
  target = slash == std::string::npos ? "/" : url.substr(slash);
  if (!target.empty() && target.front() == '?') target = "/" + target;
  return origin.size() > scheme + 3;
}

std::string_view RobotName(model::TargetKind kind) {
  switch (kind) {
    case model::TargetKind::kWeCom:
      return "WeCom";
    case model::TargetKind::kDingTalk:
      return "DingTalk";
    case model::TargetKind::kFeishu:
      return "Feishu";
    default:
      return "the receiver";
  }
}

// For the robots: the refusal a 200 answer may carry, or OK.
Status CheckRobotAnswer(model::TargetKind kind, const std::string& body) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) {
    return Status::Unavailable(fmt::format("{} answered 200 without a JSON object: {}",
                                           RobotName(kind), TruncateUtf8(body, 200)));
  }
  // WeCom and DingTalk: errcode/errmsg; Feishu: code/msg (older bots: StatusCode/StatusMessage).
  std::vector<std::pair<const char*, const char*>> fields;
  if (kind == model::TargetKind::kFeishu) {
    fields = {{"code", "msg"}, {"StatusCode", "StatusMessage"}};
  } else {
    fields = {{"errcode", "errmsg"}};
  }
  for (auto [code_key, msg_key] : fields) {
    if (!j.contains(code_key)) continue;
    const auto& code = j[code_key];
    if (code.is_number_integer() && code.get<int64_t>() == 0) return Status::Ok();
    std::string msg =
        j.contains(msg_key) && j[msg_key].is_string() ? j[msg_key].get<std::string>() : "";
    return Status::Unavailable(fmt::format("{} refused the message: {} {}: {}", RobotName(kind),
                                           code_key, code.dump(), TruncateUtf8(msg, 200)));
  }
  return Status::Unavailable(fmt::format("{} answered 200 without a result code: {}",
                                         RobotName(kind), TruncateUtf8(body, 200)));
}

}  // namespace

Status PostMessage(const HttpMessage& m, model::TargetKind kind, const HttpOptions& options) {
  std::string origin, target;
  if (!SplitUrl(m.url, origin, target)) {
    return Status::InvalidArgument(fmt::format("\"{}\" is not an http(s) URL", m.url));
  }
  // httplib throws for a scheme it does not support; nothing may escape (CONVENTIONS.md §2).
  try {
    httplib::Client client(origin);
    if (!client.is_valid()) {
      return Status::InvalidArgument(fmt::format("cannot send to \"{}\"", origin));
    }
    auto t = options.timeout;
    client.set_connection_timeout(t);
    client.set_read_timeout(t);
    client.set_write_timeout(t);
    client.set_keep_alive(false);
    httplib::Headers headers;
    for (const auto& [k, v] : m.headers) headers.emplace(k, v);
    headers.emplace("User-Agent", "yuqing/0.1");
    httplib::Result res = client.Post(target, headers, m.body, m.content_type);
    if (!res) {
      return Status::Unavailable(
          fmt::format("cannot reach {}: {}", origin, httplib::to_string(res.error())));
    }
    if (res->status < 200 || res->status > 299) {
      return Status::Unavailable(
          fmt::format("HTTP {} from {}: {}", res->status, origin, TruncateUtf8(res->body, 200)));
    }
    if (kind == model::TargetKind::kWeCom || kind == model::TargetKind::kDingTalk ||
        kind == model::TargetKind::kFeishu) {
      return CheckRobotAnswer(kind, res->body);
    }
    return Status::Ok();
  } catch (const std::exception& e) {
    return Status::Unavailable(fmt::format("sending to {}: {}", origin, e.what()));
  }
}

}  // namespace yuqing::alerts
