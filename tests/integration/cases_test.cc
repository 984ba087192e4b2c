// End-to-end: cases (工单) with the real `yuqing serve` on a real SQLite file, over loopback
// HTTP, with users and tokens made by the CLI and the shipped 长治 organisation. Opening by hand,
// from the hotline and from an event; the whole path from judgment to the final evaluation with
// its log, versions and audit entries; refusals that name the state and change nothing; the
// scope of responders and leaders; and supervision of overdue clocks through the alert outbox
// to a webhook receiver run here (the server's clock is the real one, so the overdue case is
// one received days ago).
#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "subprocess.h"
#include "testing/test_util.h"

namespace yuqing::testing {
namespace {

using nlohmann::json;

std::string Changzhi() { return (SourceDir() / "data" / "org" / "changzhi.toml").string(); }

::testing::AssertionResult Has(const std::string& text, const std::string& part) {
  if (text.find(part) != std::string::npos) {
    return ::testing::AssertionSuccess() << "\"" << part << "\" is in:\n" << text;
  }
  return ::testing::AssertionFailure() << "\"" << part << "\" is not in:\n" << text;
}

// `t` as ISO-8601 in Beijing time, to the second ("2026-11-16T09:00:00+08:00").
std::string BeijingTime(std::chrono::system_clock::time_point t) {
  std::time_t s = std::chrono::system_clock::to_time_t(t) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&s, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S+08:00", &tm);
  return buf;
}

// A webhook receiver on loopback that records every request it gets.
class RecordingReceiver {
 public:
  struct Request {
    std::string key;  // Idempotency-Key
    json body;
  };
  RecordingReceiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(
            {req.get_header_value("Idempotency-Key"), json::parse(req.body, nullptr, false)});
      }
      res.set_content(R"({"ok":true})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~RecordingReceiver() {
    server_.stop();
    thread_.join();
  }
  int port() const { return port_; }
  std::vector<Request> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mu_;
  std::vector<Request> requests_;
};

// One answer of the server: status, body as JSON, the ETag header.
struct Reply {
  int status = 0;
  json body;
  std::string etag;
  std::string raw;
  std::string message() const {
    return body.is_object() && body.contains("error") ? body["error"].value("message", "") : "";
  }
  std::string code() const {
    return body.is_object() && body.contains("error") ? body["error"].value("code", "") : "";
  }
};

std::ostream& operator<<(std::ostream& os, const Reply& r) {
  return os << "HTTP " << r.status << " " << r.raw;
}

// The people of the tests: (name, `yuqing users add` arguments).
const std::vector<std::pair<std::string, std::vector<std::string>>>& People() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kPeople = {
      {"yqadmin", {"--role", "admin"}},
      {"office", {"--role", "coordinator", "--region", "140400"}},  // 长治 coordinating office
      {"analyst", {"--role", "analyst"}},
      {"env", {"--role", "responder", "--department", "lucheng.env"}},  // 潞城 environment
      {"emergency", {"--role", "responder", "--department", "cz.emergency"}},
      {"czenv", {"--role", "responder", "--department", "cz.env"}},
      {"leader", {"--role", "leader", "--region", "140400"}},
      {"zhang", {"--role", "coordinator", "--region", "140400"}},  // later promoted to leader
      {"taiyuan", {"--role", "leader", "--region", "140100"}},     // another prefecture
      {"tyoffice", {"--role", "coordinator", "--region", "140100"}},
  };
  return kPeople;
}

class CasesTest : public ::testing::Test {
 protected:
  // One database with the organisation, the people and their tokens, made once by the CLI
  // (about twenty runs of the binary) and copied for each test.
  static void SetUpTestSuite() {
    template_ = std::make_unique<TempDir>();
    tokens_.clear();
    std::string db = template_->File("y.db");
    auto cli = [&](std::vector<std::string> args) {
      args.insert(args.begin(), YuqingBinary());
      args.insert(args.end(), {"--db", db, "--lang", "en"});
      return RunCommand(args);
    };
    RunResult org = cli({"org", "import", Changzhi()});
    if (org.code != 0) {
      setup_error_ = "org import: " + org.err;
      return;
    }
    for (const auto& [name, args] : People()) {
      std::vector<std::string> add = {"users", "add", name};
      add.insert(add.end(), args.begin(), args.end());
      RunResult u = cli(add);
      if (u.code != 0) {
        setup_error_ = fmt::format("users add {}: {}", name, u.err);
        return;
      }
      RunResult t = cli({"tokens", "create", "t-" + name, "--user", name});
      if (t.code != 0) {
        setup_error_ = fmt::format("tokens create for {}: {}", name, t.err);
        return;
      }
      tokens_[name] = t.out.substr(0, t.out.find('\n'));
    }
  }
  static void TearDownTestSuite() { template_.reset(); }

  void SetUp() override {
    ASSERT_EQ(setup_error_, "");
    for (const auto& f : std::filesystem::directory_iterator(template_->path())) {
      std::filesystem::copy(f.path(), dir_.path() / f.path().filename());
    }
    db_ = dir_.File("y.db");
  }

  void TearDown() override {
    if (server_) {
      server_->Signal(SIGTERM);
      EXPECT_EQ(server_->Wait(), 0) << server_->Stderr();
    }
  }

  RunResult Cli(std::vector<std::string> args) {
    args.insert(args.begin(), YuqingBinary());
    args.insert(args.end(), {"--db", db_, "--lang", "en"});
    return RunCommand(args);
  }

  // `yuqing serve` on port 0 with the periodic sweep off (the tests sweep by hand), and
  // `--set` options; waits until it listens.
  void Serve(const std::vector<std::string>& sets = {}, const std::string& lang = "en") {
    std::vector<std::string> argv = {
        YuqingBinary(), "serve",  "--db", db_,     "--listen",
        "127.0.0.1:0",  "--lang", lang,   "--set", "cases.sweep_every_s=0"};
    for (const auto& s : sets) argv.insert(argv.end(), {"--set", s});
    server_ = std::make_unique<Subprocess>(argv);
    std::regex re("http://127\\.0\\.0\\.1:(\\d+)");
    port_ = 0;
    PollUntil([&] {
      std::string err = server_->Stderr();
      std::smatch m;
      if (!std::regex_search(err, m, re)) return false;
      port_ = std::stoi(m[1].str());
      return true;
    });
    ASSERT_NE(port_, 0) << server_->Stderr();
  }

  Reply Send(const std::string& who, const std::string& method, const std::string& path,
             const json& body = json(), const httplib::Headers& headers = {}) {
    httplib::Client c("127.0.0.1", port_);
    if (!who.empty()) c.set_bearer_token_auth(tokens_.at(who));
    c.set_read_timeout(30, 0);
    std::string text = body.is_null() ? "" : body.dump();
    httplib::Result r{nullptr, httplib::Error::Unknown};
    if (method == "GET") r = c.Get(path, headers);
    if (method == "POST") r = c.Post(path, headers, text, "application/json");
    if (method == "PUT") r = c.Put(path, headers, text, "application/json");
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.raw = r->body;
    out.body = json::parse(r->body, nullptr, false);
    out.etag = r->get_header_value("ETag");
    return out;
  }
  Reply Get(const std::string& who, const std::string& path) { return Send(who, "GET", path); }
  Reply Post(const std::string& who, const std::string& path, const json& body = json::object()) {
    return Send(who, "POST", path, body);
  }
  // POST /api/v1/cases/{id}/{action}.
  Reply Act(const std::string& who, int64_t id, const std::string& action,
            const json& args = json::object(), const httplib::Headers& headers = {}) {
    return Send(who, "POST", fmt::format("/api/v1/cases/{}/{}", id, action), args, headers);
  }
  json CaseOf(int64_t id) {
    Reply r = Get("yqadmin", fmt::format("/api/v1/cases/{}", id));
    EXPECT_EQ(r.status, 200) << r;
    return r.body;
  }
  json LogOf(int64_t id) {
    Reply r = Get("yqadmin", fmt::format("/api/v1/cases/{}/log", id));
    EXPECT_EQ(r.status, 200) << r;
    return r.body["log"];
  }

