#include "common/formats/pdf_reader.h"

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/formats/grid.h"
#include "common/formats/reader_common.h"
#include "common/formats/subprocess.h"

namespace gongkai {
namespace {

using gongkai::v1::SEVERITY_INFO;
using gongkai::v1::SEVERITY_WARNING;

// ---- Word classification ---------------------------------------------------

// Number of UTF-8 code points.
size_t CharCount(absl::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// A printed number as it appears in a table cell: digits (ASCII or
// full-width) with separators, an optional sign and percent sign. "1." and
// "2、" are enumerators, not numbers.
bool IsNumberToken(absl::string_view s) {
  if (s.empty()) return false;
  if (absl::EndsWith(s, ".") || absl::EndsWith(s, "、") ||
      absl::EndsWith(s, "．")) {
    return false;
  }
  bool digit = false;
  size_t i = 0;
  if (s[0] == '+' || s[0] == '-') i = 1;
  else if (absl::StartsWith(s, "−") || absl::StartsWith(s, "－")) i = 3;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (absl::ascii_isdigit(c)) {
      digit = true;
      ++i;
    } else if (c == ',' || c == '.') {
      ++i;
    } else if (s.substr(i, 3) >= "０" && s.substr(i, 3) <= "９" &&
               s.size() - i >= 3) {
      digit = true;
      i += 3;
    } else if (s.substr(i) == "%" || s.substr(i) == "％" ||
               s.substr(i) == "万元" || s.substr(i) == "元") {
      break;
    } else {
      return false;
    }
  }
  return digit;
}

// True when a label line starts a new item: "1.", "2、", "（三）", "(3)",
// "四、" (so it cannot continue the label above it).
bool StartsWithEnumerator(absl::string_view s) {
  size_t i = 0;
  while (i < s.size() && absl::ascii_isdigit(static_cast<unsigned char>(s[i]))) ++i;
  if (i > 0) {
    absl::string_view rest = s.substr(i);
    return absl::StartsWith(rest, ".") || absl::StartsWith(rest, "、") ||
           absl::StartsWith(rest, "．");
  }
  static constexpr absl::string_view kNumerals[] = {
      "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
  absl::string_view rest = s;
  bool bracket = absl::ConsumePrefix(&rest, "（") || absl::ConsumePrefix(&rest, "(");
  bool numeral = false;
  for (bool more = true; more;) {
    more = false;
    for (absl::string_view n : kNumerals) {
      if (absl::ConsumePrefix(&rest, n)) numeral = more = true;
    }
    while (!rest.empty() && absl::ascii_isdigit(static_cast<unsigned char>(rest[0]))) {
      rest.remove_prefix(1);
      numeral = more = true;
    }
  }
  if (!numeral) return false;
  return bracket ? absl::StartsWith(rest, "）") || absl::StartsWith(rest, ")")
                 : absl::StartsWith(rest, "、");
}

bool IsUnitWord(absl::string_view s) {
  return s == "万元" || s == "元" || s == "%" || s == "％";
}

// "-3-", "— 3 —", "3", "第3页", "第 3 页 共 5 页", "3/5".
bool IsPageNumber(absl::string_view text) {
  std::string s;
  for (char c : text) {
    if (c != ' ') s.push_back(c);
  }
  absl::string_view v = s;
  if (absl::ConsumePrefix(&v, "第")) {
    return absl::StrContains(v, "页") &&
           !v.empty() && absl::ascii_isdigit(static_cast<unsigned char>(v[0]));
  }
  auto strip_dashes = [](absl::string_view* p) {
    bool changed = true;
    while (changed) {
      changed = false;
      for (absl::string_view d : {"-", "—", "–", "－", "_"}) {
        if (absl::ConsumePrefix(p, d)) changed = true;
        if (absl::ConsumeSuffix(p, d)) changed = true;
      }
    }
  };
  strip_dashes(&v);
  std::vector<absl::string_view> parts = absl::StrSplit(v, '/');
  if (parts.size() > 2) return false;
  for (absl::string_view p : parts) {
    if (p.empty() || p.size() > 4) return false;
    for (char c : p) {
      if (!absl::ascii_isdigit(static_cast<unsigned char>(c))) return false;
    }
  }
  return true;
}

// ---- Layout ---------------------------------------------------------------

struct Box {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double yc() const { return (y0 + y1) / 2; }
  double h() const { return y1 - y0; }
  void Extend(const Box& o) {
    x0 = std::min(x0, o.x0);
    y0 = std::min(y0, o.y0);
    x1 = std::max(x1, o.x1);
    y1 = std::max(y1, o.y1);
  }
};

Box BoxOf(const PdfWord& w) { return {w.x0, w.y0, w.x1, w.y1}; }

// A run of text words from one pdftotext line (or a joined rotated label).
struct Segment {
  Box box;
  std::string text;
  int block = 0;
  double word_height = 0;  // tallest word
  // Printed top to bottom (a rotated label): written as its own line.
  bool vertical = false;
  int row = -1;  // row it labels, or -1 when it stands alone
};

struct NumCell {
  Box box;
  std::string text;
};

struct Row {
  std::vector<NumCell> cells;
  Box box;
  double height = 0;  // tallest cell
};

// A text line outside the numeric rows: segments at the same height.
struct TextLine {
  std::vector<const Segment*> segments;
  Box box;
};

bool Overlaps(double a0, double a1, double b0, double b1, double slack = 0) {
  return a0 <= b1 + slack && b0 <= a1 + slack;
}

// Joins the label segments of a row into label cells: segments whose
// x-ranges overlap form one cell (read top to bottom).
std::vector<std::string> LabelCells(std::vector<const Segment*> segs) {
  std::sort(segs.begin(), segs.end(), [](const Segment* a, const Segment* b) {
    return a->box.x0 < b->box.x0;
  });
  std::vector<std::vector<const Segment*>> groups;
  std::vector<Box> extents;
  for (const Segment* s : segs) {
    if (!groups.empty() &&
        Overlaps(extents.back().x0, extents.back().x1, s->box.x0, s->box.x1)) {
      groups.back().push_back(s);
      extents.back().Extend(s->box);
    } else {
      groups.push_back({s});
      extents.push_back(s->box);
    }
  }
  std::vector<std::string> out;
  for (auto& g : groups) {
    std::sort(g.begin(), g.end(), [](const Segment* a, const Segment* b) {
      return a->box.y0 < b->box.y0;
    });
    std::string raw;
    for (const Segment* s : g) absl::StrAppend(&raw, s->text, "\n");
    std::string text = CellText(raw);
    if (!text.empty()) out.push_back(std::move(text));
  }
  return out;
}

// The steps of LayoutPage(), in order; each reads what the previous ones
// built. Not thread-safe (one per page).
class PageLayout {
 public:
  explicit PageLayout(const PdfPage& page) : page_(page) {}

  std::string Run() {
    SplitLines();
    JoinRotatedLabels();
    BuildRows();
    AttachLabels();
    ContinueWrappedLabels();
    JoinWrappedGroupLabels();
    BuildTextLines();
    OrderAndSplitTables();
    BuildColumns();
    AddHeaderOnlyColumns();
    return Write();
  }

 private:
  struct Item {
    double y;
    int row = -1;   // index into rows_, or
    int text = -1;  // index into text_lines_
  };

  // Drops page footers, glues units to numbers, and splits every pdftotext
  // line into numeric cells (a number with no text glued to it) and text
  // segments (split again at wide gaps).
  void SplitLines() {
    std::vector<std::vector<PdfWord>> lines;
    for (const PdfWord& w : page_.words) {
      if (w.line < 0) continue;
      if (w.line >= static_cast<int>(lines.size())) lines.resize(w.line + 1);
      lines[w.line].push_back(w);
    }
    // Line boxes by top, to find what shares a footer's height.
    std::vector<Box> boxes;
    for (auto& line : lines) {
      if (line.empty()) continue;
      Box b = BoxOf(line[0]);
      for (const PdfWord& w : line) b.Extend(BoxOf(w));
      boxes.push_back(b);
    }
    std::sort(boxes.begin(), boxes.end(),
              [](const Box& a, const Box& b) { return a.y0 < b.y0; });
    double tallest = 0;
    for (const Box& b : boxes) tallest = std::max(tallest, b.h());

    for (auto& line : lines) {
      if (line.empty()) continue;
      std::sort(line.begin(), line.end(),
                [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
      std::string joined;
      Box lbox = BoxOf(line[0]);
      for (const PdfWord& w : line) {
        joined += w.text;
        lbox.Extend(BoxOf(w));
      }
      if (IsFooter(joined, lbox, boxes, tallest)) continue;
      std::vector<PdfWord> words;
      for (const PdfWord& w : line) {
        if (!words.empty() && IsUnitWord(w.text) &&
            IsNumberToken(words.back().text) &&
            w.x0 - words.back().x1 < (w.y1 - w.y0)) {
          words.back().text += w.text;
          words.back().x1 = w.x1;
          continue;
        }
        words.push_back(w);
      }
      SplitWords(words);
    }
  }

  // "-3-", "第3页" in the top or bottom margin; a bare number there only
  // when no other line shares its height (a table's last row may sit low).
  bool IsFooter(const std::string& text, const Box& box,
                const std::vector<Box>& boxes, double tallest) const {
    if (!IsPageNumber(text) ||
        !(box.y0 > page_.height * 0.85 || box.y1 < page_.height * 0.12)) {
      return false;
    }
    bool bare = true;
    for (char c : text) bare = bare && absl::ascii_isdigit(static_cast<unsigned char>(c));
    if (!bare) return true;
    auto first = std::lower_bound(boxes.begin(), boxes.end(), box.y0 - tallest,
                                  [](const Box& b, double y) { return b.y0 < y; });
    for (auto it = first; it != boxes.end() && it->y0 <= box.y1; ++it) {
      bool same = it->x0 == box.x0 && it->y0 == box.y0 && it->x1 == box.x1;
      if (!same && Overlaps(it->y0, it->y1, box.y0, box.y1)) return false;
    }
    return true;
  }

  void SplitWords(const std::vector<PdfWord>& words) {
    Segment current;
    bool open = false;
    for (size_t i = 0; i < words.size(); ++i) {
      const PdfWord& w = words[i];
      double gap_limit = 0.8 * (w.y1 - w.y0);
      bool cell = IsNumberToken(w.text);
      if (cell && i > 0 && !IsNumberToken(words[i - 1].text) &&
          w.x0 - words[i - 1].x1 < gap_limit) {
        cell = false;
      }
      if (cell && i + 1 < words.size() && !IsNumberToken(words[i + 1].text) &&
          words[i + 1].x0 - w.x1 < gap_limit) {
        cell = false;
      }
      if (cell) {
        if (open) segments_.push_back(std::move(current));
        open = false;
        cells_.push_back({BoxOf(w), w.text});
        continue;
      }
      if (open && w.x0 - current.box.x1 > 1.2 * (w.y1 - w.y0)) {
        segments_.push_back(std::move(current));
        open = false;
      }
      if (!open) {
        current = Segment();
        current.box = BoxOf(w);
        current.block = w.block;
        current.text = w.text;
        current.word_height = w.y1 - w.y0;
        open = true;
      } else {
        current.word_height = std::max(current.word_height, w.y1 - w.y0);
        current.box.Extend(BoxOf(w));
        absl::StrAppend(&current.text, " ", w.text);
      }
    }
    if (open) segments_.push_back(std::move(current));
  }

  // Rotated labels: runs of ≥3 short segments stacked at the same x, and
  // single pdftotext lines whose words are stacked, become one vertical
  // segment written as its own line.
  void JoinRotatedLabels() {
    std::vector<size_t> cand;
    for (size_t i = 0; i < segments_.size(); ++i) {
      const Segment& s = segments_[i];
      if (CharCount(s.text) <= 3 && s.box.h() >= 0.9 * (s.box.x1 - s.box.x0)) {
        cand.push_back(i);
      }
    }
    // Columns of candidates (x0 within 2pt of the previous), each top-down.
    std::sort(cand.begin(), cand.end(), [&](size_t a, size_t b) {
      return segments_[a].box.x0 < segments_[b].box.x0;
    });
    std::vector<bool> erase(segments_.size(), false);
    std::vector<Segment> joined;
    for (size_t begin = 0; begin < cand.size();) {
      size_t end = begin + 1;
      while (end < cand.size() &&
             segments_[cand[end]].box.x0 - segments_[cand[end - 1]].box.x0 <= 2) {
        ++end;
      }
      std::sort(cand.begin() + begin, cand.begin() + end, [&](size_t a, size_t b) {
        return segments_[a].box.y0 < segments_[b].box.y0;
      });
      for (size_t i = begin; i < end;) {
        size_t j = i + 1;
        while (j < end && segments_[cand[j]].box.y0 - segments_[cand[j - 1]].box.y1 <= 4) ++j;
        if (j - i >= 3) {
          Segment v = segments_[cand[i]];
          v.vertical = true;
          v.text.clear();
          for (size_t k = i; k < j; ++k) {
            v.box.Extend(segments_[cand[k]].box);
            v.text += segments_[cand[k]].text;
            erase[cand[k]] = true;
          }
          joined.push_back(std::move(v));
        }
        i = j;
      }
      begin = end;
    }
    for (Segment& s : segments_) {
      if (s.box.h() > 2 * s.word_height && s.box.h() > (s.box.x1 - s.box.x0)) {
        s.vertical = true;
        s.text = absl::StrReplaceAll(s.text, {{" ", ""}});
      }
    }
    std::vector<Segment> kept;
    for (size_t i = 0; i < segments_.size(); ++i) {
      if (!erase[i]) kept.push_back(std::move(segments_[i]));
    }
    for (Segment& v : joined) kept.push_back(std::move(v));
    segments_ = std::move(kept);
  }

  // Numeric cells clustered into rows by vertical centre; rows sorted by
  // centre, cells left to right.
  void BuildRows() {
    std::sort(cells_.begin(), cells_.end(), [](const NumCell& a, const NumCell& b) {
      return a.box.yc() < b.box.yc();
    });
    for (NumCell& c : cells_) {
      if (!rows_.empty()) {
        Row& r = rows_.back();
        double tol = 0.5 * std::max(r.height, c.box.h());
        if (std::fabs(c.box.yc() - r.box.yc()) <= tol) {
          r.box.Extend(c.box);
          r.height = std::max(r.height, c.box.h());
          r.cells.push_back(std::move(c));
          continue;
        }
      }
      Row r;
      r.box = c.box;
      r.height = c.box.h();
      r.cells.push_back(std::move(c));
      rows_.push_back(std::move(r));
    }
    std::stable_sort(rows_.begin(), rows_.end(), [](const Row& a, const Row& b) {
      return a.box.yc() < b.box.yc();
    });
    for (Row& r : rows_) {
      std::sort(r.cells.begin(), r.cells.end(),
                [](const NumCell& a, const NumCell& b) { return a.box.x0 < b.box.x0; });
    }
  }

  // A text segment left of a row's first cell whose centre is within 0.6
  // row heights of the row's centre labels that row.
  void AttachLabels() {
    for (Segment& s : segments_) {
      if (s.vertical || rows_.empty()) continue;
      double yc = s.box.yc();
      auto it = std::lower_bound(rows_.begin(), rows_.end(), yc,
                                 [](const Row& r, double y) { return r.box.yc() < y; });
      int best = -1;
      double best_d = 0;
      for (auto cand : {it, it == rows_.begin() ? rows_.end() : it - 1}) {
        if (cand == rows_.end()) continue;
        double d = std::fabs(yc - cand->box.yc());
        if (best < 0 || d < best_d) {
          best = static_cast<int>(cand - rows_.begin());
          best_d = d;
        }
      }
      const Row& r = rows_[best];
      if (best_d <= 0.6 * r.height && s.box.x1 <= r.cells.front().box.x0 + 2) {
        s.row = best;
      }
    }
    // Top-to-bottom order for the neighbour searches that follow.
    std::sort(segments_.begin(), segments_.end(),
              [](const Segment& a, const Segment& b) { return a.box.y0 < b.box.y0; });
    for (const Segment& seg : segments_) {
      if (!seg.vertical) max_height_ = std::max(max_height_, seg.box.h());
    }
  }

  // Calls fn(index) for the non-vertical segments whose top lies within
  // [y_lo, y_hi]; stops when fn returns true.
  template <typename Fn>
  void Scan(double y_lo, double y_hi, const Fn& fn) const {
    auto first = std::lower_bound(
        segments_.begin(), segments_.end(), y_lo,
        [](const Segment& a, double y) { return a.box.y0 < y; });
    for (auto it = first; it != segments_.end() && it->box.y0 <= y_hi; ++it) {
      if (!it->vertical && fn(static_cast<size_t>(it - segments_.begin()))) return;
    }
  }

  // Consecutive lines of one cell: tight spacing, overlapping x-ranges.
  static bool CloseLines(const Segment& upper, const Segment& lower) {
    double gap = lower.box.y0 - upper.box.y1;
    double line = std::max(upper.word_height, lower.word_height);
    return gap <= 0.6 * line && gap >= -0.3 * line &&
           Overlaps(upper.box.x0, upper.box.x1, lower.box.x0, lower.box.x1);
  }

  bool LeftOfCells(const Segment& s, int row) const {
    return s.box.x1 <= rows_[row].cells.front().box.x0 + 2;
  }

  // Continuation lines of a wrapped label: an unattached segment right
  // below a row's label belongs to the same cell when it does not start a
  // new item and is not wider (top-down, so chains of lines follow); one
  // right above belongs to it when it opens the item ("1. …") (bottom-up).
  void ContinueWrappedLabels() {
    for (size_t i = 0; i < segments_.size(); ++i) {
      Segment& s = segments_[i];
      if (s.row >= 0 || s.vertical || StartsWithEnumerator(s.text)) continue;
      Scan(s.box.y0 - 2 * max_height_, s.box.y0, [&](size_t j) {
        const Segment& a = segments_[j];
        if (j == i || a.row < 0 || a.box.y0 >= s.box.y0 || !CloseLines(a, s) ||
            s.box.x0 < a.box.x0 - 2 || s.box.x1 > a.box.x1 + 2 || !LeftOfCells(s, a.row)) {
          return false;
        }
        s.row = a.row;
        return true;
      });
    }
    for (size_t i = segments_.size(); i-- > 0;) {
      Segment& s = segments_[i];
      if (s.row >= 0 || s.vertical || !StartsWithEnumerator(s.text)) continue;
      Scan(s.box.y0, s.box.y1 + max_height_, [&](size_t j) {
        const Segment& a = segments_[j];
        if (j == i || a.row < 0 || a.box.y0 <= s.box.y0 || StartsWithEnumerator(a.text) ||
            !CloseLines(s, a) || !LeftOfCells(s, a.row)) {
          return false;
        }
        s.row = a.row;
        return true;
      });
    }
  }

  // A group label (not the rightmost label of its row) wrapped over two
  // rows' heights: its lower line joins the upper one's row (top-down).
  void JoinWrappedGroupLabels() {
    std::vector<double> rightmost_x0(rows_.size(), -1);
    for (const Segment& seg : segments_) {
      if (seg.row >= 0) rightmost_x0[seg.row] = std::max(rightmost_x0[seg.row], seg.box.x0);
    }
    auto is_leaf = [&](const Segment& seg) { return rightmost_x0[seg.row] <= seg.box.x1; };
    for (size_t i = 0; i < segments_.size(); ++i) {
      Segment& s = segments_[i];
      if (s.row < 0 || s.vertical || StartsWithEnumerator(s.text) || is_leaf(s)) continue;
      Scan(s.box.y0 - 2 * max_height_, s.box.y0, [&](size_t j) {
        const Segment& a = segments_[j];
        if (j == i || a.row < 0 || a.row == s.row || a.box.y0 >= s.box.y0 || is_leaf(a) ||
            !CloseLines(a, s)) {
          return false;
        }
        s.row = a.row;
        return true;
      });
    }
  }

  // Segments that label no row: text lines by vertical centre (a rotated
  // label is a line of its own, placed at its top).
  void BuildTextLines() {
    std::vector<const Segment*> loose;
    for (const Segment& s : segments_) {
      if (s.row < 0) loose.push_back(&s);
    }
    std::stable_sort(loose.begin(), loose.end(), [](const Segment* a, const Segment* b) {
      return SortY(*a) < SortY(*b);
    });
    for (const Segment* s : loose) {
      if (!text_lines_.empty() && !s->vertical &&
          !text_lines_.back().segments.front()->vertical) {
        TextLine& t = text_lines_.back();
        double tol = 0.5 * std::max(t.box.h(), s->box.h());
        if (std::fabs(s->box.yc() - t.box.yc()) <= tol) {
          t.segments.push_back(s);
          t.box.Extend(s->box);
          continue;
        }
      }
      text_lines_.push_back({{s}, s->box});
    }
  }

  static double SortY(const Segment& s) { return s.vertical ? s.box.y0 : s.box.yc(); }

  // Rows and text lines in reading order; a table is a run of rows not
  // interrupted by a text line reaching into their numeric columns.
  void OrderAndSplitTables() {
    for (size_t i = 0; i < rows_.size(); ++i) {
      items_.push_back({rows_[i].box.yc(), static_cast<int>(i), -1});
    }
    for (size_t i = 0; i < text_lines_.size(); ++i) {
      const TextLine& t = text_lines_[i];
      items_.push_back({SortY(*t.segments.front()), -1, static_cast<int>(i)});
    }
    std::stable_sort(items_.begin(), items_.end(),
                     [](const Item& a, const Item& b) { return a.y < b.y; });
    table_of_.assign(rows_.size(), -1);
    int table = -1;
    bool open = false;
    Box area;
    for (const Item& it : items_) {
      if (it.row >= 0) {
        const Row& r = rows_[it.row];
        Box cells_box = r.cells.front().box;
        for (const NumCell& c : r.cells) cells_box.Extend(c.box);
        if (!open) {
          ++table;
          open = true;
          area = cells_box;
        } else {
          area.Extend(cells_box);
        }
        table_of_[it.row] = table;
      } else if (open) {
        const TextLine& t = text_lines_[it.text];
        if (Overlaps(t.box.x0, t.box.x1, area.x0, area.x1)) open = false;
      }
    }
    columns_.resize(table + 1);
  }

  // Columns of each table: union of overlapping cell x-ranges.
  void BuildColumns() {
    for (size_t i = 0; i < rows_.size(); ++i) {
      for (const NumCell& c : rows_[i].cells) {
        columns_[table_of_[i]].push_back({c.box.x0, c.box.x1});
      }
    }
    for (auto& cols : columns_) {
      std::sort(cols.begin(), cols.end());
      std::vector<std::pair<double, double>> merged;
      for (const auto& c : cols) {
        if (!merged.empty() && c.first <= merged.back().second + 1) {
          merged.back().second = std::max(merged.back().second, c.second);
        } else {
          merged.push_back(c);
        }
      }
      cols = std::move(merged);
    }
  }

  // A column left blank in every row of a table still has a header: the
  // lowest header boxes (no header text below them) right of the labels
  // that overlap no numeric column add an empty column, so a blank cell is
  // written empty in place instead of shifting its neighbours.
  void AddHeaderOnlyColumns() {
    std::vector<int> first_item(columns_.size(), -1);
    for (size_t k = 0; k < items_.size(); ++k) {
      int r = items_[k].row;
      if (r >= 0 && first_item[table_of_[r]] < 0) first_item[table_of_[r]] = static_cast<int>(k);
    }
    for (size_t t = 0; t < columns_.size(); ++t) {
      auto& cols = columns_[t];
      if (first_item[t] < 0 || cols.empty()) continue;
      const Row& first = rows_[items_[first_item[t]].row];
      double area_x0 = cols.front().first;
      std::vector<const Segment*> header;
      for (int k = first_item[t] - 1; k >= 0; --k) {
        if (items_[k].row >= 0) break;  // the previous table
        const TextLine& tl = text_lines_[items_[k].text];
        if (first.box.y0 - tl.box.y1 > 150) break;
        if (tl.box.x1 - tl.box.x0 > 0.6 * page_.width) break;  // a paragraph
        for (const Segment* seg : tl.segments) {
          if (!seg->vertical && (seg->box.x0 + seg->box.x1) / 2 >= area_x0 - 5) {
            header.push_back(seg);
          }
        }
      }
      std::vector<std::pair<double, double>> extra;
      for (const Segment* h : header) {
        bool leaf = true, overlaps = false;
        for (const Segment* g : header) {
          if (g != h && g->box.y0 > h->box.y0 + 0.5 * h->box.h() &&
              Overlaps(g->box.x0, g->box.x1, h->box.x0, h->box.x1)) {
            leaf = false;
          }
        }
        for (const auto* list : {&cols, &extra}) {
          for (const auto& c : *list) {
            overlaps = overlaps || Overlaps(c.first, c.second, h->box.x0, h->box.x1, 1);
          }
        }
        if (leaf && !overlaps) extra.push_back({h->box.x0, h->box.x1});
      }
      cols.insert(cols.end(), extra.begin(), extra.end());
      std::sort(cols.begin(), cols.end());
    }
  }

  std::string Write() const {
    std::vector<std::vector<const Segment*>> labels(rows_.size());
    for (const Segment& s : segments_) {
      if (s.row >= 0) labels[s.row].push_back(&s);
    }
    std::string out;
    for (const Item& it : items_) {
      std::vector<std::string> fields;
      if (it.row >= 0) {
        fields = LabelCells(labels[it.row]);
        const auto& cols = columns_[table_of_[it.row]];
        std::vector<std::string> slots(cols.size());
        for (const NumCell& c : rows_[it.row].cells) {
          size_t k = 0;
          while (k + 1 < cols.size() && c.box.x0 > cols[k].second + 1) ++k;
          if (!slots[k].empty()) slots[k] += " ";
          slots[k] += c.text;
        }
        for (std::string& s : slots) fields.push_back(std::move(s));
      } else {
        std::vector<const Segment*> segs = text_lines_[it.text].segments;
        std::sort(segs.begin(), segs.end(), [](const Segment* a, const Segment* b) {
          return a->box.x0 < b->box.x0;
        });
        for (const Segment* s : segs) {
          std::string text = CellText(s->text);
          if (!text.empty()) fields.push_back(std::move(text));
        }
        if (fields.empty()) continue;
      }
      absl::StrAppend(&out, absl::StrJoin(fields, "\t"), "\n");
    }
    return out;
  }

  const PdfPage& page_;
  std::vector<Segment> segments_;
  std::vector<NumCell> cells_;
  std::vector<Row> rows_;
  std::vector<TextLine> text_lines_;
  std::vector<Item> items_;
  std::vector<int> table_of_;  // row → table
  std::vector<std::vector<std::pair<double, double>>> columns_;  // per table
  double max_height_ = 0;  // tallest non-vertical segment
};

}  // namespace

std::string LayoutPage(const PdfPage& page) { return PageLayout(page).Run(); }

namespace {

double NumAttr(const xmlNode* node, const char* name) {
  xmlChar* v = xmlGetProp(node, reinterpret_cast<const xmlChar*>(name));
  double d = 0;
  if (v != nullptr) {
    if (!absl::SimpleAtod(reinterpret_cast<const char*>(v), &d)) d = 0;
    xmlFree(v);
  }
  return d;
}

bool Named(const xmlNode* node, const char* name) {
  return node->type == XML_ELEMENT_NODE &&
         std::strcmp(reinterpret_cast<const char*>(node->name), name) == 0;
}

struct XmlDocFree {
  void operator()(xmlDoc* d) const { xmlFreeDoc(d); }
};

}  // namespace

absl::StatusOr<std::vector<PdfPage>> ParseBboxLayout(absl::string_view xhtml) {
  static std::once_flag xml_init;
  std::call_once(xml_init, [] { xmlInitParser(); });
  // Only <doc> is read: the <head> holds the document info dictionary, which
  // poppler copies byte for byte and may not be well-formed.
  size_t begin = xhtml.find("<doc>");
  size_t end = xhtml.rfind("</doc>");
  if (begin == absl::string_view::npos || end == absl::string_view::npos ||
      end < begin) {
    return absl::InvalidArgumentError("pdftotext output has no <doc> element");
  }
  absl::string_view doc_xml = xhtml.substr(begin, end + 6 - begin);
  std::unique_ptr<xmlDoc, XmlDocFree> doc(xmlReadMemory(
      doc_xml.data(), static_cast<int>(doc_xml.size()), "pdftotext.xml",
      "UTF-8", XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                   XML_PARSE_RECOVER));
  if (doc == nullptr) {
    return absl::InvalidArgumentError("pdftotext output is not well-formed");
  }
  std::vector<PdfPage> pages;
  const xmlNode* root = xmlDocGetRootElement(doc.get());
  for (const xmlNode* p = root ? root->children : nullptr; p; p = p->next) {
    if (!Named(p, "page")) continue;
    PdfPage page;
    page.width = NumAttr(p, "width");
    page.height = NumAttr(p, "height");
    int line_index = 0, block_index = 0;
    for (const xmlNode* f = p->children; f; f = f->next) {
      if (!Named(f, "flow")) continue;
      for (const xmlNode* b = f->children; b; b = b->next) {
        if (!Named(b, "block")) continue;
        for (const xmlNode* l = b->children; l; l = l->next) {
          if (!Named(l, "line")) continue;
          for (const xmlNode* w = l->children; w; w = w->next) {
            if (!Named(w, "word")) continue;
            PdfWord word;
            word.x0 = NumAttr(w, "xMin");
            word.y0 = NumAttr(w, "yMin");
            word.x1 = NumAttr(w, "xMax");
            word.y1 = NumAttr(w, "yMax");
            xmlChar* text = xmlNodeGetContent(w);
            if (text != nullptr) {
              word.text = reinterpret_cast<const char*>(text);
              xmlFree(text);
            }
            word.line = line_index;
            word.block = block_index;
            if (!word.text.empty()) page.words.push_back(std::move(word));
          }
          ++line_index;
        }
        ++block_index;
      }
    }
    pages.push_back(std::move(page));
  }
  return pages;
}

absl::StatusOr<ExtractedText> ReadPdf(absl::string_view bytes,
                                      const FormatLimits& limits) {
  ExtractedText result;
  result.container = Container::kPdf;
  bool has_eof = bytes.substr(bytes.size() > 1024 ? bytes.size() - 1024 : 0)
                     .find("%%EOF") != absl::string_view::npos;
  absl::StatusOr<SubprocessResult> run = RunSubprocess(
      // One page more than the limit, to tell "exactly N" from "more".
      {"pdftotext", "-bbox-layout", "-enc", "UTF-8", "-l",
       absl::StrCat(std::max(1, limits.max_pdf_pages) + 1), "-", "-"},
      bytes, limits.converter_timeout_ms, limits.max_unzipped_bytes);
  if (!run.ok()) return run.status();
  std::string first_error;
  for (absl::string_view line : absl::StrSplit(run->stderr_data, '\n')) {
    if (!line.empty()) {
      first_error = std::string(line);
      break;
    }
  }
  bool encrypted = absl::StrContains(run->stderr_data, "password") ||
                   absl::StrContains(run->stderr_data, "ncrypt");
  if (run->exit_code != 0) {
    if (encrypted) {
      return absl::InvalidArgumentError(
          "encrypted PDF: a password is needed to open it");
    }
    if (!has_eof) {
      return absl::InvalidArgumentError(absl::StrCat(
          "truncated PDF: no %%EOF trailer in the last 1 KiB of ", bytes.size(),
          " bytes (poppler: ", first_error, ")"));
    }
    return absl::InvalidArgumentError(absl::StrCat(
        "PDF could not be read (pdftotext exit ", run->exit_code, ": ",
        first_error, ")"));
  }
  absl::StatusOr<std::vector<PdfPage>> pages = ParseBboxLayout(run->stdout_data);
  if (!pages.ok()) return pages.status();
  size_t max_pages = static_cast<size_t>(std::max(1, limits.max_pdf_pages));
  bool more_pages = pages->size() > max_pages;
  if (more_pages) pages->resize(max_pages);
  size_t words = 0;
  for (const PdfPage& page : *pages) {
    words += page.words.size();
    result.text += LayoutPage(page);
  }
  if (words == 0) {
    if (!has_eof) {
      return absl::InvalidArgumentError(absl::StrCat(
          "truncated PDF: no %%EOF trailer in the last 1 KiB of ", bytes.size(),
          " bytes and no text could be recovered"));
    }
    return absl::InvalidArgumentError(
        "PDF has no text layer (a scanned image?): OCR is not supported");
  }
  if (!has_eof) {
    AddDiagnostic(&result, SEVERITY_WARNING, "format.pdf.truncated",
                  "PDF has no %%EOF trailer: poppler rebuilt it, pages may be missing");
  }
  if (more_pages) {
    AddDiagnostic(&result, SEVERITY_WARNING, "format.pdf.pages",
                  absl::StrCat("only the first ", max_pages,
                               " pages read (FormatLimits::max_pdf_pages)"));
  } else {
    AddDiagnostic(&result, SEVERITY_INFO, "format.pdf.pages",
                  absl::StrCat(pages->size(),
                               " page(s) read with pdftotext -bbox-layout"));
  }
  return result;
}

}  // namespace gongkai
