// ValidateServiceImpl: gongkai.v1.ValidateService over the core Validator.
// Status codes are documented in proto/gongkai/v1/validate_service.proto.
//
// Thread-safety: handlers run concurrently; Validator is thread-safe.
#ifndef GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_
#define GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_

#include "common/server/server_runtime.h"
#include "common/validate/validator.h"
#include "gongkai/v1/validate_service.grpc.pb.h"

namespace gongkai {

class ValidateServiceImpl final : public gongkai::v1::ValidateService::Service {
 public:
  // Not owned; both must outlive the service.
  ValidateServiceImpl(const Validator* validator, ServerRuntime* runtime);

  grpc::Status Validate(grpc::ServerContext* context,
                        const gongkai::v1::ValidateRequest* request,
                        gongkai::v1::ValidateResponse* response) override;

 private:
  const Validator* validator_;
  ServerRuntime* runtime_;
};

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_VALIDATE_VALIDATE_SERVICE_H_
