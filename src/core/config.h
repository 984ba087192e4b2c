// The one configuration table: every option yuqing reads, with its default and its meaning.
// Loaded from a TOML file (config/yuqing.example.toml lists every key) and overridable by
// `--set key=value` flags. A Config is a plain value; copy it per component.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace yuqing::core {

struct Config {
  // [server]
  std::string listen = "127.0.0.1:8080";
  int server_threads = 8;
  // How long a login's session lasts (docs/accounts.md).
  int64_t session_hours = 12;
  // The web workbench (docs/web.md): the built application served at /, the Secure flag of the
  // session cookie ("auto": when the request came over HTTPS through a proxy that says so with
  // X-Forwarded-Proto), and failed-login limits per user name and per client address.
  std::string web_dir = "web/dist";
  std::string cookie_secure = "auto";
  int64_t login_failures_per_user = 10;
  int64_t login_failures_per_address = 30;
  int64_t login_window_minutes = 15;
  // [store]
  std::string db_path = "yuqing.db";
  // "full": fsync every committed batch (survives power loss); "normal": survives a crash
  // of the process (kill -9) but not of the machine.
  std::string sync = "full";
  // "jieba": index words from the segmenter (precise: 化工厂 does not match 工厂);
  // "bigram": overlapping character pairs (finds any substring of two or more characters).
  std::string index_tokenizer = "jieba";
  // [ingest]
  int64_t max_batch_records = 10000;
  int64_t max_request_bytes = 64 << 20;
  int64_t max_text_bytes = 1 << 20;
  int64_t batch_size = 2000;
  // [audit] (docs/audit.md): the Ed25519 key that signs checkpoints; "" = "<store.path>.audit-key",
  // created with mode 0600 on first use.
  std::string audit_key_file;
  // `yuqing serve` signs a checkpoint when this many entries were appended since the last one
  // (and at start and stop); 0 = only by `yuqing audit checkpoint`.
  int64_t audit_checkpoint_every = 1000;
  // [cases] (docs/cases.md): the deadline policy new cases get, as a JSON object over the
  // defaults ({"first_release": true} switches the 5-hour first release on); where case
  // notices (催办, 督办, 通报 proposals) go, as a JSON list of {"kind", "address", "secret",
  // "region"} targets; how often the server sweeps; alert policies whose alerts open a case.
  std::string cases_policy;
  std::string cases_notify;
  int64_t cases_sweep_every_s = 60;
  std::string cases_open_from_policies;  // "3,5": policy ids; "" none
  // [collect] the collectors `yuqing serve` and `yuqing collect` run (docs/collect.md).
  int64_t collect_threads = 4;  // collector threads of the server; 0: the server collects nothing
  int64_t collect_timeout_ms = 20000;
  int64_t collect_max_bytes = 16 << 20;
  int64_t collect_retries = 2;
  int64_t collect_per_host_interval_ms = 1000;
  std::string collect_robots = "on";
  std::string collect_user_agent = "yuqing/0.1 (+public-opinion monitoring)";
  // [log]
  std::string log_level = "info";
  // [ui]
  std::string language = "zh";
  // Reports (docs/reports.md): the masthead's office, the template file ("" the built-in
  // data/reports/default.html), the confidentiality mark and the zone days begin in.
  std::string reports_office = "舆情监测中心";
  std::string reports_template;
  std::string reports_mark = "内部资料";
  std::string reports_time_zone = "Asia/Shanghai";
  std::string reports_reference_docx;  // "" <data>/reports/reference.docx
  // The archive and its schedule (docs/reports.md "Archive and submission"): formats kept,
  // when the daily / weekly / monthly reports are made ("" for never), flash reports on
  // grades I/II, how often the server looks, where reports go (JSON list of {"kind",
  // "address", "secret", "kinds"}), the superior office they are submitted to (JSON {"name",
  // "department", "targets", "automatic"}), and the address links in messages start with.
  std::string reports_formats = "html,pdf,docx";
  std::string reports_daily = "08:00";
  std::string reports_weekly = "mon 08:30";
  std::string reports_monthly = "1 09:00";
  int64_t reports_flash = 1;
  int64_t reports_sweep_every_s = 60;
  std::string reports_deliver;
  std::string reports_superior;
  std::string reports_base_url;  // "" http://<server.listen>
  // [alerts] delivery of alerts (docs/alerts.md)
  std::string alerts_smtp_host;  // empty: email targets fail with "email is not configured"
  int64_t alerts_smtp_port = 25;
  std::string alerts_smtp_from = "yuqing@localhost";
  std::string alerts_smtp_user;
  std::string alerts_smtp_password;
  int64_t alerts_max_attempts = 8;
  int64_t alerts_retry_base_s = 5;
  int64_t alerts_retry_max_s = 600;
  int64_t alerts_http_timeout_s = 10;
  // [risk] risk grading thresholds (docs/events.md "Risk grading"): "I,II,III" — the value at
  // or above which a factor supports grade I, II, III; "-" for never.
  std::string risk_deaths = "30,10,3";
  std::string risk_injured = "100,50,10";
  std::string risk_loss_yuan = "100000000,50000000,10000000";
  std::string risk_heat = "-,80,60";
  std::string risk_posts_per_hour = "-,1000,200";
  int64_t risk_aggravators_to_escalate = 3;
  std::string risk_escalation_cap = "II";
};

// Parses a "I,II,III" threshold triple as written in [risk] ("-" = never, as +infinity).
// InvalidArgument unless three non-negative numbers (or "-") that do not increase.
Result<std::array<double, 3>> ParseGradeThresholds(std::string_view key, std::string_view value);

// One row of the configuration table.
struct ConfigOption {
  std::string_view key;  // "server.listen"
  std::string_view doc;
  std::function<Status(Config&, std::string_view)> set;
  std::function<std::string(const Config&)> get;
};

// Every option, in the order documented.
const std::vector<ConfigOption>& ConfigOptions();

// Reads a TOML file; unknown keys and wrong types are InvalidArgument with the key and line.
Result<Config> LoadConfigFile(const std::string& path, Config base = {});

// Applies "section.key=value". InvalidArgument names the key and what was expected.
Status ApplyConfigOverride(Config& config, std::string_view assignment);

}  // namespace yuqing::core
