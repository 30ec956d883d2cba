// ParseServiceImpl: gongkai.v1.ParseService over the core ReportParser, with
// the parse cache in front (key scheme: common/cache/parse_cache_key.h).
// Status codes are documented in proto/gongkai/v1/parse_service.proto.
//
// Thread-safety: handlers run concurrently; the parser and the cache are
// thread-safe.
#ifndef GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_
#define GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_

#include "absl/status/status.h"
#include "common/cache/cache.h"
#include "common/parse/parser.h"
#include "common/server/server_runtime.h"
#include "gongkai/v1/parse_service.grpc.pb.h"

namespace gongkai {

class ParseServiceImpl final : public gongkai::v1::ParseService::Service {
 public:
  // Not owned; all must outlive the service. `cache` may be null (no cache).
  ParseServiceImpl(const ReportParser* parser, Cache* cache, ServerRuntime* runtime);

  grpc::Status Parse(grpc::ServerContext* context, const gongkai::v1::ParseRequest* request,
                     gongkai::v1::ParseResponse* response) override;

 private:
  absl::Status DoParse(const gongkai::v1::ParseRequest& request,
                       gongkai::v1::ParseResponse* response, RpcScope* scope);

  const ReportParser* parser_;
  Cache* cache_;
  ServerRuntime* runtime_;
};

// Checks ParseRequest's optional fields (region_code: empty, 6 or 9 ASCII
// digits; year: 0..9999). Errors: INVALID_ARGUMENT naming the field.
absl::Status CheckParseHints(absl::string_view region_code, int32_t year);

}  // namespace gongkai

#endif  // GONGKAI_SERVICES_PARSE_PARSE_SERVICE_H_
