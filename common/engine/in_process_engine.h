// InProcessEngine: the Engine that runs the core library in this process
// (the CLI's default). Aggregate() parses and validates on a small thread
// pool and feeds a RollupBuilder.
//
// Thread-safety: safe to call concurrently.
#ifndef GONGKAI_COMMON_ENGINE_IN_PROCESS_ENGINE_H_
#define GONGKAI_COMMON_ENGINE_IN_PROCESS_ENGINE_H_

#include <memory>
#include <vector>

#include "common/engine/engine.h"
#include "common/parse/parser.h"
#include "common/validate/validator.h"

namespace gongkai {

class RegionResolver;

struct InProcessEngineOptions {
  ParserOptions parser;
  // Threads Aggregate() parses on. Default 0 = one per hardware thread.
  int threads = 0;
};

class InProcessEngine : public Engine {
 public:
  // `resolver` may be nullptr (no region resolution; every report is then
  // excluded from roll-ups as unresolved unless the caller states its region).
  // It must outlive the engine.
  InProcessEngine(InProcessEngineOptions options, const RegionResolver* resolver);

  absl::StatusOr<gongkai::v1::AnnualReport> Parse(const Document& document) override;
  absl::StatusOr<gongkai::v1::ValidationResult> Validate(
      const gongkai::v1::AnnualReport& report,
      const gongkai::v1::AnnualReport* previous,
      const gongkai::v1::ValidateOptions& options) override;
  absl::StatusOr<gongkai::v1::Rollup> Aggregate(
      const std::vector<Document>& documents,
      const gongkai::v1::AggregateOptions& options) override;

 private:
  InProcessEngineOptions options_;
  const RegionResolver* resolver_;
  ReportParser parser_;
  Validator validator_;
};

}  // namespace gongkai

#endif  // GONGKAI_COMMON_ENGINE_IN_PROCESS_ENGINE_H_
