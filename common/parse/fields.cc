#include "common/parse/fields.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "absl/base/attributes.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"

namespace gongkai {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// The digits of data[i, n) from i, valued into *whole: returns the end of
// the run, or `i` when the run is empty or longer than 10 digits (plain
// values up to 10 digits are under Decimal's 9.2e10 range).
size_t ScanDigits(const char* data, size_t i, size_t n, int64_t* whole) {
  const size_t start = i;
  const size_t limit = std::min(n, i + 11);
  int64_t w = 0;
  for (; i < limit && IsDigit(data[i]); ++i) w = w * 10 + (data[i] - '0');
  if (i - start > 10) return start;
  *whole = w;
  return i;
}

// Whether a cell's trimmed text starting with `c` may be a number (labels
// are rejected on their first byte): a number starts with a digit, a sign
// or a separator, an OCR zero (Ů ů О о) with 0xC5 or 0xD0.
bool MayStartNumber(char c) {
  const unsigned char u = c;
  return IsDigit(c) || c == ',' || c == '.' || c == '-' || c == '+' || u == 0xC5 || u == 0xD0;
}

// Longest digit run kept (a table 四 row of 15 multi-digit cells fits).
constexpr size_t kMaxRunDigits = 96;

constexpr absl::string_view kOcrZeros[] = {"Ů", "ů", "О", "о"};

absl::string_view TrimSpaces(absl::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Strips a trailing 万元 / 元 unit (with spaces before it).
absl::string_view StripUnit(absl::string_view s, bool* yuan, bool* wan) {
  *yuan = *wan = false;
  if (absl::ConsumeSuffix(&s, "万元")) {
    *wan = true;
  } else if (absl::ConsumeSuffix(&s, "元")) {
    *yuan = true;
  }
  return TrimSpaces(s);
}

// Removes valid thousands separators; nullopt when commas are misplaced.
std::optional<std::string> DropThousands(absl::string_view s) {
  if (s.find(',') == absl::string_view::npos) return std::string(s);
  size_t start = (s[0] == '-' || s[0] == '+') ? 1 : 0;
  size_t dot = s.find('.');
  absl::string_view whole =
      s.substr(start, dot == absl::string_view::npos ? s.npos : dot - start);
  // Groups: 1-3 digits, then ",ddd" groups.
  size_t first = whole.find(',');
  if (first == 0 || first > 3) return std::nullopt;
  for (size_t i = first; i < whole.size(); i += 4) {
    if (whole[i] != ',' || i + 4 > whole.size()) return std::nullopt;
    for (size_t k = 1; k <= 3; ++k) {
      if (!IsDigit(whole[i + k])) return std::nullopt;
    }
  }
  std::string out;
  for (char c : s) {
    if (c != ',') out.push_back(c);
  }
  return out;
}

// A digit run too long for one Decimal but short enough to be several
// cells glued together (a flattened table row).
bool IsLongRun(absl::string_view s) {
  if (s.size() > kMaxRunDigits) return false;
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  size_t dot = s.find('.');
  absl::string_view whole = s.substr(0, dot);
  if (whole.size() < 11) return false;  // shorter values fit a Decimal
  for (char c : whole) {
    if (!IsDigit(c)) return false;
  }
  if (dot != absl::string_view::npos) {
    absl::string_view fraction = s.substr(dot + 1);
    if (fraction.empty()) return false;
    for (char c : fraction) {
      if (!IsDigit(c)) return false;
    }
  }
  return true;
}

// The first three bytes of `s` (size >= 3) as one integer: a 3-byte UTF-8
// character compares in one step.
constexpr uint32_t Pack3(absl::string_view s) {
  return static_cast<uint32_t>(static_cast<unsigned char>(s[0])) << 16 |
         static_cast<uint32_t>(static_cast<unsigned char>(s[1])) << 8 |
         static_cast<unsigned char>(s[2]);
}

// True when `rest` (the text right after a number) makes the number a date,
// a reference or a quantity in prose ("2020年", "第3条", "859件", "12.3%")
// rather than a table cell: table cells are followed by the next label.
// Every number in a report's text is checked, so the one-character units
// are compared packed (Pack3), not with one StartsWith each.
bool IsProseQuantity(absl::string_view rest) {
  if (rest.empty()) return false;
  if (rest[0] == '%' || rest[0] == '/') return true;
  if (rest.size() < 3) return false;
  static constexpr uint32_t kUnits[] = {
      Pack3("年"), Pack3("月"), Pack3("日"), Pack3("号"), Pack3("条"), Pack3("项"),
      Pack3("件"), Pack3("个"), Pack3("次"), Pack3("人"), Pack3("家"), Pack3("余"),
      Pack3("倍"), Pack3("天"), Pack3("份"), Pack3("篇"), Pack3("期"), Pack3("场"),
      Pack3("名"), Pack3("岁")};
  const uint32_t first = Pack3(rest);
  for (uint32_t unit : kUnits) {
    if (first == unit) return true;
  }
  if (first == Pack3("万")) return !absl::StartsWith(rest, "万元");
  return first == Pack3("小") && absl::StartsWith(rest, "小时");
}

// Appends the numbers embedded in a piece of label text, e.g. the run in
// "申请数量640020470" or "-18538" in "2648-18538". A run directly followed
// by '.' and no digit is an enumerator (its last digit belongs to the next
// label: "…政府信息4910000502.没有…"); dates, references and prose
// quantities (IsProseQuantity) are skipped.
void AppendEmbeddedNumbers(absl::string_view text, size_t base,
                           std::vector<Field>* out) {
  size_t i = 0;
  while (i < text.size()) {
    if (!IsDigit(text[i])) {
      ++i;
      continue;
    }
    size_t start = i;
    if (start > 0 && (text[start - 1] == '-' || text[start - 1] == '+')) {
      // A sign belongs to the number unless it joins two letters/words.
      --start;
    }
    size_t j = i;
    while (j < text.size() &&
           (IsDigit(text[j]) ||
            ((text[j] == '.' || text[j] == ',') && j + 1 < text.size() &&
             IsDigit(text[j + 1])))) {
      ++j;
    }
    size_t end = j;
    absl::string_view rest = text.substr(end);
    i = j;
    if (!rest.empty() && rest[0] == '.') {
      // Enumerator of the next label: drop its last digit.
      end -= 1;
      if (end <= start || (end == start + 1 && !IsDigit(text[start]))) {
        continue;
      }
      if (!IsDigit(text[end - 1])) continue;
    }
    if (IsProseQuantity(rest) || (start > 0 && text[start - 1] == '/')) {
      continue;
    }
    absl::string_view number = text.substr(start, end - start);
    // A unit glued after the number.
    size_t unit_end = end;
    bool yuan = false, wan = false;
    if (end == j) {
      absl::string_view after = TrimSpaces(text.substr(end));
      if (absl::StartsWith(after, "万元")) {
        wan = true;
        unit_end = text.size() - after.size() + std::string("万元").size();
      } else if (absl::StartsWith(after, "元")) {
        yuan = true;
        unit_end = text.size() - after.size() + std::string("元").size();
      }
    }
    auto plain = DropThousands(number);
    if (!plain) continue;
    auto value = Decimal::Parse(*plain);
    const bool overflow = !value && IsLongRun(*plain);
    if (!value && !overflow) continue;
    Field f;
    f.number.text = *plain;
    f.number.value = value.value_or(Decimal());
    f.number.overflow = overflow;
    f.number.yuan = yuan;
    f.number.wan = wan;
    f.begin = base + start;
    f.end = base + unit_end;
    f.glued = true;
    out->push_back(std::move(f));
  }
}

// True when the whole line holding text[line_start, line_end) (it may
// start before line_start) reads "| a | b |": outer bars at both ends and
// bars padded with spaces, as markdown writes them. A bare "|a||0|" row
// has no border: its first and last pieces are cells.
bool IsBorderedRow(absl::string_view text, size_t line_start, size_t line_end) {
  size_t start = line_start;
  while (start > 0 && text[start - 1] != '\n') --start;
  absl::string_view row = TrimSpaces(text.substr(start, line_end - start));
  if (row.size() < 2 || row.front() != '|' || row.back() != '|') return false;
  // Markdown ends the row with " |" (checked first), else pads a bar inside.
  return row[row.size() - 2] == ' ' || absl::StrContains(row, " |");
}

// The index of the first byte at or after `i` in data[0, n) that is not a
// space (aligned layouts pad cells with long runs of spaces: eight bytes
// are compared at a time).
size_t SkipSpaces(const char* data, size_t i, size_t n) {
  constexpr uint64_t kSpaces = 0x2020202020202020u;
  for (; i + 8 <= n; i += 8) {
    uint64_t word;
    std::memcpy(&word, data + i, 8);
    word ^= kSpaces;
    if (word != 0) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
      return i + __builtin_ctzll(word) / 8;
#else
      break;
#endif
    }
  }
  while (i < n && data[i] == ' ') ++i;
  return i;
}

bool IsMarkdownRule(absl::string_view line) {
  // Most lines are rejected on their first byte that is not a space.
  const size_t first =
      !line.empty() && line[0] == ' ' ? SkipSpaces(line.data(), 0, line.size()) : 0;
  if (first == line.size() ||
      (line[first] != '-' && line[first] != '|' && line[first] != ':' &&
       line[first] != '\t' && line[first] != '\r')) {
    return false;
  }
  bool dash = false;
  for (char c : line.substr(first)) {
    if (c == '-') {
      dash = true;
    } else if (c != '|' && c != ':' && c != ' ' && c != '\t' && c != '\r') {
      return false;
    }
  }
  return dash;
}

}  // namespace

