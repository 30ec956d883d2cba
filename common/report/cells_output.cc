#include "common/report/cells_output.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/report/template.h"
#include "google/protobuf/util/json_util.h"

namespace gongkai {

std::string FormatCells(const gongkai::v1::AnnualReport& report) {
  const auto& meta = report.meta();
  std::vector<std::pair<std::string, std::string>> fields = {
      {"meta.organ", meta.organ()},
      {"meta.year", meta.year() > 0 ? absl::StrCat(meta.year()) : ""},
      {"meta.format", std::string(FormatName(meta.format()))},
      {"meta.region_code", meta.region_code()},
      {"meta.province", meta.province()},
      {"meta.city", meta.city()},
      {"meta.county", meta.county()},
  };
  std::vector<std::string> lines;
  lines.reserve(fields.size() + report.cells_size());
  for (const auto& [key, value] : fields) {
    lines.push_back(
        absl::StrCat(key, "\t", value, "\t", value.empty() ? "missing" : "ok"));
  }
  for (const auto& cell : report.cells()) {
    lines.push_back(absl::StrCat(cell.key(), "\t", cell.value(), "\t",
                                 CellStateName(cell.state())));
  }
  std::sort(lines.begin(), lines.end());
  std::string out;
  for (const std::string& line : lines) absl::StrAppend(&out, line, "\n");
  return out;
}

absl::StatusOr<std::string> FormatJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  std::string out;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return absl::InternalError(
        absl::StrCat("cannot print JSON: ", status.ToString()));
  }
  return out;
}

}  // namespace gongkai
