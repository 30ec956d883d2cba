// Prose of a synthetic report: the preamble and the bodies of sections 一
// (总体情况), 五 (问题及改进) and 六 (其他事项), written from sentence
// templates carrying what real reports carry between their tables — counts
// with units ("主动公开政府信息824条"), years, dates, percentages, document
// numbers ("〔2020〕14号"), 元 amounts and the tables' own row words (行政许可,
// 行政处罚, 政府信息公开申请) — at the lengths of real reports. The reports in
// ../shared are 6.4–17.3 KB of text, most of it prose; without it a generated
// report is 4 KB and its prose holds no number for the parser to leave alone.
// Internal to tools/corpusgen.
#ifndef GONGKAI_TOOLS_CORPUSGEN_PROSE_H_
#define GONGKAI_TOOLS_CORPUSGEN_PROSE_H_

#include <cstdint>
#include <string>

#include "gongkai/v1/report.pb.h"
#include "tools/corpusgen/prng.h"
#include "tools/corpusgen/report_spec.h"

namespace gongkai {
namespace corpusgen {

// What the prose says about the report and how long it runs.
struct ProseOptions {
  int year = 0;
  gongkai::v1::ReportFormat format = gongkai::v1::REPORT_FORMAT_F2021;
  // Values the prose repeats from the tables (as printed by Decimal).
  std::string applications_received;  // t3.new.total
  std::string normative_issued;       // this year's normative documents
  // Largest count a sentence quotes (posts, visits, trainings …): the
  // body's scale. At least 1.
  int64_t max_count = 100;
  // UTF-8 bytes of section 一's body, drawn uniformly in [min, max] (the
  // last sentence may run past it); sections 五 and 六 add about a fifth.
  int min_overview_bytes = 1800;
  int max_overview_bytes = 5400;
};

// Fills spec->preamble, overview, problems and other_matters. Every body
// paragraph ends with "。" (a subsection heading such as "（一）主动公开情况"
// may stand as a paragraph of its own); none holds a section numeral
// ("一、") or "第二十条", so the layouts' headings stay the only ones.
// Deterministic in (options, prng's state).
void WriteProse(const ProseOptions& options, Prng& prng, ReportSpec* spec);

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_PROSE_H_
