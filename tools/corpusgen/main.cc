// gongkai-corpusgen: writes a deterministic synthetic corpus of annual
// reports with their expected cells (see corpus_generator.h).
//
//   gongkai-corpusgen --count N --seed S --out DIR [--error_share 0.05]
//                     [--layouts tsv,aligned,pipe,markdown,digit_run,html]
//
// Exit status: 0 on success, 2 on bad flags, 1 when writing fails.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/string_view.h"
#include "tools/corpusgen/corpus_generator.h"

namespace {

int Usage(const std::string& problem) {
  std::fprintf(stderr,
               "gongkai-corpusgen: %s\nusage: gongkai-corpusgen --count N --seed S --out DIR "
               "[--error_share 0.05] [--layouts tsv,aligned,pipe,markdown,digit_run,html]\n",
               problem.c_str());
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  gongkai::corpusgen::GeneratorOptions options;
  uint64_t count = 0;
  bool have_count = false;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    std::string value;
    const size_t eq = flag.find('=');
    if (eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag == "--help" || flag == "-h") {
      Usage("writes N synthetic reports and <name>.expected.json files");
      return 0;
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return Usage("missing value for " + flag);
    }
    if (flag == "--count") {
      if (!absl::SimpleAtoi(value, &count)) return Usage("--count needs a whole number");
      have_count = true;
    } else if (flag == "--seed") {
      if (!absl::SimpleAtoi(value, &options.seed)) return Usage("--seed needs a whole number");
    } else if (flag == "--out") {
      out = value;
    } else if (flag == "--error_share") {
      if (!absl::SimpleAtod(value, &options.error_share) || options.error_share < 0 ||
          options.error_share > 1) {
        return Usage("--error_share needs a number between 0 and 1");
      }
    } else if (flag == "--layouts") {
      auto layouts = gongkai::corpusgen::ParseLayouts(value);
      if (!layouts.ok()) return Usage(std::string(layouts.status().message()));
      options.layouts = *layouts;
    } else {
      return Usage("unknown flag " + flag);
    }
  }
  if (!have_count) return Usage("--count is required");
  if (out.empty()) return Usage("--out is required");
  const absl::Status status = gongkai::corpusgen::WriteCorpus(options, count, out);
  if (!status.ok()) {
    std::fprintf(stderr, "gongkai-corpusgen: %s\n", std::string(status.message()).c_str());
    return 1;
  }
  return 0;
}
