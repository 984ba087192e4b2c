// The browser's doors: cookie sessions with their CSRF token, failed-login limits, and the
// built workbench served with its security headers.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "access/password.h"
#include "core/time.h"
#include "server/auth.h"
#include "server/http_server.h"
#include "server/test_accounts.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"
#include "text/tokenizer.h"

namespace yuqing::server {
namespace {

using nlohmann::json;
constexpr const char* kPassword = "监测员的长密码-2026";

class WebTest : public ::testing::Test {
 protected:
  void Start(core::Config config) {
    config.listen = "127.0.0.1:0";
    config.server_threads = 4;
    store_ = std::move(store::sqlite::OpenSqliteStore(dir_.File("y.db"))).value();
    ingestor_ = std::make_unique<pipeline::Ingestor>(*store_, text::MakeBigramTokenizer(), clock_);
    server_ = std::make_unique<HttpServer>(config, *store_, *ingestor_, clock_);
    ASSERT_TRUE(server_->Bind().ok());
    thread_ = std::thread([this] { (void)server_->Run(); });
    for (const char* name : {"wang", "li"}) {
      token_ = *NewApiToken();
      ASSERT_NE(AddUserToken(*store_, name, model::Role::kMonitor, std::string("t-") + name, token_,
                             clock_.Now()),
                0);
      model::User u = **store_->GetUserByName(name);
      u.password_hash = *access::HashPassword(kPassword);
      ASSERT_TRUE(store_
                      ->UpdateUser(u, Draft(CommandLinePrincipal(), clock_.Now(), "user.password",
                                            "user", name, "", ""))
                      .ok());
    }
    ASSERT_TRUE(testing::PollUntil([&] { return Client()->Get("/healthz") != nullptr; }));
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  std::unique_ptr<httplib::Client> Client() {
    auto c = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    c->set_read_timeout(10, 0);
    return c;
  }

  httplib::Result Login(const std::string& name, const std::string& password,
                        const httplib::Headers& headers = {}) {
    return Client()->Post("/api/v1/login", headers,
                          json{{"name", name}, {"password", password}, {"cookie", true}}.dump(),
                          "application/json");
  }

  // The session secret from a login answer's Set-Cookie.
  static std::string CookieOf(const httplib::Response& res) {
    std::string c = res.get_header_value("Set-Cookie");
    auto eq = c.find('=');
    auto semi = c.find(';');
    return c.substr(eq + 1, semi - eq - 1);
  }

  testing::TempDir dir_;
  core::FakeClock clock_{*core::ParseIso8601("2026-11-16T09:00:00+08:00")};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<pipeline::Ingestor> ingestor_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  std::string token_;
};

TEST_F(WebTest, CookieLoginSetsAnHttpOnlyStrictCookieAndKeepsTheSecretOutOfTheBody) {
  Start(core::Config{});
  auto res = Login("wang", kPassword);
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200) << res->body;
  std::string cookie = res->get_header_value("Set-Cookie");
  EXPECT_TRUE(cookie.starts_with("yq_session=yq_")) << cookie;
  EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos);
  EXPECT_NE(cookie.find("; SameSite=Strict"), std::string::npos);
  EXPECT_NE(cookie.find("; Path=/"), std::string::npos);
  EXPECT_NE(cookie.find("; Max-Age=43200"), std::string::npos) << "12 hours by default";
  EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain HTTP without a proxy";
  json body = json::parse(res->body);
  EXPECT_FALSE(body.contains("token"));
  EXPECT_EQ(body["user"]["name"], "wang");
  EXPECT_EQ(body["csrf_token"], CsrfToken(CookieOf(*res)));
  EXPECT_EQ(body["csrf_token"].get<std::string>().size(), 32u);
}

TEST_F(WebTest, ACookieSessionReadsFreelyButChangesOnlyWithItsCsrfToken) {
  Start(core::Config{});
  auto login = Login("wang", kPassword);
  ASSERT_EQ(login->status, 200);
  std::string secret = CookieOf(*login);
  std::string csrf = json::parse(login->body)["csrf_token"];
  httplib::Headers cookie{{"Cookie", "theme=dark; yq_session=" + secret}};

  auto me = Client()->Get("/api/v1/me", cookie);
  ASSERT_EQ(me->status, 200) << me->body;
  EXPECT_EQ(json::parse(me->body)["name"], "wang");
  EXPECT_EQ(json::parse(me->body)["csrf_token"], csrf) << "a reloaded page gets it back";
  // The bearer path does not hand out CSRF tokens (it needs none).
  auto c = Client();
  c->set_bearer_token_auth(token_);
  EXPECT_FALSE(json::parse(c->Get("/api/v1/me")->body).contains("csrf_token"));

  auto no_csrf = Client()->Post("/api/v1/logout", cookie, "{}", "application/json");
  EXPECT_EQ(no_csrf->status, 403);
  EXPECT_EQ(json::parse(no_csrf->body)["error"]["code"], "csrf_failed");
  httplib::Headers wrong = cookie;
  wrong.emplace("X-CSRF-Token", std::string(32, '0'));
  EXPECT_EQ(Client()->Post("/api/v1/logout", wrong, "{}", "application/json")->status, 403);
  // Another session's token does not fit this session.
  auto other = Login("li", kPassword);
  httplib::Headers crossed = cookie;
  crossed.emplace("X-CSRF-Token", json::parse(other->body)["csrf_token"].get<std::string>());
  EXPECT_EQ(Client()->Post("/api/v1/logout", crossed, "{}", "application/json")->status, 403);
  EXPECT_EQ(Client()->Get("/api/v1/me", cookie)->status, 200) << "the refusals changed nothing";

  httplib::Headers right = cookie;
  right.emplace("X-CSRF-Token", csrf);
  auto out = Client()->Post("/api/v1/logout", right, "{}", "application/json");
  ASSERT_EQ(out->status, 200) << out->body;
  EXPECT_TRUE(out->get_header_value("Set-Cookie").starts_with("yq_session=; Path=/; Max-Age=0"));
  auto after = Client()->Get("/api/v1/me", cookie);
  EXPECT_EQ(after->status, 401);
}

TEST_F(WebTest, TheLiveStreamAcceptsTheSessionCookie) {
  Start(core::Config{});
  auto login = Login("wang", kPassword);
  httplib::Headers cookie{{"Cookie", "yq_session=" + CookieOf(*login)}};
  int status = 0;
  std::string type;
  Client()->Get(
      "/api/v1/alerts/stream", cookie,
      [&](const httplib::Response& res) {
        status = res.status;
        type = res.get_header_value("Content-Type");
        return false;  // the headers are enough
      },
      [](const char*, size_t) { return false; });
  EXPECT_EQ(status, 200);
  EXPECT_TRUE(type.starts_with("text/event-stream")) << type;
}

TEST_F(WebTest, OnlyALoginSessionIsAcceptedAsACookie) {
  Start(core::Config{});
  // token_ is a user API token (no expiry): sent as a cookie it is refused, so a token pasted
  // into a browser never becomes a cookie session without CSRF protection.
  auto res = Client()->Get("/api/v1/me", {{"Cookie", "yq_session=" + token_}});
  EXPECT_EQ(res->status, 401);
  EXPECT_NE(res->body.find("not hold a login session"), std::string::npos) << res->body;
  EXPECT_EQ(Client()->Get("/api/v1/me", {{"Cookie", "yq_session=yq_forged"}})->status, 401);
}

TEST_F(WebTest, TheSecureFlagFollowsTheConfigurationAndTheProxy) {
  core::Config config;
  config.cookie_secure = "auto";
  Start(config);
  auto proxied = Login("wang", kPassword, {{"X-Forwarded-Proto", "https"}});
  EXPECT_NE(proxied->get_header_value("Set-Cookie").find("; Secure"), std::string::npos);
  auto plain = Login("wang", kPassword);
  EXPECT_EQ(plain->get_header_value("Set-Cookie").find("Secure"), std::string::npos);
}

TEST_F(WebTest, CookieSecureAlwaysSetsTheFlagOnPlainRequests) {
  core::Config config;
  config.cookie_secure = "always";
  Start(config);
  EXPECT_NE(Login("wang", kPassword)->get_header_value("Set-Cookie").find("; Secure"),
            std::string::npos);
}

TEST_F(WebTest, FailedLoginsAreLimitedPerUserUntilTheWindowPasses) {
  core::Config config;
  config.login_failures_per_user = 3;
  config.login_failures_per_address = 100;
  config.login_window_minutes = 15;
  Start(config);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Login("wang", "wrong-password-1")->status, 401);
  // Even the right password is refused now, before it is checked.
  auto refused = Login("wang", kPassword);
  ASSERT_EQ(refused->status, 429) << refused->body;
  json err = json::parse(refused->body)["error"];
  EXPECT_EQ(err["code"], "too_many_logins");
  EXPECT_NE(err["message"].get<std::string>().find("for user \"wang\""), std::string::npos);
  EXPECT_EQ(refused->get_header_value("Retry-After"), "900");
  EXPECT_EQ(err["details"]["retry_after_s"], 900);
  EXPECT_EQ(Login("li", kPassword)->status, 200) << "another user is not affected";
  clock_.Advance(std::chrono::minutes(15));
  EXPECT_EQ(Login("wang", kPassword)->status, 200);
}

