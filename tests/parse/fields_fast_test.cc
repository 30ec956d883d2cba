// Tests for the fast paths of the field reader and of the digit-run
// splitter: plain cells read in the line scan itself must come out as the
// general cell parser reads them (text, value, span), and the pruned split
// enumeration must give exactly the readings a brute-force enumeration of
// every cut gives.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "common/parse/fields.h"
#include "common/parse/solver.h"
#include "gtest/gtest.h"

namespace gongkai {
namespace {

// "text@begin-end" per field, "_@begin" for a blank one.
std::string Describe(const FieldGroup& g) {
  std::vector<std::string> out;
  for (const Field& f : g.fields) {
    if (f.blank) {
      out.push_back("_@" + std::to_string(f.begin));
    } else {
      out.push_back(f.number.text + "@" + std::to_string(f.begin) + "-" +
                    std::to_string(f.end));
    }
  }
  return absl::StrJoin(out, " ");
}

// Every number field agrees with ParseCellNumber on its own span.
void ExpectFieldsParseAsCells(const std::string& text, const FieldGroup& g) {
  for (const Field& f : g.fields) {
    if (f.blank || f.glued) continue;
    const std::string printed = text.substr(f.begin, f.end - f.begin);
    auto n = ParseCellNumber(printed);
    ASSERT_TRUE(n.has_value()) << printed;
    EXPECT_EQ(n->text, f.number.text) << printed;
    EXPECT_EQ(n->value, f.number.value) << printed;
    EXPECT_EQ(n->yuan, f.number.yuan) << printed;
    EXPECT_EQ(n->wan, f.number.wan) << printed;
    EXPECT_EQ(n->overflow, f.number.overflow) << printed;
  }
}

TEST(FieldFastPathTest, TabCellsWithSpacesCarriageReturnsAndBlanks) {
  // Offsets: "申请" is 6 bytes, so the row's pieces start at 6.
  const std::string t = "申请\t 12 \t\t3\r\t9999999999\t12345678901\t007\n";
  std::vector<FieldGroup> groups = ReadFieldGroups(t, 6, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_TRUE(groups[0].separated);
  EXPECT_EQ(Describe(groups[0]),
            "12@8-10 _@12 3@13-14 9999999999@16-26 12345678901@27-38 007@39-42");
  ExpectFieldsParseAsCells(t, groups[0]);
}

TEST(FieldFastPathTest, SpaceAlignedCellsAndNonPlainNumbers) {
  const std::string t = "数量  5   1,234  -7  0.5  12万元  88 元\r\n";
  const size_t label_end = std::string("数量").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_FALSE(groups[0].separated);
  const FieldGroup& g = groups[0];
  ASSERT_EQ(g.fields.size(), 6u) << Describe(g);
  EXPECT_EQ(g.fields[0].number.text, "5");
  EXPECT_EQ(g.fields[1].number.text, "1234");
  EXPECT_EQ(g.fields[2].number.text, "-7");
  EXPECT_EQ(g.fields[3].number.value.ToString(), "0.5");
  EXPECT_TRUE(g.fields[4].number.wan);
  // "元" as its own piece is the unit of the number before it.
  EXPECT_TRUE(g.fields[5].number.yuan);
  EXPECT_EQ(t.substr(g.fields[5].begin, g.fields[5].end - g.fields[5].begin), "88 元");
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(ParseCellNumber(t.substr(g.fields[i].begin, g.fields[i].end - g.fields[i].begin))
                  ->value,
              g.fields[i].number.value);
  }
}

TEST(FieldFastPathTest, BorderedPipeRowDropsOnlyItsEdges) {
  const std::string t = "| 申请 | 1 |  | 3 |\n";
  const size_t label_end = t.find("申请") + std::string("申请").size();
  std::vector<FieldGroup> groups = ReadFieldGroups(t, label_end, t.size());
  ASSERT_EQ(groups.size(), 1u);
  // The label's own cell rest (" ") is not a cell; the empty edge after the
  // last bar is not a cell; the empty middle cell is a blank.
  EXPECT_EQ(Describe(groups[0]), "1@" + std::to_string(t.find('1')) + "-" +
                                     std::to_string(t.find('1') + 1) + " _@" +
                                     std::to_string(t.find("|  |") + 3) + " 3@" +
                                     std::to_string(t.find('3')) + "-" +
                                     std::to_string(t.find('3') + 1));
}

TEST(FieldFastPathTest, LabelTextAndLaterLinesKeepTheirNumbers) {
  // A second line starting with label text: blanks before it are the
  // label's columns, numbers embedded in it are glued fields.
  const std::string t = "数量\t1\t2\n\t\t其中640020470\n";
  std::vector<FieldGroup> groups = ReadFieldGroups(t, std::string("数量").size(), t.size());
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].NumberCount(), 2u);
  ASSERT_EQ(groups[1].fields.size(), 1u) << Describe(groups[1]);
  EXPECT_TRUE(groups[1].fields[0].glued);
  EXPECT_EQ(groups[1].fields[0].number.text, "640020470");
}

