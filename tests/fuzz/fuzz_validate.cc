// libFuzzer target: the Validator (common/validate/validator.h). The bytes
// are a serialised gongkai.v1.ValidateRequest (report, optional previous
// year, options); seeds are requests built from parsed real reports
// (gongkai-fuzz-seeds). Any report — values that are not numbers, huge
// numbers, duplicate or unknown keys, mixed formats — must give findings or
// a precise error, never a crash. Counts must match the findings.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "common/validate/validator.h"
#include "gongkai/v1/validate_service.pb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const gongkai::Validator* validator = new gongkai::Validator();
  gongkai::v1::ValidateRequest request;
  if (!request.ParseFromArray(data, static_cast<int>(size))) return 0;
  absl::StatusOr<gongkai::v1::ValidationResult> result = validator->Validate(
      request.report(), request.has_previous() ? &request.previous() : nullptr,
      request.options());
  if (!result.ok()) {
    if (result.status().message().empty()) {
      std::fprintf(stderr, "fuzz_validate: error without a message\n");
      std::abort();
    }
    return 0;
  }
  int errors = 0;
  int warnings = 0;
  for (const auto& finding : result->findings()) {
    if (finding.severity() == gongkai::v1::SEVERITY_ERROR) ++errors;
    if (finding.severity() == gongkai::v1::SEVERITY_WARNING) ++warnings;
  }
  if (errors != result->error_count() || warnings != result->warning_count()) {
    std::fprintf(stderr, "fuzz_validate: counts %d/%d but findings say %d/%d\n",
                 result->error_count(), result->warning_count(), errors, warnings);
    std::abort();
  }
  return 0;
}
