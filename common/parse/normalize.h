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

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_NORMALIZE_H_
