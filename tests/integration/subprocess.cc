#include "subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <regex>
#include <thread>

#include "testing/test_util.h"

namespace yuqing::testing {

Subprocess::Subprocess(std::vector<std::string> argv, const std::string& stdin_data) {
  int err[2], out[2], in[2];
  if (pipe(err) != 0 || pipe(out) != 0 || pipe(in) != 0) std::abort();
  pid_ = fork();
  if (pid_ == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    close(in[1]);
    close(out[0]);
    close(err[0]);
    std::vector<char*> args;
    for (auto& a : argv) args.push_back(a.data());
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  // Feed stdin from a thread so a large input cannot dead-lock against full output pipes.
  feeder_ = std::thread([fd = in[1], data = stdin_data] {
    size_t off = 0;
    while (off < data.size()) {
      ssize_t n = write(fd, data.data() + off, data.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(fd);
  });
  err_fd_ = err[0];
  out_fd_ = out[0];
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
}

Subprocess::~Subprocess() {
  if (!exited_) {
    kill(pid_, SIGKILL);
    Wait();
  }
  if (feeder_.joinable()) feeder_.join();
  close(err_fd_);
  close(out_fd_);
}

void Subprocess::Signal(int sig) { kill(pid_, sig); }

void Subprocess::Drain() {
  char buf[65536];
  for (auto [fd, s] : {std::pair{err_fd_, &err_}, std::pair{out_fd_, &out_}}) {
    while (true) {
      ssize_t n = read(fd, buf, sizeof buf);
      if (n <= 0) break;
      s->append(buf, static_cast<size_t>(n));
    }
  }
}

int Subprocess::Wait(std::chrono::milliseconds timeout) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!exited_) {
    Drain();
    pid_t r = waitpid(pid_, &status_, WNOHANG);
    if (r == pid_) {
      exited_ = true;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) return -1;
    pollfd fds[2] = {{err_fd_, POLLIN, 0}, {out_fd_, POLLIN, 0}};
    poll(fds, 2, 10);
  }
  Drain();
  if (WIFEXITED(status_)) return WEXITSTATUS(status_);
  if (WIFSIGNALED(status_)) return 128 + WTERMSIG(status_);
  return -1;
}

const std::string& Subprocess::Stderr() {
  Drain();
  return err_;
}

const std::string& Subprocess::Stdout() {
  Drain();
  return out_;
}

RunResult RunCommand(std::vector<std::string> argv, const std::string& stdin_data) {
  Subprocess p(std::move(argv), stdin_data);
  int code = p.Wait(std::chrono::minutes(5));
  return {code, p.Stdout(), p.Stderr()};
}

std::string YuqingBinary() { return (BinaryDir() / "yuqing").string(); }

std::string CreateApiToken(const std::string& db, const std::string& name) {
  // The token acts as an administrator made for the tests (once per database).
  RunResult exists = RunCommand({YuqingBinary(), "users", "show", "it-admin", "--db", db});
  if (exists.code != 0) {
    RunResult u = RunCommand({YuqingBinary(), "users", "add", "it-admin", "--role", "admin",
                              "--password-stdin", "--db", db},
                             "integration-test-password\n");
    if (u.code != 0) return "";
  }
  RunResult t =
      RunCommand({YuqingBinary(), "tokens", "create", name, "--user", "it-admin", "--db", db});
  if (t.code != 0) return "";
  return t.out.substr(0, t.out.find('\n'));
}

std::unique_ptr<Subprocess> StartServer(const std::string& db, int* port) {
  return StartServer(db, port, {});
}

std::unique_ptr<Subprocess> StartServer(const std::string& db, int* port,
                                        const std::vector<std::string>& extra) {
  std::vector<std::string> argv = {YuqingBinary(), "serve",       "--db",   db,
                                   "--listen",     "127.0.0.1:0", "--lang", "en"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  auto p = std::make_unique<Subprocess>(argv);
  std::regex re("http://127\\.0\\.0\\.1:(\\d+)");
  *port = 0;
  PollUntil([&] {
    std::string err = p->Stderr();  // the match is read while `err` is alive
    std::smatch m;
    if (!std::regex_search(err, m, re)) return false;
    *port = std::stoi(m[1].str());
    return true;
  });
  return p;
}

}  // namespace yuqing::testing
