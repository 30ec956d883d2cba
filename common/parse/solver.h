// Deciding what a table's layout leaves open: which cells a digit run
// (`640020470`) or a row with extra numbers (8 on a 7-column row) stands
// for. Each row yields its possible readings; the arithmetic rules of the
// form (R1–R4 of shared/spec/annual-report-format.md) are then applied over
// the whole table to keep only the readings that fit together. Part of the
// parser core; exposed for tests.
//
// Guarantees: a cell read directly as printed is `ok`; a cell recovered
// from damaged input is `repaired` only when every surviving reading agrees
// on it, otherwise `ambiguous` with the other values as alternatives. When
// the report's own arithmetic is broken, rule families are relaxed (R2, then
// R1, then all) instead of forcing a wrong reading, and a recovered row whose
// other readings break no more rules than its pick is in doubt (as, with
// SolveOptions::doubt_uncorroborated_rows, is a row only its own rules
// check). Work is bounded by SolverLimits; hitting a limit marks the open
// cells ambiguous.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_PARSE_SOLVER_H_
#define GONGKAI_COMMON_PARSE_SOLVER_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "common/parse/fields.h"
#include "common/report/decimal.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

struct SolverLimits {
  // Readings kept per row. Default: 4096.
  size_t max_readings_per_row = 4096;
  // Search nodes for one row's enumeration or one table's search.
  // Default: 2,000,000.
  size_t max_nodes = 2000000;
  // Complete table solutions recorded. Default: 20,000.
  size_t max_solutions = 20000;
};

// What a column accepts when a run is split (printed values are never
// rejected: a direct reading keeps whatever was printed).
struct ColumnSpec {
  bool money = false;          // may be decimal, may carry 元/万元
  bool may_be_negative = false;
};

// One cell of one reading of a row.
struct CellReading {
  std::optional<Decimal> value;  // nullopt: printed blank
  // The printed text of the field the cell came from: [begin, end) in the
  // normalised text (every piece of a split run has the run's span).
  size_t begin = 0;
  size_t end = 0;
  bool ocr_zero = false;
};

struct RowReading {
  std::vector<CellReading> cells;
};

// The possible readings of one row, most plausible first.
struct RowCandidates {
  std::vector<RowReading> readings;
  // Fields matched the columns one to one (no split, no drop).
  bool direct = true;
  // Enumeration stopped at a limit: readings are incomplete.
  bool capped = false;
  // "digit run" or "extra cell" when not direct.
  std::string repair;
};

// A linear identity over cells: sum(plus) == sum(minus); cells are
// (row, column) indices into the table; blanks count as 0.
struct Rule {
  std::vector<std::pair<int, int>> plus;
  std::vector<std::pair<int, int>> minus;
  // 1..4 for R1..R4; families are relaxed together.
  int family = 0;
  // Row-local rules (all cells in one row) filter that row's readings.
  bool RowLocal() const;
};

// Row-local rules applied while a row's readings are enumerated, for a row
// that no other row's rule checks (table 四, solved with
// SolveOptions::doubt_uncorroborated_rows).
struct RowRules {
  // Rules over the row's cells (the row index of each cell is ignored).
  // Not owned; null or empty: none.
  const std::vector<Rule>* rules = nullptr;
  // When some reading satisfies every rule, only the readings breaking at
  // most `allowance` of them are kept: the others cannot be picked, and are
  // no rival of a reading that breaks none under doubt_uncorroborated_rows
  // (which admits one rule more). Otherwise every reading is kept.
  // Default: 1.
  int allowance = 1;
};

// Reads one row's fields as `columns.size()` cells: one to one when the
// counts match (after dropping surplus blank fields, leading ones first
// unless `trailing_blanks_first`), by dropping surplus numbers, or by
// splitting digit runs (no piece has a leading zero; a sign starts a piece;
// a fraction or unit stays on the run's last piece).
RowCandidates ReadRow(const FieldGroup& group,
                      const std::vector<ColumnSpec>& columns,
                      bool trailing_blanks_first, const SolverLimits& limits);

// Same as ReadRow, written into `*out` (every field set) so a caller that
// reads many rows reuses the storage of its readings.
void ReadRowInto(const FieldGroup& group, const std::vector<ColumnSpec>& columns,
                 bool trailing_blanks_first, const SolverLimits& limits,
                 RowCandidates* out);

// Same as ReadRowInto with `rules` applied as RowRules describes. The
// readings kept are those ReadRowInto gives that the rules allow, in the
// same order; max_readings_per_row counts only readings kept, and splits
// are not followed once they break too many rules, counting a rule
// `total == sum of parts` (one plus cell, right of every minus cell, in a
// row with no negative column) as broken as soon as its parts sum past
// any piece still to come. So a long run that caps ReadRowInto may be
// read in full.
void ReadRowInto(const FieldGroup& group, const std::vector<ColumnSpec>& columns,
                 bool trailing_blanks_first, const SolverLimits& limits, const RowRules& rules,
                 RowCandidates* out);

struct SolvedCell {
  CellReading reading;
  gongkai::v1::CellState state = gongkai::v1::CELL_STATE_MISSING;
  std::vector<std::string> alternatives;
  std::string note;
};

struct SolveResult {
  // [row][column]; rows without candidates are all MISSING.
  std::vector<std::vector<SolvedCell>> cells;
  // Rule families that had to be dropped (e.g. {2} for a broken R2).
  std::vector<int> relaxed_families;
  bool capped = false;
};

// Chooses the readings of every row. `rows[i]` may be nullptr (row not in
// the document). `columns` is the column count of every row.
SolveResult SolveTable(const std::vector<const RowCandidates*>& rows,
                       size_t columns, const std::vector<Rule>& rules,
                       const SolverLimits& limits);

struct SolveOptions {
  // A recovered row whose readings only its own (row-local) rules check —
  // no cross-row rule touches it, as in table 四 — cannot show a misprint:
  // when set, its cells are repaired only if no other reading breaks at
  // most one rule more than the chosen one (one misprinted number breaks
  // one rule); otherwise they are ambiguous. Default: false (SolveTable).
  bool doubt_uncorroborated_rows = false;
};

// Same as SolveTable with `options`, written into `*out` (every field set)
// so that a caller solving many tables reuses its cells' storage.
void SolveTableInto(const std::vector<const RowCandidates*>& rows, size_t columns,
                    const std::vector<Rule>& rules, const SolverLimits& limits,
                    const SolveOptions& options, SolveResult* out);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_SOLVER_H_
