// Every role against every endpoint, with the exact allow/deny written out here (not derived
// from access::Allowed, so a change of the permission table or a route shows up as a failing
// row), over real HTTP on loopback with a real SQLite store. Plus the region scope of leaders
// and coordinators, and the accounts endpoints' behaviour.
#include <gtest/gtest.h>
#include <httplib.h>

#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "access/password.h"
#include "cases/workflow.h"
#include "core/time.h"
#include "org/organisation.h"
#include "server/http_server.h"
#include "server/test_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"
#include "text/tokenizer.h"

namespace yuqing::server {
namespace {

using nlohmann::json;

// Who asks: the six roles and an ingest-only token.
const std::vector<std::string> kWho = {"ingest",    "admin",  "monitor",    "analyst",
                                       "responder", "leader", "coordinator"};

struct Row {
  std::string method;
  std::string pattern;  // as registered (HttpServer::endpoints())
  std::string path;     // a request that matches it
  std::string allowed;  // space-separated kWho names that pass the permission check
  std::string body = "{}";
};

// The policy, row by row (docs/accounts.md, "Who may do what").
const std::vector<Row>& Matrix() {
  static const std::string kReaders = "admin monitor analyst leader coordinator";
  static const std::string kRulers = "admin monitor analyst";
  static const std::string kEveryone = "admin monitor analyst responder leader coordinator";
  static const std::vector<Row> rows = {
      {"POST", "/api/v1/posts", "/api/v1/posts", "ingest admin monitor", ""},
      {"GET", "/api/v1/search", "/api/v1/search?q=x", kReaders},
      {"GET", "/api/v1/rules", "/api/v1/rules", kRulers},
      {"POST", "/api/v1/rules", "/api/v1/rules", kRulers},
      {"POST", "/api/v1/rules/test", "/api/v1/rules/test", kRulers},
      {"POST", "/api/v1/rules/check", "/api/v1/rules/check", kRulers},
      {"GET", R"(/api/v1/rules/(\d{1,18}))", "/api/v1/rules/1", kRulers},
      {"PUT", R"(/api/v1/rules/(\d{1,18}))", "/api/v1/rules/1", kRulers},
      {"DELETE", R"(/api/v1/rules/(\d{1,18}))", "/api/v1/rules/1", kRulers},
      {"POST", R"(/api/v1/rules/(\d{1,18})/backfill)", "/api/v1/rules/1/backfill", kRulers},
      {"GET", "/api/v1/lists", "/api/v1/lists", kRulers},
      {"GET", "/api/v1/lists/([^/]+)", "/api/v1/lists/x", kRulers},
      {"PUT", "/api/v1/lists/([^/]+)", "/api/v1/lists/x", kRulers},
      {"DELETE", "/api/v1/lists/([^/]+)", "/api/v1/lists/x", kRulers},
      {"GET", "/api/v1/events", "/api/v1/events", kReaders},
      {"GET", R"(/api/v1/events/(\d{1,18}))", "/api/v1/events/1", kReaders},
      {"GET", R"(/api/v1/events/(\d{1,18})/posts)", "/api/v1/events/1/posts", kReaders},
      {"GET", R"(/api/v1/events/(\d{1,18})/series)", "/api/v1/events/1/series", kReaders},
      {"POST", R"(/api/v1/events/(\d{1,18})/merge)", "/api/v1/events/1/merge",
       "admin analyst coordinator", R"({"into":2,"reason":"x"})"},
      {"GET", R"(/api/v1/event-merges/(\d{1,18}))", "/api/v1/event-merges/1", kReaders},
      {"GET", R"(/api/v1/events/(\d{1,18})/related)", "/api/v1/events/1/related", kReaders},
      {"GET", "/api/v1/stats/sentiment", "/api/v1/stats/sentiment", kReaders},
      {"GET", "/api/v1/stats/channels", "/api/v1/stats/channels", kReaders},
      {"GET", "/api/v1/stats/regions", "/api/v1/stats/regions", kReaders},
      {"GET", "/api/v1/sources", "/api/v1/sources", kReaders},
      {"GET", "/api/v1/sources/([^/]+)", "/api/v1/sources/nosuch", kReaders},
      {"POST", "/api/v1/sources", "/api/v1/sources", "admin"},
      {"PUT", "/api/v1/sources/([^/]+)", "/api/v1/sources/nosuch", "admin"},
      {"DELETE", "/api/v1/sources/([^/]+)", "/api/v1/sources/nosuch", "admin"},
      {"GET", "/api/v1/posts/stream", "/api/v1/posts/stream", kReaders},
      {"GET", "/api/v1/posts/([^/]+)/(.+)", "/api/v1/posts/weibo/1", kReaders},
      {"GET", R"(/api/v1/events/(\d{1,18})/routing)", "/api/v1/events/1/routing", kReaders},
      {"POST", R"(/api/v1/events/(\d{1,18})/routing)", "/api/v1/events/1/routing",
       "admin analyst coordinator"},
      {"GET", "/api/v1/alert-policies", "/api/v1/alert-policies",
       "admin monitor analyst coordinator"},
      {"POST", "/api/v1/alert-policies", "/api/v1/alert-policies", kRulers},
      {"GET", R"(/api/v1/alert-policies/(\d{1,18}))", "/api/v1/alert-policies/1",
       "admin monitor analyst coordinator"},
      {"PUT", R"(/api/v1/alert-policies/(\d{1,18}))", "/api/v1/alert-policies/1", kRulers},
      {"DELETE", R"(/api/v1/alert-policies/(\d{1,18}))", "/api/v1/alert-policies/1", kRulers},
      {"GET", "/api/v1/alerts", "/api/v1/alerts", kReaders},
      {"GET", R"(/api/v1/alerts/(\d{1,18}))", "/api/v1/alerts/1", kReaders},
      {"POST", R"(/api/v1/alerts/(\d{1,18})/ack)", "/api/v1/alerts/1/ack",
       "admin monitor analyst coordinator"},
      {"GET", "/api/v1/alerts/stream", "/api/v1/alerts/stream", kReaders},
      {"GET", "/api/v1/outbox", "/api/v1/outbox", "admin monitor"},
      {"POST", R"(/api/v1/outbox/(\d{1,18})/retry)", "/api/v1/outbox/1/retry", "admin monitor"},
      {"POST", "/api/v1/logout", "/api/v1/logout", kEveryone},
      {"POST", "/api/v1/logout/all", "/api/v1/logout/all", kEveryone},
      {"GET", "/api/v1/me", "/api/v1/me", kEveryone},
      {"PUT", "/api/v1/me/password", "/api/v1/me/password", kEveryone},
      {"GET", "/api/v1/permissions", "/api/v1/permissions", kEveryone},
      {"GET", "/api/v1/users", "/api/v1/users", "admin"},
      {"GET", R"(/api/v1/users/(\d{1,18}))", "/api/v1/users/1", "admin"},
      {"POST", "/api/v1/users", "/api/v1/users", "admin"},
      {"PUT", R"(/api/v1/users/(\d{1,18}))", "/api/v1/users/1", "admin"},
      {"POST", R"(/api/v1/users/(\d{1,18})/password)", "/api/v1/users/1/password", "admin",
       R"({"password":"x"})"},
      {"GET", "/api/v1/tokens", "/api/v1/tokens", kEveryone},
      {"POST", "/api/v1/tokens", "/api/v1/tokens", kEveryone},
      {"DELETE", "/api/v1/tokens/([^/]+)", "/api/v1/tokens/nosuch", kEveryone},
      {"GET", "/api/v1/org", "/api/v1/org", kEveryone},
      {"PUT", "/api/v1/org", "/api/v1/org", "admin"},
      {"GET", "/api/v1/org/departments", "/api/v1/org/departments", kEveryone},
      {"GET", "/api/v1/org/departments/([^/]+)", "/api/v1/org/departments/x", kEveryone},
      {"PUT", "/api/v1/org/departments/([^/]+)", "/api/v1/org/departments/x", "admin"},
      {"DELETE", "/api/v1/org/departments/([^/]+)", "/api/v1/org/departments/x", "admin"},
      {"GET", R"(/api/v1/regions/(\d{6}))", "/api/v1/regions/140400", kEveryone},
      {"POST", "/api/v1/routing", "/api/v1/routing", kReaders},
      {"GET", "/api/v1/audit", "/api/v1/audit", "admin leader coordinator"},
      {"GET", "/api/v1/audit/checkpoints", "/api/v1/audit/checkpoints", "admin leader coordinator"},
      {"POST", "/api/v1/audit/checkpoints", "/api/v1/audit/checkpoints", "admin"},
      {"GET", "/api/v1/audit/verify", "/api/v1/audit/verify", "admin"},
      // Cases (docs/api.md "Cases"). No case is stored: a permitted request ends in 404 (or
      // 400 for a body that opens no case), a refused one in 403 permission_denied. One route
      // per permission carries several actions (CaseActionsTest checks each action's route).
      {"GET", "/api/v1/cases", "/api/v1/cases", kEveryone},
      {"GET", "/api/v1/cases/counts", "/api/v1/cases/counts", kEveryone},
      {"POST", "/api/v1/cases", "/api/v1/cases", "admin monitor analyst coordinator",
       R"({"region":"140406"})"},
      {"POST", "/api/v1/cases/sweep", "/api/v1/cases/sweep", "admin coordinator"},
      {"GET", R"(/api/v1/cases/(\d{1,18}))", "/api/v1/cases/1", kEveryone},
      {"GET", R"(/api/v1/cases/(\d{1,18})/log)", "/api/v1/cases/1/log", kEveryone},
      {"GET", R"(/api/v1/cases/(\d{1,18})/evaluation/draft)", "/api/v1/cases/1/evaluation/draft",
       kEveryone},
      {"POST", R"(/api/v1/cases/(\d{1,18})/(judge|regrade|set_policy|new_round|evaluate))",
       "/api/v1/cases/1/judge", "admin analyst coordinator"},
      {"POST",
       R"(/api/v1/cases/(\d{1,18})/(assign|reassign|decide_dispute|add_assist|merge|extend|)"
       R"(close|reopen|finalise_evaluation))",
       "/api/v1/cases/1/assign", "admin coordinator"},
      {"POST",
       R"(/api/v1/cases/(\d{1,18})/(accept|return|dispute|hand_up|draft_response|follow_up|)"
       R"(add_task|complete_task|reply_petitioner))",
       "/api/v1/cases/1/accept", "admin responder coordinator"},
      {"POST", R"(/api/v1/cases/(\d{1,18})/(approve_response|reject_response))",
       "/api/v1/cases/1/approve_response", "leader"},
      {"POST",
       R"(/api/v1/cases/(\d{1,18})/(open_supervision|close_supervision|add_notice|)"
       R"(decide_notice|record_visit))",
       "/api/v1/cases/1/open_supervision", "admin leader coordinator"},
      {"POST", R"(/api/v1/cases/(\d{1,18})/(judge_rumour))", "/api/v1/cases/1/judge_rumour",
       "admin analyst coordinator"},
      {"POST", R"(/api/v1/cases/(\d{1,18})/(approve_rumour|reverse_rumour))",
       "/api/v1/cases/1/approve_rumour", "leader coordinator"},
      {"GET", "/api/v1/risk-assessments", "/api/v1/risk-assessments", kEveryone},
      {"GET", R"(/api/v1/risk-assessments/(\d{1,18}))", "/api/v1/risk-assessments/1", kEveryone},
      {"POST", "/api/v1/risk-assessments", "/api/v1/risk-assessments",
       "admin analyst leader coordinator"},
      {"PUT", R"(/api/v1/risk-assessments/(\d{1,18}))", "/api/v1/risk-assessments/1",
       "admin analyst leader coordinator"},
      {"GET", "/api/v1/assessment", "/api/v1/assessment", "admin analyst leader coordinator"},
      {"GET", "/api/v1/assessment/series", "/api/v1/assessment/series",
       "admin analyst leader coordinator"},
      {"GET", R"(/api/v1/reports/(daily|weekly|monthly|flash|event|evaluation|assessment))",
       "/api/v1/reports/daily", "admin monitor analyst leader coordinator"},
      {"GET", "/api/v1/archive", "/api/v1/archive", kReaders},
      {"GET", R"(/api/v1/archive/(\d{1,18}))", "/api/v1/archive/1", kReaders},
      {"GET", R"(/api/v1/archive/(\d{1,18})/file/(html|pdf|docx))", "/api/v1/archive/1/file/pdf",
       kReaders},
      {"POST", "/api/v1/archive", "/api/v1/archive", "admin monitor analyst coordinator"},
      {"POST", R"(/api/v1/archive/(\d{1,18})/submit)", "/api/v1/archive/1/submit",
       "admin monitor analyst coordinator"},
      {"POST", R"(/api/v1/archive/(\d{1,18})/submissions/(\d{1,18})/receive)",
       "/api/v1/archive/1/submissions/1/receive", "admin leader coordinator"},
  };
  return rows;
}

class PermissionsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::Config config;
    config.listen = "127.0.0.1:0";
    config.server_threads = 8;
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    server_ = std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_);
    auto key = audit::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    server_->SetAuditKey(std::make_shared<const audit::SigningKey>(std::move(key).value()));
    auto regions = org::RegionTree::LoadGazetteerFile(testing::SourceDir().string() +
                                                      "/data/gazetteer/places.tsv");
    ASSERT_TRUE(regions.ok()) << regions.status().message();
    regions_ = std::make_shared<const org::RegionTree>(std::move(regions).value());
    server_->SetRegions(regions_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    struct Who {
      std::string name;
      model::Role role;
      std::string department, region;
    };
    for (const Who& w :
         {Who{"admin", model::Role::kAdmin, "", ""}, Who{"monitor", model::Role::kMonitor, "", ""},
          Who{"analyst", model::Role::kAnalyst, "", ""},
          Who{"responder", model::Role::kResponder, "lucheng.env", ""},
          Who{"leader", model::Role::kLeader, "", "140400"},
          Who{"coordinator", model::Role::kCoordinator, "", "140400"}}) {
      tokens_[w.name] = *NewApiToken();
      ASSERT_NE(AddUserToken(*store_, w.name, w.role, "t-" + w.name, tokens_[w.name], clock_.Now(),
                             w.department, w.region),
                0);
    }
    tokens_["ingest"] = *NewApiToken();
    model::ApiToken ingest;
    ingest.name = "collector";
    ingest.scope = model::TokenScope::kIngest;
    ASSERT_TRUE(store_
                    ->CreateApiToken(ingest, HashApiToken(tokens_["ingest"]),
                                     Draft(CommandLinePrincipal(), clock_.Now(), "token.create",
                                           "token", "collector", "", ""))
                    .ok());
    ASSERT_TRUE(testing::PollUntil([&] { return Client("admin")->Get("/healthz") != nullptr; }));
  }
  void TearDown() override {
    server_->Stop();
    thread_.join();
  }

