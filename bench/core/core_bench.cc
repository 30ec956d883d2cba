// core_bench: the core library on generated reports, in memory.
//   BM_Parse/<layout>  ReportParser::Parse, bytes/s of input per core
//   BM_ParseInto/<layout>  ReportParser::ParseInto reusing one message
//   BM_Validate        Validator::Validate on parsed reports
//   BM_Rollup          RollupBuilder over 1,000 parsed, validated reports
// Reports come from the corpus generator (fixed seed, 5% with errors).
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/aggregate/rollup.h"
#include "common/parse/document.h"
#include "common/parse/parser.h"
#include "common/regions/division_table.h"
#include "common/regions/resolver.h"
#include "common/validate/validator.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai {
namespace {

using corpusgen::CorpusGenerator;
using corpusgen::GeneratorOptions;
using corpusgen::Layout;

constexpr uint64_t kSeed = 8;

std::vector<Document> Documents(const std::vector<Layout>& layouts, int count) {
  GeneratorOptions options;
  options.seed = kSeed;
  options.layouts = layouts;
  CorpusGenerator generator(options);
  std::vector<Document> docs;
  for (int i = 0; i < count; ++i) {
    corpusgen::GeneratedReport report = generator.Generate(i);
    Document doc;
    doc.bytes = std::move(report.bytes);
    doc.name = report.name;
    docs.push_back(std::move(doc));
  }
  return docs;
}

const RegionResolver* Resolver() {
  static const RegionResolver* resolver = [] {
    auto loaded = RegionResolver::LoadDefault();
    return loaded.ok() ? loaded->release() : nullptr;
  }();
  return resolver;
}

// Parsed reports of every layout (those the parser accepts).
const std::vector<v1::AnnualReport>& ParsedReports() {
  static const auto* reports = [] {
    auto* out = new std::vector<v1::AnnualReport>;
    ReportParser parser(ParserOptions{}, Resolver());
    for (const Document& doc : Documents(corpusgen::AllLayouts(), 1000)) {
      auto parsed = parser.Parse(doc);
      if (parsed.ok()) out->push_back(std::move(*parsed));
    }
    return out;
  }();
  return *reports;
}

// Parses generated reports of one layout: with Parse, or with ParseInto
// into one reused message (`reuse`).
void ParseLayout(benchmark::State& state, Layout layout, bool reuse) {
  const std::vector<Document> docs = Documents({layout}, 64);
  ReportParser parser;
  v1::AnnualReport reused;
  size_t i = 0;
  int64_t bytes = 0, failures = 0;
  for (auto _ : state) {
    const Document& doc = docs[i++ % docs.size()];
    if (reuse) {
      failures += !parser.ParseInto(doc, &reused).ok();
      benchmark::DoNotOptimize(reused);
    } else {
      auto parsed = parser.Parse(doc);
      failures += !parsed.ok();
      benchmark::DoNotOptimize(parsed);
    }
    bytes += static_cast<int64_t>(doc.bytes.size());
  }
  state.SetBytesProcessed(bytes);
  state.SetItemsProcessed(state.iterations());
  // A label, not a counter: the CSV reporter needs the same counters in
  // every benchmark.
  if (failures > 0) state.SetLabel(absl::StrCat(failures, " parse failures"));
}

void BM_Parse(benchmark::State& state, Layout layout) { ParseLayout(state, layout, false); }
BENCHMARK_CAPTURE(BM_Parse, tsv, Layout::kTsv)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Parse, aligned, Layout::kAligned)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Parse, pipe, Layout::kPipe)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Parse, markdown, Layout::kMarkdown)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Parse, digit_run, Layout::kDigitRun)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Parse, html, Layout::kHtml)->Unit(benchmark::kMicrosecond);

// ReportParser::ParseInto with one message reused, as a parse worker does
// (the per-core figure of issue 8).
void BM_ParseInto(benchmark::State& state, Layout layout) {
  ParseLayout(state, layout, true);
}
BENCHMARK_CAPTURE(BM_ParseInto, tsv, Layout::kTsv)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseInto, aligned, Layout::kAligned)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseInto, pipe, Layout::kPipe)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseInto, markdown, Layout::kMarkdown)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseInto, digit_run, Layout::kDigitRun)->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_ParseInto, html, Layout::kHtml)->Unit(benchmark::kMicrosecond);

void BM_Validate(benchmark::State& state) {
  const auto& reports = ParsedReports();
  if (reports.empty()) {
    state.SkipWithError("no report parsed");
    return;
  }
  Validator validator;
  const v1::ValidateOptions options;
  size_t i = 0;
  for (auto _ : state) {
    auto result = validator.Validate(reports[i++ % reports.size()], nullptr, options);
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Validate)->Unit(benchmark::kMicrosecond);

void BM_Rollup(benchmark::State& state) {
  const auto& reports = ParsedReports();
  if (reports.empty()) {
    state.SkipWithError("no report parsed");
    return;
  }
  auto table = DivisionTable::Embedded();
  if (!table.ok()) {
    state.SkipWithError("no division table");
    return;
  }
  Validator validator;
  std::vector<v1::ValidationResult> results;
  for (const auto& report : reports) {
    results.push_back(validator.Validate(report, nullptr, {}).value_or(v1::ValidationResult()));
  }
  v1::AggregateOptions options;
  options.set_include_all_levels(true);
  options.set_include_departments(true);
  int64_t included = 0;
  for (auto _ : state) {
    RollupBuilder builder(options, table->get());
    for (size_t i = 0; i < reports.size(); ++i) {
      builder.AddReport(reports[i].source_name(), reports[i], &results[i]);
    }
    v1::Rollup rollup = builder.Finish();
    included = 0;
    for (const auto& outcome : rollup.reports()) included += outcome.included();
    benchmark::DoNotOptimize(rollup);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(reports.size()));
  state.SetLabel(absl::StrCat(included, " of ", reports.size(), " included"));
}
BENCHMARK(BM_Rollup)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace gongkai
