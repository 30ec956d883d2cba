#include "services/validate/validate_service.h"

namespace gongkai {

ValidateServiceImpl::ValidateServiceImpl(const Validator* validator, ServerRuntime* runtime)
    : validator_(validator), runtime_(runtime) {}

grpc::Status ValidateServiceImpl::Validate(grpc::ServerContext* context,
                                           const v1::ValidateRequest* request,
                                           v1::ValidateResponse* response) {
  RpcScope scope(runtime_, "Validate", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  if (!request->has_report() ||
      (request->report().cells_size() == 0 && !request->report().has_meta())) {
    return scope.Finish(absl::InvalidArgumentError(
        "ValidateRequest.report is missing (no cells and no meta)"));
  }
  scope.fields().Int("cells", request->report().cells_size());
  absl::StatusOr<v1::ValidationResult> result = validator_->Validate(
      request->report(), request->has_previous() ? &request->previous() : nullptr,
      request->options());
  if (!result.ok()) return scope.Finish(result.status());
  scope.fields().Int("errors", result->error_count()).Int("warnings", result->warning_count());
  *response->mutable_result() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

}  // namespace gongkai
