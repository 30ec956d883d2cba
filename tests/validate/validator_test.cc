// The validator's rules, each broken on purpose on synthetic reports.
#include "common/validate/validator.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/validate/rules.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/validate/report_fixture.h"

namespace gongkai {
namespace {

using ::gongkai::testing::AddToCell;
using ::gongkai::testing::AppendToSection;
using ::gongkai::testing::CellInt;
using ::gongkai::testing::FixtureSpec;
using ::gongkai::testing::MakeReport;
using ::gongkai::testing::MutableCell;
using ::gongkai::testing::NextYearSpec;
using ::gongkai::testing::SetCell;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using v1::AnnualReport;
using v1::Finding;
using v1::ValidationResult;

const TemplateVariant kF2019{v1::REPORT_FORMAT_F2019, false};
const TemplateVariant kF2021{v1::REPORT_FORMAT_F2021, false};
const TemplateVariant kF2021Single{v1::REPORT_FORMAT_F2021, true};

FixtureSpec Spec(TemplateVariant variant, int year = 2021) {
  FixtureSpec spec;
  spec.variant = variant;
  spec.year = year;
  return spec;
}

ValidationResult Validate(const AnnualReport& report, const AnnualReport* previous = nullptr,
                          std::vector<std::string> disabled = {}) {
  v1::ValidateOptions options;
  for (const std::string& id : disabled) options.add_disabled_rules(id);
  absl::StatusOr<ValidationResult> result = Validator().Validate(report, previous, options);
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result : ValidationResult();
}

std::vector<Finding> OfRule(const ValidationResult& result, const std::string& rule) {
  std::vector<Finding> found;
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == rule) found.push_back(finding);
  }
  return found;
}

// The finding of `rule` whose first key is `key`; fails when there is none.
Finding FindingAt(const ValidationResult& result, const std::string& rule,
                  const std::string& key) {
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == rule && finding.keys_size() > 0 && finding.keys(0) == key) {
      return finding;
    }
  }
  ADD_FAILURE() << "no " << rule << " finding at " << key;
  return Finding();
}

std::vector<std::string> Rules(const ValidationResult& result) {
  std::vector<std::string> rules;
  for (const Finding& finding : result.findings()) rules.push_back(finding.rule());
  return rules;
}

std::string Describe(const ValidationResult& result) {
  std::string out;
  for (const Finding& finding : result.findings()) {
    absl::StrAppend(&out, finding.rule(), " ", absl::StrJoin(finding.keys(), ","), " ",
                    finding.expected(), " ", finding.actual(), " ", finding.message_en(),
                    "\n");
  }
  return out;
}

class ConsistentReportTest : public ::testing::TestWithParam<TemplateVariant> {};

TEST_P(ConsistentReportTest, HasNoFindings) {
  const ValidationResult result = Validate(MakeReport(Spec(GetParam())));
  EXPECT_EQ(result.findings_size(), 0) << Describe(result);
  EXPECT_EQ(result.error_count(), 0);
  EXPECT_EQ(result.warning_count(), 0);
  EXPECT_THAT(result.rules_run(), Contains("R1"));
  EXPECT_THAT(result.rules_run(), Contains("R5"));
  EXPECT_THAT(result.rules_run(), Contains("T1"));
  EXPECT_THAT(result.rules_run(), Contains("Q1"));
  // Cross-year rules need last year's report.
  EXPECT_THAT(result.rules_run(), Not(Contains("X1")));
  EXPECT_THAT(result.rules_run(), Not(Contains("X2")));
  EXPECT_THAT(result.rules_run(), Not(Contains("Q2")));
}

