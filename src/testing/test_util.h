// Helpers shared by tests: temporary directories, paths to the source and build trees,
// polling with a deadline (tests never sleep to wait). Test-only code.
#pragma once

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

namespace yuqing::testing {

// A fresh directory under the system temp dir, removed with everything in it on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

// The repository root (from YQ_SOURCE_DIR, set by CTest).
std::filesystem::path SourceDir();
// The build directory (YQ_BINARY_DIR), where the yuqing binary lives.
std::filesystem::path BinaryDir();

// Writes `content` to `path`.
void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

// Calls `done` until it returns true or `timeout` passes; returns the last result.
bool PollUntil(const std::function<bool()>& done,
               std::chrono::milliseconds timeout = std::chrono::seconds(20));

}  // namespace yuqing::testing
