#include "collect/encoding.h"

#include <gtest/gtest.h>

namespace yuqing::collect {
namespace {

// "长治" in GBK.
const std::string kGbkChangzhi = "\xb3\xa4\xd6\xce";

TEST(EncodingTest, CharsetComesFromTheHeaderThenTheDocument) {
  EXPECT_EQ(CharsetFromContentType("text/xml; charset=GBK"), "gbk");
  EXPECT_EQ(CharsetFromContentType("text/html;charset=\"utf-8\""), "utf-8");
  EXPECT_EQ(CharsetFromContentType("application/rss+xml"), "");
  EXPECT_EQ(CharsetFromDocument("<?xml version=\"1.0\" encoding=\"GB2312\"?><rss/>"), "gb2312");
  EXPECT_EQ(CharsetFromDocument("<html><head><meta charset=\"gbk\"></head>"), "gbk");
  EXPECT_EQ(CharsetFromDocument("<html><head><meta http-equiv=\"Content-Type\" "
                                "content=\"text/html; charset=gb18030\"></head>"),
            "gb18030");
  EXPECT_EQ(ChooseCharset("text/xml; charset=utf-8", "<?xml encoding=\"gbk\"?>"), "utf-8");
  EXPECT_EQ(ChooseCharset("", "<?xml version=\"1.0\" encoding=\"gbk\"?>"), "gbk");
  // Nothing declared: valid UTF-8 is UTF-8, anything else is taken for GB18030.
  EXPECT_EQ(ChooseCharset("", "长治"), "utf-8");
  EXPECT_EQ(ChooseCharset("", kGbkChangzhi), "gb18030");
}

TEST(EncodingTest, GbkAndGb2312AreConvertedAsGb18030) {
  EXPECT_EQ(*ToUtf8(kGbkChangzhi, "GBK"), "长治");
  EXPECT_EQ(*ToUtf8(kGbkChangzhi, "gb2312"), "长治");
  // 镕 is outside GB2312 but in GBK: a page labelled GB2312 still converts.
  auto rong = ToUtf8("\xe9\x46", "gb2312");
  ASSERT_TRUE(rong.ok()) << rong.status().ToString();
  EXPECT_EQ(*rong, "镕");
  EXPECT_EQ(*ToUtf8("\xEF\xBB\xBF长治", "utf-8"), "长治");
}

TEST(EncodingTest, InvalidSequencesAreReportedWithTheirOffset) {
  auto bad = ToUtf8("ok\xff\xfe", "utf-8");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "byte 2 is not valid UTF-8");
  auto cut = ToUtf8("ab\xb3", "gbk");
  ASSERT_FALSE(cut.ok());
  EXPECT_EQ(cut.status().message(), "byte 2 is not valid GB18030 (truncated sequence)");
  EXPECT_EQ(ToUtf8("x", "klingon").status().message(), "unknown character set \"klingon\"");
}

}  // namespace
}  // namespace yuqing::collect
