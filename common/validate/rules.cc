#include "common/validate/rules.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

using v1::SEVERITY_ERROR;
using v1::SEVERITY_WARNING;

std::string RowKey(absl::string_view stem, absl::string_view column) {
  return absl::StrCat(stem, ".", column);
}

}  // namespace

const std::vector<RuleInfo>& RuleCatalogue() {
  static const auto* kRules = new std::vector<RuleInfo>{
      {"R1", SEVERITY_ERROR, "本年新收+上年结转应等于办理结果总计+结转下年度",
       "new + carried over must equal results total + carried forward"},
      {"R2", SEVERITY_ERROR, "（七）总计应等于各项办理结果之和",
       "results total must equal the sum of the outcome rows"},
      {"R3", SEVERITY_ERROR, "总计列应等于各类申请人之和",
       "the total column must equal the sum of the six applicant columns"},
      {"R4", SEVERITY_ERROR, "行政复议/行政诉讼总计应等于维持+纠正+其他+尚未审结",
       "review/suit total must equal upheld + corrected + other + pending"},
      {"R5", SEVERITY_ERROR, "数量应为非负整数（仅增/减可为负，金额可有小数）",
       "counts must be whole and non-negative (only F2019 delta may be "
       "negative, only amounts may be decimal)"},
      {"X1", SEVERITY_WARNING, "上年结转应等于上一年报告的结转下年度",
       "carried over must equal last year's carried forward"},
      {"X2", SEVERITY_WARNING, "现行有效件数应等于上年现行有效+本年制发-本年废止",
       "in force must equal last year's in force + issued - repealed"},
      {"T1", SEVERITY_WARNING, "正文引用的数字应与表格一致",
       "a count quoted in the text must agree with the tables"},
      {"Q1", SEVERITY_WARNING, "六个部分应齐全，统计期限应为报告年度1月1日至12月31日",
       "all six sections present; statistics period 1 Jan - 31 Dec"},
      {"Q2", SEVERITY_WARNING, "报告不应与上一年报告雷同",
       "the report must not copy last year's report"},
      {"A1", SEVERITY_WARNING, "存在无法确定的单元格，该等式无法验证",
       "an ambiguous cell makes this sum unprovable"},
      {"N1", SEVERITY_WARNING, "本年增/减不应小于负的上一年项目数量",
       "delta must not be below minus last year's item count"},
      {"M1", SEVERITY_WARNING, "表格整体缺失",
       "a table is missing entirely"},
      {"Y1", SEVERITY_WARNING, "报告年度与统计期限不一致",
       "the report year disagrees with its statistics period"},
  };
  return *kRules;
}

const RuleInfo* FindRule(absl::string_view id) {
  for (const RuleInfo& rule : RuleCatalogue()) {
    if (id == rule.id) return &rule;
  }
  return nullptr;
}

