// Regression tests for wrong cells the generated-corpus oracle sweep found
// marked ok (tests/corpusgen/oracle_test.cc): each case failed before its
// fix. Fixtures are synthetic (tests/data/parse/regression_*_示例.*).
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/fields.h"
#include "common/parse/layout.h"
#include "common/parse/parser.h"
#include "common/parse/solver.h"
#include "common/report/template.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

const fs::path kDir = fs::path(GONGKAI_TESTDATA_DIR) / "parse";

struct RegressionCase {
  std::string name;
  std::string file;
  std::string layout;
};

class ParseRegressionTest : public ::testing::TestWithParam<RegressionCase> {};

// Parses tests/data/parse/<file> and loads its expected cells (<file> with
// a .json extension) into `report` and `expected`.
void ParseFixture(const std::string& file, v1::AnnualReport* report,
                  testing::ExpectedReport* expected) {
  auto bytes = testing::ReadFile((kDir / file).string());
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  fs::path json = kDir / file;
  json.replace_extension(".json");
  auto loaded = testing::LoadExpected(json.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status();
  *expected = *std::move(loaded);
  ReportParser parser;
  Document doc;
  doc.bytes = *bytes;
  doc.name = file;
  auto parsed = parser.Parse(doc);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  *report = *std::move(parsed);
}

// Every cell as printed: ok/repaired with the printed value, empty where the
// cell is blank (Compare's strict mode).
TEST_P(ParseRegressionTest, EveryCellAsPrinted) {
  const RegressionCase& c = GetParam();
  v1::AnnualReport report;
  testing::ExpectedReport expected;
  ASSERT_NO_FATAL_FAILURE(ParseFixture(c.file, &report, &expected));
  EXPECT_EQ(report.layout(), c.layout);
  EXPECT_EQ(report.meta().single_other_row(), expected.single_other_row);
  auto problems = testing::Compare(report, expected, /*strict=*/true);
  EXPECT_TRUE(problems.empty()) << c.file << ":\n" << absl::StrJoin(problems, "\n");
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, ParseRegressionTest,
    ::testing::Values(
        // "（六）其他处理1. 申请人无正" with the numbers, the label wrapped
        // so its keywords (逾期不补正, 收费通知) fall on the lines after:
        // each sub-row took the next one's numbers.
        RegressionCase{"WrappedOtherSubRows", "regression_wrapped_other_示例.txt",
                       "aligned"},
        // Tab rows with label columns, a trailing tab and blank first value
        // cells: trimming the leading blanks shifted the numbers left.
        RegressionCase{"TsvLeadingBlankCells", "regression_tsv_edge_blanks_示例.txt",
                       "tsv"}),
    [](const ::testing::TestParamInfo<RegressionCase>& info) { return info.param.name; });

// Parses a fixture whose layout leaves cells open: every cell right or
// flagged (Compare's lenient mode), and each (key, printed value) of
// `in_doubt` ambiguous with the printed value among its readings.
void ExpectRightOrFlagged(
    const std::string& file,
    const std::vector<std::pair<std::string, std::string>>& in_doubt) {
  v1::AnnualReport report;
  testing::ExpectedReport expected;
  ASSERT_NO_FATAL_FAILURE(ParseFixture(file, &report, &expected));
  EXPECT_EQ(report.layout(), "digit_run");
  auto problems = testing::Compare(report, expected, /*strict=*/false);
  EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
  for (const auto& [key, printed] : in_doubt) {
    const v1::Cell* cell = nullptr;
    for (const v1::Cell& c : report.cells()) {
      if (c.key() == key) cell = &c;
    }
    ASSERT_NE(cell, nullptr) << key;
    EXPECT_EQ(cell->state(), v1::CELL_STATE_AMBIGUOUS) << key;
    bool offered = cell->value() == printed;
    for (const std::string& alt : cell->alternatives()) offered |= alt == printed;
    EXPECT_TRUE(offered) << key << " does not offer " << printed;
  }
}

TEST(ParseRegressionFlaggedTest, DigitRunRowWithMisprintedTotalIsInDoubt) {
  // Table 三 row （一）予以公开 is the run "213003036": printed 21|3|0|0|3|0|36
  // with a wrong total (21+3+3 = 27). R2 is broken in the total column only,
  // so the family is relaxed and R3 alone let 2|1|3|0|0|30|36 through: natural
  // 2 and commercial 1 were marked repaired (oracle sweep, digit_run 11976).
  ExpectRightOrFlagged("regression_digit_run_misprinted_total_示例.txt",
                       {{"t3.granted.natural", "21"},
                        {"t3.granted.commercial", "3"},
                        {"t3.granted.legal", "3"}});
}

TEST(ParseRegressionFlaggedTest, TableFourRunWithMisprintedTotalIsInDoubt) {
  // Table 四 is the run "6311101200000000000": printed 63|11|10|12|0 and ten
  // zeros, the review total misprinted (0, not 96). Only R4 checks the row,
  // and 6|3|1|110|120 fits it: it was marked repaired (oracle sweep at
  // 15000/layout, digit_run 12057).
  ExpectRightOrFlagged("regression_digit_run_t4_misprint_示例.txt",
                       {{"t4.review.upheld", "63"}, {"t4.review.corrected", "11"}});
}

TEST(ParseRegressionAnchorsTest, WrappedSubRowLabelsAnchorAtTheirEnumerator) {
  const std::string t =
      "（五）不予处理 5.要求行政机关确认或重新出具已获取信息 0\n"
      "（六）其他处理1. 申请人无正      0    0\n"
      "当理由逾期不补正、行政机关不再\n"
      "   2. 申请人逾期未按收费通      1    1\n"
      "   知要求缴纳费用\n"
      "   3. 其他      1    1\n";
  const std::vector<RowAnchor> anchors = FindT3Anchors(t, 0, t.size());
  std::vector<std::string> rows;
  for (const RowAnchor& a : anchors) rows.push_back(T3AnchorRows()[a.row]);
  ASSERT_EQ(absl::StrJoin(rows, ","),
            "rejected.confirmation,other,other.overdue_correction,other.unpaid_fee,"
            "other.other");
  // Each sub-row's anchor stands before its own numbers.
  const size_t first_numbers = t.find("      0    0");
  const size_t second_numbers = t.find("      1    1");
  EXPECT_LT(anchors[2].end, first_numbers);
  EXPECT_LT(anchors[3].end, second_numbers);
  EXPECT_GT(anchors[3].begin, first_numbers);
}

std::vector<std::string> Values(const RowReading& r) {
  std::vector<std::string> out;
  for (const CellReading& c : r.cells) out.push_back(c.value ? c.value->ToString() : "_");
  return out;
}

TEST(ParseRegressionRowTest, EdgeBlanksThatCanGoEitherWayAreOpen) {
  // Label, two blank label columns, a blank first value cell, six numbers,
  // a trailing tab: 10 fields for 7 columns.
  const std::string t = "二、上年结转政府信息公开申请数量\t\t\t\t0\t0\t0\t0\t1\t1\t";
  const size_t label_end = t.find("数量") + std::string("数量").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  const std::vector<ColumnSpec> columns(7);
  RowCandidates cand = ReadRow(groups[0], columns, false, SolverLimits());
  EXPECT_FALSE(cand.direct);
  std::vector<std::string> readings;
  for (const RowReading& r : cand.readings) readings.push_back(absl::StrJoin(Values(r), " "));
  EXPECT_EQ(absl::StrJoin(readings, " | "), "_ 0 0 0 0 1 1 | 0 0 0 0 1 1 _");

  // The row's own total (R3) decides: the blank is the first cell.
  Rule r3;
  r3.family = 3;
  r3.plus = {{0, 6}};
  for (int c = 0; c < 6; ++c) r3.minus.push_back({0, c});
  SolveResult solved = SolveTable({&cand}, 7, {r3}, SolverLimits());
  EXPECT_EQ(solved.cells[0][0].state, v1::CELL_STATE_EMPTY);
  EXPECT_EQ(solved.cells[0][5].state, v1::CELL_STATE_REPAIRED);
  EXPECT_EQ(solved.cells[0][5].reading.value->ToString(), "1");
  EXPECT_EQ(solved.cells[0][6].reading.value->ToString(), "1");

  // Without a rule to decide, the placement stays ambiguous, never ok.
  SolveResult open = SolveTable({&cand}, 7, {}, SolverLimits());
  for (const SolvedCell& cell : open.cells[0]) {
    EXPECT_NE(cell.state, v1::CELL_STATE_OK);
  }
  EXPECT_EQ(open.cells[0][6].state, v1::CELL_STATE_AMBIGUOUS);
}

TEST(ParseRegressionRowTest, EdgeBlanksWithOnePlacementStayDirect) {
  // The numbers fill every value column: the blanks can only be the label
  // columns and the trailing tab.
  const std::string t = "一、本年新收政府信息公开申请数量\t\t\t811\t7\t0\t0\t0\t17\t835\t";
  const size_t label_end = t.find("数量") + std::string("数量").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  RowCandidates cand = ReadRow(groups[0], std::vector<ColumnSpec>(7), false, SolverLimits());
  EXPECT_TRUE(cand.direct);
  ASSERT_EQ(cand.readings.size(), 1u);
  EXPECT_EQ(absl::StrJoin(Values(cand.readings[0]), " "), "811 7 0 0 0 17 835");
}

std::string FieldTexts(const FieldGroup& g) {
  std::vector<std::string> out;
  for (const Field& f : g.fields) out.push_back(f.blank ? "_" : f.number.text);
  return absl::StrJoin(out, " ");
}

TEST(ParseRegressionRowTest, BarRowWithoutBorderKeepsItsBlankLastCell) {
  // "a|||0||0|0|0|0|": no outer bars, so the empty piece after the last bar
  // is the blank total, not a border (it was dropped and the row shifted).
  const std::string t = "二、上年结转政府信息公开申请数量|||0||0|0|0|0|";
  const size_t label_end = t.find("数量") + std::string("数量").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(FieldTexts(groups[0]), "_ _ 0 _ 0 0 0 0 _");
  // Blank and 0 weigh the same in every rule: where the blanks stand stays
  // open, and the total is never an ok "0".
  RowCandidates cand = ReadRow(groups[0], std::vector<ColumnSpec>(7), false, SolverLimits());
  EXPECT_FALSE(cand.direct);
  Rule r3;
  r3.family = 3;
  r3.plus = {{0, 6}};
  for (int c = 0; c < 6; ++c) r3.minus.push_back({0, c});
  SolveResult solved = SolveTable({&cand}, 7, {r3}, SolverLimits());
  EXPECT_EQ(solved.cells[0][6].state, v1::CELL_STATE_AMBIGUOUS);
  EXPECT_EQ(solved.cells[0][1].state, v1::CELL_STATE_AMBIGUOUS);
}

TEST(ParseRegressionRowTest, MarkdownBorderIsNotACell) {
  const std::string t =
      "| 二、上年结转政府信息公开申请数量 |  |  | 5 | 0 | 0 | 0 | 0 | 0 | 5 |";
  const size_t label_end = t.find("数量") + std::string("数量").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(FieldTexts(groups[0]), "_ 5 0 0 0 0 0 5");
  RowCandidates cand = ReadRow(groups[0], std::vector<ColumnSpec>(7), false, SolverLimits());
  EXPECT_TRUE(cand.direct);
}

Field NumberField(const std::string& text, bool glued) {
  Field f;
  f.number = *ParseCellNumber(text);
  f.glued = glued;
  return f;
}

TEST(ParseRegressionSolverTest, MisprintedRowFixedByItsOwnTotalIsInDoubt) {
  // Columns a, b, total. The leaf row is the run "23032": printed 23|0|32
  // with a misprinted total (23 + 0 != 32); 2|30|32 is the only split its
  // own total allows. The total row 23|0|23 agrees with 23|0, not 2|30: the
  // broken arithmetic must leave a and b in doubt, not "repaired" 2 and 30.
  FieldGroup leaf;
  leaf.fields = {NumberField("23032", true)};
  FieldGroup total;
  total.fields = {NumberField("23", false), NumberField("0", false),
                  NumberField("23", false)};
  const std::vector<ColumnSpec> columns(3);
  RowCandidates leaf_row = ReadRow(leaf, columns, false, SolverLimits());
  RowCandidates total_row = ReadRow(total, columns, false, SolverLimits());
  ASSERT_FALSE(leaf_row.direct);
  std::vector<Rule> rules;
  for (int r = 0; r < 2; ++r) {
    Rule r3;
    r3.family = 3;
    r3.plus = {{r, 2}};
    r3.minus = {{r, 0}, {r, 1}};
    rules.push_back(r3);
  }
  for (int c = 0; c < 3; ++c) {
    Rule r2;
    r2.family = 2;
    r2.plus = {{1, c}};
    r2.minus = {{0, c}};
    rules.push_back(r2);
  }
  SolveResult solved = SolveTable({&leaf_row, &total_row}, 3, rules, SolverLimits());
  EXPECT_EQ(solved.relaxed_families, std::vector<int>{2});
  const SolvedCell& a = solved.cells[0][0];
  EXPECT_EQ(a.state, v1::CELL_STATE_AMBIGUOUS);
  EXPECT_EQ(absl::StrJoin(a.alternatives, ","), "23");
  EXPECT_EQ(solved.cells[0][1].state, v1::CELL_STATE_AMBIGUOUS);
  // Every reading agrees on the printed total.
  EXPECT_EQ(solved.cells[0][2].state, v1::CELL_STATE_REPAIRED);
  EXPECT_EQ(solved.cells[0][2].reading.value->ToString(), "32");
  // The total row was read as printed.
  EXPECT_EQ(solved.cells[1][0].state, v1::CELL_STATE_OK);
}

}  // namespace
}  // namespace gongkai
