#include "common/parse/decode.h"

#include <unicode/ucnv.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>
#include <unicode/utypes.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

struct ConverterCloser {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using ConverterPtr = std::unique_ptr<UConverter, ConverterCloser>;

// A converter from `charset` that stops at the first unmappable or illegal
// sequence instead of substituting; null with `*status` set on failure.
ConverterPtr OpenStrictDecoder(const char* charset, UErrorCode* status) {
  ConverterPtr from(ucnv_open(charset, status));
  if (U_FAILURE(*status)) return nullptr;
  ucnv_setToUCallBack(from.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, status);
  if (U_FAILURE(*status)) return nullptr;
  return from;
}

// Converts `bytes` from `charset` to UTF-8, failing on any unmappable or
// illegal sequence (no substitution characters are ever produced).
absl::StatusOr<std::string> ConvertStrict(absl::string_view bytes,
                                          const char* charset) {
  UErrorCode status = U_ZERO_ERROR;
  ConverterPtr from = OpenStrictDecoder(charset, &status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU converter ", charset, " unavailable: ",
                     u_errorName(status)));
  }
  ConverterPtr to(ucnv_open("UTF-8", &status));
  if (U_FAILURE(status)) {
    return absl::InternalError("ICU UTF-8 converter unavailable");
  }
  ucnv_setFromUCallBack(to.get(), UCNV_FROM_U_CALLBACK_STOP, nullptr, nullptr,
                        nullptr, &status);
  // Worst case: every input byte becomes a 3-byte UTF-8 sequence.
  std::string out(bytes.size() * 3 + 16, '\0');
  char* target = out.data();
  const char* source = bytes.data();
  status = U_ZERO_ERROR;
  ucnv_convertEx(to.get(), from.get(), &target, out.data() + out.size(),
                 &source, bytes.data() + bytes.size(), nullptr, nullptr,
                 nullptr, nullptr, /*reset=*/true, /*flush=*/true, &status);
  if (U_FAILURE(status)) {
    return absl::InvalidArgumentError(
        absl::StrCat("not valid ", charset, " near byte ",
                     source - bytes.data()));
  }
  out.resize(target - out.data());
  return out;
}

// GB18030's two-byte codes (lead 0x81-0xFE, trail 0x40-0x7E or 0x80-0xFE)
// as the UTF-8 of the code points ICU's GB18030 converter gives them, built
// once from that converter (opened as ConvertStrict opens it), so
// text decoded with the table is byte for byte what ConvertStrict returns.
// Thread-safety: Get() builds it on first use (a function-local static);
// it is immutable afterwards.
class Gb18030Pairs {
 public:
  static const Gb18030Pairs& Get() {
    static const Gb18030Pairs* const kPairs = new Gb18030Pairs();
    return *kPairs;
  }

  // False when the converter could not be opened or does not map ASCII to
  // itself: then the table is not used.
  bool usable() const { return usable_; }

  // The pair (lead, trail) for any lead >= 0x80 and any trail: its UTF-8
  // in the low three bytes (first byte lowest) and their count in the top
  // byte, or 0 when the converter maps it to nothing (an unassigned or
  // illegal pair, or 0x80/0xFF, which lead none).
  uint32_t Utf8At(unsigned char lead, unsigned char trail) const {
    return table_[(static_cast<size_t>(lead) - 0x80) << 8 | trail];
  }

 private:
  static constexpr unsigned kFirstLead = 0x81, kLastLead = 0xFE;
  static constexpr unsigned kFirstTrail = 0x40, kLastTrail = 0xFE;
  static constexpr unsigned kTrails = kLastTrail - kFirstTrail;  // less 0x7F

  // A table entry for the BMP code point `unit` (0 for a surrogate or NUL).
  static uint32_t Utf8Entry(UChar unit) {
    if (U16_IS_SURROGATE(unit) || unit == 0) return 0;
    uint8_t bytes[4] = {0, 0, 0, 0};
    int32_t length = 0;
    U8_APPEND_UNSAFE(bytes, length, unit);
    return static_cast<uint32_t>(length) << 24 | uint32_t{bytes[2]} << 16 |
           uint32_t{bytes[1]} << 8 | bytes[0];
  }