size_t FieldGroup::NumberCount() const {
  size_t n = 0;
  for (const Field& f : fields) n += f.blank ? 0 : 1;
  return n;
}

std::optional<ParsedNumber> ParseCellNumber(absl::string_view text) {
  ParsedNumber n;
  if (!ParseCellNumberInto(text, &n)) return std::nullopt;
  return n;
}

bool ParseCellNumberInto(absl::string_view text, ParsedNumber* out) {
  ParsedNumber& n = *out;
  n.yuan = n.wan = n.ocr_zero = n.overflow = false;
  text = TrimSpaces(text);
  if (text.empty()) return false;
  // Fast path, most cells: up to 10 plain digits, valued here as
  // Decimal::Parse would.
  if (int64_t whole; ScanDigits(text.data(), 0, text.size(), &whole) == text.size()) {
    n.text.assign(text.data(), text.size());
    n.value = Decimal::FromInt(whole);
    return true;
  }
  if (!MayStartNumber(text[0])) return false;
  for (absl::string_view zero : kOcrZeros) {
    if (text == zero) {
      n.text = "0";
      n.value = Decimal();
      n.ocr_zero = true;
      return true;
    }
  }
  text = StripUnit(text, &n.yuan, &n.wan);
  if (text.empty()) return false;
  // Cheap reject before any allocation: digits, sign, separators only.
  for (char c : text) {
    if (!IsDigit(c) && c != ',' && c != '.' && c != '-' && c != '+') {
      return false;
    }
  }
  auto plain = DropThousands(text);
  if (!plain) return false;
  auto value = Decimal::Parse(*plain);
  n.overflow = !value && IsLongRun(*plain);
  if (!value && !n.overflow) return false;
  if ((*plain)[0] == '+') plain->erase(0, 1);
  n.text = *std::move(plain);
  n.value = value.value_or(Decimal());
  return true;
}

