#include "common/validate/report_cells.h"

namespace gongkai {

namespace {

// Get()'s value of `cell`.
std::optional<ReportCells::Value> ValueOf(const v1::Cell& cell) {
  switch (cell.state()) {
    case v1::CELL_STATE_MISSING:
      return std::nullopt;
    case v1::CELL_STATE_EMPTY:
      return ReportCells::Value{Decimal(), cell.state()};
    default:
      break;
  }
  std::optional<Decimal> value = Decimal::Parse(cell.value());
  if (!value || !(*value < Decimal::FromInt(ReportCells::kMaxMagnitude)) ||
      !(Decimal::FromInt(-ReportCells::kMaxMagnitude) < *value)) {
    return std::nullopt;
  }
  return ReportCells::Value{*value, cell.state()};
}

}  // namespace

ReportCells::ReportCells(const v1::AnnualReport& report) : report_(report) {
  by_key_.reserve(report.cells_size());
  for (const v1::Cell& cell : report.cells()) {
    auto [it, inserted] = by_key_.try_emplace(cell.key());
    if (inserted) it->second = Entry{&cell, ValueOf(cell)};
  }
}

const v1::Cell* ReportCells::Find(absl::string_view key) const {
  auto it = by_key_.find(key);
  return it == by_key_.end() ? nullptr : it->second.cell;
}

std::optional<ReportCells::Value> ReportCells::Get(absl::string_view key) const {
  auto it = by_key_.find(key);
  if (it == by_key_.end()) return std::nullopt;
  return it->second.value;
}

std::vector<Decimal> ReportCells::Readings(absl::string_view key) const {
  std::vector<Decimal> readings;
  std::optional<Value> value = Get(key);
  if (!value) return readings;
  readings.push_back(value->value);
  if (value->state != v1::CELL_STATE_AMBIGUOUS) return readings;
  for (const std::string& alternative : Find(key)->alternatives()) {
    std::optional<Decimal> parsed = Decimal::Parse(alternative);
    if (parsed && *parsed < Decimal::FromInt(kMaxMagnitude) &&
        Decimal::FromInt(-kMaxMagnitude) < *parsed) {
      readings.push_back(*parsed);
    }
  }
  return readings;
}

}  // namespace gongkai
