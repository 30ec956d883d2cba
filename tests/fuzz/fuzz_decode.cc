// libFuzzer target: the text decoder and NFKC normaliser
// (common/parse/decode.h, normalize.h). Any bytes: DecodeToUtf8 must return
// valid UTF-8 or an error; NormalizeNfkc of that must keep its offset map
// consistent (one entry per byte + 1, non-decreasing, within the input).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/parse/decode.h"
#include "common/parse/normalize.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_decode invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  absl::StatusOr<gongkai::DecodedText> decoded = gongkai::DecodeToUtf8(bytes);
  if (!decoded.ok()) {
    if (decoded.status().message().empty()) Fail("error without a message");
    return 0;
  }
  if (!gongkai::IsValidUtf8(decoded->utf8)) Fail("DecodeToUtf8 returned invalid UTF-8");
  absl::StatusOr<gongkai::NormalizedText> normalized = gongkai::NormalizeNfkc(decoded->utf8);
  if (!normalized.ok()) return 0;
  const gongkai::NormalizedText& n = *normalized;
  if (!gongkai::IsValidUtf8(n.text)) Fail("NormalizeNfkc returned invalid UTF-8");
  if (n.source_offsets.size() != n.text.size() + 1) Fail("offset map size != text size + 1");
  if (n.source_offsets.back() != decoded->utf8.size()) Fail("last offset != input size");
  for (size_t i = 1; i < n.source_offsets.size(); ++i) {
    if (n.source_offsets[i] < n.source_offsets[i - 1]) Fail("offset map decreases");
    if (n.source_offsets[i] > decoded->utf8.size()) Fail("offset past the input");
  }
  (void)n.SourceOffset(n.text.size() + 5);
  return 0;
}
