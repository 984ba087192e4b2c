#include "server/http_util.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <vector>

#include "server/auth.h"
#include "server/errors.h"

namespace yuqing::server {

using nlohmann::json;

void SendJson(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace),
                  "application/json; charset=utf-8");
}

void SendError(httplib::Response& res, const Status& s, const json& details) {
  HttpError e = ToHttpError(s.code());
  SendJson(res, e.http_status, ErrorBody(e.code, s.message(), details));
}

void SendError(httplib::Response& res, int http_status, std::string_view code,
               std::string_view message, const json& details) {
  SendJson(res, http_status, ErrorBody(code, message, details));
}

int ColumnOf(const std::string& message) {
  int col = 0;
  if (message.starts_with("column ")) {
    std::from_chars(message.data() + 7, message.data() + message.size(), col);
  }
  return col;
}

json RuleHitJson(const model::RuleHit& hit, std::string_view rule_name) {
  json terms = json::array();
  json matches = json::array();
  std::vector<std::string_view> seen;
  for (const auto& t : hit.terms) {
    if (std::find(seen.begin(), seen.end(), t.term) == seen.end()) {
      seen.push_back(t.term);
      terms.push_back(t.term);
    }
    matches.push_back({{"field", t.field}, {"begin", t.begin}, {"end", t.end}, {"term", t.term}});
  }
  return {{"id", hit.rule_id},
          {"name", rule_name},
          {"terms", std::move(terms)},
          {"matches", std::move(matches)}};
}

Result<json> JsonObjectBody(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return Status::InvalidArgument("the body is not a JSON object: it is not valid JSON");
  }
  if (!body.is_object()) {
    return Status::InvalidArgument(
        fmt::format("the body is not a JSON object: it is a JSON {}", body.type_name()));
  }
  return body;
}

int64_t PathId(const httplib::Request& req, int index) {
  int64_t id = 0;
  const std::string m = req.matches[index];
  std::from_chars(m.data(), m.data() + m.size(), id);
  return id;
}

Result<model::EventRecord> EventInScope(store::EventStore& events, const access::Principal& who,
                                        int64_t id) {
  YQ_ASSIGN_OR_RETURN(auto e, events.GetEvent(id));
  if (!e || !access::InRegionScope(access::RegionScope(who), e->regions)) {
    return Status::NotFound(fmt::format("no event with id {}", id));
  }
  return *std::move(e);
}

std::string CookieValue(const httplib::Request& req, std::string_view name) {
  // RFC 6265 §4.2: "name=value" pairs separated by "; ". Every Cookie header is looked at.
  auto range = req.headers.equal_range("Cookie");
  for (auto it = range.first; it != range.second; ++it) {
    std::string_view rest = it->second;
    while (!rest.empty()) {
      size_t semi = rest.find(';');
      std::string_view pair = rest.substr(0, semi);
      rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
      while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
      size_t eq = pair.find('=');
      if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
      std::string_view value = pair.substr(eq + 1);
      while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
      return std::string(value);
    }
  }
  return {};
}

std::string PresentedToken(const httplib::Request& req) {
  std::string auth = req.get_header_value("Authorization");
  if (auth.starts_with("Bearer ")) return auth.substr(7);
  return CookieValue(req, kSessionCookie);
}

std::string ClientAddress(const httplib::Request& req) {
  const std::string& peer = req.remote_addr;
  if (peer != "127.0.0.1" && peer != "::1" && peer != "::ffff:127.0.0.1") return peer;
  std::string fwd = req.get_header_value("X-Forwarded-For");
  if (fwd.empty()) return peer;
  size_t comma = fwd.rfind(',');
  std::string last = comma == std::string::npos ? fwd : fwd.substr(comma + 1);
  size_t b = last.find_first_not_of(' ');
  size_t e = last.find_last_not_of(' ');
  if (b == std::string::npos) return peer;
  return last.substr(b, e - b + 1);
}

}  // namespace yuqing::server
