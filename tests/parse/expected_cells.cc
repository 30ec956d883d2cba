#include "tests/parse/expected_cells.h"

#include <unicode/ucnv.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/report/decimal.h"
#include "common/report/template.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace gongkai::testing {
namespace {

std::string ValueText(const google::protobuf::Value& v) {
  switch (v.kind_case()) {
    case google::protobuf::Value::kStringValue:
      return v.string_value();
    case google::protobuf::Value::kNumberValue: {
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%.10f", v.number_value());
      std::string s = buf;
      while (!s.empty() && s.back() == '0') s.pop_back();
      if (!s.empty() && s.back() == '.') s.pop_back();
      return s == "-0" ? "0" : s;
    }
    case google::protobuf::Value::kBoolValue:
      return v.bool_value() ? "true" : "false";
    default:
      return "";
  }
}

}  // namespace

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot open ", path));
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

absl::StatusOr<ExpectedReport> LoadExpected(const std::string& path) {
  auto json = ReadFile(path);
  if (!json.ok()) return json.status();
  google::protobuf::Struct root;
  auto status = google::protobuf::util::JsonStringToMessage(*json, &root);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", status.ToString()));
  }
  ExpectedReport out;
  const auto& fields = root.fields();
  if (auto it = fields.find("cells"); it != fields.end()) {
    for (const auto& [key, value] : it->second.struct_value().fields()) {
      out.cells[key] = ValueText(value);
    }
  }
  if (auto it = fields.find("source"); it != fields.end()) {
    out.source = it->second.string_value();
  }
  if (auto it = fields.find("blank_cells"); it != fields.end()) {
    for (const auto& v : it->second.list_value().values()) {
      out.blank_cells.insert(v.string_value());
    }
  }
  if (auto it = fields.find("undecidable"); it != fields.end()) {
    for (const auto& [key, value] : it->second.struct_value().fields()) {
      for (const auto& v : value.list_value().values()) {
        out.undecidable[key].push_back(ValueText(v));
      }
    }
  }
  if (auto it = fields.find("single_other_row"); it != fields.end()) {
    out.single_other_row = it->second.bool_value();
  }
  return out;
}

std::string Encode(const std::string& utf8, const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  std::string out(utf8.size() * 4 + 16, '\0');
  int32_t len = ucnv_convert(charset, "UTF-8", out.data(), out.size(), utf8.data(),
                             utf8.size(), &status);
  EXPECT_TRUE(U_SUCCESS(status)) << u_errorName(status);
  out.resize(U_SUCCESS(status) ? len : 0);
  return out;
}

bool SameNumber(const std::string& a, const std::string& b) {
  if (a == b) return true;
  auto da = Decimal::Parse(a);
  auto db = Decimal::Parse(b);
  if (!da || !db) return false;
  // The expected side went through a double: allow its rounding.
  return std::llabs(da->units() - db->units()) <= 10;
}

std::vector<std::string> Compare(const v1::AnnualReport& report,
                                 const ExpectedReport& expected, bool strict) {
  std::vector<std::string> problems;
  std::map<std::string, const v1::Cell*> cells;
  for (const auto& c : report.cells()) cells[c.key()] = &c;
  for (const auto& [key, want] : expected.cells) {
    if (absl::StartsWith(key, "meta.")) {
      std::string got;
      if (key == "meta.organ") got = report.meta().organ();
      else if (key == "meta.year") got = absl::StrCat(report.meta().year());
      else if (key == "meta.format") got = std::string(FormatName(report.meta().format()));
      else continue;  // region fields belong to the region resolver
      if (got != want) problems.push_back(absl::StrCat(key, ": got '", got, "', want '", want, "'"));
      continue;
    }
    auto it = cells.find(key);
    if (it == cells.end()) {
      problems.push_back(absl::StrCat(key, ": not in the report"));
      continue;
    }
    const v1::Cell& cell = *it->second;
    const std::string state(CellStateName(cell.state()));
    if (expected.blank_cells.count(key)) {
      if (cell.state() != v1::CELL_STATE_EMPTY &&
          (strict || cell.state() == v1::CELL_STATE_OK ||
           cell.state() == v1::CELL_STATE_REPAIRED)) {
        problems.push_back(absl::StrCat(key, ": want empty, got '", cell.value(), "' ", state));
      }
      continue;
    }
    const bool trusted = cell.state() == v1::CELL_STATE_OK ||
                         cell.state() == v1::CELL_STATE_REPAIRED;
    if (expected.undecidable.count(key) && trusted) {
      problems.push_back(absl::StrCat(key, ": undecidable in the document but marked ", state));
      continue;
    }
    if (strict && expected.undecidable.count(key)) {
      // Flagged, and the hand-read value is among the readings offered.
      bool offered = SameNumber(cell.value(), want);
      for (const std::string& alt : cell.alternatives()) offered |= SameNumber(alt, want);
      if (cell.state() != v1::CELL_STATE_AMBIGUOUS || !offered) {
        problems.push_back(absl::StrCat(key, ": want ambiguous offering ", want, ", got '",
                                        cell.value(), "' ", state));
      }
      continue;
    }
    const bool right = SameNumber(cell.value(), want);
    if (strict) {
      if (!right || !trusted) {
        problems.push_back(absl::StrCat(key, ": got '", cell.value(), "' ", state, ", want ", want));
      }
    } else if (!right && trusted) {
      problems.push_back(absl::StrCat(key, ": WRONG ", state, " '", cell.value(), "', want ", want));
    } else if (!right && cell.state() == v1::CELL_STATE_EMPTY) {
      problems.push_back(absl::StrCat(key, ": empty, want ", want));
    }
  }
  return problems;
}

}  // namespace gongkai::testing
