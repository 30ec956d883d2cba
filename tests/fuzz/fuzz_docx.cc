// libFuzzer target: the DOCX reader (common/formats/extract.h, libzip +
// libxml2 + table grid). Any bytes as a .docx: a result or a precise error,
// no crash, no hang, no unbounded memory (FormatLimits). Output must be
// valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/formats/extract.h"
#include "common/parse/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)gongkai::DetectContainer(bytes, "", "x.docx");
  gongkai::FormatLimits limits;
  absl::StatusOr<gongkai::ExtractedText> text =
      gongkai::ExtractText(bytes, gongkai::Container::kDocx, limits);
  if (text.ok() && !gongkai::IsValidUtf8(text->text)) {
    std::fprintf(stderr, "fuzz_docx: ExtractText returned invalid UTF-8\n");
    std::abort();
  }
  return 0;
}
