// Round trip through the parser: the same 示例 report rendered as text,
// HTML (UTF-8 and GBK), DOCX and PDF must give identical cells; the corpus
// HTML pages and PDFs must give every expected cell, read as printed.
#include <unicode/ucnv.h>

#include <cstdlib>
#include <map>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/parse/parser.h"
#include "gtest/gtest.h"
#include "tests/formats/grid_check.h"
#include "tests/parse/expected_cells.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

using CellMap = std::map<std::string, std::string>;  // key → "value|state"

absl::StatusOr<gongkai::v1::AnnualReport> Parse(const std::string& bytes,
                                                const std::string& name) {
  ReportParser parser;
  Document doc;
  doc.bytes = bytes;
  doc.name = name;
  return parser.Parse(doc);
}

CellMap Cells(const gongkai::v1::AnnualReport& report) {
  CellMap out;
  for (const auto& c : report.cells()) {
    out[c.key()] = absl::StrCat(c.value(), "|", gongkai::v1::CellState_Name(c.state()));
  }
  return out;
}

void ExpectSameCells(const CellMap& want, const CellMap& got, const std::string& what) {
  EXPECT_EQ(got.size(), want.size()) << what;
  for (const auto& [key, v] : want) {
    auto it = got.find(key);
    if (it == got.end()) {
      ADD_FAILURE() << what << ": " << key << " missing";
    } else if (it->second != v) {
      ADD_FAILURE() << what << ": " << key << " = " << it->second << ", text gives " << v;
    }
  }
}

std::string ToGbk(const std::string& utf8) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 2 + 16, '\0');
  int32_t n = ucnv_convert("GBK", "UTF-8", out.data(), static_cast<int32_t>(out.size()),
                           utf8.data(), static_cast<int32_t>(utf8.size()), &status);
  out.resize(U_SUCCESS(status) ? n : 0);
  return out;
}

class RoundTripTest : public ::testing::Test {
 protected:
  void SetUp() override {
    blocks_ = testing::SampleReport();
    absl::StatusOr<gongkai::v1::AnnualReport> text =
        Parse(testing::RenderText(blocks_), "sample_report_示例.txt");
    ASSERT_TRUE(text.ok()) << text.status();
    reference_ = Cells(*text);
    // The reference itself is right: every cell read as printed.
    ASSERT_EQ(reference_["t3.new.natural"], "20|CELL_STATE_OK");
    ASSERT_EQ(reference_["t3.total.total"], "26|CELL_STATE_OK");
    ASSERT_EQ(reference_["t4.review.total"], "3|CELL_STATE_OK");
    ASSERT_EQ(reference_["t2.fees.amount_wan"], "12.5|CELL_STATE_OK");
    for (const auto& [key, v] : reference_) {
      EXPECT_TRUE(absl::EndsWith(v, "|CELL_STATE_OK")) << key << " " << v;
    }
  }
  std::vector<testing::SampleBlock> blocks_;
  CellMap reference_;
};

TEST_F(RoundTripTest, Html) {
  absl::StatusOr<gongkai::v1::AnnualReport> r =
      Parse(testing::RenderHtml(blocks_), "sample_report_示例.html");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->container(), "html");
  ExpectSameCells(reference_, Cells(*r), "html");
}

TEST_F(RoundTripTest, GbkHtml) {
  absl::StatusOr<gongkai::v1::AnnualReport> r =
      Parse(ToGbk(testing::RenderHtml(blocks_, "gb2312")), "sample_report_示例.htm");
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSameCells(reference_, Cells(*r), "gbk html");
}

TEST_F(RoundTripTest, Docx) {
  absl::StatusOr<std::string> docx = testing::RenderDocx(blocks_);
  ASSERT_TRUE(docx.ok());
  absl::StatusOr<gongkai::v1::AnnualReport> r = Parse(*docx, "sample_report_示例.docx");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->container(), "docx");
  ExpectSameCells(reference_, Cells(*r), "docx");
}

TEST_F(RoundTripTest, PdfFixture) {
  absl::StatusOr<std::string> pdf = testing::ReadFile(
      absl::StrCat(GONGKAI_TESTDATA_DIR, "/formats/sample_report_示例.pdf"));
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  absl::StatusOr<gongkai::v1::AnnualReport> r = Parse(*pdf, "sample_report_示例.pdf");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->container(), "pdf");
  ExpectSameCells(reference_, Cells(*r), "pdf");
}

