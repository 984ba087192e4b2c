#include "collect/fetch.h"

#include <curl/curl.h>
#include <fmt/format.h>

#include <memory>
#include <thread>
#include <vector>

namespace yuqing::collect {
namespace {

void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) {
    s.remove_suffix(1);
  }
  return s;
}

struct Transfer {
  std::string body;
  int64_t max_bytes = 0;
  bool too_large = false;
  std::string content_type, etag, last_modified;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  size_t len = size * n;
  if (static_cast<int64_t>(t->body.size() + len) > t->max_bytes) {
    t->too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  t->body.append(data, len);
  return len;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  auto* t = static_cast<Transfer*>(user);
  std::string_view line(data, size * n);
  if (line.starts_with("HTTP/")) {  // a new answer (after a redirect): forget the last one's
    t->content_type.clear();
    t->etag.clear();
    t->last_modified.clear();
    t->body.clear();
    return size * n;
  }
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return size * n;
  std::string name = Lower(Trim(line.substr(0, colon)));
  std::string value(Trim(line.substr(colon + 1)));
  if (name == "content-type") t->content_type = value;
  if (name == "etag") t->etag = value;
  if (name == "last-modified") t->last_modified = value;
  return size * n;
}

// The path and query of a URL ("/" when none).
std::string PathOf(std::string_view url) {
  size_t scheme = url.find("://");
  size_t start = scheme == std::string_view::npos ? 0 : url.find('/', scheme + 3);
  if (start == std::string_view::npos) return "/";
  std::string_view p = url.substr(start);
  size_t hash = p.find('#');
  return std::string(p.substr(0, hash));
}

// Whether `pattern` (robots.txt: `*` any run, `$` end) matches the start of `path`; the match
// length for precedence.
bool RobotsMatch(std::string_view pattern, std::string_view path) {
  if (pattern.empty()) return false;
  size_t pi = 0, si = 0, star_p = std::string_view::npos, star_s = 0;
  while (true) {
    if (pi == pattern.size()) return true;
    if (pattern[pi] == '$' && pi + 1 == pattern.size()) return si == path.size();
    if (pattern[pi] == '*') {
      star_p = pi++;
      star_s = si;
      continue;
    }
    if (si < path.size() && pattern[pi] == path[si]) {
      ++pi;
      ++si;
      continue;
    }
    if (star_p != std::string_view::npos && star_s < path.size()) {
      pi = star_p + 1;
      si = ++star_s;
      continue;
    }
    return false;
  }
}

}  // namespace

std::string Origin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  size_t end = url.find_first_of("/?#", scheme + 3);
  return Lower(url.substr(0, end));
}

bool RobotsAllow(std::string_view robots_txt, std::string_view agent, std::string_view path) {
  std::string me = Lower(agent);
  // Groups: the user-agent lines that open them, then their rules.
  struct Rule {
    bool allow;
    std::string pattern;
  };
  std::vector<Rule> mine, star;
  bool have_mine = false;
  std::vector<std::string> agents;
  bool in_rules = false;
  std::vector<Rule> group;
  auto close_group = [&] {
    for (const auto& a : agents) {
      if (a == "*") {
        star.insert(star.end(), group.begin(), group.end());
      } else if (!me.empty() && me.find(a) != std::string::npos) {
        have_mine = true;
        mine.insert(mine.end(), group.begin(), group.end());
      }
    }
    agents.clear();
    group.clear();
  };
  size_t pos = 0;
  while (pos <= robots_txt.size()) {
    size_t nl = robots_txt.find('\n', pos);
    std::string_view line =
        robots_txt.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? robots_txt.size() + 1 : nl + 1;
    if (size_t hash = line.find('#'); hash != std::string_view::npos) line = line.substr(0, hash);
    size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    std::string key = Lower(Trim(line.substr(0, colon)));
    std::string value(Trim(line.substr(colon + 1)));
    if (key == "user-agent") {
      if (in_rules) close_group();
      in_rules = false;
      agents.push_back(Lower(value));
    } else if (key == "allow" || key == "disallow") {
      in_rules = true;
      if (key == "disallow" && value.empty()) continue;  // "Disallow:" allows all
      group.push_back({key == "allow", value});
    }
  }
  close_group();
  const std::vector<Rule>& rules = have_mine ? mine : star;
  size_t best = 0;
  bool allowed = true;
  for (const Rule& r : rules) {
    if (!RobotsMatch(r.pattern, path)) continue;
    if (r.pattern.size() > best || (r.pattern.size() == best && r.allow)) {
      best = r.pattern.size();
      allowed = r.allow;
    }
  }
  return allowed;
}

HttpFetcher::HttpFetcher(FetchOptions options) : options_(std::move(options)) { GlobalInit(); }

void HttpFetcher::WaitForHost(const std::string& host) {
  std::chrono::steady_clock::time_point slot;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto now = std::chrono::steady_clock::now();
    auto& next = next_slot_[host];
    slot = std::max(now, next);
    next = slot + options_.per_host_interval;
  }
  std::this_thread::sleep_until(slot);
}

