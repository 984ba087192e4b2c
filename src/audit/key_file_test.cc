#include "audit/key_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "testing/test_util.h"

namespace yuqing::audit {
namespace {

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0);
  return st.st_mode & 07777;
}

TEST(AuditKeyFileTest, DefaultPathIsBesideTheDatabase) {
  EXPECT_EQ(DefaultKeyPath("/var/lib/yuqing/yuqing.db"), "/var/lib/yuqing/yuqing.db.audit-key");
}

TEST(AuditKeyFileTest, CreatedOnFirstUseWithMode0600ThenReused) {
  testing::TempDir dir;
  std::string path = DefaultKeyPath(dir.File("yuqing.db"));
  EXPECT_EQ(ReadKeyFile(path).status().code(), StatusCode::kNotFound);

  bool created = false;
  auto first = LoadOrCreateKeyFile(path, &created);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(created);
  EXPECT_EQ(ModeOf(path), 0600u);
  // No temporary file is left behind.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++files;
  EXPECT_EQ(files, 1);

  auto second = LoadOrCreateKeyFile(path, &created);
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(created);
  EXPECT_EQ(second->PublicKeyText(), first->PublicKeyText());
  EXPECT_NE(testing::ReadFile(path).find(first->PublicKeyText()), std::string::npos);
}

TEST(AuditKeyFileTest, KeyReadableByOthersIsRefused) {
  testing::TempDir dir;
  std::string path = dir.File("db.audit-key");
  ASSERT_TRUE(LoadOrCreateKeyFile(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0644), 0);
  auto key = ReadKeyFile(path);
  ASSERT_EQ(key.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(key.status().message().find("chmod 600"), std::string::npos);
  // LoadOrCreate does not replace a key it may not read.
  EXPECT_EQ(LoadOrCreateKeyFile(path).status().code(), StatusCode::kFailedPrecondition);
}

TEST(AuditKeyFileTest, GarbageIsNotAKey) {
  testing::TempDir dir;
  std::string path = dir.File("db.audit-key");
  testing::WriteFile(path, "hello\n");
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto key = ReadKeyFile(path);
  EXPECT_EQ(key.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(key.status().message().find(path), std::string::npos);
}

}  // namespace
}  // namespace yuqing::audit
