// gongkai aggregate: parse and validate every report under FILE_OR_DIR and
// roll them up into regional totals. See kAggregateUsage for flags, output
// and exit codes; the writers live in common/aggregate/rollup_output.h.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/aggregate/rollup_output.h"
#include "common/parse/parser.h"
#include "common/report/cells_output.h"
#include "tools/gongkai/command_line.h"
#include "tools/gongkai/commands.h"
#include "tools/gongkai/input_files.h"

namespace gongkai::cli {
namespace {

namespace pb = ::gongkai::v1;

constexpr char kAggregateUsage[] =
    "usage: gongkai aggregate [--level province|city|county|country] [--year Y]\n"
    "                         [--include-townships | --include-all-levels]\n"
    "                         [--include-departments] [--include-errors]\n"
    "                         [--include-ambiguous]\n"
    "                         [--output table|cells|json|csv|xlsx] [--out FILE]\n"
    "                         FILE_OR_DIR...\n"
    "Parses and validates every report (directories are read recursively) and\n"
    "sums tables 二/三/四 per region. By default only county-level people's\n"
    "governments' reports are summed; every report left out is listed with why.\n"
    "  --level L              level of the totals (default province)\n"
    "  --year Y               only reports on year Y (default: every year, one\n"
    "                         total per region and year)\n"
    "  --include-townships    also sum township governments' reports\n"
    "  --include-all-levels   sum governments' reports of every level\n"
    "  --include-departments  also sum departments' and development zones' reports\n"
    "  --include-errors       also sum reports with error-severity findings\n"
    "  --include-ambiguous    also sum reports with ambiguous cells\n"
    "  --output table         (default) a readable summary and the excluded reports\n"
    "  --output cells         region<TAB>key<TAB>value lines, with\n"
    "                         meta.reports_included / meta.reports_excluded\n"
    "                         (region is CODE/YEAR when several years are summed)\n"
    "  --output json          the Rollup message as JSON\n"
    "  --output csv           one row per region and cell\n"
    "  --output xlsx          a workbook laid out like the national form, written\n"
    "                         to --out FILE (required)\n"
    "Exit: 0 done, 1 an input could not be read or the roll-up failed (readable\n"
    "inputs are still summed), 2 usage.\n";

int Usage(const std::string& reason) {
  std::cerr << "gongkai aggregate: " << reason << "\n" << kAggregateUsage;
  return kExitUsage;
}

std::optional<pb::RegionLevel> ParseLevel(const std::string& text) {
  if (text == "country") return pb::REGION_LEVEL_COUNTRY;
  if (text == "province") return pb::REGION_LEVEL_PROVINCE;
  if (text == "city") return pb::REGION_LEVEL_CITY;
  if (text == "county") return pb::REGION_LEVEL_COUNTY;
  if (text == "township") return pb::REGION_LEVEL_TOWNSHIP;
  return std::nullopt;
}

// A one-line progress display on stderr, drawn only when stderr is a
// terminal. Reading shows a bar; the roll-up (one engine call) shows the
// elapsed time until Finish().
class Progress {
 public:
  Progress() : enabled_(isatty(STDERR_FILENO) == 1) {}
  ~Progress() { Finish(); }

  void Bar(const char* what, size_t done, size_t total) {
    if (!enabled_ || total == 0) return;
    constexpr int kWidth = 30;
    int filled = static_cast<int>(kWidth * done / total);
    std::fprintf(stderr, "\r%s %zu/%zu [%s%s]", what, done, total,
                 std::string(filled, '#').c_str(), std::string(kWidth - filled, ' ').c_str());
    std::fflush(stderr);
  }

  void Ticker(size_t documents) {
    if (!enabled_) return;
    ticker_ = std::thread([this, documents] {
      auto start = std::chrono::steady_clock::now();
      std::unique_lock<std::mutex> lock(mutex_);
      while (!stop_) {
        auto seconds = std::chrono::duration_cast<std::chrono::seconds>(
                           std::chrono::steady_clock::now() - start)
                           .count();
        std::fprintf(stderr, "\r\033[Kparsing, validating and summing %zu documents… %llds",
                     documents, static_cast<long long>(seconds));
        std::fflush(stderr);
        wake_.wait_for(lock, std::chrono::milliseconds(250));
      }
    });
  }

