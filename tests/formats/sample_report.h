// A synthetic annual report (示例, format F2021) rendered the ways governments
// publish it: plain text with '\t' tables, an HTML page with rowspan/colspan,
// and a DOCX with w:gridSpan/w:vMerge (written with libzip). One model, so
// every rendering must parse to identical cells. Used by the format tests,
// the round-trip test and bench/formats.
#ifndef GONGKAI_TESTS_FORMATS_SAMPLE_REPORT_H_
#define GONGKAI_TESTS_FORMATS_SAMPLE_REPORT_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace gongkai::testing {

struct SampleCell {
  std::string text;
  int rowspan = 1;
  int colspan = 1;
};

struct SampleTable {
  // Rows of cells in source order (cells covered by a span are not listed).
  std::vector<std::vector<SampleCell>> rows;
  // Relative column widths (DOCX w:tblGrid), one per grid column.
  std::vector<int> widths;
};

// A block of the document: a paragraph (heading or text) or a table.
struct SampleBlock {
  std::string paragraph;
  bool is_table = false;
  SampleTable table;
};

// The 示例 report. `variant` changes the numbers (0 = the reference report)
// so that tests can tell two renderings apart.
std::vector<SampleBlock> SampleReport(int variant = 0);

// Renderings.
std::string RenderText(const std::vector<SampleBlock>& blocks);
// `encoding_label` goes into <meta charset>; the page is UTF-8 (callers
// convert it to GBK themselves).
std::string RenderHtml(const std::vector<SampleBlock>& blocks,
                       const std::string& encoding_label = "utf-8");
absl::StatusOr<std::string> RenderDocx(const std::vector<SampleBlock>& blocks);

// Converts a DOCX to PDF with LibreOffice (`soffice --headless
// --convert-to pdf`, private profile in a temporary directory). UNAVAILABLE
// when soffice is not installed or no CJK font is (fc-list :lang=zh), so
// callers can skip; INTERNAL when the conversion fails.
absl::StatusOr<std::string> ConvertWithLibreOffice(const std::string& docx);

// Writes a zip with the given (name, content) members, deflated.
absl::StatusOr<std::string> WriteZip(
    const std::vector<std::pair<std::string, std::string>>& members);

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_FORMATS_SAMPLE_REPORT_H_
