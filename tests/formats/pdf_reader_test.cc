// PDF reader: layout rebuilding on synthetic word boxes, small hand-made
// PDFs (plain, encrypted, truncated, no text), the hongze corpus PDFs, and
// the 示例 report converted to PDF by LibreOffice (committed fixture; also
// regenerated here when soffice is installed).
#include "common/formats/pdf_reader.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/formats/extract.h"
#include "gtest/gtest.h"
#include "tests/formats/grid_check.h"
#include "tests/parse/expected_cells.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

// A PDF with one page per content stream (Helvetica text); `encrypt` adds
// a standard-security dictionary whose user password is not empty.
std::string MinimalPdf(const std::vector<std::string>& pages, bool encrypt = false) {
  // Objects: 1 catalog, 2 pages, 3 font, then page/content pairs, then the
  // encryption dictionary.
  std::string kids;
  for (size_t i = 0; i < pages.size(); ++i) absl::StrAppend(&kids, 4 + 2 * i, " 0 R ");
  std::vector<std::string> objs = {
      "<< /Type /Catalog /Pages 2 0 R >>",
      absl::StrCat("<< /Type /Pages /Kids [", kids, "] /Count ", pages.size(), " >>"),
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"};
  for (size_t i = 0; i < pages.size(); ++i) {
    objs.push_back(absl::StrCat(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents ", 5 + 2 * i,
        " 0 R /Resources << /Font << /F1 3 0 R >> >> >>"));
    objs.push_back(absl::StrCat("<< /Length ", pages[i].size(), " >>\nstream\n",
                                pages[i], "\nendstream"));
  }
  size_t encrypt_obj = objs.size() + 1;
  if (encrypt) {
    objs.push_back(absl::StrCat("<< /Filter /Standard /V 1 /R 2 /O <",
                                std::string(64, '1'), "> /U <", std::string(64, '2'),
                                "> /P -4 >>"));
  }
  std::string out = "%PDF-1.4\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objs.size(); ++i) {
    offsets.push_back(out.size());
    absl::StrAppend(&out, i + 1, " 0 obj\n", objs[i], "\nendobj\n");
  }
  size_t xref = out.size();
  absl::StrAppend(&out, "xref\n0 ", objs.size() + 1, "\n0000000000 65535 f \n");
  for (size_t off : offsets) {
    char line[32];
    std::snprintf(line, sizeof(line), "%010zu 00000 n \n", off);
    out += line;
  }
  absl::StrAppend(&out, "trailer\n<< /Size ", objs.size() + 1, " /Root 1 0 R");
  if (encrypt) {
    absl::StrAppend(&out, " /Encrypt ", encrypt_obj, " 0 R /ID [<", std::string(32, '3'),
                    "> <", std::string(32, '3'), ">]");
  }
  absl::StrAppend(&out, " >>\nstartxref\n", xref, "\n%%EOF\n");
  return out;
}

std::string MinimalPdf(const std::string& content, bool encrypt = false) {
  return MinimalPdf(std::vector<std::string>{content}, encrypt);
}

PdfWord Word(double x0, double y0, double x1, double y1, std::string text,
             int line, int block) {
  PdfWord w;
  w.x0 = x0;
  w.y0 = y0;
  w.x1 = x1;
  w.y1 = y1;
  w.text = std::move(text);
  w.line = line;
  w.block = block;
  return w;
}

