// libFuzzer target: the HTML reader (common/formats/extract.h, gumbo +
// table grid). Any bytes as an HTML page: a result or a precise error, no
// crash, no hang; the output text must be valid UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/formats/extract.h"
#include "common/parse/decode.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  (void)gongkai::DetectContainer(bytes, "", "");
  gongkai::FormatLimits limits;
  absl::StatusOr<gongkai::ExtractedText> text =
      gongkai::ExtractText(bytes, gongkai::Container::kHtml, limits);
  if (text.ok() && !gongkai::IsValidUtf8(text->text)) {
    std::fprintf(stderr, "fuzz_html: ExtractText returned invalid UTF-8\n");
    std::abort();
  }
  return 0;
}
