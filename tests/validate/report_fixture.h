// Synthetic annual reports for the validator's tests: a consistent report of
// any template variant built from a few numbers, which tests then break on
// purpose. Every fixture is titled 示例县 (synthetic).
#ifndef GONGKAI_TESTS_VALIDATE_REPORT_FIXTURE_H_
#define GONGKAI_TESTS_VALIDATE_REPORT_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/report/template.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::testing {

struct FixtureSpec {
  TemplateVariant variant;
  int year = 2021;
  // Varies every number of the report.
  int seed = 0;
  // t3.carried_over per applicant column (natural … other_org).
  std::vector<int64_t> carried_over = {0, 0, 0, 0, 0, 0};
  // F2021: last year's t2.<row>.in_force (this year's = it + issued − repealed).
  int64_t rules_in_force_before = 10;
  int64_t normative_in_force_before = 35;
};

// A report that satisfies R1–R5 (and T1, Q1, N1), with all six sections, a
// statistics period of the year, and every cell `ok`.
gongkai::v1::AnnualReport MakeReport(const FixtureSpec& spec);

// The spec of next year's report of the same body: carried over = this
// year's carried forward, in force before = this year's in force.
FixtureSpec NextYearSpec(const FixtureSpec& spec,
                         const gongkai::v1::AnnualReport& report);

// The cell with `key` (test failure and a dummy when absent).
gongkai::v1::Cell& MutableCell(gongkai::v1::AnnualReport* report,
                               absl::string_view key);
// Its value as an integer.
int64_t CellInt(const gongkai::v1::AnnualReport& report, absl::string_view key);
// Sets the value (state ok).
void SetCell(gongkai::v1::AnnualReport* report, absl::string_view key,
             const std::string& value);
// Adds `delta` to an integer cell.
void AddToCell(gongkai::v1::AnnualReport* report, absl::string_view key,
               int64_t delta);
// Appends to section `number`'s text.
void AppendToSection(gongkai::v1::AnnualReport* report, int number,
                     absl::string_view text);

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_VALIDATE_REPORT_FIXTURE_H_
