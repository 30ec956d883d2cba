#include "services/validate/validate_service.h"

#include <memory>
#include <string>
#include <utility>

#include "common/server/report_wire.h"
#include "google/protobuf/arena.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace gongkai {
namespace {

// Decodes `buffer` into `*message`. False when malformed.
bool Decode(const grpc::ByteBuffer& buffer, google::protobuf::Message* message) {
  grpc::ByteBuffer copy(buffer);  // shares the slices
  grpc::ProtoBufferReader reader(&copy);
  return message->ParseFromZeroCopyStream(&reader);
}

// A protobuf arena whose first block is this thread's (1 MiB, enough for a
// batch of 8 reports' cells, spans and string objects), so a decoded
// request costs no allocation but its long strings' buffers, and dropping
// it no per-object free. (Reusing one cleared message did not do that:
// clearing a ValidateRequest deletes its report and every cell's span.)
class CallArena {
 public:
  CallArena() : arena_(Options()) {}
  google::protobuf::Arena* get() { return &arena_; }

 private:
  static google::protobuf::ArenaOptions Options() {
    constexpr size_t kBlockBytes = 1 << 20;
    thread_local std::unique_ptr<char[]> block(new char[kBlockBytes]);
    google::protobuf::ArenaOptions options;
    options.initial_block = block.get();
    options.initial_block_size = kBlockBytes;
    return options;
  }
  google::protobuf::Arena arena_;
};

// The validation of one decoded request.
absl::StatusOr<v1::ValidationResult> Run(const Validator& validator,
                                         const v1::ValidateRequest& request) {
  if (!request.has_report() ||
      (request.report().cells_size() == 0 && !request.report().has_meta())) {
    return absl::InvalidArgumentError("ValidateRequest.report is missing (no cells and no meta)");
  }
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
  CallArena arena;
  v1::ValidateRequest& decoded =
      *google::protobuf::Arena::CreateMessage<v1::ValidateRequest>(arena.get());
  if (!Decode(*request, &decoded)) {
    reactor->Finish(scope.Finish(absl::InvalidArgumentError(
        "ValidateRequest could not be decoded (malformed protobuf, or a string that is not "
        "UTF-8)")));
    return reactor;
  }
  scope.fields().Int("cells", decoded.report().cells_size());
  absl::StatusOr<v1::ValidationResult> result = Run(*validator_, decoded);
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

grpc::ServerUnaryReactor* ValidateServiceImpl::ValidateBatch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcScope scope(runtime_, "ValidateBatch", context);
  if (!scope.admitted()) {
    reactor->Finish(scope.Finish(scope.admission()));
    return reactor;
  }
  CallArena arena;
  v1::ValidateBatchRequest& decoded =
      *google::protobuf::Arena::CreateMessage<v1::ValidateBatchRequest>(arena.get());
  if (!Decode(*request, &decoded)) {
    reactor->Finish(scope.Finish(absl::InvalidArgumentError(
        "ValidateBatchRequest could not be decoded (malformed protobuf, or a string that is "
        "not UTF-8)")));
    return reactor;
  }
  v1::ValidateBatchResponse out;
  int failed = 0;
  int errors = 0;
  for (const v1::ValidateRequest& item : decoded.requests()) {
    if (absl::Status alive = scope.CheckAlive(); !alive.ok()) {
      reactor->Finish(scope.Finish(alive));
      return reactor;
    }
    v1::ValidateBatchResult* slot = out.add_results();
    absl::StatusOr<v1::ValidationResult> result = Run(*validator_, item);
    if (result.ok()) {
      errors += result->error_count();
      *slot->mutable_result() = *std::move(result);
    } else {
      ++failed;
      slot->set_code(static_cast<int32_t>(result.status().code()));
      slot->set_message(std::string(result.status().message()));
    }
  }
  scope.fields().Int("items", decoded.requests_size()).Int("failed", failed).Int("errors", errors);
  *response = OwningByteBuffer(out.SerializeAsString());
  reactor->Finish(scope.Finish(absl::OkStatus()));
  return reactor;
}

grpc::Status ValidateServiceImpl::Validate(grpc::ServerContext* context,
                                           const v1::ValidateRequest* request,
                                           v1::ValidateResponse* response) {
  RpcScope scope(runtime_, "Validate", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  scope.fields().Int("cells", request->report().cells_size());
  absl::StatusOr<v1::ValidationResult> result = Run(*validator_, *request);
  if (!result.ok()) return scope.Finish(result.status());
  scope.fields().Int("errors", result->error_count()).Int("warnings", result->warning_count());
  *response->mutable_result() = *std::move(result);
  return scope.Finish(absl::OkStatus());
}

}  // namespace gongkai
