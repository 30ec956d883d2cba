// RollupBuilder: sums tables 二/三/四 of many reports per region and year,
// and records which reports were left out and why (so totals are never
// silently partial). Feed it reports one at a time (it never needs the whole
// batch in memory beyond the outcomes), then Finish().
//
// Rules it applies (see AggregateOptions in proto/gongkai/v1/rollup.proto):
// government reports at one level by default; an F2019 cell is never added to
// a different F2021 cell; duplicates by content or by body+year are
// excluded; reports with error findings or ambiguous cells are excluded
// unless the options say otherwise.
//
// Thread-safety: not thread-safe; one builder per batch, guarded by the caller.
#ifndef GONGKAI_COMMON_AGGREGATE_ROLLUP_H_
#define GONGKAI_COMMON_AGGREGATE_ROLLUP_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "gongkai/v1/findings.pb.h"
#include "gongkai/v1/report.pb.h"
#include "gongkai/v1/rollup.pb.h"

namespace gongkai {

class DivisionTable;  // common/regions/division_table.h

class RollupBuilder {
 public:
  // `divisions` names the regions of the totals and maps a report's region
  // code to its ancestor at options.level; it must outlive the builder.
  RollupBuilder(const gongkai::v1::AggregateOptions& options,
                const DivisionTable* divisions);
  ~RollupBuilder();

  // A parsed report. `validation` is nullptr when validation could not run
  // (the report is then excluded as not validated).
  void AddReport(const std::string& source, const gongkai::v1::AnnualReport& report,
                 const gongkai::v1::ValidationResult* validation);

  // A document that could not be parsed.
  void AddFailure(const std::string& source, const std::string& content_sha256,
                  const absl::Status& error);

  // The totals and every report's outcome. The builder is spent afterwards.
  gongkai::v1::Rollup Finish();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_AGGREGATE_ROLLUP_H_
