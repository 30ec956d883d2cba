#include "common/parse/solver.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <utility>

#include "absl/base/attributes.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace gongkai {
namespace {

using gongkai::v1::CellState;

CellReading FromField(const Field& f) {
  CellReading c;
  c.begin = f.begin;
  c.end = f.end;
  if (f.blank) return c;
  c.ocr_zero = f.number.ocr_zero;
  Decimal v = f.number.value;
  if (f.number.yuan) {
    // 元 → 万元 exactly; a value too precise to scale is kept in 元 and
    // will show up in the validator.
    if (auto scaled = v.Scaled(-4)) v = *scaled;
  }
  c.value = v;
  return c;
}

int64_t Units(const CellReading& c) { return c.value ? c.value->units() : 0; }

// Whether a row-local `rule` holds on one row's `cells` (the rows of its
// cells are ignored). Sums are exact in 128 bits, as in Holds.
bool HoldsOnCells(const Rule& rule, const std::vector<CellReading>& cells) {
  __int128 sum = 0;
  for (auto [r, c] : rule.plus) sum += Units(cells[c]);
  for (auto [r, c] : rule.minus) sum -= Units(cells[c]);
  return sum == 0;
}

// Whole digits a split piece may have: larger values overflow a Decimal
// and no count in these tables comes near them.
constexpr size_t kMaxPieceDigits = 11;

// The digits of a splittable run (no sign, no fraction), or empty.
struct RunParts {
  bool negative = false;
  absl::string_view digits;    // integer digits (a view of the field's text)
  absl::string_view fraction;  // digits after '.', may be empty
};

// A field split into pieces during enumeration.
struct SplitState {
  absl::Span<const Field> fields;
  // PartsOf each field, taken once (SplitFields visits a field many times).
  std::vector<RunParts> runs;
  // capacity_after[i]: the most columns fields (i, size) can fill (a run
  // one per digit, any other field one), for pruning splits that would
  // leave columns empty.
  std::vector<size_t> capacity_after;
  const std::vector<ColumnSpec>* columns;
  const SolverLimits* limits;
  size_t nodes = 0;
  bool capped = false;
  // The reading being built: DropFields and PlaceFields push and pop its
  // cells; SplitFields writes column c's cell to slots[c].
  std::vector<CellReading> current;
  std::vector<CellReading> slots;
  // Readings go to (*out)[0, emitted): elements already there (from the
  // caller's last row) are overwritten, keeping their storage.
  std::vector<RowReading>* out;
  size_t emitted = 0;
  // RowRules being applied (null: none): readings breaking more than
  // `budget` of them are not kept, and splits are cut as soon as the cells
  // placed break more. rules_at[c]: the rules whose last cell is column c.
  const std::vector<Rule>* rules = nullptr;
  std::vector<std::vector<const Rule*>> rules_at;
  int budget = 0;
  int broken = 0;  // rules broken by the cells in slots[0, column)
  int least_broken = std::numeric_limits<int>::max();  // over kept readings
  // The rules shaped `total == sum of parts` with every part left of the
  // total (R3, R4), in a row whose columns are never negative: once the
  // parts placed sum to more than any piece still to come can be, the rule
  // is broken before its total is placed. parts_at[c]: indices into
  // total_rules of the rules column c is a part of.
  struct TotalRule {
    size_t total = 0;    // the total's column
    __int128 placed = 0;  // units of the parts placed so far
  };
  std::vector<TotalRule> total_rules;
  std::vector<std::vector<size_t>> parts_at;
  // max_digits_after[i]: the most digits of any field in (i, size) (a
  // blank or OCR zero counts one), bounding the pieces they can give.
  std::vector<size_t> max_digits_after;

