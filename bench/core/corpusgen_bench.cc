// corpusgen_bench: how fast the corpus generator writes reports (it feeds
// the end-to-end run, so it must not be the bottleneck there).
#include <cstdint>

#include "benchmark/benchmark.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai {
namespace corpusgen {
namespace {

void BM_Generate(benchmark::State& state) {
  GeneratorOptions options;
  options.seed = 8;
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
BENCHMARK(BM_Generate)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace corpusgen
}  // namespace gongkai
