#include "core/config.h"

#include <gtest/gtest.h>

#include <cmath>

#include "testing/test_util.h"

namespace yuqing::core {
namespace {

TEST(ConfigTest, FileAndOverridesApplyInOrder) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.toml"),
                     "[server]\nlisten = \"127.0.0.1:9999\"\n[ingest]\nmax_batch_records = 50\n");
  auto c = LoadConfigFile(dir.File("c.toml"));
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->listen, "127.0.0.1:9999");
  EXPECT_EQ(c->max_batch_records, 50);
  ASSERT_TRUE(ApplyConfigOverride(*c, "ingest.max_batch_records=7").ok());
  EXPECT_EQ(c->max_batch_records, 7);
}

TEST(ConfigTest, ErrorsNameTheKeyAndLine) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("c.toml"), "[server]\nlisten = \"x\"\n[ingest]\nbogus = 1\n");
  auto c = LoadConfigFile(dir.File("c.toml"));
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(":4: unknown option \"ingest.bogus\""), std::string::npos)
      << c.status().message();
  Config cfg;
  EXPECT_EQ(ApplyConfigOverride(cfg, "store.sync=sometimes").message(),
            "option store.sync: \"sometimes\" is not one of full, normal");
  EXPECT_EQ(ApplyConfigOverride(cfg, "ingest.batch_size=0").message(),
            "option ingest.batch_size: 0 is out of range [1, 100000]");
}

TEST(ConfigTest, ExampleFileDocumentsEveryOption) {
  std::string example =
      testing::ReadFile((testing::SourceDir() / "config/yuqing.example.toml").string());
  ASSERT_FALSE(example.empty());
  auto c = LoadConfigFile((testing::SourceDir() / "config/yuqing.example.toml").string());
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  for (const auto& opt : ConfigOptions()) {
    std::string key(opt.key);
    std::string name = key.substr(key.find('.') + 1);
    EXPECT_NE(example.find("\n" + name + " = "), std::string::npos) << key;
  }
}

}  // namespace
}  // namespace yuqing::core

namespace yuqing::core {
namespace {

TEST(ConfigTest, RiskThresholdsAreThreeNonIncreasingNumbersOrDashes) {
  auto t = ParseGradeThresholds("risk.heat", "-, 80,60");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_TRUE(std::isinf((*t)[0]));
  EXPECT_EQ((*t)[1], 80);
  EXPECT_EQ((*t)[2], 60);
  EXPECT_EQ(ParseGradeThresholds("risk.deaths", "30,10").status().message(),
            "option risk.deaths: \"30,10\" is not three thresholds \"I,II,III\" (e.g. \"30,10,3\"; "
            "- for never)");
  EXPECT_EQ(
      ParseGradeThresholds("risk.deaths", "3,10,30").status().message(),
      "option risk.deaths: \"3,10,30\": the threshold of a more severe grade cannot be lower");
  EXPECT_EQ(ParseGradeThresholds("risk.deaths", "30,ten,3").status().message(),
            "option risk.deaths: \"ten\" in \"30,ten,3\" is not a non-negative number or -");
  Config c;
  EXPECT_FALSE(ApplyConfigOverride(c, "risk.injured=1,2,3").ok());
  EXPECT_EQ(c.risk_injured, "100,50,10");
  ASSERT_TRUE(ApplyConfigOverride(c, "risk.injured=200,100,20").ok());
  EXPECT_EQ(c.risk_injured, "200,100,20");
  EXPECT_FALSE(ApplyConfigOverride(c, "risk.escalation_cap=V").ok());
}

}  // namespace
}  // namespace yuqing::core
