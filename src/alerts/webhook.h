// Sends an HttpMessage (format.h) with cpp-httplib's client, over http or https (Debian's
// cpp-httplib is built with OpenSSL; certificates are checked against the system's CA store).
// Delivered means a 2xx answer — and for the WeCom, DingTalk and Feishu robots also an answer
// whose JSON "errcode" / "code" is 0, since they report refusals (bad signature, rate limit,
// keyword missing) with HTTP 200. Any other outcome is Unavailable with what happened, for the
// outbox's last_error: `HTTP 500 from 127.0.0.1:8080: <start of the body>`,
// `DingTalk refused the message: errcode 310000: sign not match`,
// `cannot connect to 127.0.0.1:9: Connection`. Blocks for at most about twice `timeout`.
// Thread-safe (no shared state).
#pragma once

#include <chrono>

#include "alerts/format.h"
#include "core/status.h"
#include "model/alert.h"

namespace yuqing::alerts {

struct HttpOptions {
  std::chrono::seconds timeout{10};  // connect, and then each read and write
};

Status PostMessage(const HttpMessage& message, model::TargetKind kind, const HttpOptions& options);

}  // namespace yuqing::alerts
