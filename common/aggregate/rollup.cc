#include "common/aggregate/rollup.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/regions/division_table.h"
#include "common/report/decimal.h"
#include "common/report/template.h"

namespace gongkai {

namespace v1 = ::gongkai::v1;

namespace {

// "t3.other.overdue_correction.natural" → "natural"; "" for any other key.
// These are F2021's three （六） sub-rows, folded onto F2019's single `other`
// row when a total mixes the variants.
std::string OtherSubRowColumn(absl::string_view key) {
  std::vector<absl::string_view> parts = absl::StrSplit(key, '.');
  if (parts.size() == 4 && parts[0] == "t3" && parts[1] == "other") return std::string(parts[3]);
  return "";
}

// Every cell key of the national templates (the union of the four
// variants) numbered in key order, so a total keeps its sums in a vector
// indexed by key instead of a map searched by string for every cell.
class KeyTable {
 public:
  static const KeyTable& Get() {
    static const KeyTable* const kTable = new KeyTable();
    return *kTable;
  }
  // The key's number, or -1 for a key no template has.
  int Find(absl::string_view key) const {
    auto it = index_.find(key);
    return it == index_.end() ? -1 : it->second;
  }
  int size() const { return static_cast<int>(keys_.size()); }
  const std::string& key(int i) const { return keys_[i]; }
  // OtherSubRowColumn(key(i)).
  const std::string& other_column(int i) const { return other_columns_[i]; }

 private:
  KeyTable() {
    std::set<std::string> keys;
    for (v1::ReportFormat format : {v1::REPORT_FORMAT_F2019, v1::REPORT_FORMAT_F2021}) {
      for (bool single : {false, true}) {
        for (std::string& key : CellKeys({format, single})) keys.insert(std::move(key));
      }
    }
    keys_.assign(keys.begin(), keys.end());
    for (size_t i = 0; i < keys_.size(); ++i) {
      index_.emplace(keys_[i], static_cast<int>(i));
      other_columns_.push_back(OtherSubRowColumn(keys_[i]));
    }
  }

  std::vector<std::string> keys_;
  std::vector<std::string> other_columns_;
  absl::flat_hash_map<absl::string_view, int> index_;  // views into keys_
};

absl::string_view LevelName(v1::RegionLevel level) {
  absl::string_view name = RegionLevelName(level);
  return name.empty() ? "unknown" : name;
}

bool HasSplitOtherRows(const v1::AnnualReport& report) {
  return report.meta().format() == v1::REPORT_FORMAT_F2021 && !report.meta().single_other_row();
}

std::string BodyKey(const v1::AnnualReport& report) {
  const v1::ReportMeta& meta = report.meta();
  // A government reports once a year for its region, whatever its title
  // calls it (洛宁县 / 洛宁县人民政府); other bodies are told apart by name.
  std::string body = meta.body_kind() == v1::BODY_KIND_GOVERNMENT
                         ? "government"
                         : absl::StrCat(meta.body_kind(), ":", meta.organ());
  return absl::StrCat(meta.region_code(), "|", body, "|", meta.year());
}

}  // namespace

class RollupBuilder::Impl {
 public:
  Impl(const v1::AggregateOptions& options, const DivisionTable* divisions)
      : options_(options), divisions_(divisions) {
    if (options_.level() == v1::REGION_LEVEL_UNSPECIFIED) {
      options_.set_level(v1::REGION_LEVEL_PROVINCE);
    }
    if (options_.source_level() == v1::REGION_LEVEL_UNSPECIFIED) {
      options_.set_source_level(v1::REGION_LEVEL_COUNTY);
    }
  }

