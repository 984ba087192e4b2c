// A child process for integration tests: started with arguments, its stderr (and stdout)
// captured through pipes, killed with any signal, waited for with a deadline.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace yuqing::testing {

class Subprocess {
 public:
  // Starts `argv[0]` with the arguments; stdin is /dev/null unless `stdin_data` is given.
  explicit Subprocess(std::vector<std::string> argv, const std::string& stdin_data = "");
  ~Subprocess();
  Subprocess(const Subprocess&) = delete;
  Subprocess& operator=(const Subprocess&) = delete;

  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Waits for exit; returns the exit code, 128+signal if killed, or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // Reads whatever stderr has produced so far (non-blocking) and returns all of it.
  const std::string& Stderr();
  const std::string& Stdout();

 private:
  void Drain();
  pid_t pid_ = -1;
  int err_fd_ = -1;
  int out_fd_ = -1;
  std::string err_, out_;
  std::thread feeder_;  // writes stdin, ends when the pipe closes
  bool exited_ = false;
  int status_ = 0;
};

// Runs to completion and returns {exit code, stdout, stderr}.
struct RunResult {
  int code;
  std::string out;
  std::string err;
};
RunResult RunCommand(std::vector<std::string> argv, const std::string& stdin_data = "");

// The `yuqing` binary of this build.
std::string YuqingBinary();

// Creates an API token named `name` in `db` with the CLI and returns it ("" on failure).
std::string CreateApiToken(const std::string& db, const std::string& name);

// Starts `yuqing serve --db DB --listen 127.0.0.1:0 --lang en` and waits (polling, 20 s at
// most) until it prints its address; `*port` receives the port, 0 if it did not come up.
std::unique_ptr<Subprocess> StartServer(const std::string& db, int* port);
// The same with more arguments for `serve` ("--set", "key=value", …).
std::unique_ptr<Subprocess> StartServer(const std::string& db, int* port,
                                        const std::vector<std::string>& extra);

}  // namespace yuqing::testing
