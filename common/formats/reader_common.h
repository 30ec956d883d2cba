// Small helpers shared by the format readers (not part of the public API).
#ifndef GONGKAI_COMMON_FORMATS_READER_COMMON_H_
#define GONGKAI_COMMON_FORMATS_READER_COMMON_H_

#include <string>

#include "common/formats/extract.h"

namespace gongkai {

// Appends a diagnostic with `code` (e.g. "format.html.charset") and a
// one-line English `message` to `out`.
inline void AddDiagnostic(ExtractedText* out, gongkai::v1::Severity severity,
                          std::string code, std::string message) {
  gongkai::v1::Diagnostic* d = &out->diagnostics.emplace_back();
  d->set_severity(severity);
  d->set_code(std::move(code));
  d->set_message(std::move(message));
}

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_READER_COMMON_H_
