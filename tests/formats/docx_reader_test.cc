// DOCX reader: the 示例 report written with libzip, and hostile archives.
#include "common/formats/docx_reader.h"

#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/formats/extract.h"
#include "gtest/gtest.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

constexpr char kW[] =
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">";

std::string Docx(const std::string& document_xml) {
  absl::StatusOr<std::string> zip = testing::WriteZip(
      {{"[Content_Types].xml", "<Types/>"}, {"word/document.xml", document_xml}});
  EXPECT_TRUE(zip.ok()) << zip.status();
  return zip.ok() ? *zip : "";
}

std::string Body(const std::string& inner) {
  return absl::StrCat(kW, "<w:body>", inner, "</w:body></w:document>");
}

TEST(DocxReaderTest, SampleReportGivesTheSameGridAsText) {
  auto blocks = testing::SampleReport(2);
  absl::StatusOr<std::string> docx = testing::RenderDocx(blocks);
  ASSERT_TRUE(docx.ok()) << docx.status();
  absl::StatusOr<ExtractedText> r = ExtractText(*docx, Container::kDocx, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, testing::RenderText(blocks));
  EXPECT_EQ(r->container, Container::kDocx);
}

TEST(DocxReaderTest, SpansMergesRunsAndBreaks) {
  std::string xml = Body(
      "<w:p><w:r><w:t>示例</w:t></w:r><w:r><w:tab/><w:t xml:space=\"preserve\">标题 </w:t></w:r>"
      "<w:r><w:br/><w:t>第二行</w:t></w:r><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>"
      "<w:sdt><w:sdtContent><w:p><w:r><w:t>控件内</w:t></w:r></w:p></w:sdtContent></w:sdt>"
      "<w:tbl>"
      "<w:tr><w:tc><w:tcPr><w:vMerge w:val=\"restart\"/></w:tcPr><w:p><w:r><w:t>甲</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:tcPr><w:gridSpan w:val=\"2\"/></w:tcPr><w:p><w:r><w:t>乙</w:t></w:r></w:p></w:tc></w:tr>"
      "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p><w:r><w:t>ignored</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>2</w:t></w:r></w:p></w:tc></w:tr>"
      "<w:tr><w:trPr><w:gridBefore w:val=\"1\"/></w:trPr>"
      "<w:tc><w:p><w:r><w:t>商业</w:t></w:r></w:p><w:p><w:r><w:t>企业</w:t></w:r></w:p></w:tc>"
      "<w:tc><w:p/></w:tc></w:tr>"
      "</w:tbl>");
  absl::StatusOr<ExtractedText> r = ReadDocx(Docx(xml), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "示例标题\n第二行\n控件内\n甲\t乙\t\n\t1\t2\n\t商业企业\t\n");
}

TEST(DocxReaderTest, AlternateContentIsReadOnce) {
  std::string xml = absl::StrCat(
      "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "
      "xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"><w:body>"
      "<w:p><w:r><w:t>正文</w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\">"
      "<w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p></w:txbxContent></mc:Choice>"
      "<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框</w:t></w:r></w:p>"
      "</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>"
      "</w:body></w:document>");
  absl::StatusOr<ExtractedText> r = ReadDocx(Docx(xml), {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "正文文本框\n");
}

TEST(DocxReaderTest, ZipBombIsRefused) {
  std::string big = Body(absl::StrCat("<w:p><w:r><w:t>", std::string(3 << 20, 'x'),
                                      "</w:t></w:r></w:p>"));
  std::string docx = Docx(big);
  ASSERT_LT(docx.size(), 100000u);  // compresses ~1000:1
  FormatLimits limits;
  limits.max_unzipped_bytes = 1 << 20;
  absl::StatusOr<ExtractedText> r = ReadDocx(docx, limits);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "max_unzipped_bytes"))
      << r.status();
  // Lying sizes in the headers: the bytes actually inflated are capped too
  // (or libzip notices the inconsistency); either way no success.
  std::string forged = docx;
  for (size_t pos = 0; (pos = forged.find("word/document.xml", pos)) != std::string::npos;
       ++pos) {
    // Local header: sizes at name-30+18..26; central: name-46+20..28.
    for (size_t base : {pos - 30 + 22, pos - 46 + 24}) {
      if (base + 4 <= forged.size() && base < pos) {
        forged[base] = 100;
        forged[base + 1] = forged[base + 2] = forged[base + 3] = 0;
      }
    }
  }
  EXPECT_FALSE(ReadDocx(forged, limits).ok());
  limits.max_unzipped_bytes = 8 << 20;
  EXPECT_TRUE(ReadDocx(docx, limits).ok());
}

TEST(DocxReaderTest, DeepXmlIsRefused) {
  std::string inner = "<w:p><w:r><w:t>x</w:t></w:r></w:p>";
  for (int i = 0; i < 100; ++i) inner = absl::StrCat("<w:sdt><w:sdtContent>", inner, "</w:sdtContent></w:sdt>");
  FormatLimits limits;
  limits.max_nesting_depth = 50;
  absl::StatusOr<ExtractedText> r = ReadDocx(Docx(Body(inner)), limits);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted) << r.status();
  std::string deeper;
  for (int i = 0; i < 5000; ++i) deeper += "<w:sdt>";
  r = ReadDocx(Docx(Body(deeper)), {});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(r.status().code() == absl::StatusCode::kResourceExhausted ||
              r.status().code() == absl::StatusCode::kInvalidArgument);
}

TEST(DocxReaderTest, EntitiesAreNeitherFetchedNorExpanded) {
  std::string xxe = absl::StrCat(
      "<?xml version=\"1.0\"?><!DOCTYPE d [<!ENTITY x SYSTEM \"file:///etc/passwd\">"
      "<!ENTITY a \"AAAAAAAAAA\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">]>",
      Body("<w:p><w:r><w:t>示例&x;&c;</w:t></w:r></w:p>"));
  absl::StatusOr<ExtractedText> r = ReadDocx(Docx(xxe), {});
  if (r.ok()) {
    EXPECT_FALSE(absl::StrContains(r->text, "root:"));
    EXPECT_FALSE(absl::StrContains(r->text, "AAAA"));
  } else {
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(DocxReaderTest, DamagedFilesGetPreciseErrors) {
  absl::StatusOr<std::string> good = testing::RenderDocx(testing::SampleReport());
  ASSERT_TRUE(good.ok());
  absl::StatusOr<ExtractedText> r = ReadDocx(good->substr(0, good->size() / 2), {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(r.status().message(), "DOCX: ")) << r.status();

  r = ReadDocx(Docx("<w:document"), {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(r.status().message(), "not well-formed")) << r.status();

  absl::StatusOr<std::string> no_main = testing::WriteZip({{"word/other.xml", "<x/>"}});
  ASSERT_TRUE(no_main.ok());
  r = ReadDocx(*no_main, {});
  EXPECT_EQ(r.status().message(), "DOCX: the zip has no word/document.xml");

  r = ReadDocx(Docx("<root/>"), {});
  EXPECT_EQ(r.status().message(), "DOCX: word/document.xml has no w:document root");

  r = ReadDocx("PK\x03\x04 not really a zip", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace gongkai
