#include "common/parse/parser.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/parse/decode.h"
#include "common/parse/fields.h"
#include "common/parse/layout.h"
#include "common/parse/normalize.h"
#include "common/parse/solver.h"
#include "common/report/template.h"
#include "common/util/sha256.h"

#include "common/formats/extract.h"
#include "common/regions/resolver.h"

namespace gongkai {
namespace {

using gongkai::v1::AnnualReport;
using gongkai::v1::CellState;
using gongkai::v1::ReportFormat;

constexpr size_t kNpos = absl::string_view::npos;

void AddDiagnostic(AnnualReport* report, v1::Severity severity,
                   absl::string_view code, absl::string_view message,
                   size_t begin = 0, size_t end = 0) {
  v1::Diagnostic* d = report->add_diagnostics();
  d->set_severity(severity);
  d->set_code(std::string(code));
  d->set_message(std::string(message));
  if (end > begin) {
    d->mutable_span()->set_begin(static_cast<uint32_t>(begin));
    d->mutable_span()->set_end(static_cast<uint32_t>(end));
  }
}

// Picks the field group holding a row's numbers: the first line with
// numbers, else the label's own line when it has only blank cells.
// `groups` holds `count` groups (ReadFieldGroupsInto).
const FieldGroup* PickGroup(const std::vector<FieldGroup>& groups, size_t count) {
  for (size_t i = 0; i < count; ++i) {
    if (groups[i].NumberCount() > 0) return &groups[i];
  }
  if (count > 0 && groups.front().separated) return &groups.front();
  return nullptr;
}

// Storage ParseInto reuses from one report to the next on the same thread:
// field groups and row readings keep their capacity (no per-row
// allocations once warm).
struct ParseScratch {
  std::vector<FieldGroup> groups;                  // table 二 rows, table 四
  std::vector<std::vector<FieldGroup>> t3_groups;  // per T3AnchorRows() row
  std::vector<size_t> t3_group_count;
  std::vector<RowCandidates> t3_candidates;
  RowCandidates row;
  std::vector<SolveResult> t2_solved;  // per T2Rows() row
  // Per-report tables, kept for their capacity.
  std::vector<const std::vector<SolvedCell>*> t2_cells;  // per T2Rows() row
  std::vector<const FieldGroup*> t3_picked;             // per T3AnchorRows() row
  std::vector<size_t> t3_anchor_end;                    // per T3AnchorRows() row
  std::vector<const RowCandidates*> t3_rows;            // per plan row
  std::vector<const RowCandidates*> one_row;            // table 二 / 四 solves
  SolveResult t3_solved;
  SolveResult t4_solved;
  std::string normalized;  // the NFKC text when keep_text is off
  std::string work;        // the NFKC text with page footers blanked
};

ParseScratch& ThreadScratch() {
  thread_local ParseScratch scratch;
  return scratch;
}

// Releases what an unusually large report left in `scratch` (a region of
// thousands of lines, a line of thousands of fields, rows with thousands of
// readings). Called as each report starts: a thread then holds about one
// ordinary report's storage, plus what its last report needed until the next.
void TrimScratch(ParseScratch* scratch) {
  constexpr size_t kKeepGroups = 16;    // lines per region
  constexpr size_t kKeepFields = 32;    // fields per line
  constexpr size_t kKeepReadings = 512;  // readings per row
  auto trim_groups = [](std::vector<FieldGroup>* groups) {
    if (groups->size() > kKeepGroups) {
      groups->resize(kKeepGroups);
      groups->shrink_to_fit();
    }
    for (FieldGroup& g : *groups) {
      if (g.fields.capacity() > kKeepFields) std::vector<Field>().swap(g.fields);
    }
  };
  auto trim_readings = [](RowCandidates* row) {
    if (row->readings.capacity() > kKeepReadings) std::vector<RowReading>().swap(row->readings);
  };
  trim_groups(&scratch->groups);
  for (auto& groups : scratch->t3_groups) trim_groups(&groups);
  for (RowCandidates& row : scratch->t3_candidates) trim_readings(&row);
  trim_readings(&scratch->row);
  constexpr size_t kKeepTextBytes = 256u << 10;
  for (std::string* text : {&scratch->normalized, &scratch->work}) {
    if (text->capacity() > kKeepTextBytes) std::string().swap(*text);
  }
}

// Digits of the largest whole part in a reading (balance tie-break).
int MaxDigits(const RowReading& r) {
  // The digit count grows with the magnitude: count the largest one's.
  uint64_t largest = 0;
  bool any = false;
  for (const CellReading& c : r.cells) {
    if (!c.value) continue;
    any = true;
    const int64_t units = c.value->units();
    // Negated as unsigned: |INT64_MIN| fits.
    largest = std::max(largest, units < 0 ? 0 - static_cast<uint64_t>(units)
                                          : static_cast<uint64_t>(units));
  }
  if (!any) return 0;
  int digits = 1;
  for (uint64_t whole = largest / Decimal::kScale; whole >= 10; whole /= 10) ++digits;
  return digits;
}

// Orders a repaired row's readings: plausibility for table 二 (a stock is
// at least this year's flow), then balanced digit counts.
void RankReadings(RowCandidates* row, const std::vector<std::string>& columns) {
  if (row->direct || row->readings.size() < 2) return;
  auto column = [&](absl::string_view name) {
    return static_cast<int>(std::find(columns.begin(), columns.end(), name) -
                            columns.begin());
  };
  const int issued = column("issued"), repealed = column("repealed"),
            in_force = column("in_force"), made = column("new_made"),
            published = column("new_published"), stock = column("total_published");
  const int n = static_cast<int>(columns.size());
  auto value = [](const RowReading& r, int c) -> int64_t {
    return r.cells[c].value ? r.cells[c].value->units() : 0;
  };
  // Keys (score, index), sorted: a stable order by score. Per-thread
  // scratch, as is the storage the permutation passes through.
  thread_local std::vector<int64_t> keys;
  thread_local std::vector<std::vector<CellReading>> held;
  std::vector<RowReading>& readings = row->readings;
  keys.clear();
  bool sorted = true;
  for (size_t i = 0; i < readings.size(); ++i) {
    const RowReading& r = readings[i];
    int s = 0;
    if (in_force < n && issued < n && repealed < n) {
      s += 2 * (value(r, in_force) >= value(r, issued));
      s += value(r, issued) >= value(r, repealed);
    }
    if (stock < n && made < n && published < n) {
      s += 2 * (value(r, stock) >= value(r, published));
      s += value(r, made) == value(r, published);
    }
    const int64_t score = -(s * 100 - MaxDigits(r));
    keys.push_back(score * (int64_t{1} << 32) + static_cast<int64_t>(i));
    sorted = sorted && (i == 0 || keys[i - 1] < keys[i]);
  }
  if (sorted) return;
  std::sort(keys.begin(), keys.end());
  // readings[k] takes the cells of the k-th reading in key order.
  if (held.size() < readings.size()) held.resize(readings.size());
  for (size_t i = 0; i < readings.size(); ++i) held[i].swap(readings[i].cells);
  for (size_t k = 0; k < readings.size(); ++k) {
    readings[k].cells.swap(held[static_cast<uint32_t>(keys[k] & 0xffffffff)]);
  }
  constexpr size_t kKeepHeld = 4096;
  if (held.size() > kKeepHeld) std::vector<std::vector<CellReading>>().swap(held);
}

std::vector<ColumnSpec> SpecsFor(absl::string_view stem,
                                 const std::vector<std::string>& columns) {
  std::vector<ColumnSpec> specs;
  for (const std::string& c : columns) {
    std::string key = absl::StrCat(stem, ".", c);
    specs.push_back(ColumnSpec{IsMoneyKey(key), MayBeNegative(key)});
  }
  return specs;
}

// SpecsFor every row of T2Rows(format), built once per format.
const std::vector<std::vector<ColumnSpec>>& T2Specs(ReportFormat format) {
  auto build = [](ReportFormat f) {
    auto* specs = new std::vector<std::vector<ColumnSpec>>;
    for (const T2Row& row : T2Rows(f)) specs->push_back(SpecsFor(row.stem, row.columns));
    return specs;
  };
  static const auto* kF2019 = build(v1::REPORT_FORMAT_F2019);
  static const auto* kF2021 = build(v1::REPORT_FORMAT_F2021);
  static const auto* kNone = build(v1::REPORT_FORMAT_UNSPECIFIED);
  if (format == v1::REPORT_FORMAT_F2019) return *kF2019;
  return format == v1::REPORT_FORMAT_F2021 ? *kF2021 : *kNone;
}

// Detects the layout of a table region from its lines: "tsv", "markdown",
// "pipe", "aligned" or "digit_run" (AnnualReport.layout).
std::string DetectLayout(absl::string_view text, size_t begin, size_t end) {
  size_t tabs = 0, pipes = 0, md = 0, aligned = 0, lines = 0;
  size_t start = begin;
  while (start < end) {
    size_t nl = text.find('\n', start);
    if (nl == kNpos || nl > end) nl = end;
    absl::string_view line = text.substr(start, nl - start);
    ++lines;
    if (line.find('\t') != kNpos) {
      ++tabs;
    } else if (line.find('|') != kNpos) {
      ++pipes;
      if (line.find("---") != kNpos) ++md;
    } else if (line.find("  ") != kNpos) {
      ++aligned;
    }
    start = nl + 1;
  }
  if (tabs >= 3) return "tsv";
  if (md > 0) return "markdown";
  if (pipes >= 3) return "pipe";
  if (aligned >= 3) return "aligned";
  // Few lines: a flattened page; otherwise numbers separated by spaces.
  return lines <= 3 ? "digit_run" : "aligned";
}

// Where each cell key of a template variant comes from: table 2/3/4, row
// and column in that table's solved cells.
struct KeySource {
  std::string key;
  int table;
  int row;
  int column;
};

// Everything about a template variant the parser needs per report, built
// once: table 三's rows, their anchor rows, rules R1–R3, and the sorted keys.
struct VariantPlan {
  TemplateVariant variant;
  std::vector<std::string> t3_rows;
  std::vector<int> t3_anchor;  // index into T3AnchorRows() per t3 row
  std::vector<Rule> t3_rules;
  // Per t3 row, its own rule (R3) when a cross-row rule also checks the
  // row, else none: the rules its readings are filtered by as they are
  // enumerated (RowRules with allowance 0; see table 三 in ParseInto).
  std::vector<std::vector<Rule>> t3_row_rules;
  std::vector<Rule> t4_rules;
  std::vector<KeySource> keys;  // sorted by key
};

VariantPlan BuildPlan(const TemplateVariant& variant) {
  VariantPlan plan;
  plan.variant = variant;
  plan.t3_rows = T3Rows(variant);
  const auto& anchor_rows = T3AnchorRows();
  for (const std::string& row : plan.t3_rows) {
    plan.t3_anchor.push_back(static_cast<int>(
        std::find(anchor_rows.begin(), anchor_rows.end(), row) - anchor_rows.begin()));
  }
  auto index = [&](absl::string_view name) {
    return static_cast<int>(std::find(plan.t3_rows.begin(), plan.t3_rows.end(), name) -
                            plan.t3_rows.begin());
  };
  const int total_col = static_cast<int>(T3Columns().size()) - 1;
  for (size_t r = 0; r < plan.t3_rows.size(); ++r) {
    Rule r3;
    r3.family = 3;
    r3.plus.push_back({static_cast<int>(r), total_col});
    for (int c = 0; c < total_col; ++c) r3.minus.push_back({static_cast<int>(r), c});
    plan.t3_rules.push_back(r3);
    plan.t3_row_rules.push_back({r3});  // dropped below unless cross-checked
  }
  const std::vector<std::string> leaves = T3OutcomeLeafRows(variant);
  for (int c = 0; c <= total_col; ++c) {
    Rule r1;
    r1.family = 1;
    r1.plus = {{index("new"), c}, {index("carried_over"), c}};
    r1.minus = {{index("total"), c}, {index("carried_forward"), c}};
    plan.t3_rules.push_back(r1);
    Rule r2;
    r2.family = 2;
    r2.plus = {{index("total"), c}};
    for (const std::string& leaf : leaves) r2.minus.push_back({index(leaf), c});
    plan.t3_rules.push_back(r2);
  }
  for (size_t r = 0; r < plan.t3_rows.size(); ++r) {
    const bool cross_checked =
        std::any_of(plan.t3_rules.begin(), plan.t3_rules.end(), [r](const Rule& rule) {
          if (rule.RowLocal()) return false;
          for (const auto* side : {&rule.plus, &rule.minus}) {
            for (auto [row, c] : *side) {
              if (row == static_cast<int>(r)) return true;
            }
          }
          return false;
        });
    if (!cross_checked) plan.t3_row_rules[r].clear();
  }
  for (int g = 0; g < 3; ++g) {
    Rule r4;
    r4.family = 4;
    r4.plus = {{0, g * 5 + 4}};
    for (int c = 0; c < 4; ++c) r4.minus.push_back({0, g * 5 + c});
    plan.t4_rules.push_back(r4);
  }
  const auto& t2 = T2Rows(variant.format);
  for (size_t r = 0; r < t2.size(); ++r) {
    for (size_t c = 0; c < t2[r].columns.size(); ++c) {
      plan.keys.push_back({absl::StrCat(t2[r].stem, ".", t2[r].columns[c]), 2,
                           static_cast<int>(r), static_cast<int>(c)});
    }
  }
  for (size_t r = 0; r < plan.t3_rows.size(); ++r) {
    for (size_t c = 0; c < T3Columns().size(); ++c) {
      plan.keys.push_back({T3Key(plan.t3_rows[r], T3Columns()[c]), 3,
                           static_cast<int>(r), static_cast<int>(c)});
    }
  }
  for (int g = 0; g < 3; ++g) {
    for (int c = 0; c < 5; ++c) {
      plan.keys.push_back({T4Key(T4Groups()[g], T4Columns()[c]), 4, 0, g * 5 + c});
    }
  }
  std::sort(plan.keys.begin(), plan.keys.end(),
            [](const KeySource& a, const KeySource& b) { return a.key < b.key; });
  return plan;
}

const VariantPlan& PlanFor(const TemplateVariant& variant) {
  static const auto* kPlans = new std::vector<VariantPlan>{
      BuildPlan({v1::REPORT_FORMAT_F2019, true}),
      BuildPlan({v1::REPORT_FORMAT_F2021, false}),
      BuildPlan({v1::REPORT_FORMAT_F2021, true}),
  };
  if (variant.format == v1::REPORT_FORMAT_F2019) return (*kPlans)[0];
  return variant.single_other_row ? (*kPlans)[2] : (*kPlans)[1];
}

// Sets `*to` to `text` unless it already holds it. Cell values and raw
// texts are a few bytes: compared inline (a libc memcmp call per field cost
// more than the comparison).
void AssignIfDifferent(absl::string_view text, std::string* to) {
  bool same = to->size() == text.size();
  for (size_t i = 0; same && i < text.size(); ++i) same = (*to)[i] == text[i];
  if (!same) to->assign(text.data(), text.size());
}

// Writes one cell over `cell`, which may hold a previous report's cell
// (ParseInto reuses them): every field is set or cleared, so the result is
// the same as on a fresh message while the strings and span keep their
// storage.
// A reused cell usually holds the same key and note and often the same raw
// text and value (the previous report had the same template variant):
// strings are compared before they are set, which costs less than
// protobuf's Set.
void WriteCell(absl::string_view text, const std::string& key, const SolvedCell* s,
               v1::Cell* cell) {
  // Fields are cleared only when set: the clear calls are out of line.
  if (cell->key() != key) cell->set_key(key);
  if (cell->alternatives_size() > 0) cell->clear_alternatives();
  if (s == nullptr || s->state == v1::CELL_STATE_MISSING) {
    cell->set_state(v1::CELL_STATE_MISSING);
    cell->clear_value();
    cell->clear_raw();
    cell->clear_span();
    cell->clear_note();
    return;
  }
  cell->set_state(s->state);
  if (s->reading.value) {
    char value[Decimal::kMaxChars];
    const absl::string_view printed(value, s->reading.value->Format(value));
    AssignIfDifferent(printed, cell->mutable_value());
  } else if (!cell->value().empty()) {
    cell->clear_value();
  }
  size_t b = std::min(s->reading.begin, text.size());
  size_t e = std::min(std::max(s->reading.end, b), text.size());
  AssignIfDifferent(text.substr(b, e - b), cell->mutable_raw());
  v1::Span* span = cell->mutable_span();
  span->set_begin(static_cast<uint32_t>(b));
  span->set_end(static_cast<uint32_t>(e));
  for (const std::string& alt : s->alternatives) cell->add_alternatives(alt);
  if (s->state != v1::CELL_STATE_OK && s->state != v1::CELL_STATE_EMPTY) {
    if (cell->note() != s->note) cell->set_note(s->note);
  } else if (!cell->note().empty()) {
    cell->clear_note();
  }
}

// Clears `report` but keeps its Cell and Section messages (with their
// strings and spans) for the parser to overwrite, and its ReportMeta cleared
// in place: protobuf's Clear() would free every span and the meta message.
void ClearForReuse(AnnualReport* report) {
  google::protobuf::RepeatedPtrField<v1::Cell> cells;
  google::protobuf::RepeatedPtrField<v1::Section> sections;
  cells.Swap(report->mutable_cells());
  sections.Swap(report->mutable_sections());
  v1::ReportMeta* meta = nullptr;
  if (report->GetArena() == nullptr && report->has_meta()) {
    meta = report->release_meta();  // no sub-messages: Clear() keeps its strings
    meta->Clear();
  }
  report->Clear();
  report->mutable_cells()->Swap(&cells);
  report->mutable_sections()->Swap(&sections);
  if (meta != nullptr) report->set_allocated_meta(meta);
}

}  // namespace

ReportParser::ReportParser(ParserOptions options, const RegionResolver* resolver)
    : options_(options), resolver_(resolver) {}

ReportParser::~ReportParser() = default;

absl::StatusOr<AnnualReport> ReportParser::Parse(const Document& document) const {
  AnnualReport report;
  if (absl::Status s = ParseInto(document, &report); !s.ok()) return s;
  return report;
}

absl::Status ReportParser::ParseInto(const Document& document,
                                     AnnualReport* out) const {
  const std::string& bytes = document.bytes;
  if (bytes.size() > options_.max_document_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("input is ", bytes.size(), " bytes, over the limit of ",
                     options_.max_document_bytes));
  }
  if (bytes.empty()) return absl::InvalidArgumentError("empty input");
  ClearForReuse(out);
  AnnualReport& report = *out;
  report.set_source_name(document.name);
  report.set_content_sha256(document.content_sha256.empty() ? Sha256Hex(bytes)
                                                            : document.content_sha256);
  report.set_container("text");
  absl::string_view text_bytes = bytes;
  std::string extracted;
  {
    Container container =
        DetectContainer(bytes, document.media_type, document.name);
    switch (container) {
      case Container::kText:
        break;
      case Container::kHtml:
      case Container::kPdf:
      case Container::kDocx: {
        auto ex = ExtractText(bytes, container, FormatLimits{});
        if (!ex.ok()) return ex.status();
        extracted = std::move(ex->text);
        text_bytes = extracted;
        report.set_container(std::string(ContainerName(container)));
        for (auto& d : ex->diagnostics) *report.add_diagnostics() = d;
        break;
      }
      case Container::kLegacyDoc:
        return absl::InvalidArgumentError(
            "legacy .doc is unsupported: convert to .docx or PDF");
      case Container::kUnknownBinary:
        return absl::InvalidArgumentError("binary data, not a text report");
    }
  }
  ParseScratch& scratch = ThreadScratch();
  TrimScratch(&scratch);
  // The NFKC text, written where it is kept (the storage of the reused
  // message's or the scratch string) rather than moved there.
  std::string& original =
      options_.keep_text ? *report.mutable_normalized_text() : scratch.normalized;
  auto decoded = DecodeAndNormalize(text_bytes, &original);
  if (!decoded.ok()) return decoded.status();
  report.set_encoding(decoded->encoding);
  if (decoded->truncated_tail) {
    AddDiagnostic(&report, v1::SEVERITY_WARNING, "decode.truncated",
                  "input ends inside a UTF-8 character (truncated file); the "
                  "partial character was dropped");
  }
  if (decoded->encoding != "UTF-8") {
    AddDiagnostic(&report, v1::SEVERITY_INFO,
                  absl::StrCat("decode.", absl::AsciiStrToLower(decoded->encoding)),
                  absl::StrCat("input decoded from ", decoded->encoding));
  }
  // Page footers blanked out (same offsets) for the table readers.
  std::string& work = scratch.work;
  work = original;
  BlankPageFooters(&work);
  absl::string_view text = work;

