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

// Lower-case hex SHA-256 of any bytes (e.g. the fingerprint of an organisation document).
std::string Sha256Hex(std::string_view bytes);

}  // namespace yuqing::server
