// The honest oracle for flattened tables: which cells a digit run leaves
// open. A run such as `640020470` holds a row's cells with no separator; the
// only things that can decide it are the template's arithmetic rules
// (R3/R4 inside a row, R1/R2 across the rows of table 三), the sign of
// negative cells and the fact that printed numbers have no leading zeros.
// This file finds, by brute force over every segmentation, the cells that
// still take more than one value.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_TOOLS_CORPUSGEN_DIGIT_RUN_ORACLE_H_
#define GONGKAI_TOOLS_CORPUSGEN_DIGIT_RUN_ORACLE_H_

#include <map>
#include <string>
#include <vector>

#include "common/report/decimal.h"
#include "common/report/template.h"

namespace gongkai {
namespace corpusgen {

// One flattened row as printed.
struct DigitRun {
  // The cells the run holds, in print order (a table 三 row: the 7 columns;
  // table 四: all 15 cells; a table 二 row: its columns).
  std::vector<std::string> keys;
  // ASCII digits, '-' (starts a negative number), '.' (inside the last cell
  // when it is money) and ' ' (only where a cell ends).
  std::string text;
  // The last cell is money printed in 元 (its value is the number / 10000).
  bool yuan = false;
};

// Keys (sorted) whose value differs between segmentations of `runs` that
// keep every R1–R4 instance that `truth` (the printed values of every cell)
// keeps. Where the search exceeds its budget (about a million
// segmentations per run), every cell it could not settle is listed: the
// oracle never claims a cell is decidable without having shown it.
std::vector<std::string> UndecidableCells(
    const std::vector<DigitRun>& runs, const TemplateVariant& variant,
    const std::map<std::string, Decimal>& truth);

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_DIGIT_RUN_ORACLE_H_
