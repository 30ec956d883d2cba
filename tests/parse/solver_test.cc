// Tests for the row reader and the table solver (digit runs, extra cells,
// ambiguity, relaxation, limits).
#include "common/parse/solver.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/fields.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<std::string> Values(const RowReading& r) {
  std::vector<std::string> out;
  for (const CellReading& c : r.cells) out.push_back(c.value ? c.value->ToString() : "_");
  return out;
}

std::string Join(const RowReading& r) { return absl::StrJoin(Values(r), "|"); }

FieldGroup Group(const std::string& text) {
  auto groups = ReadFieldGroups(text, 0, text.size());
  // Tests pass text that starts with a label.
  return groups.empty() ? FieldGroup{} : groups.front();
}

std::vector<std::string> AllReadings(const RowCandidates& c) {
  std::vector<std::string> out;
  for (const auto& r : c.readings) out.push_back(Join(r));
  return out;
}

TEST(ReadRowTest, SplitsRunsAcrossTokens) {
  SolverLimits limits;
  std::vector<ColumnSpec> seven(7);
  RowCandidates c = ReadRow(Group("数量230 000023"), seven, false, limits);
  EXPECT_FALSE(c.direct);
  auto all = AllReadings(c);
  EXPECT_NE(std::find(all.begin(), all.end(), "23|0|0|0|0|0|23"), all.end())
      << absl::StrJoin(all, " ");
  RowCandidates t = ReadRow(Group("总计23 0 00 0 023"), seven, false, limits);
  all = AllReadings(t);
  EXPECT_NE(std::find(all.begin(), all.end(), "23|0|0|0|0|0|23"), all.end())
      << absl::StrJoin(all, " ");
}

// ReadRow keeps one reading per value vector; splits alone never repeat
// one (it skips de-duplicating them), placements and drops may.
TEST(ReadRowTest, ReadingsAreDistinct) {
  SolverLimits limits;
  std::vector<ColumnSpec> seven(7);
  std::vector<ColumnSpec> money(3, ColumnSpec{true, false});
  std::vector<ColumnSpec> signed_columns(3, ColumnSpec{false, true});
  const std::vector<std::pair<std::string, std::vector<ColumnSpec>*>> rows = {
      {"数量640020470", &seven},     {"数量1111111111", &seven},
      {"数量10 10 1010", &seven},    {"数量230 000023", &seven},
      {"数量1 11 111 1", &seven},    {"数量0 0 0 0 0 0 0 0", &seven},
      {"数量1 1 0 1 1 0 2 2", &seven}, {"金额12034.5万元", &money},
      {"数量-1203 45", &signed_columns},      {"数量100 100 100", &seven}};
  for (const auto& [text, columns] : rows) {
    RowCandidates c = ReadRow(Group(text), *columns, false, limits);
    std::vector<std::string> all = AllReadings(c);
    std::sort(all.begin(), all.end());
    EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end())
        << text << ": " << absl::StrJoin(all, " ");
    EXPECT_FALSE(all.empty()) << text;
  }
}

}  // namespace
}  // namespace gongkai