  // Starts a row: every field set as for a new state, the vectors emptied
  // but keeping their storage (unless a hostile row made them large).
  void Reset(absl::Span<const Field> row_fields, const std::vector<ColumnSpec>* row_columns,
             const SolverLimits* row_limits, std::vector<RowReading>* row_out) {
    constexpr size_t kKeep = 256;  // fields or columns of an ordinary row
    if (runs.capacity() > kKeep || capacity_after.capacity() > kKeep ||
        current.capacity() > kKeep || slots.capacity() > kKeep || rules_at.size() > kKeep ||
        parts_at.size() > kKeep || max_digits_after.capacity() > kKeep ||
        total_rules.capacity() > kKeep) {
      *this = SplitState();
    }
    fields = row_fields;
    runs.clear();
    capacity_after.clear();
    columns = row_columns;
    limits = row_limits;
    nodes = 0;
    capped = false;
    current.clear();
    out = row_out;
    emitted = 0;
    rules = nullptr;
    for (std::vector<const Rule*>& list : rules_at) list.clear();
    total_rules.clear();
    for (std::vector<size_t>& list : parts_at) list.clear();
    max_digits_after.clear();
    budget = 0;
    broken = 0;
    least_broken = std::numeric_limits<int>::max();
  }
};

// The SplitState rows are read with on this thread (ReadRowOnce is not
// re-entered while it runs).
SplitState& ThreadSplitState() {
  thread_local SplitState state;
  return state;
}

// Cell storage of readings a row dropped (its readings shrank), handed to
// the next readings appended on this thread instead of new allocations.
std::vector<std::vector<CellReading>>& SpareCells() {
  thread_local std::vector<std::vector<CellReading>> spare;
  return spare;
}

// Most spare cell vectors kept per thread, and their largest capacity.
constexpr size_t kMaxSpareCells = 256;
constexpr size_t kMaxSpareCellCapacity = 64;

// Shrinks `*readings` to `n` (no-op when it holds at most `n`), keeping the
// dropped readings' cell storage.
void ShrinkReadings(std::vector<RowReading>* readings, size_t n) {
  if (readings->size() <= n) return;
  std::vector<std::vector<CellReading>>& spare = SpareCells();
  for (size_t i = n; i < readings->size() && spare.size() < kMaxSpareCells; ++i) {
    std::vector<CellReading>& cells = (*readings)[i].cells;
    if (cells.capacity() > 0 && cells.capacity() <= kMaxSpareCellCapacity) {
      spare.push_back(std::move(cells));
    }
  }
  readings->resize(n);
}

// Appends a reading with `cells`' values.
void AppendReading(const std::vector<CellReading>& cells, std::vector<RowReading>* readings) {
  std::vector<std::vector<CellReading>>& spare = SpareCells();
  RowReading& r = readings->emplace_back();
  if (!spare.empty()) {
    r.cells = std::move(spare.back());
    spare.pop_back();
  }
  r.cells.assign(cells.begin(), cells.end());
}

// Records `cells` as a reading (unless it breaks more rules than the
// budget allows). `broken`: how many rules the cells break when the caller
// counted them (SplitFields, through PlaceCell), or -1.
void Emit(SplitState* s, const std::vector<CellReading>& cells, int broken = -1) {
  if (s->rules != nullptr) {
    if (broken < 0) {
      broken = 0;
      for (const Rule& rule : *s->rules) broken += HoldsOnCells(rule, cells) ? 0 : 1;
    }
    if (broken > s->budget) return;
    s->least_broken = std::min(s->least_broken, broken);
  }
  std::vector<RowReading>& out = *s->out;
  if (s->emitted < out.size()) {
    out[s->emitted].cells.assign(cells.begin(), cells.end());
  } else {
    AppendReading(cells, &out);
  }
  ++s->emitted;
}

bool Budget(SplitState* s) {
  if (++s->nodes > s->limits->max_nodes ||
      s->emitted >= s->limits->max_readings_per_row) {
    s->capped = true;
    return false;
  }
  return true;
}


RunParts PartsOf(const Field& f) {
  RunParts p;
  absl::string_view t = f.number.text;
  if (!t.empty() && t[0] == '-') {
    p.negative = true;
    t.remove_prefix(1);
  }
  size_t dot = t.find('.');
  p.digits = t.substr(0, dot);
  if (dot != absl::string_view::npos) p.fraction = t.substr(dot + 1);
  return p;
}

bool ValidPiece(absl::string_view digits) {
  return !digits.empty() && (digits.size() == 1 || digits[0] != '0');
}

// With rules applied, counts the rules completed by the cell just written
// to slots[column] that it breaks: returns how many (added to s->broken),
// or -1 when they would take the reading past the budget.
int PlaceCell(SplitState* s, size_t column) {
  if (s->rules == nullptr) return 0;
  int broken = 0;
  for (const Rule* rule : s->rules_at[column]) broken += HoldsOnCells(*rule, s->slots) ? 0 : 1;
  if (s->broken + broken > s->budget) return -1;
  s->broken += broken;
  return broken;
}

// Takes the part `units` at `column` back out of its total rules' sums.
void UnplacePart(SplitState* s, size_t column, int64_t units) {
  if (s->total_rules.empty() || units == 0) return;
  for (size_t k : s->parts_at[column]) s->total_rules[k].placed -= units;
}

// With total rules, adds the part just placed at `column` (`units`) to the
// rules it is a part of and returns false, undoing that, when the rules
// broken so far plus the open ones it dooms exceed the budget. An open
// rule is doomed when its parts sum to at least 10^total_digits (in
// whole units): `total_digits` bounds the digits of any piece still to
// come. A true return is undone with UnplacePart.
bool PlacePart(SplitState* s, size_t column, int64_t units, size_t total_digits) {
  // A zero adds to no sum; the check waits for the next nonzero part (most
  // cells are 0, and a check skipped only cuts later, never wrongly).
  if (s->total_rules.empty() || units == 0) return true;
  // kLimit[d]: 10^d whole units.
  static constexpr auto kLimit = [] {
    std::array<__int128, kMaxPieceDigits + 1> limit{};
    limit[0] = Decimal::kScale;
    for (size_t d = 1; d <= kMaxPieceDigits; ++d) limit[d] = limit[d - 1] * 10;
    return limit;
  }();
  for (size_t k : s->parts_at[column]) s->total_rules[k].placed += units;
  const __int128 limit = kLimit[std::min(total_digits, kMaxPieceDigits)];
  int doomed = 0;
  for (const SplitState::TotalRule& rule : s->total_rules) {
    doomed += rule.total > column && rule.placed >= limit ? 1 : 0;
  }
  if (s->broken + doomed <= s->budget) return true;
  UnplacePart(s, column, units);
  return false;
}

// The value of the piece run.digits[pos, pos + len) of field `f` in a column
// `spec`, or nullopt when the column cannot take it: the run's minus sign
// (on its first piece) outside a column that may be negative, a fraction
// or a 元/万元 unit (which stay with the run's last piece, `last`) outside a
// money column, or a value out of range. `whole`: the piece's digits as an
// integer, unless `whole_overflow`.
ABSL_ATTRIBUTE_ALWAYS_INLINE inline std::optional<Decimal> PieceValue(
    const Field& f, const RunParts& run, const ColumnSpec& spec, size_t pos, size_t len,
    bool last, bool whole_overflow, int64_t whole) {
  const bool negative = run.negative && pos == 0;
  if (negative && !spec.may_be_negative) return std::nullopt;
  const bool fraction = last && !run.fraction.empty();
  const bool unit = last && (f.number.yuan || f.number.wan);
  if ((fraction || unit) && !spec.money) return std::nullopt;
  std::optional<Decimal> value;
  if (!negative && !fraction) {
    if (!whole_overflow) value = Decimal::FromInt(whole);
  } else {
    std::string text = negative ? "-" : "";
    text.append(run.digits.data() + pos, len);
    if (fraction) {
      text += '.';
      text.append(run.fraction.data(), run.fraction.size());
    }
    value = Decimal::Parse(text);
  }
  if (value && unit && f.number.yuan) {
    if (auto scaled = value->Scaled(-4)) value = scaled;
  }
  return value;
}

// Writes a piece of `f` with `value` to `*cell`.
inline void SetPiece(const Field& f, const Decimal& value, CellReading* cell) {
  cell->value = value;
  cell->begin = f.begin;
  cell->end = f.end;
  cell->ocr_zero = false;
}

void SplitFields(SplitState* s, size_t field, size_t column);

// Splits the run of `field` starting at digit `pos` into pieces for columns
// starting at `column` (the cells before it are s->slots[0, column)).
void SplitRun(SplitState* s, size_t field, const RunParts& run, size_t pos,
              size_t column) {
  if (!Budget(s)) return;
  const size_t size = run.digits.size();
  const auto& columns = *s->columns;
  if (pos >= size || column >= columns.size()) return;
  const Field& f = s->fields[field];
  const size_t remaining_fields = s->fields.size() - field - 1;
  // Columns left after this one must still take the remaining digits and
  // fields one piece each at least.
  const size_t columns_left = columns.size() - column - 1;
  const ColumnSpec& spec = columns[column];
  // A leading zero makes a piece of one digit; longer pieces overflow a
  // Decimal (and no count comes near them).
  const size_t max_len = run.digits[pos] == '0' ? 1 : std::min(kMaxPieceDigits, size - pos);
  // Every field after this run takes a column of its own.
  if (columns_left < remaining_fields) return;
  const size_t columns_for_run = columns_left - remaining_fields;
  // The shortest piece leaves the rest of the run no more digits than its
  // columns take (kMaxPieceDigits each; none when it must end the run).
  const size_t digits = size - pos;
  const size_t min_len =
      digits > columns_for_run * kMaxPieceDigits ? digits - columns_for_run * kMaxPieceDigits : 1;
  // The longest leaves the columns after it fillable: by the rest of this
  // run and the fields after it (capacity_after).
  if (s->capacity_after[field] + digits < columns_left + 1) return;
  const size_t longest = std::min(max_len, s->capacity_after[field] + digits - columns_left);
  // The piece's whole value, grown one digit per length and checked for
  // overflow exactly as Decimal::Parse does (which it replaces on plain
  // pieces: the search meets the same pieces many times).
  constexpr int64_t kMaxWhole =
      (std::numeric_limits<int64_t>::max() / Decimal::kScale - 9) / 10;
  int64_t whole = 0;
  bool whole_overflow = false;
  for (size_t len = 1; len <= longest; ++len) {
    if (whole > kMaxWhole) whole_overflow = true;
    whole = whole_overflow ? 0 : whole * 10 + (run.digits[pos + len - 1] - '0');
    if (len < min_len) continue;
    const bool last = len == digits;
    const size_t digits_left = digits - len;
    const std::optional<Decimal> value =
        PieceValue(f, run, spec, pos, len, last, whole_overflow, whole);
    if (!value) continue;
    SetPiece(f, *value, &s->slots[column]);
    const int broken = PlaceCell(s, column);
    if (broken < 0) continue;
    // The most digits a piece still to come can have: every column left
    // takes at least one digit of this run when no field follows it.
    const size_t total_digits =
        remaining_fields == 0 ? (last ? 0 : digits_left - (columns_left - 1))
                              : std::max(digits_left, s->max_digits_after[field]);
    if (!PlacePart(s, column, value->units(), total_digits)) {
      s->broken -= broken;
      continue;
    }
    if (last) {
      SplitFields(s, field + 1, column + 1);
    } else {
      SplitRun(s, field, run, pos + len, column + 1);
    }
    UnplacePart(s, column, value->units());
    s->broken -= broken;
    if (s->capped) return;
  }
}

// Reads fields [field, size) into columns [column, size), each run split
// into pieces, each other field whole.
void SplitFields(SplitState* s, size_t field, size_t column) {
  const absl::Span<const Field> fields = s->fields;
  const auto& columns = *s->columns;
  if (field == fields.size()) {
    if (column == columns.size()) Emit(s, s->slots, s->broken);
    return;
  }
  if (column >= columns.size() || !Budget(s)) return;
  const Field& f = fields[field];
  if (f.blank || f.number.ocr_zero) {
    s->slots[column] = FromField(f);
    const int broken = PlaceCell(s, column);
    if (broken < 0) return;
    SplitFields(s, field + 1, column + 1);
    s->broken -= broken;
    return;
  }
  SplitRun(s, field, s->runs[field], 0, column);
}

// SplitFields(s, 0, 0) for a row whose fields fill its columns exactly,
// each run one column per digit, and whose runs all have digits (checked by
// ReadRowOnce): every digit is a piece of its own, so there is one split at
// most, built here in one pass instead of by the search. The reading, the
// rules it breaks and the nodes counted are the search's (Budget is called
// where SplitFields and SplitRun call it; the total-rule cut only prunes).
void SplitForced(SplitState* s) {
  const absl::Span<const Field> fields = s->fields;
  const auto& columns = *s->columns;
  size_t column = 0;
  for (size_t field = 0; field < fields.size(); ++field) {
    if (!Budget(s)) return;  // SplitFields' node
    const Field& f = fields[field];
    if (f.blank || f.number.ocr_zero) {
      s->slots[column] = FromField(f);
      if (PlaceCell(s, column++) < 0) return;
      continue;
    }
    const RunParts& run = s->runs[field];
    const size_t size = run.digits.size();
    for (size_t pos = 0; pos < size; ++pos, ++column) {
      if (!Budget(s)) return;  // SplitRun's node
      const std::optional<Decimal> value = PieceValue(f, run, columns[column], pos, 1,
                                                      pos + 1 == size, false, run.digits[pos] - '0');
      if (!value) return;
      SetPiece(f, *value, &s->slots[column]);
      if (PlaceCell(s, column) < 0) return;
    }
  }
  Emit(s, s->slots, s->broken);
}

bool SameField(const Field& a, const Field& b) {
  if (a.blank || b.blank) return a.blank == b.blank;
  return a.number.text == b.number.text && a.number.yuan == b.number.yuan;
}

// Keeps `columns.size()` of the fields, in order. Within a run of equal
// fields only the leftmost ones are dropped, so each distinct reading is
// produced once (8 zeros on a 7-column row give one reading, not eight).
//
// Recursion is one level per kept field (at most the column count); the
// fields dropped are walked in a loop, so a line of thousands of fields
// cannot exhaust the stack.
void DropFields(SplitState* s, size_t field, bool kept_previous) {
  const absl::Span<const Field> fields = s->fields;
  const size_t want = s->columns->size();
  for (;; ++field, kept_previous = false) {
    const bool drop_is_canonical =
        !(field > 0 && field < fields.size() && kept_previous &&
          SameField(fields[field - 1], fields[field]));
    if (s->current.size() == want) {
      // The rest are dropped.
      if (drop_is_canonical) Emit(s, s->current);
      return;
    }
    if (field == fields.size() || !Budget(s)) return;
    if (fields.size() - field < want - s->current.size()) return;
    s->current.push_back(FromField(fields[field]));
    DropFields(s, field + 1, true);
    s->current.pop_back();
    if (s->capped || !drop_is_canonical) return;
    // Then drop this field: the next iteration.
  }
}

// Puts each field, whole, in a column of its own, in order, leaving the
// other columns blank.
void PlaceFields(SplitState* s, size_t field, size_t column) {
  const absl::Span<const Field> fields = s->fields;
  const auto& columns = *s->columns;
  if (field == fields.size()) {
    const size_t filled = s->current.size();
    for (size_t c = column; c < columns.size(); ++c) {
      CellReading blank;
      blank.begin = blank.end = fields.back().end;
      s->current.push_back(blank);
    }
    Emit(s, s->current);
    s->current.resize(filled);
    return;
  }
  if (!Budget(s)) return;
  const Field& f = fields[field];
  for (size_t c = column; c + (fields.size() - field) <= columns.size(); ++c) {
    const ColumnSpec& spec = columns[c];
    const bool negative = f.number.value.is_negative();
    const bool money = !f.number.value.is_integer() || f.number.yuan || f.number.wan;
    const size_t filled = s->current.size();
    for (size_t b = column; b < c; ++b) {
      CellReading blank;
      blank.begin = blank.end = f.begin;
      s->current.push_back(blank);
    }
    if (!f.number.overflow && (!negative || spec.may_be_negative) &&
        (!money || spec.money)) {
      s->current.push_back(FromField(f));
      PlaceFields(s, field + 1, c + 1);
    }
    s->current.resize(filled);
    if (s->capped) return;
  }
}

// Sums are exact in 128 bits: int64 units of large printed numbers (e.g. a
// hostile 11-digit run) overflowed, and a wrapped sum could make a rule
// hold by accident (found by tests/fuzz fuzz_solver under UBSan).
bool Holds(const Rule& rule, const std::vector<const RowReading*>& chosen) {
  __int128 sum = 0;
  for (auto [r, c] : rule.plus) sum += Units(chosen[r]->cells[c]);
  for (auto [r, c] : rule.minus) sum -= Units(chosen[r]->cells[c]);
  return sum == 0;
}

std::string ValueText(const CellReading& c) {
  return c.value ? c.value->ToString() : "";
}

// A cell's value as one number, for comparing readings: the units, or
// kBlankKey for a printed blank.
constexpr int64_t kBlankKey = std::numeric_limits<int64_t>::min();
int64_t ValueKey(const CellReading& c) { return c.value ? c.value->units() : kBlankKey; }

// Whether two readings give every cell the same value.
bool SameValues(const RowReading& a, const RowReading& b) {
  if (a.cells.size() != b.cells.size()) return false;
  for (size_t i = 0; i < a.cells.size(); ++i) {
    if (ValueKey(a.cells[i]) != ValueKey(b.cells[i])) return false;
  }
  return true;
}

// Keeps the first reading of each distinct value vector, in order.
void DropDuplicateReadings(std::vector<RowReading>* readings) {
  std::vector<RowReading>& all = *readings;
  if (all.size() < 2) return;
  // Indices sorted by value vector (ties by index), then each run of equal
  // vectors keeps its first index.
  std::vector<uint32_t> order(all.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  auto less = [&all](uint32_t x, uint32_t y) {
    const auto& a = all[x].cells;
    const auto& b = all[y].cells;
    const size_t n = std::min(a.size(), b.size());
    for (size_t i = 0; i < n; ++i) {
      const int64_t ka = ValueKey(a[i]), kb = ValueKey(b[i]);
      if (ka != kb) return ka < kb;
    }
    if (a.size() != b.size()) return a.size() < b.size();
    return x < y;
  };
  std::sort(order.begin(), order.end(), less);
  std::vector<bool> keep(all.size(), false);
  for (size_t i = 0; i < order.size(); ++i) {
    keep[order[i]] = i == 0 || !SameValues(all[order[i - 1]], all[order[i]]);
  }
  size_t out = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    if (!keep[i]) continue;
    if (out != i) all[out].cells.swap(all[i].cells);
    ++out;
  }
  ShrinkReadings(&all, out);
}

}  // namespace

