// Done-when of issue 5 over the real seeds: ReportParser + RegionResolver +
// Validator + RollupBuilder give 黑龙江省 from 林口县, 汤旺县 and 牡丹江市西安区
// (小城子镇 excluded as a township, counted with the townships option) and
// 河南省 from 洛宁县, with totals equal to the sums of the expected cells.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <sstream>
#include <string>

#include "common/aggregate/rollup.h"
#include "common/parse/parser.h"
#include "common/regions/division_table.h"
#include "common/regions/resolver.h"
#include "common/report/decimal.h"
#include "common/validate/validator.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace v1 = ::gongkai::v1;
namespace fs = std::filesystem;

const fs::path kSeeds = fs::path(GONGKAI_SHARED_DIR) / "seeds";

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

// The seed's expected cells (meta.* as strings, t* as exact decimals).
struct Expected {
  std::map<std::string, std::string> meta;
  std::map<std::string, Decimal> cells;
};

Expected LoadExpected(const std::string& stem) {
  Expected expected;
  std::string json = ReadFile(kSeeds / "expected" / (stem + ".json"));
  static const std::regex kNumber(R"re("(t[234]\.[a-z_.]+)"\s*:\s*(-?[0-9]+(\.[0-9]+)?))re");
  for (std::sregex_iterator it(json.begin(), json.end(), kNumber), end; it != end; ++it) {
    std::optional<Decimal> value = Decimal::Parse((*it)[2].str());
    if (value) expected.cells[(*it)[1].str()] = *value;
  }
  static const std::regex kMeta(R"re("(meta\.[a-z_]+)"\s*:\s*"?([^",\n]*)"?)re");
  for (std::sregex_iterator it(json.begin(), json.end(), kMeta), end; it != end; ++it) {
    expected.meta[(*it)[1].str()] = (*it)[2].str();
  }
  return expected;
}

class SeedsRollupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(kSeeds)) GTEST_SKIP() << "no seeds at " << kSeeds << " (../shared absent)";
    auto resolver = RegionResolver::LoadDefault();
    ASSERT_TRUE(resolver.ok()) << resolver.status();
    resolver_ = *std::move(resolver);
    parser_ = std::make_unique<ReportParser>(ParserOptions(), resolver_.get());
    for (const auto& entry : fs::directory_iterator(kSeeds)) {
      if (entry.path().extension() == ".txt") stems_.push_back(entry.path().stem().string());
    }
    std::sort(stems_.begin(), stems_.end());
    ASSERT_EQ(stems_.size(), 5u);
  }

  v1::Rollup Run(const v1::AggregateOptions& options) {
    RollupBuilder builder(options, &resolver_->table());
    for (const std::string& stem : stems_) {
      Document document;
      document.bytes = ReadFile(kSeeds / (stem + ".txt"));
      document.name = stem + ".txt";
      auto report = parser_->Parse(document);
      if (!report.ok()) {
        builder.AddFailure(document.name, "", report.status());
        continue;
      }
      auto validation = validator_.Validate(*report, nullptr, {});
      builder.AddReport(document.name, *report, validation.ok() ? &*validation : nullptr);
    }
    return builder.Finish();
  }

  // Sum of the expected cells of the seeds whose names start with `prefixes`.
  std::map<std::string, Decimal> ExpectedSum(std::initializer_list<const char*> prefixes) {
    std::map<std::string, Decimal> sum;
    for (const std::string& stem : stems_) {
      for (const char* prefix : prefixes) {
        if (stem.rfind(prefix, 0) != 0) continue;
        for (const auto& [key, value] : LoadExpected(stem).cells) sum[key] += value;
      }
    }
    return sum;
  }

  static void ExpectTotals(const v1::RegionTotal& total,
                           const std::map<std::string, Decimal>& expected) {
    std::map<std::string, std::string> got;
    for (const v1::CellTotal& cell : total.cells()) got[cell.key()] = cell.value();
    for (const auto& [key, value] : expected) {
      EXPECT_EQ(got[key], value.ToString()) << total.region_code() << " " << key;
    }
    EXPECT_EQ(got.size(), expected.size()) << total.region_code();
  }

  static const v1::RegionTotal* Find(const v1::Rollup& rollup, const std::string& code) {
    for (const v1::RegionTotal& total : rollup.regions()) {
      if (total.region_code() == code) return &total;
    }
    return nullptr;
  }

  std::unique_ptr<RegionResolver> resolver_;
  std::unique_ptr<ReportParser> parser_;
  Validator validator_;
  std::vector<std::string> stems_;
};