std::vector<FieldGroup> ReadFieldGroups(absl::string_view text, size_t begin,
                                        size_t end) {
  std::vector<FieldGroup> groups;
  groups.resize(ReadFieldGroupsInto(text, begin, end, &groups));
  return groups;
}

namespace {

// Adds a default field to `group` (one allocation for a whole table row:
// table 四 has 15 cells).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline Field& AddField(FieldGroup* group) {
  if (group->fields.capacity() == 0) group->fields.reserve(16);
  return group->fields.emplace_back();
}

// Adds the plain number text[0, size) at `offset`, valued `whole` (as
// ParseCellNumberInto would value it).
ABSL_ATTRIBUTE_ALWAYS_INLINE inline void AddNumber(size_t offset, const char* text,
                                                   size_t size, int64_t whole,
                                                   FieldGroup* group) {
  Field& f = AddField(group);
  f.number.text.append(text, size);
  f.number.value = Decimal::FromInt(whole);
  f.begin = offset;
  f.end = offset + size;
}

// Reads one piece of a line into `group`: a cell number, a blank cell
// (separated lines), a unit belonging to the previous number, or label
// text with numbers embedded in it. `label_rest`: the piece is the rest of
// the row label, never a cell.
void ReadPiece(absl::string_view line, size_t line_start, absl::string_view raw,
               bool label_rest, FieldGroup* group, bool* have_number) {
  const absl::string_view t = TrimSpaces(raw);
  const size_t offset = line_start + (t.data() - line.data());
  const size_t size = t.size();
  if (size == 0) {
    if (group->separated && !label_rest) {
      Field& f = AddField(group);
      f.blank = true;
      f.begin = f.end = offset;
    }
    return;
  }
  if (!label_rest && MayStartNumber(t[0])) {
    // Parsed in place: no temporary Field to move in.
    Field& f = AddField(group);
    if (ParseCellNumberInto(t, &f.number)) {
      f.begin = offset;
      f.end = offset + size;
      *have_number = true;
      return;
    }
    group->fields.pop_back();
  }
  if ((t == "万元" || t == "元") && !group->fields.empty() &&
      !group->fields.back().blank) {
    (t == "元" ? group->fields.back().number.yuan
               : group->fields.back().number.wan) = true;
    group->fields.back().end = offset + size;
    return;
  }
  // Label text: blanks before it belonged to the label's columns.
  if (!*have_number) group->fields.clear();
  thread_local std::vector<Field> embedded;
  embedded.clear();
  AppendEmbeddedNumbers(t, offset, &embedded);
  for (Field& f : embedded) {
    AddField(group) = std::move(f);
    *have_number = true;
  }
  // A label of thousands of numbers leaves no lasting storage behind.
  constexpr size_t kKeep = 256;
  if (embedded.capacity() > kKeep) std::vector<Field>().swap(embedded);
}

