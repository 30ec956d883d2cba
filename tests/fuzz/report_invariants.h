// Checks every fuzz target (and the regression tests) applies to a parsed
// AnnualReport: whatever the input, the result must be self-consistent. A
// violation is a bug even when nothing crashed (e.g. a span past the end of
// the text, or a cell with a value that is not a number).
//
// Thread-safety: pure function.
#ifndef GONGKAI_TESTS_FUZZ_REPORT_INVARIANTS_H_
#define GONGKAI_TESTS_FUZZ_REPORT_INVARIANTS_H_

#include <string>

#include "common/report/decimal.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::fuzzing {

// Returns "" when `report` is consistent, else a one-line description of the
// first broken invariant:
//  - every span lies inside normalized_text (when the text is kept);
//  - an OK cell has a value that parses as a Decimal; a REPAIRED or
//    AMBIGUOUS one a Decimal or "" (blank reading); EMPTY/MISSING no value;
//  - every alternative of an AMBIGUOUS cell parses as a Decimal or is ""
//    (a blank reading);
//  - cells are sorted by key with no duplicate keys.
inline std::string CheckReportInvariants(const gongkai::v1::AnnualReport& report) {
  using gongkai::v1::CellState;
  const size_t text_size = report.normalized_text().size();
  const bool have_text = !report.normalized_text().empty();
  auto span_ok = [&](const gongkai::v1::Span& span) {
    return span.begin() <= span.end() && (!have_text || span.end() <= text_size);
  };
  std::string previous_key;
  for (int i = 0; i < report.cells_size(); ++i) {
    const gongkai::v1::Cell& cell = report.cells(i);
    if (i > 0 && !(previous_key < cell.key())) {
      return "cells not sorted/unique at key " + cell.key();
    }
    previous_key = cell.key();
    if (cell.has_span() && !span_ok(cell.span())) return "cell span out of text: " + cell.key();
    switch (cell.state()) {
      case CellState::CELL_STATE_OK:
        if (!Decimal::Parse(cell.value()).has_value()) {
          return "cell " + cell.key() + " is ok with non-numeric value '" + cell.value() + "'";
        }
        break;
      case CellState::CELL_STATE_REPAIRED:
      case CellState::CELL_STATE_AMBIGUOUS:
        // "" is a blank reading (a digit-run split or placement may leave the
        // cell blank).
        if (!cell.value().empty() && !Decimal::Parse(cell.value()).has_value()) {
          return "cell " + cell.key() + " has non-numeric value '" + cell.value() + "'";
        }
        break;
      case CellState::CELL_STATE_EMPTY:
      case CellState::CELL_STATE_MISSING:
        if (!cell.value().empty()) return "blank/missing cell " + cell.key() + " has a value";
        break;
      default:
        return "cell " + cell.key() + " has state UNSPECIFIED";
    }
    for (const std::string& alternative : cell.alternatives()) {
      // "" is the blank reading (the solver's ValueText of a blank cell).
      if (!alternative.empty() && !Decimal::Parse(alternative).has_value()) {
        return "cell " + cell.key() + " has non-numeric alternative '" + alternative + "'";
      }
    }
  }
  for (const auto& section : report.sections()) {
    if (section.has_span() && !span_ok(section.span())) return "section span out of text";
  }
  for (const auto& diagnostic : report.diagnostics()) {
    if (diagnostic.has_span() && !span_ok(diagnostic.span())) {
      return "diagnostic span out of text: " + diagnostic.code();
    }
  }
  return "";
}

}  // namespace gongkai::fuzzing

#endif  // GONGKAI_TESTS_FUZZ_REPORT_INVARIANTS_H_
