#include "server/auth.h"

#include <sodium.h>

namespace yuqing::server {

Result<std::string> NewApiToken() {
  if (sodium_init() < 0) return Status::Internal("libsodium failed to initialise");
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char b64[sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(b64, sizeof b64, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return "yq_" + std::string(b64);
}

std::string HashApiToken(std::string_view token) { return Sha256Hex(token); }

std::string CsrfToken(std::string_view session_secret) {
  std::string in = "yuqing csrf v1\n";
  in += session_secret;
  return Sha256Hex(in).substr(0, 32);
}

std::string Sha256Hex(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, digest, sizeof digest);
  return hex;
}

}  // namespace yuqing::server
