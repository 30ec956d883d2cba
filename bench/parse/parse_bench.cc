// parse_bench: ReportParser::Parse on text reports, bytes/s per core.
// Inputs: the five seeds from ../shared/seeds (GONGKAI_SHARED_DIR, real
// tab-separated text), the real text reports of ../shared/corpus by layout
// (hongze's pdftotext output: aligned; pingtan's page text: digit runs) and
// the four synthetic layout fixtures in tests/data/parse. Run:
//   build/bin/parse_bench --benchmark_min_time=2
#include <benchmark/benchmark.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/parse/parser.h"

namespace {

namespace fs = std::filesystem;

std::vector<std::string> LoadDir(const fs::path& dir, const std::string& filter) {
  std::vector<std::string> out;
  if (!fs::exists(dir)) return out;
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    // regression_* fixtures (tests/parse/regression_test.cc) are edge
    // cases, not layouts: kept out so the figures stay comparable.
    if (e.is_regular_file() && name.find(filter) != std::string::npos &&
        e.path().extension() != ".json" && name.rfind("regression", 0) != 0) {
      paths.push_back(e.path());
    }
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  return out;
}

// `reuse`: ReportParser::ParseInto into one message kept across reports
// (the per-worker path); otherwise ReportParser::Parse (a fresh message).
void RunParse(benchmark::State& state, const std::vector<std::string>& inputs,
              bool keep_text, bool reuse = false) {
  if (inputs.empty()) {
    state.SkipWithError("inputs not found");
    return;
  }
  gongkai::ParserOptions options;
  options.keep_text = keep_text;
  gongkai::ReportParser parser(options);
  std::vector<gongkai::Document> docs(inputs.size());
  size_t bytes = 0;
  for (size_t i = 0; i < inputs.size(); ++i) {
    docs[i].bytes = inputs[i];
    bytes += inputs[i].size();
  }
  gongkai::v1::AnnualReport reused;
  for (auto _ : state) {
    for (const gongkai::Document& doc : docs) {
      if (reuse) {
        absl::Status status = parser.ParseInto(doc, &reused);
        if (!status.ok()) {
          state.SkipWithError(std::string(status.message()).c_str());
          return;
        }
        benchmark::DoNotOptimize(reused);
        continue;
      }
      auto report = parser.Parse(doc);
      if (!report.ok()) {
        state.SkipWithError(std::string(report.status().message()).c_str());
        return;
      }
      benchmark::DoNotOptimize(report);
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * bytes);
  state.counters["us_per_report"] = benchmark::Counter(
      static_cast<double>(state.iterations() * docs.size()),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert,
      benchmark::Counter::kIs1000);
}

void BM_ParseSeeds(benchmark::State& state) {
  static const auto* seeds =
      new std::vector<std::string>(LoadDir(fs::path(GONGKAI_SHARED_DIR) / "seeds", ".txt"));
  RunParse(state, *seeds, /*keep_text=*/true);
}
BENCHMARK(BM_ParseSeeds);

void BM_ParseSeedsNoText(benchmark::State& state) {
  static const auto* seeds =
      new std::vector<std::string>(LoadDir(fs::path(GONGKAI_SHARED_DIR) / "seeds", ".txt"));
  RunParse(state, *seeds, /*keep_text=*/false);
}
BENCHMARK(BM_ParseSeedsNoText);

void BM_ParseSeedsReuse(benchmark::State& state) {
  static const auto* seeds =
      new std::vector<std::string>(LoadDir(fs::path(GONGKAI_SHARED_DIR) / "seeds", ".txt"));
  RunParse(state, *seeds, /*keep_text=*/true, /*reuse=*/true);
}
BENCHMARK(BM_ParseSeedsReuse);

void BM_ParseSeedsReuseNoText(benchmark::State& state) {
  static const auto* seeds =
      new std::vector<std::string>(LoadDir(fs::path(GONGKAI_SHARED_DIR) / "seeds", ".txt"));
  RunParse(state, *seeds, /*keep_text=*/false, /*reuse=*/true);
}
BENCHMARK(BM_ParseSeedsReuseNoText);

void BM_ParseFixtures(benchmark::State& state) {
  static const auto* fixtures = new std::vector<std::string>(
      LoadDir(fs::path(GONGKAI_TESTDATA_DIR) / "parse", "示例"));
  RunParse(state, *fixtures, /*keep_text=*/true);
}
BENCHMARK(BM_ParseFixtures);

void BM_ParseFixturesReuse(benchmark::State& state) {
  static const auto* fixtures = new std::vector<std::string>(
      LoadDir(fs::path(GONGKAI_TESTDATA_DIR) / "parse", "示例"));
  RunParse(state, *fixtures, /*keep_text=*/true, /*reuse=*/true);
}
BENCHMARK(BM_ParseFixturesReuse);

// The real text reports of one ../shared/corpus folder whose names contain
// `filter`, parsed with ParseInto (the per-worker path).
void BM_ParseCorpusReuse(benchmark::State& state, const char* folder, const char* filter) {
  const auto inputs = LoadDir(fs::path(GONGKAI_SHARED_DIR) / "corpus" / folder, filter);
  RunParse(state, inputs, /*keep_text=*/true, /*reuse=*/true);
}
BENCHMARK_CAPTURE(BM_ParseCorpusReuse, aligned, "kirogovcompare-hongze", "_pdftotext_layout.txt");
BENCHMARK_CAPTURE(BM_ParseCorpusReuse, digit_run, "pingtan-gov-zwgk-archive", "_page.txt");

}  // namespace

BENCHMARK_MAIN();
