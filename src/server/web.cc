// The web workbench: the files `npm run build` writes to web/dist, served at / with the
// security headers the application is built for (docs/web.md). Any path that is not a file
// and not under /api/ answers index.html, so the application's own routes (/cases/12) load
// directly. Registered after every API route: the first matching handler wins.
#include <fmt/format.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

namespace fs = std::filesystem;

// No inline or foreign scripts, no eval, no plugins, no framing: text from the internet
// rendered by mistake as markup can run nothing. Inline styles are allowed (charts and
// components position elements with style attributes); inline scripts are not.
constexpr const char* kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string ContentType(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map" || ext == ".geojson") {
    return "application/json; charset=utf-8";
  }
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".woff") return "font/woff";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  if (ext == ".webmanifest") return "application/manifest+json";
  return "application/octet-stream";
}

void SecurityHeaders(httplib::Response& res) {
  res.set_header("Content-Security-Policy", kContentSecurityPolicy);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Referrer-Policy", "no-referrer");
  res.set_header("X-Frame-Options", "DENY");
}

bool ReadWhole(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return static_cast<bool>(in) || in.eof();
}

// The page a server without the built application answers with (no scripts, nothing from the
// request in it).
constexpr const char* kNotBuilt = R"(<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>yuqing</title></head>
<body style="font-family:sans-serif;max-width:40em;margin:3em auto;line-height:1.6">
<h1>网页工作台尚未构建 · The web workbench is not built</h1>
<p>在代码目录运行 <code>make web</code>（即 <code>cd web &amp;&amp; npm ci &amp;&amp; npm run build</code>），
然后重启 <code>yuqing serve</code>；或用 <code>server.web_dir</code> 指向已构建的目录。</p>
<p>Run <code>make web</code> in the source tree (that is, <code>cd web &amp;&amp; npm ci &amp;&amp;
npm run build</code>) and restart <code>yuqing serve</code>, or point <code>server.web_dir</code>
at a built copy. The JSON API under <code>/api/</code> works without it (docs/api.md).</p>
</body></html>
)";

}  // namespace

void HttpServer::WebRoutes() {
  http_->Get("(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    if (path.starts_with("/api/") || path == "/api") {
      return SendError(res, 404, "no_such_endpoint",
                       fmt::format("no endpoint {} {}", req.method, req.path));
    }
    SecurityHeaders(res);
    const fs::path root(config_.web_dir);
    std::error_code ec;
    if (!fs::is_regular_file(root / "index.html", ec)) {
      res.status = 503;
      res.set_header("Cache-Control", "no-store");
      res.set_content(kNotBuilt, "text/html; charset=utf-8");
      return;
    }
    // Only plain relative paths below the root: no "..", no backslashes, no NULs.
    std::string rel = path.substr(1);
    bool plain = rel.find('\0') == std::string::npos && rel.find('\\') == std::string::npos;
    for (const auto& part : fs::path(rel)) {
      if (part == "..") plain = false;
    }
    if (!plain) {
      res.status = 404;
      res.set_content("not found\n", "text/plain; charset=utf-8");
      return;
    }
    fs::path file = rel.empty() ? root / "index.html" : root / rel;
    bool is_file = fs::is_regular_file(file, ec);
    if (!is_file) {
      // A missing asset is a 404; anything else is a route of the application.
      if (fs::path(rel).has_extension()) {
        res.status = 404;
        res.set_content("not found\n", "text/plain; charset=utf-8");
        return;
      }
      file = root / "index.html";
    }
    std::string body;
    if (!ReadWhole(file, body)) {
      res.status = 500;
      res.set_content("cannot read " + file.filename().string() + "\n",
                      "text/plain; charset=utf-8");
      return;
    }
    // Built assets carry a content hash in their names and never change; the page itself and
    // the replaceable map files are checked again each time.
    bool immutable = rel.starts_with("assets/") && is_file;
    res.set_header("Cache-Control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
    res.set_content(body, ContentType(file));
  });
}

}  // namespace yuqing::server
