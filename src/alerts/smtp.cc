#include "alerts/smtp.h"

#include <fmt/format.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>

namespace yuqing::alerts {
namespace {

// A connected socket, closed on destruction.
class Conn {
 public:
  explicit Conn(const SmtpOptions& o) : o_(o), where_(fmt::format("{}:{}", o.host, o.port)) {}
  ~Conn() {
    if (fd_ >= 0) ::close(fd_);
  }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;

  Status Connect() {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    std::string port = std::to_string(o_.port);
    int rc = ::getaddrinfo(o_.host.c_str(), port.c_str(), &hints, &list);
    if (rc != 0) {
      return Status::Unavailable(
          fmt::format("SMTP server {}: cannot resolve: {}", where_, ::gai_strerror(rc)));
    }
    std::string last = "no address";
    for (addrinfo* a = list; a != nullptr; a = a->ai_next) {
      int fd =
          ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
      if (fd < 0) continue;
      int r = ::connect(fd, a->ai_addr, a->ai_addrlen);
      if (r != 0 && errno == EINPROGRESS) {
        pollfd p{fd, POLLOUT, 0};
        int n = ::poll(&p, 1, TimeoutMs());
        int err = 0;
        socklen_t len = sizeof err;
        if (n == 1 && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
          r = 0;
        } else {
          errno = n == 0 ? ETIMEDOUT : (err != 0 ? err : errno);
        }
      }
      if (r == 0) {
        fd_ = fd;
        break;
      }
      last = std::strerror(errno);
      ::close(fd);
    }
    ::freeaddrinfo(list);
    if (fd_ < 0)
      return Status::Unavailable(fmt::format("cannot connect to SMTP server {}: {}", where_, last));
    return Status::Ok();
  }

  Status Send(std::string_view data) {
    while (!data.empty()) {
      pollfd p{fd_, POLLOUT, 0};
      int n = ::poll(&p, 1, TimeoutMs());
      if (n == 0)
        return Status::DeadlineExceeded(fmt::format("SMTP server {}: write timed out", where_));
      if (n < 0 && errno == EINTR) continue;
      ssize_t w = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return Status::Unavailable(fmt::format("SMTP server {}: {}", where_, std::strerror(errno)));
      }
      data.remove_prefix(static_cast<size_t>(w));
    }
    return Status::Ok();
  }

  // Reads one reply (all its lines); `code` receives its 3-digit code, `text` the lines.
  Status Reply(int& code, std::string& text) {
    text.clear();
    while (true) {
      std::string line;
      YQ_RETURN_IF_ERROR(ReadLine(line));
      if (line.size() < 3 || !std::isdigit(static_cast<unsigned char>(line[0]))) {
        return Status::Unavailable(
            fmt::format("SMTP server {} sent a malformed reply: {}", where_, line));
      }
      if (!text.empty()) text += " | ";
      text += line;
      if (line.size() == 3 || line[3] != '-') {
        code = std::stoi(line.substr(0, 3));
        return Status::Ok();
      }
      if (text.size() > 8192) {
        return Status::Unavailable(fmt::format("SMTP server {}: reply too long", where_));
      }
    }
  }

  // Sends `command` (without CRLF) and expects a reply with code `want` (or `want2`).
  Status Step(std::string_view command, std::string_view shown, int want, int want2 = 0,
              std::string* reply = nullptr) {
    if (!command.empty()) YQ_RETURN_IF_ERROR(Send(std::string(command) + "\r\n"));
    int code = 0;
    std::string text;
    YQ_RETURN_IF_ERROR(Reply(code, text));
    if (reply != nullptr) *reply = text;
    if (code != want && (want2 == 0 || code != want2)) {
      return Status::Unavailable(fmt::format("SMTP {} refused {}: {}", where_, shown, text));
    }
    return Status::Ok();
  }

 private:
  int TimeoutMs() const { return static_cast<int>(o_.timeout.count() * 1000); }

  Status ReadLine(std::string& line) {
    while (true) {
      size_t nl = buf_.find('\n');
      if (nl != std::string::npos) {
        line = buf_.substr(0, nl);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        buf_.erase(0, nl + 1);
        return Status::Ok();
      }
      if (buf_.size() > 4096) {
        return Status::Unavailable(fmt::format("SMTP server {}: reply line too long", where_));
      }
      pollfd p{fd_, POLLIN, 0};
      int n = ::poll(&p, 1, TimeoutMs());
      if (n == 0) {
        return Status::DeadlineExceeded(
            fmt::format("SMTP server {} did not answer within {} s", where_, o_.timeout.count()));
      }
      if (n < 0) {
        if (errno == EINTR) continue;
        return Status::Unavailable(fmt::format("SMTP server {}: {}", where_, std::strerror(errno)));
      }
      char chunk[1024];
      ssize_t r = ::recv(fd_, chunk, sizeof chunk, 0);
      if (r == 0) {
        return Status::Unavailable(fmt::format("SMTP server {} closed the connection", where_));
      }
      if (r < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        return Status::Unavailable(fmt::format("SMTP server {}: {}", where_, std::strerror(errno)));
      }
      buf_.append(chunk, static_cast<size_t>(r));
    }
  }