  std::unique_ptr<httplib::Client> Client(const std::string& who) {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    if (!who.empty()) c->set_bearer_token_auth(tokens_[who]);
    c->set_read_timeout(10, 0);
    return c;
  }

  // The status and error code of one request (the live stream is cut after its headers).
  std::pair<int, std::string> Ask(const std::string& who, const Row& row) {
    auto c = Client(who);
    httplib::Result r{nullptr, httplib::Error::Unknown};
    if (row.method == "GET" && row.pattern.ends_with("/stream")) {
      int status = 0;
      std::string body;
      c->Get(
          row.path.c_str(), httplib::Headers{},
          [&](const httplib::Response& res) {
            status = res.status;
            return true;
          },
          [&](const char* data, size_t n) {
            if (status == 200) return false;  // a live stream: its start is enough
            body.append(data, n);
            return true;
          });
      json j = json::parse(body, nullptr, false);
      return {status, j.is_object() && j.contains("error") ? j["error"].value("code", "") : ""};
    }
    if (row.method == "GET") r = c->Get(row.path.c_str());
    if (row.method == "POST") r = c->Post(row.path.c_str(), row.body, "application/json");
    if (row.method == "PUT") r = c->Put(row.path.c_str(), row.body, "application/json");
    if (row.method == "DELETE") r = c->Delete(row.path.c_str());
    if (!r) return {0, "no answer"};
    json j = json::parse(r->body, nullptr, false);
    std::string code;
    if (j.is_object() && j.contains("error")) code = j["error"].value("code", "");
    return {r->status, code};
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-16T09:00:00+08:00")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::shared_ptr<const org::RegionTree> regions_;
  std::thread thread_;
  std::map<std::string, std::string> tokens_;
};

TEST_F(PermissionsTest, EveryEndpointHasARowInTheMatrix) {
  std::set<std::pair<std::string, std::string>> rows;
  for (const auto& r : Matrix()) rows.insert({r.method, r.pattern});
  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& e : server_->endpoints()) {
    registered.insert({e.method, e.pattern});
    EXPECT_TRUE(rows.count({e.method, e.pattern}))
        << "endpoint " << e.method << " " << e.pattern << " (permission "
        << access::PermissionName(e.permission) << ") has no row in the matrix";
  }
  for (const auto& r : Matrix()) {
    EXPECT_TRUE(registered.count({r.method, r.pattern}))
        << "row " << r.method << " " << r.pattern << " names no endpoint";
  }
}