  void Finish() {
    if (!enabled_) return;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    if (ticker_.joinable()) ticker_.join();
    std::fprintf(stderr, "\r\033[K");
    std::fflush(stderr);
  }

 private:
  const bool enabled_;
  std::thread ticker_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
};

}  // namespace

int RunAggregate(Engine& engine, const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> line = ParseCommandLine(
      args, {"--level", "--year", "--output", "--out"},
      {"--include-townships", "--include-all-levels", "--include-departments",
       "--include-errors", "--include-ambiguous"});
  if (!line.ok()) return Usage(std::string(line.status().message()));
  if (line->help) {
    std::cout << kAggregateUsage;
    return kExitOk;
  }
  pb::AggregateOptions options;
  if (line->Has("--level")) {
    std::optional<pb::RegionLevel> level = ParseLevel(line->Value("--level"));
    if (!level) return Usage(absl::StrCat("unknown --level '", line->Value("--level"), "'"));
    options.set_level(*level);
  }
  if (line->Has("--year")) {
    int year = 0;
    if (!absl::SimpleAtoi(line->Value("--year"), &year) || year < 1990 || year > 2100) {
      return Usage(absl::StrCat("--year needs a year, got '", line->Value("--year"), "'"));
    }
    options.set_year(year);
  }
  const std::string output = line->Value("--output", "table");
  if (output != "table" && output != "cells" && output != "json" && output != "csv" &&
      output != "xlsx") {
    return Usage(absl::StrCat("unknown --output '", output, "'"));
  }
  const std::string out_path = line->Value("--out");
  if (line->Has("--include-townships")) options.add_also_source_levels(pb::REGION_LEVEL_TOWNSHIP);
  if (line->Has("--include-all-levels")) options.set_include_all_levels(true);
  if (line->Has("--include-departments")) options.set_include_departments(true);
  if (line->Has("--include-errors")) options.set_include_reports_with_errors(true);
  if (line->Has("--include-ambiguous")) options.set_include_ambiguous(true);
  const std::vector<std::string>& paths = line->operands;
  if (paths.empty()) return Usage("no FILE_OR_DIR given");
  if (output == "xlsx" && out_path.empty()) return Usage("--output xlsx needs --out FILE");
  if (output != "xlsx" && !out_path.empty()) return Usage("--out is only for --output xlsx");

  absl::StatusOr<std::vector<std::string>> files = ExpandPaths(paths);
  if (!files.ok()) {
    std::cerr << "gongkai aggregate: " << files.status().message() << "\n";
    return kExitFailure;
  }
  int exit_code = kExitOk;
  std::vector<Document> documents;
  documents.reserve(files->size());
  Progress progress;
  for (size_t i = 0; i < files->size(); ++i) {
    progress.Bar("reading", i, files->size());
    absl::StatusOr<Document> document =
        ReadDocument((*files)[i], ParserOptions().max_document_bytes);
    if (!document.ok()) {
      progress.Finish();
      std::cerr << "gongkai aggregate: " << document.status().message() << "\n";
      exit_code = kExitFailure;
      continue;
    }
    documents.push_back(*std::move(document));
  }
  progress.Ticker(documents.size());
  absl::StatusOr<pb::Rollup> rollup = engine.Aggregate(documents, options);
  progress.Finish();
  if (!rollup.ok()) {
    std::cerr << "gongkai aggregate: " << rollup.status().message() << "\n";
    return kExitFailure;
  }

  if (output == "table") {
    std::cout << FormatRollupTable(*rollup);
  } else if (output == "cells") {
    std::cout << FormatRollupCells(*rollup);
  } else if (output == "csv") {
    std::cout << FormatRollupCsv(*rollup);
  } else if (output == "json") {
    absl::StatusOr<std::string> json = FormatJson(*rollup);
    if (!json.ok()) {
      std::cerr << "gongkai aggregate: " << json.status().message() << "\n";
      return kExitFailure;
    }
    std::cout << *json << "\n";
  } else {
    absl::Status written = WriteRollupXlsx(*rollup, out_path);
    if (!written.ok()) {
      std::cerr << "gongkai aggregate: " << written.message() << "\n";
      return kExitFailure;
    }
    std::cerr << "gongkai aggregate: wrote " << out_path << " (" << rollup->regions_size()
              << " region sheet(s))\n";
  }
  return exit_code;
}

}  // namespace gongkai::cli
