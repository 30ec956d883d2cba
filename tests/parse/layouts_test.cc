// Every layout the parser reads, on synthetic fixtures of our own
// (tests/data/parse/*_示例.*, each with the expected cells beside it):
// `|`-separated, markdown, pdftotext -layout, flattened digit runs, and the
// same report re-encoded as GB18030 and UTF-16.
#include <filesystem>
#include <map>
#include <string>

#include "absl/strings/str_join.h"
#include "common/parse/parser.h"
#include "common/report/template.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(GONGKAI_TESTDATA_DIR) / "parse";

struct LayoutCase {
  std::string file;
  std::string layout;
};

using testing::Encode;

absl::StatusOr<v1::AnnualReport> ParseBytes(const std::string& bytes,
                                            const std::string& name) {
  ReportParser parser;
  Document doc;
  doc.bytes = bytes;
  doc.name = name;
  return parser.Parse(doc);
}

void ExpectMatches(const v1::AnnualReport& report, const std::string& file) {
  fs::path json = kDir / file;
  json.replace_extension(".json");
  auto expected = testing::LoadExpected(json.string());
  ASSERT_TRUE(expected.ok()) << expected.status();
  auto problems = testing::Compare(report, *expected, /*strict=*/true);
  EXPECT_TRUE(problems.empty()) << file << ":\n" << absl::StrJoin(problems, "\n");
  EXPECT_EQ(report.meta().single_other_row(),
            expected->single_other_row ||
                report.meta().format() == v1::REPORT_FORMAT_F2019);
}

class ParseLayoutTest : public ::testing::TestWithParam<LayoutCase> {};

TEST_P(ParseLayoutTest, ReadsEveryCell) {
  const LayoutCase& c = GetParam();
  auto bytes = testing::ReadFile((kDir / c.file).string());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto report = ParseBytes(*bytes, c.file);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->layout(), c.layout);
  EXPECT_EQ(report->encoding(), "UTF-8");
  EXPECT_EQ(report->sections_size(), 6);
  ExpectMatches(*report, c.file);
  // Spans point at the raw text in the normalised input.
  for (const auto& cell : report->cells()) {
    if (cell.state() == v1::CELL_STATE_MISSING || cell.raw().empty()) continue;
    EXPECT_EQ(report->normalized_text().substr(cell.span().begin(),
                                               cell.span().end() - cell.span().begin()),
              cell.raw())
        << cell.key();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ParseLayoutTest,
    ::testing::Values(LayoutCase{"pipe_示例.txt", "pipe"},
                      LayoutCase{"markdown_示例.md", "markdown"},
                      LayoutCase{"aligned_示例.txt", "aligned"},
                      LayoutCase{"digit_run_示例.txt", "digit_run"}),
    [](const ::testing::TestParamInfo<LayoutCase>& info) { return info.param.layout; });

TEST(ParseEncodingTest, Gb18030AndUtf16GiveTheSameCells) {
  auto bytes = testing::ReadFile((kDir / "pipe_示例.txt").string());
  ASSERT_TRUE(bytes.ok());
  struct Variant {
    std::string bytes;
    std::string encoding;
  };
  const Variant variants[] = {
      {Encode(*bytes, "GB18030"), "GB18030"},
      {"\xFF\xFE" + Encode(*bytes, "UTF-16LE"), "UTF-16LE"},
      {"\xFE\xFF" + Encode(*bytes, "UTF-16BE"), "UTF-16BE"},
  };
  for (const Variant& v : variants) {
    SCOPED_TRACE(v.encoding);
    auto report = ParseBytes(v.bytes, "pipe");
    ASSERT_TRUE(report.ok()) << report.status();
    EXPECT_EQ(report->encoding(), v.encoding);
    ExpectMatches(*report, "pipe_示例.txt");
  }
}

TEST(ParseDigitRunTest, TableTwoRunIsAmbiguousWithEveryReading) {
  auto bytes = testing::ReadFile((kDir / "digit_run_示例.txt").string());
  ASSERT_TRUE(bytes.ok());
  auto report = ParseBytes(*bytes, "digit_run");
  ASSERT_TRUE(report.ok()) << report.status();
  for (const auto& cell : report->cells()) {
    if (cell.key() == "t2.normative.issued") {
      // 12245 = issued|repealed|in_force has six splits (1|2|245, 1|22|45,
      // 1|224|5, 12|2|45, 12|24|5, 122|4|5); no rule relates the three.
      EXPECT_EQ(cell.state(), v1::CELL_STATE_AMBIGUOUS);
      EXPECT_EQ(cell.value(), "12");  // in_force >= issued >= repealed
      EXPECT_EQ(cell.raw(), "12245");
      EXPECT_FALSE(cell.alternatives().empty());
      EXPECT_FALSE(cell.note().empty());
    }
    if (cell.key() == "t3.new.natural") {
      EXPECT_EQ(cell.state(), v1::CELL_STATE_REPAIRED);
      EXPECT_EQ(cell.value(), "30");
    }
  }
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

TEST(ParseAlignedBlanksTest, LostBlankCellsPlacedByTheArithmetic) {
  // pdftotext drops blank cells: "30 2 1 33" on a 7-column row. Splitting
  // cannot make 7 cells of it; placing the four numbers with blanks between
  // them can, and R1 (with the other rows printed in full) decides where.
  auto bytes = testing::ReadFile((kDir / "aligned_示例.txt").string());
  ASSERT_TRUE(bytes.ok());
  const std::string row = "一、本年新收政府信息公开申请数量      30    2    0    1    0    0    33";
  size_t at = bytes->find(row);
  ASSERT_NE(at, std::string::npos);
  std::string text = *bytes;
  text.replace(at, row.size(), "一、本年新收政府信息公开申请数量      30    2         1              33");
  auto report = ParseBytes(text, "aligned blanks");
  ASSERT_TRUE(report.ok()) << report.status();
  std::map<std::string, const v1::Cell*> cells;
  for (const auto& c : report->cells()) cells[c.key()] = &c;
  const std::pair<const char*, const char*> want[] = {
      {"natural", "30"}, {"commercial", "2"}, {"research", ""}, {"social", "1"},
      {"legal", ""},     {"other_org", ""},   {"total", "33"}};
  for (const auto& [column, value] : want) {
    const v1::Cell& c = *cells[std::string("t3.new.") + column];
    EXPECT_EQ(c.value(), value) << column;
    EXPECT_EQ(c.state(), *value ? v1::CELL_STATE_REPAIRED : v1::CELL_STATE_EMPTY) << column;
  }
}

}  // namespace
}  // namespace gongkai
