// gongkai-fuzz-seeds: writes the seed corpora that cannot be copied as files
// (scripts/fuzz.sh copies the raw documents itself):
//   OUT/html/sample_<v>.html, OUT/docx/sample_<v>.docx, OUT/text/sample_<v>.txt
//     the synthetic 示例 report (tests/formats/sample_report.h) rendered;
//   OUT/validate/<n>.pb   a ValidateRequest per parsed input document (with
//     the previous input's report as `previous`, so X1/X2 run);
//   OUT/services/<n>_parse.pb, <n>_validate.pb   the same as fuzz_services
//     input (one selector byte, then the request);
//   OUT/validate.dict   a libFuzzer dictionary of every cell key
//     (common/report/template.h) and rule id (common/validate/rules.h).
// Usage: gongkai-fuzz-seeds OUT_DIR [REPORT_FILE...]
// Exit status 1 when OUT_DIR cannot be written; unparseable inputs are
// skipped with a note on stderr.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/parse/parser.h"
#include "common/report/template.h"
#include "common/validate/rules.h"
#include "gongkai/v1/parse_service.pb.h"
#include "gongkai/v1/validate_service.pb.h"
#include "tests/formats/sample_report.h"

namespace {

namespace fs = std::filesystem;

bool WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return static_cast<bool>(out);
}

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s OUT_DIR [REPORT_FILE...]\n", argv[0]);
    return 2;
  }
  const fs::path out = argv[1];
  std::error_code ec;
  for (const char* sub : {"html", "docx", "text", "validate", "services"}) {
    fs::create_directories(out / sub, ec);
    if (ec) {
      std::fprintf(stderr, "cannot create %s: %s\n", (out / sub).c_str(), ec.message().c_str());
      return 1;
    }
  }
  bool ok = true;
  for (int variant = 0; variant < 3; ++variant) {
    const auto blocks = gongkai::testing::SampleReport(variant);
    ok &= WriteFile(out / "html" / absl::StrCat("sample_", variant, ".html"),
                    gongkai::testing::RenderHtml(blocks));
    ok &= WriteFile(out / "text" / absl::StrCat("sample_", variant, ".txt"),
                    gongkai::testing::RenderText(blocks));
    absl::StatusOr<std::string> docx = gongkai::testing::RenderDocx(blocks);
    if (docx.ok()) {
      ok &= WriteFile(out / "docx" / absl::StrCat("sample_", variant, ".docx"), *docx);
    } else {
      std::fprintf(stderr, "RenderDocx: %s\n", std::string(docx.status().message()).c_str());
    }
  }

  std::string dict;
  for (auto format : {gongkai::v1::REPORT_FORMAT_F2019, gongkai::v1::REPORT_FORMAT_F2021}) {
    for (bool single_other_row : {false, true}) {
      for (const std::string& key : gongkai::CellKeys({format, single_other_row})) {
        absl::StrAppend(&dict, "\"", key, "\"\n");
      }
    }
  }
  for (const gongkai::RuleInfo& rule : gongkai::RuleCatalogue()) {
    absl::StrAppend(&dict, "\"", rule.id, "\"\n");
  }
  ok &= WriteFile(out / "validate.dict", dict);

  gongkai::ParserOptions options;
  options.keep_text = false;  // smaller seeds; the validator does not read it
  gongkai::ReportParser parser(options);
  std::optional<gongkai::v1::AnnualReport> previous;
  int written = 0;
  for (int i = 2; i < argc; ++i) {
    std::optional<std::string> bytes = ReadFile(argv[i]);
    if (!bytes) {
      std::fprintf(stderr, "skip %s: unreadable\n", argv[i]);
      continue;
    }
    gongkai::Document document;
    document.bytes = *bytes;
    document.name = fs::path(argv[i]).filename().string();
    absl::StatusOr<gongkai::v1::AnnualReport> report = parser.Parse(document);
    if (!report.ok()) {
      std::fprintf(stderr, "skip %s: %s\n", argv[i], std::string(report.status().message()).c_str());
      continue;
    }
    gongkai::v1::ValidateRequest validate;
    *validate.mutable_report() = *report;
    if (previous) *validate.mutable_previous() = *previous;
    previous = *report;
    const std::string validate_bytes = validate.SerializeAsString();
    ok &= WriteFile(out / "validate" / absl::StrCat(written, ".pb"), validate_bytes);
    ok &= WriteFile(out / "services" / absl::StrCat(written, "_validate.pb"),
                    std::string(1, '\1') + validate_bytes);
    gongkai::v1::ParseRequest parse;
    parse.set_document(*bytes);
    parse.set_file_name(document.name);
    ok &= WriteFile(out / "services" / absl::StrCat(written, "_parse.pb"),
                    std::string(1, '\0') + parse.SerializeAsString());
    ++written;
  }
  std::fprintf(stderr, "gongkai-fuzz-seeds: %d reports written to %s\n", written, out.c_str());
  return ok ? 0 : 1;
}
