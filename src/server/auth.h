// API tokens: generation and hashing. A token is "yq_" followed by 43 URL-safe characters
// (32 random bytes); only its SHA-256 is stored, so a copied database leaks no credentials.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::server {

// A new random token (libsodium's CSPRNG).
Result<std::string> NewApiToken();

// Lower-case hex SHA-256 of the token, as kept in the store.
std::string HashApiToken(std::string_view token);

// The CSRF token of a browser session: derived from the session's secret (the cookie, which
// scripts cannot read), so the server keeps nothing more and a page gets it at login or from
// GET /api/v1/me. 32 hex characters.
std::string CsrfToken(std::string_view session_secret);

// The name of the browser session cookie.
inline constexpr std::string_view kSessionCookie = "yq_session";

// Lower-case hex SHA-256 of any bytes (e.g. the fingerprint of an organisation document).
std::string Sha256Hex(std::string_view bytes);

}  // namespace yuqing::server
