// Tests for the row reader and the table solver (digit runs, extra cells,
// ambiguity, relaxation, limits).
#include "common/parse/solver.h"

#include <algorithm>
#include <set>
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

// R4 on table 四's one row: three groups of five, each "four cells sum to
// the fifth".
std::vector<Rule> T4GroupRules() {
  std::vector<Rule> groups;
  for (int g = 0; g < 3; ++g) {
    Rule rule;
    rule.family = 4;
    rule.plus = {{0, g * 5 + 4}};
    for (int c = 0; c < 4; ++c) rule.minus.push_back({0, g * 5 + c});
    groups.push_back(rule);
  }
  return groups;
}

// How many of the row-local `rules` reading `r` breaks (blanks count as 0).
int BrokenRules(const std::vector<Rule>& rules, const RowReading& r) {
  int n = 0;
  for (const Rule& rule : rules) {
    int64_t sum = 0;
    for (auto [row, c] : rule.plus) sum += r.cells[c].value ? r.cells[c].value->units() : 0;
    for (auto [row, c] : rule.minus) sum -= r.cells[c].value ? r.cells[c].value->units() : 0;
    n += sum != 0;
  }
  return n;
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

// Dropping surplus numbers walks the dropped fields in a loop: a line of
// 300,000 numbers on a 7-column row ends at the node limit, not in a stack
// overflow. (An optimised build turned the old per-field recursion into a
// jump; the ASan build keeps every frame and overflowed.)
TEST(ReadRowTest, ThousandsOfExtraNumbersDoNotRecursePerField) {
  SolverLimits limits;
  std::string line = "数量";
  for (int i = 0; i < 300000; ++i) line += i % 2 == 0 ? " 1" : " 2";
  RowCandidates c = ReadRow(Group(line), std::vector<ColumnSpec>(7), false, limits);
  EXPECT_FALSE(c.direct);
  EXPECT_TRUE(c.capped);
  EXPECT_LE(c.readings.size(), limits.max_readings_per_row);
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

// With RowRules a row keeps exactly the readings of the full enumeration
// that break at most `allowance` rules, in the same order, when some
// reading breaks none; otherwise all of them.
TEST(ReadRowTest, RowRulesKeepWhatTheFullReadingAllows) {
  SolverLimits limits;
  const std::vector<Rule> groups = T4GroupRules();
  const std::vector<std::pair<std::string, std::vector<Rule>>> cases = {
      {"总计1102361001000000", groups},
      {"总计1210215310101400055", groups},  // 12|1|0|2|15 3|10|1|0|14 0|0|0|5|5
      {"总计99999999999999999", groups},  // every reading breaks a rule: all kept
      {"数量640020470", RowSumRule(1)},
      {"数量1111111111", RowSumRule(1)},
      {"数量230 000023", RowSumRule(1)},
  };
  for (const auto& [text, rules] : cases) {
    const size_t columns = rules.size() == 3 ? 15 : 7;
    const std::vector<ColumnSpec> specs(columns);
    const RowCandidates full = ReadRow(Group(text), specs, true, limits);
    ASSERT_FALSE(full.capped) << text;
    auto broken = [&rules = rules](const RowReading& r) { return BrokenRules(rules, r); };
    int least = 1 << 30;
    for (const RowReading& r : full.readings) least = std::min(least, broken(r));
    for (int allowance : {0, 1}) {
      std::vector<std::string> expected;
      for (const RowReading& r : full.readings) {
        if (least > 0 || broken(r) <= allowance) expected.push_back(Join(r));
      }
      RowRules row_rules;
      row_rules.rules = &rules;
      row_rules.allowance = allowance;
      RowCandidates kept;
      ReadRowInto(Group(text), specs, true, limits, row_rules, &kept);
      EXPECT_EQ(AllReadings(kept), expected) << text << " allowance " << allowance;
      EXPECT_EQ(kept.direct, full.direct);
      EXPECT_FALSE(kept.capped);
    }
  }
  // 29 digits in 15 cells: the full enumeration stops at its limit, the
  // one cut by the rules does not (one reading keeps all three).
  const std::string long_run = "总计16020353625113020273621300000";
  EXPECT_TRUE(ReadRow(Group(long_run), std::vector<ColumnSpec>(15), true, limits).capped);
  RowRules row_rules;
  row_rules.rules = &groups;
  row_rules.allowance = 0;
  RowCandidates kept;
  ReadRowInto(Group(long_run), std::vector<ColumnSpec>(15), true, limits, row_rules, &kept);
  EXPECT_FALSE(kept.capped);
  EXPECT_EQ(AllReadings(kept), std::vector<std::string>{"160|20|35|36|251|130|20|27|36|213|0|0|0|0|0"});
}

// Fields that fill the columns exactly, a run giving one column per digit,
// have one split at most, built without the search: the same reading, the
// same checks on each piece, the same rules and the same node count.
TEST(ReadRowTest, RunsFillingTheColumnsExactlyHaveOneSplit) {
  SolverLimits limits;
  const std::vector<ColumnSpec> seven(7);
  RowCandidates c = ReadRow(Group("数量5110007"), seven, false, limits);
  EXPECT_FALSE(c.direct);
  EXPECT_EQ(c.repair, "digit run");
  EXPECT_EQ(AllReadings(c), std::vector<std::string>{"5|1|1|0|0|0|7"});
  c = ReadRow(Group("数量51 10 0 07"), seven, false, limits);
  EXPECT_EQ(AllReadings(c), std::vector<std::string>{"5|1|1|0|0|0|7"});
  // The rules: kept when they hold; when none can, every reading is kept.
  const std::vector<Rule> sum = RowSumRule(1);
  RowRules rules;
  rules.rules = &sum;
  ReadRowInto(Group("数量5110007"), seven, false, limits, rules, &c);
  EXPECT_EQ(AllReadings(c), std::vector<std::string>{"5|1|1|0|0|0|7"});
  ReadRowInto(Group("数量5110008"), seven, false, limits, rules, &c);
  EXPECT_EQ(AllReadings(c), std::vector<std::string>{"5|1|1|0|0|0|8"});
  // A sign only where the column takes one; a fraction only in a money column.
  const std::vector<ColumnSpec> delta = {{false, false}, {false, true}, {false, false}};
  EXPECT_EQ(AllReadings(ReadRow(Group("行政处罚2-13"), delta, false, limits)),
            std::vector<std::string>{"2|-1|3"});
  EXPECT_TRUE(ReadRow(Group("行政处罚-213"), delta, false, limits).readings.empty());
  const std::vector<ColumnSpec> money = {{false, false}, {true, false}};
  EXPECT_EQ(AllReadings(ReadRow(Group("采购12.5"), money, false, limits)),
            std::vector<std::string>{"1|2.5"});
  EXPECT_TRUE(ReadRow(Group("采购12.5"), std::vector<ColumnSpec>(2), false, limits)
                  .readings.empty());
  // Nodes as the search counts them: one for the field, one per piece.
  limits.max_nodes = 8;
  c = ReadRow(Group("数量5110007"), seven, false, limits);
  EXPECT_FALSE(c.capped);
  EXPECT_EQ(c.readings.size(), 1u);
  limits.max_nodes = 7;
  c = ReadRow(Group("数量5110007"), seven, false, limits);
  EXPECT_TRUE(c.capped);
  EXPECT_TRUE(c.readings.empty());
}

// A total left of its parts' placed sum cannot be reached: the split is cut
// as soon as the parts placed sum to more than any piece still to come can
// be, not when the total is placed. The 29-digit run needs 2,508 nodes
// with its rules checked only as each group completes, 638 with the cut;
// with one broken group allowed, 443,204 and 135,396.
TEST(ReadRowTest, PartsBeyondAnyTotalAreCutBeforeTheTotal) {
  const std::vector<Rule> groups = T4GroupRules();
  const FieldGroup run = Group("总计16020353625113020273621300000");
  const std::vector<ColumnSpec> specs(15);
  RowRules row_rules;
  row_rules.rules = &groups;
  SolverLimits limits;
  limits.max_nodes = 1000;
  row_rules.allowance = 0;
  RowCandidates kept;
  ReadRowInto(run, specs, true, limits, row_rules, &kept);
  EXPECT_FALSE(kept.capped);
  EXPECT_EQ(AllReadings(kept), std::vector<std::string>{"160|20|35|36|251|130|20|27|36|213|0|0|0|0|0"});
  limits.max_nodes = 200000;
  row_rules.allowance = 1;
  ReadRowInto(run, specs, true, limits, row_rules, &kept);
  EXPECT_FALSE(kept.capped);
  // As many as without the cut (measured before it), none breaking two groups.
  EXPECT_EQ(kept.readings.size(), 365u);
  for (const RowReading& r : kept.readings) EXPECT_LE(BrokenRules(groups, r), 1) << Join(r);
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
    EXPECT_EQ(cell.state, v1::CELL_STATE_AMBIGUOUS) << (cell.reading.value ? cell.reading.value->ToString() : "blank");
  }
}

// Rules that span every open row (a printed total row as the column sums)
// are checked only once all rows are chosen; interval bounds on the rows
// still open prune the search without losing a solution. 924 x 7^4 = 2.2M
// combinations, far past max_nodes: every solution is found under the
// limit, and the cells are what a brute force over all combinations says.
TEST(SolveTableTest, BoundsPruneTheSearchWithoutLosingSolutions) {
  SolverLimits limits;
  limits.max_nodes = 50000;
  const std::vector<ColumnSpec> seven(7);
  std::vector<RowCandidates> rows;
  rows.push_back(ReadRow(Group("数量1111111111111"), seven, false, limits));
  for (int i = 0; i < 4; ++i) rows.push_back(ReadRow(Group("数量11111111"), seven, false, limits));
  ASSERT_EQ(rows[0].readings.size(), 924u);
  ASSERT_EQ(rows[1].readings.size(), 7u);
  // Totals of 1|1|1|1|1|1|1111111 and rows with their 11 in columns 0-3.
  rows.push_back(ReadRow(Group("总计\t15\t15\t15\t15\t5\t5\t1111115"), seven, false, limits));
  std::vector<Rule> rules;
  for (int c = 0; c < 7; ++c) {
    Rule rule;
    rule.family = 1;
    rule.plus = {{5, c}};
    for (int r = 0; r < 5; ++r) rule.minus.push_back({r, c});
    rules.push_back(rule);
  }
  std::vector<const RowCandidates*> ptrs;
  for (const RowCandidates& row : rows) ptrs.push_back(&row);
  SolveResult s = SolveTable(ptrs, 7, rules, limits);
  EXPECT_FALSE(s.capped);
  EXPECT_TRUE(s.relaxed_families.empty());

  // Brute force: the values each cell takes over all solutions.
  std::vector<std::vector<std::set<std::string>>> seen(5, std::vector<std::set<std::string>>(7));
  const auto& totals = rows[5].readings[0].cells;
  size_t solutions = 0;
  for (const RowReading& a : rows[0].readings) {
    for (const RowReading& b : rows[1].readings) {
      for (const RowReading& c : rows[2].readings) {
        for (const RowReading& d : rows[3].readings) {
          for (const RowReading& e : rows[4].readings) {
            const RowReading* pick[] = {&a, &b, &c, &d, &e};
            bool holds = true;
            for (int col = 0; col < 7 && holds; ++col) {
              int64_t sum = 0;
              for (const RowReading* p : pick) sum += p->cells[col].value->units();
              holds = sum == totals[col].value->units();
            }
            if (!holds) continue;
            ++solutions;
            for (int r = 0; r < 5; ++r) {
              for (int col = 0; col < 7; ++col) {
                seen[r][col].insert(pick[r]->cells[col].value->ToString());
              }
            }
          }
        }
      }
    }
  }
  ASSERT_GT(solutions, 0u);
  for (int r = 0; r < 5; ++r) {
    for (int col = 0; col < 7; ++col) {
      const SolvedCell& cell = s.cells[r][col];
      std::set<std::string> values(cell.alternatives.begin(), cell.alternatives.end());
      values.insert(cell.reading.value->ToString());
      EXPECT_EQ(values, seen[r][col]) << "row " << r << " column " << col;
      EXPECT_EQ(cell.state, seen[r][col].size() == 1 ? v1::CELL_STATE_REPAIRED
                                                     : v1::CELL_STATE_AMBIGUOUS)
          << "row " << r << " column " << col;
    }
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
