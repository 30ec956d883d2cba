// AggregateServiceImpl: gongkai.v1.AggregateService. Each document is parsed
// and validated through `backend` (a ChannelEngine over the parse and
// validate replicas), --aggregate_concurrency at a time while the stream is
// still arriving; each result is fed to a RollupBuilder in input order as
// soon as every earlier input is done (so the outcome does not depend on
// timing) and then dropped. At most 4 x concurrency inputs are held at once;
// reading the stream waits beyond that (backpressure), so memory does not
// grow with the batch. Calls to the replicas end at this call's deadline at
// the latest, so a call the client gave up on stops promptly and frees its
// --max_in_flight slot. A validate call that fails (service
// down, after the channel's retries) leaves that report "not validated"
// (RollupBuilder::AddReport with nullptr); a parse call that fails is an
// EXCLUSION_REASON_PARSE_FAILED outcome. Neither fails the batch.
// The replicas are called on wire bytes (ChannelEngine::ParseRaw and
// ValidateRaw): parse is asked for the report without its normalised text,
// its answer goes on to validate as it came (no decode and encode in
// between), and only what the roll-up sums is decoded here
// (MergeReportForRollup, common/server/report_wire.h).
// Status codes are documented in proto/gongkai/v1/aggregate_service.proto.
//
// Also GatewayParseService / GatewayValidateService: ParseService and
// ValidateService answered by forwarding to the same backend, so the
// aggregate server is one endpoint for every operation (the CLI's
// --endpoint).
//
// Thread-safety: handlers run concurrently; the backend is thread-safe.
#ifndef GONGKAI_SERVICES_AGGREGATE_AGGREGATE_SERVICE_H_
#define GONGKAI_SERVICES_AGGREGATE_AGGREGATE_SERVICE_H_

#include "common/regions/division_table.h"
#include "common/server/server_runtime.h"
#include "gongkai/v1/aggregate_service.grpc.pb.h"
#include "gongkai/v1/parse_service.grpc.pb.h"
#include "gongkai/v1/validate_service.grpc.pb.h"
#include "services/client/channel_engine.h"

namespace gongkai {

class AggregateServiceImpl final : public gongkai::v1::AggregateService::Service {
 public:
  // Not owned; all must outlive the service. `divisions` may be null (then
  // FAILED_PRECONDITION).
  AggregateServiceImpl(ChannelEngine* backend, const DivisionTable* divisions,
                       ServerRuntime* runtime);

  grpc::Status Aggregate(grpc::ServerContext* context,
                         grpc::ServerReader<gongkai::v1::AggregateRequest>* reader,
                         gongkai::v1::AggregateResponse* response) override;
  grpc::Status AggregateBatch(grpc::ServerContext* context,
                              const gongkai::v1::AggregateBatchRequest* request,
                              gongkai::v1::AggregateResponse* response) override;

 private:
  ChannelEngine* backend_;
  const DivisionTable* divisions_;
  ServerRuntime* runtime_;
};

class GatewayParseService final : public gongkai::v1::ParseService::Service {
 public:
  GatewayParseService(ChannelEngine* backend, ServerRuntime* runtime)
      : backend_(backend), runtime_(runtime) {}
  grpc::Status Parse(grpc::ServerContext* context, const gongkai::v1::ParseRequest* request,
                     gongkai::v1::ParseResponse* response) override;

 private:
  ChannelEngine* backend_;
  ServerRuntime* runtime_;
};

class GatewayValidateService final : public gongkai::v1::ValidateService::Service {
 public:
  GatewayValidateService(ChannelEngine* backend, ServerRuntime* runtime)
      : backend_(backend), runtime_(runtime) {}
  grpc::Status Validate(grpc::ServerContext* context,
                        const gongkai::v1::ValidateRequest* request,
                        gongkai::v1::ValidateResponse* response) override;

 private:
  ChannelEngine* backend_;
  ServerRuntime* runtime_;
};

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_AGGREGATE_AGGREGATE_SERVICE_H_
