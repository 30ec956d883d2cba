#include "common/validate/validator.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/report/decimal.h"
#include "common/report/template.h"
#include "common/validate/report_cells.h"
#include "common/validate/rules.h"
#include "common/validate/text_rules.h"

namespace gongkai {
namespace {

using v1::AnnualReport;
using v1::Cell;
using v1::Finding;

// Section text shorter than this (bytes, whitespace removed) is too short to
// call a copy of last year's (e.g. "无。").
constexpr size_t kMinCopiedSectionBytes = 200;

bool KnownFormat(v1::ReportFormat format) {
  return format == v1::REPORT_FORMAT_F2019 || format == v1::REPORT_FORMAT_F2021;
}

TemplateVariant VariantOf(const AnnualReport& report) {
  return TemplateVariant{report.meta().format(), report.meta().single_other_row()};
}

// The findings of one Validate() call and the rules that ran.
class Run {
 public:
  explicit Run(const absl::flat_hash_set<std::string>& disabled) : disabled_(disabled) {}

  bool Enabled(absl::string_view id) const { return !disabled_.contains(id); }
  void MarkRun(absl::string_view id) {
    if (Enabled(id)) ran_.insert(std::string(id));
  }
  void Add(Finding finding) {
    if (Enabled(finding.rule())) findings_.push_back(std::move(finding));
  }

  v1::ValidationResult Finish() && {
    v1::ValidationResult result;
    for (Finding& finding : findings_) {
      if (finding.severity() == v1::SEVERITY_ERROR) {
        result.set_error_count(result.error_count() + 1);
      } else if (finding.severity() == v1::SEVERITY_WARNING) {
        result.set_warning_count(result.warning_count() + 1);
      }
      *result.add_findings() = std::move(finding);
    }
    for (const RuleInfo& rule : RuleCatalogue()) {
      if (ran_.contains(rule.id)) result.add_rules_run(rule.id);
    }
    return result;
  }

