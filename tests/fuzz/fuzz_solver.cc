// libFuzzer target: the field reader and digit-run solver
// (common/parse/fields.h, solver.h) through their own entry points. The
// bytes choose a table shape (columns, money columns, rows), one line of
// text per row, and linear rules over the table's cells; ReadRow and
// SolveTable must stay within SolverLimits and return well-formed results:
// every reading has one cell per column, the solution has one row per input
// row and one cell per column, a solved number parses, and an ambiguous cell
// lists only numbers as alternatives; with a row's own rules applied
// (RowRules), its readings are a subsequence of the full ones.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "common/parse/fields.h"
#include "common/parse/solver.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_solver invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using gongkai::v1::CellState;
  FuzzedDataProvider fdp(data, size);
  const size_t columns = fdp.ConsumeIntegralInRange<size_t>(1, 9);
  const size_t num_rows = fdp.ConsumeIntegralInRange<size_t>(1, 8);
  const bool trailing_blanks_first = fdp.ConsumeBool();
  std::vector<gongkai::ColumnSpec> specs(columns);
  for (gongkai::ColumnSpec& spec : specs) {
    spec.money = fdp.ConsumeBool();
    spec.may_be_negative = fdp.ConsumeBool();
  }
  const size_t num_rules = fdp.ConsumeIntegralInRange<size_t>(0, 8);
  std::vector<gongkai::Rule> rules(num_rules);
  for (gongkai::Rule& rule : rules) {
    auto cell = [&] {
      return std::make_pair(fdp.ConsumeIntegralInRange<int>(0, static_cast<int>(num_rows) - 1),
                            fdp.ConsumeIntegralInRange<int>(0, static_cast<int>(columns) - 1));
    };
    const int plus = fdp.ConsumeIntegralInRange<int>(1, 4);
    const int minus = fdp.ConsumeIntegralInRange<int>(0, 3);
    for (int i = 0; i < plus; ++i) rule.plus.push_back(cell());
    for (int i = 0; i < minus; ++i) rule.minus.push_back(cell());
    rule.family = fdp.ConsumeIntegralInRange<int>(1, 4);
  }

  gongkai::SolverLimits limits;  // the production defaults
  std::vector<std::unique_ptr<gongkai::RowCandidates>> candidates(num_rows);
  std::vector<const gongkai::RowCandidates*> rows(num_rows, nullptr);
  for (size_t r = 0; r < num_rows; ++r) {
    const std::string line = fdp.ConsumeRandomLengthString(200);
    std::vector<gongkai::FieldGroup> groups =
        gongkai::ReadFieldGroups(line, 0, line.size());
    for (const gongkai::FieldGroup& group : groups) {
      for (const gongkai::Field& field : group.fields) {
        if (field.begin > field.end || field.end > line.size()) Fail("field span out of line");
      }
    }
    if (groups.empty()) continue;
    candidates[r] = std::make_unique<gongkai::RowCandidates>(
        gongkai::ReadRow(groups.front(), specs, trailing_blanks_first, limits));
    // With the row's own rules applied, the readings kept are a subsequence
    // of the full ones (when those are complete).
    std::vector<gongkai::Rule> own;
    for (const gongkai::Rule& rule : rules) {
      const int row = !rule.plus.empty() ? rule.plus[0].first : rule.minus[0].first;
      if (rule.RowLocal() && row == static_cast<int>(r)) own.push_back(rule);
    }
    if (!own.empty() && !candidates[r]->capped) {
      gongkai::RowRules row_rules;
      row_rules.rules = &own;
      row_rules.allowance = static_cast<int>(r % 2);
      gongkai::RowCandidates kept;
      gongkai::ReadRowInto(groups.front(), specs, trailing_blanks_first, limits, row_rules, &kept);
      if (kept.direct != candidates[r]->direct) Fail("rules changed how the row was read");
      size_t next = 0;
      const auto& full = candidates[r]->readings;
      for (const gongkai::RowReading& reading : kept.readings) {
        auto same = [&reading](const gongkai::RowReading& other) {
          if (other.cells.size() != reading.cells.size()) return false;
          for (size_t c = 0; c < other.cells.size(); ++c) {
            if (other.cells[c].value != reading.cells[c].value) return false;
          }
          return true;
        };
        while (next < full.size() && !same(full[next])) ++next;
        if (next == full.size()) Fail("a reading kept under rules is not a full reading, in order");
        ++next;
      }
    }
    if (candidates[r]->readings.size() > limits.max_readings_per_row) Fail("too many readings");
    for (const gongkai::RowReading& reading : candidates[r]->readings) {
      if (reading.cells.size() != columns) Fail("reading without one cell per column");
    }
    rows[r] = candidates[r].get();
  }

  gongkai::SolveResult result = gongkai::SolveTable(rows, columns, rules, limits);
  if (result.cells.size() != num_rows) Fail("solution row count");
  for (const auto& row : result.cells) {
    if (row.size() != columns) Fail("solution column count");
    for (const gongkai::SolvedCell& cell : row) {
      const bool has_value = cell.reading.value.has_value();
      if ((cell.state == CellState::CELL_STATE_OK ||
           cell.state == CellState::CELL_STATE_REPAIRED) &&
          !has_value && cell.reading.begin == cell.reading.end && cell.state != CellState::CELL_STATE_EMPTY) {
        // A read cell with neither a value nor a printed span is made up.
        Fail("ok/repaired cell with no value and no printed text");
      }
      for (const std::string& alternative : cell.alternatives) {
        if (!alternative.empty() && !gongkai::Decimal::Parse(alternative).has_value()) {
          Fail("non-numeric alternative");
        }
      }
    }
  }
  return 0;
}
