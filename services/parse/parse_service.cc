#include "services/parse/parse_service.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/cache/parse_cache_key.h"
#include "common/server/report_wire.h"
#include "common/util/sha256.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "grpcpp/support/proto_buffer_reader.h"

namespace gongkai {

absl::Status CheckParseHints(absl::string_view region_code, int32_t year) {
  if (!region_code.empty()) {
    bool digits = region_code.size() == 6 || region_code.size() == 9;
    for (char c : region_code) digits = digits && absl::ascii_isdigit(c);
    if (!digits) {
      return absl::InvalidArgumentError(
          "region_code must be empty or 6 or 9 digits (GB/T 2260)");
    }
  }
  if (year < 0 || year > 9999) {
    return absl::InvalidArgumentError(absl::StrCat("year must be 0..9999, got ", year));
  }
  return absl::OkStatus();
}

std::string ParseResponseBytes(absl::string_view report_bytes, absl::string_view source_name,
                               bool from_cache, absl::string_view cache_key) {
  using google::protobuf::io::CodedOutputStream;
  using google::protobuf::internal::WireFormatLite;
  std::string out;
  out.reserve(report_bytes.size() + source_name.size() + cache_key.size() + 32);
  {
    google::protobuf::io::StringOutputStream stream(&out);
    CodedOutputStream coded(&stream);
    // report (1), as cached.
    coded.WriteTag(WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(report_bytes.size()));
    coded.WriteRaw(report_bytes.data(), static_cast<int>(report_bytes.size()));
    if (!source_name.empty()) {
      // report (1) again, holding only source_name (5): merged by the reader.
      const uint32_t inner = static_cast<uint32_t>(
          1 + CodedOutputStream::VarintSize32(static_cast<uint32_t>(source_name.size())) +
          source_name.size());
      coded.WriteTag(WireFormatLite::MakeTag(1, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
      coded.WriteVarint32(inner);
      coded.WriteTag(WireFormatLite::MakeTag(5, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
      coded.WriteVarint32(static_cast<uint32_t>(source_name.size()));
      coded.WriteRaw(source_name.data(), static_cast<int>(source_name.size()));
    }
    if (from_cache) {
      coded.WriteTag(WireFormatLite::MakeTag(2, WireFormatLite::WIRETYPE_VARINT));
      coded.WriteVarint32(1);
    }
    coded.WriteTag(WireFormatLite::MakeTag(3, WireFormatLite::WIRETYPE_LENGTH_DELIMITED));
    coded.WriteVarint32(static_cast<uint32_t>(cache_key.size()));
    coded.WriteRaw(cache_key.data(), static_cast<int>(cache_key.size()));
  }
  return out;
}

WorkerPool::WorkerPool(int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  for (int i = 0; i < threads; ++i) {
    threads_.emplace_back([this] {
      while (true) {
        std::function<void()> task;
        {
          std::unique_lock<std::mutex> lock(mu_);
          cv_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
          if (tasks_.empty()) return;
          task = std::move(tasks_.front());
          tasks_.pop_front();
        }
        task();
      }
    });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& thread : threads_) thread.join();
}

void WorkerPool::Submit(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    tasks_.push_back(std::move(task));
  }
  cv_.notify_one();
}

// One Parse call in progress.
struct ParseServiceImpl::Call {
  Call(ServerRuntime* runtime, grpc::CallbackServerContext* context,
       grpc::ServerUnaryReactor* reactor, grpc::ByteBuffer* response)
      : scope(runtime, "Parse", context), reactor(reactor), response(response) {}

  RpcScope scope;
  grpc::ServerUnaryReactor* reactor;
  grpc::ByteBuffer* response;
  v1::ParseRequest request;
  std::string document_sha256;  // hex, of request.document()
  std::string cache_key;
};

ParseServiceImpl::ParseServiceImpl(const ReportParser* parser, Cache* cache,
                                   ServerRuntime* runtime, int parse_threads)
    : parser_(parser), cache_(cache), runtime_(runtime), workers_(parse_threads) {}

void ParseServiceImpl::Finish(Call* call, const absl::Status& status) {
  std::unique_ptr<Call> owned(call);
  call->reactor->Finish(call->scope.Finish(status));
}

grpc::ServerUnaryReactor* ParseServiceImpl::Parse(grpc::CallbackServerContext* context,
                                                  const grpc::ByteBuffer* request,
                                                  grpc::ByteBuffer* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto* call = new Call(runtime_, context, reactor, response);
  if (!call->scope.admitted()) {
    Finish(call, call->scope.admission());
    return reactor;
  }
  {
    grpc::ByteBuffer copy(*request);  // shares the slices
    grpc::ProtoBufferReader reader(&copy);
    if (!call->request.ParseFromZeroCopyStream(&reader)) {
      Finish(call, absl::InvalidArgumentError(
                       "ParseRequest could not be decoded (malformed protobuf, or a string "
                       "field such as file_name that is not UTF-8)"));
      return reactor;
    }
  }
  const v1::ParseRequest& r = call->request;
  call->scope.fields().Int("bytes", static_cast<int64_t>(r.document().size()));
  if (r.document().empty()) {
    Finish(call, absl::InvalidArgumentError("empty document: ParseRequest.document has no bytes"));
    return reactor;
  }
  if (r.document().size() > parser_->options().max_document_bytes) {
    Finish(call, absl::ResourceExhaustedError(absl::StrCat(
                     "document of ", r.document().size(), " bytes is over the limit of ",
                     parser_->options().max_document_bytes, " bytes")));
    return reactor;
  }
  if (absl::Status hints = CheckParseHints(r.region_code(), r.year()); !hints.ok()) {
    Finish(call, hints);
    return reactor;
  }
  call->document_sha256 = Sha256Hex(r.document());
  call->cache_key =
      ParseCacheKey(call->document_sha256, r.media_type(), r.region_code(), r.year());
  if (cache_ == nullptr) {
    call->scope.set_cache("none");
  } else if (r.bypass_cache()) {
    call->scope.set_cache("bypass");
  } else {
    CacheLookup lookup = cache_->Get(call->cache_key);
    call->scope.set_cache(CacheOutcomeName(lookup.outcome));
    if (lookup.outcome == CacheOutcome::kHit) {
      if (!r.omit_normalized_text()) {
        *response = OwningByteBuffer(
            ParseResponseBytes(lookup.value, r.file_name(), true, call->cache_key));
        Finish(call, absl::OkStatus());
        return reactor;
      }
      // A cached value that does not read as a report is parsed again.
      absl::StatusOr<std::string> trimmed = ReportWithoutNormalizedText(lookup.value);
      if (trimmed.ok()) {
        *response = OwningByteBuffer(
            ParseResponseBytes(*trimmed, r.file_name(), true, call->cache_key));
        Finish(call, absl::OkStatus());
        return reactor;
      }
    }
  }
  workers_.Submit([this, call] { ParseAndFinish(call); });
  return reactor;
}

void ParseServiceImpl::ParseAndFinish(Call* call) {
  if (absl::Status alive = call->scope.CheckAlive(); !alive.ok()) {
    Finish(call, alive);
    return;
  }
  v1::ParseRequest& r = call->request;
  Document document;
  document.bytes = std::move(*r.mutable_document());
  document.name = r.file_name();
  document.media_type = r.media_type();
  document.region_code = r.region_code();
  document.year = r.year();
  document.content_sha256 = std::move(call->document_sha256);
  // One report per worker thread, refilled by ParseInto: its cells and
  // strings keep their memory from call to call. Serialised before return.
  thread_local v1::AnnualReport reused;
  v1::AnnualReport* const report = &reused;
  if (absl::Status parsed = parser_->ParseInto(document, report); !parsed.ok()) {
    Finish(call, parsed);
    return;
  }
  if (absl::Status alive = call->scope.CheckAlive(); !alive.ok()) {
    Finish(call, alive);
    return;
  }
  // The cached value is the report without the caller's name.
  report->clear_source_name();
  const std::string bytes = SerializeReport(report);
  if (cache_ != nullptr) cache_->Put(call->cache_key, bytes);
  if (r.omit_normalized_text()) {
    absl::StatusOr<std::string> trimmed = ReportWithoutNormalizedText(bytes);
    if (!trimmed.ok()) {
      Finish(call, absl::InternalError("the serialized report does not read back"));
      return;
    }
    *call->response = OwningByteBuffer(
        ParseResponseBytes(*trimmed, document.name, false, call->cache_key));
  } else {
    *call->response = OwningByteBuffer(
        ParseResponseBytes(bytes, document.name, false, call->cache_key));
  }
  Finish(call, absl::OkStatus());
}

}  // namespace gongkai
