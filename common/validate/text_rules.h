// The validator's rules that read the report's text: T1 (counts quoted in
// the text against the tables) and the statistics period (统计期限) that Q1
// and Y1 check.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_VALIDATE_TEXT_RULES_H_
#define GONGKAI_COMMON_VALIDATE_TEXT_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "common/validate/report_cells.h"
#include "gongkai/v1/findings.pb.h"

namespace gongkai {

// The text the text rules read: every section's text, or the whole
// normalised text when the parser found no sections.
std::string ReportText(const gongkai::v1::AnnualReport& report);

// `text` without ASCII whitespace and U+3000 (PDF text wraps lines inside
// words: "受理政府\n信息公开申请 17 件").
std::string RemoveWhitespace(absl::string_view text);

// T1 findings: every count the text quotes with an unambiguous phrase
// (收到政府信息公开申请N件, 行政复议N件, 行政诉讼N件, 制发规范性文件N个,
// 现行有效规范性文件N件, 不予公开/无法提供/不予处理/其他处理/予以公开/部分公开N件)
// that equals neither the phrase's table quantity nor any single cell, row
// sum or column sum of the related rows. Phrases whose table cells are
// missing or ambiguous are skipped.
std::vector<gongkai::v1::Finding> CheckQuotedCounts(const ReportCells& cells,
                                                    absl::string_view text);

// A date as printed: year 0 when the text leaves it out (12月31日 after a
// first date that has one takes that year).
struct PrintedDate {
  int year = 0;
  int month = 0;
  int day = 0;
};

// The statistics period (统计期限) as found.
struct StatisticsPeriod {
  std::string text;                 // the period as printed
  std::vector<PrintedDate> dates;   // the dates in it, in order
};

// Reads the period from meta.statistics_period, else from the phrase after
// 统计期限/统计期 in `text`. nullopt when neither has a date.
std::optional<StatisticsPeriod> FindStatisticsPeriod(
    const gongkai::v1::AnnualReport& report, absl::string_view text);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_VALIDATE_TEXT_RULES_H_
