// `gongkai aggregate` (tools/gongkai/aggregate_command.cc) run in-process
// over the sample reports that ship in tests/data/aggregate/samples.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/engine/in_process_engine.h"
#include "common/regions/resolver.h"
#include "gtest/gtest.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

const std::string kSamples = std::string(GONGKAI_TESTDATA_DIR) + "/aggregate/samples";

class AggregateCommandTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto resolver = RegionResolver::LoadDefault();
    ASSERT_TRUE(resolver.ok()) << resolver.status();
    resolver_ = *std::move(resolver);
    InProcessEngineOptions options;
    options.threads = 2;
    engine_ = std::make_unique<InProcessEngine>(options, resolver_.get());
  }

  // Runs the command; returns its exit code, stdout in *out.
  int Run(const std::vector<std::string>& args, std::string* out) {
    std::stringstream captured;
    std::streambuf* saved = std::cout.rdbuf(captured.rdbuf());
    int code = RunAggregate(*engine_, args);
    std::cout.rdbuf(saved);
    *out = captured.str();
    return code;
  }

  std::unique_ptr<RegionResolver> resolver_;
  std::unique_ptr<InProcessEngine> engine_;
};

TEST_F(AggregateCommandTest, CellsOverTheSamples) {
  std::string out;
  ASSERT_EQ(Run({"--level", "province", "--output", "cells", kSamples}, &out), kExitOk);
  // Two years: the region column is CODE/YEAR.
  EXPECT_TRUE(absl::StrContains(out, "230000/2020\tmeta.name\t黑龙江省\n")) << out.substr(0, 400);
  // 宁安市 and 东宁市; 海林市 (R1 error), 渤海镇 (township), 教育局 (department) left out.
  EXPECT_TRUE(absl::StrContains(out, "230000/2020\tmeta.reports_included\t2\n"));
  EXPECT_TRUE(absl::StrContains(out, "230000/2020\tmeta.reports_excluded\t3\n"));
  // 宜阳县, 嵩县 and 孟津县 (a name abolished in 2021, resolved for 2020).
  EXPECT_TRUE(absl::StrContains(out, "410000/2020\tmeta.reports_included\t3\n"));
  EXPECT_TRUE(absl::StrContains(out, "410000/2021\tmeta.format\tF2021\n"));
  EXPECT_TRUE(absl::StrContains(out, "410000/2021\tt3.other.unpaid_fee.total\t"));
}

TEST_F(AggregateCommandTest, OptionsChangeWhatIsCounted) {
  std::string out;
  ASSERT_EQ(Run({"--year", "2020", "--include-townships", "--include-departments",
                 "--include-errors", "--output", "cells", kSamples},
                &out),
            kExitOk);
  EXPECT_TRUE(absl::StrContains(out, "230000\tmeta.reports_included\t5\n")) << out.substr(0, 400);
  EXPECT_TRUE(absl::StrContains(out, "230000\tmeta.reports_excluded\t0\n"));
  EXPECT_FALSE(absl::StrContains(out, "2021"));
}

TEST_F(AggregateCommandTest, TableCsvJsonAndXlsx) {
  std::string out;
  ASSERT_EQ(Run({kSamples}, &out), kExitOk);
  EXPECT_TRUE(absl::StrContains(out, "230000 黑龙江省  2020  F2019  included 2, excluded 3"));
  EXPECT_TRUE(absl::StrContains(out, "[error findings]"));
  EXPECT_TRUE(absl::StrContains(out, "[other level]"));
  EXPECT_TRUE(absl::StrContains(out, "[not a government]"));

  ASSERT_EQ(Run({"--output", "csv", "--level", "city", kSamples}, &out), kExitOk);
  EXPECT_TRUE(absl::StartsWith(out, "region_code,region_name,level,year,"));
  EXPECT_TRUE(absl::StrContains(out, "\n231000,牡丹江市,city,2020,F2019,2,3,"));

  ASSERT_EQ(Run({"--output", "json", kSamples}, &out), kExitOk);
  EXPECT_TRUE(absl::StrContains(out, "\"regions\""));
  EXPECT_TRUE(absl::StrContains(out, "EXCLUSION_REASON_ERROR_FINDINGS"));

  char dir[] = "/tmp/gongkai_aggregate_cli_XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/samples.xlsx";
  ASSERT_EQ(Run({"--output", "xlsx", "--out", path, kSamples}, &out), kExitOk);
  std::ifstream in(path, std::ios::binary);
  std::string head(4, '\0');
  in.read(&head[0], 4);
  EXPECT_EQ(head, std::string("PK\x03\x04", 4));
  EXPECT_GT(std::filesystem::file_size(path), 4000u);
  std::filesystem::remove_all(dir);
}

TEST_F(AggregateCommandTest, UsageAndInputErrors) {
  std::string out;
  EXPECT_EQ(Run({}, &out), kExitUsage);
  EXPECT_EQ(Run({"--level", "galaxy", kSamples}, &out), kExitUsage);
  EXPECT_EQ(Run({"--year", "twenty", kSamples}, &out), kExitUsage);
  EXPECT_EQ(Run({"--output", "xlsx", kSamples}, &out), kExitUsage);  // no --out
  EXPECT_EQ(Run({"--frobnicate", kSamples}, &out), kExitUsage);
  EXPECT_EQ(Run({"--level"}, &out), kExitUsage);
  EXPECT_EQ(Run({"/nonexistent/reports"}, &out), kExitFailure);
  EXPECT_EQ(Run({"--help"}, &out), kExitOk);
  EXPECT_TRUE(absl::StrContains(out, "--include-townships"));
}

}  // namespace
}  // namespace gongkai::cli
