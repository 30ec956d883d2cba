// Text decoding for the parser and the format readers: turns the bytes of a
// text document (any supported encoding) into validated UTF-8.
//
// Supported: UTF-8 (validated; a UTF-8 BOM is dropped), UTF-16LE/BE with a
// BOM, and GB18030 (a superset of GBK/GB2312) detected when the bytes are not
// valid UTF-8 but convert cleanly from GB18030. Conversion uses ICU (ucnv);
// GB18030 text of ASCII and two-byte codes goes through a table built once
// from ICU's converter, with the same result.
//
// Thread-safety: pure functions; safe to call concurrently.
#ifndef GONGKAI_COMMON_PARSE_DECODE_H_
#define GONGKAI_COMMON_PARSE_DECODE_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

struct DecodedText {
  // The text as UTF-8, without a BOM.
  std::string utf8;
  // "UTF-8", "UTF-16LE", "UTF-16BE" or "GB18030".
  std::string encoding;
  // UTF-8 input whose last multi-byte character was cut off (a truncated
  // file): the partial character was dropped.
  bool truncated_tail = false;
};

// Decodes `bytes` to UTF-8.
// A UTF-8 text cut inside its last character is still UTF-8: the partial
// character is dropped and `truncated_tail` set.
// Errors: INVALID_ARGUMENT with a one-line reason for empty input, binary
// data (NUL bytes or many control characters outside a UTF-16 BOM'd text),
// or bytes that are neither valid UTF-8 nor valid GB18030 (the message gives
// the offset of the first bad UTF-8 byte).
absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes);

// Decodes GB18030 `bytes` made only of ASCII and two-byte codes (GBK text)
// into `*out`, replacing it, exactly as ICU's GB18030 converter would, from a
// table built once from that converter; about a quarter of its cost.
// Returns false, leaving `*out` unspecified, at the first other sequence: a
// four-byte code, a pair the converter maps to nothing, a stray or cut-off
// byte. DecodeToUtf8 then leaves the text to the converter, which decodes it
// or names the error.
bool DecodeGb18030TwoByte(absl::string_view bytes, std::string* out);

// OK unless `bytes` look like binary data rather than text: a NUL byte
// (INVALID_ARGUMENT naming its offset) or many control characters (over 8
// and over 1% of the bytes). DecodeToUtf8 applies it to everything but
// BOM'd UTF-16.
absl::Status CheckNotBinary(absl::string_view bytes);

// True for a control byte that never occurs in text: below 0x20 except
// \t \n \v \f \r, and ESC (some terminals emit it). NUL counts as one.
inline bool IsBinaryControl(unsigned char c) {
  constexpr uint32_t kTextControls = (1u << '\t') | (1u << '\n') | (1u << '\v') |
                                     (1u << '\f') | (1u << '\r') | (1u << 0x1b);
  return c < 0x20 && ((kTextControls >> c) & 1u) == 0;
}

// IsBinaryControl over the eight bytes of `w` at once: the number of them
// that are binary controls (exact per byte; bytes >= 0x80 never count).
inline int BinaryControlsInWord(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ULL;
  constexpr uint64_t kHigh = 0x80 * kOnes, kLow7 = 0x7F * kOnes;
  const uint64_t low7 = w & kLow7;  // adding below 0x80 per byte never carries
  const uint64_t ascii = ~w & kHigh;
  const uint64_t below_20 = ~(low7 + 0x60 * kOnes) & ascii;
  const uint64_t text_range = (low7 + 0x77 * kOnes) & ~(low7 + 0x72 * kOnes);  // 09..0D
  const uint64_t x = low7 ^ (0x1B * kOnes);
  const uint64_t esc = ~((x + kLow7) | x | kLow7);  // 0x80 where the byte is ESC
  const uint64_t flags = (below_20 & ~text_range & ~esc & kHigh) >> 7;  // 0 or 1 per byte
  return static_cast<int>((flags * kOnes) >> 56);  // their sum in the top byte
}

// The binary-control bytes (IsBinaryControl) in `bytes`, sixteen bytes
// tested at a time (SSE2; eight without it); `*first_nul` receives the
// offset of the first NUL byte or npos.
size_t CountBinaryControls(absl::string_view bytes, size_t* first_nul);

// CheckNotBinary's verdict from a tally of `size` bytes: a NUL, or over 8
// binary controls (IsBinaryControl) making over 1% of the bytes. For code that
// tallies while it scans the bytes anyway (the NFKC pass) instead of a
// second pass.
inline bool BinaryByTally(bool nul, size_t controls, size_t size) {
  return nul || (controls > 8 && controls * 100 > size);
}

// True when `text` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF). When false and `bad_offset` is given, it receives
// the offset of the first invalid byte.
bool IsValidUtf8(absl::string_view text, size_t* bad_offset = nullptr);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_DECODE_H_
