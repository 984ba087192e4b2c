#include "access/password.h"

#include <gtest/gtest.h>

namespace yuqing::access {
namespace {

TEST(PasswordTest, HashIsArgon2idAndVerifiesOnlyTheRightPassword) {
  auto h = HashPassword("长治市监测中心2026");
  ASSERT_TRUE(h.ok()) << h.status().message();
  EXPECT_TRUE(h->starts_with("$argon2id$")) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "长治市监测中心2026"));
  EXPECT_FALSE(VerifyPassword(*h, "长治市监测中心2027"));
  EXPECT_FALSE(VerifyPassword("", "x"));
  EXPECT_FALSE(VerifyPassword("not a hash", "x"));
  auto again = HashPassword("长治市监测中心2026");
  ASSERT_TRUE(again.ok());
  EXPECT_NE(*again, *h);  // salted
}

TEST(PasswordTest, PolicyNamesTheRuleThatFailed) {
  EXPECT_TRUE(CheckPasswordPolicy("correct horse battery", "zhang").ok());
  EXPECT_TRUE(CheckPasswordPolicy("潞城区应急值班室电话", "zhang").ok());
  EXPECT_NE(CheckPasswordPolicy("short1", "zhang").message().find("at least 10"),
            std::string::npos);
  EXPECT_NE(CheckPasswordPolicy("my-zhang-password", "Zhang").message().find("user name"),
            std::string::npos);
  EXPECT_NE(CheckPasswordPolicy("aaaaabbbbbaaaa", "zhang").message().find("4 different"),
            std::string::npos);
  EXPECT_NE(CheckPasswordPolicy("Password123", "zhang").message().find("common"),
            std::string::npos);
  EXPECT_NE(CheckPasswordPolicy(std::string("abcdefghij\xff"), "zhang").message().find("UTF-8"),
            std::string::npos);
  EXPECT_NE(CheckPasswordPolicy(std::string(129, 'x') + "abc", "z").message().find("at most"),
            std::string::npos);
}

TEST(PasswordTest, GeneratedPasswordsPassThePolicyAndDiffer) {
  std::string a = GeneratePassword(), b = GeneratePassword();
  EXPECT_EQ(a.size(), 20u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(CheckPasswordPolicy(a, "admin").ok());
}

}  // namespace
}  // namespace yuqing::access
