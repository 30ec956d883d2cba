// ReportCells: a report's cells by canonical key, with their values as exact
// Decimals for the validator's rules.
//
// Thread-safety: immutable after construction; borrows `report`, which must
// outlive it.
#ifndef GONGKAI_COMMON_VALIDATE_REPORT_CELLS_H_
#define GONGKAI_COMMON_VALIDATE_REPORT_CELLS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "common/report/decimal.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

class ReportCells {
 public:
  explicit ReportCells(const gongkai::v1::AnnualReport& report);

  // A cell's value for arithmetic.
  struct Value {
    Decimal value;  // 0 for an empty cell
    gongkai::v1::CellState state = gongkai::v1::CELL_STATE_UNSPECIFIED;
  };

  // The cell with `key`, or nullptr when the report has none.
  const gongkai::v1::Cell* Find(absl::string_view key) const;

  // Values at or beyond this magnitude are not used in sums (R5 reports
  // them), so that no sum of cells can overflow Decimal.
  static constexpr int64_t kMaxMagnitude = 1000000000;  // 10^9

  // The value of `key`: an EMPTY cell counts as 0; nullopt when the cell is
  // absent, MISSING, its value is not a number or is kMaxMagnitude or more
  // in magnitude (R5 reports those).
  std::optional<Value> Get(absl::string_view key) const;

  // Every reading of `key`: Get()'s value first, then, for an AMBIGUOUS
  // cell, its alternatives that are numbers. Empty when Get() is nullopt.
  std::vector<Decimal> Readings(absl::string_view key) const;

  const gongkai::v1::AnnualReport& report() const { return report_; }

 private:
  struct Entry {
    const gongkai::v1::Cell* cell = nullptr;
    std::optional<Value> value;  // Get()'s answer, computed once
  };

  const gongkai::v1::AnnualReport& report_;
  absl::flat_hash_map<absl::string_view, Entry> by_key_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_VALIDATE_REPORT_CELLS_H_