  const SmtpOptions& o_;
  std::string where_;
  int fd_ = -1;
  std::string buf_;
};

bool HasAuth(const std::string& ehlo, std::string_view mechanism) {
  // "250-AUTH LOGIN PLAIN" among the EHLO lines (keywords are case-insensitive).
  std::string upper;
  for (char c : ehlo) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  size_t pos = 0;
  while ((pos = upper.find("AUTH", pos)) != std::string::npos) {
    size_t end = upper.find(" | ", pos);
    std::string_view line = std::string_view(upper).substr(pos, end - pos);
    if (line.find(mechanism) != std::string_view::npos) return true;
    pos += 4;
  }
  return false;
}

bool Clean(std::string_view s) { return s.find_first_of("\r\n<>") == std::string_view::npos; }

}  // namespace

std::string DotStuff(std::string_view data) {
  std::string out;
  out.reserve(data.size() + 8);
  bool line_start = true;
  for (size_t i = 0; i < data.size(); ++i) {
    char c = data[i];
    if (line_start && c == '.') out += '.';
    if (c == '\n') {
      if (out.empty() || out.back() != '\r') out += '\r';
      out += '\n';
      line_start = true;
      continue;
    }
    if (c == '\r' && (i + 1 >= data.size() || data[i + 1] != '\n')) {
      out += "\r\n";  // a bare CR becomes a line end
      line_start = true;
      continue;
    }
    out += c;
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

Status SendMail(const SmtpOptions& o, const EmailMessage& m) {
  if (o.host.empty()) {
    return Status::FailedPrecondition(
        "email is not configured: set alerts.smtp_host (and alerts.smtp_from)");
  }
  if (!Clean(m.from) || !Clean(o.helo_name)) {
    return Status::InvalidArgument("sender or HELO name contains a line break or angle bracket");
  }
  for (const auto& to : m.to) {
    if (!Clean(to))
      return Status::InvalidArgument(fmt::format("recipient \"{}\" is malformed", to));
  }
  Conn c(o);
  YQ_RETURN_IF_ERROR(c.Connect());
  YQ_RETURN_IF_ERROR(c.Step("", "the connection", 220));
  std::string ehlo;
  Status hello = c.Step("EHLO " + o.helo_name, "EHLO", 250, 0, &ehlo);
  if (!hello.ok()) {
    if (hello.code() != StatusCode::kUnavailable) return hello;
    YQ_RETURN_IF_ERROR(c.Step("HELO " + o.helo_name, "HELO", 250));
  }
  if (!o.user.empty()) {
    if (HasAuth(ehlo, "PLAIN")) {
      std::string token = Base64(std::string(1, '\0') + o.user + std::string(1, '\0') + o.password);
      YQ_RETURN_IF_ERROR(c.Step("AUTH PLAIN " + token, "AUTH PLAIN", 235));
    } else if (HasAuth(ehlo, "LOGIN")) {
      YQ_RETURN_IF_ERROR(c.Step("AUTH LOGIN", "AUTH LOGIN", 334));
      YQ_RETURN_IF_ERROR(c.Step(Base64(o.user), "the AUTH LOGIN user", 334));
      YQ_RETURN_IF_ERROR(c.Step(Base64(o.password), "the AUTH LOGIN password", 235));
    } else {
      return Status::Unavailable(fmt::format(
          "SMTP {}:{} offers neither AUTH PLAIN nor AUTH LOGIN (without TLS); alerts.smtp_user is "
          "set",
          o.host, o.port));
    }
  }
  YQ_RETURN_IF_ERROR(
      c.Step(fmt::format("MAIL FROM:<{}>", m.from), fmt::format("MAIL FROM:<{}>", m.from), 250));
  for (const auto& to : m.to) {
    YQ_RETURN_IF_ERROR(
        c.Step(fmt::format("RCPT TO:<{}>", to), fmt::format("RCPT TO:<{}>", to), 250, 251));
  }
  YQ_RETURN_IF_ERROR(c.Step("DATA", "DATA", 354));
  YQ_RETURN_IF_ERROR(c.Send(DotStuff(m.data)));
  YQ_RETURN_IF_ERROR(c.Step("", "the message", 250));
  // The message is accepted; a failing QUIT changes nothing.
  (void)c.Step("QUIT", "QUIT", 221);
  return Status::Ok();
}

}  // namespace yuqing::alerts