  // Opens a case by hand as the office in 潞城区; returns its id (0 on failure).
  int64_t OpenManual(const std::string& title, json extra = json::object()) {
    json body = {{"origin", "manual"}, {"title", title}, {"region", "140406"}, {"grade", "IV"}};
    body.update(extra);
    Reply r = Post("office", "/api/v1/cases", body);
    EXPECT_EQ(r.status, 201) << r;
    return r.status == 201 ? r.body["id"].get<int64_t>() : 0;
  }

  // Expects `r` to be a refusal with `status` and `code` whose message contains every part;
  // and the case `id` to be as `before` was (same version, same log length).
  void ExpectRefused(const Reply& r, int status, const std::string& code,
                     const std::vector<std::string>& parts, int64_t id, const json& before,
                     size_t log_before) {
    EXPECT_EQ(r.status, status) << r;
    EXPECT_EQ(r.code(), code) << r;
    for (const auto& p : parts) EXPECT_TRUE(Has(r.message(), p));
    json now = CaseOf(id);
    EXPECT_EQ(now["version"], before["version"]) << "case " << id << " changed after a refusal";
    EXPECT_EQ(now["state"], before["state"]);
    EXPECT_EQ(LogOf(id).size(), log_before);
  }

  static std::unique_ptr<TempDir> template_;
  static std::map<std::string, std::string> tokens_;
  static std::string setup_error_;
  TempDir dir_;
  std::string db_;
  int port_ = 0;
  std::unique_ptr<Subprocess> server_;
};

std::unique_ptr<TempDir> CasesTest::template_;
std::map<std::string, std::string> CasesTest::tokens_;
std::string CasesTest::setup_error_;

std::string PostLine(const std::string& id, const std::string& when, const std::string& text) {
  return json{{"source", "weibo"}, {"id", id}, {"published_at", when}, {"text", text}}.dump() +
         "\n";
}

