// Regressions found by fuzz_solver (tests/fuzz) in SolveTable
// (common/parse/solver.cc):
//  1. A row given with no readings (not nullptr) left chosen[r] null, and a
//     cross-row rule over it dereferenced it. Such rows now count as missing.
//  2. Rule sums were int64 over Decimal units (value × 10^8): large printed
//     numbers overflowed (UB), and a sum that wrapped to 0 made a rule hold
//     for a wrong reading. Sums are now exact.
#include <cstdint>
#include <vector>

#include "common/parse/solver.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

CellReading Cell(int64_t units) {
  CellReading cell;
  cell.value = Decimal::FromUnits(units);
  return cell;
}

TEST(SolverRegression, RowWithoutReadingsInACrossRowRuleCountsAsMissing) {
  RowCandidates read;
  read.readings.push_back(RowReading{{Cell(Decimal::kScale), Cell(2 * Decimal::kScale)}});
  RowCandidates empty;  // e.g. numbers that fit no column split
  empty.direct = false;
  Rule rule;
  rule.plus = {{0, 0}, {0, 1}};
  rule.minus = {{1, 0}};
  rule.family = 1;
  SolveResult result = SolveTable({&read, &empty}, 2, {rule}, SolverLimits());
  ASSERT_EQ(result.cells.size(), 2u);
  EXPECT_EQ(result.cells[0][0].reading.value, Decimal::FromInt(1));
  EXPECT_EQ(result.cells[1][0].state, v1::CELL_STATE_MISSING);
}

TEST(SolverRegression, RuleSumsDoNotWrapAround) {
  // Four cells of 2^62 units sum to 2^64, which wraps to 0 in int64: the
  // first reading used to "satisfy" a + b + c + d == e with e = 0.
  const int64_t quarter = int64_t{1} << 62;
  RowCandidates row;
  row.direct = false;
  row.repair = "digit run";
  row.readings.push_back(
      RowReading{{Cell(quarter), Cell(quarter), Cell(quarter), Cell(quarter), Cell(0)}});
  const int64_t one = Decimal::kScale;
  row.readings.push_back(RowReading{{Cell(one), Cell(one), Cell(one), Cell(one), Cell(4 * one)}});
  Rule rule;
  rule.plus = {{0, 0}, {0, 1}, {0, 2}, {0, 3}};
  rule.minus = {{0, 4}};
  rule.family = 1;
  SolveResult result = SolveTable({&row}, 5, {rule}, SolverLimits());
  ASSERT_EQ(result.cells.size(), 1u);
  ASSERT_EQ(result.cells[0].size(), 5u);
  // Only the second reading fits, so every cell agrees on it.
  EXPECT_EQ(result.cells[0][4].reading.value, Decimal::FromInt(4));
  EXPECT_NE(result.cells[0][4].state, v1::CELL_STATE_AMBIGUOUS);
  EXPECT_TRUE(result.cells[0][4].alternatives.empty());
  EXPECT_TRUE(result.relaxed_families.empty());
}

}  // namespace
}  // namespace gongkai
