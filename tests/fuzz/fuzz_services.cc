// libFuzzer target: the service request handling, in-process without a
// network. The first byte picks the service; the rest is a serialised
// ParseRequest or ValidateRequest.
//  - Validate: ValidateServiceImpl::Validate (a sync handler) is called
//    directly; it must end with OK or a code and a message.
//  - Parse: ParseServiceImpl is a callback-API reactor on raw ByteBuffers
//    that cannot run without a server, so its steps are run here:
//    CheckParseHints, ReportParser::Parse, then ParseResponseBytes (the
//    hand-built wire response); those bytes must decode as a ParseResponse
//    whose report is the parsed one with the caller's source_name.
// PDF documents are skipped (pdftotext subprocess). The aggregate handler is
// not fuzzed: it needs parse/validate replicas behind a ChannelEngine.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include <grpcpp/server_context.h>

#include "google/protobuf/util/message_differencer.h"
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
  gongkai::Validator validator;
  std::unique_ptr<gongkai::ValidateServiceImpl> validate;

  Services() {
    spdlog::set_level(spdlog::level::off);  // access logs are not under test
    runtime = std::make_unique<gongkai::ServerRuntime>(options, &metrics);
    absl::StatusOr<std::unique_ptr<gongkai::RegionResolver>> loaded =
        gongkai::RegionResolver::LoadDefault();
    if (loaded.ok()) resolver = *std::move(loaded);
    parser = std::make_unique<gongkai::ReportParser>(gongkai::ParserOptions{}, resolver.get());
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
    if (!gongkai::CheckParseHints(request.region_code(), request.year()).ok()) return 0;
    gongkai::Document document;
    document.bytes = request.document();
    document.name = request.file_name();
    document.media_type = request.media_type();
    document.region_code = request.region_code();
    document.year = request.year();
    absl::StatusOr<gongkai::v1::AnnualReport> report = services->parser->Parse(document);
    if (!report.ok()) {
      if (report.status().message().empty()) Fail("Parse error without a message");
      return 0;
    }
    const std::string broken = gongkai::fuzzing::CheckReportInvariants(*report);
    if (!broken.empty()) Fail("Parse: " + broken);
    report->clear_source_name();
    const std::string wire = gongkai::ParseResponseBytes(report->SerializeAsString(),
                                                         request.file_name(), true, "k");
    gongkai::v1::ParseResponse response;
    if (!response.ParseFromString(wire)) Fail("ParseResponseBytes: undecodable response");
    report->set_source_name(request.file_name());
    if (!google::protobuf::util::MessageDifferencer::Equals(response.report(), *report) ||
        !response.from_cache() || response.cache_key() != "k") {
      Fail("ParseResponseBytes: response differs from the parsed report");
    }
  } else {
    gongkai::v1::ValidateRequest request;
    if (!request.ParseFromArray(body, body_size)) return 0;
    gongkai::v1::ValidateResponse response;
    grpc::Status status = services->validate->Validate(&context, &request, &response);
    if (!status.ok() && status.error_message().empty()) Fail("Validate error without a message");
  }
  return 0;
}
