// TableGrid and CellText.
#include "common/formats/grid.h"

#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(TableGridTest, RowAndColumnSpansLeaveCoveredSlotsEmpty) {
  size_t budget = 1000;
  TableGrid grid(&budget);
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("A", 2, 1).ok());
  ASSERT_TRUE(grid.AddCell("B", 1, 2).ok());
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("C", 1, 1).ok());  // lands in column 1 (0 is covered)
  ASSERT_TRUE(grid.AddCell("D", 1, 1).ok());
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("E", 1, 3).ok());
  EXPECT_EQ(grid.columns(), 3u);
  EXPECT_EQ(grid.ToTsv(), "A\tB\t\n\tC\tD\nE\t\t\n");
  EXPECT_EQ(budget, 1000u - 2 - 2 - 1 - 1 - 3);
}

TEST(TableGridTest, EmptyRowsAreDroppedAndShortRowsPadded) {
  size_t budget = 100;
  TableGrid grid(&budget);
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("", 1, 1).ok());
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("x", 1, 1).ok());
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("1", 1, 1).ok());
  ASSERT_TRUE(grid.AddCell("2", 1, 1).ok());
  EXPECT_EQ(grid.ToTsv(), "x\t\n1\t2\n");
}

TEST(TableGridTest, RowspanBeyondTheLastRowIsHarmless) {
  size_t budget = 100;
  TableGrid grid(&budget);
  ASSERT_TRUE(grid.AddCell("only", 5, 1).ok());  // no StartRow: implicit
  EXPECT_EQ(grid.ToTsv(), "only\n");
}

TEST(TableGridTest, BudgetIsEnforcedAndHugeSpansAreClamped) {
  size_t budget = 10;
  TableGrid grid(&budget);
  grid.StartRow();
  absl::Status s = grid.AddCell("x", 100000, 100000);
  EXPECT_EQ(s.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_NE(s.message().find("max_table_cells"), absl::string_view::npos);
  ASSERT_TRUE(grid.AddCell("y", 2, 5).ok());
  EXPECT_EQ(budget, 0u);
  EXPECT_EQ(grid.AddCell("z", 1, 1).code(), absl::StatusCode::kResourceExhausted);
}

TEST(CellTextTest, WhitespaceRules) {
  EXPECT_EQ(CellText("  a \t b\n"), "a b");
  EXPECT_EQ(CellText("\xC2\xA0"), "");                     // &nbsp; alone
  EXPECT_EQ(CellText("12\xC2\xA0"), "12");
  EXPECT_EQ(CellText("商业\n企业"), "商业企业");               // wrapped CJK label
  EXPECT_EQ(CellText("\xE3\x80\x80\xE3\x80\x80一、总体情况"), "一、总体情况");  // U+3000 indent
  EXPECT_EQ(CellText("1. 属于国家秘密"), "1. 属于国家秘密");
  EXPECT_EQ(CellText("2023 年"), "2023 年");
  EXPECT_EQ(CellText("（一） 予以公开"), "（一）予以公开");
  // Runs and separators mixed: a space kept only where a side is not wide.
  EXPECT_EQ(CellText(" 商业 \t企业 abc  12\xC2\xA0商 业 "), "商业企业 abc 12 商业");
  EXPECT_EQ(CellText("商\xE3\x80\x80 1"), "商 1");
}

}  // namespace
}  // namespace gongkai
