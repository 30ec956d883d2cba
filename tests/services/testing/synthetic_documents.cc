#include "tests/services/testing/synthetic_documents.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "tools/corpusgen/corpus_generator.h"

namespace gongkai::testing {

std::vector<Document> SyntheticDocuments(int count, uint64_t seed, double error_share,
                                         const std::string& marker) {
  corpusgen::GeneratorOptions options;
  options.seed = seed;
  options.error_share = error_share;
  options.with_oracle = false;
  corpusgen::CorpusGenerator generator(options);
  std::vector<Document> documents;
  for (int i = 0; i < count; ++i) {
    corpusgen::GeneratedReport report = generator.Generate(i);
    Document document;
    document.bytes = std::move(report.bytes);
    if (!marker.empty() && report.encoding == "UTF-8") {
      absl::StrAppend(&document.bytes, "\n备注：", marker, "\n");
    }
    document.name = report.name;
    documents.push_back(std::move(document));
  }
  return documents;
}

}  // namespace gongkai::testing
