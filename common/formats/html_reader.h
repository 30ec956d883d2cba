// HTML reader: a published web page (whole portal page or fragment, UTF-8 or
// GB2312/GBK/GB18030) to the text the parser reads. Parses with gumbo (an
// HTML5 parser), finds the article (the TRS_Editor div of TRS-built portals,
// else the element holding the most paragraph text) and reads it — plus
// the report tables outside it, in document order, when it holds none;
// drops script/style/nav chrome, writes paragraphs one per
// line and every data table as a '\t' grid (rowspan/colspan honoured,
// covered and `&nbsp;` cells empty). A table whose cells hold other tables is
// a layout table and is read as paragraphs.
//
// Errors: INVALID_ARGUMENT when the bytes cannot be decoded; RESOURCE_EXHAUSTED
// when nesting exceeds FormatLimits::max_nesting_depth or the tables exceed
// FormatLimits::max_table_cells.
// Thread-safety: safe to call concurrently. Each thread keeps a GumboArena
// (gumbo_arena.h, default options) for gumbo's tree: keep_bytes stay
// allocated between calls, max_bytes at most in chunks per call.
#ifndef GONGKAI_COMMON_FORMATS_HTML_READER_H_
#define GONGKAI_COMMON_FORMATS_HTML_READER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/formats/extract.h"

namespace gongkai {

absl::StatusOr<ExtractedText> ReadHtml(absl::string_view bytes,
                                       const FormatLimits& limits);

// The charset a page declares in its first 4 KiB (<meta charset=...> or
// http-equiv Content-Type), lower-cased; empty when none.
std::string DeclaredHtmlCharset(absl::string_view bytes);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_HTML_READER_H_
