// ReportSpec: one synthetic report before it is printed — its metadata, the
// value of every cell, how each cell is printed, and the prose of the
// sections. The layouts (layouts.h) print a spec; the generator
// (corpus_generator.h) draws one. Internal to tools/corpusgen.
#ifndef GONGKAI_TOOLS_CORPUSGEN_REPORT_SPEC_H_
#define GONGKAI_TOOLS_CORPUSGEN_REPORT_SPEC_H_

#include <map>
#include <set>
#include <string>
#include <vector>

#include "common/report/decimal.h"
#include "common/report/template.h"

namespace gongkai {
namespace corpusgen {

struct ReportSpec {
  TemplateVariant variant;
  int year = 0;
  std::string organ;
  std::string title;
  // Every cell key of the variant → its printed value (0 for blanks).
  std::map<std::string, Decimal> values;
  // Cells printed blank.
  std::set<std::string> blank;
  // Every cell key → its text as printed ("33,764", "10807.1713 万元",
  // "73802895.90元", "" for blanks). Filled by the generator per layout.
  std::map<std::string, std::string> printed;
  // Body paragraphs of sections 一, 五 and 六 (headings are the layouts').
  std::vector<std::string> overview;
  std::vector<std::string> problems;
  std::string other_matters;
  // Opening paragraph under the title.
  std::string preamble;
};

// Labels of a table 三 row as the national form prints them.
struct T3RowLabel {
  std::string group;  // "一、本年新收…", "（三）不予公开", "（七）总计"
  std::string leaf;   // "1.属于国家秘密"; empty for rows without sub-items
  bool outcome = false;  // under 三、本年度办理结果 (granted … total)
};
const T3RowLabel& T3Label(const std::string& row);

// One block of table 二 ("第二十条第（一）项"): its header and rows.
struct T2Block {
  std::string title;
  std::vector<std::string> headers;  // "信息内容" first
  std::vector<std::pair<std::string, std::string>> rows;  // label, key stem
};
const std::vector<T2Block>& T2Blocks(gongkai::v1::ReportFormat format);

// Column headers of table 三 / 四 as printed.
const std::vector<std::string>& T3ColumnLabels();  // 自然人 … 其他, 总计
const std::vector<std::string>& T4GroupLabels();   // 行政复议, 未经复议直接起诉, 复议后起诉
const std::vector<std::string>& T4ColumnLabels();  // 结果维持 … 总计

// Section headings 一 … 六 (index 0..5), plain.
const std::vector<std::string>& SectionHeadings();

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_REPORT_SPEC_H_
