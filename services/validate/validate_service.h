// ValidateServiceImpl: gongkai.v1.ValidateService over the core Validator.
// Status codes are documented in proto/gongkai/v1/validate_service.proto.
//
// Built on gRPC's callback API with a raw (ByteBuffer) request, decoded on a
// protobuf arena whose first block each gRPC thread keeps (a report is ~200
// cells, and allocating and freeing them one by one was most of the server's
// cost). Validation runs on the gRPC thread that received the call (~50 µs
// a report, no I/O).
//
// Thread-safety: handlers run concurrently; Validator is thread-safe.
#ifndef GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_
#define GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_

#include "common/server/server_runtime.h"
#include "common/validate/validator.h"
#include "gongkai/v1/validate_service.grpc.pb.h"

namespace gongkai {

class ValidateServiceImpl final
    : public gongkai::v1::ValidateService::WithRawCallbackMethod_Validate<
          gongkai::v1::ValidateService::WithRawCallbackMethod_ValidateBatch<
              gongkai::v1::ValidateService::Service>> {
 public:
  // Not owned; both must outlive the service.
  ValidateServiceImpl(const Validator* validator, ServerRuntime* runtime);

  grpc::ServerUnaryReactor* Validate(grpc::CallbackServerContext* context,
                                     const grpc::ByteBuffer* request,
                                     grpc::ByteBuffer* response) override;
  // Each request of a ValidateBatchRequest as Validate; the batch is decoded
  // on the thread's arena block like Validate's request.
  grpc::ServerUnaryReactor* ValidateBatch(grpc::CallbackServerContext* context,
                                          const grpc::ByteBuffer* request,
                                          grpc::ByteBuffer* response) override;
  // The same on a decoded request, for callers in-process (the fuzz target);
  // the server itself only calls the raw form above.
  grpc::Status Validate(grpc::ServerContext* context,
                        const gongkai::v1::ValidateRequest* request,
                        gongkai::v1::ValidateResponse* response) override;

 private:
  const Validator* validator_;
  ServerRuntime* runtime_;
};

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_
