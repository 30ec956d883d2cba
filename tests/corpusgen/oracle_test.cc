// The generated corpus as an oracle for gongkai::ReportParser: ~200 reports
// over every layout, each cell compared with the generator's expected value.
// Every cell must be right or flagged (ambiguous/missing/empty where a
// number was printed), and no wrong value may be marked ok or repaired.
// Prints a per-layout summary: right, flagged, wrong, lost (key absent),
// blank=0 (a blank cell reported as an ok "0" instead of empty), guessed (an
// undecidable cell marked ok/repaired), open (undecidable cells) and
// fl_open (flagged cells among them).
#include <cstdio>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/parse/document.h"
#include "common/parse/parser.h"
#include "common/report/decimal.h"
#include "common/report/template.h"
#include "gtest/gtest.h"
#include "tools/corpusgen/corpus_generator.h"
#include "common/validate/validator.h"

namespace gongkai {
namespace corpusgen {
namespace {

using v1::CellState;

constexpr uint64_t kSeed = 20260;
// Reports per layout; $GONGKAI_ORACLE_PER_LAYOUT overrides (for long sweeps).
uint64_t PerLayout() {
  const char* env = std::getenv("GONGKAI_ORACLE_PER_LAYOUT");
  uint64_t n = 0;
  return env != nullptr && absl::SimpleAtoi(env, &n) && n > 0 ? n : 34;
}

struct Tally {
  int reports = 0;
  int parse_failures = 0;
  int meta_mismatches = 0;   // format or year wrong (organ is counted apart)
  int organ_mismatches = 0;
  int right = 0;        // value as printed, ok/repaired (or empty for a blank)
  int flagged = 0;      // ambiguous, or missing/empty where a number was printed
  int wrong = 0;        // ok/repaired with a value other than printed
  int lost = 0;         // the key is not in the parsed report at all
  int blank_as_zero = 0;  // a blank cell reported as an ok "0" (spec: empty)
  int guessed = 0;      // an undecidable cell marked ok/repaired (right by luck)
  int undecidable = 0;  // cells the layout leaves open (digit runs)
  int flagged_open = 0; // flagged cells among those
};

bool SameNumber(const std::string& a, const std::string& b) {
  auto x = Decimal::Parse(a), y = Decimal::Parse(b);
  return x && y && *x == *y;
}

TEST(CorpusOracleTest, EveryCellRightOrFlagged) {
  ReportParser parser;
  std::map<std::string, Tally> tallies;
  std::vector<std::string> examples;
  for (Layout layout : AllLayouts()) {
    GeneratorOptions options;
    options.seed = kSeed;
    options.layouts = {layout};
    CorpusGenerator generator(options);
    Tally& t = tallies[std::string(LayoutName(layout))];
    for (uint64_t i = 0; i < PerLayout(); ++i) {
      const GeneratedReport expected = generator.Generate(i);
      ++t.reports;
      Document doc;
      doc.bytes = expected.bytes;
      doc.name = expected.name;
      doc.media_type = layout == Layout::kHtml ? "text/html" : "text/plain";
      auto parsed = parser.Parse(doc);
      if (!parsed.ok()) {
        ++t.parse_failures;
        if (examples.size() < 40) {
          examples.push_back(absl::StrCat(expected.name, ": parse failed: ",
                                          parsed.status().ToString()));
        }
        continue;
      }
      const auto& meta = parsed->meta();
      if (meta.format() != expected.format || meta.year() != expected.year) {
        ++t.meta_mismatches;
        if (examples.size() < 40) {
          examples.push_back(absl::StrCat(expected.name, ": meta format/year ",
                                          FormatName(meta.format()), "/", meta.year(),
                                          " expected ", FormatName(expected.format), "/",
                                          expected.year));
        }
      }
      if (meta.organ() != expected.organ) ++t.organ_mismatches;
      std::map<std::string, const v1::Cell*> cells;
      for (const auto& cell : parsed->cells()) cells[cell.key()] = &cell;
      const std::set<std::string> blank(expected.blank_cells.begin(), expected.blank_cells.end());
      const std::set<std::string> open(expected.undecidable.begin(), expected.undecidable.end());
      for (const auto& [key, value] : expected.cells) {
        auto it = cells.find(key);
        if (it == cells.end()) {
          ++t.lost;
          continue;
        }
        const v1::Cell& cell = *it->second;
        const CellState state = cell.state();
        const bool asserted = state == v1::CELL_STATE_OK || state == v1::CELL_STATE_REPAIRED;
        bool is_wrong = false;
        if (blank.count(key)) {
          if (state == v1::CELL_STATE_EMPTY) {
            ++t.right;
          } else if (asserted && SameNumber(cell.value(), "0")) {
            ++t.blank_as_zero;
          } else if (asserted) {
            is_wrong = true;
          } else {
            ++t.flagged;
          }
        } else if (asserted) {
          if (SameNumber(cell.value(), value)) {
            ++t.right;
            if (open.count(key)) ++t.guessed;
          } else {
            is_wrong = true;
          }
        } else {
          ++t.flagged;
          if (open.count(key)) ++t.flagged_open;
        }
        if (open.count(key)) ++t.undecidable;
        if (is_wrong) {
          ++t.wrong;
          if (examples.size() < 40) {
            examples.push_back(absl::StrCat(expected.name, ": ", key, " = '", cell.value(), "' (",
                                            CellStateName(state), "), printed '",
                                            blank.count(key) ? "" : value, "'"));
          }
        }
      }
    }
  }
  std::printf("%-10s %7s %7s %6s %6s %8s %8s %6s %6s %8s %7s %7s %7s\n", "layout", "reports",
              "failed", "meta", "organ", "right", "flagged", "wrong", "lost", "blank=0", "guessed",
              "open", "fl_open");
  Tally sum;
  for (const auto& [name, t] : tallies) {
    std::printf("%-10s %7d %7d %6d %6d %8d %8d %6d %6d %8d %7d %7d %7d\n", name.c_str(),
                t.reports, t.parse_failures, t.meta_mismatches, t.organ_mismatches, t.right,
                t.flagged, t.wrong, t.lost, t.blank_as_zero, t.guessed, t.undecidable,
                t.flagged_open);
    sum.parse_failures += t.parse_failures;
    sum.meta_mismatches += t.meta_mismatches;
    sum.wrong += t.wrong;
    sum.lost += t.lost;
  }
  for (const auto& e : examples) std::printf("  %s\n", e.c_str());
  std::fflush(stdout);
  EXPECT_EQ(sum.wrong, 0) << "wrong cells marked ok/repaired";
  EXPECT_EQ(sum.parse_failures, 0) << "generated reports the parser rejected";
  EXPECT_EQ(sum.lost, 0) << "expected cells absent from the parsed report";
  EXPECT_EQ(sum.meta_mismatches, 0) << "reports with the wrong format or year";
}

// The Validator on generated reports the parser read exactly (every cell
// right, none ambiguous): its R1–R4 errors are the rule instances the
// generator broke, no more, no less (compared as rule + set of keys).
TEST(CorpusOracleTest, ValidatorFindsTheInjectedErrors) {
  ReportParser parser;
  Validator validator;
  GeneratorOptions options;
  options.seed = kSeed + 1;
  options.error_share = 0.5;
  options.layouts = {Layout::kTsv, Layout::kHtml, Layout::kMarkdown};
  CorpusGenerator generator(options);
  int compared = 0, with_errors = 0;
  for (uint64_t i = 0; i < 120; ++i) {
    const GeneratedReport expected = generator.Generate(i);
    Document doc;
    doc.bytes = expected.bytes;
    doc.name = expected.name;
    auto parsed = parser.Parse(doc);
    if (!parsed.ok()) continue;
    bool exact = true;
    std::map<std::string, const v1::Cell*> cells;
    for (const auto& cell : parsed->cells()) cells[cell.key()] = &cell;
    const std::set<std::string> blank(expected.blank_cells.begin(), expected.blank_cells.end());
    for (const auto& [key, value] : expected.cells) {
      auto it = cells.find(key);
      exact = exact && it != cells.end() &&
              (blank.count(key) ? it->second->state() == v1::CELL_STATE_EMPTY
                                : (it->second->state() == v1::CELL_STATE_OK ||
                                   it->second->state() == v1::CELL_STATE_REPAIRED) &&
                                      SameNumber(it->second->value(), value));
    }
    if (!exact) continue;
    auto result = validator.Validate(*parsed, nullptr, v1::ValidateOptions());
    ASSERT_TRUE(result.ok()) << result.status();
    std::multiset<std::string> want, got;
    auto describe = [](const std::string& rule, std::vector<std::string> keys) {
      std::sort(keys.begin(), keys.end());
      std::string out = rule;
      for (const auto& k : keys) absl::StrAppend(&out, " ", k);
      return out;
    };
    for (const auto& f : expected.expected_findings) want.insert(describe(f.rule, f.keys));
    for (const auto& f : result->findings()) {
      if (f.rule() == "R1" || f.rule() == "R2" || f.rule() == "R3" || f.rule() == "R4") {
        got.insert(describe(f.rule(), {f.keys().begin(), f.keys().end()}));
      }
    }
    EXPECT_EQ(want, got) << expected.name;
    ++compared;
    with_errors += !want.empty();
  }
  std::printf("validator compared on %d exactly-parsed reports, %d with injected errors\n",
              compared, with_errors);
  EXPECT_GT(compared, 60);
  EXPECT_GT(with_errors, 20);
}

}  // namespace
}  // namespace corpusgen
}  // namespace gongkai