// Every action of the workflow (cases::Actions()) except the system's own is reachable through
// exactly one POST /api/v1/cases/{id}/{action} route, behind the permission written here; a
// system action (the event follower) has no route at all.
TEST_F(PermissionsTest, EveryCaseActionHasExactlyOneRouteBehindItsPermission) {
  const std::map<std::string, std::string> kPermissionOf = {
      {"judge", "judge_cases"},
      {"regrade", "judge_cases"},
      {"set_policy", "judge_cases"},
      {"new_round", "judge_cases"},
      {"evaluate", "judge_cases"},
      {"assign", "assign_cases"},
      {"reassign", "assign_cases"},
      {"decide_dispute", "assign_cases"},
      {"add_assist", "assign_cases"},
      {"merge", "assign_cases"},
      {"extend", "assign_cases"},
      {"close", "assign_cases"},
      {"reopen", "assign_cases"},
      {"finalise_evaluation", "assign_cases"},
      {"accept", "handle_cases"},
      {"return", "handle_cases"},
      {"dispute", "handle_cases"},
      {"hand_up", "handle_cases"},
      {"draft_response", "handle_cases"},
      {"follow_up", "handle_cases"},
      {"add_task", "handle_cases"},
      {"complete_task", "handle_cases"},
      {"reply_petitioner", "handle_cases"},
      {"approve_response", "approve_responses"},
      {"reject_response", "approve_responses"},
      {"open_supervision", "supervise"},
      {"close_supervision", "supervise"},
      {"add_notice", "supervise"},
      {"decide_notice", "supervise"},
      {"record_visit", "supervise"},
      {"judge_rumour", "judge_rumours"},
      {"approve_rumour", "approve_rumours"},
      {"reverse_rumour", "approve_rumours"},
  };
  std::vector<std::pair<const HttpServer::Endpoint*, std::regex>> posts;
  for (const auto& e : server_->endpoints()) {
    if (e.method == "POST") posts.emplace_back(&e, std::regex(e.pattern));
  }
  std::set<std::string> seen;
  for (const cases::ActionSpec& spec : cases::Actions()) {
    const std::string name(spec.name);
    const std::string path = "/api/v1/cases/7/" + name;
    std::vector<const HttpServer::Endpoint*> routes;
    for (const auto& [e, re] : posts) {
      if (std::regex_match(path, re)) routes.push_back(e);
    }
    if (spec.rule == cases::ActorRule::kSystem) {
      EXPECT_TRUE(routes.empty()) << name << " is the system's, yet a route takes it: "
                                  << routes.front()->pattern;
      EXPECT_FALSE(kPermissionOf.count(name)) << name;
      auto r = Client("admin")->Post(path.c_str(), "{}", "application/json");
      ASSERT_TRUE(r);
      EXPECT_EQ(r->status, 404) << name;
      EXPECT_EQ(json::parse(r->body)["error"]["code"], "no_such_endpoint") << r->body;
      continue;
    }
    seen.insert(name);
    ASSERT_EQ(routes.size(), 1u) << "action " << name << " is reachable through " << routes.size()
                                 << " routes";
    ASSERT_TRUE(kPermissionOf.count(name)) << "action " << name << " has no row here";
    EXPECT_EQ(access::PermissionName(routes[0]->permission), kPermissionOf.at(name))
        << name << " via " << routes[0]->pattern;
  }
  for (const auto& [name, permission] : kPermissionOf) {
    EXPECT_TRUE(seen.count(name)) << "row " << name << " names no action of cases::Actions()";
  }
  // And no route offers a name that is not an action: each alternative of each action route
  // is one of the actions above.
  const std::regex action_route(R"(^/api/v1/cases/\(\\d\{1,18\}\)/\((.*)\)$)");
  int action_routes = 0;
  for (const auto& e : server_->endpoints()) {
    std::smatch m;
    if (e.method != "POST" || !std::regex_match(e.pattern, m, action_route)) continue;
    ++action_routes;
    std::istringstream names(m[1].str());
    for (std::string a; std::getline(names, a, '|');) {
      EXPECT_TRUE(seen.count(a)) << e.pattern << " offers \"" << a << "\", not an action";
    }
  }
  EXPECT_EQ(action_routes, 7);  // one per permission
}

