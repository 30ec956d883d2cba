#include "common/aggregate/rollup.h"

#include <map>
#include <string>

#include "common/regions/division_table.h"
#include "common/report/template.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

struct Body {
  std::string organ;
  std::string region_code;
  v1::BodyKind kind = v1::BODY_KIND_GOVERNMENT;
  v1::RegionLevel level = v1::REGION_LEVEL_COUNTY;
  int year = 2020;
  v1::ReportFormat format = v1::REPORT_FORMAT_F2019;
};

// A report with every cell of its template set to `fill`, then `cells`
// overriding some.
v1::AnnualReport MakeReport(const Body& body, const std::string& fill,
                            const std::map<std::string, std::string>& cells = {}) {
  v1::AnnualReport report;
  v1::ReportMeta* meta = report.mutable_meta();
  meta->set_organ(body.organ);
  meta->set_region_code(body.region_code);
  meta->set_body_kind(body.kind);
  meta->set_body_level(body.level);
  meta->set_year(body.year);
  meta->set_format(body.format);
  report.set_content_sha256(absl::StrCat(body.organ, body.year, fill));
  TemplateVariant variant;
  variant.format = body.format;
  for (const std::string& key : CellKeys(variant)) {
    v1::Cell* cell = report.add_cells();
    cell->set_key(key);
    auto it = cells.find(key);
    cell->set_value(it != cells.end() ? it->second : fill);
    cell->set_state(cell->value().empty() ? v1::CELL_STATE_EMPTY : v1::CELL_STATE_OK);
  }
  return report;
}

v1::ValidationResult Clean() { return v1::ValidationResult(); }

v1::ValidationResult WithError() {
  v1::ValidationResult result;
  v1::Finding* finding = result.add_findings();
  finding->set_rule("R1");
  finding->set_severity(v1::SEVERITY_ERROR);
  finding->set_message_en("new + carried over != total + carried forward");
  result.set_error_count(1);
  return result;
}

const v1::RegionTotal* FindTotal(const v1::Rollup& rollup, const std::string& code, int year = 0) {
  for (const v1::RegionTotal& total : rollup.regions()) {
    if (total.region_code() == code && (year == 0 || total.year() == year)) return &total;
  }
  return nullptr;
}

std::string Cell(const v1::RegionTotal& total, const std::string& key, int* reports = nullptr) {
  for (const v1::CellTotal& cell : total.cells()) {
    if (cell.key() == key) {
      if (reports != nullptr) *reports = cell.reports();
      return cell.value();
    }
  }
  return "<absent>";
}

class RollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto table = DivisionTable::Embedded();
    ASSERT_TRUE(table.ok()) << table.status();
    table_ = *table;
  }
  std::shared_ptr<const DivisionTable> table_;
  const Body linkou_{"林口县", "231025"};
  const Body tangwang_{"汤旺县", "230723"};
  const Body xian_{"牡丹江市西安区", "231005"};
  const Body luoning_{"洛宁县人民政府", "410328"};
  const Body township_{"宝清县小城子镇人民政府", "230523105", v1::BODY_KIND_GOVERNMENT,
                       v1::REGION_LEVEL_TOWNSHIP};
  const Body bureau_{"洛宁县教育局", "410328", v1::BODY_KIND_DEPARTMENT};
};

