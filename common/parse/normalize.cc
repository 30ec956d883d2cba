#include "common/parse/normalize.h"

#include <unicode/normalizer2.h>
#include <unicode/unorm2.h>
#include <unicode/utf16.h>
#include <unicode/utf8.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/parse/decode.h"

namespace gongkai {
namespace {

// Appends code point `c` as UTF-16 to `out`.
void AppendUtf16(UChar32 c, std::u16string* out) {
  UChar units[2];
  int32_t len = 0;
  UBool error = false;
  U16_APPEND(units, len, 2, c, error);
  if (!error) out->append(reinterpret_cast<char16_t*>(units), len);
}

// U+FF01–U+FF5E, the fullwidth forms of ASCII '!'–'~'.
bool IsFullwidthAscii(uint32_t c) { return c >= 0xFF01 && c <= 0xFF5E; }

// NFKC-inert BMP code points (unorm2_isInert), asked of ICU once: most
// Chinese text is ideographs and CJK punctuation, all inert.
class InertBmp {
 public:
  explicit InertBmp(const UNormalizer2* nfkc) : bits_(65536 / 64, 0) {
    for (UChar32 c = 0; c < 65536; ++c) {
      if ((c < 0xD800 || c > 0xDFFF) && unorm2_isInert(nfkc, c)) {
        bits_[c >> 6] |= uint64_t{1} << (c & 63);
      }
    }
    // A block of 64 code points shares its 3-byte sequence's first two
    // bytes; blocks below U+0800 have no (well-formed) 3-byte sequence.
    for (uint32_t block = 0x800 >> 6; block < 1024; ++block) {
      whole_blocks_[block] = bits_[block] == ~uint64_t{0};
    }
  }
  bool Has(uint32_t c) const { return (bits_[c >> 6] >> (c & 63)) & 1; }
  // True when every code point c with c >> 6 == block is inert.
  bool HasBlock(uint32_t block) const { return whole_blocks_[block]; }

