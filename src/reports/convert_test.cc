// PDF through headless Chromium and DOCX through pandoc, checked with the tools offices' files
// are checked with: pdftotext and pdftoppm (poppler-utils) for the PDF, the document XML for
// the DOCX. Skipped only when a tool is absent (scripts/setup.sh installs them).
#include "reports/convert.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "reports/assemble.h"
#include "reports/gather.h"
#include "reports/scenario_test_util.h"
#include "store/sqlite/sqlite_store.h"
#include "testing/test_util.h"

namespace yuqing::reports {
namespace {

bool Have(const char* tool) {
  std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

std::string Output(const std::string& cmd) {
  std::string out;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (p == nullptr) return out;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  ::pclose(p);
  return out;
}

class ConvertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = store::sqlite::OpenSqliteStore(dir_.File("y.db"));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s).value();
    ASSERT_TRUE(testing::FillScenario(*store_));
    Scope scope;
    scope.from = *ParseLocalDate(testing::kDay, 480, "--date");
    scope.to = scope.from + std::chrono::hours(24);
    scope.now = testing::Now();
    auto f = GatherPeriod(StoreRefs{*store_, *store_, *store_, *store_, nullptr}, scope, {});
    ASSERT_TRUE(f.ok()) << f.status().ToString();
    report_ = AssembleDaily(*f);
  }

  ::yuqing::testing::TempDir dir_;
  std::unique_ptr<store::Store> store_;
  Report report_;
};

TEST_F(ConvertTest, PdfHasTheChineseHeadingsAndRendersToPng) {
  if (!Have("chromium")) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  if (!Have("pdftotext") || !Have("pdftoppm")) {
    GTEST_SKIP() << "pdftotext/pdftoppm are not installed (apt-get install poppler-utils)";
  }
  std::string pdf = dir_.File("daily.pdf");
  Status st = WriteReport(report_, Template::Default(), {}, Format::kPdf, pdf);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_GT(std::filesystem::file_size(pdf), 1000u);
  std::string text = Output("pdftotext -enc UTF-8 '" + pdf + "' -");
  for (const char* heading :
       {"舆情日报", "一、总体态势", "二、传播渠道", "五、舆情事件", "附录：数据来源", "内部资料"}) {
    EXPECT_NE(text.find(heading), std::string::npos) << heading << " not in the PDF text";
  }
  // Page numbers from the @page margin box: "— 1 —" (pdftotext drops the spaces).
  std::string compact;
  for (char ch : text) {
    if (ch != ' ') compact += ch;
  }
  EXPECT_NE(compact.find("—1—"), std::string::npos);
  EXPECT_NE(compact.find("—2—"), std::string::npos);
  // Page 1 rendered to PNG.
  std::string prefix = dir_.File("page");
  ASSERT_EQ(std::system(("pdftoppm -png -r 50 -f 1 -l 1 '" + pdf + "' '" + prefix + "'").c_str()),
            0);
  bool found = false;
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    if (e.path().filename().string().starts_with("page") && e.path().extension() == ".png") {
      found = std::filesystem::file_size(e.path()) > 1000;
    }
  }
  EXPECT_TRUE(found);
  std::string info = Output("pdfinfo '" + pdf + "'");
  EXPECT_NE(info.find("(A4)"), std::string::npos) << info;
}

TEST_F(ConvertTest, DocxHasTheHeadingsTablesAndChartImages) {
  if (!Have("pandoc")) GTEST_SKIP() << "pandoc is not installed (apt-get install pandoc)";
  if (!Have("rsvg-convert")) GTEST_SKIP() << "rsvg-convert is not installed (librsvg2-bin)";
  if (!Have("unzip")) GTEST_SKIP() << "unzip is not installed";
  std::string docx = dir_.File("daily.docx");
  ConvertOptions c;
  c.reference_docx = (::yuqing::testing::SourceDir() / "data/reports/reference.docx").string();
  Status st = WriteReport(report_, Template::Default(), {}, Format::kDocx, docx, c);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::string xml = Output("unzip -p '" + docx + "' word/document.xml");
  for (const char* heading : {"舆情日报", "一、总体态势", "五、舆情事件", "附录：数据来源"}) {
    EXPECT_NE(xml.find(heading), std::string::npos) << heading << " not in the DOCX";
  }
  EXPECT_NE(xml.find("<w:tbl>"), std::string::npos);
  EXPECT_NE(xml.find("<w:drawing>"), std::string::npos);
  std::string media = Output("unzip -l '" + docx + "'");
  EXPECT_NE(media.find("word/media/"), std::string::npos);
  // The office's Word styles: A4, GB/T 9704 margins, Chinese fonts.
  EXPECT_NE(xml.find("<w:pgSz w:h=\"16838\" w:w=\"11906\" />"), std::string::npos);
  std::string styles = Output("unzip -p '" + docx + "' word/styles.xml");
  EXPECT_NE(styles.find("w:eastAsia=\"Noto Serif CJK SC\""), std::string::npos);
  // Hostile post text stays text.
  EXPECT_EQ(xml.find("<script>"), std::string::npos);
}