TEST_P(ConsistentReportTest, NextYearPassesCrossYearRules) {
  const FixtureSpec spec = Spec(GetParam(), 2021);
  const AnnualReport last = MakeReport(spec);
  const AnnualReport current = MakeReport(NextYearSpec(spec, last));
  const ValidationResult result = Validate(current, &last);
  EXPECT_EQ(result.findings_size(), 0) << Describe(result);
  EXPECT_THAT(result.rules_run(), Contains("X1"));
  EXPECT_THAT(result.rules_run(), Contains("Q2"));
  if (GetParam().format == v1::REPORT_FORMAT_F2021) {
    EXPECT_THAT(result.rules_run(), Contains("X2"));
  } else {
    EXPECT_THAT(result.rules_run(), Not(Contains("X2")));
  }
}

TEST_P(ConsistentReportTest, BrokenOutcomeRowGivesR2) {
  AnnualReport report = MakeReport(Spec(GetParam()));
  // The last outcome leaf: other (single row) or other.other.
  const std::string leaf = T3OutcomeLeafRows(GetParam()).back();
  AddToCell(&report, T3Key(leaf, "research"), 6);
  AddToCell(&report, T3Key(leaf, "total"), 6);
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("R2", "R2")) << Describe(result);
  const Finding finding = FindingAt(result, "R2", "t3.total.research");
  EXPECT_EQ(finding.severity(), v1::SEVERITY_ERROR);
  EXPECT_EQ(finding.difference(), "-6");
  EXPECT_EQ(finding.expected(), std::to_string(CellInt(report, "t3.total.research") + 6));
  EXPECT_EQ(finding.actual(), std::to_string(CellInt(report, "t3.total.research")));
  EXPECT_THAT(finding.keys(), Contains(T3Key(leaf, "research")));
  EXPECT_FALSE(finding.message_zh().empty());
  EXPECT_FALSE(finding.message_en().empty());
  EXPECT_EQ(result.error_count(), 2);
}

INSTANTIATE_TEST_SUITE_P(Variants, ConsistentReportTest,
                         ::testing::Values(kF2019, kF2021, kF2021Single),
                         [](const auto& info) {
                           return std::string(FormatName(info.param.format)) +
                                  (info.param.single_other_row ? "Single" : "");
                         });

TEST(ValidatorTest, R1CarriedForwardOffByOne) {
  AnnualReport report = MakeReport(Spec(kF2021));
  AddToCell(&report, "t3.carried_forward.natural", 1);
  AddToCell(&report, "t3.carried_forward.total", 1);
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("R1", "R1")) << Describe(result);
  const Finding finding = FindingAt(result, "R1", "t3.total.natural");
  EXPECT_THAT(finding.keys(), ElementsAre("t3.total.natural", "t3.carried_forward.natural",
                                          "t3.new.natural", "t3.carried_over.natural"));
  EXPECT_EQ(finding.difference(), "1");
  FindingAt(result, "R1", "t3.total.total");
}

TEST(ValidatorTest, R3RowTotal) {
  AnnualReport report = MakeReport(Spec(kF2019));
  AddToCell(&report, "t3.denied.third_party.total", -1);
  const ValidationResult result = Validate(report);
  const Finding r3 = FindingAt(result, "R3", "t3.denied.third_party.total");
  EXPECT_EQ(r3.difference(), "-1");
  EXPECT_EQ(r3.keys_size(), 7);
  // The total column of R2 breaks too.
  EXPECT_EQ(FindingAt(result, "R2", "t3.total.total").difference(), "1");
  EXPECT_EQ(result.error_count(), 2) << Describe(result);
}

TEST(ValidatorTest, R4TotalPrintedZeroLikeHongze2023) {
  AnnualReport report = MakeReport(Spec(kF2021Single, 2023));
  SetCell(&report, "t4.review.upheld", "10");
  SetCell(&report, "t4.review.corrected", "1");
  SetCell(&report, "t4.review.other", "0");
  SetCell(&report, "t4.review.pending", "0");
  SetCell(&report, "t4.review.total", "0");
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("R4")) << Describe(result);
  const Finding finding = FindingAt(result, "R4", "t4.review.total");
  EXPECT_THAT(finding.keys(), ElementsAre("t4.review.total", "t4.review.upheld",
                                          "t4.review.corrected", "t4.review.other",
                                          "t4.review.pending"));
  EXPECT_EQ(finding.expected(), "11");
  EXPECT_EQ(finding.actual(), "0");
  EXPECT_EQ(finding.difference(), "-11");
}

