// The messages an alert is delivered as (docs/alerts.md "Message formats"): generic JSON for
// a webhook, the markdown / rich-text messages of the WeCom, DingTalk and Feishu group robots,
// and an email. Built from the alert's columns and its payload (the event summary the event
// stage wrote), in Chinese (default) or English. Every message carries the outbox item's
// idempotency key, so a receiver can drop a repeat: an `Idempotency-Key` HTTP header, plus the
// body where the format allows (a JSON field; the robots' visible footer; an email's
// Message-ID and X-Yuqing-Idempotency-Key header).
//
// Payload text comes from the internet: it is escaped for markdown, cut on UTF-8 boundaries to
// the robots' size limits, and never put into a header unencoded. A payload that is not the
// expected JSON still gives a message (with the title only). Pure functions; `now` is the time
// signatures and the Date header use.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "model/alert.h"

namespace yuqing::alerts {

// A POST to a webhook or robot.
struct HttpMessage {
  std::string url;  // the target's address, with signing parameters added (DingTalk)
  std::vector<std::pair<std::string, std::string>> headers;  // includes Idempotency-Key
  std::string content_type = "application/json; charset=utf-8";
  std::string body;
};

// An email ready for SMTP: envelope and the whole RFC 5322 message (CRLF line ends).
struct EmailMessage {
  std::string from;             // envelope sender
  std::vector<std::string> to;  // envelope recipients
  std::string subject;          // UTF-8, as shown to the reader (encoded inside `data`)
  std::string data;             // headers, blank line, base64 body
};

// For the four HTTP kinds; InvalidArgument for an email item.
Result<HttpMessage> FormatHttp(const model::Alert& alert, const model::OutboxItem& item,
                               core::TimePoint now);

// A file sent with an email (a report's PDF and DOCX).
struct Attachment {
  std::string filename;  // UTF-8; encoded in the header (RFC 2231 / 2047)
  std::string mime_type;
  std::string bytes;
};

// For an email item; `from` is the sender address (alerts.smtp_from). With attachments the
// message is multipart/mixed (RFC 2046 §5.1.3): the text, then each file in base64.
Result<EmailMessage> FormatEmail(const model::Alert& alert, const model::OutboxItem& item,
                                 std::string_view from, core::TimePoint now,
                                 const std::vector<Attachment>& attachments = {});

// The report id of a report delivery or submission (an alert whose dedup_key begins
// "report:"), else 0.
int64_t ReportIdOf(const model::Alert& alert);
// The formats a report delivery asks to attach to emails ("pdf", "docx").
std::vector<std::string> ReportAttachments(const model::Alert& alert);

// The alert as plain text (email body, the "text" of the generic JSON), in its language.
std::string AlertText(const model::Alert& alert, std::string_view idempotency_key);

// --- Building blocks, exposed for tests.

// The longest prefix of `s` of at most `max_bytes` bytes that ends on a character boundary.
std::string_view TruncateUtf8(std::string_view s, size_t max_bytes);
// "=?UTF-8?B?…?=" encoded words (RFC 2047 §4.1, §5), each at most 75 characters, split on
// character boundaries and joined by CRLF SP (folding); ASCII-only text is returned as is.
std::string EncodeHeaderWord(std::string_view text);
// Standard base64 with padding (RFC 4648 §4).
std::string Base64(std::string_view bytes);
// Percent-encodes everything but the unreserved characters (RFC 3986 §2.3).
std::string UrlEncode(std::string_view text);
// HMAC-SHA256 (RFC 2104) of `data` under `key`, raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// RFC 5322 §3.3 date in UTC: "Sat, 21 Nov 2026 01:10:00 +0000".
std::string Rfc5322Date(core::TimePoint t);

// Message size limits of the robots, in bytes of the text they render.
inline constexpr size_t kWeComMarkdownLimit = 4096;  // "最长不超过4096个字节"
inline constexpr size_t kDingTalkTextLimit = 4096;   // kept as WeCom's; the body limit is 20000
inline constexpr size_t kFeishuTextLimit = 4096;     // request body must stay under 20 KB

}  // namespace yuqing::alerts
