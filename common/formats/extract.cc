// ExtractText: dispatch to the per-format readers.
#include "common/formats/extract.h"

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

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
    default:
      break;
  }
  return absl::UnimplementedError(
      absl::StrCat(ContainerName(container), " reader not implemented yet"));
}

}  // namespace gongkai