TEST(ValidatorTest, R5NegativeAndFractionalCounts) {
  AnnualReport report = MakeReport(Spec(kF2019, 2020));
  SetCell(&report, "t2.licensing.decisions", "-4");
  SetCell(&report, "t2.rules.new_made", "2.5");
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("R5", "R5")) << Describe(result);
  EXPECT_EQ(FindingAt(result, "R5", "t2.licensing.decisions").actual(), "-4");
  EXPECT_EQ(FindingAt(result, "R5", "t2.rules.new_made").actual(), "2.5");
}

TEST(ValidatorTest, R5HugeAndNonNumericValuesAreLeftOutOfSums) {
  AnnualReport report = MakeReport(Spec(kF2021));
  SetCell(&report, "t3.granted.natural", "5000000000");
  SetCell(&report, "t3.partial.natural", "abc");
  AppendToSection(&report, 1, "收到政府信息公开申请99999999999999件。");
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("R5", "R5")) << Describe(result);
  EXPECT_NE(FindingAt(result, "R5", "t3.granted.natural").message_en().find("large"),
            std::string::npos);
  EXPECT_NE(FindingAt(result, "R5", "t3.partial.natural").message_en().find("not a number"),
            std::string::npos);
}

TEST(ValidatorTest, R5AllowsNegativeDeltaAndDecimalMoney) {
  AnnualReport report = MakeReport(Spec(kF2019, 2020));
  SetCell(&report, "t2.licensing.delta", "-7");
  SetCell(&report, "t2.procurement.amount_wan", "209512.943");
  EXPECT_EQ(Validate(report).findings_size(), 0);
}

TEST(ValidatorTest, N1DeltaBelowLastYearsItems) {
  AnnualReport report = MakeReport(Spec(kF2019, 2020));
  const int64_t prev = CellInt(report, "t2.penalty.prev_items");
  SetCell(&report, "t2.penalty.delta", std::to_string(-prev - 3));
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("N1")) << Describe(result);
  const Finding finding = FindingAt(result, "N1", "t2.penalty.delta");
  EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
  EXPECT_THAT(finding.keys(), ElementsAre("t2.penalty.delta", "t2.penalty.prev_items"));
  EXPECT_EQ(finding.expected(), std::to_string(-prev));
  EXPECT_EQ(finding.difference(), "-3");
}

TEST(ValidatorTest, AmbiguousCellMakesSumUnprovableInsteadOfError) {
  AnnualReport report = MakeReport(Spec(kF2021));
  // The parser could read a digit run two ways and kept the wrong one first.
  v1::Cell& cell = MutableCell(&report, "t3.granted.natural");
  const std::string right = cell.value();
  cell.set_value(std::to_string(CellInt(report, "t3.granted.natural") + 20));
  cell.set_state(v1::CELL_STATE_AMBIGUOUS);
  cell.add_alternatives(right);
  const ValidationResult result = Validate(report);
  EXPECT_EQ(result.error_count(), 0) << Describe(result);
  EXPECT_THAT(OfRule(result, "R2"), IsEmpty());
  EXPECT_THAT(OfRule(result, "R3"), IsEmpty());
  const Finding r2 = FindingAt(result, "A1", "t3.total.natural");
  EXPECT_EQ(r2.severity(), v1::SEVERITY_WARNING);
  EXPECT_EQ(r2.difference(), "-20");
  EXPECT_NE(r2.message_en().find("R2"), std::string::npos) << r2.message_en();
  EXPECT_NE(r2.message_en().find("t3.granted.natural"), std::string::npos);
  FindingAt(result, "A1", "t3.granted.total");  // R3 of the row
  EXPECT_EQ(OfRule(result, "A1").size(), 2u);
}