TEST_F(RollupTest, ProvinceTotalsAreExactSums) {
  v1::AggregateOptions options;  // province level by default
  RollupBuilder builder(options, table_.get());
  v1::ValidationResult clean = Clean();
  builder.AddReport("a", MakeReport(linkou_, "1", {{"t2.procurement.amount_wan", "10807.1713"}}),
                    &clean);
  builder.AddReport("b", MakeReport(tangwang_, "2", {{"t2.procurement.amount_wan", "0.0287"}}),
                    &clean);
  builder.AddReport("c", MakeReport(xian_, "3", {{"t2.licensing.delta", "-27"}}), &clean);
  builder.AddReport("d", MakeReport(luoning_, "5"), &clean);
  v1::Rollup rollup = builder.Finish();

  EXPECT_EQ(rollup.options().level(), v1::REGION_LEVEL_PROVINCE);
  ASSERT_EQ(rollup.regions_size(), 2);
  EXPECT_EQ(rollup.regions(0).region_code(), "230000");
  EXPECT_EQ(rollup.regions(1).region_code(), "410000");
  const v1::RegionTotal& heilongjiang = rollup.regions(0);
  EXPECT_EQ(heilongjiang.name(), "黑龙江省");
  EXPECT_EQ(heilongjiang.year(), 2020);
  EXPECT_EQ(heilongjiang.format(), "F2019");
  EXPECT_EQ(heilongjiang.reports_included(), 3);
  EXPECT_EQ(heilongjiang.reports_excluded(), 0);
  int reports = 0;
  EXPECT_EQ(Cell(heilongjiang, "t3.new.natural", &reports), "6");
  EXPECT_EQ(reports, 3);
  EXPECT_EQ(Cell(heilongjiang, "t2.procurement.amount_wan"), "10810.2");  // exact: .1713+.0287
  EXPECT_EQ(Cell(heilongjiang, "t2.licensing.delta"), "-24");              // 1 + 2 - 27
  EXPECT_EQ(Cell(rollup.regions(1), "t4.review.total"), "5");
  for (const v1::ReportOutcome& outcome : rollup.reports()) {
    EXPECT_TRUE(outcome.included()) << outcome.source();
  }
  EXPECT_EQ(rollup.reports(3).total_region_code(), "410000");
}

TEST_F(RollupTest, CityAndCountryLevels) {
  v1::ValidationResult clean = Clean();
  v1::AggregateOptions by_city;
  by_city.set_level(v1::REGION_LEVEL_CITY);
  RollupBuilder cities(by_city, table_.get());
  cities.AddReport("a", MakeReport(linkou_, "1"), &clean);
  cities.AddReport("c", MakeReport(xian_, "3"), &clean);
  cities.AddReport("b", MakeReport(tangwang_, "2"), &clean);
  v1::Rollup rollup = cities.Finish();
  ASSERT_EQ(rollup.regions_size(), 2);
  EXPECT_EQ(rollup.regions(0).region_code(), "230700");  // 伊春市
  EXPECT_EQ(rollup.regions(1).region_code(), "231000");  // 牡丹江市
  EXPECT_EQ(rollup.regions(1).name(), "牡丹江市");
  EXPECT_EQ(Cell(rollup.regions(1), "t3.total.total"), "4");

  v1::AggregateOptions by_country;
  by_country.set_level(v1::REGION_LEVEL_COUNTRY);
  RollupBuilder country(by_country, table_.get());
  country.AddReport("a", MakeReport(linkou_, "1"), &clean);
  country.AddReport("d", MakeReport(luoning_, "5"), &clean);
  rollup = country.Finish();
  ASSERT_EQ(rollup.regions_size(), 1);
  EXPECT_EQ(rollup.regions(0).region_code(), "000000");
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "6");
}

TEST_F(RollupTest, TownshipIsAnotherLevelUnlessAsked) {
  v1::ValidationResult clean = Clean();
  v1::AggregateOptions options;
  RollupBuilder builder(options, table_.get());
  builder.AddReport("a", MakeReport(linkou_, "1"), &clean);
  builder.AddReport("t", MakeReport(township_, "7"), &clean);
  v1::Rollup rollup = builder.Finish();
  ASSERT_EQ(rollup.regions_size(), 1);
  EXPECT_EQ(rollup.regions(0).reports_included(), 1);
  EXPECT_EQ(rollup.regions(0).reports_excluded(), 1);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "1");
  EXPECT_FALSE(rollup.reports(1).included());
  EXPECT_EQ(rollup.reports(1).reason(), v1::EXCLUSION_REASON_OTHER_LEVEL);
  EXPECT_EQ(rollup.reports(1).total_region_code(), "230000");
  EXPECT_NE(rollup.reports(1).detail().find("township"), std::string::npos);

  options.set_include_all_levels(true);
  RollupBuilder all_levels(options, table_.get());
  all_levels.AddReport("a", MakeReport(linkou_, "1"), &clean);
  all_levels.AddReport("t", MakeReport(township_, "7"), &clean);
  rollup = all_levels.Finish();
  EXPECT_EQ(rollup.regions(0).reports_included(), 2);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "8");

  v1::AggregateOptions with_townships;
  with_townships.add_also_source_levels(v1::REGION_LEVEL_TOWNSHIP);
  RollupBuilder both(with_townships, table_.get());
  both.AddReport("a", MakeReport(linkou_, "1"), &clean);
  both.AddReport("t", MakeReport(township_, "7"), &clean);
  both.AddReport("p", MakeReport(Body{"黑龙江省人民政府", "230000", v1::BODY_KIND_GOVERNMENT,
                                      v1::REGION_LEVEL_PROVINCE}, "100"), &clean);
  rollup = both.Finish();
  EXPECT_EQ(rollup.regions(0).reports_included(), 2);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "8");
  EXPECT_EQ(rollup.reports(2).reason(), v1::EXCLUSION_REASON_OTHER_LEVEL);

  v1::AggregateOptions townships_only;
  townships_only.set_source_level(v1::REGION_LEVEL_TOWNSHIP);
  RollupBuilder townships(townships_only, table_.get());
  townships.AddReport("a", MakeReport(linkou_, "1"), &clean);
  townships.AddReport("t", MakeReport(township_, "7"), &clean);
  rollup = townships.Finish();
  EXPECT_EQ(rollup.regions(0).reports_included(), 1);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "7");
}