TEST_F(CasesTest, OpenedByHandFromTheHotlineAndFromAnEvent) {
  ASSERT_NO_FATAL_FAILURE(Serve());

  // By hand: a new case in 潞城区, its clocks running from now.
  Reply manual = Post("office", "/api/v1/cases",
                      {{"origin", "manual"},
                       {"title", "潞城区某小区垃圾清运不及时"},
                       {"description", "居民反映垃圾堆放三天未清运"},
                       {"region", "140406"},
                       {"grade", "IV"}});
  ASSERT_EQ(manual.status, 201) << manual;
  const json& m = manual.body;
  EXPECT_EQ(m["state"], "new");
  EXPECT_EQ(m["origin"], "manual");
  EXPECT_EQ(m["grade"], "IV");
  EXPECT_EQ(m["region"], "140406");
  EXPECT_EQ(m["handling_region"], "140406");
  EXPECT_EQ(m["created_by"], "office");
  EXPECT_EQ(m["event_id"], 0);
  EXPECT_EQ(m["petitioner"], json());
  EXPECT_TRUE(m["assignments"].empty());
  std::set<std::string> obligations;
  for (const auto& d : m["deadlines"]) obligations.insert(d["obligation"].get<std::string>());
  EXPECT_EQ(obligations, (std::set<std::string>{"respond", "resolve"})) << m["deadlines"].dump();
  for (const auto& d : m["deadlines"]) EXPECT_EQ(d["state"], "running") << d.dump();
  EXPECT_NE(std::find(m["allowed_actions"].begin(), m["allowed_actions"].end(), "judge"),
            m["allowed_actions"].end());
  const int64_t manual_id = m["id"].get<int64_t>();
  Reply shown = Get("office", fmt::format("/api/v1/cases/{}", manual_id));
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_EQ(shown.etag, fmt::format("\"{}\"", m["version"].get<int64_t>()));
  json log = LogOf(manual_id);
  ASSERT_EQ(log.size(), 1u) << log.dump();
  EXPECT_EQ(log[0]["action"], "open");
  EXPECT_EQ(log[0]["actor"], "office");
  EXPECT_EQ(log[0]["to_state"], "new");

  // From the hotline, received two hours ago: a reply to the caller is due, and the caller's
  // name and number are for those handling it (the office), not for a leader reading it.
  const std::string received =
      BeijingTime(std::chrono::system_clock::now() - std::chrono::hours(2));
  Reply hotline = Post(
      "office", "/api/v1/cases",
      {{"origin", "hotline"},
       {"title", "12345 来电：潞城区化工厂夜间异味"},
       {"region", "140406"},
       {"received_at", received},
       {"petitioner", {{"name", "王女士"}, {"contact", "13800000000"}, {"record_id", "HL-0001"}}}});
  ASSERT_EQ(hotline.status, 201) << hotline;
  const json& h = hotline.body;
  EXPECT_EQ(h["origin"], "hotline");
  EXPECT_EQ(h["detected_at"], received);
  EXPECT_EQ(h["petitioner"]["name"], "王女士");
  EXPECT_EQ(h["petitioner"]["contact"], "13800000000");
  EXPECT_EQ(h["petitioner"]["record_id"], "HL-0001");
  obligations.clear();
  for (const auto& d : h["deadlines"]) {
    obligations.insert(d["obligation"].get<std::string>());
    EXPECT_EQ(d["start"], received) << "clocks run from receipt: " << d.dump();
  }
  EXPECT_EQ(obligations, (std::set<std::string>{"respond", "reply", "resolve"}));
  const int64_t hotline_id = h["id"].get<int64_t>();
  Reply as_leader = Get("leader", fmt::format("/api/v1/cases/{}", hotline_id));
  ASSERT_EQ(as_leader.status, 200) << as_leader;
  EXPECT_EQ(as_leader.body["petitioner"]["record_id"], "HL-0001");
  EXPECT_FALSE(as_leader.body["petitioner"].contains("name")) << as_leader.body["petitioner"];
  EXPECT_FALSE(as_leader.body["petitioner"].contains("contact"));

  // Refused openings: a petitioner on a manual case, a region outside the asker's, a detection
  // in the future, no title; nothing is stored for them.
  Reply petitioner = Post("office", "/api/v1/cases",
                          {{"origin", "manual"},
                           {"title", "x"},
                           {"region", "140406"},
                           {"petitioner", {{"name", "李"}}}});
  EXPECT_EQ(petitioner.status, 400) << petitioner;
  EXPECT_TRUE(Has(petitioner.message(), "a petitioner belongs to a hotline or mailbox case"));
  Reply outside = Post("tyoffice", "/api/v1/cases",
                       {{"origin", "manual"}, {"title", "x"}, {"region", "140406"}});
  EXPECT_EQ(outside.status, 403) << outside;
  EXPECT_TRUE(Has(outside.message(), "region \"140406\" is outside your region \"140100\""));
  Reply future = Post(
      "office", "/api/v1/cases",
      {{"origin", "hotline"},
       {"title", "x"},
       {"region", "140406"},
       {"received_at", BeijingTime(std::chrono::system_clock::now() + std::chrono::hours(3))}});
  EXPECT_EQ(future.status, 400) << future;
  EXPECT_TRUE(Has(future.message(), "is after now"));
  Reply untitled = Post("office", "/api/v1/cases", {{"origin", "manual"}, {"region", "140406"}});
  EXPECT_EQ(untitled.status, 400) << untitled;
  EXPECT_TRUE(Has(untitled.message(), "\"title\" is required"));
  Reply listed = Get("yqadmin", "/api/v1/cases");
  ASSERT_EQ(listed.status, 200) << listed;
  EXPECT_EQ(listed.body["total"], 2);
  Reply hotlines = Get("yqadmin", "/api/v1/cases?origin=hotline");
  ASSERT_EQ(hotlines.body["cases"].size(), 1u) << hotlines;
  EXPECT_EQ(hotlines.body["cases"][0]["id"], hotline_id);

  // From an event: posts about a blast in 潞城区 become an event in the server's event stage;
  // the case takes the event's title, grade and region, and the stored organisation's routing
  // suggests the departments.
  {
    httplib::Client c("127.0.0.1", port_);
    c.set_bearer_token_auth(tokens_.at("yqadmin"));
    auto res = c.Post("/api/v1/posts",
                      PostLine("1", "2026-11-21T08:00:00+08:00",
                               "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，消防正在救援，已造成3人"
                               "死亡。") +
                          PostLine("2", "2026-11-21T08:05:00+08:00",
                                   "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤"
                                   "送医。"),
                      "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  json event;
  ASSERT_TRUE(PollUntil([&] {
    Reply r = Get("yqadmin", "/api/v1/events");
    if (r.status != 200 || r.body["events"].empty() || r.body["events"][0]["posts"] != 2) {
      return false;
    }
    event = r.body["events"][0];
    return true;
  })) << "no event from the posts";
  const int64_t event_id = event["id"].get<int64_t>();
  Reply from_event = Post("office", "/api/v1/cases", {{"event_id", event_id}});
  ASSERT_EQ(from_event.status, 201) << from_event;
  const json& e = from_event.body;
  EXPECT_EQ(e["origin"], "event");
  EXPECT_EQ(e["event_id"], event_id);
  EXPECT_EQ(e["title"], event["title"]);
  const char* kGrades[] = {"", "I", "II", "III", "IV"};
  ASSERT_TRUE(event["grade"].get<int>() >= 1 && event["grade"].get<int>() <= 4) << event;
  EXPECT_EQ(e["grade"], kGrades[event["grade"].get<int>()]);
  EXPECT_EQ(e["region"].get<std::string>().substr(0, 4), "1404") << e["region"];
  ASSERT_FALSE(e["suggested_departments"].empty()) << e.dump();
  EXPECT_FALSE(e["routing"].is_null());
  const int64_t event_case = e["id"].get<int64_t>();
  // One open case per event: a second opening names the first.
  Reply again = Post("office", "/api/v1/cases", {{"event_id", event_id}});
  EXPECT_EQ(again.status, 409) << again;
  EXPECT_EQ(again.code(), "case_exists");
  EXPECT_EQ(again.body["error"]["details"]["case_id"], event_case);
  EXPECT_TRUE(
      Has(again.message(), fmt::format("event {} already has open case {}", event_id, event_case)));
  Reply unknown = Post("office", "/api/v1/cases", {{"event_id", 999}});
  EXPECT_EQ(unknown.status, 404) << unknown;
  Reply of_event = Get("office", fmt::format("/api/v1/cases?event={}", event_id));
  ASSERT_EQ(of_event.status, 200) << of_event;
  EXPECT_EQ(of_event.body["total"], 1);
  // Judged and assigned without naming a department: the routing's first suggestion takes it.
  ASSERT_EQ(Act("analyst", event_case, "judge", {{"nature", "安全生产事故"}}).status, 200);
  Reply assigned = Act("office", event_case, "assign");
  ASSERT_EQ(assigned.status, 200) << assigned;
  EXPECT_EQ(assigned.body["state"], "assigned");
  EXPECT_EQ(assigned.body["main_department"], e["suggested_departments"][0]);
}

TEST_F(CasesTest, TheWholePathIsVersionedLoggedAndAudited) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  const int64_t id = OpenManual("潞城区河道出现大面积死鱼");
  ASSERT_NE(id, 0);
  int64_t version = CaseOf(id)["version"].get<int64_t>();

  struct Step {
    std::string who, action;
    json args;
    std::string state;  // after
  };
  const std::vector<Step> steps = {
      {"analyst", "judge", {{"grade", "III"}, {"nature", "环境污染"}}, "judged"},
      {"office", "assign", {{"department", "lucheng.env"}, {"reason", "属地环保部门"}}, "assigned"},
      {"env", "accept", json::object(), "accepted"},
      {"env",
       "draft_response",
       {{"channel", "weibo"},
        {"speaker", "潞城分局"},
        {"text", "经初步调查，死鱼系上游企业违规排放所致，已责令停产整改，水质监测持续进行。"}},
       "responding"},
      {"leader", "approve_response", {{"response", 1}, {"note", "同意发布"}}, "responded"},
      {"env", "follow_up", {{"note", "持续监测水质"}}, "following_up"},
      {"analyst",
       "evaluate",
       {{"summary", "回应及时"},
        {"reflections", "上游排污监管需前移"},
        {"suggestions", "建立联防"}},
       "following_up"},
      {"office", "close", {{"resolved", true}, {"note", "整改到位"}}, "closed"},
      {"office", "finalise_evaluation", json::object(), "evaluated"},
  };
  for (const Step& s : steps) {
    SCOPED_TRACE(s.action);
    // Each change is made against the version the person saw (If-Match).
    Reply r = Act(s.who, id, s.action, s.args, {{"If-Match", fmt::format("\"{}\"", version)}});
    ASSERT_EQ(r.status, 200) << r;
    EXPECT_EQ(r.body["state"], s.state);
    EXPECT_EQ(r.body["version"], version + 1);
    EXPECT_EQ(r.etag, fmt::format("\"{}\"", version + 1));
    version = r.body["version"].get<int64_t>();
    Reply shown = Get("office", fmt::format("/api/v1/cases/{}", id));
    ASSERT_EQ(shown.status, 200);
    EXPECT_EQ(shown.etag, fmt::format("\"{}\"", version));
    EXPECT_EQ(shown.body["state"], s.state);
  }

  json c = CaseOf(id);
  EXPECT_EQ(c["grade"], "III");
  EXPECT_EQ(c["nature"], "环境污染");
  ASSERT_EQ(c["assignments"].size(), 1u);
  EXPECT_EQ(c["assignments"][0]["department"], "lucheng.env");
  EXPECT_EQ(c["assignments"][0]["accepted_by"], "env");
  ASSERT_EQ(c["responses"].size(), 1u);
  EXPECT_EQ(c["responses"][0]["status"], "published");
  EXPECT_EQ(c["responses"][0]["author"], "env");
  EXPECT_EQ(c["responses"][0]["department"], "lucheng.env");
  EXPECT_EQ(c["responses"][0]["reviewed_by"], "leader");
  EXPECT_FALSE(c["responses"][0]["published_at"].is_null());
  EXPECT_EQ(c["evaluation"]["reflections"], "上游排污监管需前移");
  EXPECT_EQ(c["evaluation"]["drafted_by"], "analyst");
  EXPECT_EQ(c["evaluation"]["finalised_by"], "office");
  EXPECT_FALSE(c["evaluation"]["facts"].is_null()) << "the facts are filled in by the server";
  EXPECT_EQ(c["resolved"], true);
  EXPECT_FALSE(c["closed_at"].is_null());
  for (const auto& d : c["deadlines"]) {
    if (d["obligation"] == "respond" || d["obligation"] == "resolve" ||
        d["obligation"] == "accept") {
      EXPECT_EQ(d["state"], "met") << d.dump();
    }
  }
  // An evaluated case is reopened or left alone: it takes no response, no closing, no
  // evaluation.
  std::set<std::string> allowed;
  for (const auto& a : c["allowed_actions"]) allowed.insert(a.get<std::string>());
  EXPECT_TRUE(allowed.count("reopen")) << c["allowed_actions"].dump();
  for (const char* a : {"draft_response", "close", "evaluate", "finalise_evaluation", "judge"}) {
    EXPECT_FALSE(allowed.count(a)) << a;
  }

  // The log: one line per change, in order, with who made it and the states.
  json log = LogOf(id);
  ASSERT_EQ(log.size(), steps.size() + 1) << log.dump(1);
  EXPECT_EQ(log[0]["action"], "open");
  std::string state = "new";
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(steps[i].action);
    EXPECT_EQ(log[i + 1]["action"], steps[i].action);
    EXPECT_EQ(log[i + 1]["actor"], steps[i].who);
    EXPECT_EQ(log[i + 1]["from_state"], state);
    EXPECT_EQ(log[i + 1]["to_state"], steps[i].state);
    state = steps[i].state;
  }
  EXPECT_EQ(log[2]["detail"]["department"], "lucheng.env");
  EXPECT_EQ(log[2]["detail"]["reason"], "属地环保部门");

  // The audit log: one entry per change, object_type "case", newest first, with the version
  // and state before and after.
  Reply audit =
      Get("yqadmin", fmt::format("/api/v1/audit?object_type=case&object_id={}&limit=100", id));
  ASSERT_EQ(audit.status, 200) << audit;
  json entries = audit.body["entries"];
  ASSERT_EQ(entries.size(), steps.size() + 1) << entries.dump(1);
  std::reverse(entries.begin(), entries.end());
  EXPECT_EQ(entries[0]["action"], "case.open");
  EXPECT_EQ(entries[0]["actor"], "office");
  EXPECT_EQ(entries[0]["to"]["state"], "new");
  for (size_t i = 0; i < steps.size(); ++i) {
    SCOPED_TRACE(steps[i].action);
    const json& a = entries[i + 1];
    EXPECT_EQ(a["object_type"], "case");
    EXPECT_EQ(a["object_id"], std::to_string(id));
    EXPECT_EQ(a["action"], "case." + steps[i].action);
    EXPECT_EQ(a["actor"], steps[i].who);
    EXPECT_EQ(a["to"]["state"], steps[i].state);
    EXPECT_EQ(a["from"]["version"].get<int64_t>() + 1, a["to"]["version"].get<int64_t>());
    EXPECT_EQ(a["from"]["state"], entries[i]["to"]["state"]);
  }
  EXPECT_EQ(entries[2]["reason"], "属地环保部门");
  EXPECT_EQ(entries[5]["reason"], "同意发布");
  Reply verify = Get("yqadmin", "/api/v1/audit/verify");
  ASSERT_EQ(verify.status, 200) << verify;
  EXPECT_EQ(verify.body["ok"], true) << verify;

  // A stale version is refused: the person reloads first.
  Reply stale = Act("office", id, "reopen", {{"reason", "群众再次反映"}},
                    {{"If-Match", fmt::format("\"{}\"", version - 1)}});
  EXPECT_EQ(stale.status, 412) << stale;
  EXPECT_EQ(stale.code(), "case_changed");
  EXPECT_TRUE(Has(stale.message(), fmt::format("now version {}", version)));
  EXPECT_EQ(CaseOf(id)["version"], version);
  // The evaluation draft is there to be read by everyone who sees the case.
  Reply draft = Get("env", fmt::format("/api/v1/cases/{}/evaluation/draft", id));
  ASSERT_EQ(draft.status, 200) << draft;
  EXPECT_EQ(draft.body["case"], id);
  EXPECT_TRUE(draft.body["facts"].is_object()) << draft;
}