 private:
  std::vector<uint64_t> bits_;
  std::array<bool, 1024> whole_blocks_{};
};

// unorm2_isInert, from the table for the BMP.
bool IsInert(const UNormalizer2* nfkc, const InertBmp& bmp, UChar32 c) {
  return c < 0x10000 ? bmp.Has(static_cast<uint32_t>(c)) : unorm2_isInert(nfkc, c);
}

// The code point of a well-formed 3-byte UTF-8 sequence at s[i] (i + 2 < n),
// or 0 when there is none (0 is never a 3-byte character).
uint32_t ThreeByteAt(const uint8_t* s, int32_t i, int32_t n) {
  if ((s[i] & 0xF0) != 0xE0 || i + 2 >= n || (s[i + 1] & 0xC0) != 0x80 ||
      (s[i + 2] & 0xC0) != 0x80) {
    return 0;
  }
  const uint32_t cp =
      ((s[i] & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu);
  if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;  // ill-formed
  return cp;
}

#if defined(__SSE2__)
// 0xFF in each byte of `x` within [lo, hi], 0 elsewhere.
inline __m128i BytesInRange(__m128i x, uint8_t lo, uint8_t hi) {
  const __m128i shifted = _mm_sub_epi8(x, _mm_set1_epi8(static_cast<char>(lo)));
  const __m128i over = _mm_subs_epu8(shifted, _mm_set1_epi8(static_cast<char>(hi - lo)));
  return _mm_cmpeq_epi8(over, _mm_setzero_si128());
}

// One bit per byte of s[0, 32): bit k set when `flag` holds for s[k].
template <typename Flag>
inline uint32_t Mask32(__m128i lo, __m128i hi, Flag flag) {
  return static_cast<uint32_t>(_mm_movemask_epi8(flag(lo))) |
         static_cast<uint32_t>(_mm_movemask_epi8(flag(hi))) << 16;
}

// The length of the longest prefix of s[0, 32) made of whole, well-formed
// characters that NFKC leaves alone and that are no binary control:
// printable ASCII, \t \n \r, U+4000–U+9FFF (lead bytes E4–E9: CJK
// ideographs, all inert) and the CJK punctuation U+3001–U+3002 and
// U+3008–U+3017 (、。《》「」【】〔〕 …, E3 80 xx). `s` must start a
// character and have 32 readable bytes. Everything else (other punctuation,
// fullwidth forms, other controls) ends the prefix and is left to the
// caller's per-character path.
int InertPrefix32(const uint8_t* s) {
  const __m128i lo = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s));
  const __m128i hi = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16));
  const uint32_t ideograph = Mask32(lo, hi, [](__m128i x) { return BytesInRange(x, 0xE4, 0xE9); });
  const uint32_t e3 = Mask32(lo, hi, [](__m128i x) { return _mm_cmpeq_epi8(x, _mm_set1_epi8('\xE3')); });
  const uint32_t x80 = Mask32(lo, hi, [](__m128i x) { return _mm_cmpeq_epi8(x, _mm_set1_epi8('\x80')); });
  const uint32_t punct_last = Mask32(lo, hi, [](__m128i x) {
    return _mm_or_si128(BytesInRange(x, 0x81, 0x82), BytesInRange(x, 0x88, 0x97));
  });
  // An E3 whose two next bytes (both inside the 32) make one of those marks.
  const uint32_t lead = ideograph | (e3 & x80 >> 1 & punct_last >> 2);
  const uint32_t cont = Mask32(lo, hi, [](__m128i x) { return BytesInRange(x, 0x80, 0xBF); });
  const uint32_t text = Mask32(lo, hi, [](__m128i x) {
    return _mm_or_si128(BytesInRange(x, 0x20, 0x7F),
                        _mm_or_si128(BytesInRange(x, '\t', '\n'),
                                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\r'))));
  });
  // Continuation bytes exactly where the leads put them.
  const uint32_t want = lead << 1 | lead << 2;
  const uint32_t stop = ~(lead | cont | text) | (cont ^ want);
  const int len = stop == 0 ? 32 : __builtin_ctz(stop);
  // A lead in the prefix's last two bytes has its continuations unchecked:
  // the prefix ends before it.
  const uint64_t checked = (uint64_t{1} << len) >> 2;  // leads at [0, len - 2)
  const uint64_t spill = lead & ((uint64_t{1} << len) - 1) & ~(checked - (checked != 0));
  return spill == 0 ? len : __builtin_ctzll(spill);
}
#endif

// Binary-control bytes seen by Normalize (IsBinaryControl), so that
// DecodeAndNormalize needs no separate CheckNotBinary pass.
struct ControlTally {
  size_t controls = 0;
  bool nul = false;
};

// The normalised text, written through a cursor: the string is kept sized
// ahead of it, so each write checks only that room is left (Room) and the
// string is cut to the written size at the end (Finish).
class TextWriter {
 public:
  TextWriter(std::string* text, size_t expected) : text_(text) {
    text_->clear();
    text_->resize(expected + kSlack);
  }

  // A pointer to at least `k` writable bytes at the cursor.
  char* Room(size_t k) {
    if (size_ + k > text_->size()) text_->resize(std::max(2 * text_->size(), size_ + k + kSlack));
    return &(*text_)[size_];
  }
  void Advance(size_t k) { size_ += k; }
  // Takes back the last `k` bytes written (k <= size()).
  void Unwrite(size_t k) { size_ -= k; }
  void Append(const void* bytes, size_t k) {
    std::memcpy(Room(k), bytes, k);
    size_ += k;
  }
  void Push(char c) {
    *Room(1) = c;
    ++size_;
  }
  // Appends code point `c` as UTF-8.
  void AppendUtf8(UChar32 c) {
    int32_t len = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(Room(4)), len, 4, c, error);
    if (!error) size_ += len;
  }
  size_t size() const { return size_; }
  void Finish() { text_->resize(size_); }

 private:
  static constexpr size_t kSlack = 64;
  std::string* text_;
  size_t size_ = 0;
};

// Appends to `offsets` the map for utf8 bytes s[from, to) copied unchanged:
// every byte maps to its character's start.
void MapCopiedBytes(const uint8_t* s, int32_t from, int32_t to,
                    std::vector<uint32_t>* offsets) {
  const size_t at = offsets->size();
  offsets->resize(at + (to - from));
  uint32_t* o = offsets->data() + at;
  uint32_t origin = from;
  for (int32_t k = from; k < to; ++k) {
    if ((s[k] & 0xC0) != 0x80) origin = k;
    *o++ = origin;
  }
}