TEST(ValidatorTest, AmbiguousCellThatFitsGivesNothing) {
  AnnualReport report = MakeReport(Spec(kF2021));
  v1::Cell& cell = MutableCell(&report, "t3.granted.natural");
  cell.set_state(v1::CELL_STATE_AMBIGUOUS);
  cell.add_alternatives("99");
  EXPECT_EQ(Validate(report).findings_size(), 0);
}

TEST(ValidatorTest, AmbiguousCellNeverYieldsAnErrorEvenWhenNoReadingFits) {
  AnnualReport report = MakeReport(Spec(kF2021));
  AddToCell(&report, "t3.granted.natural", 5);
  v1::Cell& cell = MutableCell(&report, "t3.granted.natural");
  cell.set_state(v1::CELL_STATE_AMBIGUOUS);
  cell.add_alternatives(std::to_string(CellInt(report, "t3.granted.natural") + 1));
  const ValidationResult result = Validate(report);
  // R2 of the column and R3 of the row fail for both readings, but the
  // parser's readings may be incomplete: still A1, never an error.
  EXPECT_EQ(result.error_count(), 0) << Describe(result);
  EXPECT_EQ(FindingAt(result, "A1", "t3.total.natural").difference(), "-5");
  EXPECT_EQ(FindingAt(result, "A1", "t3.granted.total").difference(), "-5");
}

TEST(ValidatorTest, X2WithAmbiguousInForceThatNoReadingFits) {
  const FixtureSpec spec = Spec(kF2021, 2022);
  const AnnualReport last = MakeReport(spec);
  FixtureSpec next = NextYearSpec(spec, last);
  next.normative_in_force_before += 100;
  AnnualReport current = MakeReport(next);
  v1::Cell& cell = MutableCell(&current, "t2.normative.in_force");
  cell.set_state(v1::CELL_STATE_AMBIGUOUS);
  cell.add_alternatives("7");
  // No reading fits: X2 itself (a warning), noting the ambiguity.
  ValidationResult result = Validate(current, &last);
  EXPECT_THAT(Rules(result), ElementsAre("X2")) << Describe(result);
  EXPECT_NE(result.findings(0).message_en().find("no reading"), std::string::npos);
  // One reading fits: unprovable, A1.
  cell.clear_alternatives();
  cell.add_alternatives(std::to_string(CellInt(last, "t2.normative.in_force") +
                                       CellInt(current, "t2.normative.issued") -
                                       CellInt(current, "t2.normative.repealed")));
  result = Validate(current, &last);
  EXPECT_THAT(Rules(result), ElementsAre("A1")) << Describe(result);
  EXPECT_NE(result.findings(0).message_en().find("X2"), std::string::npos);
}

TEST(ValidatorTest, T1AmbiguousCellFlaggedOnlyWhenNoReadingMatches) {
  AnnualReport report = MakeReport(Spec(kF2021, 2023));
  v1::Cell& cell = MutableCell(&report, "t2.normative.in_force");
  cell.set_state(v1::CELL_STATE_AMBIGUOUS);
  cell.add_alternatives("2470");
  cell.add_alternatives("70");
  AppendToSection(&report, 2, "现行有效行政规范性文件2470件。");
  EXPECT_THAT(OfRule(Validate(report), "T1"), IsEmpty());
  AppendToSection(&report, 2, "清理并集中发布现行有效行政规范性文件393件。");
  const ValidationResult result = Validate(report);
  const Finding t1 = FindingAt(result, "T1", "t2.normative.in_force");
  EXPECT_EQ(t1.expected(), "393");
  EXPECT_EQ(t1.actual(), cell.value());
  EXPECT_NE(t1.message_en().find("ambiguous"), std::string::npos);
}