  void AddReport(const std::string& source, const v1::AnnualReport& report,
                 const v1::ValidationResult* validation) {
    const v1::ReportMeta& meta = report.meta();
    v1::ReportOutcome outcome;
    outcome.set_source(source);
    outcome.set_content_sha256(report.content_sha256());
    outcome.set_organ(meta.organ());
    outcome.set_year(meta.year());
    outcome.set_region_code(meta.region_code());
    outcome.set_body_kind(meta.body_kind());
    outcome.set_validated(validation != nullptr);
    if (validation != nullptr) *outcome.mutable_findings() = validation->findings();

    const Division* region =
        divisions_ == nullptr || meta.region_code().empty() ? nullptr
                                                            : divisions_->FindCode(meta.region_code());
    v1::RegionLevel body_level = meta.body_level();
    if (body_level == v1::REGION_LEVEL_UNSPECIFIED && region != nullptr) body_level = region->level;
    outcome.set_body_level(body_level);
    const Division* total_region =
        region == nullptr ? nullptr : divisions_->AncestorAt(*region, options_.level());
    if (total_region != nullptr) {
      outcome.set_total_region_code(DivisionTable::DisplayCode(*total_region));
    }

    auto exclude = [&](v1::ExclusionReason reason, std::string detail) {
      outcome.set_included(false);
      outcome.set_reason(reason);
      outcome.set_detail(std::move(detail));
      if (total_region != nullptr && reason != v1::EXCLUSION_REASON_OTHER_YEAR) {
        Total(*total_region, meta.year()).excluded++;
      }
      Record(std::move(outcome), report.content_sha256());
    };

    if (!report.content_sha256().empty()) {
      auto first = content_seen_.find(report.content_sha256());
      if (first != content_seen_.end()) {
        return exclude(v1::EXCLUSION_REASON_DUPLICATE_CONTENT,
                       absl::StrCat("same bytes as ", first->second));
      }
    }
    if (options_.year() != 0 && meta.year() != options_.year()) {
      return exclude(v1::EXCLUSION_REASON_OTHER_YEAR,
                     absl::StrCat("reports on ", meta.year(), ", not ", options_.year()));
    }
    if (region == nullptr) {
      return exclude(v1::EXCLUSION_REASON_UNRESOLVED_REGION,
                     meta.region_code().empty()
                         ? absl::StrCat("region not resolved: ", meta.region_evidence())
                         : absl::StrCat("unknown region code ", meta.region_code()));
    }
    if (meta.body_kind() != v1::BODY_KIND_GOVERNMENT && !options_.include_departments()) {
      return exclude(v1::EXCLUSION_REASON_DEPARTMENT,
                     absl::StrCat(BodyKindWord(meta.body_kind()), ", not a people's government"));
    }
    if (total_region == nullptr) {
      return exclude(v1::EXCLUSION_REASON_OTHER_LEVEL,
                     absl::StrCat("a ", LevelName(body_level), "-level body is above the ",
                                  LevelName(options_.level()), " level of the totals"));
    }
    bool level_summed =
        body_level == options_.source_level() || options_.include_all_levels() ||
        std::count(options_.also_source_levels().begin(), options_.also_source_levels().end(),
                   body_level) > 0;
    if (!level_summed) {
      return exclude(v1::EXCLUSION_REASON_OTHER_LEVEL,
                     absl::StrCat(LevelName(body_level), "-level body; totals sum ",
                                  LevelName(options_.source_level()), "-level reports"));
    }
    if (validation == nullptr) {
      return exclude(v1::EXCLUSION_REASON_NOT_VALIDATED, "validation did not run");
    }
    int errors = 0;
    std::string first_error;
    for (const v1::Finding& finding : validation->findings()) {
      if (finding.severity() != v1::SEVERITY_ERROR) continue;
      if (errors++ == 0) first_error = absl::StrCat(finding.rule(), ": ", finding.message_en());
    }
    errors = std::max(errors, validation->error_count());
    if (errors > 0 && !options_.include_reports_with_errors()) {
      return exclude(v1::EXCLUSION_REASON_ERROR_FINDINGS,
                     absl::StrCat(errors, " error finding(s)",
                                  first_error.empty() ? "" : absl::StrCat(", first ", first_error)));
    }
    int ambiguous = 0;
    for (const v1::Cell& cell : report.cells()) {
      if (cell.state() == v1::CELL_STATE_AMBIGUOUS) ++ambiguous;
    }
    if (ambiguous > 0 && !options_.include_ambiguous()) {
      return exclude(v1::EXCLUSION_REASON_AMBIGUOUS_CELLS,
                     absl::StrCat(ambiguous, " ambiguous cell(s)"));
    }
    std::string body_key = BodyKey(report);
    auto same_body = body_seen_.find(body_key);
    if (same_body != body_seen_.end()) {
      return exclude(v1::EXCLUSION_REASON_DUPLICATE_BODY_YEAR,
                     absl::StrCat("same body and year as ", same_body->second));
    }
    body_seen_.emplace(body_key, source);

    outcome.set_included(true);
    RegionAccumulator& total = Total(*total_region, meta.year());
    total.included++;
    total.formats.insert(meta.format());
    if (HasSplitOtherRows(report)) {
      total.split_other = true;
    } else {
      total.single_other = true;
    }
    const KeyTable& table = KeyTable::Get();
    if (total.cells.empty()) total.cells.resize(table.size());
    std::set<std::string> folded_columns;
    for (const v1::Cell& cell : report.cells()) {
      if (cell.value().empty()) continue;
      std::optional<Decimal> value = Decimal::Parse(cell.value());
      if (!value) continue;  // R5 would have flagged it; never guess
      const int index = table.Find(cell.key());
      CellAccumulator& sum =
          index >= 0 ? total.cells[index] : total.untemplated_cells[cell.key()];
      sum.value += *value;
      sum.reports++;
      const std::string& column =
          index >= 0 ? table.other_column(index) : OtherSubRowColumn(cell.key());
      if (!column.empty()) {
        // Kept aside in case the total mixes single and split （六） rows.
        CellAccumulator& folded = total.folded_other[column];
        folded.value += *value;
        if (folded_columns.insert(column).second) folded.reports++;
      }
    }
    Record(std::move(outcome), report.content_sha256());
  }

  void AddFailure(const std::string& source, const std::string& content_sha256,
                  const absl::Status& error) {
    v1::ReportOutcome outcome;
    outcome.set_source(source);
    outcome.set_content_sha256(content_sha256);
    outcome.set_included(false);
    outcome.set_reason(v1::EXCLUSION_REASON_PARSE_FAILED);
    outcome.set_detail(std::string(error.message()));
    Record(std::move(outcome), content_sha256);
  }

