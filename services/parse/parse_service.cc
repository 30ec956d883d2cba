#include "services/parse/parse_service.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/cache/parse_cache_key.h"
#include "common/util/sha256.h"

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

ParseServiceImpl::ParseServiceImpl(const ReportParser* parser, Cache* cache,
                                   ServerRuntime* runtime)
    : parser_(parser), cache_(cache), runtime_(runtime) {}

grpc::Status ParseServiceImpl::Parse(grpc::ServerContext* context,
                                     const v1::ParseRequest* request,
                                     v1::ParseResponse* response) {
  RpcScope scope(runtime_, "Parse", context);
  if (!scope.admitted()) return scope.Finish(scope.admission());
  return scope.Finish(DoParse(*request, response, &scope));
}

absl::Status ParseServiceImpl::DoParse(const v1::ParseRequest& request,
                                       v1::ParseResponse* response, RpcScope* scope) {
  scope->fields().Int("bytes", static_cast<int64_t>(request.document().size()));
  if (request.document().empty()) {
    return absl::InvalidArgumentError("empty document: ParseRequest.document has no bytes");
  }
  if (request.document().size() > parser_->options().max_document_bytes) {
    return absl::ResourceExhaustedError(
        absl::StrCat("document of ", request.document().size(), " bytes is over the limit of ",
                     parser_->options().max_document_bytes, " bytes"));
  }
  if (absl::Status hints = CheckParseHints(request.region_code(), request.year());
      !hints.ok()) {
    return hints;
  }

  const std::string sha256 = Sha256Hex(request.document());
  const std::string key =
      ParseCacheKey(sha256, request.media_type(), request.region_code(), request.year());
  response->set_cache_key(key);
  if (cache_ != nullptr && !request.bypass_cache()) {
    CacheLookup lookup = cache_->Get(key);
    if (lookup.outcome == CacheOutcome::kHit &&
        response->mutable_report()->ParseFromString(lookup.value)) {
      response->mutable_report()->set_source_name(request.file_name());
      response->set_from_cache(true);
      scope->set_cache("hit");
      return absl::OkStatus();
    }
    response->clear_report();
    scope->set_cache(CacheOutcomeName(lookup.outcome == CacheOutcome::kHit
                                          ? CacheOutcome::kError  // undecodable value
                                          : lookup.outcome));
  } else {
    scope->set_cache(cache_ == nullptr ? "none" : "bypass");
  }

  Document document;
  document.bytes = request.document();
  document.name = request.file_name();
  document.media_type = request.media_type();
  document.region_code = request.region_code();
  document.year = request.year();
  absl::StatusOr<v1::AnnualReport> report = parser_->Parse(document);
  if (!report.ok()) return report.status();
  if (absl::Status alive = scope->CheckAlive(); !alive.ok()) return alive;
  if (report->content_sha256().empty()) report->set_content_sha256(sha256);
  if (cache_ != nullptr) cache_->Put(key, report->SerializeAsString());
  *response->mutable_report() = *std::move(report);
  return absl::OkStatus();
}

}  // namespace gongkai
