#include "audit/key_file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace yuqing::audit {
namespace {

std::string Errno() { return std::strerror(errno); }

Status WriteAll(int fd, std::string_view data, const std::string& path) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status::Internal(fmt::format("cannot write key file \"{}\": {}", path, Errno()));
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  return Status::Ok();
}

}  // namespace

std::string DefaultKeyPath(std::string_view db_path) { return std::string(db_path) + ".audit-key"; }

Result<SigningKey> ReadKeyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) {
      return Status::NotFound(fmt::format("audit key file \"{}\" does not exist", path));
    }
    return Status::FailedPrecondition(
        fmt::format("cannot open audit key file \"{}\": {}", path, Errno()));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    std::string err = Errno();
    ::close(fd);
    return Status::FailedPrecondition(fmt::format("cannot stat \"{}\": {}", path, err));
  }
  // Like ssh with its private keys: a key others could read (or replace) signs nothing.
  if ((st.st_mode & 077) != 0) {
    ::close(fd);
    return Status::FailedPrecondition(fmt::format(
        "audit key file \"{}\" has mode {:04o}: others may read or change it; run chmod 600 \"{}\"",
        path, st.st_mode & 07777, path));
  }
  std::string text;
  char buf[4096];
  while (true) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      std::string err = Errno();
      ::close(fd);
      sodium_memzero(buf, sizeof buf);
      return Status::FailedPrecondition(fmt::format("cannot read \"{}\": {}", path, err));
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
    if (text.size() > 65536) break;  // not a key file; FromText will say so
  }
  ::close(fd);
  sodium_memzero(buf, sizeof buf);
  auto key = SigningKey::FromText(text);
  sodium_memzero(text.data(), text.size());
  if (!key.ok()) return key.status().WithContext(fmt::format("audit key file \"{}\"", path));
  return key;
}

Result<SigningKey> LoadOrCreateKeyFile(const std::string& path, bool* created) {
  if (created != nullptr) *created = false;
  auto existing = ReadKeyFile(path);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;

  YQ_ASSIGN_OR_RETURN(SigningKey key, SigningKey::Generate());
  // Write a private temporary file, then link() it into place: link fails if the key file
  // appeared meanwhile, so a concurrent creator's key is never overwritten and nobody reads a
  // half-written key.
  std::string tmp = fmt::format("{}.tmp-{}", path, ::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    return Status::FailedPrecondition(
        fmt::format("cannot create audit key file \"{}\": {}", tmp, Errno()));
  }
  std::string text = key.ToText();
  Status w = WriteAll(fd, text, tmp);
  sodium_memzero(text.data(), text.size());
  if (w.ok() && ::fsync(fd) != 0) {
    w = Status::Internal(fmt::format("cannot sync \"{}\": {}", tmp, Errno()));
  }
  ::close(fd);
  if (w.ok() && ::link(tmp.c_str(), path.c_str()) != 0) {
    if (errno == EEXIST) {
      ::unlink(tmp.c_str());
      return ReadKeyFile(path);
    }
    w = Status::FailedPrecondition(
        fmt::format("cannot create audit key file \"{}\": {}", path, Errno()));
  }
  ::unlink(tmp.c_str());
  if (!w.ok()) return w;
  if (created != nullptr) *created = true;
  return key;
}

}  // namespace yuqing::audit
