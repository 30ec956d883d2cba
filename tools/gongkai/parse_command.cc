// gongkai parse: read each FILE into an AnnualReport and print it. See
// kParseUsage for flags, output and exit codes.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/parse/parser.h"
#include "common/report/cells_output.h"
#include "tools/gongkai/command_line.h"
#include "tools/gongkai/commands.h"
#include "tools/gongkai/input_files.h"

namespace gongkai::cli {
namespace {

constexpr char kParseUsage[] =
    "usage: gongkai parse [--output cells|json] FILE...\n"
    "Reads each annual report (text in UTF-8/UTF-16/GB18030, HTML, PDF, DOCX).\n"
    "  --output cells  (default) one 'key<TAB>value<TAB>state' line per cell and\n"
    "                  metadata field, sorted by key; state is ok, empty,\n"
    "                  repaired, ambiguous or missing.\n"
    "  --output json   the AnnualReport as proto3 JSON (raw text, spans,\n"
    "                  alternatives of ambiguous cells, diagnostics).\n"
    "With several FILEs each file's output is preceded by a '==> FILE <==' line\n"
    "and followed by a blank line; with one FILE there is no header.\n"
    "Exit: 0 every file parsed, 1 some file could not be read or is not a\n"
    "report (one 'gongkai: FILE: reason' line on stderr each; the other files\n"
    "are still printed), 2 usage.\n";

int Usage(const std::string& reason) {
  std::cerr << "gongkai parse: " << reason << "\n" << kParseUsage;
  return kExitUsage;
}

}  // namespace

int RunParse(Engine& engine, const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(args, {"--output"});
  if (!line.ok()) return Usage(std::string(line.status().message()));
  if (line->help) {
    std::cout << kParseUsage;
    return kExitOk;
  }
  const std::string output = line->Value("--output", "cells");
  if (output != "cells" && output != "json") {
    return Usage(absl::StrCat("unknown --output '", output, "'"));
  }
  const std::vector<std::string>& files = line->operands;
  if (files.empty()) return Usage("no FILE given");

  const bool headers = files.size() > 1;
  int exit_code = kExitOk;
  for (const std::string& path : files) {
    absl::StatusOr<Document> document =
        ReadDocument(path, ParserOptions().max_document_bytes);
    if (!document.ok()) {
      // ReadDocument's messages start with the path.
      std::cerr << "gongkai: " << document.status().message() << "\n";
      exit_code = kExitFailure;
      continue;
    }
    absl::StatusOr<v1::AnnualReport> report = engine.Parse(*document);
    if (!report.ok()) {
      std::cerr << "gongkai: " << path << ": " << report.status().message() << "\n";
      exit_code = kExitFailure;
      continue;
    }
    std::string text;
    if (output == "json") {
      absl::StatusOr<std::string> json = FormatJson(*report);
      if (!json.ok()) {
        std::cerr << "gongkai: " << path << ": " << json.status().message() << "\n";
        exit_code = kExitFailure;
        continue;
      }
      text = *std::move(json);
      if (!absl::EndsWith(text, "\n")) text.push_back('\n');
    } else {
      text = FormatCells(*report);
    }
    if (headers) std::cout << "==> " << path << " <==\n";
    std::cout << text;
    if (headers) std::cout << "\n";
  }
  std::cout.flush();
  return exit_code;
}

}  // namespace gongkai::cli
