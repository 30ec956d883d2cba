#include "common/engine/in_process_engine.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <thread>

#include "common/aggregate/rollup.h"
#include "common/regions/resolver.h"

namespace gongkai {

InProcessEngine::InProcessEngine(InProcessEngineOptions options,
                                 const RegionResolver* resolver)
    : options_(options), resolver_(resolver), parser_(options.parser, resolver) {}

absl::StatusOr<v1::AnnualReport> InProcessEngine::Parse(const Document& document) {
  return parser_.Parse(document);
}

absl::StatusOr<v1::ValidationResult> InProcessEngine::Validate(
    const v1::AnnualReport& report, const v1::AnnualReport* previous,
    const v1::ValidateOptions& options) {
  return validator_.Validate(report, previous, options);
}

absl::StatusOr<v1::Rollup> InProcessEngine::Aggregate(
    const std::vector<Document>& documents, const v1::AggregateOptions& options) {
  // Parse and validate in parallel into per-document slots, then feed the
  // builder in input order so outcomes are deterministic.
  struct Slot {
    std::optional<absl::StatusOr<v1::AnnualReport>> report;
    std::optional<v1::ValidationResult> validation;
  };
  std::vector<Slot> slots(documents.size());
  std::atomic<size_t> next{0};
  auto work = [&] {
    for (size_t i = next++; i < documents.size(); i = next++) {
      slots[i].report = parser_.Parse(documents[i]);
      if (slots[i].report->ok()) {
        auto validation = validator_.Validate(**slots[i].report, nullptr, {});
        if (validation.ok()) slots[i].validation = *std::move(validation);
      }
    }
  };
  int threads = options_.threads > 0
                    ? options_.threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  threads = std::min<int>(threads, std::max<size_t>(1, documents.size()));
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& thread : pool) thread.join();

  RollupBuilder builder(options, resolver_ ? &resolver_->table() : nullptr);
  for (size_t i = 0; i < documents.size(); ++i) {
    const auto& report = *slots[i].report;
    if (!report.ok()) {
      builder.AddFailure(documents[i].name, "", report.status());
      continue;
    }
    builder.AddReport(documents[i].name, *report,
                      slots[i].validation ? &*slots[i].validation : nullptr);
  }
  return builder.Finish();
}

}  // namespace gongkai