  Gb18030Pairs() : table_(0x80 << 8, 0) {
    UErrorCode status = U_ZERO_ERROR;
    ConverterPtr from = OpenStrictDecoder("GB18030", &status);
    if (U_FAILURE(status)) return;
    // Decodes `n` bytes to UTF-16 in `out` (room for `n`): the units, or -1.
    auto decode = [&](const char* bytes, int32_t n, UChar* out) -> int32_t {
      UErrorCode s = U_ZERO_ERROR;
      const int32_t length = ucnv_toUChars(from.get(), out, n, bytes, n, &s);
      return U_FAILURE(s) && s != U_STRING_NOT_TERMINATED_WARNING ? -1 : length;
    };
    char ascii[0x7F];
    UChar units[2 * kTrails];
    for (unsigned c = 1; c < 0x80; ++c) ascii[c - 1] = static_cast<char>(c);
    if (decode(ascii, 0x7F, units) != 0x7F) return;
    for (unsigned c = 1; c < 0x80; ++c) {
      if (units[c - 1] != c) return;
    }
    // A lead's pairs in one call when each gives one unit (the usual case:
    // then unit k is pair k's), else pair by pair.
    for (unsigned lead = kFirstLead; lead <= kLastLead; ++lead) {
      char pairs[2 * kTrails];
      int32_t n = 0;
      for (unsigned trail = kFirstTrail; trail <= kLastTrail; ++trail) {
        if (trail == 0x7F) continue;
        pairs[n++] = static_cast<char>(lead);
        pairs[n++] = static_cast<char>(trail);
      }
      uint32_t* row = &table_[(lead - 0x80) << 8];
      const bool whole_lead = decode(pairs, n, units) == n / 2;
      for (int32_t k = 0; k < n / 2; ++k) {
        const unsigned trail = static_cast<unsigned char>(pairs[2 * k + 1]);
        if (whole_lead) {
          row[trail] = Utf8Entry(units[k]);
        } else {
          row[trail] = decode(pairs + 2 * k, 2, units) == 1 ? Utf8Entry(units[0]) : 0;
        }
      }
    }
    usable_ = true;
  }

  std::vector<uint32_t> table_;  // [(lead - 0x80) << 8 | trail]
  bool usable_ = false;
};

}  // namespace

bool DecodeGb18030TwoByte(absl::string_view bytes, std::string* out) {
  const Gb18030Pairs& pairs = Gb18030Pairs::Get();
  if (!pairs.usable()) return false;
  // An ASCII byte stays one byte; a pair (two bytes) becomes at most three.
  // The slack takes the byte past them a pair's store writes.
  out->resize(bytes.size() + bytes.size() / 2 + 8);
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  char* o = out->data();
  size_t i = 0;
  while (i < n) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      *o++ = static_cast<char>(c);
      ++i;
      // Then the ASCII that follows, eight bytes at a time.
      while (i + 8 <= n) {
        uint64_t word;
        std::memcpy(&word, s + i, 8);
        if ((word & 0x8080808080808080ULL) != 0) break;
        std::memcpy(o, &word, 8);
        o += 8;
        i += 8;
      }
      continue;
    }
    if (i + 1 >= n) return false;
    const uint32_t entry = pairs.Utf8At(c, s[i + 1]);
    if (entry == 0) return false;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    std::memcpy(o, &entry, 4);  // the UTF-8 bytes first, then the count
#else
    o[0] = static_cast<char>(entry), o[1] = static_cast<char>(entry >> 8);
    o[2] = static_cast<char>(entry >> 16);
#endif
    o += entry >> 24;
    i += 2;
  }
  out->resize(static_cast<size_t>(o - out->data()));
  return true;
}

size_t CountBinaryControls(absl::string_view bytes, size_t* first_nul) {
  const void* nul = std::memchr(bytes.data(), 0, bytes.size());
  *first_nul = nul == nullptr
                   ? absl::string_view::npos
                   : static_cast<size_t>(static_cast<const char*>(nul) - bytes.data());
  const auto* s = reinterpret_cast<const unsigned char*>(bytes.data());
  const size_t n = bytes.size();
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // Sixteen bytes at a time: below 0x20 (unsigned), less 09..0D and ESC.
  const __m128i k1f = _mm_set1_epi8(0x1F), k09 = _mm_set1_epi8(0x09),
                k04 = _mm_set1_epi8(0x04), kEsc = _mm_set1_epi8(0x1B);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i below_20 = _mm_cmpeq_epi8(_mm_min_epu8(v, k1f), v);
    const __m128i t = _mm_sub_epi8(v, k09);
    const __m128i text_controls = _mm_cmpeq_epi8(_mm_min_epu8(t, k04), t);
    const __m128i esc = _mm_cmpeq_epi8(v, kEsc);
    const int mask = _mm_movemask_epi8(
        _mm_andnot_si128(_mm_or_si128(text_controls, esc), below_20));
    if (mask != 0) count += __builtin_popcount(static_cast<unsigned>(mask));
  }
#endif
  while (i < n) {
    if (i + 8 <= n) {
      uint64_t w;
      std::memcpy(&w, s + i, 8);
      count += BinaryControlsInWord(w);
      i += 8;
      continue;
    }
    for (; i < n; ++i) count += IsBinaryControl(s[i]);
  }
  return count;
}