 private:
  const absl::flat_hash_set<std::string>& disabled_;
  absl::flat_hash_set<std::string> ran_;
  std::vector<Finding> findings_;
};

std::string TermKey(const SumTerm& term) {
  return term.previous ? absl::StrCat(kPreviousKeyPrefix, term.key) : term.key;
}

// Most combinations of ambiguous readings EvaluateSum() tries before it
// calls a failing sum unprovable without trying the rest.
constexpr size_t kMaxReadingCombinations = 4096;

// True when some combination of the ambiguous cells' readings makes
// `balance` (sum(checked) − sum(parts) with the most likely readings) zero,
// or when there are too many combinations to tell.
bool SomeReadingFits(Decimal balance,
                     const std::vector<std::pair<int, std::vector<Decimal>>>& ambiguous) {
  size_t combinations = 1;
  for (const auto& [sign, readings] : ambiguous) {
    combinations *= readings.size();
    if (combinations > kMaxReadingCombinations) return true;
  }
  std::vector<size_t> choice(ambiguous.size(), 0);
  for (size_t n = 0; n < combinations; ++n) {
    Decimal total = balance;
    size_t rest = n;
    for (size_t i = 0; i < ambiguous.size(); ++i) {
      const auto& [sign, readings] = ambiguous[i];
      const Decimal shift = readings[rest % readings.size()] - readings[0];
      rest /= readings.size();
      total += sign < 0 ? Decimal() - shift : shift;
    }
    if (total == Decimal()) return true;
  }
  return false;
}

// Evaluates one sum rule. Skips it when a cell is absent, missing or not a
// number. When the sum fails and an ambiguous cell is involved, reports A1
// (unprovable) instead of an error rule (R1–R4); a warning rule (X1, X2) is
// A1 when some reading of the ambiguous cells would satisfy it and itself
// when none does. Blank cells count as 0 and the message says
// so; a single checked cell printed blank has `actual` "" (as printed).
void EvaluateSum(const SumRule& rule, const ReportCells& current,
                 const ReportCells* previous, Run* run) {
  Decimal sides[2];
  int blanks = 0;
  bool checked_blank = false;
  std::vector<std::string> keys;
  std::vector<std::string> ambiguous_keys;
  // (sign in sum(checked) − sum(parts), readings) per ambiguous cell.
  std::vector<std::pair<int, std::vector<Decimal>>> ambiguous;
  const std::vector<SumTerm>* terms[2] = {&rule.checked, &rule.parts};
  for (int side = 0; side < 2; ++side) {
    for (const SumTerm& term : *terms[side]) {
      const ReportCells* source = term.previous ? previous : &current;
      if (source == nullptr) return;
      std::optional<ReportCells::Value> value = source->Get(term.key);
      if (!value) return;
      sides[side] += term.sign < 0 ? Decimal() - value->value : value->value;
      if (value->state == v1::CELL_STATE_EMPTY) {
        ++blanks;
        if (side == 0 && rule.checked.size() == 1) checked_blank = true;
      }
      if (value->state == v1::CELL_STATE_AMBIGUOUS) {
        ambiguous_keys.push_back(TermKey(term));
        ambiguous.emplace_back(side == 0 ? term.sign : -term.sign,
                               source->Readings(term.key));
      }
      keys.push_back(TermKey(term));
    }
  }
  const Decimal actual = sides[0];
  const Decimal expected = sides[1];
  if (actual == expected) return;
  const RuleInfo& info = *FindRule(rule.rule);
  const std::string e = expected.ToString();
  const std::string a = checked_blank ? "" : actual.ToString();
  const std::string a_zh = checked_blank ? "空白" : a;
  const std::string a_en = checked_blank ? "blank" : a;
  const std::string d = (actual - expected).ToString();
  const std::string& subject = keys.front();
  std::string note_zh, note_en;
  if (blanks > 0) {
    note_zh = absl::StrCat("（", blanks, " 个空白单元格按0计）");
    note_en = absl::StrCat(" (", blanks, " blank cell(s) counted as 0)");
  }
  const std::string cells = absl::StrJoin(ambiguous_keys, ", ");
  if (!ambiguous.empty()) {
    // An error must never rest on a reading the parser was unsure of, so
    // R1–R4 always become A1; the cross-year warnings stay themselves when
    // no reading of the ambiguous cells fits.
    const bool is_error = info.severity == v1::SEVERITY_ERROR;
    if (is_error || SomeReadingFits(actual - expected, ambiguous)) {
      run->Add(MakeFinding(
          *FindRule("A1"), keys, e, a, d,
          absl::StrCat(subject, "：", info.id, "（", info.title_zh, "）无法验证：单元格 ",
                       cells, " 读数不确定；按最可能的读数应为 ", e, "，实为 ", a_zh,
                       note_zh),
          absl::StrCat(subject, ": ", info.id, " (", info.title_en,
                       ") is unprovable: cell(s) ", cells,
                       " are ambiguous; with the most likely reading expected ", e,
                       ", printed ", a_en, note_en)));
      return;
    }
    absl::StrAppend(&note_zh, "（单元格 ", cells, " 读数不确定，但任何读数均不成立）");
    absl::StrAppend(&note_en, " (cell(s) ", cells,
                    " are ambiguous, but no reading satisfies the rule)");
  }
  run->Add(MakeFinding(
      info, keys, e, a, d,
      absl::StrCat(subject, "：", info.title_zh, "；应为 ", e, "，实为 ", a_zh, "，相差 ", d,
                   note_zh),
      absl::StrCat(subject, ": ", info.title_en, "; expected ", e, ", printed ", a_en,
                   " (difference ", d, ")", note_en)));
}

// Why `value` breaks R5 for `key`, or "" when it does not.
std::string R5Problem(absl::string_view key, absl::string_view value, bool zh) {
  std::optional<Decimal> number = Decimal::Parse(value);
  if (!number) return zh ? "不是数字" : "is not a number";
  if (!(*number < Decimal::FromInt(ReportCells::kMaxMagnitude)) ||
      !(Decimal::FromInt(-ReportCells::kMaxMagnitude) < *number)) {
    return zh ? "数值过大（不参与求和）" : "is implausibly large (left out of sums)";
  }
  if (number->is_negative() && !MayBeNegative(key)) return zh ? "为负数" : "is negative";
  if (!number->is_integer() && !IsMoneyKey(key)) {
    return zh ? "不是整数" : "is not a whole number";
  }
  return "";
}

void CheckR5(const AnnualReport& report, Run* run) {
  const RuleInfo& info = *FindRule("R5");
  for (const Cell& cell : report.cells()) {
    if (cell.state() == v1::CELL_STATE_MISSING || cell.state() == v1::CELL_STATE_EMPTY ||
        cell.value().empty()) {
      continue;
    }
    std::string problem = R5Problem(cell.key(), cell.value(), false);
    if (problem.empty()) continue;
    if (cell.state() == v1::CELL_STATE_AMBIGUOUS) {
      // Unsure cells break R5 only when every reading does.
      bool all_bad = true;
      for (const std::string& alternative : cell.alternatives()) {
        all_bad = all_bad && !R5Problem(cell.key(), alternative, false).empty();
      }
      if (!all_bad) continue;
    }
    run->Add(MakeFinding(
        info, {cell.key()}, "", cell.value(), "",
        absl::StrCat(cell.key(), "：", cell.value(), " ", R5Problem(cell.key(), cell.value(), true)),
        absl::StrCat(cell.key(), ": ", cell.value(), " ", problem)));
  }
}

// N1: F2019 `delta` below −`prev_items` leaves a negative item count.
void CheckDeltas(const ReportCells& cells, Run* run) {
  const RuleInfo& info = *FindRule("N1");
  for (const T2Row& row : T2Rows(v1::REPORT_FORMAT_F2019)) {
    bool has_prev = false;
    bool has_delta = false;
    for (const std::string& column : row.columns) {
      has_prev = has_prev || column == "prev_items";
      has_delta = has_delta || column == "delta";
    }
    if (!has_prev || !has_delta) continue;
    const std::string delta_key = absl::StrCat(row.stem, ".delta");
    const std::string prev_key = absl::StrCat(row.stem, ".prev_items");
    auto delta = cells.Get(delta_key);
    auto prev = cells.Get(prev_key);
    if (!delta || !prev || delta->state == v1::CELL_STATE_AMBIGUOUS ||
        prev->state == v1::CELL_STATE_AMBIGUOUS) {
      continue;
    }
    const Decimal floor = Decimal() - prev->value;
    if (!(delta->value < floor)) continue;
    const std::string e = floor.ToString();
    const std::string a = delta->value.ToString();
    run->Add(MakeFinding(
        info, {delta_key, prev_key}, e, a, (delta->value - floor).ToString(),
        absl::StrCat(delta_key, "：本年增/减 ", a, " 小于 ", e, "，本年项目数量将为负数"),
        absl::StrCat(delta_key, ": delta ", a, " is below ", e,
                     ", which leaves a negative item count")));
  }
}

// M1: a table whose every template cell is absent or missing; also the
// report whose format (and so template) is unknown.
void CheckMissingTables(const AnnualReport& report, const ReportCells& cells, Run* run) {
  const RuleInfo& info = *FindRule("M1");
  if (!KnownFormat(report.meta().format())) {
    run->Add(MakeFinding(info, {"meta.format"}, "", "", "",
                         "表格格式未识别（既非2019版也非2021版），算术规则未运行",
                         "the table format is not recognised (neither F2019 nor F2021); "
                         "the arithmetic rules did not run"));
    return;
  }
  const TemplateVariant variant = VariantOf(report);
  const T2Row& t2_first = T2Rows(variant.format).front();
  struct Table {
    const char* prefix;
    std::string first_key;  // the table's first cell in form order
    const char* zh;
    const char* en;
  };
  const Table tables[] = {
      {"t2.", absl::StrCat(t2_first.stem, ".", t2_first.columns.front()),
       "二、主动公开政府信息情况", "table 2 (proactive disclosure)"},
      {"t3.", T3Key(T3Rows(variant).front(), T3Columns().front()),
       "三、收到和处理政府信息公开申请情况", "table 3 (applications)"},
      {"t4.", T4Key(T4Groups().front(), T4Columns().front()),
       "四、行政复议、行政诉讼情况", "table 4 (reviews and suits)"}};
  for (const Table& table : tables) {
    bool any = false;
    for (const std::string& key : CachedCellKeys(variant)) {
      if (!absl::StartsWith(key, table.prefix)) continue;
      const Cell* cell = cells.Find(key);
      if (cell != nullptr && cell->state() != v1::CELL_STATE_MISSING) {
        any = true;
        break;
      }
    }
    if (any) continue;
    run->Add(MakeFinding(info, {table.first_key}, "", "", "",
                         absl::StrCat("表格“", table.zh, "”整体缺失"),
                         absl::StrCat(table.en, " is missing entirely")));
  }
}

constexpr const char* kSectionNumerals[] = {"", "一", "二", "三", "四", "五", "六"};

// Q1 (sections, statistics period) and Y1 (year against period).
void CheckSectionsAndPeriod(const AnnualReport& report, absl::string_view text, Run* run) {
  const RuleInfo& q1 = *FindRule("Q1");
  if (run->Enabled("Q1")) {
    bool present[7] = {};
    for (const v1::Section& section : report.sections()) {
      if (section.number() >= 1 && section.number() <= 6) present[section.number()] = true;
    }
    std::vector<std::string> missing_zh;
    std::vector<std::string> missing_en;
    for (int n = 1; n <= 6; ++n) {
      if (present[n]) continue;
      missing_zh.push_back(kSectionNumerals[n]);
      missing_en.push_back(std::to_string(n));
    }
    if (!missing_zh.empty()) {
      run->Add(MakeFinding(q1, {}, "", "", "",
                           absl::StrCat("缺少第", absl::StrJoin(missing_zh, "、"), "部分"),
                           absl::StrCat("section(s) ", absl::StrJoin(missing_en, ", "),
                                        " of 6 not found")));
    }
  }
  std::optional<StatisticsPeriod> period = FindStatisticsPeriod(report, text);
  if (!period) return;
  const std::vector<PrintedDate>& dates = period->dates;
  if (dates.size() >= 2) {
    const PrintedDate& first = dates.front();
    const PrintedDate& last = dates.back();
    if (first.month != 1 || first.day != 1 || last.month != 12 || last.day != 31) {
      run->Add(MakeFinding(q1, {}, "1月1日-12月31日", period->text, "",
                           absl::StrCat("统计期限“", period->text, "”不是1月1日至12月31日"),
                           absl::StrCat("the statistics period \"", period->text,
                                        "\" is not 1 January to 31 December")));
    }
  }
  const int year = report.meta().year();
  if (year == 0) return;
  for (const PrintedDate& date : dates) {
    if (date.year == 0 || date.year == year) continue;
    run->Add(MakeFinding(*FindRule("Y1"), {"meta.year"}, std::to_string(date.year),
                         std::to_string(year), std::to_string(year - date.year),
                         absl::StrCat("报告年度 ", year, " 与统计期限“", period->text, "”不一致"),
                         absl::StrCat("the report year ", year,
                                      " disagrees with the statistics period \"",
                                      period->text, "\"")));
    return;
  }
}

// Q2: identical tables or identical section text to last year's report.
void CheckCopy(const AnnualReport& report, const AnnualReport& previous,
               const ReportCells& cells, const ReportCells& previous_cells, Run* run) {
  const RuleInfo& info = *FindRule("Q2");
  if (KnownFormat(report.meta().format()) &&
      report.meta().format() == previous.meta().format() &&
      report.meta().single_other_row() == previous.meta().single_other_row()) {
    bool identical = true;
    bool any_nonzero = false;
    for (const std::string& key : CachedCellKeys(VariantOf(report))) {
      const Cell* a = cells.Find(key);
      const Cell* b = previous_cells.Find(key);
      if (a == nullptr || b == nullptr || a->state() != b->state() || a->value() != b->value()) {
        identical = false;
        break;
      }
      auto value = cells.Get(key);
      if (value && value->value != Decimal()) any_nonzero = true;
    }
    if (identical && any_nonzero) {
      run->Add(MakeFinding(info, {}, "", "", "", "表格二、三、四与上一年报告完全相同",
                           "tables 2, 3 and 4 are identical to last year's report"));
    }
  }
  for (const v1::Section& section : report.sections()) {
    const std::string text = RemoveWhitespace(section.text());
    if (text.size() < kMinCopiedSectionBytes) continue;
    for (const v1::Section& old : previous.sections()) {
      if (old.number() != section.number() || RemoveWhitespace(old.text()) != text) continue;
      const int n = section.number();
      run->Add(MakeFinding(
          info, {}, "", "", "",
          absl::StrCat("第", n >= 1 && n <= 6 ? kSectionNumerals[n] : std::to_string(n).c_str(),
                       "部分文字与上一年报告完全相同"),
          absl::StrCat("the text of section ", n, " is identical to last year's report")));
      break;
    }
  }
}

}  // namespace

Validator::Validator() = default;
Validator::~Validator() = default;

absl::StatusOr<v1::ValidationResult> Validator::Validate(
    const AnnualReport& report, const AnnualReport* previous,
    const v1::ValidateOptions& options) const {
  absl::flat_hash_set<std::string> disabled;
  for (const std::string& id : options.disabled_rules()) {
    if (FindRule(id) == nullptr) {
      std::vector<std::string> known;
      for (const RuleInfo& rule : RuleCatalogue()) known.push_back(rule.id);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown rule id '", id, "' (known: ", absl::StrJoin(known, ", "), ")"));
    }
    disabled.insert(id);
  }
  Run run(disabled);
  const ReportCells cells(report);
  const TemplateVariant variant = VariantOf(report);
  const bool known_format = KnownFormat(variant.format);

  run.MarkRun("R5");
  if (run.Enabled("R5")) CheckR5(report, &run);

  if (known_format) {
    for (const char* id : {"R1", "R2", "R3", "R4", "A1"}) run.MarkRun(id);
    for (const SumRule& rule : ReportSumRules(variant)) {
      if (run.Enabled(rule.rule)) EvaluateSum(rule, cells, nullptr, &run);
    }
  }
  if (variant.format == v1::REPORT_FORMAT_F2019) {
    run.MarkRun("N1");
    if (run.Enabled("N1")) CheckDeltas(cells, &run);
  }
  run.MarkRun("M1");
  if (run.Enabled("M1")) CheckMissingTables(report, cells, &run);

  if (previous != nullptr) {
    const ReportCells previous_cells(*previous);
    const TemplateVariant previous_variant = VariantOf(*previous);
    bool x2 = false;
    for (const SumRule& rule : CrossYearSumRules(variant, previous_variant)) {
      x2 = x2 || rule.rule == "X2";
      if (run.Enabled(rule.rule)) EvaluateSum(rule, cells, &previous_cells, &run);
    }
    if (known_format && KnownFormat(previous_variant.format)) {
      run.MarkRun("X1");
      run.MarkRun("A1");
    }
    if (x2) run.MarkRun("X2");
    run.MarkRun("Q2");
    if (run.Enabled("Q2")) CheckCopy(report, *previous, cells, previous_cells, &run);
  }

  const std::string text = ReportText(report);
  if (known_format) {
    run.MarkRun("T1");
    if (run.Enabled("T1")) {
      for (Finding& finding : CheckQuotedCounts(cells, text)) run.Add(std::move(finding));
    }
  }
  run.MarkRun("Q1");
  run.MarkRun("Y1");
  CheckSectionsAndPeriod(report, text, &run);
  return std::move(run).Finish();
}

}  // namespace gongkai
