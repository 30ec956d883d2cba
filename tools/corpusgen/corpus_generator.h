// CorpusGenerator: a deterministic generator of synthetic 政府信息公开工作年度报告
// with their expected cells, for benchmarks and as a test oracle for the
// parser (issue 8).
//
// Every report is synthetic (its title carries （示例）) but names a real body:
// a province, city, county, one of its townships or departments, drawn from
// the ≈ 2,700 county-level units of the embedded division table
// (common/regions), so that a national-size corpus has tens of thousands of
// distinct bodies that the region resolver resolves. It uses both national
// formats (F2019 for 2019–2020, F2021 for 2021+, some F2021 reports with the
// single （六）其他处理 row), every text layout the
// parser reads (tab-separated, pdftotext-style space-aligned with page
// footers and wrapped labels, `|`-separated, markdown, flattened digit runs)
// and HTML with rowspan/colspan, with value distributions from township to
// province scale. A share of reports breaks R1–R4 on purpose; a share
// carries OCR damage (`Ů` printed for 0, `共他` for 其他 in the header) or is
// encoded in GB18030.
//
// Contract:
//   - Same options and index → the same bytes, on every platform: report i
//     depends only on (seed, i, options) and the division table compiled
//     in, never on other reports or on the
//     order of generation.
//   - GeneratedReport::cells holds the number printed for every cell of the
//     report's template (blank printed cells are 0 and listed in
//     blank_cells), exactly what a correct parser must read.
//   - expected_findings lists every R1–R4 rule instance the printed numbers
//     break (computed from the numbers, not from what was injected).
//   - undecidable lists the cells whose value the layout leaves open: for
//     digit runs, cells that take more than one value over all segmentations
//     that keep every R1–R4 instance the printed report keeps (brute force,
//     see digit_run_oracle.h). A parser must flag those, never mark them ok.
//
// Thread-safety: Generate() is const and safe to call concurrently.
#ifndef GONGKAI_TOOLS_CORPUSGEN_CORPUS_GENERATOR_H_
#define GONGKAI_TOOLS_CORPUSGEN_CORPUS_GENERATOR_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {
namespace corpusgen {

enum class Layout { kTsv, kAligned, kPipe, kMarkdown, kDigitRun, kHtml };

// Every layout, in the order above.
const std::vector<Layout>& AllLayouts();
// "tsv", "aligned", "pipe", "markdown", "digit_run", "html".
absl::string_view LayoutName(Layout layout);
// Parses a comma-separated list of layout names ("tsv,html"). Errors:
// INVALID_ARGUMENT naming the unknown layout, or for an empty list.
absl::StatusOr<std::vector<Layout>> ParseLayouts(absl::string_view list);

struct GeneratorOptions {
  // Seed of the whole corpus. Default: 1.
  uint64_t seed = 1;
  // Share of reports (0..1) with a deliberate R1–R4 error. Default: 0.05.
  double error_share = 0.05;
  // Layouts drawn from, uniformly. Default (empty): every layout.
  std::vector<Layout> layouts;
  // Compute GeneratedReport::undecidable (the digit-run brute force, most of
  // the time of a digit-run report). Off for load generation only; the
  // bytes and cells do not depend on it. Default: true.
  bool with_oracle = true;
};

// One rule instance the printed numbers break.
struct ExpectedFinding {
  std::string rule;               // "R1".."R4"
  std::vector<std::string> keys;  // the checked cell first
  std::string expected;           // what the other cells say it should be
  std::string actual;             // what is printed
};

struct GeneratedReport {
  // File name: "<index, 6 digits>_<layout>_<year>.txt" (".html" for HTML).
  std::string name;
  Layout layout = Layout::kTsv;
  // The document as written to disk.
  std::string bytes;
  // Encoding of `bytes`: "UTF-8" or "GB18030" (a share of reports, as
  // government sites still publish GBK pages).
  std::string encoding = "UTF-8";
  std::string organ;  // meta.organ
  std::string title;  // the title line
  int year = 0;
  gongkai::v1::ReportFormat format = gongkai::v1::REPORT_FORMAT_UNSPECIFIED;
  bool single_other_row = false;
  std::string region_code;
  std::string province;
  std::string city;
  std::string county;
  // Every cell key of the template, in form order, with its value
  // normalised like Cell.value ("-27", "10807.1713"; "0" for blanks).
  std::vector<std::pair<std::string, std::string>> cells;
  // Cells printed blank.
  std::vector<std::string> blank_cells;
  std::vector<ExpectedFinding> expected_findings;
  // Cells the layout cannot decide (sorted).
  std::vector<std::string> undecidable;
  // True when an arithmetic error was injected.
  bool has_injected_error = false;

  // The expected cells in the schema of shared/seeds/expected/*.json
  // ("source", "cells", "blank_cells", "expected_findings") plus
  // "undecidable", "layout" and "single_other_row".
  std::string ExpectedJson() const;
};

class CorpusGenerator {
 public:
  explicit CorpusGenerator(GeneratorOptions options);

  // Report number `index` of the corpus.
  GeneratedReport Generate(uint64_t index) const;

  const GeneratorOptions& options() const { return options_; }

 private:
  GeneratorOptions options_;
};

// Writes reports 0..count-1 into `dir` (created if absent): each report's
// bytes under its name and the expected cells as "<name>.expected.json".
// Errors: INVALID_ARGUMENT for bad options (error_share outside 0..1),
// INTERNAL when a file cannot be written (the message names it).
absl::Status WriteCorpus(const GeneratorOptions& options, uint64_t count,
                         const std::string& dir);

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_CORPUS_GENERATOR_H_
