#include "tests/validate/report_fixture.h"

#include <algorithm>
#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace gongkai::testing {
namespace {

using v1::AnnualReport;

}  // namespace

AnnualReport MakeReport(const FixtureSpec& spec) {
  std::map<std::string, std::string> values;
  const auto set = [&](const std::string& key, int64_t value) {
    values[key] = std::to_string(value);
  };
  const std::vector<std::string>& applicants = T3ApplicantColumns();
  const std::vector<std::string> leaves = T3OutcomeLeafRows(spec.variant);
  // Table 三, column by column: leaves → (七)总计 → 四 and 一 by R1.
  std::map<std::string, int64_t> row_totals;
  for (size_t c = 0; c < applicants.size(); ++c) {
    int64_t total = 0;
    for (size_t r = 0; r < leaves.size(); ++r) {
      const int64_t value = static_cast<int64_t>((r * 3 + c * 5 + spec.seed) % 4);
      set(T3Key(leaves[r], applicants[c]), value);
      row_totals[leaves[r]] += value;
      total += value;
    }
    const int64_t carried_over = spec.carried_over[c];
    const int64_t carried_forward = static_cast<int64_t>((c + spec.seed) % 2);
    set(T3Key("total", applicants[c]), total);
    set(T3Key("carried_over", applicants[c]), carried_over);
    set(T3Key("carried_forward", applicants[c]), carried_forward);
    set(T3Key("new", applicants[c]), total + carried_forward - carried_over);
    row_totals["total"] += total;
    row_totals["carried_over"] += carried_over;
    row_totals["carried_forward"] += carried_forward;
    row_totals["new"] += total + carried_forward - carried_over;
  }
  for (const auto& [row, total] : row_totals) set(T3Key(row, "total"), total);
  // Table 四.
  for (size_t g = 0; g < T4Groups().size(); ++g) {
    const int64_t parts[4] = {static_cast<int64_t>(g + 2 + spec.seed), 1, 0,
                              static_cast<int64_t>(g)};
    int64_t total = 0;
    for (int p = 0; p < 4; ++p) {
      set(T4Key(T4Groups()[g], T4Columns()[p]), parts[p]);
      total += parts[p];
    }
    set(T4Key(T4Groups()[g], "total"), total);
  }
  // Table 二.
  if (spec.variant.format == v1::REPORT_FORMAT_F2019) {
    for (const T2Row& row : T2Rows(v1::REPORT_FORMAT_F2019)) {
      for (const std::string& column : row.columns) {
        const std::string key = absl::StrCat(row.stem, ".", column);
        if (column == "delta") {
          set(key, -2 + spec.seed);
        } else if (column == "amount_wan") {
          values[key] = "10807.1713";
        } else {
          set(key, 10 + spec.seed + static_cast<int64_t>(row.stem.size()));
        }
      }
    }
  } else {
    const int64_t rules_issued = 1 + spec.seed, rules_repealed = 0;
    const int64_t normative_issued = 5 + spec.seed, normative_repealed = 2;
    set("t2.rules.issued", rules_issued);
    set("t2.rules.repealed", rules_repealed);
    set("t2.rules.in_force", spec.rules_in_force_before + rules_issued - rules_repealed);
    set("t2.normative.issued", normative_issued);
    set("t2.normative.repealed", normative_repealed);
    set("t2.normative.in_force",
        spec.normative_in_force_before + normative_issued - normative_repealed);
    set("t2.licensing.decisions", 120 + spec.seed);
    set("t2.penalty.decisions", 30 + spec.seed);
    set("t2.coercion.decisions", 4 + spec.seed);
    values["t2.fees.amount_wan"] = "12.5";
  }

  AnnualReport report;
  v1::ReportMeta& meta = *report.mutable_meta();
  meta.set_organ("示例县");
  meta.set_year(spec.year);
  meta.set_format(spec.variant.format);
  meta.set_single_other_row(spec.variant.single_other_row);
  meta.set_title(absl::StrCat("示例县", spec.year, "年政府信息公开工作年度报告"));
  for (const std::string& key : CellKeys(spec.variant)) {
    v1::Cell& cell = *report.add_cells();
    cell.set_key(key);
    cell.set_value(values.at(key));
    cell.set_raw(values.at(key));
    cell.set_state(v1::CELL_STATE_OK);
  }
  const char* headings[] = {"一、总体情况", "二、主动公开政府信息情况",
                            "三、收到和处理政府信息公开申请情况",
                            "四、政府信息公开行政复议、行政诉讼情况",
                            "五、存在的主要问题及改进情况", "六、其他需要报告的事项"};
  for (int n = 1; n <= 6; ++n) {
    v1::Section& section = *report.add_sections();
    section.set_number(n);
    section.set_heading(headings[n - 1]);
    section.set_text(absl::StrCat("示例县第", n, "部分（示例文字，第", spec.seed, "版）。"));
  }
  AppendToSection(&report, 1,
                  absl::StrCat("本报告所列数据的统计期限自", spec.year, "年1月1日起至",
                               spec.year, "年12月31日止。全年收到政府信息公开申请",
                               values.at("t3.new.total"), "件。"));
  return report;
}

FixtureSpec NextYearSpec(const FixtureSpec& spec, const AnnualReport& report) {
  FixtureSpec next = spec;
  next.year = spec.year + 1;
  next.seed = spec.seed + 1;
  for (size_t c = 0; c < T3ApplicantColumns().size(); ++c) {
    next.carried_over[c] = CellInt(report, T3Key("carried_forward", T3ApplicantColumns()[c]));
  }
  if (spec.variant.format == v1::REPORT_FORMAT_F2021) {
    next.rules_in_force_before = CellInt(report, "t2.rules.in_force");
    next.normative_in_force_before = CellInt(report, "t2.normative.in_force");
  }
  return next;
}

v1::Cell& MutableCell(AnnualReport* report, absl::string_view key) {
  for (v1::Cell& cell : *report->mutable_cells()) {
    if (cell.key() == key) return cell;
  }
  ADD_FAILURE() << "fixture has no cell " << key;
  static v1::Cell* dummy = new v1::Cell();
  return *dummy;
}

int64_t CellInt(const AnnualReport& report, absl::string_view key) {
  for (const v1::Cell& cell : report.cells()) {
    if (cell.key() != key) continue;
    int64_t value = 0;
    EXPECT_TRUE(absl::SimpleAtoi(cell.value(), &value)) << key << "=" << cell.value();
    return value;
  }
  ADD_FAILURE() << "fixture has no cell " << key;
  return 0;
}

void SetCell(AnnualReport* report, absl::string_view key, const std::string& value) {
  v1::Cell& cell = MutableCell(report, key);
  cell.set_value(value);
  cell.set_raw(value);
  cell.set_state(v1::CELL_STATE_OK);
}

void AddToCell(AnnualReport* report, absl::string_view key, int64_t delta) {
  SetCell(report, key, std::to_string(CellInt(*report, key) + delta));
}

void AppendToSection(AnnualReport* report, int number, absl::string_view text) {
  for (v1::Section& section : *report->mutable_sections()) {
    if (section.number() == number) {
      section.mutable_text()->append(text.data(), text.size());
      return;
    }
  }
  ADD_FAILURE() << "fixture has no section " << number;
}

}  // namespace gongkai::testing
