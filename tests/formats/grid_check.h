// Test helper: checks a reader's grid text against hand-read expected cells
// (tests/data/corpus_expected/*.json, loaded with tests/parse's
// LoadExpected) without the parser. Rows of tables
// 二/三/四 are found by their (last) label cell and read from the trailing
// numeric cells, so the check is on what the reader produced, cell by cell.
#ifndef GONGKAI_TESTS_FORMATS_GRID_CHECK_H_
#define GONGKAI_TESTS_FORMATS_GRID_CHECK_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gongkai::testing {

struct GridCell {
  std::string key;
  std::string raw;  // the grid cell text
};

// Finds the table rows in `grid_text` and returns the cells read from them,
// keyed like the expected JSON (t2.*, t3.*, t4.*). `f2019` selects the table
// 二 columns.
std::vector<GridCell> ReadGridCells(const std::string& grid_text, bool f2019);

// Every expected t2/t3/t4 cell must be read from the grid exactly once with
// the expected value, and the grid must hold no other table cell. Returns one
// line per problem (empty when the grid is right).
// `expected` is ExpectedReport::cells (tests/parse/expected_cells.h).
std::vector<std::string> GridMismatches(
    const std::string& grid_text,
    const std::map<std::string, std::string>& expected, bool f2019);

// The number a grid cell holds in the expected JSON's units ("73802895.90元"
// → 7380.28959 万元; "" → 0). false when it is not a number.
bool GridNumber(const std::string& raw, double* value);

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_FORMATS_GRID_CHECK_H_