TEST_F(RollupTest, DepartmentsOnlyWhenAsked) {
  v1::ValidationResult clean = Clean();
  v1::AggregateOptions options;
  RollupBuilder builder(options, table_.get());
  builder.AddReport("d", MakeReport(luoning_, "5"), &clean);
  builder.AddReport("e", MakeReport(bureau_, "1"), &clean);
  v1::Rollup rollup = builder.Finish();
  EXPECT_EQ(rollup.reports(1).reason(), v1::EXCLUSION_REASON_DEPARTMENT);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "5");

  options.set_include_departments(true);
  RollupBuilder with_departments(options, table_.get());
  with_departments.AddReport("d", MakeReport(luoning_, "5"), &clean);
  with_departments.AddReport("e", MakeReport(bureau_, "1"), &clean);
  rollup = with_departments.Finish();
  EXPECT_TRUE(rollup.reports(1).included());
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "6");
}

TEST_F(RollupTest, DuplicatesByContentAndByBodyYear) {
  v1::ValidationResult clean = Clean();
  RollupBuilder builder(v1::AggregateOptions(), table_.get());
  builder.AddReport("first.txt", MakeReport(linkou_, "1"), &clean);
  builder.AddReport("copy.txt", MakeReport(linkou_, "1"), &clean);  // same bytes
  Body renamed = linkou_;
  renamed.organ = "林口县人民政府";  // same government, other title, other bytes
  builder.AddReport("again.html", MakeReport(renamed, "2"), &clean);
  Body next_year = linkou_;
  next_year.year = 2021;
  next_year.format = v1::REPORT_FORMAT_F2021;
  builder.AddReport("2021.txt", MakeReport(next_year, "4"), &clean);
  v1::Rollup rollup = builder.Finish();

  EXPECT_TRUE(rollup.reports(0).included());
  EXPECT_EQ(rollup.reports(1).reason(), v1::EXCLUSION_REASON_DUPLICATE_CONTENT);
  EXPECT_NE(rollup.reports(1).detail().find("first.txt"), std::string::npos);
  EXPECT_EQ(rollup.reports(2).reason(), v1::EXCLUSION_REASON_DUPLICATE_BODY_YEAR);
  EXPECT_NE(rollup.reports(2).detail().find("first.txt"), std::string::npos);
  EXPECT_TRUE(rollup.reports(3).included());
  // One total per year.
  ASSERT_EQ(rollup.regions_size(), 2);
  const v1::RegionTotal* y2020 = FindTotal(rollup, "230000", 2020);
  ASSERT_NE(y2020, nullptr);
  EXPECT_EQ(Cell(*y2020, "t3.new.total"), "1");
  EXPECT_EQ(y2020->reports_excluded(), 2);
  const v1::RegionTotal* y2021 = FindTotal(rollup, "230000", 2021);
  ASSERT_NE(y2021, nullptr);
  EXPECT_EQ(y2021->format(), "F2021");
  EXPECT_EQ(Cell(*y2021, "t3.new.total"), "4");
}

