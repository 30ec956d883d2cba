// Developer tool (not a test): parses files with ReportParser and prints the
// cells output plus every non-ok cell's raw text, note and alternatives.
#include <iostream>

#include "common/parse/parser.h"
#include "common/report/cells_output.h"
#include "common/report/template.h"
#include "tests/parse/expected_cells.h"

int main(int argc, char** argv) {
  gongkai::ReportParser parser;
  for (int i = 1; i < argc; ++i) {
    auto bytes = gongkai::testing::ReadFile(argv[i]);
    if (!bytes.ok()) {
      std::cerr << bytes.status() << "\n";
      continue;
    }
    gongkai::Document doc;
    doc.bytes = *bytes;
    doc.name = argv[i];
    auto report = parser.Parse(doc);
    if (!report.ok()) {
      std::cerr << argv[i] << ": " << report.status() << "\n";
      continue;
    }
    std::cout << "==> " << argv[i] << " layout=" << report->layout() << "\n";
    std::cout << gongkai::FormatCells(*report);
    for (const auto& c : report->cells()) {
      if (c.state() == gongkai::v1::CELL_STATE_OK) continue;
      std::cout << "  " << c.key() << " [" << gongkai::CellStateName(c.state())
                << "] raw='" << c.raw() << "' note=" << c.note() << " alts=";
      for (const auto& a : c.alternatives()) std::cout << a << ",";
      std::cout << "\n";
    }
    for (const auto& d : report->diagnostics()) {
      std::cout << "  diag " << d.code() << ": " << d.message() << "\n";
    }
  }
}