TEST_F(PermissionsTest, EveryRoleAgainstEveryEndpoint) {
  for (const auto& row : Matrix()) {
    std::set<std::string> allowed;
    std::istringstream words(row.allowed);
    for (std::string w; words >> w;) allowed.insert(w);
    for (const auto& who : kWho) {
      auto [status, code] = Ask(who, row);
      bool denied = status == 403 && code == "permission_denied";
      EXPECT_NE(status, 401) << who << " " << row.method << " " << row.path;
      EXPECT_NE(status, 0) << who << " " << row.method << " " << row.path;
      EXPECT_EQ(denied, !allowed.count(who))
          << who << " " << row.method << " " << row.path << " → " << status << " " << code;
    }
  }
}

TEST_F(PermissionsTest, WithoutValidCredentialsEveryEndpointAnswers401) {
  for (const auto& row : Matrix()) {
    auto [status, code] = Ask("", row);
    EXPECT_EQ(status, 401) << row.method << " " << row.path;
  }
  tokens_["forged"] = "yq_forged";
  Row me{"GET", "/api/v1/me", "/api/v1/me", ""};
  EXPECT_EQ(Ask("forged", me).first, 401);
}

TEST_F(PermissionsTest, ADeniedRequestSaysWhatIsNeeded) {
  auto r = Client("monitor")->Get("/api/v1/users");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  json j = json::parse(r->body);
  EXPECT_EQ(j["error"]["details"]["permission"], "manage_users");
  std::string m = j["error"]["message"];
  EXPECT_NE(m.find("role \"monitor\""), std::string::npos) << m;
  EXPECT_NE(m.find("held by admin"), std::string::npos) << m;
}

