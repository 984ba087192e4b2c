#include "core/config.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <charconv>
#include <limits>

namespace yuqing::core {
namespace {

Status ParseInt(std::string_view key, std::string_view v, int64_t min, int64_t max, int64_t& out) {
  int64_t x = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
  if (ec != std::errc() || p != v.data() + v.size()) {
    return Status::InvalidArgument(fmt::format("option {}: \"{}\" is not an integer", key, v));
  }
  if (x < min || x > max) {
    return Status::InvalidArgument(
        fmt::format("option {}: {} is out of range [{}, {}]", key, x, min, max));
  }
  out = x;
  return Status::Ok();
}

ConfigOption IntOption(std::string_view key, std::string_view doc, int64_t min, int64_t max,
                       int64_t Config::*field) {
  return {key, doc,
          [=](Config& c, std::string_view v) { return ParseInt(key, v, min, max, c.*field); },
          [=](const Config& c) { return std::to_string(c.*field); }};
}

ConfigOption StringOption(std::string_view key, std::string_view doc, std::string Config::*field,
                          std::vector<std::string_view> allowed = {}) {
  return {key, doc,
          [=](Config& c, std::string_view v) -> Status {
            if (!allowed.empty()) {
              bool ok = false;
              for (auto a : allowed) ok = ok || a == v;
              if (!ok) {
                return Status::InvalidArgument(fmt::format("option {}: \"{}\" is not one of {}",
                                                           key, v, fmt::join(allowed, ", ")));
              }
            }
            c.*field = std::string(v);
            return Status::Ok();
          },
          [=](const Config& c) { return c.*field; }};
}

ConfigOption ThresholdOption(std::string_view key, std::string_view doc,
                             std::string Config::*field) {
  return {key, doc,
          [=](Config& c, std::string_view v) -> Status {
            YQ_RETURN_IF_ERROR(ParseGradeThresholds(key, v).status());
            c.*field = std::string(v);
            return Status::Ok();
          },
          [=](const Config& c) { return c.*field; }};
}

}  // namespace

Result<std::array<double, 3>> ParseGradeThresholds(std::string_view key, std::string_view value) {
  std::array<double, 3> out{};
  std::string_view rest = value;
  for (int i = 0; i < 3; ++i) {
    size_t comma = rest.find(',');
    std::string_view part = rest.substr(0, comma);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    bool last = comma == std::string_view::npos;
    if ((i < 2 && last) || (i == 2 && !last)) {
      return Status::InvalidArgument(fmt::format(
          "option {}: \"{}\" is not three thresholds \"I,II,III\" (e.g. \"30,10,3\"; - for never)",
          key, value));
    }
    if (part == "-") {
      out[i] = std::numeric_limits<double>::infinity();
    } else {
      double x = 0;
      auto [p, ec] = std::from_chars(part.data(), part.data() + part.size(), x);
      if (ec != std::errc() || p != part.data() + part.size() || x < 0) {
        return Status::InvalidArgument(fmt::format(
            "option {}: \"{}\" in \"{}\" is not a non-negative number or -", key, part, value));
      }
      out[i] = x;
    }
    if (!last) rest.remove_prefix(comma + 1);
  }
  if (out[0] < out[1] || out[1] < out[2]) {
    return Status::InvalidArgument(fmt::format(
        "option {}: \"{}\": the threshold of a more severe grade cannot be lower", key, value));
  }
  return out;
}

const std::vector<ConfigOption>& ConfigOptions() {
  static const std::vector<ConfigOption> kOptions = [] {
    std::vector<ConfigOption> o;
    o.push_back(
        StringOption("server.listen", "address:port the HTTP server listens on", &Config::listen));
    o.push_back({"server.threads", "worker threads answering HTTP requests",
                 [](Config& c, std::string_view v) {
                   int64_t x = 0;
                   YQ_RETURN_IF_ERROR(ParseInt("server.threads", v, 1, 256, x));
                   c.server_threads = static_cast<int>(x);
                   return Status::Ok();
                 },
                 [](const Config& c) { return std::to_string(c.server_threads); }});
    o.push_back(IntOption("server.session_hours", "how long a login's session lasts, hours", 1,
                          24 * 90, &Config::session_hours));
    o.push_back(StringOption("server.web_dir",
                             "the built web workbench (npm run build in web/) served at /",
                             &Config::web_dir));
    o.push_back(StringOption("server.cookie_secure",
                             "Secure flag of the session cookie: auto = when X-Forwarded-Proto "
                             "says https; always; never",
                             &Config::cookie_secure, {"auto", "always", "never"}));
    o.push_back(IntOption("server.login_failures_per_user",
                          "failed logins of one user name within the window before refusing", 1,
                          100000, &Config::login_failures_per_user));
    o.push_back(IntOption("server.login_failures_per_address",
                          "failed logins from one client address within the window before "
                          "refusing",
                          1, 100000, &Config::login_failures_per_address));
    o.push_back(IntOption("server.login_window_minutes", "the window of the failed-login limits", 1,
                          24 * 60, &Config::login_window_minutes));
    o.push_back(StringOption("store.path", "SQLite database file", &Config::db_path));
    o.push_back(StringOption("store.sync",
                             "full = fsync each batch (survives power loss); normal = survives "
                             "a process crash only",
                             &Config::sync, {"full", "normal"}));
    o.push_back(StringOption("store.index_tokenizer",
                             "jieba = index words; bigram = index character pairs (a change "
                             "needs a re-index)",
                             &Config::index_tokenizer, {"jieba", "bigram"}));
    o.push_back(IntOption("ingest.max_batch_records", "records accepted in one request or batch", 1,
                          1000000, &Config::max_batch_records));
    o.push_back(IntOption("ingest.max_request_bytes", "largest request body, bytes (413 above)",
                          1024, int64_t{1} << 32, &Config::max_request_bytes));
    o.push_back(IntOption("ingest.max_text_bytes", "largest text or title of one post, bytes", 64,
                          int64_t{1} << 28, &Config::max_text_bytes));
    o.push_back(IntOption("ingest.batch_size", "posts written per transaction by file import", 1,
                          100000, &Config::batch_size));
    o.push_back(StringOption("audit.key_file",
                             "Ed25519 key signing audit checkpoints; empty: <store.path>.audit-key",
                             &Config::audit_key_file));
    o.push_back(IntOption("audit.checkpoint_every",
                          "entries between checkpoints signed by the server; 0: by command only", 0,
                          100000000, &Config::audit_checkpoint_every));
    o.push_back(StringOption("cases.policy",
                             "deadline policy of new cases: a JSON object over the defaults, e.g. "
                             "{\"first_release\": true}; empty: the defaults (24 h / 48 h)",
                             &Config::cases_policy));
    o.push_back(StringOption("cases.notify",
                             "where case notices go: a JSON list of {\"kind\", \"address\", "
                             "\"secret\", \"region\"}; empty: notices are only listed",
                             &Config::cases_notify));
    o.push_back(IntOption("cases.sweep_every_s",
                          "seconds between deadline and supervision sweeps of the server; 0: off",
                          0, 86400, &Config::cases_sweep_every_s));
    o.push_back(StringOption("cases.open_from_policies",
                             "alert policy ids (comma-separated) whose alerts open a case "
                             "automatically; empty: cases are opened by people",
                             &Config::cases_open_from_policies));
    o.push_back(IntOption("collect.threads",
                          "collector threads of the server (one source runs on one thread at a "
                          "time); 0: the server collects nothing",
                          0, 256, &Config::collect_threads));
    o.push_back(IntOption("collect.timeout_ms",
                          "longest time one HTTP request of a collector may take, connection "
                          "included, milliseconds",
                          100, 600000, &Config::collect_timeout_ms));
    o.push_back(IntOption("collect.max_bytes", "largest answer a collector reads, bytes", 1024,
                          int64_t{1} << 30, &Config::collect_max_bytes));
    o.push_back(IntOption("collect.retries",
                          "retries of a request after a transport error, 5xx or 429 (with "
                          "doubling backoff)",
                          0, 10, &Config::collect_retries));
    o.push_back(IntOption("collect.per_host_interval_ms",
                          "least time between two requests to one host, milliseconds", 0, 600000,
                          &Config::collect_per_host_interval_ms));
    o.push_back(StringOption("collect.robots", "honour robots.txt: on or off",
                             &Config::collect_robots, {"on", "off"}));
    o.push_back(StringOption("collect.user_agent", "User-Agent of the collectors' requests",
                             &Config::collect_user_agent));
    o.push_back(StringOption("log.level", "trace, debug, info, warn, error or off",
                             &Config::log_level,
                             {"trace", "debug", "info", "warn", "error", "off"}));
    o.push_back(StringOption("ui.language", "interface language: zh or en", &Config::language,
                             {"zh", "en"}));
    o.push_back(StringOption("reports.office", "the office named in the masthead of reports",
                             &Config::reports_office));
    o.push_back(StringOption("reports.template",
                             "report template file with {{placeholders}}; empty: the built-in "
                             "data/reports/default.html",
                             &Config::reports_template));
    o.push_back(StringOption("reports.mark", "confidentiality mark printed on reports; empty: none",
                             &Config::reports_mark));
    o.push_back(StringOption("reports.reference_docx",
                             "Word styles of DOCX reports; empty: data/reports/reference.docx",
                             &Config::reports_reference_docx));
    o.push_back(StringOption("reports.time_zone",
                             "zone report days begin in (Asia/Shanghai or an offset like +08:00)",
                             &Config::reports_time_zone));
    o.push_back(
        StringOption("reports.formats",
                     "formats archived reports are kept in: html, pdf, docx (comma-separated)",
                     &Config::reports_formats));
    o.push_back(StringOption("reports.daily",
                             "time of day (HH:MM, reports.time_zone) the daily report of the day "
                             "before is made; empty: never",
                             &Config::reports_daily));
    o.push_back(StringOption("reports.weekly",
                             "weekday and time the weekly report of the week before is made "
                             "(\"mon 08:30\"); empty: never",
                             &Config::reports_weekly));
    o.push_back(StringOption("reports.monthly",
                             "day of the month (1-28) and time the monthly report of the month "
                             "before is made (\"1 09:00\"); empty: never",
                             &Config::reports_monthly));
    o.push_back(IntOption("reports.flash",
                          "1: a flash report as soon as an event is graded I or II; 0: none", 0, 1,
                          &Config::reports_flash));
    o.push_back(IntOption("reports.sweep_every_s",
                          "seconds between the server's looks at the report schedule; 0: off", 0,
                          86400, &Config::reports_sweep_every_s));
    o.push_back(StringOption("reports.deliver",
                             "where archived reports go: JSON list of {\"kind\", \"address\", "
                             "\"secret\", \"kinds\"}; email gets the PDF and DOCX attached",
                             &Config::reports_deliver));
    o.push_back(StringOption("reports.superior",
                             "the superior office reports are submitted to: JSON {\"name\", "
                             "\"department\", \"targets\", \"automatic\"}; empty: none",
                             &Config::reports_superior));
    o.push_back(StringOption("reports.base_url",
                             "address links in report messages start with; empty: "
                             "http://<server.listen>",
                             &Config::reports_base_url));
    o.push_back(StringOption("alerts.smtp_host",
                             "SMTP server for alert emails (no TLS yet: a relay on the local "
                             "network); empty: email targets fail",
                             &Config::alerts_smtp_host));
    o.push_back(IntOption("alerts.smtp_port", "port of the SMTP server", 1, 65535,
                          &Config::alerts_smtp_port));
    o.push_back(StringOption("alerts.smtp_from", "sender address of alert emails",
                             &Config::alerts_smtp_from));
    o.push_back(StringOption("alerts.smtp_user", "SMTP AUTH user; empty: no AUTH",
                             &Config::alerts_smtp_user));
    o.push_back(
        StringOption("alerts.smtp_password", "SMTP AUTH password", &Config::alerts_smtp_password));
    o.push_back(IntOption("alerts.max_attempts",
                          "attempts per delivery before it becomes a dead letter", 1, 100,
                          &Config::alerts_max_attempts));
    o.push_back(IntOption("alerts.retry_base_s",
                          "delay before the first retry, seconds (doubles "
                          "with each failure)",
                          1, 86400, &Config::alerts_retry_base_s));
    o.push_back(IntOption("alerts.retry_max_s", "longest delay between retries, seconds", 1, 604800,
                          &Config::alerts_retry_max_s));
    o.push_back(IntOption("alerts.http_timeout_s",
                          "timeout of one webhook or SMTP step (connect, read, write), seconds", 1,
                          300, &Config::alerts_http_timeout_s));
    o.push_back(ThresholdOption("risk.deaths",
                                "deaths + missing reported supporting grades I,II,III",
                                &Config::risk_deaths));
    o.push_back(ThresholdOption("risk.injured", "injured reported supporting grades I,II,III",
                                &Config::risk_injured));
    o.push_back(ThresholdOption("risk.loss_yuan",
                                "direct economic loss (yuan) supporting grades I,II,III",
                                &Config::risk_loss_yuan));
    o.push_back(
        ThresholdOption("risk.heat", "heat index supporting grades I,II,III", &Config::risk_heat));
    o.push_back(ThresholdOption("risk.posts_per_hour",
                                "posts in the last hour supporting grades I,II,III",
                                &Config::risk_posts_per_hour));
    o.push_back(IntOption("risk.aggravators_to_escalate",
                          "aggravating factors that raise the grade one level", 1, 20,
                          &Config::risk_aggravators_to_escalate));
    o.push_back(StringOption("risk.escalation_cap",
                             "most severe grade escalation alone can reach: I, II, III or IV",
                             &Config::risk_escalation_cap, {"I", "II", "III", "IV"}));
    return o;
  }();
  return kOptions;
}

Status ApplyConfigOverride(Config& config, std::string_view assignment) {
  auto eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return Status::InvalidArgument(fmt::format("\"{}\": expected section.key=value", assignment));
  }
  std::string_view key = assignment.substr(0, eq);
  std::string_view value = assignment.substr(eq + 1);
  for (const auto& opt : ConfigOptions()) {
    if (opt.key == key) return opt.set(config, value);
  }
  return Status::InvalidArgument(fmt::format("unknown option \"{}\"", key));
}

