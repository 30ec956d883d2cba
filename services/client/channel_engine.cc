#include "services/client/channel_engine.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "common/server/report_wire.h"
#include "common/server/status.h"
#include "grpcpp/impl/client_unary_call.h"
#include "grpcpp/support/byte_buffer.h"

namespace gongkai {

namespace {

// Full method names, as the generated stubs call them.
constexpr char kParseMethod[] = "/gongkai.v1.ParseService/Parse";
constexpr char kValidateMethod[] = "/gongkai.v1.ValidateService/Validate";
constexpr char kValidateBatchMethod[] = "/gongkai.v1.ValidateService/ValidateBatch";


}  // namespace

v1::ParseRequest ToParseRequest(const Document& document) {
  v1::ParseRequest request;
  request.set_document(document.bytes);
  request.set_file_name(document.name);
  request.set_media_type(document.media_type);
  request.set_region_code(document.region_code);
  request.set_year(document.year);
  return request;
}

v1::AggregateDocument ToAggregateDocument(const Document& document) {
  v1::AggregateDocument out;
  out.set_document(document.bytes);
  out.set_file_name(document.name);
  out.set_media_type(document.media_type);
  out.set_region_code(document.region_code);
  out.set_year(document.year);
  return out;
}

Document FromAggregateDocument(const v1::AggregateDocument& document) {
  Document out;
  out.bytes = document.document();
  out.name = document.file_name();
  out.media_type = document.media_type();
  out.region_code = document.region_code();
  out.year = document.year();
  return out;
}

absl::StatusOr<std::unique_ptr<ChannelEngine>> ChannelEngine::Create(
    const ChannelEngineOptions& options) {
  std::unique_ptr<ChannelEngine> engine(new ChannelEngine(options));
  if (!options.parse_targets.empty()) {
    auto channel = NewServiceChannel(options.parse_targets, options.channel);
    if (!channel.ok()) return channel.status();
    engine->parse_channel_ = *channel;
    engine->parse_ = v1::ParseService::NewStub(*channel);
    engine->parse_raw_ = std::make_unique<grpc::internal::RpcMethod>(
        kParseMethod, grpc::internal::RpcMethod::NORMAL_RPC, *channel);
  }
  if (!options.validate_targets.empty()) {
    auto channel = NewServiceChannel(options.validate_targets, options.channel);
    if (!channel.ok()) return channel.status();
    engine->validate_channel_ = *channel;
    engine->validate_ = v1::ValidateService::NewStub(*channel);
    engine->validate_raw_ = std::make_unique<grpc::internal::RpcMethod>(
        kValidateMethod, grpc::internal::RpcMethod::NORMAL_RPC, *channel);
    engine->validate_batch_raw_ = std::make_unique<grpc::internal::RpcMethod>(
        kValidateBatchMethod, grpc::internal::RpcMethod::NORMAL_RPC, *channel);
  }
  if (!options.aggregate_targets.empty()) {
    auto channel = NewServiceChannel(options.aggregate_targets, options.channel);
    if (!channel.ok()) return channel.status();
    engine->aggregate_ = v1::AggregateService::NewStub(*channel);
  }
  return engine;
}

void ChannelEngine::Prepare(grpc::ClientContext* context, int deadline_ms,
                            std::chrono::system_clock::time_point cap) const {
  context->set_deadline(std::min(
      cap, std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms)));
  AddCallCredentials(options_.channel, context);
}

