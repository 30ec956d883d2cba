// ExtractText per container on a typical report: the 示例 report as an HTML
// page, a DOCX and a LibreOffice PDF, plus the real pingtan portal page and
// hongze PDF when ../shared is present. The PDF figures include the
// pdftotext subprocess; BM_PdfLayoutOnly isolates the box-to-grid rebuild.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/formats/extract.h"
#include "common/formats/pdf_reader.h"
#include "common/formats/subprocess.h"
#include "tests/formats/sample_report.h"

namespace gongkai {
namespace {

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void RunExtract(benchmark::State& state, const std::string& bytes,
                Container container) {
  if (bytes.empty()) {
    state.SkipWithError("input absent (../shared or fixture missing)");
    return;
  }
  FormatLimits limits;
  for (auto _ : state) {
    absl::StatusOr<ExtractedText> r = ExtractText(bytes, container, limits);
    if (!r.ok()) {
      state.SkipWithError(std::string(r.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(r->text.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(bytes.size()));
  state.counters["input_KiB"] = bytes.size() / 1024.0;
}

void BM_HtmlSample(benchmark::State& state) {
  RunExtract(state, testing::RenderHtml(testing::SampleReport()), Container::kHtml);
}
BENCHMARK(BM_HtmlSample)->Unit(benchmark::kMicrosecond);

void BM_HtmlPingtanPage(benchmark::State& state) {
  RunExtract(state,
             Slurp(absl::StrCat(GONGKAI_SHARED_DIR,
                                "/corpus/pingtan-gov-zwgk-archive/pingtan_2022_80629_page.html")),
             Container::kHtml);
}
BENCHMARK(BM_HtmlPingtanPage)->Unit(benchmark::kMicrosecond);

void BM_DocxSample(benchmark::State& state) {
  absl::StatusOr<std::string> docx = testing::RenderDocx(testing::SampleReport());
  RunExtract(state, docx.ok() ? *docx : "", Container::kDocx);
}
BENCHMARK(BM_DocxSample)->Unit(benchmark::kMicrosecond);

void BM_PdfSample(benchmark::State& state) {
  RunExtract(state,
             Slurp(absl::StrCat(GONGKAI_TESTDATA_DIR, "/formats/sample_report_示例.pdf")),
             Container::kPdf);
}
BENCHMARK(BM_PdfSample)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_PdfHongze2023(benchmark::State& state) {
  RunExtract(state,
             Slurp(absl::StrCat(GONGKAI_SHARED_DIR,
                                "/corpus/kirogovcompare-hongze/hongze_2023_annual_report.pdf")),
             Container::kPdf);
}
BENCHMARK(BM_PdfHongze2023)->Unit(benchmark::kMillisecond)->UseRealTime();

// The rebuild from word boxes alone (pdftotext run once, outside the loop).
void BM_PdfLayoutOnly(benchmark::State& state) {
  std::string pdf = Slurp(absl::StrCat(
      GONGKAI_SHARED_DIR, "/corpus/kirogovcompare-hongze/hongze_2023_annual_report.pdf"));
  absl::StatusOr<SubprocessResult> run = RunSubprocess(
      {"pdftotext", "-bbox-layout", "-enc", "UTF-8", "-", "-"}, pdf, 20000, 64 << 20);
  if (pdf.empty() || !run.ok() || run->exit_code != 0) {
    state.SkipWithError("hongze PDF or pdftotext absent");
    return;
  }
  for (auto _ : state) {
    absl::StatusOr<std::vector<PdfPage>> pages = ParseBboxLayout(run->stdout_data);
    std::string text;
    for (const PdfPage& page : *pages) text += LayoutPage(page);
    benchmark::DoNotOptimize(text.data());
  }
}
BENCHMARK(BM_PdfLayoutOnly)->Unit(benchmark::kMicrosecond);

void BM_DetectContainer(benchmark::State& state) {
  std::string html = testing::RenderHtml(testing::SampleReport());
  for (auto _ : state) {
    benchmark::DoNotOptimize(DetectContainer(html, "", "report.html"));
  }
}
BENCHMARK(BM_DetectContainer);

}  // namespace
}  // namespace gongkai
