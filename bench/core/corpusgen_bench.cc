// corpusgen_bench: how fast the corpus generator writes reports (it feeds
// the end-to-end run, so it must not be the bottleneck there).
#include <cstdint>
#include <vector>

#include "benchmark/benchmark.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai {
namespace corpusgen {
namespace {

void BM_Generate(benchmark::State& state, std::vector<Layout> layouts) {
  GeneratorOptions options;
  options.seed = 8;
  options.layouts = layouts;
  CorpusGenerator generator(options);
  uint64_t index = 0;
  int64_t bytes = 0;
  for (auto _ : state) {
    GeneratedReport report = generator.Generate(index++);
    bytes += static_cast<int64_t>(report.bytes.size());
    benchmark::DoNotOptimize(report);
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(bytes);
}
BENCHMARK_CAPTURE(BM_Generate, all, std::vector<Layout>{})->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Generate, tsv, std::vector<Layout>{Layout::kTsv})
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Generate, digit_run, std::vector<Layout>{Layout::kDigitRun})
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace corpusgen
}  // namespace gongkai