  v1::Rollup Finish() {
    v1::Rollup rollup;
    *rollup.mutable_options() = options_;
    for (auto& [key, total] : totals_) {
      v1::RegionTotal* out = rollup.add_regions();
      const Division& division = divisions_->at(key.second);
      out->set_region_code(DivisionTable::DisplayCode(division));
      out->set_name(RegionName(division));
      out->set_level(division.level);
      out->set_year(key.first.second);
      out->set_reports_included(total.included);
      out->set_reports_excluded(total.excluded);
      bool has_f2019 = total.formats.count(v1::REPORT_FORMAT_F2019) > 0;
      bool has_f2021 = total.formats.count(v1::REPORT_FORMAT_F2021) > 0;
      out->set_format(has_f2019 && has_f2021 ? "mixed"
                      : has_f2019           ? "F2019"
                      : has_f2021           ? "F2021"
                                            : "");
      // Mixed single/split （六） rows: the split rows are folded onto
      // `other` and not listed themselves (only some reports have them).
      std::map<std::string, CellAccumulator> cells = std::move(total.untemplated_cells);
      const KeyTable& table = KeyTable::Get();
      for (int i = 0; i < static_cast<int>(total.cells.size()); ++i) {
        if (total.cells[i].reports > 0) cells[table.key(i)] = total.cells[i];
      }
      if (total.split_other && total.single_other) {
        for (auto it = cells.begin(); it != cells.end();) {
          it = OtherSubRowColumn(it->first).empty() ? std::next(it) : cells.erase(it);
        }
        for (const auto& [column, folded] : total.folded_other) {
          CellAccumulator& target = cells[T3Key("other", column)];
          target.value += folded.value;
          target.reports += folded.reports;
        }
      }
      for (const auto& [cell_key, sum] : cells) {
        v1::CellTotal* cell = out->add_cells();
        cell->set_key(cell_key);
        cell->set_value(sum.value.ToString());
        cell->set_reports(sum.reports);
      }
    }
    for (v1::ReportOutcome& outcome : outcomes_) *rollup.add_reports() = std::move(outcome);
    outcomes_.clear();
    totals_.clear();
    return rollup;
  }

 private:
  struct CellAccumulator {
    Decimal value;
    int32_t reports = 0;
  };
  struct RegionAccumulator {
    int32_t included = 0;
    int32_t excluded = 0;
    std::set<v1::ReportFormat> formats;
    bool split_other = false;
    bool single_other = false;
    // Sums by KeyTable number (reports == 0: no value added yet), and of
    // keys no template has (never written by the parser; kept, not lost).
    std::vector<CellAccumulator> cells;
    std::map<std::string, CellAccumulator> untemplated_cells;
    // F2021's split （六） rows summed per column, for folding.
    std::map<std::string, CellAccumulator> folded_other;
  };

  RegionAccumulator& Total(const Division& division, int32_t year) {
    // Sorted by display code, then year, then row (to tell 东莞市 the city
    // from 东莞市 the county-level unit, which share a display code).
    return totals_[{{DivisionTable::DisplayCode(division), year}, division.index}];
  }

  void Record(v1::ReportOutcome outcome, const std::string& content_sha256) {
    if (!content_sha256.empty()) content_seen_.emplace(content_sha256, outcome.source());
    outcomes_.push_back(std::move(outcome));
  }

  std::string RegionName(const Division& division) const {
    if (!DivisionTable::IsPlaceholder(division)) return std::string(division.name);
    const Division* parent = divisions_->parent(division);
    return absl::StrCat(parent == nullptr ? "" : parent->name, division.name);
  }

  static absl::string_view BodyKindWord(v1::BodyKind kind) {
    switch (kind) {
      case v1::BODY_KIND_DEPARTMENT: return "a department";
      case v1::BODY_KIND_DEVELOPMENT_ZONE: return "a development zone";
      case v1::BODY_KIND_OTHER: return "another kind of body";
      default: return "an unclassified body";
    }
  }

  v1::AggregateOptions options_;
  const DivisionTable* divisions_;
  std::vector<v1::ReportOutcome> outcomes_;
  absl::flat_hash_map<std::string, std::string> content_seen_;  // sha → first source
  absl::flat_hash_map<std::string, std::string> body_seen_;     // body key → source
  std::map<std::pair<std::pair<std::string, int32_t>, int32_t>, RegionAccumulator> totals_;
};

RollupBuilder::RollupBuilder(const v1::AggregateOptions& options, const DivisionTable* divisions)
    : impl_(std::make_unique<Impl>(options, divisions)) {}

RollupBuilder::~RollupBuilder() = default;

void RollupBuilder::AddReport(const std::string& source, const v1::AnnualReport& report,
                              const v1::ValidationResult* validation) {
  impl_->AddReport(source, report, validation);
}

void RollupBuilder::AddFailure(const std::string& source, const std::string& content_sha256,
                               const absl::Status& error) {
  impl_->AddFailure(source, content_sha256, error);
}

v1::Rollup RollupBuilder::Finish() { return impl_->Finish(); }

}  // namespace gongkai