Result<Config> LoadConfigFile(const std::string& path, Config base) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status::InvalidArgument(fmt::format("{}:{}:{}: {}", path, e.source().begin.line,
                                               e.source().begin.column, e.description()));
  }
  Status status;
  for (auto&& [section, node] : table) {
    const toml::table* sub = node.as_table();
    if (sub == nullptr) {
      return Status::InvalidArgument(fmt::format("{}:{}: \"{}\" must be a [section]", path,
                                                 node.source().begin.line, section.str()));
    }
    for (auto&& [name, value] : *sub) {
      std::string key = fmt::format("{}.{}", section.str(), name.str());
      std::string text;
      if (auto s = value.value<std::string>(); s && value.is_string()) {
        text = *s;
      } else if (value.is_integer()) {
        text = std::to_string(*value.value<int64_t>());
      } else if (value.is_boolean()) {
        text = *value.value<bool>() ? "true" : "false";
      } else {
        return Status::InvalidArgument(fmt::format("{}:{}: option {} must be a string or integer",
                                                   path, value.source().begin.line, key));
      }
      Status s = ApplyConfigOverride(base, fmt::format("{}={}", key, text));
      if (!s.ok()) return s.WithContext(fmt::format("{}:{}", path, value.source().begin.line));
    }
  }
  return base;
}

}  // namespace yuqing::core
