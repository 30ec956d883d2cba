// RegionResolver: maps a report to its GB/T 2260 region (province, city,
// county, township) from its title and text, using the division table
// shipped in common/regions/data, and classifies the reporting body
// (government / department / development zone, and its level).
//
// Thread-safety: immutable after construction; Resolve() is const and safe to
// call concurrently.
#ifndef GONGKAI_COMMON_REGIONS_RESOLVER_H_
#define GONGKAI_COMMON_REGIONS_RESOLVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

class DivisionTable;  // common/regions/division_table.h

class RegionResolver {
 public:
  // Loads the division table compiled into the binary.
  // Errors: INTERNAL if the embedded data is corrupt.
  static absl::StatusOr<std::unique_ptr<RegionResolver>> LoadDefault();

  explicit RegionResolver(std::shared_ptr<const DivisionTable> table);
  ~RegionResolver();

  // Fills report->meta(): region_code, province, city, county,
  // region_confidence, region_evidence, body_kind and body_level, from
  // meta.organ/title, the sections' text and meta.year. When
  // `stated_region_code` is non-empty it is used instead of detection
  // (confidence 1); an unknown stated code leaves the fields empty and adds a
  // diagnostic. Never fails: an unresolved region leaves region_code empty.
  void Resolve(absl::string_view stated_region_code,
               gongkai::v1::AnnualReport* report) const;

  const DivisionTable& table() const { return *table_; }

 private:
  std::shared_ptr<const DivisionTable> table_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_REGIONS_RESOLVER_H_
