// DetectContainer / ContainerName / ExtractText dispatch.
#include <string>

#include "common/formats/extract.h"
#include "gtest/gtest.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

TEST(DetectContainerTest, MagicNumbersDecide) {
  EXPECT_EQ(DetectContainer("%PDF-1.7\n...", "", ""), Container::kPdf);
  // Junk before the header (allowed in the first KiB) and a wrong hint.
  EXPECT_EQ(DetectContainer(std::string("\r\n\x01junk%PDF-1.4\n", 15),
                            "text/html", "a.html"),
            Container::kPdf);
  EXPECT_EQ(DetectContainer(std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) +
                                std::string(512, '\0'),
                            "application/pdf", "report.pdf"),
            Container::kLegacyDoc);
  absl::StatusOr<std::string> docx =
      testing::RenderDocx(testing::SampleReport());
  ASSERT_TRUE(docx.ok()) << docx.status();
  EXPECT_EQ(DetectContainer(*docx, "text/plain", "x.txt"), Container::kDocx);
  // A zip that is not a Word document.
  absl::StatusOr<std::string> zip = testing::WriteZip({{"data.csv", "a,b\n"}});
  ASSERT_TRUE(zip.ok());
  EXPECT_EQ(DetectContainer(*zip, "", "x.docx"), Container::kUnknownBinary);
}

TEST(DetectContainerTest, MarkupSniffing) {
  EXPECT_EQ(DetectContainer("<!DOCTYPE html><html><body>示例</body></html>", "", ""),
            Container::kHtml);
  EXPECT_EQ(DetectContainer("\xEF\xBB\xBF  <html lang=zh>", "", ""), Container::kHtml);
  EXPECT_EQ(DetectContainer("<table><tr><td>1</td></tr></table>", "", ""),
            Container::kHtml);
  EXPECT_EQ(DetectContainer("<?xml version=\"1.0\"?><html xmlns=\"x\">", "", ""),
            Container::kHtml);
  EXPECT_EQ(DetectContainer("示例县2023年政府信息公开工作年度报告\n一、总体情况\n", "", ""),
            Container::kText);
}

TEST(DetectContainerTest, HintsOnlyBreakTies) {
  // Starts with a tag but is declared plain text: stays text unless it is
  // unmistakably a page.
  EXPECT_EQ(DetectContainer("<div>示例</div>\n规章\t0\t0\t0\n", "text/plain", ""),
            Container::kText);
  EXPECT_EQ(DetectContainer("<html><body>示例</body></html>", "text/plain", "a.txt"),
            Container::kHtml);
  // Markup after some text: html only when the caller says so.
  const char* mixed = "示例报告\n<table><tr><td>1</td></tr></table>";
  EXPECT_EQ(DetectContainer(mixed, "", ""), Container::kText);
  EXPECT_EQ(DetectContainer(mixed, "text/html; charset=gbk", ""), Container::kHtml);
  EXPECT_EQ(DetectContainer(mixed, "", "page.HTM"), Container::kHtml);
}

TEST(DetectContainerTest, BinaryAndUtf16) {
  EXPECT_EQ(DetectContainer(std::string("\x7F" "ELF\x02\x01\x01\0\0\0", 10), "", ""),
            Container::kUnknownBinary);
  std::string utf16 = "\xFF\xFE";
  for (char c : std::string("report")) {
    utf16.push_back(c);
    utf16.push_back('\0');
  }
  EXPECT_EQ(DetectContainer(utf16, "", ""), Container::kText);
}

TEST(ContainerNameTest, Names) {
  EXPECT_EQ(ContainerName(Container::kText), "text");
  EXPECT_EQ(ContainerName(Container::kHtml), "html");
  EXPECT_EQ(ContainerName(Container::kPdf), "pdf");
  EXPECT_EQ(ContainerName(Container::kDocx), "docx");
  EXPECT_EQ(ContainerName(Container::kLegacyDoc), "doc");
  EXPECT_EQ(ContainerName(Container::kUnknownBinary), "binary");
}

TEST(ExtractTextTest, UnsupportedContainersAreClearErrors) {
  absl::StatusOr<ExtractedText> doc =
      ExtractText("\xD0\xCF\x11\xE0", Container::kLegacyDoc, {});
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(doc.status().message(),
            "legacy .doc (OLE2) is unsupported: convert to .docx or PDF");
  absl::StatusOr<ExtractedText> text = ExtractText("示例", Container::kText, {});
  EXPECT_EQ(text.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<ExtractedText> bin = ExtractText("\x01\x02", Container::kUnknownBinary, {});
  EXPECT_EQ(bin.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(ExtractTextTest, DiagnosticsNameTheContainer) {
  absl::StatusOr<ExtractedText> r =
      ExtractText("<p>示例</p>", Container::kHtml, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->container, Container::kHtml);
  bool named = false;
  for (const auto& d : r->diagnostics) {
    named = named || (d.code() == "format.container" && d.message() == "read as html");
  }
  EXPECT_TRUE(named);
}

}  // namespace
}  // namespace gongkai
