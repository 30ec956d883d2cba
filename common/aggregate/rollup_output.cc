#include "common/aggregate/rollup_output.h"

#include <cstdlib>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/regions/division_table.h"
#include "common/report/template.h"
#include "xlsxwriter.h"

namespace gongkai {

namespace v1 = ::gongkai::v1;

namespace {

// Chinese labels of the national form (shared/spec/annual-report-format.md).
const absl::flat_hash_map<std::string, std::string>& Labels() {
  static const auto* labels = new absl::flat_hash_map<std::string, std::string>{
      // Table 二 rows and columns.
      {"t2.rules", "规章"},
      {"t2.normative", "规范性文件"},
      {"t2.licensing", "行政许可"},
      {"t2.other_services", "其他对外管理服务事项"},
      {"t2.penalty", "行政处罚"},
      {"t2.coercion", "行政强制"},
      {"t2.fees", "行政事业性收费"},
      {"t2.procurement", "政府集中采购"},
      {"new_made", "本年新制作数量"},
      {"new_published", "本年新公开数量"},
      {"total_published", "对外公开总数量"},
      {"prev_items", "上一年项目数量"},
      {"delta", "本年增/减"},
      {"decisions", "处理决定数量"},
      {"items", "采购项目数量"},
      {"amount_wan", "金额（万元）"},
      {"issued", "本年制发件数"},
      {"repealed", "本年废止件数"},
      {"in_force", "现行有效件数"},
      // Table 三 rows.
      {"new", "一、本年新收政府信息公开申请数量"},
      {"carried_over", "二、上年结转政府信息公开申请数量"},
      {"granted", "三（一）予以公开"},
      {"partial", "三（二）部分公开"},
      {"denied.state_secret", "三（三）不予公开 1.属于国家秘密"},
      {"denied.prohibited", "三（三）2.其他法律行政法规禁止公开"},
      {"denied.security_stability", "三（三）3.危及“三安全一稳定”"},
      {"denied.third_party", "三（三）4.保护第三方合法权益"},
      {"denied.internal_affairs", "三（三）5.属于三类内部事务信息"},
      {"denied.process_info", "三（三）6.属于四类过程性信息"},
      {"denied.enforcement_file", "三（三）7.属于行政执法案卷"},
      {"denied.query", "三（三）8.属于行政查询事项"},
      {"unavailable.not_held", "三（四）无法提供 1.本机关不掌握相关政府信息"},
      {"unavailable.needs_creation", "三（四）2.没有现成信息需要另行制作"},
      {"unavailable.unclear", "三（四）3.补正后申请内容仍不明确"},
      {"rejected.petition", "三（五）不予处理 1.信访举报投诉类申请"},
      {"rejected.duplicate", "三（五）2.重复申请"},
      {"rejected.publication", "三（五）3.要求提供公开出版物"},
      {"rejected.excessive", "三（五）4.无正当理由大量反复申请"},
      {"rejected.confirmation", "三（五）5.要求行政机关确认或重新出具已获取信息"},
      {"other", "三（六）其他处理"},
      {"other.overdue_correction", "三（六）1.申请人无正当理由逾期不补正"},
      {"other.unpaid_fee", "三（六）2.申请人逾期未按收费通知要求缴纳费用"},
      {"other.other", "三（六）3.其他"},
      {"total", "三（七）总计"},
      {"carried_forward", "四、结转下年度继续办理"},
      // Table 三 columns.
      {"natural", "自然人"},
      {"commercial", "商业企业"},
      {"research", "科研机构"},
      {"social", "社会公益组织"},
      {"legal", "法律服务机构"},
      {"other_org", "其他"},
      // Table 四.
      {"review", "行政复议"},
      {"suit_direct", "行政诉讼（未经复议直接起诉）"},
      {"suit_after_review", "行政诉讼（复议后起诉）"},
      {"upheld", "结果维持"},
      {"corrected", "结果纠正"},
      {"pending", "尚未审结"},
  };
  return *labels;
}

std::string Label(const std::string& key) {
  auto it = Labels().find(key);
  return it == Labels().end() ? key : it->second;
}

// Table 四 columns share names with table 三 rows ("other", "total").
std::string T4ColumnLabel(const std::string& column) {
  if (column == "other") return "其他结果";
  if (column == "total") return "总计";
  return Label(column);
}

std::string T3ColumnLabel(const std::string& column) {
  return column == "total" ? "总计" : Label(column);
}

absl::string_view BodyKindName(v1::BodyKind kind) {
  switch (kind) {
    case v1::BODY_KIND_GOVERNMENT: return "government";
    case v1::BODY_KIND_DEPARTMENT: return "department";
    case v1::BODY_KIND_DEVELOPMENT_ZONE: return "development zone";
    case v1::BODY_KIND_OTHER: return "other";
    default: return "";
  }
}

bool SeveralYears(const v1::Rollup& rollup) {
  std::set<int32_t> years;
  for (const v1::RegionTotal& total : rollup.regions()) years.insert(total.year());
  return years.size() > 1;
}

std::map<std::string, const v1::CellTotal*> CellsByKey(const v1::RegionTotal& total) {
  std::map<std::string, const v1::CellTotal*> cells;
  for (const v1::CellTotal& cell : total.cells()) cells[cell.key()] = &cell;
  return cells;
}

std::string FindingsSummary(const v1::ReportOutcome& outcome) {
  std::vector<std::string> parts;
  for (const v1::Finding& finding : outcome.findings()) {
    parts.push_back(absl::StrCat(finding.rule(), " ", finding.message_en()));
  }
  return absl::StrJoin(parts, "; ");
}

// Reports left out before a region could be given to them (parse failed,
// region unresolved), outside any year filter.
int UnassignedReports(const v1::Rollup& rollup) {
  int count = 0;
  for (const v1::ReportOutcome& outcome : rollup.reports()) {
    count += !outcome.included() && outcome.total_region_code().empty() &&
             outcome.reason() != v1::EXCLUSION_REASON_OTHER_YEAR;
  }
  return count;
}

constexpr char kUnassigned[] = "unassigned";

}  // namespace

absl::string_view ExclusionReasonName(v1::ExclusionReason reason) {
  switch (reason) {
    case v1::EXCLUSION_REASON_PARSE_FAILED: return "parse failed";
    case v1::EXCLUSION_REASON_ERROR_FINDINGS: return "error findings";
    case v1::EXCLUSION_REASON_UNRESOLVED_REGION: return "unresolved region";
    case v1::EXCLUSION_REASON_DUPLICATE_CONTENT: return "duplicate content";
    case v1::EXCLUSION_REASON_DUPLICATE_BODY_YEAR: return "duplicate body and year";
    case v1::EXCLUSION_REASON_AMBIGUOUS_CELLS: return "ambiguous cells";
    case v1::EXCLUSION_REASON_OTHER_LEVEL: return "other level";
    case v1::EXCLUSION_REASON_DEPARTMENT: return "not a government";
    case v1::EXCLUSION_REASON_OTHER_YEAR: return "other year";
    case v1::EXCLUSION_REASON_NOT_VALIDATED: return "not validated";
    default: return "";
  }
}

std::string FormatRollupCells(const v1::Rollup& rollup) {
  const bool several_years = SeveralYears(rollup);
  std::string out;
  for (const v1::RegionTotal& total : rollup.regions()) {
    std::string region = several_years ? absl::StrCat(total.region_code(), "/", total.year())
                                       : total.region_code();
    std::vector<std::pair<std::string, std::string>> meta = {
        {"meta.format", total.format()},
        {"meta.level", std::string(RegionLevelName(total.level()))},
        {"meta.name", total.name()},
        {"meta.reports_excluded", absl::StrCat(total.reports_excluded())},
        {"meta.reports_included", absl::StrCat(total.reports_included())},
        {"meta.year", absl::StrCat(total.year())},
    };
    for (const auto& [key, value] : meta) absl::StrAppend(&out, region, "\t", key, "\t", value, "\n");
    for (const auto& [key, cell] : CellsByKey(total)) {
      absl::StrAppend(&out, region, "\t", key, "\t", cell->value(), "\n");
    }
  }
  if (int unassigned = UnassignedReports(rollup); unassigned > 0) {
    absl::StrAppend(&out, kUnassigned, "\tmeta.reports_excluded\t", unassigned, "\n");
  }
  return out;
}

std::string FormatRollupTable(const v1::Rollup& rollup) {
  int included = 0;
  for (const v1::ReportOutcome& outcome : rollup.reports()) included += outcome.included();
  std::string out = absl::StrCat("Roll-up by ", RegionLevelName(rollup.options().level()), ": ",
                                 rollup.reports_size(), " report(s), ", included, " included, ",
                                 rollup.reports_size() - included, " excluded\n");
  static const std::vector<std::pair<std::string, std::string>> kHeadlines = {
      {"t3.new.total", "本年新收申请"},
      {"t3.carried_over.total", "上年结转"},
      {"t3.granted.total", "予以公开"},
      {"t3.partial.total", "部分公开"},
      {"t3.total.total", "办理结果总计"},
      {"t3.carried_forward.total", "结转下年度"},
      {"t4.review.total", "行政复议"},
      {"t4.suit_direct.total", "行政诉讼（直接起诉）"},
      {"t4.suit_after_review.total", "行政诉讼（复议后起诉）"},
      {"t2.licensing.decisions", "行政许可处理决定"},
      {"t2.penalty.decisions", "行政处罚处理决定"},
  };
  for (const v1::RegionTotal& total : rollup.regions()) {
    absl::StrAppend(&out, "\n", total.region_code(), " ", total.name(), "  ", total.year(), "  ",
                    total.format().empty() ? "-" : total.format(), "  included ",
                    total.reports_included(), ", excluded ", total.reports_excluded(), "\n");
    if (total.reports_included() == 0) continue;
    auto cells = CellsByKey(total);
    for (const auto& [key, label] : kHeadlines) {
      auto it = cells.find(key);
      if (it == cells.end()) continue;
      absl::StrAppend(&out, absl::StrFormat("  %-28s %12s  %s\n", key, it->second->value(), label));
    }
    absl::StrAppend(&out, "  (", total.cells_size(), " cell totals; --output cells for all)\n");
  }
  absl::StrAppend(&out, "\nReports:\n");
  for (const v1::ReportOutcome& outcome : rollup.reports()) {
    std::string who = absl::StrCat(outcome.organ().empty() ? "?" : outcome.organ(), " ",
                                   outcome.year() > 0 ? absl::StrCat(outcome.year()) : "?");
    if (outcome.included()) {
      absl::StrAppend(&out, "  included  ", outcome.source(), "  ", who, " -> ",
                      outcome.total_region_code(), "\n");
    } else {
      absl::StrAppend(&out, "  EXCLUDED  ", outcome.source(), "  ", who, "  [",
                      ExclusionReasonName(outcome.reason()), "] ", outcome.detail(), "\n");
    }
  }
  return out;
}

std::string CsvField(absl::string_view field) {
  if (field.find_first_of(",\"\r\n") == absl::string_view::npos) return std::string(field);
  std::string quoted = "\"";
  for (char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  quoted += '"';
  return quoted;
}

std::string FormatRollupCsv(const v1::Rollup& rollup) {
  std::string out =
      "region_code,region_name,level,year,format,reports_included,reports_excluded,key,value,"
      "reports\n";
  for (const v1::RegionTotal& total : rollup.regions()) {
    std::string prefix = absl::StrCat(
        CsvField(total.region_code()), ",", CsvField(total.name()), ",", RegionLevelName(total.level()),
        ",", total.year(), ",", total.format(), ",", total.reports_included(), ",",
        total.reports_excluded(), ",");
    if (total.cells_size() == 0) absl::StrAppend(&out, prefix, ",,\n");
    for (const auto& [key, cell] : CellsByKey(total)) {
      absl::StrAppend(&out, prefix, CsvField(key), ",", cell->value(), ",", cell->reports(), "\n");
    }
  }
  if (int unassigned = UnassignedReports(rollup); unassigned > 0) {
    absl::StrAppend(&out, kUnassigned, ",,,,,0,", unassigned, ",,,\n");
  }
  return out;
}

namespace {

class XlsxSheet {
 public:
  XlsxSheet(lxw_worksheet* sheet, lxw_format* bold, lxw_format* wrap)
      : sheet_(sheet), bold_(bold), wrap_(wrap) {}

  void Text(int row, int column, const std::string& text, bool bold = false) {
    worksheet_write_string(sheet_, row, column, text.c_str(), bold ? bold_ : wrap_);
  }
  // Writes the total of `key` as a number (blank when the key has none).
  void Value(int row, int column, const std::map<std::string, const v1::CellTotal*>& cells,
             const std::string& key) {
    auto it = cells.find(key);
    if (it == cells.end()) return;
    worksheet_write_number(sheet_, row, column, std::strtod(it->second->value().c_str(), nullptr),
                           nullptr);
  }
  lxw_worksheet* raw() { return sheet_; }

 private:
  lxw_worksheet* sheet_;
  lxw_format* bold_;
  lxw_format* wrap_;
};

void WriteRegionSheet(XlsxSheet& sheet, const v1::RegionTotal& total) {
  auto cells = CellsByKey(total);
  worksheet_set_column(sheet.raw(), 0, 0, 46, nullptr);
  worksheet_set_column(sheet.raw(), 1, 15, 14, nullptr);
  int row = 0;
  sheet.Text(row++, 0,
             absl::StrCat(total.name(), "（", total.region_code(), "）", total.year(),
                          "年政府信息公开工作年度报告汇总 ", total.format()),
             true);
  sheet.Text(row++, 0,
             absl::StrCat("纳入报告 ", total.reports_included(), " 份，排除 ",
                          total.reports_excluded(), " 份"));
  row++;

  // 二: the rows of every format present, in form order, one block per
  // column set.
  sheet.Text(row++, 0, "二、主动公开政府信息情况", true);
  // A row is listed when it has a total not already listed (F2021's
  // 行政许可 `decisions` is F2019's too).
  std::vector<T2Row> t2_rows;
  std::set<std::string> listed;
  for (v1::ReportFormat format : {v1::REPORT_FORMAT_F2019, v1::REPORT_FORMAT_F2021}) {
    for (const T2Row& t2 : T2Rows(format)) {
      bool adds = false;
      for (const std::string& column : t2.columns) {
        std::string key = absl::StrCat(t2.stem, ".", column);
        adds |= cells.count(key) > 0 && listed.count(key) == 0;
      }
      if (!adds) continue;
      for (const std::string& column : t2.columns) listed.insert(absl::StrCat(t2.stem, ".", column));
      t2_rows.push_back(t2);
    }
  }
  std::vector<std::string> previous_columns;
  for (const T2Row& t2 : t2_rows) {
    if (t2.columns != previous_columns) {
      sheet.Text(row, 0, "信息内容", true);
      for (size_t c = 0; c < t2.columns.size(); ++c) sheet.Text(row, 1 + c, Label(t2.columns[c]), true);
      ++row;
      previous_columns = t2.columns;
    }
    sheet.Text(row, 0, Label(t2.stem));
    for (size_t c = 0; c < t2.columns.size(); ++c) {
      sheet.Value(row, 1 + c, cells, absl::StrCat(t2.stem, ".", t2.columns[c]));
    }
    ++row;
  }
  row++;

  // 三: the split （六） rows when the total has them, else the single row.
  sheet.Text(row++, 0, "三、收到和处理政府信息公开申请情况", true);
  TemplateVariant variant;
  variant.format = cells.count(T3Key("other.other", "total")) > 0 ? v1::REPORT_FORMAT_F2021
                                                                 : v1::REPORT_FORMAT_F2019;
  sheet.Text(row, 0, "项目", true);
  const std::vector<std::string>& columns = T3Columns();
  for (size_t c = 0; c < columns.size(); ++c) sheet.Text(row, 1 + c, T3ColumnLabel(columns[c]), true);
  ++row;
  for (const std::string& t3_row : T3Rows(variant)) {
    sheet.Text(row, 0, Label(t3_row));
    for (size_t c = 0; c < columns.size(); ++c) {
      sheet.Value(row, 1 + c, cells, T3Key(t3_row, columns[c]));
    }
    ++row;
  }
  row++;

  // 四: three groups of five columns.
  sheet.Text(row++, 0, "四、政府信息公开行政复议、行政诉讼情况", true);
  const std::vector<std::string>& groups = T4Groups();
  const std::vector<std::string>& t4_columns = T4Columns();
  for (size_t g = 0; g < groups.size(); ++g) {
    sheet.Text(row, 1 + g * t4_columns.size(), Label(groups[g]), true);
  }
  ++row;
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t c = 0; c < t4_columns.size(); ++c) {
      sheet.Text(row, 1 + g * t4_columns.size() + c, T4ColumnLabel(t4_columns[c]), true);
    }
  }
  ++row;
  sheet.Text(row, 0, "件数");
  for (size_t g = 0; g < groups.size(); ++g) {
    for (size_t c = 0; c < t4_columns.size(); ++c) {
      sheet.Value(row, 1 + g * t4_columns.size() + c, cells, T4Key(groups[g], t4_columns[c]));
    }
  }
}

void WriteReportsSheet(XlsxSheet& sheet, const v1::Rollup& rollup) {
  static const std::vector<std::string> kHeaders = {
      "来源 source", "机关 organ",  "年度 year",     "区划代码 region", "汇总区划 total",
      "主体 body",   "层级 level",  "纳入 included", "排除原因 reason", "说明 detail",
      "已校验 validated", "问题 findings"};
  for (size_t c = 0; c < kHeaders.size(); ++c) sheet.Text(0, c, kHeaders[c], true);
  worksheet_set_column(sheet.raw(), 0, 1, 30, nullptr);
  worksheet_set_column(sheet.raw(), 9, 11, 50, nullptr);
  int row = 1;
  for (const v1::ReportOutcome& outcome : rollup.reports()) {
    std::vector<std::string> fields = {
        outcome.source(),
        outcome.organ(),
        outcome.year() > 0 ? absl::StrCat(outcome.year()) : "",
        outcome.region_code(),
        outcome.total_region_code(),
        std::string(BodyKindName(outcome.body_kind())),
        std::string(RegionLevelName(outcome.body_level())),
        outcome.included() ? "是" : "否",
        std::string(outcome.included() ? "" : ExclusionReasonName(outcome.reason())),
        outcome.detail(),
        outcome.validated() ? "是" : "否",
        FindingsSummary(outcome)};
    for (size_t c = 0; c < fields.size(); ++c) sheet.Text(row, c, fields[c]);
    ++row;
  }
}

// Excel forbids []:*?/\ in sheet names and caps them at 31 characters.
std::string SheetName(const v1::RegionTotal& total, std::set<std::string>* used) {
  std::string base = absl::StrCat(total.region_code(), " ", total.year());
  std::string name = absl::StrCat(base, " ", total.name());
  if (lxw_utf8_strlen(name.c_str()) > 31) name = base;
  for (int n = 2; !used->insert(name).second; ++n) name = absl::StrCat(base, " (", n, ")");
  return name;
}

}  // namespace

