// The monitoring-rule endpoints (docs/api.md, "Monitoring rules"): rules and keyword lists are
// checked, stored, and then made live by reloading the RuleSync, so the answer is sent after
// the change is in effect for new posts.
#include <fmt/format.h>
#include <httplib.h>

#include <charconv>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <utility>

#include "collect/post_json.h"
#include "core/log.h"
#include "core/time.h"
#include "rules/rule_check.h"
#include "server/http_server.h"
#include "server/http_util.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

json RuleJson(const model::Rule& r, const pipeline::RuleSync* sync) {
  json j = {{"id", r.id},
            {"name", r.name},
            {"query", r.query},
            {"owner", r.owner},
            {"tags", r.tags},
            {"enabled", r.enabled},
            {"created_at", core::FormatIso8601(r.created_at)},
            {"updated_at", core::FormatIso8601(r.updated_at)}};
  // Whether new posts are matched against it now: enabled, checked and loaded.
  if (sync != nullptr) j["active"] = sync->engine().Snapshot()->Find(r.id) != nullptr;
  return j;
}

json ListJson(const model::KeywordList& l) {
  return {{"name", l.name}, {"words", l.words}, {"updated_at", core::FormatIso8601(l.updated_at)}};
}

// Reads optional field `name` of `body` into `out`. InvalidArgument names the field.
Status ReadString(const json& body, const char* name, std::string& out) {
  if (!body.contains(name)) return Status::Ok();
  if (!body[name].is_string()) {
    return Status::InvalidArgument(fmt::format("field \"{}\": expected a string", name));
  }
  out = body[name].get<std::string>();
  return Status::Ok();
}

Status ReadStrings(const json& body, const char* name, std::vector<std::string>& out) {
  if (!body.contains(name)) return Status::Ok();
  const json& v = body[name];
  bool ok = v.is_array();
  for (size_t i = 0; ok && i < v.size(); ++i) ok = v[i].is_string();
  if (!ok) {
    return Status::InvalidArgument(fmt::format("field \"{}\": expected an array of strings", name));
  }
  out = v.get<std::vector<std::string>>();
  return Status::Ok();
}

// Applies the fields present in `body` to `rule`.
Status ReadRuleFields(const json& body, model::Rule& rule) {
  YQ_RETURN_IF_ERROR(ReadString(body, "name", rule.name));
  YQ_RETURN_IF_ERROR(ReadString(body, "query", rule.query));
  YQ_RETURN_IF_ERROR(ReadString(body, "owner", rule.owner));
  YQ_RETURN_IF_ERROR(ReadStrings(body, "tags", rule.tags));
  if (body.contains("enabled")) {
    if (!body["enabled"].is_boolean()) {
      return Status::InvalidArgument("field \"enabled\": expected true or false");
    }
    rule.enabled = body["enabled"].get<bool>();
  }
  return Status::Ok();
}

// 400 invalid_rule with the column of the problem (0 when it concerns the whole rule).
void SendInvalidRule(httplib::Response& res, const Status& s) {
  SendError(res, 400, "invalid_rule", s.message(), {{"column", ColumnOf(s.message())}});
}

}  // namespace

void HttpServer::ReloadRules() {
  if (rules_ == nullptr) return;
  auto reloaded = rules_->Reload();
  if (!reloaded.ok()) YQ_LOG_WARN("reloading monitoring rules: {}", reloaded.status().message());
}