absl::StatusOr<v1::ParseResponse> ChannelEngine::ParseWithResponse(
    const v1::ParseRequest& request, std::chrono::system_clock::time_point deadline) {
  if (parse_ == nullptr) return absl::UnimplementedError("no parse service target configured");
  grpc::ClientContext context;
  Prepare(&context, options_.deadline_ms, deadline);
  v1::ParseResponse response;
  grpc::Status status = parse_->Parse(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<std::string> ChannelEngine::CallRaw(
    const std::shared_ptr<grpc::Channel>& channel, const grpc::internal::RpcMethod& method,
    std::string request, std::chrono::system_clock::time_point deadline) const {
  grpc::ClientContext context;
  Prepare(&context, options_.deadline_ms, deadline);
  const grpc::ByteBuffer sent = OwningByteBuffer(std::move(request));
  grpc::ByteBuffer received;
  grpc::Status status = grpc::internal::BlockingUnaryCall<grpc::ByteBuffer, grpc::ByteBuffer>(
      channel.get(), method, &context, sent, &received);
  if (!status.ok()) return FromGrpcStatus(status);
  std::vector<grpc::Slice> slices;
  if (!received.Dump(&slices).ok()) return absl::InternalError("unreadable response buffer");
  std::string out;
  out.reserve(received.Length());
  for (const grpc::Slice& slice : slices) {
    out.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return out;
}

absl::StatusOr<std::string> ChannelEngine::ParseRaw(
    std::string request, std::chrono::system_clock::time_point deadline) {
  if (parse_raw_ == nullptr) return absl::UnimplementedError("no parse service target configured");
  return CallRaw(parse_channel_, *parse_raw_, std::move(request), deadline);
}

absl::StatusOr<std::string> ChannelEngine::ValidateRaw(
    std::string request, std::chrono::system_clock::time_point deadline) {
  if (validate_raw_ == nullptr) {
    return absl::UnimplementedError("no validate service target configured");
  }
  return CallRaw(validate_channel_, *validate_raw_, std::move(request), deadline);
}

absl::StatusOr<std::string> ChannelEngine::ValidateBatchRaw(
    std::string request, std::chrono::system_clock::time_point deadline) {
  if (validate_batch_raw_ == nullptr) {
    return absl::UnimplementedError("no validate service target configured");
  }
  return CallRaw(validate_channel_, *validate_batch_raw_, std::move(request), deadline);
}

absl::StatusOr<v1::AnnualReport> ChannelEngine::Parse(const Document& document) {
  auto response = ParseWithResponse(ToParseRequest(document));
  if (!response.ok()) return response.status();
  return std::move(*response->mutable_report());
}

absl::StatusOr<v1::ValidationResult> ChannelEngine::Validate(
    const v1::AnnualReport& report, const v1::AnnualReport* previous,
    const v1::ValidateOptions& options) {
  return ValidateBefore(report, previous, options, std::chrono::system_clock::time_point::max());
}

absl::StatusOr<v1::ValidationResult> ChannelEngine::ValidateBefore(
    const v1::AnnualReport& report, const v1::AnnualReport* previous,
    const v1::ValidateOptions& options, std::chrono::system_clock::time_point deadline) {
  if (validate_ == nullptr) {
    return absl::UnimplementedError("no validate service target configured");
  }
  v1::ValidateRequest request;
  *request.mutable_report() = report;
  if (previous != nullptr) *request.mutable_previous() = *previous;
  *request.mutable_options() = options;
  grpc::ClientContext context;
  Prepare(&context, options_.deadline_ms, deadline);
  v1::ValidateResponse response;
  grpc::Status status = validate_->Validate(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_result());
}

absl::StatusOr<v1::Rollup> ChannelEngine::Aggregate(const std::vector<Document>& documents,
                                                    const v1::AggregateOptions& options) {
  if (aggregate_ == nullptr) {
    return absl::UnimplementedError("no aggregate service target configured");
  }
  grpc::ClientContext context;
  Prepare(&context, options_.aggregate_deadline_ms);
  v1::AggregateResponse response;
  std::unique_ptr<grpc::ClientWriter<v1::AggregateRequest>> writer =
      aggregate_->Aggregate(&context, &response);
  v1::AggregateRequest first;
  *first.mutable_options() = options;
  bool open = writer->Write(first);
  for (size_t i = 0; open && i < documents.size(); ++i) {
    v1::AggregateRequest item;
    *item.mutable_document() = ToAggregateDocument(documents[i]);
    open = writer->Write(item);
  }
  writer->WritesDone();
  grpc::Status status = writer->Finish();
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_rollup());
}

}  // namespace gongkai