  // Sections.
  std::vector<SectionHeading> headings = FindSections(text);
  size_t section_begin[7], section_end[7];
  std::fill(section_begin, section_begin + 7, kNpos);
  std::fill(section_end, section_end + 7, kNpos);
  for (size_t i = 0; i < headings.size(); ++i) {
    const SectionHeading& h = headings[i];
    section_begin[h.number] = h.begin;
    section_end[h.number] = h.end;
    size_t body_end = i + 1 < headings.size() ? headings[i + 1].begin : text.size();
    v1::Section* s = static_cast<int>(i) < report.sections_size()
                         ? report.mutable_sections(static_cast<int>(i))
                         : report.add_sections();
    // Every field is written: `s` may hold a previous report's section.
    s->set_number(h.number);
    s->mutable_heading()->assign(original.data() + h.begin, h.end - h.begin);
    if (options_.keep_text) {
      s->mutable_text()->assign(original.data() + h.end, body_end - h.end);
    } else {
      s->clear_text();
    }
    s->mutable_span()->set_begin(static_cast<uint32_t>(h.begin));
    s->mutable_span()->set_end(static_cast<uint32_t>(body_end));
  }
  if (report.sections_size() > static_cast<int>(headings.size())) {
    report.mutable_sections()->DeleteSubrange(
        static_cast<int>(headings.size()),
        report.sections_size() - static_cast<int>(headings.size()));
  }
  for (int n = 1; n <= 6; ++n) {
    if (section_begin[n] == kNpos) {
      AddDiagnostic(&report, v1::SEVERITY_WARNING, "section.missing",
                    absl::StrCat("section ", n, " heading not found"));
    }
  }

