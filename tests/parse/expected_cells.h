// Test helper: loads an expected-cells JSON (shared/seeds/expected/*.json,
// tests/data/corpus_expected/*.json) with protobuf's JSON parser and
// compares a parsed report against it.
#ifndef GONGKAI_TESTS_PARSE_EXPECTED_CELLS_H_
#define GONGKAI_TESTS_PARSE_EXPECTED_CELLS_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai::testing {

struct ExpectedReport {
  // The document's file name ("source").
  std::string source;
  // Cell key → expected value as text ("10807.1713", "林口县", "2020").
  std::map<std::string, std::string> cells;
  std::set<std::string> blank_cells;
  // Cells the document cannot decide → candidate values.
  std::map<std::string, std::vector<std::string>> undecidable;
  bool single_other_row = false;
};

absl::StatusOr<ExpectedReport> LoadExpected(const std::string& path);

// Reads a whole file.
absl::StatusOr<std::string> ReadFile(const std::string& path);

// Re-encodes UTF-8 text into `charset` with ICU (test inputs in GB18030,
// UTF-16LE/BE, GBK). Fails the current test on a conversion error.
std::string Encode(const std::string& utf8, const char* charset);

// True when two numeric texts denote the same number.
bool SameNumber(const std::string& a, const std::string& b);

// Compares `report` with `expected`. `strict`: every cell must equal the
// expected value and be ok/repaired (or empty for blank cells), and an
// undecidable cell must be ambiguous with the expected value among its
// value and alternatives (seeds, fixtures); otherwise a cell may instead be flagged
// (ambiguous/missing) but a cell marked ok/repaired must be right (corpus).
// Returns one line per problem.
std::vector<std::string> Compare(const gongkai::v1::AnnualReport& report,
                                 const ExpectedReport& expected, bool strict);

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_PARSE_EXPECTED_CELLS_H_
