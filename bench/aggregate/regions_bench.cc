// Benchmarks of the regions/roll-up work: loading the division table,
// resolving a report's region, and summing reports into regional totals.
#include <fstream>
#include <sstream>
#include <string>

#include "benchmark/benchmark.h"
#include "common/aggregate/rollup.h"
#include "common/regions/division_table.h"
#include "common/regions/resolver.h"
#include "common/report/template.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

std::string ReadTsv() {
  std::ifstream in(GONGKAI_DIVISIONS_TSV, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

void BM_DivisionTableParse(benchmark::State& state) {
  const std::string tsv = ReadTsv();
  for (auto _ : state) {
    auto table = DivisionTable::Parse(tsv);
    if (!table.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(table);
  }
  state.SetBytesProcessed(state.iterations() * tsv.size());
}
BENCHMARK(BM_DivisionTableParse)->Unit(benchmark::kMillisecond);

const RegionResolver& Resolver() {
  static const RegionResolver* resolver = RegionResolver::LoadDefault()->release();
  return *resolver;
}

v1::AnnualReport ReportFor(const std::string& organ, size_t text_bytes) {
  v1::AnnualReport report;
  report.mutable_meta()->set_organ(organ);
  report.mutable_meta()->set_year(2020);
  report.mutable_meta()->set_title(organ + "2020年政府信息公开工作年度报告");
  std::string text;
  while (text.size() < text_bytes) text += "我区认真贯彻落实《条例》，推进政务公开标准化规范化。";
  text += "按照《牡丹江市人民政府办公室关于印发牡丹江市2020年政务公开工作实施方案的通知》要求";
  report.add_sections()->set_text(text);
  return report;
}

void BM_Resolve(benchmark::State& state, const char* organ) {
  const RegionResolver& resolver = Resolver();
  const v1::AnnualReport input = ReportFor(organ, 8000);
  for (auto _ : state) {
    v1::AnnualReport report = input;
    resolver.Resolve("", &report);
    benchmark::DoNotOptimize(report);
  }
}
BENCHMARK_CAPTURE(BM_Resolve, unique_county, "林口县");
BENCHMARK_CAPTURE(BM_Resolve, city_and_district, "牡丹江市西安区");
BENCHMARK_CAPTURE(BM_Resolve, same_name_by_text, "西安区");
BENCHMARK_CAPTURE(BM_Resolve, township_among_five, "小城子镇人民政府");

void BM_RollupAddReport(benchmark::State& state) {
  auto table = DivisionTable::Embedded();
  const char* codes[] = {"231025", "230723", "231005", "410328", "410327", "231084"};
  std::vector<v1::AnnualReport> reports;
  TemplateVariant variant;
  for (int i = 0; i < 1000; ++i) {
    v1::AnnualReport report;
    report.mutable_meta()->set_region_code(codes[i % 6]);
    report.mutable_meta()->set_body_kind(v1::BODY_KIND_GOVERNMENT);
    report.mutable_meta()->set_body_level(v1::REGION_LEVEL_COUNTY);
    report.mutable_meta()->set_year(2000 + i / 6);  // distinct body+year
    report.mutable_meta()->set_format(v1::REPORT_FORMAT_F2019);
    report.set_content_sha256(std::to_string(i));
    for (const std::string& key : CellKeys(variant)) {
      v1::Cell* cell = report.add_cells();
      cell->set_key(key);
      cell->set_value(std::to_string(i % 97));
      cell->set_state(v1::CELL_STATE_OK);
    }
    reports.push_back(std::move(report));
  }
  const v1::ValidationResult clean;
  for (auto _ : state) {
    RollupBuilder builder(v1::AggregateOptions(), table->get());
    for (const v1::AnnualReport& report : reports) builder.AddReport("r", report, &clean);
    v1::Rollup rollup = builder.Finish();
    benchmark::DoNotOptimize(rollup);
  }
  state.SetItemsProcessed(state.iterations() * reports.size());
}
BENCHMARK(BM_RollupAddReport)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gongkai

BENCHMARK_MAIN();
