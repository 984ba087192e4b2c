// Helpers shared by the HTTP handlers: JSON answers, errors in the one shape (errors.h) and
// reading request bodies. Internal to server/.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "access/access.h"
#include "core/status.h"
#include "model/event.h"
#include "model/rule.h"
#include "store/events_store.h"

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace yuqing::server {

void SendJson(httplib::Response& res, int status, const nlohmann::json& body);
// The error for `s` by the table in errors.cc.
void SendError(httplib::Response& res, const Status& s, const nlohmann::json& details = nullptr);
void SendError(httplib::Response& res, int http_status, std::string_view code,
               std::string_view message, const nlohmann::json& details = nullptr);

// The column a parser or rule-check message starts with ("column 12: …"), or 0.
int ColumnOf(const std::string& message);

// {"id", "name", "terms": [distinct terms, in order], "matches": [{"field", "begin", "end",
// "term"}…]}: a rule that matched a post and where (byte offsets in the field).
nlohmann::json RuleHitJson(const model::RuleHit& hit, std::string_view rule_name);

// The number in the path's capture group `index` (the routes' patterns allow digits only).
int64_t PathId(const httplib::Request& req, int index = 1);

// The event `id` if the principal may see it: a leader or coordinator only sees events naming
// a region within its scope. NotFound `no event with id 7` for a missing event and for one
// outside the scope alike, so its existence is not shown either.
Result<model::EventRecord> EventInScope(store::EventStore& events, const access::Principal& who,
                                        int64_t id);

// The value of cookie `name` in the request's Cookie header, or "" when absent.
std::string CookieValue(const httplib::Request& req, std::string_view name);

// The token a request presents: the bearer token, else the session cookie; "" when none.
std::string PresentedToken(const httplib::Request& req);

// The client's address: the peer, or, when the peer is a proxy on this machine (loopback), the
// last address of its X-Forwarded-For (the one that proxy added).
std::string ClientAddress(const httplib::Request& req);

// The body as a JSON object; InvalidArgument `the body is not a JSON object: …` otherwise.
Result<nlohmann::json> JsonObjectBody(const httplib::Request& req);

}  // namespace yuqing::server
