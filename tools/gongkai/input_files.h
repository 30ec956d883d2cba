// Reading the CLI's input files: one file, or every regular file below a
// directory (sorted, hidden files skipped), into Documents.
#ifndef GONGKAI_TOOLS_GONGKAI_INPUT_FILES_H_
#define GONGKAI_TOOLS_GONGKAI_INPUT_FILES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/parse/document.h"

namespace gongkai::cli {

// Reads `path` whole. Errors: NOT_FOUND (no such file), INVALID_ARGUMENT (a
// directory or not a regular file), RESOURCE_EXHAUSTED (over `max_bytes`),
// UNKNOWN (read error). Document::name is `path`.
absl::StatusOr<Document> ReadDocument(const std::string& path, size_t max_bytes);

// Expands each path: a file stays itself, a directory becomes its regular
// files recursively, sorted. Errors: NOT_FOUND for a path that does not exist.
absl::StatusOr<std::vector<std::string>> ExpandPaths(
    const std::vector<std::string>& paths);

}  // namespace gongkai::cli

#endif  // GONGKAI_TOOLS_GONGKAI_INPUT_FILES_H_