TEST_F(CasesTest, RefusalsNameTheReasonAndChangeNothing) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  const int64_t id = OpenManual("潞城区学校周边道路积水");
  ASSERT_NE(id, 0);
  json before = CaseOf(id);
  size_t lines = 1;

  // A transition from the wrong state: the message names the state, what the action needs and
  // what is allowed now.
  ExpectRefused(
      Act("office", id, "assign", {{"department", "lucheng.env"}}), 409, "failed_precondition",
      {fmt::format("case {} is new (新建)", id), "assign needs judged", "Allowed now: judge"}, id,
      before, lines);
  // A bad deadline policy, when opening and on a case.
  Reply total = Get("yqadmin", "/api/v1/cases");
  Reply bad_open = Post("office", "/api/v1/cases",
                        {{"origin", "manual"},
                         {"title", "x"},
                         {"region", "140406"},
                         {"policy", {{"respond_within_hours", 0.001}}}});
  EXPECT_EQ(bad_open.status, 400) << bad_open;
  EXPECT_EQ(bad_open.code(), "invalid_policy");
  EXPECT_TRUE(
      Has(bad_open.message(), "\"respond_within_hours\" is 0.001, expected at least one minute"));
  Reply unknown_key = Post("office", "/api/v1/cases",
                           {{"origin", "manual"},
                            {"title", "x"},
                            {"region", "140406"},
                            {"policy", {{"respond_in_hours", 3}}}});
  EXPECT_EQ(unknown_key.status, 400) << unknown_key;
  EXPECT_TRUE(Has(unknown_key.message(), "unknown key \"respond_in_hours\""));
  EXPECT_EQ(Get("yqadmin", "/api/v1/cases").body["total"], total.body["total"]);
  ExpectRefused(Act("analyst", id, "set_policy",
                    {{"policy", {{"accept_within_hours", -1}}}, {"reason", "加急"}}),
                400, "invalid_argument", {"\"accept_within_hours\" is -1"}, id, before, lines);

  ASSERT_EQ(Act("analyst", id, "judge", {{"grade", "IV"}}).status, 200);
  Reply assigned =
      Act("office", id, "assign", {{"department", "lucheng.env"}, {"assist", {"cz.emergency"}}});
  ASSERT_EQ(assigned.status, 200) << assigned;
  lines += 2;
  before = assigned.body;
  ASSERT_EQ(before["assignments"].size(), 2u) << before["assignments"].dump();

  // A responder of another department: the assisting one may not do what the main department
  // does (403); one never assigned does not even see the case (404).
  ExpectRefused(
      Act("emergency", id, "return", {{"reason", "不属于我单位"}}), 403, "permission_denied",
      {"only the main department (lucheng.env) may do this", "you answer for \"cz.emergency\""}, id,
      before, lines);
  ExpectRefused(Act("czenv", id, "accept"), 404, "not_found",
                {fmt::format("no case with id {}", id)}, id, before, lines);
  ExpectRefused(Act("czenv", id, "draft_response", {{"channel", "weibo"}, {"text", "x"}}), 404,
                "not_found", {fmt::format("no case with id {}", id)}, id, before, lines);
  // Closing before any response.
  Reply accepted = Act("env", id, "accept");
  ASSERT_EQ(accepted.status, 200) << accepted;
  ++lines;
  before = accepted.body;
  ExpectRefused(
      Act("office", id, "close", {{"resolved", true}}), 409, "failed_precondition",
      {fmt::format("case {} is accepted (已签收)", id), "close needs responded, following_up"}, id,
      before, lines);

  // A response drafted by zhang of the office, who is then made a leader: the author may not
  // approve their own response (审核 takes a second person); a responder may not review at all.
  Reply drafted = Act("zhang", id, "draft_response",
                      {{"channel", "release"}, {"text", "积水已排除，道路恢复通行。"}});
  ASSERT_EQ(drafted.status, 200) << drafted;
  ++lines;
  EXPECT_EQ(drafted.body["state"], "responding");
  EXPECT_EQ(drafted.body["responses"][0]["author"], "zhang");
  EXPECT_EQ(drafted.body["responses"][0]["department"], "lucheng.env");
  RunResult promoted =
      Cli({"users", "set", "zhang", "--role", "leader", "--region", "140400", "--reason", "任命"});
  ASSERT_EQ(promoted.code, 0) << promoted.err;
  before = drafted.body;
  ExpectRefused(Act("zhang", id, "approve_response", {{"response", 1}}), 403, "permission_denied",
                {"response 1 was drafted by zhang", "another leader must review it"}, id, before,
                lines);
  ExpectRefused(Act("env", id, "approve_response", {{"response", 1}}), 403, "permission_denied",
                {"approve_responses"}, id, before, lines);
  Reply approved = Act("leader", id, "approve_response", {{"response", 1}});
  ASSERT_EQ(approved.status, 200) << approved;
  ++lines;
  EXPECT_EQ(approved.body["state"], "responded");
  before = approved.body;

  // Closing without the post-event evaluation.
  ExpectRefused(Act("office", id, "close", {{"resolved", true}}), 409, "failed_precondition",
                {fmt::format("close: case {} has no post-event evaluation", id)}, id, before,
                lines);

  // A rumour judged by the office is handed over only with another person's approval.
  Reply rumour = Act("office", id, "judge_rumour",
                     {{"claim", "积水导致学生溺亡"},
                      {"evidence", {"学校通报：无人员伤亡"}},
                      {"hand_to", "public_security"},
                      {"judgment", "经核实无人员伤亡，系谣言"}});
  ASSERT_EQ(rumour.status, 200) << rumour;
  ++lines;
  before = rumour.body;
  ExpectRefused(Act("office", id, "approve_rumour", {{"rumour", 1}}), 403, "permission_denied",
                {"office judged rumour decision 1", "another person must approve"}, id, before,
                lines);
  Reply handed = Act("leader", id, "approve_rumour", {{"rumour", 1}});
  ASSERT_EQ(handed.status, 200) << handed;
  ++lines;
  EXPECT_EQ(handed.body["rumours"][0]["status"], "handed_over");
  EXPECT_EQ(handed.body["rumours"][0]["approved_by"], "leader");

  // A response to a closed case.
  ASSERT_EQ(Act("analyst", id, "evaluate", {{"reflections", "排水设施老化"}}).status, 200);
  Reply closed = Act("office", id, "close", {{"resolved", true}});
  ASSERT_EQ(closed.status, 200) << closed;
  lines += 2;
  before = closed.body;
  ExpectRefused(Act("env", id, "draft_response", {{"channel", "weibo"}, {"text", "补充说明"}}), 409,
                "failed_precondition",
                {fmt::format("case {} is closed (已办结)", id),
                 "a closed case takes no response; reopen it first"},
                id, before, lines);
  // Missing and unknown fields are named.
  ExpectRefused(Act("office", id, "reopen"), 400, "invalid_argument",
                {"reopen: field \"reason\" is required"}, id, before, lines);
  Reply not_json =
      Send("office", "POST", fmt::format("/api/v1/cases/{}/reopen", id), json::array({1}));
  EXPECT_EQ(not_json.status, 400) << not_json;
  EXPECT_EQ(CaseOf(id)["version"], before["version"]);
}