namespace gongkai {
namespace {

// R3 on one 7-column row: total (column 6) = sum of the six others.
std::vector<Rule> RowSumRule(int rows) {
  std::vector<Rule> rules;
  for (int r = 0; r < rows; ++r) {
    Rule rule;
    rule.family = 3;
    rule.plus = {{r, 6}};
    for (int c = 0; c < 6; ++c) rule.minus.push_back({r, c});
    rules.push_back(rule);
  }
  return rules;
}

// R3 on rows 0 and 1, plus "row 1 = row 0" column by column (like R2 with a
// single leaf row).
std::vector<Rule> RowSumAndColumnRules() {
  std::vector<Rule> rules = RowSumRule(2);
  for (int c = 0; c < 7; ++c) {
    Rule r;
    r.family = 2;
    r.plus = {{1, c}};
    r.minus = {{0, c}};
    rules.push_back(r);
  }
  return rules;
}

std::string SolvedRow(const SolveResult& s, int row) {
  std::vector<std::string> v;
  for (const SolvedCell& c : s.cells[row]) {
    v.push_back(c.reading.value ? c.reading.value->ToString() : "_");
  }
  return absl::StrJoin(v, "|");
}

TEST(ReadRowTest, DirectRowIsOk) {
  SolverLimits limits;
  RowCandidates c = ReadRow(Group("规章\t1\t0\t3"), std::vector<ColumnSpec>(3), false, limits);
  ASSERT_TRUE(c.direct);
  ASSERT_EQ(c.readings.size(), 1u);
  SolveResult s = SolveTable({&c}, 3, {}, limits);
  EXPECT_EQ(SolvedRow(s, 0), "1|0|3");
  for (const SolvedCell& cell : s.cells[0]) EXPECT_EQ(cell.state, v1::CELL_STATE_OK);
}

TEST(ReadRowTest, ExtraZeroOnSevenColumnRowIsRepaired) {
  // Seed 002: "(七) 总计 1 0 0 0 0 0 0 1" (8 numbers, 7 columns).
  SolverLimits limits;
  RowCandidates c =
      ReadRow(Group("(七) 总计\t1\t0\t0\t0\t0\t0\t0\t1"), std::vector<ColumnSpec>(7), false, limits);
  EXPECT_FALSE(c.direct);
  EXPECT_EQ(c.repair, "extra cell");
  SolveResult s = SolveTable({&c}, 7, RowSumRule(1), limits);
  EXPECT_EQ(SolvedRow(s, 0), "1|0|0|0|0|0|1");
  for (const SolvedCell& cell : s.cells[0]) {
    EXPECT_EQ(cell.state, v1::CELL_STATE_REPAIRED);
    EXPECT_EQ(cell.note, "extra cell");
  }
}

TEST(ReadRowTest, DigitRunDecidedByRowSum) {
  SolverLimits limits;
  RowCandidates c = ReadRow(Group("申请数量640020470"), std::vector<ColumnSpec>(7), false, limits);
  SolveResult s = SolveTable({&c}, 7, RowSumRule(1), limits);
  EXPECT_EQ(SolvedRow(s, 0), "64|0|0|2|0|4|70");
  EXPECT_EQ(s.cells[0][0].state, v1::CELL_STATE_REPAIRED);
}

TEST(ReadRowTest, SignStartsAPieceAndOnlyDeltaMayBeNegative) {
  SolverLimits limits;
  std::vector<ColumnSpec> cols = {{false, false}, {false, true}, {false, false}};
  RowCandidates c = ReadRow(Group("行政处罚2648-18538"), cols, false, limits);
  auto all = AllReadings(c);
  EXPECT_EQ(absl::StrJoin(all, " "), "2648|-1|8538 2648|-18|538 2648|-185|38 2648|-1853|8");
}

TEST(ReadRowTest, FractionAndYuanStayOnTheMoneyColumn) {
  SolverLimits limits;
  std::vector<ColumnSpec> cols = {{false, false}, {true, false}};
  RowCandidates c = ReadRow(Group("政府集中采购39573802895.90元"), cols, false, limits);
  auto all = AllReadings(c);
  EXPECT_NE(std::find(all.begin(), all.end(), "395|7380.28959"), all.end())
      << absl::StrJoin(all, " ");
  for (const RowReading& r : c.readings) EXPECT_TRUE(r.cells[0].value->is_integer());
}

TEST(SolveTableTest, WholeTableDecidesWhatRowsLeaveOpen) {
  // Row 0: "270020130" fits R3 two ways (27|0|0|2|0|1|30, 2|7|0|0|20|1|30);
  // row 1 is printed; rule: column c of row 0 = column c of row 1 (like R2
  // with a single leaf) decides it.
  SolverLimits limits;
  RowCandidates open = ReadRow(Group("予以公开270020130"), std::vector<ColumnSpec>(7), false, limits);
  RowCandidates fixed =
      ReadRow(Group("总计\t27\t0\t0\t2\t0\t1\t30"), std::vector<ColumnSpec>(7), false, limits);
  std::vector<Rule> rules = RowSumAndColumnRules();
  SolveResult s = SolveTable({&open, &fixed}, 7, rules, limits);
  EXPECT_EQ(SolvedRow(s, 0), "27|0|0|2|0|1|30");
  EXPECT_EQ(s.cells[0][0].state, v1::CELL_STATE_REPAIRED);
  EXPECT_EQ(s.cells[1][0].state, v1::CELL_STATE_OK);
  EXPECT_TRUE(s.relaxed_families.empty());

  // Without the column rule both readings survive: ambiguous, with the
  // other reading's values as alternatives; cells they agree on repaired.
  SolveResult alone = SolveTable({&open}, 7, RowSumRule(1), limits);
  EXPECT_EQ(alone.cells[0][0].state, v1::CELL_STATE_AMBIGUOUS);
  std::vector<std::string> values = {alone.cells[0][0].reading.value->ToString()};
  for (const auto& a : alone.cells[0][0].alternatives) values.push_back(a);
  std::sort(values.begin(), values.end());
  EXPECT_EQ(absl::StrJoin(values, ","), "2,27");
  EXPECT_EQ(alone.cells[0][6].state, v1::CELL_STATE_REPAIRED);  // 30 either way
  EXPECT_EQ(alone.cells[0][6].reading.value->ToString(), "30");
}

TEST(SolveTableTest, BrokenRuleIsRelaxedNotForced) {
  // The printed total disagrees with the run under every reading: the
  // column rule is dropped, and the open row stays ambiguous.
  SolverLimits limits;
  RowCandidates open = ReadRow(Group("予以公开270020130"), std::vector<ColumnSpec>(7), false, limits);
  RowCandidates fixed =
      ReadRow(Group("总计\t9\t0\t0\t0\t0\t0\t9"), std::vector<ColumnSpec>(7), false, limits);
  std::vector<Rule> rules = RowSumAndColumnRules();
  SolveResult s = SolveTable({&open, &fixed}, 7, rules, limits);
  EXPECT_EQ(s.relaxed_families, std::vector<int>{2});
  EXPECT_EQ(s.cells[0][0].state, v1::CELL_STATE_AMBIGUOUS);
  EXPECT_EQ(s.cells[1][0].reading.value->ToString(), "9");  // printed, kept
  EXPECT_EQ(s.cells[1][0].state, v1::CELL_STATE_OK);
}

TEST(SolveTableTest, HostileRunHitsTheCapAndIsAmbiguous) {
  SolverLimits limits;
  limits.max_nodes = 5000;
  std::string run = "总计";
  for (int i = 0; i < 80; ++i) run.push_back('1' + i % 9);
  RowCandidates c = ReadRow(Group(run), std::vector<ColumnSpec>(15), true, limits);
  EXPECT_TRUE(c.capped);
  ASSERT_FALSE(c.readings.empty());  // some readings, none trusted
  SolveResult s = SolveTable({&c}, 15, {}, limits);
  for (const SolvedCell& cell : s.cells[0]) {
    EXPECT_EQ(cell.state, v1::CELL_STATE_AMBIGUOUS) << cell.reading.raw;
  }
}

TEST(SolveTableTest, MissingRowsLeaveTheirRulesOut) {
  SolverLimits limits;
  RowCandidates c = ReadRow(Group("数量1000001"), std::vector<ColumnSpec>(7), false, limits);
  std::vector<Rule> rules = RowSumRule(2);
  SolveResult s = SolveTable({&c, nullptr}, 7, rules, limits);
  EXPECT_EQ(SolvedRow(s, 0), "1|0|0|0|0|0|1");
  EXPECT_EQ(s.cells[1][0].state, v1::CELL_STATE_MISSING);
}

}  // namespace
}  // namespace gongkai
