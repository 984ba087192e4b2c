#include "server/http_util.h"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <vector>

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

}  // namespace yuqing::server