TEST_F(SeedsRollupTest, RegionsMatchExpectedMeta) {
  for (const std::string& stem : stems_) {
    Document document;
    document.bytes = ReadFile(kSeeds / (stem + ".txt"));
    document.name = stem;
    auto report = parser_->Parse(document);
    ASSERT_TRUE(report.ok()) << stem << ": " << report.status();
    Expected expected = LoadExpected(stem);
    EXPECT_EQ(report->meta().region_code(), expected.meta["meta.region_code"]) << stem;
    EXPECT_EQ(report->meta().province(), expected.meta["meta.province"]) << stem;
    EXPECT_EQ(report->meta().city(), expected.meta["meta.city"]) << stem;
    EXPECT_EQ(report->meta().county(), expected.meta["meta.county"]) << stem;
    EXPECT_GT(report->meta().region_confidence(), 0.5) << stem;
    EXPECT_EQ(report->meta().body_kind(), v1::BODY_KIND_GOVERNMENT) << stem;
  }
}

TEST_F(SeedsRollupTest, ProvinceTotalsByDefault) {
  v1::AggregateOptions options;
  options.set_level(v1::REGION_LEVEL_PROVINCE);
  v1::Rollup rollup = Run(options);
  ASSERT_EQ(rollup.regions_size(), 2);
  const v1::RegionTotal* heilongjiang = Find(rollup, "230000");
  ASSERT_NE(heilongjiang, nullptr);
  EXPECT_EQ(heilongjiang->name(), "黑龙江省");
  EXPECT_EQ(heilongjiang->reports_included(), 3);
  EXPECT_EQ(heilongjiang->reports_excluded(), 1);
  ExpectTotals(*heilongjiang, ExpectedSum({"000_", "001_", "002_"}));
  const v1::RegionTotal* henan = Find(rollup, "410000");
  ASSERT_NE(henan, nullptr);
  EXPECT_EQ(henan->reports_included(), 1);
  ExpectTotals(*henan, ExpectedSum({"004_"}));

  bool township_listed = false;
  for (const v1::ReportOutcome& outcome : rollup.reports()) {
    if (outcome.source().rfind("003_", 0) == 0) {
      township_listed = true;
      EXPECT_FALSE(outcome.included());
      EXPECT_EQ(outcome.reason(), v1::EXCLUSION_REASON_OTHER_LEVEL) << outcome.detail();
      EXPECT_EQ(outcome.region_code(), "230523105");
    } else {
      EXPECT_TRUE(outcome.included()) << outcome.source() << ": " << outcome.detail();
    }
  }
  EXPECT_TRUE(township_listed);
}

TEST_F(SeedsRollupTest, TownshipCountedWithTheOption) {
  v1::AggregateOptions options;
  options.add_also_source_levels(v1::REGION_LEVEL_TOWNSHIP);
  v1::Rollup rollup = Run(options);
  const v1::RegionTotal* heilongjiang = Find(rollup, "230000");
  ASSERT_NE(heilongjiang, nullptr);
  EXPECT_EQ(heilongjiang->reports_included(), 4);
  EXPECT_EQ(heilongjiang->reports_excluded(), 0);
  ExpectTotals(*heilongjiang, ExpectedSum({"000_", "001_", "002_", "003_"}));
}

}  // namespace
}  // namespace gongkai