TEST_F(CasesTest, RespondersSeeTheirDepartmentsCasesAndLeadersTheirRegions) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  const int64_t env_case = OpenManual("潞城区噪声扰民");
  const int64_t emergency_case = OpenManual("潞城区燃气泄漏隐患");
  const int64_t unassigned = OpenManual("潞城区路灯不亮");
  ASSERT_TRUE(env_case && emergency_case && unassigned);
  for (auto [id, dept] : {std::pair{env_case, "lucheng.env"}, {emergency_case, "cz.emergency"}}) {
    ASSERT_EQ(Act("analyst", id, "judge").status, 200);
    Reply r = Act("office", id, "assign", {{"department", dept}});
    ASSERT_EQ(r.status, 200) << r;
  }
  // The city department is one level up: the case is handed up to 长治.
  json up = CaseOf(emergency_case);
  EXPECT_EQ(up["handling_region"], "140400");
  ASSERT_EQ(up["handovers"].size(), 1u);
  EXPECT_EQ(up["handovers"][0]["direction"], "up");

  auto ids = [](const Reply& r) {
    std::vector<int64_t> out;
    for (const auto& c : r.body["cases"]) out.push_back(c["id"].get<int64_t>());
    return out;
  };
  Reply env = Get("env", "/api/v1/cases");
  ASSERT_EQ(env.status, 200) << env;
  EXPECT_EQ(ids(env), std::vector<int64_t>{env_case});
  EXPECT_EQ(env.body["total"], 1);
  // Asking for another department's cases still lists one's own only.
  Reply env_other = Get("env", "/api/v1/cases?department=cz.emergency");
  EXPECT_EQ(ids(env_other), std::vector<int64_t>{env_case});
  EXPECT_EQ(ids(Get("emergency", "/api/v1/cases")), std::vector<int64_t>{emergency_case});
  EXPECT_TRUE(ids(Get("czenv", "/api/v1/cases")).empty());
  for (int64_t other : {emergency_case, unassigned}) {
    Reply r = Get("env", fmt::format("/api/v1/cases/{}", other));
    EXPECT_EQ(r.status, 404) << r;
    EXPECT_TRUE(Has(r.message(), fmt::format("no case with id {}", other)));
    EXPECT_EQ(Get("env", fmt::format("/api/v1/cases/{}/log", other)).status, 404);
  }
  EXPECT_EQ(Get("env", fmt::format("/api/v1/cases/{}", env_case)).status, 200);
  // A responder stays able to read a case its department handed back (it was assigned once).
  ASSERT_EQ(Act("env", env_case, "return", {{"reason", "不属于本单位职责"}}).status, 200);
  EXPECT_EQ(Get("env", fmt::format("/api/v1/cases/{}", env_case)).status, 200);
  EXPECT_EQ(CaseOf(env_case)["state"], "judged");

  // Leaders: 长治's sees all three, 太原's none, and is told the case does not exist.
  Reply changzhi = Get("leader", "/api/v1/cases");
  EXPECT_EQ(changzhi.body["total"], 3) << changzhi;
  Reply taiyuan = Get("taiyuan", "/api/v1/cases");
  ASSERT_EQ(taiyuan.status, 200) << taiyuan;
  EXPECT_EQ(taiyuan.body["total"], 0);
  EXPECT_TRUE(taiyuan.body["cases"].empty());
  EXPECT_EQ(Get("taiyuan", "/api/v1/cases?region=140406").body["total"], 0);
  // The board's counts keep to the same scope: 长治's leader counts all three by state, the
  // environment branch only its returned case, 太原's leader nothing.
  Reply counts = Get("leader", "/api/v1/cases/counts");
  ASSERT_EQ(counts.status, 200) << counts;
  EXPECT_EQ(counts.body["total"], 3) << counts;
  EXPECT_EQ(counts.body["by_state"]["judged"].get<int64_t>() +
                counts.body["by_state"]["assigned"].get<int64_t>() +
                counts.body["by_state"]["new"].get<int64_t>(),
            3)
      << counts;
  EXPECT_EQ(counts.body["by_state"].size(), 9u);
  Reply env_counts = Get("env", "/api/v1/cases/counts");
  EXPECT_EQ(env_counts.body["total"], 1) << env_counts;
  EXPECT_EQ(env_counts.body["by_state"]["judged"], 1) << env_counts;
  EXPECT_EQ(Get("taiyuan", "/api/v1/cases/counts").body["total"], 0);
  EXPECT_EQ(Get("leader", "/api/v1/cases/counts?state=judged").body["total"],
            counts.body["by_state"]["judged"]);
  EXPECT_EQ(Get("leader", "/api/v1/cases/counts?state=nonsense").status, 400);
  for (int64_t id : {env_case, emergency_case, unassigned}) {
    Reply r = Get("taiyuan", fmt::format("/api/v1/cases/{}", id));
    EXPECT_EQ(r.status, 404) << r;
    EXPECT_TRUE(Has(r.message(), fmt::format("no case with id {}", id)));
    EXPECT_EQ(Get("taiyuan", fmt::format("/api/v1/cases/{}/evaluation/draft", id)).status, 404);
  }
  // Nor may 太原's office act on them.
  Reply acted = Act("tyoffice", unassigned, "judge");
  EXPECT_EQ(acted.status, 404) << acted;
  EXPECT_EQ(CaseOf(unassigned)["state"], "new");
}

