// The real corpus (shared/corpus) against hand-read expectations in
// tests/data/corpus_expected: a cell marked ok/repaired must be right, every
// other expected cell must be right or flagged, and cells the document
// cannot decide must never be ok/repaired.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/parser.h"
#include "common/report/template.h"
#include "gtest/gtest.h"
#include "tests/parse/expected_cells.h"

namespace gongkai {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> ExpectationFiles() {
  std::vector<std::string> out;
  const fs::path dir = fs::path(GONGKAI_TESTDATA_DIR) / "corpus_expected";
  if (fs::exists(dir)) {
    for (const auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() == ".json") out.push_back(e.path().string());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

fs::path FindSource(const std::string& name) {
  const fs::path corpus = fs::path(GONGKAI_SHARED_DIR) / "corpus";
  for (const auto& e : fs::recursive_directory_iterator(corpus)) {
    if (e.path().filename() == name) return e.path();
  }
  return {};
}

TEST(ParseCorpusTest, NoWrongCellIsTrusted) {
  const fs::path corpus = fs::path(GONGKAI_SHARED_DIR) / "corpus";
  if (!fs::exists(corpus)) GTEST_SKIP() << "no shared corpus at " << corpus;
  const std::vector<std::string> files = ExpectationFiles();
  if (files.empty()) {
    GTEST_SKIP() << "no corpus expectations in tests/data/corpus_expected yet";
  }
  ReportParser parser;
  size_t checked = 0;
  for (const std::string& file : files) {
    SCOPED_TRACE(file);
    auto expected = testing::LoadExpected(file);
    ASSERT_TRUE(expected.ok()) << expected.status();
    const fs::path source = FindSource(expected->source);
    ASSERT_FALSE(source.empty()) << "source " << expected->source << " not found";
    // The same report archived as a full HTML page, when there is one.
    std::vector<fs::path> inputs = {source};
    fs::path html = source;
    html.replace_extension(".html");
    if (fs::exists(html)) inputs.push_back(html);
    for (const fs::path& input : inputs) {
      SCOPED_TRACE(input.string());
      auto bytes = testing::ReadFile(input.string());
      ASSERT_TRUE(bytes.ok());
      Document doc;
      doc.bytes = *bytes;
      doc.name = input.filename().string();
      auto report = parser.Parse(doc);
      ASSERT_TRUE(report.ok()) << report.status();
      // "undecidable" describes the text file; the HTML page's real table
      // decides those cells, and the hand-read value is only a guess there.
      testing::ExpectedReport want = *expected;
      if (input != source) {
        for (const auto& [key, values] : expected->undecidable) want.cells.erase(key);
        want.undecidable.clear();
      }
      auto problems = testing::Compare(*report, want, /*strict=*/false);
      EXPECT_TRUE(problems.empty()) << absl::StrJoin(problems, "\n");
      if (expected->single_other_row) {
        EXPECT_TRUE(report->meta().single_other_row());
      }
      ++checked;
    }
  }
  EXPECT_GE(checked, files.size());
}

}  // namespace
}  // namespace gongkai