TEST_F(RollupTest, ErrorFindingsExcludedUnlessIncluded) {
  v1::ValidationResult clean = Clean();
  v1::ValidationResult broken = WithError();
  v1::AggregateOptions options;
  RollupBuilder builder(options, table_.get());
  builder.AddReport("a", MakeReport(linkou_, "1"), &clean);
  builder.AddReport("b", MakeReport(tangwang_, "2"), &broken);
  v1::Rollup rollup = builder.Finish();
  EXPECT_EQ(rollup.reports(1).reason(), v1::EXCLUSION_REASON_ERROR_FINDINGS);
  EXPECT_NE(rollup.reports(1).detail().find("R1"), std::string::npos);
  ASSERT_EQ(rollup.reports(1).findings_size(), 1);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "1");
  EXPECT_EQ(rollup.regions(0).reports_excluded(), 1);

  options.set_include_reports_with_errors(true);
  RollupBuilder lenient(options, table_.get());
  lenient.AddReport("a", MakeReport(linkou_, "1"), &clean);
  lenient.AddReport("b", MakeReport(tangwang_, "2"), &broken);
  rollup = lenient.Finish();
  EXPECT_TRUE(rollup.reports(1).included());
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.total"), "3");
}

TEST_F(RollupTest, AmbiguousCellsNotValidatedUnresolvedAndFailures) {
  v1::ValidationResult clean = Clean();
  v1::AggregateOptions options;
  RollupBuilder builder(options, table_.get());
  v1::AnnualReport ambiguous = MakeReport(linkou_, "1");
  ambiguous.mutable_cells(0)->set_state(v1::CELL_STATE_AMBIGUOUS);
  ambiguous.mutable_cells(0)->add_alternatives("7");
  builder.AddReport("ambiguous", ambiguous, &clean);
  builder.AddReport("unvalidated", MakeReport(tangwang_, "2"), nullptr);
  Body nowhere{"某某县", ""};
  builder.AddReport("nowhere", MakeReport(nowhere, "3"), &clean);
  builder.AddFailure("junk.bin", "abc", absl::InvalidArgumentError("not an annual report"));
  v1::Rollup rollup = builder.Finish();
  ASSERT_EQ(rollup.reports_size(), 4);
  EXPECT_EQ(rollup.reports(0).reason(), v1::EXCLUSION_REASON_AMBIGUOUS_CELLS);
  EXPECT_EQ(rollup.reports(1).reason(), v1::EXCLUSION_REASON_NOT_VALIDATED);
  EXPECT_FALSE(rollup.reports(1).validated());
  EXPECT_EQ(rollup.reports(2).reason(), v1::EXCLUSION_REASON_UNRESOLVED_REGION);
  EXPECT_EQ(rollup.reports(3).reason(), v1::EXCLUSION_REASON_PARSE_FAILED);
  EXPECT_EQ(rollup.reports(3).detail(), "not an annual report");
  // Nothing included: 黑龙江省 is listed with its exclusions and no cells.
  ASSERT_EQ(rollup.regions_size(), 1);
  EXPECT_EQ(rollup.regions(0).reports_included(), 0);
  EXPECT_EQ(rollup.regions(0).reports_excluded(), 2);
  EXPECT_EQ(rollup.regions(0).cells_size(), 0);

  options.set_include_ambiguous(true);
  RollupBuilder lenient(options, table_.get());
  lenient.AddReport("ambiguous", ambiguous, &clean);
  rollup = lenient.Finish();
  EXPECT_TRUE(rollup.reports(0).included());
}

TEST_F(RollupTest, WithoutADivisionTableEveryReportIsUnresolved) {
  v1::ValidationResult clean = Clean();
  RollupBuilder builder(v1::AggregateOptions(), nullptr);
  builder.AddReport("a", MakeReport(linkou_, "1"), &clean);
  v1::Rollup rollup = builder.Finish();
  EXPECT_EQ(rollup.regions_size(), 0);
  EXPECT_EQ(rollup.reports(0).reason(), v1::EXCLUSION_REASON_UNRESOLVED_REGION);
}

TEST_F(RollupTest, YearFilter) {
  v1::ValidationResult clean = Clean();
  v1::AggregateOptions options;
  options.set_year(2021);
  RollupBuilder builder(options, table_.get());
  builder.AddReport("a", MakeReport(linkou_, "1"), &clean);
  v1::Rollup rollup = builder.Finish();
  EXPECT_EQ(rollup.reports(0).reason(), v1::EXCLUSION_REASON_OTHER_YEAR);
  EXPECT_EQ(rollup.regions_size(), 0);
}