  // Table regions: each runs from its section heading to the next one.
  auto next_heading_after = [&](int n, size_t fallback) {
    for (int k = n + 1; k <= 6; ++k) {
      if (section_begin[k] != kNpos) return section_begin[k];
    }
    return fallback;
  };
  size_t t2_begin = section_end[2] != kNpos ? section_end[2] : 0;
  if (section_end[2] == kNpos) {
    // No heading: table 二 starts at its first "第二十条" block.
    auto headers = FindT2BlockHeaders(text, t2_begin, text.size());
    if (!headers.empty()) t2_begin = headers.front();
  }
  size_t t2_end = next_heading_after(2, text.size());
  size_t t3_begin = section_end[3] != kNpos ? section_end[3] : t2_begin;
  size_t t3_end = next_heading_after(3, text.size());
  size_t t4_begin = section_end[4];
  size_t t4_end = next_heading_after(4, text.size());
  if (t4_begin != kNpos) t4_end = std::min(t4_end, t4_begin + 6000);

  // Format from table 二's labels.
  ReportFormat format = DetectFormat(text, t2_begin, t2_end);
  std::vector<RowAnchor> t3_anchors = FindT3Anchors(text, t3_begin, t3_end);
  if (section_end[3] == kNpos && !t3_anchors.empty()) {
    t2_end = std::min(t2_end, t3_anchors.front().begin);
  }
  bool have_sub_other = false;
  for (const RowAnchor& a : t3_anchors) have_sub_other |= a.row >= 21 && a.row <= 23;
  if (format == v1::REPORT_FORMAT_UNSPECIFIED) {
    if (t3_anchors.empty()) {
      return absl::InvalidArgumentError(
          "not an annual report: no table 二 or 三 found");
    }
    TitleInfo title = ReadTitle(original);
    format = have_sub_other || title.year >= 2021 ? v1::REPORT_FORMAT_F2021
                                                  : v1::REPORT_FORMAT_F2019;
    AddDiagnostic(&report, v1::SEVERITY_WARNING, "format.guessed",
                  absl::StrCat("table 二 labels not recognised; format ",
                               FormatName(format), " guessed"));
  }
  report.set_layout(DetectLayout(text, t2_begin, t4_end == kNpos ? t3_end : t4_end));
  if (report.container() != "text" && report.layout() == "tsv") {
    report.set_layout("grid");  // tables rebuilt from HTML/PDF/DOCX markup
  }

