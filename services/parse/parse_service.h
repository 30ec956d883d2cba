// ParseServiceImpl: gongkai.v1.ParseService over the core ReportParser, with
// the parse cache in front (key scheme: common/cache/parse_cache_key.h).
// Status codes are documented in proto/gongkai/v1/parse_service.proto.
//
// Built on gRPC's callback API with raw (ByteBuffer) messages so that a
// cache hit costs no protobuf work on the report: the cache holds the
// report's serialized bytes (with source_name cleared) and the response is
// written as those bytes plus a second `report` chunk carrying the caller's
// source_name (protobuf merges repeated embedded-message fields), then
// from_cache and cache_key. Misses are parsed on `workers` threads, never on
// gRPC's own.
//
// Thread-safety: handlers run concurrently; the parser and the cache are
// thread-safe.
#ifndef GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_
#define GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "common/cache/cache.h"
#include "common/parse/parser.h"
#include "common/server/server_runtime.h"
#include "gongkai/v1/parse_service.grpc.pb.h"

namespace gongkai {

// A fixed set of threads running queued tasks in order of arrival.
class WorkerPool {
 public:
  // `threads` <= 0 means one per hardware thread.
  explicit WorkerPool(int threads);
  ~WorkerPool();  // runs what is queued, then joins
  void Submit(std::function<void()> task);

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

class ParseServiceImpl final
    : public gongkai::v1::ParseService::WithRawCallbackMethod_Parse<
          gongkai::v1::ParseService::Service> {
 public:
  // Not owned; all must outlive the service. `cache` may be null (no cache).
  // `parse_threads` <= 0: one per hardware thread.
  ParseServiceImpl(const ReportParser* parser, Cache* cache, ServerRuntime* runtime,
                   int parse_threads = 0);

  grpc::ServerUnaryReactor* Parse(grpc::CallbackServerContext* context,
                                  const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) override;

 private:
  struct Call;
  // Parses on a worker, stores, answers.
  void ParseAndFinish(Call* call);
  static void Finish(Call* call, const absl::Status& status);

  const ReportParser* parser_;
  Cache* cache_;
  ServerRuntime* runtime_;
  WorkerPool workers_;
};

// Checks ParseRequest's optional fields (region_code: empty, 6 or 9 ASCII
// digits; year: 0..9999). Errors: INVALID_ARGUMENT naming the field.
absl::Status CheckParseHints(absl::string_view region_code, int32_t year);

// The wire bytes of a ParseResponse whose report is `report_bytes` (a
// serialized AnnualReport) with source_name set to `source_name`.
std::string ParseResponseBytes(absl::string_view report_bytes, absl::string_view source_name,
                               bool from_cache, absl::string_view cache_key);

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_