// Two events: one in 潞城区 (长治), one in 太原. A 长治 leader sees the first only.
TEST_F(PermissionsTest, LeadersAndCoordinatorsSeeTheirRegionAndBelow) {
  store::EventBatch batch;
  for (auto [id, region] : {std::pair<int64_t, const char*>{1, "140406"}, {2, "140100"}}) {
    model::EventRecord e;
    e.id = id;
    e.title = id == 1 ? "潞城区化工厂泄漏" : "太原路面塌陷";
    e.first_seen = e.last_seen = e.updated_at = clock_.Now();
    e.regions = {region};
    e.detail_json = "{}";
    batch.events.push_back(e);
    model::NewAlert a;
    a.event_id = id;
    a.policy_id = 1;
    a.level = 3;
    a.created_at = clock_.Now();
    a.title = e.title;
    a.payload_json = "{}";
    batch.alerts.push_back(a);
  }
  ASSERT_TRUE(store_->CommitEvents(batch).ok());
  for (const char* who : {"leader", "coordinator"}) {
    auto list = Client(who)->Get("/api/v1/events");
    ASSERT_TRUE(list);
    json events = json::parse(list->body)["events"];
    ASSERT_EQ(events.size(), 1u) << who << list->body;
    EXPECT_EQ(events[0]["id"], 1);
    EXPECT_EQ(Client(who)->Get("/api/v1/events/1")->status, 200);
    EXPECT_EQ(Client(who)->Get("/api/v1/events/2")->status, 404) << who;
    EXPECT_EQ(Client(who)->Get("/api/v1/events/2/posts")->status, 404) << who;
    // Asking for another region gives nothing, asking for a part of one's own gives that part.
    EXPECT_EQ(json::parse(Client(who)->Get("/api/v1/events?region=140100")->body)["total"], 0);
    EXPECT_EQ(json::parse(Client(who)->Get("/api/v1/events?region=140406")->body)["total"], 1);
    json alerts = json::parse(Client(who)->Get("/api/v1/alerts")->body)["alerts"];
    ASSERT_EQ(alerts.size(), 1u) << who;
    EXPECT_EQ(alerts[0]["event_id"], 1);
    EXPECT_EQ(Client(who)->Get("/api/v1/alerts/2")->status, 404) << who;
    // Reports: an event outside the region is unknown; a period counts the region only.
    EXPECT_EQ(Client(who)->Get("/api/v1/reports/event?event=2")->status, 404) << who;
    EXPECT_EQ(Client(who)->Get("/api/v1/reports/event?event=1")->status, 200) << who;
    auto daily = Client(who)->Get("/api/v1/reports/daily?date=2026-11-16");
    ASSERT_TRUE(daily);
    EXPECT_NE(daily->body.find("data-figure=\"events.total\">1<"), std::string::npos) << who;
    EXPECT_EQ(Client(who)->Get("/api/v1/reports/daily?region=140100")->status, 403) << who;
  }
  auto all = Client("analyst")->Get("/api/v1/reports/daily?date=2026-11-16");
  ASSERT_TRUE(all);
  EXPECT_NE(all->body.find("data-figure=\"events.total\">2<"), std::string::npos);
  EXPECT_EQ(Client("coordinator")->Post("/api/v1/alerts/2/ack", "", "application/json")->status,
            404);
  EXPECT_EQ(Client("coordinator")->Post("/api/v1/alerts/1/ack", "", "application/json")->status,
            200);
  // Unbound roles see both.
  EXPECT_EQ(json::parse(Client("analyst")->Get("/api/v1/events")->body)["total"], 2);
  EXPECT_EQ(json::parse(Client("monitor")->Get("/api/v1/alerts")->body)["alerts"].size(), 2u);
}

