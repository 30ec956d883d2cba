#include "services/validate/validate_service.h"

#include <string>
#include <utility>

#include "common/server/report_wire.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace gongkai {
namespace {

// The validation of one decoded request.
absl::StatusOr<v1::ValidationResult> Run(const Validator& validator,
                                         const v1::ValidateRequest& request, RpcScope* scope) {
  if (!request.has_report() ||
      (request.report().cells_size() == 0 && !request.report().has_meta())) {
    return absl::InvalidArgumentError("ValidateRequest.report is missing (no cells and no meta)");
  }
  scope->fields().Int("cells", request.report().cells_size());
  return validator.Validate(request.report(),
                            request.has_previous() ? &request.previous() : nullptr,
                            request.options());
}

}  // namespace

ValidateServiceImpl::ValidateServiceImpl(const Validator* validator, ServerRuntime* runtime)
    : validator_(validator), runtime_(runtime) {}

grpc::ServerUnaryReactor* ValidateServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcScope scope(runtime_, "Validate", context);
  if (!scope.admitted()) {
    reactor->Finish(scope.Finish(scope.admission()));
    return reactor;
  }
  // One request message per gRPC thread, cleared and refilled by each call.
  thread_local v1::ValidateRequest decoded;
  decoded.Clear();
  bool readable;
  {
    grpc::ByteBuffer copy(*request);  // shares the slices
    grpc::ProtoBufferReader reader(&copy);
    readable = decoded.ParseFromZeroCopyStream(&reader);
  }
  if (!readable) {
    reactor->Finish(scope.Finish(absl::InvalidArgumentError(
        "ValidateRequest could not be decoded (malformed protobuf, or a string that is not "
        "UTF-8)")));
    return reactor;
  }
  absl::StatusOr<v1::ValidationResult> result = Run(*validator_, decoded, &scope);
  if (!result.ok()) {
    reactor->Finish(scope.Finish(result.status()));
    return reactor;
  }
  scope.fields().Int("errors", result->error_count()).Int("warnings", result->warning_count());
  v1::ValidateResponse out;
  *out.mutable_result() = *std::move(result);
  *response = OwningByteBuffer(out.SerializeAsString());
  reactor->Finish(scope.Finish(absl::OkStatus()));
  return reactor;
}

grpc::Status ValidateServiceImpl::Validate(grpc::ServerContext* context,
                                           const v1::ValidateRequest* request,
                                           v1::ValidateResponse* response) {
  RpcScope scope(runtime_, "Validate", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  absl::StatusOr<v1::ValidationResult> result = Run(*validator_, *request, &scope);
  if (!result.ok()) return scope.Finish(result.status());
  scope.fields().Int("errors", result->error_count()).Int("warnings", result->warning_count());
  *response->mutable_result() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

}  // namespace gongkai