// NFKC of `utf8` into `*text` (cleared first); `offsets`, when not null,
// receives the offset map described at NormalizedText::source_offsets;
// `tally`, when not null, counts the input's binary controls (the 32-byte
// step takes none, every other ASCII byte passes the tally in the loop
// below, and no other byte is a control).
absl::Status Normalize(absl::string_view utf8, std::string* text,
                       std::vector<uint32_t>* offsets,
                       ControlTally* tally = nullptr) {
  if (utf8.size() >= std::numeric_limits<uint32_t>::max()) {
    return absl::InvalidArgumentError("text too large to normalise");
  }
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfkc = unorm2_getNFKCInstance(&status);
  if (U_FAILURE(status)) {
    return absl::InternalError(
        absl::StrCat("ICU NFKC unavailable: ", u_errorName(status)));
  }
  static const InertBmp* const kInert = new InertBmp(nfkc);
  const InertBmp& inert = *kInert;
  TextWriter out(text, utf8.size());
  if (offsets != nullptr) {
    offsets->clear();
    offsets->reserve(utf8.size() + 1);
  }
  const auto* s = reinterpret_cast<const uint8_t*>(utf8.data());
  const int32_t n = static_cast<int32_t>(utf8.size());
  // Copies s[from, to), unchanged.
  auto copy = [&](int32_t from, int32_t to) {
    out.Append(s + from, to - from);
    if (offsets != nullptr) MapCopiedBytes(s, from, to, offsets);
  };
  std::u16string segment;
  std::u16string normalized;
  std::vector<int32_t> starts;  // offset map only: the segment's characters
  std::vector<UChar32> outs;
  int32_t i = 0;
  while (i < n) {
    // Fast path, one step per iteration: characters NFKC leaves alone are
    // copied, and a fullwidth form of ASCII that maps alone becomes that
    // ASCII character. Printable ASCII and ideographs are checked 32 bytes at
    // a time (InertPrefix32), other ASCII eight bytes at a time.
#if defined(__SSE2__)
    if (i + 32 <= n) {
      // Store all 32 bytes; the cursor moves past the accepted prefix only.
      std::memcpy(out.Room(32), s + i, 32);
      const int len = InertPrefix32(s + i);
      out.Advance(len);
      if (offsets != nullptr) MapCopiedBytes(s, i, i + len, offsets);
      i += len;
      if (len == 32) continue;
    }
#endif
    if (s[i] < 0x80) {
      uint64_t word;
      constexpr uint64_t kOnes = 0x0101010101010101ULL;
      if (i + 8 <= n && (std::memcpy(&word, s + i, 8), (word & 0x80 * kOnes) == 0)) {
        // Any byte below 0x20 in these eight ASCII bytes: tally them.
        if (tally != nullptr && ((word - 0x20 * kOnes) & ~word & 0x80 * kOnes) != 0) {
          tally->controls += BinaryControlsInWord(word);
          tally->nul |= ((word - kOnes) & ~word & 0x80 * kOnes) != 0;
        }
        copy(i, i + 8);
        i += 8;
      } else {
        if (tally != nullptr && s[i] < 0x20) {
          tally->controls += IsBinaryControl(s[i]);
          tally->nul |= s[i] == 0;
        }
        copy(i, i + 1);
        ++i;
      }
      continue;
    }
    // A well-formed 3-byte character (ThreeByteAt, inlined: this loop sees
    // nearly every character of a Chinese report); surrogates are not in the
    // inert table. The lead and both continuation bytes checked in one
    // compare.
    if (i + 2 < n) {
      const uint32_t seq = s[i] | uint32_t{s[i + 1]} << 8 | uint32_t{s[i + 2]} << 16;
      if ((seq & 0xC0C0F0u) == 0x8080E0u) {
        const uint32_t cp = (seq & 0x0Fu) << 12 | (seq >> 2 & 0xFC0u) | (seq >> 16 & 0x3Fu);
        // Most ideographs lie in blocks of 64 that are inert throughout.
        if (inert.HasBlock(cp >> 6) || (cp >= 0x800 && inert.Has(cp))) {
          copy(i, i + 3);
          i += 3;
          continue;
        }
        // （），：０-９ … map to ASCII; alone when the next character cannot
        // combine backwards (ASCII, an inert or another fullwidth character).
        if (IsFullwidthAscii(cp)) {
          const int32_t next = i + 3;
          const uint32_t after = next < n ? ThreeByteAt(s, next, n) : 0;
          if (next == n || s[next] < 0x80 ||
              (after != 0 && (inert.Has(after) || IsFullwidthAscii(after)))) {
            out.Push(static_cast<char>(cp - 0xFEE0));
            if (offsets != nullptr) offsets->push_back(i);
            i = next;
            continue;
          }
        }
      }
    }
    int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, n, c);
    if (c < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid UTF-8 at byte ", start));
    }
    if (IsInert(nfkc, inert, c)) {
      copy(start, i);
      continue;
    }
    // Slow path: gather characters up to the next inert one (a segment
    // boundary on both sides) and normalise them together.
    segment.clear();
    if (start > 0 && s[start - 1] < 0x80 && !unorm2_hasBoundaryBefore(nfkc, c)) {
      // An ASCII character composes with a combining mark after it
      // ("a" U+0301 → "á"). It was the last byte written (ASCII is always
      // copied as is): take it back into the segment.
      out.Unwrite(1);
      if (offsets != nullptr) offsets->pop_back();
      --start;
      segment.push_back(static_cast<char16_t>(s[start]));
    }
    AppendUtf16(c, &segment);
    while (i < n) {
      int32_t next = i;
      UChar32 d;
      U8_NEXT(s, next, n, d);
      if (d < 0) {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid UTF-8 at byte ", i));
      }
      if (d < 0x80 || IsInert(nfkc, inert, d)) {
        // An ASCII char may still combine backwards only via combining
        // marks, which are not ASCII, so it is a safe boundary.
        break;
      }
      AppendUtf16(d, &segment);
      i = next;
    }
    if (segment.size() == 1 && IsFullwidthAscii(segment[0])) {
      // A fullwidth form before a character that is not inert: NFKC still
      // maps U+FF01–U+FF5E to U+0021–U+007E.
      out.Push(static_cast<char>(segment[0] - 0xFEE0));
      if (offsets != nullptr) offsets->push_back(start);
      continue;
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
    if (offsets == nullptr) {
      for (int32_t k = 0; k < out_len;) {
        UChar32 e;
        U16_NEXT(reinterpret_cast<const UChar*>(normalized.data()), k, out_len,
                 e);
        out.AppendUtf8(e);
      }
      continue;
    }
    // Map each output character back to the input character it came from
    // when the segment maps one-to-one; otherwise to the segment start.
    // Re-walk the input segment in step with the output when counts match.
    starts.clear();
    {
      int32_t j = start;
      while (j < i) {
        starts.push_back(j);
        UChar32 e;
        U8_NEXT(s, j, n, e);
        (void)e;
      }
    }
    outs.clear();
    for (int32_t k = 0; k < out_len;) {
      UChar32 e;
      U16_NEXT(reinterpret_cast<const UChar*>(normalized.data()), k, out_len,
               e);
      outs.push_back(e);
    }
    const bool one_to_one = outs.size() == starts.size();
    for (size_t k = 0; k < outs.size(); ++k) {
      const size_t before = out.size();
      out.AppendUtf8(outs[k]);
      const uint32_t origin = one_to_one ? starts[k] : start;
      offsets->insert(offsets->end(), out.size() - before, origin);
    }
  }
  out.Finish();
  if (offsets != nullptr) offsets->push_back(static_cast<uint32_t>(utf8.size()));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<NormalizedText> NormalizeNfkc(absl::string_view utf8) {
  NormalizedText out;
  if (absl::Status s = Normalize(utf8, &out.text, &out.source_offsets); !s.ok()) {
    return s;
  }
  return out;
}

absl::Status NormalizeNfkcText(absl::string_view utf8, std::string* out) {
  return Normalize(utf8, out, nullptr);
}

absl::StatusOr<DecodedText> DecodeAndNormalize(absl::string_view bytes,
                                               std::string* normalized) {
  const bool utf16_bom =
      bytes.size() >= 2 && ((bytes[0] == '\xFF' && bytes[1] == '\xFE') ||
                            (bytes[0] == '\xFE' && bytes[1] == '\xFF'));
  if (!bytes.empty() && !utf16_bom) {
    absl::string_view body = bytes;
    const bool utf8_bom = absl::StartsWith(body, "\xEF\xBB\xBF");
    if (utf8_bom) body.remove_prefix(3);
    // Normalize() rejects ill-formed UTF-8 exactly as IsValidUtf8 does and
    // tallies what CheckNotBinary counts (a BOM has no controls), so a
    // success here is what DecodeToUtf8 + NormalizeNfkcText would give;
    // anything else takes that path for its exact error.
    ControlTally tally;
    if (!body.empty() && Normalize(body, normalized, nullptr, &tally).ok() &&
        !BinaryByTally(tally.nul, tally.controls, bytes.size())) {
      DecodedText out;
      out.encoding = "UTF-8";
      return out;
    }
  }
  auto decoded = DecodeToUtf8(bytes);
  if (!decoded.ok()) return decoded.status();
  if (absl::Status s = Normalize(decoded->utf8, normalized, nullptr); !s.ok()) {
    return s;
  }
  decoded->utf8.clear();
  return decoded;
}

}  // namespace gongkai