TEST_F(WebTest, FailedLoginsAreLimitedPerClientAddress) {
  core::Config config;
  config.login_failures_per_user = 100;
  config.login_failures_per_address = 4;
  Start(config);
  // A proxy on this machine names the client in X-Forwarded-For (its last entry).
  httplib::Headers from_a{{"X-Forwarded-For", "198.51.100.7, 203.0.113.5"}};
  for (int i = 0; i < 4; ++i) {
    EXPECT_EQ(Login("guess" + std::to_string(i), "wrong-password-1", from_a)->status, 401);
  }
  auto refused = Login("wang", kPassword, from_a);
  ASSERT_EQ(refused->status, 429);
  EXPECT_NE(refused->body.find("from address 203.0.113.5"), std::string::npos) << refused->body;
  EXPECT_EQ(Login("wang", kPassword, {{"X-Forwarded-For", "203.0.113.6"}})->status, 200);
}

class WebFilesTest : public WebTest {
 protected:
  void SetUp() override {
    root_ = dir_.File("dist");
    std::filesystem::create_directories(root_ + "/assets");
    std::filesystem::create_directories(root_ + "/maps");
    Write("index.html", "<!doctype html><div id=app></div><script src=/assets/app-1a2b.js>");
    Write("assets/app-1a2b.js", "console.log('app')");
    Write("maps/china.json", R"({"type":"FeatureCollection","features":[]})");
    std::ofstream(dir_.File("secret.txt")) << "not for the web";
  }
  void Write(const std::string& rel, const std::string& text) {
    std::ofstream(root_ + "/" + rel) << text;
  }
  std::string root_;
};

