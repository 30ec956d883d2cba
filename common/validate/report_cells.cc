#include "common/validate/report_cells.h"

namespace gongkai {

ReportCells::ReportCells(const v1::AnnualReport& report) : report_(report) {
  by_key_.reserve(report.cells_size());
  for (const v1::Cell& cell : report.cells()) by_key_.emplace(cell.key(), &cell);
}

const v1::Cell* ReportCells::Find(absl::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second;
}

std::optional<ReportCells::Value> ReportCells::Get(absl::string_view key) const {
  const v1::Cell* cell = Find(key);
  if (cell == nullptr) return std::nullopt;
  switch (cell->state()) {
    case v1::CELL_STATE_MISSING:
      return std::nullopt;
    case v1::CELL_STATE_EMPTY:
      return Value{Decimal(), cell->state()};
    default:
      break;
  }
  std::optional<Decimal> value = Decimal::Parse(cell->value());
  if (!value) return std::nullopt;
  return Value{*value, cell->state()};
}

}  // namespace gongkai