absl::Status CheckNotBinary(absl::string_view bytes) {
  size_t first_nul;
  const size_t controls = CountBinaryControls(bytes, &first_nul);
  if (first_nul != absl::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "binary data, not text (NUL byte at offset ", first_nul, ")"));
  }
  // A few stray control characters survive copy-paste; many mean binary.
  if (BinaryByTally(false, controls, bytes.size())) {
    return absl::InvalidArgumentError(absl::StrCat(
        "binary data, not text (", controls, " control bytes)"));
  }
  return absl::OkStatus();
}

namespace {

// Length of the UTF-8 sequence a lead byte starts (0 for a non-lead byte).
size_t Utf8SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) return 2;
  if ((lead & 0xF0) == 0xE0) return 3;
  if ((lead & 0xF8) == 0xF0) return 4;
  return 0;
}

}  // namespace

bool IsValidUtf8(absl::string_view text, size_t* bad_offset) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    // ASCII eight bytes at a time.
    if (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, s + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char c = s[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    // The common case in Chinese text: a well-formed 3-byte sequence.
    if ((c & 0xF0) == 0xE0 && i + 2 < n && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      const uint32_t cp = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) |
                          (s[i + 2] & 0x3F);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        i += 3;
        continue;
      }
    }
    size_t len;
    uint32_t min;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2, min = 0x80, cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3, min = 0x800, cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4, min = 0x10000, cp = c & 0x07;
    } else {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    if (i + len > n) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    for (size_t k = 1; k < len; ++k) {
      if ((s[i + k] & 0xC0) != 0x80) {
        if (bad_offset) *bad_offset = i;
        return false;
      }
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
      if (bad_offset) *bad_offset = i;
      return false;
    }
    i += len;
  }
  return true;
}

absl::StatusOr<DecodedText> DecodeToUtf8(absl::string_view bytes) {
  if (bytes.empty()) return absl::InvalidArgumentError("empty input");
  DecodedText out;
  // UTF-16 with a BOM: NUL bytes are expected there.
  if (bytes.size() >= 2) {
    const unsigned char b0 = bytes[0], b1 = bytes[1];
    const char* charset = nullptr;
    if (b0 == 0xFF && b1 == 0xFE) {
      charset = "UTF-16LE";
    } else if (b0 == 0xFE && b1 == 0xFF) {
      charset = "UTF-16BE";
    }
    if (charset != nullptr) {
      absl::string_view body = bytes.substr(2);
      if (body.size() % 2 != 0) {
        return absl::InvalidArgumentError(absl::StrCat(
            "truncated ", charset, " text (odd number of bytes)"));
      }
      auto converted = ConvertStrict(body, charset);
      if (!converted.ok()) return converted.status();
      out.utf8 = *std::move(converted);
      out.encoding = charset;
      if (out.utf8.find('\0') != std::string::npos) {
        return absl::InvalidArgumentError(
            absl::StrCat("binary data, not text (NUL character in ", charset,
                         " text)"));
      }
      if (out.utf8.empty()) return absl::InvalidArgumentError("empty input");
      return out;
    }
  }
  if (absl::Status s = CheckNotBinary(bytes); !s.ok()) return s;
  absl::string_view body = bytes;
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") {
    body.remove_prefix(3);
  }
  size_t bad = 0;
  if (IsValidUtf8(body, &bad)) {
    if (body.empty()) return absl::InvalidArgumentError("empty input");
    out.utf8 = std::string(body);
    out.encoding = "UTF-8";
    return out;
  }
  // A file cut inside its last UTF-8 character.
  const unsigned char bad_lead = bad < body.size() ? body[bad] : 0;
  if (bad + 4 > body.size() && bad > 0 && bad_lead >= 0xC2 && bad_lead <= 0xF4) {
    const size_t need = Utf8SequenceLength(static_cast<unsigned char>(body[bad]));
    bool continuation = true;
    for (size_t k = bad + 1; k < body.size(); ++k) {
      continuation &= (static_cast<unsigned char>(body[k]) & 0xC0) == 0x80;
    }
    if (need > body.size() - bad && continuation) {
      out.utf8 = std::string(body.substr(0, bad));
      out.encoding = "UTF-8";
      out.truncated_tail = true;
      return out;
    }
  }
  if (body.size() != bytes.size()) {  // Had a UTF-8 BOM: no second guess.
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid UTF-8 after a UTF-8 BOM at byte ", bad + 3));
  }
  out.encoding = "GB18030";
  if (DecodeGb18030TwoByte(bytes, &out.utf8)) return out;
  auto converted = ConvertStrict(bytes, "GB18030");
  if (!converted.ok()) {
    if (converted.status().code() != absl::StatusCode::kInvalidArgument) {
      return converted.status();
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "undecodable text: invalid UTF-8 at byte ", bad,
        " and not valid GB18030 either"));
  }
  out.utf8 = *std::move(converted);
  return out;
}

}  // namespace gongkai