TEST_F(RoundTripTest, PdfFromLibreOffice) {
  absl::StatusOr<std::string> docx = testing::RenderDocx(blocks_);
  ASSERT_TRUE(docx.ok());
  absl::StatusOr<std::string> pdf = testing::ConvertWithLibreOffice(*docx);
  if (absl::IsUnavailable(pdf.status())) {
    GTEST_SKIP() << pdf.status() << "; the committed fixture is tested instead";
  }
  ASSERT_TRUE(pdf.ok()) << pdf.status();
  absl::StatusOr<gongkai::v1::AnnualReport> r = Parse(*pdf, "sample.pdf");
  ASSERT_TRUE(r.ok()) << r.status();
  ExpectSameCells(reference_, Cells(*r), "soffice pdf");
}

// Corpus documents through the parser: every expected cell right, as
// printed (nothing in an HTML table or a PDF's word boxes is undecidable).
struct CorpusCase {
  const char* path;      // under GONGKAI_SHARED_DIR/corpus
  const char* expected;  // under tests/data/corpus_expected
};

class CorpusFormatsTest : public ::testing::TestWithParam<CorpusCase> {};

TEST_P(CorpusFormatsTest, EveryCellRightAndNoneWrongMarkedOk) {
  std::string path = absl::StrCat(GONGKAI_SHARED_DIR, "/corpus/", GetParam().path);
  absl::StatusOr<std::string> bytes = testing::ReadFile(path);
  if (!bytes.ok()) GTEST_SKIP() << "shared corpus absent: " << path;
  absl::StatusOr<testing::ExpectedReport> expected = testing::LoadExpected(
      absl::StrCat(GONGKAI_TESTDATA_DIR, "/corpus_expected/", GetParam().expected));
  ASSERT_TRUE(expected.ok()) << expected.status();
  absl::StatusOr<gongkai::v1::AnnualReport> r = Parse(*bytes, path);
  ASSERT_TRUE(r.ok()) << r.status();
  std::map<std::string, const gongkai::v1::Cell*> cells;
  for (const auto& c : r->cells()) cells[c.key()] = &c;
  int right = 0, total = 0;
  for (const auto& [key, text] : expected->cells) {
    if (absl::StartsWith(key, "meta.")) continue;
    ++total;
    double value = 0;
    ASSERT_TRUE(testing::GridNumber(text, &value)) << key << " " << text;
    auto it = cells.find(key);
    if (it == cells.end()) {
      ADD_FAILURE() << key << " not parsed";
      continue;
    }
    const gongkai::v1::Cell& c = *it->second;
    double got = 0;
    bool number = testing::GridNumber(c.value(), &got);
    bool same = number && std::abs(got - value) < 1e-6;
    if (!same && (c.state() == gongkai::v1::CELL_STATE_OK ||
                  c.state() == gongkai::v1::CELL_STATE_REPAIRED)) {
      ADD_FAILURE() << "WRONG CELL MARKED " << gongkai::v1::CellState_Name(c.state())
                    << ": " << key << " = " << c.value() << ", expected " << value;
    } else if (!same || c.state() != gongkai::v1::CELL_STATE_OK) {
      ADD_FAILURE() << key << " = '" << c.value() << "' "
                    << gongkai::v1::CellState_Name(c.state()) << ", expected " << value;
    } else {
      ++right;
    }
  }
  EXPECT_EQ(right, total);
  EXPECT_GT(total, 180);
}

INSTANTIATE_TEST_SUITE_P(
    Corpus, CorpusFormatsTest,
    ::testing::Values(
        CorpusCase{"pingtan-gov-zwgk-archive/pingtan_2020_80595_page.html",
                   "pingtan_2020_80595_page.json"},
        CorpusCase{"pingtan-gov-zwgk-archive/pingtan_2022_80629_page.html",
                   "pingtan_2022_80629_page.json"},
        CorpusCase{"kirogovcompare-hongze/hongze_2023_annual_report.pdf",
                   "hongze_2023_pdftotext_layout.json"},
        CorpusCase{"kirogovcompare-hongze/hongze_2024_annual_report.pdf",
                   "hongze_2024_pdftotext_layout.json"}),
    [](const ::testing::TestParamInfo<CorpusCase>& info) {
      std::string name = info.param.expected;
      name = name.substr(0, name.find('.'));
      for (char& ch : name) {
        if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
      }
      return name;
    });

}  // namespace
}  // namespace gongkai
