// libFuzzer target: the whole ReportParser::Parse (common/parse/parser.h)
// on any bytes — text in any encoding, HTML, DOCX (PDF inputs are skipped:
// they go through a pdftotext subprocess, which is not fuzzed here). The
// result must be an error with a message or a report that passes
// CheckReportInvariants.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "common/formats/extract.h"
#include "common/parse/parser.h"
#include "tests/fuzz/report_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gongkai::ReportParser* parser = new gongkai::ReportParser();
  gongkai::Document document;
  document.bytes.assign(reinterpret_cast<const char*>(data), size);
  document.name = "fuzz.txt";
  if (gongkai::DetectContainer(document.bytes, "", document.name) ==
      gongkai::Container::kPdf) {
    return 0;
  }
  absl::StatusOr<gongkai::v1::AnnualReport> report = parser->Parse(document);
  if (!report.ok()) {
    if (report.status().message().empty()) {
      std::fprintf(stderr, "fuzz_parse: error without a message\n");
      std::abort();
    }
    return 0;
  }
  const std::string broken = gongkai::fuzzing::CheckReportInvariants(*report);
  if (!broken.empty()) {
    std::fprintf(stderr, "fuzz_parse invariant broken: %s\n", broken.c_str());
    std::abort();
  }
  return 0;
}
