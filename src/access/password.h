// Passwords: hashing with Argon2id (libsodium's crypto_pwhash_str, interactive limits), the
// password policy, and generated passwords (the first administrator's). Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "core/status.h"

namespace yuqing::access {

// Argon2id with libsodium's interactive limits (OPSLIMIT_INTERACTIVE, MEMLIMIT_INTERACTIVE =
// 64 MiB): the encoded string carries its own salt and parameters, so stronger limits later
// still verify old hashes. Internal if libsodium fails (out of memory).
Result<std::string> HashPassword(std::string_view password);

// Whether `password` matches an encoded hash. A malformed hash never matches.
bool VerifyPassword(std::string_view encoded_hash, std::string_view password);

// NIST SP 800-63B §5.1.1.2 in spirit: length over composition rules. At least 10 and at most
// 128 characters, valid UTF-8, not the user name nor containing it, at least 4 different
// characters, not one of the most common passwords. InvalidArgument says which rule failed.
Status CheckPasswordPolicy(std::string_view password, std::string_view user_name);

// 20 random characters from an alphabet without look-alikes (0/O, 1/l/I); passes the policy.
std::string GeneratePassword();

}  // namespace yuqing::access