bool Rule::RowLocal() const {
  int row = -1;
  for (const auto* side : {&plus, &minus}) {
    for (auto [r, c] : *side) {
      if (row >= 0 && r != row) return false;
      row = r;
    }
  }
  return true;
}

RowCandidates ReadRow(const FieldGroup& group,
                      const std::vector<ColumnSpec>& columns,
                      bool trailing_blanks_first, const SolverLimits& limits) {
  RowCandidates out;
  ReadRowInto(group, columns, trailing_blanks_first, limits, &out);
  return out;
}

namespace {

// ReadRowInto with `rules` applied (null: none). Returns the fewest rules a
// kept reading breaks (INT_MAX when none is kept), or -1 when the rules were
// not used (a direct row, or blank cells placed at the edges).
int ReadRowOnce(const FieldGroup& group, const std::vector<ColumnSpec>& columns,
                bool trailing_blanks_first, const SolverLimits& limits, const RowRules* rules,
                RowCandidates* candidates) {
  RowCandidates& out = *candidates;
  out.direct = true;
  out.capped = false;
  out.repair.clear();
  const size_t n = columns.size();
  const std::vector<Field>& all_fields = group.fields;
  // Tab/pipe rows: surplus blank fields at the edges are label columns or a
  // trailing separator. When they can be dropped in more than one way, the
  // cells' places are open: every placement is a reading.
  if (group.separated && all_fields.size() > n) {
    const auto& fields = all_fields;
    const size_t extra = fields.size() - n;
    // Leading blanks dropped for a placement: k when fields[0, k) and
    // fields[n + k, size) are blank. Counted first (no list on the common
    // one-placement path).
    auto placement = [&fields, n](size_t k) {
      bool blanks = true;
      for (size_t i = 0; i < k; ++i) blanks &= fields[i].blank;
      for (size_t i = n + k; i < fields.size(); ++i) blanks &= fields[i].blank;
      return blanks;
    };
    size_t placements = 0;
    for (size_t k = 0; k <= extra && placements < 2; ++k) placements += placement(k) ? 1 : 0;
    if (placements > 1) {
      out.readings.clear();
      out.direct = false;
      out.repair = "blank cells at the row's edges";
      for (size_t k = 0; k <= extra; ++k) {
        if (!placement(k)) continue;
        RowReading r;
        for (size_t i = k; i < k + n; ++i) r.cells.push_back(FromField(fields[i]));
        out.readings.push_back(std::move(r));
      }
      DropDuplicateReadings(&out.readings);
      return -1;
    }
  }
  // Surplus blank fields trimmed at the edges: the row is
  // all_fields[lo, hi) (no copy on the direct path).
  size_t lo = 0, hi = all_fields.size();
  auto trim_leading = [&] {
    while (hi - lo > n && all_fields[lo].blank) ++lo;
  };
  auto trim_trailing = [&] {
    while (hi - lo > n && all_fields[hi - 1].blank) --hi;
  };
  if (trailing_blanks_first) {
    trim_trailing();
    trim_leading();
  } else {
    trim_leading();
    trim_trailing();
  }
  const bool overflow =
      std::any_of(all_fields.begin() + lo, all_fields.begin() + hi,
                  [](const Field& f) { return f.number.overflow; });
  if (hi - lo == n && !overflow) {
    // One reading; its cells keep their storage from the last use.
    if (out.readings.empty()) {
      out.readings.resize(1);
    } else if (out.readings.size() > 1) {
      ShrinkReadings(&out.readings, 1);
    }
    std::vector<CellReading>& cells = out.readings[0].cells;
    cells.resize(n);
    for (size_t i = lo; i < hi; ++i) cells[i - lo] = FromField(all_fields[i]);
    return -1;
  }
  out.direct = false;
  const absl::Span<const Field> fields(all_fields.data() + lo, hi - lo);
  bool may_repeat = true;
  SplitState& s = ThreadSplitState();
  s.Reset(fields, &columns, &limits, &out.readings);
  s.current.reserve(n);
  // The last column of each rule's cells, or -1 when one lies outside the
  // row: then no rule is applied.
  auto last_column = [n](const Rule& rule) {
    int last = 0;
    for (const auto* side : {&rule.plus, &rule.minus}) {
      for (auto [r, c] : *side) {
        if (c < 0 || static_cast<size_t>(c) >= n) return -1;
        last = std::max(last, c);
      }
    }
    return last;
  };
  if (rules != nullptr &&
      std::all_of(rules->rules->begin(), rules->rules->end(),
                  [&](const Rule& rule) { return last_column(rule) >= 0; })) {
    s.rules = rules->rules;
    s.budget = rules->allowance;
    if (s.rules_at.size() < n) s.rules_at.resize(n);
    for (const Rule& rule : *rules->rules) s.rules_at[last_column(rule)].push_back(&rule);
    const bool never_negative = std::none_of(columns.begin(), columns.end(),
                                             [](const ColumnSpec& c) { return c.may_be_negative; });
    if (s.parts_at.size() < n) s.parts_at.resize(n);
    for (const Rule& rule : *rules->rules) {
      if (!never_negative || rule.plus.size() != 1 || rule.minus.empty()) continue;
      const size_t total = rule.plus[0].second;
      if (!std::all_of(rule.minus.begin(), rule.minus.end(),
                       [total](auto cell) { return static_cast<size_t>(cell.second) < total; })) {
        continue;
      }
      for (auto [r, c] : rule.minus) s.parts_at[c].push_back(s.total_rules.size());
      s.total_rules.push_back({total, 0});
    }
  }
  if (fields.size() > n && !overflow) {
    out.repair = "extra cell";
    DropFields(&s, 0, false);
  } else {
    out.repair = "digit run";
    // Splits alone never repeat a value vector: pieces have no leading
    // zeros, so the values fix every cut. Only PlaceFields can add repeats.
    may_repeat = false;
    s.runs.reserve(fields.size());
    for (const Field& f : fields) s.runs.push_back(PartsOf(f));
    s.capacity_after.assign(fields.size(), 0);
    s.max_digits_after.assign(fields.size(), 0);
    size_t capacity_total = 0;  // the most columns the fields can fill
    bool empty_run = false;     // a run without digits, which no split reads
    for (size_t i = fields.size(); i-- > 0;) {
      const Field& f = fields[i];
      const size_t capacity = f.blank || f.number.ocr_zero ? 1 : s.runs[i].digits.size();
      empty_run = empty_run || capacity == 0;
      capacity_total += capacity;
      if (i == 0) break;
      s.capacity_after[i - 1] = s.capacity_after[i] + capacity;
      s.max_digits_after[i - 1] = std::max(s.max_digits_after[i], capacity);
    }
    s.slots.resize(n);
    // Fields that fill the columns exactly, each run one column per digit,
    // have one split at most.
    if (capacity_total == n && !empty_run) {
      SplitForced(&s);
    } else {
      SplitFields(&s, 0, 0);
    }
    // Space-aligned numbers (not glued to a label) may also be whole cells
    // with blank cells between them that the layout lost.
    // A token with a leading zero ("00") is a run, never a whole cell.
    const bool spaced =
        !group.separated &&
        std::none_of(fields.begin(), fields.end(), [](const Field& f) {
          return f.glued || f.blank || !ValidPiece(PartsOf(f).digits);
        });
    if (spaced && !fields.empty()) {
      out.repair = "digit run or lost blank cells";
      may_repeat = true;
      PlaceFields(&s, 0, 0);
    }
  }
  ShrinkReadings(&out.readings, s.emitted);
  out.capped = s.capped;
  // Different cuts can give the same values (dropping either of two equal
  // extra numbers; a split and a placement): keep one reading per distinct
  // value vector.
  if (may_repeat) DropDuplicateReadings(&out.readings);
  if (s.rules == nullptr) return -1;
  return s.emitted == 0 ? std::numeric_limits<int>::max() : s.least_broken;
}

}  // namespace

