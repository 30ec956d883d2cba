// The `cells` and `json` output of one report: the contract other tools read
// (shared/spec/annual-report-format.md, "The `cells` output format").
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_REPORT_CELLS_OUTPUT_H_
#define GONGKAI_COMMON_REPORT_CELLS_OUTPUT_H_

#include <string>

#include "absl/status/statusor.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

// One `key<TAB>value<TAB>state\n` line per metadata field (meta.organ,
// meta.year, meta.format, meta.region_code, meta.province, meta.city,
// meta.county) and per cell, sorted by key. A metadata field is `ok` when
// known and `missing` (empty value) when not.
std::string FormatCells(const gongkai::v1::AnnualReport& report);

// The proto3 JSON of any message, pretty-printed, field names as in the
// .proto (lower_snake_case), enums by name. Errors only on invalid messages.
absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_REPORT_CELLS_OUTPUT_H_
