// The one table from Status codes to HTTP statuses and stable error names, and the one JSON
// shape every error takes: {"error":{"code":"…","message":"…","details":…}}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::server {

struct HttpError {
  int http_status;
  std::string_view code;  // stable name clients may switch on
};

HttpError ToHttpError(StatusCode code);

// {"error":{"code":code,"message":message[,"details":details]}}
nlohmann::json ErrorBody(std::string_view code, std::string_view message,
                         const nlohmann::json& details = nullptr);

}  // namespace yuqing::server
