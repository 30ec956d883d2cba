// ChannelEngine: the Engine over gRPC channels to the three gongkai
// services, one channel (and target) per service. RemoteEngine
// (remote_engine.h) points all three at one endpoint; the aggregate server
// uses it with its --parse_targets/--validate_targets to fan documents out.
//
// Errors: the server's grpc::Status mapped one-to-one onto absl::Status
// (common/server/status.h); UNIMPLEMENTED for a service without a target.
// Thread-safety: safe to call concurrently (gRPC stubs are).
#ifndef GONGKAI_SERVICES_CLIENT_CHANNEL_ENGINE_H_
#define GONGKAI_SERVICES_CLIENT_CHANNEL_ENGINE_H_

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/engine/engine.h"
#include "common/server/channels.h"
#include "gongkai/v1/aggregate_service.grpc.pb.h"
#include "gongkai/v1/parse_service.grpc.pb.h"
#include "gongkai/v1/validate_service.grpc.pb.h"
#include "grpcpp/impl/rpc_method.h"

namespace gongkai {

struct ChannelEngineOptions {
  // Targets (see ChannelTarget in common/server/channels.h); empty = that
  // operation answers UNIMPLEMENTED.
  std::string parse_targets;
  std::string validate_targets;
  std::string aggregate_targets;
  ChannelOptions channel;
  // Per-call deadline for Parse/Validate in ms. Default 60,000.
  int deadline_ms = 60000;
  // Per-call deadline for Aggregate in ms. Default 3,600,000.
  int aggregate_deadline_ms = 3600000;
};

class ChannelEngine : public Engine {
 public:
  // Errors: INVALID_ARGUMENT for a bad target or TLS file.
  static absl::StatusOr<std::unique_ptr<ChannelEngine>> Create(
      const ChannelEngineOptions& options);

  absl::StatusOr<gongkai::v1::AnnualReport> Parse(const Document& document) override;
  absl::StatusOr<gongkai::v1::ValidationResult> Validate(
      const gongkai::v1::AnnualReport& report, const gongkai::v1::AnnualReport* previous,
      const gongkai::v1::ValidateOptions& options) override;
  // Streams the documents to AggregateService.Aggregate.
  absl::StatusOr<gongkai::v1::Rollup> Aggregate(
      const std::vector<Document>& documents,
      const gongkai::v1::AggregateOptions& options) override;

  // Parse with the full request and response (bypass_cache, from_cache,
  // cache_key), ending at `deadline` at the latest (the aggregate server
  // passes its own caller's deadline, so abandoned work stops).
  absl::StatusOr<gongkai::v1::ParseResponse> ParseWithResponse(
      const gongkai::v1::ParseRequest& request,
      std::chrono::system_clock::time_point deadline =
          std::chrono::system_clock::time_point::max());
  // Validate ending at `deadline` at the latest.
  absl::StatusOr<gongkai::v1::ValidationResult> ValidateBefore(
      const gongkai::v1::AnnualReport& report, const gongkai::v1::AnnualReport* previous,
      const gongkai::v1::ValidateOptions& options,
      std::chrono::system_clock::time_point deadline);

  // Parse and Validate on wire bytes, nothing decoded or encoded here:
  // `request` is a serialized ParseRequest / ValidateRequest, the answer the
  // serialized ParseResponse / ValidateResponse (the aggregate server reads
  // only what it sums and forwards the parsed report to validate as is; see
  // common/server/report_wire.h). Deadline, retries and errors as the typed
  // calls.
  absl::StatusOr<std::string> ParseRaw(std::string request,
                                       std::chrono::system_clock::time_point deadline);
  absl::StatusOr<std::string> ValidateRaw(std::string request,
                                          std::chrono::system_clock::time_point deadline);
  // ValidateService.ValidateBatch on wire bytes (a serialized
  // ValidateBatchRequest in, ValidateBatchResponse out). UNIMPLEMENTED from
  // a replica that predates it.
  absl::StatusOr<std::string> ValidateBatchRaw(std::string request,
                                               std::chrono::system_clock::time_point deadline);

 private:
  explicit ChannelEngine(const ChannelEngineOptions& options) : options_(options) {}
  // Sets the earlier of now + deadline_ms and `cap`, and the credentials.
  void Prepare(grpc::ClientContext* context, int deadline_ms,
               std::chrono::system_clock::time_point cap =
                   std::chrono::system_clock::time_point::max()) const;

  absl::StatusOr<std::string> CallRaw(const std::shared_ptr<grpc::Channel>& channel,
                                      const grpc::internal::RpcMethod& method,
                                      std::string request,
                                      std::chrono::system_clock::time_point deadline) const;

  ChannelEngineOptions options_;
  std::shared_ptr<grpc::Channel> parse_channel_;
  std::shared_ptr<grpc::Channel> validate_channel_;
  // The methods of the raw calls: what generated stubs hold per method, used
  // with grpc::internal::BlockingUnaryCall as generated code uses it (gRPC's
  // internal API; pinned by Debian's gRPC 1.51).
  std::unique_ptr<grpc::internal::RpcMethod> parse_raw_;
  std::unique_ptr<grpc::internal::RpcMethod> validate_raw_;
  std::unique_ptr<grpc::internal::RpcMethod> validate_batch_raw_;
  std::unique_ptr<gongkai::v1::ParseService::Stub> parse_;
  std::unique_ptr<gongkai::v1::ValidateService::Stub> validate_;
  std::unique_ptr<gongkai::v1::AggregateService::Stub> aggregate_;
};

// The ParseRequest fields of `document` (bytes, name, media type, region,
// year).
gongkai::v1::ParseRequest ToParseRequest(const Document& document);
gongkai::v1::AggregateDocument ToAggregateDocument(const Document& document);
Document FromAggregateDocument(const gongkai::v1::AggregateDocument& document);

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_CLIENT_CHANNEL_ENGINE_H_
