// Output writers for a Rollup (proto/gongkai/v1/rollup.proto), shared by the
// `gongkai aggregate` command and the aggregate service: the `cells` lines,
// a terminal table, CSV, and an xlsx workbook laid out like the national
// form. JSON is FormatJson() of common/report/cells_output.h.
//
// Thread-safety: pure functions; WriteRollupXlsx writes only its own file.
#ifndef GONGKAI_COMMON_AGGREGATE_ROLLUP_OUTPUT_H_
#define GONGKAI_COMMON_AGGREGATE_ROLLUP_OUTPUT_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/rollup.pb.h"

namespace gongkai {

// `region<TAB>key<TAB>value\n` lines, regions in rollup order, keys sorted.
// Per region: meta.name, meta.level, meta.year, meta.format,
// meta.reports_included, meta.reports_excluded, then every cell total.
// `region` is the region code, or `code/year` when the rollup holds more
// than one year (so the lines of two years never collide). Reports left out
// before a region could be given to them (parse failed, region unresolved)
// are counted on a last line `unassigned<TAB>meta.reports_excluded<TAB>N`
// (absent when N is 0).
std::string FormatRollupCells(const gongkai::v1::Rollup& rollup);

// A readable summary for a terminal: per region its headline totals
// (applications received/settled, reviews, suits), then every report left
// out and why. Chinese labels, English headings.
std::string FormatRollupTable(const gongkai::v1::Rollup& rollup);

// RFC 4180 CSV, one row per region and cell key, with a header:
// region_code,region_name,level,year,format,reports_included,
// reports_excluded,key,value,reports; plus a row with region_code
// `unassigned` counting the reports no region could be given to (if any).
std::string FormatRollupCsv(const gongkai::v1::Rollup& rollup);

// One CSV field, quoted when it holds a comma, quote or line break.
std::string CsvField(absl::string_view field);

// An xlsx workbook at `path`: one sheet per region total laid out like the
// national form (tables 二, 三, 四 with their Chinese row and column labels),
// then a sheet "报告与排除" listing every report, whether it was included, why
// not, and its findings. Errors: INTERNAL with libxlsxwriter's message when
// the file cannot be written.
absl::Status WriteRollupXlsx(const gongkai::v1::Rollup& rollup, const std::string& path);

// English name of an exclusion reason ("error findings", "township level" …).
absl::string_view ExclusionReasonName(gongkai::v1::ExclusionReason reason);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_AGGREGATE_ROLLUP_OUTPUT_H_
