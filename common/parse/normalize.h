// NFKC normalisation of decoded report text with a map back to the decoded
// input: full-width digits, letters and punctuation become ASCII
// ("１２，３" → "12,3", "（" → "("), U+3000 becomes a space, compatibility
// forms are folded. Spans in the parser's output point into the normalised
// text; SourceOffset() maps them back.
//
// Thread-safety: pure functions; NormalizedText is a value type.
#ifndef GONGKAI_COMMON_PARSE_NORMALIZE_H_
#define GONGKAI_COMMON_PARSE_NORMALIZE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/parse/decode.h"

namespace gongkai {

struct NormalizedText {
  // The NFKC form of the input, UTF-8.
  std::string text;
  // source_offsets[i] is the offset in the input of the character that
  // produced byte i of `text`; source_offsets[text.size()] is the input size.
  // All bytes produced by one normalisation segment map to the segment start.
  std::vector<uint32_t> source_offsets;

  // The input offset for normalised offset `offset` (0 ≤ offset ≤ size;
  // larger values clamp to the input size).
  uint32_t SourceOffset(size_t offset) const {
    if (offset >= source_offsets.size()) return source_offsets.back();
    return source_offsets[offset];
  }
};

// NFKC-normalises `utf8` (which must be valid UTF-8, e.g. from DecodeToUtf8).
// Errors: INVALID_ARGUMENT for invalid UTF-8 or input over 4 GiB; INTERNAL if
// ICU's normaliser is unavailable.
absl::StatusOr<NormalizedText> NormalizeNfkc(absl::string_view utf8);

// The same NFKC text without the offset map, written over `*out` (cleared
// first; its capacity is reused). Same errors as NormalizeNfkc; on error
// `*out` is unspecified.
absl::Status NormalizeNfkcText(absl::string_view utf8, std::string* out);

// DecodeToUtf8(bytes) then NormalizeNfkcText, in one pass over the bytes for
// UTF-8 input (the normalising pass does the validation): writes the NFKC
// text over `*normalized` and returns the DecodedText with `utf8` left empty
// (encoding and truncated_tail set). Same results and errors as the two
// calls in sequence; on error `*normalized` is unspecified.
absl::StatusOr<DecodedText> DecodeAndNormalize(absl::string_view bytes,
                                               std::string* normalized);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_NORMALIZE_H_
