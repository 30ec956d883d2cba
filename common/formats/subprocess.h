// RunSubprocess: runs an external converter (e.g. pdftotext) without a
// shell, feeding `input` on its stdin and collecting stdout/stderr, under a
// wall-clock budget and an output cap. The child is killed (SIGKILL) and
// reaped when either is exceeded.
//
// Errors: NOT_FOUND when argv[0] cannot be found on PATH; RESOURCE_EXHAUSTED
// on timeout or when stdout exceeds `max_output_bytes`; INTERNAL when a pipe
// or spawn call fails. A non-zero exit is NOT an error: it is returned in
// SubprocessResult::exit_code.
// Thread-safety: safe to call concurrently; SIGPIPE is blocked in the
// calling thread while writing and a pending SIGPIPE is consumed.
#ifndef GONGKAI_COMMON_FORMATS_SUBPROCESS_H_
#define GONGKAI_COMMON_FORMATS_SUBPROCESS_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace gongkai {

struct SubprocessResult {
  // Exit status, or 128 + signal number when the child was killed by one.
  int exit_code = 0;
  std::string stdout_data;
  // At most the first 64 KiB.
  std::string stderr_data;
};

absl::StatusOr<SubprocessResult> RunSubprocess(
    const std::vector<std::string>& argv, absl::string_view input,
    int timeout_ms, size_t max_output_bytes);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_FORMATS_SUBPROCESS_H_
