#include "common/parse/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <limits>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/parse/decode.h"

namespace gongkai {
namespace {

// Appends code point `c` as UTF-8 to `out`.
void AppendUtf8(UChar32 c, std::string* out) {
  char buf[4];
  int32_t len = 0;
  UBool error = false;
  U8_APPEND(reinterpret_cast<uint8_t*>(buf), len, 4, c, error);
  if (!error) out->append(buf, len);
}

// Appends code point `c` as UTF-16 to `out`.
void AppendUtf16(UChar32 c, std::u16string* out) {
  UChar units[2];
  int32_t len = 0;
  UBool error = false;
  U16_APPEND(units, len, 2, c, error);
  if (!error) out->append(reinterpret_cast<char16_t*>(units), len);
}

}  // namespace

absl::StatusOr<NormalizedText> NormalizeNfkc(absl::string_view utf8) {
  if (utf8.size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError("text too large to normalise");
  }
  size_t bad = 0;
  if (!IsValidUtf8(utf8, &bad)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid UTF-8 at byte ", bad));
  }
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC unavailable: ", u_errorName(status)));
  }
  NormalizedText out;
  out.text.reserve(utf8.size());
  out.source_offsets.reserve(utf8.size() + 1);
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  std::u16string segment;
  std::u16string normalized;
  int32_t i = 0;
  while (i < n) {
    // Fast path: ASCII and characters NFKC never touches (most CJK).
    if (s[i] < 0x80) {
      int32_t run = i + 1;
      while (run < n && s[run] < 0x80) ++run;
      out.text.append(utf8.data() + i, run - i);
      for (; i < run; ++i) out.source_offsets.push_back(i);
      continue;
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    // CJK unified ideographs (U+4E00–U+9FFF) are NFKC-inert: skip ICU.
    if ((c >= 0x4E00 && c <= 0x9FFF) || unorm2_isInert(nfkc, c)) {
      out.text.append(utf8.data() + start, i - start);
      for (int32_t k = start; k < i; ++k) out.source_offsets.push_back(start);
      continue;
    }
    // Slow path: gather characters up to the next inert one (a segment
    // boundary on both sides) and normalise them together.
    segment.clear();
    AppendUtf16(c, &segment);
    while (i < n) {
      int32_t next = i;
      UChar32 d;
      U8_NEXT(s, next, n, d);
      if (d < 0x80 || unorm2_isInert(nfkc, d)) {
        // An ASCII char may still combine backwards only via combining
        // marks, which are not ASCII, so it is a safe boundary.
        break;
      }
      AppendUtf16(d, &segment);
      i = next;
    }
    normalized.resize(segment.size() * 4 + 8);
    status = U_ZERO_ERROR;
    int32_t out_len = unorm2_normalize(
        nfkc, reinterpret_cast<const UChar*>(segment.data()),
        static_cast<int32_t>(segment.size()),
        reinterpret_cast<UChar*>(normalized.data()),
        static_cast<int32_t>(normalized.size()), &status);
    if (status == U_BUFFER_OVERFLOW_ERROR) {
      normalized.resize(out_len);
      status = U_ZERO_ERROR;
      out_len = unorm2_normalize(
          nfkc, reinterpret_cast<const UChar*>(segment.data()),
          static_cast<int32_t>(segment.size()),
          reinterpret_cast<UChar*>(normalized.data()),
          static_cast<int32_t>(normalized.size()), &status);
    }
    if (U_FAILURE(status)) {
      return absl::InternalError(
          absl::StrCat("ICU NFKC failed: ", u_errorName(status)));
    }
    // Map each output character back to the input character it came from
    // when the segment maps one-to-one; otherwise to the segment start.
    // Re-walk the input segment in step with the output when counts match.
    std::vector<int32_t> starts;
    {
      int32_t j = start;
      while (j < i) {
        starts.push_back(j);
        UChar32 e;
        U8_NEXT(s, j, n, e);
        (void)e;
      }
    }
    std::vector<UChar32> outs;
    for (int32_t k = 0; k < out_len;) {
      UChar32 e;
      U16_NEXT(reinterpret_cast<const UChar*>(normalized.data()), k, out_len,
               e);
      outs.push_back(e);
    }
    const bool one_to_one = outs.size() == starts.size();
    for (size_t k = 0; k < outs.size(); ++k) {
      const size_t before = out.text.size();
      AppendUtf8(outs[k], &out.text);
      const uint32_t origin = one_to_one ? starts[k] : start;
      out.source_offsets.insert(out.source_offsets.end(),
                                out.text.size() - before, origin);
    }
  }
  out.source_offsets.push_back(static_cast<uint32_t>(utf8.size()));
  return out;
}

}  // namespace gongkai
