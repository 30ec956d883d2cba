// Report wire: reading and rewriting serialized gongkai.v1 messages at the
// level of their top-level fields, so that a server can trim a parsed
// report or forward it to the next service without decoding and encoding
// it again (the aggregate server's parse → validate hop, issue 8).
//
// Every function works on protobuf wire bytes as any protobuf library
// writes them (fields in any order, an embedded message possibly split in
// several chunks that a reader merges). Malformed bytes are an error,
// never a crash.
//
// Thread-safety: pure functions.
#ifndef GONGKAI_COMMON_SERVER_REPORT_WIRE_H_
#define GONGKAI_COMMON_SERVER_REPORT_WIRE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "gongkai/v1/report.pb.h"
#include "grpcpp/support/byte_buffer.h"

namespace gongkai {

// A ByteBuffer holding `bytes` without copying them (the buffer owns them).
grpc::ByteBuffer OwningByteBuffer(std::string bytes);

// report->SerializeAsString(), except that the large texts
// (normalized_text, each section's text) are written without protobuf's
// UTF-8 check: the parser made them from validated UTF-8, and that check,
// which only logs when it fails, was ≈ 15% of a Parse miss. Fields come in
// another order than SerializeAsString's (sections and the text last),
// which any reader accepts: the bytes decode to an equal message. `*report`
// is left as it was.
std::string SerializeReport(gongkai::v1::AnnualReport* report);

// A serialized AnnualReport without its normalized_text (field 10); the
// bytes unchanged when the report has no sections (field 2), since the
// validator's text rules then read the normalised text. Errors:
// INVALID_ARGUMENT for bytes that are not a protobuf message.
absl::StatusOr<std::string> ReportWithoutNormalizedText(absl::string_view report);

// A ParseResponse split into its fields, borrowing from the response bytes.
struct ParseResponseParts {
  // The `report` (field 1) chunks in order; a reader merges them (the parse
  // server sends the cached report, then a chunk with source_name).
  std::vector<absl::string_view> report_chunks;
  bool from_cache = false;
  absl::string_view cache_key;
};

// Errors: INVALID_ARGUMENT for bytes that are not a ParseResponse.
absl::StatusOr<ParseResponseParts> SplitParseResponse(absl::string_view response);

// The wire bytes of a ValidateRequest whose `report` is the merge of
// `report_chunks` (serialized AnnualReports), with no `previous` and default
// options.
std::string ValidateRequestBytes(const std::vector<absl::string_view>& report_chunks);

// The wire bytes of a ValidateBatchRequest of `requests` (serialized
// ValidateRequests), in order.
std::string ValidateBatchRequestBytes(const std::vector<absl::string_view>& requests);

// Merges into *out, from a serialized AnnualReport, only what
// RollupBuilder::AddReport (common/aggregate/rollup.h) reads: meta,
// source_name, content_sha256 and each cell's key, value and state. The
// sections, diagnostics, normalised text and the cells' raw text, spans,
// alternatives and notes are skipped: several times cheaper than a full
// decode. Strings are checked as a full decode checks them (UTF-8). Errors:
// INVALID_ARGUMENT for bytes that are not an AnnualReport (*out is then
// partly merged).
absl::Status MergeReportForRollup(absl::string_view report, gongkai::v1::AnnualReport* out);

}  // namespace gongkai

#endif  // GONGKAI_COMMON_SERVER_REPORT_WIRE_H_
