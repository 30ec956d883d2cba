// The national templates (F2019, F2021) as data: every canonical cell key of
// tables 二/三/四, in form order, and the key sets the arithmetic rules sum
// over. This is the one place that knows the keys of
// shared/spec/annual-report-format.md; the parser, validator and roll-up all
// read them from here.
//
// Thread-safety: everything here is immutable after first use and safe to
// call from any thread.
#ifndef GONGKAI_COMMON_REPORT_TEMPLATE_H_
#define GONGKAI_COMMON_REPORT_TEMPLATE_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

// Which template variant a report follows.
struct TemplateVariant {
  gongkai::v1::ReportFormat format = gongkai::v1::REPORT_FORMAT_F2019;
  // F2021 local variant printing 三（六）其他处理 as a single row (`other`).
  // Ignored for F2019, which always has the single row.
  bool single_other_row = false;
};

// Table 三 columns, in print order: natural … other_org, total.
const std::vector<std::string>& T3Columns();
// The six applicant columns (T3Columns() without "total").
const std::vector<std::string>& T3ApplicantColumns();

// Table 三 row keys in print order, e.g. "new", "carried_over", "granted",
// "denied.state_secret", …, "total", "carried_forward".
std::vector<std::string> T3Rows(const TemplateVariant& variant);
// The outcome leaf rows that R2 sums to t3.total (granted … other[.*]).
std::vector<std::string> T3OutcomeLeafRows(const TemplateVariant& variant);

// Table 四 groups ("review", "suit_direct", "suit_after_review") and the
// columns of each ("upheld", "corrected", "other", "pending", "total").
const std::vector<std::string>& T4Groups();
const std::vector<std::string>& T4Columns();

// One row of table 二: key stem and its column suffixes.
struct T2Row {
  std::string stem;                  // e.g. "t2.licensing"
  std::vector<std::string> columns;  // e.g. {"prev_items","delta","decisions"}
};
// Table 二 rows of the format, in print order.
const std::vector<T2Row>& T2Rows(gongkai::v1::ReportFormat format);

// Every cell key of the variant (tables 二, 三, 四), sorted. Empty for
// REPORT_FORMAT_UNSPECIFIED.
std::vector<std::string> CellKeys(const TemplateVariant& variant);

// "t3.<row>.<column>" / "t4.<group>.<column>".
std::string T3Key(absl::string_view row, absl::string_view column);
std::string T4Key(absl::string_view group, absl::string_view column);

// True for keys whose value is money in 万元 and may be decimal.
bool IsMoneyKey(absl::string_view key);
// True for keys that may be negative (F2019 `delta`).
bool MayBeNegative(absl::string_view key);

// "F2019" / "F2021" / "" for the format.
absl::string_view FormatName(gongkai::v1::ReportFormat format);

// "ok", "empty", "repaired", "ambiguous", "missing" ("" for unspecified).
absl::string_view CellStateName(gongkai::v1::CellState state);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_REPORT_TEMPLATE_H_