TEST(ValidatorTest, EmptyCellsCountAsZero) {
  AnnualReport report = MakeReport(Spec(kF2021));
  int emptied = 0;
  for (v1::Cell& cell : *report.mutable_cells()) {
    if (cell.value() == "0") {
      cell.clear_value();
      cell.set_state(v1::CELL_STATE_EMPTY);
      ++emptied;
    }
  }
  ASSERT_GT(emptied, 10);
  const ValidationResult result = Validate(report);
  EXPECT_EQ(result.findings_size(), 0) << Describe(result);
}

TEST(ValidatorTest, BlankTotalColumnLikeShanghai2019CountsAsZero) {
  AnnualReport report = MakeReport(Spec(kF2019, 2019));
  // Shanghai 2019 leaves 总计 blank on every result row except (七).
  for (const std::string& row : T3OutcomeLeafRows(kF2019)) {
    v1::Cell& cell = MutableCell(&report, T3Key(row, "total"));
    cell.clear_value();
    cell.set_state(v1::CELL_STATE_EMPTY);
  }
  const ValidationResult result = Validate(report);
  const Finding r3 = FindingAt(result, "R3", "t3.granted.total");
  int64_t granted = 0;
  for (const std::string& column : T3ApplicantColumns()) {
    granted += CellInt(report, T3Key("granted", column));
  }
  ASSERT_GT(granted, 0);
  EXPECT_EQ(r3.expected(), std::to_string(granted));
  EXPECT_EQ(r3.actual(), "");  // printed blank
  EXPECT_EQ(r3.difference(), std::to_string(-granted));
  EXPECT_NE(r3.message_en().find("blank"), std::string::npos) << r3.message_en();
  // R2 of the total column: every part is blank, (七) is printed.
  const Finding r2 = FindingAt(result, "R2", "t3.total.total");
  EXPECT_EQ(r2.expected(), "0");
  EXPECT_EQ(r2.actual(), std::to_string(CellInt(report, "t3.total.total")));
  EXPECT_NE(r2.message_zh().find("空白"), std::string::npos);
}

TEST(ValidatorTest, MissingCellSkipsItsSums) {
  AnnualReport report = MakeReport(Spec(kF2021));
  v1::Cell& cell = MutableCell(&report, "t3.partial.legal");
  cell.clear_value();
  cell.set_state(v1::CELL_STATE_MISSING);
  AddToCell(&report, "t3.partial.total", 0);
  const ValidationResult result = Validate(report);
  EXPECT_EQ(result.findings_size(), 0) << Describe(result);
}

TEST(ValidatorTest, M1TableMissingEntirely) {
  AnnualReport report = MakeReport(Spec(kF2021));
  for (v1::Cell& cell : *report.mutable_cells()) {
    if (cell.key().rfind("t4.", 0) == 0) {
      cell.clear_value();
      cell.set_state(v1::CELL_STATE_MISSING);
    }
  }
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("M1")) << Describe(result);
  EXPECT_NE(result.findings(0).message_en().find("table 4"), std::string::npos);
  EXPECT_THAT(result.findings(0).keys(), ElementsAre("t4.review.upheld"));
}

TEST(ValidatorTest, UnknownFormatIsM1NotACrash) {
  AnnualReport report;
  report.mutable_meta()->set_year(2021);
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), Contains("M1"));
  EXPECT_THAT(Rules(result), Contains("Q1"));  // no sections at all
  EXPECT_EQ(result.error_count(), 0);
  EXPECT_THAT(result.rules_run(), Not(Contains("R1")));
}

TEST(ValidatorTest, X1CarriedOverDisagreesWithLastYear) {
  const FixtureSpec spec = Spec(kF2019, 2019);
  const AnnualReport last = MakeReport(spec);
  FixtureSpec next = NextYearSpec(spec, last);
  next.carried_over[0] += 2;  // stays internally consistent (R1 adjusts 一)
  const AnnualReport current = MakeReport(next);
  const ValidationResult result = Validate(current, &last);
  EXPECT_THAT(Rules(result), ElementsAre("X1", "X1")) << Describe(result);
  const Finding finding = FindingAt(result, "X1", "t3.carried_over.natural");
  EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
  EXPECT_THAT(finding.keys(),
              ElementsAre("t3.carried_over.natural", "prev:t3.carried_forward.natural"));
  EXPECT_EQ(finding.difference(), "2");
  EXPECT_EQ(result.error_count(), 0);
}