TEST_F(PermissionsTest, LoginGivesASessionThatLogsOutAndExpires) {
  auto user = store_->GetUserByName("analyst");
  ASSERT_TRUE(user.ok() && user->has_value());
  model::User u = **user;
  u.password_hash = *access::HashPassword("研判员的长密码2026");
  ASSERT_TRUE(store_
                  ->UpdateUser(u, Draft(CommandLinePrincipal(), clock_.Now(), "user.password",
                                        "user", "analyst", "", ""))
                  .ok());
  auto anon = Client("");
  auto bad = anon->Post("/api/v1/login", R"({"name":"analyst","password":"wrong-password"})",
                        "application/json");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 401);
  EXPECT_EQ(json::parse(bad->body)["error"]["code"], "login_failed");
  auto nobody = anon->Post("/api/v1/login", R"({"name":"nobody","password":"wrong-password"})",
                           "application/json");
  EXPECT_EQ(json::parse(nobody->body)["error"]["message"],
            json::parse(bad->body)["error"]["message"]);  // names are not told apart
  auto ok = anon->Post("/api/v1/login",
                       json{{"name", "analyst"}, {"password", "研判员的长密码2026"}}.dump(),
                       "application/json");
  ASSERT_TRUE(ok);
  ASSERT_EQ(ok->status, 200) << ok->body;
  std::string session = json::parse(ok->body)["token"];
  tokens_["session"] = session;
  auto me = Client("session")->Get("/api/v1/me");
  ASSERT_EQ(me->status, 200);
  json mj = json::parse(me->body);
  EXPECT_EQ(mj["role"], "analyst");
  EXPECT_NE(std::find(mj["permissions"].begin(), mj["permissions"].end(), "manage_rules"),
            mj["permissions"].end());
  // The session ends with logout; a second login's session expires on the clock.
  EXPECT_EQ(Client("session")->Post("/api/v1/logout", "", "application/json")->status, 200);
  EXPECT_EQ(Client("session")->Get("/api/v1/me")->status, 401);
  auto again = anon->Post("/api/v1/login",
                          json{{"name", "analyst"}, {"password", "研判员的长密码2026"}}.dump(),
                          "application/json");
  tokens_["session"] = json::parse(again->body)["token"];
  EXPECT_EQ(Client("session")->Get("/api/v1/me")->status, 200);
  clock_.Advance(std::chrono::hours(13));
  auto expired = Client("session")->Get("/api/v1/me");
  EXPECT_EQ(expired->status, 401);
  EXPECT_NE(expired->body.find("expired"), std::string::npos);
  // A disabled user cannot log in, and its token stops working.
  auto id = (*store_->GetUserByName("analyst"))->id;
  auto disabled =
      Client("admin")->Put("/api/v1/users/" + std::to_string(id),
                           R"({"disabled":true,"reason":"left the office"})", "application/json");
  ASSERT_EQ(disabled->status, 200) << disabled->body;
  auto refused = anon->Post("/api/v1/login",
                            json{{"name", "analyst"}, {"password", "研判员的长密码2026"}}.dump(),
                            "application/json");
  EXPECT_EQ(refused->status, 403);
  auto token_use = Client("analyst")->Get("/api/v1/me");
  EXPECT_EQ(token_use->status, 401);
  EXPECT_NE(token_use->body.find("disabled"), std::string::npos);
}

TEST_F(PermissionsTest, AdminsManageUsersWithBindingsCheckedAndAudited) {
  auto org = org::LoadOrganisationFile(testing::SourceDir().string() + "/data/org/changzhi.toml",
                                       *regions_);
  ASSERT_TRUE(org.ok()) << org.status().message();
  auto put = Client("admin")->Put("/api/v1/org", org::OrganisationToJson(org->organisation),
                                  "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  auto admin = Client("admin");
  auto post = [&](const json& body) {
    return admin->Post("/api/v1/users", body.dump(), "application/json");
  };
  auto weak = post({{"name", "zhao"}, {"role", "monitor"}, {"password", "short"}});
  EXPECT_EQ(weak->status, 400);
  EXPECT_EQ(json::parse(weak->body)["error"]["code"], "weak_password");
  auto unbound = post({{"name", "zhao"}, {"role", "responder"}});
  EXPECT_EQ(unbound->status, 400);
  EXPECT_NE(unbound->body.find("bound to a department"), std::string::npos) << unbound->body;
  auto unknown = post({{"name", "zhao"}, {"role", "responder"}, {"department", "no.such"}});
  EXPECT_EQ(unknown->status, 404);
  EXPECT_NE(unknown->body.find("no department \\\"no.such\\\""), std::string::npos)
      << unknown->body;
  auto region = post({{"name", "zhao"}, {"role", "leader"}, {"region", "149999"}});
  EXPECT_EQ(region->status, 404);
  auto role = post({{"name", "zhao"}, {"role", "boss"}});
  EXPECT_EQ(role->status, 400);
  auto name = post({{"name", "zhao li"}, {"role", "monitor"}});
  EXPECT_EQ(name->status, 400);
  EXPECT_EQ(json::parse(admin->Get("/api/v1/users")->body)["users"].size(), 6u);  // nothing added
  // A department that exists: the first functional department of the example.
  std::string dept;
  for (const auto& d : org->organisation.departments) {
    if (d.kind == model::DepartmentKind::kFunctional && d.region == "140406") {
      dept = d.id;
      break;
    }
  }
  ASSERT_FALSE(dept.empty());
  auto made = post({{"name", "zhao"}, {"role", "responder"}, {"department", dept}});
  ASSERT_EQ(made->status, 201) << made->body;
  json mj = json::parse(made->body);
  EXPECT_EQ(mj["department"], dept);
  std::string password = mj["password"];  // generated, shown once
  EXPECT_TRUE(access::CheckPasswordPolicy(password, "zhao").ok());
  auto login = Client("")->Post(
      "/api/v1/login", json{{"name", "zhao"}, {"password", password}}.dump(), "application/json");
  EXPECT_EQ(login->status, 200);
  // An administrator cannot lock themselves out.
  auto self = admin->Put("/api/v1/users/1", R"({"role":"monitor"})", "application/json");
  EXPECT_EQ(self->status, 409);
  // Every change is in the audit log, newest first, with who made it.
  auto log = admin->Get("/api/v1/audit?object_type=user&object_id=zhao");
  ASSERT_EQ(log->status, 200);
  json entries = json::parse(log->body)["entries"];
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0]["action"], "user.create");
  EXPECT_EQ(entries[0]["actor"], "admin");
  EXPECT_EQ(entries[0]["to"]["department"], dept);
  EXPECT_FALSE(entries[0]["to"].contains("password_hash"));
  auto verify = admin->Get("/api/v1/audit/verify");
  ASSERT_EQ(verify->status, 200);
  EXPECT_EQ(json::parse(verify->body)["ok"], true) << verify->body;
  auto cp = admin->Post("/api/v1/audit/checkpoints", "", "application/json");
  ASSERT_EQ(cp->status, 200) << cp->body;
  EXPECT_GT(json::parse(cp->body)["size"].get<int64_t>(), 1);
}