void ReadRowInto(const FieldGroup& group, const std::vector<ColumnSpec>& columns,
                 bool trailing_blanks_first, const SolverLimits& limits,
                 RowCandidates* candidates) {
  ReadRowOnce(group, columns, trailing_blanks_first, limits, nullptr, candidates);
}

void ReadRowInto(const FieldGroup& group, const std::vector<ColumnSpec>& columns,
                 bool trailing_blanks_first, const SolverLimits& limits, const RowRules& rules,
                 RowCandidates* candidates) {
  const RowRules* applied = rules.rules != nullptr && !rules.rules->empty() ? &rules : nullptr;
  const int least_broken =
      ReadRowOnce(group, columns, trailing_blanks_first, limits, applied, candidates);
  // No reading satisfies every rule: all of them are kept.
  if (applied != nullptr && least_broken > 0) {
    ReadRowOnce(group, columns, trailing_blanks_first, limits, nullptr, candidates);
  }
}

namespace {

// Whether every row is absent or read directly (one reading, nothing to
// decide): the common case of clean tab, pipe and aligned tables.
bool AllDirect(const std::vector<const RowCandidates*>& rows) {
  for (const RowCandidates* row : rows) {
    if (row != nullptr && !(row->direct && row->readings.size() <= 1)) return false;
  }
  return true;
}

bool RuleHasMissingRow(const Rule& rule, const std::vector<const RowCandidates*>& rows) {
  for (const auto* side : {&rule.plus, &rule.minus}) {
    for (auto [r, c] : *side) {
      if (rows[r] == nullptr || rows[r]->readings.empty()) return true;
    }
  }
  return false;
}

// SolveTable for AllDirect rows, without the search's bookkeeping: the same
// result as the general path (cells ok/empty as printed, OCR zeros repaired
// only when the row's own rules hold; a failing cross-row rule marks its
// family relaxed).
void SolveDirect(const std::vector<const RowCandidates*>& rows, size_t columns,
                 const std::vector<Rule>& rules, SolveResult* out) {
  SolveResult& result = *out;
  result.relaxed_families.clear();
  result.capped = false;
  const size_t num_rows = rows.size();
  // Per-thread scratch: no allocation per table once warm.
  thread_local std::vector<const RowReading*> chosen;
  thread_local std::vector<uint8_t> local;
  chosen.assign(num_rows, nullptr);
  for (size_t r = 0; r < num_rows; ++r) {
    if (rows[r] != nullptr && !rows[r]->readings.empty()) chosen[r] = &rows[r]->readings[0];
  }
  // Per row: 0 no local rule, 1 all hold, 2 one fails.
  local.assign(num_rows, 0);
  for (const Rule& rule : rules) {
    if (RuleHasMissingRow(rule, rows)) continue;
    const bool holds = Holds(rule, chosen);
    if (rule.RowLocal()) {
      const int r = !rule.plus.empty() ? rule.plus[0].first : rule.minus[0].first;
      if (local[r] != 2) local[r] = holds ? 1 : 2;
    } else if (!holds &&
               std::find(result.relaxed_families.begin(), result.relaxed_families.end(),
                         rule.family) == result.relaxed_families.end()) {
      result.relaxed_families.push_back(rule.family);
    }
  }
  // Every cell written once (a read cell, or MISSING), keeping the vectors'
  // and strings' storage.
  result.cells.resize(num_rows);
  for (size_t r = 0; r < num_rows; ++r) {
    std::vector<SolvedCell>& row = result.cells[r];
    row.resize(columns);
    const size_t read = chosen[r] == nullptr ? 0 : std::min(columns, chosen[r]->cells.size());
    for (size_t c = 0; c < columns; ++c) {
      SolvedCell& cell = row[c];
      cell.alternatives.clear();
      cell.note.clear();
      if (c >= read) {
        cell.reading = CellReading();
        cell.state = v1::CELL_STATE_MISSING;
        continue;
      }
      cell.reading = chosen[r]->cells[c];
      if (!cell.reading.value) {
        cell.state = v1::CELL_STATE_EMPTY;
      } else if (cell.reading.ocr_zero) {
        cell.state = local[r] == 1 ? v1::CELL_STATE_REPAIRED : v1::CELL_STATE_AMBIGUOUS;
        cell.note = "OCR glyph read as 0";
      } else {
        cell.state = v1::CELL_STATE_OK;
      }
    }
  }
}

// SolveTable for one recovered row with a single reading and no rules (a
// table 二 run such as "015" that splits only one way), without the
// search's bookkeeping: the same result as the general path (cells as read,
// repaired or empty, ambiguous when the row's enumeration was capped).
void SolveOneReading(const RowCandidates& row, size_t columns, SolveResult* out) {
  SolveResult& result = *out;
  result.relaxed_families.clear();
  result.capped = false;
  result.cells.resize(1);
  std::vector<SolvedCell>& cells = result.cells[0];
  cells.resize(columns);
  const std::vector<CellReading>& read = row.readings[0].cells;
  for (size_t c = 0; c < columns; ++c) {
    SolvedCell& cell = cells[c];
    cell.alternatives.clear();
    if (c >= read.size()) {
      cell.reading = CellReading();
      cell.state = v1::CELL_STATE_MISSING;
      cell.note.clear();
      continue;
    }
    cell.reading = read[c];
    cell.note = row.repair;
    if (row.capped) {
      cell.state = v1::CELL_STATE_AMBIGUOUS;
      cell.note += " (search limit reached)";
    } else {
      cell.state = cell.reading.value ? v1::CELL_STATE_REPAIRED : v1::CELL_STATE_EMPTY;
    }
  }
}

}  // namespace