TEST(ValidatorTest, X2InForceDoesNotAddUp) {
  const FixtureSpec spec = Spec(kF2021, 2022);
  const AnnualReport last = MakeReport(spec);
  FixtureSpec next = NextYearSpec(spec, last);
  next.normative_in_force_before += 300;  // a library of old documents was added
  const AnnualReport current = MakeReport(next);
  const ValidationResult result = Validate(current, &last);
  EXPECT_THAT(Rules(result), ElementsAre("X2")) << Describe(result);
  const Finding finding = FindingAt(result, "X2", "t2.normative.in_force");
  EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
  EXPECT_THAT(finding.keys(), ElementsAre("t2.normative.in_force", "prev:t2.normative.in_force",
                                          "t2.normative.issued", "t2.normative.repealed"));
  EXPECT_EQ(finding.difference(), "300");
}

TEST(ValidatorTest, X2OnlyWhenBothYearsAreF2021) {
  const AnnualReport last = MakeReport(Spec(kF2019, 2020));
  AnnualReport current = MakeReport(Spec(kF2021, 2021));
  for (const std::string& column : T3Columns()) {
    SetCell(&current, T3Key("carried_over", column),
            std::to_string(CellInt(last, T3Key("carried_forward", column))));
  }
  const ValidationResult result = Validate(current, &last, {"R1", "R3"});
  EXPECT_THAT(result.rules_run(), Contains("X1"));
  EXPECT_THAT(result.rules_run(), Not(Contains("X2")));
  EXPECT_THAT(OfRule(result, "X1"), IsEmpty()) << Describe(result);
}

TEST(ValidatorTest, T1QuotedApplicationsDisagree) {
  AnnualReport report = MakeReport(Spec(kF2021));
  const int64_t received = CellInt(report, "t3.new.total");
  AppendToSection(&report, 1, absl::StrCat("本年度共收到政府信息公开申请 ", received + 100, " 件。"));
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("T1")) << Describe(result);
  const Finding finding = FindingAt(result, "T1", "t3.new.total");
  EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
  // The table's cell is the checked one: actual is the table, expected the text.
  EXPECT_EQ(finding.expected(), std::to_string(received + 100));
  EXPECT_EQ(finding.actual(), std::to_string(received));
  EXPECT_EQ(finding.difference(), "-100");
}

TEST(ValidatorTest, T1ReviewsSuitsAndNormativeDocuments) {
  AnnualReport report = MakeReport(Spec(kF2021));
  AppendToSection(&report, 1, "全年制发行政规范性文件999个。");
  AppendToSection(&report, 4, "发生行政复议案件 888 件、行政诉讼案件777件。");
  const ValidationResult result = Validate(report);
  EXPECT_EQ(FindingAt(result, "T1", "t2.normative.issued").expected(), "999");
  EXPECT_EQ(FindingAt(result, "T1", "t4.review.total").expected(), "888");
  const Finding suits = FindingAt(result, "T1", "t4.suit_direct.total");
  EXPECT_THAT(suits.keys(), ElementsAre("t4.suit_direct.total", "t4.suit_after_review.total"));
  EXPECT_EQ(suits.actual(), std::to_string(CellInt(report, "t4.suit_direct.total") +
                                           CellInt(report, "t4.suit_after_review.total")));
  EXPECT_EQ(result.findings_size(), 3) << Describe(result);
}

