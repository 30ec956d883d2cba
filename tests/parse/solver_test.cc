// Tests for the row reader and the table solver (digit runs, extra cells,
// ambiguity, relaxation, limits).
#include "common/parse/solver.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/fields.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

std::vector<std::string> Values(const RowReading& r) {
  std::vector<std::string> out;
  for (const CellReading& c : r.cells) out.push_back(c.value ? c.value->ToString() : "_");
  return out;
}

std::string Join(const RowReading& r) { return absl::StrJoin(Values(r), "|"); }

FieldGroup Group(const std::string& text) {
  auto groups = ReadFieldGroups(text, 0, text.size());
  // Tests pass text that starts with a label.
  return groups.empty() ? FieldGroup{} : groups.front();
}

std::vector<std::string> AllReadings(const RowCandidates& c) {
  std::vector<std::string> out;
  for (const auto& r : c.readings) out.push_back(Join(r));
  return out;
}

TEST(ReadRowTest, SplitsRunsAcrossTokens) {
  SolverLimits limits;
  std::vector<ColumnSpec> seven(7);
  RowCandidates c = ReadRow(Group("数量230 000023"), seven, false, limits);
  EXPECT_FALSE(c.direct);
  auto all = AllReadings(c);
  EXPECT_NE(std::find(all.begin(), all.end(), "23|0|0|0|0|0|23"), all.end())
      << absl::StrJoin(all, " ");
  RowCandidates t = ReadRow(Group("总计23 0 00 0 023"), seven, false, limits);
  all = AllReadings(t);
  EXPECT_NE(std::find(all.begin(), all.end(), "23|0|0|0|0|0|23"), all.end())
      << absl::StrJoin(all, " ");
}

}  // namespace
}  // namespace gongkai
