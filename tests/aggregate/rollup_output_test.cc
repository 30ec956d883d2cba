#include "common/aggregate/rollup_output.h"

#include <unistd.h>
#include <zip.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;

v1::Rollup SampleRollup() {
  v1::Rollup rollup;
  rollup.mutable_options()->set_level(v1::REGION_LEVEL_PROVINCE);
  v1::RegionTotal* total = rollup.add_regions();
  total->set_region_code("230000");
  total->set_name("黑龙江省");
  total->set_level(v1::REGION_LEVEL_PROVINCE);
  total->set_year(2020);
  total->set_format("F2019");
  total->set_reports_included(3);
  total->set_reports_excluded(1);
  for (auto [key, value] : {std::pair<const char*, const char*>{"t2.procurement.amount_wan", "10807.1713"},
                            {"t2.licensing.decisions", "9"},
                            {"t2.licensing.prev_items", "4"},
                            {"t3.new.total", "12"},
                            {"t3.total.total", "12"},
                            {"t4.review.total", "3"}}) {
    v1::CellTotal* cell = total->add_cells();
    cell->set_key(key);
    cell->set_value(value);
    cell->set_reports(3);
  }
  v1::ReportOutcome* included = rollup.add_reports();
  included->set_source("000.txt");
  included->set_organ("林口县");
  included->set_year(2020);
  included->set_included(true);
  included->set_total_region_code("230000");
  v1::ReportOutcome* excluded = rollup.add_reports();
  excluded->set_source("003.txt");
  excluded->set_organ("宝清县小城子镇人民政府");
  excluded->set_year(2020);
  excluded->set_reason(v1::EXCLUSION_REASON_OTHER_LEVEL);
  excluded->set_total_region_code("230000");
  excluded->set_detail("township-level body; totals sum county-level reports");
  v1::Finding* finding = excluded->add_findings();
  finding->set_rule("T1");
  finding->set_message_en("text says 3, table says 4");
  return rollup;
}

TEST(RollupOutputTest, CellsLines) {
  std::string cells = FormatRollupCells(SampleRollup());
  EXPECT_TRUE(absl::StrContains(cells, "230000\tmeta.reports_included\t3\n"));
  EXPECT_TRUE(absl::StrContains(cells, "230000\tmeta.reports_excluded\t1\n"));
  EXPECT_TRUE(absl::StrContains(cells, "230000\tmeta.name\t黑龙江省\n"));
  EXPECT_TRUE(absl::StrContains(cells, "230000\tt2.procurement.amount_wan\t10807.1713\n"));
  for (absl::string_view line : absl::StrSplit(cells, '\n', absl::SkipEmpty())) {
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 2) << line;
  }
}

TEST(RollupOutputTest, ReportsWithoutARegionAreCounted) {
  v1::Rollup rollup = SampleRollup();
  v1::ReportOutcome* failed = rollup.add_reports();
  failed->set_source("junk.bin");
  failed->set_reason(v1::EXCLUSION_REASON_PARSE_FAILED);
  v1::ReportOutcome* other_year = rollup.add_reports();
  other_year->set_source("2019.txt");
  other_year->set_reason(v1::EXCLUSION_REASON_OTHER_YEAR);
  EXPECT_TRUE(absl::EndsWith(FormatRollupCells(rollup), "unassigned\tmeta.reports_excluded\t1\n"));
  EXPECT_TRUE(absl::EndsWith(FormatRollupCsv(rollup), "\nunassigned,,,,,0,1,,,\n"));
  EXPECT_FALSE(absl::StrContains(FormatRollupCells(SampleRollup()), "unassigned"));
}

TEST(RollupOutputTest, CellsLinesCarryTheYearWhenSeveral) {
  v1::Rollup rollup = SampleRollup();
  v1::RegionTotal* next = rollup.add_regions();
  *next = rollup.regions(0);
  next->set_year(2021);
  std::string cells = FormatRollupCells(rollup);
  EXPECT_TRUE(absl::StrContains(cells, "230000/2020\tt3.new.total\t12\n"));
  EXPECT_TRUE(absl::StrContains(cells, "230000/2021\tt3.new.total\t12\n"));
}

TEST(RollupOutputTest, TableListsTotalsAndExclusions) {
  std::string table = FormatRollupTable(SampleRollup());
  EXPECT_TRUE(absl::StrContains(table, "230000 黑龙江省  2020  F2019  included 3, excluded 1"));
  EXPECT_TRUE(absl::StrContains(table, "t3.new.total"));
  EXPECT_TRUE(absl::StrContains(table, "EXCLUDED  003.txt  宝清县小城子镇人民政府 2020  [other level]"));
  EXPECT_TRUE(absl::StrContains(table, "included  000.txt  林口县 2020 -> 230000"));
}

TEST(RollupOutputTest, CsvRowsAndQuoting) {
  std::string csv = FormatRollupCsv(SampleRollup());
  std::vector<std::string> lines = absl::StrSplit(csv, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 7u);  // header + one row per cell, sorted by key
  EXPECT_EQ(lines[0],
            "region_code,region_name,level,year,format,reports_included,reports_excluded,key,"
            "value,reports");
  EXPECT_EQ(lines[3], "230000,黑龙江省,province,2020,F2019,3,1,t2.procurement.amount_wan,10807.1713,3");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("plain"), "plain");
}

std::string ReadZipEntry(zip_t* archive, const char* name) {
  zip_file_t* file = zip_fopen(archive, name, 0);
  if (file == nullptr) return "";
  std::string out;
  char buffer[4096];
  zip_int64_t n;
  while ((n = zip_fread(file, buffer, sizeof(buffer))) > 0) out.append(buffer, n);
  zip_fclose(file);
  return out;
}

TEST(RollupOutputTest, XlsxWorkbookHasARegionSheetAndTheReportsSheet) {
  char dir_template[] = "/tmp/gongkai_xlsx_XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  std::string path = std::string(dir_template) + "/rollup.xlsx";
  ASSERT_TRUE(WriteRollupXlsx(SampleRollup(), path).ok());

  std::ifstream in(path, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 1000u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));

  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_RDONLY, &error);
  ASSERT_NE(archive, nullptr) << "libzip error " << error;
  std::string workbook = ReadZipEntry(archive, "xl/workbook.xml");
  EXPECT_TRUE(absl::StrContains(workbook, "230000 2020 黑龙江省")) << workbook;
  EXPECT_TRUE(absl::StrContains(workbook, "报告与排除"));
  std::string strings = ReadZipEntry(archive, "xl/sharedStrings.xml");
  EXPECT_TRUE(absl::StrContains(strings, "三（七）总计"));
  EXPECT_TRUE(absl::StrContains(strings, "宝清县小城子镇人民政府"));
  EXPECT_TRUE(absl::StrContains(strings, "T1 text says 3, table says 4"));
  std::string sheet = ReadZipEntry(archive, "xl/worksheets/sheet1.xml");
  EXPECT_TRUE(absl::StrContains(sheet, "10807.1713")) << sheet.substr(0, 500);
  // Table 二 lists each row once: F2021's 行政许可 row repeats F2019's
  // `decisions` and is not listed again.
  EXPECT_TRUE(absl::StrContains(strings, "政府集中采购"));
  EXPECT_FALSE(absl::StrContains(strings, "本年制发件数"));
  zip_close(archive);
  std::remove(path.c_str());
  rmdir(dir_template);
}

TEST(RollupOutputTest, XlsxUnwritablePathIsAnError) {
  absl::Status status = WriteRollupXlsx(SampleRollup(), "/nonexistent-dir/x/rollup.xlsx");
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace gongkai
