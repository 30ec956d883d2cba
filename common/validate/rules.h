// The rule catalogue of the validator: every rule id with its severity and
// title (docs/rules.md describes each one), and the arithmetic rules as data
// — sums over canonical cell keys built from common/report/template.h.
//
// Thread-safety: everything here is immutable after first use and safe to
// call from any thread.
#ifndef GONGKAI_COMMON_VALIDATE_RULES_H_
#define GONGKAI_COMMON_VALIDATE_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/report/template.h"
#include "gongkai/v1/findings.pb.h"

namespace gongkai {

// One rule of the catalogue.
struct RuleInfo {
  const char* id;            // "R1", "X2", "A1", …
  gongkai::v1::Severity severity;
  const char* title_zh;      // what the rule checks, one line
  const char* title_en;
};

// Every rule, in catalogue order (R1–R5, X1, X2, T1, Q1, Q2, then extras).
const std::vector<RuleInfo>& RuleCatalogue();
// The rule with `id`, or nullptr when there is none.
const RuleInfo* FindRule(absl::string_view id);

// Prefix of a key that names a cell of last year's report in a finding
// ("prev:t3.carried_forward.total").
inline constexpr absl::string_view kPreviousKeyPrefix = "prev:";

// One addend of a sum rule: a cell of this report or of last year's,
// added (+1) or subtracted (-1).
struct SumTerm {
  std::string key;
  bool previous = false;
  int sign = 1;
};

// sum(checked) must equal sum(parts). The first checked term is the cell the
// finding is about; `actual` is sum(checked) and `expected` is sum(parts).
struct SumRule {
  std::string rule;  // "R1" … "R4", "X1", "X2"
  std::vector<SumTerm> checked;
  std::vector<SumTerm> parts;
};

// R1–R4 of one report of `variant` (R1, R2 per table 三 column; R3 per table
// 三 row; R4 per table 四 group), in that order. Built once per variant.
const std::vector<SumRule>& ReportSumRules(const TemplateVariant& variant);

// X1 (per table 三 column) and, when both years are F2021, X2 (rules and
// normative rows), comparing `current` with last year's `previous`. Built
// once per pair of variants.
const std::vector<SumRule>& CrossYearSumRules(const TemplateVariant& current,
                                              const TemplateVariant& previous);

// CellKeys(variant) of common/report/template.h, built once per variant.
const std::vector<std::string>& CachedCellKeys(const TemplateVariant& variant);

// A finding of rule `info` (severity from the catalogue).
gongkai::v1::Finding MakeFinding(const RuleInfo& info,
                                 std::vector<std::string> keys,
                                 std::string expected, std::string actual,
                                 std::string difference, std::string message_zh,
                                 std::string message_en);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_VALIDATE_RULES_H_