TEST_F(WebFilesTest, ServesTheBuiltApplicationWithItsSecurityHeaders) {
  core::Config config;
  config.web_dir = root_;
  Start(config);
  auto index = Client()->Get("/");
  ASSERT_EQ(index->status, 200);
  EXPECT_EQ(index->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_NE(index->body.find("id=app"), std::string::npos);
  std::string csp = index->get_header_value("Content-Security-Policy");
  EXPECT_NE(csp.find("script-src 'self';"), std::string::npos) << csp;
  EXPECT_NE(csp.find("object-src 'none'"), std::string::npos);
  EXPECT_NE(csp.find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_EQ(index->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(index->get_header_value("Cache-Control"), "no-cache");

  auto js = Client()->Get("/assets/app-1a2b.js");
  ASSERT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("Content-Type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(js->get_header_value("Cache-Control"), "public, max-age=31536000, immutable");
  auto map = Client()->Get("/maps/china.json");
  ASSERT_EQ(map->status, 200);
  EXPECT_EQ(map->get_header_value("Cache-Control"), "no-cache") << "a replaceable asset";

  // The application's own routes load the page; a missing file is a 404.
  auto route = Client()->Get("/cases/12");
  ASSERT_EQ(route->status, 200);
  EXPECT_EQ(route->body, index->body);
  EXPECT_EQ(Client()->Get("/assets/app-gone.js")->status, 404);
  // Nothing outside the root, however the path is written.
  for (const char* p : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"}) {
    auto r = Client()->Get(p);
    ASSERT_TRUE(r) << p;
    EXPECT_EQ(r->body.find("not for the web"), std::string::npos) << p;
  }
  // Unknown API paths stay JSON errors, not the page.
  auto c = Client();
  c->set_bearer_token_auth(token_);
  auto api = c->Get("/api/v1/no-such-thing");
  EXPECT_EQ(api->status, 404);
  EXPECT_EQ(json::parse(api->body)["error"]["code"], "no_such_endpoint");
  EXPECT_EQ(Client()->Get("/api/v1/no-such-thing")->status, 401) << "strangers learn nothing";
}

TEST_F(WebFilesTest, WithoutTheBuildTheServerSaysHowToBuildIt) {
  core::Config config;
  config.web_dir = dir_.File("not-built");
  Start(config);
  auto res = Client()->Get("/events");
  ASSERT_EQ(res->status, 503);
  EXPECT_NE(res->body.find("make web"), std::string::npos);
  EXPECT_NE(res->body.find("npm run build"), std::string::npos);
  EXPECT_EQ(Client()->Get("/healthz")->status, 200) << "the API works without it";
}

}  // namespace
}  // namespace yuqing::server
