// gongkai validate: parse each FILE and check it against the rule catalogue
// (docs/rules.md). See kValidateUsage for flags, output and exit codes.
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/parse/parser.h"
#include "common/report/cells_output.h"
#include "google/protobuf/struct.pb.h"
#include "tools/gongkai/command_line.h"
#include "tools/gongkai/commands.h"
#include "tools/gongkai/input_files.h"

namespace gongkai::cli {
namespace {

constexpr char kValidateUsage[] =
    "usage: gongkai validate [--output findings|json] [--previous LAST_YEAR_FILE]\n"
    "                        [--disable RULE,...] FILE...\n"
    "Checks each report's arithmetic and consistency (rules in docs/rules.md).\n"
    "  --output findings  (default) one line per finding, 6 tab-separated columns:\n"
    "                     rule, severity (error|warning), keys (comma-separated),\n"
    "                     expected, actual, message (Chinese / English).\n"
    "                     With several FILEs, a '# FILE' line precedes each file's\n"
    "                     findings.\n"
    "  --output json      the ValidationResult as JSON; with several FILEs a JSON\n"
    "                     array of {\"file\": FILE, \"result\": ValidationResult}.\n"
    "  --previous FILE    last year's report of the same body: runs X1, X2, Q2\n"
    "                     against it (for every FILE).\n"
    "  --disable R1,T1    rule ids not to run (unknown ids are a usage error).\n"
    "Exit: 0 no error-severity finding, 3 some error-severity finding, 1 a file\n"
    "could not be read or parsed (the other files are still checked), 2 usage.\n";

int Usage(const std::string& reason) {
  std::cerr << "gongkai validate: " << reason << "\n" << kValidateUsage;
  return kExitUsage;
}

// Reads and parses `path`; prints the reason and returns nullopt on failure.
std::optional<v1::AnnualReport> ReadReport(Engine& engine, const std::string& path) {
  absl::StatusOr<Document> document =
      ReadDocument(path, ParserOptions().max_document_bytes);
  if (!document.ok()) {
    std::cerr << "gongkai validate: " << document.status().message() << "\n";
    return std::nullopt;
  }
  absl::StatusOr<v1::AnnualReport> report = engine.Parse(*document);
  if (!report.ok()) {
    std::cerr << "gongkai validate: " << path << ": " << report.status().message() << "\n";
    return std::nullopt;
  }
  return *std::move(report);
}

absl::string_view SeverityName(v1::Severity severity) {
  switch (severity) {
    case v1::SEVERITY_ERROR:
      return "error";
    case v1::SEVERITY_WARNING:
      return "warning";
    case v1::SEVERITY_INFO:
      return "info";
    default:
      return "unspecified";
  }
}

// A field of the 6-column line: tabs and line breaks become spaces.
std::string Field(absl::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

void PrintFindings(const v1::ValidationResult& result) {
  for (const v1::Finding& finding : result.findings()) {
    std::cout << Field(finding.rule()) << '\t' << SeverityName(finding.severity()) << '\t'
              << Field(absl::StrJoin(finding.keys(), ",")) << '\t'
              << Field(finding.expected()) << '\t' << Field(finding.actual()) << '\t'
              << Field(absl::StrCat(finding.message_zh(), " / ", finding.message_en()))
              << '\n';
  }
}

}  // namespace

int RunValidate(Engine& engine, const std::vector<std::string>& args) {
  absl::StatusOr<CommandLine> line =
      ParseCommandLine(args, {"--output", "--previous", "--disable"});
  if (!line.ok()) return Usage(std::string(line.status().message()));
  if (line->help) {
    std::cout << kValidateUsage;
    return kExitOk;
  }
  const std::string output = line->Value("--output", "findings");
  if (output != "findings" && output != "json") {
    return Usage(absl::StrCat("unknown --output '", output, "'"));
  }
  const std::string previous_path = line->Value("--previous");
  v1::ValidateOptions options;
  for (absl::string_view id :
       absl::StrSplit(line->Value("--disable"), ',', absl::SkipWhitespace())) {
    options.add_disabled_rules(std::string(absl::StripAsciiWhitespace(id)));
  }
  const std::vector<std::string>& files = line->operands;
  if (files.empty()) return Usage("no FILE given");

  std::optional<v1::AnnualReport> previous;
  if (!previous_path.empty()) {
    previous = ReadReport(engine, previous_path);
    if (!previous) return kExitFailure;
  }

  const bool several = files.size() > 1;
  bool failed = false;
  bool any_errors = false;
  bool first_json = true;
  if (output == "json" && several) std::cout << "[\n";
  for (const std::string& file : files) {
    std::optional<v1::AnnualReport> report = ReadReport(engine, file);
    if (!report) {
      failed = true;
      continue;
    }
    absl::StatusOr<v1::ValidationResult> result =
        engine.Validate(*report, previous ? &*previous : nullptr, options);
    if (!result.ok()) {
      if (result.status().code() == absl::StatusCode::kInvalidArgument) {
        if (output == "json" && several) std::cout << "]\n";
        return Usage(std::string(result.status().message()));
      }
      std::cerr << "gongkai validate: " << file << ": " << result.status().message() << "\n";
      failed = true;
      continue;
    }
    any_errors = any_errors || result->error_count() > 0;
    if (output == "findings") {
      if (several) std::cout << "# " << Field(file) << '\n';
      PrintFindings(*result);
      continue;
    }
    absl::StatusOr<std::string> json = FormatJson(*result);
    if (!json.ok()) {
      std::cerr << "gongkai validate: " << file << ": " << json.status().message() << "\n";
      failed = true;
      continue;
    }
    if (!several) {
      std::cout << *json << (absl::EndsWith(*json, "\n") ? "" : "\n");
      continue;
    }
    google::protobuf::Value name;
    name.set_string_value(file);
    absl::StatusOr<std::string> quoted = FormatJson(name);
    std::cout << (first_json ? "" : ",\n") << "{\"file\": "
              << std::string(absl::StripAsciiWhitespace(quoted.ok() ? *quoted : "\"\""))
              << ", \"result\": " << std::string(absl::StripAsciiWhitespace(*json)) << "}";
    first_json = false;
  }
  if (output == "json" && several) std::cout << (first_json ? "]\n" : "\n]\n");
  std::cout.flush();
  if (failed) return kExitFailure;
  return any_errors ? kExitFindings : kExitOk;
}

}  // namespace gongkai::cli
