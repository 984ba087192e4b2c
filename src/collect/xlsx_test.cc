#include "collect/xlsx.h"

#include <gtest/gtest.h>

#include "testing/test_util.h"

namespace yuqing::collect {
namespace {

TEST(XlsxTest, ReadsSharedInlineAndNumberCellsOfTheFirstSheet) {
  std::string bytes =
      testing::ReadFile((testing::SourceDir() / "src/collect/testdata/mailbox.xlsx").string());
  auto rows = ReadXlsxRows(bytes);
  ASSERT_TRUE(rows.ok()) << rows.status().ToString();
  ASSERT_EQ(rows->size(), 4u);
  EXPECT_EQ((*rows)[0][0], "id");
  EXPECT_EQ((*rows)[0][5], "metrics.likes");
  EXPECT_EQ((*rows)[1][0], "1001");
  EXPECT_EQ((*rows)[1][1], "书记信箱：村道损坏");
  EXPECT_EQ((*rows)[1][5], "12");
  EXPECT_EQ((*rows)[2][0], "m-1002");
  EXPECT_EQ((*rows)[2][3], "46342.5");
  // A row whose first cell is missing keeps its columns in place.
  EXPECT_EQ((*rows)[3][0], "");
  EXPECT_EQ((*rows)[3][1], "市长信箱：供暖");
}

TEST(XlsxTest, ExcelDatesAreDaysSince1899) {
  EXPECT_DOUBLE_EQ(*ExcelSerialToCivilSeconds("25569"), 0);
  EXPECT_DOUBLE_EQ(*ExcelSerialToCivilSeconds("46342.5"), 1794830400);
  EXPECT_FALSE(ExcelSerialToCivilSeconds("2026-11-16").has_value());
}

TEST(XlsxTest, OtherFilesAreRefused) {
  EXPECT_EQ(ReadXlsxRows("source,id\n").status().message(), "not a ZIP archive (too short)");
  EXPECT_EQ(ReadXlsxRows(std::string(100, 'x')).status().message(), "not a ZIP archive");
}

}  // namespace
}  // namespace yuqing::collect
