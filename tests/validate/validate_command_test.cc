// `gongkai validate` (cli::RunValidate) on the in-process engine: flags,
// the 6-column findings output, JSON, and exit codes.
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "common/engine/in_process_engine.h"
#include "gtest/gtest.h"
#include "tools/gongkai/commands.h"

namespace gongkai::cli {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = GONGKAI_SHARED_DIR;

struct Outcome {
  int code;
  std::string out;
  std::string err;
};

class ValidateCommandTest : public ::testing::Test {
 protected:
  Outcome Run(const std::vector<std::string>& args) {
    std::ostringstream out, err;
    std::streambuf* old_out = std::cout.rdbuf(out.rdbuf());
    std::streambuf* old_err = std::cerr.rdbuf(err.rdbuf());
    const int code = RunValidate(engine_, args);
    std::cout.rdbuf(old_out);
    std::cerr.rdbuf(old_err);
    return {code, out.str(), err.str()};
  }

  void RequireShared() {
    if (!fs::is_directory(kShared / "corpus")) {
      GTEST_SKIP() << "shared data not found at " << kShared << "; skipping";
    }
  }

  InProcessEngine engine_{InProcessEngineOptions{}, nullptr};
};

std::string Corpus(const std::string& name) { return (kShared / "corpus" / name).string(); }

TEST_F(ValidateCommandTest, UsageErrors) {
  EXPECT_EQ(Run({}).code, kExitUsage);
  EXPECT_EQ(Run({"--bogus", "x.txt"}).code, kExitUsage);
  EXPECT_EQ(Run({"--output", "xml", "x.txt"}).code, kExitUsage);
  EXPECT_EQ(Run({"--previous"}).code, kExitUsage);
  const Outcome help = Run({"--help"});
  EXPECT_EQ(help.code, kExitOk);
  EXPECT_NE(help.out.find("# FILE"), std::string::npos);
}

TEST_F(ValidateCommandTest, MissingFileFails) {
  const Outcome outcome = Run({"/nonexistent/示例.txt"});
  EXPECT_EQ(outcome.code, kExitFailure);
  EXPECT_NE(outcome.err.find("/nonexistent/示例.txt"), std::string::npos);
}

TEST_F(ValidateCommandTest, UnknownDisabledRuleIsUsageError) {
  RequireShared();
  const Outcome outcome =
      Run({"--disable", "R9", Corpus("kirogovcompare-hongze/hongze_2023_pdftotext_layout.txt")});
  EXPECT_EQ(outcome.code, kExitUsage);
  EXPECT_NE(outcome.err.find("R9"), std::string::npos);
}

TEST_F(ValidateCommandTest, ErrorFindingsExitThreeWithSixColumns) {
  RequireShared();
  const Outcome outcome =
      Run({Corpus("kirogovcompare-hongze/hongze_2023_pdftotext_layout.txt")});
  EXPECT_EQ(outcome.code, kExitFindings) << outcome.out << outcome.err;
  bool review = false;
  for (absl::string_view line : absl::StrSplit(outcome.out, '\n', absl::SkipEmpty())) {
    std::vector<std::string> columns = absl::StrSplit(line, '\t');
    ASSERT_EQ(columns.size(), 6u) << line;
    EXPECT_TRUE(columns[1] == "error" || columns[1] == "warning") << line;
    EXPECT_NE(columns[5].find(" / "), std::string::npos) << line;
    review = review || (columns[0] == "R4" && columns[2].rfind("t4.review.total", 0) == 0);
  }
  EXPECT_TRUE(review) << outcome.out;
  // Switching R4 off leaves no error.
  EXPECT_EQ(Run({"--disable=R4", Corpus("kirogovcompare-hongze/hongze_2023_pdftotext_layout.txt")})
                .code,
            kExitOk);
}

TEST_F(ValidateCommandTest, SeveralFilesGetHeadersAndJsonArray) {
  RequireShared();
  const std::string a = Corpus("kirogovcompare-hongze/hongze_2023_pdftotext_layout.txt");
  const std::string b = Corpus("kirogovcompare-hongze/hongze_2024_pdftotext_layout.txt");
  const Outcome findings = Run({a, b});
  EXPECT_NE(findings.out.find("# " + a + "\n"), std::string::npos) << findings.out;
  EXPECT_NE(findings.out.find("# " + b + "\n"), std::string::npos) << findings.out;
  const Outcome json = Run({"--output", "json", a, b});
  ASSERT_FALSE(json.out.empty());
  EXPECT_EQ(json.out.front(), '[');
  EXPECT_NE(json.out.find("\"rules_run\""), std::string::npos) << json.out;
  EXPECT_NE(json.out.find("\"file\": \"" + b + "\""), std::string::npos);
  const Outcome single = Run({"--output", "json", "--previous", a, b});
  ASSERT_FALSE(single.out.empty());
  EXPECT_EQ(single.out.front(), '{');
  EXPECT_NE(single.out.find("\"X2\""), std::string::npos) << single.out;
}

}  // namespace
}  // namespace gongkai::cli
