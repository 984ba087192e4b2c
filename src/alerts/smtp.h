// A small SMTP client (RFC 5321) for alert emails: EHLO (HELO if refused), AUTH PLAIN or
// LOGIN when a user is configured (RFC 4954, 4616), MAIL FROM, RCPT TO, DATA with dot-stuffing
// (RFC 5321 §4.5.2), QUIT. No TLS yet (no STARTTLS, no implicit TLS): use a relay on the local
// network or host, and note that AUTH then travels unencrypted (docs/alerts.md "Email").
// Blocking, every step under one timeout. Thread-safe (no shared state).
#pragma once

#include <chrono>
#include <string>

#include "alerts/format.h"
#include "core/status.h"

namespace yuqing::alerts {

struct SmtpOptions {
  std::string host;  // empty: email is not configured
  int port = 25;
  std::string user;  // empty: no AUTH
  std::string password;
  std::string helo_name = "yuqing";  // the name this client gives in EHLO
  std::chrono::seconds timeout{10};  // connect, and each reply
};

// Sends one message. FailedPrecondition when no host is configured; Unavailable when the
// server cannot be reached, or refuses a step — with the step and the server's reply:
// `SMTP 127.0.0.1:2525 refused RCPT TO:<a@b.c>: 550 5.1.1 mailbox unavailable`.
Status SendMail(const SmtpOptions& options, const EmailMessage& message);

// The DATA payload: lines ending CRLF, a leading "." doubled, ended by CRLF "." CRLF.
std::string DotStuff(std::string_view data);

}  // namespace yuqing::alerts
