// HTTP for the collectors, with libcurl: a total timeout (so a server that answers one byte
// at a time is cut off), a maximum body size, a redirect limit, retries with exponential
// backoff for transport errors, 5xx and 429, conditional GET (If-None-Match /
// If-Modified-Since → 304), a per-host rate limit shared by every collector thread, and
// robots.txt honoured per host (cached). Only http and https are fetched.
//
// Thread safety: one HttpFetcher is shared by all collector threads; Fetch may be called
// concurrently (each call uses its own curl handle; the rate limiter and robots cache lock).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace yuqing::collect {

struct FetchOptions {
  std::chrono::milliseconds timeout{20000};  // whole request, connect included
  std::chrono::milliseconds connect_timeout{5000};
  int64_t max_bytes = 16 << 20;  // a larger body is refused
  int max_redirects = 5;
  int retries = 2;                                    // after the first attempt
  std::chrono::milliseconds backoff{500};             // doubles per retry
  std::chrono::milliseconds per_host_interval{1000};  // at least this between two requests
  bool honour_robots = true;
  std::string user_agent = "yuqing/0.1 (+public-opinion monitoring)";
};

struct FetchRequest {
  std::string url;
  std::string etag;           // If-None-Match when set
  std::string last_modified;  // If-Modified-Since when set
};

struct FetchResponse {
  long status = 0;   // 200, 304, …
  std::string body;  // raw bytes
  std::string content_type;
  std::string etag;
  std::string last_modified;
  std::string final_url;  // after redirects
  int attempts = 0;
};

// Pure: whether `path` (with query) may be fetched under `robots_txt` by `agent`: the group
// naming the agent (case-insensitive substring of the token) or else `*`; the longest
// matching Allow / Disallow prefix wins, Allow on a tie; `*` and `$` are honoured.
bool RobotsAllow(std::string_view robots_txt, std::string_view agent, std::string_view path);

class HttpFetcher {
 public:
  explicit HttpFetcher(FetchOptions options);

  // A 2xx or 304 answer. Errors name the URL's problem:
  //   DeadlineExceeded `timed out after 20000 ms`, ResourceExhausted `answer larger than
  //   16777216 bytes`, Unavailable `HTTP 500` / `connection refused …` (after the retries),
  //   FailedPrecondition `too many redirects (more than 5)` / `disallowed by robots.txt` /
  //   `HTTP 404`.
  Result<FetchResponse> Fetch(const FetchRequest& request);

  const FetchOptions& options() const { return options_; }

 private:
  Result<FetchResponse> Once(const FetchRequest& request, std::chrono::milliseconds timeout);
  Status CheckRobots(const std::string& url);
  void WaitForHost(const std::string& host);

  FetchOptions options_;
  std::mutex mu_;
  std::map<std::string, std::chrono::steady_clock::time_point> next_slot_;  // guarded by mu_
  struct Robots {
    std::string text;  // "" allows everything
    std::chrono::steady_clock::time_point fetched_at;
  };
  std::map<std::string, Robots> robots_;  // by scheme://host:port; guarded by mu_
};

// "http://host:port" of a URL, "" for one that has none.
std::string Origin(std::string_view url);

}  // namespace yuqing::collect
