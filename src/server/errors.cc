#include "server/errors.h"

namespace yuqing::server {

HttpError ToHttpError(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return {200, "ok"};
    case StatusCode::kInvalidArgument:
      return {400, "invalid_argument"};
    case StatusCode::kUnauthenticated:
      return {401, "unauthenticated"};
    case StatusCode::kPermissionDenied:
      return {403, "permission_denied"};
    case StatusCode::kNotFound:
      return {404, "not_found"};
    case StatusCode::kAlreadyExists:
      return {409, "already_exists"};
    case StatusCode::kFailedPrecondition:
      return {409, "failed_precondition"};
    case StatusCode::kResourceExhausted:
      return {429, "resource_exhausted"};
    case StatusCode::kUnavailable:
      return {503, "unavailable"};
    case StatusCode::kDeadlineExceeded:
      return {504, "deadline_exceeded"};
    case StatusCode::kInternal:
      return {500, "internal"};
  }
  return {500, "internal"};
}

nlohmann::json ErrorBody(std::string_view code, std::string_view message,
                         const nlohmann::json& details) {
  nlohmann::json e = {{"code", code}, {"message", message}};
  if (!details.is_null()) e["details"] = details;
  return {{"error", std::move(e)}};
}

}  // namespace yuqing::server
