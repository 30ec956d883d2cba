// Engine: the three operations of gongkai (parse, validate, aggregate) behind
// one interface, so the CLI and the aggregate service run the same flow
// either in-process (InProcessEngine, common/engine/in_process_engine.h) or
// against the gRPC services (RemoteEngine, services/client/remote_engine.h).
//
// Errors: as the underlying component (see ReportParser, Validator); a
// remote engine maps gRPC status codes back to the same absl codes.
// Thread-safety: implementations are safe to call concurrently.
#ifndef GONGKAI_COMMON_ENGINE_ENGINE_H_
#define GONGKAI_COMMON_ENGINE_ENGINE_H_

#include <vector>

#include "absl/status/statusor.h"
#include "common/parse/document.h"
#include "gongkai/v1/findings.pb.h"
#include "gongkai/v1/report.pb.h"
#include "gongkai/v1/rollup.pb.h"

namespace gongkai {

class Engine {
 public:
  virtual ~Engine() = default;

  virtual absl::StatusOr<gongkai::v1::AnnualReport> Parse(
      const Document& document) = 0;

  // `previous`: last year's report of the same body, or nullptr.
  virtual absl::StatusOr<gongkai::v1::ValidationResult> Validate(
      const gongkai::v1::AnnualReport& report,
      const gongkai::v1::AnnualReport* previous,
      const gongkai::v1::ValidateOptions& options) = 0;

  // Parses and validates every document and rolls them up. A document that
  // fails to parse is an outcome in the result, not an error of the call.
  virtual absl::StatusOr<gongkai::v1::Rollup> Aggregate(
      const std::vector<Document>& documents,
      const gongkai::v1::AggregateOptions& options) = 0;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_ENGINE_ENGINE_H_