// Every way to cut `runs` (in order) into `columns` pieces: no piece with a
// leading zero unless it is "0", none longer than 11 digits.
void CutAll(const std::vector<std::string>& runs, size_t run, size_t pos, size_t columns,
            std::vector<std::string>* current, std::set<std::string>* out) {
  if (run == runs.size()) {
    if (current->size() == columns) out->insert(absl::StrJoin(*current, "|"));
    return;
  }
  const std::string& digits = runs[run];
  for (size_t len = 1; pos + len <= digits.size() && len <= 11; ++len) {
    if (len > 1 && digits[pos] == '0') break;
    current->push_back(digits.substr(pos, len));
    if (pos + len == digits.size()) {
      CutAll(runs, run + 1, 0, columns, current, out);
    } else {
      CutAll(runs, run, pos + len, columns, current, out);
    }
    current->pop_back();
  }
}

TEST(SplitEnumerationTest, PrunedSearchGivesEveryCut) {
  struct Case {
    std::string label;            // label text with glued runs
    std::vector<std::string> runs;  // the runs it holds
    size_t columns;
  };
  const std::vector<Case> cases = {
      {"数量640020470", {"640020470"}, 7},
      {"数量1111111111", {"1111111111"}, 7},
      {"数量100200300", {"100200300"}, 7},
      {"数量1234567890123", {"1234567890123"}, 7},
      {"数量12030与405", {"12030", "405"}, 7},
      {"数量000000与7", {"000000", "7"}, 7},
      {"数量123与4与56", {"123", "4", "56"}, 5},
      {"数量12与34与5", {"12", "34", "5"}, 3},
      {"数量10203040506070809010", {"10203040506070809010"}, 15},
      {"数量9876543210与11与2", {"9876543210", "11", "2"}, 9},
  };
  SolverLimits limits;
  for (const Case& c : cases) {
    std::vector<FieldGroup> groups = ReadFieldGroups(c.label, 0, c.label.size());
    ASSERT_EQ(groups.size(), 1u) << c.label;
    ASSERT_EQ(groups[0].fields.size(), c.runs.size()) << c.label;
    RowCandidates row =
        ReadRow(groups[0], std::vector<ColumnSpec>(c.columns), false, limits);
    EXPECT_FALSE(row.capped) << c.label;
    std::set<std::string> got;
    for (const RowReading& r : row.readings) {
      std::vector<std::string> values;
      for (const CellReading& cell : r.cells) values.push_back(cell.value->ToString());
      EXPECT_TRUE(got.insert(absl::StrJoin(values, "|")).second) << c.label;
    }
    std::set<std::string> want;
    std::vector<std::string> current;
    CutAll(c.runs, 0, 0, c.columns, &current, &want);
    EXPECT_EQ(got, want) << c.label;
  }
}

TEST(SplitEnumerationTest, ReusedCandidatesMatchFreshOnes) {
  // ReadRowInto writes readings over the previous row's: a long row then a
  // short one gives the short one's readings only.
  SolverLimits limits;
  std::vector<ColumnSpec> seven(7);
  const std::string long_row = "数量1111111111";
  const std::string short_row = "数量10203";
  std::vector<FieldGroup> a = ReadFieldGroups(long_row, 0, long_row.size());
  std::vector<FieldGroup> b = ReadFieldGroups(short_row, 0, short_row.size());
  ASSERT_EQ(a.size(), 1u);
  ASSERT_EQ(b.size(), 1u);
  RowCandidates reused;
  ReadRowInto(a[0], seven, false, limits, &reused);
  EXPECT_GT(reused.readings.size(), 1u);
  ReadRowInto(b[0], seven, false, limits, &reused);
  RowCandidates fresh = ReadRow(b[0], seven, false, limits);
  ASSERT_EQ(reused.readings.size(), fresh.readings.size());
  for (size_t i = 0; i < fresh.readings.size(); ++i) {
    ASSERT_EQ(reused.readings[i].cells.size(), fresh.readings[i].cells.size());
    for (size_t c = 0; c < fresh.readings[i].cells.size(); ++c) {
      EXPECT_EQ(reused.readings[i].cells[c].value, fresh.readings[i].cells[c].value);
    }
  }
  EXPECT_EQ(reused.repair, fresh.repair);
  EXPECT_EQ(reused.direct, fresh.direct);
}

}  // namespace
}  // namespace gongkai