bool Contains(absl::string_view s, char c) {
  return !s.empty() && std::memchr(s.data(), c, s.size()) != nullptr;
}

}  // namespace

size_t ReadFieldGroupsInto(absl::string_view text, size_t begin, size_t end,
                           std::vector<FieldGroup>* scratch) {
  size_t count = 0;
  end = std::min(end, text.size());
  size_t line_start = begin;
  bool first_line = true;
  while (line_start < end) {
    const void* nl = std::memchr(text.data() + line_start, '\n', end - line_start);
    const size_t line_end =
        nl == nullptr ? end : static_cast<const char*>(nl) - text.data();
    const absl::string_view line = text.substr(line_start, line_end - line_start);
    if (!IsMarkdownRule(line)) {
      if (count == scratch->size()) scratch->emplace_back();
      FieldGroup& group = (*scratch)[count];
      group.fields.clear();
      group.line_begin = line_start;
      // Pieces: split by '\t' or '|' when present (every piece counts, an
      // empty one is a blank cell), else by runs of spaces.
      char sep = 0;
      if (Contains(line, '\t')) {
        sep = '\t';
      } else if (Contains(line, '|')) {
        sep = '|';
      }
      group.separated = sep != 0;
      bool have_number = false;
      size_t k = 0;  // pieces read so far
      const char* data = line.data();
      const size_t n = line.size();
      if (sep != 0) {
        // "| a | b |": the edges outside the outer bars are not cells;
        // otherwise ("a||0|") an empty last piece is a blank cell.
        const bool bordered = sep == '|' && IsBorderedRow(text, line_start, line_end);
        size_t start = 0;
        while (true) {
          if (!(first_line && k == 0)) {
            // Fast path, most cells: a plain number, spaces around it.
            size_t i = start;
            while (i < n && (data[i] == ' ' || data[i] == '\r')) ++i;
            if (i == n || data[i] == sep) {
              // A blank cell, unless an edge outside a "| a | b |" border.
              if (!(bordered && (start == 0 || i == n))) {
                Field& f = AddField(&group);
                f.blank = true;
                f.begin = f.end = line_start + i;
                ++k;
              }
              if (i == n) break;
              start = i + 1;
              continue;
            }
            const size_t digits = i;
            int64_t whole = 0;
            i = ScanDigits(data, i, n, &whole);
            const size_t digits_end = i;
            while (i < n && (data[i] == ' ' || data[i] == '\r')) ++i;
            if (digits_end > digits && (i == n || data[i] == sep)) {
              AddNumber(line_start + digits, data + digits, digits_end - digits, whole, &group);
              have_number = true;
              ++k;
              if (i == n) break;
              start = i + 1;
              continue;
            }
          }
          const void* bar = std::memchr(data + start, sep, n - start);
          const size_t stop = bar == nullptr ? n : static_cast<const char*>(bar) - data;
          const absl::string_view raw(data + start, stop - start);
          if (!(bordered && (start == 0 || stop == n) && TrimSpaces(raw).empty())) {
            ReadPiece(line, line_start, raw, first_line && k == 0, &group, &have_number);
            ++k;
          }
          if (stop == n) break;
          start = stop + 1;
        }
      } else {
        size_t i = 0;
        while (i < n) {
          i = SkipSpaces(data, i, n);
          const size_t start = i;
          if (i < n && !(first_line && k == 0)) {
            // Fast path, most cells: a plain number.
            int64_t whole = 0;
            const size_t digits_end = ScanDigits(data, i, n, &whole);
            if (digits_end > start && (digits_end == n || data[digits_end] == ' ')) {
              AddNumber(line_start + start, data + start, digits_end - start, whole, &group);
              have_number = true;
              ++k;
              i = digits_end;
              continue;
            }
          }
          while (i < n && data[i] != ' ') ++i;
          if (i > start) {
            ReadPiece(line, line_start, absl::string_view(data + start, i - start),
                      first_line && k == 0, &group, &have_number);
            ++k;
          }
        }
      }
      if (have_number || (first_line && !group.fields.empty())) ++count;
    }
    first_line = false;
    line_start = line_end + 1;
  }
  return count;
}

}  // namespace gongkai