void SolveSearch(const std::vector<const RowCandidates*>& rows, size_t columns,
                 const std::vector<Rule>& rules, const SolverLimits& limits,
                 const SolveOptions& solve_options, SolveResult* out);

void SolveTableInto(const std::vector<const RowCandidates*>& rows, size_t columns,
                    const std::vector<Rule>& rules, const SolverLimits& limits,
                    const SolveOptions& solve_options, SolveResult* out) {
  if (AllDirect(rows)) {
    SolveDirect(rows, columns, rules, out);
  } else if (rows.size() == 1 && rules.empty() && rows[0]->readings.size() == 1) {
    SolveOneReading(*rows[0], columns, out);
  } else {
    SolveSearch(rows, columns, rules, limits, solve_options, out);
  }
}

SolveResult SolveTable(const std::vector<const RowCandidates*>& rows,
                       size_t columns, const std::vector<Rule>& rules,
                       const SolverLimits& limits) {
  SolveResult result;
  SolveTableInto(rows, columns, rules, limits, SolveOptions(), &result);
  return result;
}

namespace {

// Interval bounds for the table search: for a rule whose open rows are not
// all chosen yet, the rows still open can only add what their readings
// range over, so a partial choice whose sum can no longer reach zero has no
// solution below it. Pruning such choices leaves the solutions (and their
// order) unchanged; only the nodes spent finding them shrink.
class RuleBounds {
 public:
  // Sets up `rules` (rule k completes at the depth d with
  // depth_start[d] <= k < depth_start[d + 1]) over the open rows `open`
  // (row open[d] at depth d, choosing among options[open[d]]); other rows
  // count with their reading in `chosen`.
  void Prepare(const std::vector<const Rule*>& rules, const std::vector<size_t>& depth_start,
               const std::vector<int>& open, const std::vector<int>& depth_of,
               const std::vector<std::vector<const RowReading*>>& options,
               const std::vector<const RowReading*>& chosen) {
    num_rules_ = rules.size();
    depths_ = open.size();
    const size_t stride = depths_ + 1;
    complete_at_.resize(num_rules_);
    for (size_t d = 0; d < depths_; ++d) {
      for (size_t k = depth_start[d]; k < depth_start[d + 1]; ++k) complete_at_[k] = d;
    }
    // The open rows' terms, by depth; within a depth, each rule's terms are
    // consecutive (pushed rule by rule, sorted stably).
    terms_.clear();
    partial_.assign(num_rules_ * stride, 0);
    for (size_t k = 0; k < num_rules_; ++k) {
      for (int sign : {1, -1}) {
        for (auto [r, c] : sign > 0 ? rules[k]->plus : rules[k]->minus) {
          if (depth_of[r] < 0) {
            partial_[k * stride] += sign * Units(chosen[r]->cells[c]);
          } else {
            terms_.push_back(Term{depth_of[r], static_cast<int>(k), c, sign});
          }
        }
      }
    }
    std::stable_sort(terms_.begin(), terms_.end(),
                     [](const Term& a, const Term& b) { return a.depth < b.depth; });
    term_start_.assign(depths_ + 1, 0);
    for (const Term& t : terms_) ++term_start_[t.depth + 1];
    for (size_t d = 0; d < depths_; ++d) term_start_[d + 1] += term_start_[d];
    // rest_lo_/rest_hi_[k][d]: the least and most that depths [d, depths_)
    // add to rule k.
    rest_lo_.assign(num_rules_ * stride, 0);
    rest_hi_.assign(num_rules_ * stride, 0);
    for (size_t d = depths_; d-- > 0;) {
      for (size_t k = 0; k < num_rules_; ++k) {
        rest_lo_[k * stride + d] = rest_lo_[k * stride + d + 1];
        rest_hi_[k * stride + d] = rest_hi_[k * stride + d + 1];
      }
      ForEachRule(d, [&](size_t k, size_t begin, size_t end) {
        __int128 lo = 0, hi = 0;
        bool first = true;
        for (const RowReading* reading : options[open[d]]) {
          const __int128 sum = Sum(begin, end, *reading);
          lo = first ? sum : std::min(lo, sum);
          hi = first ? sum : std::max(hi, sum);
          first = false;
        }
        rest_lo_[k * stride + d] += lo;
        rest_hi_[k * stride + d] += hi;
      });
    }
  }

