// DOCX reader: a Word (OOXML) document to the text the parser reads. Opens
// the zip with libzip, parses word/document.xml with libxml2 and writes body
// paragraphs one per line and every w:tbl as a '\t' grid (w:gridSpan,
// w:gridBefore and w:vMerge honoured: a vertically merged continuation cell
// is written empty).
//
// Hostile input: the sum of the members' declared uncompressed sizes and the
// bytes actually inflated are both capped by FormatLimits::max_unzipped_bytes
// (zip bombs); XML nesting is capped by FormatLimits::max_nesting_depth; no
// network access, no DTD loading, no entity substitution; libxml2 errors are
// kept out of stderr.
//
// Errors: INVALID_ARGUMENT for a damaged/truncated zip, an encrypted member,
// a zip without word/document.xml or malformed XML (message starts with
// "DOCX: "); RESOURCE_EXHAUSTED when a limit is hit.
// Thread-safety: pure function; safe to call concurrently.
#ifndef GONGKAI_COMMON_FORMATS_DOCX_READER_H_
#define GONGKAI_COMMON_FORMATS_DOCX_READER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/formats/extract.h"

namespace gongkai {

absl::StatusOr<ExtractedText> ReadDocx(absl::string_view bytes,
                                       const FormatLimits& limits);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_DOCX_READER_H_
