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

}  // namespace

std::string LayoutPage(const PdfPage& page) {
  // 1. Words by pdftotext line, left to right.
  std::vector<std::vector<PdfWord>> lines;
  for (const PdfWord& w : page.words) {
    if (w.line >= static_cast<int>(lines.size())) lines.resize(w.line + 1);
    lines[w.line].push_back(w);
  }
  std::vector<Segment> segments;
  std::vector<NumCell> cells;
  for (auto& line : lines) {
    if (line.empty()) continue;
    std::sort(line.begin(), line.end(),
              [](const PdfWord& a, const PdfWord& b) { return a.x0 < b.x0; });
    // 2. Page footers/headers.
    std::string joined;
    Box lbox = BoxOf(line[0]);
    for (const PdfWord& w : line) {
      joined += w.text;
      lbox.Extend(BoxOf(w));
    }
    if (IsPageNumber(joined) &&
        (lbox.y0 > page.height * 0.85 || lbox.y1 < page.height * 0.12)) {
      // A bare number is a footer only when nothing else shares its height
      // (a table's last row may sit this low too).
      bool bare = true;
      for (char c : joined) bare = bare && absl::ascii_isdigit(static_cast<unsigned char>(c));
      bool alone = true;
      if (bare) {
        for (const PdfWord& w : page.words) {
          if (w.line != line[0].line && Overlaps(w.y0, w.y1, lbox.y0, lbox.y1)) {
            alone = false;
            break;
          }
        }
      }
      if (!bare || alone) continue;
    }
    // 3. Glue units to the number before them ("10807.1713 万元").
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
    // 4. A number with no text glued to it is a cell; the rest is text.
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
        if (open) segments.push_back(std::move(current));
        open = false;
        cells.push_back({BoxOf(w), w.text});
        continue;
      }
      if (open && w.x0 - current.box.x1 > 1.2 * (w.y1 - w.y0)) {
        segments.push_back(std::move(current));
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
    if (open) segments.push_back(std::move(current));
  }

  // 5. Rotated labels: short, narrow segments stacked at the same x.
  {
    std::vector<size_t> cand;
    for (size_t i = 0; i < segments.size(); ++i) {
      const Segment& s = segments[i];
      if (CharCount(s.text) <= 3 && s.box.h() >= 0.9 * (s.box.x1 - s.box.x0)) {
        cand.push_back(i);
      }
    }
    std::sort(cand.begin(), cand.end(), [&](size_t a, size_t b) {
      const Box& x = segments[a].box;
      const Box& y = segments[b].box;
      return std::fabs(x.x0 - y.x0) > 2 ? x.x0 < y.x0 : x.y0 < y.y0;
    });
    std::vector<bool> erase(segments.size(), false);
    std::vector<Segment> joined;
    for (size_t i = 0; i < cand.size();) {
      size_t j = i + 1;
      while (j < cand.size()) {
        const Box& prev = segments[cand[j - 1]].box;
        const Box& next = segments[cand[j]].box;
        if (std::fabs(prev.x0 - next.x0) > 2 || next.y0 - prev.y1 > 4 ||
            next.y0 < prev.y0) {
          break;
        }
        ++j;
      }
      if (j - i >= 3) {
        Segment v;
        v.box = segments[cand[i]].box;
        v.vertical = true;
        v.block = segments[cand[i]].block;
        for (size_t k = i; k < j; ++k) {
          v.box.Extend(segments[cand[k]].box);
          v.text += segments[cand[k]].text;
          erase[cand[k]] = true;
        }
        joined.push_back(std::move(v));
      }
      i = j;
    }
    // A single pdftotext line whose words are stacked vertically.
    for (Segment& s : segments) {
      if (s.box.h() > 2 * s.word_height && s.box.h() > (s.box.x1 - s.box.x0)) {
        s.vertical = true;
        std::string compact;
        for (char c : s.text) {
          if (c != ' ') compact.push_back(c);
        }
        s.text = std::move(compact);
      }
    }
    std::vector<Segment> kept;
    for (size_t i = 0; i < segments.size(); ++i) {
      if (!erase[i]) kept.push_back(std::move(segments[i]));
    }
    for (Segment& v : joined) kept.push_back(std::move(v));
    segments = std::move(kept);
  }

  // 6. Numeric rows: cells clustered by vertical centre.
  std::sort(cells.begin(), cells.end(), [](const NumCell& a, const NumCell& b) {
    return a.box.yc() < b.box.yc();
  });
  std::vector<Row> rows;
  for (NumCell& c : cells) {
    if (!rows.empty()) {
      Row& r = rows.back();
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
    rows.push_back(std::move(r));
  }
  for (Row& r : rows) {
    std::sort(r.cells.begin(), r.cells.end(),
              [](const NumCell& a, const NumCell& b) { return a.box.x0 < b.box.x0; });
  }

  // 7. Labels: a text segment left of a row's first cell whose centre is
  // within 0.6 row heights of the row's centre labels that row. Rows are
  // sorted by centre, so the nearest is found by binary search.
  for (Segment& s : segments) {
    if (s.vertical || rows.empty()) continue;
    double yc = s.box.yc();
    auto it = std::lower_bound(rows.begin(), rows.end(), yc,
                               [](const Row& r, double y) { return r.box.yc() < y; });
    int best = -1;
    double best_d = 0;
    for (auto cand : {it, it == rows.begin() ? rows.end() : it - 1}) {
      if (cand == rows.end()) continue;
      double d = std::fabs(yc - cand->box.yc());
      if (best < 0 || d < best_d) {
        best = static_cast<int>(cand - rows.begin());
        best_d = d;
      }
    }
    const Row& r = rows[best];
    if (best_d <= 0.6 * r.height && s.box.x1 <= r.cells.front().box.x0 + 2) {
      s.row = best;
    }
  }

  // Segments in top-to-bottom order, for the neighbour searches below.
  std::sort(segments.begin(), segments.end(),
            [](const Segment& a, const Segment& b) { return a.box.y0 < b.box.y0; });
  double max_height = 0;
  for (const Segment& seg : segments) {
    if (!seg.vertical) max_height = std::max(max_height, seg.box.h());
  }
  // Calls fn(index) for the non-vertical segments whose top lies within
  // [y_lo, y_hi]; stops when fn returns true.
  auto scan = [&](double y_lo, double y_hi, const auto& fn) {
    auto first = std::lower_bound(
        segments.begin(), segments.end(), y_lo,
        [](const Segment& a, double y) { return a.box.y0 < y; });
    for (auto it = first; it != segments.end() && it->box.y0 <= y_hi; ++it) {
      if (!it->vertical && fn(static_cast<size_t>(it - segments.begin()))) return;
    }
  };
  auto close_lines = [](const Segment& upper, const Segment& lower) {
    double gap = lower.box.y0 - upper.box.y1;
    double line = std::max(upper.word_height, lower.word_height);
    return gap <= 0.6 * line && gap >= -0.3 * line &&
           Overlaps(upper.box.x0, upper.box.x1, lower.box.x0, lower.box.x1);
  };

  // 7b. Continuation lines of a wrapped label: an unattached segment right
  // below a row's label belongs to the same cell when it does not start a
  // new item and is not wider (top-down pass, so chains of lines follow);
  // one right above belongs to it when it opens the item ("1. …")
  // (bottom-up pass).
  for (size_t i = 0; i < segments.size(); ++i) {
    Segment& s = segments[i];
    if (s.row >= 0 || s.vertical || StartsWithEnumerator(s.text)) continue;
    scan(s.box.y0 - 2 * max_height, s.box.y0, [&](size_t j) {
      const Segment& a = segments[j];
      if (j == i || a.row < 0 || a.box.y0 >= s.box.y0 || !close_lines(a, s) ||
          s.box.x0 < a.box.x0 - 2 || s.box.x1 > a.box.x1 + 2 ||
          s.box.x1 > rows[a.row].cells.front().box.x0 + 2) {
        return false;
      }
      s.row = a.row;
      return true;
    });
  }
  for (size_t i = segments.size(); i-- > 0;) {
    Segment& s = segments[i];
    if (s.row >= 0 || s.vertical || !StartsWithEnumerator(s.text)) continue;
    scan(s.box.y0, s.box.y1 + max_height, [&](size_t j) {
      const Segment& a = segments[j];
      if (j == i || a.row < 0 || a.box.y0 <= s.box.y0 ||
          StartsWithEnumerator(a.text) || !close_lines(s, a) ||
          s.box.x1 > rows[a.row].cells.front().box.x0 + 2) {
        return false;
      }
      s.row = a.row;
      return true;
    });
  }

  // 7c. A group label (not the rightmost label of its row) wrapped over two
  // rows' heights: its lower line joins the upper one's row (top-down).
  std::vector<double> rightmost_x0(rows.size(), -1);
  for (const Segment& seg : segments) {
    if (seg.row >= 0) rightmost_x0[seg.row] = std::max(rightmost_x0[seg.row], seg.box.x0);
  }
  auto is_leaf = [&](const Segment& seg) {
    return rightmost_x0[seg.row] <= seg.box.x1;
  };
  for (size_t i = 0; i < segments.size(); ++i) {
    Segment& s = segments[i];
    if (s.row < 0 || s.vertical || StartsWithEnumerator(s.text) || is_leaf(s)) {
      continue;
    }
    scan(s.box.y0 - 2 * max_height, s.box.y0, [&](size_t j) {
      const Segment& a = segments[j];
      if (j == i || a.row < 0 || a.row == s.row || a.box.y0 >= s.box.y0 ||
          is_leaf(a) || !close_lines(a, s)) {
        return false;
      }
      s.row = a.row;
      return true;
    });
  }

  // 8. Remaining segments: text lines by vertical centre.
  std::vector<const Segment*> loose;
  for (const Segment& s : segments) {
    if (s.row < 0) loose.push_back(&s);
  }
  std::sort(loose.begin(), loose.end(), [](const Segment* a, const Segment* b) {
    double ya = a->vertical ? a->box.y0 : a->box.yc();
    double yb = b->vertical ? b->box.y0 : b->box.yc();
    return ya < yb;
  });
  std::vector<TextLine> text_lines;
  for (const Segment* s : loose) {
    if (!text_lines.empty() && !s->vertical &&
        !text_lines.back().segments.front()->vertical) {
      TextLine& t = text_lines.back();
      double tol = 0.5 * std::max(t.box.h(), s->box.h());
      if (std::fabs(s->box.yc() - t.box.yc()) <= tol) {
        t.segments.push_back(s);
        t.box.Extend(s->box);
        continue;
      }
    }
    text_lines.push_back({{s}, s->box});
  }

  // 9. Items in reading order; tables are runs of rows not interrupted by a
  // text line reaching into their numeric columns.
  struct Item {
    double y;
    int row = -1;
    int text = -1;
  };
  std::vector<Item> items;
  for (size_t i = 0; i < rows.size(); ++i) {
    items.push_back({rows[i].box.yc(), static_cast<int>(i), -1});
  }
  for (size_t i = 0; i < text_lines.size(); ++i) {
    const TextLine& t = text_lines[i];
    double y = t.segments.front()->vertical ? t.box.y0 : t.box.yc();
    items.push_back({y, -1, static_cast<int>(i)});
  }
  std::stable_sort(items.begin(), items.end(),
                   [](const Item& a, const Item& b) { return a.y < b.y; });
  std::vector<int> table_of(rows.size(), -1);
  {
    int table = -1;
    bool open = false;
    Box area;
    for (const Item& it : items) {
      if (it.row >= 0) {
        const Row& r = rows[it.row];
        Box cells_box = r.cells.front().box;
        for (const NumCell& c : r.cells) cells_box.Extend(c.box);
        if (!open) {
          ++table;
          open = true;
          area = cells_box;
        } else {
          area.Extend(cells_box);
        }
        table_of[it.row] = table;
      } else if (open) {
        const TextLine& t = text_lines[it.text];
        if (Overlaps(t.box.x0, t.box.x1, area.x0, area.x1)) open = false;
      }
    }
  }
  // Columns of each table: union of overlapping cell x-ranges.
  std::vector<std::vector<std::pair<double, double>>> columns;
  for (size_t i = 0; i < rows.size(); ++i) {
    int t = table_of[i];
    if (t >= static_cast<int>(columns.size())) columns.resize(t + 1);
    for (const NumCell& c : rows[i].cells) columns[t].push_back({c.box.x0, c.box.x1});
  }
  for (auto& cols : columns) {
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
  // A column left blank in every row of a table still has a header: the
  // lowest header boxes (no header text below them) right of the labels
  // that overlap no numeric column add an empty column, so a blank cell is
  // written empty in place instead of shifting its neighbours.
  {
    std::vector<int> first_item(columns.size(), -1);
    for (size_t k = 0; k < items.size(); ++k) {
      int r = items[k].row;
      if (r >= 0 && first_item[table_of[r]] < 0) first_item[table_of[r]] = static_cast<int>(k);
    }
    for (size_t t = 0; t < columns.size(); ++t) {
      if (first_item[t] < 0 || columns[t].empty()) continue;
      auto& cols = columns[t];
      const Row& first = rows[items[first_item[t]].row];
      double area_x0 = cols.front().first;
      std::vector<const Segment*> header;
      for (int k = first_item[t] - 1; k >= 0; --k) {
        if (items[k].row >= 0) break;  // the previous table
        const TextLine& tl = text_lines[items[k].text];
        if (first.box.y0 - tl.box.y1 > 150) break;
        if (tl.box.x1 - tl.box.x0 > 0.6 * page.width) break;  // a paragraph
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
        for (const auto& c : cols) overlaps = overlaps || Overlaps(c.first, c.second, h->box.x0, h->box.x1, 1);
        for (const auto& c : extra) overlaps = overlaps || Overlaps(c.first, c.second, h->box.x0, h->box.x1, 1);
        if (leaf && !overlaps) extra.push_back({h->box.x0, h->box.x1});
      }
      if (extra.empty()) continue;
      cols.insert(cols.end(), extra.begin(), extra.end());
      std::sort(cols.begin(), cols.end());
    }
  }

  // 10. Write.
  std::vector<std::vector<const Segment*>> labels(rows.size());
  for (const Segment& s : segments) {
    if (s.row >= 0) labels[s.row].push_back(&s);
  }
  std::string out;
  for (const Item& it : items) {
    std::vector<std::string> fields;
    if (it.row >= 0) {
      const Row& r = rows[it.row];
      fields = LabelCells(labels[it.row]);
      const auto& cols = columns[table_of[it.row]];
      std::vector<std::string> slots(cols.size());
      for (const NumCell& c : r.cells) {
        size_t k = 0;
        while (k + 1 < cols.size() && c.box.x0 > cols[k].second + 1) ++k;
        if (!slots[k].empty()) slots[k] += " ";
        slots[k] += c.text;
      }
      for (std::string& s : slots) fields.push_back(std::move(s));
    } else {
      std::vector<const Segment*> segs = text_lines[it.text].segments;
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
      {"pdftotext", "-bbox-layout", "-enc", "UTF-8", "-l",
       absl::StrCat(std::max(1, limits.max_pdf_pages)), "-", "-"},
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
  AddDiagnostic(&result, SEVERITY_INFO, "format.pdf.pages",
                absl::StrCat(pages->size(), " page(s) read with pdftotext -bbox-layout",
                             static_cast<int>(pages->size()) >= limits.max_pdf_pages
                                 ? " (FormatLimits::max_pdf_pages reached)"
                                 : ""));
  return result;
}

}  // namespace gongkai