TEST(ValidatorTest, T1IsConservativeAboutOneCellQuotes) {
  AnnualReport report = MakeReport(Spec(kF2019, 2019));
  SetCell(&report, "t3.granted.natural", "258");
  SetCell(&report, "t3.unavailable.not_held.natural", "252");
  SetCell(&report, "t3.unavailable.not_held.commercial", "12");
  // Shanghai 2019: one cell, a row sum, and a grand sum of a group are quoted.
  const int64_t denied = [&] {
    int64_t sum = 0;
    for (const std::string& row : T3OutcomeLeafRows(kF2019)) {
      if (row.rfind("denied.", 0) == 0) sum += CellInt(report, T3Key(row, "total"));
    }
    return sum;
  }();
  int64_t not_held = 0;
  for (const std::string& column : T3ApplicantColumns()) {
    not_held += CellInt(report, T3Key("unavailable.not_held", column));
  }
  AppendToSection(&report, 1,
                  absl::StrCat("其中予以公开及部分公开258件，无法提供", not_held, "件，不予公开",
                               denied, "件。行政复议和行政诉讼共1234件。"));
  const ValidationResult result = Validate(report, nullptr, {"R1", "R2", "R3"});
  EXPECT_THAT(OfRule(result, "T1"), IsEmpty()) << Describe(result);
}

TEST(ValidatorTest, Q1MissingSectionAndShortPeriod) {
  AnnualReport report = MakeReport(Spec(kF2021));
  report.mutable_sections()->DeleteSubrange(4, 1);  // 五
  report.mutable_meta()->set_statistics_period("2021年1月1日至2021年6月30日");
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("Q1", "Q1")) << Describe(result);
  EXPECT_NE(result.findings(0).message_zh().find("五"), std::string::npos);
  EXPECT_EQ(result.findings(1).actual(), "2021年1月1日至2021年6月30日");
}

TEST(ValidatorTest, Y1YearDisagreesWithPeriodInText) {
  AnnualReport report = MakeReport(Spec(kF2021, 2021));
  for (v1::Section& section : *report.mutable_sections()) {
    if (section.number() != 1) continue;
    section.set_text("本报告所列数据统计期限自 2020 年 1 月 1 日起至 12 月 31 日止。");
  }
  const ValidationResult result = Validate(report);
  EXPECT_THAT(Rules(result), ElementsAre("Y1")) << Describe(result);
  EXPECT_EQ(result.findings(0).expected(), "2020");
  EXPECT_EQ(result.findings(0).actual(), "2021");
}

TEST(ValidatorTest, Q2CopyOfLastYear) {
  const AnnualReport last = MakeReport(Spec(kF2021, 2021));
  AnnualReport current = last;
  current.mutable_meta()->set_year(2022);
  std::string long_text;
  for (int i = 0; i < 30; ++i) long_text += "示例县加强政务公开平台建设。";
  AnnualReport last_with_text = last;
  AppendToSection(&last_with_text, 5, long_text);
  AppendToSection(&current, 5, long_text);
  const ValidationResult result =
      Validate(current, &last_with_text, {"X1", "X2", "Y1", "Q1"});
  const std::vector<Finding> q2 = OfRule(result, "Q2");
  ASSERT_EQ(q2.size(), 2u) << Describe(result);
  EXPECT_NE(q2[0].message_en().find("tables"), std::string::npos);
  EXPECT_NE(q2[1].message_en().find("section 5"), std::string::npos);
}

TEST(ValidatorTest, DisabledRulesAreSkipped) {
  AnnualReport report = MakeReport(Spec(kF2021));
  AddToCell(&report, "t3.granted.natural", 1);
  const ValidationResult all = Validate(report);
  EXPECT_THAT(Rules(all), Contains("R2"));
  EXPECT_THAT(Rules(all), Contains("R3"));
  const ValidationResult some = Validate(report, nullptr, {"R2", "R3"});
  EXPECT_EQ(some.findings_size(), 0) << Describe(some);
  EXPECT_THAT(some.rules_run(), Not(Contains("R2")));
  EXPECT_THAT(some.rules_run(), Contains("R1"));
}