absl::Status WriteRollupXlsx(const v1::Rollup& rollup, const std::string& path) {
  lxw_workbook* workbook = workbook_new(path.c_str());
  if (workbook == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create workbook ", path));
  }
  lxw_format* bold = workbook_add_format(workbook);
  format_set_bold(bold);
  lxw_format* wrap = workbook_add_format(workbook);
  format_set_text_wrap(wrap);
  std::set<std::string> used;
  for (const v1::RegionTotal& total : rollup.regions()) {
    std::string name = SheetName(total, &used);
    lxw_worksheet* raw = workbook_add_worksheet(workbook, name.c_str());
    if (raw == nullptr) {
      workbook_close(workbook);
      return absl::InternalError(absl::StrCat("cannot add sheet '", name, "' to ", path));
    }
    XlsxSheet sheet(raw, bold, wrap);
    WriteRegionSheet(sheet, total);
  }
  lxw_worksheet* reports = workbook_add_worksheet(workbook, "报告与排除");
  if (reports == nullptr) {
    workbook_close(workbook);
    return absl::InternalError(absl::StrCat("cannot add the reports sheet to ", path));
  }
  XlsxSheet reports_sheet(reports, bold, wrap);
  WriteReportsSheet(reports_sheet, rollup);
  lxw_error error = workbook_close(workbook);
  if (error != LXW_NO_ERROR) {
    return absl::InternalError(
        absl::StrCat("cannot write workbook ", path, ": ", lxw_strerror(error)));
  }
  return absl::OkStatus();
}

}  // namespace gongkai
