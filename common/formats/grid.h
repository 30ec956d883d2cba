// TableGrid: rebuilds an HTML or WordprocessingML table into a rectangular
// grid honouring row and column spans, and writes it the way the text parser
// reads tables (one row per line, cells separated by '\t', a cell covered by
// a span written empty). Shared by the HTML and DOCX readers.
//
// Also CellText(), the one whitespace rule for a cell's or paragraph's text.
//
// Thread-safety: a TableGrid is not synchronised; use one per table.
#ifndef GONGKAI_COMMON_FORMATS_GRID_H_
#define GONGKAI_COMMON_FORMATS_GRID_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace gongkai {

class TableGrid {
 public:
  // `cell_budget` is shared by every table of one document: each slot of the
  // grid's bounding rectangle (rows × widest row, as ToTsv() writes it,
  // covered and padding slots included) costs one, and AddCell() fails with
  // RESOURCE_EXHAUSTED once it would go below zero. It must outlive the grid.
  explicit TableGrid(size_t* cell_budget) : cell_budget_(cell_budget) {}

  // Starts a new row.
  void StartRow();

  // Places a cell at the first column of the current row not covered by an
  // earlier row span, covering `rowspan` × `colspan` slots (values below 1
  // count as 1). Errors: RESOURCE_EXHAUSTED when the cell budget runs out.
  absl::Status AddCell(std::string text, int rowspan, int colspan);

  // Rows in the grid (including rows reached only by a row span).
  size_t rows() const { return rows_.size(); }
  // Widest row, in slots.
  size_t columns() const;

  // The grid as '\t'-separated rows, each padded to columns() slots and
  // ending in '\n'. Rows whose slots are all empty are left out.
  std::string ToTsv() const;

 private:
  struct Row {
    std::vector<std::string> slots;
    std::vector<bool> covered;  // slot already taken (by a span or a cell)
    // Every slot before this one is covered (slots are never uncovered), so
    // AddCell scans from here: placing n cells in a row is O(n), not O(n²)
    // (fuzz_html: a 10,000-cell row took seconds).
    size_t first_free = 0;
  };
  Row& RowAt(size_t index);

  size_t* cell_budget_;
  std::vector<Row> rows_;
  size_t current_ = 0;
  bool started_ = false;
  size_t width_ = 0;    // widest row so far
  size_t charged_ = 0;  // budget taken so far: rows × width_ at the last AddCell
};

// Normalises text collected from markup: tabs, newlines, U+00A0 and runs of
// ASCII whitespace become one space; the result is trimmed. A space between
// two CJK characters (a wrapped line in a cell) is dropped.
std::string CellText(absl::string_view raw);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_GRID_H_