Result<FetchResponse> HttpFetcher::Once(const FetchRequest& request,
                                        std::chrono::milliseconds timeout) {
  std::unique_ptr<CURL, void (*)(CURL*)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return Status::Internal("libcurl could not make a handle");
  Transfer t;
  t.max_bytes = options_.max_bytes;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, static_cast<long>(options_.max_redirects));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_bytes));
  curl_easy_setopt(c, CURLOPT_USERAGENT, options_.user_agent.c_str());
  curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");  // gzip / deflate / br as curl supports
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &t);
  struct curl_slist* headers = nullptr;
  if (!request.etag.empty()) {
    headers = curl_slist_append(headers, ("If-None-Match: " + request.etag).c_str());
  }
  if (!request.last_modified.empty()) {
    headers = curl_slist_append(headers, ("If-Modified-Since: " + request.last_modified).c_str());
  }
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> header_list(headers, curl_slist_free_all);
  if (headers != nullptr) curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  CURLcode rc = curl_easy_perform(c);
  if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    return Status::ResourceExhausted(
        fmt::format("answer larger than {} bytes", options_.max_bytes));
  }
  if (rc == CURLE_OPERATION_TIMEDOUT) {
    return Status::DeadlineExceeded(fmt::format("timed out after {} ms", timeout.count()));
  }
  if (rc == CURLE_TOO_MANY_REDIRECTS) {
    return Status::FailedPrecondition(
        fmt::format("too many redirects (more than {})", options_.max_redirects));
  }
  if (rc == CURLE_UNSUPPORTED_PROTOCOL || rc == CURLE_URL_MALFORMAT) {
    return Status::InvalidArgument(fmt::format("cannot fetch: {}", curl_easy_strerror(rc)));
  }
  if (rc != CURLE_OK) return Status::Unavailable(curl_easy_strerror(rc));
  FetchResponse out;
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  char* final_url = nullptr;
  curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final_url);
  out.final_url = final_url != nullptr ? final_url : request.url;
  out.body = std::move(t.body);
  out.content_type = std::move(t.content_type);
  out.etag = std::move(t.etag);
  out.last_modified = std::move(t.last_modified);
  return out;
}

Status HttpFetcher::CheckRobots(const std::string& url) {
  std::string origin = Origin(url);
  if (origin.empty()) return Status::InvalidArgument("not an http or https URL");
  std::string text;
  bool cached = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = robots_.find(origin);
    if (it != robots_.end() &&
        std::chrono::steady_clock::now() - it->second.fetched_at < std::chrono::hours(1)) {
      text = it->second.text;
      cached = true;
    }
  }
  if (!cached) {
    WaitForHost(origin);
    // Missing (4xx) or unreachable robots.txt allows everything (RFC 9309 §2.3.1.3 for 4xx).
    auto r = Once({origin + "/robots.txt", "", ""}, options_.timeout);
    if (r.ok() && r->status >= 200 && r->status < 300) text = r->body;
    std::lock_guard<std::mutex> lock(mu_);
    robots_[origin] = {text, std::chrono::steady_clock::now()};
  }
  if (!RobotsAllow(text, "yuqing", PathOf(url))) {
    return Status::FailedPrecondition("disallowed by robots.txt");
  }
  return Status::Ok();
}

Result<FetchResponse> HttpFetcher::Fetch(const FetchRequest& request) {
  std::string origin = Origin(request.url);
  if (origin.empty() || !(origin.starts_with("http://") || origin.starts_with("https://"))) {
    return Status::InvalidArgument(fmt::format("\"{}\" is not an http or https URL", request.url));
  }
  if (options_.honour_robots) YQ_RETURN_IF_ERROR(CheckRobots(request.url));
  Status last;
  auto backoff = options_.backoff;
  for (int attempt = 0; attempt <= options_.retries; ++attempt) {
    if (attempt > 0) {
      std::this_thread::sleep_for(backoff);
      backoff *= 2;
    }
    WaitForHost(origin);
    auto r = Once(request, options_.timeout);
    if (r.ok()) {
      r->attempts = attempt + 1;
      if ((r->status >= 200 && r->status < 300) || r->status == 304) return r;
      if (r->status >= 500 || r->status == 429) {
        last = Status::Unavailable(fmt::format("HTTP {}", r->status));
        continue;
      }
      return Status::FailedPrecondition(fmt::format("HTTP {}", r->status));
    }
    last = r.status();
    // Only transport failures are worth another try; size, redirects and bad URLs are not.
    if (last.code() != StatusCode::kUnavailable && last.code() != StatusCode::kDeadlineExceeded) {
      return last;
    }
  }
  if (options_.retries == 0) return last;
  return Status(last.code(),
                fmt::format("{} (after {} attempts)", last.message(), options_.retries + 1));
}

}  // namespace yuqing::collect