  // With the rows at depths [0, d) chosen as last accepted, whether
  // choosing `reading` at depth d leaves every rule not yet complete able
  // to hold. Call for d in DFS order: the sums at depth d + 1 are kept.
  bool Fits(size_t d, const RowReading& reading) {
    const size_t stride = depths_ + 1;
    for (size_t k = 0; k < num_rules_; ++k) partial_[k * stride + d + 1] = partial_[k * stride + d];
    bool fits = true;
    ForEachRule(d, [&](size_t k, size_t begin, size_t end) {
      const __int128 sum = partial_[k * stride + d + 1] += Sum(begin, end, reading);
      if (complete_at_[k] > d &&
          (sum + rest_lo_[k * stride + d + 1] > 0 || sum + rest_hi_[k * stride + d + 1] < 0)) {
        fits = false;
      }
    });
    return fits;
  }

 private:
  struct Term {
    int depth;
    int rule;
    int column;
    int sign;
  };

  // Calls visit(k, begin, end) for each rule k with terms at depth d, the
  // terms being terms_[begin, end).
  template <typename Visit>
  void ForEachRule(size_t d, Visit visit) const {
    for (size_t begin = term_start_[d], end; begin < term_start_[d + 1]; begin = end) {
      end = begin + 1;
      while (end < term_start_[d + 1] && terms_[end].rule == terms_[begin].rule) ++end;
      visit(static_cast<size_t>(terms_[begin].rule), begin, end);
    }
  }

  // What `reading` adds to a rule through its terms terms_[begin, end).
  __int128 Sum(size_t begin, size_t end, const RowReading& reading) const {
    __int128 sum = 0;
    for (size_t i = begin; i < end; ++i) sum += terms_[i].sign * Units(reading.cells[terms_[i].column]);
    return sum;
  }

  size_t num_rules_ = 0;
  size_t depths_ = 0;
  std::vector<size_t> complete_at_;
  std::vector<Term> terms_;
  std::vector<size_t> term_start_;
  std::vector<__int128> partial_, rest_lo_, rest_hi_;
};

// SolveSearch's working storage, kept per thread so that a table solved
// after another allocates nothing once warm. Per-row lists are indexed by
// row; a list vector may hold more lists than the table has rows.
struct SearchScratch {
  std::vector<std::vector<const RowReading*>> options;
  std::vector<std::vector<const Rule*>> local;
  std::vector<std::vector<size_t>> used;
  std::vector<std::vector<const RowReading*>> rivals;
  std::vector<std::vector<const Rule*>> touching_rules;
  std::vector<const Rule*> cross;
  std::vector<int> open;
  std::vector<int> depth_of;
  std::vector<const RowReading*> chosen;
  std::vector<const RowReading*> picks;
  std::vector<int> cross_depth;
  std::vector<size_t> depth_start;
  std::vector<const Rule*> at_depth;
  std::vector<size_t> fill;
  std::vector<size_t> pick;
  std::vector<std::pair<int64_t, size_t>> tally;
  std::vector<std::vector<int>> tiers;  // the first num_tiers are in use
  std::vector<int> families;
  std::vector<uint8_t> local_ok;
  std::vector<uint8_t> lone_rule;
  RuleBounds bounds;
};

// Empties the first `n` lists of `*lists` (adding lists as needed),
// keeping their storage.
template <typename T>
void ResetLists(std::vector<std::vector<T>>* lists, size_t n) {
  if (lists->size() < n) lists->resize(n);
  for (size_t i = 0; i < n; ++i) (*lists)[i].clear();
}

// Storage kept for at most this many rows and readings per row (hostile
// input must not pin memory per thread).
constexpr size_t kKeepSearchRows = 64;
constexpr size_t kKeepSearchReadings = 4096;

}  // namespace