TEST_F(CasesTest, OverdueClocksAreSupervisedThroughTheOutboxOnce) {
  RecordingReceiver receiver;
  const std::string notify =
      json::array({{{"kind", "webhook"},
                    {"address", fmt::format("http://127.0.0.1:{}/hook", receiver.port())}}})
          .dump();
  ASSERT_NO_FATAL_FAILURE(Serve({"cases.notify=" + notify}, "zh"));
  // A hotline call received four days ago: the response (48 h) and the reply (72 h) are
  // overdue; the resolution (15 days) is not. A case opened now is not due at all.
  const std::string received =
      BeijingTime(std::chrono::system_clock::now() - std::chrono::hours(96));
  Reply opened = Post("office", "/api/v1/cases",
                      {{"origin", "hotline"},
                       {"title", "潞城区供暖不热"},
                       {"region", "140406"},
                       {"received_at", received},
                       {"petitioner", {{"name", "赵先生"}, {"record_id", "HL-0002"}}}});
  ASSERT_EQ(opened.status, 201) << opened;
  const int64_t id = opened.body["id"].get<int64_t>();
  std::map<std::string, std::string> states;
  for (const auto& d : opened.body["deadlines"]) {
    states[d["obligation"].get<std::string>()] = d["state"].get<std::string>();
  }
  EXPECT_EQ(states, (std::map<std::string, std::string>{
                        {"respond", "overdue"}, {"reply", "overdue"}, {"resolve", "running"}}));
  const int64_t fresh = OpenManual("潞城区公园设施损坏");
  ASSERT_NE(fresh, 0);
  EXPECT_EQ(Post("env", "/api/v1/cases/sweep").status, 403);

  const auto swept_at = std::chrono::steady_clock::now();
  Reply sweep = Post("office", "/api/v1/cases/sweep");
  ASSERT_EQ(sweep.status, 200) << sweep;
  // "cases": the open cases the sweep looked at (those with something due: the overdue one at
  // least, the fresh one perhaps); only the overdue one changed.
  EXPECT_GE(sweep.body["cases"].get<int64_t>(), 1) << sweep;
  EXPECT_LE(sweep.body["cases"].get<int64_t>(), 2) << sweep;
  EXPECT_EQ(sweep.body["changed"], 1);
  EXPECT_EQ(sweep.body["notices"], 2);
  EXPECT_EQ(sweep.body["conflicts"], 0);
  EXPECT_TRUE(sweep.body["errors"].empty()) << sweep;

  // The case carries a supervision item per overdue clock, opened by the system.
  json c = CaseOf(id);
  ASSERT_EQ(c["supervision"].size(), 2u) << c["supervision"].dump(1);
  std::set<std::string> supervised;
  for (const auto& s : c["supervision"]) {
    supervised.insert(s["obligation"].get<std::string>());
    EXPECT_EQ(s["opened_by"], "system");
    EXPECT_TRUE(s["closed_at"].is_null());
    EXPECT_TRUE(Has(s["reason"].get<std::string>(), "已超期"));
  }
  EXPECT_EQ(supervised, (std::set<std::string>{"respond", "reply"}));
  EXPECT_EQ(c["version"], opened.body["version"].get<int64_t>() + 1);
  json log = LogOf(id);
  int supervise_lines = 0;
  for (const auto& e : log) {
    if (e["action"] == "supervise") {
      ++supervise_lines;
      EXPECT_EQ(e["actor"], "system");
    }
  }
  EXPECT_EQ(supervise_lines, 2) << log.dump(1);
  Reply audit = Get("yqadmin", fmt::format("/api/v1/audit?object_type=case&object_id={}", id));
  ASSERT_EQ(audit.status, 200);
  ASSERT_FALSE(audit.body["entries"].empty());
  EXPECT_EQ(audit.body["entries"][0]["action"], "case.sweep");
  EXPECT_EQ(audit.body["entries"][0]["actor"], "system");
  EXPECT_TRUE(CaseOf(fresh)["supervision"].empty());

  // The 督办 notices reach the receiver through the outbox (the server's deliverer).
  ASSERT_TRUE(PollUntil([&] { return receiver.requests().size() >= 2; }, std::chrono::seconds(60)))
      << "the receiver got " << receiver.requests().size() << " notices\n"
      << server_->Stderr();
  const auto delivered_after = std::chrono::steady_clock::now() - swept_at;
  std::cerr << "notices delivered "
            << std::chrono::duration_cast<std::chrono::milliseconds>(delivered_after).count()
            << " ms after the sweep\n";
  auto got = receiver.requests();
  ASSERT_EQ(got.size(), 2u);
  std::set<std::string> keys;
  for (const auto& r : got) {
    keys.insert(r.key);
    ASSERT_TRUE(r.body.is_object()) << r.body;
    EXPECT_EQ(r.body["type"], "yuqing.alert");
    std::string title = r.body["alert"]["title"];
    EXPECT_TRUE(Has(title, fmt::format("督办：案件 {}「潞城区供暖不热」", id)));
    EXPECT_TRUE(Has(title, "已超期"));
  }
  EXPECT_EQ(keys.size(), 2u);
  std::string titles = got[0].body["alert"]["title"].get<std::string>() + "\n" +
                       got[1].body["alert"]["title"].get<std::string>();
  EXPECT_TRUE(Has(titles, "回应已超期"));
  EXPECT_TRUE(Has(titles, "答复来信来电人已超期"));
  ASSERT_TRUE(PollUntil([&] {
    Reply o = Get("yqadmin", "/api/v1/outbox");
    return o.status == 200 && o.body["counts"]["delivered"] == 2;
  })) << Get("yqadmin", "/api/v1/outbox");

  // A second sweep sends nothing new and changes nothing.
  Reply second = Post("office", "/api/v1/cases/sweep");
  ASSERT_EQ(second.status, 200) << second;
  EXPECT_EQ(second.body["changed"], 0);
  EXPECT_EQ(second.body["notices"], 0);
  EXPECT_EQ(CaseOf(id)["version"], c["version"]);
  Reply outbox = Get("yqadmin", "/api/v1/outbox");
  EXPECT_EQ(outbox.body["counts"]["pending"], 0) << outbox;
  EXPECT_EQ(outbox.body["counts"]["delivered"], 2) << outbox;
  EXPECT_EQ(outbox.body["items"].size(), 2u);

  // Once the response is published (late), the sweep closes its supervision item by itself;
  // the reply's stays open until the caller is answered.
  ASSERT_EQ(Act("analyst", id, "judge").status, 200);
  ASSERT_EQ(Act("office", id, "assign", {{"department", "lucheng.env"}}).status, 200);
  ASSERT_EQ(Act("env", id, "accept").status, 200);
  ASSERT_EQ(
      Act("env", id, "draft_response", {{"channel", "website"}, {"text", "已安排检修。"}}).status,
      200);
  ASSERT_EQ(Act("leader", id, "approve_response", {{"response", 1}}).status, 200);
  Reply third = Post("office", "/api/v1/cases/sweep");
  ASSERT_EQ(third.status, 200) << third;
  EXPECT_EQ(third.body["notices"], 0);
  EXPECT_EQ(third.body["changed"], 1);
  auto item = [](const json& c, const std::string& obligation) {
    for (const auto& s : c["supervision"]) {
      if (s["obligation"] == obligation) return s;
    }
    return json();
  };
  c = CaseOf(id);
  EXPECT_EQ(item(c, "respond")["closed_by"], "system") << c["supervision"].dump(1);
  EXPECT_TRUE(Has(item(c, "respond")["outcome"].get<std::string>(), "met late at"));
  EXPECT_TRUE(item(c, "reply")["closed_at"].is_null()) << c["supervision"].dump(1);
  Reply replied = Act("env", id, "reply_petitioner", {{"reply", "已派人检修，今晚恢复供暖。"}});
  ASSERT_EQ(replied.status, 200) << replied;
  EXPECT_FALSE(replied.body["petitioner"]["replied_at"].is_null());
  Reply fourth = Post("office", "/api/v1/cases/sweep");
  ASSERT_EQ(fourth.status, 200) << fourth;
  EXPECT_EQ(fourth.body["notices"], 0);
  EXPECT_EQ(fourth.body["changed"], 1);
  c = CaseOf(id);
  EXPECT_EQ(item(c, "reply")["closed_by"], "system") << c["supervision"].dump(1);
  for (const auto& d : c["deadlines"]) {
    if (d["obligation"] == "respond" || d["obligation"] == "reply") {
      EXPECT_EQ(d["state"], "late") << d.dump();
    }
  }
  // Nothing more went out.
  EXPECT_EQ(Get("yqadmin", "/api/v1/outbox").body["items"].size(), 2u);
  EXPECT_EQ(Post("office", "/api/v1/cases/sweep").body["changed"], 0);
}

