// Validator: checks one report's own arithmetic and consistency against the
// rule catalogue of docs/rules.md (R1–R5 errors; X1, X2, T1, Q1, Q2 and the
// extra rules as warnings), optionally against last year's report of the
// same body.
//
// Errors: INVALID_ARGUMENT when ValidateOptions names an unknown rule id.
// A report that breaks rules is not an error: it yields findings.
// Thread-safety: Validate() is const and safe to call concurrently.
#ifndef GONGKAI_COMMON_VALIDATE_VALIDATOR_H_
#define GONGKAI_COMMON_VALIDATE_VALIDATOR_H_

#include "absl/status/statusor.h"
#include "gongkai/v1/findings.pb.h"
#include "gongkai/v1/report.pb.h"

namespace gongkai {

class Validator {
 public:
  Validator();
  ~Validator();

  // `previous` is last year's report of the same body, or nullptr (then the
  // cross-year rules X1/X2 do not run and are not listed in rules_run).
  absl::StatusOr<gongkai::v1::ValidationResult> Validate(
      const gongkai::v1::AnnualReport& report,
      const gongkai::v1::AnnualReport* previous,
      const gongkai::v1::ValidateOptions& options) const;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_VALIDATE_VALIDATOR_H_
