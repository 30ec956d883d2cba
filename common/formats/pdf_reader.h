// PDF reader: a PDF report to the text the parser reads. Runs poppler-utils'
// `pdftotext -bbox-layout` as a subprocess (poppler is GPL, so it is not
// linked; see subprocess.h) and rebuilds the page layout from the word boxes:
//   - words are grouped into visual rows by the vertical centre of their
//     boxes; a number standing alone (no text glued to it) is a table cell;
//   - numeric cells of one table are assigned to columns by x-overlap of
//     their boxes; a column blank in every row is found from its header box
//     (a blank cell stays an empty column, not a shifted one);
//   - label text is attached to the row whose centre it is closest to
//     (labels wrapped over several lines are joined), and written first;
//   - rotated labels printed one character per line (三 、本 年 度…) are
//     joined into one line; page footers (-3-, 第3页) are dropped.
// Output rows use '\t' between cells, like the other readers.
//
// Errors: INVALID_ARGUMENT "encrypted PDF …" when a password is needed,
// "truncated PDF …" when the %%EOF trailer is missing and poppler cannot
// rebuild the file, "PDF could not be read …" otherwise; NOT_FOUND when
// pdftotext is not installed; RESOURCE_EXHAUSTED on the converter timeout.
// Only the first FormatLimits::max_pdf_pages pages are read (a warning
// diagnostic says so when more exist).
// Thread-safety: pure function; safe to call concurrently.
#ifndef GONGKAI_COMMON_FORMATS_PDF_READER_H_
#define GONGKAI_COMMON_FORMATS_PDF_READER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/formats/extract.h"

namespace gongkai {

absl::StatusOr<ExtractedText> ReadPdf(absl::string_view bytes,
                                      const FormatLimits& limits);

// One word box from `pdftotext -bbox-layout` (PDF points, y downwards).
struct PdfWord {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  std::string text;
  int line = 0;   // index of the pdftotext <line> within the page
  int block = 0;  // index of the pdftotext <block> within the page
};

struct PdfPage {
  double width = 0, height = 0;
  std::vector<PdfWord> words;
};

// Parses pdftotext's -bbox-layout XHTML. Errors: INVALID_ARGUMENT when it
// is not well-formed.
absl::StatusOr<std::vector<PdfPage>> ParseBboxLayout(absl::string_view xhtml);

// Rebuilds the text of one page from its word boxes (see above).
std::string LayoutPage(const PdfPage& page);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_PDF_READER_H_