  SolverLimits limits;
  // Tables 三 and 四: a digit run only its own row's rule decides stays in
  // doubt (a misprinted total would go unseen).
  SolveOptions doubt_lone_rows;
  doubt_lone_rows.doubt_uncorroborated_rows = true;
  bool any_run = false;

  // Table 二: rows are independent (no rule relates their cells).
  const auto& t2_rows = T2Rows(format);
  // Each table 二 row's cells (in scratch.t2_solved), null when not read.
  std::vector<const std::vector<SolvedCell>*>& t2_cells = scratch.t2_cells;
  t2_cells.assign(t2_rows.size(), nullptr);
  if (scratch.t2_solved.size() < t2_rows.size()) scratch.t2_solved.resize(t2_rows.size());
  {
    std::vector<RowAnchor> anchors = FindT2Anchors(text, t2_begin, t2_end, format);
    std::vector<size_t> headers = FindT2BlockHeaders(text, t2_begin, t2_end);
    for (size_t i = 0; i < anchors.size(); ++i) {
      const RowAnchor& a = anchors[i];
      size_t end = i + 1 < anchors.size() ? anchors[i + 1].begin : t2_end;
      for (size_t h : headers) {
        if (h > a.end && h < end) end = h;
      }
      const size_t count = ReadFieldGroupsInto(text, a.end, end, &scratch.groups);
      const FieldGroup* g = PickGroup(scratch.groups, count);
      const T2Row& row = t2_rows[a.row];
      if (g == nullptr) continue;
      RowCandidates& cand = scratch.row;
      ReadRowInto(*g, T2Specs(format)[a.row], false, limits, &cand);
      if (cand.readings.empty()) {
        AddDiagnostic(&report, v1::SEVERITY_WARNING, "row.unreadable",
                      absl::StrCat(row.stem, ": numbers do not fit the ",
                                   row.columns.size(), " columns"),
                      a.begin, end);
        continue;
      }
      any_run |= !cand.direct;
      RankReadings(&cand, row.columns);
      SolveResult& solved = scratch.t2_solved[a.row];
      scratch.one_row.assign(1, &cand);
      SolveTableInto(scratch.one_row, row.columns.size(), {}, limits, SolveOptions(), &solved);
      t2_cells[a.row] = &solved.cells[0];
    }
  }