// The DOCX as an office opens it: LibreOffice headless (Debian libreoffice-writer-nogui, which
// scripts/setup.sh installs) reads it back to text and prints it to PDF. A private profile
// directory keeps parallel runs apart.
TEST_F(ConvertTest, LibreOfficeOpensTheDocxWithItsHeadingsTablesFontsAndPageNumbers) {
  ASSERT_TRUE(Have("soffice"))
      << "soffice is not installed: apt-get install libreoffice-writer-nogui (scripts/setup.sh)";
  ASSERT_TRUE(Have("pandoc") && Have("rsvg-convert") && Have("pdftotext") && Have("pdffonts"))
      << "the report tools are missing: run scripts/setup.sh";
  std::string docx = dir_.File("daily.docx");
  ConvertOptions c;
  c.reference_docx = (::yuqing::testing::SourceDir() / "data/reports/reference.docx").string();
  Status st = WriteReport(report_, Template::Default(), {}, Format::kDocx, docx, c);
  ASSERT_TRUE(st.ok()) << st.ToString();
  std::string profile = "file://" + dir_.File("lo-profile");
  std::string soffice = "timeout 180 soffice --headless -env:UserInstallation=" + profile +
                        " --convert-to {} --outdir '" + dir_.path().string() + "' '" + docx +
                        "' >/dev/null 2>&1";
  auto run = [&](const char* to) {
    std::string cmd = soffice;
    cmd.replace(cmd.find("{}"), 2, to);
    return std::system(cmd.c_str());
  };
  ASSERT_EQ(run("txt:Text"), 0);
  std::string text = ::yuqing::testing::ReadFile(dir_.File("daily.txt"));
  ASSERT_FALSE(text.empty()) << "LibreOffice wrote no text";
  for (const char* words : {"舆情日报", "一、总体态势", "二、传播渠道", "五、舆情事件",
                            "附录：数据来源", "信息量（条）"}) {
    EXPECT_NE(text.find(words), std::string::npos) << words << " not in LibreOffice's text";
  }
  EXPECT_NE(text.find(report_.summary.substr(0, 30)), std::string::npos) << report_.summary;
  EXPECT_EQ(text.find("\xEF\xBF\xBD"), std::string::npos) << "U+FFFD in the text";
  EXPECT_EQ(text.find("<script>"), std::string::npos);

  ASSERT_EQ(run("pdf"), 0);
  std::string pdf = dir_.File("daily.pdf");
  std::string printed = Output("pdftotext '" + pdf + "' -");
  EXPECT_NE(printed.find("一、总体态势"), std::string::npos);
  // The reference document's footer: the page number as "— 1 —" on every page.
  EXPECT_NE(printed.find("—1—"), std::string::npos) << printed.substr(0, 2000);
  std::string fonts = Output("pdffonts '" + pdf + "'");
  EXPECT_NE(fonts.find("NotoSerifCJK"), std::string::npos) << fonts;
  // Every font is embedded: a CJK glyph missing from the fonts would have no font to be in.
  EXPECT_EQ(Output("pdffonts '" + pdf + "' | awk 'NR>2 && $(NF-4)==\"no\"'"), "") << fonts;
}

TEST_F(ConvertTest, MissingToolNamesThePackageAndLeavesNoFile) {
  ConvertOptions c;
  c.chromium = "/nonexistent/chromium";
  c.pandoc = "/nonexistent/pandoc";
  std::string pdf = dir_.File("daily.pdf");
  Status st = WriteReport(report_, Template::Default(), {}, Format::kPdf, pdf, c);
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(st.message().find("install the Debian package chromium"), std::string::npos)
      << st.message();
  EXPECT_FALSE(std::filesystem::exists(pdf));
  st = WriteReport(report_, Template::Default(), {}, Format::kDocx, dir_.File("d.docx"), c);
  EXPECT_NE(st.message().find("install the Debian package pandoc"), std::string::npos);
  // An existing file is left as it was when a render fails.
  ::yuqing::testing::WriteFile(pdf, "old");
  EXPECT_FALSE(WriteReport(report_, Template::Default(), {}, Format::kPdf, pdf, c).ok());
  EXPECT_EQ(::yuqing::testing::ReadFile(pdf), "old");
  // And no temporary file is left beside it.
  for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
    EXPECT_FALSE(e.path().filename().string().starts_with(".daily.pdf")) << e.path();
  }
}

TEST_F(ConvertTest, HtmlIsWrittenAtomically) {
  std::string html = dir_.File("daily.html");
  ASSERT_TRUE(WriteReport(report_, Template::Default(), {}, Format::kHtml, html).ok());
  std::string text = ::yuqing::testing::ReadFile(html);
  EXPECT_NE(text.find("<h1>舆情日报</h1>"), std::string::npos);
}

}  // namespace
}  // namespace yuqing::reports