TEST_F(RollupTest, MixedFormatsCarryCommonCellsAndFoldOtherRows) {
  v1::ValidationResult clean = Clean();
  Body old_form = linkou_;
  old_form.year = 2021;  // a 2021 report still printed on the F2019 form
  Body new_form = tangwang_;
  new_form.year = 2021;
  new_form.format = v1::REPORT_FORMAT_F2021;
  RollupBuilder builder(v1::AggregateOptions(), table_.get());
  builder.AddReport("old", MakeReport(old_form, "1"), &clean);
  builder.AddReport("new", MakeReport(new_form, "10"), &clean);
  v1::Rollup rollup = builder.Finish();
  ASSERT_EQ(rollup.regions_size(), 1);
  const v1::RegionTotal& total = rollup.regions(0);
  EXPECT_EQ(total.format(), "mixed");
  int reports = 0;
  // Common cells: summed.
  EXPECT_EQ(Cell(total, "t3.granted.natural", &reports), "11");
  EXPECT_EQ(reports, 2);
  EXPECT_EQ(Cell(total, "t4.review.total"), "11");
  EXPECT_EQ(Cell(total, "t2.licensing.decisions"), "11");
  // F2021's three （六） rows onto F2019's single row: 1 + 10*3.
  EXPECT_EQ(Cell(total, "t3.other.natural", &reports), "31");
  EXPECT_EQ(reports, 2);
  EXPECT_EQ(Cell(total, "t3.other.other.natural"), "<absent>");
  // Format-specific cells stay apart and say how many reports gave them.
  EXPECT_EQ(Cell(total, "t2.rules.new_made", &reports), "1");
  EXPECT_EQ(reports, 1);
  EXPECT_EQ(Cell(total, "t2.rules.issued", &reports), "10");
  EXPECT_EQ(reports, 1);
  EXPECT_EQ(Cell(total, "t2.fees.amount_wan"), "10");
  EXPECT_EQ(Cell(total, "t2.fees.prev_items"), "1");
}

TEST_F(RollupTest, SameFormatKeepsSplitOtherRows) {
  v1::ValidationResult clean = Clean();
  Body a = linkou_, b = tangwang_;
  a.year = b.year = 2022;
  a.format = b.format = v1::REPORT_FORMAT_F2021;
  RollupBuilder builder(v1::AggregateOptions(), table_.get());
  builder.AddReport("a", MakeReport(a, "1"), &clean);
  builder.AddReport("b", MakeReport(b, "2"), &clean);
  v1::Rollup rollup = builder.Finish();
  const v1::RegionTotal& total = rollup.regions(0);
  EXPECT_EQ(total.format(), "F2021");
  EXPECT_EQ(Cell(total, "t3.other.unpaid_fee.total"), "3");
  EXPECT_EQ(Cell(total, "t3.other.total"), "<absent>");
}

TEST_F(RollupTest, EmptyCellsDoNotCount) {
  v1::ValidationResult clean = Clean();
  RollupBuilder builder(v1::AggregateOptions(), table_.get());
  builder.AddReport("a", MakeReport(linkou_, "1", {{"t3.new.legal", ""}}), &clean);
  builder.AddReport("b", MakeReport(tangwang_, "2"), &clean);
  v1::Rollup rollup = builder.Finish();
  int reports = 0;
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.legal", &reports), "2");
  EXPECT_EQ(reports, 1);
}

TEST_F(RollupTest, KeysNoTemplateHasAreSummedInKeyOrder) {
  v1::ValidationResult clean = Clean();
  RollupBuilder builder(v1::AggregateOptions(), table_.get());
  v1::AnnualReport a = MakeReport(linkou_, "1");
  v1::Cell* extra = a.add_cells();
  extra->set_key("t3.zz_extra.total");
  extra->set_value("5");
  extra->set_state(v1::CELL_STATE_OK);
  v1::AnnualReport b = MakeReport(tangwang_, "2");
  *b.add_cells() = *extra;
  builder.AddReport("a", a, &clean);
  builder.AddReport("b", b, &clean);
  v1::Rollup rollup = builder.Finish();
  ASSERT_EQ(rollup.regions_size(), 1);
  int reports = 0;
  EXPECT_EQ(Cell(rollup.regions(0), "t3.zz_extra.total", &reports), "10");
  EXPECT_EQ(reports, 2);
  EXPECT_EQ(Cell(rollup.regions(0), "t3.new.natural", &reports), "3");
  for (int i = 1; i < rollup.regions(0).cells_size(); ++i) {
    EXPECT_LT(rollup.regions(0).cells(i - 1).key(), rollup.regions(0).cells(i).key());
  }
}

}  // namespace
}  // namespace gongkai