void HttpServer::RuleRoutes() {
  Route("GET", "/api/v1/rules", access::Permission::kReadRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto all = store_.ListRules();
          if (!all.ok()) return SendError(res, all.status());
          // What each rule caught lately: posts published in the last 24 hours and 7 days.
          const core::TimePoint now = clock_.Now();
          std::map<int64_t, int64_t> day, week;
          for (auto [hours, into] : {std::pair{24, &day}, std::pair{24 * 7, &week}}) {
            auto counts = store_.CountRuleHits(now - std::chrono::hours(hours), std::nullopt);
            if (!counts.ok()) return SendError(res, counts.status());
            into->insert(counts->begin(), counts->end());
          }
          json rules = json::array();
          for (const auto& r : *all) {
            json j = RuleJson(r, rules_);
            j["hits_24h"] = day.contains(r.id) ? day[r.id] : 0;
            j["hits_7d"] = week.contains(r.id) ? week[r.id] : 0;
            rules.push_back(std::move(j));
          }
          SendJson(res, 200, {{"rules", std::move(rules)}});
        });

  Route("POST", "/api/v1/rules", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          model::Rule rule;
          if (Status s = ReadRuleFields(*body, rule); !s.ok()) {
            return SendError(res, 400, "invalid_body", s.message());
          }
          if (rule.name.empty() || rule.query.empty()) {
            return SendError(res, 400, "invalid_body",
                             "fields \"name\" and \"query\" are required");
          }
          auto checked = rules::CheckRule(
              0, rule.query,
              (rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_)));
          if (!checked.ok()) return SendInvalidRule(res, checked.status());
          auto created = store_.CreateRule(rule, clock_.Now());
          if (!created.ok()) return SendError(res, created.status());
          ReloadRules();
          SendJson(res, 201, RuleJson(*created, rules_));
        });

  Route("POST", "/api/v1/rules/test", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          std::string query;
          pipeline::TrialOptions trial;
          std::string from, to;
          Status s = ReadString(*body, "query", query);
          if (s.ok()) s = ReadString(*body, "from", from);
          if (s.ok()) s = ReadString(*body, "to", to);
          if (s.ok() && body->contains("rule")) {
            const json& r = (*body)["rule"];
            Result<std::optional<model::Rule>> stored = std::optional<model::Rule>();
            if (r.is_number_integer()) {
              stored = store_.GetRule(r.get<int64_t>());
            } else if (r.is_string()) {
              stored = store_.GetRuleByName(r.get<std::string>());
            } else {
              s = Status::InvalidArgument("field \"rule\": expected a rule id or name");
            }
            if (s.ok() && !stored.ok()) return SendError(res, stored.status());
            if (s.ok() && !*stored) {
              return SendError(res, Status::NotFound(fmt::format("no rule {}", r.dump())));
            }
            if (s.ok()) query = (*stored)->query;
          }
          if (s.ok() && body->contains("samples")) {
            const json& n = (*body)["samples"];
            if (!n.is_number_integer() || n.get<int64_t>() < 0 || n.get<int64_t>() > 100) {
              s = Status::InvalidArgument("field \"samples\": expected an integer from 0 to 100");
            } else {
              trial.samples = n.get<int>();
            }
          }
          if (s.ok() && query.empty()) {
            s = Status::InvalidArgument(
                "give the rule to test as \"query\" or \"rule\" (id or name)");
          }
          if (!s.ok()) return SendError(res, 400, "invalid_body", s.message());
          for (auto [text, field, name] :
               {std::tuple{&from, &trial.from, "from"}, std::tuple{&to, &trial.to, "to"}}) {
            if (text->empty()) continue;
            auto t = core::ParseIso8601(*text);
            if (!t.ok()) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("field \"{}\": {}", name, t.status().message()));
            }
            *field = *t;
          }
          auto result = pipeline::TryRule(
              store_, query,
              (rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_)), trial);
          if (!result.ok()) {
            if (result.status().code() == StatusCode::kInvalidArgument) {
              return SendInvalidRule(res, result.status());
            }
            return SendError(res, result.status());
          }
          json samples = json::array();
          for (const auto& sample : result->samples) {
            json j = collect::PostToJson(sample.post.post);
            j["key"] = sample.post.key;
            json hit = RuleHitJson({0, sample.terms}, "");
            j["terms"] = std::move(hit["terms"]);
            j["matches"] = std::move(hit["matches"]);
            j["highlight"] = {
                {"title", pipeline::Highlight(sample.post.post.title, "title", sample.terms, 200)},
                {"text", pipeline::Highlight(sample.post.post.text, "text", sample.terms, 200)}};
            samples.push_back(std::move(j));
          }
          SendJson(res, 200,
                   {{"query", query},
                    {"scanned", result->scanned},
                    {"matched", result->matched},
                    {"samples", std::move(samples)}});
        });

  // A rule checked as it would be stored (syntax, keyword lists, regions), nothing scanned:
  // the editor's live check.
  Route("POST", "/api/v1/rules/check", access::Permission::kReadRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          std::string query;
          if (Status s = ReadString(*body, "query", query); !s.ok()) {
            return SendError(res, 400, "invalid_body", s.message());
          }
          if (query.empty()) {
            return SendError(res, 400, "invalid_body", "field \"query\": give the rule to check");
          }
          auto options =
              rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_);
          auto checked = rules::CheckRule(0, query, options);
          if (!checked.ok()) {
            if (checked.status().code() == StatusCode::kInvalidArgument ||
                checked.status().code() == StatusCode::kNotFound) {
              return SendInvalidRule(res, checked.status());
            }
            return SendError(res, checked.status());
          }
          SendJson(res, 200,
                   {{"ok", true},
                    {"query", query},
                    {"terms", checked->terms.size()},
                    {"lists", checked->lists}});
        });

  Route("GET", R"(/api/v1/rules/(\d{1,18}))", access::Permission::kReadRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto rule = store_.GetRule(PathId(req));
          if (!rule.ok()) return SendError(res, rule.status());
          if (!*rule) {
            return SendError(res, Status::NotFound(fmt::format("no rule with id {}", PathId(req))));
          }
          SendJson(res, 200, RuleJson(**rule, rules_));
        });

  Route("PUT", R"(/api/v1/rules/(\d{1,18}))", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          auto current = store_.GetRule(PathId(req));
          if (!current.ok()) return SendError(res, current.status());
          if (!*current) {
            return SendError(res, Status::NotFound(fmt::format("no rule with id {}", PathId(req))));
          }
          model::Rule rule = **current;
          if (Status s = ReadRuleFields(*body, rule); !s.ok()) {
            return SendError(res, 400, "invalid_body", s.message());
          }
          // A disabled rule may be stored as it is; one that will be matched must check.
          if (rule.enabled || rule.query != (*current)->query) {
            auto checked = rules::CheckRule(
                rule.id, rule.query,
                (rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_)));
            if (!checked.ok()) return SendInvalidRule(res, checked.status());
          }
          auto updated = store_.UpdateRule(rule, clock_.Now());
          if (!updated.ok()) return SendError(res, updated.status());
          ReloadRules();
          SendJson(res, 200, RuleJson(*updated, rules_));
        });

  Route("DELETE", R"(/api/v1/rules/(\d{1,18}))", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          if (Status s = store_.DeleteRule(PathId(req)); !s.ok()) {
            return SendError(res, s);
          }
          ReloadRules();
          SendJson(res, 200, {{"id", PathId(req)}, {"deleted", true}});
        });

  // Records a stored rule's hits for posts already stored (docs/rules.md, "Backfill").
  Route("POST", R"(/api/v1/rules/(\d{1,18})/backfill)", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          json body = json::object();
          if (!req.body.empty()) {
            auto parsed = JsonObjectBody(req);
            if (!parsed.ok()) return SendError(res, 400, "invalid_body", parsed.status().message());
            body = std::move(*parsed);
          }
          auto rule = store_.GetRule(PathId(req));
          if (!rule.ok()) return SendError(res, rule.status());
          if (!*rule) {
            return SendError(res, Status::NotFound(fmt::format("no rule with id {}", PathId(req))));
          }
          pipeline::BackfillOptions backfill;
          backfill.from = clock_.Now() - pipeline::kBackfillDefaultRange;
          for (auto [name, field] :
               {std::pair{"from", &backfill.from}, std::pair{"to", &backfill.to}}) {
            std::string text;
            if (Status s = ReadString(body, name, text); !s.ok()) {
              return SendError(res, 400, "invalid_body", s.message());
            }
            if (text.empty()) continue;
            auto t = core::ParseIso8601(text);
            if (!t.ok()) {
              return SendError(res, 400, "invalid_argument",
                               fmt::format("field \"{}\": {}", name, t.status().message()));
            }
            *field = *t;
          }
          auto result = pipeline::BackfillRule(
              store_, **rule,
              (rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_)),
              backfill);
          if (!result.ok()) {
            if (result.status().code() == StatusCode::kInvalidArgument) {
              return SendInvalidRule(res, result.status());
            }
            return SendError(res, result.status());
          }
          json out = {{"rule", (*rule)->id},
                      {"from", core::FormatIso8601(*backfill.from)},
                      {"to", backfill.to ? json(core::FormatIso8601(*backfill.to)) : json(nullptr)},
                      {"scanned", result->scanned},
                      {"matched", result->matched},
                      {"recorded", result->recorded}};
          SendJson(res, 200, out);
        });

  Route("GET", "/api/v1/lists", access::Permission::kReadRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          auto all = store_.ListKeywordLists();
          if (!all.ok()) return SendError(res, all.status());
          json lists = json::array();
          for (const auto& l : *all) lists.push_back(ListJson(l));
          SendJson(res, 200, {{"lists", std::move(lists)}});
        });

  Route("GET", R"(/api/v1/lists/([^/]+))", access::Permission::kReadRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          auto list = store_.GetKeywordList(name);
          if (!list.ok()) return SendError(res, list.status());
          if (!*list) {
            return SendError(res, Status::NotFound(fmt::format("no keyword list \"@{}\"", name)));
          }
          SendJson(res, 200, ListJson(**list));
        });

  Route("PUT", R"(/api/v1/lists/([^/]+))", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          auto body = JsonObjectBody(req);
          if (!body.ok()) return SendError(res, 400, "invalid_body", body.status().message());
          model::KeywordList list{name, {}, {}};
          Status s = ReadStrings(*body, "words", list.words);
          if (s.ok() && !body->contains("words")) {
            s = Status::InvalidArgument("field \"words\" is required");
          }
          if (!s.ok()) return SendError(res, 400, "invalid_body", s.message());
          if (s = store_.PutKeywordList(list, clock_.Now()); !s.ok()) {
            return SendError(res, s);
          }
          ReloadRules();
          auto saved = store_.GetKeywordList(name);
          if (!saved.ok() || !*saved) {
            return SendError(res, saved.ok() ? Status::Internal("list vanished") : saved.status());
          }
          // The enabled rules this change stops from loading (they stay stored).
          json refused = json::array();
          auto all = store_.ListRules();
          if (!all.ok()) return SendError(res, all.status());
          auto check =
              (rules_ != nullptr ? rules_->CheckOptions() : pipeline::CheckOptions(store_));
          for (const auto& r : *all) {
            if (!r.enabled) continue;
            auto checked = rules::CheckRule(r.id, r.query, check);
            if (!checked.ok() &&
                checked.status().message().find("\"@" + name + "\"") != std::string::npos) {
              refused.push_back(
                  {{"id", r.id}, {"name", r.name}, {"message", checked.status().message()}});
            }
          }
          json j = ListJson(**saved);
          j["refused_rules"] = std::move(refused);
          SendJson(res, 200, j);
        });

  Route("DELETE", R"(/api/v1/lists/([^/]+))", access::Permission::kManageRules,
        [this](const httplib::Request& req, httplib::Response& res, const access::Principal& who) {
          std::string name = req.matches[1];
          if (Status s = store_.DeleteKeywordList(name); !s.ok()) return SendError(res, s);
          ReloadRules();
          SendJson(res, 200, {{"name", name}, {"deleted", true}});
        });
}

}  // namespace yuqing::server
