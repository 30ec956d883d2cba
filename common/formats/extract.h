// Format readers: turn a published document (HTML page, PDF, DOCX) into the
// plain text the text parser reads. Every table is rebuilt as a grid and
// written one row per line with cells separated by '\t' (a cell covered by a
// rowspan/colspan is written empty, as in a spreadsheet export); the rest of
// the document is written as paragraphs, one per line.
//
// Errors: INVALID_ARGUMENT for a malformed or unsupported file (the message
// names the format, e.g. "legacy .doc (OLE2) is unsupported: convert to
// .docx or PDF", "encrypted PDF: …", "truncated PDF: …", "DOCX: …"),
// RESOURCE_EXHAUSTED when a limit is hit, NOT_FOUND when pdftotext
// (poppler-utils) is not installed.
//
// Diagnostics: "format.container" names the container read; the readers add
// "format.html.charset", "format.html.article", "format.tables",
// "format.pdf.pages" and "format.pdf.truncated".
// Thread-safety: pure functions; safe to call concurrently.
#ifndef GONGKAI_COMMON_FORMATS_EXTRACT_H_
#define GONGKAI_COMMON_FORMATS_EXTRACT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

enum class Container { kText, kHtml, kPdf, kDocx, kLegacyDoc, kUnknownBinary };

// "text", "html", "pdf", "docx", "doc", "binary".
absl::string_view ContainerName(Container container);

// Detects the container from the bytes (magic numbers, markup); `media_type`
// and `file_name` only break ties (e.g. a text file that looks like markup).
Container DetectContainer(absl::string_view bytes, absl::string_view media_type,
                          absl::string_view file_name);

struct FormatLimits {
  // Decompressed bytes a DOCX may expand to (declared sizes and bytes
  // actually inflated); also caps pdftotext's output. Default: 64 MiB.
  size_t max_unzipped_bytes = 64u << 20;
  // Maximum HTML/XML element nesting depth. Default: 256.
  size_t max_nesting_depth = 256;
  // Maximum PDF pages read. Default: 200.
  int max_pdf_pages = 200;
  // Maximum table cells in one document (rows × columns after spans).
  // Default: 200,000.
  size_t max_table_cells = 200000;
  // Wall-clock budget for an external converter (pdftotext), in ms; the
  // child is killed when it runs over. Default: 20,000.
  int converter_timeout_ms = 20000;
};

struct ExtractedText {
  // UTF-8 text, tables as tab-separated rows.
  std::string text;
  Container container = Container::kText;
  // What the reader noticed (charset used, tables found, pages read).
  std::vector<gongkai::v1::Diagnostic> diagnostics;
};

// Reads an HTML, PDF or DOCX document. Text containers are not handled here
// (the text parser decodes them): passing Container::kText is an error.
absl::StatusOr<ExtractedText> ExtractText(absl::string_view bytes,
                                          Container container,
                                          const FormatLimits& limits);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_EXTRACT_H_