TEST(PdfLayoutTest, RowsColumnsBlankCellsAndWrappedLabels) {
  PdfPage page;
  page.width = 595;
  page.height = 842;
  int line = 0;
  auto add_row = [&](double y, const std::string& label,
                     const std::vector<std::pair<double, std::string>>& cells) {
    if (!label.empty()) {
      page.words.push_back(Word(80, y + 2, 80 + 10 * label.size() / 3.0, y + 11, label, line, line));
      ++line;
    }
    for (const auto& [x, text] : cells) {
      page.words.push_back(Word(x, y, x + 7 * text.size(), y + 14, text, line, line));
      ++line;
    }
  };
  add_row(100, "规章", {{300, "0"}, {350, "0"}, {400, "0"}});
  // Blank middle cell: stays in its column.
  add_row(130, "行政规范性文件", {{300, "3"}, {400, "8"}});
  // A label wrapped over two lines with the numbers between them.
  page.words.push_back(Word(80, 153, 250, 162, "（二）部分公开（区分处理的，只计这一情形，不", line++, 90));
  page.words.push_back(Word(80, 166, 140, 175, "计其他情形）", line++, 90));
  page.words.push_back(Word(300, 157, 307, 171, "4", line++, 91));
  page.words.push_back(Word(350, 157, 357, 171, "0", line++, 92));
  page.words.push_back(Word(400, 157, 407, 171, "4", line++, 93));
  // Rotated label, one character per line, at the left.
  const char* chars[] = {"三", "、本", "年", "度"};
  double y = 190;
  for (const char* c : chars) {
    double h = absl::string_view(c).size() > 3 ? 20 : 10;
    page.words.push_back(Word(60, y, 70, y + h, c, line++, 94));
    y += h;
  }
  // Page footer and a paragraph with numbers glued to text.
  page.words.push_back(Word(290, 800, 310, 812, "-3-", line++, 95));
  page.words.push_back(Word(80, 300, 140, 312, "共收到申请", line, 96));
  page.words.push_back(Word(143, 300, 157, 312, "21", line, 96));
  page.words.push_back(Word(160, 300, 172, 312, "件。", line++, 96));
  std::string text = LayoutPage(page);
  EXPECT_EQ(text,
            "规章\t0\t0\t0\n"
            "行政规范性文件\t3\t\t8\n"
            "（二）部分公开（区分处理的，只计这一情形，不计其他情形）\t4\t0\t4\n"
            "三、本年度\n"
            "共收到申请 21 件。\n")
      << text;
}

TEST(PdfLayoutTest, ColumnBlankInEveryRowComesFromItsHeader) {
  PdfPage page;
  page.width = 595;
  page.height = 842;
  // Two-level header: 行政复议 over three leaf columns; the middle column is
  // blank in the only data row.
  page.words.push_back(Word(300, 80, 400, 90, "行政复议", 0, 0));
  page.words.push_back(Word(295, 100, 325, 110, "维持", 1, 1));
  page.words.push_back(Word(340, 100, 370, 110, "纠正", 2, 2));
  page.words.push_back(Word(385, 100, 415, 110, "总计", 3, 3));
  page.words.push_back(Word(80, 100, 130, 110, "信息内容", 4, 4));
  page.words.push_back(Word(80, 132, 130, 142, "行政复议", 5, 5));
  page.words.push_back(Word(305, 130, 312, 144, "5", 6, 6));
  page.words.push_back(Word(395, 130, 402, 144, "5", 7, 7));
  EXPECT_EQ(LayoutPage(page),
            "行政复议\n信息内容\t维持\t纠正\t总计\n行政复议\t5\t\t5\n");
}

TEST(PdfLayoutTest, DensePageStaysNearLinear) {
  // 300 rows × 100 cells plus labels and wrapped lines: 60,000 boxes. The
  // layout searches neighbours by position, so this finishes quickly (the
  // ctest TIMEOUT guards against a quadratic regression).
  PdfPage page;
  page.width = 5000;
  page.height = 8000;
  int line = 0;
  for (int r = 0; r < 300; ++r) {
    double y = 20 + r * 25;
    page.words.push_back(Word(10, y, 200, y + 10, absl::StrCat(r % 9 + 1, ". 示例标签"), line++, r));
    page.words.push_back(Word(10, y + 10.5, 150, y + 20, "续行", line++, r));
    for (int c = 0; c < 100; ++c) {
      double x = 300 + c * 40;
      page.words.push_back(Word(x, y + 3, x + 14, y + 17, absl::StrCat(c), line++, 1000 + c));
    }
  }
  std::string text = LayoutPage(page);
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 300u);
  EXPECT_TRUE(absl::StartsWith(lines[0], "1. 示例标签续行\t0\t1\t2\t"));
}