namespace {

std::vector<SumRule> BuildReportSumRules(const TemplateVariant& variant) {
  std::vector<SumRule> rules;
  if (variant.format != v1::REPORT_FORMAT_F2019 &&
      variant.format != v1::REPORT_FORMAT_F2021) {
    return rules;
  }
  const std::vector<std::string> leaves = T3OutcomeLeafRows(variant);
  for (const std::string& column : T3Columns()) {
    rules.push_back({"R1",
                     {{T3Key("total", column)}, {T3Key("carried_forward", column)}},
                     {{T3Key("new", column)}, {T3Key("carried_over", column)}}});
  }
  for (const std::string& column : T3Columns()) {
    SumRule rule{"R2", {{T3Key("total", column)}}, {}};
    for (const std::string& leaf : leaves) rule.parts.push_back({T3Key(leaf, column)});
    rules.push_back(std::move(rule));
  }
  for (const std::string& row : T3Rows(variant)) {
    SumRule rule{"R3", {{T3Key(row, "total")}}, {}};
    for (const std::string& column : T3ApplicantColumns()) {
      rule.parts.push_back({T3Key(row, column)});
    }
    rules.push_back(std::move(rule));
  }
  for (const std::string& group : T4Groups()) {
    SumRule rule{"R4", {{T4Key(group, "total")}}, {}};
    for (const std::string& column : T4Columns()) {
      if (column != "total") rule.parts.push_back({T4Key(group, column)});
    }
    rules.push_back(std::move(rule));
  }
  return rules;
}

std::vector<SumRule> BuildCrossYearSumRules(const TemplateVariant& current,
                                            const TemplateVariant& previous) {
  std::vector<SumRule> rules;
  auto known = [](const TemplateVariant& v) {
    return v.format == v1::REPORT_FORMAT_F2019 || v.format == v1::REPORT_FORMAT_F2021;
  };
  if (!known(current) || !known(previous)) return rules;
  for (const std::string& column : T3Columns()) {
    rules.push_back({"X1",
                     {{T3Key("carried_over", column)}},
                     {{T3Key("carried_forward", column), /*previous=*/true}}});
  }
  if (current.format == v1::REPORT_FORMAT_F2021 &&
      previous.format == v1::REPORT_FORMAT_F2021) {
    for (const T2Row& row : T2Rows(v1::REPORT_FORMAT_F2021)) {
      bool has_in_force = false;
      for (const std::string& column : row.columns) {
        has_in_force = has_in_force || column == "in_force";
      }
      if (!has_in_force) continue;
      rules.push_back({"X2",
                       {{RowKey(row.stem, "in_force")}},
                       {{RowKey(row.stem, "in_force"), /*previous=*/true},
                        {RowKey(row.stem, "issued")},
                        {RowKey(row.stem, "repealed"), false, -1}}});
    }
  }
  return rules;
}

// The variants a rule table is built for: 0 unknown, 1 F2019, 2 F2021,
// 3 F2021 single-（六）.
int VariantIndex(const TemplateVariant& variant) {
  switch (variant.format) {
    case v1::REPORT_FORMAT_F2019:
      return 1;
    case v1::REPORT_FORMAT_F2021:
      return variant.single_other_row ? 3 : 2;
    default:
      return 0;
  }
}

constexpr TemplateVariant kVariants[4] = {
    {v1::REPORT_FORMAT_UNSPECIFIED, false},
    {v1::REPORT_FORMAT_F2019, false},
    {v1::REPORT_FORMAT_F2021, false},
    {v1::REPORT_FORMAT_F2021, true}};

}  // namespace

const std::vector<SumRule>& ReportSumRules(const TemplateVariant& variant) {
  static const auto* kTables = [] {
    auto* tables = new std::vector<std::vector<SumRule>>();
    for (const TemplateVariant& v : kVariants) tables->push_back(BuildReportSumRules(v));
    return tables;
  }();
  return (*kTables)[VariantIndex(variant)];
}

const std::vector<SumRule>& CrossYearSumRules(const TemplateVariant& current,
                                              const TemplateVariant& previous) {
  static const auto* kTables = [] {
    auto* tables = new std::vector<std::vector<SumRule>>();
    for (const TemplateVariant& c : kVariants) {
      for (const TemplateVariant& p : kVariants) {
        tables->push_back(BuildCrossYearSumRules(c, p));
      }
    }
    return tables;
  }();
  return (*kTables)[VariantIndex(current) * 4 + VariantIndex(previous)];
}

const std::vector<std::string>& CachedCellKeys(const TemplateVariant& variant) {
  static const auto* kKeys = [] {
    auto* keys = new std::vector<std::vector<std::string>>();
    for (const TemplateVariant& v : kVariants) keys->push_back(CellKeys(v));
    return keys;
  }();
  return (*kKeys)[VariantIndex(variant)];
}

v1::Finding MakeFinding(const RuleInfo& info, std::vector<std::string> keys,
                        std::string expected, std::string actual,
                        std::string difference, std::string message_zh,
                        std::string message_en) {
  v1::Finding finding;
  finding.set_rule(info.id);
  finding.set_severity(info.severity);
  for (std::string& key : keys) finding.add_keys(std::move(key));
  finding.set_expected(std::move(expected));
  finding.set_actual(std::move(actual));
  finding.set_difference(std::move(difference));
  finding.set_message_zh(std::move(message_zh));
  finding.set_message_en(std::move(message_en));
  return finding;
}

}  // namespace gongkai
