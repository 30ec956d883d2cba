// libFuzzer target: the service request handlers, called in-process without
// a network (services/parse/parse_service.h, services/validate/
// validate_service.h). The first byte picks the handler; the rest is a
// serialised ParseRequest or ValidateRequest. Every call must end with a
// grpc::Status (OK with a consistent response, or a code and a message).
// PDF documents are skipped (pdftotext subprocess). The aggregate handler is
// not fuzzed: it needs parse/validate replicas behind a ChannelEngine.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <grpcpp/server_context.h>

#include "common/cache/lru_cache.h"
#include "common/formats/extract.h"
#include "common/parse/parser.h"
#include "common/regions/resolver.h"
#include "common/server/metrics.h"
#include "common/server/server_options.h"
#include "common/server/server_runtime.h"
#include "common/validate/validator.h"
#include "services/parse/parse_service.h"
#include "services/validate/validate_service.h"
#include "spdlog/spdlog.h"
#include "tests/fuzz/report_invariants.h"

namespace {

struct Services {
  gongkai::ServerOptions options;
  gongkai::Metrics metrics;
  std::unique_ptr<gongkai::ServerRuntime> runtime;
  std::unique_ptr<gongkai::RegionResolver> resolver;
  std::unique_ptr<gongkai::ReportParser> parser;
  std::unique_ptr<gongkai::LruCache> cache;
  gongkai::Validator validator;
  std::unique_ptr<gongkai::ParseServiceImpl> parse;
  std::unique_ptr<gongkai::ValidateServiceImpl> validate;

  Services() {
    spdlog::set_level(spdlog::level::off);  // access logs are not under test
    runtime = std::make_unique<gongkai::ServerRuntime>(options, &metrics);
    absl::StatusOr<std::unique_ptr<gongkai::RegionResolver>> loaded =
        gongkai::RegionResolver::LoadDefault();
    if (loaded.ok()) resolver = *std::move(loaded);
    parser = std::make_unique<gongkai::ReportParser>(gongkai::ParserOptions{}, resolver.get());
    gongkai::LruCacheOptions cache_options;
    cache_options.max_entries = 64;
    cache_options.max_bytes = 8u << 20;
    cache = std::make_unique<gongkai::LruCache>(cache_options);
    parse = std::make_unique<gongkai::ParseServiceImpl>(parser.get(), cache.get(), runtime.get());
    validate = std::make_unique<gongkai::ValidateServiceImpl>(&validator, runtime.get());
  }
};

void Fail(const std::string& what) {
  std::fprintf(stderr, "fuzz_services invariant broken: %s\n", what.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Services* services = new Services();
  if (size == 0) return 0;
  const bool parse = (data[0] & 1) == 0;
  const char* body = reinterpret_cast<const char*>(data + 1);
  const int body_size = static_cast<int>(size - 1);
  grpc::ServerContext context;
  if (parse) {
    gongkai::v1::ParseRequest request;
    if (!request.ParseFromArray(body, body_size)) return 0;
    if (gongkai::DetectContainer(request.document(), request.media_type(),
                                 request.file_name()) == gongkai::Container::kPdf) {
      return 0;
    }
    gongkai::v1::ParseResponse response;
    grpc::Status status = services->parse->Parse(&context, &request, &response);
    if (!status.ok()) {
      if (status.error_message().empty()) Fail("Parse error without a message");
      return 0;
    }
    const std::string broken = gongkai::fuzzing::CheckReportInvariants(response.report());
    if (!broken.empty()) Fail("Parse: " + broken);
  } else {
    gongkai::v1::ValidateRequest request;
    if (!request.ParseFromArray(body, body_size)) return 0;
    gongkai::v1::ValidateResponse response;
    grpc::Status status = services->validate->Validate(&context, &request, &response);
    if (!status.ok() && status.error_message().empty()) Fail("Validate error without a message");
  }
  return 0;
}
