// Finding the structure of a normalised report: the title and metadata, the
// six sections, the format (F2019 / F2021 / F2021 with a single （六） row),
// and where each table row's label stands (fuzzy, OCR-tolerant anchors kept
// in form order). Part of the parser core; exposed for tests.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_PARSE_LAYOUT_H_
#define GONGKAI_COMMON_PARSE_LAYOUT_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

// A section heading found in the text.
struct SectionHeading {
  int number = 0;      // 1..6
  size_t begin = 0;    // offset of the heading ("二、…")
  size_t end = 0;      // end of the heading text
};

// Finds the headings 一…六 in order (at most one each; absent ones are
// skipped). Tolerates markdown decoration, （一）-style numbering, typos
// (行政法复议) and headings in the middle of a flattened line.
std::vector<SectionHeading> FindSections(absl::string_view text);

// Title metadata.
struct TitleInfo {
  std::string title;              // the title line(s) as found, trimmed
  std::string organ;              // spaces removed; empty when not found
  int year = 0;                   // 0 when not found
  std::string statistics_period;  // e.g. "自2021年1月1日起至2021年12月31日止"
};

// Reads the title (the first line naming a 政府信息公开 annual report, with
// the organ on the line before when the title starts with the year; a
// "标题:" archive header counts) and the 统计期限 sentence. The year falls
// back to the statistics period when the title lacks it.
TitleInfo ReadTitle(absl::string_view text);

// Which national template table 二's column labels in text[begin, end)
// follow; UNSPECIFIED when neither is recognised.
gongkai::v1::ReportFormat DetectFormat(absl::string_view text, size_t begin,
                                       size_t end);

// A table row label found in the text.
struct RowAnchor {
  int row = 0;       // index into the row list the anchors were searched for
  size_t begin = 0;  // where the matched label text starts
  size_t end = 0;    // where it ends (the row's numbers follow)
};

// Table 三 rows in anchor order: the union of both formats' rows:
// new … rejected.confirmation, other, other.overdue_correction,
// other.unpaid_fee, other.other, total, carried_forward.
const std::vector<std::string>& T3AnchorRows();

// Finds table 三's row labels in text[begin, end): every keyword match, then
// the longest chain in form order (so a header's 总计 or a stray word cannot
// take a row's place). At most one anchor per row, sorted by position.
std::vector<RowAnchor> FindT3Anchors(absl::string_view text, size_t begin,
                                     size_t end);

// Table 二 row labels for `format` (rows as in T2Rows(format)).
std::vector<RowAnchor> FindT2Anchors(absl::string_view text, size_t begin,
                                     size_t end,
                                     gongkai::v1::ReportFormat format);

// Offsets of table 二's block headers (第二十条第…项) in text[begin, end).
std::vector<size_t> FindT2BlockHeaders(absl::string_view text, size_t begin,
                                       size_t end);

// Blanks out page footers ("-3-", "- 3 -", "第3页") in place, keeping every
// offset.
void BlankPageFooters(std::string* text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_PARSE_LAYOUT_H_
