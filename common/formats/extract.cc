// ExtractText: dispatch to the per-format readers.
#include "common/formats/extract.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/formats/docx_reader.h"
#include "common/formats/html_reader.h"
#include "common/formats/pdf_reader.h"
#include "common/formats/reader_common.h"

namespace gongkai {

absl::StatusOr<ExtractedText> ExtractText(absl::string_view bytes,
                                          Container container,
                                          const FormatLimits& limits) {
  switch (container) {
    case Container::kLegacyDoc:
      return absl::InvalidArgumentError(
          "legacy .doc (OLE2) is unsupported: convert to .docx or PDF");
    case Container::kText:
      return absl::InvalidArgumentError(
          "text is not a format-reader container: decode it with the text "
          "parser");
    case Container::kUnknownBinary:
      return absl::InvalidArgumentError(
          "unrecognised binary file: expected HTML, PDF or DOCX");
    case Container::kHtml:
    case Container::kPdf:
    case Container::kDocx:
      break;
  }
  absl::StatusOr<ExtractedText> result =
      container == Container::kHtml  ? ReadHtml(bytes, limits)
      : container == Container::kPdf ? ReadPdf(bytes, limits)
                                     : ReadDocx(bytes, limits);
  if (!result.ok()) return result.status();
  result->container = container;
  AddDiagnostic(&*result, gongkai::v1::SEVERITY_INFO, "format.container",
                absl::StrCat("read as ", ContainerName(container)));
  return result;
}

}  // namespace gongkai