  // Table 三: every row's readings, then R1–R3 over the whole table.
  TemplateVariant variant;
  variant.format = format;
  SolveResult& t3_solved = scratch.t3_solved;  // set by SolveTableInto below
  {
    const auto& anchor_rows = T3AnchorRows();
    std::vector<const FieldGroup*>& picked = scratch.t3_picked;
    picked.assign(anchor_rows.size(), nullptr);
    std::vector<std::vector<FieldGroup>>& groups = scratch.t3_groups;
    std::vector<size_t>& group_count = scratch.t3_group_count;
    groups.resize(anchor_rows.size());
    group_count.assign(anchor_rows.size(), 0);
    std::vector<size_t>& anchor_end = scratch.t3_anchor_end;
    anchor_end.assign(anchor_rows.size(), 0);
    for (size_t i = 0; i < t3_anchors.size(); ++i) {
      const RowAnchor& a = t3_anchors[i];
      size_t end = i + 1 < t3_anchors.size() ? t3_anchors[i + 1].begin : t3_end;
      group_count[a.row] = ReadFieldGroupsInto(text, a.end, end, &groups[a.row]);
      anchor_end[a.row] = a.end;
      picked[a.row] = PickGroup(groups[a.row], group_count[a.row]);
    }
    // Two labels on one line ("(一)予以公开 (二)部分公开…" then the numbers
    // of both on this and the next line): hand the first line back.
    for (size_t i = 0; i + 1 < t3_anchors.size(); ++i) {
      int r = t3_anchors[i].row;
      int next = t3_anchors[i + 1].row;
      if (picked[r] != nullptr || group_count[next] < 2) continue;
      size_t line_of_r = text.rfind('\n', t3_anchors[i].begin);
      size_t line_of_next = text.rfind('\n', t3_anchors[i + 1].begin);
      if (line_of_r != line_of_next) continue;
      picked[r] = &groups[next][0];
      picked[next] = &groups[next][1];
      AddDiagnostic(&report, v1::SEVERITY_INFO, "row.shared_line",
                    absl::StrCat("t3.", anchor_rows[r], " and t3.",
                                 anchor_rows[next],
                                 " labels share a line; numbers taken from "
                                 "the next two lines"),
                    t3_anchors[i].begin, t3_anchors[i + 1].end);
    }
    if (format == v1::REPORT_FORMAT_F2021 && !have_sub_other &&
        picked[20] != nullptr) {
      variant.single_other_row = true;
    }
    const VariantPlan& plan = PlanFor(variant);
    const size_t num_rows = plan.t3_rows.size();
    std::vector<RowCandidates>& candidates = scratch.t3_candidates;
    if (candidates.size() < num_rows) candidates.resize(num_rows);
    std::vector<const RowCandidates*>& row_ptrs = scratch.t3_rows;
    row_ptrs.assign(num_rows, nullptr);
    static const std::vector<ColumnSpec> kT3Specs(T3Columns().size());
    // Rows are first read with their own rule applied (RowRules with
    // allowance 0: a reading that breaks it is kept only when none satisfies
    // it). In a table whose arithmetic holds the others cannot be picked;
    // when a rule family has to be relaxed the solver weighs every reading
    // of a recovered row (its rivals), so the rows are read again in full.
    bool filtered = false;
    auto read_rows = [&](bool apply_rules) {
      for (size_t r = 0; r < num_rows; ++r) {
        const int ai = plan.t3_anchor[r];
        if (picked[ai] == nullptr) continue;
        RowRules own;
        if (apply_rules) {
          own.rules = &plan.t3_row_rules[r];
          own.allowance = 0;
        }
        ReadRowInto(*picked[ai], kT3Specs, false, limits, own, &candidates[r]);
        filtered |= apply_rules && !candidates[r].direct && !plan.t3_row_rules[r].empty();
        if (candidates[r].readings.empty()) {
          if (apply_rules) {
            AddDiagnostic(&report, v1::SEVERITY_WARNING, "row.unreadable",
                          absl::StrCat("t3.", plan.t3_rows[r], ": numbers do not fit 7 columns"),
                          anchor_end[ai], anchor_end[ai]);
          }
          continue;
        }
        any_run |= !candidates[r].direct;
        RankReadings(&candidates[r], T3Columns());
        row_ptrs[r] = &candidates[r];
      }
    };
    read_rows(true);
    SolveTableInto(row_ptrs, T3Columns().size(), plan.t3_rules, limits, doubt_lone_rows,
                   &t3_solved);
    if (filtered && !t3_solved.relaxed_families.empty()) {
      row_ptrs.assign(num_rows, nullptr);
      read_rows(false);
      SolveTableInto(row_ptrs, T3Columns().size(), plan.t3_rules, limits, doubt_lone_rows,
                     &t3_solved);
    }
    for (int f : t3_solved.relaxed_families) {
      AddDiagnostic(&report, v1::SEVERITY_WARNING, "solver.relaxed",
                    absl::StrCat("table 三: no reading satisfies R", f,
                                 "; the printed arithmetic is broken, rule "
                                 "not used to decide cells"));
    }
    if (t3_solved.capped) {
      AddDiagnostic(&report, v1::SEVERITY_WARNING, "solver.capped",
                    "table 三: search limit reached; open cells are ambiguous");
    }
  }
  const VariantPlan& plan = PlanFor(variant);

