// parse_loop: parses the five seeds N times with ReportParser::Parse (or
// ParseInto with --reuse), for instruction counts that do not depend on the
// machine's load:
//   valgrind --tool=callgrind --toggle-collect='*ParseAll*' build/bin/parse_loop 11 [--reuse] [--dir=DIR]
// The steady-state cost of one report is (Ir(11) - Ir(1)) / (10 x documents),
// / 50 for the five seeds.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "common/parse/parser.h"

namespace {

namespace fs = std::filesystem;

// Parses every document `rounds` times; returns the number of failures.
__attribute__((noinline)) int ParseAll(const gongkai::ReportParser& parser,
                                       const std::vector<gongkai::Document>& docs,
                                       int rounds, bool reuse) {
  int failures = 0;
  gongkai::v1::AnnualReport reused;
  for (int r = 0; r < rounds; ++r) {
    for (const gongkai::Document& doc : docs) {
      if (reuse) {
        failures += !parser.ParseInto(doc, &reused).ok();
      } else {
        failures += !parser.Parse(doc).ok();
      }
    }
  }
  return failures;
}

}  // namespace

int main(int argc, char** argv) {
  const int rounds = argc > 1 ? std::atoi(argv[1]) : 1;
  bool reuse = false;
  // Default: the seeds; --dir=DIR parses DIR's *.txt instead (e.g. one
  // layout written by gongkai-corpusgen).
  fs::path dir = fs::path(GONGKAI_SHARED_DIR) / "seeds";
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--reuse") == 0) {
      reuse = true;
    } else if (std::strncmp(argv[i], "--dir=", 6) == 0) {
      dir = argv[i] + 6;
    }
  }
  if (!fs::exists(dir)) {
    std::fprintf(stderr, "parse_loop: %s not found\n", dir.c_str());
    return 2;
  }
  std::vector<fs::path> paths;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && e.path().extension() == ".txt") paths.push_back(e.path());
  }
  std::vector<gongkai::Document> docs;
  for (const fs::path& p : paths) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    docs.emplace_back();
    docs.back().bytes = ss.str();
  }
  gongkai::ReportParser parser;
  const int failures = ParseAll(parser, docs, rounds, reuse);
  std::printf("%zu documents x %d rounds, %d failures\n", docs.size(), rounds, failures);
  return failures == 0 ? 0 : 1;
}
