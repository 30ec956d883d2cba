// The validator on real reports through the real parser: the Done-when list
// of issue 4. Reads ../shared (GONGKAI_SHARED_DIR) and skips when absent.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/parse/parser.h"
#include "common/validate/validator.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;
using v1::AnnualReport;
using v1::Finding;
using v1::ValidationResult;

const fs::path kShared = GONGKAI_SHARED_DIR;
const fs::path kExpected = fs::path(GONGKAI_TESTDATA_DIR) / "corpus_expected";

class ValidateCorpusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(kShared / "seeds") || !fs::is_directory(kShared / "corpus")) {
      GTEST_SKIP() << "shared data not found at " << kShared
                   << " (seeds/corpus); skipping the corpus tests";
    }
  }

  // Parses a file under ../shared; fails the test when it cannot.
  AnnualReport Parse(const fs::path& relative) {
    const fs::path path = kShared / relative;
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    EXPECT_TRUE(in.good() || in.eof()) << path;
    Document document;
    document.bytes = bytes.str();
    document.name = path.string();
    absl::StatusOr<AnnualReport> report = parser_.Parse(document);
    EXPECT_TRUE(report.ok()) << path << ": " << report.status();
    return report.ok() ? *report : AnnualReport();
  }

  ValidationResult Validate(const AnnualReport& report, const AnnualReport* previous) {
    absl::StatusOr<ValidationResult> result = validator_.Validate(report, previous, {});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : ValidationResult();
  }

  ReportParser parser_;
  Validator validator_;
};

std::string Describe(const ValidationResult& result) {
  std::string out;
  for (const Finding& finding : result.findings()) {
    absl::StrAppend(&out, "  ", finding.rule(), " ", absl::StrJoin(finding.keys(), ","),
                    " expected=", finding.expected(), " actual=", finding.actual(), " ",
                    finding.message_en(), "\n");
  }
  return out;
}

bool HasFinding(const ValidationResult& result, const std::string& rule,
                const std::string& first_key) {
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == rule && finding.keys_size() > 0 &&
        (first_key.empty() || finding.keys(0) == first_key)) {
      return true;
    }
  }
  return false;
}

TEST_F(ValidateCorpusTest, SeedsGiveNoErrorFindings) {
  int seen = 0;
  for (const auto& entry : fs::directory_iterator(kShared / "seeds")) {
    if (!entry.is_regular_file() || entry.path().extension() != ".txt") continue;
    ++seen;
    const AnnualReport report = Parse(fs::relative(entry.path(), kShared));
    const ValidationResult result = Validate(report, nullptr);
    EXPECT_EQ(result.error_count(), 0) << entry.path().filename() << "\n" << Describe(result);
  }
  EXPECT_EQ(seen, 5);
}

TEST_F(ValidateCorpusTest, Pingtan2020BreaksR2) {
  const AnnualReport report =
      Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2020_80595_page.txt");
  const ValidationResult result = Validate(report, nullptr);
  // (七)总计 = 21 while the outcome rows sum to 27 (自然人 20 vs 26).
  EXPECT_TRUE(HasFinding(result, "R2", "t3.total.total")) << Describe(result);
  EXPECT_TRUE(HasFinding(result, "R2", "t3.total.natural")) << Describe(result);
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == "R2" && finding.keys(0) == "t3.total.total") {
      EXPECT_EQ(finding.expected(), "27");
      EXPECT_EQ(finding.actual(), "21");
      EXPECT_EQ(finding.difference(), "-6");
    }
  }
}

TEST_F(ValidateCorpusTest, Hongze2023BreaksR4ForReviewAndSuitAfterReview) {
  const AnnualReport report =
      Parse("corpus/kirogovcompare-hongze/hongze_2023_pdftotext_layout.txt");
  const ValidationResult result = Validate(report, nullptr);
  EXPECT_TRUE(HasFinding(result, "R4", "t4.review.total")) << Describe(result);
  EXPECT_TRUE(HasFinding(result, "R4", "t4.suit_after_review.total")) << Describe(result);
  EXPECT_FALSE(HasFinding(result, "R4", "t4.suit_direct.total")) << Describe(result);
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == "R4" && finding.keys(0) == "t4.review.total") {
      EXPECT_EQ(finding.expected(), "11");
      EXPECT_EQ(finding.actual(), "0");
    }
  }
}

TEST_F(ValidateCorpusTest, Pingtan2021To2022PassesCrossYearRules) {
  const AnnualReport last = Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2021_80613_page.txt");
  const AnnualReport current =
      Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2022_80629_page.txt");
  const ValidationResult result = Validate(current, &last);
  EXPECT_NE(std::find(result.rules_run().begin(), result.rules_run().end(), "X1"),
            result.rules_run().end());
  EXPECT_NE(std::find(result.rules_run().begin(), result.rules_run().end(), "X2"),
            result.rules_run().end());
  EXPECT_FALSE(HasFinding(result, "X1", "")) << Describe(result);
  EXPECT_FALSE(HasFinding(result, "X2", "")) << Describe(result);
}

