// libFuzzer target: the text decoder and NFKC normaliser
// (common/parse/decode.h, normalize.h). Any bytes: DecodeToUtf8 must return
// valid UTF-8 or an error; NormalizeNfkc of that must keep its offset map
// consistent (one entry per byte + 1, non-decreasing, within the input).
// Whatever DecodeGb18030TwoByte accepts, ICU's GB18030 converter must decode
// to the same UTF-8.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unicode/ucnv.h>

#include "common/parse/decode.h"
#include "common/parse/normalize.h"

namespace {

void Fail(const char* what) {
  std::fprintf(stderr, "fuzz_decode invariant broken: %s\n", what);
  std::abort();
}

// `bytes` decoded by ICU's GB18030 converter, stopping at any error; false
// on one.
bool IcuGb18030(absl::string_view bytes, std::string* out) {
  UErrorCode status = U_ZERO_ERROR;
  UConverter* from = ucnv_open("GB18030", &status);
  UConverter* to = ucnv_open("UTF-8", &status);
  if (U_SUCCESS(status)) {
    ucnv_setToUCallBack(from, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
    ucnv_setFromUCallBack(to, UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  }
  out->assign(bytes.size() * 3 + 16, '\0');
  char* target = out->data();
  const char* source = bytes.data();
  if (U_SUCCESS(status)) {
    ucnv_convertEx(to, from, &target, out->data() + out->size(), &source,
                   bytes.data() + bytes.size(), nullptr, nullptr, nullptr, nullptr,
                   /*reset=*/true, /*flush=*/true, &status);
  }
  ucnv_close(from);
  ucnv_close(to);
  out->resize(target - out->data());
  return U_SUCCESS(status);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::string table, icu;
  if (gongkai::DecodeGb18030TwoByte(bytes, &table)) {
    if (!IcuGb18030(bytes, &icu)) Fail("GB18030 table accepted what ICU rejects");
    if (table != icu) Fail("GB18030 table and ICU decode differently");
  }
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
