#include "common/formats/grid.h"

#include <algorithm>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

// Spans are clamped: no real report table spans more than this, and a
// hostile rowspan=100000 must not allocate a huge grid.
constexpr int kMaxSpan = 1000;

// Decodes one UTF-8 code point at `i` (no validation beyond lengths; input
// comes from gumbo/libxml2 which emit valid UTF-8). Returns its length.
size_t CodePointAt(absl::string_view s, size_t i, char32_t* cp) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : 4;
  if (i + len > s.size()) len = 1;
  char32_t v = len == 1 ? c : len == 2 ? (c & 0x1F) : len == 3 ? (c & 0x0F) : (c & 0x07);
  for (size_t k = 1; k < len; ++k) {
    v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  }
  *cp = v;
  return len;
}

bool IsWide(char32_t cp) {
  return (cp >= 0x2E80 && cp <= 0x9FFF) ||   // CJK radicals .. unified
         (cp >= 0x3000 && cp <= 0x303F) ||   // CJK punctuation
         (cp >= 0xF900 && cp <= 0xFAFF) ||   // compatibility ideographs
         (cp >= 0xFF00 && cp <= 0xFFEF) ||   // full-width forms
         (cp >= 0x20000 && cp <= 0x3FFFF);   // extension B+
}

}  // namespace

TableGrid::Row& TableGrid::RowAt(size_t index) {
  if (index >= rows_.size()) rows_.resize(index + 1);
  return rows_[index];
}

void TableGrid::StartRow() {
  current_ = started_ ? current_ + 1 : 0;
  started_ = true;
  RowAt(current_);
}

absl::Status TableGrid::AddCell(std::string text, int rowspan, int colspan) {
  if (!started_) StartRow();
  rowspan = std::clamp(rowspan, 1, kMaxSpan);
  colspan = std::clamp(colspan, 1, kMaxSpan);
  Row& row = RowAt(current_);
  size_t col = row.first_free;
  while (col < row.covered.size() && row.covered[col]) ++col;
  // Charge the growth of the bounding rectangle: ToTsv() pads every row to
  // the widest one, so one wide row over many narrow ones costs rows × width
  // (fuzz_html: a 3.7 MB page expanded to 200 MB of tabs).
  const size_t rows = std::max(rows_.size(), current_ + static_cast<size_t>(rowspan));
  const size_t width = std::max(width_, col + static_cast<size_t>(colspan));
  const size_t area = rows * width;
  if (area - charged_ > *cell_budget_) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "table cells exceed the limit (FormatLimits::max_table_cells)"));
  }
  *cell_budget_ -= area - charged_;
  charged_ = area;
  width_ = width;
  for (int dr = 0; dr < rowspan; ++dr) {
    Row& r = RowAt(current_ + dr);
    size_t end = col + colspan;
    if (r.slots.size() < end) {
      r.slots.resize(end);
      r.covered.resize(end, false);
    }
    for (size_t c = col; c < end; ++c) r.covered[c] = true;
  }
  rows_[current_].slots[col] = std::move(text);
  rows_[current_].first_free = col + colspan;
  return absl::OkStatus();
}

size_t TableGrid::columns() const {
  size_t width = 0;
  for (const Row& row : rows_) width = std::max(width, row.slots.size());
  return width;
}

std::string TableGrid::ToTsv() const {
  size_t width = columns();
  std::string out;
  for (const Row& row : rows_) {
    bool any = false;
    for (const std::string& s : row.slots) any = any || !s.empty();
    if (!any) continue;
    for (size_t c = 0; c < width; ++c) {
      if (c > 0) out.push_back('\t');
      if (c < row.slots.size()) out += row.slots[c];
    }
    out.push_back('\n');
  }
  return out;
}

std::string CellText(absl::string_view raw) {
  // One pass: runs of other characters are copied whole; the separators
  // between two runs become one space, unless the characters on both sides
  // are wide.
  std::string out;
  out.reserve(raw.size());
  bool any = false;            // a character has been kept
  bool pending_space = false;  // separators since the last one kept
  char32_t last = 0;           // the last character kept
  size_t run_begin = 0;
  bool in_run = false;
  for (size_t i = 0; i < raw.size();) {
    char32_t cp;
    const size_t len = CodePointAt(raw, i, &cp);
    const bool space = cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' ||
                       cp == '\v' || cp == 0xA0 || cp == 0x3000;
    if (space) {
      if (in_run) out.append(raw.data() + run_begin, i - run_begin);
      in_run = false;
      pending_space = any;
    } else {
      if (!in_run) {
        if (pending_space && !(IsWide(last) && IsWide(cp))) out.push_back(' ');
        pending_space = false;
        run_begin = i;
        in_run = true;
      }
      last = cp;
      any = true;
    }
    i += len;
  }
  if (in_run) out.append(raw.data() + run_begin, raw.size() - run_begin);
  return out;
}

}  // namespace gongkai