TEST_F(ValidateCorpusTest, Pingtan2022To2023FailsX2AsWarning) {
  const AnnualReport last = Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2022_80629_page.txt");
  const AnnualReport current =
      Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2023_87885_page.txt");
  const ValidationResult result = Validate(current, &last);
  // 2022 in force 698 + 2023 issued − repealed ≠ 2023 in force (library cleaned up).
  bool found = false;
  for (const Finding& finding : result.findings()) {
    if (finding.rule() != "X2") continue;
    EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
    found = found || finding.keys(0) == "t2.normative.in_force";
  }
  EXPECT_TRUE(found) << Describe(result);
}

// Where each tests/data/corpus_expected file's source lies under ../shared.
std::string SourceOf(const std::string& stem) {
  if (stem.rfind("hongze", 0) == 0) return "corpus/kirogovcompare-hongze/" + stem + ".txt";
  if (stem.rfind("pingtan", 0) == 0) return "corpus/pingtan-gov-zwgk-archive/" + stem + ".txt";
  if (stem.rfind("shanghai", 0) == 0) return "corpus/shanghai-2019-excerpt/" + stem + ".tsv";
  return "";
}

// The hand-read error findings of tests/data/corpus_expected (R1–R5, with
// blank-dependent ones) are exactly the validator's error findings.
TEST_F(ValidateCorpusTest, ErrorFindingsMatchHandReadExpectations) {
  if (!fs::is_directory(kExpected)) GTEST_SKIP() << kExpected << " absent";
  int files = 0;
  for (const auto& entry : fs::directory_iterator(kExpected)) {
    if (entry.path().extension() != ".json") continue;
    const std::string stem = entry.path().stem().string();
    const std::string source = SourceOf(stem);
    if (source.empty() || !fs::exists(kShared / source)) continue;
    ++files;
    std::ifstream in(entry.path());
    std::stringstream json;
    json << in.rdbuf();
    google::protobuf::Struct expected;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.str(), &expected).ok())
        << entry.path();
    std::vector<std::string> want;
    const auto& fields = expected.fields();
    if (fields.count("expected_findings")) {
      for (const auto& item : fields.at("expected_findings").list_value().values()) {
        const auto& f = item.struct_value().fields();
        const std::string rule = f.at("rule").string_value();
        if (rule.empty() || rule[0] != 'R') continue;
        want.push_back(absl::StrCat(rule, " ", f.at("keys").list_value().values(0).string_value(),
                                    " expected=", f.at("expected").string_value(),
                                    " actual=", f.at("actual").string_value()));
      }
    }
    const ValidationResult result = Validate(Parse(source), nullptr);
    std::vector<std::string> got;
    for (const Finding& finding : result.findings()) {
      if (finding.severity() != v1::SEVERITY_ERROR) continue;
      got.push_back(absl::StrCat(finding.rule(), " ", finding.keys(0),
                                 " expected=", finding.expected(), " actual=", finding.actual()));
    }
    std::sort(want.begin(), want.end());
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, want) << stem << "\n" << Describe(result);
  }
  EXPECT_GT(files, 0);
}

TEST_F(ValidateCorpusTest, Hongze2024TextDisagreesWithTable) {
  const ValidationResult result = Validate(
      Parse("corpus/kirogovcompare-hongze/hongze_2024_pdftotext_layout.txt"), nullptr);
  bool found = false;
  for (const Finding& finding : result.findings()) {
    if (finding.rule() == "T1" && finding.keys(0) == "t3.new.total") {
      found = true;
      EXPECT_EQ(finding.expected(), "17");
      EXPECT_EQ(finding.actual(), "95");
      EXPECT_EQ(finding.severity(), v1::SEVERITY_WARNING);
    }
  }
  EXPECT_TRUE(found) << Describe(result);
}

TEST_F(ValidateCorpusTest, Pingtan2023InForceTextDisagreesWithEveryReading) {
  const ValidationResult result = Validate(
      Parse("corpus/pingtan-gov-zwgk-archive/pingtan_2023_87885_page.txt"), nullptr);
  EXPECT_TRUE(HasFinding(result, "T1", "t2.normative.in_force")) << Describe(result);
}

TEST_F(ValidateCorpusTest, Shanghai2019QuotesOfOneCellAreNotFlagged) {
  const ValidationResult result = Validate(
      Parse("corpus/shanghai-2019-excerpt/shanghai_2019_bangongting_tables.tsv"), nullptr);
  for (const Finding& finding : result.findings()) {
    EXPECT_NE(finding.rule(), "T1") << Describe(result);
  }
}

}  // namespace
}  // namespace gongkai
