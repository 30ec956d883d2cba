// Regressions found by fuzzing the HTML reader (tests/fuzz, fuzz_html and
// hostile seeds), both in TableGrid (common/formats/grid.h):
//  1. AddCell scanned every row from column 0 for the first free slot, so a
//     row of n cells cost O(n²): a 3 MB page with one 200,000-cell row
//     (inside FormatLimits::max_table_cells) kept a parser busy for minutes.
//     Fixed with a per-row first-free-slot index. The ctest TIMEOUT catches
//     a quadratic return.
//  2. The budget charged only the slots cells cover, but ToTsv() pads every
//     row to the widest: one colspan=1000 row over 199,000 one-cell rows (a
//     3.7 MB page) became 200 MB of tabs and 1 GB of memory. The budget now
//     charges the grid's bounding rectangle, as FormatLimits documents
//     ("rows × columns after spans").
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/formats/extract.h"
#include "common/formats/grid.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

TEST(TableGridRegression, CellsSkipSlotsCoveredByRowSpansAfterTheFirstFreeOne) {
  size_t budget = 1000;
  TableGrid grid(&budget);
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("A", 2, 1).ok());
  ASSERT_TRUE(grid.AddCell("B", 1, 1).ok());
  ASSERT_TRUE(grid.AddCell("C", 2, 1).ok());
  grid.StartRow();  // columns 0 and 2 are covered by A and C
  ASSERT_TRUE(grid.AddCell("D", 1, 1).ok());
  ASSERT_TRUE(grid.AddCell("E", 1, 2).ok());
  ASSERT_TRUE(grid.AddCell("F", 1, 1).ok());
  EXPECT_EQ(grid.ToTsv(), "A\tB\tC\t\t\t\n\tD\t\tE\t\tF\n");
}

TEST(TableGridRegression, ColumnSpanThenRowSpanFromAnEarlierRow) {
  size_t budget = 1000;
  TableGrid grid(&budget);
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("a", 1, 2).ok());
  ASSERT_TRUE(grid.AddCell("b", 3, 1).ok());
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("c", 1, 1).ok());
  ASSERT_TRUE(grid.AddCell("d", 1, 1).ok());
  ASSERT_TRUE(grid.AddCell("e", 1, 1).ok());  // skips b's slot (column 2)
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("f", 1, 3).ok());  // starts at 0, spans b's column
  EXPECT_EQ(grid.ToTsv(), "a\t\tb\t\n"
                          "c\td\t\te\n"
                          "f\t\t\t\n");
}

TEST(TableGridRegression, RowAsWideAsTheCellBudgetIsReadInFull) {
  const size_t cells = FormatLimits().max_table_cells;  // 200,000
  size_t budget = cells;
  TableGrid grid(&budget);
  grid.StartRow();
  for (size_t i = 0; i < cells; ++i) {
    ASSERT_TRUE(grid.AddCell(i % 1000 == 0 ? absl::StrCat(i) : "", 1, 1).ok()) << i;
  }
  EXPECT_EQ(grid.columns(), cells);
  EXPECT_FALSE(grid.AddCell("over", 1, 1).ok());  // budget spent
  const std::string tsv = grid.ToTsv();
  std::vector<absl::string_view> slots = absl::StrSplit(absl::StripSuffix(tsv, "\n"), '\t');
  ASSERT_EQ(slots.size(), cells);
  EXPECT_EQ(slots[0], "0");
  EXPECT_EQ(slots[199000], "199000");
}

TEST(TableGridRegression, PaddingOfNarrowRowsUnderAWideRowIsCharged) {
  size_t budget = 10000;
  TableGrid grid(&budget);
  grid.StartRow();
  ASSERT_TRUE(grid.AddCell("wide", 1, 1000).ok());
  for (int row = 1; row < 10; ++row) {
    grid.StartRow();
    ASSERT_TRUE(grid.AddCell("1", 1, 1).ok()) << row;  // 10 rows × 1000 = budget
  }
  EXPECT_EQ(budget, 0u);
  grid.StartRow();
  absl::Status over = grid.AddCell("1", 1, 1);
  EXPECT_EQ(over.code(), absl::StatusCode::kResourceExhausted) << over;
}

TEST(TableGridRegression, BudgetIsSharedAndChargedOncePerSlot) {
  size_t budget = 100;
  TableGrid first(&budget);
  ASSERT_TRUE(first.AddCell("a", 2, 2).ok());    // 2 × 2
  ASSERT_TRUE(first.AddCell("b", 1, 1).ok());    // widens to 2 × 3
  EXPECT_EQ(budget, 94u);
  TableGrid second(&budget);
  ASSERT_TRUE(second.AddCell("c", 1, 10).ok());  // 1 × 10
  second.StartRow();
  ASSERT_TRUE(second.AddCell("d", 1, 1).ok());   // 2 × 10
  EXPECT_EQ(budget, 74u);
}

TEST(HtmlReaderRegression, WideRowOverManyNarrowRowsIsRefused) {
  std::string rows;
  for (int i = 0; i < 1000; ++i) absl::StrAppend(&rows, "<tr><td>", i, "</td></tr>");
  const std::string page = absl::StrCat(
      "<html><body><p>示例</p><table><tr><td colspan=1000>x</td></tr>", rows,
      "</table></body></html>");
  absl::StatusOr<ExtractedText> text = ExtractText(page, Container::kHtml, FormatLimits());
  ASSERT_FALSE(text.ok());  // 1001 rows × 1000 columns > 200,000 cells
  EXPECT_EQ(text.status().code(), absl::StatusCode::kResourceExhausted) << text.status();
}

TEST(HtmlReaderRegression, PageWithOneVeryWideRowIsReadOrRefusedPromptly) {
  std::string row;
  for (int i = 0; i < 50000; ++i) absl::StrAppend(&row, "<td>", i % 10, "</td>");
  const std::string page =
      absl::StrCat("<html><body><p>示例</p><table><tr>", row, "</tr></table></body></html>");
  absl::StatusOr<ExtractedText> text = ExtractText(page, Container::kHtml, FormatLimits());
  ASSERT_TRUE(text.ok()) << text.status();
  EXPECT_NE(text->text.find("0\t1\t2\t3"), std::string::npos);

  FormatLimits small;
  small.max_table_cells = 10000;
  absl::StatusOr<ExtractedText> refused = ExtractText(page, Container::kHtml, small);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kResourceExhausted);
}

}  // namespace
}  // namespace gongkai