TEST_F(PermissionsTest, TokensAreOwnUnlessAnAdministratorMakesThem) {
  auto mine =
      Client("monitor")->Post("/api/v1/tokens", R"({"name":"monitor-script"})", "application/json");
  ASSERT_EQ(mine->status, 201) << mine->body;
  tokens_["script"] = json::parse(mine->body)["token"];
  EXPECT_EQ(json::parse(Client("script")->Get("/api/v1/me")->body)["role"], "monitor");
  auto ingest = Client("monitor")->Post("/api/v1/tokens", R"({"name":"m-ingest","scope":"ingest"})",
                                        "application/json");
  EXPECT_EQ(ingest->status, 403);
  auto other = Client("monitor")->Post("/api/v1/tokens", R"({"name":"as-admin","user":"admin"})",
                                       "application/json");
  EXPECT_EQ(other->status, 403);
  auto by_admin = Client("admin")->Post("/api/v1/tokens", R"({"name":"feed","scope":"ingest"})",
                                        "application/json");
  EXPECT_EQ(by_admin->status, 201);
  // One's own token is revoked by its owner; someone else's is not even shown to exist.
  EXPECT_EQ(Client("leader")->Delete("/api/v1/tokens/monitor-script")->status, 404);
  EXPECT_EQ(Client("monitor")->Delete("/api/v1/tokens/monitor-script")->status, 200);
  EXPECT_EQ(Client("script")->Get("/api/v1/me")->status, 401);
}

class OrgApiTest : public PermissionsTest {
 protected:
  void PutChangzhi() {
    std::string toml = testing::ReadFile(testing::SourceDir().string() + "/data/org/changzhi.toml");
    auto put = Client("admin")->Put("/api/v1/org?reason=first%20import", toml, "application/toml");
    ASSERT_EQ(put->status, 200) << put->body;
    EXPECT_EQ(json::parse(put->body)["version"], 1);
  }
};

TEST_F(OrgApiTest, TheOrganisationIsReplacedWholeWithVersionsAndAudit) {
  EXPECT_EQ(Client("leader")->Get("/api/v1/org")->status, 404);
  PutChangzhi();
  auto got = Client("responder")->Get("/api/v1/org");
  ASSERT_EQ(got->status, 200);
  EXPECT_EQ(got->get_header_value("ETag"), "\"1\"");
  json org = json::parse(got->body);
  EXPECT_GT(org["organisation"]["departments"].size(), 200u);
  // A stale If-Match is refused, and nothing changes.
  auto second = Client("admin")->Put("/api/v1/org", org["organisation"].dump(), "application/json");
  ASSERT_EQ(second->status, 200) << second->body;
  httplib::Headers if_match = {{"If-Match", "\"7\""}};
  auto refused =
      Client("admin")->Put("/api/v1/org", if_match, org["organisation"].dump(), "application/json");
  EXPECT_EQ(refused->status, 409) << refused->body;
  EXPECT_NE(refused->body.find("expected 7"), std::string::npos) << refused->body;
  // A bad document names the field; the stored organisation stays as it was.
  json bad = org["organisation"];
  bad["departments"][3]["region"] = "149999";
  auto invalid = Client("admin")->Put("/api/v1/org", bad.dump(), "application/json");
  EXPECT_EQ(invalid->status, 400);
  EXPECT_NE(invalid->body.find("departments[3].region"), std::string::npos) << invalid->body;
  EXPECT_EQ(json::parse(Client("admin")->Get("/api/v1/org")->body)["version"], 2);
  auto log = json::parse(Client("admin")->Get("/api/v1/audit?action=org.")->body)["entries"];
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[1]["reason"], "first import");
  EXPECT_EQ(log[0]["from"]["version"], 1);
  EXPECT_EQ(log[0]["to"]["version"], 2);
}