TEST(PdfReaderTest, MinimalPdf) {
  std::string pdf = MinimalPdf("BT /F1 12 Tf 72 700 Td (Shili 2023 report) Tj ET");
  ASSERT_EQ(DetectContainer(pdf, "", ""), Container::kPdf);
  absl::StatusOr<ExtractedText> r = ExtractText(pdf, Container::kPdf, {});
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "Shili 2023 report\n");
}

TEST(PdfReaderTest, EncryptedPdf) {
  std::string pdf = MinimalPdf("BT /F1 12 Tf 72 700 Td (secret) Tj ET", true);
  absl::StatusOr<ExtractedText> r = ReadPdf(pdf, {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(), "encrypted PDF: a password is needed to open it");
}

TEST(PdfReaderTest, TruncatedAndEmptyPdfs) {
  std::string pdf = MinimalPdf("BT /F1 12 Tf 72 700 Td (Shili) Tj ET");
  absl::StatusOr<ExtractedText> r = ReadPdf(pdf.substr(0, pdf.size() * 6 / 10), {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StartsWith(r.status().message(), "truncated PDF")) << r.status();

  r = ReadPdf(MinimalPdf(""), {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "PDF has no text layer (a scanned image?): OCR is not supported");

  r = ReadPdf("%PDF-1.4\n garbage", {});
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

std::string PagesDiagnostic(const ExtractedText& r) {
  for (const auto& d : r.diagnostics) {
    if (d.code() == "format.pdf.pages") return d.message();
  }
  return "";
}

TEST(PdfReaderTest, PageLimitAndTimeout) {
  std::string pdf = MinimalPdf(std::vector<std::string>{
      "BT /F1 12 Tf 72 700 Td (PageOne) Tj ET", "BT /F1 12 Tf 72 700 Td (PageTwo) Tj ET",
      "BT /F1 12 Tf 72 700 Td (PageThree) Tj ET"});
  FormatLimits limits;
  absl::StatusOr<ExtractedText> r = ReadPdf(pdf, limits);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "PageOne\nPageTwo\nPageThree\n");
  EXPECT_EQ(PagesDiagnostic(*r), "3 page(s) read with pdftotext -bbox-layout");
  limits.max_pdf_pages = 3;
  r = ReadPdf(pdf, limits);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(PagesDiagnostic(*r), "3 page(s) read with pdftotext -bbox-layout");
  limits.max_pdf_pages = 2;
  r = ReadPdf(pdf, limits);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->text, "PageOne\nPageTwo\n");
  EXPECT_EQ(PagesDiagnostic(*r), "only the first 2 pages read (FormatLimits::max_pdf_pages)");
  limits.converter_timeout_ms = 0;
  EXPECT_EQ(ReadPdf(pdf, limits).status().code(), absl::StatusCode::kResourceExhausted);
}

class HongzePdfTest : public ::testing::TestWithParam<int> {};

TEST_P(HongzePdfTest, EveryTableCellIsRight) {
  int year = GetParam();
  std::string path = absl::StrCat(GONGKAI_SHARED_DIR, "/corpus/kirogovcompare-hongze/hongze_",
                                  year, "_annual_report.pdf");
  absl::StatusOr<std::string> bytes = testing::ReadFile(path);
  if (!bytes.ok()) GTEST_SKIP() << "shared corpus absent: " << path;
  absl::StatusOr<testing::ExpectedReport> expected = testing::LoadExpected(
      absl::StrCat(GONGKAI_TESTDATA_DIR, "/corpus_expected/hongze_", year,
                   "_pdftotext_layout.json"));
  ASSERT_TRUE(expected.ok()) << expected.status();
  absl::StatusOr<ExtractedText> r = ExtractText(*bytes, Container::kPdf, {});
  ASSERT_TRUE(r.ok()) << r.status();
  for (const std::string& p : testing::GridMismatches(r->text, expected->cells, false)) {
    ADD_FAILURE() << p;
  }
  EXPECT_FALSE(absl::StrContains(r->text, "-3-"));
  EXPECT_TRUE(absl::StrContains(r->text, "\n三、本年度办理结果\n"));
}

INSTANTIATE_TEST_SUITE_P(Corpus, HongzePdfTest, ::testing::Values(2023, 2024));

TEST(HongzePdfTest, Hongze2023TwoR4FailuresAreInTheCells) {
  std::string path = absl::StrCat(GONGKAI_SHARED_DIR,
                                  "/corpus/kirogovcompare-hongze/hongze_2023_annual_report.pdf");
  absl::StatusOr<std::string> bytes = testing::ReadFile(path);
  if (!bytes.ok()) GTEST_SKIP() << "shared corpus absent: " << path;
  absl::StatusOr<ExtractedText> r = ExtractText(*bytes, Container::kPdf, {});
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, double> cells;
  for (const testing::GridCell& c : testing::ReadGridCells(r->text, false)) {
    double v = 0;
    if (absl::StartsWith(c.key, "t4.") && testing::GridNumber(c.raw, &v)) cells[c.key] = v;
  }
  ASSERT_EQ(cells.size(), 15u);
  std::vector<std::string> failing;
  for (const char* g : {"review", "suit_direct", "suit_after_review"}) {
    std::string p = absl::StrCat("t4.", g, ".");
    double sum = cells[p + "upheld"] + cells[p + "corrected"] + cells[p + "other"] +
                 cells[p + "pending"];
    if (sum != cells[p + "total"]) failing.push_back(g);
  }
  EXPECT_EQ(failing, (std::vector<std::string>{"review", "suit_after_review"}));
}

// (label, numbers) of every table row with numbers, ignoring empty cells.
std::vector<std::pair<std::string, std::vector<std::string>>> NumericRows(
    const std::string& text) {
  std::vector<std::pair<std::string, std::vector<std::string>>> rows;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    std::string label;
    std::vector<std::string> numbers;
    for (absl::string_view f : absl::StrSplit(line, '\t')) {
      double v;
      if (f.empty()) continue;
      if (testing::GridNumber(std::string(f), &v)) {
        numbers.push_back(std::string(f));
      } else {
        label.clear();
        for (char c : f) {
          if (c != ' ') label.push_back(c);
        }
      }
    }
    if (!numbers.empty() && absl::StrContains(line, "\t")) rows.push_back({label, numbers});
  }
  return rows;
}

void ExpectSampleRows(const std::string& pdf_text) {
  auto expected = NumericRows(testing::RenderText(testing::SampleReport()));
  auto got = NumericRows(pdf_text);
  ASSERT_EQ(got.size(), expected.size()) << pdf_text;
  for (size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(got[i].first, expected[i].first) << i;
    EXPECT_EQ(got[i].second, expected[i].second) << expected[i].first;
  }
}

TEST(SamplePdfTest, CommittedFixtureKeepsEveryRow) {
  std::string path =
      absl::StrCat(GONGKAI_TESTDATA_DIR, "/formats/sample_report_示例.pdf");
  absl::StatusOr<std::string> bytes = testing::ReadFile(path);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  absl::StatusOr<ExtractedText> r = ExtractText(*bytes, Container::kPdf, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSampleRows(r->text);
}

// Writes the 示例 DOCX and converts it with LibreOffice when soffice and a
// CJK font are installed (this is how the committed fixture was made).
TEST(SamplePdfTest, LibreOfficeConversionKeepsEveryRow) {
  absl::StatusOr<std::string> docx = testing::RenderDocx(testing::SampleReport());
  ASSERT_TRUE(docx.ok());
  absl::StatusOr<std::string> pdf = testing::ConvertWithLibreOffice(*docx);
  if (absl::IsUnavailable(pdf.status())) GTEST_SKIP() << pdf.status();
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  if (const char* keep = std::getenv("GONGKAI_KEEP_SAMPLE_PDF")) {
    std::ofstream(keep, std::ios::binary) << *pdf;
  }
  absl::StatusOr<ExtractedText> r = ExtractText(*pdf, Container::kPdf, {});
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSampleRows(r->text);
}

}  // namespace
}  // namespace gongkai
