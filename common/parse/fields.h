// Reading the numbers of one table row out of normalised report text, in
// every layout the parser meets: tab-separated, `|`-separated (incl.
// markdown), space-aligned (`pdftotext -layout`) and flattened (label and
// digits glued, no separators). Part of the parser core; exposed for tests.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_PARSE_FIELDS_H_
#define GONGKAI_COMMON_PARSE_FIELDS_H_

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/report/decimal.h"

namespace gongkai {

// One number as printed in a cell, normalised.
struct ParsedNumber {
  // Sign, digits and optional fraction, no separators ("-27", "73802895.90").
  std::string text;
  Decimal value;
  // The cell carried the unit 元 (value is in 元; amounts are kept in 万元).
  bool yuan = false;
  // The cell carried the unit 万元.
  bool wan = false;
  // Read from an OCR glyph for zero (Ů, ů, О).
  bool ocr_zero = false;
  // A digit run too long for one value (several cells glued together):
  // `value` is meaningless, only splitting can read it.
  bool overflow = false;
};

// Parses one cell's text: optional sign, digits with optional thousands
// separators ("33,764", "209,512.943"), optional fraction, optional unit
// (万元 / 元, spaces allowed before it), or a lone OCR zero glyph. Returns
// nullopt for anything else (labels, junk, empty).
std::optional<ParsedNumber> ParseCellNumber(absl::string_view text);

// The same into `*out` (every field set on success; unspecified on failure),
// for callers that reuse a ParsedNumber's storage. Returns false where
// ParseCellNumber returns nullopt.
bool ParseCellNumberInto(absl::string_view text, ParsedNumber* out);

// One field of a row: a number or a blank cell (tab/pipe layouts only).
struct Field {
  bool blank = false;
  ParsedNumber number;  // when !blank
  // Byte range of the printed text in the normalised input.
  size_t begin = 0;
  size_t end = 0;
  // True when the number came out of a longer text (a digit run glued to a
  // label), so it may hold several cells.
  bool glued = false;
};

// The fields found on one line of a row's text.
struct FieldGroup {
  std::vector<Field> fields;
  // Offset of the line start in the normalised input.
  size_t line_begin = 0;
  // The line used tab or `|` separators (blank fields are meaningful).
  bool separated = false;
  size_t NumberCount() const;
};

// Splits text[begin, end) into lines and returns, per line, the numeric
// fields that follow the line's label text (numbers embedded in label text
// are kept, enumerators like "2." before the next label are dropped, dates
// and prose quantities such as "2020年" or "859件" are skipped). `begin` is
// taken to be right after a row label, so the first piece of the first line
// is the rest of that label, never a cell. Lines with neither numbers nor
// blank fields give no group. Offsets are absolute in `text`.
std::vector<FieldGroup> ReadFieldGroups(absl::string_view text, size_t begin,
                                        size_t end);

// The same groups, written over the elements of `*scratch` so that a caller
// parsing many rows or reports reuses their storage: returns the number of
// groups n, which are (*scratch)[0, n); elements past n are spare (their
// contents unspecified). `scratch` only grows.
size_t ReadFieldGroupsInto(absl::string_view text, size_t begin, size_t end,
                           std::vector<FieldGroup>* scratch);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_FIELDS_H_