TEST_F(CasesTest, RiskAssessmentsAreKeptInTheirRegionAndAudited) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  Reply made = Post("leader", "/api/v1/risk-assessments",
                    {{"title", "潞城区化工园区扩建社会稳定风险评估"},
                     {"region", "140406"},
                     {"decision", "化工园区二期扩建"},
                     {"risks", "周边村民担心污染"},
                     {"plan", "公示、听证、环评信息公开"},
                     {"risk_level", 2},
                     {"keywords", {"化工园区", "扩建"}}});
  ASSERT_EQ(made.status, 201) << made;
  const int64_t id = made.body["id"].get<int64_t>();
  EXPECT_EQ(made.body["created_by"], "leader");
  EXPECT_EQ(made.body["risk_level"], 2);
  Reply missing = Post("leader", "/api/v1/risk-assessments", {{"title", "x"}});
  EXPECT_EQ(missing.status, 400) << missing;
  EXPECT_TRUE(Has(missing.message(), "field \"decision\" is required"));
  Reply outside = Post("taiyuan", "/api/v1/risk-assessments",
                       {{"title", "x"}, {"region", "140406"}, {"decision", "x"}, {"plan", "x"}});
  EXPECT_EQ(outside.status, 403) << outside;
  Reply changed = Send("analyst", "PUT", fmt::format("/api/v1/risk-assessments/{}", id),
                       {{"risk_level", 1}, {"reason", "舆情升温"}});
  ASSERT_EQ(changed.status, 200) << changed;
  EXPECT_EQ(changed.body["risk_level"], 1);
  EXPECT_EQ(changed.body["title"], made.body["title"]);
  Reply shown = Get("env", fmt::format("/api/v1/risk-assessments/{}", id));
  ASSERT_EQ(shown.status, 200) << shown;
  EXPECT_EQ(shown.body["risk_level"], 1);
  EXPECT_EQ(Get("taiyuan", fmt::format("/api/v1/risk-assessments/{}", id)).status, 404);
  EXPECT_TRUE(Get("taiyuan", "/api/v1/risk-assessments").body["risk_assessments"].empty());
  EXPECT_EQ(Get("leader", "/api/v1/risk-assessments").body["risk_assessments"].size(), 1u);
  Reply audit =
      Get("yqadmin", fmt::format("/api/v1/audit?object_type=risk_assessment&object_id={}", id));
  ASSERT_EQ(audit.status, 200) << audit;
  ASSERT_EQ(audit.body["entries"].size(), 2u) << audit;
  EXPECT_EQ(audit.body["entries"][0]["action"], "risk.update");
  EXPECT_EQ(audit.body["entries"][0]["actor"], "analyst");
  EXPECT_EQ(audit.body["entries"][0]["reason"], "舆情升温");
  EXPECT_EQ(audit.body["entries"][1]["action"], "risk.create");
  // A case opened on the decision refers to its assessment.
  const int64_t case_id = OpenManual("化工园区扩建引发村民聚集", {{"risk_assessment_id", id}});
  ASSERT_NE(case_id, 0);
  EXPECT_EQ(CaseOf(case_id)["risk_assessment_id"], id);
}

