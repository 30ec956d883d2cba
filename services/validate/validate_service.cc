#include "services/validate/validate_service.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
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

// One Validate call's work after admission: the access-log fields on
// `scope` and the result in `response`.
absl::Status ValidateOne(const Validator& validator, const v1::ValidateRequest& request,
                         RpcScope* scope, v1::ValidateResponse* response) {
  scope->fields().Int("cells", request.report().cells_size());
  absl::StatusOr<v1::ValidationResult> result = Run(validator, request);
  if (!result.ok()) return result.status();
  scope->fields().Int("errors", result->error_count()).Int("warnings", result->warning_count());
  *response->mutable_result() = *std::move(result);
  return absl::OkStatus();
}

// Admission, then `buffer` decoded into a Request on `arena` (*decoded).
// Errors: the admission status; INVALID_ARGUMENT when malformed.
template <typename Request>
absl::Status AdmitAndDecode(const RpcScope& scope, const grpc::ByteBuffer& buffer,
                            google::protobuf::Arena* arena, Request** decoded) {
  if (!scope.admitted()) return scope.admission();
  *decoded = google::protobuf::Arena::CreateMessage<Request>(arena);
  if (!Decode(buffer, *decoded)) {
    return absl::InvalidArgumentError(
        absl::StrCat(Request::descriptor()->name(),
                     " could not be decoded (malformed protobuf, or a string that is not UTF-8)"));
  }
  return absl::OkStatus();
}

}  // namespace

ValidateServiceImpl::ValidateServiceImpl(const Validator* validator, ServerRuntime* runtime)
    : validator_(validator), runtime_(runtime) {}

grpc::ServerUnaryReactor* ValidateServiceImpl::Validate(grpc::CallbackServerContext* context,
                                                        const grpc::ByteBuffer* request,
                                                        grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcScope scope(runtime_, "Validate", context);
  CallArena arena;
  v1::ValidateRequest* decoded = nullptr;
  absl::Status status = AdmitAndDecode(scope, *request, arena.get(), &decoded);
  v1::ValidateResponse out;
  if (status.ok()) status = ValidateOne(*validator_, *decoded, &scope, &out);
  if (status.ok()) *response = OwningByteBuffer(out.SerializeAsString());
  reactor->Finish(scope.Finish(status));
  return reactor;
}

grpc::ServerUnaryReactor* ValidateServiceImpl::ValidateBatch(
    grpc::CallbackServerContext* context, const grpc::ByteBuffer* request,
    grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  RpcScope scope(runtime_, "ValidateBatch", context);
  CallArena arena;
  v1::ValidateBatchRequest* decoded = nullptr;
  absl::Status status = AdmitAndDecode(scope, *request, arena.get(), &decoded);
  v1::ValidateBatchResponse out;
  int failed = 0;
  int errors = 0;
  for (int i = 0; status.ok() && i < decoded->requests_size(); ++i) {
    status = scope.CheckAlive();
    if (!status.ok()) break;
    v1::ValidateBatchResult* slot = out.add_results();
    absl::StatusOr<v1::ValidationResult> result = Run(*validator_, decoded->requests(i));
    if (result.ok()) {
      errors += result->error_count();
      *slot->mutable_result() = *std::move(result);
    } else {
      ++failed;
      slot->set_code(static_cast<int32_t>(result.status().code()));
      slot->set_message(std::string(result.status().message()));
    }
  }
  if (status.ok()) {
    scope.fields()
        .Int("items", decoded->requests_size())
        .Int("failed", failed)
        .Int("errors", errors);
    *response = OwningByteBuffer(out.SerializeAsString());
  }
  reactor->Finish(scope.Finish(status));
  return reactor;
}

grpc::Status ValidateServiceImpl::Validate(grpc::ServerContext* context,
                                           const v1::ValidateRequest* request,
                                           v1::ValidateResponse* response) {
  RpcScope scope(runtime_, "Validate", context);
  absl::Status status = scope.admission();
  if (status.ok()) status = ValidateOne(*validator_, *request, &scope, response);
  return scope.Finish(status);
}

}  // namespace gongkai