  // Table 四: the line with the most numbers after the heading.
  const std::vector<SolvedCell>* t4_cells = nullptr;
  if (t4_begin != kNpos) {
    const size_t count = ReadFieldGroupsInto(text, t4_begin, t4_end, &scratch.groups);
    const FieldGroup* best = nullptr;
    for (size_t i = 0; i < count; ++i) {
      const FieldGroup& g = scratch.groups[i];
      if (best == nullptr || g.NumberCount() >= best->NumberCount()) best = &g;
    }
    if (best != nullptr && best->NumberCount() > 0) {
      static const std::vector<ColumnSpec> kT4Specs(15);
      RowCandidates& cand = scratch.row;
      // Its rules are applied as the run is split: only the readings the
      // solver could pick or doubt by are kept (RowRules).
      RowRules t4_row_rules;
      t4_row_rules.rules = &plan.t4_rules;
      ReadRowInto(*best, kT4Specs, true, limits, t4_row_rules, &cand);
      any_run |= !cand.direct;
      RankReadings(&cand, {});
      if (!cand.readings.empty()) {
        scratch.one_row.assign(1, &cand);
        SolveTableInto(scratch.one_row, 15, plan.t4_rules, limits, doubt_lone_rows,
                       &scratch.t4_solved);
        t4_cells = &scratch.t4_solved.cells[0];
      } else {
        AddDiagnostic(&report, v1::SEVERITY_WARNING, "row.unreadable",
                      "table 四: numbers do not fit 15 columns");
      }
    }
  }
  if (any_run && report.layout() != "tsv") {
    AddDiagnostic(&report, v1::SEVERITY_INFO, "layout.digit_run",
                  "cells recovered from digit runs or extra numbers");
  }