TEST_F(OrgApiTest, DepartmentsAreEditedOneAtATimeAndCheckedAgainstTheRest) {
  PutChangzhi();
  auto admin = Client("admin");
  auto one = Client("monitor")->Get("/api/v1/org/departments/lucheng.env");
  ASSERT_EQ(one->status, 200);
  json dep = json::parse(one->body);
  EXPECT_EQ(dep["name"], "长治市生态环境局潞城分局");
  dep["spokesperson"] = {{"name", "新发言人（示例）"}, {"phone", "0355-1111111"}};
  auto put = admin->Put("/api/v1/org/departments/lucheng.env", dep.dump(), "application/json");
  ASSERT_EQ(put->status, 200) << put->body;
  EXPECT_EQ(json::parse(put->body)["version"], 2);
  auto log =
      json::parse(admin->Get("/api/v1/audit?object_type=department&object_id=lucheng.env")->body);
  ASSERT_EQ(log["entries"].size(), 1u);
  EXPECT_EQ(log["entries"][0]["action"], "org.department.update");
  EXPECT_EQ(log["entries"][0]["to"]["spokesperson"]["name"], "新发言人（示例）");
  // Refused edits: an unknown superior, a path and body that disagree, removing a superior.
  dep["superior"] = "no.such";
  auto bad = admin->Put("/api/v1/org/departments/lucheng.env", dep.dump(), "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("superior"), std::string::npos) << bad->body;
  auto other = admin->Put("/api/v1/org/departments/other.id", dep.dump(), "application/json");
  EXPECT_EQ(other->status, 400);
  auto remove_superior = admin->Delete("/api/v1/org/departments/cz.env");
  EXPECT_EQ(remove_superior->status, 409) << remove_superior->body;
  EXPECT_EQ(json::parse(admin->Get("/api/v1/org")->body)["version"], 2);
  auto listed = Client("leader")->Get("/api/v1/org/departments?region=140406&domain=environment");
  ASSERT_EQ(listed->status, 200);
  json deps = json::parse(listed->body)["departments"];
  ASSERT_EQ(deps.size(), 1u);
  EXPECT_EQ(deps[0]["id"], "lucheng.env");
  auto region = Client("responder")->Get("/api/v1/regions/140400");
  ASSERT_EQ(region->status, 200);
  EXPECT_EQ(json::parse(region->body)["children"].size(), 12u);
}

TEST_F(OrgApiTest, RoutingAnInputAndDecidingForAnEventIsAudited) {
  PutChangzhi();
  auto routed = Client("leader")->Post(
      "/api/v1/routing", R"({"regions":["140423"],"domains":["education"],"grade":4})",
      "application/json");
  ASSERT_EQ(routed->status, 200) << routed->body;
  json r = json::parse(routed->body)["routing"];
  EXPECT_EQ(r["first_responsible"][0]["id"], "xiangyuan.edu");
  auto none =
      Client("leader")->Post("/api/v1/routing", R"({"domains":["education"]})", "application/json");
  EXPECT_EQ(none->status, 400);
  EXPECT_NE(none->body.find("regions"), std::string::npos) << none->body;
  // An event whose posts name 潞城区 and the environment: the suggestion follows them.
  store::EventBatch batch;
  model::EventRecord e;
  e.id = 5;
  e.title = "潞城区化工厂苯胺泄漏";
  e.grade = 2;
  e.domain = model::Domain::kEnvironment;
  e.first_seen = e.last_seen = e.updated_at = clock_.Now();
  e.regions = {"140406", "140400"};
  e.detail_json =
      R"({"regions":{"140406":40,"140400":35},"domains":{"environment":50,"emergency":30},
                      "kinds":{"emergency":30},"gov_mentions":{"长治市生态环境局潞城分局":6}})";
  batch.events.push_back(e);
  ASSERT_TRUE(store_->CommitEvents(batch).ok());
  auto suggested = Client("coordinator")->Get("/api/v1/events/5/routing");
  ASSERT_EQ(suggested->status, 200) << suggested->body;
  json sj = json::parse(suggested->body);
  EXPECT_EQ(sj["decisions"].size(), 0u);
  EXPECT_EQ(sj["suggestion"]["input"]["regions"], json::array({"140406"}));
  EXPECT_EQ(sj["suggestion"]["routing"]["handling"]["region"], "140000");
  auto decided = Client("coordinator")
                     ->Post("/api/v1/events/5/routing",
                            R"({"grade":3,"reason":"研判：影响限于市内"})", "application/json");
  ASSERT_EQ(decided->status, 200) << decided->body;
  json dj = json::parse(decided->body);
  EXPECT_EQ(dj["routing"]["handling"]["region"], "140400");
  EXPECT_GT(dj["audit_seq"].get<int64_t>(), 0);
  auto read = json::parse(Client("leader")->Get("/api/v1/events/5/routing")->body);
  ASSERT_EQ(read["decisions"].size(), 1u);
  EXPECT_EQ(read["decisions"][0]["by"], "coordinator");
  EXPECT_EQ(read["decisions"][0]["reason"], "研判：影响限于市内");
  EXPECT_EQ(read["decisions"][0]["decision"]["input"]["grade"], 3);
  EXPECT_EQ(Client("monitor")->Post("/api/v1/events/5/routing", "", "application/json")->status,
            403);
}

}  // namespace
}  // namespace yuqing::server
