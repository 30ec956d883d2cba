// DivisionTable: China's administrative divisions (GB/T 2260 / NBS
// 统计用区划代码) as gongkai knows them: provinces, cities, county-level units
// and townships, current ones and those abolished or renamed since 2020, each
// with the years it is known valid. Built from common/regions/data/
// divisions.tsv (see its README), which is compiled into the binary.
//
// Codes: a division's own code has the NBS length of its level (2 province,
// 4 city, 6 county, 9 township). Display codes are the GB/T 2260 6-digit
// form for province/city/county ("230000", "231000", "231005") and the 9
// digits for a township; the country is "000000".
//
// Thread-safety: immutable after construction; every method is const and
// safe to call concurrently.
#ifndef GONGKAI_COMMON_REGIONS_DIVISION_TABLE_H_
#define GONGKAI_COMMON_REGIONS_DIVISION_TABLE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

struct Division {
  // NBS-length code ("23", "2310", "231005", "230523105"); "" for the country.
  absl::string_view code;
  absl::string_view name;
  gongkai::v1::RegionLevel level = gongkai::v1::REGION_LEVEL_UNSPECIFIED;
  // Index of the parent in the table; -1 for the country.
  int32_t parent = -1;
  // Years the unit is known valid; 0 = unbounded on that side.
  int32_t valid_from = 0;
  int32_t valid_until = 0;
  // Index of this row in the table.
  int32_t index = 0;

  bool ValidIn(int32_t year) const {
    return year == 0 || ((valid_from == 0 || year >= valid_from) &&
                         (valid_until == 0 || year <= valid_until));
  }
};

// "country", "province", "city", "county", "township"; "" for unspecified.
absl::string_view RegionLevelName(gongkai::v1::RegionLevel level);

class DivisionTable {
 public:
  // The table compiled into the binary, parsed on first use (once).
  // Errors: INTERNAL if the embedded data is corrupt.
  static absl::StatusOr<std::shared_ptr<const DivisionTable>> Embedded();

  // Parses the divisions.tsv format (`#` comment lines; code, parent, level,
  // name, from, until). Rows must come parents first (sorted by code).
  // Errors: INVALID_ARGUMENT naming the line of a malformed row or an
  // unknown parent.
  static absl::StatusOr<std::shared_ptr<const DivisionTable>> Parse(std::string tsv);

  DivisionTable(const DivisionTable&) = delete;
  DivisionTable& operator=(const DivisionTable&) = delete;

  size_t size() const { return divisions_.size(); }
  const Division& at(int32_t index) const { return divisions_[index]; }
  const Division& country() const { return divisions_[0]; }
  const Division* parent(const Division& division) const {
    return division.parent < 0 ? nullptr : &divisions_[division.parent];
  }

  // By code: an NBS-length code, a GB/T 6-digit code (a county's, or a
  // province's/city's padded with zeros; "441900" finds the county-level
  // unit when one exists), a 12-digit NBS township/village code (its first 9
  // digits), or "000000" for the country. nullptr when unknown. A code that
  // several rows share (a renamed unit) returns the current row.
  const Division* FindCode(absl::string_view code) const;

  // Every row with exactly this name (current and former units), in code
  // order. Empty when none.
  const std::vector<int32_t>& FindName(absl::string_view name) const;
  // Rows whose name without its generic suffix (省, 市, 县, 区, 自治州 …) is
  // `short_name` (黑龙江 → 黑龙江省, 平潭 → 平潭县). Empty when none.
  const std::vector<int32_t>& FindShortName(absl::string_view short_name) const;

  // The division itself or its ancestor at `level`; nullptr when the division
  // is above that level. REGION_LEVEL_COUNTRY gives the country.
  const Division* AncestorAt(const Division& division,
                             gongkai::v1::RegionLevel level) const;
  // True when `ancestor` is `division` or one of its ancestors.
  bool IsWithin(const Division& division, const Division& ancestor) const;

  // GB/T display code (see the file comment).
  static std::string DisplayCode(const Division& division);
  // The name without its generic suffix, or the whole name when stripping
  // would leave under two characters.
  static absl::string_view ShortName(absl::string_view name);
  // True for the NBS placeholders that stand where a city would
  // (市辖区, 省直辖县级行政区划 …): they have a code but no real name.
  static bool IsPlaceholder(const Division& division);

  // Longest name in bytes, for prefix matching.
  size_t max_name_bytes() const { return max_name_bytes_; }

 private:
  DivisionTable() = default;
  absl::Status Load(std::string tsv);

  std::string data_;
  std::vector<Division> divisions_;
  absl::flat_hash_map<absl::string_view, int32_t> by_code_;
  absl::flat_hash_map<absl::string_view, std::vector<int32_t>> by_name_;
  absl::flat_hash_map<absl::string_view, std::vector<int32_t>> by_short_name_;
  size_t max_name_bytes_ = 0;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_REGIONS_DIVISION_TABLE_H_