TEST(ValidatorTest, UnknownRuleIdIsInvalidArgument) {
  v1::ValidateOptions options;
  options.add_disabled_rules("R9");
  absl::StatusOr<ValidationResult> result =
      Validator().Validate(MakeReport(Spec(kF2021)), nullptr, options);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(result.status().message().find("R9"), std::string::npos);
}

// Damaged reports (random states, garbage, huge and negative values,
// missing sections, odd text) never fail the call, and every finding is
// well-formed: a catalogue rule with its catalogue severity, and the checked
// cell first for the arithmetic rules.
TEST(ValidatorTest, RandomDamageGivesWellFormedFindings) {
  const std::vector<std::string> values = {"", "0", "7", "-3", "2.5", "abc", "1e5",
                                           "5000000000", "99999999999999999999", "+4",
                                           "０", "-0"};
  const std::vector<v1::CellState> states = {
      v1::CELL_STATE_OK,    v1::CELL_STATE_EMPTY,     v1::CELL_STATE_REPAIRED,
      v1::CELL_STATE_AMBIGUOUS, v1::CELL_STATE_MISSING, v1::CELL_STATE_UNSPECIFIED};
  const TemplateVariant variants[] = {kF2019, kF2021, kF2021Single};
  uint32_t rng = 12345;
  auto next = [&rng](uint32_t n) {
    rng = rng * 1103515245u + 12345u;
    return (rng >> 16) % n;
  };
  for (int round = 0; round < 300; ++round) {
    const FixtureSpec spec = Spec(variants[next(3)], 2019 + static_cast<int>(next(5)));
    const AnnualReport last = MakeReport(spec);
    AnnualReport report = MakeReport(NextYearSpec(spec, last));
    for (int damage = static_cast<int>(next(20)); damage > 0; --damage) {
      v1::Cell& cell = *report.mutable_cells(static_cast<int>(next(report.cells_size())));
      cell.set_value(values[next(values.size())]);
      cell.set_state(states[next(states.size())]);
      if (next(2)) cell.add_alternatives(values[next(values.size())]);
    }
    if (next(4) == 0) report.mutable_sections()->DeleteSubrange(0, 1 + next(5));
    if (next(4) == 0) {
      AppendToSection(&report, 6,
                      "统计期限自2019年13月45日起至。行政复议案件件，行政诉讼123456789012件"
                      "制发规范性文件，予以公开及部分公开9件\u3000不予公开\n1\n件");
    }
    if (next(8) == 0) report.mutable_meta()->set_format(v1::REPORT_FORMAT_UNSPECIFIED);
    const ValidationResult result = Validate(report, next(2) ? &last : nullptr);
    int errors = 0, warnings = 0;
    for (const Finding& finding : result.findings()) {
      const RuleInfo* rule = FindRule(finding.rule());
      ASSERT_NE(rule, nullptr) << finding.rule();
      EXPECT_EQ(finding.severity(), rule->severity);
      if (finding.severity() == v1::SEVERITY_ERROR) ++errors;
      if (finding.severity() == v1::SEVERITY_WARNING) ++warnings;
      if (finding.rule()[0] == 'R' || finding.rule()[0] == 'X' || finding.rule() == "A1") {
        EXPECT_GT(finding.keys_size(), 0) << finding.rule();
      }
      EXPECT_FALSE(finding.message_zh().empty());
      EXPECT_FALSE(finding.message_en().empty());
    }
    EXPECT_EQ(result.error_count(), errors);
    EXPECT_EQ(result.warning_count(), warnings);
  }
}

TEST(ValidatorTest, EveryCatalogueRuleHasBothMessages) {
  for (const RuleInfo& rule : RuleCatalogue()) {
    EXPECT_NE(std::string(rule.title_zh), "") << rule.id;
    EXPECT_NE(std::string(rule.title_en), "") << rule.id;
    EXPECT_EQ(FindRule(rule.id), &rule);
  }
}

}  // namespace
}  // namespace gongkai
