// Test support: synthetic annual reports (tools/corpusgen, titles with 示例)
// as Documents, for tests that send documents through the services.
//
// Thread-safety: plain functions.
#ifndef GONGKAI_TESTS_SERVICES_TESTING_SYNTHETIC_DOCUMENTS_H_
#define GONGKAI_TESTS_SERVICES_TESTING_SYNTHETIC_DOCUMENTS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/parse/document.h"

namespace gongkai::testing {

// `count` generated reports (generator ids 0..count-1 for `seed`), about
// `error_share` of them with injected arithmetic errors. A non-empty
// `marker` is appended as a "备注：" line to the UTF-8 ones (for tests that
// look for document text in logs). Same arguments, same documents.
std::vector<Document> SyntheticDocuments(int count, uint64_t seed, double error_share,
                                         const std::string& marker = "");

}  // namespace gongkai::testing

#endif  // GONGKAI_TESTS_SERVICES_TESTING_SYNTHETIC_DOCUMENTS_H_
