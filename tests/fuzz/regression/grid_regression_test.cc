// Regressions found by fuzz_html (tests/fuzz): TableGrid::AddCell scanned
// every row from column 0 for the first free slot, so a row of n cells cost
// O(n²) — a 3 MB page with one 200,000-cell row (inside
// FormatLimits::max_table_cells) kept a parser busy for minutes. Fixed with a
// per-row first-free-slot index (common/formats/grid.h). These tests check
// the placement is still right around row spans and that rows as wide as the
// cell budget allows are read; the ctest TIMEOUT catches a quadratic return.
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
