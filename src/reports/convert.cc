// Running Chromium, pandoc and rsvg-convert. posix_spawnp with an argument vector (no shell,
// so nothing in a report can become a command), output to /dev/null unless captured, and a
// deadline after which the child is killed.
#include "reports/convert.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

extern char** environ;

namespace yuqing::reports {
namespace {

namespace fs = std::filesystem;

// The tool on PATH (or the path itself); "" when absent.
std::string Which(const std::string& name) {
  if (name.find('/') != std::string::npos) return ::access(name.c_str(), X_OK) == 0 ? name : "";
  const char* path = std::getenv("PATH");
  std::stringstream ss(path != nullptr ? path : "/usr/bin:/bin");
  std::string dir;
  while (std::getline(ss, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir;
    candidate += '/';
    candidate += name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

Status Missing(const std::string& tool, std::string_view package) {
  return Status::FailedPrecondition(fmt::format(
      "\"{}\" was not found on PATH; install the Debian package {} (apt-get install {}) or run "
      "scripts/setup.sh",
      tool, package, package));
}

// Runs argv; its standard output into *captured when given (else /dev/null). Unavailable with
// the tool's exit status, or DeadlineExceeded after the timeout.
Status Run(const std::vector<std::string>& argv, std::chrono::seconds timeout,
           std::string* captured = nullptr) {
  int pipefd[2] = {-1, -1};
  if (captured != nullptr && ::pipe(pipefd) != 0) return Status::Internal("pipe failed");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (captured != nullptr) {
    posix_spawn_file_actions_adddup2(&actions, pipefd[1], 1);
    posix_spawn_file_actions_addclose(&actions, pipefd[0]);
    posix_spawn_file_actions_addclose(&actions, pipefd[1]);
  } else {
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  }
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  std::vector<char*> args;
  args.reserve(argv.size() + 1);
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (captured != nullptr) ::close(pipefd[1]);
  if (rc != 0) {
    if (captured != nullptr) ::close(pipefd[0]);
    return Status::Unavailable(fmt::format("cannot start \"{}\": error {}", argv[0], rc));
  }
  if (captured != nullptr) {
    // The captured tools (fc-list) print little; read until EOF, then reap.
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipefd[0], buf, sizeof buf)) > 0)
      captured->append(buf, static_cast<size_t>(n));
    ::close(pipefd[0]);
  }
  auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  while (true) {
    pid_t w = ::waitpid(pid, &status, WNOHANG);
    if (w == pid) break;
    if (w < 0) return Status::Internal(fmt::format("waiting for \"{}\" failed", argv[0]));
    if (std::chrono::steady_clock::now() > deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      return Status::DeadlineExceeded(
          fmt::format("\"{}\" did not finish within {} s", argv[0], timeout.count()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Unavailable(fmt::format("\"{}\" failed (exit status {})", argv[0],
                                           WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return Status::Ok();
}

Status WriteFile(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) return Status::Unavailable(fmt::format("cannot write \"{}\"", path.string()));
  return Status::Ok();
}

Result<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Unavailable(fmt::format("cannot read \"{}\"", path.string()));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A temporary directory removed on destruction.
class WorkDir {
 public:
  WorkDir() {
    std::string tmpl = (fs::temp_directory_path() / "yuqing-report-XXXXXX").string();
    std::vector<char> buf(tmpl.begin(), tmpl.end());
    buf.push_back('\0');
    if (::mkdtemp(buf.data()) != nullptr) path_ = buf.data();
  }
  ~WorkDir() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
  bool ok() const { return !path_.empty(); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

Result<std::string> Pdf(const std::string& html, const ConvertOptions& c) {
  YQ_RETURN_IF_ERROR(CheckTools(Format::kPdf, c));
  WorkDir dir;
  if (!dir.ok()) return Status::Unavailable("cannot create a temporary directory");
  fs::path in = dir.path() / "report.html", out = dir.path() / "report.pdf";
  YQ_RETURN_IF_ERROR(WriteFile(in, html));
  YQ_RETURN_IF_ERROR(
      Run({Which(c.chromium), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
           "--no-pdf-header-footer", "--user-data-dir=" + (dir.path() / "profile").string(),
           "--print-to-pdf=" + out.string(), "file://" + in.string()},
          c.timeout));
  if (!fs::exists(out) || fs::file_size(out) == 0) {
    return Status::Unavailable("chromium finished without writing the PDF");
  }
  return ReadFile(out);
}

Result<std::string> Docx(const Report& report, const Template& tmpl, const RenderOptions& options,
                         const ConvertOptions& c) {
  YQ_RETURN_IF_ERROR(CheckTools(Format::kDocx, c));
  RenderOptions o = options;
  o.charts = ChartMode::kImages;
  YQ_ASSIGN_OR_RETURN(RenderedHtml rendered, RenderHtml(report, tmpl, o));
  WorkDir dir;
  if (!dir.ok()) return Status::Unavailable("cannot create a temporary directory");
  for (const auto& [name, svg] : rendered.charts) {
    fs::path svg_path = dir.path() / (name + ".svg");
    YQ_RETURN_IF_ERROR(WriteFile(svg_path, svg));
    // Twice the SVG's width, so the image stays sharp when Word scales it to the page.
    YQ_RETURN_IF_ERROR(Run({Which(c.rsvg), "-w", "1280", "-o",
                            (dir.path() / (name + ".png")).string(), svg_path.string()},
                           c.timeout));
  }
  fs::path in = dir.path() / "report.html", out = dir.path() / "report.docx";
  YQ_RETURN_IF_ERROR(WriteFile(in, rendered.html));
  std::vector<std::string> argv = {Which(c.pandoc), "--from=html", "--to=docx",
                                   "--resource-path=" + dir.path().string(),
                                   "--output=" + out.string()};
  std::error_code ec;
  if (!c.reference_docx.empty() && fs::exists(c.reference_docx, ec)) {
    argv.push_back("--reference-doc=" + c.reference_docx);
  }
  argv.push_back(in.string());
  YQ_RETURN_IF_ERROR(Run(argv, c.timeout));
  return ReadFile(out);
}

}  // namespace

std::optional<Format> ParseFormat(std::string_view name) {
  if (name == "html") return Format::kHtml;
  if (name == "pdf") return Format::kPdf;
  if (name == "docx") return Format::kDocx;
  return std::nullopt;
}

std::string_view FormatName(Format f) {
  return f == Format::kHtml ? "html" : f == Format::kPdf ? "pdf" : "docx";
}

std::string_view FormatMimeType(Format f) {
  return f == Format::kHtml  ? "text/html; charset=utf-8"
         : f == Format::kPdf ? "application/pdf"
                             : "application/vnd.openxmlformats-officedocument.wordprocessingml."
                               "document";
}

Status CheckTools(Format format, const ConvertOptions& c) {
  if (format == Format::kPdf) {
    if (Which(c.chromium).empty()) return Missing(c.chromium, "chromium");
    if (Which("fc-list").empty()) return Missing("fc-list", "fontconfig");
    std::string fonts;
    YQ_RETURN_IF_ERROR(
        Run({Which("fc-list"), ":lang=zh", "family"}, std::chrono::seconds(30), &fonts));
    if (fonts.find("Noto Serif CJK") == std::string::npos &&
        fonts.find("Noto Sans CJK") == std::string::npos) {
      return Status::FailedPrecondition(
          "no Noto CJK font is installed, so Chinese text would print as empty boxes; install "
          "the Debian package fonts-noto-cjk (apt-get install fonts-noto-cjk)");
    }
  }
  if (format == Format::kDocx) {
    if (Which(c.pandoc).empty()) return Missing(c.pandoc, "pandoc");
    if (Which(c.rsvg).empty()) return Missing(c.rsvg, "librsvg2-bin");
  }
  return Status::Ok();
}

Result<std::string> RenderReport(const Report& report, const Template& tmpl,
                                 const RenderOptions& options, Format format,
                                 const ConvertOptions& convert) {
  if (format == Format::kDocx) return Docx(report, tmpl, options, convert);
  RenderOptions o = options;
  o.charts = ChartMode::kInlineSvg;
  YQ_ASSIGN_OR_RETURN(RenderedHtml rendered, RenderHtml(report, tmpl, o));
  if (format == Format::kHtml) return std::move(rendered.html);
  return Pdf(rendered.html, convert);
}

Status WriteReport(const Report& report, const Template& tmpl, const RenderOptions& options,
                   Format format, const std::string& path, const ConvertOptions& convert) {
  YQ_ASSIGN_OR_RETURN(std::string bytes, RenderReport(report, tmpl, options, format, convert));
  fs::path target(path);
  fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
  std::string tmpl_name = (dir / ("." + target.filename().string() + ".XXXXXX")).string();
  std::vector<char> buf(tmpl_name.begin(), tmpl_name.end());
  buf.push_back('\0');
  int fd = ::mkstemp(buf.data());
  if (fd < 0) {
    return Status::Unavailable(fmt::format("cannot write in \"{}\"", dir.string()));
  }
  std::string tmp = buf.data();
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  ::fchmod(fd, 0644);
  bool ok = done == bytes.size() && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || std::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return Status::Unavailable(fmt::format("cannot write \"{}\"", path));
  }
  return Status::Ok();
}

}  // namespace yuqing::reports