// SolveTable's search, for tables with rows left open by their layout.
// Written into `*out` (every field set), keeping its cells' storage.
void SolveSearch(const std::vector<const RowCandidates*>& rows, size_t columns,
                 const std::vector<Rule>& rules, const SolverLimits& limits,
                 const SolveOptions& solve_options, SolveResult* out) {
  SolveResult& result = *out;
  result.relaxed_families.clear();
  const size_t num_rows = rows.size();
  thread_local SearchScratch scratch;
  // What an unusually large table left behind is released as the next
  // starts (a thread keeps about one ordinary table's storage).
  bool large = scratch.options.size() > kKeepSearchRows;
  for (const auto& list : scratch.options) large = large || list.capacity() > kKeepSearchReadings;
  if (large) scratch = SearchScratch();
  // 1. Row-local rules filter each row's readings (relaxed when none fit).
  std::vector<std::vector<const RowReading*>>& options = scratch.options;
  ResetLists(&options, num_rows);
  std::vector<uint8_t>& local_ok = scratch.local_ok;
  local_ok.assign(num_rows, 1);
  std::vector<const Rule*>& cross = scratch.cross;
  cross.clear();
  std::vector<std::vector<const Rule*>>& local = scratch.local;
  ResetLists(&local, num_rows);
  for (const Rule& rule : rules) {
    // A row without readings counts as missing (chosen[r] stays null).
    if (RuleHasMissingRow(rule, rows)) continue;
    if (rule.RowLocal()) {
      int r = !rule.plus.empty() ? rule.plus[0].first : rule.minus[0].first;
      local[r].push_back(&rule);
    } else {
      cross.push_back(&rule);
    }
  }
  for (size_t r = 0; r < num_rows; ++r) {
    if (rows[r] == nullptr) continue;
    options[r].reserve(rows[r]->readings.size());
    for (const RowReading& reading : rows[r]->readings) {
      bool ok = true;
      for (const Rule* rule : local[r]) ok = ok && HoldsOnCells(*rule, reading.cells);
      if (ok) options[r].push_back(&reading);
    }
    if (options[r].empty()) {
      local_ok[r] = false;
      for (const RowReading& reading : rows[r]->readings) {
        options[r].push_back(&reading);
      }
    }
  }
  // 2. Search over the rows left open, under the cross-row rules.
  std::vector<int>& open = scratch.open;
  open.clear();
  for (size_t r = 0; r < num_rows; ++r) {
    if (options[r].size() > 1) open.push_back(static_cast<int>(r));
  }
  std::vector<int>& depth_of = scratch.depth_of;
  depth_of.assign(num_rows, -1);
  for (size_t d = 0; d < open.size(); ++d) depth_of[open[d]] = d;
  std::vector<const RowReading*>& chosen = scratch.chosen;
  chosen.assign(num_rows, nullptr);
  for (size_t r = 0; r < num_rows; ++r) {
    if (!options[r].empty()) chosen[r] = options[r][0];
  }
  // Usage count of each option of each open row over all solutions.
  std::vector<std::vector<size_t>>& used = scratch.used;
  ResetLists(&used, num_rows);
  for (int r : open) used[r].assign(options[r].size(), 0);
  size_t solutions = 0;
  bool capped = false;

  // The rule families searched, fewer each time no solution is found: all,
  // then without R2, without R1, none. tiers[0, num_tiers) hold them.
  std::vector<std::vector<int>>& tiers = scratch.tiers;
  size_t num_tiers = 0;
  auto add_tier = [&tiers, &num_tiers]() -> std::vector<int>& {
    if (tiers.size() <= num_tiers) tiers.emplace_back();
    std::vector<int>& tier = tiers[num_tiers++];
    tier.clear();
    return tier;
  };
  {
    std::vector<int>& families = scratch.families;
    families.clear();
    for (const Rule* rule : cross) {
      if (std::find(families.begin(), families.end(), rule->family) ==
          families.end()) {
        families.push_back(rule->family);
      }
    }
    std::sort(families.begin(), families.end());
    add_tier() = families;
    for (int drop : {2, 1}) {
      if (std::find(families.begin(), families.end(), drop) == families.end()) continue;
      std::vector<int>& t = add_tier();
      for (int f : families) {
        if (f != drop) t.push_back(f);
      }
    }
    if (!families.empty()) add_tier();
  }
  // The tier a solution was found with (or the search capped); -1: none.
  int active_tier = -1;
  // Each cross rule's depth: the depth at which all its open rows are
  // chosen (-1 when it has none: rules on fixed rows alone decide nothing).
  std::vector<int>& cross_depth = scratch.cross_depth;
  cross_depth.assign(cross.size(), -1);
  for (size_t i = 0; i < cross.size(); ++i) {
    for (const auto* side : {&cross[i]->plus, &cross[i]->minus}) {
      for (auto [r, c] : *side) cross_depth[i] = std::max(cross_depth[i], depth_of[r]);
    }
  }
  // The tier's rules that involve an open row, bucketed by depth:
  // at_depth[depth_start[d], depth_start[d + 1]), in `cross` order.
  std::vector<const Rule*>& at_depth = scratch.at_depth;
  std::vector<size_t>& depth_start = scratch.depth_start;
  for (size_t tier_index = 0; tier_index < num_tiers; ++tier_index) {
    const std::vector<int>& tier = tiers[tier_index];
    auto in_tier = [&tier](const Rule* rule) {
      return std::find(tier.begin(), tier.end(), rule->family) != tier.end();
    };
    depth_start.assign(open.size() + 1, 0);
    for (size_t i = 0; i < cross.size(); ++i) {
      if (cross_depth[i] >= 0 && in_tier(cross[i])) ++depth_start[cross_depth[i] + 1];
    }
    for (size_t d = 0; d < open.size(); ++d) depth_start[d + 1] += depth_start[d];
    at_depth.resize(depth_start[open.size()]);
    {
      std::vector<size_t>& fill = scratch.fill;
      fill.assign(depth_start.begin(), depth_start.end() - 1);
      for (size_t i = 0; i < cross.size(); ++i) {
        if (cross_depth[i] >= 0 && in_tier(cross[i])) at_depth[fill[cross_depth[i]]++] = cross[i];
      }
    }
    RuleBounds& bounds = scratch.bounds;
    const bool bounded = open.size() >= 2 && !at_depth.empty();
    if (bounded) bounds.Prepare(at_depth, depth_start, open, depth_of, options, chosen);
    size_t nodes = 0;
    solutions = 0;
    capped = false;
    for (int r : open) std::fill(used[r].begin(), used[r].end(), 0);
    std::vector<size_t>& pick = scratch.pick;
    pick.assign(open.size(), 0);
    // Iterative DFS.
    int d = 0;
    if (open.empty()) {
      solutions = 1;
    } else {
      pick[0] = 0;
      while (d >= 0) {
        if (pick[d] >= options[open[d]].size()) {
          pick[d] = 0;
          --d;
          if (d >= 0) ++pick[d];
          continue;
        }
        if (++nodes > limits.max_nodes) {
          capped = true;
          break;
        }
        chosen[open[d]] = options[open[d]][pick[d]];
        bool ok = true;
        for (size_t k = depth_start[d]; k < depth_start[d + 1]; ++k) {
          const Rule* rule = at_depth[k];
          if (!Holds(*rule, chosen)) {
            ok = false;
            break;
          }
        }
        if (ok && bounded && d + 1 < static_cast<int>(open.size())) {
          ok = bounds.Fits(d, *chosen[open[d]]);
        }
        if (!ok) {
          ++pick[d];
          continue;
        }
        if (d + 1 == static_cast<int>(open.size())) {
          ++solutions;
          for (size_t k = 0; k < open.size(); ++k) ++used[open[k]][pick[k]];
          if (solutions >= limits.max_solutions) {
            capped = true;
            break;
          }
          ++pick[d];
        } else {
          ++d;
          pick[d] = 0;
        }
      }
    }
    if (solutions > 0 || capped) {
      active_tier = static_cast<int>(tier_index);
      break;
    }
  }
  if (num_tiers > 0) {
    for (int f : tiers[0]) {
      if (active_tier < 0 || std::find(tiers[active_tier].begin(), tiers[active_tier].end(),
                                       f) == tiers[active_tier].end()) {
        result.relaxed_families.push_back(f);
      }
    }
  }
  // Rules over fixed rows alone are not searched, but one that fails still
  // shows the printed arithmetic is broken.
  for (const Rule* rule : cross) {
    bool fixed = true;
    for (const auto* side : {&rule->plus, &rule->minus}) {
      for (auto [r, c] : *side) fixed = fixed && depth_of[r] < 0;
    }
    if (fixed && !Holds(*rule, chosen) &&
        std::find(result.relaxed_families.begin(), result.relaxed_families.end(),
                  rule->family) == result.relaxed_families.end()) {
      result.relaxed_families.push_back(rule->family);
    }
  }
  if (solutions == 0) {
    // Capped before any solution: every option stays possible.
    for (int r : open) std::fill(used[r].begin(), used[r].end(), 1);
  }
  result.capped = capped;

  // 3. Cell states. Each row's pick: its reading used by most solutions.
  std::vector<const RowReading*>& picks = scratch.picks;
  picks.assign(num_rows, nullptr);
  for (size_t r = 0; r < num_rows; ++r) {
    if (rows[r] == nullptr || options[r].empty()) continue;
    size_t best = 0;
    for (size_t k = 1; k < used[r].size(); ++k) {
      if (used[r][k] > used[r][best]) best = k;
    }
    picks[r] = options[r][best];
  }
  // When the printed arithmetic is broken, the error may sit in a row that
  // its own rules then fixed to a wrong reading (a run "230102035" read
  // 2|30|… to fit a misprinted total instead of 23|0|…; a run "213003036"
  // whose printed total 36 is wrong read 2|1|3|0|0|30 to fit it instead of
  // 21|3|0|0|3|0, while the rows it would be checked against are open
  // too). A reading of a recovered row, fixed or still open, that breaks no
  // more rules (of every family, relaxed ones included) than the pick, the
  // other rows as picked, is a rival: the row's cells are in doubt. In a
  // broken table a recovered cell is repaired only when its reading beats
  // every other one.
  //
  // With SolveOptions::doubt_uncorroborated_rows, a recovered row that only
  // its own rules decide (no cross-row rule touches it: table 四's R4
  // groups) has nothing to show a misprint: a misprinted total (run
  // "6311101200000000000" printed 63|11|10|12|0 with total 0) lets a wrong
  // split (6|3|1|110|120) fit. There a reading that breaks no more than one
  // rule beyond the pick (one misprinted number breaks its own group's
  // rule) is a rival too.
  constexpr size_t kMaxRivalChecks = 512;
  std::vector<std::vector<const RowReading*>>& rivals = scratch.rivals;
  ResetLists(&rivals, num_rows);
  // Rows whose rivals come from the one-misprint allowance.
  std::vector<uint8_t>& lone_rule = scratch.lone_rule;
  lone_rule.assign(num_rows, 0);
  // The cross-row rules touching each recovered row, in `cross` order.
  std::vector<std::vector<const Rule*>>& touching_rules = scratch.touching_rules;
  ResetLists(&touching_rules, num_rows);
  for (const Rule* rule : cross) {
    for (const auto* side : {&rule->plus, &rule->minus}) {
      for (auto [row, c] : *side) {
        if (picks[row] == nullptr || rows[row]->direct) continue;
        std::vector<const Rule*>& list = touching_rules[row];
        if (list.empty() || list.back() != rule) list.push_back(rule);
      }
    }
  }
  for (size_t r = 0; r < num_rows; ++r) {
    if (picks[r] == nullptr || rows[r]->direct) continue;
    const std::vector<const Rule*>& touching = touching_rules[r];
    const bool uncorroborated =
        solve_options.doubt_uncorroborated_rows && touching.empty() && !local[r].empty();
    if (result.relaxed_families.empty() && !uncorroborated) continue;
    const RowReading* kept = picks[r];
    auto failures = [&](const RowReading* reading) {
      picks[r] = reading;
      int n = 0;
      for (const Rule* rule : local[r]) n += HoldsOnCells(*rule, reading->cells) ? 0 : 1;
      for (const Rule* rule : touching) n += Holds(*rule, picks) ? 0 : 1;
      return n;
    };
    const int base = failures(kept);
    const int allowed = uncorroborated ? base + 1 : base;
    lone_rule[r] = uncorroborated;
    const auto& all = rows[r]->readings;
    for (size_t k = 0; k < all.size() && k < kMaxRivalChecks; ++k) {
      if (&all[k] != kept && failures(&all[k]) <= allowed) rivals[r].push_back(&all[k]);
    }
    picks[r] = kept;
  }
  // Every cell MISSING until read, keeping the vectors' and strings' storage.
  result.cells.resize(num_rows);
  for (std::vector<SolvedCell>& row : result.cells) {
    row.resize(columns);
    for (SolvedCell& cell : row) {
      cell.reading = CellReading();
      cell.state = v1::CELL_STATE_MISSING;
      cell.alternatives.clear();
      cell.note.clear();
    }
  }
  std::vector<std::pair<int64_t, size_t>>& tally = scratch.tally;  // value key -> votes
  for (size_t r = 0; r < num_rows; ++r) {
    if (rows[r] == nullptr || options[r].empty()) continue;
    const bool is_open = options[r].size() > 1;
    const RowReading& pick = *picks[r];
    for (size_t c = 0; c < columns && c < pick.cells.size(); ++c) {
      SolvedCell& cell = result.cells[r][c];
      cell.reading = pick.cells[c];
      if (!is_open && rows[r]->direct) {
        if (!cell.reading.value) {
          cell.state = v1::CELL_STATE_EMPTY;
        } else if (cell.reading.ocr_zero) {
          cell.state = local_ok[r] && !local[r].empty()
                           ? v1::CELL_STATE_REPAIRED
                           : v1::CELL_STATE_AMBIGUOUS;
          cell.note = "OCR glyph read as 0";
        } else {
          cell.state = v1::CELL_STATE_OK;
        }
        continue;
      }
      // Recovered cell: decided only if every surviving reading agrees.
      // Votes are gathered per value (units; a blank as kBlankKey), then
      // keyed by their text, which orders the alternatives.
      tally.clear();
      auto vote = [&tally](const CellReading& reading, size_t count, bool add) {
        const int64_t key = ValueKey(reading);
        for (auto& [value, total] : tally) {
          if (value == key) {
            if (add) total += count;
            return;
          }
        }
        tally.emplace_back(key, count);
      };
      if (is_open) {
        for (size_t k = 0; k < options[r].size(); ++k) {
          if (used[r][k] > 0) vote(options[r][k]->cells[c], used[r][k], true);
        }
      } else {
        vote(cell.reading, 1, true);
      }
      for (const RowReading* rival : rivals[r]) vote(rival->cells[c], 0, false);
      cell.note = rows[r]->repair;
      // A reading that breaks its own row's arithmetic (no reading fits) is
      // a doubt, even when the digits allow only one. (One value in the
      // tally is one text: ToString is one-to-one on units, a blank is "".)
      if (tally.size() == 1 && !capped && !rows[r]->capped && local_ok[r]) {
        cell.state = cell.reading.value ? v1::CELL_STATE_REPAIRED
                                        : v1::CELL_STATE_EMPTY;
        continue;
      }
      std::map<std::string, size_t> votes;
      for (const auto& [key, count] : tally) {
        votes.emplace(key == kBlankKey ? std::string() : Decimal::FromUnits(key).ToString(),
                      count);
      }
      const std::string mine = ValueText(cell.reading);
      cell.state = v1::CELL_STATE_AMBIGUOUS;
      std::vector<std::pair<size_t, std::string>> others;
      for (const auto& [value, count] : votes) {
        if (value != mine) others.emplace_back(count, value);
      }
      std::stable_sort(others.begin(), others.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      for (auto& [count, value] : others) cell.alternatives.push_back(value);
      if (capped || rows[r]->capped) {
        cell.note += " (search limit reached)";
      }
      if (!local_ok[r]) cell.note += " (no reading fits the row's arithmetic)";
      if (!rivals[r].empty()) {
        cell.note += lone_rule[r]
                         ? " (only the row's own rule decides it: a misprint would go unseen)"
                         : " (arithmetic broken: another reading breaks no more rules)";
      }
    }
  }
}

}  // namespace gongkai