// Unattended: an alert of a configured policy opens a case by itself, once per event, and the
// server's own periodic sweep (nobody calls /cases/sweep) supervises an overdue clock and
// sends the notice through the outbox.
TEST_F(CasesTest, AlertPoliciesOpenCasesAndTheServerSweepsByItself) {
  RecordingReceiver receiver;
  const std::string policy_file = dir_.File("policy.json");
  {
    std::ofstream(policy_file) << json{
        {"name", "长治市较大以上舆情"},
        {"regions", {"1404"}},
        {"min_grade", "III"},
        {"targets", json::array()}}.dump();
  }
  RunResult added = Cli({"policies", "add", "--file", policy_file});
  ASSERT_EQ(added.code, 0) << added.err;
  const std::string notify =
      json::array({{{"kind", "webhook"},
                    {"address", fmt::format("http://127.0.0.1:{}/hook", receiver.port())}}})
          .dump();
  ASSERT_NO_FATAL_FAILURE(
      Serve({"cases.sweep_every_s=1", "cases.open_from_policies=1", "cases.notify=" + notify}));
  {
    httplib::Client c("127.0.0.1", port_);
    c.set_bearer_token_auth(tokens_.at("yqadmin"));
    auto res = c.Post("/api/v1/posts",
                      PostLine("a1", "2026-11-21T08:00:00+08:00",
                               "长治市潞城区一化工厂发生爆炸，现场浓烟滚滚，消防正在救援，已造成3人"
                               "死亡。") +
                          PostLine("a2", "2026-11-21T08:05:00+08:00",
                                   "潞城区化工厂爆炸事故最新消息：死亡人数上升至5人，另有12人受伤"
                                   "送医。"),
                      "application/x-ndjson");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
  }
  json alert;
  ASSERT_TRUE(PollUntil(
      [&] {
        Reply r = Get("yqadmin", "/api/v1/alerts");
        if (r.status != 200 || r.body["alerts"].empty()) return false;
        alert = r.body["alerts"][0];
        return true;
      },
      std::chrono::seconds(30)))
      << server_->Stderr();
  EXPECT_EQ(alert["policy_id"], 1);
  json opened;
  ASSERT_TRUE(PollUntil(
      [&] {
        Reply r = Get("yqadmin", "/api/v1/cases?origin=event");
        if (r.status != 200 || r.body["cases"].empty()) return false;
        opened = r.body["cases"][0];
        return true;
      },
      std::chrono::seconds(30)))
      << "no case was opened from alert " << alert.dump() << "\n"
      << server_->Stderr();
  const int64_t case_id = opened["id"].get<int64_t>();
  json c = CaseOf(case_id);
  EXPECT_EQ(c["event_id"], alert["event_id"]);
  EXPECT_EQ(c["created_by"], "system");
  EXPECT_EQ(c["state"], "new");
  json log = LogOf(case_id);
  ASSERT_FALSE(log.empty());
  EXPECT_EQ(log[0]["action"], "open");
  EXPECT_EQ(log[0]["actor"], "system");

  // A hotline call received four days ago: the periodic sweep finds its overdue clocks.
  Reply hotline =
      Post("office", "/api/v1/cases",
           {{"origin", "hotline"},
            {"title", "潞城区供暖不热"},
            {"region", "140406"},
            {"received_at", BeijingTime(std::chrono::system_clock::now() - std::chrono::hours(96))},
            {"petitioner", {{"name", "赵先生"}, {"record_id", "HL-0009"}}}});
  ASSERT_EQ(hotline.status, 201) << hotline;
  const int64_t hotline_id = hotline.body["id"].get<int64_t>();
  ASSERT_TRUE(PollUntil([&] { return CaseOf(hotline_id)["supervision"].size() == 2; },
                        std::chrono::seconds(30)))
      << CaseOf(hotline_id).dump(1) << "\n"
      << server_->Stderr();
  ASSERT_TRUE(PollUntil(
      [&] {
        int notices = 0;
        for (const auto& r : receiver.requests()) {
          if (r.body.is_object() && r.body.dump().find("潞城区供暖不热") != std::string::npos) {
            ++notices;
          }
        }
        return notices >= 2;
      },
      std::chrono::seconds(30)))
      << receiver.requests().size() << " requests";

  // The later sweeps opened no second case for the same event and supervised nothing twice.
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  EXPECT_EQ(Get("yqadmin", "/api/v1/cases?origin=event").body["total"], 1);
  EXPECT_EQ(CaseOf(hotline_id)["supervision"].size(), 2u);
}

// A dispute of the assignment (派单异议) decided by the coordinator, a report up (上报) and a
// merge of a duplicate (并单), over HTTP with the people who do them.
TEST_F(CasesTest, DisputesReportsUpAndMergesGoThroughTheApi) {
  ASSERT_NO_FATAL_FAILURE(Serve());
  const int64_t id = OpenManual("潞城区某路段路灯连续一周不亮");
  ASSERT_NE(id, 0);
  ASSERT_EQ(Act("office", id, "judge", {{"reason", "民生诉求"}}).status, 200);
  Reply assigned = Act("office", id, "assign", {{"department", "lucheng.env"}});
  ASSERT_EQ(assigned.status, 200) << assigned;
  EXPECT_EQ(assigned.body["state"], "assigned");

  // The environment branch objects: street lights are the housing bureau's.
  Reply disputed =
      Act("env", id, "dispute",
          {{"reason", "路灯由住建部门管理"}, {"suggested_department", "lucheng.housing"}});
  ASSERT_EQ(disputed.status, 200) << disputed;
  ASSERT_EQ(disputed.body["disputes"].size(), 1u);
  EXPECT_EQ(disputed.body["disputes"][0]["raised_by"], "env");
  json before = CaseOf(id);
  size_t lines = LogOf(id).size();
  ExpectRefused(Act("env", id, "accept"), 409, "failed_precondition", {"undecided dispute"}, id,
                before, lines);
  ExpectRefused(Act("env", id, "decide_dispute", {{"upheld", true}, {"decision", "同意"}}), 403,
                "permission_denied", {}, id, before, lines);
  Reply decided =
      Act("office", id, "decide_dispute", {{"upheld", true}, {"decision", "改由住建局主办"}});
  ASSERT_EQ(decided.status, 200) << decided;
  EXPECT_EQ(decided.body["state"], "assigned");
  EXPECT_EQ(decided.body["main_department"], "lucheng.housing");
  EXPECT_EQ(decided.body["disputes"][0]["upheld"], true);
  EXPECT_EQ(decided.body["disputes"][0]["decided_by"], "office");
  bool ended_by_dispute = false;
  for (const auto& a : decided.body["assignments"]) {
    if (a["department"] == "lucheng.env") {
      EXPECT_FALSE(a["active"].get<bool>());
      ended_by_dispute = a["end_reason"] == "dispute";
    }
  }
  EXPECT_TRUE(ended_by_dispute) << decided.body["assignments"].dump(1);
  // The environment branch no longer holds it: it cannot act on it any more.
  EXPECT_NE(Act("env", id, "accept").status, 200);

  // The district cannot handle it alone: the office reports it up to 长治市.
  const std::string region_before = CaseOf(id)["handling_region"];
  Reply up = Act("office", id, "hand_up", {{"reason", "涉及市级道路，超出区级职权"}});
  ASSERT_EQ(up.status, 200) << up;
  EXPECT_EQ(up.body["handling_region"], "140400") << "from " << region_before;
  ASSERT_FALSE(up.body["handovers"].empty());
  const json& h = up.body["handovers"].back();
  EXPECT_EQ(h["direction"], "up");
  EXPECT_EQ(h["to_region"], "140400");
  EXPECT_EQ(h["by"], "office");

  // A duplicate report of the same street lights is merged into the case.
  const int64_t dup = OpenManual("潞城区路灯不亮（重复反映）");
  ASSERT_NE(dup, 0);
  Reply merged = Act("office", dup, "merge", {{"into", id}, {"reason", "同一事项"}});
  ASSERT_EQ(merged.status, 200) << merged;
  EXPECT_EQ(merged.body["merged_into"], id);
  json target = CaseOf(id);
  EXPECT_NE(std::find(target["merged_from"].begin(), target["merged_from"].end(), dup),
            target["merged_from"].end())
      << target["merged_from"].dump();
  json dup_before = CaseOf(dup);
  ExpectRefused(Act("office", dup, "judge"), 409, "failed_precondition",
                {fmt::format("was merged into case {}", id)}, dup, dup_before, LogOf(dup).size());
  // Merging into a case that is itself merged, or into itself, is refused.
  const int64_t third = OpenManual("潞城区路灯问题（第三次反映）");
  EXPECT_EQ(Act("office", third, "merge", {{"into", dup}}).status, 409);
  EXPECT_NE(Act("office", third, "merge", {{"into", third}}).status, 200);
}

}  // namespace
}  // namespace yuqing::testing
