#include "common/report/template.h"

#include <algorithm>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace gongkai {
namespace {

using gongkai::v1::ReportFormat;

}  // namespace

const std::vector<std::string>& T3Columns() {
  static const auto* kColumns = new std::vector<std::string>{
      "natural", "commercial", "research", "social",
      "legal",   "other_org",  "total"};
  return *kColumns;
}

const std::vector<std::string>& T3ApplicantColumns() {
  static const auto* kColumns = new std::vector<std::string>(
      T3Columns().begin(), T3Columns().end() - 1);
  return *kColumns;
}

std::vector<std::string> T3OutcomeLeafRows(const TemplateVariant& variant) {
  std::vector<std::string> rows = {
      "granted",
      "partial",
      "denied.state_secret",
      "denied.prohibited",
      "denied.security_stability",
      "denied.third_party",
      "denied.internal_affairs",
      "denied.process_info",
      "denied.enforcement_file",
      "denied.query",
      "unavailable.not_held",
      "unavailable.needs_creation",
      "unavailable.unclear",
      "rejected.petition",
      "rejected.duplicate",
      "rejected.publication",
      "rejected.excessive",
      "rejected.confirmation"};
  if (variant.format == v1::REPORT_FORMAT_F2021 && !variant.single_other_row) {
    rows.insert(rows.end(),
                {"other.overdue_correction", "other.unpaid_fee", "other.other"});
  } else {
    rows.push_back("other");
  }
  return rows;
}

std::vector<std::string> T3Rows(const TemplateVariant& variant) {
  std::vector<std::string> rows = {"new", "carried_over"};
  for (std::string& leaf : T3OutcomeLeafRows(variant)) {
    rows.push_back(std::move(leaf));
  }
  rows.push_back("total");
  rows.push_back("carried_forward");
  return rows;
}

const std::vector<std::string>& T4Groups() {
  static const auto* kGroups =
      new std::vector<std::string>{"review", "suit_direct", "suit_after_review"};
  return *kGroups;
}

const std::vector<std::string>& T4Columns() {
  static const auto* kColumns = new std::vector<std::string>{
      "upheld", "corrected", "other", "pending", "total"};
  return *kColumns;
}

const std::vector<T2Row>& T2Rows(ReportFormat format) {
  static const auto* kF2019 = new std::vector<T2Row>{
      {"t2.rules", {"new_made", "new_published", "total_published"}},
      {"t2.normative", {"new_made", "new_published", "total_published"}},
      {"t2.licensing", {"prev_items", "delta", "decisions"}},
      {"t2.other_services", {"prev_items", "delta", "decisions"}},
      {"t2.penalty", {"prev_items", "delta", "decisions"}},
      {"t2.coercion", {"prev_items", "delta", "decisions"}},
      {"t2.fees", {"prev_items", "delta"}},
      {"t2.procurement", {"items", "amount_wan"}},
  };
  static const auto* kF2021 = new std::vector<T2Row>{
      {"t2.rules", {"issued", "repealed", "in_force"}},
      {"t2.normative", {"issued", "repealed", "in_force"}},
      {"t2.licensing", {"decisions"}},
      {"t2.penalty", {"decisions"}},
      {"t2.coercion", {"decisions"}},
      {"t2.fees", {"amount_wan"}},
  };
  static const auto* kNone = new std::vector<T2Row>();
  switch (format) {
    case v1::REPORT_FORMAT_F2019:
      return *kF2019;
    case v1::REPORT_FORMAT_F2021:
      return *kF2021;
    default:
      return *kNone;
  }
}

std::string T3Key(absl::string_view row, absl::string_view column) {
  return absl::StrCat("t3.", row, ".", column);
}

std::string T4Key(absl::string_view group, absl::string_view column) {
  return absl::StrCat("t4.", group, ".", column);
}

std::vector<std::string> CellKeys(const TemplateVariant& variant) {
  std::vector<std::string> keys;
  if (variant.format != v1::REPORT_FORMAT_F2019 &&
      variant.format != v1::REPORT_FORMAT_F2021) {
    return keys;
  }
  for (const T2Row& row : T2Rows(variant.format)) {
    for (const std::string& column : row.columns) {
      keys.push_back(absl::StrCat(row.stem, ".", column));
    }
  }
  for (const std::string& row : T3Rows(variant)) {
    for (const std::string& column : T3Columns()) {
      keys.push_back(T3Key(row, column));
    }
  }
  for (const std::string& group : T4Groups()) {
    for (const std::string& column : T4Columns()) {
      keys.push_back(T4Key(group, column));
    }
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

bool IsMoneyKey(absl::string_view key) {
  return absl::EndsWith(key, ".amount_wan");
}

bool MayBeNegative(absl::string_view key) {
  return absl::StartsWith(key, "t2.") && absl::EndsWith(key, ".delta");
}

absl::string_view FormatName(ReportFormat format) {
  switch (format) {
    case v1::REPORT_FORMAT_F2019:
      return "F2019";
    case v1::REPORT_FORMAT_F2021:
      return "F2021";
    default:
      return "";
  }
}

absl::string_view CellStateName(gongkai::v1::CellState state) {
  switch (state) {
    case v1::CELL_STATE_OK:
      return "ok";
    case v1::CELL_STATE_EMPTY:
      return "empty";
    case v1::CELL_STATE_REPAIRED:
      return "repaired";
    case v1::CELL_STATE_AMBIGUOUS:
      return "ambiguous";
    case v1::CELL_STATE_MISSING:
      return "missing";
    default:
      return "";
  }
}

}  // namespace gongkai
