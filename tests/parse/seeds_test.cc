// Every cell of the five seeds must equal shared/seeds/expected/*.json, and
// with the region resolver wired in, the region fields too.
#include <filesystem>
#include <string>

#include "absl/strings/str_join.h"
#include "common/parse/parser.h"
#include "common/regions/resolver.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

class ParseSeedsTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const fs::path seeds = fs::path(GONGKAI_SHARED_DIR) / "seeds";
    if (!fs::exists(seeds)) GTEST_SKIP() << "no shared seeds at " << seeds;
    const std::string stem = GetParam();
    auto bytes = testing::ReadFile((seeds / (stem + ".txt")).string());
    ASSERT_TRUE(bytes.ok()) << bytes.status();
    document_.bytes = *std::move(bytes);
    document_.name = stem + ".txt";
    auto expected = testing::LoadExpected((seeds / "expected" / (stem + ".json")).string());
    ASSERT_TRUE(expected.ok()) << expected.status();
    expected_ = *std::move(expected);
  }

  Document document_;
  testing::ExpectedReport expected_;
};

TEST_P(ParseSeedsTest, EveryCellMatches) {
  ReportParser parser;
  auto report = parser.Parse(document_);
  ASSERT_TRUE(report.ok()) << report.status();
  auto problems = testing::Compare(*report, expected_, /*strict=*/true);
  EXPECT_TRUE(problems.empty()) << document_.name << ":\n" << absl::StrJoin(problems, "\n");
  EXPECT_EQ(report->cells_size(), 198);  // F2019: 198 cells
}

TEST_P(ParseSeedsTest, RegionFromTheResolver) {
  auto resolver = RegionResolver::LoadDefault();
  ASSERT_TRUE(resolver.ok()) << resolver.status();
  ReportParser parser(ParserOptions{}, resolver->get());
  auto report = parser.Parse(document_);
  ASSERT_TRUE(report.ok()) << report.status();
  EXPECT_EQ(report->meta().region_code(), expected_.cells["meta.region_code"]);
  EXPECT_EQ(report->meta().province(), expected_.cells["meta.province"]);
  EXPECT_EQ(report->meta().city(), expected_.cells["meta.city"]);
  EXPECT_EQ(report->meta().county(), expected_.cells["meta.county"]);
}

INSTANTIATE_TEST_SUITE_P(Seeds, ParseSeedsTest,
                         ::testing::Values("000_7aca508e0e60934a", "001_fbcea38a4eb23a08",
                                           "002_df20fa1b9dca726d", "003_1b8055f632d828e7",
                                           "004_351f4af2c3a8fcf1"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return "seed" + info.param.substr(0, 3);
                         });

}  // namespace
}  // namespace gongkai
