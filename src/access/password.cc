#include "access/password.h"

#include <fmt/format.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <set>

#include "core/utf8.h"

namespace yuqing::access {
namespace {

bool Init() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// A few of the passwords every list of leaked passwords starts with; a longer list would
// belong in data/ (DOMAIN.md: offices reuse "admin123"-style defaults).
constexpr std::array<std::string_view, 12> kCommon = {
    "1234567890", "12345678910",  "qwertyuiop", "password123", "admin12345",   "administrator",
    "0123456789", "1qaz2wsx3edc", "abcdefghij", "iloveyou123", "password1234", "a123456789"};

}  // namespace

Result<std::string> HashPassword(std::string_view password) {
  if (!Init()) return Status::Internal("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return Status::Internal("password hashing ran out of memory");
  }
  return std::string(out);
}

bool VerifyPassword(std::string_view encoded_hash, std::string_view password) {
  if (!Init()) return false;
  if (encoded_hash.empty() || encoded_hash.size() >= crypto_pwhash_STRBYTES) return false;
  std::string h(encoded_hash);  // NUL-terminated for libsodium
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

Status CheckPasswordPolicy(std::string_view password, std::string_view user_name) {
  if (!core::IsValidUtf8(password)) {
    return Status::InvalidArgument("the password is not valid UTF-8");
  }
  size_t chars = core::CountCodePoints(password);
  if (chars < 10) {
    return Status::InvalidArgument(
        fmt::format("the password has {} characters; at least 10 are needed", chars));
  }
  if (chars > 128) {
    return Status::InvalidArgument(
        fmt::format("the password has {} characters; at most 128 are allowed", chars));
  }
  std::string lower = Lower(password);
  if (!user_name.empty() && lower.find(Lower(user_name)) != std::string::npos) {
    return Status::InvalidArgument("the password must not contain the user name");
  }
  std::set<char32_t> distinct;
  for (size_t pos = 0; pos < password.size();) distinct.insert(core::DecodeUtf8(password, pos));
  if (distinct.size() < 4) {
    return Status::InvalidArgument("the password needs at least 4 different characters");
  }
  for (std::string_view common : kCommon) {
    if (lower == common) {
      return Status::InvalidArgument("the password is one of the most common passwords");
    }
  }
  return Status::Ok();
}

std::string GeneratePassword() {
  (void)Init();
  static constexpr std::string_view kAlphabet =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
  std::string out;
  for (int i = 0; i < 20; ++i) {
    out += kAlphabet[randombytes_uniform(static_cast<uint32_t>(kAlphabet.size()))];
  }
  return out;
}

}  // namespace yuqing::access