  // Every template cell, sorted by key.
  size_t found = 0;
  auto* cells = report.mutable_cells();
  const int num_keys = static_cast<int>(plan.keys.size());
  if (cells->size() > num_keys) {
    cells->DeleteSubrange(num_keys, cells->size() - num_keys);
  }
  cells->Reserve(num_keys);
  for (int i = 0; i < num_keys; ++i) {
    const KeySource& k = plan.keys[i];
    const SolvedCell* s = nullptr;
    if (k.table == 2 && t2_cells[k.row] != nullptr &&
        static_cast<size_t>(k.column) < t2_cells[k.row]->size()) {
      s = &(*t2_cells[k.row])[k.column];
    } else if (k.table == 3 && !t3_solved.cells.empty()) {
      s = &t3_solved.cells[k.row][k.column];
    } else if (k.table == 4 && t4_cells != nullptr && !t4_cells->empty()) {
      s = &(*t4_cells)[k.column];
    }
    if (s != nullptr && s->state != v1::CELL_STATE_MISSING) ++found;
    WriteCell(original, k.key, s, i < cells->size() ? cells->Mutable(i) : cells->Add());
  }
  if (found == 0) {
    return absl::InvalidArgumentError(
        "not an annual report: no table cells found");
  }

  // Metadata.
  TitleInfo title = ReadTitle(original);
  v1::ReportMeta* meta = report.mutable_meta();
  meta->set_organ(title.organ);
  meta->set_year(document.year > 0 ? document.year : title.year);
  meta->set_format(format);
  meta->set_single_other_row(variant.format == v1::REPORT_FORMAT_F2019 ||
                             variant.single_other_row);
  meta->set_title(title.title);
  meta->set_statistics_period(title.statistics_period);
  meta->set_region_code(document.region_code);
  if (resolver_ != nullptr) resolver_->Resolve(document.region_code, &report);
  return absl::OkStatus();
}

}  // namespace gongkai
