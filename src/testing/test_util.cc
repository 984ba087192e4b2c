#include "testing/test_util.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

namespace yuqing::testing {

TempDir::TempDir() {
  std::random_device rd;
  auto base = std::filesystem::temp_directory_path();
  for (int i = 0; i < 100; ++i) {
    auto candidate = base / ("yuqing-test-" + std::to_string(getpid()) + "-" +
                             std::to_string(rd() % 1000000000u));
    if (std::filesystem::create_directory(candidate)) {
      path_ = candidate;
      return;
    }
  }
  std::abort();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

static std::filesystem::path EnvPath(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::filesystem::path(v) : std::filesystem::path(fallback);
}

std::filesystem::path SourceDir() { return EnvPath("YQ_SOURCE_DIR", "."); }
std::filesystem::path BinaryDir() { return EnvPath("YQ_BINARY_DIR", "build/release"); }

void WriteFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary);
  out << content;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool PollUntil(const std::function<bool()>& done, std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
}

}  // namespace yuqing::testing
