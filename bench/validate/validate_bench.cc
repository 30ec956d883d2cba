// Validator::Validate on synthetic reports (tests/validate/report_fixture.h):
// a consistent F2021 report with ~6 KB of section text, the same with last
// year's report (X1, X2, Q2), and a badly broken F2019 report.
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/validate/validator.h"
#include "tests/validate/report_fixture.h"

namespace gongkai {
namespace {

using testing::FixtureSpec;

FixtureSpec Spec(v1::ReportFormat format, int year) {
  FixtureSpec spec;
  spec.variant.format = format;
  spec.year = year;
  return spec;
}

v1::AnnualReport WithText(v1::AnnualReport report) {
  std::string text;
  for (int i = 0; i < 60; ++i) {
    absl::StrAppend(&text, "示例县坚持以公开为常态，全年主动公开政府信息", 100 + i,
                    "条，行政复议案件", i % 3, "件。");
  }
  testing::AppendToSection(&report, 1, text);
  return report;
}

void BM_ValidateConsistent(benchmark::State& state) {
  const v1::AnnualReport report = WithText(testing::MakeReport(Spec(v1::REPORT_FORMAT_F2021, 2022)));
  const Validator validator;
  int64_t findings = 0;
  for (auto _ : state) {
    auto result = validator.Validate(report, nullptr, {});
    findings = result->findings_size();
    benchmark::DoNotOptimize(result);
  }
  // Every benchmark here sets the same counters: the CSV reporter aborts
  // when a counter is missing from some runs (`make bench` reads CSV).
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateConsistent);

void BM_ValidateWithPrevious(benchmark::State& state) {
  const FixtureSpec spec = Spec(v1::REPORT_FORMAT_F2021, 2021);
  const v1::AnnualReport last = WithText(testing::MakeReport(spec));
  const v1::AnnualReport current =
      WithText(testing::MakeReport(testing::NextYearSpec(spec, last)));
  const Validator validator;
  int64_t findings = 0;
  for (auto _ : state) {
    auto result = validator.Validate(current, &last, {});
    findings = result->findings_size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateWithPrevious);

void BM_ValidateBroken(benchmark::State& state) {
  v1::AnnualReport report = WithText(testing::MakeReport(Spec(v1::REPORT_FORMAT_F2019, 2020)));
  // Every cell off by one: most sums fail.
  for (v1::Cell& cell : *report.mutable_cells()) {
    if (cell.key().rfind("t3.", 0) == 0) cell.set_value(absl::StrCat(cell.value(), "1"));
  }
  const Validator validator;
  int64_t findings = 0;
  for (auto _ : state) {
    auto result = validator.Validate(report, nullptr, {});
    findings = result->findings_size();
    benchmark::DoNotOptimize(result);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ValidateBroken);

}  // namespace
}  // namespace gongkai
