// Printing a ReportSpec in one of the text layouts the parser reads, or as
// an HTML page. Internal to tools/corpusgen.
//
// Thread-safety: pure functions of their arguments (the Prng is the
// caller's).
#ifndef GONGKAI_TOOLS_CORPUSGEN_LAYOUTS_H_
#define GONGKAI_TOOLS_CORPUSGEN_LAYOUTS_H_

#include <string>
#include <vector>

#include "tools/corpusgen/corpus_generator.h"
#include "tools/corpusgen/digit_run_oracle.h"
#include "tools/corpusgen/prng.h"
#include "tools/corpusgen/report_spec.h"

namespace gongkai {
namespace corpusgen {

// The document bytes of `spec` in `layout`. Variations (decorations,
// wrapped labels, footers, spacing) are drawn from `prng`. For
// Layout::kDigitRun, `runs` receives every flattened row as printed (for
// UndecidableCells); other layouts leave it untouched.
std::string RenderReport(const ReportSpec& spec, Layout layout, Prng& prng,
                         std::vector<DigitRun>* runs);

}  // namespace corpusgen
}  // namespace gongkai

#endif  // GONGKAI_TOOLS_CORPUSGEN_LAYOUTS_H_
